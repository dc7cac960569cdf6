"""End to end on PostgreSQL: `serve` with a viewer's role, a real browser follows the supervisor.

A real PostgreSQL server (tests/pgserver.py), the real ``systemic-workbook serve``
command (Voila, pre-heated kernel, 127.0.0.1) reading the store as the
``participant`` role, and Debian's Chromium. The supervisor writes through the
domain API as the store's owner; the participant's page shows each change.
The command is stopped by its process id.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from systemic.cases import Case, Person
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.session import SupervisorSession
from systemic.store import Store
from tests.conftest import free_port
from tests.pgserver import PARTICIPANT

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
LOAD = 90_000  # ms: a page load on a busy 2-core machine
CHANGE = 15_000  # ms: a change reaching a page


def _wait_for_line(process: subprocess.Popen[str], text: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    seen = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"'{text}' never came: {''.join(seen)[-2000:]}")


def test_a_participant_page_served_from_postgresql_follows_the_supervisor(
    postgres, browser: Any
):
    schema = postgres.new_schema()
    owner, viewer = postgres.url(schema=schema), postgres.url(PARTICIPANT, schema=schema)
    case = Case(id="pg-browser", title="The Rivers family (fictional)", fictional=True,
                people=[Person(id="mia", name="Mia Rivers", sex="female", born=2014),
                        Person(id="jo", name="Jo Rivers", sex="female", born=1987)])
    with Store.open(owner) as store:
        session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                          case=case, title="Tuesday group on PostgreSQL")
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        serve = subprocess.Popen(
            [sys.executable, "-m", "systemic.cli", "serve", "--store", owner,
             "--viewer-store", viewer, "--session", session.session_id,
             "--participants", "1", "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
        page = None
        try:
            printed = _wait_for_line(serve, "Ready for 1 participant", 180)
            assert "postgresql://" in printed and "@" in printed
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/", timeout=LOAD)
            page.wait_for_selector(".wb-geno-stage svg [data-person]", timeout=LOAD)
            assert page.inner_text(".wb-title") == "Tuesday group on PostgreSQL"
            session.go_to("hypotheses")
            save_hypothesis(store, session.discussion_id, Hypothesis(
                text="I wonder whether Mia and Jo worry about the same things",
                people_involved=["mia", "jo"]))
            page.wait_for_function(
                "t => document.querySelector('.wb-hypotheses')?.textContent.includes(t)",
                arg="worry about the same things", timeout=CHANGE)
            # Each part of the page is redrawn on its own: the step line may come a moment later.
            page.wait_for_function(
                "t => document.querySelector('.wb-step-current')?.textContent.includes(t)",
                arg="Hypotheses", timeout=CHANGE)
            # The room reads as the participant role (PostgreSQL refuses it any write).
            assert postgres.connections(PARTICIPANT) >= 1
        finally:
            if page is not None:
                page.close()
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.wait(timeout=30)
            if serve.stdout is not None:
                serve.stdout.close()
    assert serve.returncode is not None
