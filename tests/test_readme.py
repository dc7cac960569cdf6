"""The README's promises: its example case validates, and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from systemic.cases import parse_case
from systemic.cli import build_parser
from systemic.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_the_example_case_in_the_readme_is_valid() -> None:
    block = re.search(r"```yaml\n(.*?)```", README, re.S)
    assert block, "the README shows a small case example"
    case = parse_case(yaml.safe_load(block.group(1)), "README.md")
    assert case.fictional and case.focal_child == "mia"


def test_the_two_commands_are_make_targets() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "demo-check"):
        assert f"make {target}" in README
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M)
    assert "make test" in Path(PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_the_readme_names_exists() -> None:
    named = set(re.findall(r"^systemic-workbook (\w+)", README, re.M))
    choices = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert named and named <= set(choices)
