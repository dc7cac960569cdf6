"""Emotional relationship lines: short, legible routes that never pass through text.

Each relationship (close, hostile, cut off…) is drawn between the two
symbols' edges. Several routes are tried — a straight line, gentle curves
bowing either way, and for people far apart or with others in the way an
orthogonal route along the free lane just above the rows (the lanes are
reserved when the rows are spaced) — and the shortest one that passes
through no name, years line or couple's dates, and over as few other
symbols as possible, is kept. People never move for relationships.

The drawn glyph of a relationship reaches up to 7 units either side of its
path (double and triple lines, zigzags, cut-off bars), so routes keep
:data:`TEXT_CLEARANCE` units off every text.

>>> from systemic.genogram.geometry import Box
>>> texts = _TextField([("t", Box(0, 0, 10, 10))], [])
>>> texts.cost([(-20.0, 5.0), (30.0, 5.0)], set())
(1, 0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from systemic.genogram.geometry import (
    Box,
    Point,
    free_x,
    polyline_length,
    quadratic_curve,
    segment_hits_box,
)
from systemic.genogram.layout.base import RelationshipCurve, _Index

__all__ = ["RowRoom", "relationship_routes", "TEXT_CLEARANCE", "LANE_STEP"]

#: How far a relationship's path keeps off any text.
TEXT_CLEARANCE = 8.0
#: Distance between relationship lanes above a row.
LANE_STEP = 9.0
#: How many lanes above a row are reserved at most.
MAX_LANES = 4
#: Bows of the curves tried, as a share of the distance between the two people.
_BOWS = (0.12, -0.12, 0.22, -0.22, 0.35, -0.35, 0.5, -0.5)


@dataclass(frozen=True)
class RowRoom:
    """What relationship routing needs to know of the rows: who is in which row, the
    y of the first lane above each row, and each row's occupied x spans (sorted)."""

    row_of: Mapping[str, int]
    lane_top: Sequence[float]
    spans: Sequence[Sequence[tuple[float, float]]]


def lanes_needed(idx: _Index, row_of: Mapping[str, int], depth: int) -> list[int]:
    """Lanes to reserve above each row: one per relationship touching it, at most
    :data:`MAX_LANES`.

    >>> from systemic.cases import Case, Person, Relationship
    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A"), Person(id="b", name="B")],
    ...     relationships=[Relationship(from_="a", to="b", kind="close")])
    >>> lanes_needed(_Index(case), {"a": 0, "b": 0}, 1)
    [1]
    """
    count = [0] * depth
    for rel in idx.case.relationships:
        rows = {row_of[p] for p in (rel.from_, rel.to) if p in row_of}
        for r in rows:
            count[r] += 1
    return [min(MAX_LANES, c) for c in count]


class _TextField:
    """Text boxes (grown by the clearance) and symbol boxes, bucketed for quick tests."""

    def __init__(self, texts: Sequence[tuple[str, Box]], symbols: Sequence[tuple[str, Box]],
                 cell: float = 80.0):
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[tuple[str, Box, bool]]] = {}
        for name, box in texts:
            self._add(name, Box(box.x - TEXT_CLEARANCE, box.y - TEXT_CLEARANCE,
                                box.width + 2 * TEXT_CLEARANCE, box.height + 2 * TEXT_CLEARANCE),
                      True)
        for name, box in symbols:
            self._add(name, box, False)

    def _keys(self, x1: float, y1: float, x2: float, y2: float) -> list[tuple[int, int]]:
        c = self.cell
        return [(i, j) for i in range(math.floor(x1 / c), math.floor(x2 / c) + 1)
                for j in range(math.floor(y1 / c), math.floor(y2 / c) + 1)]

    def _add(self, name: str, box: Box, is_text: bool) -> None:
        for k in self._keys(box.x, box.y, box.right, box.bottom):
            self.buckets.setdefault(k, []).append((name, box, is_text))

    def clear(self, points: Sequence[Point], ignore: set[str]) -> bool:
        """True if the path crosses no text and no symbol (other than ``ignore``)."""
        for i in range(len(points) - 1):
            a, b = points[i], points[i + 1]
            keys = self._keys(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]),
                              max(a[1], b[1]))
            for k in keys:
                for name, box, _is_text in self.buckets.get(k, ()):
                    if name not in ignore and segment_hits_box(a, b, box):
                        return False
        return True

    def cost(self, points: Sequence[Point], ignore: set[str]) -> tuple[int, int]:
        """How many texts and how many symbols (other than ``ignore``) the path crosses."""
        texts: set[str] = set()
        symbols: set[str] = set()
        for i in range(len(points) - 1):
            a, b = points[i], points[i + 1]
            keys = self._keys(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]),
                              max(a[1], b[1]))
            for k in keys:
                for name, box, is_text in self.buckets.get(k, ()):
                    if name in ignore or name in texts or name in symbols:
                        continue
                    if segment_hits_box(a, b, box):
                        (texts if is_text else symbols).add(name)
        return len(texts), len(symbols)


