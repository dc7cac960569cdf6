"""Moving a family together with the branch of ancestors that hangs on it alone.

A married-in partner's parents and grandparents are often in the file with no other
children drawn: a branch that hangs on one couple. Moving that couple along its row
pays only if its branch moves too — moving either row alone adds crossings — so the
one-row moves of :mod:`~systemic.genogram.layout.seating` never find it. Here each
sibling group whose ancestors form such a branch tries every place between groups in
its row, the branch following above it (each of its rows at the place over its
children) and the next rows following below, and moves where the whole drawing has
fewer crossings.

On kennedy, James Hickey and Margaret Field with both their parents' couples move
right past the Fitzgeralds and Hannons, so their daughter's line no longer crosses
Honey Fitz's and Mary Josephine's: 6 → 4 crossings, which an exact integer
programme shows is the fewest any order with every couple side by side can give
(``benchmarks/crossing_bound.py``).

>>> _insert_at([0.0, 2.0, 4.0], 3.0)
2
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from systemic.genogram.layout.units import parts_a_group

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer
    from systemic.genogram.layout.units import _Unit

__all__ = ["move_branches"]

#: Rows below that follow each trial (the rest follow once a place is chosen).
FOLLOW = 2
#: How many places either side of the spot over its children a branch's row tries (rows
#: are centred on their own while ordering, so "over" is only near).
NUDGE = 2


def _insert_at(centres: Sequence[float], x: float) -> int:
    """Where something centred at ``x`` goes among units centred at ``centres``."""
    return bisect.bisect_left(list(centres), x)


def _parents_units(orderer: _Orderer, u: _Unit) -> list[_Unit]:
    out = []
    for m in u.members:
        for link in orderer.idx.links_of.get(m, ()):
            out += [orderer.unit_of[p] for p in orderer.idx.families[link.family].parents
                    if p in orderer.unit_of]
    return out


def _children_units(orderer: _Orderer, u: _Unit) -> list[_Unit]:
    idx = orderer.idx
    return [orderer.unit_of[link.child] for m in u.members
            for fid in idx.families_of.get(m, ()) for link in idx.children_of.get(fid, ())
            if link.child in orderer.unit_of]


def branch(orderer: _Orderer, group: list[_Unit]) -> dict[int, list[_Unit]]:
    """The units above ``group`` that hang on it alone, by row (empty if there are none,
    or if any of them has another child, or they do not stand together in a row)."""
    inside = {id(u) for u in group}
    found: list[_Unit] = []
    todo = list(group)
    while todo:
        for v in _parents_units(orderer, todo.pop()):
            if id(v) not in inside:
                inside.add(id(v))
                found.append(v)
                todo.append(v)
    if any(id(c) not in inside for v in found for c in _children_units(orderer, v)):
        return {}
    rows = orderer.rows
    by_row: dict[int, list[_Unit]] = {}
    for k, row in enumerate(rows):
        at = [i for i, v in enumerate(row) if id(v) in inside and v not in group]
        if at and at[-1] - at[0] + 1 != len(at):
            return {}
        if at:
            by_row[k] = row[at[0]:at[-1] + 1]
    return by_row


def _place(orderer: _Orderer, r: int, group: list[_Unit], at: int,
           above: dict[int, list[_Unit]]) -> None:
    """Stand ``group`` at ``at`` in row ``r`` and each row of its branch over it."""
    row = [v for v in orderer.rows[r] if v not in group]
    orderer.rows[r] = [*row[:at], *group, *row[at:]]
    orderer._set_row(r)
    for k in sorted(above, reverse=True):
        units = above[k]
        kids = [m for v in units for c in _children_units(orderer, v) for m in c.members]
        x = sum(orderer.pos[m] for m in kids) / len(kids)
        rest = [v for v in orderer.rows[k] if v not in units]
        centres = [sum(orderer.pos[m] for m in v.members) / len(v.members) for v in rest]
        near = _insert_at(centres, x)
        counted = range(k, min(k + 2, len(orderer.rows)))
        least = None
        for i in range(max(0, near - NUDGE), min(len(rest), near + NUDGE) + 1):
            orderer.rows[k] = [*rest[:i], *units, *rest[i:]]
            orderer._set_row(k)
            count = orderer.crossings(counted)
            if least is None or count < least[0]:
                least = (count, i)
        assert least is not None
        i = least[1]
        orderer.rows[k] = [*rest[:i], *units, *rest[i:]]
        orderer._set_row(k)


def _try(orderer: _Orderer, r: int, group: list[_Unit], best: int) -> int:
    above = branch(orderer, group)
    if not above:
        return best
    span = range(min(above), min(r + FOLLOW + 1, len(orderer.rows)))
    base = orderer.snapshot(span)
    least = orderer.crossings(span)
    row = [v for v in orderer.rows[r] if v not in group]
    now = orderer.rows[r].index(group[0])
    found = None
    homes = [v.home for v in row]
    for at in range(len(row) + 1):
        if at == now or parts_a_group(homes, at):
            continue
        _place(orderer, r, group, at, above)
        least, found = orderer.judge(range(r + 1, span[-1] + 1), span, least, found)
        orderer.restore(base)
    return orderer.settle(found, base, span[-1], best)


def _groups(orderer: _Orderer, r: int) -> list[list[_Unit]]:
    """Row ``r``'s sibling groups as they stand (runs of units hanging from one family)."""
    runs: list[list[_Unit]] = []
    for u in orderer.rows[r]:
        if u.home is not None and runs and runs[-1][0].home == u.home:
            runs[-1].append(u)
        elif u.home is not None:
            runs.append([u])
    return runs


def move_branches(orderer: _Orderer) -> int:
    """Move each sibling group with a branch of ancestors hanging on it alone where the
    whole drawing has fewest crossings, branch and all; return the crossings after."""
    best = orderer.crossings()
    for r in range(1, len(orderer.rows)):
        for k in range(len(_groups(orderer, r))):
            groups = _groups(orderer, r)
            if best == 0:
                return best
            if k < len(groups):
                best = _try(orderer, r, groups[k], best)
    return best
