"""Where everyone stands on the genogram: generation rows, order, x, and the lines.

The layout is a generation-layered ("Sugiyama") drawing of a person-and-couple
graph, as GENOGRAM.md §3.2 sets out, written as small steps that a test can
check one by one:

1. :func:`assign_generations` puts each person in a row (longest path from the
   oldest known people, with partners brought into one row, kinship2's rule);
2. :func:`order_rows` orders each row: partner chains move as one unit,
   children stay together under their own couple, oldest on the left, and
   barycentric sweeps cut the crossings (:func:`count_crossings`);
3. :func:`place_x` gives x positions: children centred under their couple,
   partners close, never closer than their symbols and labels allow;
4. :func:`route_lines` draws the couple lines, the staggered sibling bars, the
   other parent links (adoptive, foster, …), the relationship curves and the
   household outlines, and gives every row its y.

:func:`layout` runs the four steps and returns a frozen :class:`Layout` that
holds everything a drawing needs, so :mod:`systemic.genogram.draw` places
nothing itself. The layout is deterministic, keeps everyone's left-to-right
order after an edit when given the previous layout, and never lets two
symbols or labels overlap (:func:`find_overlaps` checks).

>>> from systemic.cases import Case, Person, Union, ParentLink
>>> case = Case(id="demo", title="Demo", fictional=True, people=[
...     Person(id="mia", name="Mia", sex="female", born=1990),
...     Person(id="sam", name="Sam", sex="male", born=1988),
...     Person(id="kai", name="Kai", sex="male", born=2015)],
...     unions=[Union(id="u1", partners=["mia", "sam"])],
...     parents=[ParentLink(child="kai", parents=["mia", "sam"])])
>>> result = layout(case)
>>> result.rows
(('mia', 'sam'), ('kai',))
>>> find_overlaps(result)
[]
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from systemic.cases import Case, Person
from systemic.datafile import read_yaml
from systemic.errors import DataFileError, Problem
from systemic.genogram.geometry import (
    Box,
    Point,
    find_box_overlaps,
    free_x,
    place_in_order,
    quadratic_curve,
    stack_intervals,
)

__all__ = [
    "Family",
    "PersonPlace",
    "UnionLine",
    "ChildLine",
    "TwinFork",
    "SiblingBar",
    "RelationshipCurve",
    "HouseholdOutline",
    "Routes",
    "Layout",
    "assign_generations",
    "order_rows",
    "place_x",
    "route_lines",
    "count_crossings",
    "family_segments",
    "find_overlaps",
    "layout",
    "label_lines",
    "measure_label",
    "symbol_size",
    "union_label",
    "NOTATION_FILE",
]

#: Symbols, line patterns, colours and date words, by notation profile.
NOTATION_FILE = Path(__file__).with_name("notation.yaml")

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
IMPROVE_LIMIT = 260


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
    """
    lines = _wrap(person.name if name is None else name, NAME_WRAP, NAME_LINES)
    born = person.born.year if person.born else None
    died = person.died.year if person.died else None
    if born and died:
        lines.append(f"{born}–{died}")
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
        family_unions: dict[frozenset[str], list[str]] = {}
        family_parents: dict[frozenset[str], tuple[str, ...]] = {}
        family_id: dict[frozenset[str], str] = {}
        self.union_rows: dict[str, list[tuple[str, Any, Any]]] = {}
        for union in case.unions:
            a, b = union.partners
            if a == b or a not in self.people or b not in self.people:
                continue
            pair = frozenset((a, b))
            if pair not in family_id:
                family_id[pair] = union.id
                family_parents[pair] = (a, b)
                family_unions[pair] = []
            family_unions[pair].append(union.id)
            self.union_rows.setdefault(family_id[pair], []).append(
                (union.status, union.began, union.ended)
            )
        self.union_status: dict[str, str] = {}
        for union in case.unions:
            pair = frozenset(union.partners)
            if pair in family_id:
                self.union_status[family_id[pair]] = union.status  # the latest listed wins

        def family_for(parents: tuple[str, ...]) -> str:
            if len(parents) == 1:
                fid = f"~{parents[0]}"
                if fid not in self.families:
                    self.families[fid] = Family(fid, parents)
                return fid
            pair = frozenset(parents)
            if pair not in family_id:
                family_id[pair] = f"~{parents[0]}+{parents[1]}"
                family_parents[pair] = parents
                family_unions[pair] = []
            fid = family_id[pair]
            if fid not in self.families:
                self.families[fid] = Family(fid, family_parents[pair], tuple(family_unions[pair]))
            return fid

        self.families: dict[str, Family] = {}
        for pair, fid in family_id.items():
            self.families[fid] = Family(fid, family_parents[pair], tuple(family_unions[pair]))
        # Birth links of one child are one set of parents, however they were written.
        birth_parents: dict[str, list[str]] = {}
        birth_position: dict[str, int] = {}
        for i, link in enumerate(case.parents):
            if link.kind == "birth" and link.child in self.people:
                known = [p for p in link.parents if p in self.people and p != link.child]
                birth_parents.setdefault(link.child, [])
                birth_position.setdefault(link.child, i)
                for p in known:
                    if p not in birth_parents[link.child]:
                        birth_parents[link.child].append(p)
        self.links_of: dict[str, list[_Link]] = {}
        self.children_of: dict[str, list[_Link]] = {}
        seen_birth: set[str] = set()
        for i, link in enumerate(case.parents):
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
            fid = family_for(parents)
            item = _Link(child, fid, link.kind, getattr(link, "until", None) is None, i)
            self.links_of.setdefault(child, []).append(item)
            self.children_of.setdefault(fid, []).append(item)
        self.families_of: dict[str, list[str]] = {}
        for fid, fam in self.families.items():
            for p in fam.parents:
                self.families_of.setdefault(p, []).append(fid)
        self.partners: dict[str, list[str]] = {}
        for fam in self.families.values():
            if len(fam.parents) == 2:
                a, b = fam.parents
                self.partners.setdefault(a, []).append(b)
                self.partners.setdefault(b, []).append(a)
        self.twin_set: dict[str, int] = {}
        self.twin_identical: list[bool] = []
        for t in case.twins:
            k = len(self.twin_identical)
            self.twin_identical.append(t.identical)
            for p in t.people:
                if p in self.people and p not in self.twin_set:
                    self.twin_set[p] = k
        self.households_of: dict[str, list[int]] = {}
        for k, h in enumerate(case.households):
            for p in dict.fromkeys(h.members):
                if p in self.people:
                    self.households_of.setdefault(p, []).append(k)
        self.related: dict[str, list[str]] = {}
        for r in case.relationships:
            if r.from_ in self.people and r.to in self.people:
                self.related.setdefault(r.from_, []).append(r.to)
                self.related.setdefault(r.to, []).append(r.from_)
        self._union_text: dict[str, str] = {}
        self._birth_keys: dict[str, tuple[Any, ...]] = {}
        self.lines: dict[str, tuple[str, ...]] = {}
        self.name_lines: dict[str, int] = {}
        self.label_w: dict[str, float] = {}
        self.label_h: dict[str, float] = {}
        self.half: dict[str, float] = {}
        self.width: dict[str, float] = {}
        for p in case.people:
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


def _generation_link(idx: _Index, child: str) -> _Link | None:
    links = idx.links_of.get(child)
    if not links:
        return None
    return min(links, key=lambda k: (_KIND_RANK.get(k.kind, 9), k.position))


def _ancestors(
    start: str, parents_of: Mapping[str, tuple[str, ...]], memo: dict[str, set[str]] | None = None
) -> set[str]:
    if memo is not None and start in memo:
        return memo[start]
    seen = {start}
    todo = [start]
    while todo:
        p = todo.pop()
        for q in parents_of.get(p, ()):
            if q not in seen:
                seen.add(q)
                todo.append(q)
    if memo is not None:
        memo[start] = seen
    return seen


