"""End to end: two breakout groups write, the trainer's plenary page follows, in a real browser.

A real SQLite file with a workshop of two groups, a real Voila serving the real plenary
notebook, one real Chromium page, checked with axe-core. The test starts Voila itself on
127.0.0.1 and stops it by process id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from systemic import serving
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.paths import NOTEBOOKS_DIR
from systemic.questions.generate import Question
from systemic.store import Store
from systemic.workshop.breakout import WORKSHOP_ENV, Workshop, create_workshop
from tests.conftest import free_port

pytestmark = pytest.mark.browser

PLENARY = NOTEBOOKS_DIR / "dashboards" / "plenary.ipynb"
AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
HOSTILE = "<img src=x onerror=alert(1)>"
LOAD = 90_000  # ms: a page load (kernel start included) on a busy 2-core machine
CHANGE = 15_000  # ms: a change reaching the page


@dataclass
class Live:
    workshop: Workshop
    store: Store
    url: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    store_path = tmp_path_factory.mktemp("plenary") / "workbook.db"
    store = Store.open(store_path)
    workshop = create_workshop(store, "Tuesday", "blended_family", 2, "camden_practice_framework")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = serving.start(
        "plenary",
        serving.voila_command(PLENARY, port=port),
        url=url,
        probe_url=serving.probe_url(serving.LOOPBACK, port),
        env={"SYSTEMIC_WORKBOOK_STORE": str(store_path), WORKSHOP_ENV: workshop.id},
        log=store_path.with_suffix(".voila.log"),
    )
    try:
        serving.wait_until_answers(server, timeout=120)
        yield Live(workshop, store, url)
    finally:
        serving.stop(server)
        store.close()
    assert server.process.poll() is not None, "Voila must be stopped by the test"


def _serious_accessibility_problems(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the whole page, one line each."""
    assert AXE.exists(), "axe-core is missing: run `npm ci --prefix tests/js` (make test does)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run('html', {resultTypes: ['violations']})")
    assert len(result["passes"]) > 10, "axe ran its checks"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _text_appears(page: Any, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel)?.textContent.includes(text)",
        arg=[selector, text],
        timeout=CHANGE,
    )


def test_each_groups_work_appears_live_in_its_own_column(
    live: Live, browser: Any, artifacts: Path
) -> None:
    dialogs: list[str] = []
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(live.url, timeout=LOAD)
        for number in (1, 2):
            page.wait_for_selector(f".wb-group-{number} .wb-geno-stage svg [data-person]",
                                   timeout=LOAD)
            assert page.inner_text(f".wb-group-{number} #wb-group-{number}") == f"Group {number}"
        assert "Workshop Tuesday" in page.inner_text(".wb-plenary .wb-title")
        assert page.title() == "Every group side by side — Systemic Supervision Workbook"

        one, two = (live.store.discussions(s)[0].id for s in live.workshop.group_session_ids)
        save_hypothesis(live.store, one, Hypothesis(
            text=f"I wonder whether Maya keeps the peace at handover {HOSTILE}",
            evidence_for=["She goes quiet on Sunday evenings"],
        ))
        question = Question("circular", "difference", "family",
                            "Who notices first when Maya is worried?", ("maya",), "C1")
        live.store.put_record(two, "question", question.to_json())

        _text_appears(page, ".wb-group-1 .wb-hypotheses", "keeps the peace at handover")
        _text_appears(page, ".wb-group-1 .wb-hypotheses", HOSTILE)
        _text_appears(page, ".wb-group-1 .wb-hypotheses", "She goes quiet on Sunday evenings")
        _text_appears(page, ".wb-group-2 .wb-questions", "Who notices first when Maya is worried?")
        assert "keeps the peace" not in page.inner_text(".wb-group-2 .wb-hypotheses")
        assert "Who notices first" not in page.inner_text(".wb-group-1 .wb-questions")
        assert page.locator(".wb-plenary img").count() == 0

        # The keyboard reaches the second group's genogram (bounded: a few dozen stops).
        reached = False
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(
                "() => !!document.activeElement?.closest('.wb-group-2 .wb-geno-stage')"
            ):
                reached = True
                break
        assert reached, "Tab should reach a person in group 2's genogram"

        assert _serious_accessibility_problems(page) == []

        page.set_viewport_size({"width": 1400, "height": 2200})
        page.screenshot(path=str(artifacts / "plenary.png"), full_page=True)
        assert (artifacts / "plenary.png").stat().st_size > 10_000
    finally:
        page.close()
    assert dialogs == []
    elsewhere = [u for u in requested
                 if not u.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:"))]
    assert elsewhere == [], "the plenary contacts only our server"
