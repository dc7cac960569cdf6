"""Taking and putting back the orderer's rows, and judging a trial move by them.

Every trial move of the orderer (:class:`~systemic.genogram.layout.sweeps._Orderer`)
saves the rows it may change, moves, counts the crossings and keeps the move or puts
the rows back. A snapshot holds each row's units, the order of each chain's members,
each unit's home, and the positions, so that putting a row back never works them out
again, and a row nobody moved in is left alone.

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout.base import _Index
>>> from systemic.genogram.layout.sweeps import _Orderer
>>> from systemic.genogram.layout.units import _Unit
>>> case = Case(id="c", title="t", fictional=True,
...             people=[Person(id="a", name="A"), Person(id="b", name="B")])
>>> orderer = _Orderer(_Index(case), {"a": 0, "b": 0}, {},
...                    [_Unit(["a"], row=0), _Unit(["b"], row=0)])
>>> saved = orderer.snapshot()
>>> orderer.rows[0].reverse(); orderer._set_row(0)
>>> orderer.restore(saved); [u.members for u in orderer.rows[0]]
[['a'], ['b']]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from systemic.genogram.layout.units import _Unit

#: Rows' units; each partner chain's members in order; each unit's home, anchor and
#: members married in; the row's positions; and the count of changes of homes
#: (:attr:`~systemic.genogram.layout.sweeps._Orderer.homes`) when taken.
_Snapshot = dict[int, tuple[list[_Unit], list[tuple[_Unit, tuple[str, ...]]],
                            list[tuple[_Unit, str | None, str, list[str]]],
                            dict[str, float], int]]



class _Snapshots:
    """Snapshots of the orderer's rows (mixed into
    :class:`~systemic.genogram.layout.sweeps._Orderer`, which sets these attributes and
    gives :meth:`crossings` and :meth:`down`)."""

    rows: list[list[_Unit]]
    pos: dict[str, float]
    homes: int

    if TYPE_CHECKING:
        def crossings(self, rows: range | None = None) -> int: ...

        def down(self, r: int) -> bool: ...

        def _set_row(self, r: int) -> None: ...

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

    def try_in_row(self, r: int, change: Callable[[], object], best: int) -> int:
        """Make ``change`` to row ``r``, every row below following by a down sweep; keep
        it where the whole drawing then crosses fewer than ``best`` lines, else put the
        rows back. Returns the crossings after (``best`` where the change was undone).

        >>> from systemic.cases import Case, Person, ParentLink
        >>> from systemic.genogram.layout.base import _Index
        >>> from systemic.genogram.layout.sweeps import _Orderer
        >>> case = Case(id="c", title="t", fictional=True,
        ...     people=[Person(id=p, name=p) for p in ("p", "q", "x", "y")],
        ...     parents=[ParentLink(child="x", parents=["p"]),
        ...              ParentLink(child="y", parents=["q"])])
        >>> o = _Orderer(_Index(case), {"p": 0, "q": 0, "x": 1, "y": 1}, {},
        ...              [_Unit([m], row=r) for m, r in (("p", 0), ("q", 0), ("x", 1), ("y", 1))])
        >>> o.follow([["p", "q"], ["y", "x"]])
        >>> o.try_in_row(1, o.rows[1].reverse, o.crossings())  # x under p: none cross
        0
        >>> o.try_in_row(1, o.rows[1].reverse, 0)  # back again crosses more: undone
        0
        >>> [u.members for u in o.rows[1]]
        [['x'], ['y']]
        """
        depth = len(self.rows)
        snap = self.snapshot(range(r, depth))  # the rows a trial changes
        change()
        self._set_row(r)
        for below in range(r + 1, depth):
            self.down(below)
        count = self.crossings()
        if count < best:
            return count
        self.restore(snap)
        return best

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

