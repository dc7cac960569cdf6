"""For the largest trees: a parent standing alone in its row, the partner in another
row, steps between the units near it, even into a neighbouring family's group.

A couple in two rows hangs their children's line beside the lower partner (as routing
draws it). When that partner stands on the wrong side of a few neighbours whose
children married far along the row below, every line into their children crosses
the neighbours' lines, and moving the children's group does not help (its lines hold
it). royal92: Queen Victoria, Prince Albert three rows up, stood right of her cousins
Maria (Joseph of Austria's wife) and Amalie (Joseph of Saxe-Altenburg's), Ludwig of
Württemberg's daughters, whose daughters stand right of Victoria's nine children.
Moving the whole Württemberg group, or Victoria past it, crosses more; Victoria
alone between her cousin Alexander of Württemberg and his sisters crosses fewer.

Here, for the sibling groups whose lines cross most, a parent who is a unit of one in
the row above, the family's other parent in another row, tries each place within
:data:`NEAR` units either side, no row below following, and stays where the whole
drawing then has fewer crossings (the orderer's own count). At most
:data:`MAX_TRIALS` trials: a count, never a time.

Measured with ``benchmarks/genogram.py``: royal92 (3,010 people) 136 → 116 crossings
(the lines into Victoria's children's row 63 → 45, into her own row 8 → 6), drawn
2,985 → 2,954 pairs of lines, in 12 trials, about 9 ms; the 4,683-person MyHeritage
export the same (405, drawn 5,910).

>>> _near_places(10, 4)
[1, 2, 3, 5, 6, 7]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from systemic.genogram.layout.crossed_groups import try_most_crossed

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer
    from systemic.genogram.layout.units import _Unit

__all__ = ["move_lone_parents"]

#: Trials in all (each a place for one lone parent).
MAX_TRIALS = 12
#: Places either side of where the lone parent stands that it tries.
NEAR = 3


def _near_places(size: int, now: int) -> list[int]:
    """Where a unit standing at ``now`` in a row of ``size`` units (itself left out)
    may stand: within :data:`NEAR` places either side, not where it is."""
    return [at for at in range(max(0, now - NEAR), min(size - 1, now + NEAR) + 1)
            if at != now]


def _lone_parent(orderer: _Orderer, r: int, home: str) -> _Unit | None:
    """The unit of family ``home``'s parent in row ``r - 1`` where it stands alone (a
    unit of one) and the other parent is in another row; else None."""
    o = orderer
    parents = o.idx.families[home].parents
    if len(parents) != 2:
        return None
    lower = [p for p in parents if o.unit_of[p].row == r - 1]
    if len(lower) != 1 or o.gens[parents[0]] == o.gens[parents[1]]:
        return None
    unit = o.unit_of[lower[0]]
    return unit if unit.members == lower else None


def _try_lone(orderer: _Orderer, r: int, unit: _Unit, best: int, budget: int
              ) -> tuple[int, int]:
    """Stand ``unit`` at each place near it in row ``r`` (at most ``budget``), keep the
    place where the whole drawing has fewest crossings if fewer than ``best``. Returns
    the crossings after and the trials made."""
    o = orderer
    now = o.rows[r].index(unit)
    row = [v for v in o.rows[r] if v is not unit]
    places = _near_places(len(o.rows[r]), now)[:budget]
    base = o.snapshot(range(r, r + 1))
    found = None
    for at in places:
        o.rows[r] = [*row[:at], unit, *row[at:]]
        o._set_row(r)
        count = o.crossings()
        if count < best:
            best, found = count, o.snapshot(range(r, r + 1))
        o.restore(base)
    if found is not None:
        o.restore(found)
    return best, len(places)


def move_lone_parents(orderer: _Orderer, limit: int = MAX_TRIALS) -> tuple[int, int]:
    """Move the lone parents (partner in another row) of the sibling groups whose lines
    cross most to the place near them where the whole drawing has fewest crossings, in
    at most ``limit`` trials; return the crossings after and the trials made."""
    def attempt(r: int, home: str, best: int, budget: int) -> tuple[int, int] | None:
        unit = _lone_parent(orderer, r, home)
        return None if unit is None else _try_lone(orderer, r - 1, unit, best, budget)

    return try_most_crossed(orderer, attempt, limit)
