"""Who a hypothesis is about: the people its words name, matched against the family.

A group writes "I wonder whether grandad George feels pushed out since Mum's new
baby". The people involved are George and Mum, not every grandfather in the family.
This module reads a hypothesis for names (full names, first names, nicknames) and for
family words (mum, Nan, her uncle…, the coach's ``kinship_words``), and matches each
family word against what every person is to the focal child
(:func:`systemic.genogram.kinship.relations`). A family word that fits several people
is narrowed, in this order, when the text or the family says which:

1. **whose**: "mum's dad", "Leanne's sister" — read from the person before the ``'s``
   (a family word used that way only points the way, and is not counted itself);
2. **which side**: "paternal nan", "maternal grandad";
3. **the family's own word**: when the case file calls one grandmother "nan" and the
   other "grandma", "nan" is the first;
4. **a name beside it**: "grandad George", "George, Maya's grandad", "Nan (Pat)".

When nothing says which, every person the word fits is offered; the supervisor
removes the one not meant. :func:`follow_rewording` keeps the supervisor's own
additions and removals when the idea is reworded, and follows the new words for the rest.

>>> from systemic.cases import Case, Person, ParentLink
>>> case = Case(id="c", title="t", fictional=True, focal_child="amy", people=[
...     Person(id="george", name="George Hart", sex="male"),
...     Person(id="sam", name="Samuel Ade", sex="male"),
...     Person(id="liz", name="Liz Hart", sex="female"), Person(id="tom", name="Tom Ade",
...     sex="male"), Person(id="amy", name="Amy Ade", sex="female")],
...     parents=[ParentLink(child="amy", parents=["liz", "tom"]),
...              ParentLink(child="liz", parents=["george"]),
...              ParentLink(child="tom", parents=["sam"])])
>>> people_in_text("Perhaps grandad George feels pushed out.", case)
['george']
>>> people_in_text("Perhaps her grandad feels pushed out.", case)
['george', 'sam']
>>> people_in_text("When Mum's dad visits, Amy goes quiet.", case)
['george', 'amy']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from systemic.cases import Case, Person
from systemic.datafile import load_model_once
from systemic.genogram.kinship import relations
from systemic.graces import display_name, focal_child
from systemic.hypotheses import load_coach

__all__ = ["WORDS_PATH", "PeopleWords", "load_people_words", "people_in_text",
           "HandChoices", "hand_choices", "follow_rewording"]

WORDS_PATH = Path(__file__).with_name("hypothesis_people.yaml")

_Word = Annotated[str, Field(min_length=1, max_length=60)]
_POSSESSIVE = re.compile(r"^'s\s+$")
_BESIDE = re.compile(r"^[\s,(\-–—]*$")  # only spaces, commas, brackets or dashes between
_SIDE = re.compile(r"\b(\w+)\s+$")
_STRAIGHTEN = str.maketrans({"\u2019": "'", "\u2018": "'"})


class PeopleWords(BaseModel):
    """``hypothesis_people.yaml``: the words this matching adds to the coach's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(min_length=1)]
    extra_words: dict[str, list[_Word]] = {}
    broader: dict[str, list[str]] = {}
    sides: dict[_Word, str] = {}


def load_people_words(path: str | Path | None = None) -> PeopleWords:
    """Read ``systemic/hypothesis_people.yaml`` (or another copy), once."""
    return load_model_once(PeopleWords, path, WORDS_PATH)


# -- the words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    group_of: dict[str, str]  # a family word (folded) → its group
    pattern: re.Pattern[str]
    broader: dict[str, frozenset[str]]
    sides: dict[str, str]
    child_pattern: re.Pattern[str] | None


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _words() -> _Words:
    coach = load_coach()
    extra = load_people_words()
    group_of: dict[str, str] = {}
    for group, words in [*coach.kinship_words.items(), *extra.extra_words.items()]:
        for word in (group.replace("_", "-"), *words):
            group_of.setdefault(word.casefold(), group)
    pattern = re.compile(r"(?<![\w-])(?:" + _alternation(list(group_of)) + r")(?![\w-])",
                         re.IGNORECASE)
    child = (re.compile(r"(?<![\w-])(?:" + _alternation(coach.child_words) + r")(?![\w-])",
                        re.IGNORECASE) if coach.child_words else None)
    broader = {g: frozenset(more) for g, more in extra.broader.items()}
    return _Words(group_of, pattern, broader, dict(extra.sides), child)