def _round_corners(points: list[Point], r: float) -> list[Point]:
    """Cut each corner of an orthogonal route by ``r`` units, so it reads as one line.

    >>> _round_corners([(0.0, 0.0), (0.0, 20.0), (20.0, 20.0)], 6.0)
    [(0.0, 0.0), (0.0, 14.0), (1.8, 18.2), (6.0, 20.0), (20.0, 20.0)]
    """
    out = [points[0]]
    for i in range(1, len(points) - 1):
        (x0, y0), (x1, y1), (x2, y2) = points[i - 1], points[i], points[i + 1]
        d1, d2 = math.dist((x0, y0), (x1, y1)), math.dist((x1, y1), (x2, y2))
        c = min(r, d1 / 2, d2 / 2)
        if c < 0.5:
            out.append((x1, y1))
            continue
        ax, ay = x1 + (x0 - x1) * c / d1, y1 + (y0 - y1) * c / d1
        bx, by = x1 + (x2 - x1) * c / d2, y1 + (y2 - y1) * c / d2
        mx, my = (ax + bx) / 2, (ay + by) / 2
        # The middle point pulled towards the corner, for a soft bend.
        kx, ky = mx + (x1 - mx) * 0.4, my + (y1 - my) * 0.4
        out += [(round(ax, 2), round(ay, 2)), (round(kx, 2), round(ky, 2)),
                (round(bx, 2), round(by, 2))]
    out.append(points[-1])
    return out


def _trim(points: list[Point], start_gap: float, end_gap: float) -> list[Point]:
    """Cut a path where it leaves the first symbol and enters the last (circles of
    ``start_gap`` and ``end_gap`` around its ends), exactly.

    >>> _trim([(0.0, 0.0), (10.0, 0.0), (20.0, 0.0)], 4.0, 5.0)
    [(4.0, 0.0), (10.0, 0.0), (15.0, 0.0)]
    """
    def cut(path: list[Point], gap: float) -> list[Point]:
        sx, sy = path[0]
        for i in range(1, len(path)):
            if math.dist(path[i], (sx, sy)) >= gap:
                (x0, y0), (x1, y1) = path[i - 1], path[i]
                # Where the segment leaves the circle of radius ``gap``: solve |p(t) - s| = gap.
                dx, dy, fx, fy = x1 - x0, y1 - y0, x0 - sx, y0 - sy
                a = dx * dx + dy * dy
                b = 2 * (fx * dx + fy * dy)
                c = fx * fx + fy * fy - gap * gap
                t = (-b + math.sqrt(max(0.0, b * b - 4 * a * c))) / (2 * a) if a else 1.0
                t = min(1.0, max(0.0, t))
                point = (round(x0 + dx * t, 2), round(y0 + dy * t, 2))
                return [point, *path[i:]] if math.dist(point, path[i]) > 0.01 else path[i:]
        return [path[-1]]

    out = cut(list(points), start_gap)
    out = cut(out[::-1], end_gap)[::-1]
    return out if len(out) >= 2 else [points[0], points[-1]]


