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

from systemic.genogram.geometry import Box, Point, free_x, segment_hits_box
from systemic.genogram.layout.base import (
    HOUSEHOLD_PAD_MAX,
    SMALL_CHAR_WIDTH,
    SMALL_FONT_SIZE,
    HouseholdOutline,
    _Index,
    _label_box,
    _symbol_box,
)

#: How far a couple's dates keep from any line (the widest line drawn near them is a
#: double couple line, 2.5 units either side of its path).
LABEL_CLEARANCE = 3.5


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


class _Lines:
    """Straight pieces of line bucketed on a coarse grid, for asking whether a box
    would sit on a line already drawn.

    >>> lines = _Lines()
    >>> lines.add([(0.0, 50.0), (300.0, 50.0)])
    >>> lines.hits(Box(100, 40, 20, 5), 3.5), lines.hits(Box(100, 48, 20, 5), 3.5)
    (False, True)
    """

    def __init__(self, cell_width: float = 400.0, cell_height: float = 40.0):
        # Wide, low cells: most pieces are long and level (lanes between rows) or
        # short and upright (lines down to a child).
        self.cell_width, self.cell_height = cell_width, cell_height
        self.cells: dict[tuple[int, int], list[tuple[Point, Point]]] = {}

    def _keys(self, x0: float, y0: float, x1: float, y1: float) -> Iterator[tuple[int, int]]:
        cw, ch = self.cell_width, self.cell_height
        for i in range(math.floor(x0 / cw), math.floor(x1 / cw) + 1):
            for j in range(math.floor(y0 / ch), math.floor(y1 / ch) + 1):
                yield (i, j)

    def add(self, points: Sequence[Point]) -> None:
        """A polyline: each of its pieces goes in every cell its bounds touch."""
        cw, ch, cells = self.cell_width, self.cell_height, self.cells
        for k in range(len(points) - 1):
            a, b = points[k], points[k + 1]
            i0, i1 = int(a[0] // cw), int(b[0] // cw)
            j0, j1 = int(a[1] // ch), int(b[1] // ch)
            if i0 > i1:
                i0, i1 = i1, i0
            if j0 > j1:
                j0, j1 = j1, j0
            for i in range(i0, i1 + 1):
                for j in range(j0, j1 + 1):
                    cells.setdefault((i, j), []).append((a, b))

    def hits(self, box: Box, clearance: float) -> bool:
        """True if a piece of line passes within ``clearance`` of the box."""
        keys = self._keys(box.x - clearance, box.y - clearance,
                          box.right + clearance, box.bottom + clearance)
        return any(segment_hits_box(a, b, box, clearance)
                   for k in keys for a, b in self.cells.get(k, ()))


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



def _free_label_spot(label: str, points: Sequence[Point], grid: _Obstacles,
                     lines: _Lines | None = None) -> Box | None:
    """Somewhere along a couple's line where their dates touch no text and no line:
    ``lines`` holds every line drawn so far (the couple's own among them); without it,
    only the couple's own line is avoided. The spots are tried in the order
    :func:`_label_spots` gives.

    >>> from systemic.cases import Case, Person
    >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
    >>> grid = _Obstacles([["a"]], {"a": 0.0}, {"a": 0.0}, _Index(case))
    >>> _free_label_spot("m. 2001", [(100.0, 50.0), (200.0, 50.0)], grid)
    Box(x=126.9, y=54.0, width=46.199999999999996, height=12.0)
    """
    w = len(label) * SMALL_CHAR_WIDTH
    for box in _label_spots(points, w, SMALL_FONT_SIZE + 1):
        if grid.hits(box):
            continue
        if lines is not None:
            if not lines.hits(box, LABEL_CLEARANCE):
                return box
        elif not any(segment_hits_box(p, q, box, LABEL_CLEARANCE)
                     for p, q in zip(points, points[1:], strict=False)):
            return box
    return None


def _label_spots(points: Sequence[Point], w: float, h: float) -> Iterator[Box]:
    """Where a ``w`` by ``h`` label may go along a line, best first: just below or above
    the middle of each level piece, its quarters and ends; then every half label's width
    along them; then beside each upright piece, every label's height down it."""
    pieces = list(zip(points, points[1:], strict=False))
    level = [(min(a[0], b[0]), max(a[0], b[0]), a[1]) for a, b in pieces
             if abs(a[1] - b[1]) <= 0.5]
    for fine in (False, True):
        for lo, hi, y in level:
            steps = max(1, math.ceil((hi - lo) / (w / 2)))
            ts = [k / steps for k in range(steps + 1)] if fine else (0.5, 0.25, 0.75, 0.1, 0.9)
            for t in ts:
                cx = lo + (hi - lo) * t
                yield Box(cx - w / 2, y + 4, w, h)
                yield Box(cx - w / 2, y - 4 - h, w, h)
    for a, b in pieces:
        if abs(a[0] - b[0]) <= 0.5:
            lo, hi = min(a[1], b[1]), max(a[1], b[1])
            for k in range(max(1, math.ceil((hi - lo) / h)) + 1):
                cy = min(lo + k * h, hi)
                yield Box(a[0] + 4, cy - h / 2, w, h)
                yield Box(a[0] - 4 - w, cy - h / 2, w, h)


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
    return not (_ancestry(birth_parents, a, CONSANGUINITY_DEPTH, known)
                .isdisjoint(_ancestry(birth_parents, b, CONSANGUINITY_DEPTH, known)))


def _ancestry(birth_parents: Mapping[str, tuple[str, ...]], person: str, depth: int,
              known: dict[tuple[str, int], frozenset[str]]) -> frozenset[str]:
    """``person`` and their birth ancestors up to ``depth`` generations, remembered in
    ``known``. (A function of its own, not one nested in its caller: a nested function
    that calls itself holds itself, and each call would leave a reference cycle for
    Python's cycle collector.)

    >>> sorted(_ancestry({"a": ("m", "f"), "m": ("g",)}, "a", 1, {}))
    ['a', 'f', 'm']
    """
    key = (person, depth)
    found = known.get(key)
    if found is None:
        found = frozenset((person,))
        if depth:
            for parent in birth_parents.get(person, ()):
                found |= _ancestry(birth_parents, parent, depth - 1, known)
        known[key] = found
    return found


def _row_bands(idx: _Index, rows: Sequence[Sequence[str]], xs: Mapping[str, float],
               ys: Mapping[str, float], dates: Sequence[Box] = ()
               ) -> list[tuple[float, float, list[tuple[float, float]]]]:
    """Each row's top, bottom and the x spans of its people's boxes and the couples' dates
    written among them (sorted, merged)."""
    bands = []
    for row in rows:
        if not row:
            continue
        boxes = [_symbol_box(p, xs, ys, idx.half) for p in row]
        boxes += [_label_box(p, xs, ys, idx) for p in row]
        top, bottom = min(b.y for b in boxes), max(b.bottom for b in boxes)
        boxes += [d for d in dates if d.bottom >= top and d.y <= bottom]
        spans: list[tuple[float, float]] = []
        for b in sorted(boxes, key=lambda b: b.x):
            if spans and b.x <= spans[-1][1] + 24:
                spans[-1] = (spans[-1][0], max(spans[-1][1], b.right))
            else:
                spans.append((b.x, b.right))
        bands.append((min(b.y for b in boxes), max(b.bottom for b in boxes), spans))
    return bands


def _between_rows(a: Box, b: Box, bands: Sequence[tuple[float, float, list[tuple[float, float]]]]
                  ) -> tuple[Point, ...]:
    """A household connector from an outline down to one in a lower row: straight down and
    across in the gaps, and through a free column past any row in between.

    >>> _between_rows(Box(0, 0, 40, 40), Box(100, 100, 40, 40), [])
    ((32, 40), (32, 70.0), (108, 70.0), (108, 100))
    """
    ax = min(max(b.centre[0], a.x + 8), a.right - 8)
    bx = min(max(ax, b.x + 8), b.right - 8)
    between = [band for band in bands if band[0] > a.bottom and band[1] < b.y]
    if not between:
        mid = (a.bottom + b.y) / 2
        return ((ax, a.bottom), (ax, mid), (bx, mid), (bx, b.y))
    spans: list[tuple[float, float]] = []
    for s0, s1 in sorted(s for band in between for s in band[2]):
        if spans and s0 <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], s1))
        else:
            spans.append((s0, s1))
    col = free_x(spans, (ax + bx) / 2, 12.0)
    y1 = (a.bottom + between[0][0]) / 2
    y2 = (between[-1][1] + b.y) / 2
    return ((ax, a.bottom), (ax, y1), (col, y1), (col, y2), (bx, y2), (bx, b.y))


