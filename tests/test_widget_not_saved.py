"""A failed save says so in one kind line and keeps what was typed (issue 12, point 5).

The store is a real SQLite file made to refuse writes the way a real one does:
full (``PRAGMA max_page_count`` at its current size, so no page can be added)
or read-only (``PRAGMA query_only``; the tests run as root, for whom ``chmod``
does not stop a write). Nothing is mocked: SQLite itself raises.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from systemic.checkin import load_entries
from systemic.hypotheses import load_hypotheses
from systemic.questions.chosen import load_chosen
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.checkin import CheckInPanel
from widgets.hypotheses import HypothesesStep
from widgets.questions import QuestionsStep
from widgets.step_base import StepWidget

LONG = "Nan worries that Maya is quieter at school since the move. " * 25

FULL = "Not saved: the disk is full."
READ_ONLY = "Not saved: the session store can only be read here."


def _fill_disk(store: Store) -> None:
    """No page may be added, and the pages there are are filled up (with throwaway tags)."""
    conn = store._db
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    session_id = store.list_sessions()[0].id
    for size in (2000, 500, 100, 20, 1):
        for _ in range(200):
            try:
                store.put_record(session_id, "tag", {"record_type": "filler", "x": "x" * size})
            except Exception:  # SQLite refuses: this size no longer fits
                break


def _read_only(store: Store) -> None:
    store._db.execute("PRAGMA query_only = ON")


BREAKS: dict[str, tuple[Callable[[Store], None], str]] = {
    "full": (_fill_disk, FULL),
    "read-only": (_read_only, READ_ONLY),
}


@pytest.mark.parametrize("how", BREAKS)
def test_a_check_in_that_cannot_be_saved_says_so_and_keeps_the_words(
    session: SupervisorSession, how: str
) -> None:
    panel = CheckInPanel(session)
    assert isinstance(panel, StepWidget)
    speaker = panel.round.next_speaker()
    panel.text.value = LONG
    BREAKS[how][0](session.store)
    panel.say.click()
    assert BREAKS[how][1] in panel.message.value
    assert "Your text is still here" in panel.message.value
    assert "role='alert'" in panel.message.value
    assert panel.text.value == LONG and panel.round.next_speaker() == speaker
    assert load_entries(session.store, session.session_id) == []


@pytest.mark.parametrize("how", BREAKS)
def test_a_hypothesis_that_cannot_be_saved_says_so_and_stays_in_its_box(
    session: SupervisorSession, how: str
) -> None:
    step = HypothesesStep(session)
    BREAKS[how][0](session.store)
    step.text.value = LONG
    assert BREAKS[how][1] in step.message.value
    assert step.text.value == LONG
    assert load_hypotheses(session.store, session.discussion_id) == []


@pytest.mark.parametrize("how", BREAKS)
def test_a_question_that_cannot_be_chosen_says_so_and_is_not_shown_as_chosen(
    session: SupervisorSession, how: str
) -> None:
    step = QuestionsStep(session)
    question = step.shown()[0]
    BREAKS[how][0](session.store)
    step.choose_question(question)
    assert BREAKS[how][1].removesuffix(".") in step.message.value
    assert "Your text" not in step.message.value  # a click: nothing was typed
    assert step.chosen == {} and step.chosen_rows.children == ()
    assert not step.question_button(question).description.startswith("✓ Chosen")
    assert load_chosen(session.store, session.discussion_id) == []


@pytest.mark.parametrize("how", BREAKS)
def test_a_person_who_cannot_be_added_says_so_once_and_their_name_stays(
    session: SupervisorSession, how: str
) -> None:
    from widgets.genogram import GenogramEditorPanel

    panel = GenogramEditorPanel(session)
    before = panel.widget.svg
    panel.action.value = "add_person"
    panel.name.value = "Auntie Marcia"
    BREAKS[how][0](session.store)
    assert panel.make_change() is False
    said = panel.message.value
    assert BREAKS[how][1] in said and said.count("Not saved") == 1, said
    assert "Not changed, because" not in said  # not "Not changed…: Not saved: …"
    assert panel.name.value == "Auntie Marcia" and panel.widget.svg == before


def test_a_step_resumes_saving_once_the_store_takes_writes_again(
    session: SupervisorSession,
) -> None:
    panel = CheckInPanel(session)
    panel.text.value = "Tired but here"
    _read_only(session.store)
    panel.say.click()
    session.store._db.execute("PRAGMA query_only = OFF")
    panel.say.click()
    assert [e.text for e in load_entries(session.store, session.session_id)] == ["Tired but here"]
    assert panel.text.value == "" and panel.message.value == ""


def _typing_line(said: str, expected: str) -> None:
    """Typed words that failed to save: one kind line, saying the words are still here."""
    assert expected in said and "Your text is still here" in said, said
    assert said.count("Not saved") == 1 and "role='alert'" in said, said


def _no_typing_line(said: str, expected: str) -> None:
    """A click, tick or choice that failed: one kind line, and no talk of typed text."""
    assert expected in said and said.count("Not saved") == 1, said
    assert "role='alert'" in said or 'role="alert"' in said, said
    assert "text" not in said.lower().replace("role_alert", ""), said
    assert "copy it" not in said, said


def test_a_click_on_a_person_that_cannot_be_saved_does_not_talk_of_typed_text(
    session: SupervisorSession,
) -> None:
    from widgets.genogram import GenogramEditorPanel

    panel = GenogramEditorPanel(session)
    _read_only(session.store)  # a full disk still takes this change: it adds no page
    panel.select("maya")
    _no_typing_line(panel.message.value, "can only be read here — ask whoever runs")
    assert session.store.session(session.session_id).selected_person != "maya"


def test_a_tick_or_a_choice_that_cannot_be_saved_does_not_talk_of_typed_text(
    session: SupervisorSession,
) -> None:
    from widgets.graces import GracesStep
    from widgets.privacy import PrivacyPanel
    from widgets.themes import ThemesPanel

    themes, privacy = ThemesPanel(session), PrivacyPanel(session)
    _read_only(session.store)
    next(iter(themes.boxes.values())).value = True
    _no_typing_line(themes.message.value, "can only be read here — ask whoever runs")
    privacy.labels.value = "roles" if privacy.labels.value == "initials" else "initials"
    _no_typing_line(privacy.message.value, "can only be read here — ask whoever runs")
    graces = GracesStep(session)
    graces.share.value = not graces.share.value
    _no_typing_line(graces.message.value, "can only be read here — ask whoever runs")


def test_buttons_that_cannot_be_saved_do_not_talk_of_typed_text(
    session: SupervisorSession,
) -> None:
    """Ending the session and passing a turn are presses, not typing."""
    from widgets.hypotheses import CircularityPanel
    from widgets.note import CheckOutPanel

    check_out, circle = CheckOutPanel(session), CircularityPanel(session)
    _read_only(session.store)
    check_out.end.click()
    _no_typing_line(check_out.message.value, "can only be read here — ask whoever runs")
    assert session.store.session(session.session_id).ended is None
    circle.pass_button.click()
    _no_typing_line(circle.message.value, "can only be read here — ask whoever runs")


def test_a_pass_in_the_check_in_that_cannot_be_saved_does_not_talk_of_typed_text(
    session: SupervisorSession,
) -> None:
    """"They pass" is a press: the line does not say their text is still here."""
    panel = CheckInPanel(session)
    speaker = panel.round.next_speaker()
    _read_only(session.store)
    panel.skip.click()
    _no_typing_line(panel.message.value, "can only be read here — ask whoever runs")
    assert panel.round.next_speaker() == speaker
    assert load_entries(session.store, session.session_id) == []


def test_a_place_on_the_uncertainty_grid_that_cannot_be_saved_is_not_shown_as_made(
    session: SupervisorSession,
) -> None:
    """Choosing a cell is a choice: no talk of typed text, and the menu goes back."""
    from systemic.uncertainty import load_placements
    from widgets.uncertainty import UncertaintyPanel

    panel = UncertaintyPanel(session)
    cell = panel._cell_ids()[0]
    _read_only(session.store)
    panel.now.value = cell
    _no_typing_line(panel.message.value, "can only be read here — ask whoever runs")
    assert panel.now.value == "" and "Saved:" not in panel.message.value
    assert load_placements(session.store, session.discussion_id, panel.grid) == []


def test_a_note_on_the_uncertainty_grid_that_cannot_be_saved_stays_in_its_box(
    session: SupervisorSession,
) -> None:
    """The note is typed: the line says so, and the words stay."""
    from systemic.uncertainty import load_placements
    from widgets.uncertainty import UncertaintyPanel

    panel = UncertaintyPanel(session)
    panel.now.value = panel._cell_ids()[0]
    _read_only(session.store)
    panel.note.value = LONG
    _typing_line(panel.message.value, READ_ONLY)
    assert panel.note.value == LONG
    [stored] = load_placements(session.store, session.discussion_id, panel.grid)
    assert stored.note == ""


@pytest.mark.parametrize("said", [
    "database or disk is full", "attempt to write a readonly database", "database is locked",
    "disk I/O error", "database disk image is malformed", "something new",
])
def test_a_step_words_the_stores_own_errors_as_the_store_does(said: str) -> None:
    """One home for the words: a raw engine error reads as the store's own line."""
    import sqlite3

    from systemic.store.failures import not_saved
    from widgets.step_base import not_saved_text

    error = sqlite3.OperationalError(said)
    assert not_saved_text(error) == str(not_saved(error))
    assert not_saved_text(error, typed=False) == not_saved(error).untyped
    assert "text" not in not_saved_text(error, typed=False).lower()


