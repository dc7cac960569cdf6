"""Specifications for reading YAML data files safely (systemic/datafile.py), issue 17 point 2."""

from __future__ import annotations

import doctest
import resource
import time
from pathlib import Path

import pytest
import yaml

import systemic.datafile as datafile_module
from systemic.cases import load_case
from systemic.cli import main
from systemic.datafile import MAX_DEPTH, MAX_PROBLEMS, MAX_VALUES, read_yaml
from systemic.errors import DataFileError

ROOT = Path(__file__).resolve().parents[1]
BLENDED = ROOT / "case_templates" / "blended_family.yaml"


PERSON = "id: x\ntitle: T\nfictional: true\npeople:\n- {id: a, name: A, born: "


def _write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_line(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(DataFileError) as e:
        load_case(path)
    assert len(e.value.problems) == 1, str(e.value)
    line = str(e.value)
    assert "\n" not in line and line.startswith(f"{path}: ")
    return line


def _alias_bomb(levels: int, field: str = "title") -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "id: bomb\nfictional: true\n" + "\n".join(lines) + f"\n{field}: *a{levels - 1}\n"


def test_the_examples_in_the_module_run():
    result = doctest.testmod(datafile_module)
    assert result.attempted >= 5 and result.failed == 0


@pytest.mark.parametrize("levels", [9, 12])
def test_an_alias_bomb_is_refused_while_reading_in_moments_and_little_memory(tmp_path, levels):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    line = _one_line(tmp_path, _alias_bomb(levels))
    assert time.perf_counter() - started < 0.5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB
    assert f"more than {MAX_VALUES:,} values" in line and "alias" in line and "line " in line


def test_an_alias_a_program_wrote_is_read_as_the_value_it_repeats(tmp_path):
    data = yaml.safe_load(BLENDED.read_text(encoding="utf-8"))
    data["tags"] = ["blended"]
    data["chronology"][0]["people"] = data["chronology"][1]["people"] = ["george"]
    text = yaml.safe_dump(data)
    assert "&id001" in text and "*id001" in text  # PyYAML shares the repeated list
    case = load_case(_write(tmp_path, text))
    assert case.chronology[1].people == ["george"]


def test_an_alias_inside_the_value_it_names_is_refused(tmp_path):
    line = _one_line(tmp_path, "id: x\ntitle: T\nfictional: true\ntags: &t [a, *t]\n")
    assert "'*t' repeats a part of the file that contains it" in line
    assert "line 4" in line


def test_aliases_cannot_nest_past_the_depth_limit(tmp_path):
    deep = "[" * 30 + "x" + "]" * 30
    text = f"id: x\ntitle: T\nfictional: true\na: &a {deep}\nb: &b [[[[[[[[[[[*a]]]]]]]]]]]\n"
    assert f"over {MAX_DEPTH} levels" in _one_line(tmp_path, text)


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("? [a, b]\n: 1", "a list or a set of fields"),
        ("{a: 1}: v", "a list or a set of fields"),
        ("1984: born", "is read as a number"),
        ("yes: please", "yes/no or nothing"),
        ("null: nothing", "yes/no or nothing"),
    ],
)
def test_a_field_name_must_be_a_plain_word(tmp_path, key, words):
    line = _one_line(tmp_path, f"id: x\ntitle: T\nfictional: true\n{key}\n")
    assert words in line and "line 4" in line


def test_a_number_thousands_of_digits_long_is_refused_by_its_length(tmp_path):
    text = PERSON + "7" * 5000 + "}\n"
    line = _one_line(tmp_path, text)
    assert "5,000 digits long" in line and len(line) < 200


def test_a_huge_wrong_value_is_quoted_cut_short(tmp_path):
    text = PERSON + "\"" + "9" * 400_000 + "\"}\n"
    line = _one_line(tmp_path, text)
    assert 'people[0].born: "999' in line and "..." in line and len(line) < 250


def test_a_value_with_control_characters_stays_on_one_line(tmp_path):
    text = PERSON + '"19\\n\\x1b[2J84"}\n'
    line = _one_line(tmp_path, text)
    assert "\x1b" not in line and "\\n" in line and "\\x1b" in line


def test_a_flood_of_problems_is_listed_up_to_a_limit_and_counted(tmp_path):
    people = "".join(f"- {{id: p{i}, name: P, born: x{i}}}\n" for i in range(200))
    path = _write(tmp_path, "id: x\ntitle: T\nfictional: true\npeople:\n" + people)
    with pytest.raises(DataFileError) as e:
        load_case(path)
    assert len(e.value.problems) == MAX_PROBLEMS + 1
    assert e.value.problems[-1].message.startswith(f"and {200 - MAX_PROBLEMS:,} more problems")


def test_too_many_values_are_refused_before_validation(tmp_path):
    path = _write(tmp_path, "id: x\ntitle: T\nfictional: true\ntags: [" + "a," * 60_000 + "a]\n")
    with pytest.raises(DataFileError, match=f"more than {MAX_VALUES:,} values"):
        read_yaml(path)


def test_validate_checks_every_file_after_a_bad_one(tmp_path, capsys):
    bomb = _write(tmp_path, _alias_bomb(9), "bomb.yaml")
    keys = _write(tmp_path, "id: x\n{a: 1}: v\n", "keys.yaml")
    assert main(["validate", str(bomb), str(keys), str(BLENDED)]) == 2
    out, err = capsys.readouterr()
    assert f"{BLENDED}: ok (fictional training case" in out
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines] == [str(bomb), str(keys)]
    assert "Traceback" not in err
