"""Couples standing apart (issue 16): only in an intermarried family, and only where the
drawing then crosses fewer lines, the couple's own line counted."""

from __future__ import annotations

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import count_crossings, layout
from systemic.genogram.layout.checks import apart_crossings, join_segments, text_crossings


def _three_married_in(cousins: bool) -> Case:
    """Three brothers, each married to a daughter of another family with parents drawn:
    a sibling group has two ends, so with every couple side by side one line crosses.
    With ``cousins``, the brothers' parents are cousins (the family is intermarried)."""
    ids = ["kp1", "kp2", "ap1", "ap2", "bp1", "bp2", "cp1", "cp2",
           "k1", "k2", "k3", "a1", "b1", "c1", "h1", "h2", *(["g"] if cousins else [])]
    couples = [("kp1", "kp2"), ("ap1", "ap2"), ("bp1", "bp2"), ("cp1", "cp2"),
               ("k1", "a1"), ("k2", "b1"), ("k3", "c1")]
    parents = [ParentLink(child=c, parents=[f"{f}p1", f"{f}p2"])
               for f, kids in [("k", ["k1", "k2", "k3"]), ("a", ["a1"]), ("b", ["b1"]),
                               ("c", ["c1"])] for c in kids]
    parents += [ParentLink(child="kp1", parents=["h1"]), ParentLink(child="kp2", parents=["h2"])]
    if cousins:
        parents += [ParentLink(child=h, parents=["g"]) for h in ("h1", "h2")]
    return Case(id="c", title="t", fictional=True,
                people=[Person(id=i, name=i.upper()) for i in ids],
                unions=[Union(id=a + b, partners=[a, b]) for a, b in couples],
                parents=parents)


def _apart(result) -> list[str]:
    return [u.id for u in result.unions if u.route == "around"]


def test_in_an_intermarried_family_a_couple_stands_apart_where_fewer_lines_cross():
    result = layout(_three_married_in(cousins=True))
    assert _apart(result) == ["k2b1"]
    assert count_crossings(join_segments(result)) + apart_crossings(result) == 0
    assert text_crossings(result) == []


def test_with_no_intermarriage_every_couple_stands_side_by_side():
    result = layout(_three_married_in(cousins=False))
    assert _apart(result) == []
    assert count_crossings(join_segments(result)) == 1  # the one crossing that forces


def test_the_children_of_a_couple_apart_hang_from_their_line_above_the_children():
    case = _three_married_in(cousins=True)
    case = case.model_copy(update={
        "people": [*case.people, Person(id="kid1", name="Kid"), Person(id="kid2", name="Kid")],
        "parents": [*case.parents, *(ParentLink(child=k, parents=["k2", "b1"])
                                     for k in ("kid1", "kid2"))]})
    result = layout(case)
    (bar,) = [b for b in result.sibling_bars if b.family == "k2b1"]
    couple = next(u for u in result.unions if u.id == "k2b1")
    xs = sorted(result.people[p].x for p in ("k2", "b1"))
    kids = sorted(result.people[k].x for k in ("kid1", "kid2"))
    assert couple.route == "around"
    assert xs[0] < bar.hub[0] < xs[1]
    assert abs(bar.hub[0] - couple.hub[0]) < 0.01  # the stem leaves from the couple line
    # Above the children's middle, as far as the couple's line reaches.
    assert abs(min(max((kids[0] + kids[1]) / 2, xs[0]), xs[1]) - bar.hub[0]) < 40
    assert count_crossings(join_segments(result)) + apart_crossings(result) <= 1
