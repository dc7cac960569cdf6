"""The first end-to-end slice: the supervisor's API writes, a participant's page follows.

A real SQLite file, a real Voila serving the real dashboard notebook, a real
Chromium. The test starts Voila itself and stops it by process id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from systemic import serving
from systemic.cases import Case, Person
from systemic.session import SupervisorSession
from systemic.store import Store
from tests.conftest import free_port

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"


def _case() -> Case:
    return Case(
        id="browser-test",
        title="The Rivers family (fictional)",
        fictional=True,
        question="How can we help Mia feel heard at both homes?",
        people=[
            Person(id="mia", name="Mia Rivers", sex="female", born=2014, index=True),
            Person(id="odd", name=HOSTILE, sex="male", born=1985),
        ],
    )


@pytest.fixture
def live(store_path: Path) -> Iterator[tuple[SupervisorSession, str]]:
    store = Store.open(store_path)
    session = SupervisorSession.start(
        store, framework_id="camden_practice_framework", case=_case(), title="Tuesday group"
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = serving.start(
        "participants",
        serving.voila_command(port=port),
        url=url,
        probe_url=url,
        env={
            "SYSTEMIC_WORKBOOK_STORE": str(store_path),
            "SYSTEMIC_WORKBOOK_SESSION": session.session_id,
        },
    )
    try:
        serving.wait_until_answers(server, timeout=120)
        yield session, url
    finally:
        serving.stop(server)
        store.close()
    assert server.process.poll() is not None, "Voila must be stopped by the test"


def test_a_change_by_the_supervisor_appears_in_the_participant_page(live, browser, artifacts):
    session, url = live
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(url, timeout=90_000)
        page.wait_for_selector(".wb-title", timeout=90_000)
        assert page.inner_text(".wb-title") == "Tuesday group"
        assert "Starting the session" in page.inner_text(".wb-step-current")

        session.go_to("graces")
        session.rename("Tuesday group — after the break")
        page.wait_for_function(
            "() => document.querySelector('.wb-step-current')?.innerText.includes('GRRAACCEESS')",
            timeout=15_000,
        )
        page.wait_for_function(
            "() => document.querySelector('.wb-title')?.innerText.includes('after the break')",
            timeout=15_000,
        )

        session.select_person("odd")
        page.wait_for_selector(".wb-selected", timeout=15_000)
        assert HOSTILE in page.inner_text(".wb-selected"), "typed text is shown literally"
        assert page.locator(".wb-dashboard img").count() == 0
        page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    finally:
        page.close()
    assert dialogs == []
    elsewhere = [
        u
        for u in requested
        if not u.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:"))
    ]
    assert elsewhere == [], "participants' browsers contact only our server"
