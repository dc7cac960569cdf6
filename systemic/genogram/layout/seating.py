"""The last ordering pass: each unit tries every place open to it, the rows below following.

The sweeps of :mod:`~systemic.genogram.layout.sweeps` and the swaps of
:mod:`~systemic.genogram.layout.transpose` judge a move by the lines next to
it, with the row below as it stands; some moves only pay once the row below
has followed (a brother standing left of his brother lets his children's
group move left, under him). Here, row after row from the top, each unit (a
person, a couple or a partner chain) tries every place open to it; after each
trial the next rows follow by a down sweep, and the unit moves where the whole
drawing has fewer crossings.

The places open to a unit:

- within its own sibling group (children hang under their own couple);
- anywhere in its row when none of its people has parents in the family — a
  grandparent at the top of a branch, the parents of a married-in partner.
  With no line from above, they can stand even under another family's sibling
  bar without a line crossing them: the bar passes over them with no drop to
  their symbol. Graphviz ``dot`` takes that freedom everywhere.

Measured with ``benchmarks/genogram.py``: kennedy 16 → 6 crossings (Joan
Bennett's parents stand among Joseph Kennedy's brothers and sisters, so her
line reaches her husband Ted without crossing the cousins' lines); the Trojan
kings file 1 → 0 (Priamos stands left of his brother Priam, and his son's
group follows).

>>> from systemic.cases import Case, Person
>>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
>>> from systemic.genogram.layout import layout
>>> layout(case).rows
(('a',),)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from systemic.genogram.layout.units import group_span

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer
    from systemic.genogram.layout.units import _Unit

__all__ = ["seat_units"]

#: Rounds over every row; a second round lets a unit use the places others found.
PASSES = 2
#: Rows below that follow each trial (the rest follow once a place is chosen).
FOLLOW = 2


def _is_founder(orderer: _Orderer, u: _Unit) -> bool:
    """No member of ``u`` has a line from above."""
    return not any(orderer.idx.links_of.get(m) for m in u.members)


def _leaf(orderer: _Orderer, u: _Unit) -> bool:
    """A single person hanging from their family by one line, with no children: moving
    them within their group is the same as moving their brothers and sisters."""
    (m,) = u.members if len(u.members) == 1 else (None,)
    return m is not None and len(orderer.idx.links_of.get(m, ())) == 1 and (
        not orderer.kids.get(m))


def _places(orderer: _Orderer, r: int, u: _Unit) -> range:
    """Where ``u`` may stand in row ``r`` once taken out of it (indices of the row
    without ``u``): anywhere for a founder, else within its run of siblings."""
    row = orderer.rows[r]
    i = row.index(u)
    if _is_founder(orderer, u):
        return range(len(row))
    if u.home is None or _leaf(orderer, u):
        return range(i, i + 1)
    return group_span([v.home for v in row], i)


def _seat(orderer: _Orderer, r: int, u: _Unit, best: int) -> int:
    """Try ``u`` at each place open to it and keep the best if the drawing then has
    fewer crossings than ``best``; return the crossings after.

    Each trial lets the next :data:`FOLLOW` rows follow and counts only the lines into
    row ``r`` and those rows (nothing above changes); the chosen place is then checked
    over the whole drawing, the rest of the rows following too."""
    places = _places(orderer, r, u)
    if len(places) < 2:
        return best
    near = range(r, min(r + FOLLOW + 1, len(orderer.rows)))
    base = orderer.snapshot(near)
    least = orderer.crossings(near)
    now = orderer.rows[r].index(u)
    row = [v for v in orderer.rows[r] if v is not u]
    found = None
    for at in places:
        if at == now:
            continue
        orderer.rows[r] = [*row[:at], u, *row[at:]]
        orderer._set_row(r)
        least, found = orderer.judge(near[1:], near, least, found)
        orderer.restore(base)
    return orderer.settle(found, base, near[-1], best)


def seat_units(orderer: _Orderer) -> int:
    """Move each unit to the place open to it where fewest lines cross, row after row
    from the top; return the crossings after. Run last: the sweeps would gather sibling
    groups again. With ``strict_birth_order`` only founders move (siblings keep their
    order)."""
    best = orderer.crossings()
    for _pass in range(PASSES):
        before = best
        for r in range(len(orderer.rows)):
            for u in list(orderer.rows[r]):
                if best == 0:
                    return 0
                if orderer.strict_birth_order and not _is_founder(orderer, u):
                    continue
                best = _seat(orderer, r, u, best)
        if best == before:
            break
    return best
