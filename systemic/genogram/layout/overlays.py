"""What is drawn over the family lines: obstacles, couples' dates, relationships, households.

:class:`_Obstacles` answers "is this spot free?" for every symbol and label;
couples' dates go where they touch nothing (:func:`_free_label_spot`);
emotional relationships are curves between the two symbols' edges that bow
away from other people (:func:`_relationship_curves`); households are padded
rounded boxes around neighbouring members (:func:`_household_outlines`).

>>> _related_by_birth({"a": ("g",), "b": ("g",)}, "a", "b")
True
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence

from systemic.genogram.geometry import Box, Point, quadratic_curve
from systemic.genogram.layout.base import (
    SMALL_CHAR_WIDTH,
    SMALL_FONT_SIZE,
    HouseholdOutline,
    RelationshipCurve,
    _Index,
    _label_box,
    _symbol_box,
)


class _Grid:
    """Boxes bucketed on a coarse grid, for quick 'is this spot free?' questions."""

    def __init__(self, cell: float = 96.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[str, Box]]] = {}

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(math.floor(box.x / c), math.floor(box.right / c) + 1):
            for j in range(math.floor(box.y / c), math.floor(box.bottom / c) + 1):
                yield (i, j)

    def add(self, name: str, box: Box) -> None:
        for k in self._keys(box):
            self.cells.setdefault(k, []).append((name, box))

    def names_over(self, box: Box, margin: float = 1.0) -> set[str]:
        """The boxes that overlap ``box``."""
        found = set()
        for k in self._keys(box):
            for name, other in self.cells.get(k, ()):
                if other.overlaps(box, margin):
                    found.add(name)
        return found

    def names_at(self, x: float, y: float) -> Iterable[str]:
        """The boxes that hold the point (x, y)."""
        for name, other in self.cells.get((math.floor(x / self.cell), math.floor(y / self.cell)),
                                          ()):
            if other.x <= x <= other.right and other.y <= y <= other.bottom:
                yield name


class _Obstacles:
    """Everyone's symbol and label, and the couples' dates placed so far, for asking
    whether a spot is free. People's boxes are looked up by row band and by x
    (rows are sorted), which is much cheaper than bucketing thousands of boxes;
    the few dates go on a small grid."""

    def __init__(self, rows: Sequence[Sequence[str]], xs: Mapping[str, float],
                 ys: Mapping[str, float], idx: _Index):
        self.tops: list[float] = []
        self.bands: list[tuple[float, list[float], list[tuple[str, Box]]]] = []
        self.widest = max(idx.width.values(), default=0.0)
        for row in rows:
            if not row:
                continue
            items: list[tuple[str, Box]] = []
            for p in row:
                items.append((f"s:{p}", _symbol_box(p, xs, ys, idx.half)))
                items.append((f"l:{p}", _label_box(p, xs, ys, idx)))
            items.sort(key=lambda item: item[1].x)
            top = min(b.y for _n, b in items)
            bottom = max(b.bottom for _n, b in items)
            self.tops.append(top)
            self.bands.append((bottom, [b.x for _n, b in items], items))
        self.extra = _Grid()

    def _near(self, y1: float, y2: float, x1: float, x2: float) -> Iterator[tuple[str, Box]]:
        i = bisect.bisect_right(self.tops, y2) - 1
        while i >= 0:
            bottom, lefts, items = self.bands[i]
            if bottom >= y1:
                lo = bisect.bisect_left(lefts, x1 - self.widest)
                hi = bisect.bisect_right(lefts, x2)
                yield from items[lo:hi]
            elif self.tops[i] < y1 - 2000:
                break
            i -= 1

    def add(self, name: str, box: Box) -> None:
        self.extra.add(name, box)

    def hits(self, box: Box) -> int:
        found = self.extra.names_over(box)
        for name, other in self._near(box.y - 1, box.bottom + 1, box.x - 1, box.right + 1):
            if other.overlaps(box, 1.0):
                found.add(name)
        return len(found)

    def names_at(self, x: float, y: float, ignore: set[str]) -> Iterable[str]:
        for name in self.extra.names_at(x, y):
            if name not in ignore:
                yield name
        for name, other in self._near(y, y, x, x):
            if name not in ignore and other.x <= x <= other.right and other.y <= y <= other.bottom:
                yield name



def _free_label_spot(label: str, points: Sequence[Point], grid: _Obstacles) -> Box | None:
    """Somewhere along a couple's line, just below it, where their dates touch nothing."""
    w = len(label) * SMALL_CHAR_WIDTH
    h = SMALL_FONT_SIZE + 1
    for i in range(len(points) - 1):
        (x1, y1), (x2, y2) = points[i], points[i + 1]
        if abs(y1 - y2) > 0.5:
            continue
        lo, hi = min(x1, x2), max(x1, x2)
        for t in (0.5, 0.25, 0.75, 0.1, 0.9):
            cx = lo + (hi - lo) * t
            for box in (Box(cx - w / 2, y1 + 2, w, h), Box(cx - w / 2, y1 - 2 - h, w, h)):
                if not grid.hits(box):
                    return box
    return None


#: How many generations back a shared birth ancestor makes a couple "related by birth"
#: (double couple line): far enough for second cousins and an uncle and niece.
CONSANGUINITY_DEPTH = 4


