"""The orderer: barycentric sweeps over the rows of one connected family.

:class:`_Orderer` holds one connected family's rows of units (:mod:`~systemic.genogram.
layout.units`), their positions, and the crossings of the lines between rows. Its down
and up sweeps, here, order sibling groups by the family they hang from (GENOGRAM.md
§3.2 step 4), each read at its join point (:mod:`~systemic.genogram.layout.
join_points`); the trial moves after the sweeps are in
:mod:`~systemic.genogram.layout.refining` (and the modules named in
:mod:`~systemic.genogram.layout.ordering`), each saving and putting back rows by
:mod:`~systemic.genogram.layout.snapshots`. Trial moves are judged by
:meth:`_Orderer.crossings`, counted gap by gap and remembered
(:mod:`~systemic.genogram.layout.gap_counts`), with what the lines of couples standing
apart cross (:mod:`~systemic.genogram.layout.apart_rows`). Those modules are mixins of
:class:`_Orderer`, so the hot lookups stay plain method calls on it.

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout.base import _Index
>>> from systemic.genogram.layout.units import _Unit
>>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
>>> orderer = _Orderer(_Index(case), {"a": 0}, {}, [_Unit(["a"], row=0)])
>>> orderer.sweep(sweeps=1), orderer.crossings()
(0, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from systemic.genogram.layout.apart_rows import _ApartRows
from systemic.genogram.layout.base import (
    GAP,
    _Index,
    count_crossings,
)
from systemic.genogram.layout.gap_counts import GapCounts
from systemic.genogram.layout.join_points import _JoinPoints
from systemic.genogram.layout.refining import _Refining
from systemic.genogram.layout.snapshots import _Snapshots
from systemic.genogram.layout.units import (
    _children_by_parent,
    _children_of,
    _couples_across_rows,
    _couples_free_apart,
    _joins_by_row,
    _lines_into_rows,
    _lines_to_children,
    _partners_across_rows,
    _Unit,
)

__all__ = ["WEIGHT", "PULL"]


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


class _Orderer(_JoinPoints, _ApartRows, _Snapshots, _Refining):
    """Barycentric sweeps over the rows of one connected family (GENOGRAM.md §3.2 step 4)."""

    def __init__(self, idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
                 units: list[_Unit], by_width: bool = False, strict_birth_order: bool = False,
                 kin: set[str] | frozenset[str] = frozenset(),
                 anchor_key: Callable[[str], Any] | None = None):
        self.idx = idx
        #: How the units' anchors were chosen (``None``: the first in the file), for
        #: orderers built from this one (:func:`~systemic.genogram.layout.ordering._variant`).
        self.anchor_key = anchor_key
        self.by_width = by_width
        self.strict_birth_order = strict_birth_order
        self.gens = gens
        self.hang = hang
        depth = max(u.row for u in units) + 1
        self.rows: list[list[_Unit]] = [[] for _ in range(depth)]
        self.pos: dict[str, float] = {}
        self._join_kinds: dict[tuple[str, ...], str] = {}
        self._two_rows: dict[tuple[str, ...],
                             tuple[str, str, _Unit, tuple[str, ...], float | None]] = {}
        self._shared: dict[tuple[str, str], list[str]] = {}
        self._down_getters: dict[int, Callable[[dict[str, float]], Any]] = {}
        #: Counts the changes of any unit's home, anchor or partners married in.
        self.homes = 0
        self._apart_rows: list[tuple[int, Callable[[dict[str, float]], Any],
                                     dict[Any, int]]] | None = None
        self._across_rows: dict[int, list[tuple[str, tuple[str, ...], int, int]]] = {}
        self._across_t: dict[int, list[tuple[str, tuple[str, ...], float]]] = {}
        #: Each row's couples free to stand apart (units keep their rows while ordering).
        self._apart_in: dict[int, list[tuple[str, str]]] = {}
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
        self.gap_counts = GapCounts()
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
        counted = self.gap_counts.count(self, range(len(self.rows)) if rows is None else rows)
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
