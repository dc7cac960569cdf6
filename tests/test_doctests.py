"""Every example in every docstring of ``systemic/`` and ``benchmarks/`` runs as it says.

Docstrings promise a tiny runnable example (the project's standard); this runs
them all, module by module, so an example can never drift from the code.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import systemic

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _modules() -> list[str]:
    """Every module of ``systemic/``, and the benchmark scripts (their helpers count
    what the closing notes report)."""
    names = [systemic.__name__]
    for info in pkgutil.walk_packages(systemic.__path__, prefix="systemic."):
        names.append(info.name)
    names += [f"benchmarks.{p.stem}" for p in BENCHMARKS.glob("*.py") if p.stem != "__init__"]
    return sorted(names)


MODULES = _modules()


def test_every_module_is_found() -> None:
    assert "systemic.genogram.layout.routing" in MODULES
    assert "benchmarks.genogram" in MODULES
    assert len(MODULES) > 60


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures: list[str] = []
    for test in finder.find(module, name):
        if not test.examples:
            continue
        result = runner.run(test, out=failures.append)
        assert result.failed == 0, "".join(failures)
