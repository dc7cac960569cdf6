"""Step 2 of the layout: the left-to-right order of each generation row.

Partner chains move as units, sibling groups stay together under their own
couple (oldest on the left), and barycentric sweeps with chain flips and group
swaps cut the crossings of parent–child lines (GENOGRAM.md §3.2 step 4), then
:mod:`~systemic.genogram.layout.transpose` swaps neighbours and
:mod:`~systemic.genogram.layout.rehome` flips couples and lets a married-in
couple stand with the other partner's family where fewer lines cross. An
order kept from before (the previous layout, or the order stored with the
case) is honoured first: see :func:`order_rows`.

>>> from systemic.cases import Case, Person
>>> case = Case(id="c", title="t", fictional=True,
...             people=[Person(id="a", name="A"), Person(id="b", name="B")])
>>> order_rows(case, {"a": 0, "b": 0})
(('a', 'b'),)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from systemic.cases import Case
from systemic.genogram.layout.apart import apart_cost, crossed_couples, try_apart
from systemic.genogram.layout.base import (
    GAP,
    IMPROVE_LIMIT,
    Layout,
    _components,
    _hang_families,
    _Index,
    count_crossings,
)
from systemic.genogram.layout.branches import move_branches
from systemic.genogram.layout.gap_counts import GapCounts
from systemic.genogram.layout.overlays import _related_by_birth
from systemic.genogram.layout.rehome import rehome_pass
from systemic.genogram.layout.seating import seat_units
from systemic.genogram.layout.transpose import transpose

__all__ = ["order_rows", "stored_order"]

#: A crossing of lines into children (or of a couple line apart) weighs as much as this
#: many crossings of the lines of couples in two rows: those break ties between orders
#: (families up to ``IMPROVE_LIMIT`` people). Measured on the corpus: lines drawn through
#: other lines, bourbon 72 → 47, Hawaiian kings 60 → 51, none worse.
WEIGHT = 64

#: For trees above ``IMPROVE_LIMIT`` people (which the lines of couples in two rows never
#: steer), how strongly the sweeps pull someone towards a partner in another row, against
#: the pull of their own parents (or children) at 1. Measured on royal92 (3,010 people):
#: lines crossing on the drawing 5,482 → 5,101, the lines into children crossing no more
#: (647 → 580); 0.2 already doubles those, a whole sibling group then following one
#: member's marriage.
PULL = 0.05

#: Outcomes of :meth:`_Orderer.down` remembered before the memory is emptied.
DOWN_MEMORY = 8192

#: Sweeps sort groups by their key, then by where they stand now.
_KEY_THEN_CURRENT = itemgetter(0, 1)

#: How a family's join point is found (:meth:`_Orderer.join_pos`): one parent; two side
#: by side in one chain; two standing apart in one row; two in different rows; other.
_JOIN_ONE, _JOIN_PAIR, _JOIN_APART, _JOIN_TWO_ROWS, _JOIN_MEAN = (
    "one", "pair", "apart", "two rows", "mean")


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


#: Rows' units; each partner chain's members in order; each unit's home, anchor and
#: members married in; the row's positions; and the count of changes of homes
#: (:attr:`_Orderer.homes`) when taken.
_Snapshot = dict[int, tuple[list[_Unit], list[tuple[_Unit, tuple[str, ...]]],
                            list[tuple[_Unit, str | None, str, list[str]]],
                            dict[str, float], int]]


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


def kin_couples(idx: _Index) -> set[str]:
    """The couples related by birth (cousins who married, and the like): the families
    whose partners may stand apart, each with their own brothers and sisters, where that
    crosses fewer lines (GENOGRAM.md §3.3: a loop stays local; pedigree tools route such
    a couple's line around the people between).

    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id=p, name=p) for p in ("g", "a", "b")],
    ...     unions=[Union(id="ab", partners=["a", "b"])],
    ...     parents=[ParentLink(child="a", parents=["g"]), ParentLink(child="b", parents=["g"])])
    >>> kin_couples(_Index(case))
    {'ab'}
    """
    births = {child: tuple(ps) for child, ps in idx._birth_parents().items()}
    memo: dict[tuple[str, int], frozenset[str]] = {}
    return {fid for fid, fam in idx.families.items()
            if len(fam.parents) == 2 and _related_by_birth(births, *fam.parents, memo)}


def _build_units(
    idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str], kin: set[str]
) -> list[_Unit]:
    edges: dict[str, list[str]] = {p: [] for p in idx.people}
    for fam in idx.families.values():
        if len(fam.parents) == 2 and fam.id not in kin:
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


#: A line from a family's join point to a child: the parents, the child.
_Line = tuple[tuple[str, ...], str]


def _children_by_parent(idx: _Index, hang: Mapping[str, str]) -> dict[str, list[str]]:
    """Children of each parent by the family they hang from, for barycentres from below."""
    kids: dict[str, list[str]] = {}
    for child, fid in hang.items():
        for p in idx.families[fid].parents:
            kids.setdefault(p, []).append(child)
    return kids


def _lines_to_children(idx: _Index, unit_of: Mapping[str, _Unit]) -> list[_Line]:
    """Every line into a child of this connected family."""
    return [
        (idx.families[link.family].parents, link.child)
        for links in idx.links_of.values()
        for link in links
        if link.child in unit_of
    ]


def _children_of(links: Sequence[_Line]) -> dict[tuple[str, ...], list[str]]:
    kids_of: dict[tuple[str, ...], list[str]] = {}
    for parents, child in links:
        kids_of.setdefault(parents, []).append(child)
    return kids_of


def _lines_into_rows(
    links: Sequence[_Line], unit_of: Mapping[str, _Unit], gens: Mapping[str, int]
) -> dict[int, list[tuple[tuple[str, ...], str, float, float]]]:
    """The lines into each row (of this family's rows), with their ends' rows as y."""
    links_into: dict[int, list[tuple[tuple[str, ...], str, float, float]]] = {}
    for parents, child in links:
        top = float(max(gens[p] for p in parents))
        links_into.setdefault(unit_of[child].row, []).append(
            (parents, child, top, float(gens[child])))
    return links_into


def _couples_free_apart(
    idx: _Index, kin: set[str] | frozenset[str], unit_of: Mapping[str, _Unit],
    gens: Mapping[str, int],
) -> list[tuple[str, str]]:
    """Couples free to stand apart (``kin``: related by birth, or tried apart), in the
    file's order: a set's order changes from one Python process to the next, and every
    screen must draw the same picture."""
    return [
        (a, b) for a, b in (idx.families[f].parents for f in idx.families if f in kin)
        if a in unit_of and b in unit_of and gens[a] == gens[b]
        and unit_of[a] is not unit_of[b]]


def _couples_across_rows(
    idx: _Index, unit_of: Mapping[str, _Unit], gens: Mapping[str, int]
) -> dict[int, list[tuple[str, tuple[str, ...], float, float]]]:
    """Couples in two rows: the upper partner's line down to the join point beside the
    lower partner crosses the lines into the lower row (by the lower row)."""
    across_into: dict[int, list[tuple[str, tuple[str, ...], float, float]]] = {}
    for fam in idx.families.values():
        ps = fam.parents
        if len(ps) == 2 and all(p in unit_of for p in ps) and gens[ps[0]] != gens[ps[1]]:
            upper, lower = sorted(ps, key=gens.__getitem__)
            across_into.setdefault(unit_of[lower].row, []).append(
                (upper, ps, float(gens[upper]), float(gens[lower])))
    return across_into


def _partners_across_rows(
    across_into: Mapping[int, list[tuple[str, tuple[str, ...], float, float]]]
) -> dict[str, list[str]]:
    """Each person's partners in other rows, whom the sweeps pull them towards."""
    across_partners: dict[str, list[str]] = {}
    for _upper, (a, b), _top, _bottom in (
            item for items in across_into.values() for item in items):
        across_partners.setdefault(a, []).append(b)
        across_partners.setdefault(b, []).append(a)
    return across_partners


def _joins_by_row(
    kids_of: Mapping[tuple[str, ...], list[str]], unit_of: Mapping[str, _Unit],
    gens: Mapping[str, int],
) -> dict[int, list[tuple[str, ...]]]:
    """Each row's join points (parents with children below), for :meth:`_Orderer.apart`."""
    joins_in: dict[int, list[tuple[str, ...]]] = {}
    for ps in kids_of:
        lower = max(ps, key=gens.__getitem__)
        joins_in.setdefault(unit_of[lower].row, []).append(ps)
    return joins_in


class _Orderer:
    """Barycentric sweeps over the rows of one connected family (GENOGRAM.md §3.2 step 4)."""

    def __init__(self, idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
                 units: list[_Unit], by_width: bool = False, strict_birth_order: bool = False,
                 kin: set[str] | frozenset[str] = frozenset()):
        self.idx = idx
        self.by_width = by_width
        self.strict_birth_order = strict_birth_order
        self.gens = gens
        self.hang = hang
        depth = max(u.row for u in units) + 1
        self.rows: list[list[_Unit]] = [[] for _ in range(depth)]
        self.pos: dict[str, float] = {}
        self._join_kinds: dict[tuple[str, ...], str] = {}
        self._shared: dict[tuple[str, str], list[str]] = {}
        self._down_getters: dict[int, Callable[[dict[str, float]], Any]] = {}
        #: Counts the changes of any unit's home, anchor or partners married in.
        self.homes = 0
        self._apart_rows: list[tuple[int, Callable[[dict[str, float]], Any],
                                     dict[Any, int]]] | None = None
        self._down_known: dict[Any, tuple[tuple[_Unit, ...], tuple[tuple[str, ...], ...],
                                          dict[str, float] | None]] = {}
        self.unit_of: dict[str, _Unit] = {}
        for u in units:
            for m in u.members:
                self.unit_of[m] = u
        self.kids = _children_by_parent(idx, hang)
        self.links = _lines_to_children(idx, self.unit_of)
        self.kids_of = _children_of(self.links)
        self.links_into = _lines_into_rows(self.links, self.unit_of, gens)
        self.apart_pairs = _couples_free_apart(idx, kin, self.unit_of, gens)
        self.across_into = _couples_across_rows(idx, self.unit_of, gens)
        self.across_partners = _partners_across_rows(self.across_into)
        self.joins_in = _joins_by_row(self.kids_of, self.unit_of, gens)
        self.gap_counts = GapCounts(self)
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
        return self.join_pos(self.idx.families[fid].parents)

    def join_pos(self, ps: tuple[str, ...]) -> float:
        """Where a family's children's line starts: between partners in one row, beside
        the lower partner when they are in different rows (as routing draws it).

        Which of these a family is never changes while ordering (units keep their
        people), so it is worked out once per family (:meth:`_join_kind`): this is
        asked hundreds of thousands of times in a family of a few hundred people."""
        kind = self._join_kinds.get(ps)
        if kind is None:
            kind = self._join_kinds[ps] = self._join_kind(ps)
        pos = self.pos
        if kind is _JOIN_PAIR:
            return (pos[ps[0]] + pos[ps[1]]) / 2
        if kind is _JOIN_ONE:
            return pos[ps[0]]
        if kind is _JOIN_TWO_ROWS:
            return self._join_two_rows(ps)
        if kind is _JOIN_APART:
            # Standing apart: the line drops above the children (as placement puts it).
            lo, hi = sorted((pos[ps[0]], pos[ps[1]]))
            kids = self.kids_of.get(ps)
            if kids:
                centre = sum(pos[k] for k in kids) / len(kids)
                return min(max(centre, lo), hi)
        return sum(pos[p] for p in ps) / len(ps)

    def _join_kind(self, ps: tuple[str, ...]) -> str:
        """How :meth:`join_pos` finds a family's join point (one of the ``_JOIN_`` kinds)."""
        if len(ps) == 1:
            return _JOIN_ONE
        if len(ps) != 2:
            return _JOIN_MEAN
        if self.gens[ps[0]] != self.gens[ps[1]]:
            return _JOIN_TWO_ROWS
        if self.unit_of[ps[0]] is not self.unit_of[ps[1]]:
            return _JOIN_APART
        return _JOIN_PAIR

    def join_depends(self, ps: tuple[str, ...]) -> list[str]:
        """Everyone whose position :meth:`join_pos` reads for the family ``ps`` (the
        order of a chain's members follows from their positions)."""
        kind = self._join_kind(ps)
        kids = list(self.kids_of.get(ps, ()))
        if kind is _JOIN_APART:
            return [*ps, *kids]
        if kind is _JOIN_TWO_ROWS:
            lower = max(ps, key=self.gens.__getitem__)
            return [*ps, *self.unit_of[lower].members, *kids]
        return list(ps)

    def _join_two_rows(self, ps: tuple[str, ...]) -> float:
        """The join point of a couple in two rows: beside the lower partner."""
        upper, lower = ps if self.gens[ps[0]] < self.gens[ps[1]] else ps[::-1]
        # As placement draws it: away from a partner beside the lower partner,
        # else on the children's side.
        members = self.unit_of[lower].members
        i = members.index(lower)
        side = 0.4 if 0 < i == len(members) - 1 else -0.4 if i == 0 < len(members) - 1 else 0
        if not side:
            kids = self.kids_of.get(ps)
            toward = (sum([self.pos[k] for k in kids]) / len(kids) if kids
                      else self.pos[upper])
            side = 0.4 if toward >= self.pos[lower] else -0.4
        if self.by_width:
            side *= self.idx.width[lower] + GAP
        return self.pos[lower] + side

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

    def _orient(self, u: _Unit, i: int, n: int, key: float) -> bool:
        """Turn a chain to face its family (or its children); True if it turned."""
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
                    kids = self._shared_kids(u.members[j], u.members[j + 1])
                    if kids:
                        cb = sum(self.pos[c] for c in kids) / len(kids)
                        score += (cb - bary) * (j + 0.5 - half)
        if score < 0:
            u.members.reverse()
            return True
        return False

    def _shared_kids(self, a: str, b: str) -> list[str]:
        """The children ``a`` and ``b`` have together (in ``a``'s order), looked up once."""
        kids = self._shared.get((a, b))
        if kids is None:
            kids = self._shared[(a, b)] = [
                c for c in self.kids.get(a, ()) if c in self.kids.get(b, ())]
        return kids

    def pulled(self, key: float, g: list[_Unit]) -> float:
        """A group's barycentre ``key`` drawn towards the partners its members have in
        other rows (:data:`PULL` each), in the largest trees: the line of such a couple
        runs from one partner down to the other, across every line between them."""
        if self.by_width or not self.across_partners:
            return key
        total = n = 0.0
        for u in g:
            for m in u.members:
                for q in self.across_partners.get(m, ()):
                    total += self.pos[q]
                    n += 1
        return (key + PULL * total) / (1 + PULL * n) if n else key

    def down(self, r: int) -> bool:
        """Order row ``r`` by the family each group hangs from (or its children); True if
        anything moved. Positions follow the row, so an unmoved row keeps its own.

        In families up to ``IMPROVE_LIMIT`` people, trial moves re-order the rows below
        them again and again, most often from the same start: the outcome is remembered
        against the positions of everyone :meth:`_down` reads (:meth:`_down_depends`:
        the row's own people among them, whose positions give its order) and the
        units' homes as they stand (:attr:`homes`), and played back when they recur."""
        if not self.by_width:
            return self._down(r)
        depends = self._down_getters.get(r)
        if depends is None:
            depends = self._down_getters[r] = self._down_depends(r)
        key = (r, self.homes, depends(self.pos))
        known = self._down_known.get(key)
        if known is not None:
            units, members, positions = known
            for u, ms in zip(units, members, strict=True):
                if tuple(u.members) != ms:
                    u.members[:] = ms
            self.rows[r] = list(units)
            if positions is None:
                return False
            self.pos.update(positions)
            return True
        moved = self._down(r)
        row = self.rows[r]
        if len(self._down_known) >= DOWN_MEMORY:
            self._down_known.clear()
        self._down_known[key] = (
            tuple(row), tuple(tuple(u.members) for u in row),
            {m: self.pos[m] for u in row for m in u.members} if moved else None)
        return moved

    def _down_depends(self, r: int) -> Callable[[dict[str, float]], Any]:
        """A getter of the positions :meth:`_down` may read for row ``r``: its people,
        the join point of each one's parents, their children, their partners in other
        rows (whichever of them is the unit's anchor or married in)."""
        people: dict[str, None] = {}
        for u in self.rows[r]:
            for m in u.members:
                people[m] = None
                fid = self.hang.get(m)
                if fid is not None:
                    people.update(dict.fromkeys(self.join_depends(self.idx.families[fid].parents)))
                people.update(dict.fromkeys(self.kids.get(m, ())))
                people.update(dict.fromkeys(self.across_partners.get(m, ())))
        return itemgetter(*people) if people else lambda _pos: ()

    def _down(self, r: int) -> bool:
        """:meth:`down`, worked out."""
        old = self.rows[r]
        turned = False
        keyed = []
        for g in self._groups(r):
            u0 = g[0]
            cur = self._mean_pos(g)
            if u0.home is not None:
                key = self.join_pos(self.idx.families[u0.home].parents)
            else:
                bary = self.child_bary(u0)
                key = bary if bary is not None else cur
            keyed.append((self.pulled(key, g), cur, g))
        keyed.sort(key=_KEY_THEN_CURRENT)
        row: list[_Unit] = []
        for key, _cur, g in keyed:
            if len(g) > 1:
                birth_key = self.idx.birth_key
                if self.strict_birth_order or not any(u.cross for u in g):
                    g.sort(key=lambda u: birth_key(u.anchor))  # every lean is 0
                else:
                    g.sort(key=lambda u, key=key: (self._pref(u, key), birth_key(u.anchor)))
                for i, u in enumerate(g):
                    if len(u.members) > 1 and self._orient(u, i, len(g), key):
                        turned = True
            elif len(g[0].members) > 1 and self._orient(g[0], 0, 1, key):
                turned = True
            row.extend(g)
        self.rows[r] = row
        if turned or row != old:
            self._set_row(r)
            return True
        return False

    def _pref(self, u: _Unit, key: float) -> float:
        """Which end of its group a chain leans to: towards the family of its member
        who married in from elsewhere in the row (-1 left, 1 right, 0 neither)."""
        if not u.cross or self.strict_birth_order:
            return 0.0
        d = self.fam_pos(self.hang[u.cross[0]]) - key
        return 1.0 if d > 0 else -1.0 if d < 0 else 0.0

    def _mean_pos(self, g: list[_Unit]) -> float:
        """The mean position of a group's people (``sum`` over them in order: the same
        float additions whatever the Python version does inside ``sum``)."""
        pos = self.pos
        return sum([pos[m] for u in g for m in u.members]) / sum([len(u.members) for u in g])

    def up(self, r: int) -> None:
        """Order row ``r`` by its groups' children (an unmoved row keeps its positions)."""
        old = self.rows[r]
        keyed = []
        for g in self._groups(r):
            cur = self._mean_pos(g)
            barys = [b for b in (self.child_bary(u) for u in g) if b is not None]
            key = sum(barys) / len(barys) if barys else cur
            keyed.append((self.pulled(key, g), cur, g))
        keyed.sort(key=_KEY_THEN_CURRENT)
        row = self.rows[r] = [u for _k, _c, g in keyed for u in g]
        if row != old:
            self._set_row(r)

    def crossings(self, rows: range | None = None) -> int:
        """Crossings of the lines into the given rows (all, by default): a change in some
        rows leaves the crossings of lines into the other rows as they were. For families
        up to ``IMPROVE_LIMIT`` people, weighted by :data:`WEIGHT` with the crossings of the
        lines of couples in two rows added. Counted gap by gap, each gap's count
        remembered against the positions it depends on (:mod:`~systemic.genogram.layout.
        gap_counts`), where every line into a child runs between neighbouring rows."""
        counted = self.gap_counts.count(range(len(self.rows)) if rows is None else rows)
        if counted is not None:
            into, both = counted
            narrow = into + self.apart(rows) if self.apart_pairs else into
            return narrow * WEIGHT + both - into if self.by_width else narrow
        segments = []
        pos = self.pos
        joins: dict[tuple[str, ...], float] = {}
        for r in range(len(self.rows)) if rows is None else rows:
            for parents, child, top, bottom in self.links_into.get(r, ()):
                x = joins.get(parents)
                if x is None:
                    x = joins[parents] = self.join_pos(parents)
                segments.append(((x, top), (pos[child], bottom)))
        into = count_crossings(segments)
        narrow = into + self.apart(rows) if self.apart_pairs else into
        if not self.by_width:  # the largest trees: lines into children only
            return narrow
        across = [((pos[upper], top), (self.join_pos(parents), bottom))
                  for r in (range(len(self.rows)) if rows is None else rows)
                  for upper, parents, top, bottom in self.across_into.get(r, ())]
        if not across:
            return narrow * WEIGHT
        return narrow * WEIGHT + count_crossings(segments + across) - into

    def apart(self, rows: range | None = None) -> int:
        """What the couple lines of partners standing apart cross
        (:func:`~systemic.genogram.layout.apart.apart_cost`), counted with the crossings
        so that a couple stands apart only where that crosses fewer lines in all.

        Each row's cost is remembered against the positions it reads (as
        :mod:`~systemic.genogram.layout.gap_counts` does for the crossings)."""
        if self._apart_rows is None:
            self._apart_rows = self._plan_apart()
        total = 0
        for r, depends, known in self._apart_rows:
            if rows is None or r in rows:
                key = depends(self.pos)
                cost = known.get(key)
                if cost is None:
                    if len(known) >= DOWN_MEMORY:
                        known.clear()
                    cost = known[key] = self._apart_row(r)
                total += cost
        return total

    def _plan_apart(self) -> list[tuple[int, Callable[[dict[str, float]], Any], dict[Any, int]]]:
        """The rows with couples standing apart, each with a getter of the positions its
        cost reads (the couples, the join points in the row and the lines of couples in
        two rows passing below it) and an empty memory."""
        rows: dict[int, dict[str, None]] = {}
        for a, b in self.apart_pairs:
            rows.setdefault(self.unit_of[a].row, {}).update({a: None, b: None})
        out = []
        for r, people in rows.items():
            for ps in self.joins_in.get(r, ()):
                people.update(dict.fromkeys(self.join_depends(ps)))
            for upper, ps, _upper_row, _lower_row in self._across_over(r):
                people[upper] = None
                people.update(dict.fromkeys(self.join_depends(ps)))
            out.append((r, itemgetter(*people), {}))
        return out

    def _apart_row(self, r: int) -> int:
        """:meth:`apart` for row ``r``, worked out."""
        couples = []
        for a, b in self.apart_pairs:
            if self.unit_of[a].row == r:
                lo, hi = sorted((self.pos[a], self.pos[b]))
                couples.append((lo, hi, (a, b)))
        lines = [(self.join_pos(ps), ps) for ps in self.joins_in.get(r, ())]
        lines += self._across_at(r)
        return apart_cost(couples, lines)

    def _across_over(self, r: int) -> list[tuple[str, tuple[str, ...], int, int]]:
        """The couples in two rows whose line passes just below row ``r``: the upper
        partner, the couple, and the rows of the upper and the lower partner."""
        return [(upper, ps, self.unit_of[upper].row, lower_row)
                for lower_row, items in self.across_into.items()
                for upper, ps, _top, _bottom in items
                if self.unit_of[upper].row <= r < lower_row]

    def _across_at(self, r: int) -> list[tuple[float, tuple[str, ...]]]:
        """Lines of couples in two rows passing just below row ``r``, and where."""
        out = []
        for upper, ps, upper_row, lower_row in self._across_over(r):
            t = (r + 0.5 - upper_row) / (lower_row - upper_row)
            x0, x1 = self.pos[upper], self.join_pos(ps)
            out.append((x0 + (x1 - x0) * t, ps))
        return out

    def snapshot(self, rows: range | None = None) -> _Snapshot:
        """The order and orientation of the given rows (all by default), for
        :meth:`restore`, with their positions (which always follow the rows' order:
        every change of a row sets them), so a restore need not work them out again."""
        pos = self.pos
        return {r: (list(self.rows[r]),
                    [(u, tuple(u.members)) for u in self.rows[r] if len(u.members) > 1],
                    [(u, u.home, u.anchor, u.cross) for u in self.rows[r]],
                    {m: pos[m] for u in self.rows[r] for m in u.members},
                    self.homes)
                for r in (range(len(self.rows)) if rows is None else rows)}

    def restore(self, snap: _Snapshot) -> None:
        """Put back the rows of a :meth:`snapshot` (the others stay as they are).

        A row whose people all stand where they stood, no home having changed since,
        is as it was (positions give the order of people, so of units and members) and
        is left alone: a trial move changes a row or two of those it saved."""
        for r, (units, chains, homes_then, positions, homes) in snap.items():
            if homes == self.homes and positions.items() <= self.pos.items():
                continue
            for u, members in chains:  # (one person's members never change)
                u.members = list(members)
            if homes != self.homes:
                # A unit's list of members married in is replaced, never changed in place.
                for u, home, anchor, cross in homes_then:
                    if u.home != home or u.anchor != anchor or u.cross != cross:
                        self.homes += 1
                    u.home, u.anchor, u.cross = home, anchor, cross
            self.rows[r] = list(units)
            self.pos.update(positions)

    def judge(self, follow: range, counted: range, least: int,
              found: _Snapshot | None) -> tuple[int, _Snapshot | None]:
        """Judge a trial move: count the ``counted`` rows with the rows ``follow`` as
        they stand, then re-ordered to follow the move; return the fewer crossings
        and a snapshot of ``counted`` where that beats ``least`` (else ``least`` and
        ``found`` as given)."""
        count = self.crossings(counted)
        if count < least:
            least, found = count, self.snapshot(counted)
        # Every row below follows (a list, not a short cut); if none moved, the count stands.
        if any([self.down(below) for below in follow]):
            count = self.crossings(counted)
            if count < least:
                least, found = count, self.snapshot(counted)
        return least, found

    def settle(self, found: _Snapshot | None, base: _Snapshot, last: int, best: int) -> int:
        """After trials on rows up to ``last``: keep ``found`` (their best) if, the rows
        below as they are or following, the whole drawing has fewer than ``best``
        crossings, else put ``base`` back; return the crossings after."""
        if found is None:
            return best
        rest = range(last + 1, len(self.rows))
        below = self.snapshot(rest)
        self.restore(found)
        count = self.crossings()
        if count < best:
            return count
        if any([self.down(r) for r in rest]):
            count = self.crossings()
            if count < best:
                return count
        self.restore(base)
        self.restore(below)
        return best

    def rehome(self, u: _Unit, member: str) -> None:
        """Hang the chain ``u`` under ``member``'s parents instead (its other members'
        parents then reach them by a longer line)."""
        old = u.anchor
        self.homes += 1
        u.anchor, u.home = member, self.hang[member]
        u.cross = [m for m in [old, *u.cross] if m != member and self.hang[m] != u.home]

    def sweep(self, sweeps: int) -> int:
        """Down and up barycentric sweeps from the first order, keeping the order with
        the fewest crossings; return them. :meth:`refine` follows."""
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
        return best_count

    def refine(self, improve: bool) -> None:
        """After the sweeps (or from an order given by :meth:`follow`): flips and group
        swaps, neighbour swaps, couples rehomed, units seated, branches moved."""
        best_count = self.crossings()
        if improve and best_count > 0:
            self._improve(best_count)
        transpose(self)
        before = self.crossings()
        if improve and rehome_pass(self) < before:
            transpose(self)
        if improve and seat_units(self):
            move_branches(self)

    def follow(self, rows: Sequence[Sequence[str]]) -> None:
        """Start from another orderer's rows (people left to right): each unit where its
        people stood, its members in their order there."""
        for r, row in enumerate(rows):
            at = {p: i for i, p in enumerate(row)}
            units = {id(self.unit_of[p]): self.unit_of[p] for p in row}.values()
            for u in units:
                u.members.sort(key=at.__getitem__)
            self.rows[r] = sorted(units, key=lambda u: at[u.members[0]])
            self._set_row(r)

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
                    snap = self.snapshot(range(r, depth))  # the rows a trial changes
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
    idx: _Index,
    gens: Mapping[str, int],
    hang: Mapping[str, str],
    xs: Mapping[str, float],
    previous_rows: Sequence[Sequence[str]],
) -> list[list[str]]:
    """Keep everyone from the previous layout in their left-to-right order and slot the
    newcomers in: a child among their siblings by age, a partner beside their partner,
    parents above their child, anyone else at the end of their row. ``xs`` are the
    previous x positions, ``previous_rows`` the previous rows."""
    key: dict[str, float] = {pid: x for pid, x in xs.items() if pid in idx.people}
    # The extent of each previous partner chain, so a newcomer lands outside it.
    left: dict[str, float] = {}
    right: dict[str, float] = {}
    for row in previous_rows:
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
    stored: Sequence[str] | None = None,
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
    keeps their left-to-right order and newcomers are slotted in. ``stored``
    is the order kept with the case (person ids, left to right, row after
    row; see :func:`stored_order`): the people in it keep that order in their
    rows, and anyone not in it is slotted in the same way, so every screen
    and every export that reads the same stored case draws the same picture.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="mum", name="Mum"), Person(id="dad", name="Dad"),
    ...     Person(id="young", name="Young", born=2012),
    ...     Person(id="old", name="Old", born=2009)],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child=c, parents=["mum", "dad"]) for c in ("young", "old")])
    >>> from systemic.genogram.layout.generations import assign_generations
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
    if previous is not None and any(p in previous.people for p in idx.people):
        xs = {pid: place.x for pid, place in previous.people.items()}
        rows = _order_from_previous(idx, gens, hang, xs, previous.rows)
        return tuple(tuple(r) for r in rows)
    if stored and any(p in idx.people for p in stored):
        return _order_from_stored(case, idx, gens, hang, stored)
    kin = kin_couples(idx)
    bound = _by_component(_build_units(idx, gens, hang, set()))
    apart = _by_component(_build_units(idx, gens, hang, kin)) if kin else bound
    depth = max(gens.values(), default=0) + 1
    rows: list[list[_Unit]] = [[] for _ in range(depth)]
    loose: list[_Unit] = []
    size = len(idx.people)
    for comp in sorted(bound, key=lambda c: min(u.first for u in bound[c])):
        members = bound[comp]
        if len(members) == 1 and len(members[0].members) == 1 and not members[0].home:
            loose.append(members[0])
            continue
        _order_component(idx, gens, hang, (members, apart[comp]), rows, size,
                         strict_birth_order, kin)
    for u in loose:
        _place_loose(idx, u, rows[u.row])
    return tuple(tuple(m for u in row for m in u.members) for row in rows)