def _household_outlines(
    idx: _Index, rows: Sequence[Sequence[str]], xs: Mapping[str, float],
    ys: Mapping[str, float], dates: Sequence[Box] = (),
) -> tuple[HouseholdOutline, ...]:
    out = []
    earlier: list[set[str]] = []
    bands = _row_bands(idx, rows, xs, ys, dates)
    for h in idx.case.households:
        members = [m for m in dict.fromkeys(h.members) if m in xs]
        inside = set(members)
        depth = sum(1 for e in earlier if e & inside)
        earlier.append(inside)
        pad = min(6.0 + 4.0 * depth, HOUSEHOLD_PAD_MAX)
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
                connectors.append(_between_rows(a, b, bands))
            else:
                # Same row: pass under the labels of whoever stands between.
                row_bottom = max((band[1] for band in bands
                                  if band[0] <= a.centre[1] <= band[1]), default=a.bottom)
                low = max(a.bottom, b.bottom, row_bottom + 3.0) + 5.0
                ax, bx = a.right - 12.0, b.x + 12.0
                connectors.append(((ax, a.bottom), (ax, low), (bx, low), (bx, b.bottom)))
        out.append(HouseholdOutline(h.id, h.name, tuple(members), tuple(rects), tuple(connectors),
                                    radius=10.0 + pad / 2))
    return tuple(out)


# -- checks -------------------------------------------------------------------------------------
