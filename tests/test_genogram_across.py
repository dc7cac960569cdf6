"""Couples in two generation rows ("across" couples): their line runs from the upper
partner down to a hub beside the lower partner, so every such couple the layout can
avoid, and every such line that could run shorter, is a line crossing others.

Before this work, royal92 drew 858 couples in two rows, 594 of them with a married-in
partner (no parents in the file) rows above their spouse; their lines crossed 17,956
other lines on the drawing."""

from __future__ import annotations

from pathlib import Path

import pytest

from systemic.genogram.layout import count_crossings, find_overlaps, layout
from systemic.genogram.layout.checks import join_segments, line_crossings, text_crossings
from systemic.genogram.layout.generations import assign_generations
from tests.test_genogram_layout import family, kids, person, union

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "data" / "gedcom"
if not SAMPLES.exists():  # a worktree sits one level deeper than the main checkout
    SAMPLES = Path("/work/shared/data/gedcom")


def father_and_son_with_one_partner():
    """Someone who was the partner of a father and, later, of his son: bringing each
    couple into one row pushes the father's side down for ever (each push splits the
    other couple again), the way intermarried royal trees do."""
    return family(
        [person("gran", "female", 1900), person("grandad", "male", 1898),
         person("dad", "male", 1925), person("mum", "female", 1927),
         person("son", "male", 1950), person("ada", "female", 1930)],
        [union("u1", "dad", "mum"), union("u2", "ada", "son"), union("u3", "dad", "ada")],
        [*kids(["gran", "grandad"], "dad"), *kids(["dad", "mum"], "son")])


def test_a_married_in_partner_stands_in_their_partners_row_even_where_rows_never_settle():
    """Mum married in (no parents shown) and has one partner: she stands in Dad's row,
    however the rounds of bringing couples level end (before: a row above him)."""
    gens = assign_generations(father_and_son_with_one_partner())
    assert gens["mum"] == gens["dad"]
    assert gens["son"] == gens["dad"] + 1


def _partner_crossings(case, result) -> int:
    """The benchmark's ``ours partners ×``: what the lines from the parents down to their
    family's join point add to the crossings of the lines into children."""
    from tests.test_genogram_crossings_vs_dot import _bench

    bench = _bench()
    gens = {pid: place.generation for pid, place in result.people.items()}
    xs = {pid: place.x for pid, place in result.people.items()}
    return bench.partner_crossings(bench.our_joins(case, result), xs, gens)


def uncle_and_niece_beyond_her_sisters():
    """An uncle who married his niece, she standing beyond her four sisters from him
    (the order kept with the case, as a user may have arranged it)."""
    case = family(
        [person("gpa", "male", 1900), person("gma", "female", 1902),
         person("uncle", "male", 1930), person("mum", "female", 1925),
         person("dad", "male", 1924), person("niece", "female", 1946),
         *[person(f"s{i}", "female", 1950 + i) for i in range(4)],
         person("child", "male", 1975)],
        [union("ug", "gpa", "gma"), union("um", "mum", "dad"),
         union("ux", "uncle", "niece", began=1970)],
        [*kids(["gpa", "gma"], "mum", "uncle"),
         *kids(["mum", "dad"], "niece", "s0", "s1", "s2", "s3"),
         *kids(["uncle", "niece"], "child")])
    order = ["gpa", "gma", "dad", "mum", "uncle", "niece", "s0", "s1", "s2", "s3", "child"]
    return case, order


def test_a_couple_in_two_rows_runs_above_the_sibling_bar_it_would_cut_below():
    """The uncle's line to his niece runs along a lane above her sisters' bar, crossing
    their parents' one line down to it, not the line into each sister (before: 4)."""
    case, order = uncle_and_niece_beyond_her_sisters()
    result = layout(case, order=order)
    assert [p for row in result.rows for p in row] == order
    assert line_crossings(result) == [("bar:um", "couple:ux")]
    assert text_crossings(result) == [] and find_overlaps(result) == []


@pytest.fixture(scope="module")
def royal92():
    from systemic.genogram.gedcom import load_gedcom

    case = load_gedcom(SAMPLES / "royal92.ged")
    return case, layout(case)


def test_royal92_draws_few_couples_in_two_rows_and_their_lines_cross_fewer(royal92):
    """royal92 (3,010 people): couples in two rows 858 → under 300; lines from parents to
    their join point 8,521 → 3,556 → under 3,800 (3,785: cousins who married may now
    stand apart, each with their own family, and the line from each to their children's
    join point is longer); lines crossing on the drawing 17,956 → 3,246 → under 3,200
    (3,098); the lines into children 800 → 580 → under 300 (72, with cousins free to
    stand apart and the couples with a partner's long line standing apart)."""
    case, result = royal92
    across = [u for u in result.unions if u.route == "across"]
    assert len(across) < 300
    assert _partner_crossings(case, result) < 3800
    assert len(line_crossings(result)) < 3200
    assert count_crossings(join_segments(result)) < 300


def test_a_4683_person_export_draws_its_couples_in_two_rows_closer(tmp_path):
    """The MyHeritage export (4,683 people): in the largest trees the ordering's sweeps
    pull a partner towards the other partner in another row (sweeps.PULL). Lines from
    parents to their join point 47,579 → 10,384 (generations) → under 9,500 (the pull);
    on the drawing 26,193 → 7,743 → 6,852 → under 6,300 (lanes above the sibling bars:
    5,929); lines into children 483 → 411."""
    import gzip

    from systemic.genogram.gedcom import load_gedcom

    path = tmp_path / "queen.ged"
    path.write_bytes(gzip.decompress((ROOT / "tests" / "data" / "gedcom" / "vendors"
                                      / "myheritage-utf8-queen.ged.gz").read_bytes()))
    case = load_gedcom(path)
    result = layout(case)
    assert _partner_crossings(case, result) < 9500
    assert len(line_crossings(result)) < 6300
    assert count_crossings(join_segments(result)) <= 450
