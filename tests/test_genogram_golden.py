"""Golden SVGs of the hard cases of GENOGRAM.md §3.3: the exact drawing, reviewed by eye once.

Each hard case (remarriage, both partners remarried, cousins marrying, an uncle
and his niece, adoption with known birth parents, a foster placement, twins, a
sibling married into another family, everything at once) is drawn and compared
with the SVG kept in ``tests/data/genogram_golden/``. The kept files were looked
at as PNGs when written. A change to the layout or the drawing that moves
anything shows here; if the change is meant, look at the new drawings and write
them again with::

    GENOGRAM_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/test_genogram_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from systemic.genogram.draw import draw_svg
from systemic.genogram.layout import find_overlaps, layout
from systemic.genogram.layout.checks import text_crossings
from tests import test_genogram_layout as hard

GOLDEN = Path(__file__).resolve().parent / "data" / "genogram_golden"
CASES = ("remarriage", "both_remarried", "cousins_marrying", "uncle_and_niece",
         "adoption_with_birth_parents", "foster_placement", "twins_family",
         "married_in_middle_child", "everything")


@pytest.mark.parametrize("name", CASES)
def test_the_hard_case_draws_as_its_golden_svg(name: str) -> None:
    case = getattr(hard, name)()
    svg = draw_svg(case, as_of=2026)
    path = GOLDEN / f"{name}.svg"
    if os.environ.get("GENOGRAM_GOLDEN_UPDATE"):
        path.write_text(svg, encoding="utf-8")
    assert path.exists(), f"no golden drawing for {name}: write it as this module says"
    assert svg == path.read_text(encoding="utf-8"), (
        f"{name} is drawn differently from {path.name}: look at the new drawing and, if it "
        "is right, write the golden files again (see this module's docstring)")


@pytest.mark.parametrize("name", CASES)
def test_the_golden_drawings_are_sound(name: str) -> None:
    result = layout(getattr(hard, name)())
    assert find_overlaps(result) == [] and text_crossings(result) == []