def assign_generations(case: Case, *, _index: _Index | None = None) -> dict[str, int]:
    """The row of every person: 0 for the oldest generation shown, then 1, 2, …

    A child is one row below the lower of their parents (longest path in the
    parent graph, using each child's birth parents where known). Partners are
    then brought into one row: someone who married in takes their partner's
    row, and when both partners have parents shown, the shallower side's
    ancestors move down, which is kinship2's alignment rule. Descendants are
    re-derived after every move. Partners who are related by birth across
    generations (an uncle and his niece) keep their true rows, and their
    couple line bends. People with no family links take the row of someone
    they live with or have a relationship with, else the top row.

    Parameters
    ----------
    case : Case
        A valid case (no one their own ancestor).

    Returns
    -------
    dict
        Person id to row number, smallest 0.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="gran", name="Gran"), Person(id="mum", name="Mum"),
    ...     Person(id="dad", name="Dad"), Person(id="kid", name="Kid")],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child="mum", parents=["gran"]),
    ...              ParentLink(child="kid", parents=["mum", "dad"])])
    >>> assign_generations(case)
    {'gran': 0, 'mum': 1, 'dad': 1, 'kid': 2}

    Notes
    -----
    Rules from kinship2's ``kindepth(align=TRUE)`` as described in
    GENOGRAM.md §3.1 and §3.2 (Therneau & Sinnwell, kinship2 vignette).
    """
    idx = _index or _Index(case)
    people = list(idx.people)
    parents_of: dict[str, tuple[str, ...]] = {}
    for child in people:
        link = _generation_link(idx, child)
        if link is not None:
            parents_of[child] = idx.families[link.family].parents
    kids: dict[str, list[str]] = {}
    for child, ps in parents_of.items():
        for p in ps:
            kids.setdefault(p, []).append(child)
    # Topological order (Kahn), input order among equals; a cycle (invalid case) is cut.
    indegree = {p: len(parents_of.get(p, ())) for p in people}
    order: list[str] = [p for p in people if indegree[p] == 0]
    head = 0
    while head < len(order):
        p = order[head]
        head += 1
        for c in kids.get(p, ()):
            indegree[c] -= 1
            if indegree[c] == 0:
                order.append(c)
    if len(order) < len(people):
        placed = set(order)
        for p in people:
            if p not in placed:
                parents_of.pop(p, None)
                order.append(p)
    all_children: dict[str, list[str]] = {}
    for child, links in idx.links_of.items():
        for link in links:
            for p in idx.families[link.family].parents:
                all_children.setdefault(p, []).append(child)
    founders = [p for p in people if p not in parents_of]
    couples = [f.parents for f in idx.families.values() if len(f.parents) == 2]
    floor: dict[str, int] = {}
    memo: dict[str, set[str]] = {}

    def derive() -> dict[str, int]:
        gen: dict[str, int] = {}
        for p in order:
            ps = parents_of.get(p)
            g = floor.get(p, 0)
            if ps:
                g = max(g, max(gen[q] for q in ps) + 1)
            gen[p] = g
        return gen

    gen = derive()
    for _round in range(12):
        changed = False
        for f in founders:
            target = gen[f]
            partners = idx.partners.get(f)
            if partners:
                target = max(target, max(gen[q] for q in partners))
            children = all_children.get(f)
            if children:
                target = max(target, min(gen[c] for c in children) - 1)
            if target > gen[f]:
                floor[f] = target
                changed = True
        if changed:
            gen = derive()
            continue
        moved: set[str] = set()
        for a, b in couples:
            if gen[a] == gen[b] or a in moved or b in moved:
                continue
            high, low = (a, b) if gen[a] < gen[b] else (b, a)
            up = _ancestors(high, parents_of, memo)
            if up & moved or up & _ancestors(low, parents_of, memo):
                # Related by birth (keep true rows and bend the couple line), or
                # already moved this round (look again next round).
                continue
            delta = gen[low] - gen[high]
            for q in up:
                if q not in parents_of:
                    floor[q] = gen[q] + delta
            moved |= up
            changed = True
        if not changed:
            break
        gen = derive()
    linked = {p for p in people if p in parents_of or p in all_children or p in idx.partners}
    for p in people:
        if p in linked:
            continue
        near = [
            q
            for k in idx.households_of.get(p, ())
            for q in idx.case.households[k].members
            if q in linked
        ] + [q for q in idx.related.get(p, ()) if q in linked]
        gen[p] = gen[near[0]] if near else 0
    low = min(gen.values(), default=0)
    return {p: gen[p] - low for p in people}


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


# -- step 2: order within rows -------------------------------------------------------------------


class _Unit:
    """A partner chain in one row: the people that ordering moves as one."""

    __slots__ = ("members", "row", "home", "anchor", "cross", "component", "first")

    def __init__(self, members: list[str], row: int):
        self.members = members
        self.row = row
        self.home: str | None = None
        self.anchor = members[0]
        self.cross: list[str] = []
        self.component = 0
        self.first = 0


def _chain_order(nodes: list[str], edges: dict[str, list[str]], idx: _Index) -> list[str]:
    """Order a partner component left to right: a path if it is one, else a star."""
    if len(nodes) == 1:
        return nodes
    degree = {n: len(edges[n]) for n in nodes}
    by_order = sorted(nodes, key=idx.order.__getitem__)
    if max(degree.values()) <= 2 and sum(degree.values()) == 2 * (len(nodes) - 1):
        start = next(n for n in by_order if degree[n] == 1)
        out = [start]
        prev = None
        while len(out) < len(nodes):
            nxt = next(m for m in edges[out[-1]] if m != prev)
            prev = out[-1]
            out.append(nxt)
        return out
    centre = max(by_order, key=lambda n: (degree[n], -idx.order[n]))
    out = [centre]
    for k, m in enumerate(edges[centre]):
        if k % 2 == 0:
            out.append(m)
        else:
            out.insert(0, m)
    placed = set(out)
    rest = [n for n in by_order if n not in placed]
    for _ in range(len(rest) + 1):
        if not rest:
            break
        for n in list(rest):
            near = [m for m in edges[n] if m in placed]
            if not near:
                continue
            if out.index(near[0]) < len(out) / 2:
                out.insert(0, n)
            else:
                out.append(n)
            placed.add(n)
            rest.remove(n)
    return out + rest


def _components(idx: _Index) -> dict[str, int]:
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


def _build_units(
    idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str]
) -> list[_Unit]:
    edges: dict[str, list[str]] = {p: [] for p in idx.people}
    for fam in idx.families.values():
        if len(fam.parents) == 2:
            a, b = fam.parents
            if gens[a] == gens[b] and b not in edges[a]:
                edges[a].append(b)
                edges[b].append(a)
    seen: set[str] = set()
    units: list[_Unit] = []
    comp = _components(idx)
    for p in idx.people:
        if p in seen:
            continue
        group = [p]
        seen.add(p)
        head = 0
        while head < len(group):
            for q in edges[group[head]]:
                if q not in seen:
                    seen.add(q)
                    group.append(q)
            head += 1
        unit = _Unit(_chain_order(group, edges, idx), gens[p])
        with_home = sorted((m for m in unit.members if m in hang), key=idx.order.__getitem__)
        if with_home:
            unit.anchor = with_home[0]
            unit.home = hang[with_home[0]]
            unit.cross = [m for m in with_home[1:] if hang[m] != unit.home]
        else:
            unit.anchor = min(unit.members, key=idx.order.__getitem__)
        unit.component = comp[p]
        unit.first = min(idx.order[m] for m in unit.members)
        units.append(unit)
    return units


