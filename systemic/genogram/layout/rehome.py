"""A last pass over the order: flip couples, and let a married-in couple change family.

When both partners of a couple have their parents in the file, the couple stands
in one partner's sibling group and the other partner's line comes across from
their own parents. The sweeps of :mod:`~systemic.genogram.layout.sweeps` let
the partner first in the file decide which family that is, and never revisit
it; :mod:`~systemic.genogram.layout.transpose` only swaps neighbours. Here, row
after row, each couple or partner chain is first flipped, then hung under each
other partner's parents (standing at either end of that family's group), and a
change is kept only if the whole drawing has fewer crossings. Couples stay side
by side and sibling groups together throughout; with ``strict_birth_order``
couples are only flipped (moving one would leave birth order).

On kennedy this takes the crossings from 17 to 16 (``benchmarks/genogram.py``);
random restarts, simulated annealing and moving whole groups (with the row below
following) over the same moves were measured and found nothing better.

>>> _ends([None, "f", "g", "f"], "f")
(1, 4)
>>> _ends([None], "f")
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer
    from systemic.genogram.layout.units import _Unit

__all__ = ["rehome_pass"]


def _ends(homes: Sequence[str | None], home: str) -> tuple[int, int]:
    """Where a unit joining family ``home`` can stand in a row whose units hang from
    ``homes``: just before that family's first unit, or just after its last (the end of
    the row when the family has none there)."""
    at = [k for k, h in enumerate(homes) if h == home]
    if not at:
        return len(homes), len(homes)
    return at[0], at[-1] + 1


def _carry(orderer: _Orderer, r: int, u: _Unit, end: int) -> None:
    """Stand ``u`` at one end (0 left, 1 right) of its family's group in row ``r``."""
    row = [v for v in orderer.rows[r] if v is not u]
    assert u.home is not None
    row.insert(_ends([v.home for v in row], u.home)[end], u)
    orderer.rows[r] = row
    orderer._set_row(r)


def _flip_row(orderer: _Orderer, r: int, best: int) -> int:
    for u in [v for v in orderer.rows[r] if len(v.members) > 1]:
        if not best:
            break
        u.members.reverse()
        orderer._set_row(r)
        count = orderer.crossings()
        if count < best:
            best = count
        else:
            u.members.reverse()
            orderer._set_row(r)
    return best


def _rehome_unit(orderer: _Orderer, r: int, u: _Unit, best: int) -> int:
    for member in list(u.cross):
        for end in (0, 1):
            snap = orderer.snapshot()
            orderer.rehome(u, member)
            _carry(orderer, r, u, end)
            count = orderer.crossings()
            if count < best:
                return count
            orderer.restore(snap)
    return best


def rehome_pass(orderer: _Orderer) -> int:
    """Flip chains and re-hang married-in couples where that cuts crossings; return the
    crossings after."""
    best = orderer.crossings()
    for r in range(len(orderer.rows)):
        best = _flip_row(orderer, r, best)
        movable = () if orderer.strict_birth_order else orderer.rows[r]
        for u in [v for v in movable if v.cross]:
            if not best:
                return best
            best = _rehome_unit(orderer, r, u, best)
    return best
