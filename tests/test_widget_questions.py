"""The circular questions step and the question classifier, driven as a supervisor would."""

from __future__ import annotations

import datetime as dt
import doctest
import os
import re
from html import unescape
from pathlib import Path

import ipywidgets as ipw
import pytest
from markupsafe import escape

import widgets.questions as widget_module
from systemic.cases import Case, parse_case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.dashboard import Naming, render_questions
from systemic.frameworks import get_framework
from systemic.hypotheses import Hypothesis, save_hypothesis, set_aside
from systemic.jargon import jargon_findings
from systemic.questions import Question
from systemic.questions.classify import load_rules
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.plan import stored_questions
from widgets.questions import (
    PAGE_SIZE,
    RECORD_KIND,
    QuestionClassifier,
    QuestionsStep,
    classify_question,
    questions_step,
)
from widgets.step_panel import walk

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def step(session: SupervisorSession) -> QuestionsStep:
    return QuestionsStep(session)


def _stored(session: SupervisorSession) -> list[dict[str, object]]:
    return [r.payload for r in session.store.records(session.discussion_id, RECORD_KIND)]


def _press(step: QuestionsStep, q: Question) -> None:
    """Press the question itself, as the supervisor does to choose it (or take it off)."""
    step.question_button(q).click()


def _like(step: QuestionsStep, q: Question) -> None:
    keys = [(s.audience, s.text) for s in step.shown()]
    step.list.children[2 * keys.index((q.audience, q.text)) + 1].click()


def _words(widget: ipw.Widget) -> str:
    """Everything a widget shows: its HTML and the words on its buttons."""
    return "\n".join(w.value if isinstance(w, ipw.HTML) else w.description
                     for w in walk(widget) if isinstance(w, ipw.HTML | ipw.Button))


def _html_values(widget: ipw.Widget) -> list[str]:
    return [w.value for w in walk(widget) if isinstance(w, ipw.HTML)]


def test_the_examples_in_the_module_run() -> None:
    result = doctest.testmod(widget_module)
    assert result.attempted >= 8 and result.failed == 0


# --- what the step shows ----------------------------------------------------------------------


def test_the_frameworks_questions_guidance_is_shown_and_switching_framework_changes_it(
    store: Store, session: SupervisorSession
) -> None:
    camden = get_framework("camden_practice_framework").prompt("questions")
    barking = get_framework("barking_dagenham_cares").prompt("questions")
    assert camden.guidance != barking.guidance
    before = QuestionsStep(session).guidance.value
    store.update_session(session.session_id, framework_id="barking_dagenham_cares")
    after = QuestionsStep(session).guidance.value
    assert escape(camden.title) in before and escape(camden.guidance) in before
    assert escape(barking.guidance) in after and escape(camden.guidance) not in after
    # The framework's questions come with the child's name put in.
    assert escape(barking.filled_questions("Maya", "Mum")[0]).split("Maya")[0] in after
    assert "Maya" in after and "{child}" not in after
    # Camden's tools for this step are described, without repeating the prompt's questions.
    for tool in get_framework("camden_practice_framework").tools_for("questions"):
        assert escape(tool.name) in before and escape(tool.description) in before
    for question in camden.questions:
        assert before.count(escape(question)) == 1


def test_the_first_list_is_twelve_questions_mixed_across_kinds(step: QuestionsStep) -> None:
    shown = step.shown()
    assert len(shown) == PAGE_SIZE
    kinds = {q.type for q in shown}
    assert len(kinds) >= 4 and "circular" in kinds
    assert sum(q.type == "lineal" for q in shown) <= PAGE_SIZE // 3
    for i, q in enumerate(shown, 1):
        assert step.question_button(q).description == f"{i}. {q.text}"  # the words, to press
    assert f"1 to {PAGE_SIZE} of {len(step.questions)}" in step.heading.value


def test_the_child_is_offered_as_the_one_asked_only_when_old_enough(
    store: Store, blended: Case
) -> None:
    step = QuestionsStep(SupervisorSession.start(
        store, framework_id="camden_practice_framework", case=blended))
    assert [label for label, _ in step.audience.options] == [
        "Everyone", "The family", "Maya", "The worker"]
    data = blended.model_dump(mode="json", by_alias=True)
    for person in data["people"]:
        if person["id"] == "maya":
            person["born"] = dt.date.today().year - 1  # a baby, whenever the test runs
    baby = QuestionsStep(SupervisorSession.start(
        store, framework_id="camden_practice_framework", case=parse_case(data, "baby.yaml")))
    assert baby.shown() and "child" not in [value for _, value in baby.audience.options]