class _Orderer:
    """Barycentric sweeps over the rows of one connected family (GENOGRAM.md §3.2 step 4)."""

    def __init__(self, idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
                 units: list[_Unit], by_width: bool = False, strict_birth_order: bool = False):
        self.idx = idx
        self.by_width = by_width
        self.strict_birth_order = strict_birth_order
        self.gens = gens
        self.hang = hang
        depth = max(u.row for u in units) + 1
        self.rows: list[list[_Unit]] = [[] for _ in range(depth)]
        self.pos: dict[str, float] = {}
        self.unit_of: dict[str, _Unit] = {}
        for u in units:
            for m in u.members:
                self.unit_of[m] = u
        # Children of each member by hang family, for barycentres from below.
        self.kids: dict[str, list[str]] = {}
        for child, fid in hang.items():
            for p in idx.families[fid].parents:
                self.kids.setdefault(p, []).append(child)
        self.links = [
            (idx.families[link.family].parents, link.child)
            for links in idx.links_of.values()
            for link in links
            if link.child in self.unit_of
        ]
        self._initial(units)

    # -- positions --------------------------------------------------------------------------
    def _set_row(self, r: int) -> None:
        row = self.rows[r]
        if self.by_width:
            # Positions in page units, each row centred: a row of wide labels spreads.
            width = self.idx.width
            i = -sum(width[m] + GAP for u in row for m in u.members) / 2
            for u in row:
                for m in u.members:
                    w = width[m] + GAP
                    self.pos[m] = i + w / 2
                    i += w
            return
        n = sum(len(u.members) for u in row)
        i = -(n - 1) / 2
        for u in row:
            for m in u.members:
                self.pos[m] = i
                i += 1

    def fam_pos(self, fid: str) -> float:
        ps = self.idx.families[fid].parents
        return sum(self.pos[p] for p in ps) / len(ps)

    def child_bary(self, u: _Unit) -> float | None:
        total = 0.0
        n = 0
        for m in u.members:
            for c in self.kids.get(m, ()):
                total += self.pos[c]
                n += 1
        return total / n if n else None

    def _initial(self, units: list[_Unit]) -> None:
        """Depth-first discovery order from the oldest people: families start close."""
        idx = self.idx
        neighbours: dict[str, list[str]] = {}
        for p in self.unit_of:
            near = list(idx.partners.get(p, ()))
            near += sorted(self.kids.get(p, ()), key=idx.birth_key)
            link = self.hang.get(p)
            if link:
                near += list(idx.families[link].parents)
            neighbours[p] = near
        rank: dict[str, int] = {}
        starts = sorted(self.unit_of, key=lambda p: (self.gens[p], idx.order[p]))
        for s in starts:
            if s in rank:
                continue
            stack = [s]
            while stack:
                p = stack.pop()
                if p in rank:
                    continue
                rank[p] = len(rank)
                for q in reversed(neighbours[p]):
                    if q not in rank and q in self.unit_of:
                        stack.append(q)
        for u in sorted(units, key=lambda u: min(rank[m] for m in u.members)):
            self.rows[u.row].append(u)
        for r in range(len(self.rows)):
            self._set_row(r)

    # -- sweeps -----------------------------------------------------------------------------
    def _groups(self, r: int) -> list[list[_Unit]]:
        groups: list[list[_Unit]] = []
        where: dict[str, int] = {}
        for u in self.rows[r]:
            if u.home is None:
                groups.append([u])
            elif u.home in where:
                groups[where[u.home]].append(u)
            else:
                where[u.home] = len(groups)
                groups.append([u])
        return groups

    def _orient(self, u: _Unit, i: int, n: int, key: float) -> None:
        if len(u.members) < 2:
            return
        half = (len(u.members) - 1) / 2
        score = 0.0
        for j, m in enumerate(u.members):
            offset = j - half
            if m == u.anchor and u.home is not None:
                want = 1.0 if i < (n - 1) / 2 else -1.0 if i > (n - 1) / 2 else 0.0
            elif m in u.cross:
                d = self.fam_pos(self.hang[m]) - key
                want = 1.0 if d > 0 else -1.0 if d < 0 else 0.0
            else:
                want = 0.0
            score += want * offset
        if score == 0.0:
            bary = self.child_bary(u)
            if bary is not None:
                for j in range(len(u.members) - 1):
                    a, b = u.members[j], u.members[j + 1]
                    kids = [c for c in self.kids.get(a, ()) if c in self.kids.get(b, ())]
                    if kids:
                        cb = sum(self.pos[c] for c in kids) / len(kids)
                        score += (cb - bary) * (j + 0.5 - half)
        if score < 0:
            u.members.reverse()

    def down(self, r: int) -> None:
        groups = self._groups(r)
        keyed = []
        for g in groups:
            u0 = g[0]
            cur = sum(self.pos[m] for u in g for m in u.members) / sum(len(u.members) for u in g)
            if u0.home is not None:
                key = self.fam_pos(u0.home)
            else:
                bary = self.child_bary(u0)
                key = bary if bary is not None else cur
            keyed.append((key, cur, g))
        keyed.sort(key=lambda t: (t[0], t[1]))
        row: list[_Unit] = []
        for key, _cur, g in keyed:
            def pref(u: _Unit, key: float = key) -> float:
                if not u.cross or self.strict_birth_order:
                    return 0.0
                d = self.fam_pos(self.hang[u.cross[0]]) - key
                return 1.0 if d > 0 else -1.0 if d < 0 else 0.0

            g.sort(key=lambda u: (pref(u), self.idx.birth_key(u.anchor)))
            for i, u in enumerate(g):
                self._orient(u, i, len(g), key)
            row.extend(g)
        self.rows[r] = row
        self._set_row(r)

    def up(self, r: int) -> None:
        groups = self._groups(r)
        keyed = []
        for g in groups:
            cur = sum(self.pos[m] for u in g for m in u.members) / sum(len(u.members) for u in g)
            barys = [b for b in (self.child_bary(u) for u in g) if b is not None]
            key = sum(barys) / len(barys) if barys else cur
            keyed.append((key, cur, g))
        keyed.sort(key=lambda t: (t[0], t[1]))
        self.rows[r] = [u for _k, _c, g in keyed for u in g]
        self._set_row(r)

    def crossings(self) -> int:
        segments = []
        gens = self.gens
        for parents, child in self.links:
            x = sum(self.pos[p] for p in parents) / len(parents)
            y = max(gens[p] for p in parents)
            segments.append(((x, float(y)), (self.pos[child], float(gens[child]))))
        return count_crossings(segments)

    def snapshot(self) -> list[list[tuple[_Unit, tuple[str, ...]]]]:
        return [[(u, tuple(u.members)) for u in row] for row in self.rows]

    def restore(self, snap: list[list[tuple[_Unit, tuple[str, ...]]]]) -> None:
        self.rows = []
        for row in snap:
            units = []
            for u, members in row:
                u.members = list(members)
                units.append(u)
            self.rows.append(units)
        for r in range(len(self.rows)):
            self._set_row(r)

    def run(self, sweeps: int, improve: bool) -> None:
        depth = len(self.rows)
        for r in range(depth):
            self.down(r)
        best = self.snapshot()
        best_count = self.crossings()
        stale = 0
        for _ in range(sweeps):
            for r in range(depth - 2, -1, -1):
                self.up(r)
            for r in range(depth):
                self.down(r)
            count = self.crossings()
            if count < best_count:
                best, best_count = self.snapshot(), count
                stale = 0
            else:
                stale += 1
                if stale >= 2 or best_count == 0:
                    break
        self.restore(best)
        if improve and best_count > 0:
            self._improve(best_count)

    def _improve(self, best_count: int) -> None:
        """Try flipping each chain and swapping neighbouring groups, re-ordering the rows
        below each time, and keep what cuts crossings (GENOGRAM.md §3.2 step 4.6)."""
        depth = len(self.rows)
        for _pass in range(2):
            improved = False
            for r in range(depth):
                trials = [("flip", i) for i, u in enumerate(self.rows[r]) if len(u.members) > 1]
                trials += [("swap", i) for i in range(len(self._groups(r)) - 1)]
                for what, i in trials:
                    if best_count == 0:
                        return
                    snap = self.snapshot()
                    if what == "flip":
                        self.rows[r][i].members.reverse()
                    else:
                        groups = self._groups(r)
                        groups[i], groups[i + 1] = groups[i + 1], groups[i]
                        self.rows[r] = [u for g in groups for u in g]
                    self._set_row(r)
                    for below in range(r + 1, depth):
                        self.down(below)
                    count = self.crossings()
                    if count < best_count:
                        best_count = count
                        improved = True
                    else:
                        self.restore(snap)
            if not improved:
                return


