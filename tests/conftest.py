"""Shared fixtures: a real store on disk, training cases, free loopback ports, a real Chromium.

Nothing here is a stand-in for our own components: tests start the same
servers `make demo` starts, on 127.0.0.1, and stop them by process id.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from systemic.cases import Case, load_case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store

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


_STORE_FOLDER = pytest.StashKey[Path]()


def pytest_unconfigure(config: pytest.Config) -> None:
    # The run's store holds a session on a training case: nothing of a case stays behind.
    folder = config.stash.get(_STORE_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    # Notebooks run by nbval inherit this: they must never touch a person's real store.
    folder = Path(tempfile.mkdtemp(prefix="workbook-test-store-"))
    config.stash[_STORE_FOLDER] = folder
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


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    """A new, empty session store on disk, closed after the test."""
    with Store.open(store_path) as s:
        yield s


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """One real PostgreSQL server for the whole run (tests/pgserver.py), stopped at the end."""
    from tests.pgserver import TemporaryPostgres

    server = TemporaryPostgres().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres) -> str:
    """A supervisor's address of a new, empty store (its own schema) on that server."""
    return postgres.url(schema=postgres.new_schema())


@pytest.fixture(scope="module")
def blended() -> Case:
    """The blended family training case (Maya between two homes)."""
    return load_case(CASES_DIR / "blended_family.yaml")


@pytest.fixture(scope="module")
def kinship() -> Case:
    """The kinship care training case."""
    return load_case(CASES_DIR / "kinship_care.yaml")


@pytest.fixture
def discussion(store: Store, kinship: Case) -> str:
    """A case discussion of the kinship care case, in a session with Camden's charter."""
    session = store.create_session("Tuesday group", "camden_social_work_charter")
    return store.add_discussion(session, kinship)


@pytest.fixture
def session(store: Store, blended: Case) -> SupervisorSession:
    """A supervisor's session on the blended family, with the demo's participants."""
    return SupervisorSession.start(
        store, framework_id="camden_practice_framework", case=blended,
        participants=DEMO_PARTICIPANTS,
    )


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


@pytest.fixture(autouse=True)
def _a_fresh_kernel_session() -> Iterator[None]:
    """Each test starts as a new notebook kernel would: no session chosen, no store held."""
    yield
    from widgets.guide import forget

    forget()
