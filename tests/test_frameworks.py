"""Specifications for councils' practice frameworks as data (systemic.frameworks)."""

from __future__ import annotations

import json
import os
import re
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from systemic.errors import DataFileError
from systemic.frameworks import (
    STEP_IDS,
    Framework,
    UnknownFramework,
    framework_ids,
    framework_json_schema,
    get_framework,
    list_frameworks,
    load_framework,
)
from systemic.paths import FRAMEWORKS_DIR, SHARED_DIR

SEED_OF = {
    "camden_practice_framework": "000_1d8eb92c588cabe3.txt",
    "barking_dagenham_cares": "001_ef3adcee17a9f65b.txt",
    "camden_social_work_charter": "002_3c8f708474e0d836.txt",
    "warwickshire_relational_practice": "003_801e192407e21fba.txt",
    "north_somerset_practice_framework": "004_a8f5311f57806c93.txt",
}
SEEDS_DIR = Path(os.environ.get("SYSTEMIC_SEEDS_DIR", SHARED_DIR / "seeds"))


@pytest.fixture(scope="module")
def frameworks() -> dict[str, Framework]:
    return {f.id: f for f in list_frameworks()}


def _data(framework_id: str) -> dict:
    return yaml.safe_load((FRAMEWORKS_DIR / f"{framework_id}.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


# --- the five frameworks --------------------------------------------------------------


def test_all_five_councils_frameworks_load_sorted_by_id(frameworks):
    assert list(frameworks) == sorted(SEED_OF)


def test_ids_are_unique_and_equal_to_file_stems():
    stems = sorted(p.stem for p in FRAMEWORKS_DIR.glob("*.yaml"))
    ids = [load_framework(FRAMEWORKS_DIR / f"{stem}.yaml").id for stem in stems]
    assert ids == stems
    assert len(set(ids)) == len(ids)
    assert framework_ids() == stems


def test_each_framework_names_the_seed_it_is_paraphrased_from(frameworks):
    for framework_id, seed in SEED_OF.items():
        assert frameworks[framework_id].source.file == seed
        assert frameworks[framework_id].source.title


def test_every_framework_has_a_prompt_for_every_session_step(frameworks):
    for framework in frameworks.values():
        for step in STEP_IDS:
            prompt = framework.prompt(step)
            assert prompt.title.strip(), (framework.id, step)
            assert 2 <= len(_sentences(prompt.guidance)) <= 5, (framework.id, step)


def test_every_prompt_says_where_its_words_come_from(frameworks):
    for framework in frameworks.values():
        seed_number = framework.source.file[:3]
        for step in STEP_IDS:
            source = framework.prompt(step).source
            assert framework.source.file in source or source.startswith(seed_number) or (
                "DOMAIN.md" in source
            ), (framework.id, step, source)


def test_camden_check_in_questions_are_the_seeds_own(frameworks):
    questions = frameworks["camden_practice_framework"].check_in.questions
    assert len(questions) == 3
    assert "planned this week" in questions[0] and "support" in questions[0]
    assert "showing up today" in questions[1]
    assert "act of kindness" in questions[2]
    assert frameworks["camden_practice_framework"].check_in.source == SEED_OF[
        "camden_practice_framework"
    ]
    assert frameworks["camden_practice_framework"].prompt("check_in").questions == questions


def test_frameworks_the_seed_gives_no_check_in_say_theirs_comes_from_domain(frameworks):
    for framework_id in SEED_OF:
        if framework_id == "camden_practice_framework":
            continue
        assert "DOMAIN.md" in frameworks[framework_id].check_in.source


def test_switching_framework_changes_the_guidance_for_the_same_step(frameworks):
    for step in STEP_IDS:
        for a, b in combinations(frameworks.values(), 2):
            assert a.prompt(step).guidance != b.prompt(step).guidance, (step, a.id, b.id)
            assert a.prompt(step).title != b.prompt(step).title, (step, a.id, b.id)


def test_barking_and_dagenham_has_the_cares_values_and_ten_principles(frameworks):
    framework = frameworks["barking_dagenham_cares"]
    assert "".join(v.name[0] for v in framework.values) == "CARES"
    assert len(framework.principles) == 10
    assert framework.principles[2].name == "Use caring language"


def test_warwickshire_has_five_principles_and_the_social_discipline_window(frameworks):
    tools = {t.id: t for t in frameworks["warwickshire_relational_practice"].practice_tools}
    five = tools["five_principles_of_good_practice"]
    assert [i.name for i in five.items][0] == "Voice of the child"
    assert len(five.items) == 5
    assert {i.name for i in tools["social_discipline_window"].items} == {"With", "To", "For", "Not"}
    assert len(tools["safe_uncertainty"].items) == 4
    assert frameworks["warwickshire_relational_practice"].plan_template.kind == "smart_actions"


def test_north_somerset_has_trauma_principles_signs_of_safety_and_pace(frameworks):
    framework = frameworks["north_somerset_practice_framework"]
    kinds = {t.kind: t for t in framework.practice_tools}
    assert [i.name for i in kinds["trauma_informed_principles"].items] == [
        "Safety", "Choice and clarity", "Collaboration", "Trustworthiness", "Empowerment",
        "Inclusivity",
    ]
    assert [i.name[0] for i in kinds["pace"].items] == ["P", "A", "C", "E"]
    assert "signs_of_safety" in kinds
    assert framework.plan_template.kind == "signs_of_safety"


def test_camden_charter_has_its_exercises_roles_and_note_on_the_childs_file(frameworks):
    framework = frameworks["camden_social_work_charter"]
    kinds = {t.kind for t in framework.practice_tools}
    assert {"circularity_exercise", "concept_cards", "tree_of_life", "cultural_genogram",
            "family_group_conference", "themes_and_patterns"} <= kinds
    roles = [r.role for r in framework.supervision.roles]
    assert "Senior practitioners" in roles and "Team managers" in roles
    note = framework.note_for_child_file
    assert note.required is True
    assert note.template and "agreed template" in note.template
    # The charter never says notes are written to the child: the data must not claim it.
    assert note.written_to_child is None
    assert framework.supervision.themes_and_patterns


def test_the_five_frameworks_offer_different_tools(frameworks):
    kinds = {f.id: frozenset(t.kind for t in f.practice_tools) for f in frameworks.values()}
    assert len(set(kinds.values())) == 5


def test_tools_for_a_step_are_the_tools_that_list_it(frameworks):
    framework = frameworks["warwickshire_relational_practice"]
    ids = [t.id for t in framework.tools_for("uncertainty")]
    assert "safe_uncertainty" in ids
    assert all("uncertainty" in t.steps for t in framework.tools_for("uncertainty"))


def test_every_suggested_question_can_be_filled_with_the_names_in_the_case(frameworks):
    for framework in frameworks.values():
        for step in STEP_IDS:
            prompt = framework.prompt(step)
            for question in prompt.filled_questions(child="Amy", family_member="Mum"):
                assert "{" not in question and "}" not in question, (framework.id, step)


def test_asking_for_a_step_the_workbook_does_not_have_names_the_steps(frameworks):
    with pytest.raises(ValueError, match="check_in, case, genogram"):
        frameworks["camden_practice_framework"].prompt("reflection")


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed documents are not on this machine")
def test_frameworks_paraphrase_their_seed_rather_than_quote_it_at_length():
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))

    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    run = 10
    for framework_id, seed in SEED_OF.items():
        seed_words = words((SEEDS_DIR / seed).read_text(encoding="utf-8"))
        seed_runs = {tuple(seed_words[i : i + run]) for i in range(len(seed_words) - run + 1)}
        for text in strings(_data(framework_id)):
            w = words(text)
            quoted = [" ".join(w[i : i + run]) for i in range(len(w) - run + 1)
                      if tuple(w[i : i + run]) in seed_runs]
            assert not quoted, (framework_id, quoted[0])


