"""Lines crossing on the drawing itself (checks.line_crossings), not only in the count the
ordering judges by: a sibling bar under another family's children, a parent link across
the line a child hangs by, a line threaded between two partners."""

from __future__ import annotations

from pathlib import Path

import pytest

from systemic.cases import load_case
from systemic.genogram.layout import layout
from systemic.genogram.layout.checks import line_crossings
from systemic.paths import CASES_DIR
from tests import test_genogram_layout as hard

ROOT = Path(__file__).resolve().parent.parent
KENNEDY = ROOT.parent / "shared" / "data" / "gedcom" / "kennedy.ged"
if not KENNEDY.exists():  # a worktree sits one level deeper than the main checkout
    KENNEDY = Path("/work/shared/data/gedcom/kennedy.ged")
VENDORS = ROOT / "tests" / "data" / "gedcom" / "vendors"


@pytest.mark.parametrize(("name", "most"), [("contextual_safeguarding", 0),
                                            ("blended_family", 1)])
def test_a_step_or_birth_parents_line_enters_the_child_from_its_own_side(name, most):
    """Elijah's step-father's line (contextual_safeguarding) and Ryan's lines to Kay and
    Maya (blended_family) reach the child from the side they come from, so they no
    longer cross the line the child hangs by just above the child (before: 1 and 3)."""
    result = layout(load_case(CASES_DIR / f"{name}.yaml"))
    assert len(line_crossings(result)) <= most, line_crossings(result)


def test_adopted_childs_birth_parents_line_does_not_cross_the_adoptive_line():
    result = layout(hard.adoption_with_birth_parents())
    assert line_crossings(result) == []


@pytest.mark.parametrize(("path", "most"), [(KENNEDY, 5),
                                            (VENDORS / "ftree-ansi-lord-of-the-rings.ged", 2),
                                            (VENDORS / "easytree-ibm-windows-kennedy.ged", 0)])
def test_sibling_bars_take_the_lane_where_they_cross_fewer_lines(path, most):
    """Of two families whose sibling bars overlap, the one whose lines would cross fewer
    of the other's goes on the upper lane (geometry.stack_bars). Before: kennedy 13,
    Lord of the Rings 8, the EasyTree Kennedy file 13."""
    from systemic.genogram.gedcom import load_gedcom

    result = layout(load_gedcom(path))
    assert len(line_crossings(result)) <= most
