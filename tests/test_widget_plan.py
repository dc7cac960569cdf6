"""The plan step, driven as a supervisor would: the map, questions, actions and checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as ipw
from markupsafe import escape

from systemic.cases import load_case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.paths import CASES_DIR
from systemic.plan import load_plan
from systemic.questions.generate import Question
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.plan import PlanPanel, SignsOfSafetyPanel, plan_step, stored_questions
from widgets.step_panel import walk

HOSTILE = "<img/src=x/onerror=alert`1`>"
DAY = dt.date(2026, 10, 20)


def _start(
    tmp_path: Path, framework: str = "north_somerset_practice_framework"
) -> SupervisorSession:
    store = Store.open(tmp_path / "workbook.db")
    return SupervisorSession.start(
        store,
        framework_id=framework,
        case=load_case(CASES_DIR / "blended_family.yaml"),
        participants=DEMO_PARTICIPANTS,
        date=DAY,
    )


def _html(panel: SignsOfSafetyPanel | PlanPanel) -> list[str]:
    return [w.value for w in walk(panel.view()) if isinstance(w, ipw.HTML)]


# -- the Signs of Safety map --------------------------------------------------------------------


def test_the_three_columns_are_saved_one_item_a_line(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = SignsOfSafetyPanel(session)
    panel.harms.value = "Maya saw the adults push each other\n\n"
    panel.complicating.value = "Dad works nights"
    panel.strengths.value = "Nan Pat collects Maya on Tuesdays\nMaya loves swimming"
    panel.existing_safety.value = "Handovers happen at school"
    panel.next_steps.value = "  Family meeting with Nan  "
    signs = load_plan(session.store, session.discussion_id).map
    assert signs.harms == ["Maya saw the adults push each other"]
    assert signs.complicating == ["Dad works nights"]
    assert signs.strengths == ["Nan Pat collects Maya on Tuesdays", "Maya loves swimming"]
    assert signs.existing_safety == ["Handovers happen at school"]
    assert signs.next_steps == ["Family meeting with Nan"]
    assert "Saved" in panel.message.value


def test_a_danger_statement_is_saved_with_its_paired_safety_goal(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = SignsOfSafetyPanel(session)
    panel.add_danger.click()
    row = panel.danger_rows[0]
    row.who.value = "The school"
    row.what.value = "the adults shout at each other at handover"
    row.impact.value = "Maya will feel frightened and unsafe"
    row.disputed.value = True
    row.family_view.value = "Mum says it happened once"
    row.goal.value = "The adults will hand over calmly at school"
    row.sustained.value = "three months"
    signs = load_plan(session.store, session.discussion_id).map
    [danger] = signs.dangers
    assert (danger.who_worried, danger.disputed, danger.family_view) == (
        "The school", True, "Mum says it happened once"
    )
    [goal] = signs.safety_goals
    assert goal.danger_id == danger.id and goal.sustained_for == "three months"
    assert "The family does not agree with this worry" in row.sentence.value


def test_a_blank_row_is_not_saved_and_removing_a_worry_removes_its_goal(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = SignsOfSafetyPanel(session)
    panel.add_danger.click()
    panel.add_danger.click()
    panel.danger_rows[0].what.value = "shouting at handover"
    panel.danger_rows[0].goal.value = "calm handovers"
    assert len(load_plan(session.store, session.discussion_id).map.dangers) == 1
    panel.danger_rows[0].remove.click()
    signs = load_plan(session.store, session.discussion_id).map
    assert signs.dangers == [] and signs.safety_goals == []
    assert len(panel.danger_rows) == 1


def test_scores_are_saved_by_who_with_why_and_the_session_date(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = SignsOfSafetyPanel(session)
    panel.add_scale.click()
    row = panel.scale_rows[0]
    row.score.value = 3
    assert load_plan(session.store, session.discussion_id).map.scales == []  # no one's yet
    row.who.value = "Priya"
    row.why.value = "handovers are calmer"
    [scale] = load_plan(session.store, session.discussion_id).map.scales
    assert (scale.who, scale.score, scale.why, scale.date) == (
        "Priya", 3, "handovers are calmer", DAY
    )
    assert "where 10 means everyone is confident Maya is safe" in panel.scale_question.value


def test_the_map_gives_gentle_feedback_as_it_is_written(tmp_path: Path) -> None:
    panel = SignsOfSafetyPanel(_start(tmp_path))
    panel.add_danger.click()
    panel.danger_rows[0].what.value = "DV at home"
    assert "has no safety goal yet" in panel.feedback.value
    assert "professional shorthand" in panel.feedback.value
    panel.danger_rows[0].goal.value = "The adults will not shout"
    assert "says what will stop" in panel.feedback.value
    assert "has no safety goal yet" not in panel.feedback.value


def test_a_map_reopened_shows_what_was_saved(tmp_path: Path) -> None:
    session = _start(tmp_path)
    first = SignsOfSafetyPanel(session)
    first.strengths.value = "Nan Pat"
    first.add_danger.click()
    first.danger_rows[0].what.value = "shouting"
    first.danger_rows[0].goal.value = "calm talk"
    again = SignsOfSafetyPanel(session)
    assert again.strengths.value == "Nan Pat"
    assert [r.goal.value for r in again.danger_rows] == ["calm talk"]


def test_too_long_a_text_is_refused_kindly_not_with_a_traceback(tmp_path: Path) -> None:
    panel = SignsOfSafetyPanel(_start(tmp_path))
    panel.add_danger.click()
    panel.danger_rows[0].what.value = "x" * 5000
    assert "role='alert'" in panel.message.value and "too long" in panel.message.value


# -- questions, actions and checks --------------------------------------------------------------


def _rows(panel: PlanPanel) -> list[tuple[str, ipw.Button]]:
    """The plan's questions as (words, its Remove button), two cells a row."""
    cells = panel.questions_box.children
    return [(cells[i].value, cells[i + 1]) for i in range(0, len(cells), 2)
            if isinstance(cells[i + 1], ipw.Button)]