# --- finding frameworks ---------------------------------------------------------------


def test_get_framework_returns_the_framework_with_that_id():
    assert get_framework("north_somerset_practice_framework").council.startswith("North Somerset")


def test_get_framework_for_an_unknown_id_names_the_frameworks_there_are():
    with pytest.raises(UnknownFramework) as e:
        get_framework("hackney")
    assert '"hackney"' in str(e.value)
    for framework_id in SEED_OF:
        assert framework_id in str(e.value)


def test_get_framework_does_not_follow_a_path_out_of_the_folder():
    with pytest.raises(UnknownFramework):
        get_framework("../frameworks/camden_practice_framework")


def test_list_frameworks_skips_the_schema_and_the_vocabularies(tmp_path):
    _write(tmp_path, "camden_practice_framework", _data("camden_practice_framework"))
    (tmp_path / "schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "vocabularies").mkdir()
    (tmp_path / "vocabularies" / "graces.yaml").write_text("source: x\n", encoding="utf-8")
    assert [f.id for f in list_frameworks(tmp_path)] == ["camden_practice_framework"]


def test_list_frameworks_reports_every_broken_file_at_once(tmp_path):
    for framework_id in ("barking_dagenham_cares", "camden_practice_framework"):
        data = _data(framework_id)
        del data["summary"]
        _write(tmp_path, framework_id, data)
    with pytest.raises(DataFileError) as e:
        list_frameworks(tmp_path)
    assert sorted(Path(p.file).stem for p in e.value.problems) == [
        "barking_dagenham_cares", "camden_practice_framework",
    ]


# --- broken framework files -----------------------------------------------------------


def test_a_missing_field_is_named_with_the_file(tmp_path):
    data = _data("camden_practice_framework")
    del data["summary"]
    path = _write(tmp_path, "camden_practice_framework", data)
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    assert [(p.file, p.field) for p in e.value.problems] == [(str(path), "summary")]
    assert str(e.value) == f"{path}: summary: is missing — add it"


def test_a_wrong_type_is_named_with_the_file_and_field(tmp_path):
    data = _data("warwickshire_relational_practice")
    data["values"] = "curious"
    data["practice_tools"][0]["steps"] = "plan"
    path = _write(tmp_path, "warwickshire_relational_practice", data)
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    fields = {p.field: p.message for p in e.value.problems}
    assert "should be a list" in fields["values"]
    assert "practice_tools[0].steps" in fields
    assert all(line.startswith(f"{path}: ") for line in str(e.value).splitlines())


def test_a_prompt_for_an_unknown_step_names_the_real_steps(tmp_path):
    data = _data("north_somerset_practice_framework")
    data["prompts"]["reflection"] = data["prompts"].pop("note")
    path = _write(tmp_path, "north_somerset_practice_framework", data)
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    fields = {p.field: p.message for p in e.value.problems}
    assert fields["prompts.reflection"].startswith('"reflection" is not a session step')
    assert "check_in" in fields["prompts.reflection"]
    assert fields["prompts.note"] == "is missing — add it"


def test_a_tool_step_the_workbook_does_not_have_is_refused(tmp_path):
    data = _data("camden_practice_framework")
    data["practice_tools"][0]["steps"] = ["gracess"]
    path = _write(tmp_path, "camden_practice_framework", data)
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    assert e.value.problems[0].field == "practice_tools[0].steps[0]"


def test_a_question_with_a_blank_the_workbook_cannot_fill_is_refused(tmp_path):
    data = _data("barking_dagenham_cares")
    data["prompts"]["case"]["questions"][0] = "What does {social_worker} think?"
    path = _write(tmp_path, "barking_dagenham_cares", data)
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    assert e.value.problems[0].field == "prompts.case.questions"
    assert "{child} or {family_member}" in e.value.problems[0].message


def test_an_unknown_field_is_refused_rather_than_ignored(tmp_path):
    data = _data("camden_practice_framework")
    data["valuez"] = []
    path = _write(tmp_path, "camden_practice_framework", data)
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    assert e.value.problems[0].field == "valuez"
    assert "not a field we know" in e.value.problems[0].message


def test_two_tools_with_one_id_are_refused(tmp_path):
    data = _data("camden_practice_framework")
    data["practice_tools"].append(dict(data["practice_tools"][0]))
    path = _write(tmp_path, "camden_practice_framework", data)
    with pytest.raises(DataFileError, match='practice_tools: the practice tool id "social_graces"'):
        load_framework(path)


def test_an_id_that_differs_from_the_file_name_is_refused_with_the_fix(tmp_path):
    path = _write(tmp_path, "camden", _data("camden_practice_framework"))
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    assert e.value.problems[0].field == "id"
    assert "write id: camden" in e.value.problems[0].message


def test_a_file_that_is_a_list_is_refused_in_one_line(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    assert len(str(e.value).splitlines()) == 1


# --- the committed schema -------------------------------------------------------------


def test_the_committed_schema_is_the_models_schema():
    committed = json.loads((FRAMEWORKS_DIR / "schema.json").read_text(encoding="utf-8"))
    assert committed == framework_json_schema(), (
        "frameworks/schema.json is out of date — run: .venv/bin/python -m systemic.frameworks"
    )


def test_the_schema_lists_every_session_step_as_required():
    prompts = framework_json_schema()["$defs"]["Prompts"]
    assert prompts["required"] == list(STEP_IDS)
    assert prompts["additionalProperties"] is False


def test_every_prompt_a_supervisor_sees_passes_the_jargon_check():
    from systemic.jargon import jargon_findings

    found = [
        (framework.id, step, finding.term)
        for framework in list_frameworks()
        for step in STEP_IDS
        for text in (framework.prompt(step).title, framework.prompt(step).guidance,
                     *framework.prompt(step).questions)
        for finding in jargon_findings(text)
    ]
    assert found == []


# -- blanks in questions are a closed list (issue 17 point 3) ------------------------------


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Who does {child:d} go to?", "{child:d} has more than a name between its braces — "
                                      "write just {child}"),
        ("Who does {child:>1000000000} go to?", "{child:>1000000000} has more than a name"),
        ("Who does {child.__class__} go to?", "{child.__class__} has more than a name"),
        ("Who does {child[0]} go to?", "{child[0]} has more than a name"),
        ("Who does {child!r} go to?", "{child!r} has more than a name"),
        ("Who does {0} go to?", "{0} is not a blank the workbook can fill — use only {child} "
                                "or {family_member}"),
        ("Who does {} go to?", "{} is not a blank the workbook can fill — use only {child}"),
        ("How old is {parent}?", "{parent} is not a blank the workbook can fill — use only"),
        ("Who does {child go to?", "has an unmatched { — write blanks like {child}"),
        ("Who does child} go to?", "has an unmatched } — write blanks like {child}"),
    ],
)
def test_a_question_may_only_use_the_blanks_the_workbook_fills(tmp_path, question, words):
    data = _data("camden_practice_framework")
    data["prompts"]["hypotheses"]["questions"] = [question]
    path = _write(tmp_path, "camden_practice_framework", data)
    with pytest.raises(DataFileError) as e:
        load_framework(path)
    assert [p.field for p in e.value.problems] == ["prompts.hypotheses.questions"]
    assert words in e.value.problems[0].message