class _Router:
    """Routes the relationships one by one, sharing the lanes above the rows."""

    def __init__(self, idx: _Index, xs: Mapping[str, float], ys: Mapping[str, float],
                 room: RowRoom, field: _TextField, bounds: tuple[float, float]):
        self.idx, self.xs, self.ys, self.room, self.field = idx, xs, ys, room, field
        self.bounds = bounds
        self.lane_use: dict[tuple[int, int], list[tuple[float, float]]] = {}
        self.exits: dict[str, int] = {}

    def curves(self, a: str, b: str, k: int) -> list[tuple[float, Callable[[], list[Point]]]]:
        """A straight line and gentle bows between the two symbols' edges, each as its
        rough length and a way to make it (most are never needed)."""
        idx, xs, ys = self.idx, self.xs, self.ys
        (x1, y1), (x2, y2) = (xs[a], ys[a]), (xs[b], ys[b])
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx_, ny_ = -(y2 - y1) / d, (x2 - x1) / d
        if ny_ > 0 or (ny_ == 0 and nx_ > 0):
            nx_, ny_ = -nx_, -ny_  # the normal that points up the page
        ga, gb = idx.half[a] + 3, idx.half[b] + 3
        out: list[tuple[float, Callable[[], list[Point]]]] = []
        if k == 0:
            out.append((d - ga - gb, lambda: _trim([(x1, y1), (x2, y2)], ga, gb)))
        if abs(y1 - y2) < 1:  # side by side: also just below the middle, clear of a couple line
            for dy in (12.0, -12.0):
                path = [(x1 + math.copysign(ga, x2 - x1), y1 + dy),
                        (x2 - math.copysign(gb, x2 - x1), y2 + dy)]
                out.append((d - ga - gb + 1.0, lambda path=path: path))
        steps = max(16, int(d / 8))
        for bow in _BOWS:
            bow += math.copysign(0.1 * k, bow)
            h = bow * d + math.copysign(14.0, bow)
            control = ((x1 + x2) / 2 + nx_ * h, (y1 + y2) / 2 + ny_ * h)
            # A quadratic bow of height h/2 is about d + 8/3 (h/2)^2 / d long.
            rough = d + (8 / 3) * (h / 2) ** 2 / d - ga - gb

            def make(control: Point = control) -> list[Point]:
                raw = quadratic_curve((x1, y1), control, (x2, y2), steps=steps)
                return _trim(raw, ga, gb)

            out.append((rough, make))
        return out

    def _lane_y(self, r: int, x1: float, x2: float) -> float:
        lo, hi = min(x1, x2) - 6, max(x1, x2) + 6
        for level in range(MAX_LANES + 2):
            used = self.lane_use.get((r, level), [])
            if all(hi < u0 or lo > u1 for u0, u1 in used):
                return self.room.lane_top[r] - LANE_STEP * level
        return self.room.lane_top[r]

    def _exit_x(self, p: str, toward: float) -> float:
        """Leave a symbol's top a little off centre (a child's line comes in at the centre)."""
        n = self.exits.get(p, 0)
        side = 1.0 if toward >= self.xs[p] else -1.0
        return self.xs[p] + side * min(self.idx.half[p] * 0.8, 7.0 + 4.0 * n)

    def lanes(self, a: str, b: str) -> list[list[Point]]:
        """Orthogonal routes along the lanes above the rows, entering each symbol from the top."""
        room, xs, ys, half = self.room, self.xs, self.ys, self.idx.half
        ra, rb = room.row_of[a], room.row_of[b]
        if ra > rb:
            a, b, ra, rb = b, a, rb, ra
        xa, xb = self._exit_x(a, xs[b]), self._exit_x(b, xs[a])
        ta, tb = ys[a] - half[a] - 3, ys[b] - half[b] - 3
        if ra == rb:
            y = self._lane_y(ra, xa, xb)
            return [[(xa, ta), (xa, y), (xb, y), (xb, tb)]]
        out = []
        side = 1.0 if xs[b] >= xs[a] else -1.0
        sx = xs[a] + side * (half[a] + 3)
        for col in self._columns(ra, rb, xa, xb, sx + side * 14):
            y1 = self._lane_y(ra, xa, col)
            y2 = self._lane_y(rb, col, xb)
            out.append([(xa, ta), (xa, y1), (col, y1), (col, y2), (xb, y2), (xb, tb)])
            if (col - xs[a]) * side > half[a] + 8:
                # Out of the upper person's side, then down the free column.
                out.append([(sx, ys[a]), (col, ys[a]), (col, y2), (xb, y2), (xb, tb)])
                if abs(col - xb) < 0.5:
                    out.append([(sx, ys[a]), (xb, ys[a]), (xb, tb)])
        return out

    def _columns(self, ra: int, rb: int, *aims: float) -> list[float]:
        """Free x positions to go down through rows ``ra`` to ``rb - 1``: the gaps between
        people nearest the ends of the route, and beyond the rows' ends."""
        blocked = sorted(s for r in range(ra, rb) for s in self.room.spans[r])
        merged: list[tuple[float, float]] = []
        for s0, s1 in blocked:
            if merged and s0 <= merged[-1][1] + 20:
                merged[-1] = (merged[-1][0], max(merged[-1][1], s1))
            else:
                merged.append((s0, s1))
        if not merged:
            return list(aims)
        cols = [free_x(merged, aim, 10.0) for aim in aims]
        cols += [(merged[i][1] + merged[i + 1][0]) / 2 for i in range(len(merged) - 1)]
        cols += [merged[0][0] - 12, merged[-1][1] + 12]
        centre = sum(aims) / len(aims)
        return sorted(dict.fromkeys(round(c, 2) for c in cols),
                      key=lambda c: abs(c - centre))[:14]

    def _book(self, path: list[Point], a: str, b: str) -> None:
        """Mark the lanes a chosen orthogonal route uses, and the exits it took."""
        lane_ys = {round(self.room.lane_top[r] - LANE_STEP * lv, 2): (r, lv)
                   for r in range(len(self.room.lane_top)) for lv in range(MAX_LANES + 2)}
        for (x1, y1), (x2, y2) in zip(path, path[1:], strict=False):
            key = lane_ys.get(round(y1, 2)) if abs(y1 - y2) < 0.01 else None
            if key is not None:
                self.lane_use.setdefault(key, []).append((min(x1, x2), max(x1, x2)))
        for p in (a, b):
            self.exits[p] = self.exits.get(p, 0) + 1

    def route(self, a: str, b: str, k: int) -> list[Point]:
        """The shortest route that crosses no text and no other symbol; failing that, the
        one crossing the fewest (texts first)."""
        top_limit, bottom_limit = self.bounds
        ignore = {f"s:{a}", f"s:{b}"}
        orthogonal = self.lanes(a, b)
        candidates: list[tuple[float, int, Callable[[], list[Point]]]] = []
        made = self.curves(a, b, k) + [(polyline_length(p), lambda p=p: p) for p in orthogonal]
        for n, (length, make) in enumerate(made):
            candidates.append((length, n, make))
        candidates.sort(key=lambda c: (c[0], c[1]))
        paths: list[tuple[float, list[Point]]] = []
        best: tuple[float, list[Point]] | None = None
        for _rough, _n, make in candidates:
            path = make()
            length = polyline_length(path)
            if any(py < top_limit or py > bottom_limit for _px, py in path):
                length += 5000.0
            paths.append((length, path))
            if length < 5000.0 and self.field.clear(path, ignore):
                best = (length, path)
                break
        if best is None:
            for length, path in paths:
                texts, symbols = self.field.cost(path, ignore)
                score = 10000.0 * texts + 400.0 * symbols + length
                if best is None or score < best[0]:
                    best = (score, path)
        assert best is not None
        if not any(best[1] is path for path in orthogonal):
            return best[1]
        self._book(best[1], a, b)
        return _round_corners(best[1], 6.0)


