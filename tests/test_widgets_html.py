"""The supervisor's widgets take their HTML from templates: no HTML tag in a Python string.

The house style: widgets only bind and draw; HTML comes from Jinja2 templates
with autoescaping (``systemic/html_templates.py``), so nothing typed can reach
the page unescaped because someone forgot an ``escape(...)``. This scan reads
every string constant (f-strings included) of every ``widgets/*.py`` module
and fails on anything that looks like an HTML tag; there is no allow-list.
Docstrings are documentation (their doctests show what the templates make) and
are not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

WIDGETS = Path(__file__).resolve().parents[1] / "widgets"

#: Every widget module: none may build HTML in a Python string.
MODULES = sorted(path.name for path in WIDGETS.glob("*.py"))

#: An opening or closing tag, or a comment: ``<p``, ``</div``, ``<!--``.
TAG = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9]*[\s>/]|!--)")


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the string constants that are docstrings (module, class, function)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def html_in_strings(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of each string constant in ``source`` holding an HTML tag.

    >>> html_in_strings('x = f"<p>{name}</p>"')
    [(1, '<p>'), (1, '</p>')]
    >>> html_in_strings('def f():\\n    "Makes <p>."\\n    return "a < b"')
    []
    """
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in skip and TAG.search(node.value)
    ]
    found.sort(key=lambda node: (node.lineno, node.col_offset))
    return [(node.lineno, node.value) for node in found]


def test_the_scan_finds_tags_in_plain_and_formatted_strings() -> None:
    found = html_in_strings("a = '<div class=\"x\">'\nb = f'</li>{c}'\nd = 'x <br> y'\n")
    assert [line for line, _ in found] == [1, 2, 3]
    assert "</li>" in dict(found).values()
    assert html_in_strings("a = 'less than: 1 < 2, arrows <- ->'\n") == []


def test_every_widget_module_is_scanned() -> None:
    assert len(MODULES) > 25 and {"questions.py", "note.py", "style.py"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_a_widget_module_has_no_html_in_its_python_strings(name: str) -> None:
    found = html_in_strings((WIDGETS / name).read_text(encoding="utf-8"))
    assert not found, (
        f"widgets/{name} builds HTML in Python strings (line, text): {found[:5]} — move it "
        "into a template under systemic/templates/widgets/ and call render(...)"
    )
