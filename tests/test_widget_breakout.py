"""The trainer's breakout groups form: it creates the workshop, or says kindly what to change."""

from __future__ import annotations

from pathlib import Path

from systemic.store import Store
from systemic.workshop.breakout import list_workshops
from widgets.breakout import BreakoutForm, breakout_groups_form, training_cases


def test_only_fictional_training_cases_are_offered() -> None:
    ids = [case_id for _, case_id in training_cases()]
    assert "blended_family" in ids and "kinship_care" in ids
    assert "blank" not in ids


def test_pressing_create_makes_the_workshop_and_lists_its_groups(tmp_path: Path) -> None:
    form = BreakoutForm(tmp_path / "workbook.db")
    form.name.value = "Tuesday <morning>"
    form.case.value = "kinship_care"
    form.groups.value = 4
    form.create_button.click()
    assert form.created is not None and len(form.created.group_session_ids) == 4
    assert "Tuesday &lt;morning&gt;" in form.message.value
    assert f"systemic-workbook plenary --workshop {form.created.id}" in form.message.value
    with Store.open(tmp_path / "workbook.db", readonly=True) as store:
        [workshop] = list_workshops(store)
    assert workshop.id == form.created.id and workshop.name == "Tuesday <morning>"


def test_a_missing_name_is_one_kind_sentence_and_nothing_is_created(tmp_path: Path) -> None:
    form = BreakoutForm(tmp_path / "workbook.db")
    form.create_button.click()
    assert "Give the workshop a short name" in form.message.value
    assert "role='alert'" in form.message.value
    assert form.created is None
    with Store.open(tmp_path / "workbook.db", readonly=True) as store:
        assert list_workshops(store) == []


def test_the_number_of_groups_is_limited_to_what_a_workshop_allows(tmp_path: Path) -> None:
    form = BreakoutForm(tmp_path / "workbook.db")
    assert (form.groups.min, form.groups.max) == (2, 12)


def test_the_notebook_cell_shows_the_form(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(tmp_path / "workbook.db"))
    view = breakout_groups_form()
    assert any(getattr(w, "description", "") == "Create the workshop" for w in view.children)


def test_the_trainer_is_told_how_groups_open_their_sessions_in_plain_words(tmp_path) -> None:
    from widgets.breakout import BreakoutForm

    form = BreakoutForm(tmp_path / "w.db")
    form.name.value = "Tuesday"
    form._create()
    said = form.message.value
    assert "The workshop “Tuesday” is ready" in said
    assert "&quot;Or carry on&quot;" in said or "&#34;Or carry on&#34;" in said
    assert "SYSTEMIC_WORKBOOK_SESSION" not in said  # no settings' names for a trainer


def test_the_plenary_command_names_a_store_that_is_not_the_usual_one(tmp_path) -> None:
    # The notebook's store came from a setting the trainer's terminal may not have: the
    # plenary, started as shown, looked for the workshop in the usual store and said
    # "There is no workshop …".
    from widgets.breakout import BreakoutForm

    form = BreakoutForm(tmp_path / "day one" / "w.db")
    form.name.value = "Tuesday"
    form._create()
    workshop = form.created.id
    assert (f"systemic-workbook plenary --workshop {workshop} --store "
            f"&#39;{tmp_path}/day one/w.db&#39;</code>") in form.message.value