def test_the_step_keeps_the_number_of_widgets_small(step: QuestionsStep) -> None:
    assert len(list(walk(step.view()))) <= 30 + 4 * PAGE_SIZE  # four a question shown


def test_the_four_types_are_explained_in_plain_words_from_the_data_with_a_caution(
    step: QuestionsStep,
) -> None:
    note = step.types_note.value
    rules = load_rules()
    for tomm in ("lineal", "circular", "reflexive", "strategic"):
        meaning = rules.types[tomm].meaning
        assert escape(meaning[0].upper() + meaning[1:]) in note
        assert escape(step.titles[tomm]) in note
        best = max((q for q in step.questions if q.tomm == tomm), key=lambda q: q.score)
        assert escape(best.text) in note  # an example from this family
    assert "wb-caveat" in note and "sparingly" in note
    assert escape(" ".join(rules.types["strategic"].tip.split())) in note
    words = re.sub(r"<[^>]+>", " ", note.split("</style>")[-1])
    assert jargon_findings(words) == []


def test_questions_that_suggest_a_direction_carry_their_caution(step: QuestionsStep) -> None:
    step.kind.value = "strategic"
    shown = step.shown()
    assert shown and all(q.type == "strategic" for q in shown)
    for q in shown:
        assert q.caution and escape(q.caution) in _words(step.list)


# --- choosing ---------------------------------------------------------------------------------


def test_a_chosen_question_is_saved_at_once_with_the_payload_the_plan_and_dashboard_read(
    session: SupervisorSession, step: QuestionsStep, blended: Case
) -> None:
    first, third = step.shown()[0], step.shown()[2]
    _press(step, third)
    _press(step, first)
    assert _stored(session) == [third.to_json(), first.to_json()]
    assert stored_questions(session) == [(third.text, third.template),
                                         (first.text, first.template)]
    shown = render_questions(_stored(session), Naming.for_case(blended))
    # However the page escapes an apostrophe (&#x27; or &#39;), the words are the same.
    assert third.text in unescape(shown) and first.text in unescape(shown)
    pressed = step.question_button(first)
    assert pressed.description == f"✓ Chosen: 1. {first.text}"  # said in words, not colour
    assert "wb-q-picked" in pressed._dom_classes
    assert escape(first.text) in _words(step.chosen_list)
    assert "role='status'" in step.message.value
    # A step opened later (the cell run again) sees them as chosen.
    again = QuestionsStep(session)
    assert [q.text for q in again.chosen_questions()] == [third.text, first.text]


def test_choosing_the_same_question_twice_saves_it_once(
    session: SupervisorSession, step: QuestionsStep
) -> None:
    q = step.shown()[1]
    step.choose_question(q)
    step.choose_question(q)
    QuestionsStep(session).choose_question(q)  # another copy of the step, same question
    assert _stored(session) == [q.to_json()]


def test_unchoosing_removes_the_record(session: SupervisorSession, step: QuestionsStep) -> None:
    keep, drop = step.shown()[0], step.shown()[1]
    for q in (keep, drop):
        _press(step, q)
    _press(step, drop)  # pressed again: taken off
    assert _stored(session) == [keep.to_json()]
    assert escape(drop.text) not in _words(step.chosen_list)
    assert stored_questions(session) == [(keep.text, keep.template)]
    assert not step.question_button(drop).description.startswith("✓")


def test_a_chosen_question_off_the_list_can_still_be_unchosen(
    session: SupervisorSession, step: QuestionsStep
) -> None:
    q = step.shown()[0]
    _press(step, q)
    step.kind.value = next(t for t in ("circular", "reflexive") if t != q.type)
    assert q not in step.shown()
    text, take_off = step.chosen_rows.children
    assert escape(q.text) in text.value and take_off.description == "Take it off"
    take_off.click()
    assert _stored(session) == [] and step.chosen_rows.children == ()


def test_a_read_only_store_gives_one_kind_sentence_not_a_traceback(
    session: SupervisorSession, tmp_path: Path
) -> None:
    reader = Store.open(tmp_path / "workbook.db", readonly=True)
    try:
        viewer = QuestionsStep(SupervisorSession(reader, session.session_id))
        viewer.question_button(viewer.shown()[0]).click()
        assert "role='alert'" in viewer.message.value
        assert "Traceback" not in viewer.message.value
        assert _stored(session) == []
    finally:
        reader.close()


