"""Specifications for the note for the child's file (systemic.note)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from systemic.cases import Case, Person
from systemic.errors import DataFileError, UnknownSession
from systemic.frameworks import get_framework
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.note import (
    Decision,
    NoteDraft,
    PrivateReflection,
    build_note,
    load_draft,
    load_note_wording,
    load_reflections,
    note_document,
    note_for_session,
    note_jargon,
    save_draft,
    save_reflection,
    tentative,
)
from systemic.paths import VOCABULARIES_DIR
from systemic.plan import (
    Action,
    DangerStatement,
    Plan,
    SafetyGoal,
    ScaleEntry,
    SignsOfSafetyMap,
    save_plan,
)
from systemic.store import Store

MEETING = dt.date(2026, 10, 20)


def _case(fictional: bool = True, focal: str | None = "maya") -> Case:
    return Case(
        id="hart",
        title="Maya between two homes",
        fictional=fictional,
        focal_child=focal,
        worker="Priya",
        question="How can I help Maya's parents keep her out of the middle?",
        people=[
            Person(id="maya", name="Maya Hart", sex="female", born=2017),
            Person(id="lisa", name="Lisa Hart", sex="female", born=1990),
        ],
    )


def _start(store: Store, framework: str = "camden_practice_framework", **case_args) -> str:
    session_id = store.create_session(
        "Group supervision", framework, date=MEETING,
        participants=[{"name": "Sam", "role": "supervisor"},
                      {"name": "Priya", "role": "presenter"},
                      {"name": "Ade", "role": "reflecting_group"}],
    )
    return store.add_discussion(session_id, _case(**case_args))


def _text(store: Store, discussion_id: str, **kwargs) -> str:
    return note_document(build_note(store, discussion_id, **kwargs)).plain_text()


# --- what goes in ------------------------------------------------------------------------------


def test_the_note_has_the_date_the_attendees_with_roles_and_the_question(store):
    did = _start(store)
    note = build_note(store, did)
    assert note.date == MEETING
    assert [(a.name, a.role) for a in note.attendees] == [
        ("Sam", "who led the group"),
        ("Priya", "the social worker who brought the question"),
        ("Ade", "in the reflecting group"),
    ]
    text = _text(store, did)
    assert "Date: 20 October 2026" in text
    assert "- Priya, the social worker who brought the question" in text
    assert "How can I help Maya's parents keep her out of the middle?" in text


def test_the_supervisors_summary_voice_decisions_and_review_date_are_in_the_note(store):
    did = _start(store)
    save_draft(store, did, NoteDraft(
        summary="Priya told us about Monday mornings.",
        child_voice="Maya says she is scared of handover days.",
        decisions=[Decision(decision="Move handovers to the school office",
                            reason="it is calmer there"),
                   Decision(decision="Keep the plan as it is")],
        review_date=dt.date(2026, 11, 17),
        author="Sam", approved_by="Jo",
    ))
    text = _text(store, did)
    assert "Priya told us about Monday mornings." in text
    assert "Maya says she is scared of handover days." in text
    assert "- Move handovers to the school office. Why: it is calmer there." in text
    assert "- Keep the plan as it is." in text
    assert "We will look at this again on 17 November 2026." in text
    assert text.rstrip().endswith("Written by Sam.\nAgreed by Jo.")


def test_a_question_typed_for_the_note_replaces_the_cases(store):
    did = _start(store)
    save_draft(store, did, NoteDraft(question="How do we help Maya feel safe at handover?"))
    text = _text(store, did)
    assert "How do we help Maya feel safe at handover?" in text
    assert "keep her out of the middle" not in text


def test_scaling_and_actions_come_from_the_plan_with_reasons_owners_and_dates(store):
    did = _start(store)
    save_plan(store, did, Plan(
        map=SignsOfSafetyMap(scales=[
            ScaleEntry(who="Priya", score=4, why="there was one calm handover", date=MEETING),
            ScaleEntry(who="Lisa", score=7, date=MEETING)],
            next_steps=["Handovers at the school office"]),
        actions=[Action(what="Ask Maya about Mondays", owner="Priya", due=dt.date(2026, 11, 3)),
                 Action(what="Ring Dad", owner="Tom"),
                 Action(what="Book a family meeting", done=True)],
    ))
    text = _text(store, did)
    assert "10 means everyone is confident Maya is safe enough" in text
    assert "- Priya put things at 4 out of 10, because there was one calm handover." in text
    assert "- Lisa put things at 7 out of 10." in text
    assert "- Ask Maya about Mondays (Priya, by 3 November 2026)." in text
    assert "- Ring Dad (Tom)." in text
    assert "- Done: Book a family meeting." in text
    assert "- Handovers at the school office" in text


def test_worries_and_what_is_working_well_come_from_the_map(store):
    did = _start(store, "north_somerset_practice_framework")
    danger = DangerStatement(who_worried="The school", what_behaviour="the adults shout at "
                             "handover", impact_if_unchanged="Maya will feel scared")
    save_plan(store, did, Plan(map=SignsOfSafetyMap(
        dangers=[danger], safety_goals=[SafetyGoal(danger_id=danger.id, text="Calm handovers")],
        strengths=["Both parents love Maya"], existing_safety=["Nan collects her on Wednesdays"])))
    text = _text(store, did)
    assert "- The school is worried that the adults shout at handover." in text
    assert "- Both parents love Maya\n- Nan collects her on Wednesdays" in text


# --- hypotheses as tentative ideas -------------------------------------------------------------


def test_only_active_hypotheses_go_in_and_only_as_tentative_ideas(store):
    did = _start(store)
    save_hypothesis(store, did, Hypothesis(text="The arguments keep the adults connected."))
    save_hypothesis(store, did, Hypothesis(text="Maya clearly protects both homes."))
    save_hypothesis(store, did, Hypothesis(text="Dad is the problem.", status="set_aside"))
    save_hypothesis(store, did, Hypothesis(text="Mum is tired.", status="revised"))
    text = _text(store, did)
    assert "They are not things we have decided are true." in text
    assert ("- One idea we talked about is that the arguments keep the adults connected."
            in text)
    assert "- Another idea we talked about is that Maya protects both homes." in text
    assert "clearly" not in text
    assert "Dad is the problem" not in text and "Mum is tired" not in text


def test_an_idea_says_what_will_be_done_to_explore_it(store):
    did = _start(store)
    h = save_hypothesis(store, did, Hypothesis(text="Maya keeps secrets to protect both homes."))
    save_plan(store, did, Plan(actions=[Action(what="Ask Maya what handover days feel like",
                                               owner="Priya", due=dt.date(2026, 11, 3),
                                               hypothesis_id=h.id)]))
    assert ("that Maya keeps secrets to protect both homes. To find out more: Ask Maya what "
            "handover days feel like (Priya, by 3 November 2026)." in _text(store, did))


def test_the_supervisor_can_leave_a_hypothesis_off_the_childs_file(store):
    did = _start(store)
    kept = save_hypothesis(store, did, Hypothesis(text="Nan holds the family together."))
    dropped = save_hypothesis(store, did, Hypothesis(text="Lisa's new partner feels left out."))
    save_draft(store, did, NoteDraft(leave_out=[dropped.id]))
    ideas = build_note(store, did).ideas
    assert [i.hypothesis_id for i in ideas] == [kept.id]


def test_a_hypothesis_written_as_a_question_stays_a_question(store):
    did = _start(store)
    save_hypothesis(store, did, Hypothesis(text="Who would notice first if Maya felt safer?"))
    assert "- We also wondered: Who would notice first if Maya felt safer?" in _text(store, did)


@pytest.mark.parametrize(("hypothesis", "idea"), [
    ("I wonder whether Mum feels alone.", "Mum feels alone"),
    ("Perhaps, the rows are how they stay close.", "the rows are how they stay close"),
    ("It could be that Dad is obviously grieving too", "Dad is grieving too"),
    ("She definitely protects her brother.", "she protects her brother"),
    ("Maya is carrying the grown-ups' feelings!", "Maya is carrying the grown-ups' feelings"),
    ("Maybelline is Maya's best friend.", "Maybelline is Maya's best friend"),
])
def test_a_hypothesis_is_rephrased_tentatively_and_names_keep_their_capitals(hypothesis, idea):
    assert tentative(hypothesis) == idea


# --- addressed to the child ---------------------------------------------------------------------


def test_the_note_is_written_about_the_child_when_the_framework_does_not_ask(store):
    did = _start(store)
    assert get_framework("camden_practice_framework").note_for_child_file.written_to_child is None
    document = note_document(build_note(store, did))
    assert not document.intro[0].startswith("Dear")
    assert "how things are going for Maya" in document.intro[0]


def test_the_note_is_written_to_the_child_where_the_framework_asks(store):
    did = _start(store)
    framework = get_framework("camden_practice_framework")
    asks = framework.model_copy(update={"note_for_child_file": framework.note_for_child_file
                                        .model_copy(update={"written_to_child": True})})
    document = note_document(build_note(store, did, framework=asks))
    assert document.intro[0] == "Dear Maya,"
    assert "how things are for you" in " ".join(document.intro[1:])


def test_the_supervisor_can_choose_to_write_to_the_child(store):
    did = _start(store)
    save_draft(store, did, NoteDraft(address_child=True))
    assert note_document(build_note(store, did)).intro[0] == "Dear Maya,"


def test_without_a_focal_child_the_note_says_the_child_and_is_never_addressed(store):
    did = _start(store, focal=None)
    save_draft(store, did, NoteDraft(address_child=True))
    note = build_note(store, did)
    assert note.child_name is None and not note.addressed_to_child
    assert "going for the child" in note_document(note).intro[0]


def test_a_training_case_note_says_it_is_fictional_and_a_real_one_does_not(store):
    training = note_document(build_note(store, _start(store)))
    real = note_document(build_note(store, _start(store, fictional=False)))
    assert "fictional" in training.title
    assert "fictional" not in real.title


# --- headings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("framework_id", [
    "camden_practice_framework", "camden_social_work_charter", "north_somerset_practice_framework",
    "warwickshire_relational_practice", "barking_dagenham_cares",
])
def test_the_headings_are_the_frameworks_own_sections_in_its_order(store, framework_id):
    did = _start(store, framework_id)
    titles = [s.title for s in note_document(build_note(store, did)).sections]
    expected = [s.title for s in get_framework(framework_id).note_for_child_file.sections]
    assert [t for t in titles if t in expected] == expected


def test_a_framework_section_with_nothing_in_it_says_so_and_extra_empty_blocks_are_left_out(store):
    did = _start(store)
    sections = {s.title: s for s in note_document(build_note(store, did)).sections}
    assert sections["Decisions and why"].paragraphs == ("Nothing was written here this time.",)
    assert "Safety scale" not in sections  # Camden has no scale section, and none was given


def test_blocks_the_framework_has_no_section_for_still_appear_in_a_sensible_place(store):
    did = _start(store, "warwickshire_relational_practice")
    save_hypothesis(store, did, Hypothesis(text="Nan holds the family together."))
    save_draft(store, did, NoteDraft(review_date=dt.date(2026, 12, 1)))
    titles = [s.title for s in note_document(build_note(store, did)).sections]
    assert titles.index("Date and who took part") < titles.index("Ideas we had") < titles.index(
        "The child's voice")
    assert titles[-1] == "When we will look at this again"


def test_a_missing_framework_file_falls_back_to_the_workbooks_own_headings(store):
    session_id = store.create_session("Group", "a_council_since_removed", date=MEETING)
    did = store.add_discussion(session_id, _case())
    document = note_document(build_note(store, did))
    assert document.sections[0].title == "Date and who took part"


# --- what never goes in -------------------------------------------------------------------------


def test_reflections_are_kept_apart_from_the_draft_and_never_reach_the_note(store):
    did = _start(store)
    save_reflection(store, did, PrivateReflection(who="Priya", text="I felt out of my depth"))
    save_draft(store, did, NoteDraft(summary="We talked."))
    save_reflection(store, did, PrivateReflection(who="Sam", text="Reminded me of my own dad"))
    assert [r.text for r in load_reflections(store, did)] == [
        "I felt out of my depth", "Reminded me of my own dad"]
    assert load_draft(store, did).summary == "We talked."
    text = _text(store, did)
    assert "out of my depth" not in text and "my own dad" not in text


def test_the_draft_is_one_record_per_discussion(store):
    did = _start(store)
    save_draft(store, did, NoteDraft(summary="First"))
    save_draft(store, did, NoteDraft(summary="Second"))
    assert load_draft(store, did).summary == "Second"
    drafts = [r for r in store.records(did, "note") if r.payload.get("purpose") == "child_file"]
    assert len(drafts) == 1


def test_a_discussion_without_a_draft_has_an_empty_one(store):
    assert load_draft(store, _start(store)) == NoteDraft()


# --- finding the discussion ---------------------------------------------------------------------


def test_a_session_with_one_case_gives_its_note(store):
    did = _start(store)
    session_id = store.discussion(did).session_id
    assert note_for_session(store, session_id).discussion_id == did


def test_an_unknown_session_is_a_plain_error(store):
    with pytest.raises(UnknownSession, match="There is no session 'nope'"):
        note_for_session(store, "nope")


def test_with_two_cases_the_case_must_be_chosen(store):
    did = _start(store)
    session_id = store.discussion(did).session_id
    other = store.add_discussion(session_id, {"id": "rivers", "title": "R", "fictional": True})
    with pytest.raises(UnknownSession, match=r"discussed 2 cases \(hart, rivers\) — choose one"):
        note_for_session(store, session_id)
    assert note_for_session(store, session_id, "rivers").discussion_id == other
    with pytest.raises(UnknownSession, match="its cases: hart, rivers"):
        note_for_session(store, session_id, "smith")


# --- jargon and wording -------------------------------------------------------------------------


def test_the_jargon_check_names_the_section_the_term_is_in(store):
    did = _start(store)
    save_draft(store, did, NoteDraft(child_voice="Maya enjoys contact with Dad.",
                                     decisions=[Decision(decision="Refer to CAMHS")]))
    findings = note_jargon(note_document(build_note(store, did)))
    assert [(f.section, f.finding.term) for f in findings] == [
        ("What we thought about the child's experience", "contact"),
        ("Decisions and why", "CAMHS"),
    ]
    assert "family time" in findings[0].finding.suggestion


def test_the_notes_own_wording_has_no_jargon(store):
    did = _start(store, "north_somerset_practice_framework")
    save_draft(store, did, NoteDraft(address_child=True))
    assert note_jargon(note_document(build_note(store, did))) == []


def test_a_wording_file_naming_a_block_that_does_not_exist_is_refused(tmp_path):
    data = yaml.safe_load((VOCABULARIES_DIR / "child_file_note.yaml").read_text("utf-8"))
    data["section_blocks"]["ideas"] = ["hypotheses"]
    path = tmp_path / "child_file_note.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError, match='"hypotheses", which is not a block'):
        load_note_wording(path)
