"""Where a family's children's line leaves their parents, as the sweeps see it.

The orderer (:class:`~systemic.genogram.layout.sweeps._Orderer`) sorts each sibling
group by the point its parents' line drops from: between partners side by side,
above the children where partners stand apart, beside the lower partner where they
are in different rows (as placement and routing draw them). That point is asked for
hundreds of thousands of times while ordering a large family (about 470,000 times in
royal92), so what never changes (which of these a family is, who is upper and lower)
is worked out once per family; the mixin keeps those lookups on the orderer itself,
with no extra call between a sweep and the positions it reads.

>>> from systemic.cases import Case, Person, ParentLink
>>> from systemic.genogram.layout.base import _Index
>>> from systemic.genogram.layout.sweeps import _Orderer
>>> from systemic.genogram.layout.units import _Unit
>>> case = Case(id="c", title="t", fictional=True, people=[
...     Person(id="a", name="A"), Person(id="b", name="B"), Person(id="k", name="K")],
...     parents=[ParentLink(child="k", parents=["a", "b"])])
>>> gens = {"a": 0, "b": 0, "k": 1}
>>> orderer = _Orderer(_Index(case), gens, {}, [_Unit(["a", "b"], row=0), _Unit(["k"], row=1)])
>>> orderer.join_pos(("a", "b")), orderer.join_depends(("a", "b"))
(0.0, ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from systemic.genogram.layout.base import GAP

if TYPE_CHECKING:
    from systemic.genogram.layout.base import _Index
    from systemic.genogram.layout.units import _Unit

#: How a family's join point is found (:meth:`_JoinPoints.join_pos`): one parent; two side
#: by side in one chain; two standing apart in one row; two in different rows; other.
_JOIN_ONE, _JOIN_PAIR, _JOIN_APART, _JOIN_TWO_ROWS, _JOIN_MEAN = (
    "one", "pair", "apart", "two rows", "mean")



class _JoinPoints:
    """The join points of the orderer's families (mixed into
    :class:`~systemic.genogram.layout.sweeps._Orderer`, which sets these attributes)."""

    idx: _Index
    gens: Mapping[str, int]
    by_width: bool
    pos: dict[str, float]
    unit_of: dict[str, _Unit]
    kids_of: dict[tuple[str, ...], list[str]]
    _join_kinds: dict[tuple[str, ...], str]
    _two_rows: dict[tuple[str, ...], tuple[str, str, _Unit, tuple[str, ...], float | None]]

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

