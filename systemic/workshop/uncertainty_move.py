"""Exercise (e): place a case on the safe-uncertainty grid and argue for a move.

Participants place people of a training case (the family, the worker, the network) on
Mason's grid, as :class:`~systemic.uncertainty.Placement` records, then argue for a move
from where someone is now to where they hope that person could be. A move needs a
reason of a few words (``min_reason_words`` in ``wording.yaml``); the grid is always
shown with its caveat (:func:`systemic.uncertainty.caveat`): a reflective lens, not a
risk assessment. Nothing is saved: the exercise is held in memory and can be reset.

>>> exercise = UncertaintyMove.for_case("blended_family")
>>> _ = exercise.place("worker", "unsafe_uncertainty")
>>> exercise.argue("worker", "safe_uncertainty", "").ok
False
>>> move = exercise.argue("worker", "safe_uncertainty", "a plan agreed with both parents")
>>> move.ok, exercise.done
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from systemic.cases import Case
from systemic.errors import WorkbookError
from systemic.graces import fill_blanks
from systemic.uncertainty import (
    QUADRANTS,
    Choice,
    Placement,
    caveat,
    load_uncertainty,
    placement_choices,
)
from systemic.workshop.data import MoveWording, load_wording, training_case

__all__ = ["Move", "check_move", "UncertaintyMove"]


@dataclass(frozen=True)
class Move:
    """A move argued for: from where, to where, why, and what the check says."""

    who: str
    before: str | None
    after: str
    reason: str
    ok: bool
    message: str


def _position(quadrant: str) -> str:
    return load_uncertainty().position(quadrant).label.lower()


def check_move(
    label: str,
    now: str | None,
    hoped: str,
    reason: str,
    who: str = "",
    wording: MoveWording | None = None,
) -> Move:
    """Check an argued move of someone placed in ``now`` to ``hoped``.

    It needs a place now, a different place hoped for, and a reason of at least
    ``min_reason_words`` words.
    """
    words = wording or load_wording().uncertainty_move
    if hoped not in QUADRANTS:
        raise WorkbookError(fill_blanks(words.unknown_position, position=str(hoped)))
    why = " ".join((reason or "").split())

    def move(ok: bool, message: str) -> Move:
        return Move(who or label, now, hoped, why, ok, message)

    if now is None:
        return move(False, fill_blanks(words.not_placed, label=label))
    if hoped == now:
        return move(False, fill_blanks(words.same_place, label=label, position=_position(now)))
    if not why:
        return move(False, fill_blanks(words.no_reason, label=label))
    if len(why.split()) < words.min_reason_words:
        return move(False, fill_blanks(words.short_reason, minimum=str(words.min_reason_words)))
    return move(True, fill_blanks(words.argued, label=label, before=_position(now),
                                  after=_position(hoped), reason=why))


@dataclass
class UncertaintyMove:
    """Placements of one training case and the moves argued for them."""

    case: Case
    placements: dict[str, Placement] = field(default_factory=dict)
    moves: dict[str, Move] = field(default_factory=dict)

    @classmethod
    def for_case(cls, case_id: str) -> UncertaintyMove:
        return cls(training_case(case_id))

    @property
    def caveat(self) -> str:
        """The sentence the grid is always shown with."""
        return caveat().text

    def choices(self) -> list[Choice]:
        """Everyone who can be placed: the family, the worker and the network."""
        return placement_choices(self.case)

    def _choice(self, who: str) -> Choice:
        for choice in self.choices():
            if choice.who == who:
                return choice
        raise WorkbookError(fill_blanks(load_wording().uncertainty_move.unknown_person,
                                        who=str(who)))

    def place(self, who: str, now: str) -> Placement:
        """Place someone on the grid (again, if they were placed before)."""
        choice = self._choice(who)
        if now not in QUADRANTS:
            raise WorkbookError(fill_blanks(load_wording().uncertainty_move.unknown_position,
                                            position=str(now)))
        placement = Placement(who=who, label=choice.label, now=now)
        self.placements[who] = placement
        argued = self.moves.get(who)
        if argued is not None and argued.before != now:
            del self.moves[who]  # the argument was about another starting place
        return placement

    def argue(self, who: str, hoped: str, reason: str) -> Move:
        """Argue for moving ``who`` to ``hoped``; kept when the check accepts it."""
        choice = self._choice(who)
        placed = self.placements.get(who)
        move = check_move(choice.label, placed.now if placed else None, hoped, reason, who)
        if move.ok and placed is not None:
            self.placements[who] = placed.model_copy(update={"hoped": hoped, "note": move.reason})
            self.moves[who] = move
        return move

    @property
    def done(self) -> bool:
        return bool(self.moves)

    def progress(self) -> str:
        words = load_wording().uncertainty_move
        if self.done and len(self.moves) == len(self.placements):
            return words.done
        return fill_blanks(words.progress, argued=str(len(self.moves)),
                           placed=str(len(self.placements)))

    def reset(self) -> None:
        """Take everyone off the grid."""
        self.placements = {}
        self.moves = {}