def _related_by_birth(
    birth_parents: Mapping[str, tuple[str, ...]],
    a: str,
    b: str,
    memo: dict[tuple[str, int], frozenset[str]] | None = None,
) -> bool:
    """True if the two share a birth ancestor within :data:`CONSANGUINITY_DEPTH`
    generations, or one descends from the other.

    >>> _related_by_birth({"a": ("g",), "b": ("g",)}, "a", "b")
    True
    """
    if a not in birth_parents and b not in birth_parents:
        return False
    known = {} if memo is None else memo

    def up(person: str, depth: int) -> frozenset[str]:
        key = (person, depth)
        found = known.get(key)
        if found is None:
            found = frozenset((person,))
            if depth:
                for parent in birth_parents.get(person, ()):
                    found |= up(parent, depth - 1)
            known[key] = found
        return found

    return not up(a, CONSANGUINITY_DEPTH).isdisjoint(up(b, CONSANGUINITY_DEPTH))


def _relationship_curves(
    idx: _Index,
    xs: Mapping[str, float],
    ys: Mapping[str, float],
    grid: _Obstacles,
    bounds: tuple[float, float],
) -> tuple[RelationshipCurve, ...]:
    """Curves for emotional relationships that bow away from other people's symbols.

    Each curve tries a few bows (above, below, deeper) and keeps the one that
    passes over the fewest symbols and labels, and stays within ``bounds`` (top
    and bottom of the drawing) if it can; people never move for them.
    """
    top_limit, bottom_limit = bounds
    out = []
    seen: dict[frozenset[str], int] = {}
    for rel in idx.case.relationships:
        a, b = rel.from_, rel.to
        if a not in xs or b not in xs or a == b:
            continue
        pair = frozenset((a, b))
        k = seen.get(pair, 0)
        seen[pair] = k + 1
        (x1, y1), (x2, y2) = (xs[a], ys[a]), (xs[b], ys[b])
        dx, dy = x2 - x1, y2 - y1
        d = math.hypot(dx, dy) or 1.0
        nx_, ny_ = -dy / d, dx / d
        if ny_ > 0 or (ny_ == 0 and nx_ > 0):
            nx_, ny_ = -nx_, -ny_  # the normal that points up the page
        ignore = {f"s:{a}", f"s:{b}"}
        best: tuple[float, list[Point]] | None = None
        for bow in _BOWS:
            bow += math.copysign(0.1 * k, bow)
            h = bow * d + math.copysign(18.0, bow)
            control = ((x1 + x2) / 2 + nx_ * h, (y1 + y2) / 2 + ny_ * h)
            raw = quadratic_curve((x1, y1), control, (x2, y2), steps=24)
            pts = _trim(raw, idx.half[a] + 3, idx.half[b] + 3)
            # Test every few units along the curve, so no label slips between samples.
            dense = quadratic_curve((x1, y1), control, (x2, y2), steps=max(24, int(d / 5)))
            dense = _trim(dense, idx.half[a] + 3, idx.half[b] + 3)
            crossed = {name for px, py in dense for name in grid.names_at(px, py, ignore)}
            # Crossing a symbol is worse than crossing a label; a flatter curve is a tie-break.
            hits = sum(3 if name[0] == "s" else 1 for name in crossed) + abs(bow) / 10
            if any(py < top_limit or py > bottom_limit for _px, py in pts):
                hits += 100  # out of the picture: only if nothing else will do
            if best is None or hits < best[0]:
                best = (hits, pts)
            if hits < 1:
                break
        assert best is not None
        out.append(
            RelationshipCurve(a, b, rel.kind, tuple((round(x, 2), round(y, 2)) for x, y in best[1]))
        )
    return tuple(out)


#: How far relationship curves may bow, as a share of their length, in the order tried.
_BOWS = (0.22, -0.22, 0.1, -0.1, 0.4, -0.4, 0.6, -0.6)


def _trim(points: list[Point], start_gap: float, end_gap: float) -> list[Point]:
    """Cut a curve where it leaves the first symbol and enters the last."""
    (sx, sy), (ex, ey) = points[0], points[-1]
    kept = [p for p in points if math.dist(p, (sx, sy)) >= start_gap
            and math.dist(p, (ex, ey)) >= end_gap]
    return kept if len(kept) >= 2 else [points[0], points[-1]]


def _household_outlines(
    idx: _Index, rows: Sequence[Sequence[str]], xs: Mapping[str, float],
    ys: Mapping[str, float],
) -> tuple[HouseholdOutline, ...]:
    out = []
    earlier: list[set[str]] = []
    for h in idx.case.households:
        members = [m for m in dict.fromkeys(h.members) if m in xs]
        inside = set(members)
        depth = sum(1 for e in earlier if e & inside)
        earlier.append(inside)
        pad = 6.0 + 4.0 * depth
        rects: list[Box] = []
        for row in rows:
            run: list[str] = []
            for p in [*row, None]:
                if p is not None and p in inside:
                    run.append(p)
                    continue
                if run:
                    boxes = [_symbol_box(q, xs, ys, idx.half) for q in run]
                    boxes += [_label_box(q, xs, ys, idx) for q in run]
                    rects.append(Box.around(boxes).grown(pad))
                    run = []
        connectors: list[tuple[Point, ...]] = []
        for i in range(len(rects) - 1):
            a, b = rects[i], rects[i + 1]
            if a.bottom <= b.y:
                ax = min(max(b.centre[0], a.x + 8), a.right - 8)
                connectors.append(((ax, a.bottom), (min(max(ax, b.x + 8), b.right - 8), b.y)))
            else:
                # Same row: pass under the labels of whoever stands between.
                low = max(a.bottom, b.bottom) + 5.0
                ax, bx = a.right - 12.0, b.x + 12.0
                connectors.append(((ax, a.bottom), (ax, low), (bx, low), (bx, b.bottom)))
        out.append(HouseholdOutline(h.id, h.name, tuple(members), tuple(rects), tuple(connectors),
                                    radius=10.0 + pad / 2))
    return tuple(out)


# -- checks -------------------------------------------------------------------------------------
