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


def test_kennedy_has_at_most_16_crossings_and_no_couple_split():
    from systemic.genogram.gedcom import load_gedcom

    case = load_gedcom(KENNEDY)
    result = layout(case)
    assert count_crossings(join_segments(result)) <= 16  # 17 before the re-homing pass
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
