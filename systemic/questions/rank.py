"""Choosing among generated questions: filters, a balance across types, "more like this".

A list of the best-scoring questions would be mostly of one kind, and supervisors
warn that workers fall back on lineal questions. :func:`choose` therefore opens with a
circular or reflexive question and keeps two in three of the list circular or
reflexive, giving the other places to the other kinds in turn (lineal,
solution-focused, Signs of Safety, graces), each time the best not yet shown,
preferring other people, another template and another audience. Strategic questions,
which Tomm calls impositional, come only in the second half and are capped unless
asked for by name.

>>> from systemic.questions.generate import Question
>>> qs = [Question("lineal", "fact", "family", f"Lineal {i}?", (), f"L{i}", score=2.0)
...       for i in range(5)] + [Question("circular", "triadic", "family", "Circular?", (),
...       "C1", score=1.0)]
>>> [q.type for q in choose(qs, limit=3)]
['circular', 'lineal', 'lineal']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from systemic.questions.generate import Question

__all__ = ["choose", "matches", "more_like", "STRATEGIC_SHARE", "DEFAULT_LIMIT", "CORE",
           "CORE_SHARE"]

#: At most this share of a balanced choice is strategic (at least one when any qualify).
STRATEGIC_SHARE = 0.1
#: How many questions the first screen shows.
DEFAULT_LIMIT = 12
#: Tomm's exploring and inviting kinds: at least this share of a balanced choice.
CORE = ("circular", "reflexive")
CORE_SHARE = 2 / 3


def matches(
    q: Question,
    *,
    types: Iterable[str] | None = None,
    tomm: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
    person: str | None = None,
    relationship: tuple[str, str] | None = None,
    hypothesis: str | None = None,
) -> bool:
    """Whether ``q`` passes every filter given.

    ``types`` are the bank's types (``circular``, ``solution_focused``…), ``tomm`` Tomm's
    four types, ``person`` an id the question names, ``relationship`` two ids it names
    together, ``hypothesis`` the id of the hypothesis it tests.
    """
    if types is not None and q.type not in set(types):
        return False
    if tomm is not None and q.tomm not in set(tomm):
        return False
    if audiences is not None and q.audience not in set(audiences):
        return False
    if person is not None and person not in q.people:
        return False
    if relationship is not None and not set(relationship) <= set(q.people):
        return False
    return hypothesis is None or q.hypothesis_id == hypothesis


def _diverse(questions: Sequence[Question]) -> list[Question]:
    """Best first, but one question per template before any template's second."""
    ordered = sorted(questions, key=lambda q: -q.score)
    seen: set[str] = set()
    first, rest = [], []
    for q in ordered:
        (rest if q.template in seen else first).append(q)
        seen.add(q.template)
    return first + rest


def choose(
    questions: Sequence[Question],
    *,
    limit: int = DEFAULT_LIMIT,
    balance: bool = True,
    types: Iterable[str] | None = None,
    tomm: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
    person: str | None = None,
    relationship: tuple[str, str] | None = None,
    hypothesis: str | None = None,
) -> list[Question]:
    """The questions to show: filtered, then balanced (by default).

    A balanced choice opens with a circular or reflexive question and keeps at least
    :data:`CORE_SHARE` of the list circular or reflexive (while there are any), taking
    circular and reflexive in turn; the other places go to the other kinds in turn
    (lineal, solution-focused, Signs of Safety, graces), best first, preferring other
    people and another template. Strategic questions, which Tomm calls impositional,
    come only in the second half of a list and are capped unless asked for by name.

    Parameters
    ----------
    questions : sequence of Question
        Usually everything :func:`~systemic.questions.generate.generate` made.
    limit : int
        How many to return (the first screen shows :data:`DEFAULT_LIMIT`).
    balance : bool
        Balance as above (default) rather than simply the highest scores.
    types, tomm, audiences, person, relationship, hypothesis
        Filters; see :func:`matches`.
    """
    pool = [
        q for q in questions
        if matches(q, types=types, tomm=tomm, audiences=audiences, person=person,
                   relationship=relationship, hypothesis=hypothesis)
    ]
    if limit <= 0:
        return []
    if not balance:
        return _diverse(pool)[:limit]
    strategic_asked = types is not None and "strategic" in set(types)
    cap = len(pool) if strategic_asked else max(1, int(limit * STRATEGIC_SHARE))
    groups: dict[str, list[Question]] = {}
    for q in pool:
        groups.setdefault(q.type, []).append(q)
    out: list[Question] = []
    seen = _Seen()
    while len(out) < limit and any(groups.values()):
        core_now = sum(q.type in CORE for q in out)
        want_core = core_now < math.ceil(CORE_SHARE * (len(out) + 1) - 1e-9)
        kinds = _next_kinds(groups, out, want_core, cap, strategic_asked, limit)
        if not kinds:
            break
        best = {t: max(groups[t], key=seen.adjusted) for t in kinds}
        # The kind picked least so far, then the best question among them.
        taken = {t: sum(q.type == t for q in out) for t in kinds}
        t = min(kinds, key=lambda k: (taken[k], -seen.adjusted(best[k])))
        q = best[t]
        groups[t].remove(q)
        seen.add(q)
        out.append(q)
    return out