def _order_from_previous(
    idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str], previous: Layout
) -> list[list[str]]:
    """Keep everyone from the previous layout in their left-to-right order and slot the
    newcomers in: a child among their siblings by age, a partner beside their partner,
    parents above their child, anyone else at the end of their row."""
    key: dict[str, float] = {
        pid: place.x for pid, place in previous.people.items() if pid in idx.people
    }
    # The extent of each previous partner chain, so a newcomer lands outside it.
    left: dict[str, float] = {}
    right: dict[str, float] = {}
    for row in previous.rows:
        kept = [p for p in row if p in key]
        start = 0
        for i in range(1, len(kept) + 1):
            if i < len(kept) and kept[i] in idx.partners.get(kept[i - 1], ()):
                continue
            for q in kept[start:i]:
                left[q], right[q] = key[kept[start]], key[kept[i - 1]]
            start = i
    new = [p for p in idx.people if p not in key]
    siblings: dict[str, list[str]] = {}
    for child, fid in hang.items():
        siblings.setdefault(fid, []).append(child)
    for _round in range(len(new) + 1):
        progress = False
        for p in new:
            if p in key:
                continue
            k = _insert_key(p, idx, gens, hang, siblings, key, left, right)
            if k is not None:
                key[p] = k
                left.setdefault(p, k)
                right.setdefault(p, k)
                progress = True
        if not progress:
            break
    end = max(key.values(), default=0.0) + 1.0
    depth = max(gens.values(), default=0) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    for p in idx.people:
        rows[gens[p]].append(p)
    for row in rows:
        row.sort(key=lambda p: (key.get(p, end + idx.order[p]), idx.order[p]))
    return rows


def _insert_key(
    p: str,
    idx: _Index,
    gens: Mapping[str, int],
    hang: Mapping[str, str],
    siblings: Mapping[str, list[str]],
    key: Mapping[str, float],
    left: Mapping[str, float],
    right: Mapping[str, float],
) -> float | None:
    fid = hang.get(p)
    if fid is not None:
        placed = sorted(
            (s for s in siblings.get(fid, ()) if s in key and gens[s] == gens[p]),
            key=idx.birth_key,
        )
        if placed:
            older = [s for s in placed if idx.birth_key(s) < idx.birth_key(p)]
            younger = [s for s in placed if idx.birth_key(s) > idx.birth_key(p)]
            if older and younger:
                return (right[older[-1]] + left[younger[0]]) / 2
            if older:
                return right[older[-1]] + 0.5
            return left[younger[0]] - 0.5
        parents = idx.families[fid].parents
        if all(q in key for q in parents):
            return sum(key[q] for q in parents) / len(parents)
    partners = [q for q in idx.partners.get(p, ()) if q in key and gens[q] == gens[p]]
    if partners:
        return right[partners[0]] + 0.5
    kids = [c for c in idx.people if hang.get(c) in idx.families_of.get(p, ()) and c in key]
    if kids:
        return sum(key[c] for c in kids) / len(kids) + (0.25 if p in idx.partners else 0.0)
    return None


def order_rows(
    case: Case,
    generations: Mapping[str, int],
    previous: Layout | None = None,
    *,
    strict_birth_order: bool = False,
    _index: _Index | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Each generation's people, left to right.

    Partner chains (A–X–B for someone with two partners) are units that move
    together; siblings stay together, oldest on the left, under their own
    couple (twins side by side); a sibling married to someone from another
    family in the same row stands at the end of their sibling group that
    faces the partner's family. Down and up barycentric sweeps order the
    sibling groups, keeping the order with the fewest crossings; for small
    families, chain flips and group swaps follow, each kept only if
    :func:`count_crossings` drops. Unconnected families sit side by side.

    That last rule is a trade-off (kinship2 makes it too, GENOGRAM.md §3.4):
    it keeps a couple from two families side by side without a line across
    the sibling bar, at the cost of birth order. ``strict_birth_order=True``
    keeps every sibling group in birth order instead.

    With ``previous`` (the layout before an edit), everyone already drawn
    keeps their left-to-right order and newcomers are slotted in.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="mum", name="Mum"), Person(id="dad", name="Dad"),
    ...     Person(id="young", name="Young", born=2012),
    ...     Person(id="old", name="Old", born=2009)],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child=c, parents=["mum", "dad"]) for c in ("young", "old")])
    >>> order_rows(case, assign_generations(case))
    (('mum', 'dad'), ('old', 'young'))

    Notes
    -----
    Sugiyama, Tagawa & Toda (1981) layered drawing with barycentre ordering;
    sibship grouping and chain orientation after GENOGRAM.md §3.2 step 4.
    """
    idx = _index or _Index(case)
    gens = dict(generations)
    hang = _hang_families(idx, gens)
    if previous is not None and not any(p in previous.people for p in idx.people):
        previous = None  # a layout of someone else's family: nothing to keep
    if previous is not None:
        rows = _order_from_previous(idx, gens, hang, previous)
        return tuple(tuple(r) for r in rows)
    units = _build_units(idx, gens, hang)
    by_component: dict[int, list[_Unit]] = {}
    for u in units:
        by_component.setdefault(u.component, []).append(u)
    depth = max(gens.values(), default=0) + 1
    rows: list[list[_Unit]] = [[] for _ in range(depth)]
    loose: list[_Unit] = []
    size = len(idx.people)
    for comp in sorted(by_component, key=lambda c: min(u.first for u in by_component[c])):
        members = by_component[comp]
        if len(members) == 1 and len(members[0].members) == 1 and not members[0].home:
            loose.append(members[0])
            continue
        low = min(u.row for u in members)
        shifted = []
        for u in members:
            u.row -= low
            shifted.append(u)
        people_here = sum(len(u.members) for u in members)
        # Families up to a few hundred people order better by page position; the
        # largest trees, by plain rank in the row (measured on the GEDCOM samples).
        orderer = _Orderer(idx, gens, hang, shifted, by_width=people_here <= IMPROVE_LIMIT,
                           strict_birth_order=strict_birth_order)
        orderer.run(sweeps=6 if size <= 400 else 3, improve=people_here <= IMPROVE_LIMIT)
        for r, row in enumerate(orderer.rows):
            rows[r + low].extend(row)
        for u in shifted:
            u.row += low
    for u in loose:
        # Someone with no family links stands next to the people they live with.
        row = rows[u.row]
        p = u.members[0]
        near = [
            q
            for k in idx.households_of.get(p, ())
            for q in idx.case.households[k].members
            if q != p
        ] + idx.related.get(p, [])
        at = None
        for q in near:
            for i, other in enumerate(row):
                if q in other.members:
                    j = i
                    while j + 1 < len(row) and row[j + 1].home and row[j + 1].home == other.home:
                        j += 1
                    at = j + 1
                    break
            if at is not None:
                break
        row.insert(len(row) if at is None else at, u)
    return tuple(tuple(m for u in row for m in u.members) for row in rows)


# -- step 3: x positions ------------------------------------------------------------------------


class _Rows:
    """Facts about an ordered layout that x placement and routing both need."""

    def __init__(self, idx: _Index, rows: Sequence[Sequence[str]], gens: Mapping[str, int]):
        self.idx = idx
        self.rows = [list(r) for r in rows]
        self.gens = dict(gens)
        self.row_of = {p: r for r, row in enumerate(self.rows) for p in row}
        self.slot = {p: i for row in self.rows for i, p in enumerate(row)}
        self.hang = _hang_families(idx, self.row_of)
        self._hub_rows: dict[str, int] = {}
        self.component = _components(idx)
        pair_family = {
            frozenset(f.parents): f.id for f in idx.families.values() if len(f.parents) == 2
        }
        self.pair_family = pair_family
        # Consecutive people in a row who are a couple stand as one unit.
        self.adjacent: set[str] = set()  # family ids of couples standing side by side
        self.unit_of: dict[str, int] = {}
        self.units: list[list[str]] = []
        for row in self.rows:
            for i, p in enumerate(row):
                fid = pair_family.get(frozenset((row[i - 1], p))) if i else None
                if fid is not None:
                    self.adjacent.add(fid)
                    self.units[-1].append(p)
                else:
                    self.units.append([p])
                self.unit_of[p] = len(self.units) - 1
        self.unit_home: list[str | None] = []
        self.unit_anchor: list[str] = []
        for members in self.units:
            homed = sorted((m for m in members if m in self.hang), key=idx.order.__getitem__)
            self.unit_home.append(self.hang[homed[0]] if homed else None)
            self.unit_anchor.append(homed[0] if homed else members[0])
        self.children: dict[str, list[str]] = {}
        for child, fid in self.hang.items():
            self.children.setdefault(fid, []).append(child)
        for kids in self.children.values():
            kids.sort(key=self.slot.__getitem__)
        # Which side a lone parent's line leaves from: away from a partner beside them.
        self.solo_side: dict[str, float] = {}
        for fid, fam in idx.families.items():
            if len(fam.parents) == 1:
                p = fam.parents[0]
                row, i = self.rows[self.row_of[p]], self.slot[p]
                right_partner = i + 1 < len(row) and row[i + 1] in idx.partners.get(p, ())
                left_partner = i > 0 and row[i - 1] in idx.partners.get(p, ())
                self.solo_side[fid] = -1.0 if right_partner and not left_partner else 1.0

    def gap(self, a: str, b: str) -> float:
        """The least distance between the centres of neighbours ``a`` and ``b``."""
        idx = self.idx
        base = (idx.width[a] + idx.width[b]) / 2 + GAP
        fid = self.pair_family.get(frozenset((a, b)))
        if fid is not None and fid in self.adjacent:
            label = idx.union_text(fid)
            label_w = len(label) * SMALL_CHAR_WIDTH
            base = max(
                base,
                idx.half[a] + idx.half[b] + label_w + 16.0,
                (idx.label_w[a] + idx.label_w[b]) / 2 + 2 * DROP_CLEAR,
            )
            return base
        ua, ub = self.unit_of[a], self.unit_of[b]
        if ua != ub:
            base += UNIT_GAP
            ha, hb = self.unit_home[ua], self.unit_home[ub]
            if ha is None or ha != hb:
                base += GROUP_GAP
            if self.component[a] != self.component[b]:
                base += COMPONENT_GAP
        return base

    def hub_x(self, fid: str, xs: Mapping[str, float]) -> float:
        """Where the children's line of a family starts, horizontally."""
        fam = self.idx.families[fid]
        if len(fam.parents) == 1:
            p = fam.parents[0]
            return xs[p] + self.solo_side[fid] * (self.idx.width[p] / 2 + JOG)
        a, b = fam.parents
        ra, rb = self.row_of[a], self.row_of[b]
        if ra == rb:
            return (xs[a] + xs[b]) / 2
        upper, lower = (a, b) if ra < rb else (b, a)
        side = 1.0 if xs[upper] >= xs[lower] else -1.0
        return xs[lower] + side * (self.idx.width[lower] / 2 + JOG)

    def hub_row(self, fid: str) -> int:
        """The row of a family's children's line: the lower partner's row."""
        row = self._hub_rows.get(fid)
        if row is None:
            parents = self.idx.families[fid].parents
            row = self._hub_rows[fid] = max(self.row_of[p] for p in parents)
        return row