def _by_component(units: list[_Unit]) -> dict[int, list[_Unit]]:
    out: dict[int, list[_Unit]] = {}
    for u in units:
        out.setdefault(u.component, []).append(u)
    return out


def _order_component(idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
                     choices: tuple[list[_Unit], list[_Unit]], rows: list[list[_Unit]],
                     size: int, strict_birth_order: bool, kin: set[str]) -> None:
    """Order one connected family and append its rows to ``rows``.

    ``choices`` are its units with every couple side by side, and with couples related
    by birth free to stand apart (:func:`kin_couples`); where they differ, both are
    ordered and the one with fewer crossings (each family line leaving from between
    such partners counting as one) is kept. For families up to :data:`IMPROVE_LIMIT`
    people each is refined before they are compared, and where lines still cross in an
    intermarried family, couples whose lines cross are tried apart in turn
    (:mod:`~systemic.genogram.layout.apart`). Larger trees are compared after the
    sweeps and only the better one is refined: the sweeps already tell them apart
    (royal92: 995 against 1,133 after the sweeps, 280 against 580 refined; the 4,683-
    person export: 807 against 641, then 538 against 411), and refining both would
    take a 3,000-person tree over a second."""
    members = choices[0]
    people_here = sum(len(u.members) for u in members)
    improve = people_here <= IMPROVE_LIMIT
    tries = choices if len(choices[1]) != len(members) else choices[:1]
    low = min(u.row for u in members)
    best: _Orderer | None = None
    best_count = 0
    for units in tries:
        # Families up to a few hundred people order better by page position; the
        # largest trees, by plain rank in the row (measured on the GEDCOM samples).
        orderer = _Orderer(idx, gens, hang, _shifted(units, low), by_width=improve,
                           kin=kin, strict_birth_order=strict_birth_order)
        count = orderer.sweep(sweeps=6)
        if improve:
            orderer.refine(improve=True)
            count = orderer.crossings()
        if best is None or count < best_count:
            best, best_count = orderer, count
        if best_count == 0:
            break
    assert best is not None
    if not improve:
        best.refine(improve=False)
    elif best_count > 0:
        best = _try_apart(idx, gens, hang, best, kin, strict_birth_order)
    for u in (u for row in best.rows for u in row):
        u.row += low
    for r, row in enumerate(best.rows):
        rows[r + low].extend(row)


