"""What every step of the genogram layout shares: measures, the family index, result types.

The layout (:mod:`systemic.genogram.layout`) runs four steps, one module each:
:mod:`~systemic.genogram.layout.generations`, :mod:`~systemic.genogram.layout.ordering`,
:mod:`~systemic.genogram.layout.placement` and :mod:`~systemic.genogram.layout.routing`.
They all read the same measures (symbol and label sizes, gaps), the same
:class:`_Index` of the case (families, partners, children, twins, households),
and produce the frozen result types defined here, so no step measures a name
differently from another.

>>> from systemic.cases import Person
>>> measure_label(Person(id="a", name="Amy", born=2015))
(('Amy', 'b. 2015'), 1, 50.2, 28.0)
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from systemic.cases import Case, Person
from systemic.datafile import read_yaml
from systemic.errors import DataFileError, Problem
from systemic.genogram.geometry import Box, Point, find_box_overlaps

#: Symbols, line patterns, colours and date words, by notation profile.
NOTATION_FILE = Path(__file__).resolve().parent.parent / "notation.yaml"

# -- sizes (SVG user units) --------------------------------------------------------------
#: Side of a person's square (or diameter of their circle).
SYMBOL_SIZE = 40.0
#: Pregnancies, miscarriages, terminations and stillbirths are drawn small.
SMALL_SYMBOL_SIZE = 22.0
PET_SYMBOL_SIZE = 28.0
#: How far the index person's second outline sits outside the first.
INDEX_RING = 5.0
#: Fixed widths per character, so that boxes do not depend on the viewer's fonts:
#: generous for the usual sans-serif system fonts at 12 px (names) and 11 px.
NAME_CHAR_WIDTH = 7.4
SMALL_CHAR_WIDTH = 6.6
NAME_FONT_SIZE = 12.0
SMALL_FONT_SIZE = 11.0
LINE_HEIGHT = 14.0
#: The longest line of a name before it wraps, and the most lines it may take.
NAME_WRAP = 24
NAME_LINES = 3
#: Space between people's boxes in a row, and extra space between units, sibling
#: groups and unrelated families, so that the groups can be read at a glance.
GAP = 16.0
UNIT_GAP = 6.0
GROUP_GAP = 18.0
COMPONENT_GAP = 44.0
#: Where a line leaves a person from the side (a parent on their own, a couple
#: that cannot stand side by side): this far beyond their widest box.
JOG = 7.0
#: Room for a child's line between the labels of the two partners.
DROP_CLEAR = 8.0
MARGIN = 24.0
LABEL_GAP = 4.0
LOW_LANE = 17.0
BAR_LANE = 10.0
LINK_LANE = 8.0
MIN_ROW_PITCH = 128.0
#: The most a household outline is padded out from its members' boxes (nested ones
#: step out 4 units each, from 6), and the room left beside a member for it.
HOUSEHOLD_PAD_MAX = 14.0
HOUSEHOLD_ROOM = HOUSEHOLD_PAD_MAX + 4.0

_KIND_RANK = {
    "birth": 0,
    "adoptive": 1,
    "special_guardianship": 2,
    "kinship": 3,
    "foster": 4,
    "step": 5,
}
_PLACEMENT_KINDS = frozenset({"adoptive", "special_guardianship", "kinship", "foster"})
_SMALL_KINDS = frozenset({"pregnancy", "miscarriage", "termination", "stillbirth"})

#: Above this many people the extra crossing-cutting flips are skipped: sweeps alone
#: already do well, and the flips grow with the square of the family's size.
IMPROVE_LIMIT = 320



@cache
def _notation() -> dict[str, Any]:
    """``notation.yaml``, read once (plain-language errors if it was broken by hand)."""
    data = read_yaml(NOTATION_FILE)
    for key in ("union_dates", "gender_agrees", "colours", "profiles"):
        if not isinstance(data, dict) or not isinstance(data.get(key), dict):
            raise DataFileError([Problem(str(NOTATION_FILE), key,
                                         "is missing — restore it from the project's copy")])
    return data


# -- what is measured --------------------------------------------------------------------


def symbol_size(person: Person) -> float:
    """The width of a person's symbol: pregnancies and losses are drawn small.

    >>> symbol_size(Person(id="p", name="Pregnancy", kind="pregnancy"))
    22.0
    """
    if person.kind in _SMALL_KINDS:
        return SMALL_SYMBOL_SIZE
    if person.kind == "pet":
        return PET_SYMBOL_SIZE
    return SYMBOL_SIZE


def _symbol_half(person: Person) -> float:
    return symbol_size(person) / 2 + (INDEX_RING if person.index else 0.0)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    words = text.split()
    out: list[str] = []
    line = ""
    for word in words:
        while len(word) > width:
            if line:
                out.append(line)
                line = ""
            out.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return out or [""]


def _gender_differs(person: Person) -> bool:
    identity = (person.gender_identity or "").strip().lower()
    if not identity:
        return False
    agrees = _notation()["gender_agrees"].get(person.sex, [])
    return identity not in agrees


def label_lines(person: Person, name: str | None = None) -> tuple[str, ...]:
    """The text under a person's symbol: name (wrapped), years, gender identity.

    ``name`` replaces the person's name, e.g. initials when names are hidden.

    >>> label_lines(Person(id="a", name="Amy Smith", sex="female", born=1950, died=2017))
    ('Amy Smith', '1950–2017')
    >>> label_lines(Person(id="b", name="Bo", sex="female", gender_identity="non-binary",
    ...                    born=2008), "B.")
    ('B.', 'b. 2008', 'non-binary')
    >>> label_lines(Person(id="c", name="Cy", born=1890, deceased=True))
    ('Cy', '1890–?')
    """
    lines = _wrap(person.name if name is None else name, NAME_WRAP, NAME_LINES)
    born = person.born.year if person.born else None
    died = person.died.year if person.died else None
    if born and died:
        lines.append(f"{born}–{died}")
    elif born and person.has_died and person.kind not in _SMALL_KINDS:
        lines.append(f"{born}–?")  # died, date not known
    elif born:
        lines.append(str(born) if person.kind in _SMALL_KINDS else f"b. {born}")
    elif died:
        lines.append(f"d. {died}")
    if _gender_differs(person):
        lines.append(_wrap(person.gender_identity or "", NAME_WRAP, 1)[0])
    return tuple(lines)


def measure_label(
    person: Person, name: str | None = None
) -> tuple[tuple[str, ...], int, float, float]:
    """A person's label lines, how many of them are the name, and the label's size.

    Widths come from a fixed width per character, so boxes do not depend on
    the fonts of whoever views the SVG.

    >>> measure_label(Person(id="a", name="Amy", born=2015))
    (('Amy', 'b. 2015'), 1, 50.2, 28.0)
    """
    lines = label_lines(person, name)
    name_lines = len(_wrap(person.name if name is None else name, NAME_WRAP, NAME_LINES))
    width = 0.0
    for i, line in enumerate(lines):
        per = NAME_CHAR_WIDTH if i < name_lines else SMALL_CHAR_WIDTH
        width = max(width, len(line) * per)
    return lines, name_lines, round(width + 4.0, 2), len(lines) * LINE_HEIGHT


def union_label(statuses: Sequence[tuple[str, Any, Any]]) -> str:
    """The dates written on a couple's line, e.g. ``m. 2005 d. 2017``.

    ``statuses`` holds ``(status, began, ended)`` for each union of the couple
    (a couple who married, divorced and remarried has two).

    >>> union_label([("divorced", 2005, 2017)])
    'm. 2005 d. 2017'
    >>> union_label([("cohabiting", None, None)])
    ''
    """
    words = _notation()["union_dates"]
    parts: list[str] = []
    for status, began, ended in statuses:
        prefixes = words.get(status, {"began": "", "ended": "ended"})
        if began is not None:
            year = getattr(began, "year", began)
            parts.append(f"{prefixes['began']} {year}".strip())
        if ended is not None:
            year = getattr(ended, "year", ended)
            parts.append(f"{prefixes['ended']} {year}".strip())
    return " ".join(parts)


# -- the family as the layout sees it -------------------------------------------------------



@dataclass(frozen=True)
class Family:
    """Parents whose children hang together: a couple, or one parent alone.

    ``id`` is the couple's first union id, ``~a+b`` for two parents with no
    union recorded, or ``~a`` for one parent (``~`` cannot appear in case ids).
    """

    id: str
    parents: tuple[str, ...]
    unions: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Link:
    child: str
    family: str
    kind: str
    current: bool
    position: int


class _Index:
    """Lookups built once per case, shared by the layout steps."""

    def __init__(self, case: Case, names: Mapping[str, str] | None = None):
        self.case = case
        self.people: dict[str, Person] = {p.id: p for p in case.people}
        self.order: dict[str, int] = {p.id: i for i, p in enumerate(case.people)}
        self.names = dict(names or {})
        self.families: dict[str, Family] = {}
        self.component_of: dict[str, int] | None = None  # see _components
        self._read_unions()
        self._read_links()
        self._read_partners_and_twins()
        self._read_overlays()
        self._measure()

    def _read_unions(self) -> None:
        """One family per couple, however many unions (married, divorced, remarried) they had."""
        self._family_unions: dict[frozenset[str], list[str]] = {}
        self._family_parents: dict[frozenset[str], tuple[str, ...]] = {}
        self._family_id: dict[frozenset[str], str] = {}
        self.union_rows: dict[str, list[tuple[str, Any, Any]]] = {}
        self.union_status: dict[str, str] = {}
        for union in self.case.unions:
            a, b = union.partners
            if a == b or a not in self.people or b not in self.people:
                continue
            pair = frozenset((a, b))
            if pair not in self._family_id:
                self._family_id[pair] = union.id
                self._family_parents[pair] = (a, b)
                self._family_unions[pair] = []
            self._family_unions[pair].append(union.id)
            fid = self._family_id[pair]
            self.union_rows.setdefault(fid, []).append((union.status, union.began, union.ended))
            self.union_status[fid] = union.status  # the latest listed wins
        for pair, fid in self._family_id.items():
            self.families[fid] = Family(fid, self._family_parents[pair],
                                        tuple(self._family_unions[pair]))

    def _family_for(self, parents: tuple[str, ...]) -> str:
        """The family id of these parents, made up (``~a`` or ``~a+b``) if no union joins them."""
        if len(parents) == 1:
            fid = f"~{parents[0]}"
            if fid not in self.families:
                self.families[fid] = Family(fid, parents)
            return fid
        pair = frozenset(parents)
        if pair not in self._family_id:
            self._family_id[pair] = f"~{parents[0]}+{parents[1]}"
            self._family_parents[pair] = parents
            self._family_unions[pair] = []
        fid = self._family_id[pair]
        if fid not in self.families:
            self.families[fid] = Family(fid, self._family_parents[pair],
                                        tuple(self._family_unions[pair]))
        return fid

    def _couple_of(self, parents: tuple[str, ...], birth: Sequence[str]) -> str | None:
        """The couple a step-parent's line leaves from: a lone step-parent who is the partner
        of one of the child's own parents is a step-parent through that couple, so the line
        starts where the couple's children's lines start, not beside the step-parent alone
        (it then crosses none of the couple's own children's lines)."""
        if len(parents) != 1:
            return None
        for other in birth:
            fid = self._family_id.get(frozenset((parents[0], other)))
            if fid is not None and other != parents[0]:
                return fid
        return None

    def _birth_parents(self) -> dict[str, list[str]]:
        """Birth links of one child are one set of parents, however they were written."""
        out: dict[str, list[str]] = {}
        for link in self.case.parents:
            if link.kind == "birth" and link.child in self.people:
                known = out.setdefault(link.child, [])
                for p in link.parents:
                    if p in self.people and p != link.child and p not in known:
                        known.append(p)
        return out

    def _read_links(self) -> None:
        birth_parents = self._birth_parents()
        self.links_of: dict[str, list[_Link]] = {}
        self.children_of: dict[str, list[_Link]] = {}
        seen_birth: set[str] = set()
        for i, link in enumerate(self.case.parents):
            child = link.child
            if child not in self.people:
                continue
            if link.kind == "birth":
                if child in seen_birth:
                    continue
                seen_birth.add(child)
                parents = tuple(birth_parents[child][:2])
            else:
                parents = tuple(
                    dict.fromkeys(p for p in link.parents if p in self.people and p != child)
                )
            if not parents:
                continue
            fid = self._couple_of(parents, birth_parents.get(child, ())) or self._family_for(
                parents)
            item = _Link(child, fid, link.kind, getattr(link, "until", None) is None, i)
            self.links_of.setdefault(child, []).append(item)
            self.children_of.setdefault(fid, []).append(item)

    def _read_partners_and_twins(self) -> None:
        self.families_of: dict[str, list[str]] = {}
        self.partners: dict[str, list[str]] = {}
        for fid, fam in self.families.items():
            for p in fam.parents:
                self.families_of.setdefault(p, []).append(fid)
            if len(fam.parents) == 2:
                a, b = fam.parents
                self.partners.setdefault(a, []).append(b)
                self.partners.setdefault(b, []).append(a)
        self.twin_set: dict[str, int] = {}
        self.twin_identical: list[bool] = []
        for t in self.case.twins:
            k = len(self.twin_identical)
            self.twin_identical.append(t.identical)
            for p in t.people:
                if p in self.people and p not in self.twin_set:
                    self.twin_set[p] = k

    def _read_overlays(self) -> None:
        self.households_of: dict[str, list[int]] = {}
        for k, h in enumerate(self.case.households):
            for p in dict.fromkeys(h.members):
                if p in self.people:
                    self.households_of.setdefault(p, []).append(k)
        self.related: dict[str, list[str]] = {}
        for r in self.case.relationships:
            if r.from_ in self.people and r.to in self.people:
                self.related.setdefault(r.from_, []).append(r.to)
                self.related.setdefault(r.to, []).append(r.from_)

    def _measure(self) -> None:
        self._union_text: dict[str, str] = {}
        self._birth_keys: dict[str, tuple[Any, ...]] = {}
        self.lines: dict[str, tuple[str, ...]] = {}
        self.name_lines: dict[str, int] = {}
        self.label_w: dict[str, float] = {}
        self.label_h: dict[str, float] = {}
        self.half: dict[str, float] = {}
        self.width: dict[str, float] = {}
        for p in self.case.people:
            lines, n_name, w, h = measure_label(p, self.names.get(p.id))
            self.lines[p.id] = lines
            self.name_lines[p.id] = n_name
            self.label_w[p.id] = w
            self.label_h[p.id] = h
            self.half[p.id] = _symbol_half(p)
            self.width[p.id] = max(2 * self.half[p.id], w)


    def birth_key(self, pid: str) -> tuple[Any, ...]:
        """Sort key for siblings: oldest first, twins together, then case order."""
        key = self._birth_keys.get(pid)
        if key is None:
            born = self.people[pid].born
            key = (born.sort_key() if born else (9999, 99, 99), -1, self.order[pid])
            twin = self.twin_set.get(pid)
            if twin is not None:
                # Twins sort as one: by the earliest birth in the set, then together.
                sibs = [q for q, k in self.twin_set.items() if k == twin]
                keys = [self.people[q].born.sort_key() for q in sibs if self.people[q].born]
                key = (min(keys) if keys else key[0], twin, self.order[pid])
            self._birth_keys[pid] = key
        return key

    def lives_with(self, child: str, fid: str) -> bool:
        """True if the child shares a household with every parent of the family."""
        homes = set(self.households_of.get(child, ()))
        return bool(homes) and all(
            homes.intersection(self.households_of.get(p, ())) for p in self.families[fid].parents
        )

    def union_text(self, fid: str) -> str:
        text = self._union_text.get(fid)
        if text is None:
            text = self._union_text[fid] = union_label(self.union_rows.get(fid, []))
        return text


# -- step 1: generations ------------------------------------------------------------------------



def _hang_families(idx: _Index, gens: Mapping[str, int]) -> dict[str, str]:
    """The family each child hangs from on a sibling bar (their placement).

    A child in a household with all the carers of an adoptive, foster, special
    guardianship or kinship link hangs from them; otherwise from their birth
    parents; otherwise from their first other link. Only a family whose row is
    just above the child's qualifies; the child's other links are drawn as
    routed lines.
    """
    hang: dict[str, str] = {}
    for child, links in idx.links_of.items():
        current = [k for k in links if k.current and k.kind != "step"]
        ranked = sorted(
            current,
            key=lambda link: (
                0 if link.kind in _PLACEMENT_KINDS and idx.lives_with(link.child, link.family)
                else 1,
                _KIND_RANK.get(link.kind, 9),
                link.position,
            ),
        )
        for link in ranked:
            hub_row = max(gens[p] for p in idx.families[link.family].parents)
            if hub_row == gens[child] - 1:
                hang[child] = link.family
                break
    return hang



def _components(idx: _Index) -> dict[str, int]:
    """Each person's connected family, numbered in the order of the file; worked out once
    per index (ordering asks for every set of units it builds). Read-only."""
    if idx.component_of is None:
        idx.component_of = _find_components(idx)
    return idx.component_of


def _find_components(idx: _Index) -> dict[str, int]:
    parent = {p: p for p in idx.people}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            if idx.order[ra] < idx.order[rb]:
                parent[rb] = ra
            else:
                parent[ra] = rb

    for fam in idx.families.values():
        for p in fam.parents[1:]:
            join(fam.parents[0], p)
        for link in idx.children_of.get(fam.id, ()):
            join(fam.parents[0], link.child)
    roots: dict[str, int] = {}
    out = {}
    for p in idx.people:
        r = find(p)
        if r not in roots:
            roots[r] = len(roots)
        out[p] = roots[r]
    return out



def _text_line_boxes(x: float, label_y: float, lines: Sequence[str],
                     name_lines: int) -> list[Box]:
    """Where the drawing writes each line of a label (name lines at 12 px, the rest at 11).

    The drawing's baseline is ``label_y + LINE_HEIGHT * i + 11``.

    >>> _text_line_boxes(100.0, 50.0, ["Amy", "b. 2015"], 1)[0]
    Box(x=88.9, y=51.0, width=22.2, height=13.0)
    """
    out = []
    for i, line in enumerate(lines):
        width = round(len(line) * (NAME_CHAR_WIDTH if i < name_lines else SMALL_CHAR_WIDTH), 2)
        out.append(Box(round(x - width / 2, 2), label_y + LINE_HEIGHT * i + 1, width,
                       LINE_HEIGHT - 1))
    return out


def _symbol_box(p: str, xs: Mapping[str, float], ys: Mapping[str, float],
                half: Mapping[str, float]) -> Box:
    h = half[p]
    return Box(xs[p] - h, ys[p] - h, 2 * h, 2 * h)


def _label_box(p: str, xs: Mapping[str, float], ys: Mapping[str, float], idx: _Index) -> Box:
    w = idx.label_w[p]
    return Box(xs[p] - w / 2, ys[p] + idx.half[p] + LABEL_GAP, w, idx.label_h[p])



# -- what the layout returns ------------------------------------------------------------




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





Segment = tuple[Point, Point]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the layout runs, then set back as it was.

    A layout makes hundreds of thousands of short-lived tuples and lists, none of them
    in a reference cycle: reference counting frees each as soon as it is dropped. The
    cycle collector would still walk every object in the process each time enough had
    been made (royal92's 3,010 people: three full walks, 150 ms of a 700 ms layout
    and drawing), finding nothing to free. What the layout makes is the same either
    way.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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



def find_overlaps(result: Layout) -> list[tuple[str, str]]:
    """Pairs of symbols or labels that overlap (the layout promises none).

    >>> from systemic.cases import Case, Person
    >>> from systemic.genogram.layout import layout
    >>> find_overlaps(layout(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A"), Person(id="b", name="B")])))
    []
    """
    return find_box_overlaps(result.boxes())


