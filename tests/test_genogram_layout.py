"""The genogram layout: every hard case of GENOGRAM.md §3.3 as a golden test, plus
properties (no overlaps, determinism, stability after an edit) on random families."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from systemic.cases import (
    RELATIONSHIP_KINDS,
    Case,
    Household,
    ParentLink,
    Person,
    Relationship,
    Twins,
    Union,
)
from systemic.genogram.geometry import Box, place_in_order, stack_intervals
from systemic.genogram.layout import (
    Layout,
    assign_generations,
    count_crossings,
    family_segments,
    find_overlaps,
    layout,
    order_rows,
)
from systemic.genogram.layout.checks import join_segments

ROOT = Path(__file__).resolve().parent.parent


# -- building families ------------------------------------------------------------------------


def person(pid: str, sex: str = "unknown", born: int | None = None, **kw) -> Person:
    return Person(id=pid, name=kw.pop("name", pid.replace("_", " ").title()), sex=sex,
                  born=born, **kw)


def family(people, unions=(), parents=(), **kw) -> Case:
    return Case(id="test", title="Test family", fictional=True, people=list(people),
                unions=list(unions), parents=list(parents), **kw)


def union(uid: str, a: str, b: str, **kw) -> Union:
    return Union(id=uid, partners=[a, b], **kw)


def kids(parents: list[str], *children: str, kind: str = "birth") -> list[ParentLink]:
    return [ParentLink(child=c, parents=parents, kind=kind) for c in children]


def remarriage() -> Case:
    """X with A (two children), then with B (one child); B had a daughter with BX."""
    return family(
        [person("a", "female", 1960), person("x", "male", 1958), person("b", "female", 1965),
         person("bx", "male", 1962), person("c1", "female", 1980), person("c2", "male", 1983),
         person("c3", "male", 1995), person("c4", "female", 1988)],
        [union("ua", "x", "a", status="divorced", began=1979, ended=1990),
         union("ub", "x", "b", began=1993),
         union("ubx", "b", "bx", status="divorced", began=1986, ended=1991)],
        [*kids(["x", "a"], "c1", "c2"), *kids(["x", "b"], "c3"), *kids(["b", "bx"], "c4")],
    )


def both_remarried() -> Case:
    """A–X–B–C: X's ex A, X and B together, B's ex C; children from each couple."""
    return family(
        [person("a", "female", 1960), person("x", "male", 1958), person("b", "female", 1962),
         person("c", "male", 1957), person("ax1", "female", 1982), person("xb1", "male", 1995),
         person("bc1", "female", 1985), person("bc2", "female", 1987)],
        [union("u1", "a", "x", status="divorced", began=1980, ended=1990),
         union("u2", "x", "b", began=1992),
         union("u3", "b", "c", status="separated", began=1984, ended=1990)],
        [*kids(["a", "x"], "ax1"), *kids(["x", "b"], "xb1"), *kids(["b", "c"], "bc1", "bc2")],
    )


def cousins_marrying() -> Case:
    """Grandparents with two children; a child of each marries their cousin."""
    return family(
        [person("gpa", "male", 1920), person("gma", "female", 1922),
         person("son", "male", 1945), person("son_wife", "female", 1947),
         person("daughter", "female", 1948), person("daughter_husband", "male", 1946),
         person("cousin_m", "male", 1970), person("cousin_f", "female", 1972),
         person("other_m", "male", 1968), person("other_f", "female", 1975),
         person("baby", "female", 1995)],
        [union("ug", "gpa", "gma"), union("us", "son", "son_wife"),
         union("ud", "daughter", "daughter_husband"), union("uc", "cousin_m", "cousin_f")],
        [*kids(["gpa", "gma"], "son", "daughter"),
         *kids(["son", "son_wife"], "other_m", "cousin_m"),
         *kids(["daughter", "daughter_husband"], "cousin_f", "other_f"),
         *kids(["cousin_m", "cousin_f"], "baby")],
    )


def uncle_and_niece() -> Case:
    """A union across generations between relatives: the rows stay true."""
    return family(
        [person("gpa", "male", 1900), person("gma", "female", 1902),
         person("uncle", "male", 1930), person("mum", "female", 1925),
         person("dad", "male", 1924), person("niece", "female", 1950),
         person("child", "male", 1975)],
        [union("ug", "gpa", "gma"), union("um", "mum", "dad"),
         union("ux", "uncle", "niece", began=1970)],
        [*kids(["gpa", "gma"], "mum", "uncle"), *kids(["mum", "dad"], "niece"),
         *kids(["uncle", "niece"], "child")],
    )


def adoption_with_birth_parents() -> Case:
    """A child adopted by a couple and living with them; birth parents known."""
    return family(
        [person("birth_mum", "female", 1990), person("birth_dad", "male", 1989),
         person("adopt_a", "female", 1975), person("adopt_b", "female", 1976),
         person("child", "male", 2012), person("sibling", "female", 2014)],
        [union("ub", "birth_mum", "birth_dad", status="separated"),
         union("ua", "adopt_a", "adopt_b", status="civil_partnership", began=2008)],
        [*kids(["birth_mum", "birth_dad"], "child", "sibling"),
         *kids(["adopt_a", "adopt_b"], "child", kind="adoptive")],
        households=[Household(id="home", name="Home", members=["adopt_a", "adopt_b", "child"])],
    )


def foster_placement() -> Case:
    """A child in foster care: the foster link comes from the carer's household."""
    return family(
        [person("mum", "female", 1988), person("dad", "male", 1985),
         person("carer", "female", 1960), person("carer_partner", "male", 1958),
         person("child", "female", 2015)],
        [union("u", "mum", "dad", status="separated"),
         union("uc", "carer", "carer_partner")],
        [*kids(["mum", "dad"], "child"),
         *kids(["carer", "carer_partner"], "child", kind="foster")],
        households=[Household(id="fh", name="Foster home",
                              members=["carer", "carer_partner", "child"])],
    )


