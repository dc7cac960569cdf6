"""Specifications for the team manager's views (widgets/team.py)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pandas as pd
import pytest

import widgets.team as team_module
from benchmarks.synthetic import generate
from systemic.store import Store
from widgets.team import (
    actions_view,
    cases_view,
    export_view,
    graces_view,
    movement_view,
    sessions_view,
    summary_view,
    table_html,
    themes_view,
)

VIEWS = [summary_view, themes_view, graces_view, movement_view, cases_view, sessions_view,
         actions_view]


@pytest.fixture(scope="module")
def marked_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("team") / "s.db"
    generate(path, 60, seed=5, marker="Zebedee Quorthwaite")
    return path


def test_the_examples_in_the_module_run():
    result = doctest.testmod(team_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.__name__)
def test_each_view_shows_a_titled_table_or_plot_and_no_family_text(view, marked_store: Path):
    html = view(marked_store).value
    assert "<h3>" in html and ("<table" in html or "<img" in html)
    assert "quorthwaite" not in html.lower() and "zebedee" not in html.lower()


def test_plots_carry_a_text_alternative(marked_store: Path):
    html = graces_view(marked_store).value
    assert "<img src='data:image/png;base64," in html
    assert "alt='Which graces come up, and which never do." in html


@pytest.mark.parametrize("view", VIEWS[1:], ids=lambda v: v.__name__)
def test_an_empty_store_shows_a_kind_sentence_not_an_error(view, tmp_path: Path):
    Store.open(tmp_path / "empty.db").close()
    html = view(tmp_path / "empty.db").value
    assert "role='alert'" not in html
    assert "There is nothing to show yet" in html or "<table" in html


def test_tables_escape_every_cell_and_cut_long_ones_short():
    table = pd.DataFrame({"case_id": ["<script>x</script>"] * 25, "share_done_by_due": 0.5})
    html = table_html(table, "Cases")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<th scope='col'>Case</th>" in html and "<td>50%</td>" in html
    assert "Showing 20 of 25 rows." in html


def test_the_export_button_saves_every_table_as_csv(marked_store: Path, tmp_path: Path):
    box = export_view(marked_store, folder=tmp_path / "csv")
    button, message = box.children[2], box.children[3]
    button.click()
    assert "Saved 7 files" in message.value
    assert (tmp_path / "csv" / "case_returns.csv").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    box.children[1].value = str(blocker / "inside")
    button.click()
    assert "role='alert'" in message.value and "choose a folder" in message.value
