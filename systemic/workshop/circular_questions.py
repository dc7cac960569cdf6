"""Exercise (b): turn lineal questions into circular ones, with feedback by Tomm's type.

Each lineal question (``lineal_questions.yaml``) is about a training case. A participant
writes a circular version; :func:`check_rewrite` asks the classifier in
:mod:`systemic.questions.classify` which of Tomm's four types it reads as, and says so
with the classifier's own reasons and its tip for moving towards circular. Circular
and reflexive versions count (``passing_types`` in ``wording.yaml``).

>>> feedback = check_rewrite("Why is Maya crying on Monday mornings?",
...     "When Maya is tearful on a Monday, who notices first, and what do they do?")
>>> feedback.type, feedback.passed
('circular', True)
>>> check_rewrite("Why is Maya crying?", "Why is Maya crying?").passed
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from systemic.graces import fill_blanks
from systemic.questions.classify import classify
from systemic.workshop.data import (
    CircularWording,
    LinealQuestion,
    load_lineal_questions,
    load_wording,
)

__all__ = ["Rewrite", "check_rewrite", "CircularQuestionsExercise"]


@dataclass(frozen=True)
class Rewrite:
    """The check of one rewritten question.

    ``type`` is the classifier's verdict (``None`` when there was nothing new to
    classify); ``message`` says it in plain words, with the reasons and a tip.
    """

    text: str
    type: str | None
    passed: bool
    message: str
    confidence: float = 0.0


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.replace("\u2019", "'").casefold()).split())


def check_rewrite(
    original: str, rewritten: str, wording: CircularWording | None = None
) -> Rewrite:
    """Say which of Tomm's types a rewritten question reads as, and whether it counts.

    An empty answer, or the question unchanged, is not classified: the message says
    what to try instead.
    """
    words = wording or load_wording().circular_questions
    text = (rewritten or "").strip()
    if not text:
        return Rewrite(text, None, False, words.empty)
    if _plain(text) == _plain(original):
        return Rewrite(text, None, False, words.unchanged)
    verdict = classify(text)
    why = "; ".join(verdict.reasons) if verdict.reasons else words.no_reason
    message = fill_blanks(words.verdicts[verdict.type], why=why, tip=verdict.tip)
    return Rewrite(text, verdict.type, verdict.type in words.passing_types, message,
                   verdict.confidence)


@dataclass
class CircularQuestionsExercise:
    """A set of lineal questions and each participant attempt at making them circular.

    >>> exercise = CircularQuestionsExercise.for_case("kinship_care")
    >>> exercise.attempt(0, "Why does Jada leave her lunch?").passed
    False
    >>> exercise.progress()
    '0 of 3 questions have a circular version.'
    """

    questions: list[LinealQuestion]
    attempts: dict[int, list[Rewrite]] = field(default_factory=dict)

    @classmethod
    def for_case(cls, case: str | None = None) -> CircularQuestionsExercise:
        """The exercise on the lineal questions about one training case (or all of them)."""
        return cls(load_lineal_questions(case))

    def attempt(self, index: int, rewritten: str) -> Rewrite:
        """Check a rewrite of question ``index`` and keep it.

        Raises
        ------
        IndexError
            When there is no such question.
        """
        if not 0 <= index < len(self.questions):
            raise IndexError(f"there is no question {index + 1} — choose 1 to "
                             f"{len(self.questions)}")
        result = check_rewrite(self.questions[index].text, rewritten)
        self.attempts.setdefault(index, []).append(result)
        return result

    def solved(self, index: int) -> bool:
        return any(a.passed for a in self.attempts.get(index, []))

    @property
    def done(self) -> bool:
        return all(self.solved(i) for i in range(len(self.questions)))

    def progress(self) -> str:
        words = load_wording().circular_questions
        if self.done:
            return words.done
        solved = sum(self.solved(i) for i in range(len(self.questions)))
        return fill_blanks(words.progress, done=str(solved), total=str(len(self.questions)))

    def reset(self) -> None:
        """Forget every attempt; the questions stay."""
        self.attempts = {}
