"""Choosing among generated questions: filters, a balance across types, "more like this".

A list of the best-scoring questions would be mostly of one kind, and supervisors
warn that workers fall back on lineal questions. :func:`choose` therefore takes the
questions in rounds, one from each type at a time (circular, reflexive, lineal,
solution-focused, Signs of Safety, graces), each time the best of that type not yet
shown, preferring other people, another template and another audience than those
already chosen. Strategic questions, which Tomm calls
impositional, come last in a round, not before the third round, and are capped
unless asked for by name.

>>> from systemic.questions.generate import Question
>>> qs = [Question("lineal", "fact", "family", f"Lineal {i}?", (), f"L{i}", score=2.0)
...       for i in range(5)] + [Question("circular", "triadic", "family", "Circular?", (),
...       "C1", score=1.0)]
>>> [q.type for q in choose(qs, limit=3)]
['lineal', 'circular', 'lineal']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from systemic.questions.generate import Question

__all__ = ["choose", "matches", "more_like", "STRATEGIC_SHARE"]

#: At most this share of a balanced choice is strategic (at least one when any qualify).
STRATEGIC_SHARE = 0.1


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
    limit: int = 30,
    balance: bool = True,
    types: Iterable[str] | None = None,
    tomm: Iterable[str] | None = None,
    audiences: Iterable[str] | None = None,
    person: str | None = None,
    relationship: tuple[str, str] | None = None,
    hypothesis: str | None = None,
) -> list[Question]:
    """The questions to show: filtered, then balanced across types (by default).

    Parameters
    ----------
    questions : sequence of Question
        Usually everything :func:`~systemic.questions.generate.generate` made.
    limit : int
        How many to return.
    balance : bool
        Take the types in turn (default) rather than simply the highest scores.
    types, tomm, audiences, person, relationship, hypothesis
        Filters; see :func:`matches`.

    Returns
    -------
    list of Question
    """
    types = None if types is None else list(types)
    pool = [
        q for q in questions
        if matches(q, types=types, tomm=tomm, audiences=audiences, person=person,
                   relationship=relationship, hypothesis=hypothesis)
    ]
    if limit <= 0:
        return []
    if not balance:
        return _diverse(pool)[:limit]
    strategic_asked = types is not None and "strategic" in types
    groups: dict[str, list[Question]] = {}
    for q in pool:
        groups.setdefault(q.type, []).append(q)
    strategic_cap = len(pool) if strategic_asked else max(1, int(limit * STRATEGIC_SHARE))
    out: list[Question] = []
    seen = _Seen()
    taken_strategic = 0
    rounds = 0
    while len(out) < limit and any(groups.values()):
        best = {t: max(qs, key=seen.adjusted) for t, qs in groups.items() if qs}
        order = sorted(best, key=lambda t: -seen.adjusted(best[t]))
        order = [t for t in order if t != "strategic"] + (["strategic"] if "strategic" in order
                                                          else [])
        progressed = False
        for t in order:
            if len(out) >= limit:
                break
            if t == "strategic":
                if taken_strategic >= strategic_cap or (len(order) > 1 and rounds < 2):
                    continue
                taken_strategic += 1
            q = max(groups[t], key=seen.adjusted)
            groups[t].remove(q)
            seen.add(q)
            out.append(q)
            progressed = True
        rounds += 1
        if not progressed:
            break
    return out


class _Seen:
    """What has been chosen so far, so the next choice can differ: other people, another
    template, another audience. The penalties are small against the scores' spread."""

    PEOPLE = 0.2
    TEMPLATE = 0.3
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