def test_questions_chosen_in_the_questions_step_are_in_the_plan_without_choosing_again(
    tmp_path: Path,
) -> None:
    session = _start(tmp_path)
    store, did = session.store, session.discussion_id
    # Stored as the questions step stores a chosen question: Question.to_json().
    worries = Question("circular", "ranking", "family", "Who worries most about Maya?", ("maya",),
                       "C1").to_json()
    store.put_record(did, "question", worries)
    store.put_record(did, "question", worries)
    store.put_record(did, "question", {"text": "What would Nan notice first?"})
    assert [t for t, _ in stored_questions(session)] == [
        "Who worries most about Maya?", "What would Nan notice first?"
    ]
    panel = PlanPanel(session)
    rows = _rows(panel)
    assert [words for words, _ in rows] == [  # each once, nothing to tick
        "<p>Who worries most about Maya? <span class='wb-note'>(chosen in the questions "
        "step)</span></p>",
        "<p>What would Nan notice first? <span class='wb-note'>(chosen in the questions "
        "step)</span></p>"]
    assert all(button.description == "Remove" for _, button in rows)
    # Two columns: every Remove button sits in the same column, lined up.
    assert panel.questions_box.layout.grid_template_columns.endswith("max-content")
    panel.own_question.value = "Who worries most about Maya?"  # the same again: kept once
    panel.add_question.click()
    assert len(_rows(panel)) == 2
    rows[0][1].click()  # removed from the plan: taken off the chosen questions too
    assert [t for t, _ in stored_questions(session)] == ["What would Nan notice first?"]
    assert [q.text for q in load_plan(store, did).family_questions] == [
        "What would Nan notice first?"]


def test_a_question_chosen_while_the_plan_is_open_appears_in_it(tmp_path: Path) -> None:
    from widgets.questions import QuestionsStep

    session = _start(tmp_path)
    plan = PlanPanel(session)
    questions = QuestionsStep(session)
    first = questions.shown()[0]
    questions.question_button(first).click()  # chosen by pressing it, once
    assert [q.text for q in plan.questions] == [first.text]
    assert [q.text for q in load_plan(session.store, session.discussion_id).family_questions
            ] == [first.text]
    questions.question_button(first).click()  # taken off again
    assert plan.questions == []


