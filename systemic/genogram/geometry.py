"""Plane geometry the genogram layout and drawing share: boxes, lines, curves.

Everything here is pure Python on floats, with no knowledge of families, so the
layout (:mod:`systemic.genogram.layout`) and the drawing
(:mod:`systemic.genogram.draw`) agree on the same shapes and the shapes can be
tested on their own. Coordinates are SVG user units: x to the right, y down.

>>> Box(0, 0, 10, 10).overlaps(Box(5, 5, 10, 10))
True
>>> place_in_order([0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [10.0, 10.0])
[-10.0, 0.0, 10.0]
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Point",
    "Box",
    "place_in_order",
    "stack_intervals",
    "stack_nested",
    "free_x",
    "find_box_overlaps",
    "quadratic_curve",
    "segment_hits_box",
    "polyline_length",
    "point_along",
    "offset_polyline",
    "zigzag",
    "arrow_head",
    "contrast_ratio",
]

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: ``x``, ``y`` is its top-left corner.

    >>> Box(0, 0, 4, 2).right, Box(0, 0, 4, 2).bottom
    (4, 2)
    """

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """True if the two boxes share some area (touching edges do not count).

        >>> Box(0, 0, 4, 4).overlaps(Box(4, 0, 4, 4))
        False
        """
        return (
            self.x < other.right + margin
            and other.x < self.right + margin
            and self.y < other.bottom + margin
            and other.y < self.bottom + margin
        )

    def grown(self, by: float) -> Box:
        """The same box with ``by`` added on every side (a padded outline)."""
        return Box(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    @staticmethod
    def around(boxes: Iterable[Box]) -> Box:
        """The smallest box holding all ``boxes``.

        >>> Box.around([Box(0, 0, 1, 1), Box(3, 4, 1, 1)])
        Box(x=0, y=0, width=4, height=5)
        """
        items = list(boxes)
        x1 = min(b.x for b in items)
        y1 = min(b.y for b in items)
        x2 = max(b.right for b in items)
        y2 = max(b.bottom for b in items)
        return Box(x1, y1, x2 - x1, y2 - y1)


def place_in_order(
    targets: Sequence[float], weights: Sequence[float], gaps: Sequence[float]
) -> list[float]:
    """Positions as close as possible to ``targets``, in order, at least ``gaps`` apart.

    Minimises ``sum(w * (x - t) ** 2)`` subject to ``x[i+1] - x[i] >= gaps[i]``.
    Writing ``y[i] = x[i] - (gaps[0] + ... + gaps[i-1])`` turns the gaps into
    plain order constraints, which the pool-adjacent-violators algorithm solves
    exactly in linear time. This is the one-row form of kinship2's quadratic
    programme for pedigree x positions (``alignped4``), without needing a solver.

    Parameters
    ----------
    targets, weights
        Where each item would like to be and how much that matters (> 0).
    gaps
        The least distance between item ``i`` and item ``i + 1``.

    Returns
    -------
    list of float
        The positions, in the same order.

    Examples
    --------
    Two people who both want to stand at 0 share the difference:

    >>> place_in_order([0.0, 0.0], [1.0, 1.0], [10.0])
    [-5.0, 5.0]
    """
    n = len(targets)
    if n == 0:
        return []
    offsets = [0.0] * n
    for i in range(1, n):
        offsets[i] = offsets[i - 1] + gaps[i - 1]
    # Blocks of pooled items: [weighted mean, total weight, count].
    means: list[float] = []
    totals: list[float] = []
    counts: list[int] = []
    for i in range(n):
        w = weights[i]
        m = targets[i] - offsets[i]
        c = 1
        while means and means[-1] > m:
            pw = totals.pop()
            m = (means.pop() * pw + m * w) / (pw + w)
            w += pw
            c += counts.pop()
        means.append(m)
        totals.append(w)
        counts.append(c)
    out: list[float] = []
    i = 0
    for m, c in zip(means, counts, strict=True):
        for _ in range(c):
            out.append(m + offsets[i])
            i += 1
    return out


def stack_intervals(
    intervals: Sequence[tuple[float, float]],
    margin: float = 0.0,
    conflicts: Sequence[Iterable[int]] | None = None,
) -> list[int]:
    """Give each interval a level so that intervals on one level do not touch.

    Greedy colouring of an interval graph in order of left ends: each interval
    takes the lowest level free of intervals within ``margin`` of it and of the
    intervals named in ``conflicts[i]`` (e.g. sibling bars of half-siblings,
    which must never share a level even when far apart).

    >>> stack_intervals([(0, 10), (5, 15), (20, 30)])
    [0, 1, 0]
    >>> stack_intervals([(0, 10), (20, 30)], conflicts=[[1], [0]])
    [0, 1]
    """
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], intervals[i][1], i))
    level_of: dict[int, int] = {}
    level_right: list[float] = []  # rightmost end used on each level so far
    for i in order:
        left, _right = intervals[i]
        banned = {level_of[j] for j in (conflicts[i] if conflicts else ()) if j in level_of}
        level = 0
        while level < len(level_right) and (
            level_right[level] + margin > left or level in banned
        ):
            level += 1
        if level == len(level_right):
            level_right.append(-math.inf)
        level_of[i] = level
        level_right[level] = max(level_right[level], intervals[i][1])
    return [level_of[i] for i in range(len(intervals))]


