"""Cutting crossings after the sweeps: swap neighbours when fewer lines cross.

The barycentre sweeps of :mod:`~systemic.genogram.layout.sweeps` place
sibling groups well, but leave crossings a local change would remove — most
often a married-in brother or sister whose partner's family stands on the
other side. Here, row after row, neighbouring units (a person or a couple or a
partner chain) of one sibling group, and then neighbouring sibling groups as
whole blocks, are swapped when that strictly lowers the crossings of the lines
into and out of the row (the classic *transpose* heuristic of Gansner et al.,
"A technique for drawing directed graphs", 1993, over family blocks). The
crossings of two neighbours are counted from the other ends of their own
lines only, so each trial costs a few sorts, not a recount of the drawing.

Siblings stay together under their own couple; birth order (oldest on the
left) is kept unless leaving it removes a crossing (and always with
``strict_birth_order``).

>>> _pair_crossings([0.0, 2.0], [1.0])
1
>>> _pair_crossings([0.0], [1.0, 2.0])
0
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer
    from systemic.genogram.layout.units import _Unit

__all__ = ["transpose"]


def _pair_crossings(left: Sequence[float], right: Sequence[float]) -> int:
    """Crossings between lines of a left and a right neighbour, given where each line's
    other end stands in the next row: a left line ending right of a right line crosses it."""
    if not left or not right:
        return 0
    return _crossing_sorted(left, sorted(right))


def _crossing_sorted(left: Sequence[float], ends: Sequence[float]) -> int:
    """:func:`_pair_crossings` with the right neighbour's line ends already sorted."""
    if not left or not ends:
        return 0
    before = bisect.bisect_left
    return sum([before(ends, a) for a in left])


#: Where a unit's (or a group's) lines end above and below, each also sorted.
_Side = tuple[list[float], list[float], list[float], list[float]]


class _Ends:
    """For each person, the lines to the row above and the row below, as parent-link
    indices, so a unit's other line ends can be read from current positions."""

    def __init__(self, orderer: _Orderer):
        self.o = orderer
        #: :meth:`side` by members, while no position changes (see :meth:`forget`).
        self.known: dict[tuple[str, ...], _Side] = {}
        self.up: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.down: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        gens = orderer.gens
        for parents, child in orderer.links:
            top = max(gens[p] for p in parents)
            if top >= gens[child]:
                continue
            self.up.setdefault(child, []).append((parents, child))
            for p in parents:
                if gens[p] == top:
                    self.down.setdefault(p, []).append((parents, child))

    def of(self, members: Sequence[str]) -> tuple[list[float], list[float]]:
        """Where the lines of these people end above and below (one entry per line)."""
        pos = self.o.pos
        above: list[float] = []
        below: list[float] = []
        seen: set[tuple[tuple[str, ...], str]] = set()
        for m in members:
            for parents, _child in self.up.get(m, ()):
                above.append(self.o.join_pos(parents))
            for link in self.down.get(m, ()):
                if link not in seen:
                    seen.add(link)
                    below.append(pos[link[1]])
        return above, below

    def side(self, members: Sequence[str]) -> _Side:
        """:meth:`of`, with each list sorted too, remembered until :meth:`forget`: a pass
        over a row compares each unit with both neighbours, positions unchanged."""
        key = tuple(members)
        side = self.known.get(key)
        if side is None:
            above, below = self.of(members)
            side = self.known[key] = (above, below, sorted(above), sorted(below))
        return side

    def forget(self) -> None:
        """Positions changed: what :meth:`side` remembers no longer holds."""
        self.known.clear()


def _cost(ends: _Ends, left: Sequence[str], right: Sequence[str]) -> int:
    la, lb, _las, _lbs = ends.side(left)
    _ra, _rb, ras, rbs = ends.side(right)
    return _crossing_sorted(la, ras) + _crossing_sorted(lb, rbs)


def _members(units: Sequence[_Unit]) -> list[str]:
    return [m for u in units for m in u.members]


def _pass_row(orderer: _Orderer, ends: _Ends, r: int) -> bool:
    """One left-to-right pass of swaps over row ``r``; True if anything moved."""
    ends.forget()  # positions change between passes
    moved = False
    groups = orderer._groups(r)
    for g in groups if not orderer.strict_birth_order else ():
        for i in range(len(g) - 1):
            a, b = g[i], g[i + 1]
            if _cost(ends, b.members, a.members) < _cost(ends, a.members, b.members):
                g[i], g[i + 1] = b, a
                moved = True
    for i in range(len(groups) - 1):
        a, b = _members(groups[i]), _members(groups[i + 1])
        if _cost(ends, b, a) < _cost(ends, a, b):
            groups[i], groups[i + 1] = groups[i + 1], groups[i]
            moved = True
    if moved:
        orderer.rows[r] = [u for g in groups for u in g]
        orderer._set_row(r)
    return moved


