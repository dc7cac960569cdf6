"""The check-in round: each person speaks once, in turn, and may pass.

Check-ins move people from "out there" into the meeting (DOMAIN.md §8.1).
They are personal: they are kept as session-wide records (never under a
case), left out of every export, and deleted when the session ends unless
the supervisor asks to keep them (:meth:`systemic.store.Store.end_session`).

>>> round_ = CheckInRound(["Sam", "Priya", "Ade"])
>>> round_.next_speaker()
'Sam'
>>> round_ = round_.answer("Sam", "Tired but glad to be here")
>>> round_ = round_.pass_turn("Priya")
>>> round_.next_speaker(), round_.passed()
('Ade', ['Priya'])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pydantic import BaseModel, ConfigDict, Field

from systemic import records
from systemic.store import Store

__all__ = ["CheckInEntry", "CheckInRound", "save_entry", "load_entries", "ending_words",
           "KIND"]

KIND = "checkin"


class CheckInEntry(BaseModel):
    """One person's turn: what they said, or that they passed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    name: str = Field(min_length=1, max_length=40)
    text: str = Field(default="", max_length=2000)
    passed: bool = False
    question: str = Field(default="", max_length=400)


@dataclass(frozen=True)
class CheckInRound:
    """Whose turn it is, in the order the group sits; everyone speaks once or passes."""

    order: tuple[str, ...]
    entries: tuple[CheckInEntry, ...] = field(default=())

    def __init__(self, order: list[str] | tuple[str, ...], entries: tuple[CheckInEntry, ...] = ()):
        object.__setattr__(self, "order", tuple(order))
        object.__setattr__(self, "entries", tuple(entries))

    def spoken(self) -> list[str]:
        return [e.name for e in self.entries]

    def passed(self) -> list[str]:
        return [e.name for e in self.entries if e.passed]

    def next_speaker(self) -> str | None:
        """The next person in turn order who has not yet spoken; ``None`` when all have."""
        done = set(self.spoken())
        return next((name for name in self.order if name not in done), None)

    def _take_turn(self, entry: CheckInEntry) -> CheckInRound:
        expected = self.next_speaker()
        if expected is None:
            raise ValueError("everyone has checked in — the round is complete")
        if entry.name != expected:
            raise ValueError(
                f"it is {expected}'s turn; {entry.name} can speak when their turn comes"
            )
        return replace(self, entries=(*self.entries, entry))

    def answer(self, name: str, text: str, question: str = "") -> CheckInRound:
        if not text.strip():
            raise ValueError("nothing was written — type a few words, or pass")
        return self._take_turn(CheckInEntry(name=name, text=text.strip(), question=question))

    def pass_turn(self, name: str) -> CheckInRound:
        """Passing is always allowed and needs no reason."""
        return self._take_turn(CheckInEntry(name=name, passed=True))

    @property
    def complete(self) -> bool:
        return self.next_speaker() is None


def save_entry(store: Store, session_id: str, entry: CheckInEntry) -> CheckInEntry:
    """Keep a turn under the session (not the case), so no case export can include it."""
    return records.save(store, session_id, KIND, entry)


def load_entries(store: Store, session_id: str) -> list[CheckInEntry]:
    return records.load(store, session_id, KIND, CheckInEntry)


def ending_words(entries: list[CheckInEntry], kept: bool) -> str:
    """What happened to the check-in at the end of the session, counted plainly.

    A pass is not an answer: "3 answers deleted; 2 people passed", not "5 answers".

    >>> entries = [CheckInEntry(name=n, text="ok") for n in ("Sam", "Ade", "Jo")] + [
    ...     CheckInEntry(name=n, passed=True) for n in ("Priya", "Tom")]
    >>> ending_words(entries, kept=False)
    'Check-in: 3 answers deleted; 2 people passed.'
    >>> ending_words(entries[:1], kept=True)
    'Check-in: 1 answer kept with the session, as you asked.'
    >>> ending_words([], kept=False)
    'Check-in: nobody answered, so there was nothing to delete.'
    """
    answers = sum(not e.passed for e in entries)
    passes = sum(e.passed for e in entries)
    said = f"{answers} {'answer' if answers == 1 else 'answers'}"
    if kept:
        said += " kept with the session, as you asked"
    elif answers:
        said += " deleted"
    else:
        said = "nobody answered, so there was nothing to delete"
    if passes:
        said += f"; {passes} {'person' if passes == 1 else 'people'} passed"
    return f"Check-in: {said}."