def stack_bars(
    bars: Sequence[tuple[float, float, float, Sequence[float]]],
    margin: float = 0.0,
    conflicts: Sequence[Iterable[int]] | None = None,
) -> list[int]:
    """Lanes for sibling bars in one gap between rows (lane 0 nearest the parents): bars
    that touch, and the bars in ``conflicts[i]``, never share a lane, and of two bars
    that touch, the one whose lines cross fewer of the other's goes above.

    A bar is ``(left, right, hub, drops)``: its span, where its stem comes down from the
    parents, and where its lines drop to the children. A bar above another crosses the
    other's stem if the stem comes down inside its span, and its own drops cross the
    other bar where they fall inside the other's span. Bars are ranked by how many such
    contests they win, then each takes the nearest lane below every touching bar ranked
    before it.

    >>> # Two families fanning left from hubs at 100 and 130; children at 0-40 and 60-90.
    >>> stack_bars([(0, 100, 100, [0, 20, 40]), (60, 130, 130, [60, 75, 90])])
    [0, 1]
    >>> stack_bars([(60, 130, 130, [60, 75, 90]), (0, 100, 100, [0, 20, 40])])
    [1, 0]
    """
    n = len(bars)

    def touch(i: int, j: int) -> bool:
        return bars[i][0] < bars[j][1] + margin and bars[j][0] < bars[i][1] + margin

    def cost_above(i: int, j: int) -> int:  # i's lane above j's
        a_i, b_i, _h_i, drops_i = bars[i]
        a_j, b_j, h_j, _drops_j = bars[j]
        return sum(1 for x in drops_i if a_j < x < b_j) + (1 if a_i < h_j < b_i else 0)

    wins = [0] * n
    for i in range(n):
        for j in range(i + 1, n):
            if touch(i, j):
                diff = cost_above(i, j) - cost_above(j, i)
                wins[i] += diff < 0
                wins[j] += diff > 0
    order = sorted(range(n), key=lambda i: (-wins[i], bars[i][0], bars[i][1], i))
    level_of: dict[int, int] = {}
    for i in order:
        level = 1 + max((level_of[j] for j in level_of if touch(i, j)), default=-1)
        banned = {level_of[j] for j in (conflicts[i] if conflicts else ()) if j in level_of}
        while level in banned:
            level += 1
        level_of[i] = level
    return [level_of[i] for i in range(n)]