def test_the_supervisor_can_add_and_remove_a_question_of_their_own(tmp_path: Path) -> None:
    session = _start(tmp_path)
    panel = PlanPanel(session)
    assert _rows(panel) == []  # nothing chosen in the questions step yet
    panel.add_question.click()
    assert "Type the question first" in panel.message.value
    panel.own_question.value = "What helps on Mondays?"
    panel.add_question.click()
    assert [q.text for q in load_plan(session.store, session.discussion_id).family_questions] == [
        "What helps on Mondays?"
    ]
    assert panel.own_question.value == ""
    _rows(panel)[0][1].click()
    assert load_plan(session.store, session.discussion_id).family_questions == []


def test_the_plan_comes_in_parts_one_open_at_a_time(tmp_path: Path, monkeypatch) -> None:
    from widgets.plan import PART_TITLES, parts_of, plan_in_parts

    session = _start(tmp_path)
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(session.store.path))
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_SESSION", session.session_id)
    from widgets import guide

    guide.forget()
    parts = parts_of(plan_in_parts())
    assert [h.description for h in parts.headers] == [
        "▾ " + PART_TITLES[0], *("▸ " + t for t in PART_TITLES[1:])]
    assert "Signs of Safety map" in PART_TITLES[2] and "actions" in PART_TITLES[3]
    assert parts.selected_index == 0  # the first open, the others closed
    assert [b.layout.display for b in parts.bodies] == ["", "none", "none", "none"]
    parts.headers[3].click()  # a title is a button: a click (or Enter, or Space) opens it
    assert parts.selected_index == 3 and parts.bodies[0].layout.display == "none"
    parts.headers[3].click()  # and closes it again
    assert parts.selected_index is None
    for body in parts.bodies:  # each part is a working form, not a problem
        assert not any("role='alert'" in w.value for w in walk(body) if isinstance(w, ipw.HTML))
    guide.forget()


def test_each_person_is_listed_once_in_the_grids_who_list(tmp_path: Path) -> None:
    from widgets.uncertainty import UncertaintyPanel

    session = _start(tmp_path)  # Priya is the worker and a participant in the group
    panel = UncertaintyPanel(session)
    labels = [label for label, _ in panel.who.options]
    firsts = [label.split()[0].strip(",") for label in labels]
    assert sum(first == "Priya" for first in firsts) == 1
    assert len(set(labels)) == len(labels)


def test_an_action_is_saved_with_owner_date_and_the_idea_it_explores(tmp_path: Path) -> None:
    session = _start(tmp_path)
    idea = save_hypothesis(
        session.store, session.discussion_id,
        Hypothesis(text="I wonder whether Maya holds the family's worry"),
    )
    panel = PlanPanel(session)
    panel.add_action.click()
    row = panel.action_rows[0]
    assert "Priya" in row.owner.options and "Maya" in row.owner.options
    assert row.idea.label == "No particular idea"
    row.what.value = "Ask Maya what handover days feel like"
    row.owner.value = "Priya"
    row.due.value = dt.date(2026, 11, 3)
    row.idea.value = idea.id
    [action] = load_plan(session.store, session.discussion_id).actions
    assert (action.what, action.owner, action.due, action.hypothesis_id) == (
        "Ask Maya what handover days feel like", "Priya", dt.date(2026, 11, 3), idea.id
    )
    assert row.feedback.value == ""  # nothing to add: it is a SMART action
    row.remove.click()
    assert load_plan(session.store, session.discussion_id).actions == []


def test_smart_feedback_is_shown_gently_and_goes_when_the_action_is_clear(tmp_path: Path) -> None:
    panel = PlanPanel(_start(tmp_path))
    panel.add_action.click()
    row = panel.action_rows[0]
    row.what.value = "Monitor"
    assert "Who will do this?" in row.feedback.value
    assert "When will this be done by?" in row.feedback.value
    assert "hard to check later" in row.feedback.value
    row.what.value = "Visit Nan Pat with Maya"
    row.owner.value = "Tom"
    row.due.value = dt.date(2026, 10, 1)  # before the meeting
    assert "choose a date still to come" in row.feedback.value
    row.due.value = dt.date(2026, 11, 1)
    assert row.feedback.value == ""


