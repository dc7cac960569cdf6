"""The largest trees' last ordering pass (:mod:`systemic.genogram.layout.crossed_groups`):
a bounded number of trials, never more crossings, and the same picture in every process."""

from __future__ import annotations

import random

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import assign_generations, layout
from systemic.genogram.layout.base import IMPROVE_LIMIT, _hang_families, _Index
from systemic.genogram.layout.crossed_groups import (
    LOCAL_TRIALS,
    MAX_TRIALS,
    crossed_by_family,
    move_crossed_groups,
)
from systemic.genogram.layout.sweeps import _Orderer
from systemic.genogram.layout.transpose import transpose
from systemic.genogram.layout.units import _build_units, _by_component, _shifted


def intermarried_tree(seed: int, size: int = 400, within: float = 0.4) -> Case:
    """A made-up dynasty of at least ``size`` people: six founding couples, then
    generation after generation of one to four children per couple, most of whom marry,
    ``within`` of them (two in five) someone of their own generation in the tree (so
    cousins marry and lines cross), the rest someone from outside."""
    rng = random.Random(seed)
    people: list[Person] = []
    unions: list[Union] = []
    links: list[ParentLink] = []

    def new(year: int) -> str:
        pid = f"p{len(people)}"
        people.append(Person(id=pid, name=f"Person {len(people)}", born=year))
        return pid

    def marry(a: str, b: str) -> tuple[str, str]:
        unions.append(Union(id=f"u{len(unions)}", partners=[a, b]))
        return a, b

    couples = [marry(new(1800), new(1800)) for _ in range(6)]
    year = 1800
    while len(people) < size:
        year += 25
        born = []
        for a, b in couples:
            children = [new(year + k) for k in range(rng.randint(1, 4))]
            links += [ParentLink(child=c, parents=[a, b]) for c in children]
            born += children
        rng.shuffle(born)
        single = set(born)
        couples = []
        for c in born:
            if c not in single or rng.random() < 0.2:
                continue
            single.discard(c)
            others = sorted(single)
            spouse = rng.choice(others) if others and rng.random() < within else new(year)
            single.discard(spouse)
            couples.append(marry(c, spouse))
    return Case(id="dynasty", title="Made-up dynasty", fictional=True, people=people,
                unions=unions, parents=links)


def _swept(case: Case) -> _Orderer:
    """The largest connected family of ``case``, swept and transposed as ordering does for
    the largest trees (couples side by side)."""
    idx = _Index(case)
    gens = assign_generations(case)
    hang = _hang_families(idx, gens)
    units = max(_by_component(_build_units(idx, gens, hang, set())).values(), key=len)
    orderer = _Orderer(idx, gens, hang, _shifted(units, min(u.row for u in units)))
    orderer.sweep(sweeps=6)
    transpose(orderer)
    return orderer


def _people_rows(orderer: _Orderer) -> list[list[str]]:
    return [[m for u in row for m in u.members] for row in orderer.rows]


def test_a_group_standing_under_the_wrong_parent_moves_under_its_own():
    case = Case(id="c", title="t", fictional=True,
                people=[Person(id=p, name=p.upper()) for p in ("p", "q", "x", "y")],
                parents=[ParentLink(child="x", parents=["p"]),
                         ParentLink(child="y", parents=["q"])])
    idx = _Index(case)
    gens = assign_generations(case)
    hang = _hang_families(idx, gens)
    orderer = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, set()))
    for r, order in enumerate((["p", "q"], ["y", "x"])):
        orderer.rows[r] = [orderer.unit_of[m] for m in order]
        orderer._set_row(r)
    assert crossed_by_family(orderer, 1) == {hang["x"]: 1, hang["y"]: 1}
    after, trials = move_crossed_groups(orderer)
    assert (after, _people_rows(orderer)) == (0, [["p", "q"], ["x", "y"]])
    assert 0 < trials <= MAX_TRIALS


def test_rows_below_following_only_the_groups_of_the_children_of_what_moved():
    """X stands under Q, Y under P: their lines cross. X moves under P, passing Y, and
    with ``local`` only the groups of X's and Y's children follow, changing places
    between themselves; Z's child (Z was not passed) stays where it stands."""
    case = Case(id="c", title="t", fictional=True,
                people=[Person(id=p, name=p.upper(), born=1900 + i) for i, p in enumerate(
                    ("p", "q", "r", "x", "y", "z", "x1", "y1", "z1"))],
                parents=[ParentLink(child=c, parents=[p]) for c, p in (
                    ("x", "p"), ("y", "q"), ("z", "r"), ("x1", "x"), ("y1", "y"),
                    ("z1", "z"))])
    idx = _Index(case)
    gens = assign_generations(case)
    hang = _hang_families(idx, gens)
    orderer = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, set()))
    orderer.follow([["p", "q", "r"], ["y", "x", "z"], ["y1", "x1", "z1"]])
    assert orderer.crossings() == 1
    after, trials = move_crossed_groups(orderer, local=True)
    assert after == orderer.crossings() == 0 and 0 < trials <= LOCAL_TRIALS
    assert _people_rows(orderer) == [["p", "q", "r"], ["x", "y", "z"], ["x1", "y1", "z1"]]


def test_the_pass_makes_at_most_the_trials_it_is_allowed_and_never_adds_crossings():
    orderer = _swept(intermarried_tree(0))
    assert len(orderer.unit_of) > IMPROVE_LIMIT  # the pass runs only for trees this large
    before = orderer.crossings()
    after, trials = move_crossed_groups(orderer, limit=7)
    assert 0 < trials <= 7
    assert after == orderer.crossings() <= before
    after, trials = move_crossed_groups(orderer)
    assert 0 < trials <= MAX_TRIALS
    assert after == orderer.crossings() < before  # groups moved where fewer lines cross
    again, trials = move_crossed_groups(orderer, local=True)  # the rows below following
    assert 0 < trials <= LOCAL_TRIALS                         # only what moved: a second
    assert again == orderer.crossings() <= after             # round as the largest trees


def test_no_trials_allowed_leaves_the_order_as_it_was():
    orderer = _swept(intermarried_tree(1))
    rows = _people_rows(orderer)
    assert move_crossed_groups(orderer, limit=0) == (orderer.crossings(), 0)
    assert _people_rows(orderer) == rows


def test_the_same_large_tree_gives_the_same_rows_every_time():
    """Trials are counted, not timed: one stored case draws the same picture every time
    (and in every process: ``test_layout_does_not_depend_on_hash_seeds`` lays this tree
    out under three hash seeds)."""
    assert len(_swept(intermarried_tree(2)).unit_of) > IMPROVE_LIMIT
    assert layout(intermarried_tree(2)).rows == layout(intermarried_tree(2)).rows
