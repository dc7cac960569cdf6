"""The supervisor's JupyterLab, for real: the genogram step runs, a click reaches the store,
and saving the notebook keeps nothing of the case in the file.

JupyterLab is started the way `systemic-workbook demo` starts it, on a copy of the notebook
in a temporary folder, and stopped by process id.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from systemic import serving
from systemic.cases import load_case
from systemic.paths import CASES_DIR, NOTEBOOKS_DIR
from systemic.session import SupervisorSession, snapshot
from systemic.store import Store
from tests.conftest import free_port

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/supervisor/session.ipynb"


@dataclass
class Lab:
    url: str
    store_path: Path
    root: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks" / "supervisor").mkdir(parents=True)
    shutil.copy(NOTEBOOKS_DIR / "supervisor" / Path(NOTEBOOK).name, root / NOTEBOOK)
    store_path = root / "workbook.db"
    with Store.open(store_path) as store:
        session = SupervisorSession.start(
            store, framework_id="camden_practice_framework",
            case=load_case(CASES_DIR / "blended_family.yaml"),
        )
        session.go_to("case")  # the group is on the genogram step, so it is drawn
    port, token = free_port(), serving.new_token()
    base = f"http://127.0.0.1:{port}"
    server = serving.start(
        "supervisor",
        serving.lab_command(port=port, token=token, open_browser=False, root_dir=root),
        url=base,
        probe_url=f"{base}/api/status?token={token}",
        env={"SYSTEMIC_WORKBOOK_STORE": str(store_path),
             "SYSTEMIC_WORKBOOK_SESSION": session.session_id},
    )
    try:
        serving.wait_until_answers(server, timeout=120)
        yield Lab(f"{base}/lab/tree/{NOTEBOOK}?token={token}", store_path, root)
    finally:
        serving.stop(server)
    assert server.process.poll() is not None


def _run_all_cells(page: Any, lab: Lab, person: str, nth: int) -> Any:
    """Open the session notebook, run every cell, and return the ``nth`` person matching
    ``person`` once the genogram has drawn them."""
    page.goto(lab.url, timeout=90_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    # The kernel must be ready before "Run All Cells" does anything.
    page.wait_for_function("() => document.body.innerText.includes('| Idle')",
                           timeout=90_000)
    found = page.locator(person).nth(nth)
    for _ in range(3):  # bounded: the menu may be clicked before it is ready
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            found.wait_for(timeout=30_000)
            break
        except Exception:  # noqa: BLE001 - tried again below, and asserted after
            page.keyboard.press("Escape")
    found.wait_for(timeout=30_000)
    return found


def test_the_genogram_step_runs_in_jupyterlab_and_a_click_reaches_the_store(lab, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        person = _run_all_cells(page, lab, ".wb-geno-stage g.person", 0)
        key = person.get_attribute("data-person")
        person.click()
        with Store.open(lab.store_path, readonly=True) as reader:
            for _ in range(100):  # bounded: up to 10 s for the comm round trip and the write
                snap = snapshot(reader)
                if snap is not None and snap.selected_person:
                    break
                page.wait_for_timeout(100)
        assert snap is not None and snap.selected_person == key

        # Save: the file on disk keeps the script, never the case.
        file = lab.root / NOTEBOOK
        before = file.stat().st_mtime_ns
        page.locator(".jp-Notebook").first.click()
        page.keyboard.press("Control+s")
        for _ in range(100):  # bounded: up to 10 s for the save to land
            if file.stat().st_mtime_ns != before:
                break
            page.wait_for_timeout(100)
        assert file.stat().st_mtime_ns != before, "the notebook was saved"
        saved = json.loads((lab.root / NOTEBOOK).read_text(encoding="utf-8"))
        assert "widgets" not in saved["metadata"]
        assert all(c.get("outputs", []) == [] for c in saved["cells"])
        case = load_case(CASES_DIR / "blended_family.yaml")
        text = (lab.root / NOTEBOOK).read_text(encoding="utf-8")
        assert not any(p.name in text for p in case.people)
    finally:
        page.close()


def test_keys_pressed_on_the_genogram_never_edit_the_notebook(lab, browser):
    # A keyboard user moving from person to person pressed "b" (a cell was added below)
    # or "d d" (a step's cell was deleted): JupyterLab's shortcuts, not the genogram's.
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        person = _run_all_cells(page, lab, ".wb-geno-stage g.person[tabindex]", 1)
        # Every step is drawn before the keys are pressed: wait for the kernel to be free.
        page.wait_for_function("() => document.body.innerText.includes('| Idle')",
                               timeout=90_000)
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        person.focus()
        for key in ("b", "a", "d", "d", "x", "m"):
            page.keyboard.press(key)
        page.keyboard.press("Enter")  # the genogram's own key still picks the person out
        with Store.open(lab.store_path, readonly=True) as reader:
            for _ in range(100):  # bounded: up to 10 s for the comm round trip and the write
                snap = snapshot(reader)
                if snap is not None and snap.selected_person == person.get_attribute(
                        "data-person"):
                    break
                page.wait_for_timeout(100)
        assert snap is not None and snap.selected_person == person.get_attribute("data-person")
        assert page.locator(".jp-Notebook .jp-Cell").count() == cells
        # The same for a step's lists, buttons and tick boxes (typing "d" twice on a list to
        # reach an option starting with D deleted the step's cell).
        section = page.locator(".wb-step-section").nth(2)
        for control in (section.locator("select").first, section.locator("button").first,
                        page.locator(".wb-step-section input[type=checkbox]").first):
            control.focus()
            for key in ("b", "d", "d", "x"):
                page.keyboard.press(key)
            assert page.locator(".jp-Notebook .jp-Cell").count() == cells
        assert page.evaluate("() => document.body.innerText.match(/Mode: \\w+/)?.[0]") == (
            "Mode: Command")
    finally:
        page.close()
