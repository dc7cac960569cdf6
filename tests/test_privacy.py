"""Nothing of a case stays in notebook files: the save hook strips what a session showed."""

from __future__ import annotations

import doctest

import nbformat

from systemic import privacy
from systemic.paths import NOTEBOOKS_DIR
from systemic.privacy import strip_before_save


def test_the_examples_run() -> None:
    assert doctest.testmod(privacy).failed == 0


def test_a_notebook_saved_after_a_session_keeps_only_the_script() -> None:
    nb = nbformat.read(NOTEBOOKS_DIR / "supervisor" / "session.ipynb", as_version=4)
    script = [c.source for c in nb.cells]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="Maya Adeyemi-Hart")]
            cell.execution_count = 4
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"Maya": 1}}
    model = {"type": "notebook", "content": nb}
    strip_before_save(model=model, path="x.ipynb", contents_manager=None)
    assert "Maya" not in nbformat.writes(nb)
    assert [c.source for c in nb.cells] == script


def test_other_files_are_left_alone() -> None:
    model = {"type": "file", "content": "Maya"}
    strip_before_save(model=model)
    assert model["content"] == "Maya"