def _grace_row(step, grace_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in step.rows if r.grace_id == grace_id)


def test_a_place_for_a_grace_that_cannot_be_saved_goes_back_to_what_is_stored(
    session: SupervisorSession,
) -> None:
    """Choosing where a grace sits is a choice: no talk of typed text, and the menu goes back."""
    from systemic.graces import load_entries as load_graces
    from widgets.graces import GracesStep

    step = GracesStep(session)
    step.person.value = "leanne"
    row = _grace_row(step, "class")
    row.place.value = (True, False)  # saved while the store takes writes
    _read_only(session.store)
    row.place.value = (False, True)
    _no_typing_line(step.message.value, "can only be read here — ask whoever runs")
    assert row.place.value == (True, False)
    [stored] = load_graces(session.store, session.discussion_id)
    assert (stored.visible, stored.voiced) == (True, False)


@pytest.mark.parametrize("how", BREAKS)
def test_a_note_on_a_grace_that_cannot_be_saved_stays_in_its_box(
    session: SupervisorSession, how: str
) -> None:
    from systemic.graces import load_entries as load_graces
    from widgets.graces import GracesStep

    step = GracesStep(session)
    step.person.value = "worker"
    BREAKS[how][0](session.store)
    _grace_row(step, "age").note.value = LONG[:1500]
    _typing_line(step.message.value, BREAKS[how][1])
    assert _grace_row(step, "age").note.value == LONG[:1500]
    assert load_graces(session.store, session.discussion_id) == []


