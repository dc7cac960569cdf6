"""Shared fixtures: a real store on disk, free loopback ports, a real Voila, a real Chromium.

Nothing here is a stand-in for our own components: tests start the same
servers `make demo` starts, on 127.0.0.1, and stop them by process id.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    # Notebooks run by nbval inherit this: they must never touch a person's real store.
    folder = Path(tempfile.mkdtemp(prefix="workbook-test-store-"))
    os.environ["SYSTEMIC_WORKBOOK_STORE"] = str(folder / "workbook.db")
    os.environ.pop("SYSTEMIC_WORKBOOK_SESSION", None)
    _seed_session_for_notebooks(folder / "workbook.db")


def _seed_session_for_notebooks(path: Path) -> None:
    """A session on a training case, as `make demo` starts one, for nbval to run the steps on."""
    from systemic.cases import load_case
    from systemic.cli import DEMO_CASE, DEMO_FRAMEWORK, DEMO_PARTICIPANTS
    from systemic.paths import CASES_DIR
    from systemic.session import SupervisorSession
    from systemic.store import Store

    with Store.open(path) as store:
        SupervisorSession.start(
            store,
            framework_id=DEMO_FRAMEWORK,
            case=load_case(CASES_DIR / DEMO_CASE),
            participants=DEMO_PARTICIPANTS,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "workbook.db"


# Module scope: Playwright's sync API holds an event loop on this thread while it is open,
# which would stop other tests from running their own asyncio loops.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
