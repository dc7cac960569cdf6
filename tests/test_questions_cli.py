"""``systemic-workbook questions CASE_FILE``: the subcommand's arguments and output."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import yaml

from systemic.questions.cli import add_arguments, run

CASE = {
    "id": "ana", "title": "Ana", "fictional": True, "focal_child": "ana",
    "people": [
        {"id": "ana", "name": "Ana Lopez", "sex": "female", "born": 2016},
        {"id": "rosa", "name": "Rosa Lopez", "sex": "female", "born": 1989},
        {"id": "luis", "name": "Luis Lopez", "sex": "male", "born": 1987},
        {"id": "gran", "name": "Carmen Lopez", "sex": "female", "born": 1960},
    ],
    "parents": [{"child": "ana", "parents": ["rosa", "luis"]},
                {"child": "rosa", "parents": ["gran"]}],
    "relationships": [{"from": "rosa", "to": "luis", "kind": "conflict"}],
}


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="systemic-workbook questions")
    add_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "ana.yaml"
    path.write_text(yaml.safe_dump(CASE), encoding="utf-8")
    return path


def test_json_prints_a_list_of_questions_with_the_agreed_fields(case_file, capsys):
    assert run(parse(str(case_file), "--json")) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, list) and 0 < len(out) <= 30
    for q in out:
        assert {"type", "subtype", "audience", "text", "people", "template"} <= set(q)
        assert isinstance(q["people"], list)
    assert len({q["type"] for q in out}) >= 5


def test_text_output_numbers_the_questions_and_says_who_is_asked(case_file, capsys):
    assert run(parse(str(case_file), "--limit", "8")) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Questions about Ana Lopez (ana.yaml): 8 of ")
    assert out[1].lstrip().startswith("1. [")
    assert any("asked of the child" in line for line in out)


def test_focus_centres_the_questions_on_someone_else(case_file, capsys):
    assert run(parse(str(case_file), "--focus", "rosa", "--json")) == 0
    out = json.loads(capsys.readouterr().out)
    assert not [q for q in out if q["audience"] == "child"]  # Rosa is an adult


def test_filters_and_a_typed_hypothesis_reach_the_generator(case_file, capsys):
    assert run(parse(str(case_file), "--json", "--type", "reflexive", "--audience",
                     "supervision", "--hypothesis", "Ana's stomach aches bring Rosa and "
                     "Luis together", "--limit", "50")) == 0
    out = json.loads(capsys.readouterr().out)
    assert out and {q["type"] for q in out} == {"reflexive"}
    assert {q["audience"] for q in out} == {"supervision"}
    tested = [q for q in out if q["hypothesis_id"] == "h1"]
    assert tested and {"ana", "rosa", "luis"} <= {p for q in tested for p in q["people"]}


def test_a_bad_case_file_is_one_line_on_stderr_and_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\nfictional: true\npeople:\n  - {id: a, name: A, "
                   "born: 19x0}\n  - {id: b}\n", encoding="utf-8")
    assert run(parse(str(bad))) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and "more" in err
    assert run(parse(str(tmp_path / "missing.yaml"))) == 2
    assert "file not found" in capsys.readouterr().err


def test_an_unknown_person_or_limit_is_refused_plainly(case_file, capsys):
    assert run(parse(str(case_file), "--focus", "zed")) == 2
    err = capsys.readouterr().err
    assert "--focus" in err and "'zed'" in err and "ana" in err
    assert run(parse(str(case_file), "--limit", "0")) == 2
    assert "--limit" in capsys.readouterr().err


GEDCOM = Path("/work/shared/data/gedcom/bronte.ged")


@pytest.mark.skipif(not GEDCOM.exists(), reason="the shared GEDCOM samples are not here")
def test_a_family_tree_file_works_too(capsys):
    assert run(parse(str(GEDCOM), "--json", "--limit", "10")) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 10
    assert all("{" not in q["text"] for q in out)


def test_a_case_with_no_family_yet_says_why_there_are_no_questions(capsys):
    from systemic.paths import CASES_DIR

    assert run(parse(str(CASES_DIR / "blank.yaml"))) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["No questions yet for blank.yaml: the workbook writes them from the "
                   "family's people and relationships — add them to the case file first."]
