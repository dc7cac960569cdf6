"""End to end: the supervisor's API writes, two participants' pages follow, in a real browser.

A real SQLite file, a real Voila serving the real dashboard notebook with
pre-heated kernels, a real Chromium. The test starts Voila itself on
127.0.0.1 and stops it by process id.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from systemic import serving
from systemic.cases import Case, EcomapConnection, Household, Person
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.session import SupervisorSession
from systemic.store import Store
from tests.conftest import free_port

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
LOAD = 90_000  # ms: a page load on a busy 2-core machine
PAGES = 7  # pages the tests open: one pre-heated kernel each, none waits for a refill
CHANGE = 15_000  # ms: a change reaching a page


def _case() -> Case:
    return Case(
        id="browser-test",
        title="The Rivers family (fictional)",
        fictional=True,
        question="How can we help Mia feel heard at both homes?",
        people=[
            Person(id="mia", name="Mia Rivers", sex="female", born=2014, index=True),
            Person(id="odd", name=HOSTILE, sex="male", born=1985),
            Person(id="jo", name="Jo Rivers", sex="female", born=1987),
        ],
        households=[Household(id="home", name="Mum's house", members=["mia", "jo"])],
        ecomap=[EcomapConnection(id="school", name="Oakfield School", connected_to="mia"),
                EcomapConnection(id="club", name=HOSTILE, connected_to="jo")],
    )


@dataclass
class Live:
    session: SupervisorSession
    store: Store
    url: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    store_path = tmp_path_factory.mktemp("browser") / "workbook.db"
    store = Store.open(store_path)
    session = SupervisorSession.start(
        store, framework_id="camden_practice_framework", case=_case(), title="Tuesday group"
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = serving.start(
        "participants",
        serving.voila_command(port=port, pool_size=PAGES),
        url=url,
        probe_url=serving.probe_url(serving.LOOPBACK, port),
        env={
            "SYSTEMIC_WORKBOOK_STORE": str(store_path),
            "SYSTEMIC_WORKBOOK_SESSION": session.session_id,
        },
        log=store_path.with_suffix(".voila.log"),
    )
    try:
        serving.wait_until_answers(server, timeout=120)
        serving.wait_for_log(server, "is filled with", timeout=120)
        yield Live(session, store, url)
    finally:
        serving.stop(server)
        store.close()
    assert server.process.poll() is not None, "Voila must be stopped by the test"


def _open(browser: Any, url: str, dialogs: list[str], requested: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url, timeout=LOAD)
    page.wait_for_selector(".wb-geno-stage svg [data-person]", timeout=LOAD)
    return page


def _text_appears(page: Any, selector: str, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel)?.textContent.includes(text)",
        arg=[selector, text],
        timeout=CHANGE,
    )


def test_an_edit_by_the_supervisor_appears_in_two_participant_pages(
    live: Live, browser: Any, artifacts: Path
) -> None:
    dialogs: list[str] = []
    requested: list[str] = []
    pages = [_open(browser, live.url, dialogs, requested) for _ in range(2)]
    try:
        for page in pages:
            assert page.inner_text(".wb-title") == "Tuesday group"
            assert "Starting the session" in page.inner_text(".wb-step-current")
            # The supervisor's ecomap (step 3), typed text shown as text, never run.
            _text_appears(page, ".wb-part-ecomap", "Oakfield School")
            assert page.locator(".wb-part-ecomap svg text", has_text="onerror").count() >= 1
            assert page.locator(".wb-part-ecomap img").count() == 0

        live.session.go_to("hypotheses")
        live.session.select_person("mia")
        save_hypothesis(live.store, live.session.discussion_id, Hypothesis(
            text="I wonder whether Mia and Jo worry about the same things",
            people_involved=["mia", "jo"],
            evidence_for=["Jo rings the school most mornings"],
        ))
        for page in pages:
            _text_appears(page, ".wb-step-current", "Hypotheses")
            _text_appears(page, ".wb-hypotheses", "worry about the same things")
            _text_appears(page, ".wb-hypotheses", "Jo rings the school most mornings")
            page.wait_for_selector('.wb-geno-selected[data-person="mia"]', timeout=CHANGE)
            page.wait_for_selector(".wb-part-hypotheses.wb-section-current", timeout=CHANGE)
            assert "Mia Rivers" in page.inner_text(".wb-selected")

        pages[0].set_viewport_size({"width": 1280, "height": 2400})
        pages[0].screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
        assert (artifacts / "dashboard.png").stat().st_size > 10_000
    finally:
        for page in pages:
            page.close()
    assert dialogs == []
    elsewhere = [u for u in requested
                 if not u.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:"))]
    assert elsewhere == [], "participants' browsers contact only our server"
    heavy = [u for u in requested if "/voila/static/" in u or "/labextensions/" in u]
    assert heavy == [], "the page is kept current by its small client, not Voila's front end"


def test_hostile_text_is_shown_literally_and_no_dialog_ever_opens(
    live: Live, browser: Any
) -> None:
    dialogs: list[str] = []
    page = _open(browser, live.url, dialogs, [])
    try:
        live.session.select_person("odd")
        live.session.rename(f"Tuesday {HOSTILE}")
        save_hypothesis(live.store, live.session.discussion_id,
                        Hypothesis(text=f"Perhaps {HOSTILE} feels left out",
                                   evidence_against=[HOSTILE]))
        _text_appears(page, ".wb-selected", HOSTILE)
        _text_appears(page, ".wb-title", HOSTILE)
        _text_appears(page, ".wb-hypotheses", f"Perhaps {HOSTILE} feels left out")
        page.wait_for_selector('.wb-geno-selected[data-person="odd"]', timeout=CHANGE)
        person = page.locator('.wb-geno-stage g.person[data-person="odd"]')
        assert HOSTILE in person.get_attribute("aria-label")
        assert "<imgsrc=xonerror=alert(1)>" in "".join(person.text_content().split())
        assert page.locator(".wb-dashboard img").count() == 0
        assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
        page.wait_for_timeout(500)  # an onerror handler would have fired by now
        # A word longer than the page is wide wraps; it never pushes the page sideways.
        save_hypothesis(live.store, live.session.discussion_id,
                        Hypothesis(text="Perhaps " + "W" * 300, evidence_for=["E" * 300]))
        _text_appears(page, ".wb-hypotheses", "W" * 300)
        assert page.evaluate(
            "() => [document.documentElement, document.querySelector('.wb-hypotheses')]"
            ".every(e => e.scrollWidth <= e.clientWidth)")
    finally:
        page.close()
    assert dialogs == []


def test_the_current_step_comes_into_view_without_focus_and_without_motion_if_asked(
    live: Live, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 500}, reduced_motion="reduce")
    try:
        page.goto(live.url, timeout=LOAD)
        page.wait_for_selector("#rendered_cells .wb-geno-stage svg [data-person]", timeout=LOAD)
        below = page.evaluate(
            "() => document.querySelector('.wb-part-uncertainty').getBoundingClientRect().top")
        assert below > 500, "the section starts below the fold"
        live.session.go_to("uncertainty")
        page.wait_for_function("() => window.__wbBroughtIntoView === 'uncertainty'",
                               timeout=CHANGE)
        top = page.evaluate(
            "() => document.querySelector('.wb-section-current').getBoundingClientRect().top")
        assert 0 <= top < 500, "the current step's section is on screen"
        assert page.evaluate("() => document.getElementById('wb-snapshot') === null"), (
            "the snapshot goes once the live page is up")
        assert page.evaluate("() => document.activeElement === document.body"), "focus stays"
        assert page.evaluate(
            "() => matchMedia('(prefers-reduced-motion: reduce)').matches") is True
    finally:
        page.close()


#: Whether a person is drawn selected and wholly inside the genogram's box, as seen.
IN_VIEW = """(person) => {
  const node = document.querySelector(`#rendered_cells .wb-geno-stage [data-person="${person}"]`);
  const box = document.querySelector('#rendered_cells .wb-geno-viewport');
  if (!node || !box || !node.classList.contains('wb-geno-selected')) return false;
  const seen = node.getBoundingClientRect(), frame = box.getBoundingClientRect();
  return seen.left >= frame.left && seen.right <= frame.right
      && seen.top >= frame.top && seen.bottom <= frame.bottom;
}"""


def test_on_a_small_screen_the_supervisors_choice_is_brought_into_view(
    live: Live, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 740})  # a small phone (WCAG reflow)
    try:
        page.goto(live.url, timeout=LOAD)
        page.wait_for_selector("#rendered_cells .wb-geno-stage svg [data-person]", timeout=LOAD)
        people = page.evaluate(
            "() => [...document.querySelectorAll('#rendered_cells .wb-geno-stage g.person')]"
            ".map(g => [g.getAttribute('data-person'), g.getBBox().x])"
            ".sort((a, b) => a[1] - b[1]).map(p => p[0])")
        left, right = people[0], people[-1]
        # The page reflows to the phone's width (WCAG 1.4.10): nothing, not even the
        # genogram's zoom buttons, makes it scroll sideways.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        live.session.select_person(left)
        page.wait_for_function(IN_VIEW, arg=left, timeout=CHANGE)
        assert not page.evaluate(IN_VIEW.replace("!node.classList.contains('wb-geno-selected')",
                                                 "false"), right), "the family is wider"
        live.session.select_person(right)  # out of sight until the page brings them in
        page.wait_for_function(IN_VIEW, arg=right, timeout=CHANGE)
        live.session.select_person(left)
        page.wait_for_function(IN_VIEW, arg=left, timeout=CHANGE)
    finally:
        page.close()


def test_a_page_that_loses_its_connection_follows_again_or_says_so(
    live: Live, browser: Any
) -> None:
    connections: list[Any] = []
    refuse = False

    def kernel_socket(route: Any) -> None:  # between the page and its kernel's websocket
        if refuse:
            route.close()
        else:
            connections.append(route.connect_to_server())

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), kernel_socket)
        page.goto(live.url, timeout=LOAD)
        page.wait_for_selector("#rendered_cells .wb-geno-stage svg [data-person]", timeout=LOAD)
        connections[-1].close()  # the laptop's connection drops, then comes back
        live.session.rename("Back again")
        _text_appears(page, ".wb-title", "Back again")
        assert len(connections) == 2 and page.locator(".wb-room-status").is_hidden()
        live.session.rename("Back again, later")
        _text_appears(page, ".wb-title", "Back again, later")
        refuse = True  # and now it cannot come back: the page says so, plainly
        connections[-1].close()
        page.wait_for_selector(".wb-room-status", state="visible", timeout=CHANGE)
        assert "Reload the page" in page.inner_text(".wb-room-status")
        assert page.locator(".wb-title").count() == 1, "the page is drawn once, not twice"
    finally:
        page.close()


def test_the_page_arrives_with_the_current_drawing_before_the_widgets(live: Live) -> None:
    import urllib.request

    live.session.rename(f"Snapshot {HOSTILE}")
    time.sleep(1)  # the room draws each change once, within a tenth of a second
    with urllib.request.urlopen(live.url, timeout=LOAD / 1000) as reply:
        html = reply.read().decode()
    # The tab says what the page is, and screen readers speak UK English (WCAG 2.4.2, 3.1.1).
    assert "<title>Follow the session — Systemic Supervision Workbook</title>" in html
    assert html.count('<html lang="en-GB">') == 1 and '<html lang="en">' not in html
    snapshot = html.split('id="wb-snapshot"')[1].split('id="rendered_cells"')[0]
    # Drawn now, from the store: the new title (escaped), and the genogram's people.
    assert "Snapshot &lt;img src=x onerror=alert(1)&gt;" in snapshot
    assert HOSTILE not in snapshot
    assert '<g class="person"' in snapshot and "wb-geno-stage" in snapshot
