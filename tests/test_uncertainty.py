"""Specifications for the safe-uncertainty grid and the social discipline window."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from systemic.cases import Case, Person
from systemic.errors import DataFileError, WorkbookError
from systemic.paths import VOCABULARIES_DIR
from systemic.records import save
from systemic.store import Store
from systemic.uncertainty import (
    QUADRANTS,
    WINDOW_CELLS,
    Placement,
    WindowPlacement,
    caveat,
    load_placements,
    load_uncertainty,
    movement,
    placement_choices,
    quadrant_at,
    save_placement,
    window_cell_at,
)


def _case() -> Case:
    return Case(
        id="hart",
        title="Maya between two homes",
        fictional=True,
        worker="Priya",
        focal_child="maya",
        people=[
            Person(id="maya", name="Maya Hart", sex="female", born=2017),
            Person(id="lisa", name="Lisa Hart", sex="female", born=1990),
            Person(id="george", name="George Hart", sex="male", born=1949, died="2023-02"),
        ],
    )


@pytest.fixture
def discussion(tmp_path: Path):
    store = Store.open(tmp_path / "w.db")
    session_id = store.create_session(
        "Group", "camden_practice_framework",
        participants=[{"name": "Sam", "role": "supervisor"},
                      {"name": "Priya", "role": "presenter"}],
    )
    discussion_id = store.add_discussion(session_id, _case())
    yield store, discussion_id
    store.close()


# --- the wording is data ----------------------------------------------------------------------


def test_the_grid_has_masons_four_positions_each_with_prompts_and_a_source():
    vocabulary = load_uncertainty()
    assert {p.id for p in vocabulary.positions} == set(QUADRANTS)
    for position in vocabulary.positions:
        assert len(position.prompts) >= 2 and position.source and position.summary


def test_the_caveat_says_it_is_a_reflective_lens_not_a_risk_assessment_and_cites_mckenny():
    assert "reflective lens, not a risk assessment" in caveat().text
    assert "McKenny" in caveat().source


def test_prompts_name_the_child_when_the_child_is_given():
    prompts = load_uncertainty().position("unsafe_uncertainty").filled_prompts(child="Maya")
    assert any("keep Maya safe" in p for p in prompts)
    assert not any("{" in p for p in prompts)


def test_the_window_has_with_to_for_and_not_by_challenge_and_support():
    window = load_uncertainty().window
    cells = {c.id: (c.challenge_high, c.support_high) for c in window.cells}
    assert cells == {"with": (True, True), "to": (True, False), "for": (False, True),
                     "not": (False, False)}
    assert set(cells) == set(WINDOW_CELLS)
    prompt = load_uncertainty().cell("to").filled_prompts(person="Lisa")[0]
    assert "Lisa" in prompt


def _copy_with(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((VOCABULARIES_DIR / "uncertainty.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "uncertainty.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_position_marked_in_the_wrong_square_is_refused_naming_the_fix(tmp_path):
    def swap(data):
        data["positions"][0]["safe"] = False
    with pytest.raises(DataFileError, match="positions") as e:
        load_uncertainty(_copy_with(tmp_path, swap))
    assert "uncertainty.yaml" in str(e.value)


def test_a_prompt_with_an_unknown_blank_is_refused(tmp_path):
    def blank(data):
        data["positions"][1]["prompts"].append("What does {mother} think?")
    with pytest.raises(DataFileError, match=r"\{mother\} is not a blank"):
        load_uncertainty(_copy_with(tmp_path, blank))


# --- placements --------------------------------------------------------------------------------


def test_a_point_on_the_grid_falls_in_one_position():
    assert quadrant_at(0.9, 0.9) == "safe_uncertainty"
    assert quadrant_at(0.1, 0.9) == "safe_certainty"
    assert quadrant_at(0.1, 0.1) == "unsafe_certainty"
    assert quadrant_at(0.9, 0.1) == "unsafe_uncertainty"
    assert window_cell_at(0.1, 0.1) == "not"


def test_a_fine_position_must_lie_in_the_square_chosen():
    Placement(who="worker", now="safe_uncertainty", x=0.7, y=0.8)
    Placement(who="worker", now="safe_uncertainty", x=0.5, y=0.5)
    with pytest.raises(ValidationError, match="lies outside safe uncertainty"):
        Placement(who="worker", now="safe_uncertainty", x=0.2, y=0.8)
    with pytest.raises(ValidationError, match="outside 'With'"):
        WindowPlacement(who="worker", now="with", x=0.1, y=0.9)


def test_a_fine_position_is_between_0_and_1():
    with pytest.raises(ValidationError):
        Placement(who="worker", now="safe_uncertainty", x=1.5, y=0.8)


def test_the_choices_are_living_family_members_the_worker_the_network_and_the_group():
    from systemic.store.model import Participant

    choices = placement_choices(_case(), [Participant("Sam", "supervisor")])
    assert [c.who for c in choices] == ["maya", "lisa", "worker", "network", "Sam"]
    assert choices[0].label == "Maya" and choices[2].label == "Priya"


def test_placements_on_both_grids_are_saved_and_read_back_apart(discussion):
    store, discussion_id = discussion
    mason = save_placement(store, discussion_id, Placement(
        who="lisa", label="Lisa", now="unsafe_certainty", hoped="safe_uncertainty",
        note="She is sure Dad started it"))
    window = save_placement(store, discussion_id, WindowPlacement(
        who="worker", towards="lisa", label="Priya and Lisa", now="for", hoped="with"))
    assert mason.id and window.id
    assert load_placements(store, discussion_id, "safe_uncertainty") == [mason]
    assert load_placements(store, discussion_id, "social_discipline_window") == [window]
    assert load_placements(store, discussion_id) == [mason, window]


def test_moving_someone_replaces_their_placement(discussion):
    store, discussion_id = discussion
    first = save_placement(store, discussion_id, Placement(who="worker", now="unsafe_uncertainty"))
    save_placement(store, discussion_id, first.model_copy(update={"now": "safe_uncertainty"}))
    [only] = load_placements(store, discussion_id)
    assert only.now == "safe_uncertainty"


def test_placing_someone_who_is_not_in_the_case_or_group_is_refused(discussion):
    store, discussion_id = discussion
    with pytest.raises(WorkbookError, match="'stranger' is no one in this case"):
        save_placement(store, discussion_id, Placement(who="stranger", now="safe_certainty"))
    with pytest.raises(WorkbookError, match="'ghost'"):
        save_placement(store, discussion_id, WindowPlacement(who="worker", towards="ghost",
                                                             now="with"))


def test_an_unreadable_stored_placement_is_named_not_a_traceback(discussion):
    store, discussion_id = discussion
    store.put_record(discussion_id, "placement", {"who": "lisa", "now": "somewhere"})
    with pytest.raises(WorkbookError, match="placement .*: now"):
        load_placements(store, discussion_id)


def test_an_unknown_grid_is_refused(discussion):
    store, discussion_id = discussion
    with pytest.raises(WorkbookError, match="not a grid"):
        load_placements(store, discussion_id, "johari")


def test_records_saved_through_the_generic_bridge_load_too(discussion):
    store, discussion_id = discussion
    save(store, discussion_id, "placement", Placement(who="network", now="safe_certainty"))
    assert load_placements(store, discussion_id)[0].who == "network"


# --- movement between sessions -----------------------------------------------------------------


def test_movement_says_who_moved_and_whether_they_reached_the_hoped_position():
    before = [
        Placement(who="lisa", label="Lisa", now="unsafe_certainty", hoped="safe_uncertainty"),
        Placement(who="worker", label="Priya", now="unsafe_uncertainty", hoped="safe_uncertainty"),
        WindowPlacement(who="worker", towards="lisa", label="Priya and Lisa", now="to"),
        Placement(who="network", label="The network", now="safe_certainty"),
    ]
    after = [
        Placement(who="lisa", label="Lisa", now="safe_uncertainty"),
        Placement(who="worker", label="Priya", now="unsafe_uncertainty"),
        WindowPlacement(who="worker", towards="lisa", label="Priya and Lisa", now="with"),
        Placement(who="maya", label="Maya", now="safe_certainty"),
    ]
    moves = {(m.grid, m.who): m for m in movement(before, after)}
    lisa = moves[("safe_uncertainty", "lisa")]
    assert lisa.moved and lisa.reached_hope
    assert lisa.sentence() == (
        "Lisa moved from unsafe certainty to safe uncertainty, where the group hoped."
    )
    worker = moves[("safe_uncertainty", "worker")]
    assert not worker.moved and not worker.reached_hope
    assert worker.sentence() == "Priya stayed in unsafe uncertainty."
    window = moves[("social_discipline_window", "worker")]
    assert (window.before, window.after) == ("to", "with")
    assert moves[("safe_uncertainty", "network")].after is None
    assert "first time" in moves[("safe_uncertainty", "maya")].sentence()
    assert "not placed this time" in moves[("safe_uncertainty", "network")].sentence()