def twins_family() -> Case:
    return family(
        [person("mum", "female", 1980), person("dad", "male", 1979),
         person("older", "male", 2005), person("twin_a", "female", 2008),
         person("twin_b", "female", 2008), person("younger", "male", 2012),
         person("trip_1", "male", 2015), person("trip_2", "male", 2015),
         person("trip_3", "female", 2015)],
        [union("u", "mum", "dad")],
        [*kids(["mum", "dad"], "younger", "twin_b", "older", "trip_2", "twin_a", "trip_1",
               "trip_3")],
        twins=[Twins(people=["twin_a", "twin_b"], identical=True),
               Twins(people=["trip_1", "trip_2", "trip_3"])],
    )


def everything() -> Case:
    """Most of the hard cases at once, with relationships and households."""
    return family(
        [person("gpa", "male", 1940, died=2010), person("gma", "female", 1943),
         person("uncle", "male", 1965), person("aunt", "female", 1967),
         person("x", "male", 1968), person("a", "female", 1969), person("b", "female", 1972),
         person("bx", "male", 1970), person("c1", "female", 1990), person("c2", "male", 1992),
         person("c3", "male", 2001), person("c4", "female", 1995),
         person("t1", "female", 2003), person("t2", "female", 2003),
         person("k", "female", 1991), person("gc", "male", 2015, index=True),
         Person(id="preg", name="Pregnancy", kind="pregnancy", born=2025),
         Person(id="loss", name="Miscarriage", kind="miscarriage", born=2013),
         person("m1", "female", 1980), person("m2", "female", 1982, gender_identity="non-binary"),
         person("fc", "male", 2016), person("lodger", "unknown", 1985),
         Person(id="dog", name="Rex", kind="pet", born=2018), person("fm", "female", 1975),
         person("alone", "male", 1950)],
        [union("ug", "gpa", "gma", status="widowed", began=1963),
         union("uu", "uncle", "aunt", began=1988),
         union("ua", "x", "a", status="divorced", began=1989, ended=1996),
         union("ub", "x", "b", began=2000),
         union("ubx", "b", "bx", status="divorced", began=1993, ended=1998),
         union("uk", "c2", "k", status="cohabiting"),
         union("um", "m1", "m2", status="civil_partnership", began=2012)],
        [*kids(["gpa", "gma"], "uncle", "x"), *kids(["x", "a"], "c1", "c2"),
         *kids(["x", "b"], "c3", "t1", "t2"), *kids(["b", "bx"], "c4"),
         *kids(["uncle", "aunt"], "k", kind="adoptive"), *kids(["c2", "k"], "gc", "preg", "loss"),
         *kids(["m1", "m2"], "fc", kind="adoptive"), *kids(["c1"], "fc"),
         ParentLink(child="c4", parents=["fm"], kind="foster", until=2010)],
        twins=[Twins(people=["t1", "t2"], identical=True)],
        relationships=[Relationship(**{"from": "c2", "to": "x", "kind": "conflict"}),
                       Relationship(**{"from": "gma", "to": "c1", "kind": "close"}),
                       Relationship(**{"from": "x", "to": "gc", "kind": "focused_on"})],
        households=[Household(id="h1", name="Home", members=["c2", "k", "gc", "preg", "dog"]),
                    Household(id="h2", name="Greens", members=["m1", "m2", "fc"]),
                    Household(id="h3", name="Mark's", members=["x", "b", "c3", "t1", "t2",
                                                                "lodger"])],
    )


