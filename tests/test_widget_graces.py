"""The GRRAACCEESS step's widget, driven as a supervisor would, with the store as the record."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import ipywidgets as ipw
import pytest

import widgets.graces as widget_module
from systemic.cases import Case, parse_case
from systemic.dashboard import DashboardSettings, load_dashboard_settings, save_dashboard_settings
from systemic.frameworks import get_framework
from systemic.graces import GraceList, load_entries, load_grace_list, shareable
from systemic.session import SupervisorSession, snapshot
from systemic.store import Store
from widgets.graces import GracesStep, graces_step, set_share_staff_graces, share_staff_graces
from widgets.step_panel import walk

HOSTILE = "<img src=x onerror=alert(1)>"


def test_the_examples_in_the_module_run() -> None:
    result = doctest.testmod(widget_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2 and result.failed == 0


def _row(step: GracesStep, grace_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in step.rows if r.grace_id == grace_id)


SEEN_SPOKEN, SEEN_UNSPOKEN, UNSEEN_SHARED, NEITHER = (True, True), (True, False), (False, True), (
    False, False)
NOT_PLACED = (None, None)


def _cell(html: str, label: str) -> str:
    """The grid cell whose label is ``label``."""
    return next(td for td in html.split("<td>") if td.startswith(f"<em>{label}</em>"))


def test_the_framework_wording_is_at_the_top_and_follows_the_sessions_framework(
    store: Store, session: SupervisorSession
) -> None:
    camden = get_framework("camden_practice_framework").prompt("graces")
    step = GracesStep(session)
    assert camden.title in step.guidance.value
    assert "Leanne" in step.guidance.value  # {family_member} filled with a real name
    store.update_session(session.session_id, framework_id="north_somerset_practice_framework")
    somerset = get_framework("north_somerset_practice_framework").prompt("graces")
    again = GracesStep(session)
    assert somerset.title in again.guidance.value
    assert camden.title not in again.guidance.value


def test_the_usual_graces_are_shown_for_one_person_at_a_time(session: SupervisorSession) -> None:
    step = GracesStep(session)
    assert [r.grace_id for r in step.rows][:14] == GraceList().ids()
    people = dict((value, label) for label, value in step.person.options)
    assert {"leanne", "maya", "worker", "supervisor", "Tom"} <= set(people)
    assert "Priya" in people["worker"] and "Sam" in people["supervisor"]
    assert "Priya" not in people and "Sam" not in people  # each person once
    assert len(list(walk(step.view()))) < 150


def test_the_form_starts_from_what_the_family_shared_in_the_case(
    session: SupervisorSession, blended: Case
) -> None:
    step = GracesStep(session)
    step.person.value = "leanne"
    assert _row(step, "age").note.value == blended.person("leanne").graces["age"]
    assert _row(step, "age").place.value == NOT_PLACED
    step.person.value = "worker"
    assert _row(step, "age").note.value == ""
    assert load_entries(session.store, session.discussion_id) == []  # nothing saved by looking


def test_every_change_is_saved_at_once_to_one_record_per_person_and_grace(
    session: SupervisorSession,
) -> None:
    step = GracesStep(session)
    step.person.value = "leanne"
    _row(step, "class").place.value = SEEN_UNSPOKEN
    saved = load_entries(session.store, session.discussion_id)
    assert [(e.person, e.grace, e.visible, e.voiced) for e in saved] == [
        ("leanne", "class", True, False)
    ]
    assert "working class" in saved[0].note  # the family's own words kept with it
    _row(step, "class").note.value = "Named it herself at the first visit"
    saved = load_entries(session.store, session.discussion_id)
    assert len(saved) == 1
    assert (saved[0].voiced, saved[0].note) == (False, "Named it herself at the first visit")
    _row(step, "class").place.value = NOT_PLACED
    saved = load_entries(session.store, session.discussion_id)[0]
    assert (saved.visible, saved.voiced) == NOT_PLACED


def test_switching_person_shows_their_answers_and_saves_nothing(
    session: SupervisorSession,
) -> None:
    step = GracesStep(session)
    step.person.value = "worker"
    _row(step, "age").place.value = SEEN_SPOKEN
    version = session.store.version()
    step.person.value = "leanne"
    assert _row(step, "age").place.value == NOT_PLACED
    step.person.value = "worker"
    assert _row(step, "age").place.value == SEEN_SPOKEN
    assert session.store.version() == version


def test_staff_and_participants_graces_are_personal(session: SupervisorSession) -> None:
    step = GracesStep(session)
    for person in ("worker", "Tom", "leanne"):
        step.person.value = person
        _row(step, "religion").place.value = NEITHER
    saved = load_entries(session.store, session.discussion_id)
    assert {e.person: e.staff for e in saved} == {"worker": True, "Tom": True, "leanne": False}
    assert [e.person for e in shareable(saved)] == ["leanne"]


def test_a_grace_added_by_the_group_is_saved_and_gets_a_row(session: SupervisorSession) -> None:
    step = GracesStep(session)
    assert "Language" in step.new_grace.options  # the vocabulary's further graces are offered
    step.new_grace.value = "Care experience"
    step.new_description.value = "Having grown up in care"
    step.add_button.click()
    assert load_grace_list(session.store, session.discussion_id).label("care_experience") == (
        "Care experience"
    )
    assert step.rows[-1].grace_id == "care_experience" and step.new_grace.value == ""
    step.person.value = "worker"
    step.rows[-1].place.value = UNSEEN_SHARED
    assert load_entries(session.store, session.discussion_id)[0].grace == "care_experience"
    assert any(r.grace_id == "care_experience" for r in GracesStep(session).rows)
    step.new_grace.value = "care experience"
    step.add_button.click()
    assert "already on the list" in step.message.value
    step.new_grace.value = "  "
    step.add_button.click()
    assert "needs a name" in step.message.value


def test_the_grid_shows_who_sits_where(session: SupervisorSession) -> None:
    step = GracesStep(session)
    assert "No one yet" in _cell(step.grid_view.value, "Seen but not spoken about")
    step.person.value = "leanne"
    _row(step, "race").place.value = SEEN_UNSPOKEN
    cell = _cell(step.grid_view.value, "Seen but not spoken about")
    assert "Leanne" in cell and "Race" in cell
    assert "Leanne" not in _cell(step.grid_view.value, "Seen and spoken about")


def test_where_the_worker_and_the_family_differ_is_named(session: SupervisorSession) -> None:
    step = GracesStep(session)
    assert "Nothing to compare yet" in step.differences_view.value
    step.person.value = "worker"
    _row(step, "age").place.value = SEEN_SPOKEN
    step.person.value = "leanne"
    _row(step, "age").place.value = SEEN_UNSPOKEN
    view = step.differences_view.value
    assert "Priya and Leanne differ" in view and "power" in view


def test_burnhams_prompts_carry_the_familys_real_names(session: SupervisorSession) -> None:
    step = GracesStep(session)
    assert "If Maya read our notes" in step.prompts_view.value
    step.person.value = "ryan"
    _row(step, "gender").place.value = SEEN_SPOKEN
    assert "between you and Ryan" in step.prompts_view.value
    assert "{" not in step.prompts_view.value


def test_sharing_staff_graces_is_off_until_the_supervisor_ticks_it(
    session: SupervisorSession,
) -> None:
    step = GracesStep(session)
    assert step.share.value is False
    assert share_staff_graces(session.store, session.session_id) is False
    step.share.value = True
    assert share_staff_graces(session.store, session.session_id) is True
    assert GracesStep(session).share.value is True
    step.share.value = False
    assert share_staff_graces(session.store, session.session_id) is False
    assert load_dashboard_settings(session.store, session.session_id).share_staff_graces is False


def test_the_sharing_choice_is_the_dashboards_own_setting_and_keeps_the_others(
    session: SupervisorSession,
) -> None:
    save_dashboard_settings(session.store, session.session_id, DashboardSettings(labels="roles"))
    step = GracesStep(session)
    step.share.value = True
    settings = load_dashboard_settings(session.store, session.session_id)
    assert settings.share_staff_graces is True and settings.labels == "roles"
    assert len(session.store.records(session.session_id, "tag")) == 1  # replaced, not added


def test_the_sharing_choice_is_kept_per_session(store: Store, blended: Case) -> None:
    first = SupervisorSession.start(store, framework_id="camden_practice_framework", case=blended)
    second = SupervisorSession.start(store, framework_id="camden_practice_framework", case=blended)
    set_share_staff_graces(store, first.session_id, True)
    assert share_staff_graces(store, second.session_id) is False


def test_hostile_text_never_reaches_an_html_widget_unescaped(store: Store, blended: Case) -> None:
    data = blended.model_dump(mode="json", by_alias=True)
    data["worker"] = HOSTILE
    for person in data["people"]:
        if person["id"] == "leanne":
            person["name"] = f"Leanne ({HOSTILE}) Hart"
            person["graces"]["age"] = HOSTILE
    case = parse_case(data, "hostile test")
    session = SupervisorSession.start(
        store, framework_id="camden_social_work_charter", case=case,
        participants=[{"name": HOSTILE, "role": "supervisor"}, {"name": "Jo"}],
    )
    step = GracesStep(session)
    step.new_grace.value = HOSTILE
    step.add_button.click()
    for person in ("worker", "supervisor", "leanne"):
        step.person.value = person
        _row(step, "age").place.value = SEEN_SPOKEN if person == "leanne" else SEEN_UNSPOKEN
        _row(step, "age").note.value = HOSTILE
        step.rows[-1].place.value = NEITHER
    view = step.view()
    html = [w.value for w in walk(view) if isinstance(w, ipw.HTML)]
    html += [step.grid_view.value, step.differences_view.value, step.prompts_view.value]
    assert any("&lt;img" in value for value in html)  # the text is there, escaped
    assert not any("<img" in value for value in html)


def test_the_notebooks_call_opens_the_running_session_without_moving_the_group() -> None:
    widget = graces_step()  # the training session conftest seeds for the notebooks
    assert isinstance(widget, ipw.VBox)
    with Store.open(Path(os.environ["SYSTEMIC_WORKBOOK_STORE"]), readonly=True) as reader:
        snap = snapshot(reader, reader.running_session())
        assert snap is not None and snap.current_step != "graces"


def test_with_no_session_yet_the_step_says_so_kindly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(tmp_path / "empty.db"))
    monkeypatch.delenv("SYSTEMIC_WORKBOOK_SESSION", raising=False)
    widget = graces_step()
    assert isinstance(widget, ipw.HTML) and "Step 1 of the session notebook" in widget.value
    assert "Traceback" not in widget.value


# -- GRRAACCEESS in a few clicks (issue 15, point 2) ----------------------------------------


def test_one_list_of_graces_without_near_duplicates(session: SupervisorSession) -> None:
    step = GracesStep(session)
    labels = [r.place.description for r in step.rows]
    assert "Sexuality" in labels and "Sexual orientation" not in labels
    assert "Gender identity" not in labels + list(step.new_grace.options)
    assert len({label.split()[0][:5].casefold() for label in labels}) == len(labels)


def test_a_grace_is_placed_with_one_choice_not_rows_of_buttons(session: SupervisorSession) -> None:
    step = GracesStep(session)
    view = step.view()
    assert not [w for w in walk(view) if isinstance(w, ipw.ToggleButtons | ipw.Button)
                if getattr(w, "description", "") != "Add it to the list"]
    row = _row(step, "religion")
    assert [label for label, _ in row.place.options] == [
        "Not placed yet", "Seen and spoken about", "Seen but not spoken about",
        "Not seen but shared", "Neither seen nor spoken about"]
    step.person.value = "leanne"
    row.place.value = UNSEEN_SHARED  # one choice places it in Burnham's grid
    (saved,) = load_entries(session.store, session.discussion_id)
    assert (saved.grace, saved.visible, saved.voiced) == ("religion", False, True)
    # The choice is labelled with the grace's name, and says where it sits in words.
    assert row.place.description == "Religion" and row.place.label == "Not seen but shared"


def test_a_half_placed_grace_keeps_its_place_when_shown(session: SupervisorSession) -> None:
    from systemic.graces import GraceEntry, save_entry

    save_entry(session.store, session.discussion_id,
               GraceEntry(person="leanne", grace="age", visible=True))
    step = GracesStep(session)
    step.person.value = "leanne"
    assert _row(step, "age").place.value == (True, None)
    assert _row(step, "age").place.label.startswith("Seen; spoken about or not")
    (saved,) = load_entries(session.store, session.discussion_id)
    assert (saved.visible, saved.voiced) == (True, None)  # showing it changed nothing


def test_the_counts_say_plainly_what_is_left_to_do(session: SupervisorSession) -> None:
    step = GracesStep(session)
    step.person.value = "leanne"
    text, total = step.progress.value, len(step.rows)
    assert f"Leanne: 0 of {total} graces placed." in text
    assert "With a note from the case file but not placed yet:" in text
    assert "no need to place them all" in text and "No graces are placed yet." in text
    _row(step, "age").place.value = SEEN_SPOKEN
    _row(step, "class").place.value = SEEN_UNSPOKEN
    assert f"Leanne: 2 of {total} graces placed." in step.progress.value
    assert "Placed so far: Leanne 2." in step.progress.value
    assert "not placed yet" not in step.grid_view.value  # no puzzling count under the grid
    step.person.value = "worker"
    assert f"Priya: 0 of {total} graces placed." in step.progress.value


def test_a_grace_recorded_as_sexual_orientation_shows_as_sexuality(
    session: SupervisorSession,
) -> None:
    from systemic.graces import GraceEntry, save_entry

    save_entry(session.store, session.discussion_id,
               GraceEntry(person="leanne", grace="sexual_orientation", visible=False,
                          voiced=False, note="not discussed"))
    step = GracesStep(session)
    step.person.value = "leanne"
    assert _row(step, "sexuality").place.value == NEITHER
    assert _row(step, "sexuality").note.value == "not discussed"