# --- filters, more like this, other questions -------------------------------------------------


def test_filters_change_the_list(step: QuestionsStep) -> None:
    first = step.shown()
    step.kind.value = "circular"
    assert step.shown() != first and all(q.type == "circular" for q in step.shown())
    step.kind.value = ""
    step.person.value = "ryan"
    assert step.shown() and all("ryan" in q.people for q in step.shown())
    step.person.value = ""
    step.relationship.value = ("ryan", "tunde")
    assert step.shown() and all({"ryan", "tunde"} <= set(q.people) for q in step.shown())
    step.relationship.value = ""
    step.audience.value = "child"
    assert step.shown() and all(q.audience == "child" for q in step.shown())
    step.audience.value = ""
    step.balance.value = False
    unmixed = step.shown()
    assert unmixed != first
    assert unmixed[0].score == max(q.score for q in step.questions)
    step.person.value = "ryan"
    step.kind.value = "graces"
    step.audience.value = "child"
    assert step.shown() == []
    assert "No questions fit" in step.empty.value and step.list.children == ()


def test_more_like_this_shows_neighbours_and_back_returns_to_the_list(
    step: QuestionsStep,
) -> None:
    first = step.shown()
    q = next(q for q in first if q.type == "circular")
    _like(step, q)
    like = step.shown()
    assert like and q not in like
    assert all(n.subtype == q.subtype or n.type == q.type for n in like)
    assert "Questions like" in step.heading.value and step.others_button.disabled
    step.first_button.click()
    assert step.shown() == first


def test_show_others_gives_twelve_new_questions_and_back_to_the_first(
    step: QuestionsStep,
) -> None:
    first = step.shown()
    step.others_button.click()
    second = step.shown()
    assert len(second) == PAGE_SIZE and not set(map(id, second)) & set(map(id, first))
    assert not {(q.audience, q.text) for q in second} & {(q.audience, q.text) for q in first}
    assert f"{PAGE_SIZE + 1} to {2 * PAGE_SIZE}" in step.heading.value
    assert step.question_button(second[0]).description.startswith(f"{PAGE_SIZE + 1}. ")
    step.first_button.click()
    assert step.shown() == first and step.first_button.disabled


# --- hypotheses feed the questions ------------------------------------------------------------


def test_a_hypothesis_saved_in_the_store_yields_questions_that_test_it(
    session: SupervisorSession,
) -> None:
    h = save_hypothesis(session.store, session.discussion_id, Hypothesis(
        text="I wonder whether Kay's anger keeps Mum and Dad talking.",
        people_involved=["kay", "leanne", "tunde"],
    ))
    step = QuestionsStep(session)
    assert h.id in [value for _, value in step.hypothesis.options]
    step.hypothesis.value = h.id
    testing = step.shown()
    assert testing and all(q.hypothesis_id == h.id for q in testing)
    # The question names the idea (by the people it is about); it never pastes it.
    assert not any("Kay's anger" in q.text for q in testing)
    assert any("the idea about Leanne, Tunde and Kay" in q.text for q in step.matching())
    assert "tests the idea" in _words(step.list)
    # Chosen, it is stored with the hypothesis it tests.
    _press(step, testing[0])
    assert _stored(session)[0]["hypothesis_id"] == h.id


def test_a_hypothesis_added_while_the_step_is_open_is_picked_up(
    session: SupervisorSession, step: QuestionsStep
) -> None:
    assert [v for _, v in step.hypothesis.options] == [""]
    h = save_hypothesis(session.store, session.discussion_id, Hypothesis(
        text="Perhaps Maya worries about Nan.", people_involved=["maya", "patricia"]))
    step.audience.value = "family"  # any change of the filters reads the hypotheses again
    assert h.id in [value for _, value in step.hypothesis.options]
    assert any(q.hypothesis_id == h.id for q in step.questions)
    save_hypothesis(session.store, session.discussion_id, set_aside(h))
    step.reload()
    assert not any(q.hypothesis_id == h.id for q in step.questions)
    assert [v for _, v in step.hypothesis.options] == [""]


# --- hostile text -----------------------------------------------------------------------------