# -- helpers ------------------------------------------------------------------------------------


def row_of(result: Layout, pid: str) -> int:
    return result.people[pid].generation


def adjacent(result: Layout, a: str, b: str) -> bool:
    row = result.rows[row_of(result, a)]
    return b in row and abs(row.index(a) - row.index(b)) == 1


def bar_of(result: Layout, family_id: str):
    (bar,) = [b for b in result.sibling_bars if b.family == family_id]
    return bar


def children_on_bar(result: Layout, family_id: str) -> set[str]:
    return {line.child for line in bar_of(result, family_id).children}


def union_line(result: Layout, family_id: str):
    (line,) = [u for u in result.unions if u.id == family_id]
    return line


def assert_sound(result: Layout, case: Case) -> None:
    """What every layout promises: everyone once, no overlaps."""
    ids = [p for row in result.rows for p in row]
    assert sorted(ids) == sorted(p.id for p in case.people)
    assert len(ids) == len(set(ids))
    assert find_overlaps(result) == []


# -- the hard cases -----------------------------------------------------------------------------


def test_partners_stand_side_by_side_and_children_hang_below():
    case = family([person("mum", "female", 1980), person("dad", "male", 1978),
                   person("kid", "male", 2010)],
                  [union("u", "mum", "dad")], kids(["mum", "dad"], "kid"))
    result = layout(case)
    assert_sound(result, case)
    assert adjacent(result, "mum", "dad")
    assert row_of(result, "kid") == row_of(result, "mum") + 1
    assert union_line(result, "u").route == "beside"
    assert children_on_bar(result, "u") == {"kid"}


def test_remarriage_puts_the_remarried_partner_between_both_partners():
    result = layout(remarriage())
    assert_sound(result, remarriage())
    row = result.rows[0]
    assert row.index("x") - row.index("a") == -(row.index("x") - row.index("b"))  # X between
    assert adjacent(result, "x", "a") and adjacent(result, "x", "b")


def test_half_siblings_hang_from_their_own_union():
    result = layout(remarriage())
    assert children_on_bar(result, "ua") == {"c1", "c2"}
    assert children_on_bar(result, "ub") == {"c3"}
    assert children_on_bar(result, "ubx") == {"c4"}
    for fid in ("ua", "ub", "ubx"):
        bar = bar_of(result, fid)
        hub = union_line(result, fid).hub
        assert bar.hub == hub
        assert bar.x1 <= hub[0] <= bar.x2
    assert result.crossings == 0


def test_half_siblings_sit_on_staggered_bars_that_never_coincide():
    result = layout(remarriage())
    ua, ub, ubx = (bar_of(result, fid) for fid in ("ua", "ub", "ubx"))
    assert ua.y != ub.y and ub.y != ubx.y  # half-siblings: X's and B's children
    bars = result.sibling_bars
    for i, one in enumerate(bars):
        for other in bars[i + 1:]:
            if one.y == other.y:
                assert one.x2 < other.x1 or other.x2 < one.x1


def test_children_of_each_union_sit_under_that_union_in_a_chain_of_four():
    case = both_remarried()
    result = layout(case)
    assert_sound(result, case)
    row = list(result.rows[0])
    assert row in (["a", "x", "b", "c"], ["c", "b", "x", "a"])
    assert result.crossings == 0
    xs = {p: result.people[p].x for p in result.people}
    order = sorted(["ax1", "xb1", "bc1"], key=xs.get)
    assert order in (["ax1", "xb1", "bc1"], ["bc1", "xb1", "ax1"])


def test_oldest_child_stands_on_the_left():
    result = layout(remarriage())
    assert result.people["c1"].x < result.people["c2"].x


def test_twins_stand_together_and_share_one_fork_point():
    case = twins_family()
    result = layout(case)
    assert_sound(result, case)
    row = list(result.rows[1])
    assert row == ["older", "twin_a", "twin_b", "younger", "trip_1", "trip_2", "trip_3"]
    bar = bar_of(result, "u")
    forks = {fork.people: fork for fork in bar.twins}
    twins = forks[("twin_a", "twin_b")]
    assert twins.identical and twins.bar is not None
    starts = {line.child: line.points[0] for line in bar.children}
    assert starts["twin_a"] == starts["twin_b"] == twins.fork
    triplets = forks[("trip_1", "trip_2", "trip_3")]
    assert not triplets.identical and triplets.bar is None
    assert starts["trip_1"] == starts["trip_2"] == starts["trip_3"] == triplets.fork
    assert starts["older"] != starts["younger"]


