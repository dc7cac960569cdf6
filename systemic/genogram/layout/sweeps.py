"""The orderer: barycentric sweeps over the rows of one connected family.

:class:`_Orderer` holds one connected family's rows of units (:mod:`~systemic.genogram.
layout.units`), their positions, and the crossings of the lines between rows. Its down
and up sweeps order sibling groups by the family they hang from (GENOGRAM.md §3.2 step
4); :meth:`_Orderer.refine` then flips chains, swaps groups, transposes neighbours,
rehomes married-in couples, seats units and moves branches (in the largest trees,
:meth:`_Orderer.refine_largest` moves the most crossed sibling groups, free parents and
partners standing apart: the modules named in
:mod:`~systemic.genogram.layout.ordering`). Trial moves are judged by
:meth:`_Orderer.crossings`, counted gap by gap and remembered
(:mod:`~systemic.genogram.layout.gap_counts`).

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

from systemic.genogram.layout.apart import apart_cost, face_partners
from systemic.genogram.layout.base import (
    GAP,
    _Index,
    count_crossings,
)
from systemic.genogram.layout.branches import move_branches
from systemic.genogram.layout.crossed_groups import move_crossed_groups
from systemic.genogram.layout.free_parents import move_free_parents
from systemic.genogram.layout.gap_counts import GapCounts
from systemic.genogram.layout.partner_sides import arrange_partners
from systemic.genogram.layout.rehome import rehome_pass
from systemic.genogram.layout.seating import seat_units
from systemic.genogram.layout.transpose import transpose
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


#: How a family's join point is found (:meth:`_Orderer.join_pos`): one parent; two side
#: by side in one chain; two standing apart in one row; two in different rows; other.
_JOIN_ONE, _JOIN_PAIR, _JOIN_APART, _JOIN_TWO_ROWS, _JOIN_MEAN = (
    "one", "pair", "apart", "two rows", "mean")


#: Rows' units; each partner chain's members in order; each unit's home, anchor and
#: members married in; the row's positions; and the count of changes of homes
#: (:attr:`_Orderer.homes`) when taken.
_Snapshot = dict[int, tuple[list[_Unit], list[tuple[_Unit, tuple[str, ...]]],
                            list[tuple[_Unit, str | None, str, list[str]]],
                            dict[str, float], int]]


class _Orderer:
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
        """The join point of a couple in two rows: beside the lower partner.

        Who is upper and lower, the lower partner's unit, the children and the width
        never change while ordering, so they are looked up once per family
        (:meth:`_two_rows_of`): this is asked a hundred thousand times in royal92."""
        found = self._two_rows.get(ps)
        if found is None:
            found = self._two_rows[ps] = self._two_rows_of(ps)
        upper, lower, unit, kids, scale = found
        pos = self.pos
        # As placement draws it: away from a partner beside the lower partner,
        # else on the children's side.
        members = unit.members
        side = (0.0 if len(members) < 2 else 0.4 if members[-1] == lower
                else -0.4 if members[0] == lower else 0.0)
        if not side:
            toward = sum([pos[k] for k in kids]) / len(kids) if kids else pos[upper]
            side = 0.4 if toward >= pos[lower] else -0.4
        if scale is not None:
            side *= scale
        return pos[lower] + side

    def _two_rows_of(self, ps: tuple[str, ...]
                     ) -> tuple[str, str, _Unit, tuple[str, ...], float | None]:
        """What :meth:`_join_two_rows` reads of a couple in two rows that never changes:
        the upper and lower partner, the lower's unit, the children and (drawn by
        width) the lower partner's width."""
        upper, lower = ps if self.gens[ps[0]] < self.gens[ps[1]] else ps[::-1]
        scale = self.idx.width[lower] + GAP if self.by_width else None
        return upper, lower, self.unit_of[lower], tuple(self.kids_of.get(ps) or ()), scale

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
            self._apart_in.setdefault(self.unit_of[a].row, []).append((a, b))
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
        pos = self.pos
        couples = []
        for a, b in self._apart_in[r]:
            lo, hi = sorted((pos[a], pos[b]))
            couples.append((lo, hi, (a, b)))
        join_pos = self.join_pos
        lines = [(join_pos(ps), ps) for ps in self.joins_in.get(r, ())]
        lines += self._across_at(r)
        return apart_cost(couples, lines)

    def _across_over(self, r: int) -> list[tuple[str, tuple[str, ...], int, int]]:
        """The couples in two rows whose line passes just below row ``r``: the upper
        partner, the couple, and the rows of the upper and the lower partner (worked out
        once per row: units keep their rows while ordering)."""
        found = self._across_rows.get(r)
        if found is None:
            found = self._across_rows[r] = [
                (upper, ps, self.unit_of[upper].row, lower_row)
                for lower_row, items in self.across_into.items()
                for upper, ps, _top, _bottom in items
                if self.unit_of[upper].row <= r < lower_row]
        return found

    def _across_at(self, r: int) -> list[tuple[float, tuple[str, ...]]]:
        """Lines of couples in two rows passing just below row ``r``, and where."""
        found = self._across_t.get(r)
        if found is None:  # how far down each line row r stands never changes
            found = self._across_t[r] = [
                (upper, ps, (r + 0.5 - upper_row) / (lower_row - upper_row))
                for upper, ps, upper_row, lower_row in self._across_over(r)]
        pos, join_pos = self.pos, self.join_pos
        out = []
        for upper, ps, t in found:
            x0, x1 = pos[upper], join_pos(ps)
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

    def settle(self, found: _Snapshot | None, base: _Snapshot, last: int, best: int,
               follow: bool = True) -> int:
        """After trials on rows up to ``last``: keep ``found`` (their best) if, the rows
        below as they are or (with ``follow``) following by a down sweep, the whole
        drawing has fewer than ``best`` crossings, else put ``base`` back; return the
        crossings after."""
        if found is None:
            return best
        rest = range(last + 1, len(self.rows)) if follow else range(0)
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

    def refine(self) -> None:
        """After the sweeps (or from an order given by :meth:`follow`), in families of up
        to ``IMPROVE_LIMIT`` people: flips and group swaps (in the layout's second start,
        also the sides of the partners of someone with three or more:
        :mod:`~systemic.genogram.layout.partner_sides`), neighbour swaps, couples
        rehomed, units seated, branches moved."""
        best_count = self.crossings()
        if best_count > 0:
            self._improve(best_count)
            if self.anchor_key is not None:
                arrange_partners(self, self.crossings())
        transpose(self)
        before = self.crossings()
        if rehome_pass(self) < before:
            transpose(self)
        if seat_units(self):
            move_branches(self)

    def refine_largest(self) -> None:
        """In the largest trees, after the sweeps and neighbour swaps
        (:func:`~systemic.genogram.layout.transpose.transpose`) and the couples freed to
        stand apart (:mod:`~systemic.genogram.layout.stand_apart`): a bounded number of
        moves of the sibling groups whose lines cross most
        (:mod:`~systemic.genogram.layout.crossed_groups`) and of their parents where
        those have no parents drawn (:mod:`~systemic.genogram.layout.free_parents`),
        partners standing apart each moved to face the other
        (:func:`~systemic.genogram.layout.apart.face_partners`), and a second round of
        the crossed groups' trials with only the rows below following that the move
        reaches."""
        move_crossed_groups(self)
        move_free_parents(self)
        face_partners(self)
        move_crossed_groups(self, local=True)

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