def relationship_routes(
    idx: _Index,
    xs: Mapping[str, float],
    ys: Mapping[str, float],
    room: RowRoom,
    texts: Sequence[tuple[str, Box]],
    symbols: Sequence[tuple[str, Box]],
    bounds: tuple[float, float],
) -> tuple[RelationshipCurve, ...]:
    """A route for each emotional relationship of the case, in case order.

    ``texts`` are every text box (each label line, each couple's dates),
    ``symbols`` every symbol box (named ``s:<id>``), ``bounds`` the top and
    bottom the drawing should keep within.
    """
    router = _Router(idx, xs, ys, room, _TextField(texts, symbols), bounds)
    out = []
    seen: dict[frozenset[str], int] = {}
    for rel in idx.case.relationships:
        a, b = rel.from_, rel.to
        if a not in xs or b not in xs or a == b:
            continue
        pair = frozenset((a, b))
        k = seen.get(pair, 0)
        seen[pair] = k + 1
        path = router.route(a, b, k)
        # Keep the direction from ``from_`` to ``to`` (arrows point at ``to``).
        if math.dist(path[0], (xs[a], ys[a])) > math.dist(path[-1], (xs[a], ys[a])):
            path = path[::-1]
        out.append(RelationshipCurve(a, b, rel.kind,
                                     tuple((round(x, 2), round(y, 2)) for x, y in path)))
    return tuple(out)