def test_cousins_who_marry_appear_once_side_by_side_with_a_double_line():
    case = cousins_marrying()
    result = layout(case)
    assert_sound(result, case)
    assert adjacent(result, "cousin_m", "cousin_f")
    line = union_line(result, "uc")
    assert line.consanguineous
    assert not union_line(result, "us").consanguineous
    assert children_on_bar(result, "uc") == {"baby"}
    assert result.crossings == 0


def test_relatives_across_generations_keep_their_true_rows_and_the_line_bends():
    case = uncle_and_niece()
    result = layout(case)
    assert_sound(result, case)
    assert row_of(result, "uncle") == row_of(result, "mum") == 1
    assert row_of(result, "niece") == 2
    assert row_of(result, "child") == 3
    line = union_line(result, "ux")
    assert line.route == "across" and line.consanguineous
    assert children_on_bar(result, "ux") == {"child"}


def test_adopted_child_hangs_from_the_adoptive_home_and_birth_parents_are_linked():
    case = adoption_with_birth_parents()
    result = layout(case)
    assert_sound(result, case)
    assert children_on_bar(result, "ua") == {"child"}
    (line,) = [bl for bl in bar_of(result, "ua").children if bl.child == "child"]
    assert line.kind == "adoptive"
    assert children_on_bar(result, "ub") == {"sibling"}
    (birth,) = [k for k in result.links if k.child == "child"]
    assert birth.kind == "birth" and birth.family == "ub" and not birth.primary
    # The birth line ends on the child's symbol, beside the adoptive line.
    end = birth.points[-1]
    child = result.people["child"]
    assert child.symbol.x <= end[0] <= child.symbol.right
    assert end[0] != child.x


def test_foster_child_hangs_from_the_carers_they_live_with():
    case = foster_placement()
    result = layout(case)
    assert_sound(result, case)
    (line,) = bar_of(result, "uc").children
    assert (line.child, line.kind) == ("child", "foster")
    (birth,) = result.links
    assert (birth.family, birth.kind) == ("u", "birth")


def test_without_a_household_the_birth_family_is_where_a_child_hangs():
    case = foster_placement().model_copy(update={"households": []})
    result = layout(case)
    assert children_on_bar(result, "u") == {"child"}
    assert [k.kind for k in result.links] == ["foster"]


def test_same_sex_parents_are_a_couple_like_any_other():
    case = family([person("ma", "female", 1980), person("mb", "female", 1982),
                   person("kid", "male", 2015), person("pa", "male", 1970),
                   person("pb", "male", 1972), person("kid2", "female", 2010)],
                  [union("u1", "ma", "mb", status="civil_partnership"),
                   union("u2", "pa", "pb", status="married")],
                  [*kids(["ma", "mb"], "kid"), *kids(["pa", "pb"], "kid2", kind="adoptive")])
    result = layout(case)
    assert_sound(result, case)
    assert adjacent(result, "ma", "mb") and adjacent(result, "pa", "pb")
    assert children_on_bar(result, "u1") == {"kid"}
    assert children_on_bar(result, "u2") == {"kid2"}


def married_in_middle_child() -> Case:
    """The middle of three siblings marries someone whose father is shown too."""
    return family(
        [person("p1", "male", 1530), person("p2", "female", 1535),
         person("older", "female", 1558), person("middle", "male", 1560),
         person("younger", "female", 1562), person("in_law", "female", 1556),
         person("in_law_dad", "male", 1520)],
        [union("u", "p1", "p2"), union("m", "middle", "in_law")],
        [*kids(["p1", "p2"], "older", "middle", "younger"), *kids(["in_law_dad"], "in_law")],
    )


def test_a_sibling_who_married_into_another_family_stands_at_the_end_nearest_it():
    result = layout(married_in_middle_child())
    siblings = [p for p in result.rows[1] if p in ("older", "middle", "younger")]
    assert siblings.index("middle") in (0, 2)
    assert adjacent(result, "middle", "in_law")
    assert result.crossings == 0


def test_strict_birth_order_keeps_the_married_in_sibling_in_birth_order():
    result = layout(married_in_middle_child(), strict_birth_order=True)
    siblings = [p for p in result.rows[1] if p in ("older", "middle", "younger")]
    assert siblings == ["older", "middle", "younger"]
    assert adjacent(result, "middle", "in_law")
    assert_sound(result, married_in_middle_child())


