"""The last ordering pass: people with no parents in the family stand where fewest lines cross.

Sibling groups stand together so that every child hangs under their own couple;
that rule is about lines from above. Someone whose parents are not in the
family — a grandparent at the top of a branch, the parents of a married-in
partner — has no line from above, so they can stand anywhere in their row,
even under another family's sibling bar, without a line crossing it: the bar
passes over them with no drop to their symbol. Graphviz ``dot`` takes that
freedom everywhere; the sweeps of :mod:`~systemic.genogram.layout.ordering`
keep such people in groups of their own between the sibling groups. Here each
such unit (a person or a partner chain none of whom has parents drawn) tries
every place in its row, the rows below following by a down sweep, and moves
where the whole drawing has fewer crossings.

On ``kinship_care`` Tomasz's mother Halina stands between Pauline and her
sister Beverley, above whom Tomasz's own line then starts: 6 → 4 crossings
(``benchmarks/genogram.py``).

>>> from systemic.cases import Case, Person
>>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
>>> from systemic.genogram.layout import layout
>>> layout(case).rows
(('a',),)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.ordering import _Orderer, _Unit

__all__ = ["seat_founders"]

#: Rounds over every row; a second round lets a unit use the places others found.
PASSES = 3
#: Rows below that follow each trial (the rest follow once a place is chosen).
FOLLOW = 2


def _founders(orderer: _Orderer, r: int) -> list[_Unit]:
    """The units in row ``r`` none of whose members has a line from above."""
    links_of = orderer.idx.links_of
    return [u for u in orderer.rows[r] if not any(links_of.get(m) for m in u.members)]


def _seat(orderer: _Orderer, r: int, u: _Unit, best: int) -> int:
    """Try ``u`` at every place in row ``r`` and keep the best if the drawing then has
    fewer crossings than ``best``; return the crossings after.

    Each trial lets the next :data:`FOLLOW` rows follow and counts only the lines into
    row ``r`` and those rows (nothing above changes); the chosen place is then checked
    over the whole drawing, the rest of the rows following too."""
    base = orderer.snapshot()
    near = range(r, min(r + FOLLOW + 1, len(orderer.rows)))
    least = orderer.crossings(near)
    row = [v for v in orderer.rows[r] if v is not u]
    now = orderer.rows[r].index(u)
    found = None
    for at in range(len(row) + 1):
        if at == now:
            continue
        orderer.rows[r] = [*row[:at], u, *row[at:]]
        orderer._set_row(r)
        for below in near[1:]:
            orderer.down(below)
        count = orderer.crossings(near)
        if count < least:
            least, found = count, orderer.snapshot()
        orderer.restore(base)
    if found is None:
        return best
    orderer.restore(found)
    for below in range(near[-1] + 1, len(orderer.rows)):
        orderer.down(below)
    count = orderer.crossings()
    if count < best:
        return count
    orderer.restore(base)
    return best


def seat_founders(orderer: _Orderer) -> int:
    """Move each unit with no lines from above to the place in its row where fewest lines
    cross, row after row from the top; return the crossings after. Run last: the sweeps
    would gather sibling groups again."""
    best = orderer.crossings()
    for _pass in range(PASSES):
        before = best
        for r in range(len(orderer.rows)):
            for u in _founders(orderer, r):
                if best == 0:
                    return 0
                best = _seat(orderer, r, u, best)
        if best == before:
            break
    return best
