"""A second start for the ordering, so that the picture depends less on the file's order.

Which partner a couple hangs from (the *anchor*: the couple stands among that partner's
brothers and sisters, the other partner's line coming from further away) is decided
once, when the units are built (:mod:`~systemic.genogram.layout.units`), by who comes
first in the file; the sweeps and passes after it only seldom undo it. A family exported
from a genealogy program lists its own line first, so that is usually right, and it is
what the file's order most changes: with kennedy's people, couples and parent links
shuffled (random.Random(seed)), the lines into children crossed 1 (the file's order), 5,
4, 7, 4, 6, 7, 4, 6 (seeds 1 to 8; Graphviz ``dot``: 3, 1, 2, 3, 7, 1, 4, 2, 1), and 1
or 2 (seeds 1, 2, 3, 5, 8) with the anchors of the file's order put back. Hanging every
couple by lineage instead (:func:`~systemic.genogram.layout.units.by_lineage`: the
partner with more generations drawn above, then more brothers and sisters) gives 1 on
all nine, but the Lord of the Rings file 0 → 1 in its own order: neither rule is right
everywhere.

So, for families of up to :data:`SECOND_START_LIMIT` people (a second ordering costs up
to as much as the first), where the drawing from the file's anchors still has lines into
children crossing and the lineage rule picks other anchors, the family is ordered a
second time with the lineage rule, where also the partners of someone with three or more
partners in a row may change sides (:mod:`~systemic.genogram.layout.partner_sides`: the
other thing the file's order decides), and both are placed; the drawing whose lines into
children cross fewer (the benchmark's ``ours ×``), then whose lines cross fewer with the
couple lines of partners standing apart
(:func:`~systemic.genogram.layout.placement.drawn_crossings`), is kept, the file's where
they tie. Comparing the drawings rather than the orderer's own counts matters: the
orderer counts positions within rows, and gives Lord of the Rings the same count in its
own order and in shuffled ones where the drawings cross 0 and 1 lines.

Measured with nine orders of each file (seed 0 the file itself; then people, couples
and parent links shuffled with random.Random(seed), seeds 1–8), lines into children
crossing as ``benchmarks/genogram.py`` counts them, and Graphviz ``dot``'s count on the
same order (``dot`` is given our rows):

=================  ==========================  ==========================  =============
family             before                      after                       ≤ dot (of 9)
=================  ==========================  ==========================  =============
kennedy            1 5 4 7 4 6 7 4 6           1 1 1 1 1 1 1 1 1           2 → 9
  dot              3 1 2 3 7 1 4 2 1
Lord of the Rings  0 1 1 0 4 0 4 0 0           0 1 1 0 1 1 1 0 0           5 → 7
  dot              3 0 0 0 1 2 3 1 1
Greek gods         0 0 0 4 1 8 4 1 0           0 0 0 4 1 0 4 0 0           6 → 7
  dot              1 0 1 1 1 2 1 1 1
Hawaiian kings     0 2 1 0 0 1 0 1 2           0 0 0 0 0 0 0 0 0           8 → 9
  dot              0 0 3 1 7 1 3 1 2
=================  ==========================  ==========================  =============

Bourbon and the Japanese imperial family cross 0 in every order, as before. In its own
order no family of the benchmark changes in any column. Seeds 9–12, before → after
(dot): kennedy 8 3 5 7 → 1 1 1 1 (6 2 0 1), Lord of the Rings 0 0 0 1 → the same (0 3 2
0), Greek gods 0 4 2 8 → 0 0 2 8 (0 0 0 1), Hawaiian kings 2 1 2 0 → 0 0 0 0 (0 2 3 0).
Over the thirteen orders, at or below ``dot``: kennedy 2 → 12, Lord of the Rings 8 → 10,
Greek gods 7 → 9, Hawaiian kings 11 → 13 (with placement hanging each couple from the
partner whose brothers and sisters stand beside it:
:meth:`~systemic.genogram.layout.placement._Rows._siblings_beside`, which also takes
``kinship_care`` from 4 6 6 6 4 6 6 4 6 to 4 in all nine orders; dot 5 4 5 5 5 3 2 3 5).
What is left is mostly the Greek gods (seeds 3, 6, 11, 12: 4, 4, 2, 8 against dot's 1,
1, 0, 1): the lines of Zeus's children, whose joins the drawing places where they cross
fewest (:mod:`~systemic.genogram.layout.apart_hubs`), not where the orderer counts them.

Ordering by the lines into children first trades some lines crossed elsewhere. Judged
by all drawn lines alike (:func:`~systemic.genogram.layout.placement.drawn_crossings`),
the Hawaiian kings' nine orders cross 5 lines into children and 308 lines drawn through
other lines (``drawn ×``), as judged here 0 and 331; eleven made-up dynasties of 58 to
214 people (``intermarried_tree`` in the tests) 463 and 563, as judged here 445 and 593.

Time: the second ordering runs only in families of up to :data:`SECOND_START_LIMIT`
people where a line into a child still crosses and an anchor differs (of the benchmark's
families in their own order: kennedy alone): kennedy's layout and drawing 327 → about
560 ms of processor time; the training cases as before (the check costs 0.2 ms).

The largest trees keep one start: royal92 (3,010 people) already takes about 0.9 s of
its 1 s, and the lineage rule alone is no better there (seeds 0–6: 152, 152, 105, 101,
110, 205, 62 lines into children crossing, against 70, 135, 212, 178, 149, 77, 142; dot
84, 116, 111, 102, 117, 142, 134): its count swings that much with any change of the
order.

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout import layout
>>> layout(Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])).rows
(('a',),)
"""