def test_a_new_grace_that_cannot_be_saved_keeps_its_words_and_can_be_tried_again(
    session: SupervisorSession,
) -> None:
    """Its name and description stay; once the store takes writes, the same words go in."""
    from systemic.graces import load_grace_list
    from widgets.graces import GracesStep

    step = GracesStep(session)
    step.new_grace.value, step.new_description.value = "Care experience", "Grew up in care"
    _read_only(session.store)
    step.add_button.click()
    _typing_line(step.message.value, READ_ONLY)
    assert (step.new_grace.value, step.new_description.value) == (
        "Care experience", "Grew up in care")
    assert all(r.grace_id != "care_experience" for r in step.rows)
    session.store._db.execute("PRAGMA query_only = OFF")
    step.add_button.click()
    assert "already on the list" not in step.message.value, step.message.value
    assert "care_experience" in load_grace_list(session.store, session.discussion_id).ids()
    assert any(r.grace_id == "care_experience" for r in step.rows)


@pytest.mark.parametrize("how", BREAKS)
def test_a_new_wording_that_cannot_be_saved_stays_in_its_box(
    session: SupervisorSession, how: str
) -> None:
    """Rewording an idea is typed: the line says the words are still here, and they are."""
    step = HypothesesStep(session)
    step.text.value = "Dad is the problem"
    wording = "I wonder whether Dad and Ryan both feel pushed out"
    step.revision.value = wording
    BREAKS[how][0](session.store)
    step.revise_button.click()
    _typing_line(step.message.value, BREAKS[how][1])
    assert step.revision.value == wording
    assert [h.text for h in load_hypotheses(session.store, session.discussion_id)
            if h.status == "active"] == ["Dad is the problem"]


