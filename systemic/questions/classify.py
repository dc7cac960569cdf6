"""Which of Tomm's four types a typed question most likely is, and why, in plain words.

For the workshop exercise "make this lineal question circular": a participant types a
question, and the workbook says whether it reads as lineal, circular, reflexive or
strategic, which words gave it away, and how to turn it towards circular. The cues and
their weights are data (``classifier.yaml``); each cue carries the sentence that
explains it. Nothing is learned from a download: the weights were set by hand against
the labelled questions in ``labelled_questions.yaml``, and the tests hold the accuracy
above a threshold.

>>> c = classify("Don't you think the children are affected by the drinking?")
>>> c.type
'strategic'
>>> classify("If I asked your brother, what would he say worries you most?").type
'circular'
>>> print(classify("When did the drinking start?").reasons[0])
it asks when something happened
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from systemic.datafile import parse_model, read_yaml
from systemic.questions.bank import TOMM_TYPES

__all__ = [
    "RULES_PATH",
    "LABELLED_PATH",
    "Classification",
    "Rules",
    "LabelledQuestion",
    "classify",
    "load_rules",
    "load_labelled",
    "accuracy",
]

RULES_PATH = Path(__file__).with_name("classifier.yaml")
LABELLED_PATH = Path(__file__).with_name("labelled_questions.yaml")

Tomm = Literal[TOMM_TYPES]  # type: ignore[valid-type]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TypeText(_Model):
    label: str
    meaning: str
    tip: str


class Cue(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    pattern: str
    weights: dict[Tomm, float]
    reason: Annotated[str, Field(min_length=1, max_length=200)]
    at_least: Annotated[int, Field(ge=1, le=10)] = Field(
        default=1, description="How many times the pattern must occur (e.g. two people named)"
    )

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as e:
            raise ValueError(f"is not a valid pattern ({e}) — check brackets and escapes") from None
        return pattern


class Rules(_Model):
    """The whole ``classifier.yaml``."""

    source: str
    version: int = 1
    types: dict[Tomm, TypeText]
    start: dict[Tomm, float]
    cues: list[Cue]


class LabelledQuestion(_Model):
    text: Annotated[str, Field(min_length=3)]
    type: Tomm
    set: Literal["dev", "held_out"] = "dev"


class _Labelled(_Model):
    source: str
    questions: list[LabelledQuestion]


@dataclass(frozen=True)
class Classification:
    """The verdict on one question.

    ``type`` is the most likely of Tomm's four types; ``confidence`` its share of the
    evidence (0–1, a softmax of the scores); ``scores`` every type's score; ``reasons``
    the plain-words reasons of the cues that pointed to ``type``; ``tip`` how to move
    the question towards circular (or on to reflexive).
    """

    type: str
    confidence: float
    scores: dict[str, float]
    reasons: tuple[str, ...]
    tip: str

    @property
    def why(self) -> str:
        """One or two sentences a participant can read."""
        if not self.reasons:
            return (f"Most likely {self.type}: nothing in it points to relationships, "
                    "other people's views or new possibilities, so it reads as a request "
                    "for information.")
        return f"Most likely {self.type}: " + "; ".join(self.reasons) + "."


@cache
def _load_rules(path: str) -> tuple[Rules, tuple[tuple[Cue, re.Pattern[str]], ...]]:
    rules = parse_model(Rules, read_yaml(path), path)
    return rules, tuple((c, re.compile(c.pattern)) for c in rules.cues)


def load_rules(path: str | Path | None = None) -> Rules:
    """Read and check ``classifier.yaml`` (or another rules file)."""
    return _load_rules(str(path or RULES_PATH))[0]


def load_labelled(path: str | Path | None = None) -> list[LabelledQuestion]:
    """The labelled questions the classifier is measured on."""
    p = str(path or LABELLED_PATH)
    return parse_model(_Labelled, read_yaml(p), p).questions


_FAMILY_WORDS = {"mum", "dad", "nan", "nana", "gran", "granny", "grandad", "grandma",
                 "grandpa", "aunt", "auntie", "uncle", "i"}


def _normal(text: str) -> str:
    """Lower case, straight quotes, and every name in mid-sentence written as ``name``,
    so that cues can count the people a question brings in without knowing their names.

    >>> _normal("When Kayla stays out, what does Mum do?")
    'when name stays out, what does mum do?'
    """
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = " ".join(text.split()).strip().lstrip("\"'").strip()

    def named(m: re.Match[str]) -> str:
        word = m.group(2)
        return m.group(1) + (word if word.lower() in _FAMILY_WORDS else "name")

    text = re.sub(r"(?<=[\w,;] )()([A-Z][a-z]+)(?='s\b|\b)", named, text)
    return text.lower()


def classify(text: str, *, rules_path: str | Path | None = None) -> Classification:
    """Say which of Tomm's four types ``text`` most likely is, and why.

    Parameters
    ----------
    text : str
        A question as someone typed it.
    rules_path : path, optional
        Another rules file (the packaged ``classifier.yaml`` by default).

    Returns
    -------
    Classification
    """
    rules, compiled = _load_rules(str(rules_path or RULES_PATH))
    words = _normal(text)
    scores = {t: rules.start.get(t, 0.0) for t in TOMM_TYPES}
    evidence: dict[str, list[tuple[float, str]]] = {t: [] for t in TOMM_TYPES}
    for cue, pattern in compiled:
        if (len(pattern.findall(words)) >= cue.at_least if cue.at_least > 1
                else pattern.search(words)):
            for t, w in cue.weights.items():
                scores[t] += w
                if w > 0:
                    evidence[t].append((w, cue.reason))
    best = max(TOMM_TYPES, key=lambda t: (scores[t], -TOMM_TYPES.index(t)))
    top = max(scores.values())
    total = sum(math.exp(s - top) for s in scores.values())
    confidence = round(math.exp(scores[best] - top) / total, 3)
    reasons = tuple(r for _, r in sorted(evidence[best], key=lambda x: -x[0])[:2])
    return Classification(
        type=best,
        confidence=confidence,
        scores={t: round(s, 3) for t, s in scores.items()},
        reasons=reasons,
        tip=" ".join(rules.types[best].tip.split()),
    )


def accuracy(
    labelled: list[LabelledQuestion] | None = None, *, subset: str | None = None
) -> tuple[float, dict[str, dict[str, int]], list[tuple[LabelledQuestion, str]]]:
    """The share of labelled questions classified right, the confusion table
    (``table[true][predicted]``) and the misses.

    >>> share, table, misses = accuracy(subset="dev")
    >>> share > 0.8
    True
    """
    questions = labelled if labelled is not None else load_labelled()
    if subset is not None:
        questions = [q for q in questions if q.set == subset]
    table: dict[str, dict[str, int]] = {t: dict.fromkeys(TOMM_TYPES, 0) for t in TOMM_TYPES}
    misses: list[tuple[LabelledQuestion, str]] = []
    for q in questions:
        got = classify(q.text).type
        table[q.type][got] += 1
        if got != q.type:
            misses.append((q, got))
    share = 1 - len(misses) / len(questions) if questions else 0.0
    return share, table, misses


def _summary(data: Any = None) -> str:  # pragma: no cover - for a person at a terminal
    share, table, misses = accuracy(subset=data)
    lines = [f"accuracy {share:.1%}"]
    lines += [f"  {t:9} " + " ".join(f"{table[t][p]:3}" for p in TOMM_TYPES) for t in TOMM_TYPES]
    lines += [f"  MISS {q.type:9} -> {got:9} {q.text}" for q, got in misses]
    return "\n".join(lines)
