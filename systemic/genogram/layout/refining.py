"""After the sweeps: the trial moves that cut the crossings the sweeps leave.

The sweeps (:mod:`~systemic.genogram.layout.sweeps`) order each row by its
neighbours; what they leave is refined by trial moves, each judged by the crossings
of the whole drawing and kept only where fewer lines cross. In families up to
``IMPROVE_LIMIT`` people, chains flip, sibling groups swap and the modules named in
:mod:`~systemic.genogram.layout.ordering` follow (neighbour swaps, couples rehomed,
units seated, branches moved); in the largest trees, bounded trials of the sibling
groups whose lines cross most, of their free parents and of partners standing apart.

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout.base import _Index
>>> from systemic.genogram.layout.sweeps import _Orderer
>>> from systemic.genogram.layout.units import _Unit
>>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
>>> orderer = _Orderer(_Index(case), {"a": 0}, {}, [_Unit(["a"], row=0)])
>>> orderer.refine(); orderer.crossings()
0
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from systemic.genogram.layout.apart import face_partners
from systemic.genogram.layout.branches import move_branches
from systemic.genogram.layout.crossed_groups import move_crossed_groups
from systemic.genogram.layout.free_parents import move_free_parents
from systemic.genogram.layout.partner_sides import arrange_partners
from systemic.genogram.layout.rehome import rehome_pass
from systemic.genogram.layout.seating import seat_units
from systemic.genogram.layout.transpose import transpose

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from systemic.genogram.layout.units import _Unit


class _Refining:
    """The orderer's refinements (mixed into
    :class:`~systemic.genogram.layout.sweeps._Orderer`, which sets these attributes and
    gives the methods named below)."""

    rows: list[list[_Unit]]
    anchor_key: Callable[[str], Any] | None

    if TYPE_CHECKING:
        def crossings(self, rows: range | None = None) -> int: ...

        def try_in_row(self, r: int, change: Callable[[], object], best: int) -> int: ...

        def _groups(self, r: int) -> list[list[_Unit]]: ...

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
                    change = (self.rows[r][i].members.reverse if what == "flip"
                              else partial(self._swap_groups, r, i))
                    count = self.try_in_row(r, change, best_count)
                    improved = improved or count < best_count
                    best_count = count
            if not improved:
                return

    def _swap_groups(self, r: int, i: int) -> None:
        """Row ``r``'s sibling group ``i`` and the next change places."""
        groups = self._groups(r)
        groups[i], groups[i + 1] = groups[i + 1], groups[i]
        self.rows[r] = [u for g in groups for u in g]