def _shifted(units: list[_Unit], low: int) -> list[_Unit]:
    """The units with rows counted from the family's top row (the orderer's rows)."""
    for u in units:
        u.row -= low
    return units


def _try_apart(idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
               best: _Orderer, kin: set[str], strict_birth_order: bool) -> _Orderer:
    """In an intermarried family, :func:`~systemic.genogram.layout.apart.try_apart` over
    the couples whose lines cross (none elsewhere: there couples never stand apart)."""
    people = best.unit_of
    if not any(idx.families[f].parents[0] in people for f in kin):
        return best
    families = [f for f, fam in idx.families.items()
                if f not in kin and len(fam.parents) == 2 and fam.parents[0] in people]
    component = next(iter(people.values())).component
    low = min(gens[p] for p in people)
    order = [[m for u in row for m in u.members] for row in best.rows]

    def variant(fid: str) -> _Orderer:
        free = kin | {fid}
        units = [u for u in _build_units(idx, gens, hang, free) if u.component == component]
        trial = _Orderer(idx, gens, hang, _shifted(units, low), by_width=True,
                         kin=free, strict_birth_order=strict_birth_order)
        trial.follow(order)
        return trial

    return try_apart(best, crossed_couples(best, families), variant)


def _place_loose(idx: _Index, u: _Unit, row: list[_Unit]) -> None:
    """Someone with no family links stands next to the people they live with."""
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


