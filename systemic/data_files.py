"""The workbook's own data files that a council or trainer may reword, and how each is read.

``systemic-workbook validate`` checks case files, frameworks and family trees by their
content; these files are recognised by their folder and name, and read by the loader
the workbook itself uses, so a mistake is told the way the workbook would meet it. Any
other YAML file is read as a case.

>>> from pathlib import Path
>>> readers_of(Path("frameworks/vocabularies/jargon.yaml"))
['systemic.jargon:load_jargon']
>>> readers_of(Path("case_templates/blank.yaml"))
[]
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

__all__ = ["DATA_FILES", "readers_of", "read_data_file"]

#: (folder, file name) → the loaders that read it ("module:function", each taking a path).
DATA_FILES: dict[tuple[str, str], tuple[str, ...]] = {
    ("vocabularies", "checkin_prompts.yaml"): ("systemic.vocabularies:load_checkin_prompts",),
    ("vocabularies", "child_file_note.yaml"): ("systemic.note:load_note_wording",),
    ("vocabularies", "child_letter.yaml"): ("systemic.letter:load_letter_wording",),
    ("vocabularies", "coach.yaml"): ("systemic.hypotheses:load_coach",
                                     "systemic.graces:load_grace_wording"),
    ("vocabularies", "concept_cards.yaml"): ("systemic.vocabularies:load_concept_cards",),
    ("vocabularies", "graces.yaml"): ("systemic.vocabularies:load_graces",),
    ("vocabularies", "jargon.yaml"): ("systemic.jargon:load_jargon",),
    ("vocabularies", "plan.yaml"): ("systemic.plan:load_plan_vocabulary",),
    ("vocabularies", "relationships.yaml"): ("systemic.vocabularies:load_relationship_kinds",),
    ("vocabularies", "uncertainty.yaml"): ("systemic.uncertainty:load_uncertainty",),
    ("workshop", "breakout.yaml"): ("systemic.workshop.breakout:load_breakout_wording",),
    ("team", "themes.yaml"): ("systemic.team.themes:load_themes",),
    ("team", "wording.yaml"): ("systemic.team.analysis:load_team_wording",),
    ("systemic", "dashboard.yaml"): ("systemic.dashboard:load_wording",),
}


def readers_of(path: Path) -> list[str]:
    """The loaders of ``path`` if it is one of :data:`DATA_FILES`, else an empty list."""
    return list(DATA_FILES.get((path.resolve().parent.name, path.name), ()))


def read_data_file(path: Path) -> Any:
    """Read ``path`` with each of its loaders (raising ``DataFileError`` as they do)."""
    read = None
    for reader in readers_of(path):
        module, function = reader.split(":")
        read = getattr(importlib.import_module(module), function)(path)
    return read
