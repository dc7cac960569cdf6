"""The largest intermarried trees: couples of whom one partner's line crosses many others
stand apart, each partner with their own brothers and sisters
(:mod:`systemic.genogram.layout.stand_apart`)."""

from __future__ import annotations

import pytest

import systemic.genogram.layout.stand_apart as stand_apart
from systemic.cases import Case
from systemic.genogram.layout import count_crossings, layout
from systemic.genogram.layout.base import _Index
from systemic.genogram.layout.checks import join_segments
from systemic.genogram.layout.units import kin_couples
from tests.test_genogram_crossed_groups import _swept, intermarried_tree
from tests.test_genogram_face_partners import SAMPLES


def _apart(case: Case) -> set[str]:
    """The couples (union ids) in one row with someone between them."""
    result = layout(case)
    rows = {p: (r, i) for r, row in enumerate(result.rows) for i, p in enumerate(row)}
    out = set()
    for union in case.unions:
        (ra, ia), (rb, ib) = (rows[p] for p in union.partners)
        if ra == rb and abs(ia - ib) > 1:
            out.add(union.id)
    return out


def test_only_couples_side_by_side_with_a_partner_crossing_many_are_freed():
    orderer = _swept(intermarried_tree(4))
    from systemic.genogram.layout.apart import crossed_people

    crossed = crossed_people(orderer)
    families = list(orderer.idx.families)
    side_by_side = [f for f in families if len(orderer.idx.families[f].parents) == 2
                    and orderer.unit_of[orderer.idx.families[f].parents[0]]
                    is orderer.unit_of.get(orderer.idx.families[f].parents[1])]
    expected = [f for f in side_by_side
                if max(crossed[p] for p in orderer.idx.families[f].parents) >= 4]
    assert len(expected) > stand_apart.MOST_COUPLES  # the made-up dynasty has long lines
    found = stand_apart.long_lined_couples(orderer, families, least=4)
    assert found == expected[:stand_apart.MOST_COUPLES]
    assert stand_apart.long_lined_couples(orderer, families, least=10**6) == []


def test_freeing_long_lined_couples_crosses_fewer_lines(monkeypatch: pytest.MonkeyPatch):
    """A made-up dynasty of 416 people in which two in five marry within the tree: with
    the couples whose lines cross most standing apart, far fewer lines into children
    cross (719 → 85); no couple stands apart that was not free to."""
    case = intermarried_tree(4)
    freed = count_crossings(join_segments(layout(case)))
    apart = _apart(case)
    assert len(apart - kin_couples(_Index(case))) <= stand_apart.MOST_COUPLES
    monkeypatch.setattr(stand_apart, "MOST_COUPLES", 0)
    kept = count_crossings(join_segments(layout(case)))
    assert freed < kept / 2
    assert len(apart) > len(_apart(case))


def test_no_couple_stands_apart_in_a_large_family_with_no_intermarriage():
    """Issue 16: 0 couples split where there is no intermarriage, in the largest trees too
    (each married into the dynasty from outside)."""
    case = intermarried_tree(4, within=0)
    assert len(case.people) > 320 and not kin_couples(_Index(case))
    assert _apart(case) == set()


def test_royal92_lettice_knollys_stands_with_her_brothers_and_sisters():
    """royal92: Lettice Knollys's line crossed 27 others, beside her three husbands
    with the Dudleys, Devereux and Blounts; she now stands among her brothers and
    sisters, and fewer lines into children cross than in Graphviz dot's drawing on the
    same rows (issue 16: 72 against dot's 84), counted the same way for both."""
    from benchmarks.genogram import dot_join_segments, run_dot
    from systemic.genogram.gedcom import load_gedcom

    case = load_gedcom(SAMPLES / "royal92.ged")
    result = layout(case)
    row = result.rows[result.people["lettice-knollys"].generation]
    at = row.index("lettice-knollys")
    assert {"henry-knollys", "william-knollys"} <= set(row[at - 3:at + 4])
    gens = {p: place.generation for p, place in result.people.items()}
    _ms, dot_xs = run_dot(case, result.rows)
    assert dot_xs, "Graphviz dot is installed by make"
    assert count_crossings(join_segments(result)) < count_crossings(
        dot_join_segments(case, dot_xs, gens))
