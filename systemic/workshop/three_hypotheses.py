"""Exercise (d): write three hypotheses with the coach, on a training case.

Each hypothesis goes through :func:`systemic.hypotheses.coach`, with the case (so the
coach can say who is left out) and the others written so far. One counts once the coach
has no gentle invitation left on the rules named in ``must_be_quiet`` (blame on one
person, one cause leading to one effect, certainty); its other remarks are shown as
ideas to consider. The exercise is done when ``needed`` (three) count. The coach's own
count of ideas is left out (``counted_by_the_exercise``): the exercise shows one counter.

>>> exercise = ThreeHypotheses.for_case("blended_family")
>>> exercise.add("Maya is upset because her dad is clearly manipulative.").passed
False
>>> attempt = exercise.add("I wonder whether, when the adults argue at handover, Maya "
...     "tries to keep the peace between her mum and her dad.")
>>> attempt.passed, exercise.progress()
(True, '1 of 3 hypotheses are ready (2 written so far).')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from systemic.cases import Case
from systemic.errors import WorkbookError
from systemic.graces import fill_blanks
from systemic.hypotheses import Feedback, coach
from systemic.workshop.data import HypothesesWording, load_wording, training_case

__all__ = ["Attempt", "review", "ThreeHypotheses"]


@dataclass(frozen=True)
class Attempt:
    """One hypothesis and what the coach said about it.

    ``blocking`` are the gentle invitations on the rules that must be quiet; the
    hypothesis counts (``passed``) when there are none. ``feedback`` is everything the
    coach said, encouragement included.
    """

    text: str
    feedback: tuple[Feedback, ...]
    blocking: tuple[Feedback, ...]
    message: str

    @property
    def passed(self) -> bool:
        return not self.blocking


def review(
    text: str,
    case: Case | None = None,
    others: list[str] | None = None,
    wording: HypothesesWording | None = None,
) -> Attempt:
    """The coach's remarks on one hypothesis, and whether it counts for the exercise."""
    words = wording or load_wording().three_hypotheses
    feedback = tuple(f for f in coach(text, case=case, all_hypotheses=others or [])
                     if f.rule_id not in words.counted_by_the_exercise)
    blocking = tuple(
        f for f in feedback
        if f.severity == "gentle" and not f.positive and f.rule_id in words.must_be_quiet
    )
    if blocking:
        message = fill_blanks(words.not_yet, remarks=" ".join(f.message for f in blocking))
    else:
        message = words.passed
    return Attempt(text, feedback, blocking, message)


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass
class ThreeHypotheses:
    """The hypotheses written so far on one case; each is reviewed again as others change."""

    case: Case | None = None
    texts: list[str] = field(default_factory=list)

    @classmethod
    def for_case(cls, case_id: str) -> ThreeHypotheses:
        """The exercise on a fictional training case from ``case_templates/``."""
        return cls(training_case(case_id))

    def _check_new(self, text: str, index: int | None = None) -> str:
        words = load_wording().three_hypotheses
        cleaned = (text or "").strip()
        if not cleaned:
            raise WorkbookError(words.empty)
        for i, other in enumerate(self.texts):
            if i != index and _same(other, cleaned):
                raise WorkbookError(fill_blanks(words.same_as, number=str(i + 1)))
        return cleaned

    def add(self, text: str) -> Attempt:
        """Write a new hypothesis and return the coach's review of it.

        Raises
        ------
        WorkbookError
            When it is empty or the same as one already written.
        """
        self.texts.append(self._check_new(text))
        return self.attempts()[-1]

    def _number(self, number: int) -> int:
        if not 1 <= number <= len(self.texts):
            raise WorkbookError(fill_blanks(load_wording().three_hypotheses.no_such,
                                            number=str(number)))
        return number - 1

    def revise(self, number: int, text: str) -> Attempt:
        """Reword hypothesis ``number`` (counting from 1) and return its new review."""
        index = self._number(number)
        self.texts[index] = self._check_new(text, index)
        return self.attempts()[index]

    def remove(self, number: int) -> None:
        """Take hypothesis ``number`` (counting from 1) away."""
        del self.texts[self._number(number)]

    def attempts(self) -> list[Attempt]:
        """Every hypothesis with its review, each seen beside the others."""
        return [review(t, self.case, self.texts[:i] + self.texts[i + 1:])
                for i, t in enumerate(self.texts)]

    def passed(self) -> int:
        return sum(a.passed for a in self.attempts())

    @property
    def done(self) -> bool:
        return self.passed() >= load_wording().three_hypotheses.needed

    def progress(self) -> str:
        words = load_wording().three_hypotheses
        if self.done:
            return words.done
        return fill_blanks(words.progress, passed=str(self.passed()), needed=str(words.needed),
                           written=str(len(self.texts)))

    def reset(self) -> None:
        """Start again with no hypotheses."""
        self.texts = []
