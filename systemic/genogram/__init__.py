"""The genogram and ecomap of a case: model, checks, edits, family words, import.

A :class:`~systemic.cases.Case` is the source of truth. This package reads it as a
graph (:mod:`.model`), refuses families that cannot exist (:mod:`.validate`),
edits it with undo and redo (:mod:`.commands`), names each person in the words a
family uses (:mod:`.kinship`), draws the ecomap (:mod:`.ecomap`) and imports
GEDCOM family trees (:mod:`.gedcom`). Layout and drawing of the genogram itself
live in :mod:`.layout` and :mod:`.draw`.

Names are imported on first use, so that loading a case (which runs the family
checks) does not pull in networkx.

>>> from systemic.genogram import family_problems
>>> family_problems.__module__
'systemic.genogram.validate'
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "Genogram",
    "family_problems",
    "check_family",
    "case_problems",
    "GenogramEditor",
    "InvalidEdit",
    "relation_to",
    "describe",
    "label_for",
    "role_label",
    "initials",
    "ecomap_svg",
    "load_gedcom",
]

_WHERE = {
    "Genogram": "model",
    "family_problems": "validate",
    "check_family": "validate",
    "case_problems": "validate",
    "GenogramEditor": "commands",
    "InvalidEdit": "commands",
    "relation_to": "kinship",
    "describe": "kinship",
    "label_for": "kinship",
    "role_label": "kinship",
    "initials": "kinship",
    "ecomap_svg": "ecomap",
    "load_gedcom": "gedcom",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
