"""Specifications for the workshop exercises and their checks (systemic.workshop)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
import yaml

from systemic.cases import Case, ParentLink, Person, Twins, Union
from systemic.errors import DataFileError, WorkbookError
from systemic.questions.classify import classify
from systemic.workshop import (
    CircularityExercise,
    CircularQuestionsExercise,
    GenogramExercise,
    GracesPair,
    ThreeHypotheses,
    UncertaintyMove,
    answer_case,
    check_drawing,
    check_rewrite,
    get_vignette,
    load_lineal_questions,
    load_vignettes,
    load_wording,
)
from systemic.workshop.data import WORDING_PATH
from systemic.workshop.genogram_drawing import shown_name

MODULES = ["systemic.workshop", "systemic.workshop.data", "systemic.workshop.genogram_drawing",
           "systemic.workshop.circular_questions", "systemic.workshop.graces_pairs",
           "systemic.workshop.three_hypotheses", "systemic.workshop.uncertainty_move",
           "systemic.workshop.circularity"]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_each_module_run(name: str):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0


# -- the data --------------------------------------------------------------------------------


def test_a_sentence_with_a_blank_its_check_cannot_fill_is_refused(tmp_path: Path):
    data = yaml.safe_load(WORDING_PATH.read_text(encoding="utf-8"))
    data["genogram"]["person_missing"] = "{nickname} is not on your drawing yet."
    path = tmp_path / "wording.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"person_missing: \{nickname\} is not a blank"):
        load_wording(path)


@pytest.mark.parametrize("vignette", load_vignettes(), ids=lambda v: v.id)
def test_each_vignette_names_everyone_its_answer_holds(vignette):
    answer = answer_case(vignette)
    assert {p.id for p in answer.people} == set(vignette.people)
    for person in answer.people:
        assert shown_name(person) in vignette.text, person.name
    assert check_drawing(answer, answer, vignette.check).correct


@pytest.mark.parametrize("question", load_lineal_questions(), ids=lambda q: q.text)
def test_each_question_to_rewrite_is_lineal_and_its_example_is_not(question):
    assert classify(question.text).type == "lineal"
    assert check_rewrite(question.text, question.example).passed


# -- (a) the genogram from a vignette ------------------------------------------------------


def _small_answer() -> Case:
    return Case(
        id="answer", title="Answer", fictional=True,
        people=[Person(id="nan", name="Patricia Hart", sex="female", born=1952),
                Person(id="grandad", name="George Hart", sex="male", born=1949, died=2023),
                Person(id="mum", name="Leanne Hart", sex="female", born=1988),
                Person(id="kay", name="Kayode (Kay) Adeyemi-Hart", sex="male", born=2014),
                Person(id="maya", name="Maya Adeyemi-Hart", sex="female", born=2017)],
        unions=[Union(id="u1", partners=["grandad", "nan"], status="widowed")],
        parents=[ParentLink(child="mum", parents=["grandad", "nan"]),
                 ParentLink(child="kay", parents=["mum"]),
                 ParentLink(child="maya", parents=["mum"])],
        twins=[],
    )


def test_a_drawing_that_matches_the_vignette_is_all_right():
    answer = _small_answer()
    drawn = Case(
        id="drawn", title="Drawn", fictional=True,
        people=[Person(id="p", name="patricia", sex="female"),
                Person(id="g", name="GEORGE", died=2023),
                Person(id="l", name="Leanne"), Person(id="k", name="Kay"),
                Person(id="m", name="maya adeyemi-hart", born=2017)],
        unions=[Union(id="x", partners=["p", "g"], status="widowed")],
        parents=[ParentLink(child="l", parents=["p", "g"]),
                 ParentLink(child="k", parents=["l"]), ParentLink(child="m", parents=["l"])],
    )
    check = check_drawing(drawn, answer)
    assert check.correct and not check.problems
    assert check.summary == load_wording().genogram.all_right


def test_a_drawing_with_mistakes_is_told_what_is_missing_or_wrong_person_by_person():
    answer = _small_answer()
    drawn = Case(
        id="drawn", title="Drawn", fictional=True,
        people=[Person(id="p", name="Patricia"), Person(id="g", name="George"),
                Person(id="l", name="Leane"), Person(id="m", name="Maya", sex="male",
                                                     born=2016),
                Person(id="b", name="Bob")],
        unions=[Union(id="x", partners=["p", "g"], status="divorced"),
                Union(id="y", partners=["m", "b"])],
        parents=[ParentLink(child="m", parents=["p"], kind="adoptive")],
    )
    check = check_drawing(drawn, answer)
    messages = [f.message for f in check.problems]
    assert "George has died, as the vignette says. Mark the death on the drawing." in messages
    assert "Leanne is not on your drawing yet." in messages
    assert "Kay is not on your drawing yet." in messages
    assert "Maya is drawn as male; the vignette describes Maya as female." in messages
    assert ("Maya's year of birth is drawn as 2016; look again at the vignette, which gives "
            "2017.") in messages
    assert any("Leane: did you mean Leanne?" in m for m in messages)
    assert any(m.startswith("Your drawing has Bob, who is not in the vignette") for m in messages)
    assert ("George and Patricia are drawn as divorced, but the vignette has them together "
            "until one of them died.") in messages
    assert "The line showing Leanne as Maya's parent is missing." in messages
    assert ("Your drawing shows Patricia as Maya's adoptive parent; the vignette does not say "
            "so.") in messages
    # A line to someone not in the vignette (Bob) is covered by Bob's own finding.
    assert not any("Bob" in m for m in messages if "couple" in m)
    assert check.summary == "1 of 5 people and 0 of 5 lines are right."
    assert [f.status for f in check.by_person()["Maya"]] == [
        "different", "different", "missing", "extra"]


def test_someone_drawn_twice_and_twins_are_checked():
    answer = Case(id="a", title="A", fictional=True,
                  people=[Person(id="j", name="Jada"), Person(id="y", name="Jayden")],
                  twins=[Twins(people=["j", "y"])])
    drawn = Case(id="d", title="D", fictional=True,
                 people=[Person(id="a", name="Jada"), Person(id="b", name="jada"),
                         Person(id="c", name="Jayden")])
    messages = [f.message for f in check_drawing(drawn, answer, ["twins"]).problems]
    assert messages == [
        "jada is drawn twice. Keep one, and join the lines to that one.",
        "Jada and Jayden are twins, as the vignette says. Mark them as twins.",
    ]


def test_the_genogram_exercise_is_drawn_with_the_editor_and_can_be_reset():
    exercise = GenogramExercise("jada_and_jayden")
    assert exercise.check().summary == load_wording().genogram.nothing_drawn
    editor = exercise.editor
    bev = editor.add_person("Beverley", sex="female")
    delroy = editor.add_person("Delroy", sex="male")
    editor.add_union(bev, delroy, "married")
    shantelle = editor.add_child([bev, delroy], {"name": "Shantelle", "sex": "female"})
    tomasz = editor.add_person("Tomasz", sex="male")
    editor.add_union(shantelle, tomasz, "separated")
    jada = editor.add_child([shantelle, tomasz], {"name": "Jada", "sex": "female"})
    jayden = editor.add_child([shantelle, tomasz], {"name": "Jayden", "sex": "male"})
    editor.add_twins([jada, jayden])
    problems = exercise.check().problems
    assert [f.message for f in problems] == [
        "The line showing Delroy as Jada's special guardian is missing.",
        "The line showing Beverley as Jada's special guardian is missing.",
        "The line showing Delroy as Jayden's special guardian is missing.",
        "The line showing Beverley as Jayden's special guardian is missing.",
    ]
    for child in (jada, jayden):
        editor.add_parent_link(child, [delroy, bev], kind="special_guardianship")
    assert exercise.done
    exercise.reset()
    assert exercise.drawing.people == [] and not exercise.done


def test_an_unknown_vignette_is_named_with_the_choices():
    with pytest.raises(WorkbookError, match="choose one of: maya_two_homes"):
        get_vignette("no_such")


# -- (b) lineal to circular ----------------------------------------------------------------


def test_a_circular_rewrite_passes_with_the_classifiers_reasons():
    result = check_rewrite("Why does Jada leave her lunch?",
                           "Who worries most about Jada's eating: Nana, Grandad or her teacher?")
    assert result.passed and result.type == "circular"
    assert result.message.startswith("Yes, this reads as circular: it ranks people")


def test_a_reflexive_rewrite_counts_and_says_so():
    result = check_rewrite("Why is Maya crying on Monday mornings?",
                           "Imagine the handovers went calmly for a month: what would Maya "
                           "notice first?")
    assert result.passed and result.type == "reflexive"
    assert "so it counts here too" in result.message


def test_lineal_and_strategic_rewrites_do_not_pass_and_get_the_tip():
    lineal = check_rewrite("Why did Elijah go missing?", "Where did Elijah go?")
    assert not lineal.passed and lineal.type == "lineal"
    assert lineal.message.startswith("This still reads as lineal:")
    assert "bring in the relationships" in lineal.message
    strategic = check_rewrite("Why did Elijah go missing?",
                              "Don't you think Elijah needs to stay at home at night?")
    assert not strategic.passed and strategic.type == "strategic"
    assert "an answer the asker already has in mind" in strategic.message


def test_an_empty_or_unchanged_rewrite_is_not_classified():
    assert check_rewrite("Why is Maya crying?", "  ").message == load_wording(
    ).circular_questions.empty
    unchanged = check_rewrite("Why is Maya crying?", "why is maya crying")
    assert unchanged.type is None and not unchanged.passed


def test_the_questions_exercise_is_done_when_each_has_a_circular_version_and_resets():
    exercise = CircularQuestionsExercise.for_case("blended_family")
    assert len(exercise.questions) == 3
    for i, q in enumerate(exercise.questions):
        assert not exercise.attempt(i, q.text).passed
        assert exercise.attempt(i, q.example).passed
    assert exercise.done and exercise.progress().startswith("Every question")
    exercise.reset()
    assert not exercise.done and exercise.progress() == "0 of 3 questions have a circular version."
    with pytest.raises(IndexError, match="choose 1 to 3"):
        exercise.attempt(3, "Who?")


# -- (c) GRRAACCEESS self-map in pairs ---------------------------------------------------------


def test_a_pair_is_told_who_mapped_what_and_where_they_differ():
    pair = GracesPair("Sam", "Jo")
    for grace in ("age", "gender", "class"):
        pair.place("Sam", grace, visible=True, voiced=grace != "class")
    for grace in ("age", "gender", "religion"):
        pair.place("jo", grace, visible=grace != "religion", voiced=True)
    check = pair.check()
    assert check.mapped_first == ("age", "gender", "class")
    assert check.mapped_second == ("age", "gender", "religion")
    assert check.both == ("age", "gender") and check.only_first == ("class",)
    assert check.lines[0] == "Sam mapped 3: Age, Gender and Class."
    assert "You both mapped Age and Gender." in check.lines
    assert "Only Jo mapped Religion." in check.lines
    assert check.differences == ()  # age and gender are placed the same way by both
    assert load_wording().graces_pairs.same_places in check.lines
    assert check.done and pair.done


def test_a_difference_on_a_shared_grace_is_named_and_a_pair_not_done_is_told_why():
    pair = GracesPair("Sam", "Jo")
    pair.place("Sam", "age", visible=True, voiced=False)
    pair.place("Jo", "age", visible=True, voiced=True)
    pair.place("Jo", "class", visible=None, voiced=None, note="not placed yet")
    check = pair.check()
    assert check.mapped_second == ("age",)  # a grace not placed in the grid is not mapped
    assert len(check.differences) == 1
    assert check.differences[0].startswith("Age: Sam and Jo differ here.")
    assert not check.done and check.lines[-1].startswith("Each of you maps at least 3")
    pair.reset()
    assert pair.check().mapped_first == () and pair.entries == []


def test_a_pair_needs_two_different_names_and_known_graces():
    with pytest.raises(WorkbookError, match="add a letter"):
        GracesPair("Sam", "sam")
    with pytest.raises(WorkbookError, match="first names or initials"):
        GracesPair("Sam", " ")
    pair = GracesPair("Sam", "Jo")
    with pytest.raises(WorkbookError, match="choose Sam or Jo"):
        pair.place("Priya", "age", visible=True, voiced=True)
    with pytest.raises(WorkbookError, match="not on the list of graces"):
        pair.place("Sam", "star_sign", visible=True, voiced=True)


# -- (d) three hypotheses with the coach -------------------------------------------------------


GOOD = [
    "I wonder whether, when the adults argue at handover, Maya tries to keep the peace "
    "between her mum and her dad.",
    "Perhaps Kay's anger with Ryan and his dad is also a way of staying close to his mum, "
    "and Maya watches how they all manage the loss of Grandad.",
    "It might be that Leanne and Tunde each feel judged by the school, and the more they "
    "feel judged the harder handovers become for both children.",
]


def test_three_hypotheses_without_blame_lineal_cause_or_certainty_complete_the_exercise():
    exercise = ThreeHypotheses.for_case("blended_family")
    for text in GOOD:
        attempt = exercise.add(text)
        assert attempt.passed, [f.rule_id for f in attempt.blocking]
    assert exercise.done and exercise.progress().startswith("Three hypotheses are ready")


def test_a_hypothesis_that_blames_or_is_certain_does_not_count_and_says_why():
    exercise = ThreeHypotheses.for_case("blended_family")
    attempt = exercise.add("Maya is upset because her dad is clearly manipulative.")
    assert not attempt.passed
    assert {f.rule_id for f in attempt.blocking} >= {"lineal_cause", "certainty"}
    assert attempt.message.startswith("Not yet.")
    for text in GOOD[:2]:
        exercise.add(text)
    assert not exercise.done and exercise.progress() == (
        "2 of 3 hypotheses are ready (3 written so far).")
    revised = exercise.revise(1, GOOD[2])
    assert revised.passed and exercise.done
    exercise.reset()
    assert exercise.texts == [] and not exercise.done


def test_an_empty_or_repeated_hypothesis_is_refused_kindly():
    exercise = ThreeHypotheses.for_case("kinship_care")
    with pytest.raises(WorkbookError, match="I wonder whether"):
        exercise.add("   ")
    exercise.add("I wonder whether Nana and Grandad are both tired.")
    with pytest.raises(WorkbookError, match="the same as hypothesis 1"):
        exercise.add("i wonder whether  Nana and Grandad are both tired.")
    with pytest.raises(WorkbookError, match="no hypothesis 5"):
        exercise.remove(5)


# -- (e) safe uncertainty -----------------------------------------------------------------------


def test_a_move_needs_a_place_a_different_place_and_a_reason_of_a_few_words():
    exercise = UncertaintyMove.for_case("blended_family")
    assert not exercise.argue("maya", "safe_uncertainty", "school helps her").ok
    exercise.place("maya", "unsafe_certainty")
    same = exercise.argue("maya", "unsafe_certainty", "because it is")
    assert not same.ok and "already in unsafe certainty" in same.message
    assert exercise.argue("maya", "safe_uncertainty", "").message.startswith(
        "Say in a few words why")
    short = exercise.argue("maya", "safe_uncertainty", "school")
    assert not short.ok and "at least 3 words" in short.message
    assert not exercise.done
    move = exercise.argue("maya", "safe_uncertainty", "her teacher listens to her")
    assert move.ok and exercise.done
    assert move.message.startswith("You argue for Maya moving from unsafe certainty to safe "
                                   "uncertainty")
    assert exercise.placements["maya"].hoped == "safe_uncertainty"
    assert "not a risk assessment" in exercise.caveat


def test_placing_again_from_elsewhere_drops_the_old_argument_and_reset_clears_all():
    exercise = UncertaintyMove.for_case("kinship_care")
    exercise.place("worker", "unsafe_uncertainty")
    exercise.argue("worker", "safe_uncertainty", "a plan the family agreed")
    exercise.place("worker", "safe_certainty")
    assert not exercise.done
    with pytest.raises(WorkbookError, match="not someone in this case"):
        exercise.place("mum", "safe_certainty")
    with pytest.raises(WorkbookError, match="not a place on the grid"):
        exercise.place("worker", "middle")
    exercise.reset()
    assert exercise.placements == {} and exercise.moves == {}


# -- (f) the circularity exercise -------------------------------------------------------------


def test_the_circularity_check_says_which_ideas_link_to_the_one_before():
    exercise = CircularityExercise(["Sam", "Jo", "Priya"])
    r = exercise.round
    r.add("Sam", "I wonder whether Nan holds the family together since Grandad died.")
    r.add("Jo", "Perhaps the school could invite Maya's dad to the next review.")
    r.add("Priya", "The review Jo mentioned could be a place for Nan to be heard too.")
    r.add("Sam", "Building on that: who looks after Nan?")
    links = exercise.links()
    assert [x.linked for x in links] == [None, False, True, True]
    assert links[1].message == ("Jo's idea does not say yet how it links to Sam's. How might "
                                "it connect?")
    assert exercise.summary() == ("Ideas so far: 4, from 3 of the group. Linked to the idea "
                                  "before: 2 of 3. Passes: 0.")


def test_the_round_is_done_when_closed_with_everyone_heard_and_can_be_reset():
    exercise = CircularityExercise(["Sam", "Jo"])
    exercise.round.add("Sam", "I wonder whether the handovers carry the old hurt.")
    assert exercise.progress() == "Not heard yet: Jo."
    exercise.round.pass_turn("Jo")
    assert not exercise.done
    exercise.round.close()
    assert exercise.done and exercise.progress().startswith("Everyone has had a turn")
    exercise.reset()
    assert exercise.round.contributions == [] and exercise.round.participants == ["Sam", "Jo"]