def place_x(
    case: Case,
    rows: Sequence[Sequence[str]],
    *,
    names: Mapping[str, str] | None = None,
    _index: _Index | None = None,
    _facts: _Rows | None = None,
) -> dict[str, float]:
    """Horizontal centres of everyone's symbol, keeping each row's order.

    Each person wants to be under their parents' couple line (children
    centred under it), each couple over its children, partners side by side;
    in every row those wishes are met as closely as possible without anyone
    standing closer to a neighbour than their boxes allow (symbol or label,
    whichever is wider, and room for the couple's dates). Down and up sweeps
    alternate, each row solved exactly by :func:`~systemic.genogram.geometry.place_in_order`.
    A last left-to-right pass pushes apart anything still too close.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="mum", name="Mum"), Person(id="dad", name="Dad"),
    ...     Person(id="kid", name="Kid")],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child="kid", parents=["mum", "dad"])])
    >>> xs = place_x(case, [("mum", "dad"), ("kid",)])
    >>> xs["kid"] == (xs["mum"] + xs["dad"]) / 2
    True

    Notes
    -----
    The objective is kinship2's (``alignped4``: children near their parents'
    midpoint, spouses close, order kept, minimum spacing), solved row by row
    in Gauss–Seidel fashion instead of as one quadratic programme.
    """
    idx = _index or _Index(case, names)
    facts = _facts or _Rows(idx, rows, {p: r for r, row in enumerate(rows) for p in row})
    xs: dict[str, float] = {}
    gaps: list[list[float]] = []
    for row in facts.rows:
        g = [facts.gap(row[i], row[i + 1]) for i in range(len(row) - 1)]
        gaps.append(g)
        x = 0.0
        for i, p in enumerate(row):
            if i:
                x += g[i - 1]
            xs[p] = x - 0.0
    depth = len(facts.rows)
    # More rounds centre small families better; on the largest trees they only spread
    # the drawing wider (measured on the GEDCOM samples), so those get fewer.
    n_people = len(idx.people)
    rounds = 8 if n_people <= 400 else 4 if n_people <= 1500 else 2
    # Offsets of each member within its unit, packed.
    offset: dict[str, float] = {}
    for members in facts.units:
        o = 0.0
        for i, m in enumerate(members):
            if i:
                o += facts.gap(members[i - 1], m)
            offset[m] = o
    # Families each person parents, with their children in the next row (for the up pull).
    parent_of: dict[str, list[str]] = {}
    for fid in facts.children:
        for p in idx.families[fid].parents:
            parent_of.setdefault(p, []).append(fid)
    sizes = {fid: len(kids) for fid, kids in facts.children.items()}

    def solve_row(r: int) -> None:
        row = facts.rows[r]
        if not row:
            return
        targets = [0.0] * len(row)
        weights = [0.0] * len(row)
        i = 0
        while i < len(row):
            unit = facts.units[facts.unit_of[row[i]]]
            u = facts.unit_of[row[i]]
            anchor = facts.unit_anchor[u]
            wsum = 0.0
            tsum = 0.0
            home = facts.unit_home[u]
            if home is not None:
                w = 1.0 / sizes[home] ** 0.25
                tsum += w * facts.hub_x(home, xs)
                wsum += w
            pulled: set[str] = set()
            for m in unit:
                fam = facts.hang.get(m)
                if m != anchor and fam is not None and fam != home:
                    w = 0.5 / sizes[fam] ** 0.25
                    tsum += w * (facts.hub_x(fam, xs) - (offset[m] - offset[anchor]))
                    wsum += w
                for fid in parent_of.get(m, ()):
                    if fid in pulled:
                        continue
                    pulled.add(fid)
                    kids = facts.children[fid]
                    centre = (xs[kids[0]] + xs[kids[-1]]) / 2
                    shift = centre - facts.hub_x(fid, xs)
                    tsum += xs[anchor] + shift
                    wsum += 1.0
            if wsum == 0.0:
                tsum, wsum = xs[anchor] * 0.05, 0.05
            target_anchor = tsum / wsum
            for m in unit:
                k = i + unit.index(m)
                targets[k] = target_anchor + offset[m] - offset[anchor]
                weights[k] = wsum
            i += len(unit)
        placed = place_in_order(targets, weights, gaps[r])
        for p, x in zip(row, placed, strict=True):
            xs[p] = x

    for _ in range(rounds):
        for r in range(depth):
            solve_row(r)
        for r in range(depth - 1, -1, -1):
            solve_row(r)
    for r in range(depth):
        solve_row(r)
    # The final sweep: nothing closer than its gap, whatever rounding did.
    for row, g in zip(facts.rows, gaps, strict=True):
        for i in range(1, len(row)):
            least = xs[row[i - 1]] + g[i - 1]
            if xs[row[i]] < least:
                xs[row[i]] = least
    left = min((xs[p] - idx.width[p] / 2 for p in xs), default=0.0)
    return {p: round(x - left + MARGIN, 2) for p, x in xs.items()}


