"""Someone with three or more partners in a row: which partner stands on which side.

A chain of partners is ordered once, when the units are built
(:func:`~systemic.genogram.layout.units._chain_order`): a person with three or more
partners stands in the middle, the partners alternating right and left in the order
the file lists the couples; the sweeps then only turn the chain round. Where the file
lists the couples in another order, the same family gets other sides, and the lines of
each couple's children cross those of the couples beside them: the Greek gods, with
their people, couples and parent links shuffled (random.Random(5)), crossed 8 lines
around Zeus and his seven partners; 0 in the file's order, and 0 with the couples
alone put back in the file's order.

Here two partners with no other partner in the chain change places, or one moves to an
end of the chain, the rows below following; a trial is kept where fewer lines cross
(the orderer's own count), at most :data:`ROUNDS` rounds. Only in the layout's second
start (:mod:`~systemic.genogram.layout.starts`), whose drawing is kept only where its
lines cross fewer: the orderer's count places the children's line of partners not side
by side between them, where the drawing puts it wherever it crosses fewest
(:mod:`~systemic.genogram.layout.apart_hubs`), so in the first start the same trials
made the Hawaiian kings' drawing in its own order cross more (lines drawn through
other lines 40 → 43) and a shuffled Greek gods file 0 → 5.

>>> from systemic.cases import Case, Person, Union
>>> from systemic.genogram.layout.base import _Index
>>> from systemic.genogram.layout.units import _Unit
>>> case = Case(id="c", title="t", fictional=True,
...     people=[Person(id=p, name=p) for p in ("x", "a", "b", "c")],
...     unions=[Union(id=f"u{p}", partners=["x", p]) for p in ("a", "b", "c")])
>>> sorted(_sides(_Index(case), _Unit(["b", "x", "a", "c"], row=0)))
['a', 'b', 'c']
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from systemic.genogram.layout.base import _Index

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer
    from systemic.genogram.layout.units import _Unit

__all__ = ["arrange_partners"]

#: Rounds of trials over every chain (a round that keeps nothing ends them).
ROUNDS = 2


def _sides(idx: _Index, u: _Unit) -> list[str]:
    """The members of ``u`` who may stand on either side: each a partner of someone in
    the chain with three or more partners there, with no other partner in it."""
    members = set(u.members)
    near = {m: [q for q in idx.partners.get(m, ()) if q in members] for m in u.members}
    centres = {m for m in u.members if len(set(near[m])) >= 3}
    return [m for m in u.members if len(set(near[m])) == 1 and near[m][0] in centres]


def _trials(u: _Unit, free: list[str]) -> list[list[str]]:
    """The members' orders to try: two of ``free`` changing places, or one of them
    moved to either end of the chain."""
    out = []
    at = {m: i for i, m in enumerate(u.members)}
    for i, a in enumerate(free):
        for b in free[i + 1:]:
            order = list(u.members)
            order[at[a]], order[at[b]] = b, a
            out.append(order)
        rest = [m for m in u.members if m != a]
        out += [o for o in ([a, *rest], [*rest, a]) if o != u.members]
    return out


def arrange_partners(orderer: _Orderer, best_count: int) -> int:
    """Try the sides of the partners of everyone with three or more partners in a row
    (see the module's notes); return the crossings after.

    Below, x has three partners, each with a parent drawn above; standing b, x, a, c,
    the lines into a and b cross, and a and b changing places, none do:

    >>> from systemic.cases import Case, Person, ParentLink, Union
    >>> from systemic.genogram.layout import assign_generations
    >>> from systemic.genogram.layout.base import _hang_families
    >>> from systemic.genogram.layout.sweeps import _Orderer
    >>> from systemic.genogram.layout.units import _build_units
    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id=p, name=p) for p in ("pa", "pb", "pc", "x", "a", "b", "c")],
    ...     unions=[Union(id=f"x{p}", partners=["x", p]) for p in "abc"],
    ...     parents=[ParentLink(child=p, parents=["p" + p]) for p in "abc"])
    >>> idx, gens = _Index(case), assign_generations(case)
    >>> hang = _hang_families(idx, gens)
    >>> o = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, set()))
    >>> o.follow([["pa", "pb", "pc"], ["b", "x", "a", "c"]])
    >>> o.crossings(), arrange_partners(o, o.crossings())
    (1, 0)
    >>> [m for u in o.rows[1] for m in u.members]
    ['a', 'x', 'b', 'c']
    """
    o = orderer
    chains = [(r, u, free) for r in range(len(o.rows)) for u in o.rows[r]
              if len(u.members) >= 4 and (free := _sides(o.idx, u))]
    for _round in range(ROUNDS):
        kept = False
        for r, u, free in chains:
            for order in _trials(u, free):
                if best_count == 0:
                    return best_count
                count = o.try_in_row(r, partial(setattr, u, "members", order), best_count)
                kept = kept or count < best_count
                best_count = count
        if not kept:
            break
    return best_count