def test_warwickshire_plans_are_held_up_to_its_five_principles(tmp_path: Path) -> None:
    session = _start(tmp_path, framework="warwickshire_relational_practice")
    panel = PlanPanel(session)
    assert [r.item.item for r in panel.check_rows][0] == "Voice of the child"
    assert len(panel.check_rows) == 5
    assert "five principles" in panel.checks_heading.value
    panel.check_rows[0].considered.value = True
    panel.check_rows[0].note.value = "Maya's words are in the plan"
    checks = load_plan(session.store, session.discussion_id).checks
    assert (checks[0].considered, checks[0].note) == (True, "Maya's words are in the plan")
    assert len(checks) == 5


def test_north_somerset_shows_its_trauma_informed_principles(tmp_path: Path) -> None:
    panel = PlanPanel(_start(tmp_path, framework="north_somerset_practice_framework"))
    assert panel.check_rows and {r.item.tool_id for r in panel.check_rows} == {
        "trauma_informed_principles"
    }


def test_a_framework_without_checks_shows_none(tmp_path: Path) -> None:
    panel = PlanPanel(_start(tmp_path, framework="camden_practice_framework"))
    assert panel.check_rows == [] and panel.checks_heading.value == ""


def test_the_map_and_the_plan_forms_never_undo_each_other(tmp_path: Path) -> None:
    session = _start(tmp_path)
    signs, plan = SignsOfSafetyPanel(session), PlanPanel(session)
    signs.strengths.value = "Nan Pat"
    plan.add_action.click()
    plan.action_rows[0].what.value = "Phone Nan Pat"
    signs.complicating.value = "Dad works nights"
    plan.own_question.value = "Who helps most?"
    plan.add_question.click()
    stored = load_plan(session.store, session.discussion_id)
    assert stored.map.strengths == ["Nan Pat"] and stored.map.complicating == ["Dad works nights"]
    assert [a.what for a in stored.actions] == ["Phone Nan Pat"]
    assert [q.text for q in stored.family_questions] == ["Who helps most?"]


def test_the_frameworks_plan_wording_opens_the_step(tmp_path: Path) -> None:
    from systemic.frameworks import get_framework

    panel = PlanPanel(_start(tmp_path, framework="barking_dagenham_cares"))
    framework = get_framework("barking_dagenham_cares")
    assert escape(framework.prompt("plan").title) in panel.intro.value
    assert "How will this plan change a day in Maya" in panel.intro.value
    for section in framework.plan_template.sections:
        assert escape(section.title) in panel.intro.value


# -- hostile text and the notebook entry point --------------------------------------------------


def test_hostile_text_is_escaped_in_every_html_value(tmp_path: Path) -> None:
    session = _start(tmp_path, framework="warwickshire_relational_practice")
    session.store.put_record(session.discussion_id, "question", {"text": HOSTILE})
    signs, plan = SignsOfSafetyPanel(session), PlanPanel(session)
    signs.add_danger.click()
    row = signs.danger_rows[0]
    for field in (row.who, row.what, row.impact, row.family_view, row.goal):
        field.value = HOSTILE
    row.disputed.value = True
    signs.add_scale.click()
    signs.scale_rows[0].who.value = HOSTILE
    plan.own_question.value = HOSTILE + "?"
    plan.add_question.click()
    plan.add_action.click()
    plan.action_rows[0].what.value = HOSTILE
    plan.check_rows[0].note.value = HOSTILE
    html = _html(signs) + _html(plan)
    assert any(escape(HOSTILE) in value for value in html)
    for value in html:
        assert HOSTILE not in value and "<img" not in value


def test_the_step_resumes_the_newest_session() -> None:
    view = plan_step()  # the training session conftest seeds for the notebooks
    assert isinstance(view, ipw.VBox)
    assert not any(
        "role='alert'" in w.value for w in walk(view) if isinstance(w, ipw.HTML)
    )


def test_the_examples_of_titled_parts_run() -> None:
    import doctest

    import widgets.parts as parts

    result = doctest.testmod(parts)
    assert result.attempted >= 4 and result.failed == 0