def test_a_couple_without_children_is_drawn_with_no_sibling_bar():
    case = family([person("a", "female", 1980), person("b", "male", 1981)],
                  [union("u", "a", "b", status="engaged", began=2020)])
    result = layout(case)
    assert_sound(result, case)
    assert adjacent(result, "a", "b")
    assert result.sibling_bars == ()
    assert union_line(result, "u").label == "eng. 2020"
    assert union_line(result, "u").label_box is not None


def test_people_with_no_links_are_placed_not_lost():
    case = family([person("a", "female", 1980), person("b", "male", 1981),
                   person("kid", "male", 2010), person("stranger", "male", 1950),
                   person("lodger", "female", 1990)],
                  [union("u", "a", "b")], kids(["a", "b"], "kid"),
                  households=[Household(id="h", name="Home", members=["kid", "lodger"])])
    result = layout(case)
    assert_sound(result, case)
    assert row_of(result, "lodger") == row_of(result, "kid")  # beside who they live with
    assert result.people["stranger"].x > 0


def test_pregnancies_and_losses_are_small_symbols_under_their_parents():
    case = family([person("a", "female", 1990), person("b", "male", 1988),
                   person("kid", "male", 2015),
                   Person(id="preg", name="Pregnancy", kind="pregnancy", born=2025),
                   Person(id="loss", name="Miscarriage", kind="miscarriage", born=2018)],
                  [union("u", "a", "b")], kids(["a", "b"], "kid", "preg", "loss"))
    result = layout(case)
    assert_sound(result, case)
    assert children_on_bar(result, "u") == {"kid", "preg", "loss"}
    assert result.people["preg"].size < result.people["kid"].size
    assert list(result.rows[1]) == ["kid", "loss", "preg"]


def test_a_parent_on_their_own_has_a_line_from_their_side():
    case = family([person("mum", "female", 1990), person("kid", "male", 2015)],
                  parents=kids(["mum"], "kid"))
    result = layout(case)
    assert_sound(result, case)
    bar = bar_of(result, "~mum")
    mum = result.people["mum"]
    assert bar.stem[0][0] == mum.symbol.right  # leaves from the side, not through the name
    assert bar.hub[0] > mum.label.right


def test_partners_with_someone_between_them_get_a_line_under_the_row():
    case = family([person("x", "male", 1950), person("a", "female", 1952),
                   person("b", "female", 1955), person("c", "female", 1958),
                   person("k1", "male", 1980), person("k2", "male", 1985),
                   person("k3", "male", 1990)],
                  [union("ua", "x", "a"), union("ub", "x", "b"), union("uc", "x", "c")],
                  [*kids(["x", "a"], "k1"), *kids(["x", "b"], "k2"), *kids(["x", "c"], "k3")])
    result = layout(case)
    assert_sound(result, case)
    routes = sorted(u.route for u in result.unions)
    assert routes == ["around", "beside", "beside"]
    (around,) = [u for u in result.unions if u.route == "around"]
    lowest_label = max(result.people[p].label.bottom for p in result.rows[0])
    assert around.hub[1] > lowest_label


def test_everything_at_once_is_sound_and_every_line_kind_is_there():
    case = everything()
    result = layout(case)
    assert_sound(result, case)
    kinds = {line.kind for bar in result.sibling_bars for line in bar.children}
    kinds |= {line.kind for line in result.links}
    assert {"birth", "adoptive", "foster"} <= kinds
    assert len(result.relationships) == 3
    assert {h.id for h in result.households} == {"h1", "h2", "h3"}
    for h in result.households:
        for member in h.members:
            place = result.people[member]
            assert any(r.x <= place.symbol.x and place.symbol.right <= r.right
                       and r.y <= place.symbol.y for r in h.rects)


# -- generations ---------------------------------------------------------------------------------


def test_someone_who_married_in_takes_their_partners_row():
    case = family([person("gran", "female", 1940), person("mum", "female", 1965),
                   person("dad", "male", 1963), person("kid", "male", 1990)],
                  [union("u", "mum", "dad")],
                  [*kids(["gran"], "mum"), *kids(["mum", "dad"], "kid")])
    assert assign_generations(case) == {"gran": 0, "mum": 1, "dad": 1, "kid": 2}


def test_the_shallower_side_moves_down_when_both_partners_have_parents():
    case = family([person("g1", "female", 1900), person("p1", "female", 1925),
                   person("me", "female", 1950), person("g2", "male", 1920),
                   person("spouse", "male", 1948), person("kid", "male", 1975)],
                  [union("u", "me", "spouse")],
                  [*kids(["g1"], "p1"), *kids(["p1"], "me"), *kids(["g2"], "spouse"),
                   *kids(["me", "spouse"], "kid")])
    gens = assign_generations(case)
    assert gens["me"] == gens["spouse"] == 2
    assert gens["g2"] == 1 and gens["kid"] == 3


