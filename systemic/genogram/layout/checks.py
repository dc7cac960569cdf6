"""Checks over a finished layout's geometry: does any line pass through any text?

A genogram is read by its names, years and couples' dates; a line through one
of them makes both hard to read. :func:`text_crossings` walks every piece of
line the drawing will stroke — couple lines, sibling bars and children's
lines, other parent links, emotional relationship curves, household outlines
and their connectors — and reports each text box it passes through. The
layout promises none (measured in the tests over every training case and
every hard case of GENOGRAM.md §3.3).

Each kind of line gets the clearance its drawn glyph needs: emotional
relationships are drawn up to 7 units either side of their path (double and
triple lines, zigzags, cut-off bars), so they must keep 8 units off any text.

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout import layout
>>> text_crossings(layout(Case(id="c", title="t", fictional=True,
...                            people=[Person(id="a", name="Amy")])))
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from systemic.genogram.geometry import Box, Point, segment_hits_box, segments_cross
from systemic.genogram.layout.base import Layout, _text_line_boxes

__all__ = ["text_boxes", "line_pieces", "text_crossings", "segment_hits_box", "join_segments",
           "join_lines", "apart_crossings", "line_crossings", "crossing_pairs"]

#: How far each kind of line must keep off text (half the width of what is drawn).
CLEARANCE = {"relationship": 8.0, "couple": 2.5, "child": 1.5, "link": 1.5,
             "household": 1.5}


def text_boxes(result: Layout) -> list[tuple[str, Box]]:
    """Every text on the drawing: each line of a person's label (name, years, gender
    identity), where the drawing writes it, and each couple's dates.

    >>> from systemic.cases import Case, Person
    >>> from systemic.genogram.layout import layout
    >>> [name for name, _box in text_boxes(layout(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="Amy", born=2015)])))]
    ['name:a:0', 'years:a:1']
    """
    out: list[tuple[str, Box]] = []
    for pid, place in result.people.items():
        boxes = _text_line_boxes(place.x, place.label.y, place.label_lines, place.name_lines)
        for i, box in enumerate(boxes):
            kind = "name" if i < place.name_lines else "years"
            out.append((f"{kind}:{pid}:{i}", box))
    out += [(f"dates:{u.id}", u.label_box) for u in result.unions
            if u.label and u.label_box is not None]
    return out


def _polyline(points: Sequence[Point]) -> Iterator[tuple[Point, Point]]:
    for i in range(len(points) - 1):
        yield points[i], points[i + 1]


def _rect_sides(box: Box) -> list[tuple[Point, Point]]:
    a, b = (box.x, box.y), (box.right, box.y)
    c, d = (box.right, box.bottom), (box.x, box.bottom)
    return [(a, b), (b, c), (c, d), (d, a)]


def line_pieces(result: Layout) -> Iterator[tuple[str, str, tuple[Point, Point]]]:
    """Every straight piece the drawing strokes: ``(kind, owner, (start, end))``.

    Curves come as the short segments the layout sampled them into.
    """
    for u in result.unions:
        for seg in _polyline(u.points):
            yield "couple", f"couple:{u.id}", seg
    for bar in result.sibling_bars:
        for seg in _polyline(bar.stem):
            yield "child", f"bar:{bar.family}", seg
        if bar.x2 > bar.x1:
            yield "child", f"bar:{bar.family}", ((bar.x1, bar.y), (bar.x2, bar.y))
        for line in bar.children:
            for seg in _polyline(line.points):
                yield "child", f"child:{line.family}>{line.child}", seg
    for line in result.links:
        for seg in _polyline(line.points):
            yield "link", f"link:{line.family}>{line.child}", seg
    for rel in result.relationships:
        for seg in _polyline(rel.points):
            yield "relationship", f"relationship:{rel.from_}-{rel.to}", seg
    for h in result.households:
        for rect in h.rects:
            for seg in _rect_sides(rect):
                yield "household", f"household:{h.id}", seg
        for connector in h.connectors:
            for seg in _polyline(connector):
                yield "household", f"household:{h.id}", seg


def text_crossings(result: Layout) -> list[tuple[str, str]]:
    """``(line, text)`` pairs where a drawn line passes through a text (promised: none).

    A text box is shrunk by half a unit, so a line that only grazes its
    edge does not count. The texts are bucketed on a grid of wide, low cells,
    so each piece of line is tried only against the texts near it (a 3,000-person
    family is checked in well under a second).
    """
    cells: dict[tuple[int, int], list[tuple[str, Box]]] = {}
    for name, b in text_boxes(result):
        box = Box(b.x + 0.5, b.y + 0.5, b.width - 1.0, b.height - 1.0)
        for key in _cells(box.x, box.y, box.right, box.bottom):
            cells.setdefault(key, []).append((name, box))
    found: set[tuple[str, str]] = set()
    for kind, owner, (a, b) in line_pieces(result):
        clearance = CLEARANCE[kind]
        keys = _cells(min(a[0], b[0]) - clearance, min(a[1], b[1]) - clearance,
                      max(a[0], b[0]) + clearance, max(a[1], b[1]) + clearance)
        for key in keys:
            for name, box in cells.get(key, ()):
                if (owner, name) not in found and segment_hits_box(a, b, box, clearance):
                    found.add((owner, name))
    return sorted(found)


#: The grid :func:`text_crossings` buckets texts on: texts are short and low.
_CELL_WIDTH, _CELL_HEIGHT = 200.0, 28.0


def _cells(x0: float, y0: float, x1: float, y1: float) -> Iterator[tuple[int, int]]:
    for i in range(int(x0 // _CELL_WIDTH), int(x1 // _CELL_WIDTH) + 1):
        for j in range(int(y0 // _CELL_HEIGHT), int(y1 // _CELL_HEIGHT) + 1):
            yield i, j


def join_segments(result: Layout) -> list[tuple[Point, Point]]:
    """One segment per line into a child, from the family's join point (where its
    children's line leaves the couple or the lone parent) to the child, with row numbers
    as y: the join point's row is the row its couple line belongs to.

    This is what the benchmark counts crossings over, for our drawing and for dot's.

    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> from systemic.genogram.layout import layout
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="a", name="A"), Person(id="b", name="B"), Person(id="k", name="K")],
    ...     unions=[Union(id="u", partners=["a", "b"])],
    ...     parents=[ParentLink(child="k", parents=["a", "b"])])
    >>> [((round(x), y0), (round(x1), y1)) for (x, y0), (x1, y1) in join_segments(layout(case))]
    [((72, 0.0), (72, 1.0))]
    """
    people = result.people
    return [(hub, (round(people[child].x, 2), float(people[child].generation)))
            for _family, hub, child in join_lines(result)]


def join_lines(result: Layout) -> list[tuple[str, Point, str]]:
    """``(family, join point, child)`` for each line into a child: the join point as
    :func:`join_segments` gives it (x rounded, the row number as y)."""
    row_y = sorted({place.y: place.generation for place in result.people.values()}.items())

    def row_at(y: float) -> float:
        found = row_y[0][1]
        for ry, r in row_y:
            if ry <= y + 1.0:
                found = r
        return float(found)

    out = []
    for bar in result.sibling_bars:
        hub = (round(bar.hub[0], 2), row_at(bar.hub[1]))
        out += [(bar.family, hub, line.child) for line in bar.children]
    hubs = {bar.family: bar.hub for bar in result.sibling_bars}
    hubs.update({u.id: u.hub for u in result.unions})
    for line in result.links:
        hub_point = hubs.get(line.family)
        if hub_point is None:  # a lone parent with no bar: the line's second point
            hub_point = line.points[1] if len(line.points) > 2 else line.points[0]
        # Rounded: one hub reached by two paths (its bar, its couple) is one point.
        out.append((line.family, (round(hub_point[0], 2), row_at(hub_point[1])), line.child))
    return out


def apart_crossings(result: Layout) -> int:
    """Crossings made by the lines of couples standing apart (someone between them: the
    line runs below the row), counted on the drawing: each other family line (a couple's,
    a sibling bar, its stem, a line into a child) that it crosses counts once, and two
    such couple lines that cross each other count once.

    The benchmark adds these to our crossings: :func:`join_segments` has no segment for
    a couple's own line.

    >>> from systemic.cases import Case, Person
    >>> from systemic.genogram.layout import layout
    >>> apart_crossings(layout(Case(id="c", title="t", fictional=True,
    ...                             people=[Person(id="a", name="Amy")])))
    0
    """
    around = [u for u in result.unions if u.route == "around"]
    if not around:
        return 0
    others = [(owner, seg) for kind, owner, seg in line_pieces(result)
              if kind in ("couple", "child", "link")]
    total = 0
    for k, u in enumerate(around):
        # Two such lines that cross are counted once (from the first of the two).
        mine = {f"couple:{u.id}", f"bar:{u.id}", *(f"couple:{v.id}" for v in around[:k])}
        crossed = set()
        for a, b in _polyline(u.points):
            lo_x, hi_x = min(a[0], b[0]), max(a[0], b[0])
            lo_y, hi_y = min(a[1], b[1]), max(a[1], b[1])
            for owner, (c, d) in others:
                if owner in mine or owner.startswith(f"child:{u.id}>") or owner in crossed:
                    continue
                if (max(c[0], d[0]) < lo_x or min(c[0], d[0]) > hi_x
                        or max(c[1], d[1]) < lo_y or min(c[1], d[1]) > hi_y):
                    continue
                if segments_cross(a, b, c, d):
                    crossed.add(owner)
        total += len(crossed)
    return total


def line_crossings(result: Layout) -> list[tuple[str, str]]:
    """Pairs of family lines that cross on the drawing: couple lines, sibling bars, their
    stems, lines into children and other parent links, of two different families (lines
    of one family meet, they do not cross). This is what a reader sees; the benchmark's
    count (:func:`join_segments`) judges orders, this the drawing.

    >>> from systemic.cases import Case, Person
    >>> from systemic.genogram.layout import layout
    >>> line_crossings(layout(Case(id="c", title="t", fictional=True,
    ...                            people=[Person(id="a", name="Amy")])))
    []
    """
    def family(owner: str) -> str:
        return owner.split(":", 1)[1].split(">")[0]

    return crossing_pairs((family(o), o, seg) for kind, o, seg in line_pieces(result)
                          if kind in ("couple", "child", "link"))


def crossing_pairs(pieces: Iterable[tuple[str, str, tuple[Point, Point]]]
                   ) -> list[tuple[str, str]]:
    """Pairs of lines (``owner``) of two different families that cross, from the straight
    pieces each line is drawn with: ``(family, owner, (a, b))``. The benchmark counts
    ``dot``'s drawing with it too, its curves cut into short pieces.

    >>> crossing_pairs([("f", "bar:f", ((0, 5), (10, 5))), ("g", "child:g>k", ((5, 0), (5, 9)))])
    [('bar:f', 'child:g>k')]
    """
    pieces = sorted(pieces, key=lambda t: min(t[2][0][0], t[2][1][0]))
    found: set[tuple[str, str]] = set()
    for i, (fam_i, own_i, (a, b)) in enumerate(pieces):
        right = max(a[0], b[0])
        low, high = min(a[1], b[1]), max(a[1], b[1])
        for fam_j, own_j, (c, d) in pieces[i + 1:]:
            if min(c[0], d[0]) > right:
                break
            if (fam_i != fam_j and min(c[1], d[1]) <= high and max(c[1], d[1]) >= low
                    and segments_cross(a, b, c, d)):
                found.add((own_i, own_j) if own_i < own_j else (own_j, own_i))
    return sorted(found)
