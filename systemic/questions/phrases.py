"""Phrases a question is built from: events said naturally, ideas named briefly.

A chronology is written in the worker's shorthand ("Leanne and Tunde separate. Kay and
Maya stay with their mum."); a question says it as people talk: "since Leanne and Tunde
separated in September 2020". :func:`event_clause` turns the first sentence of an event
into a past-tense clause with its date, or gives ``None`` when it cannot do so safely
(then the event is not used: a question never quotes the chronology). A hypothesis is
never pasted into a question: :func:`idea_people` and :func:`ordinal` name it by the
people it is about or by its place in the list ("the second idea").

>>> event_clause("Kay stops going to his dad's after an argument about his phone.", "2026-09")
"Kay stopped going to his dad's after an argument about his phone in September 2026"
>>> event_clause("Lily is born.", "2024-05-02")
'Lily was born on 2 May 2024'
>>> event_clause("The family court sets out when the children stay with their dad.", "2021")
'the family court set out when the children stay with their dad in 2021'
>>> event_clause("Police called to the home", "2020") is None
False
>>> event_clause("Concerns re: DV.", "2020") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from systemic.cases import PartialDate

__all__ = ["event_clause", "when_phrase", "join_names", "ordinal", "past_tense"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

#: Present-tense verbs a chronology uses, and their past tense (irregular and regular).
_PAST = {
    "is": "was", "are": "were", "has": "had", "have": "had", "goes": "went", "go": "went",
    "comes": "came", "come": "came", "leaves": "left", "leave": "left", "begins": "began",
    "begin": "began", "gets": "got", "get": "got", "takes": "took", "take": "took",
    "says": "said", "say": "said", "tells": "told", "tell": "told", "finds": "found",
    "find": "found", "sets": "set", "set": "set", "puts": "put", "put": "put",
    "loses": "lost", "lose": "lost", "makes": "made", "make": "made", "sees": "saw",
    "see": "saw", "gives": "gave", "give": "gave", "runs": "ran", "run": "ran",
    "falls": "fell", "fall": "fell", "brings": "brought", "bring": "brought",
    "sends": "sent", "send": "sent", "spends": "spent", "spend": "spent", "meets": "met",
    "meet": "met", "becomes": "became", "become": "became", "breaks": "broke",
    "break": "broke", "hits": "hit", "hit": "hit", "keeps": "kept", "keep": "kept",
    "sleeps": "slept", "sleep": "slept", "wins": "won", "win": "won", "hears": "heard",
    "hear": "heard", "holds": "held", "hold": "held", "feels": "felt", "feel": "felt",
    "does": "did", "do": "did", "writes": "wrote", "write": "wrote", "wakes": "woke",
    "dies": "died", "die": "died", "marry": "married", "marries": "married",
    "moves": "moved", "move": "moved", "separate": "separated", "separates": "separated",
    "divorce": "divorced", "divorces": "divorced", "argue": "argued", "argues": "argued",
    "stops": "stopped", "stop": "stopped", "starts": "started", "start": "started",
    "asks": "asked", "ask": "asked", "calls": "called", "call": "called",
    "visits": "visited", "visit": "visited", "returns": "returned", "return": "returned",
    "refuses": "refused", "refuse": "refused", "agrees": "agreed", "agree": "agreed",
    "decides": "decided", "decide": "decided", "joins": "joined", "join": "joined",
    "misses": "missed", "miss": "missed", "ends": "ended", "end": "ended",
    "reports": "reported", "report": "reported", "discloses": "disclosed",
    "disclose": "disclosed", "arrives": "arrived", "arrive": "arrived",
    "lives": "lived", "live": "lived", "stays": "stayed", "stay": "stayed",
    "push": "pushed", "pushes": "pushed", "shout": "shouted", "shouts": "shouted",
    "fight": "fought", "fights": "fought", "split": "split", "splits": "split",
    "change": "changed", "changes": "changed", "attends": "attended", "attend": "attended",
    "opens": "opened", "closes": "closed", "needs": "needed", "need": "needed",
    "wants": "wanted", "want": "wanted", "happens": "happened", "happen": "happened",
    "turns": "turned", "turn": "turned", "graduates": "graduated", "retires": "retired",
    "retire": "retired", "qualifies": "qualified", "enters": "entered", "enter": "entered",
    "goes missing": "went missing", "admitted": "admitted", "excluded": "excluded",
}
_ALREADY_PAST = frozenset(_PAST.values()) | {"was", "were", "had", "did"}
_SUBJECT_WORDS = frozenset({"and", "the", "a", "an", "his", "her", "their", "my", "our",
                            "both", "mum", "dad", "nan", "grandad", "school", "family",
                            "parents", "children", "police", "court"})
_MAX_WORDS = 14
#: Words that start a chronology sentence but are not names (lowered mid-sentence).
_COMMON_STARTS = frozenset({"the", "a", "an", "police", "school", "family", "children",
                            "parents", "both", "his", "her", "their", "our", "my", "social",
                            "court", "there", "it", "they", "he", "she", "we", "staff",
                            "teachers", "neighbours", "doctors", "paramedics", "everyone"})


def when_phrase(when: PartialDate) -> str:
    """ "on 9 October 2026", "in October 2026", "in 2016".

    >>> when_phrase(PartialDate.parse(2016)), when_phrase(PartialDate.parse("2026-10-09"))
    ('in 2016', 'on 9 October 2026')
    """
    if when.month is None:
        return f"in {when.year}"
    if when.day is None:
        return f"in {_MONTHS[when.month - 1]} {when.year}"
    return f"on {when.day} {_MONTHS[when.month - 1]} {when.year}"


def past_tense(sentence: str) -> str | None:
    """The sentence with its first verb in the past tense; ``None`` when no verb is found
    among the first words (a fragment, shorthand) so it cannot be said naturally.

    >>> past_tense("Leanne and Tunde move in together")
    'Leanne and Tunde moved in together'
    >>> past_tense("Dad moved out"), past_tense("DV incident")
    ('Dad moved out', None)
    """
    words = sentence.split()
    for i, word in enumerate(words[:7]):
        bare = word.lower().strip(",.;:")
        if i == 0:
            continue
        if bare in _ALREADY_PAST:
            return sentence
        if bare in _PAST:
            words[i] = _PAST[bare]
            return " ".join(words)
        if not (word[:1].isupper() or bare in _SUBJECT_WORDS or bare.endswith(("'s", "’s"))):
            return None
    return None


def _first_clause(text: str) -> str:
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?;])\s|;", text, maxsplit=1)[0]
    return first.rstrip(".!?;: ").strip()


def event_clause(text: str, when: PartialDate | str, proper: Iterable[str] = ()) -> str | None:
    """A chronology event as a past-tense clause with its date, or ``None``.

    ``proper`` are words that keep their capital mid-sentence (names).
    """
    if isinstance(when, str):
        when = PartialDate.parse(when)
    clause = _first_clause(text)
    if not clause or re.search(r"[()\[\]“”\"‘’:/]", clause.replace("’s", "").replace("'s", "")):
        return None
    if len(clause.split()) > _MAX_WORDS:
        return None
    past = past_tense(clause)
    if past is None:
        return None
    first = re.split(r"[\s'’]", past)[0]
    keep = {w.lower() for w in proper}
    if first.lower() in _COMMON_STARTS and first.lower() not in keep:
        past = past[0].lower() + past[1:]
    if not re.search(r"\b(19|20)\d\d\b", past):
        past = f"{past} {when_phrase(when)}"
    return past


def join_names(names: Sequence[str]) -> str:
    """ "Kay", "Kay and Mum", "Kay, Mum and Dad".

    >>> join_names(["Kay", "Mum", "Dad"])
    'Kay, Mum and Dad'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")


def ordinal(n: int) -> str:
    """ "first" for 1, … "tenth"; then "number 11".

    >>> ordinal(2), ordinal(12)
    ('second', 'number 12')
    """
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"number {n}"