def _refine_by_x(
    case: Case, idx: _Index, gens: Mapping[str, int], facts: _Rows, xs: dict[str, float]
) -> tuple[tuple[tuple[str, ...], ...], _Rows, dict[str, float]]:
    """One more downward sweep, with barycentres from real x positions.

    Ordering works on positions within rows, and rows of very different widths
    make those a poor guide to where a couple actually ends up. Here each
    sibling group is sorted by the real x of its parents' line, people take the
    row's x slots in the new order, and x is placed again. The new order is
    kept only if it has no more crossings and its couples sit more nearly over
    their children. (On large families it mostly adds crossings, so
    :func:`layout` tries it only up to :data:`IMPROVE_LIMIT` people.)
    """
    pos = dict(xs)
    rows: list[list[str]] = []
    for r, row in enumerate(facts.rows):
        slots = sorted(xs[p] for p in row)
        groups: list[list[int]] = []
        where: dict[str, int] = {}
        seen_units: list[int] = []
        for p in row:
            u = facts.unit_of[p]
            if not seen_units or seen_units[-1] != u:
                seen_units.append(u)
        for u in seen_units:
            home = facts.unit_home[u]
            if home is None:
                groups.append([u])
            elif home in where:
                groups[where[home]].append(u)
            else:
                where[home] = len(groups)
                groups.append([u])

        def key(group: list[int], r: int = r) -> tuple[float, float]:
            members = [m for u in group for m in facts.units[u]]
            current = sum(xs[m] for m in members) / len(members)
            home = facts.unit_home[group[0]]
            if home is None or facts.hub_row(home) >= r:
                return (current, current)
            return (facts.hub_x(home, pos), current)

        groups.sort(key=key)
        new_row = [m for group in groups for u in group for m in facts.units[u]]
        for p, x in zip(new_row, slots, strict=True):
            pos[p] = x
        rows.append(new_row)
    new_rows = tuple(tuple(r) for r in rows)
    if new_rows == tuple(tuple(r) for r in facts.rows):
        return new_rows, facts, xs
    new_facts = _Rows(idx, new_rows, gens)
    new_xs = place_x(case, new_rows, _index=idx, _facts=new_facts)

    def score(the_xs: Mapping[str, float]) -> tuple[int, float]:
        positions = {p: (the_xs[p], float(r)) for p, r in facts.row_of.items()}
        crossings = count_crossings(family_segments(case, positions))
        return crossings, _off_centre(facts, the_xs)

    if score(new_xs) <= score(xs):
        return new_rows, new_facts, new_xs
    return tuple(tuple(r) for r in facts.rows), facts, xs


def _off_centre(facts: _Rows, xs: Mapping[str, float]) -> float:
    """How far, in all, couples' lines are from the middle of their children."""
    total = 0.0
    for fid, kids in facts.children.items():
        total += abs(facts.hub_x(fid, xs) - (xs[kids[0]] + xs[kids[-1]]) / 2)
    return total


