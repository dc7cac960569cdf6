"""The question bank: templates as data, with the rules a generator relies on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from systemic.errors import DataFileError
from systemic.questions.bank import (
    AUDIENCES,
    BANK_PATH,
    SCHEMA_PATH,
    TOMM_TYPES,
    bank_json_schema,
    load_bank,
    parse_bank,
    role_letters,
)

BANK = load_bank()


def _one(**template) -> dict:
    base = {"id": "X1", "type": "circular", "subtype": "triadic", "tomm": "circular",
            "source": "test", "text": {"family": "Who?"}}
    return {"source": "test", "templates": [{**base, **template}]}


def _problem(data: dict) -> str:
    with pytest.raises(DataFileError) as e:
        parse_bank(data, "bank.yaml")
    return str(e.value)


def test_the_bank_holds_at_least_80_templates_with_unique_ids():
    ids = [t.id for t in BANK.templates]
    assert len(ids) >= 80
    assert len(set(ids)) == len(ids)


def test_every_tomm_type_and_every_named_family_of_question_is_present():
    assert {t.tomm for t in BANK.templates} == set(TOMM_TYPES)
    subtypes = {(t.type, t.subtype) for t in BANK.templates}
    for wanted in [("solution_focused", "miracle"), ("solution_focused", "scaling"),
                   ("solution_focused", "exception"), ("solution_focused", "coping"),
                   ("signs_of_safety", "worried"), ("signs_of_safety", "working-well"),
                   ("signs_of_safety", "needs-to-happen"), ("circular", "triadic"),
                   ("circular", "behavioural-effect"), ("reflexive", "future-oriented")]:
        assert wanted in subtypes, wanted


def test_every_audience_is_served_and_children_get_their_own_wording():
    audiences = {a for t in BANK.templates for a in t.audiences}
    assert audiences == set(AUDIENCES)
    child = [t for t in BANK.templates if "child" in t.text]
    assert len(child) >= 40
    assert all("{child}" not in t.text["child"] for t in child)


def test_the_domain_ids_of_section_3_5_are_kept():
    ids = {t.id for t in BANK.templates}
    for wanted in ["L1", "L5", "C1", "C9", "C12", "C20", "R1", "R10", "R13", "S1", "S3",
                   "F1", "F2", "F9", "F10", "F11", "G1", "G4"]:
        assert wanted in ids


def test_no_template_asks_a_child_about_adult_intimacy():
    for t in BANK.templates:
        if t.intimacy:
            assert "child" not in t.text, t.id


def test_questions_about_the_dead_are_in_the_past_tense():
    past = re.compile(r"\b(died|was|were|did|told|changed|losing|helped|had)\b")
    loss = [t for t in BANK.templates if t.loss]
    assert len(loss) >= 4
    for t in loss:
        for words in t.text.values():
            assert past.search(words), (t.id, words)


def test_strategic_templates_are_low_priority_and_carry_a_caution():
    strategic = [t for t in BANK.templates if t.tomm == "strategic"]
    assert strategic
    assert all(t.priority <= 0.3 and t.caution for t in strategic)


def test_schema_json_is_the_models_schema_and_accepts_the_bank():
    on_disk = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert on_disk == bank_json_schema()
    jsonschema.validate(yaml.safe_load(BANK_PATH.read_text(encoding="utf-8")), on_disk)


def test_letters_are_given_out_in_the_order_of_the_roles():
    assert role_letters(["child", "sibling", "carer"]) == {0: (), 1: ("A",), 2: ("B",)}
    assert role_letters(["pair", "third"]) == {0: ("A", "B"), 1: ("C",)}


def test_a_placeholder_no_role_fills_is_refused_naming_the_template_and_fix():
    message = _problem(_one(text={"family": "When {A} argues, what happens?"}))
    assert "template 'X1'" in message and "{A}" in message and "add the role" in message


def test_a_child_wording_for_an_intimacy_question_is_refused():
    message = _problem(_one(needs=["couple"], intimacy=True,
                            text={"family": "How did {A} and {B} meet?",
                                  "child": "How did {A} and {B} meet?"}))
    assert "intimacy" in message and "remove text.child" in message


def test_a_child_wording_that_names_the_child_is_refused():
    message = _problem(_one(needs=["child"], text={"child": "How is {child}?"}))
    assert "says 'you'" in message


def test_loss_and_the_lost_role_go_together():
    assert "'loss: true'" in _problem(_one(needs=["lost"], text={"family": "Who misses {A}?"}))


def test_lines_of_harm_are_for_supervision_only():
    message = _problem(_one(needs=["pair"], line_kinds=["sexual_abuse"],
                            text={"family": "What happens between {A} and {B}?"}))
    assert "supervision only" in message


def test_a_third_person_needs_two_people_before_it():
    message = _problem(_one(needs=["carer", "third"], text={"family": "{A} and {B}?"}))
    assert "'third' needs two people" in message


def test_a_question_naming_more_people_than_there_are_letters_is_refused_in_one_line():
    """Four two-person roles need eight letters (A to F are all there are): one line
    saying so and how to mend it, not a traceback."""
    message = _problem(_one(needs=["pair", "couple", "two_carers", "event_people"],
                            text={"family": "How do {A} and {B} get on?"}))
    assert "names 8 people" in message and "split it into two questions" in message


def test_duplicate_ids_are_refused():
    data = _one()
    data["templates"].append(dict(data["templates"][0]))
    assert "already used" in _problem(data)


def test_a_broken_file_names_the_file(tmp_path: Path):
    path = tmp_path / "bank.yaml"
    path.write_text("source: x\ntemplates: []\n", encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_bank(path)
    assert str(path) in str(e.value) and "templates" in str(e.value)
