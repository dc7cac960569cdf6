"""Where the workbook's data folders are.

The frameworks, case templates and notebooks live at the top of the project
(the client fixed that layout); code finds them from here so that tests,
notebooks and the command line agree. ``SYSTEMIC_WORKBOOK_HOME`` points
elsewhere, e.g. at a council's own copy of the folders.

>>> (PROJECT_ROOT / "frameworks").name
'frameworks'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PROJECT_ROOT",
    "FRAMEWORKS_DIR",
    "VOCABULARIES_DIR",
    "CASES_DIR",
    "NOTEBOOKS_DIR",
    "SHARED_DIR",
]

PROJECT_ROOT = Path(
    os.environ.get("SYSTEMIC_WORKBOOK_HOME", Path(__file__).resolve().parent.parent)
)
FRAMEWORKS_DIR = PROJECT_ROOT / "frameworks"
VOCABULARIES_DIR = FRAMEWORKS_DIR / "vocabularies"
CASES_DIR = PROJECT_ROOT / "case_templates"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
#: The project lead's read-only material (seeds, design notes, sample GEDCOM files) sits beside
#: the checkout, as it does on developers' machines and in CI.
SHARED_DIR = Path(os.environ.get("SYSTEMIC_WORKBOOK_SHARED", PROJECT_ROOT.parent / "shared"))