# -- step 4: lines ------------------------------------------------------------------------------


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
    depth = len(facts.rows)
    width_of, half = idx.width, idx.half

    # Horizontal spans of each row's boxes, for threading long lines between people.
    spans: list[list[tuple[float, float]]] = []
    for row in facts.rows:
        spans.append([(xs[p] - width_of[p] / 2 - 2, xs[p] + width_of[p] / 2 + 2) for p in row])

    # Couples: classify, and put the "around" lines on lanes below their row.
    couples = [f for f in idx.families.values() if len(f.parents) == 2]
    around_by_row: dict[int, list[tuple[str, float, float]]] = {}
    for fam in couples:
        a, b = fam.parents
        if facts.row_of[a] == facts.row_of[b] and fam.id not in facts.adjacent:
            left, right = (a, b) if xs[a] <= xs[b] else (b, a)
            x1 = xs[left] + width_of[left] / 2 + JOG
            x2 = xs[right] - width_of[right] / 2 - JOG
            label_w = len(idx.union_text(fam.id)) * SMALL_CHAR_WIDTH
            mid = (x1 + x2) / 2
            around_by_row.setdefault(facts.row_of[a], []).append(
                (fam.id, min(x1, mid - label_w / 2 - 4), max(x2, mid + label_w / 2 + 4))
            )
    around_level: dict[str, int] = {}
    low_lanes = [0] * depth
    for r, items in around_by_row.items():
        levels = stack_intervals([(x1, x2) for _f, x1, x2 in items], margin=10.0)
        for (fid, _x1, _x2), level in zip(items, levels, strict=True):
            around_level[fid] = level
        low_lanes[r] = max(levels) + 1

    # Sibling bars: one per family with children in the next row, on staggered lanes.
    bar_items: dict[int, list[tuple[str, float, float, float]]] = {}
    fork_x: dict[str, dict[int, float]] = {}
    for fid, kids in facts.children.items():
        r = facts.hub_row(fid)
        hx = facts.hub_x(fid, xs)
        points = []
        forks: dict[int, list[str]] = {}
        for c in kids:
            t = idx.twin_set.get(c)
            if t is not None:
                forks.setdefault(t, []).append(c)
            else:
                points.append(xs[c])
        fork_x[fid] = {}
        for t, members in forks.items():
            if len(members) > 1:
                fx = sum(xs[m] for m in members) / len(members)
                fork_x[fid][t] = fx
                points.append(fx)
            else:
                points.append(xs[members[0]])
        bar_items.setdefault(r, []).append((fid, min(points + [hx]), max(points + [hx]), hx))
    bar_level: dict[str, int] = {}
    bar_lanes = [0] * depth
    for r, items in bar_items.items():
        by_parent: dict[str, list[int]] = {}
        for i, (fid, _a, _b, _h) in enumerate(items):
            for p in idx.families[fid].parents:
                by_parent.setdefault(p, []).append(i)
        conflicts = [
            sorted({j for p in idx.families[fid].parents for j in by_parent[p] if j != i})
            for i, (fid, _a, _b, _h) in enumerate(items)
        ]
        levels = stack_intervals([(a, b) for _f, a, b, _h in items], 14.0, conflicts)
        for (fid, _a, _b, _h), level in zip(items, levels, strict=True):
            bar_level[fid] = level
        bar_lanes[r] = max(levels) + 1

    # Other parent links: everything that is not a child hanging from its bar.
    other_links: list[_Link] = []
    for child, links in idx.links_of.items():
        for link in links:
            if facts.hang.get(child) != link.family:
                other_links.append(link)
    link_items: dict[int, list[tuple[int, float, float]]] = {}
    entry_offset: dict[int, float] = {}
    per_child: dict[str, int] = {}
    offsets = (8.0, -8.0, 14.0, -14.0, 20.0, -20.0)
    for i, link in enumerate(other_links):
        k = per_child.get(link.child, 0)
        per_child[link.child] = k + 1
        has_bar = link.child in facts.hang
        entry_offset[i] = offsets[k % len(offsets)] if (has_bar or k) else 0.0
        r = facts.hub_row(link.family)
        rc = facts.row_of[link.child]
        if rc == r + 1:
            hx = facts.hub_x(link.family, xs)
            cx = xs[link.child] + entry_offset[i]
            link_items.setdefault(r, []).append((i, min(hx, cx), max(hx, cx)))
    link_level: dict[int, int] = {}
    link_lanes = [0] * depth
    for r, items in link_items.items():
        levels = stack_intervals([(a, b) for _i, a, b in items], 8.0)
        for (i, _a, _b), level in zip(items, levels, strict=True):
            link_level[i] = level
        link_lanes[r] = max(levels) + 1

    # Row heights from what each gap must hold.
    above = [max((half[p] for p in row), default=20.0) for row in facts.rows]
    below = [
        max((half[p] + LABEL_GAP + idx.label_h[p] for p in row), default=20.0)
        for row in facts.rows
    ]
    cy = [0.0] * depth
    low_y0 = [0.0] * depth
    bar_y0 = [0.0] * depth
    link_y0 = [0.0] * depth
    transit_y = [0.0] * depth
    y = MARGIN + 10.0
    for r in range(depth):
        cy[r] = y + above[r]
        low_y0[r] = cy[r] + below[r] + 10.0
        bar_y0[r] = low_y0[r] + LOW_LANE * low_lanes[r] + 6.0
        link_y0[r] = bar_y0[r] + BAR_LANE * bar_lanes[r] + 2.0
        transit_y[r] = link_y0[r] + LINK_LANE * link_lanes[r] + 4.0
        next_top = transit_y[r] + 14.0
        y = max(next_top, cy[r] + MIN_ROW_PITCH - (above[r + 1] if r + 1 < depth else 0))
    ys = {p: cy[facts.row_of[p]] for p in idx.people}

    def top(p: str) -> float:
        return ys[p] - half[p]

    def side(p: str, toward: float) -> float:
        return xs[p] + (half[p] if toward >= xs[p] else -half[p])

    def jog(p: str, toward: float) -> float:
        return xs[p] + (width_of[p] / 2 + JOG) * (1.0 if toward >= xs[p] else -1.0)

    def thread(start: Point, r_from: int, r_to: int, end_x: float, end_y: float) -> list[Point]:
        """From ``start`` in row ``r_from`` down to ``(end_x, end_y)`` in row ``r_to``,
        crossing each row in between through a gap between people."""
        points = [start]
        x = start[0]
        for k in range(r_from, r_to):
            ty = transit_y[k]
            points.append((x, ty))
            nx_ = end_x if k + 1 == r_to else free_x(spans[k + 1], end_x)
            if nx_ != x:
                points.append((nx_, ty))
            x = nx_
        points.append((x, end_y))
        return points

    # Boxes that must never overlap, for placing the dates of couples.
    grid = _Obstacles(facts.rows, xs, ys, idx)

    birth_parents = {
        child: idx.families[link.family].parents
        for child, links in idx.links_of.items()
        for link in links
        if link.kind == "birth"
    }
    kin_memo: dict[tuple[str, int], frozenset[str]] = {}
    unions: list[UnionLine] = []
    hub_y: dict[str, float] = {}
    for fam in couples:
        a, b = fam.parents
        ra, rb = facts.row_of[a], facts.row_of[b]
        label = idx.union_text(fam.id)
        status = idx.union_status.get(fam.id, "implied")
        label_box: Box | None = None
        if ra == rb and fam.id in facts.adjacent:
            left, right = (a, b) if xs[a] <= xs[b] else (b, a)
            yy = ys[a]
            x1, x2 = xs[left] + half[left], xs[right] - half[right]
            points = ((x1, yy), (x2, yy))
            hub = ((xs[left] + xs[right]) / 2, yy)
            route: Literal["beside", "around", "across"] = "beside"
            marks_at, direction = hub, (1.0, 0.0)
            if label:
                w = len(label) * SMALL_CHAR_WIDTH
                label_box = Box(hub[0] - w / 2, yy - 4 - SMALL_FONT_SIZE, w, SMALL_FONT_SIZE + 1)
        elif ra == rb:
            left, right = (a, b) if xs[a] <= xs[b] else (b, a)
            yy = ys[a]
            lane = low_y0[ra] + LOW_LANE * around_level[fam.id]
            jl, jr = jog(left, xs[right]), jog(right, xs[left])
            points = (
                (side(left, xs[right]), yy), (jl, yy), (jl, lane), (jr, lane), (jr, yy),
                (side(right, xs[left]), yy),
            )
            hub = ((jl + jr) / 2, lane)
            route = "around"
            marks_at, direction = hub, (1.0, 0.0)
            if label:
                w = len(label) * SMALL_CHAR_WIDTH
                label_box = Box(hub[0] - w / 2, lane + 2, w, SMALL_FONT_SIZE + 1)
        else:
            upper, lower = (a, b) if ra < rb else (b, a)
            hx = facts.hub_x(fam.id, xs)
            ju = jog(upper, hx)
            path = [(side(upper, hx), ys[upper])]
            path += thread((ju, ys[upper]), facts.row_of[upper], facts.row_of[lower], hx,
                           ys[lower])
            path.append((side(lower, hx), ys[lower]))
            points = tuple(path)
            hub = (hx, ys[lower])
            route = "across"
            marks_at = ((path[0][0] + path[1][0]) / 2, ys[upper])
            direction = (1.0, 0.0)
            if label:
                label_box = _free_label_spot(label, points, grid)
        if label_box is not None and route != "beside" and grid.hits(label_box):
            # (Beside a couple there is always room: place_x leaves it.)
            label_box = _free_label_spot(label, points, grid)
        if label_box is not None:
            grid.add(f"u:{fam.id}", label_box)
        hub_y[fam.id] = hub[1]
        unions.append(
            UnionLine(
                id=fam.id,
                unions=fam.unions,
                partners=(a, b) if route == "across" or xs[a] <= xs[b] else (b, a),
                status=status,
                route=route,
                points=tuple((round(px, 2), round(py, 2)) for px, py in points),
                hub=(round(hub[0], 2), round(hub[1], 2)),
                marks_at=marks_at,
                marks_direction=direction,
                label=label if label_box is not None else "",
                label_box=label_box,
                consanguineous=_related_by_birth(birth_parents, a, b, kin_memo),
            )
        )
    for fid, fam in idx.families.items():
        if len(fam.parents) == 1:
            hub_y[fid] = ys[fam.parents[0]]

    def hub_point(fid: str) -> Point:
        return (facts.hub_x(fid, xs), hub_y[fid])

    def solo_stub(fid: str) -> list[Point]:
        fam = idx.families[fid]
        if len(fam.parents) != 1:
            return []
        p = fam.parents[0]
        return [(xs[p] + facts.solo_side[fid] * half[p], ys[p])]

    bars: list[SiblingBar] = []
    for fid, kids in facts.children.items():
        r = facts.hub_row(fid)
        hub = hub_point(fid)
        bar_y = bar_y0[r] + BAR_LANE * bar_level[fid]
        child_lines: list[ChildLine] = []
        twins: list[TwinFork] = []
        kinds = {link.child: link.kind for link in idx.children_of[fid]}
        xs_on_bar = [hub[0]]
        done: set[str] = set()
        for c in kids:
            if c in done:
                continue
            t = idx.twin_set.get(c)
            if t is not None and t in fork_x[fid]:
                members = [m for m in kids if idx.twin_set.get(m) == t]
                fx = fork_x[fid][t]
                xs_on_bar.append(fx)
                fork = (fx, bar_y)
                ends = []
                for m in members:
                    end = (xs[m], top(m))
                    ends.append(end)
                    child_lines.append(ChildLine(m, fid, kinds[m], True, (fork, end)))
                    done.add(m)
                twin_bar = None
                if idx.twin_identical[t]:
                    f = 0.4
                    lx = min(ends)
                    rx = max(ends)
                    twin_bar = (
                        (fx + (lx[0] - fx) * f, bar_y + (lx[1] - bar_y) * f),
                        (fx + (rx[0] - fx) * f, bar_y + (rx[1] - bar_y) * f),
                    )
                twins.append(TwinFork(tuple(members), fork, idx.twin_identical[t], twin_bar))
            else:
                xs_on_bar.append(xs[c])
                child_lines.append(
                    ChildLine(c, fid, kinds[c], True, ((xs[c], bar_y), (xs[c], top(c))))
                )
                done.add(c)
        stem = tuple(solo_stub(fid) + [hub, (hub[0], bar_y)])
        bars.append(
            SiblingBar(
                family=fid,
                hub=hub,
                y=bar_y,
                x1=min(xs_on_bar),
                x2=max(xs_on_bar),
                level=bar_level[fid],
                stem=stem,
                children=tuple(child_lines),
                twins=tuple(twins),
            )
        )

    links: list[ChildLine] = []
    for i, link in enumerate(other_links):
        fid = link.family
        r = facts.hub_row(fid)
        hub = hub_point(fid)
        child = link.child
        rc = facts.row_of[child]
        cx = xs[child] + entry_offset[i]
        end = (cx, top(child) + (abs(entry_offset[i]) * 0.4 if entry_offset[i] else 0.0))
        stub = solo_stub(fid)
        if rc == r + 1:
            lane = link_y0[r] + LINK_LANE * link_level[i]
            points = stub + [hub, (hub[0], lane), (cx, lane), end]
        elif rc > r + 1:
            points = stub + thread(hub, r, rc, cx, end[1])
        else:
            # The child stands in the parents' row or above: a straight line is clearest.
            points = stub + [hub, (cx, ys[child] + half[child])]
        links.append(ChildLine(child, fid, link.kind, False, tuple(points)))

    bottom = max((ys[p] + below[facts.row_of[p]] for p in idx.people), default=0.0)
    relationships = _relationship_curves(idx, xs, ys, grid, (MARGIN / 2, bottom + 12.0))
    households = _household_outlines(idx, facts, xs, ys)
    right = max((xs[p] + width_of[p] / 2 for p in idx.people), default=0.0)
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
        ys=ys,
        unions=tuple(unions),
        sibling_bars=tuple(bars),
        links=tuple(links),
        relationships=relationships,
        households=households,
        width=round(right + MARGIN, 2),
        height=round(bottom + MARGIN, 2),
    )