def _sift(items: list[list[str]], ends: _Ends) -> list[int]:
    """A better order of ``items`` (each a list of people), as indices: each item in turn
    moves to the place where its lines cross fewest (the *sifting* heuristic of
    Matuszewski, Schönfeld & Molitor, 1999), using crossings counted pair by pair."""
    n = len(items)
    sides = [ends.side(m) for m in items]
    cost = _cost_matrix(sides) if n >= MATRIX_FROM else _cost_pairs(sides)
    order = list(range(n))
    for x in range(n):
        order.remove(x)
        # Crossings of x at each place: everyone left of it, then everyone right.
        right = sum(cost[x][y] for y in order)
        best, best_at = None, 0
        left = 0
        for at in range(len(order) + 1):
            total = left + right
            if best is None or total < best:
                best, best_at = total, at
            if at < len(order):
                y = order[at]
                left += cost[y][x]
                right -= cost[x][y]
        order.insert(best_at, x)
    return order


def _cost_pairs(sides: Sequence[_Side]) -> list[list[int]]:
    """``cost[i][j]``: crossings between the lines of ``i`` and ``j`` with ``i`` on the
    left, pair by pair."""
    n = len(sides)
    cost = [[0] * n for _ in range(n)]
    for i in range(n):
        ai, bi, ais, bis = sides[i]
        for j in range(i + 1, n):
            aj, bj, ajs, bjs = sides[j]
            cost[i][j] = _crossing_sorted(ai, ajs) + _crossing_sorted(bi, bjs)
            cost[j][i] = _crossing_sorted(aj, ais) + _crossing_sorted(bj, bis)
    return cost


def _cost_matrix(sides: Sequence[_Side]) -> list[list[int]]:
    """:func:`_cost_pairs` for many items at once, with numpy: for each line end (above,
    then below), ``less[p, j]`` counts the ends of item ``j`` standing left of end ``p``
    (from the running totals of each item's ends, smallest first); summed over the ends
    of each item (``owner``), that is the crossings of every pair, in whole numbers.

    >>> sides = [([0.0, 2.0], [], [0.0, 2.0], []), ([1.0], [], [1.0], [])]
    >>> _cost_matrix(sides) == _cost_pairs(sides)
    True
    """
    n = len(sides)
    cost = np.zeros((n, n), dtype=np.int64)
    for k in (0, 1):  # the ends above, then below
        ends = [side[k] for side in sides]
        values = np.fromiter((x for e in ends for x in e), float)
        if not len(values):
            continue
        owner = np.repeat(np.arange(n), [len(e) for e in ends])
        order = np.argsort(values, kind="stable")
        counts = np.zeros((len(values) + 1, n), dtype=np.int64)
        counts[np.arange(1, len(values) + 1), owner[order]] = 1
        np.cumsum(counts, axis=0, out=counts)  # row t: each item's ends among the t leftmost
        less = counts[np.searchsorted(values[order], values, side="left")]
        np.add.at(cost, owner, less)
    np.fill_diagonal(cost, 0)
    return cost.tolist()


#: From how many items :func:`_sift` counts with :func:`_cost_matrix` (quicker than pair
#: by pair from about this many).
MATRIX_FROM = 8

#: Rows with more units than this are only transposed, not sifted (sifting is quadratic).
#: royal92's widest rows hold about 120 units; sifting them too took its crossings from
#: 280 to 260 for a few milliseconds (``benchmarks/genogram.py``).
SIFT_LIMIT = 250


def _sift_row(orderer: _Orderer, ends: _Ends, r: int) -> None:
    ends.forget()  # positions change between passes
    groups = orderer._groups(r)
    if sum(len(g) for g in groups) > SIFT_LIMIT:
        return
    if len(groups) > 1:
        order = _sift([_members(g) for g in groups], ends)
        groups = [groups[i] for i in order]
    if not orderer.strict_birth_order:
        for k, g in enumerate(groups):
            if len(g) > 2:
                groups[k] = [g[i] for i in _sift([u.members for u in g], ends)]
    orderer.rows[r] = [u for g in groups for u in g]
    orderer._set_row(r)


def transpose(orderer: _Orderer, passes: int = 4) -> None:
    """Swap neighbouring units and sibling groups while that cuts crossings; keep the
    result only if the whole drawing has fewer crossings than before."""
    before = orderer.crossings()
    if before == 0:
        return
    snap = orderer.snapshot()
    ends = _Ends(orderer)
    depth = len(orderer.rows)
    best, best_count = snap, before
    for k in range(passes):
        rows = range(depth) if k % 2 == 0 else range(depth - 1, -1, -1)
        for r in rows:
            _sift_row(orderer, ends, r)
            _pass_row(orderer, ends, r)
        count = orderer.crossings()
        if count < best_count:
            best, best_count = orderer.snapshot(), count
        elif k:
            break
    orderer.restore(best)
