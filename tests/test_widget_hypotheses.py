"""The hypotheses step and the circularity round, driven as a supervisor would."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import ipywidgets as ipw
import pytest

import widgets.hypotheses as widget_module
from systemic.cases import Case, parse_case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.frameworks import get_framework
from systemic.graces import GraceList, save_custom_grace
from systemic.hypotheses import Feedback, load_hypotheses, load_rounds
from systemic.session import SupervisorSession, snapshot
from systemic.store import Store
from widgets.hypotheses import (
    CircularityPanel,
    CoachFeedback,
    HypothesesStep,
    circularity_exercise,
    coach_html,
    hypotheses_step,
)
from widgets.step_panel import walk

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def session(store: Store, blended: Case) -> SupervisorSession:
    """Like conftest's, but on Camden's Social Work Charter instead of its practice framework."""
    return SupervisorSession.start(
        store, framework_id="camden_social_work_charter", case=blended,
        participants=DEMO_PARTICIPANTS,
    )


def test_the_examples_in_the_module_run() -> None:
    result = doctest.testmod(widget_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2 and result.failed == 0


def _type(step: HypothesesStep, text: str) -> None:
    """Type ``text`` a few characters at a time, as the browser sends it."""
    for end in range(4, len(text) + 4, 4):
        step.text.value = text[:end]


def _saved(session: SupervisorSession):  # type: ignore[no-untyped-def]
    return load_hypotheses(session.store, session.discussion_id)


# --- the hypotheses ---------------------------------------------------------------------------


def test_the_framework_wording_is_at_the_top_and_follows_the_sessions_framework(
    store: Store, session: SupervisorSession
) -> None:
    charter = get_framework("camden_social_work_charter").prompt("hypotheses")
    assert charter.title in HypothesesStep(session).guidance.value
    store.update_session(session.session_id, framework_id="warwickshire_relational_practice")
    warwickshire = get_framework("warwickshire_relational_practice").prompt("hypotheses")
    again = HypothesesStep(session).guidance.value
    assert warwickshire.title in again and charter.title not in again
    assert "Maya" in again  # {child} filled with the child's name


def test_an_idea_is_saved_as_it_is_typed_into_one_record(session: SupervisorSession) -> None:
    step = HypothesesStep(session)
    step.author.value = "Tom"
    assert _saved(session) == []  # nothing to keep until there are words
    _type(step, "I wonder whether Maya carries messages between the two homes")
    saved = _saved(session)
    assert len(saved) == 1
    assert saved[0].text == "I wonder whether Maya carries messages between the two homes"
    assert saved[0].author == "Tom" and saved[0].status == "active"
    assert step.chooser.value == saved[0].id


def test_the_coachs_feedback_changes_as_the_text_changes(session: SupervisorSession) -> None:
    step = HypothesesStep(session)
    _type(step, "Mum is clearly the problem")
    first = step.feedback.value
    assert "sounds certain" in first and "rests on one person" in first
    step.text.value = "I wonder whether Mum and Dad keep Maya in the middle between them"
    second = step.feedback.value
    assert second != first and "sounds certain" not in second
    good, invite = second.split("Something to wonder about")
    assert "Nicely tentative" in good and "wb-coach-good" in good
    assert "Nicely tentative" not in invite and "wb-coach-invite" in invite


def test_the_coach_speaks_in_a_live_region_that_stays_on_the_page() -> None:
    esm = CoachFeedback._esm
    assert 'setAttribute("aria-live", "polite")' in esm
    assert "region.innerHTML" in esm and "el.appendChild(region)" in esm  # made once, refilled
    assert "http" not in esm and "import " not in esm


def test_encouragements_and_invitations_are_listed_apart_and_escaped() -> None:
    html = coach_html([
        Feedback(rule_id="tentative", severity="note", message="Kind <b>", positive=True),
        Feedback(rule_id="certainty", severity="gentle", message="Wonder <i>"),
    ])
    assert html.index("Kind &lt;b&gt;") < html.index("Something to wonder about")
    assert html.index("Wonder &lt;i&gt;") > html.index("Something to wonder about")
    assert "<b>" not in html and "<i>" not in html


def test_people_involved_follow_the_words_and_keep_the_supervisors_choices(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    _type(step, "Perhaps when Mum and Nan talk about grandad George, Maya goes quiet")
    # "grandad George" is George only, not the other grandfather too.
    assert step.people_chosen == ["leanne", "patricia", "george", "maya"]
    assert _saved(session)[0].people_involved == step.people_chosen
    chips = [w.description for w in step.people_box.children]
    assert chips == ["Leanne Hart", "Patricia Hart", "George Hart", "Maya Adeyemi-Hart"]
    step.people_box.children[1].click()  # take Nan out by hand
    step.add_person.value = "worker"  # and add the worker
    assert _saved(session)[0].people_involved == ["leanne", "george", "maya", "worker"]
    assert "worker" not in [v for _, v in step.add_person.options]
    _type(step, "Perhaps when Mum and Nan talk about grandad George, Maya goes quiet, and Dad"
                " too")
    # The new words bring Dad; Nan stays out and the worker stays in, as chosen by hand.
    assert step.people_chosen == ["leanne", "george", "maya", "tunde", "worker"]
    _type(step, "Perhaps Dad worries about Maya")
    assert step.people_chosen == ["tunde", "maya", "worker"]  # whoever the words dropped, goes


def test_a_reworded_idea_takes_its_people_from_its_new_words(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    _type(step, "Perhaps Mum and Ryan argue about money")
    step.revision.value = "Perhaps Mum and Dad both worry that Maya is unhappy"
    step.revise_button.click()
    new = [h for h in _saved(session) if h.status == "active"]
    assert [h.people_involved for h in new] == [["leanne", "tunde", "maya"]]
    assert step.people_chosen == ["leanne", "tunde", "maya"]

def test_evidence_unknowns_and_graces_are_kept_one_item_a_line(
    session: SupervisorSession,
) -> None:
    save_custom_grace(session.store, session.discussion_id,
                      GraceList().add_custom_grace("Care experience"))
    step = HypothesesStep(session)
    assert ("Care experience", "care_experience") in step.graces.options
    _type(step, "Maybe the handovers feel unsafe to everyone")
    step.evidence_for.value = "Tearful on Mondays\n\n  Scared of handover days "
    step.evidence_against.value = "Happy at Dad's flat"
    step.unknowns.value = "What does Kay think?\nWhat does Amira see?"
    step.graces.value = ("gender", "care_experience")
    h = _saved(session)[0]
    assert h.evidence_for == ["Tearful on Mondays", "Scared of handover days"]
    assert h.evidence_against == ["Happy at Dad's flat"]
    assert h.unknowns == ["What does Kay think?", "What does Amira see?"]
    assert h.graces_considered == ["gender", "care_experience"]
    assert "No graces are considered" not in step.feedback.value


def test_a_revised_idea_keeps_the_old_wording_beside_the_new(session: SupervisorSession) -> None:
    step = HypothesesStep(session)
    _type(step, "Dad is the problem")
    step.evidence_for.value = "Pushed Ryan at the gate"
    step.revision.value = ""
    step.revise_button.click()
    assert "empty" in step.message.value and len(_saved(session)) == 1
    step.revision.value = "I wonder whether Dad and Ryan both feel pushed out"
    step.revise_button.click()
    old, new = _saved(session)
    assert (old.text, old.status) == ("Dad is the problem", "revised")
    assert (new.status, new.revised_from) == ("active", old.id)
    assert new.evidence_for == ["Pushed Ryan at the gate"]
    assert step.text.value == new.text and "Dad is the problem" in step.status.value
    step.chooser.value = old.id
    assert step.text.disabled and step.revise_button.disabled  # the old wording stays as it was


def test_an_idea_set_aside_is_kept_and_can_be_brought_back(session: SupervisorSession) -> None:
    step = HypothesesStep(session)
    _type(step, "Perhaps Nan holds the family together")
    step.set_aside_button.click()
    assert [h.status for h in _saved(session)] == ["set_aside"]
    assert "set aside" in step.status.value and step.text.disabled
    step.bring_back_button.click()
    assert [h.status for h in _saved(session)] == ["active"]


def test_choosing_an_earlier_idea_edits_that_one_and_a_new_idea_starts_blank(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    _type(step, "First idea about the two homes")
    step.new_button.click()
    assert step.text.value == "" and step.chooser.value == ""
    _type(step, "Second idea about Grandad's death")
    first, second = _saved(session)
    step.chooser.value = first.id
    assert step.text.value == first.text
    step.unknowns.value = "How Maya remembers him"
    first_again, second_again = _saved(session)
    assert first_again.unknowns == ["How Maya remembers him"] and second_again.unknowns == []


def test_fewer_than_three_ideas_gets_a_note_that_goes_at_three(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    assert "0 of at least 3" in step.overview.value
    for text in ("Perhaps the first idea", "Perhaps a second idea", "Perhaps a third idea"):
        step.new_button.click()
        _type(step, text)
    assert "at least 3" not in step.overview.value
    assert step.overview.value.count("<tr>") == 4  # a header and three ideas
    assert "at least 3" not in step.feedback.value  # said once, by the list


def test_hostile_text_never_reaches_an_html_widget_unescaped(store: Store, blended: Case) -> None:
    data = blended.model_dump(mode="json", by_alias=True)
    data["worker"] = HOSTILE
    for person in data["people"]:
        if person["id"] == "leanne":
            person["name"] = f"Leanne ({HOSTILE}) Hart"
    case = parse_case(data, "hostile test")
    session = SupervisorSession.start(
        store, framework_id="camden_social_work_charter", case=case,
        participants=[{"name": HOSTILE}, {"name": "Jo"}],
    )
    step = HypothesesStep(session)
    step.author.value = HOSTILE
    _type(step, f"{HOSTILE} is clearly the problem")
    step.evidence_for.value = HOSTILE
    step.revision.value = f"I wonder whether {HOSTILE} and Mum"
    step.revise_button.click()
    panel = CircularityPanel(session)
    panel.text.value = HOSTILE
    panel.add_button.click()
    panel.to_hypotheses.click()
    html = [w.value for view in (step.view(), panel.view()) for w in walk(view)
            if isinstance(w, ipw.HTML | CoachFeedback)]
    assert step.feedback.value in html
    assert any("&lt;img" in value for value in html)
    assert not any("<img" in value for value in html)


def test_the_notebooks_calls_open_the_running_session_without_moving_the_group() -> None:
    assert isinstance(hypotheses_step(), ipw.VBox)
    assert isinstance(circularity_exercise(), ipw.VBox)
    with Store.open(Path(os.environ["SYSTEMIC_WORKBOOK_STORE"]), readonly=True) as reader:
        snap = snapshot(reader, reader.running_session())
        assert snap is not None and snap.current_step != "hypotheses"


# --- the circularity round -----------------------------------------------------------------------


def test_the_round_goes_in_turn_showing_the_last_idea_and_saving_each_turn(
    session: SupervisorSession,
) -> None:
    panel = CircularityPanel(session)
    assert "Now: <strong>Sam</strong>" in panel.turn.value and panel.last_idea.value == ""
    assert "each participant" not in panel.guidance.value  # the charter's own words, from data
    assert "linking it to what the person before said" in panel.guidance.value
    panel.text.value = "Perhaps Nan holds everyone together"
    panel.add_button.click()
    assert "Now: <strong>Priya</strong>" in panel.turn.value
    assert "Sam" in panel.last_idea.value and "Nan holds everyone" in panel.last_idea.value
    assert panel.text.value == ""
    panel.pass_button.click()
    assert "Now: <strong>Tom</strong>" in panel.turn.value
    assert "Sam" in panel.last_idea.value  # a pass leaves the idea to build on where it was
    panel.text.value = "Building on Sam's: and it costs her"
    panel.add_button.click()
    (saved,) = load_rounds(session.store, session.discussion_id)
    assert [c.who for c in saved.contributions] == ["Sam", "Priya", "Tom"]
    assert saved.contributions[1].passed and not saved.closed
    assert "(building on Sam)" in panel.chain.value


def test_an_empty_idea_is_not_a_turn(session: SupervisorSession) -> None:
    panel = CircularityPanel(session)
    panel.text.value = "   "
    panel.add_button.click()
    assert "role='alert'" in panel.message.value
    assert load_rounds(session.store, session.discussion_id) == []
    assert "Now: <strong>Sam</strong>" in panel.turn.value


def test_a_round_in_progress_is_picked_up_again_and_can_end(session: SupervisorSession) -> None:
    first = CircularityPanel(session)
    first.text.value = "Perhaps Maya is protecting Mum"
    first.add_button.click()
    again = CircularityPanel(session)
    assert "Now: <strong>Priya</strong>" in again.turn.value
    again.end_button.click()
    assert load_rounds(session.store, session.discussion_id)[0].closed
    assert again.add_button.disabled and again.pass_button.disabled
    again.new_round_button.click()
    assert "Now: <strong>Sam</strong>" in again.turn.value and not again.add_button.disabled


def test_the_rounds_ideas_can_join_the_hypotheses_once(session: SupervisorSession) -> None:
    step = HypothesesStep(session)
    panel = CircularityPanel(session)
    assert panel.to_hypotheses.disabled
    for idea in ("Perhaps Maya is protecting Mum", "Building on that: and Dad feels shut out"):
        panel.text.value = idea
        panel.add_button.click()
    panel.to_hypotheses.click()
    assert [(h.author, h.text) for h in _saved(session)] == [
        ("Sam", "Perhaps Maya is protecting Mum"),
        ("Priya", "Building on that: and Dad feels shut out"),
    ]
    assert "Perhaps Maya is protecting Mum" in step.overview.value  # shown at once
    panel.to_hypotheses.click()
    assert len(_saved(session)) == 2 and "already" in panel.message.value


def test_a_session_with_no_participants_explains_the_round_cannot_start(
    store: Store, blended: Case
) -> None:
    session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                      case=blended)
    panel = CircularityPanel(session)
    assert "00 Start the session" in panel.turn.value and panel.add_button.disabled
    charter = get_framework("camden_social_work_charter").name
    assert f"(from {charter})" in panel.guidance.value  # where the exercise comes from


def _group_sees(session: SupervisorSession) -> str:
    """The hypotheses section of the participants' page, read as a participant's kernel does."""
    from systemic.dashboard import SessionView

    view = SessionView(Store.open(session.store.path, readonly=True), session.session_id)
    try:
        return str(view.read()["hypotheses"])
    finally:
        view.store.close()


def test_the_group_sees_an_idea_when_it_is_finished_not_as_it_is_typed(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    _type(step, "Mum is the problem because")
    saved = _saved(session)
    assert len(saved) == 1 and saved[0].draft, "typed words are kept, as a draft"
    assert "Mum is the problem" not in _group_sees(session)
    _type(step, "I wonder whether Mum and Nan both feel alone")
    step.share_button.click()
    assert not _saved(session)[0].draft
    assert "Mum and Nan both feel alone" in _group_sees(session)


def test_leaving_an_idea_for_another_part_of_the_form_shares_it(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    _type(step, "I wonder whether Ryan feels pushed out")
    assert "Ryan feels pushed out" not in _group_sees(session)
    step.evidence_for.value = "He stays at his mum's more"
    assert "Ryan feels pushed out" in _group_sees(session)
    _type(step, "I wonder whether Ryan feels pushed out by the new baby")
    step.new_button.click()  # starting a new idea finishes the one being typed
    assert "by the new baby" in _group_sees(session)


def test_an_idea_kept_from_the_group_stays_in_the_record_only(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    _type(step, "I wonder whether the worker is frightened of Dad")
    step.keep_from_group.value = True
    step.share_button.click()
    (saved,) = _saved(session)
    assert saved.kept_from_group and not saved.draft
    assert "frightened" not in _group_sees(session)
    step.keep_from_group.value = False
    assert "frightened" in _group_sees(session)


def test_earlier_wordings_of_a_revised_idea_are_not_listed_for_the_group(
    session: SupervisorSession,
) -> None:
    step = HypothesesStep(session)
    _type(step, "Dad is the problem")
    step.share_button.click()
    step.revision.value = "I wonder whether Dad and Ryan both feel pushed out"
    step.revise_button.click()
    seen = _group_sees(session)
    assert "both feel pushed out" in seen
    assert "Dad is the problem" not in seen and "revised" not in seen.lower()
