"""For the largest trees: parents with no parents drawn move beside the family their
children married into.

A couple at the top of a branch (nobody's child in the file) may stand anywhere in
their row, and the sweeps leave them where the first order put them. When one of
their children married into a family far along the row (royal92: Robert Dudley and
Lettice Knollys, their partner chain standing with the Dudleys), the line from her
parents crosses every line between; moving the Dudleys' sibling group alone does
not help, their parents staying where they are. Here, for the sibling groups whose
lines cross most, when their parents stand free, the parents move — with the free
couples beside them whose children married theirs (the Seymours: two of their
children married Dudleys) — to either end of the family of a partner who married in
from elsewhere, the rows below following, and stay where the whole drawing then has
fewer crossings (the orderer's own count). At most :data:`MAX_TRIALS` trials: a
count, never a time.

Measured with ``benchmarks/genogram.py``: royal92 (3,010 people) 199 → 181 crossings
(lines into the Dudleys' and Knollys' row 30 → 1; on the drawing 3,068 → 3,042 pairs
of lines) in 2 trials, about 8 ms; the 4,683-person MyHeritage export has no such
parents to move (409 as before).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from systemic.genogram.layout.crossed_groups import try_most_crossed
from systemic.genogram.layout.units import group_span

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.snapshots import _Snapshot
    from systemic.genogram.layout.sweeps import _Orderer
    from systemic.genogram.layout.units import _Unit

__all__ = ["move_free_parents"]

#: Trials in all (each a place for one block of free parents, the rows below following).
MAX_TRIALS = 24
#: Rows below that follow each trial, one after another, the whole drawing counted after
#: each (royal92's Dudleys: 451 → 447, 457, 451, 438 as four rows follow, then 558).
FOLLOW = 4


def _tied(orderer: _Orderer, r: int, home: str) -> list[_Unit]:
    """The units in row ``r - 1`` whose children married into family ``home``'s group
    in row ``r`` (each once, in row order), that family's own parents first."""
    o = orderer
    parents = o.idx.families[home].parents
    found = [o.unit_of[parents[0]]]
    for u in o.rows[r]:
        if u.home != home:
            continue
        for m in u.cross:
            for p in o.idx.families[o.hang[m]].parents:
                v = o.unit_of[p]
                if v.row == r - 1 and v not in found:
                    found.append(v)
    return found


def _plan(orderer: _Orderer, r: int, home: str) -> tuple[list[_Unit], list[_Unit]] | None:
    """For family ``home``'s group in row ``r``: the block of free units to move (its
    parents' unit and the free units beside it among ``_tied``) and the tied units to
    move it beside; None where its parents are not free, or nobody married in."""
    o = orderer
    tied = _tied(o, r, home)
    own = tied[0]
    parents = o.idx.families[home].parents
    if (own.home is not None or own.row != r - 1 or len(tied) < 2
            or any(o.unit_of[p] is not own for p in parents)):
        return None
    row = o.rows[r - 1]
    first = last = row.index(own)
    while first > 0 and row[first - 1].home is None and row[first - 1] in tied:
        first -= 1
    while last + 1 < len(row) and row[last + 1].home is None and row[last + 1] in tied:
        last += 1
    block = row[first:last + 1]
    targets = [v for v in tied if v not in block]
    return (block, targets) if targets else None


def _try_block(orderer: _Orderer, r: int, block: list[_Unit], targets: list[_Unit],
               best: int, budget: int) -> tuple[int, int]:
    """Stand ``block`` at either end of each target's group in row ``r`` (at most
    ``budget`` places), the next :data:`FOLLOW` rows following one by one, and keep the
    place and the number of rows following where the whole drawing has fewest
    crossings, if fewer than ``best``. Returns the crossings after and the trials made."""
    o = orderer
    row = [v for v in o.rows[r] if v not in block]
    homes = [v.home for v in row]
    # Either end of each target's sibling group: never inside it.
    groups = [group_span(homes, row.index(t)) for t in targets]
    places = sorted({end for g in groups for end in (g.start, g.stop)})[:budget]
    span = range(r, min(r + FOLLOW + 1, len(o.rows)))
    base = o.snapshot(span)
    found: _Snapshot | None = None
    for at in places:
        o.rows[r] = [*row[:at], *block, *row[at:]]
        o._set_row(r)
        for below in span:
            if below != r:
                o.down(below)
            count = o.crossings()
            if count < best:
                best, found = count, o.snapshot(span)
        o.restore(base)
    if found is not None:
        o.restore(found)
    return best, len(places)


def move_free_parents(orderer: _Orderer, limit: int = MAX_TRIALS) -> tuple[int, int]:
    """Move the free parents of the sibling groups whose lines cross most beside the
    families their children married into, in at most ``limit`` trials; return the
    crossings after and the trials made.

    >>> from systemic.cases import Case, Person
    >>> from systemic.genogram.layout.base import _Index
    >>> from systemic.genogram.layout.sweeps import _Orderer
    >>> from systemic.genogram.layout.units import _Unit
    >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
    >>> move_free_parents(_Orderer(_Index(case), {"a": 0}, {}, [_Unit(["a"], row=0)]))
    (0, 0)
    """
    def attempt(r: int, home: str, best: int, budget: int) -> tuple[int, int] | None:
        plan = _plan(orderer, r, home)
        return None if plan is None else _try_block(orderer, r - 1, *plan, best, budget)

    return try_most_crossed(orderer, attempt, limit)
