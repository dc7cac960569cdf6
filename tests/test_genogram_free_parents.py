"""The largest trees' pass that moves parents with no parents drawn beside the family
their children married into (:mod:`systemic.genogram.layout.free_parents`)."""

from __future__ import annotations

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import assign_generations
from systemic.genogram.layout.base import _hang_families, _Index
from systemic.genogram.layout.free_parents import MAX_TRIALS, move_free_parents
from systemic.genogram.layout.sweeps import _Orderer
from systemic.genogram.layout.units import _build_units


def _married_across_the_row() -> Case:
    """Three couples with no parents drawn, Dan–Dora, Xan–Xena and Kit–Kay, each with two
    children; Dan and Dora's younger son married Kit and Kay's elder daughter."""
    people = [Person(id=p, name=p.title(), born=1900)
              for p in ("dan", "dora", "xan", "xena", "kit", "kay")]
    people += [Person(id=c, name=c.title(), born=1930 + i)
               for i, c in enumerate(("d1", "d2", "x1", "x2", "k1", "k2"))]
    unions = [Union(id=a + b, partners=[a, b])
              for a, b in (("dan", "dora"), ("xan", "xena"), ("kit", "kay"), ("d2", "k1"))]
    links = [ParentLink(child=f"{f[0][0]}{i}", parents=list(f))
             for f in (("dan", "dora"), ("xan", "xena"), ("kit", "kay")) for i in (1, 2)]
    return Case(id="c", title="t", fictional=True, people=people, unions=unions,
                parents=links)


def _ordered(case: Case, rows: list[list[str]]) -> _Orderer:
    """An orderer of the largest trees' kind (positions by rank) in the given order."""
    idx = _Index(case)
    gens = assign_generations(case)
    hang = _hang_families(idx, gens)
    orderer = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, set()))
    orderer.follow(rows)
    return orderer


def _people_rows(orderer: _Orderer) -> list[list[str]]:
    return [[m for u in row for m in u.members] for row in orderer.rows]


def test_free_parents_move_beside_the_family_their_son_married_into():
    """Dan and Dora stand at the far left, Xan and Xena between them and Kit and Kay:
    Kay's daughter's line crosses the lines into Xan and Xena's children. Dan and Dora
    move beside Kit and Kay, their children following, and nothing crosses."""
    case = _married_across_the_row()
    orderer = _ordered(case, [["dan", "dora", "xan", "xena", "kit", "kay"],
                              ["d1", "d2", "k1", "x1", "x2", "k2"]])
    assert orderer.crossings() == 2
    after, trials = move_free_parents(orderer)
    assert after == orderer.crossings() == 0 and 0 < trials <= MAX_TRIALS
    rows = _people_rows(orderer)
    assert rows[0].index("kit") - rows[0].index("dora") in (1, -2)  # side by side
    assert abs(rows[1].index("d2") - rows[1].index("k1")) == 1


def test_no_trials_allowed_leaves_the_order_as_it_was():
    case = _married_across_the_row()
    order = [["dan", "dora", "xan", "xena", "kit", "kay"], ["d1", "d2", "k1", "x1", "x2", "k2"]]
    orderer = _ordered(case, order)
    assert move_free_parents(orderer, limit=0) == (2, 0)
    assert _people_rows(orderer) == order