from __future__ import annotations

from collections.abc import Mapping

from systemic.cases import Case
from systemic.genogram.layout.base import _hang_families, _Index
from systemic.genogram.layout.ordering import order_rows
from systemic.genogram.layout.placement import (
    _apart_lines,
    _Rows,
    child_line_crossings,
    place_x,
)
from systemic.genogram.layout.units import _build_units, by_lineage

__all__ = ["SECOND_START_LIMIT", "lineage_differs", "second_start"]

#: Families of more people keep one start: a second ordering costs up to as much as the
#: first, and a made-up dynasty of 300 people, cousins marrying, takes 0.75 s with one
#: start, 1.22 s with two (``tests/test_genogram_crossed_groups.py``'s
#: ``intermarried_tree(6, 200)``; 214 people: 0.30 → 0.58 s; kennedy, 208 people: 0.33
#: → about 0.56 s).
SECOND_START_LIMIT = 240

_Placed = tuple[tuple[tuple[str, ...], ...], _Rows, dict[str, float]]


def lineage_differs(idx: _Index, gens: Mapping[str, int]) -> bool:
    """Whether hanging couples by lineage changes any couple's anchor.

    >>> from systemic.cases import Case, Person, ParentLink, Union
    >>> from systemic.genogram.layout.generations import assign_generations
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id=p, name=p) for p in ("z", "in", "g", "m", "x", "y")],
    ...     unions=[Union(id="u", partners=["in", "x"])],
    ...     parents=[ParentLink(child="m", parents=["g"]), ParentLink(child="in", parents=["z"]),
    ...              *(ParentLink(child=c, parents=["m"]) for c in ("x", "y"))])
    >>> lineage_differs(_Index(case), assign_generations(case))
    True
    """
    hang = _hang_families(idx, gens)
    first = _build_units(idx, gens, hang, set())
    other = _build_units(idx, gens, hang, set(), by_lineage(idx, hang))
    return any(a.anchor != b.anchor for a, b in zip(first, other, strict=True))


def _score(idx: _Index, facts: _Rows, xs: Mapping[str, float]) -> tuple[int, int]:
    """How a placed drawing's lines cross: the lines into children crossing (the
    benchmark's ``ours ×``), then those with the couple lines of partners standing apart
    (:func:`~systemic.genogram.layout.placement.drawn_crossings`)."""
    into = child_line_crossings(idx, facts, xs)
    return into, into + _apart_lines(idx, facts, xs)


def second_start(case: Case, idx: _Index, gens: Mapping[str, int], placed: _Placed,
                 strict_birth_order: bool = False) -> _Placed:
    """The family ordered again with couples hung by lineage, where lines into children
    still cross and that changes an anchor; of the two placed drawings, the one whose
    lines cross fewer (:func:`_score`; ``placed``, the first, where they tie).

    >>> from systemic.cases import Case, Person, ParentLink
    >>> from systemic.genogram.layout.generations import assign_generations
    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id=p, name=p) for p in ("mum", "kid")],
    ...     parents=[ParentLink(child="kid", parents=["mum"])])
    >>> idx, gens = _Index(case), assign_generations(case)
    >>> rows = (("mum",), ("kid",))
    >>> facts = _Rows(idx, rows, gens)
    >>> placed = (rows, facts, place_x(case, rows, _index=idx, _facts=facts))
    >>> second_start(case, idx, gens, placed) is placed  # no line crosses: one start
    True
    """
    rows, facts, xs = placed
    if len(idx.people) > SECOND_START_LIMIT:
        return placed
    first = _score(idx, facts, xs)
    if first[0] == 0 or not lineage_differs(idx, gens):
        return placed  # no line into a child crosses (or no other start)
    other = order_rows(case, gens, strict_birth_order=strict_birth_order,
                       by_lineage_first=True, _index=idx)
    other_facts = _Rows(idx, other, gens)
    other_xs = place_x(case, other, _index=idx, _facts=other_facts)
    if _score(idx, other_facts, other_xs) < first:
        return other, other_facts, other_xs
    return placed