def _order_from_stored(
    case: Case, idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
    stored: Sequence[str],
) -> tuple[tuple[str, ...], ...]:
    """Rows in the stored order; newcomers slotted in as after an edit.

    The people in ``stored`` are sorted by their place in it (within the row
    the generations give them). If someone is missing from it, a first x
    placement of the known order gives the positions that
    :func:`_order_from_previous` needs to slot them in.
    """
    from systemic.genogram.layout.placement import place_x

    rank = {p: i for i, p in enumerate(dict.fromkeys(stored)) if p in idx.people}
    depth = max(gens.values(), default=0) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    for p in idx.people:
        rows[gens[p]].append(p)
    end = len(rank)
    for row in rows:
        row.sort(key=lambda p: (rank.get(p, end + idx.order[p]), idx.order[p]))
    if len(rank) == len(idx.people):
        return tuple(tuple(r) for r in rows)
    known_rows = [[p for p in row if p in rank] for row in rows]
    xs = place_x(case, rows, _index=idx)
    return tuple(tuple(r) for r in _order_from_previous(
        idx, gens, hang, {p: xs[p] for p in rank}, known_rows))


def stored_order(rows: Sequence[Sequence[str]]) -> list[str]:
    """The order to keep with a case: everyone, left to right, row after row.

    >>> stored_order((("mum", "dad"), ("kid",)))
    ['mum', 'dad', 'kid']
    """
    return [p for row in rows for p in row]
