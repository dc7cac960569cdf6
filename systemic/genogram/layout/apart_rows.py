"""What the couple lines of partners standing apart cross, row by row, remembered.

A couple may stand apart in its row (:mod:`~systemic.genogram.layout.apart`) only
where that crosses fewer lines in all, so the orderer
(:class:`~systemic.genogram.layout.sweeps._Orderer`) adds this cost to its crossings.
Trial moves ask for it again and again with most rows unchanged: each row's cost is
remembered against the positions it reads (the couples, the join points in the row
and the lines of couples in two rows passing just below it), as
:mod:`~systemic.genogram.layout.gap_counts` does for the crossings.

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout.base import _Index
>>> from systemic.genogram.layout.sweeps import _Orderer
>>> from systemic.genogram.layout.units import _Unit
>>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
>>> _Orderer(_Index(case), {"a": 0}, {}, [_Unit(["a"], row=0)]).apart()
0
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from systemic.genogram.layout.apart import apart_cost

if TYPE_CHECKING:
    from systemic.genogram.layout.units import _Unit

#: Costs of a row remembered before its memory is emptied (as many as the sweeps'
#: :data:`~systemic.genogram.layout.sweeps.DOWN_MEMORY`).
APART_MEMORY = 8192


class _ApartRows:
    """The cost of couples standing apart (mixed into
    :class:`~systemic.genogram.layout.sweeps._Orderer`, which sets these attributes and
    gives :meth:`join_pos` and :meth:`join_depends`)."""

    pos: dict[str, float]
    unit_of: dict[str, _Unit]
    apart_pairs: list[tuple[str, str]]
    joins_in: dict[int, list[tuple[str, ...]]]
    across_into: dict[int, list[tuple[str, tuple[str, ...], float, float]]]
    _apart_rows: list[tuple[int, Callable[[dict[str, float]], Any], dict[Any, int]]] | None
    _apart_in: dict[int, list[tuple[str, str]]]
    _across_rows: dict[int, list[tuple[str, tuple[str, ...], int, int]]]
    _across_t: dict[int, list[tuple[str, tuple[str, ...], float]]]
    join_pos: Callable[[tuple[str, ...]], float]
    join_depends: Callable[[tuple[str, ...]], list[str]]

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
                    if len(known) >= APART_MEMORY:
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

