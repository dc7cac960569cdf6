"""Exercise (f): the circularity exercise of the Camden Social Work Charter, with its check.

"One person starts giving their thoughts and hypothesis … the following person has to
follow on with their own views … linking what they are saying to the previous
participants." The round itself is :class:`systemic.hypotheses.CircularityRound` (turns,
passes, joining, closing). The check looks at each idea after the first and says
whether it shows its link to the idea before: it names the previous speaker, uses a
linking phrase ("building on", "that makes me think"…), or shares a couple of words
with that idea (all in ``wording.yaml``). It is a prompt to listen, not a mark: a link
can be real without any of these signs.

>>> exercise = CircularityExercise(["Sam", "Jo", "Priya"])
>>> _ = exercise.round.add("Sam", "I wonder whether Nan holds the family together.")
>>> _ = exercise.round.add("Jo", "Building on that, perhaps Nan is tired of holding it.")
>>> _ = exercise.round.pass_turn("Priya")
>>> [link.message for link in exercise.links()]
['Sam started the round.', "Jo built on Sam's idea.", 'Priya passed.']
>>> exercise.summary()
'Ideas so far: 2, from 2 of the group. Linked to the idea before: 1 of 1. Passes: 1.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from systemic.graces import fill_blanks
from systemic.hypotheses import CircularityRound, Contribution
from systemic.workshop.data import CircularityWording, load_wording

__all__ = ["Link", "links_to_previous", "CircularityExercise"]

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class Link:
    """What the check says about one turn: whether it linked to the idea before."""

    who: str
    previous: str | None
    passed: bool
    linked: bool | None
    message: str


def _words(text: str, common: set[str]) -> set[str]:
    return {w for w in (m.group().casefold() for m in _WORD.finditer(text))
            if len(w) >= 4 and w not in common}


def links_to_previous(
    contribution: Contribution,
    previous: Contribution,
    wording: CircularityWording | None = None,
) -> bool:
    """True when an idea shows a link to the one before it.

    >>> links_to_previous(Contribution("Jo", "Like Sam said, the school matters."),
    ...                   Contribution("Sam", "The school is a safe place."))
    True
    """
    words = wording or load_wording().circularity
    text = " ".join(contribution.text.replace("\u2019", "'").split())
    if re.search(rf"(?<!\w){re.escape(previous.who)}(?!\w)", text, re.IGNORECASE):
        return True
    folded = text.casefold()
    for phrase in words.linking_phrases:
        if re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", folded):
            return True
    common = {w.casefold() for w in words.common_words}
    shared = _words(text, common) & _words(previous.text, common)
    return len(shared) >= words.min_shared_words


@dataclass
class CircularityExercise:
    """A circularity round for the group, with its check; reset starts a fresh round."""

    participants: list[str]
    topic: str = ""
    round: CircularityRound = field(init=False)

    def __post_init__(self) -> None:
        self.round = CircularityRound(participants=list(self.participants))
        self.participants = list(self.round.participants)

    def links(self) -> list[Link]:
        """Every turn so far, with what the check says about it."""
        words = load_wording().circularity
        out: list[Link] = []
        for i, c in enumerate(self.round.contributions):
            if c.passed:
                out.append(Link(c.who, None, True, None, fill_blanks(words.passed, who=c.who)))
                continue
            before = self.round.builds_on(i)
            if before is None:
                out.append(Link(c.who, None, False, None, fill_blanks(words.first, who=c.who)))
                continue
            linked = links_to_previous(c, before, words)
            message = words.linked if linked else words.not_linked
            out.append(Link(c.who, before.who, False, linked,
                            fill_blanks(message, who=c.who, previous=before.who)))
        return out

    def not_heard(self) -> list[str]:
        """Who has not had a turn yet (speaking or passing)."""
        had = {c.who for c in self.round.contributions}
        return [p for p in self.round.participants if p not in had]

    def summary(self) -> str:
        """The round in one sentence: ideas, speakers, links and passes."""
        words = load_wording().circularity
        links = self.links()
        ideas = [x for x in links if not x.passed]
        linkable = [x for x in ideas if x.linked is not None]
        return fill_blanks(
            words.summary, ideas=str(len(ideas)), speakers=str(len({x.who for x in ideas})),
            linked=str(sum(bool(x.linked) for x in linkable)), linkable=str(len(linkable)),
            passes=str(sum(x.passed for x in links)))

    @property
    def done(self) -> bool:
        """The round is closed and everyone has had a turn."""
        return self.round.closed and not self.not_heard()

    def progress(self) -> str:
        words = load_wording().circularity
        if self.done:
            return words.done
        missing = self.not_heard()
        if missing:
            return fill_blanks(words.not_heard, names=", ".join(missing))
        return self.summary()

    def reset(self) -> None:
        """A fresh round with the same people (including anyone who joined)."""
        self.round = CircularityRound(participants=list(self.round.participants))
