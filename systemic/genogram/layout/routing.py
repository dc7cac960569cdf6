"""Step 4 of the layout: every line of the genogram, and the height of each row.

Couple lines, staggered sibling bars, twins' forks, other parent links
(adoptive, foster, birth parents of an adopted child…) threaded between people,
then the overlays of :mod:`~systemic.genogram.layout.overlays`. Lines threaded
down several rows, and those of couples in two rows, run along a lane above a
gap's sibling bars where they cross fewer lines there
(:mod:`~systemic.genogram.layout.thread_lane`). Each gap
between rows is made as tall as the lanes it must hold, so no line runs
through the symbols or labels of its own rows: see :func:`route_lines`.

>>> from systemic.cases import Case, Person
>>> routes = route_lines(Case(id="c", title="t", fictional=True,
...                           people=[Person(id="a", name="A")]), [("a",)], {"a": 44.0})
>>> routes.unions, routes.ys
((), {'a': 54.0})
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Literal

from systemic.cases import Case
from systemic.genogram.geometry import (
    Box,
    Point,
    free_x,
    stack_bars,
    stack_intervals,
    stack_nested,
)
from systemic.genogram.layout.base import (
    BAR_LANE,
    JOG,
    LABEL_GAP,
    LINK_LANE,
    LOW_LANE,
    MARGIN,
    MIN_ROW_PITCH,
    SMALL_CHAR_WIDTH,
    SMALL_FONT_SIZE,
    ChildLine,
    Family,
    RelationshipCurve,
    Routes,
    SiblingBar,
    TwinFork,
    UnionLine,
    _Index,
    _Link,
    _symbol_box,
    _text_line_boxes,
)
from systemic.genogram.layout.emotional import (
    LANE_STEP,
    RowRoom,
    lanes_needed,
    relationship_routes,
)
from systemic.genogram.layout.overlays import (
    LABEL_CLEARANCE,
    _free_label_spot,
    _household_outlines,
    _Lines,
    _Obstacles,
    _related_by_birth,
)
from systemic.genogram.layout.placement import _Rows
from systemic.genogram.layout.thread_lane import GapLines, runs_above_bars

__all__ = ["route_lines"]

#: Room for the lane above the sibling bars that lines of couples in two rows may take.
THREAD_LANE = 10.0

#: Where a second, third… line into one child enters its symbol, off the centre.
_ENTRY_OFFSETS = (8.0, 14.0, 20.0)


def route_lines(
    case: Case,
    rows: Sequence[Sequence[str]],
    xs: Mapping[str, float],
    *,
    names: Mapping[str, str] | None = None,
    _index: _Index | None = None,
    _facts: _Rows | None = None,
) -> Routes:
    """Every line of the genogram, and each row's height.

    - Couples standing side by side: a line between their symbols at mid
      height, dates above it; the children's line drops from its middle.
    - Couples with someone between them: a line from each partner's side
      down below the row's labels and across, on its own lane.
    - Couples in different rows (related across generations): a line threaded
      down between people to the lower partner's side.
    - Children of one couple hang from one sibling bar; each couple's bar
      gets its own lane in the gap between the rows, and the bars of
      half-siblings never share a lane; twins meet at one point.
    - Other parent links (birth parents of an adopted child, a past foster
      home, a step-parent) run from their couple's line along a lane to the
      child, threading between people when they span several rows.
    - Relationships are curves that bow away from other symbols; households
      are padded rounded boxes around neighbouring members.

    Row heights grow with the lanes each gap needs, so lines never run
    through symbols or labels of their own rows.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> from systemic.genogram.layout.placement import place_x
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="mum", name="Mum"), Person(id="dad", name="Dad"),
    ...     Person(id="kid", name="Kid")],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child="kid", parents=["mum", "dad"])])
    >>> rows = [("mum", "dad"), ("kid",)]
    >>> routes = route_lines(case, rows, place_x(case, rows))
    >>> [bar.family for bar in routes.sibling_bars], routes.unions[0].route
    (['u'], 'beside')
    """
    idx = _index or _Index(case, names)
    facts = _facts or _Rows(idx, rows, {p: r for r, row in enumerate(rows) for p in row})
    return _Router(idx, facts, xs).routes()


def _row_spans(idx: _Index, facts: _Rows, xs: Mapping[str, float]
               ) -> list[list[tuple[float, float]]]:
    """Each row's occupied x spans (sorted, disjoint), for threading long lines down
    between people: everyone's symbol and label, and the whole of each couple standing
    side by side (a line let down between the two would cut their couple line, their
    dates and their children's line). Spans closer than a line's clearance on both
    sides are one.

    >>> from systemic.cases import Case, Person, Union
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="a", name="A"), Person(id="b", name="B")],
    ...     unions=[Union(id="u", partners=["a", "b"], status="married", began=2001)])
    >>> idx = _Index(case)
    >>> facts = _Rows(idx, [("a", "b")], {"a": 0, "b": 0})
    >>> _row_spans(idx, facts, {"a": 0.0, "b": 100.0})
    [[(-22.0, 122.0)]]
    """
    width = idx.width
    spans = [[(xs[p] - width[p] / 2 - 2, xs[p] + width[p] / 2 + 2) for p in row]
             for row in facts.rows]
    for fid in facts.adjacent:
        a, b = idx.families[fid].parents
        mid, w = (xs[a] + xs[b]) / 2, len(idx.union_text(fid)) * SMALL_CHAR_WIDTH
        spans[facts.row_of[a]].append((min(xs[a], xs[b], mid - w / 2 - 2),
                                       max(xs[a], xs[b], mid + w / 2 + 2)))
    out = []
    for row_spans in spans:
        merged: list[tuple[float, float]] = []
        for s0, s1 in sorted(row_spans):
            if merged and s0 < merged[-1][1] + 10.0:
                merged[-1] = (merged[-1][0], max(merged[-1][1], s1))
            else:
                merged.append((s0, s1))
        out.append(merged)
    return out


class _Router:
    """The lanes of every gap between rows, the rows' heights, then the lines."""

    def __init__(self, idx: _Index, facts: _Rows, xs: Mapping[str, float]):
        self.idx, self.facts, self.xs = idx, facts, xs
        self.depth = len(facts.rows)
        self.width_of, self.half = idx.width, idx.half
        self.spans = _row_spans(idx, facts, xs)
        self.couples = [f for f in idx.families.values() if len(f.parents) == 2]
        self.around_level, low_lanes = self._around_lanes()
        self.bar_level, self.fork_x, bar_lanes = self._bar_lanes()
        self.other_links, self.entry_offset = self._other_links()
        self.link_level, link_lanes = self._link_lanes()
        self.above_bars = self._thread_lanes()
        self._row_heights(low_lanes, bar_lanes, link_lanes)
        self.grid = _Obstacles(facts.rows, xs, self.ys, idx)
        self.hub_y: dict[str, float] = {}

    # -- lanes ------------------------------------------------------------------------------
    def _around_lanes(self) -> tuple[dict[str, int], list[int]]:
        """Lanes below a row for couples with someone standing between them."""
        idx, facts, xs, width_of = self.idx, self.facts, self.xs, self.width_of
        by_row: dict[int, list[tuple[str, float, float]]] = {}
        for fam in self.couples:
            a, b = fam.parents
            if facts.row_of[a] == facts.row_of[b] and fam.id not in facts.adjacent:
                left, right = (a, b) if xs[a] <= xs[b] else (b, a)
                x1 = xs[left] + width_of[left] / 2 + JOG
                x2 = xs[right] - width_of[right] / 2 - JOG
                label_w = len(idx.union_text(fam.id)) * SMALL_CHAR_WIDTH
                mid = (x1 + x2) / 2
                by_row.setdefault(facts.row_of[a], []).append(
                    (fam.id, min(x1, mid - label_w / 2 - 4), max(x2, mid + label_w / 2 + 4))
                )
        level: dict[str, int] = {}
        lanes = [0] * self.depth
        for r, items in by_row.items():
            # A couple apart inside another's span takes the lane nearer the row: its
            # drops then stay above the outer line instead of crossing it.
            levels = stack_nested([(x1, x2) for _f, x1, x2 in items], margin=10.0)
            for (fid, _x1, _x2), lv in zip(items, levels, strict=True):
                level[fid] = lv
            lanes[r] = max(levels) + 1
        return level, lanes

    def _bar_points(self, fid: str, kids: list[str]) -> tuple[list[float], dict[int, float]]:
        """Where a family's children meet its bar: each child, or one fork per twin set."""
        xs, idx = self.xs, self.idx
        points = []
        forks: dict[int, list[str]] = {}
        for c in kids:
            t = idx.twin_set.get(c)
            if t is not None:
                forks.setdefault(t, []).append(c)
            else:
                points.append(xs[c])
        fork_x: dict[int, float] = {}
        for t, members in forks.items():
            if len(members) > 1:
                fx = sum(xs[m] for m in members) / len(members)
                fork_x[t] = fx
                points.append(fx)
            else:
                points.append(xs[members[0]])
        return points, fork_x

    def _bar_lanes(self) -> tuple[dict[str, int], dict[str, dict[int, float]], list[int]]:
        """One sibling bar per family, on staggered lanes; half-siblings' bars never share one."""
        idx, facts = self.idx, self.facts
        items_by_row: dict[int, list[tuple[str, float, float, float, list[float]]]] = {}
        fork_x: dict[str, dict[int, float]] = {}
        self.gaps: dict[int, GapLines] = {}
        for fid, kids in facts.children.items():
            hx = facts.hub_x(fid, self.xs)
            points, fork_x[fid] = self._bar_points(fid, kids)
            lo, hi = min(points + [hx]), max(points + [hx])
            items_by_row.setdefault(facts.hub_row(fid), []).append((fid, lo, hi, hx, points))
            self.gaps.setdefault(facts.hub_row(fid), GapLines()).add_bar(lo, hi, hx, points)
        level: dict[str, int] = {}
        lanes = [0] * self.depth
        for r, items in items_by_row.items():
            by_parent: dict[str, list[int]] = {}
            for i, (fid, *_rest) in enumerate(items):
                for p in idx.families[fid].parents:
                    by_parent.setdefault(p, []).append(i)
            conflicts = [
                sorted({j for p in idx.families[fid].parents for j in by_parent[p] if j != i})
                for i, (fid, *_rest) in enumerate(items)
            ]
            levels = stack_bars([bar for _f, *bar in items], 14.0, conflicts)
            for (fid, *_rest), lv in zip(items, levels, strict=True):
                level[fid] = lv
            lanes[r] = max(levels) + 1
        return level, fork_x, lanes

    def _other_links(self) -> tuple[list[_Link], dict[int, float]]:
        """Every parent link that is not a child hanging from its bar, and where it enters."""
        other: list[_Link] = []
        for child, links in self.idx.links_of.items():
            for link in links:
                if self.facts.hang.get(child) != link.family:
                    other.append(link)
        entry: dict[int, float] = {}
        per_side: dict[tuple[str, float], int] = {}
        for i, link in enumerate(other):
            # Enter the child's top on the side the line comes from, so it stops short of
            # the line the child hangs by (crossing it just above the child otherwise).
            side = -1.0 if self.facts.hub_x(link.family, self.xs) < self.xs[link.child] else 1.0
            k = per_side.get((link.child, side), 0)
            per_side[link.child, side] = k + 1
            has_bar = link.child in self.facts.hang
            entry[i] = side * _ENTRY_OFFSETS[k % len(_ENTRY_OFFSETS)] if (
                has_bar or k or per_side.get((link.child, -side))) else 0.0
        return other, entry

    def _link_lanes(self) -> tuple[dict[int, int], list[int]]:
        facts = self.facts
        items_by_row: dict[int, list[tuple[int, float, float]]] = {}
        for i, link in enumerate(self.other_links):
            r = facts.hub_row(link.family)
            if facts.row_of[link.child] == r + 1:
                hx = facts.hub_x(link.family, self.xs)
                cx = self.xs[link.child] + self.entry_offset[i]
                items_by_row.setdefault(r, []).append((i, min(hx, cx), max(hx, cx)))
                self.gaps.setdefault(r, GapLines()).add_link(hx, cx)
        level: dict[int, int] = {}
        lanes = [0] * self.depth
        for r, items in items_by_row.items():
            levels = stack_intervals([(a, b) for _i, a, b in items], 8.0)
            for (i, _a, _b), lv in zip(items, levels, strict=True):
                level[i] = lv
            lanes[r] = max(levels) + 1
        return level, lanes

    def _thread_lanes(self) -> set[int]:
        """The gaps whose long lines (of couples in two rows, and other parents' lines
        threaded down several rows) run along a lane above the sibling bars, where they
        cross fewer lines than along the lowest lane
        (:func:`~systemic.genogram.layout.thread_lane.runs_above_bars`)."""
        facts, xs = self.facts, self.xs
        lines: dict[int, list[tuple[float, float]]] = {}

        def add(start: float, top: int, bottom: int, end: float) -> None:
            for k, x, nx_ in self.thread_runs(start, top, bottom, end):
                lines.setdefault(k, []).append((x, nx_))

        for fam in self.couples:
            a, b = fam.parents
            if facts.row_of[a] != facts.row_of[b]:
                upper, lower = (a, b) if facts.row_of[a] < facts.row_of[b] else (b, a)
                hx = facts.hub_x(fam.id, xs)
                add(self.jog(upper, hx), facts.row_of[upper], facts.row_of[lower], hx)
        for link in self.other_links:
            r, bottom = facts.hub_row(link.family), facts.row_of[link.child]
            if bottom > r + 1:
                add(facts.hub_x(link.family, xs), r, bottom, xs[link.child])
        return {r for r, here in lines.items()
                if r in self.gaps and runs_above_bars(self.gaps[r], here)}

    def _row_heights(self, low_lanes: list[int], bar_lanes: list[int],
                     link_lanes: list[int]) -> None:
        """Each row's centre line, and the first lane of each kind in the gap below it."""
        idx, facts, depth = self.idx, self.facts, self.depth
        above = [max((self.half[p] for p in row), default=20.0) for row in facts.rows]
        self.below = [
            max((self.half[p] + LABEL_GAP + idx.label_h[p] for p in row), default=20.0)
            for row in facts.rows
        ]
        self.cy = [0.0] * depth
        self.low_y0 = [0.0] * depth
        self.bar_y0 = [0.0] * depth
        self.link_y0 = [0.0] * depth
        self.transit_y = [0.0] * depth
        self.thread_y = [0.0] * depth
        rel_lanes = lanes_needed(idx, facts.row_of, depth)
        y = MARGIN + 10.0
        for r in range(depth):
            y += LANE_STEP * rel_lanes[r]
            self.cy[r] = y + above[r]
            self.low_y0[r] = self.cy[r] + self.below[r] + 10.0
            self.bar_y0[r] = self.low_y0[r] + LOW_LANE * low_lanes[r] + 6.0
            if r in self.above_bars:  # a lane above the bars for lines of couples in two rows
                self.thread_y[r] = self.bar_y0[r] - 2.0
                self.bar_y0[r] += THREAD_LANE
            self.link_y0[r] = self.bar_y0[r] + BAR_LANE * bar_lanes[r] + 2.0
            self.transit_y[r] = self.link_y0[r] + LINK_LANE * link_lanes[r] + 4.0
            next_top = self.transit_y[r] + 14.0
            y = max(next_top, self.cy[r] + MIN_ROW_PITCH - (above[r + 1] if r + 1 < depth else 0))
        self.ys = {p: self.cy[facts.row_of[p]] for p in idx.people}
        self.lane_top = [self.cy[r] - above[r] - 8.0 for r in range(depth)]

    # -- small geometry ----------------------------------------------------------------------
    def top(self, p: str) -> float:
        return self.ys[p] - self.half[p]

    def side(self, p: str, toward: float) -> float:
        return self.xs[p] + (self.half[p] if toward >= self.xs[p] else -self.half[p])

    def jog(self, p: str, toward: float) -> float:
        return self.xs[p] + (self.width_of[p] / 2 + JOG) * (1.0 if toward >= self.xs[p] else -1.0)

    def thread(self, start: Point, r_from: int, r_to: int, end_x: float,
               end_y: float) -> list[Point]:
        """From ``start`` in row ``r_from`` down to ``(end_x, end_y)`` in row ``r_to``,
        crossing each row in between through a gap between people, along each gap's
        lowest lane or its lane above the sibling bars (:meth:`_thread_lanes`)."""
        points = [start]
        for k, x, nx_ in self.thread_runs(start[0], r_from, r_to, end_x):
            ty = self.thread_y[k] if k in self.above_bars else self.transit_y[k]
            points.append((x, ty))
            if nx_ != x:
                points.append((nx_, ty))
        points.append((points[-1][0], end_y))
        return points

    def thread_runs(self, start_x: float, r_from: int, r_to: int, end_x: float
                    ) -> list[tuple[int, float, float]]:
        """Where a line threaded from row ``r_from`` down to ``end_x`` in row ``r_to``
        runs along each gap ``k``: from the x it came down at to the x of the space
        between people of the next row it goes down through (``end_x`` at the last)."""
        runs, x = [], start_x
        for k in range(r_from, r_to):
            nx_ = end_x if k + 1 == r_to else free_x(self.spans[k + 1], end_x)
            runs.append((k, x, nx_))
            x = nx_
        return runs

    def hub_point(self, fid: str) -> Point:
        return (self.facts.hub_x(fid, self.xs), self.hub_y[fid])

    def solo_stub(self, fid: str) -> list[Point]:
        fam = self.idx.families[fid]
        if len(fam.parents) != 1:
            return []
        p = fam.parents[0]
        return [(self.xs[p] + self.facts.solo_side[fid] * self.half[p], self.ys[p])]

    # -- couples -----------------------------------------------------------------------------
    def _beside(self, a: str, b: str, label: str) -> tuple[tuple[Point, ...], Point, Box | None]:
        xs, half = self.xs, self.half
        left, right = (a, b) if xs[a] <= xs[b] else (b, a)
        yy = self.ys[a]
        points = ((xs[left] + half[left], yy), (xs[right] - half[right], yy))
        hub = ((xs[left] + xs[right]) / 2, yy)
        box = None
        if label:
            w = len(label) * SMALL_CHAR_WIDTH
            box = Box(hub[0] - w / 2, yy - 4 - SMALL_FONT_SIZE, w, SMALL_FONT_SIZE + 1)
        return points, hub, box

    def _around(self, fam: Family) -> tuple[tuple[Point, ...], Point]:
        a, b = fam.parents
        xs = self.xs
        left, right = (a, b) if xs[a] <= xs[b] else (b, a)
        yy = self.ys[a]
        lane = self.low_y0[self.facts.row_of[a]] + LOW_LANE * self.around_level[fam.id]
        jl, jr = self.jog(left, xs[right]), self.jog(right, xs[left])
        points = (
            (self.side(left, xs[right]), yy), (jl, yy), (jl, lane), (jr, lane), (jr, yy),
            (self.side(right, xs[left]), yy),
        )
        hub_x = self.facts.hub_x(fam.id, xs) if fam.id in self.facts.children else (jl + jr) / 2
        return points, (min(max(hub_x, min(jl, jr)), max(jl, jr)), lane)

    def _across(self, fam: Family) -> tuple[tuple[Point, ...], Point, Point]:
        a, b = fam.parents
        facts, ys = self.facts, self.ys
        upper, lower = (a, b) if facts.row_of[a] < facts.row_of[b] else (b, a)
        hx = facts.hub_x(fam.id, self.xs)
        ju = self.jog(upper, hx)
        path = [(self.side(upper, hx), ys[upper])]
        path += self.thread((ju, ys[upper]), facts.row_of[upper], facts.row_of[lower], hx,
                            ys[lower])
        path.append((self.side(lower, hx), ys[lower]))
        marks_at = ((path[0][0] + path[1][0]) / 2, ys[upper])
        return tuple(path), (hx, ys[lower]), marks_at

    def union_line(self, fam: Family, birth_parents: Mapping[str, tuple[str, ...]],
                   kin_memo: dict[tuple[str, int], frozenset[str]]) -> UnionLine:
        a, b = fam.parents
        facts, idx, xs = self.facts, self.idx, self.xs
        label = idx.union_text(fam.id)
        route: Literal["beside", "around", "across"]
        label_box = None
        if facts.row_of[a] == facts.row_of[b] and fam.id in facts.adjacent:
            route = "beside"
            points, hub, label_box = self._beside(a, b, label)
            marks_at = hub
        elif facts.row_of[a] == facts.row_of[b]:
            route = "around"
            points, hub = self._around(fam)
            marks_at = hub
        else:
            route = "across"
            points, hub, marks_at = self._across(fam)
        if label_box is not None:
            # (Beside a couple there is always room: place_x leaves it.) The dates of
            # the others wait for every line: see _place_dates.
            self.grid.add(f"u:{fam.id}", label_box)
        self.hub_y[fam.id] = hub[1]
        return UnionLine(
            id=fam.id,
            unions=fam.unions,
            partners=(a, b) if route == "across" or xs[a] <= xs[b] else (b, a),
            status=idx.union_status.get(fam.id, "implied"),
            route=route,
            points=tuple((round(px, 2), round(py, 2)) for px, py in points),
            hub=(round(hub[0], 2), round(hub[1], 2)),
            marks_at=marks_at,
            marks_direction=(1.0, 0.0),
            label=label if label_box is not None else "",
            label_box=label_box,
            consanguineous=_related_by_birth(birth_parents, a, b, kin_memo),
        )

    def _place_dates(self, unions: list[UnionLine], bars: Sequence[SiblingBar],
                     links: Sequence[ChildLine]) -> list[UnionLine]:
        """The dates of couples not side by side, placed once every family line is drawn.

        Their lines run through the gaps between rows, where other couples', sibling
        bars', children's and other parents' lines run too; placed before those, the
        dates were cut by them (a bar through its own couple's dates, a line down to a
        child through another couple's). So each goes where it touches no text and no
        line: under the middle of an "around" couple's line if free, else along the
        couple's own line (:func:`_free_label_spot`).
        """
        if all(u.route == "beside" or not self.idx.union_text(u.id) for u in unions):
            return unions
        lines = _Lines()
        for u in unions:
            lines.add(u.points)
        for bar in bars:
            lines.add(bar.stem)
            lines.add(((bar.x1, bar.y), (bar.x2, bar.y)))
            for child in bar.children:
                lines.add(child.points)
            for twin in bar.twins:
                if twin.bar is not None:
                    lines.add(twin.bar)
        for link in links:
            lines.add(link.points)
        out = []
        for u in unions:
            label = self.idx.union_text(u.id)
            if u.route == "beside" or not label:
                out.append(u)
                continue
            w = len(label) * SMALL_CHAR_WIDTH
            box: Box | None = None
            if u.route == "around":
                box = Box(u.hub[0] - w / 2, u.hub[1] + 2, w, SMALL_FONT_SIZE + 1)
            if box is None or self.grid.hits(box) or lines.hits(box, LABEL_CLEARANCE):
                box = _free_label_spot(label, u.points, self.grid, lines)
            if box is not None:
                self.grid.add(f"u:{u.id}", box)
                u = dataclasses.replace(u, label=label, label_box=box)
            out.append(u)
        return out

    # -- children ----------------------------------------------------------------------------
    def _twin_fork(self, fid: str, t: int, members: list[str], bar_y: float,
                   kinds: Mapping[str, str], child_lines: list[ChildLine]) -> TwinFork:
        fx = self.fork_x[fid][t]
        fork = (fx, bar_y)
        ends = []
        for m in members:
            end = (self.xs[m], self.top(m))
            ends.append(end)
            child_lines.append(ChildLine(m, fid, kinds[m], True, (fork, end)))
        twin_bar = None
        identical = self.idx.twin_identical[t]
        if identical:
            f = 0.4
            lx, rx = min(ends), max(ends)
            twin_bar = (
                (fx + (lx[0] - fx) * f, bar_y + (lx[1] - bar_y) * f),
                (fx + (rx[0] - fx) * f, bar_y + (rx[1] - bar_y) * f),
            )
        return TwinFork(tuple(members), fork, identical, twin_bar)

    def sibling_bar(self, fid: str, kids: list[str]) -> SiblingBar:
        idx = self.idx
        hub = self.hub_point(fid)
        bar_y = self.bar_y0[self.facts.hub_row(fid)] + BAR_LANE * self.bar_level[fid]
        child_lines: list[ChildLine] = []
        twins: list[TwinFork] = []
        kinds = {link.child: link.kind for link in idx.children_of[fid]}
        xs_on_bar = [hub[0]]
        done: set[str] = set()
        for c in kids:
            if c in done:
                continue
            t = idx.twin_set.get(c)
            if t is not None and t in self.fork_x[fid]:
                members = [m for m in kids if idx.twin_set.get(m) == t]
                xs_on_bar.append(self.fork_x[fid][t])
                twins.append(self._twin_fork(fid, t, members, bar_y, kinds, child_lines))
                done.update(members)
            else:
                xs_on_bar.append(self.xs[c])
                line = ((self.xs[c], bar_y), (self.xs[c], self.top(c)))
                child_lines.append(ChildLine(c, fid, kinds[c], True, line))
                done.add(c)
        return SiblingBar(
            family=fid, hub=hub, y=bar_y, x1=min(xs_on_bar), x2=max(xs_on_bar),
            level=self.bar_level[fid], stem=tuple(self.solo_stub(fid) + [hub, (hub[0], bar_y)]),
            children=tuple(child_lines), twins=tuple(twins),
        )

    def other_link(self, i: int, link: _Link) -> ChildLine:
        fid, child = link.family, link.child
        r = self.facts.hub_row(fid)
        hub = self.hub_point(fid)
        rc = self.facts.row_of[child]
        offset = self.entry_offset[i]
        cx = self.xs[child] + offset
        end = (cx, self.top(child) + (abs(offset) * 0.4 if offset else 0.0))
        stub = self.solo_stub(fid)
        if rc == r + 1:
            lane = self.link_y0[r] + LINK_LANE * self.link_level[i]
            points = stub + [hub, (hub[0], lane), (cx, lane), end]
        elif rc > r + 1:
            path = self.thread(hub, r, rc, cx, end[1])
            came = next((x for x, _y in reversed(path) if x != cx), cx)
            if offset:  # enter on the side the thread comes down
                side = -1.0 if came < self.xs[child] else 1.0
                cx = self.xs[child] + side * abs(offset)
                path = self.thread(hub, r, rc, cx, end[1])
            points = stub + path
        else:
            # The child stands in the parents' row or above: a straight line is clearest.
            points = stub + [hub, (cx, self.ys[child] + self.half[child])]
        return ChildLine(child, fid, link.kind, False, tuple(points))

    def _relationships(self, unions: list[UnionLine], bottom: float
                       ) -> tuple[RelationshipCurve, ...]:
        if not self.idx.case.relationships:
            return ()
        idx, xs, ys = self.idx, self.xs, self.ys
        texts: list[tuple[str, Box]] = [
            (f"t:{p}:{i}", box)
            for p in idx.people
            for i, box in enumerate(_text_line_boxes(
                xs[p], ys[p] + self.half[p] + LABEL_GAP, idx.lines[p], idx.name_lines[p]))
        ]
        texts += [(f"u:{u.id}", u.label_box) for u in unions if u.label_box is not None]
        symbols = [(f"s:{p}", _symbol_box(p, xs, ys, self.half)) for p in idx.people]
        room = RowRoom(self.facts.row_of, self.lane_top, self.spans)
        return relationship_routes(idx, xs, ys, room, texts, symbols, (4.0, bottom + 12.0))

    # -- everything --------------------------------------------------------------------------
    def routes(self) -> Routes:
        idx, facts = self.idx, self.facts
        birth_parents = {
            child: idx.families[link.family].parents
            for child, links in idx.links_of.items()
            for link in links
            if link.kind == "birth"
        }
        kin_memo: dict[tuple[str, int], frozenset[str]] = {}
        # Couples side by side have a place kept for their dates; the dates of the
        # others go where nothing is, once every family line is drawn.
        unions = [self.union_line(fam, birth_parents, kin_memo) for fam in self.couples]
        for fid, fam in idx.families.items():
            if len(fam.parents) == 1:
                self.hub_y[fid] = self.ys[fam.parents[0]]
        bars = [self.sibling_bar(fid, kids) for fid, kids in facts.children.items()]
        links = [self.other_link(i, link) for i, link in enumerate(self.other_links)]
        unions = self._place_dates(unions, bars, links)
        bottom = max((self.ys[p] + self.below[facts.row_of[p]] for p in idx.people), default=0.0)
        relationships = self._relationships(unions, bottom)
        dates = [u.label_box for u in unions if u.label_box is not None]
        households = _household_outlines(idx, facts.rows, self.xs, self.ys, dates)
        right = max((self.xs[p] + self.width_of[p] / 2 for p in idx.people), default=0.0)
        for u in unions:
            if u.label_box is not None:
                right = max(right, u.label_box.right)
        for h in households:
            for rect in h.rects:
                right = max(right, rect.right)
                bottom = max(bottom, rect.bottom)
        for curve in relationships:
            bottom = max(bottom, *(py + 8 for _px, py in curve.points))
            right = max(right, *(px + 8 for px, _py in curve.points))
        return Routes(
            ys=self.ys, unions=tuple(unions), sibling_bars=tuple(bars), links=tuple(links),
            relationships=relationships, households=households,
            width=round(right + MARGIN, 2), height=round(bottom + MARGIN, 2),
        )
