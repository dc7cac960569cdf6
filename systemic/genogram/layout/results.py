"""What the layout returns: every person's place and every line, frozen.

:func:`~systemic.genogram.layout.layout` hands the drawing one frozen :class:`Layout`
holding everything it draws (people's symbols and labels, couples' lines, sibling
bars, other parent links, relationship curves and household outlines), so the
drawing places nothing itself and a layout can be compared, stored or checked as a
value.

>>> from systemic.genogram.geometry import Box
>>> place = PersonPlace("a", 0.0, 0.0, 0, 40.0, Box(-20, -20, 40, 40),
...                     Box(-10, 24, 20, 14), ("A",), 1)
>>> place.label.y, place.name_lines
(24, 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from systemic.genogram.geometry import Box, Point


@dataclass(frozen=True)
class PersonPlace:
    """One person on the page: symbol centre, boxes and the text measured."""

    id: str
    x: float
    y: float
    generation: int
    size: float
    symbol: Box
    label: Box
    label_lines: tuple[str, ...]
    name_lines: int


@dataclass(frozen=True)
class UnionLine:
    """A couple's line, from ``partners[0]`` to ``partners[1]``.

    ``route`` is ``"beside"`` (the couple stand side by side), ``"around"``
    (someone stands between them: the line runs below the row) or
    ``"across"`` (they are in different rows). ``hub`` is where their
    children's line starts, ``marks_at`` where status slashes go.
    """

    id: str
    unions: tuple[str, ...]
    partners: tuple[str, str]
    status: str
    route: Literal["beside", "around", "across"]
    points: tuple[Point, ...]
    hub: Point
    marks_at: Point
    marks_direction: Point
    label: str
    label_box: Box | None
    consanguineous: bool


@dataclass(frozen=True)
class ChildLine:
    """A line from parents to a child, styled by the link's kind."""

    child: str
    family: str
    kind: str
    primary: bool
    points: tuple[Point, ...]


@dataclass(frozen=True)
class TwinFork:
    """Twins' lines meeting at one point on the sibling bar; identical twins get a bar."""

    people: tuple[str, ...]
    fork: Point
    identical: bool
    bar: tuple[Point, Point] | None


@dataclass(frozen=True)
class SiblingBar:
    """The horizontal line a couple's (or one parent's) children hang from."""

    family: str
    hub: Point
    y: float
    x1: float
    x2: float
    level: int
    stem: tuple[Point, ...]
    children: tuple[ChildLine, ...]
    twins: tuple[TwinFork, ...]


@dataclass(frozen=True)
class RelationshipCurve:
    """An emotional relationship, as a curve between two symbols' edges."""

    from_: str
    to: str
    kind: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class HouseholdOutline:
    """Rounded boxes around the members of a household, one per run of neighbours."""

    id: str
    name: str
    members: tuple[str, ...]
    rects: tuple[Box, ...]
    connectors: tuple[tuple[Point, ...], ...]
    radius: float


@dataclass(frozen=True)
class Routes:
    """What :func:`route_lines` works out: rows' heights and every line."""

    ys: dict[str, float]
    unions: tuple[UnionLine, ...]
    sibling_bars: tuple[SiblingBar, ...]
    links: tuple[ChildLine, ...]
    relationships: tuple[RelationshipCurve, ...]
    households: tuple[HouseholdOutline, ...]
    width: float
    height: float

@dataclass(frozen=True)
class Layout:
    """Everything a drawing of the genogram needs, in SVG user units.

    ``people`` maps ids to :class:`PersonPlace`; ``rows`` lists each
    generation left to right. ``crossings`` is :func:`count_crossings` over
    :func:`family_segments` with generation numbers as y.
    """

    people: dict[str, PersonPlace]
    rows: tuple[tuple[str, ...], ...]
    unions: tuple[UnionLine, ...]
    sibling_bars: tuple[SiblingBar, ...]
    links: tuple[ChildLine, ...]
    relationships: tuple[RelationshipCurve, ...]
    households: tuple[HouseholdOutline, ...]
    width: float
    height: float
    crossings: int

    def boxes(self) -> list[tuple[str, Box]]:
        """Every box that must not overlap another: symbols, labels, couples' dates."""
        out: list[tuple[str, Box]] = []
        for pid, place in self.people.items():
            out.append((f"symbol:{pid}", place.symbol))
            out.append((f"label:{pid}", place.label))
        for u in self.unions:
            if u.label_box is not None:
                out.append((f"union-label:{u.id}", u.label_box))
        return out
