"""Specifications for the plan: the Signs of Safety map, SMART actions and framework checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from systemic.frameworks import get_framework
from systemic.plan import (
    Action,
    CheckItem,
    DangerStatement,
    FamilyQuestion,
    Plan,
    SafetyGoal,
    ScaleEntry,
    SignsOfSafetyMap,
    framework_checklist,
    load_plan,
    load_plan_vocabulary,
    map_feedback,
    plan_feedback,
    save_plan,
    smart_feedback,
)
from systemic.store import Store

MEETING = dt.date(2026, 10, 20)
NEXT_WEEK = dt.date(2026, 10, 27)


def _danger(what: str = "the adults shout and push each other at handover") -> DangerStatement:
    return DangerStatement(
        who_worried="Fernhill Primary School",
        what_behaviour=what,
        impact_if_unchanged="Maya will keep feeling caught in the middle and scared",
    )


def _messages(feedback) -> str:
    return " | ".join(f.message for f in feedback)


# --- the map -------------------------------------------------------------------------------------


def test_a_danger_statement_reads_as_who_is_worried_about_what_and_why():
    text = _danger().sentence()
    assert text.startswith("Fernhill Primary School is worried that the adults shout")
    assert "If nothing changes, the worry is that Maya will keep feeling caught" in text


def test_a_disputed_worry_says_so_with_the_familys_view():
    danger = _danger().model_copy(
        update={"disputed": True, "family_view": "Mum says it was one bad day"}
    )
    assert "The family does not agree with this worry. Mum says it was one bad day." in (
        danger.sentence()
    )


def test_a_goal_paired_with_its_danger_statement_gets_no_remark():
    danger = _danger()
    signs = SignsOfSafetyMap(
        dangers=[danger],
        safety_goals=[SafetyGoal(danger_id=danger.id, text="Handovers happen calmly at school")],
        scales=[ScaleEntry(who="Priya", score=4, why="one calm handover", date=MEETING)],
    )
    assert map_feedback(signs) == []
    assert signs.goal_for(danger.id) is signs.safety_goals[0]


def test_a_goal_without_its_danger_statement_is_a_problem_said_kindly():
    signs = SignsOfSafetyMap(safety_goals=[SafetyGoal(danger_id="nope", text="Calm handovers")])
    [feedback] = map_feedback(signs)
    assert feedback.level == "problem" and feedback.field == "safety_goals[0]"
    assert "not paired with a danger statement" in feedback.message
    assert "write that worry first" in feedback.message


def test_a_danger_statement_without_a_goal_gets_a_gentle_question():
    signs = SignsOfSafetyMap(dangers=[_danger()])
    [feedback] = map_feedback(signs)
    assert feedback.level == "note" and "has no safety goal yet" in feedback.message


def test_two_goals_for_one_worry_are_noticed():
    danger = _danger()
    signs = SignsOfSafetyMap(dangers=[danger], safety_goals=[
        SafetyGoal(danger_id=danger.id, text="Calm handovers"),
        SafetyGoal(danger_id=danger.id, text="Handovers at the school office"),
    ])
    assert "has 2 safety goals" in _messages(map_feedback(signs))


def test_more_than_about_three_danger_statements_brings_a_gentle_note():
    limit = load_plan_vocabulary().signs_of_safety.max_danger_statements
    dangers = [_danger(f"worry number {i}") for i in range(limit + 1)]
    goals = [SafetyGoal(danger_id=d.id, text="People will talk calmly") for d in dangers]
    feedback = map_feedback(SignsOfSafetyMap(dangers=dangers, safety_goals=goals))
    [note] = [f for f in feedback if f.field == "dangers"]
    assert note.level == "note"
    assert f"There are {limit + 1} danger statements" in note.message
    assert f"no more than about {limit}" in note.message
    assert map_feedback(SignsOfSafetyMap(dangers=dangers[:limit], safety_goals=goals[:limit])) == []


def test_a_goal_that_says_what_will_stop_is_nudged_towards_what_people_will_do():
    danger = _danger()
    signs = SignsOfSafetyMap(dangers=[danger], safety_goals=[
        SafetyGoal(danger_id=danger.id, text="Mum and Dad will not argue at handover"),
    ])
    assert "what people will do instead" in _messages(map_feedback(signs))


def test_jargon_in_a_danger_statement_is_flagged_with_the_plain_alternative():
    danger = _danger("there is DV at home")
    signs = SignsOfSafetyMap(dangers=[danger], safety_goals=[
        SafetyGoal(danger_id=danger.id, text="Everyone at home will feel safe")])
    message = _messages(map_feedback(signs))
    assert '"DV" is professional shorthand' in message and "say what happened" in message


@pytest.mark.parametrize("score", [-1, 11, 4.5, "ten", True])
def test_a_score_outside_0_to_10_is_refused_with_a_kind_sentence(score):
    with pytest.raises(ValidationError, match="0 to 10"):
        ScaleEntry(who="Priya", score=score, date=MEETING)


def test_scores_at_the_ends_of_the_scale_are_fine():
    assert ScaleEntry(who="Mum", score=0, date=MEETING).score == 0
    assert ScaleEntry(who="Mum", score="10", date=MEETING).score == 10


def test_a_score_without_a_reason_asks_why_not_lower():
    signs = SignsOfSafetyMap(scales=[ScaleEntry(who="Dad", score=6, date=MEETING)])
    assert "Why did Dad choose 6?" in _messages(map_feedback(signs))


# --- SMART actions -------------------------------------------------------------------------------


def test_a_smart_action_gets_no_feedback():
    action = Action(what="Ask Maya what handover days feel like", owner="Priya", due=NEXT_WEEK)
    assert smart_feedback(action, MEETING) == []


def test_an_action_without_an_owner_asks_who_will_do_it():
    [feedback] = smart_feedback(Action(what="Visit Dad at home", due=NEXT_WEEK), MEETING)
    assert feedback.field == "owner" and feedback.message.startswith("Who will do this?")


def test_an_action_without_a_date_asks_when():
    [feedback] = smart_feedback(Action(what="Visit Dad", owner="Priya"), MEETING)
    assert feedback.field == "due" and "Add a date" in feedback.message


@pytest.mark.parametrize("due", [MEETING, dt.date(2026, 10, 1)])
def test_a_date_that_is_not_after_the_meeting_is_questioned(due):
    [feedback] = smart_feedback(Action(what="Visit Dad", owner="Priya", due=due), MEETING)
    assert feedback.field == "due"
    assert "is not after this meeting (20 October 2026)" in feedback.message


def test_a_done_action_is_not_asked_for_a_date_still_to_come():
    action = Action(what="Visit Dad", owner="Priya", due=dt.date(2026, 10, 1), done=True)
    assert smart_feedback(action, MEETING) == []


@pytest.mark.parametrize("what", ["Monitor the situation", "Consider a family meeting",
                                  "Think about school", "Continue to support Mum"])
def test_a_vague_action_is_asked_for_something_others_could_see(what):
    [feedback] = smart_feedback(Action(what=what, owner="Priya", due=NEXT_WEEK), MEETING)
    assert feedback.field == "what" and "is hard to check later" in feedback.message


def test_an_action_that_does_not_start_with_a_doing_word_is_nudged():
    [feedback] = smart_feedback(
        Action(what="Family meeting next month", owner="Priya", due=NEXT_WEEK), MEETING)
    assert "doing word" in feedback.message


@pytest.mark.parametrize("what", ["Priya to ask Maya about Sundays", "Priya will ask Maya",
                                  "to ring the school", "Talk to Mum about handovers"])
def test_the_owners_name_or_a_leading_to_does_not_hide_the_verb(what):
    assert smart_feedback(Action(what=what, owner="Priya", due=NEXT_WEEK), MEETING) == []


def test_plan_feedback_gathers_map_and_action_remarks_with_their_places():
    plan = Plan(
        map=SignsOfSafetyMap(dangers=[_danger()]),
        actions=[Action(what="Visit Dad", owner="Priya", due=NEXT_WEEK),
                 Action(what="Monitor", due=NEXT_WEEK)],
    )
    fields = [f.field for f in plan_feedback(plan, MEETING)]
    assert fields == ["map.dangers[0]", "actions[1].owner", "actions[1].what"]


def test_two_actions_with_one_id_are_refused():
    with pytest.raises(ValidationError, match="share the id"):
        Plan(actions=[Action(id="a", what="Visit"), Action(id="a", what="Ring")])


# --- framework checks ----------------------------------------------------------------------------


def test_warwickshire_plans_are_held_up_to_the_five_principles_of_good_practice():
    items = framework_checklist(get_framework("warwickshire_relational_practice"))
    assert [i.item for i in items] == [
        "Voice of the child", "Chronologies and recording", "Outcome-focused SMART plans",
        "Family and network decision making", "Management oversight and supervision",
    ]
    assert all(i.tool_id == "five_principles_of_good_practice" and not i.considered
               for i in items)


def test_north_somerset_plans_are_held_up_to_the_trauma_informed_principles():
    items = framework_checklist(get_framework("north_somerset_practice_framework"))
    assert [i.item for i in items] == [
        "Safety", "Choice and clarity", "Collaboration", "Trustworthiness", "Empowerment",
        "Inclusivity",
    ]
    assert items[0].description


def test_a_framework_without_principles_to_check_gives_no_checklist():
    assert framework_checklist(get_framework("camden_practice_framework")) == []


def test_the_checklist_keeps_earlier_ticks_and_notes():
    framework = get_framework("warwickshire_relational_practice")
    first = framework_checklist(framework)
    ticked = [first[0].model_copy(update={"considered": True, "note": "Maya's drawing"})]
    again = framework_checklist(framework, ticked)
    assert again[0].considered and again[0].note == "Maya's drawing"
    assert not again[1].considered


# --- the store -----------------------------------------------------------------------------------


@pytest.fixture
def discussion(tmp_path: Path):
    store = Store.open(tmp_path / "w.db")
    session_id = store.create_session("Group", "warwickshire_relational_practice")
    discussion_id = store.add_discussion(session_id, {"id": "hart", "title": "Maya",
                                                      "fictional": True})
    yield store, discussion_id
    store.close()


def test_a_plan_is_saved_once_per_discussion_and_read_back_whole(discussion):
    store, discussion_id = discussion
    danger = _danger()
    plan = Plan(
        map=SignsOfSafetyMap(
            harms=["Ryan and Dad pushed each other at the school gate on 9 October"],
            dangers=[danger],
            complicating=["Grandad George died in 2023"],
            strengths=["Both parents want Maya to be happy"],
            existing_safety=["Nan collects Maya on Wednesdays"],
            safety_goals=[SafetyGoal(danger_id=danger.id, text="Handovers are calm")],
            next_steps=["Handover at the school office"],
            scales=[ScaleEntry(who="Priya", score=4, why="one calm handover", date=MEETING)],
        ),
        actions=[Action(what="Ask Maya", owner="Priya", due=NEXT_WEEK, hypothesis_id="h1")],
        family_questions=[FamilyQuestion(text="Who notices first when Maya is worried?",
                                         question_id="C9", ask="Nan")],
        checks=[CheckItem(tool_id="t", item="Voice of the child", considered=True, note="yes")],
    )
    saved = save_plan(store, discussion_id, plan)
    assert saved.id
    assert load_plan(store, discussion_id) == saved
    save_plan(store, discussion_id, Plan(actions=[Action(what="Ring Dad", owner="Tom")]))
    assert len(store.records(discussion_id, "plan")) == 1
    assert [a.what for a in load_plan(store, discussion_id).actions] == ["Ring Dad"]


def test_a_discussion_without_a_plan_has_an_empty_one(discussion):
    store, discussion_id = discussion
    plan = load_plan(store, discussion_id)
    assert plan.map.is_empty() and plan.actions == [] and plan.id == ""


def test_an_unreadable_stored_plan_is_named_not_a_traceback(discussion):
    from systemic.errors import WorkbookError

    store, discussion_id = discussion
    store.put_record(discussion_id, "plan", {"actions": [{"what": "Visit", "due": "soon"}]})
    with pytest.raises(WorkbookError, match=r"plan .*: actions\[0\]\.due: "):
        load_plan(store, discussion_id)
