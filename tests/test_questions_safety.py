"""Safety rules (issue 14, point 1): pairs the family and the child are never asked about.

Every relationship kind is tried in both directions on generated families: where
``safety.yaml`` makes the kind a rule, no question for the family or the child names
both people, the worker is offered safety questions instead, and the notes say what was
left out and why; where it does not, the line leaves nothing out.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from systemic.cases import RELATIONSHIP_KINDS, Case, parse_case
from systemic.questions.generate import generate, left_out_notes
from systemic.questions.safety import guarded_pairs, load_safety, person_names
from tests.test_questions_generate import families

TODAY = date(2026, 12, 7)
RULES = load_safety()
RULED = {k: r.id for r in RULES.rules for k in r.kinds}
PROTECTED = set(RULES.audiences)
NAMES = ["Amy", "Ben", "Cara", "Dev", "Ella", "Finn", "Gail", "Hal", "Ivy", "Jo", "Kai",
         "Lou", "Mo", "Nia"]


def test_every_relationship_kind_is_decided_with_a_reason_and_a_source():
    assert set(RELATIONSHIP_KINDS) == set(RULED) | set(RULES.not_rules)
    for rule in RULES.rules:
        assert rule.reason and rule.source
    assert {"abuse", "violence", "no_contact", "hostility", "cut_off"} <= {
        r.id for r in RULES.rules}


def _with_line(case: Case, a: str, b: str, kind: str) -> Case:
    data = case.model_dump(by_alias=True, exclude_none=True)
    data["relationships"] = [{"from": a, "to": b, "kind": kind}]
    data["chronology"] = []  # words in events could fire rules of their own
    for person in data["people"]:
        person.pop("notes", None)
    return parse_case(data, "safety.yaml")


def _living(case: Case) -> list[str]:
    return [p.id for p in case.people if p.kind == "person" and p.died is None]


@pytest.mark.parametrize("kind", RELATIONSHIP_KINDS)
@pytest.mark.parametrize("swap", [False, True], ids=["from-to", "to-from"])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.filter_too_much])
@given(family=families(), data=st.data())
def test_each_kind_in_each_direction_on_generated_families(kind, swap, family, data):
    case, hypotheses = family
    living = _living(case)
    if len(living) < 2:
        return
    x, y = data.draw(st.lists(st.sampled_from(living), min_size=2, max_size=2, unique=True))
    a, b = (y, x) if swap else (x, y)
    case = _with_line(case, a, b, kind)
    questions = generate(case, hypotheses=hypotheses, today=TODAY)
    guarded = {p.people for p in guarded_pairs(case, year=TODAY.year)}
    people = case.people_by_id
    adults = all(people[p].born is None or TODAY.year - people[p].born.year >= 18
                 for p in (a, b))
    if kind in RULED and (adults or not RULES.rule(RULED[kind]).adults_only):
        assert frozenset((a, b)) in guarded
        for q in questions:
            if q.audience in PROTECTED:
                assert not {a, b} <= set(q.people), (kind, q.template, q.text)
        notes = left_out_notes(case, today=TODAY)
        reason = RULES.rule(RULED[kind]).reason
        assert any(n.startswith("Left out: questions that bring ") and reason in n
                   for n in notes), notes
    else:
        assert frozenset((a, b)) not in guarded
        assert not any(n.startswith("Left out") for n in left_out_notes(case, today=TODAY))


def _isla(relationships: list[dict], chronology: list[dict] | None = None,
          notes: dict[str, str] | None = None) -> Case:
    notes = notes or {}
    people = [
        {"id": "isla", "name": "Isla Shah", "sex": "female", "born": 2017},
        {"id": "hana", "name": "Hana Shah (mum, 36)", "sex": "female", "born": 1990},
        {"id": "reece", "name": "Reece Carter", "sex": "male", "born": 1988},
        {"id": "gary", "name": "Mr Gary Shah", "sex": "male", "born": 1987},
        {"id": "pat", "name": "Pat Shah", "sex": "female", "born": 1960},
    ]
    for p in people:
        if p["id"] in notes:
            p["notes"] = notes[p["id"]]
    return parse_case({
        "id": "isla", "title": "Isla", "fictional": True, "focal_child": "isla",
        "people": people,
        "unions": [{"id": "u1", "partners": ["hana", "gary"], "status": "separated",
                    "ended": 2020},
                   {"id": "u2", "partners": ["hana", "reece"], "status": "cohabiting"}],
        "parents": [{"child": "isla", "parents": ["hana", "gary"]},
                    {"child": "gary", "parents": ["pat"]}],
        "relationships": relationships,
        "households": [{"id": "h", "name": "Mum's flat", "members": ["hana", "reece", "isla"]}],
        "chronology": chronology or [],
    }, "isla.yaml")


def test_abuse_leaves_out_couple_and_joint_questions_and_says_why():
    case = _isla([{"from": "reece", "to": "hana", "kind": "physical_abuse"}])
    questions = generate(case, today=TODAY)
    for q in questions:
        if q.audience in PROTECTED:
            assert not {"hana", "reece"} <= set(q.people), q.text
            assert not ("Mum" in q.text and "Reece" in q.text), q.text
    assert not any(q.template in ("S1", "R7", "I1", "I2", "I4") and q.audience == "family"
                   and "Reece" in q.text for q in questions)
    # Nor is the worker asked about them as a couple.
    assert not any(q.template.startswith("I") and {"hana", "reece"} <= set(q.people)
                   for q in questions)
    notes = left_out_notes(case, today=TODAY)
    assert ("Left out: questions that bring Reece and Mum together, because abuse is "
            "recorded between them.") in notes[0]
    # Isla lives with it: Reece is not asked about with her either.
    assert any("Reece and Isla" in n and "abuse by Reece is recorded in Isla's home" in n
               for n in notes)
    assert not any("reece" in q.people for q in questions if q.audience == "child")
    worker = {q.template for q in questions if q.audience == "supervision"
              and {"hana", "reece"} <= set(q.people)}
    assert {"SOS6", "SF1", "SF2", "SF3", "SF4", "SF5"} <= worker
    sf3 = next(q.text for q in questions if q.template == "SF3")
    assert sf3 == ("How could you speak with Isla's mum Hana on her own, where Reece cannot "
                   "hear? What would help her feel safe to talk?")


@pytest.mark.parametrize("where", ["line", "event", "notes"])
@pytest.mark.parametrize("words,rule", [
    ("Reece pushed Hana against the door.", "violence"),
    ("A non-molestation order means Reece must not contact Hana.", "no_contact"),
    ("Hana says Reece uses coercive control over money.", "abuse"),
])
def test_words_in_the_case_fire_rules(where, words, rule):
    line = {"from": "reece", "to": "hana", "kind": "conflict"}
    if where == "line":
        case = _isla([{**line, "notes": words}])
    elif where == "event":
        case = _isla([], chronology=[{"date": "2026-10", "event": words,
                                      "people": ["reece", "hana"]}])
    else:
        case = _isla([], notes={"reece": words})
    pairs = {p.people: p.rule for p in guarded_pairs(case, year=TODAY.year)}
    assert pairs.get(frozenset(("reece", "hana"))) == rule
    reason = RULES.rule(rule).reason
    assert any(reason in n for n in left_out_notes(case, today=TODAY))


def test_everyday_words_do_not_fire_rules():
    case = _isla([{"from": "gary", "to": "hana", "kind": "conflict",
                   "notes": "Gary says he feels pushed out. They argue about money."}])
    assert guarded_pairs(case, year=TODAY.year) == []
    assert left_out_notes(case, today=TODAY) == []


def test_a_child_hitting_out_at_home_is_not_kept_apart_from_their_carer():
    case = _isla([{"from": "isla", "to": "pat", "kind": "conflict",
                   "notes": "Isla hits out at Nan after contact."},
                  {"from": "reece", "to": "gary", "kind": "hostile"}])
    pairs = {p.people: p.rule for p in guarded_pairs(case, year=TODAY.year)}
    assert frozenset(("isla", "pat")) not in pairs  # violence guards two adults only
    assert pairs[frozenset(("reece", "gary"))] == "hostility"


def test_names_are_read_safely():
    assert person_names("Hana Shah (mum, 36)") == ["Hana"]
    assert person_names("Mrs Pat O'Neil-Shah") == ["Pat"]
    assert person_names("Kayode (Kay) Adeyemi-Hart") == ["Kay", "Kayode"]
    case = _isla([])
    texts = " ".join(q.text for q in generate(case, today=TODAY))
    assert "mum, 36" not in texts and "(" not in texts and "Mr " not in texts
    assert "Isla's mum Hana" in texts


def test_the_first_screen_offers_the_worker_a_safety_question():
    from systemic.questions.bank import load_bank
    from systemic.questions.rank import choose

    guards = {t.id for t in load_bank().templates if t.guards}
    case = _isla([{"from": "reece", "to": "hana", "kind": "emotional_abuse"}])
    shown = choose(generate(case, today=TODAY))
    safety = [q for q in shown if q.template in guards]
    assert safety and all(q.audience == "supervision" for q in safety)
