"""Two people on the council's hub, in two browsers: a supervisor shares, a participant follows.

Issue 19, point 3. The hub demonstration (JupyterHub and its proxy, local
processes, a throwaway PostgreSQL with a council's roles) runs on 127.0.0.1
and is stopped by process id. The supervisor signs in, opens the session
notebook in their own JupyterLab, runs it, starts a *new* session and opens
a room for it; a participant signs in in a second browser context, opens the
link, accepts, and sees that session; the supervisor moves the group on and
the participant's page follows. The participant is refused at the
supervisor's JupyterLab and files, at another session's view and at the
hub's admin pages, and their visit is noted in the store as a count.
Screenshots are kept in ``test-artifacts/hub/``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from systemic import hub_demo
from systemic.store import Store
from tests.test_hub import _free_port, _new_session, _sign_in, _supervisor_hub
from tests.test_whole_session_browser import _run_all
from widgets.jupyter import hub_room

pytestmark = pytest.mark.browser

WAIT = 120_000  # ms: a slow, shared machine, and a JupyterLab to start
SEEN = 20_000  # ms: for a change to reach the participant's page


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[hub_demo.HubDemo]:
    demo = hub_demo.start_hub_demo(port=_free_port() + 20, supervisors=("sam",), places=2,
                                   state=tmp_path_factory.mktemp("hub-browser"))
    try:
        yield demo
    finally:
        hub_demo.stop_hub_demo(demo)
    assert demo.hub.process.poll() is not None


def _sign_in_page(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/hub/login", timeout=WAIT)
    page.fill("#username_input", name)
    page.fill("#password_input", "any password")
    page.click("#login_submit")
    page.wait_for_url(re.compile(r".*/hub/(home|spawn).*"), timeout=WAIT)


#: The kernel a participant's page talks to, as the page itself reads it.
KERNEL_ID = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


def test_a_supervisor_shares_a_session_and_a_participant_follows_it_and_nothing_else(
    hub: hub_demo.HubDemo, browser: Any, artifacts: Path
) -> None:
    shots = artifacts / "hub"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    base = hub.url
    supervisor = browser.new_context(viewport={"width": 1400, "height": 1000})
    participant = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        lab = supervisor.new_page()
        _sign_in_page(lab, base, "sam")
        lab.goto(f"{base}/hub/spawn", timeout=WAIT)
        lab.wait_for_url(re.compile(r".*/user/sam/lab.*"), timeout=WAIT)
        lab.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT)
        try:
            _run_all(lab)
        finally:
            first = lab.locator(".wb-step-section").first
            if first.count():
                first.scroll_into_view_if_needed()
            lab.screenshot(path=str(shots / "00-run-all.png"))
        lab.screenshot(path=str(shots / "01-supervisor-lab.png"))

        one = lab.locator(".wb-step-section").first
        one.locator(".widget-dropdown", has_text="Case").locator("select").select_option(
            label="Nana and Grandad's twins")
        one.locator("textarea").first.fill("Sam — supervisor\nAnn — presenter")
        one.get_by_role("button", name="Start the session").click()
        one.get_by_text("Session started and saved").wait_for(timeout=WAIT)
        one.get_by_role("button", name="Open a room for the group").click()
        link = one.locator("a[href*='accept-share']")
        link.wait_for(timeout=WAIT)
        join_url = link.get_attribute("href")
        assert join_url and join_url.startswith(f"{base}/hub/accept-share?code=")
        assert one.locator("[aria-label='QR code of the join link'] svg").count() == 1
        lab.screenshot(path=str(shots / "02-room-opened.png"))

        room = participant.new_page()
        _sign_in_page(room, base, "ann")
        room.goto(join_url, timeout=WAIT)
        room.get_by_role("button", name="Accept invitation").click()
        room.wait_for_function(
            "() => document.querySelector('.wb-title')?.innerText.includes('Nana and Grandad')",
            timeout=WAIT)
        room.screenshot(path=str(shots / "03-participant-joined.png"), full_page=True)

        # The supervisor moves the group on; the participant's page follows.
        one.get_by_role("button", name=re.compile("^Move the group on")).click()
        room.wait_for_function(
            "() => document.querySelector('.wb-status')?.innerText.includes('Check-in')",
            timeout=SEEN)
        room.screenshot(path=str(shots / "04-participant-follows.png"), full_page=True)

        # Reloading, behind the hub's sign-in too, keeps the participant's own place.
        kernel = room.evaluate(KERNEL_ID)
        room.reload(timeout=WAIT)
        room.wait_for_function(
            "() => document.querySelector('#rendered_cells .wb-status')?.innerText"
            ".includes('Check-in')", timeout=WAIT)
        assert room.evaluate(KERNEL_ID) == kernel

        with Store.open(hub.store, readonly=True) as store:
            session_id = store.running_session()
            assert session_id is not None
            assert store.views_opened(session_id) >= 1  # who opened it is kept, not shown

        # Nothing else is theirs: the supervisor's JupyterLab and files, another session's
        # room, the hub's admin pages and starting a server of their own.
        other = hub_room.open_room(_new_session(hub.store, "Another group"),
                                   _supervisor_hub(base, _sign_in(base, "sam")))
        for url in (f"{base}/user/sam/lab", f"{base}/user/sam/api/contents",
                    f"{base}{other.server_url}", f"{base}/hub/admin", f"{base}/hub/spawn"):
            answer = room.goto(url, timeout=WAIT)
            assert answer is not None and answer.status in (403, 404), (url, answer.status)
        room.screenshot(path=str(shots / "05-participant-refused.png"))
    finally:
        supervisor.close()
        participant.close()