def _term_groups(term: str) -> frozenset[str]:
    """The family-word groups a relation names: "nana and special guardian" → nan, carer.

    Words in brackets only explain ("grandad (mum's dad)"), and a part with a ``'s``
    is about someone else ("Ryan's former wife"), so neither counts.
    """
    words = _words()
    found: set[str] = set()
    for part in re.split(r",| and ", term.translate(_STRAIGHTEN).split("(")[0]):
        if "'s" in part:
            continue
        found |= {words.group_of[m.group().casefold()] for m in words.pattern.finditer(part)}
    return frozenset(found)


# -- names ------------------------------------------------------------------------------------


def _name_forms(person: Person) -> set[str]:
    """Full name, first name, nickname and the name the group uses; whole names only."""
    forms = {person.name.strip()}
    if person.kind != "person":
        return forms
    nickname = re.search(r"\(([^()]{1,40})\)", person.name)
    plain = re.sub(r"\s*\([^()]*\)\s*", " ", person.name).split()
    if plain:
        forms |= {" ".join(plain), plain[0]}
    if nickname:
        forms.add(nickname.group(1).strip())
        if len(plain) > 1:
            forms.add(f"{nickname.group(1).strip()} {plain[-1]}")
    forms.add(display_name(person))
    return {f for f in forms if f}


_RECENT: list[tuple[Case, tuple[tuple[re.Pattern[str], frozenset[str]], ...]]] = []


def _names(case: Case) -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    """Each way of writing a name → the people it may be, longest first.

    Cases are frozen, so the last few answers are kept (by the case itself, as the
    family words module does), and typing into a hypothesis does not rebuild them.
    """
    for seen, answer in _RECENT:
        if seen is case:
            return answer
    answer = _name_patterns(case)
    _RECENT.insert(0, (case, answer))
    del _RECENT[8:]
    return answer


def _name_patterns(case: Case) -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    by_form: dict[str, set[str]] = {}
    for person in case.people:
        if person.kind in ("person", "pregnancy"):
            for form in _name_forms(person):
                by_form.setdefault(form, set()).add(person.id)
    if case.worker:
        by_form.setdefault(case.worker.strip(), set()).add("worker")
    return tuple(
        (re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])"), frozenset(pids))
        for form, pids in sorted(by_form.items(), key=lambda kv: -len(kv[0]))
    )


# -- reading a text ---------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    people: frozenset[str]
    word: str = ""  # the family word, when it is one
    pointer: bool = False  # a family word that only says whose ("mum's dad")


