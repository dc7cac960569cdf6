"""Where the children's line of a couple standing apart leaves their couple line.

A couple standing apart is joined by a line running below the people between them;
their children's line may drop from it anywhere between the two. Placement puts it
over the middle of the children (:meth:`~systemic.genogram.layout.placement._Rows.
hub_x`), but the ordering decided the rows' order by positions within each row,
where that middle can fall on the other side of a family standing between the
partners: the lines into the children then cross lines the ordering never counted
(royal92: 24 of its 208).

So once everyone has their x, each such couple's line drops where its lines into
the children cross fewest others (the lines into the next row from the other
families' join points, and the couple lines of other partners standing apart in the
row, as :func:`~systemic.genogram.layout.apart.apart_cost` counts them), nearest the
middle of the children where several places cross as few: where nothing crosses,
nothing moves. Couples are taken in the file's order, each once, so the same file
always draws the same.

A couple standing apart at x 0 and 100, a family's line between them running from
its join point at 30 down to a child at -20; the couple's only child stands at -40,
yet their line would leave over the middle of their children, clamped to 100. Just
left of that other join point (kept :data:`CLEAR` of it), nothing crosses; with
another couple line running from 10 to 200 as well, left of that one's end:

>>> _best_hub(0.0, 100.0, 100.0, [-40.0], [(30.0, -20.0)], [])
(24.0, 0)
>>> _best_hub(0.0, 100.0, 100.0, [-40.0], [(30.0, -20.0)], [(10.0, 200.0)])
(4.0, 0)
>>> _best_hub(0.0, 100.0, 50.0, [60.0], [(30.0, 20.0)], [])  # nothing crosses: kept
(50.0, 0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.base import _Index
    from systemic.genogram.layout.placement import _Rows

__all__ = ["place_apart_hubs"]

#: How far from another family's join point (or the end of another couple line) a
#: moved line stays, in page units: clear of it on the drawing, and on the right side
#: of it once x is rounded for the count.
CLEAR = 6.0


def place_apart_hubs(idx: _Index, facts: _Rows, xs: Mapping[str, float]) -> None:
    """Fix in ``facts`` (:attr:`~systemic.genogram.layout.placement._Rows.hub_at`)
    where the children's line of each couple standing apart leaves their couple line,
    for the final ``xs``."""
    facts.hub_at.clear()
    apart: dict[int, list[str]] = {}
    for fid in idx.families:
        if facts.is_apart(fid) and facts.children.get(fid):
            apart.setdefault(facts.hub_row(fid), []).append(fid)
    for r, fids in sorted(apart.items()):
        lines = _lines_below(idx, facts, xs, r)
        spans = _spans(idx, facts, xs, r)
        for fid in fids:
            lo, hi = facts.apart_range(fid, xs)
            now = facts.hub_x(fid, xs)
            own = [child_x for family, _hub, child_x in lines if family == fid]
            others = [(hub, child_x) for family, hub, child_x in lines if family != fid]
            parents = set(idx.families[fid].parents)
            ends = [(a, b) for a, b, ps in spans if not parents & ps]
            at, _crossed = _best_hub(lo, hi, now, own, others, ends)
            if at != now:
                facts.hub_at[fid] = at
                lines = [(f, at if f == fid else hub, x) for f, hub, x in lines]


def _lines_below(idx: _Index, facts: _Rows, xs: Mapping[str, float], r: int
                 ) -> list[tuple[str, float, float]]:
    """The lines from row ``r``'s join points into the next row: family, join x, child x."""
    out = []
    for child in facts.rows[r + 1] if r + 1 < len(facts.rows) else ():
        for link in idx.links_of.get(child, ()):
            if facts.hub_row(link.family) == r:
                out.append((link.family, facts.hub_x(link.family, xs), xs[child]))
    return out


def _spans(idx: _Index, facts: _Rows, xs: Mapping[str, float], r: int
           ) -> list[tuple[float, float, set[str]]]:
    """The couple lines of the partners standing apart in row ``r``: their ends and
    the partners."""
    out = []
    for fid, fam in idx.families.items():
        if facts.is_apart(fid) and facts.row_of[fam.parents[0]] == r:
            a, b = sorted(xs[p] for p in fam.parents)
            out.append((a, b, set(fam.parents)))
    return out


def _best_hub(lo: float, hi: float, now: float, own: Sequence[float],
              others: Sequence[tuple[float, float]], spans: Sequence[tuple[float, float]]
              ) -> tuple[float, int]:
    """The place between ``lo`` and ``hi`` for a join point whose lines run to the
    children at ``own`` that crosses fewest of the ``others`` (join x, child x) and of
    the other couple lines ``spans`` (it crosses one it stands inside), nearest
    ``now`` among equals; and how many it crosses."""
    marks = sorted({x for x, _c in others if lo < x < hi}
                   | {x for span in spans for x in span if lo < x < hi})
    bounds = [lo, *marks, hi]
    places = {now}
    for a, b in zip(bounds, bounds[1:], strict=False):
        left = a + CLEAR if a > lo else a
        right = b - CLEAR if b < hi else b
        if left <= right:
            places.add(min(max(now, left), right))
    at = np.array(sorted(places))
    crossed = np.zeros(len(at), dtype=int)
    if others and own:
        joins = np.array([x for x, _c in others])
        kids = np.array([c for _x, c in others])
        mine = np.array(own)
        sides = np.sign(at[:, None] - joins[None, :])  # places × others
        below = np.sign(mine[:, None] - kids[None, :])  # own children × others
        crossed += (sides[:, None, :] * below[None, :, :] < 0).sum(axis=(1, 2))
    for a, b in spans:
        crossed += (a < at) & (at < b)
    best = min(range(len(at)), key=lambda i: (crossed[i], abs(at[i] - now), at[i]))
    return float(at[best]), int(crossed[best])
