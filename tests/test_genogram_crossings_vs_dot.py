"""Crossings as ``benchmarks/genogram.py`` counts them: a regression bound on kennedy, and
the couples-kept Graphviz variant really keeps couples side by side."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from systemic.cases import load_case
from systemic.genogram.layout import count_crossings, layout
from systemic.genogram.layout.checks import join_segments
from systemic.paths import CASES_DIR

ROOT = Path(__file__).resolve().parent.parent
KENNEDY = ROOT.parent / "shared" / "data" / "gedcom" / "kennedy.ged"
if not KENNEDY.exists():  # a worktree sits one level deeper than the main checkout
    KENNEDY = Path("/work/shared/data/gedcom/kennedy.ged")


def _bench():
    spec = importlib.util.spec_from_file_location("genogram_bench",
                                                  ROOT / "benchmarks" / "genogram.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["genogram_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_kennedy_has_at_most_6_crossings_and_no_couple_split():
    from systemic.genogram.gedcom import load_gedcom

    case = load_gedcom(KENNEDY)
    result = layout(case)
    # 17 before the re-homing pass, 16 before people with no parents drawn could stand
    # under another family's sibling bar (layout/seating.py).
    assert count_crossings(join_segments(result)) <= 6
    bench = _bench()
    gens = {p: place.generation for p, place in result.people.items()}
    xs = {p: place.x for p, place in result.people.items()}
    assert bench.couples_split(case, xs, gens) == 0


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is installed by make")
def test_dot_with_couples_kept_splits_no_couple():
    bench = _bench()
    case = load_case(CASES_DIR / "blended_family.yaml")
    result = layout(case)
    gens = {p: place.generation for p, place in result.people.items()}
    _ms, free = bench.run_dot(case, result.rows)
    _ms, kept = bench.run_dot(case, result.rows, kept=True)
    assert bench.couples_split(case, free, gens) > 0  # dot on its own splits some
    assert bench.couples_split(case, kept, gens) == 0
    chains = bench.partner_chains(case, result.rows)
    walk = ["kerry", "ryan", "leanne", "tunde", "amira"]
    assert sorted(map(tuple, chains)) == sorted(
        [("george", "patricia"), ("samuel", "folake"), tuple(walk)])


def test_someone_with_no_parents_drawn_may_stand_under_another_familys_bar():
    """On kennedy, a couple whose own parents are not in the file (a married-in partner's
    parents) stands among Joseph Kennedy's brothers and sisters: they have no line from
    above to cross, and their daughter's line then reaches her Kennedy husband without
    crossing the cousins' lines. Nobody with parents drawn stands inside the group."""
    from systemic.genogram.gedcom import load_gedcom

    case = load_gedcom(KENNEDY)
    result = layout(case)
    row = next(r for r in result.rows if "joseph-patrick-kennedy" in r)
    own = next(link.parents for link in case.parents if link.child == "joseph-patrick-kennedy")
    siblings = {link.child for link in case.parents if link.parents == own} & set(row)
    partners = {q for u in case.unions for q in u.partners
                if set(u.partners) & siblings}
    at = sorted(row.index(p) for p in siblings)
    inside = {row[k] for k in range(at[0], at[-1] + 1)} - siblings - partners
    with_parents = {link.child for link in case.parents}
    assert inside, "nobody stands among the brothers and sisters"
    assert not inside & with_parents, inside & with_parents
