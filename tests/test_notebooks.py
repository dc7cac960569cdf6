"""Notebooks are facilitator's scripts with nothing of a case saved in them.

nbval runs them (``make test``); these tests check what is on disk.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from systemic.paths import NOTEBOOKS_DIR
from systemic.steps import steps

NOTEBOOKS = sorted(NOTEBOOKS_DIR.rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(NOTEBOOKS_DIR)))
def test_no_outputs_or_widget_state_are_kept_on_disk(path: Path) -> None:
    nb = _load(path)
    assert "widgets" not in nb.get("metadata", {}), "widget state holds typed case text"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(NOTEBOOKS_DIR)))
def test_a_notebook_reads_like_a_script_markdown_first_then_short_cells(path: Path) -> None:
    cells = _load(path)["cells"]
    assert cells[0]["cell_type"] == "markdown"
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines = [line for line in source.splitlines() if line.strip()]
            assert len(lines) <= 6, f"a notebook cell should be a line or two, not:\n{source}"
            assert "import ipywidgets as widgets" not in source


def test_the_supervisor_has_one_notebook_with_code_folded_away_and_a_first_line_to_begin() -> None:
    supervisor = sorted(p.name for p in (NOTEBOOKS_DIR / "supervisor").glob("*.ipynb"))
    assert supervisor == ["session.ipynb"]
    cells = _load(NOTEBOOKS_DIR / "supervisor" / "session.ipynb")["cells"]
    assert "Run All Cells" in "".join(cells[0]["source"])
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code and all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in code)
    shown = [c["source"] for c in code if "step(" in "".join(c["source"])]
    assert [ "".join(s) for s in shown] == [f'step("{s.id}")' for s in steps()]
    dashboards = sorted(p.name for p in (NOTEBOOKS_DIR / "dashboards").glob("*.ipynb"))
    assert "session.ipynb" in dashboards
    assert not any(p.startswith(("0", "supervisor")) for p in dashboards)
