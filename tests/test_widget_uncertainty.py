"""The safe uncertainty step, driven as a supervisor would: choose, place, read the prompts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import ipywidgets as ipw
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape as escape_html  # as the widgets' templates escape

from systemic.cases import Case, Person, load_case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.export import clean_text
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession, snapshot
from systemic.store import Store
from systemic.uncertainty import Placement, WindowPlacement, load_placements, load_uncertainty
from widgets.step_panel import walk
from widgets.uncertainty import (
    CELL_FILLS,
    MARK_COLOUR,
    TEXT_COLOUR,
    DisciplineWindowPanel,
    GridMark,
    UncertaintyPanel,
    grid_svg,
    mason_layout,
    uncertainty_step,
    window_layout,
)

HOSTILE = "<img/src=x/onerror=alert`1`>"


def _start(tmp_path: Path, case: Case | None = None, participants=DEMO_PARTICIPANTS,
           framework: str = "camden_practice_framework") -> SupervisorSession:
    store = Store.open(tmp_path / "workbook.db")
    return SupervisorSession.start(
        store,
        framework_id=framework,
        case=case or load_case(CASES_DIR / "blended_family.yaml"),
        participants=participants,
    )


def _contrast(foreground: str, background: str) -> float:
    """WCAG 2.2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# -- the picture --------------------------------------------------------------------------------


def test_every_cell_is_named_in_words_so_colour_is_never_the_only_cue() -> None:
    for layout in (mason_layout(), window_layout()):
        svg = grid_svg(layout, [])
        for cell in layout.cells:
            assert f">{escape(cell.label)}</text>" in svg
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


def test_text_and_markers_meet_wcag_aa_on_every_cell() -> None:
    for fill in CELL_FILLS.values():
        assert _contrast(TEXT_COLOUR, fill) >= 4.5
        assert _contrast(MARK_COLOUR, fill) >= 3.0


def test_mason_grid_puts_safe_above_unsafe_and_certain_on_the_left() -> None:
    cells = {c.id: (c.column, c.row) for c in mason_layout().cells}
    assert cells == {
        "safe_certainty": (0, 0), "safe_uncertainty": (1, 0),
        "unsafe_certainty": (0, 1), "unsafe_uncertainty": (1, 1),
    }
    window = {c.id: (c.column, c.row) for c in window_layout().cells}
    assert window == {"to": (0, 0), "with": (1, 0), "not": (0, 1), "for": (1, 1)}


def test_an_arrow_runs_from_now_to_hoped_only_when_they_differ() -> None:
    layout = mason_layout()
    moving = grid_svg(layout, [GridMark("Priya", "unsafe_uncertainty", "safe_uncertainty")])
    staying = grid_svg(layout, [GridMark("Priya", "safe_uncertainty", "safe_uncertainty")])
    assert moving.count('data-arrow="1"') == 1 and "Priya (hoped)" in moving
    assert 'data-arrow="1"' not in staying and "Priya (hoped to stay)" in staying


def test_the_description_says_the_grid_in_words() -> None:
    svg = grid_svg(mason_layout(), [GridMark("Mum", "unsafe_certainty", "safe_uncertainty")])
    desc = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and "Unsafe certainty: Mum." in (desc.text or "")
    assert "Safe uncertainty: nobody now; hoped for Mum." in (desc.text or "")


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
                    min_size=1, max_size=6),
    now=st.sampled_from(["safe_certainty", "unsafe_uncertainty"]),
)
def test_any_name_comes_out_literally_in_well_formed_svg(labels: list[str], now: str) -> None:
    svg = grid_svg(mason_layout(), [GridMark(label, now, "safe_uncertainty") for label in labels])
    root = ET.fromstring(svg)  # markup, control characters or quotes never break the picture
    desc = root.find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None
    for label in labels:
        assert clean_text(label).replace("\r", "\n") in (desc.text or "")


def test_a_crowded_cell_grows_and_the_svg_stays_well_formed() -> None:
    marks = [GridMark(f"Person {i}", "safe_certainty") for i in range(15)]
    svg = grid_svg(mason_layout(), marks)
    root = ET.fromstring(svg)  # raises if the markup is broken
    height = float(root.attrib["viewBox"].split()[3])
    assert height > 15 * 24