def _symbol_box(p: str, xs: Mapping[str, float], ys: Mapping[str, float],
                half: Mapping[str, float]) -> Box:
    h = half[p]
    return Box(xs[p] - h, ys[p] - h, 2 * h, 2 * h)


def _label_box(p: str, xs: Mapping[str, float], ys: Mapping[str, float], idx: _Index) -> Box:
    w = idx.label_w[p]
    return Box(xs[p] - w / 2, ys[p] + idx.half[p] + LABEL_GAP, w, idx.label_h[p])


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
    idx: _Index, facts: _Rows, xs: Mapping[str, float], ys: Mapping[str, float]
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
        for row in facts.rows:
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


Segment = tuple[Point, Point]


def count_crossings(segments: Iterable[Segment]) -> int:
    """How many pairs of parent–child lines cross, counted gap by gap between rows.

    Each segment runs from its parents (top) to a child (bottom). Between
    every two consecutive y levels, two segments cross when their order at
    the top and at the bottom disagree; segments that share an end (siblings
    from one couple, or two links into one child) do not count. Segments
    spanning several levels are cut at each level. Horizontal segments are
    ignored. The count is the inversion count of each gap (Barth, Jünger &
    Mutzel 2004, "Simple and efficient bilayer cross counting"), in
    O(E log E) per gap.

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
            gaps.setdefault(i, []).append((x1, x2))
            continue
        for k in range(i, j):
            # Cut at each level between; rounding lets cut points meet exact ends.
            ya, yb = levels[k], levels[k + 1]
            xa = x1 + (x2 - x1) * (ya - y1) / (y2 - y1)
            xb = x1 + (x2 - x1) * (yb - y1) / (y2 - y1)
            gaps.setdefault(k, []).append((round(xa, 6), round(xb, 6)))
    total = 0
    for pairs in gaps.values():
        pairs.sort()
        bottoms = sorted({b for _a, b in pairs})
        rank = {b: i + 1 for i, b in enumerate(bottoms)}
        size = len(bottoms)
        tree = [0] * (size + 1)
        for inserted, (_a, b) in enumerate(pairs):
            r = rank[b]
            # Earlier segments whose bottom is strictly right of this one cross it.
            not_greater = 0
            i = r
            while i:
                not_greater += tree[i]
                i &= i - 1
            total += inserted - not_greater
            while r <= size:
                tree[r] += 1
                r += r & -r
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


def find_overlaps(result: Layout) -> list[tuple[str, str]]:
    """Pairs of symbols or labels that overlap (the layout promises none).

    >>> from systemic.cases import Case, Person
    >>> find_overlaps(layout(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A"), Person(id="b", name="B")])))
    []
    """
    return find_box_overlaps(result.boxes())


def layout(
    case: Case,
    previous: Layout | None = None,
    *,
    names: Mapping[str, str] | None = None,
    strict_birth_order: bool = False,
) -> Layout:
    """Lay out a case's genogram: rows, order, positions and lines.

    Parameters
    ----------
    case : Case
        A valid case (see :mod:`systemic.genogram.validate`).
    previous : Layout, optional
        The layout before an edit: everyone in it keeps their left-to-right
        order, and only newcomers are placed.
    names : mapping, optional
        Text to show instead of names (initials or roles when names are
        hidden); label boxes are measured from it.
    strict_birth_order : bool
        Keep every sibling group in birth order, even a sibling whose partner
        comes from another family in the row (by default they stand at the
        end of their siblings nearest that family; see :func:`order_rows`).

    Returns
    -------
    Layout

    Examples
    --------
    >>> from systemic.cases import Case, Person
    >>> result = layout(Case(id="c", title="t", fictional=True,
    ...                      people=[Person(id="a", name="Amy", sex="female")]))
    >>> result.people["a"].label_lines
    ('Amy',)
    """
    idx = _Index(case, names)
    gens = assign_generations(case, _index=idx)
    rows = order_rows(case, gens, previous, strict_birth_order=strict_birth_order, _index=idx)
    facts = _Rows(idx, rows, gens)
    xs = place_x(case, rows, _index=idx, _facts=facts)
    if previous is None and len(idx.people) <= IMPROVE_LIMIT:
        rows, facts, xs = _refine_by_x(case, idx, gens, facts, xs)
    routes = route_lines(case, rows, xs, _index=idx, _facts=facts)
    people = {}
    for p in case.people:
        pid = p.id
        people[pid] = PersonPlace(
            id=pid,
            x=xs[pid],
            y=routes.ys[pid],
            generation=facts.row_of[pid],
            size=symbol_size(p),
            symbol=_symbol_box(pid, xs, routes.ys, idx.half),
            label=_label_box(pid, xs, routes.ys, idx),
            label_lines=idx.lines[pid],
            name_lines=idx.name_lines[pid],
        )
    positions = {pid: (place.x, float(place.generation)) for pid, place in people.items()}
    return Layout(
        people=people,
        rows=tuple(tuple(r) for r in facts.rows),
        unions=routes.unions,
        sibling_bars=routes.sibling_bars,
        links=routes.links,
        relationships=routes.relationships,
        households=routes.households,
        width=routes.width,
        height=routes.height,
        crossings=count_crossings(family_segments(case, positions)),
    )
