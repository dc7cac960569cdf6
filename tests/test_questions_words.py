"""Words that fit the person (issue 14, point 2), and the first screen (point 4).

Adults get adult questions; a child is asked in words a child of that age can follow;
someone who has died is thought about through loss and memory only, in the past tense,
and the notes say so; all four of Tomm's kinds are offered for every person of every
training case; pronouns come from what is recorded.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from systemic.cases import Case, load_case, parse_case
from systemic.paths import CASES_DIR
from systemic.questions.bank import TOMM_TYPES, load_bank
from systemic.questions.generate import generate, left_out_notes
from systemic.questions.rank import CORE, DEFAULT_LIMIT, choose
from systemic.questions.roles import Cast
from systemic.readability import readable_for

TODAY = date(2026, 12, 7)
TEMPLATES = {t.id: t for t in load_bank().templates}
CHILD_CARE = re.compile(r"to bed|cannot safely live at home|after school|comfort|"
                        r"look after \w+ after|close the case", re.IGNORECASE)
PAST = re.compile(r"\b(died|was|were|did|told|changed|losing|helped|had|passed)\b")


def training() -> list[Case]:
    return [load_case(p) for p in sorted(CASES_DIR.glob("*.yaml")) if p.name != "blank.yaml"]


def chantelle() -> Case:
    """The issue's family: Chantelle (36) is at the centre; Gary is her brother."""
    return parse_case({
        "id": "c", "title": "Chantelle", "fictional": True,
        "people": [
            {"id": "chantelle", "name": "Chantelle Reid", "sex": "female", "born": 1990},
            {"id": "gary", "name": "Gary Reid", "sex": "male", "born": 1988},
            {"id": "mo", "name": "Maureen Reid", "sex": "female", "born": 1962},
            {"id": "jim", "name": "Jim Reid", "sex": "male", "born": 1950, "died": 2020},
            {"id": "tia", "name": "Tia Reid", "sex": "female", "born": 2015},
            {"id": "alex", "name": "Alex Reid", "sex": "unknown", "born": 2013},
            {"id": "sam", "name": "Sam Reid", "sex": "male", "born": 2012,
             "pronouns": "they/them"},
        ],
        "unions": [{"id": "u", "partners": ["mo", "jim"], "status": "widowed"}],
        "parents": [{"child": "chantelle", "parents": ["mo", "jim"]},
                    {"child": "gary", "parents": ["mo", "jim"]},
                    {"child": "tia", "parents": ["chantelle"]},
                    {"child": "alex", "parents": ["chantelle"]},
                    {"child": "sam", "parents": ["chantelle"]}],
        "relationships": [{"from": "chantelle", "to": "gary", "kind": "conflict"}],
        "households": [{"id": "h", "name": "Chantelle's flat",
                        "members": ["chantelle", "tia", "alex", "sam"]}],
    }, "c.yaml")


@pytest.mark.parametrize("focus", ["chantelle", "gary"])
def test_an_adult_at_the_centre_gets_adult_questions(focus):
    case = chantelle()
    questions = generate(case, focus=focus, today=TODAY)
    assert questions
    for q in questions:
        assert q.audience != "child"
        assert TEMPLATES[q.template].focus != "child", q.text
        assert not CHILD_CARE.search(q.text), q.text
    assert any(TEMPLATES[q.template].focus == "adult" for q in questions)
    assert "is an adult" in left_out_notes(case, focus=focus, today=TODAY)[0]


def test_someone_who_has_died_is_thought_about_through_loss_only_in_the_past():
    case = chantelle()
    questions = generate(case, focus="jim", today=TODAY)
    assert questions
    for q in questions:
        template = TEMPLATES[q.template]
        assert template.loss, q.text
        assert PAST.search(q.text), q.text
        assert "jim" in q.people
    assert {q.tomm for q in questions} == set(TOMM_TYPES)
    assert left_out_notes(case, focus="jim", today=TODAY)[0] == (
        "Jim has died: these are questions about loss and memory only, in the past tense.")


def test_all_four_of_tomms_kinds_for_every_person_of_every_training_case():
    for case in training():
        for p in case.people:
            if p.kind != "person":
                continue
            kinds = {q.tomm for q in generate(case, focus=p.id, today=TODAY)}
            assert kinds == set(TOMM_TYPES), (case.id, p.id, kinds)


def test_a_child_is_asked_in_words_a_child_of_that_age_can_follow():
    for case in training():
        focus = case.focal_child
        age = Cast(case, focus, today=TODAY).age(focus)
        child = [q for q in generate(case, today=TODAY) if q.audience == "child"]
        assert child
        assert all(readable_for(q.text, age, aloud=True) for q in child)
    # A young child is asked fewer, simpler questions than an older one.
    young = chantelle().model_dump(by_alias=True, exclude_none=True)
    young["focal_child"] = "tia"
    ask = {}
    for born in (2021, 2016):
        young["people"][4]["born"] = born
        case = parse_case(young, "c.yaml")
        ask[born] = [q for q in generate(case, today=TODAY) if q.audience == "child"]
    assert 0 < len(ask[2021]) < len(ask[2016])


def test_a_teenager_hears_the_teen_wording():
    data = chantelle().model_dump(by_alias=True, exclude_none=True)
    data["focal_child"] = "sam"
    questions = generate(parse_case(data, "c.yaml"), today=TODAY)
    miracle = [q.text for q in questions if q.template == "F1" and q.audience == "child"]
    assert miracle == [TEMPLATES["F1"].teen]
    assert not any("magic" in q.text for q in questions)


def test_pronouns_come_from_what_is_recorded():
    case = chantelle()
    cast = Cast(case, "tia", today=TODAY)
    assert cast.pronouns("gary") == ("he", "him", "his")
    assert cast.pronouns("chantelle") == ("she", "her", "her")
    assert cast.pronouns("sam") == ("they", "them", "their")  # recorded as their wish
    assert cast.pronouns("alex") == ("they", "them", "their")  # sex not recorded
    texts = [q.text for q in generate(case, focus="tia", today=TODAY)]
    assert any("who puts her to bed" in t for t in texts)
    assert not any(re.search(r"about them here|puts them to bed", t) for t in texts)


def test_the_first_screen_for_every_training_case():
    for case in training():
        shown = choose(generate(case, today=TODAY))
        assert len(shown) == DEFAULT_LIMIT
        assert shown[0].type in CORE and shown[0].tomm != "lineal"
        assert sum(q.type in CORE for q in shown) >= 2 / 3 * DEFAULT_LIMIT