def test_hostile_names_and_ideas_are_escaped_in_every_html_value(
    store: Store, blended: Case
) -> None:
    data = blended.model_dump(mode="json", by_alias=True)
    for person in data["people"]:
        if person["id"] in ("ryan", "kay"):
            person["name"] = HOSTILE
    case = parse_case(data, "hostile.yaml")
    session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                      case=case, participants=DEMO_PARTICIPANTS)
    save_hypothesis(store, session.discussion_id, Hypothesis(
        text=f"I wonder whether {HOSTILE} and Mum are close.", people_involved=["leanne"]))
    step = QuestionsStep(session)
    step.choose_question(next(q for q in step.questions if "ryan" in q.people))
    step.hypothesis.value = step.hypothesis.options[1][1]
    values = _html_values(step.view())
    # The generator shortens names ("alert(1)" reads as a nickname), so look for the tag itself.
    assert any(escape(HOSTILE) in v for v in values)  # the hypothesis, word for word
    assert all("<img" not in v for v in values)
    assert "&lt;img src=x" in _words(step.chosen_list)  # a name in a chosen question
    assert escape(HOSTILE) in _words(step.list)  # the idea a question tests
    step.more_like_this(step.chosen_questions()[0])
    assert "<img" not in step.heading.value and "&lt;img src=x" in step.heading.value
    # Button words are text, never HTML; HTML beside them is escaped.
    assert all("<img" not in v for v in _html_values(step.list))

    classifier = QuestionClassifier()
    classifier.text.value = f"Why does {HOSTILE} shout?"
    assert HOSTILE not in classifier.result.value and escape(HOSTILE) in classifier.result.value


# --- the classifier ---------------------------------------------------------------------------


def test_the_classifier_says_which_type_and_why_as_the_group_types() -> None:
    box = QuestionClassifier()
    assert "Type a question" in box.result.value
    box.text.value = "When did the drinking start?"
    assert "Finding out (lineal)" in box.result.value
    assert "Most likely lineal" in box.result.value and "it asks when something happened" in (
        box.result.value)
    assert "To make it circular" in box.result.value
    box.text.value = "If I asked your brother, what would he say worries you most?"
    assert "Connecting people (circular)" in box.result.value
    assert "Most likely circular" in box.result.value
    box.text.value = "Don't you think the children are affected by the drinking?"
    assert "Suggesting a direction (strategic)" in box.result.value


def test_classify_question_is_a_text_box_and_its_verdict() -> None:
    view = classify_question()
    assert [type(w) for w in view.children] == [ipw.Textarea, ipw.HTML]


# --- the notebook entry point -----------------------------------------------------------------


def test_questions_step_opens_the_running_session_and_leaves_the_group_where_it_is(
    tmp_path: Path, blended: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "entry.db"
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(path))
    monkeypatch.delenv("SYSTEMIC_WORKBOOK_SESSION", raising=False)
    with Store.open(path) as s:
        started = SupervisorSession.start(s, framework_id="camden_practice_framework",
                                          case=blended, participants=DEMO_PARTICIPANTS)
    view = questions_step()
    assert isinstance(view, ipw.VBox)
    assert not any("role='alert'" in v for v in _html_values(view))
    with Store.open(path, readonly=True) as reader:
        assert reader.running_session() == started.session_id
        assert reader.session(started.session_id).current_step == "start"
    assert os.environ["SYSTEMIC_WORKBOOK_STORE"] == str(path)


def test_questions_step_without_a_session_says_so_kindly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(tmp_path / "empty.db"))
    monkeypatch.delenv("SYSTEMIC_WORKBOOK_SESSION", raising=False)
    view = questions_step()
    assert isinstance(view, ipw.HTML) and "role='alert'" in view.value
    assert "Step 1 of the session notebook" in view.value


def test_the_whole_bank_is_one_click_away_and_what_was_left_out_is_said(
    session: SupervisorSession,
) -> None:
    step = QuestionsStep(session)
    assert len(step.shown()) == PAGE_SIZE
    step.all_button.click()
    assert len(step.shown()) == len(step.matching()) > PAGE_SIZE
    assert f"1 to {len(step.matching())} of {len(step.matching())}" in step.heading.value
    assert not step.first_button.disabled
    step.first_button.click()
    assert len(step.shown()) == PAGE_SIZE
    # The training family records hostility between Mum and Dad: the page says so.
    assert ("Left out: questions that bring Mum and Dad together, because hostility is "
            "recorded between them.") in step.left_out.value