def stack_nested(intervals: Sequence[tuple[float, float]], margin: float = 0.0) -> list[int]:
    """Levels for lines that drop from a row to a lane and back (level 0 nearest the
    row): intervals on one level do not touch, and an interval inside another takes a
    level nearer the row than it, so its drops stay above the outer lane and do not
    cross it (the outer line's drops stand outside the inner one).

    Narrowest first, each interval takes the lowest level above every interval inside
    it that is free of the intervals it touches.

    >>> stack_nested([(0, 100), (20, 40)])  # the inner couple nearer the row
    [1, 0]
    >>> stack_nested([(0, 10), (5, 15), (20, 30)])
    [0, 1, 0]
    """
    order = sorted(range(len(intervals)),
                   key=lambda i: (intervals[i][1] - intervals[i][0], intervals[i][0], i))
    level_of: dict[int, int] = {}
    for i in order:
        left, right = intervals[i]
        level = 1 + max((level_of[j] for j in level_of if left <= intervals[j][0]
                         and intervals[j][1] <= right), default=-1)
        taken = {level_of[j] for j in level_of
                 if intervals[j][0] < right + margin and left < intervals[j][1] + margin}
        while level in taken:
            level += 1
        level_of[i] = level
    return [level_of[i] for i in range(len(intervals))]


def free_x(spans: Sequence[tuple[float, float]], x: float, clearance: float = 4.0) -> float:
    """The x nearest to ``x`` that lies outside every span (spans sorted, disjoint).

    Used to thread a long line down through a row of people between their boxes.

    >>> free_x([(0, 10), (20, 30)], 8)
    15.0
    >>> free_x([(0, 10), (20, 30)], 40)
    40
    """
    lefts = [s[0] for s in spans]
    i = bisect.bisect_right(lefts, x) - 1
    if i < 0 or x >= spans[i][1] + clearance:
        # Not inside span i; check the next span's clearance.
        if i + 1 < len(spans) and x > spans[i + 1][0] - clearance:
            i = i + 1
        else:
            return x
    left, right = spans[i]
    before = spans[i - 1][1] if i > 0 else -math.inf
    after = spans[i + 1][0] if i + 1 < len(spans) else math.inf
    gap_left = (before + left) / 2 if before > -math.inf else left - 2 * clearance
    gap_right = (right + after) / 2 if after < math.inf else right + 2 * clearance
    return gap_left if abs(gap_left - x) <= abs(gap_right - x) else gap_right


def find_box_overlaps(boxes: Sequence[tuple[str, Box]]) -> list[tuple[str, str]]:
    """Every pair of named boxes that overlap, found with a left-to-right sweep.

    >>> find_box_overlaps([("a", Box(0, 0, 5, 5)), ("b", Box(4, 4, 5, 5)),
    ...                    ("c", Box(20, 0, 5, 5))])
    [('a', 'b')]
    """
    order = sorted(range(len(boxes)), key=lambda i: (boxes[i][1].x, i))
    active: list[int] = []
    found: list[tuple[str, str]] = []
    for i in order:
        box = boxes[i][1]
        active = [j for j in active if boxes[j][1].right > box.x]
        for j in active:
            if boxes[j][1].overlaps(box):
                a, b = boxes[j][0], boxes[i][0]
                found.append((a, b) if a <= b else (b, a))
        active.append(i)
    return sorted(found)


def segment_hits_box(a: Point, b: Point, box: Box, clearance: float = 0.0) -> bool:
    """True if the segment ``a``–``b`` passes within ``clearance`` of the box's inside
    (Liang–Barsky clipping against the box grown by ``clearance``).

    >>> segment_hits_box((0, 5), (20, 5), Box(5, 0, 5, 10))
    True
    >>> segment_hits_box((0, 20), (20, 20), Box(5, 0, 5, 10), clearance=2)
    False
    """
    x0, y0 = box.x - clearance, box.y - clearance
    x1, y1 = box.right + clearance, box.bottom + clearance
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return False
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return t1 - t0 > 1e-9


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """True if segments ``a``–``b`` and ``c``–``d`` cross inside both: lines that only
    touch (a line starting on another, two lines meeting at an end) do not cross.

    >>> segments_cross((0, 5), (10, 5), (5, 0), (5, 10))
    True
    >>> segments_cross((0, 5), (10, 5), (5, 5), (5, 10))
    False
    """
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    eps = 1e-6
    d1, d2 = side(c, d, a), side(c, d, b)
    d3, d4 = side(a, b, c), side(a, b, d)
    return ((d1 > eps and d2 < -eps) or (d1 < -eps and d2 > eps)) and (
        (d3 > eps and d4 < -eps) or (d3 < -eps and d4 > eps))