def test_keeping_an_idea_from_the_group_that_cannot_be_saved_is_not_shown_as_kept(
    session: SupervisorSession,
) -> None:
    """The tick goes back: the box never says 'kept from the group' while the group sees it."""
    from systemic.dashboard import SessionView

    step = HypothesesStep(session)
    step.text.value = "I wonder whether the worker is frightened of Dad"
    step.share_button.click()
    _read_only(session.store)
    step.keep_from_group.value = True
    _no_typing_line(step.message.value, READ_ONLY.removesuffix("."))  # a tick: nothing typed
    assert step.keep_from_group.value is False
    assert step.text.value == "I wonder whether the worker is frightened of Dad"
    [stored] = load_hypotheses(session.store, session.discussion_id)
    assert not stored.kept_from_group
    assert "frightened" in str(SessionView(session.store, session.session_id).read())


@pytest.mark.parametrize("how", BREAKS)
def test_graces_chosen_for_an_idea_that_cannot_be_saved_go_back(
    session: SupervisorSession, how: str
) -> None:
    """Each choice is saved at once, on its own: a refused one goes back to what is stored.

    The line talks of no typed text (nothing was typed), and the idea's words stay.
    """
    step = HypothesesStep(session)
    words = "I wonder whether Mum feels judged by the worker"
    step.text.value = words
    step.share_button.click()
    step.graces.value = ("gender",)
    [stored] = load_hypotheses(session.store, session.discussion_id)
    assert stored.graces_considered == ["gender"]
    BREAKS[how][0](session.store)
    step.graces.value = tuple(v for _, v in step.graces.options)  # more than a page can take
    _no_typing_line(step.message.value, BREAKS[how][1].removesuffix("."))
    assert step.graces.value == ("gender",)
    assert step.text.value == words
    [still] = load_hypotheses(session.store, session.discussion_id)
    assert still.graces_considered == ["gender"]


def test_people_chosen_by_hand_for_an_idea_that_cannot_be_saved_go_back(
    session: SupervisorSession,
) -> None:
    """Adding or taking out a person is a choice saved at once: refused, it goes back, so
    a later save (more words once the store takes writes) does not quietly keep it.

    Read-only only: one more person is a few bytes, which a full page may still take.
    """
    step = HypothesesStep(session)
    words = "I wonder whether Mum feels judged by the worker"
    step.text.value = words
    step.share_button.click()
    [stored] = load_hypotheses(session.store, session.discussion_id)
    people = list(stored.people_involved)
    assert "leanne" in people and "tunde" not in people
    _read_only(session.store)
    step.add_person_involved("tunde")
    _no_typing_line(step.message.value, READ_ONLY.removesuffix("."))
    assert step.people_chosen == people
    assert "tunde" in [v for _, v in step.add_person.options]
    step.remove_person("leanne")
    _no_typing_line(step.message.value, READ_ONLY.removesuffix("."))
    assert step.people_chosen == people
    assert [w.description for w in step.people_box.children][0] == "Leanne Hart"
    assert step.text.value == words
    [still] = load_hypotheses(session.store, session.discussion_id)
    assert still.people_involved == people
    session.store._db.execute("PRAGMA query_only = OFF")
    step.text.value = words + ", as Mum said"
    [later] = load_hypotheses(session.store, session.discussion_id)
    assert later.text.endswith("as Mum said") and later.people_involved == people
