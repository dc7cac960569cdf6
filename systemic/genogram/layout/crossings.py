"""How many parent–child lines cross: the count every order of the rows is judged by.

The ordering step keeps the order whose lines into children cross least; the
benchmark counts the same way for other placements of the same people
(:func:`family_segments`). Lines are counted gap by gap between rows, each gap's
crossings the inversions of its lines' order at the top and at the bottom.

>>> count_crossings([((0, 0), (1, 1)), ((1, 0), (0, 1))])
1
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping

from systemic.cases import Case
from systemic.genogram.geometry import Point

#: A line from its parents' join point (top) to a child (bottom).
Segment = tuple[Point, Point]


def count_crossings(segments: Iterable[Segment]) -> int:
    """How many pairs of parent–child lines cross, counted gap by gap between rows.

    Each segment runs from its parents (top) to a child (bottom). Between
    every two consecutive y levels, two segments cross when their order at
    the top and at the bottom disagree; segments that share an end (siblings
    from one couple, or two links into one child) do not count. Segments
    spanning several levels are cut at each level. Horizontal segments are
    ignored. The count is the inversion count of each gap (Barth, Jünger &
    Mutzel 2004, "Simple and efficient bilayer cross counting"), with
    O(E log E) comparisons per gap (:func:`_inversions`).

    Examples
    --------
    >>> count_crossings([((0, 0), (1, 1)), ((1, 0), (0, 1))])
    1
    >>> count_crossings([((0, 0), (0, 1)), ((0, 0), (1, 1))])
    0
    """
    segs = []
    levels_set: set[float] = set()
    for (x1, y1), (x2, y2) in segments:
        if y1 == y2:
            continue
        if y1 > y2:
            x1, y1, x2, y2 = x2, y2, x1, y1
        segs.append((x1, y1, x2, y2))
        levels_set.add(y1)
        levels_set.add(y2)
    levels = sorted(levels_set)
    gaps: dict[int, list[tuple[float, float]]] = {}
    level_index = {y: k for k, y in enumerate(levels)}
    for x1, y1, x2, y2 in segs:
        i = level_index[y1]
        j = level_index[y2]
        if j == i + 1:
            gap = gaps.get(i)
            if gap is None:
                gaps[i] = [(x1, x2)]
            else:
                gap.append((x1, x2))
            continue
        for k in range(i, j):
            # Cut at each level between; rounding lets cut points meet exact ends.
            ya, yb = levels[k], levels[k + 1]
            xa = x1 + (x2 - x1) * (ya - y1) / (y2 - y1)
            xb = x1 + (x2 - x1) * (yb - y1) / (y2 - y1)
            gaps.setdefault(k, []).append((round(xa, 6), round(xb, 6)))
    return sum(_inversions(pairs) for pairs in gaps.values())


def _inversions(pairs: list[tuple[float, float]]) -> int:
    """Pairs of segments in one gap whose order at the top and at the bottom disagree.

    Taken left to right at the top, each segment crosses the earlier ones whose bottom
    is strictly right of its own: the bottoms seen so far are kept sorted
    (:func:`bisect.insort`, a memory move in C, quicker than a Fenwick tree in
    Python for the few hundred lines of a gap).

    >>> _inversions([(0.0, 1.0), (1.0, 0.0), (2.0, 0.5)])
    2
    """
    pairs.sort()
    seen: list[float] = []
    right_of = bisect.bisect_right
    insort = bisect.insort_right
    total = 0
    for inserted, (_top, bottom) in enumerate(pairs):
        total += inserted - right_of(seen, bottom)
        insort(seen, bottom)
    return total


def family_segments(
    case: Case, positions: Mapping[str, tuple[float, float]]
) -> list[Segment]:
    """One segment per parent link of ``case``: from the parents' midpoint to the child.

    This is the set of edges whose crossings are counted, both for our layout
    and for any other placement of the same people (the benchmark's baseline).

    >>> from systemic.cases import Case, Person, ParentLink
    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A"), Person(id="b", name="B")],
    ...     parents=[ParentLink(child="b", parents=["a"])])
    >>> family_segments(case, {"a": (0.0, 0.0), "b": (2.0, 1.0)})
    [((0.0, 0.0), (2.0, 1.0))]
    """
    out = []
    for link in case.parents:
        parents = [p for p in link.parents if p in positions]
        if not parents or link.child not in positions:
            continue
        x = sum(positions[p][0] for p in parents) / len(parents)
        y = sum(positions[p][1] for p in parents) / len(parents)
        out.append(((x, y), positions[link.child]))
    return out