def _mentions(text: str, case: Case) -> list[_Mention]:
    """Names, then family words where no name is, in the order they come."""
    taken: list[tuple[int, int]] = []
    out: list[_Mention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for pattern, pids in _names(case):
        for m in pattern.finditer(text):
            if free(*m.span()):
                taken.append(m.span())
                out.append(_Mention(m.start(), m.end(), pids))
    words = _words()
    for pattern in (words.child_pattern, words.pattern):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if free(*m.span()):
                taken.append(m.span())
                child = pattern is words.child_pattern
                out.append(_Mention(m.start(), m.end(), frozenset(), "" if child else m.group(),
                                    pointer=False))
                if child:
                    focal = focal_child(case)
                    out[-1].people = frozenset([focal] if focal else [])
    return sorted(out, key=lambda m: m.start)


def _relations_to(case: Case, pid: str) -> dict[str, str]:
    try:
        return relations(case, pid)
    except (ValueError, KeyError):  # no focal child, or someone not in the family
        return {}


def _fits(case: Case, word: str, towards: frozenset[str]) -> frozenset[str]:
    """Everyone ``word`` may mean, seen from ``towards`` (the focal child by default)."""
    words = _words()
    group = words.group_of.get(word.casefold(), "")
    wanted = {group} | words.broader.get(group, frozenset())
    out: set[str] = set()
    said: set[str] = set()  # those the family itself calls by this very word
    exact = re.compile(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", re.IGNORECASE)
    for whom in towards:
        for pid, term in _relations_to(case, whom).items():
            if pid != whom and _term_groups(term) & wanted:
                out.add(pid)
                if exact.search(term.split("(")[0]):
                    said.add(pid)
    return frozenset(said or out)


def _side(text: str, mention: _Mention, case: Case, fits: frozenset[str]) -> frozenset[str]:
    """Only those on the side a word like "paternal" names, when one does."""
    before = _SIDE.search(text[: mention.start])
    side = _words().sides.get(before.group(1).casefold()) if before else None
    focal = focal_child(case)
    if side is None or focal is None:
        return fits
    parents = _fits(case, side, frozenset([focal]))
    on_side = {pid for parent in parents for pid, term in _relations_to(case, parent).items()
               if _term_groups(term) & {"mum", "dad"}}
    return (fits & on_side) or fits


def _resolve(text: str, mentions: list[_Mention], case: Case) -> None:
    """Give each family word its people, narrowing as the module docstring says."""
    focal = focal_child(case)
    for i, m in enumerate(mentions):
        if not m.word:
            continue
        towards = frozenset([focal]) if focal else frozenset()
        before = mentions[i - 1] if i else None
        owner = None
        if before is not None and _POSSESSIVE.match(text[before.end:m.start]) and before.people:
            owner, towards = before, before.people
            before.pointer = bool(before.word)
        fits = _side(text, m, case, _fits(case, m.word, towards))
        neighbours = []
        first = owner or m
        index = mentions.index(first)
        if index and _BESIDE.match(text[mentions[index - 1].end:first.start]):
            neighbours.append(mentions[index - 1])
        if i + 1 < len(mentions) and _BESIDE.match(text[m.end:mentions[i + 1].start]):
            neighbours.append(mentions[i + 1])
        for other in neighbours:
            if not other.word and len(fits) > 1 and other.people & fits:
                fits = other.people & fits
        m.people = fits


def people_in_text(text: str, case: Case, focal: str | None = None) -> list[str]:
    """The ids of the people ``text`` names, by name or family word, in the order named.

    ``"worker"`` stands for the case's worker when their name is used. ``focal`` is
    accepted for symmetry with the coach; family words are read from the case's focal
    child, as the family would say them.
    """
    text = (text or "").translate(_STRAIGHTEN)
    mentions = _mentions(text, case)
    _resolve(text, mentions, case)
    out: list[str] = []
    for m in mentions:
        if not m.pointer:
            out += [pid for pid in sorted(m.people) if pid not in out]
    return out


@dataclass(frozen=True)
class HandChoices:
    """Who the supervisor added to, or took out of, what the words say."""

    added: tuple[str, ...] = ()
    removed: frozenset[str] = frozenset()

    def apply(self, text: str, case: Case) -> list[str]:
        """The people involved for ``text``: its people, less those taken out, plus those added.

        >>> from systemic.cases import Person
        >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="jo", name="Jo"),
        ...     Person(id="kim", name="Kim"), Person(id="al", name="Al")])
        >>> HandChoices(("al",), frozenset({"kim"})).apply("Jo and Kim argue.", case)
        ['jo', 'al']
        """
        now = [p for p in people_in_text(text, case) if p not in self.removed]
        return now + [p for p in self.added if p not in now]

    def add(self, pid: str) -> HandChoices:
        return HandChoices((*[p for p in self.added if p != pid], pid), self.removed - {pid})

    def remove(self, pid: str) -> HandChoices:
        return HandChoices(tuple(p for p in self.added if p != pid), self.removed | {pid})


def hand_choices(text: str, people: list[str], case: Case) -> HandChoices:
    """What the supervisor must have chosen by hand for ``text`` to have these ``people``."""
    found = people_in_text(text, case)
    return HandChoices(tuple(p for p in people if p not in found),
                       frozenset(p for p in found if p not in people))


def follow_rewording(old_text: str, old_people: list[str], new_text: str, case: Case) -> list[str]:
    """The people involved after rewording: the new words' people, with the hand edits kept.

    Whoever the supervisor added by hand stays; whoever they took out stays out;
    everyone else follows the words.

    >>> from systemic.cases import Person
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="jo", name="Jo"), Person(id="kim", name="Kim"), Person(id="al", name="Al")])
    >>> follow_rewording("Jo and Kim argue.", ["jo", "al"], "Kim and Jo argue less.", case)
    ['jo', 'al']
    >>> follow_rewording("Jo and Kim argue.", ["jo", "kim"], "Perhaps only Kim worries.", case)
    ['kim']
    """
    return hand_choices(old_text, old_people, case).apply(new_text, case)