def test_carers_without_parents_of_their_own_stand_above_the_child_they_care_for():
    gens = assign_generations(foster_placement())
    assert gens["carer"] == gens["mum"] == gens["child"] - 1


# -- stability and determinism -----------------------------------------------------------------


def test_same_family_gives_the_same_layout():
    assert layout(everything()) == layout(everything())


@pytest.mark.parametrize("family", [
    "from tests.test_genogram_layout import everything; case = everything()",
    # Intermarried (12 couples related by birth): couples may stand apart, tried in turn.
    "from systemic.genogram.gedcom import load_gedcom;"
    "case = load_gedcom('tests/data/gedcom/vendors/ftw-ansi-greek-gods.ged')",
    # Above IMPROVE_LIMIT people: the largest trees' bounded passes (crossed groups, free
    # parents) take their trials in an order no hash seed changes.
    "from tests.test_genogram_crossed_groups import intermarried_tree;"
    "case = intermarried_tree(2)",
], ids=["everything", "greek-gods", "large-intermarried"])
def test_layout_does_not_depend_on_hash_seeds(family: str):
    """Every screen draws the same picture: each Python process has its own hash seed,
    so nothing in the layout may follow a set's order."""
    script = (
        f"import hashlib; {family};"
        "from systemic.genogram.layout import layout;"
        "print(hashlib.sha256(repr(layout(case)).encode()).hexdigest())"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        outputs.add(done.stdout.strip())
    assert len(outputs) == 1


def _order(result: Layout, ids: set[str]) -> list[list[str]]:
    """Each row's left-to-right order of the given people (rows may move down when
    an edit adds a generation on top, so empty rows are left out)."""
    rows = [[p for p in row if p in ids] for row in result.rows]
    return [row for row in rows if row]


def _order_kept(before: Layout, after: Layout, ids: set[str]) -> bool:
    """Whether any two of ``ids`` who share a row before and after the edit are still
    in the same left-to-right order (someone the edit moved to another row, e.g. a
    person who just became a parent, is compared only in their new row)."""
    def sides(result: Layout) -> dict[tuple[str, str], bool]:
        out = {}
        for row in result.rows:
            people = [p for p in row if p in ids]
            for i, p in enumerate(people):
                for q in people[i + 1:]:
                    out[(p, q)] = True
                    out[(q, p)] = False
        return out

    first, second = sides(before), sides(after)
    return all(second[pair] == left for pair, left in first.items() if pair in second)


def test_after_adding_a_child_everyone_else_keeps_their_order():
    before_case = everything()
    before = layout(before_case)
    after_case = before_case.model_copy(update={
        "people": [*before_case.people, person("new_baby", "female", 2024)],
        "parents": [*before_case.parents, *kids(["x", "b"], "new_baby")],
    })
    after = layout(after_case, before)
    old = {p.id for p in before_case.people}
    assert _order(after, old) == _order(before, old)
    assert_sound(after, after_case)
    row = list(after.rows[row_of(after, "new_baby")])
    assert row.index("t2") < row.index("new_baby")  # the youngest, after the twins
    assert "new_baby" in children_on_bar(after, "ub")


def test_after_adding_a_partner_and_parents_everyone_else_keeps_their_order():
    before_case = remarriage()
    before = layout(before_case)
    after_case = before_case.model_copy(update={
        "people": [*before_case.people, person("c1_partner", "male", 1979),
                   person("a_mum", "female", 1935), person("a_dad", "male", 1933)],
        "unions": [*before_case.unions, union("new", "c1", "c1_partner"),
                   union("gp", "a_mum", "a_dad")],
        "parents": [*before_case.parents, *kids(["a_mum", "a_dad"], "a")],
    })
    after = layout(after_case, before)
    old = {p.id for p in before_case.people}
    assert _order(after, old) == _order(before, old)
    assert adjacent(after, "c1", "c1_partner")
    assert_sound(after, after_case)


def test_after_removing_someone_the_rest_keep_their_order():
    before_case = everything()
    before = layout(before_case)
    after_case = before_case.model_copy(update={
        "people": [p for p in before_case.people if p.id != "c3"],
        "parents": [k for k in before_case.parents if k.child != "c3"],
    })
    after = layout(after_case, before)
    kept = {p.id for p in after_case.people}
    assert _order(after, kept) == _order(before, kept)
    assert_sound(after, after_case)


def test_a_previous_layout_of_another_family_is_ignored():
    assert layout(remarriage(), layout(twins_family())) == layout(remarriage())


# -- the parts -----------------------------------------------------------------------------------


def test_order_rows_keeps_siblings_together_under_their_parents():
    case = cousins_marrying()
    rows = order_rows(case, assign_generations(case))
    assert rows[0] == ("gpa", "gma") or rows[0] == ("gma", "gpa")
    row = list(rows[2])
    assert abs(row.index("other_m") - row.index("cousin_m")) == 1
    assert abs(row.index("other_f") - row.index("cousin_f")) == 1


def test_count_crossings_counts_each_crossing_pair_once():
    x = [((0.0, 0.0), (2.0, 1.0)), ((2.0, 0.0), (0.0, 1.0)), ((1.0, 0.0), (1.0, 1.0))]
    assert count_crossings(x) == 3
    assert count_crossings([((0.0, 0.0), (0.0, 1.0)), ((1.0, 0.0), (1.0, 1.0))]) == 0


def test_count_crossings_cuts_lines_that_span_several_rows():
    long = ((0.0, 0.0), (4.0, 2.0))
    short = ((3.0, 0.0), (1.0, 1.0))  # crosses the long line above row 1
    below = ((5.0, 1.0), (5.0, 2.0))  # right of the long line all the way (it is at 2..4)
    assert count_crossings([long, short, below]) == 1


def test_family_segments_run_from_the_parents_midpoint_to_the_child():
    case = remarriage()
    positions = {p.id: (float(i), 0.0 if p.born.year < 1970 else 1.0)
                 for i, p in enumerate(case.people)}
    segments = family_segments(case, positions)
    assert len(segments) == len(case.parents)
    assert segments[0] == ((0.5, 0.0), positions["c1"])


def test_place_in_order_never_lets_neighbours_come_closer_than_their_gap():
    xs = place_in_order([5.0, 5.0, 5.0, 100.0], [1.0, 1.0, 1.0, 1.0], [10.0, 20.0, 10.0])
    assert xs[1] - xs[0] >= 10 - 1e-9 and xs[2] - xs[1] >= 20 - 1e-9
    assert xs[3] == 100.0


def test_stack_intervals_keeps_touching_intervals_on_different_levels():
    levels = stack_intervals([(0, 10), (12, 20), (30, 40)], margin=5.0)
    assert levels[0] != levels[1] and levels[2] == 0


def test_boxes_that_only_touch_do_not_overlap():
    assert not Box(0, 0, 10, 10).overlaps(Box(10, 0, 10, 10))
    assert Box(0, 0, 10, 10).overlaps(Box(9.5, 9.5, 10, 10))


# -- properties on random families -------------------------------------------------------------


@st.composite
def random_families(draw) -> Case:
    """Valid random families: founders, couples among one generation, their children,
    sometimes a second couple for someone, twins, adoption, loose people, long names."""
    n_founders = draw(st.integers(1, 4))
    people: list[Person] = []
    unions: list[Union] = []
    links: list[ParentLink] = []
    twins: list[Twins] = []
    generation: list[list[str]] = [[]]
    counter = 0

    def new_person(year: int) -> str:
        nonlocal counter
        counter += 1
        pid = f"p{counter}"
        long = draw(st.booleans()) and draw(st.booleans())
        name = f"Person {counter} " + ("Featherstonehaugh-Wolfeschlegel " if long else "")
        people.append(Person(id=pid, name=name.strip(), born=year,
                             sex=draw(st.sampled_from(["female", "male", "unknown"])),
                             index=False))
        return pid

    for _ in range(n_founders):
        generation[0].append(new_person(draw(st.integers(1900, 1930))))
    for g in range(draw(st.integers(1, 3))):
        parents_row = list(generation[g])
        next_row: list[str] = []
        year = 1930 + 25 * (g + 1)
        for i, p in enumerate(parents_row):
            partners = draw(st.integers(0, 2))
            for _k in range(partners):
                q = new_person(year - 25 + draw(st.integers(-5, 5)))
                unions.append(Union(id=f"u{len(unions) + 1}", partners=[p, q],
                                    status=draw(st.sampled_from(["married", "divorced",
                                                                  "cohabiting"]))))
                n_kids = draw(st.integers(0, 3))
                born = [new_person(year + draw(st.integers(0, 15))) for _ in range(n_kids)]
                kind = draw(st.sampled_from(["birth", "birth", "adoptive"]))
                for c in born:
                    links.append(ParentLink(child=c, parents=[p, q], kind=kind))
                if len(born) >= 2 and draw(st.booleans()):
                    twins.append(Twins(people=born[:2], identical=draw(st.booleans())))
                next_row += born
            if not partners and i % 2 and draw(st.booleans()):
                c = new_person(year)
                links.append(ParentLink(child=c, parents=[p]))
                next_row.append(c)
        if not next_row:
            break
        generation.append(next_row)
    for _ in range(draw(st.integers(0, 2))):
        new_person(1990)
    # Relatives who become a couple (cousins, or across a sibling line): loops.
    for row in generation[1:]:
        if len(row) >= 2 and draw(st.booleans()):
            a, b = draw(st.lists(st.sampled_from(row), min_size=2, max_size=2, unique=True))
            unions.append(Union(id=f"u{len(unions) + 1}", partners=[a, b]))
    ids = [p.id for p in people]
    relationships = [
        Relationship(**{"from": a, "to": b, "kind": kind})
        for a, b, kind in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids),
                                                  st.sampled_from(RELATIONSHIP_KINDS)),
                                        max_size=3))
        if a != b
    ]
    members = draw(st.lists(st.sampled_from(ids), max_size=5, unique=True))
    households = [Household(id="home", name="Home", members=members)] if members else []
    return Case(id="random", title="Random family", fictional=True, people=people,
                unions=unions, parents=links, twins=twins, relationships=relationships,
                households=households)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_families())