# -- the grid form ------------------------------------------------------------------------------


def test_placing_the_worker_now_and_hoped_is_saved_at_once(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = UncertaintyPanel(session)
    assert panel.who.value == "worker"  # the worker is offered first
    panel.now.value = "unsafe_uncertainty"
    panel.hoped.value = "safe_uncertainty"
    panel.note.value = "Priya is worried and on her own with it"
    [placed] = load_placements(session.store, session.discussion_id, "safe_uncertainty")
    assert isinstance(placed, Placement)
    assert (placed.who, placed.label, placed.now, placed.hoped) == (
        "worker", "Priya", "unsafe_uncertainty", "safe_uncertainty"
    )
    assert placed.note == "Priya is worried and on her own with it"
    assert "Priya" in panel.picture.value and "Priya" in panel.table.value


def test_family_members_and_the_network_can_each_be_placed(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = UncertaintyPanel(session)
    keys = [key for _, key in panel.who.options]
    assert {"maya", "network", "worker"} <= set(keys)
    for who, quadrant in (("maya", "safe_certainty"), ("network", "unsafe_certainty")):
        panel.who.value = who
        panel.now.value = quadrant
    stored = {p.who: p.now for p in load_placements(session.store, session.discussion_id)}
    assert stored == {"maya": "safe_certainty", "network": "unsafe_certainty"}


def test_choosing_someone_shows_their_placement_without_saving_again(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = UncertaintyPanel(session)
    panel.who.value = "maya"
    panel.now.value = "safe_certainty"
    panel.note.value = "She says home is fine"
    version = session.store.version()
    panel.who.value = "worker"
    assert panel.now.value == "" and panel.note.value == ""
    assert panel.now.label == "Not on the grid" and panel.hoped.label == "Not chosen yet"
    panel.who.value = "maya"
    assert panel.now.value == "safe_certainty" and panel.note.value == "She says home is fine"
    assert session.store.version() == version  # looking is not editing


def test_a_second_change_updates_the_placement_rather_than_adding_one(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = UncertaintyPanel(session)
    panel.now.value = "unsafe_uncertainty"
    panel.now.value = "safe_uncertainty"
    placements = load_placements(session.store, session.discussion_id)
    assert [p.now for p in placements] == ["safe_uncertainty"]


def test_not_on_the_grid_takes_someone_off(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = UncertaintyPanel(session)
    panel.now.value = "safe_certainty"
    panel.now.value = ""  # the menu's "Not on the grid"
    assert load_placements(session.store, session.discussion_id) == []
    assert "off the grid" in panel.message.value


def test_a_hope_without_a_now_waits_kindly_and_saves_nothing(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = UncertaintyPanel(session)
    panel.hoped.value = "safe_uncertainty"
    assert load_placements(session.store, session.discussion_id) == []
    assert "Choose where Priya is now" in panel.message.value


def test_the_caveat_is_always_on_screen(tmp_path: Path) -> None:
    panel = UncertaintyPanel(_start(tmp_path))
    caveat = escape_html(load_uncertainty().caveat.text)
    assert caveat in panel.intro.value and "not a risk assessment" in panel.intro.value
    panel.now.value = "unsafe_uncertainty"
    view = panel.view()
    assert panel.intro in view.children and caveat in panel.intro.value


def test_the_prompts_follow_the_chosen_part_of_the_grid_with_the_childs_name(
    tmp_path: Path,
) -> None:
    panel = UncertaintyPanel(_start(tmp_path))
    assert "Choose where they are now" in panel.prompts.value
    panel.now.value = "unsafe_uncertainty"
    assert "What do we urgently need to know to keep Maya safe today?" in panel.prompts.value
    panel.now.value = "safe_certainty"
    assert "What might we be missing because we feel sure?" in panel.prompts.value
    assert "keep Maya safe today" not in panel.prompts.value


def test_the_frameworks_own_wording_opens_the_step(tmp_path: Path) -> None:
    from systemic.frameworks import get_framework

    panel = UncertaintyPanel(_start(tmp_path, framework="north_somerset_practice_framework"))
    prompt = get_framework("north_somerset_practice_framework").prompt("uncertainty")
    assert escape_html(prompt.title) in panel.intro.value
    assert escape_html(prompt.guidance) in panel.intro.value
    assert "where 10 means everyone is confident Maya is safe" in panel.intro.value


# -- the social discipline window ---------------------------------------------------------------


def test_the_worker_and_family_relationship_is_placed_on_the_window(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = DisciplineWindowPanel(session)
    assert panel.who.value == "worker|family"
    panel.now.value = "to"
    panel.hoped.value = "with"
    [placed] = load_placements(session.store, session.discussion_id, "social_discipline_window")
    assert isinstance(placed, WindowPlacement)
    assert (placed.who, placed.towards, placed.now, placed.hoped) == (
        "worker", "family", "to", "with"
    )
    assert placed.label == "Priya and the family"
    assert "Where might we be doing things to the family rather than with them?" in (
        panel.prompts.value
    )
    assert 'data-arrow="1"' in panel.picture.value


def test_the_supervisor_and_worker_relationship_is_offered(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = DisciplineWindowPanel(session)
    labels = dict((key, label) for label, key in panel.who.options)
    assert labels["Sam|worker"] == "Sam (supervisor) and Priya"
    panel.who.value = "Sam|worker"
    panel.now.value = "for"
    [placed] = load_placements(session.store, session.discussion_id, "social_discipline_window")
    assert (placed.who, placed.towards) == ("Sam", "worker")
    assert "Where might we be doing things for Priya" in panel.prompts.value


def test_the_window_shows_what_the_framework_says_about_it(tmp_path: Path) -> None:
    panel = DisciplineWindowPanel(_start(tmp_path, framework="warwickshire_relational_practice"))
    assert "In your framework" in panel.intro.value
    other = DisciplineWindowPanel(_start(tmp_path / "c", framework="camden_practice_framework"))
    assert "In your framework" not in other.intro.value


def test_both_grids_keep_their_placements_apart(tmp_path: Path) -> None:
    session = _start(tmp_path)
    grid, window = UncertaintyPanel(session), DisciplineWindowPanel(session)
    grid.now.value = "safe_uncertainty"
    window.now.value = "with"
    assert "With" not in grid.table.value
    assert len(load_placements(session.store, session.discussion_id, "safe_uncertainty")) == 1
    assert len(
        load_placements(session.store, session.discussion_id, "social_discipline_window")
    ) == 1


# -- hostile text and the notebook entry point --------------------------------------------------


def test_hostile_text_is_escaped_in_every_html_value(tmp_path: Path) -> None:
    case = Case(
        id="hostile", title=HOSTILE, fictional=True, worker=HOSTILE, focal_child="amy",
        people=[Person(id="amy", name=HOSTILE, sex="female", born=2015)],
    )
    session = _start(tmp_path, case, participants=[{"name": HOSTILE, "role": "supervisor"}])
    for panel in (UncertaintyPanel(session), DisciplineWindowPanel(session)):
        for key in [k for _, k in panel.who.options]:
            panel.who.value = key
            panel.now.value = panel.now.options[1][1]
            panel.hoped.value = panel.hoped.options[2][1]
            panel.note.value = HOSTILE
        html = [w.value for w in walk(panel.view()) if isinstance(w, ipw.HTML)]
        assert any(escape_html(HOSTILE) in value for value in html)
        for value in html:
            assert HOSTILE not in value and "<img" not in value


def test_the_step_opens_the_running_session_without_moving_the_group() -> None:
    import os

    view = uncertainty_step()  # the training session conftest seeds for the notebooks
    assert isinstance(view, ipw.VBox)
    with Store.open(Path(os.environ["SYSTEMIC_WORKBOOK_STORE"]), readonly=True) as reader:
        snap = snapshot(reader, reader.running_session())
        assert snap is not None and snap.current_step != "uncertainty"


def test_without_a_session_the_step_says_so_in_one_kind_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(tmp_path / "empty.db"))
    view = uncertainty_step()
    assert isinstance(view, ipw.HTML)
    assert "role='alert'" in view.value and "no sessions yet" in view.value
