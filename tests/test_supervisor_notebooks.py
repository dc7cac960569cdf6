"""The session notebook runs, non-interactively, on every training case (issues 4 and 12).

For each training case a fresh store holds one session on that case (each
case with a different framework, so the frameworks' wording is exercised
too); the one supervisor notebook, ``notebooks/supervisor/session.ipynb``, is
then run in a real kernel, as nbval would, pointed at that store. No cell may
fail, no step may fall back to its "cannot open the session" message, every
step shows "Step N of 8", and nothing may be written back to the notebook.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from markupsafe import escape  # as the widgets' templates escape
from nbclient import NotebookClient

from systemic.cases import load_case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.frameworks import framework_ids, get_framework
from systemic.paths import CASES_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from systemic.session import SupervisorSession, snapshot
from systemic.steps import steps
from systemic.store import Store
from systemic.store.location import STORE_ENV

TRAINING_CASES = sorted(p for p in CASES_DIR.glob("*.yaml") if p.stem != "blank")
SUPERVISOR_NOTEBOOKS = sorted((NOTEBOOKS_DIR / "supervisor").glob("*.ipynb"))
SESSION_ENV = "SYSTEMIC_WORKBOOK_SESSION"

#: Something the notebook must show when its steps opened properly: every step's heading,
#: and the forms of the step the group is on (later steps are drawn when the group gets
#: there; tests/test_whole_session_browser.py goes through all of them).
_SHOWN = [
    "Start the session",
    *(escape(s.where) for s in steps()),
]


@contextmanager
def _environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) environment variables, and put them back afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _widget_texts(nb: nbformat.NotebookNode) -> list[str]:
    """Every string value of every widget the run displayed (nbclient keeps their state)."""
    state = (
        nb.metadata.get("widgets", {})
        .get("application/vnd.jupyter.widget-state+json", {})
        .get("state", {})
    )
    return [
        value
        for model in state.values()
        for value in model.get("state", {}).values()
        if isinstance(value, str)
    ]


def test_there_are_training_cases_and_one_supervisor_notebook() -> None:
    assert len(TRAINING_CASES) >= 3
    assert [p.name for p in SUPERVISOR_NOTEBOOKS] == ["session.ipynb"]


@pytest.mark.parametrize("case_file", TRAINING_CASES, ids=lambda p: p.stem)
def test_every_supervisor_notebook_runs_on_the_training_case(
    case_file: Path, tmp_path: Path
) -> None:
    frameworks = framework_ids()
    framework_id = frameworks[TRAINING_CASES.index(case_file) % len(frameworks)]
    store_path = tmp_path / "workbook.db"
    with Store.open(store_path) as store:
        session_id = SupervisorSession.start(
            store,
            framework_id=framework_id,
            case=load_case(case_file),
            participants=DEMO_PARTICIPANTS,
        ).session_id
    on_disk = {path: path.read_bytes() for path in SUPERVISOR_NOTEBOOKS}

    with _environment(**{STORE_ENV: str(store_path), SESSION_ENV: None}):
        for path in SUPERVISOR_NOTEBOOKS:
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(
                nb, timeout=120, kernel_name="python3",
                resources={"metadata": {"path": str(PROJECT_ROOT)}},
            )
            client.execute()  # raises CellExecutionError, naming the cell, if one fails
            errors = [
                output for cell in nb.cells if cell.cell_type == "code"
                for output in cell.get("outputs", []) if output.output_type == "error"
            ]
            assert errors == [], f"{path.name} on {case_file.stem}: {errors}"
            shown = _widget_texts(nb)
            unavailable = [t for t in shown if "role='alert'" in t]
            assert unavailable == [], f"{path.name} on {case_file.stem}: {unavailable}"
            for expected in _SHOWN:
                assert any(expected in t for t in shown), f"{path.name} did not show {expected}"

    assert {path: path.read_bytes() for path in SUPERVISOR_NOTEBOOKS} == on_disk
    with Store.open(store_path, readonly=True) as reader:
        snap = snapshot(reader, session_id)
        assert snap is not None and snap.case is not None
        assert snap.case.id == load_case(case_file).id
        # Opening the steps does not move the group: only "Move the group on" does.
        assert snap.current_step == steps()[0].id


def test_switching_the_sessions_framework_changes_the_wording_a_step_shows(
    tmp_path: Path,
) -> None:
    from widgets.plan import PlanPanel
    from widgets.uncertainty import UncertaintyPanel

    store = Store.open(tmp_path / "workbook.db")
    session = SupervisorSession.start(
        store,
        framework_id="camden_practice_framework",
        case=load_case(CASES_DIR / "blended_family.yaml"),
        participants=DEMO_PARTICIPANTS,
    )
    camden = get_framework("camden_practice_framework").prompt("uncertainty")
    warwickshire = get_framework("warwickshire_relational_practice").prompt("uncertainty")
    assert camden.guidance != warwickshire.guidance

    before = UncertaintyPanel(session).intro.value
    plan_before = PlanPanel(session)
    store.update_session(session.session_id, framework_id="warwickshire_relational_practice")
    after = UncertaintyPanel(session).intro.value
    plan_after = PlanPanel(session)

    assert escape(camden.guidance) in before and escape(warwickshire.guidance) not in before
    assert escape(warwickshire.guidance) in after and escape(camden.guidance) not in after
    assert escape(warwickshire.title) in after
    # The plan step follows too: Warwickshire holds plans up to its five principles.
    assert plan_before.check_rows == [] and len(plan_after.check_rows) == 5