def test_random_families_never_have_overlaps(case):
    result = layout(case)
    assert_sound(result, case)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_families())
def test_random_families_lay_out_the_same_every_time(case):
    assert layout(case) == layout(case)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_families(), st.data())
def test_random_families_keep_their_order_when_a_child_is_added(case, data):
    before = layout(case)
    couple = data.draw(st.sampled_from(case.unions)) if case.unions else None
    parents = list(couple.partners) if couple else [case.people[0].id]
    after_case = case.model_copy(update={
        "people": [*case.people, Person(id="newcomer", name="Newcomer", born=2024)],
        "parents": [*case.parents, ParentLink(child="newcomer", parents=parents)],
    })
    after = layout(after_case, before)
    assert _order_kept(before, after, {p.id for p in case.people})
    assert_sound(after, after_case)


GEDCOM_SAMPLES = ROOT.parent / "shared" / "data" / "gedcom"


@pytest.mark.parametrize("name", ["bronte", "shakespeare", "kennedy"])
def test_real_family_trees_have_no_overlaps_and_fewer_crossings_than_rows_in_file_order(name):
    path = GEDCOM_SAMPLES / f"{name}.ged"
    gedcom = pytest.importorskip("systemic.genogram.gedcom")
    if not path.exists():
        pytest.skip(f"{path} is not here")
    case = gedcom.load_gedcom(path)
    result = layout(case)
    assert_sound(result, case)
    in_file_order: dict[int, list[str]] = {}
    for p in case.people:
        in_file_order.setdefault(result.people[p.id].generation, []).append(p.id)
    plain = {pid: (float(i), float(g)) for g, ids in in_file_order.items()
             for i, pid in enumerate(ids)}
    baseline = count_crossings(family_segments(case, plain))
    assert result.crossings <= baseline
    if baseline:
        assert result.crossings < baseline