def _next_kinds(groups: dict[str, list[Question]], out: list[Question], want_core: bool,
                cap: int, strategic_asked: bool, limit: int) -> list[str]:
    """The kinds the next place may go to: circular or reflexive when the share asks for
    one; never lineal first; strategic only in the second half and under its cap."""
    left = [t for t, qs in groups.items() if qs]
    core = [t for t in left if t in CORE]
    strategic_ok = strategic_asked or (
        sum(q.type == "strategic" for q in out) < cap and len(out) >= limit // 2)
    others = [t for t in left if t not in CORE and (t != "strategic" or strategic_ok)]
    if not out:
        others = [t for t in others if t not in ("lineal", "strategic")] or others
    if want_core and core:
        return core
    return others or core or [t for t in left if t == "strategic" and strategic_ok]


class _Seen:
    """What has been chosen so far, so the next choice can differ: other people, another
    template, another audience. The penalties are small against the scores' spread."""

    PEOPLE = 0.2
    TEMPLATE = 0.8
    AUDIENCE = 0.02

    def __init__(self) -> None:
        self.people: dict[frozenset[str], int] = {}
        self.templates: dict[str, int] = {}
        self.audiences: dict[str, int] = {}

    def adjusted(self, q: Question) -> float:
        group = frozenset(q.people)
        return (q.score - self.PEOPLE * self.people.get(group, 0)
                - self.TEMPLATE * self.templates.get(q.template, 0)
                - self.AUDIENCE * self.audiences.get(q.audience, 0))

    def add(self, q: Question) -> None:
        group = frozenset(q.people)
        self.people[group] = self.people.get(group, 0) + 1
        self.templates[q.template] = self.templates.get(q.template, 0) + 1
        self.audiences[q.audience] = self.audiences.get(q.audience, 0) + 1


def more_like(question: Question, questions: Sequence[Question], limit: int = 5
              ) -> list[Question]:
    """Questions close to ``question``: the same subtype or type, the same people, the
    same hypothesis; never the question itself.

    >>> from systemic.questions.generate import Question
    >>> a = Question("circular", "triadic", "family", "A?", ("mum", "dad"), "C12")
    >>> b = Question("circular", "triadic", "family", "B?", ("mum", "dad", "nan"), "C12")
    >>> c = Question("lineal", "fact", "family", "C?", ("kay",), "L1")
    >>> [q.text for q in more_like(a, [a, b, c])]
    ['B?']
    """

    def likeness(q: Question) -> float:
        score = 0.0
        if q.subtype == question.subtype:
            score += 3.0
        if q.type == question.type:
            score += 1.5
        elif q.tomm == question.tomm and q.tomm:
            score += 0.75
        score += len(set(q.people) & set(question.people))
        if question.hypothesis_id and q.hypothesis_id == question.hypothesis_id:
            score += 2.0
        if q.audience == question.audience:
            score += 0.5
        return score

    others = [
        q for q in questions
        if not (q.text == question.text and q.audience == question.audience)
    ]
    ranked = sorted(others, key=lambda q: (-likeness(q), -q.score))
    return [q for q in ranked if likeness(q) >= 3.0][:limit]