def quadratic_curve(start: Point, control: Point, end: Point, steps: int = 16) -> list[Point]:
    """Points along a quadratic Bézier curve, ends included.

    >>> quadratic_curve((0, 0), (5, 10), (10, 0), steps=2)
    [(0.0, 0.0), (5.0, 5.0), (10.0, 0.0)]
    """
    out = []
    for k in range(steps + 1):
        t = k / steps
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append(
            (
                a * start[0] + b * control[0] + c * end[0],
                a * start[1] + b * control[1] + c * end[1],
            )
        )
    return out


def polyline_length(points: Sequence[Point]) -> float:
    """Total length of a polyline.

    >>> polyline_length([(0, 0), (3, 4), (3, 10)])
    11.0
    """
    return sum(math.dist(points[i], points[i + 1]) for i in range(len(points) - 1))


def point_along(points: Sequence[Point], distance: float) -> tuple[Point, Point]:
    """The point ``distance`` along a polyline and the unit direction there.

    >>> point_along([(0, 0), (10, 0)], 4)
    ((4.0, 0.0), (1.0, 0.0))
    """
    remaining = max(0.0, distance)
    for i in range(len(points) - 1):
        (x1, y1), (x2, y2) = points[i], points[i + 1]
        seg = math.hypot(x2 - x1, y2 - y1)
        if seg == 0:
            continue
        if remaining <= seg or i == len(points) - 2:
            t = min(1.0, remaining / seg)
            return (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t), ((x2 - x1) / seg, (y2 - y1) / seg)
        remaining -= seg
    return points[-1], (1.0, 0.0)


def _normals(points: Sequence[Point]) -> list[Point]:
    normals = []
    n = len(points)
    for i in range(n):
        a = points[max(0, i - 1)]
        b = points[min(n - 1, i + 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        normals.append((-dy / length, dx / length))
    return normals


def offset_polyline(points: Sequence[Point], distance: float) -> list[Point]:
    """The polyline moved sideways by ``distance`` (left of the direction of travel
    is negative y for a line going right): used for double and triple lines.

    >>> offset_polyline([(0, 0), (10, 0)], 2)
    [(0.0, 2.0), (10.0, 2.0)]
    """
    return [
        (p[0] + nx * distance, p[1] + ny * distance)
        for p, (nx, ny) in zip(points, _normals(points), strict=True)
    ]


def zigzag(points: Sequence[Point], amplitude: float, wavelength: float) -> list[Point]:
    """A zigzag that follows a polyline (the genogram's conflict line).

    >>> len(zigzag([(0, 0), (40, 0)], 3, 10)) > 4
    True
    """
    total = polyline_length(points)
    if total == 0:
        return list(points)
    teeth = max(2, round(total / (wavelength / 2)))
    out = [points[0]]
    for k in range(1, teeth):
        (x, y), (dx, dy) = point_along(points, total * k / teeth)
        side = amplitude if k % 2 else -amplitude
        out.append((x - dy * side, y + dx * side))
    out.append(points[-1])
    return out


def arrow_head(
    tip: Point, direction: Point, length: float = 9.0, width: float = 7.0
) -> list[Point]:
    """The three corners of an arrow head whose point is ``tip``.

    >>> arrow_head((10, 0), (1, 0), length=4, width=2)
    [(10, 0), (6.0, 1.0), (6.0, -1.0)]
    """
    dx, dy = direction
    bx, by = tip[0] - dx * length, tip[1] - dy * length
    half = width / 2
    return [tip, (bx - dy * half, by + dx * half), (bx + dy * half, by - dx * half)]


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.2 contrast ratio between two ``#rrggbb`` colours (1 to 21).

    Text needs at least 4.5 against its background and lines 3 (WCAG 2.2 AA,
    success criteria 1.4.3 and 1.4.11).

    >>> round(contrast_ratio("#000000"), 1)
    21.0
    """

    def luminance(hex_colour: str) -> float:
        h = hex_colour.lstrip("#")
        r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
        return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)

    a, b = luminance(colour), luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
