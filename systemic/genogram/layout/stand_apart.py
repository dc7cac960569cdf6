"""For the largest intermarried trees: a partner whose line into them crosses many others
stands with their own brothers and sisters, apart from their partner.

A couple stands side by side wherever the family allows it, the partner married in
hanging from their own parents by a longer line. In a tree of a few thousand people
where families married into each other generation after generation (royal houses),
those longer lines cross the width of the page: Andrew of Greece beside Alice of
Battenberg, his line from the Greek royal family crossing 31 others; Thyra of Denmark
beside Ernest Augustus of Hanover, hers 21. Pedigree tools let such a couple stand
apart, each partner among their own brothers and sisters, the couple line running
below the people between (GENOGRAM.md §3.3); Graphviz ``dot`` does so for 536 of
royal92's couples.

In families of up to ``IMPROVE_LIMIT`` people each couple is tried apart in turn and
kept apart only where the whole drawing crosses fewer lines
(:mod:`~systemic.genogram.layout.apart`). A 3,000-person tree cannot afford a trial
per couple, so here, once the sweeps and neighbour swaps have ordered the tree, the
couples side by side of which one partner's line into them crosses at least
:data:`LEAST_CROSSED` others (at most :data:`MOST_COUPLES`, in the file's order) are
freed to stand apart, and each partner of such a couple who stands beside the other
moves to the end of their own sibling group facing their partner
(:func:`to_own_families`). The passes that follow (the most crossed sibling groups
moving, partners standing apart facing each other) then order the tree around them.
Only in an intermarried family (cousins who married): in a family with no
intermarriage no couple ever stands apart (issue 16).

Measured with ``benchmarks/genogram.py`` on royal92 (3,010 people, 20 couples freed):
lines into children crossing 136 → 70 (dot: 84), lines crossing on the drawing 2,985 →
3,104 (dot: 6,861; 3,103 since placement hangs a couple from the partner whose brothers
and sisters stand beside it), couples not side by side 55 → 66, about 30 ms. With the file's
people, couples and parent links shuffled (six orders), 235–547 → 77–212: the rule does
not depend on the file's order (dot: 102–142 on those orders). With
:data:`LEAST_CROSSED` 3 to 6 the file's order gives 70 to 81; from 7 to 12, Edward VII
and Alexandra of Denmark stay side by side while the couples around them stand apart,
and their children's lines cross 8 each (129). The 4,683-person MyHeritage export: 405 →
347 (17 couples freed).

>>> LEAST_CROSSED, MOST_COUPLES
(4, 64)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from systemic.genogram.layout.apart import crossed_people
from systemic.genogram.layout.units import group_span

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer

__all__ = ["LEAST_CROSSED", "MOST_COUPLES", "long_lined_couples", "to_own_families"]

#: A partner side by side whose line into them crosses at least this many others frees
#: their couple to stand apart.
LEAST_CROSSED = 4
#: The most couples freed in one family (royal92: 20; the 4,683-person export: 17).
MOST_COUPLES = 64


def long_lined_couples(orderer: _Orderer, families: Iterable[str],
                       least: int = LEAST_CROSSED) -> list[str]:
    """The couples among ``families`` standing side by side (in one chain of partners)
    of whom one partner's line into them crosses at least ``least`` others, in the
    order given; at most :data:`MOST_COUPLES`.

    Below, Yan's line from her mother Meg crosses the lines into Tom and Xan, Nan's
    children, standing left of her: two others.

    >>> from systemic.cases import Case, Person, ParentLink, Union
    >>> from systemic.genogram.layout import assign_generations
    >>> from systemic.genogram.layout.base import _hang_families, _Index
    >>> from systemic.genogram.layout.sweeps import _Orderer
    >>> from systemic.genogram.layout.units import _build_units
    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id=p, name=p) for p in ("meg", "nan", "tom", "xan", "yan", "sue")],
    ...     unions=[Union(id="xy", partners=["xan", "yan"])],
    ...     parents=[*(ParentLink(child=c, parents=["nan"]) for c in ("tom", "xan")),
    ...              *(ParentLink(child=c, parents=["meg"]) for c in ("yan", "sue"))])
    >>> idx, gens = _Index(case), assign_generations(case)
    >>> hang = _hang_families(idx, gens)
    >>> o = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, set()))
    >>> o.follow([["meg", "nan"], ["tom", "xan", "yan", "sue"]])
    >>> long_lined_couples(o, ["xy"], least=2), long_lined_couples(o, ["xy"])
    (['xy'], [])
    """
    crossed = crossed_people(orderer)
    unit_of = orderer.unit_of
    found = []
    for fid in families:
        parents = orderer.idx.families[fid].parents
        if len(parents) != 2 or parents[0] not in unit_of:
            continue
        a, b = parents
        if unit_of[a] is unit_of.get(b) and max(crossed[a], crossed[b]) >= least:
            found.append(fid)
    return found[:MOST_COUPLES]


def to_own_families(orderer: _Orderer, couples: Iterable[tuple[str, str]]) -> None:
    """Each partner of ``couples`` (now each in a unit of their own) moves to the end of
    their own sibling group, in their row, that faces their partner: a partner married in
    leaves their partner's side for their brothers and sisters. A partner with no
    brother or sister in the row, or in a chain with someone else, stays.

    >>> from systemic.cases import Case, Person, ParentLink, Union
    >>> from systemic.genogram.layout import assign_generations
    >>> from systemic.genogram.layout.base import _hang_families, _Index
    >>> from systemic.genogram.layout.sweeps import _Orderer
    >>> from systemic.genogram.layout.units import _build_units
    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id=p, name=p) for p in ("m", "x", "s", "y")],
    ...     unions=[Union(id="xy", partners=["x", "y"])],
    ...     parents=[ParentLink(child=c, parents=["m"]) for c in ("x", "s")])
    >>> idx, gens = _Index(case), assign_generations(case)
    >>> hang = _hang_families(idx, gens)
    >>> o = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, {"xy"}), kin={"xy"})
    >>> o.follow([["m"], ["s", "y", "x"]])  # x beside y, apart from their sister s
    >>> to_own_families(o, [("x", "y")])
    >>> [m for u in o.rows[1] for m in u.members]
    ['s', 'x', 'y']
    >>> o.follow([["m"], ["y", "s", "x"]])  # x at the end of the group away from y
    >>> to_own_families(o, [("x", "y")])
    >>> [m for u in o.rows[1] for m in u.members]
    ['y', 'x', 's']
    """
    for a, b in couples:
        for me, other in ((a, b), (b, a)):
            _to_own_family(orderer, me, other)


def _to_own_family(orderer: _Orderer, me: str, other: str) -> None:
    """:func:`to_own_families` for one partner."""
    unit = orderer.unit_of[me]
    row = orderer.rows[unit.row]
    if unit.members != [me] or not unit.home:
        return
    rest = [v for v in row if v is not unit]
    homes = [v.home for v in rest]
    first = next((i for i, home in enumerate(homes) if home == unit.home), None)
    if first is None:
        return
    group = group_span(homes, first)
    faces_right = orderer.pos[other] > orderer.pos[rest[first].members[0]]
    rest.insert(group.stop if faces_right else group.start, unit)
    if rest != row:
        orderer.rows[unit.row] = rest
        orderer._set_row(unit.row)
