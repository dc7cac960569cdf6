"""A last look at the drawing itself: swap neighbours where the drawn lines cross fewer.

Ordering estimates crossings from positions within rows, each row centred on its
own; x placement then moves rows against each other (children under their
parents). For most families that changes nothing, but a line that spans rows — a
grandmother who is a child's special guardian, two rows up — passes the row between
where the real positions put it, not where ordering guessed. For small families the
drawing is cheap to place again, so here neighbouring units of one sibling group (or
two people with no parents drawn) are swapped, the family placed again, and a swap
kept when the drawn lines (:func:`drawn_crossings`, the benchmark's count) cross
fewer. ``kinship_care``: 6 → 4.

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout import layout
>>> layout(Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])).rows
(('a',),)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from systemic.cases import Case
from systemic.genogram.layout.base import _Index
from systemic.genogram.layout.placement import _Rows, drawn_crossings, place_x

__all__ = ["polish"]

#: Families up to this many people get the last look (each trial places them again).
POLISH_LIMIT = 24
#: Rounds of swaps over every row.
ROUNDS = 2


def _swappable(facts: _Rows, a: int, b: int, strict: bool) -> bool:
    """Two neighbouring units that may change places: of one sibling group (unless birth
    order is strict), or both with no family above them."""
    home_a, home_b = facts.unit_home[a], facts.unit_home[b]
    if home_a is not None:
        return home_a == home_b and not strict
    return home_b is None and not any(facts.idx.links_of.get(m) for m in
                                      facts.units[a] + facts.units[b])


def _swapped(facts: _Rows, r: int, k: int, strict: bool) -> list[list[str]] | None:
    """Rows with the ``k``-th and next unit of row ``r`` swapped, if they may be."""
    units = list(dict.fromkeys(facts.unit_of[p] for p in facts.rows[r]))
    if k + 1 >= len(units) or not _swappable(facts, units[k], units[k + 1], strict):
        return None
    units[k], units[k + 1] = units[k + 1], units[k]
    rows = [list(row) for row in facts.rows]
    rows[r] = [m for u in units for m in facts.units[u]]
    return rows


def polish(case: Case, idx: _Index, gens: Mapping[str, int], facts: _Rows,
           xs: dict[str, float], *, strict_birth_order: bool = False,
           ) -> tuple[Sequence[Sequence[str]], _Rows, dict[str, float]]:
    """The rows, facts and positions after the swaps that cut the drawn crossings."""
    best = drawn_crossings(idx, facts, xs)
    if not best or len(idx.people) > POLISH_LIMIT:
        return facts.rows, facts, xs
    for _round in range(ROUNDS):
        before = best
        for r in range(len(facts.rows)):
            for k in range(len(facts.rows[r])):
                rows = _swapped(facts, r, k, strict_birth_order)
                if rows is None:
                    continue
                new_facts = _Rows(idx, rows, gens)
                new_xs = place_x(case, rows, _index=idx, _facts=new_facts)
                count = drawn_crossings(idx, new_facts, new_xs)
                if count < best:
                    best, facts, xs = count, new_facts, new_xs
        if best == before or not best:
            break
    return facts.rows, facts, xs
