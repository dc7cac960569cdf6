"""Specifications for the team manager's views (widgets/team.py)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pandas as pd
import pytest

import widgets.team as team_module
from benchmarks.synthetic import generate
from systemic.store import Store
from widgets.charts import whole_number_ticks
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


# -- charts that read (issue 15, point 7) ---------------------------------------------------


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six sessions: every count is 0, 1 or 2, which once drew a 0.96–1.04 axis."""
    path = tmp_path_factory.mktemp("team-small") / "s.db"
    generate(path, 6, seed=5)
    return path


def _drawn(figure):  # type: ignore[no-untyped-def]
    figure.draw_without_rendering()  # places legends and ticks as they will be on the page
    return figure


def test_counts_sit_on_whole_number_axes_from_nought(small_store: Path):
    r = team_module.report(small_store)
    themes = r.themes_over_time.drop(columns="period").columns[:3].tolist()
    for figure, axis in [
        (team_module.themes_figure(r.themes_over_time, themes), "y"),
        (team_module.graces_figure(r.graces), "x"),
        (team_module.movement_figure(team_module.movement_over_time(r.movement)), "y"),
    ]:
        for axes in _drawn(figure).axes:
            assert whole_number_ticks(axes, axis)
            low, high = axes.get_ylim() if axis == "y" else axes.get_xlim()
            assert low == 0 and high >= 1


def test_no_series_shares_a_panel_where_its_markers_could_hide_another(small_store: Path):
    r = team_module.report(small_store)
    themes = r.themes_over_time.drop(columns="period").columns[:4].tolist()
    sessions = team_module.sessions_figure(team_module.sessions_over_time(r.per_session))
    for figure in (team_module.themes_figure(r.themes_over_time, themes), sessions):
        for axes in figure.axes:
            assert len(axes.lines) + len(axes.containers) == 1
    assert [a.get_title(loc="left") for a in sessions.axes] == [
        "Hypotheses per session", "Questions per session"]


def test_the_legend_stands_beside_the_bars_with_a_swatch_for_every_series(small_store: Path):
    r = team_module.report(small_store)
    figure = _drawn(team_module.movement_figure(team_module.movement_over_time(r.movement)))
    (axes,) = figure.axes
    legend = axes.get_legend()
    assert legend.get_window_extent().x0 >= axes.get_window_extent().x1
    drawn = {c.get_label() for c in axes.containers}
    swatches = {t.get_text() for t in legend.get_texts()}
    assert drawn == swatches == {"Someone moved", "No one moved"}
    assert len(legend.legend_handles) == 2


def test_months_are_written_in_words_on_axes_and_in_tables(small_store: Path):
    html = themes_view(small_store).value
    assert re.search(r"<td>(January|February|March|April|May|June|July|August|September|"
                     r"October|November|December) \d{4}</td>", html)
    assert not re.search(r"<td>\d{4}-\d{2}</td>", html)


@pytest.mark.parametrize("view", [themes_view, graces_view, movement_view, sessions_view,
                                  actions_view], ids=lambda v: v.__name__)
def test_every_chart_has_a_text_alternative_that_says_what_it_shows(view, small_store: Path):
    html = view(small_store).value
    alts = re.findall(r"<img [^>]*alt='([^']+)'", html)
    assert len(alts) == html.count("<img") == 1
    assert len(alts[0].split()) >= 12 and re.search(r"\d", alts[0])


def test_the_examples_in_the_chart_rules_run():
    import widgets.charts as charts

    result = doctest.testmod(charts)
    assert result.attempted >= 3 and result.failed == 0


def test_the_save_button_is_as_wide_as_its_words(marked_store: Path, tmp_path: Path):
    box = export_view(marked_store, folder=tmp_path / "csv")
    assert box.children[2].layout.width == "fit-content"  # not stretched across the page


def test_the_summary_writes_its_dates_in_words_under_its_own_headings(marked_store: Path):
    html = summary_view(marked_store).value
    head = re.findall(r"<th scope='col'>([^<]*)</th>", html)
    assert head == ["What", "How many, or when"]  # not the graces table's "Grace"
    first = re.search(r"<td>First session</td><td>([^<]*)</td>", html)
    assert first and re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", first.group(1))
    assert not re.search(r"<td>\d{4}-\d{2}-\d{2}</td>", html)


def test_an_empty_store_says_there_is_no_first_session_yet(tmp_path: Path):
    Store.open(tmp_path / "empty.db").close()
    html = summary_view(tmp_path / "empty.db").value
    assert "<td>First session</td><td>none yet</td>" in html


def test_a_file_given_as_the_folder_is_named_as_a_file(marked_store: Path, tmp_path: Path):
    box = export_view(marked_store, folder=tmp_path / "notes.txt")
    (tmp_path / "notes.txt").write_text("mine")
    box.children[2].click()
    assert f"{tmp_path / 'notes.txt'} is a file, not a folder" in box.children[3].value
    assert (tmp_path / "notes.txt").read_text() == "mine"  # left as it was