@pytest.mark.parametrize("build", [remarriage, both_remarried, cousins_marrying,
                                   uncle_and_niece, adoption_with_birth_parents,
                                   foster_placement, twins_family])
def test_hard_cases_have_no_crossings(build):
    assert layout(build()).crossings == 0


def test_a_step_parents_line_leaves_from_their_couple_with_the_childs_parent():
    """Ryan is Kay's step-father because he is Leanne's partner: the step line starts at
    the Ryan–Leanne couple's line, so it crosses none of that couple's own children's lines
    (measured: blended_family 6 → 1 crossings)."""
    case = family(
        [person("tunde", "male", 1984), person("leanne", "female", 1986),
         person("ryan", "male", 1983), person("kay", "male", 2014),
         person("maya", "female", 2017), person("lily", "female", 2023)],
        [union("lt", "leanne", "tunde"), union("rl", "ryan", "leanne")],
        kids(["leanne", "tunde"], "kay", "maya") + kids(["ryan", "leanne"], "lily")
        + kids(["ryan"], "kay", "maya", kind="step"),
    )
    result = layout(case)
    assert_sound(result, case)
    hub = union_line(result, "rl").hub
    steps = [line for line in result.links if line.kind == "step"]
    assert {line.child for line in steps} == {"kay", "maya"}
    assert all(line.family == "rl" and line.points[0] == pytest.approx(hub) for line in steps)
    assert count_crossings(join_segments(result)) <= 1  # Kay's and Maya's two lines