def test_a_practice_tools_questions_are_checked_the_same_way(tmp_path):
    data = _data("barking_dagenham_cares")
    data["practice_tools"][0]["questions"] = ["What does {child:^99999} want?"]
    path = _write(tmp_path, "barking_dagenham_cares", data)
    with pytest.raises(DataFileError, match=r"practice_tools\[0\]\.questions: \{child:\^99999\}"):
        load_framework(path)


def test_validate_lists_the_blanks_allowed(tmp_path, capsys):
    from systemic.cli import main

    data = _data("camden_practice_framework")
    data["prompts"]["questions"]["questions"] = ["What would {sibling} say?"]
    path = _write(tmp_path, "camden_practice_framework", data)
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{path}: prompts.questions.questions: {{sibling}} is not a blank the workbook can "
        "fill — use only {child} or {family_member}"
    )


def test_filling_blanks_puts_names_in_as_plain_text():
    from systemic.frameworks import fill

    assert fill("Does {child} see {family_member}? {{x}}", "{family_member}", "Mum {0}") == (
        "Does {family_member} see Mum {0}? {x}"
    )
    # A question never checked still cannot be made to build a huge string.
    assert fill("{child:>1000000000}", "Amy", "Mum") == "{child:>1000000000}"


@pytest.mark.parametrize("framework_id", framework_ids())
def test_every_question_of_every_framework_fills_with_every_blank(framework_id):
    framework = get_framework(framework_id)
    longest = "N" * 200
    for step in STEP_IDS:
        prompt = framework.prompt(step)
        for question, filled in zip(
            prompt.questions, prompt.filled_questions(longest, longest), strict=True
        ):
            assert "{" not in filled and "}" not in filled
            assert len(filled) <= len(question) + 200 * question.count("{")
