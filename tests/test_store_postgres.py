"""The store on PostgreSQL, beyond the shared contract: roles, addresses, laptops that are not one.

A real server (tests/pgserver.py, started once per run on a Unix socket, each
test in its own schema) with the roles a council's administrator makes: the
supervisor's role owns and writes; ``participant`` may only read; ``manager``
may only read the team view's counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from systemic.cases import load_case
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.team.load import load_team_data
from systemic.workshop.breakout import PlenaryView, create_workshop
from tests.pgserver import MANAGER, PARTICIPANT
from tests.test_store_concurrency import run_two_windows

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = "camden_practice_framework"


@pytest.fixture
def schema(postgres) -> str:
    return postgres.new_schema()


@pytest.fixture
def supervisor_url(postgres, schema: str) -> str:
    return postgres.url(schema=schema)


def fill(store: Store) -> str:
    """A session with a little of every kind of work the team view counts; its id."""
    session = SupervisorSession.start(store, framework_id=FRAMEWORK,
                                      case=load_case(CASES_DIR / "blended_family.yaml"))
    did = session.discussion_id
    store.put_record(did, "tag", {"text": "Grief"})
    store.put_record(did, "tag", {"text": "Maya's secret from Dad"})  # not a theme: 'other'
    store.put_record(did, "grace", {"person": "maya", "grace": "age"})
    store.put_record(did, "grace", {"person": "maya", "grace": "made-up grace"})
    store.put_record(did, "hypothesis", {"text": "h", "graces_considered": ["religion"]})
    store.put_record(did, "hypothesis", {"text": "h2", "status": "set_aside"})
    store.put_record(did, "question", {"text": "q", "tomm": "circular"})
    store.put_record(did, "placement", {"who": "maya", "now": "safe_certainty",
                                        "hoped": "safe_uncertainty"})
    store.put_record(did, "plan", {"actions": [{"due": "2026-01-01", "done": True}, {}]})
    return session.session_id


# -- roles ----------------------------------------------------------------------------------


def test_a_participants_role_cannot_write_even_when_it_asks_postgresql_directly(
    postgres, schema: str, supervisor_url: str
):
    with Store.open(supervisor_url) as store:
        session_id = fill(store)
        store.record_view_opened(session_id, "sam@council.example")
    with Store.open(postgres.url(PARTICIPANT, schema=schema), readonly=True) as viewer:
        assert viewer.session(session_id).title.startswith("Group supervision")
        raw = viewer._conn
        for sql in ("DELETE FROM records", "UPDATE sessions SET title = 'x'",
                    "INSERT INTO changes (kind, action, at) VALUES ('x', 'y', 'z')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), raw.transaction():
                raw.execute("SET TRANSACTION READ WRITE")
                raw.execute(sql)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("SELECT * FROM view_openings")  # who opened what is not theirs to read
        viewer.record_view_opened(session_id, "ann@council.example")  # and only this
    with Store.open(supervisor_url, readonly=True) as supervisor:
        assert supervisor.views_opened(session_id) == 2
    with (Store.open(supervisor_url, readonly=True) as read_only_supervisor,
          pytest.raises(psycopg.errors.ReadOnlySqlTransaction)):
        read_only_supervisor._conn.execute("DELETE FROM records")


def test_a_team_manager_reads_the_same_counts_as_from_sqlite_and_nothing_else(
    postgres, schema: str, supervisor_url: str, tmp_path: Path
):
    file = tmp_path / "workbook.db"
    for address in (supervisor_url, file):
        with Store.open(address) as store:
            fill(store)
    from_postgres = load_team_data(postgres.url(MANAGER, schema=schema))
    from_sqlite = load_team_data(file)
    for name, frame in from_sqlite.frames().items():
        theirs = from_postgres.frames()[name]
        keep = [c for c in frame.columns if c not in ("discussion_id", "session_id", "date")]
        assert frame[keep].reset_index(drop=True).equals(theirs[keep].reset_index(drop=True)), name
    assert from_postgres.themes["other"].tolist() == [True]
    assert int(from_postgres.discussions["questions"].iloc[0]) == 1
    with psycopg.connect(postgres.url(MANAGER, schema=schema), autocommit=True) as conn:
        for table in ("records", "discussions", "sessions", "changes"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table}")
        rows = conn.execute("SELECT * FROM team_discussions('2026-12-31', '{}', '{}', '{}')")
        text = json.dumps([list(map(str, r)) for r in rows.fetchall()])
    assert "Maya" not in text and "secret" not in text and "maya" not in text


# -- addresses ------------------------------------------------------------------------------


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "systemic.cli", *args], capture_output=True,
                          text=True, timeout=300, env=environ, cwd=cwd)


@pytest.mark.parametrize("address", [
    "mysql://db.council.example/workbook",
    "http://db.council.example/workbook",
    "postgresql://db.council.example:99999/workbook",
    "postgresql:workbook",
    "postgres://[::1/workbook",
])
def test_an_address_the_workbook_cannot_use_is_refused_in_one_line_never_made_a_file(
    tmp_path: Path, address: str
):
    # Every command for the first address; two commands, one each way, for the rest.
    every = address.startswith("mysql")
    tries = ([(c, "flag") for c in (["sessions"], ["demo", "--check"], ["serve"],
                                     ["export", "abc"])] + [(["sessions"], "environment")]
             if every else [(["sessions"], "environment"), (["export", "abc"], "flag")])
    for command, how in tries:
        proc = (cli(*command, "--store", address, cwd=tmp_path) if how == "flag" else
                cli(*command, cwd=tmp_path, env={"SYSTEMIC_WORKBOOK_STORE": address}))
        assert proc.returncode == 2, (command, how, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert "address" in lines[0] and "postgresql://" in lines[0]
    assert list(tmp_path.iterdir()) == []  # no folder called 'postgresql:' or 'mysql:'


def test_a_database_server_that_is_not_there_is_one_line(tmp_path: Path):
    proc = cli("sessions", "--store", f"postgresql://nobody@/workbook?host={tmp_path}",
               cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "cannot be reached" in proc.stderr and "--store" in proc.stderr


def test_every_command_works_on_postgresql(postgres, schema: str, supervisor_url: str,
                                           tmp_path: Path):
    viewer = postgres.url(PARTICIPANT, schema=schema)
    demo = cli("demo", "--check", "--store", supervisor_url, "--viewer-store", viewer,
               "--port", str(_free_port()), "--lab-port", str(_free_port()), cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "demo ok:" in demo.stdout and "postgresql://" in demo.stdout
    listed = cli("sessions", cwd=tmp_path, env={"SYSTEMIC_WORKBOOK_STORE": viewer})
    assert listed.returncode == 0, listed.stderr
    session_id = listed.stdout.splitlines()[1].split()[0]
    exported = cli("export", session_id, "--format", "md", "--out", str(tmp_path),
                   "--store", viewer, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "Maya" in next(tmp_path.glob("*.md")).read_text()
    assert not (tmp_path / "postgresql:").exists()


def _free_port() -> int:
    from tests.conftest import free_port

    return free_port()


# -- two supervisor windows; workshop groups on separate laptops ------------------------------


def test_two_supervisor_windows_lose_nothing_on_postgresql(supervisor_url: str):
    # 2 × 100 here (2 × 200 on SQLite in test_store_concurrency.py), to keep the run short.
    run_two_windows(supervisor_url, per_window=100)


GROUP_LAPTOP = textwrap.dedent("""
    import os
    from systemic.hypotheses import Hypothesis, save_hypothesis
    from systemic.session import SupervisorSession
    from systemic.store import Store, resolve_store
    with Store.open(resolve_store()) as store:
        session = SupervisorSession.resume(store, os.environ["SYSTEMIC_WORKBOOK_SESSION"])
        session.go_to("hypotheses")
        save_hypothesis(store, session.discussion_id,
                        Hypothesis(text=f"I wonder whether {os.environ['GROUP_WORDS']}"))
""")


def test_workshop_groups_on_separate_laptops_each_appear_in_the_plenary(
    postgres, schema: str, supervisor_url: str
):
    with Store.open(supervisor_url) as trainer:
        workshop = create_workshop(trainer, "Tuesday", "blended_family", 3, FRAMEWORK)
    plenary = PlenaryView(Store.open(postgres.url(PARTICIPANT, schema=schema), readonly=True))
    try:
        assert len(plenary.read().groups) == 3
        laptops = []
        for number, session_id in enumerate(workshop.group_session_ids, start=1):
            env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT),
                   "HOME": os.environ.get("HOME", "/tmp"),
                   "SYSTEMIC_WORKBOOK_STORE": supervisor_url,
                   "SYSTEMIC_WORKBOOK_SESSION": session_id,
                   "GROUP_WORDS": f"group {number} sees Maya keeping the peace"}
            laptops.append(subprocess.Popen([sys.executable, "-c", GROUP_LAPTOP], env=env,
                                            cwd=ROOT, stderr=subprocess.PIPE, text=True))
        for laptop in laptops:
            _, err = laptop.communicate(timeout=120)
            assert laptop.returncode == 0, err[-2000:]
        changed = plenary.update()
        assert set(changed.groups) == set(workshop.group_session_ids)
        for number, session_id in enumerate(workshop.group_session_ids, start=1):
            column = changed.groups[session_id]
            assert f"group {number} sees Maya" in column["hypotheses"]
            assert "Hypotheses" in column["heading"] or column["heading"]
    finally:
        plenary.store.close()


# -- the pages people look at, reading PostgreSQL ------------------------------------------


def test_the_participants_dashboard_and_the_team_view_read_postgresql(
    postgres, schema: str, supervisor_url: str, tmp_path: Path
):
    from systemic.dashboard import SessionView
    from widgets import team

    with Store.open(supervisor_url) as store:
        session_id = fill(store)
        view = SessionView(Store.open(postgres.url(PARTICIPANT, schema=schema), readonly=True))
        try:
            page = view.read()
            assert 'data-person="maya"' in page["genogram"]
            SupervisorSession(store, session_id).select_person("maya")
            assert set(view.update()) >= {"selected"}
        finally:
            view.store.close()
    file = tmp_path / "workbook.db"
    with Store.open(file) as store:
        fill(store)
    from_postgres = team.report(postgres.url(MANAGER, schema=schema))
    assert from_postgres.summary.equals(team.report(file).summary)
    assert str(from_postgres.summary.set_index("measure")["value"]["sessions"]) == "1"
    shown = team.summary_view(postgres.url(MANAGER, schema=schema)).value
    assert "Case discussions" in shown and "Maya" not in shown


def test_a_lost_connection_is_one_kind_line_for_a_write_and_then_reconnects(
    postgres, supervisor_url: str
):
    from systemic.errors import NotSaved

    with Store.open(supervisor_url) as store:
        session_id = store.create_session("Tuesday group", "hackney")
        postgres.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE usename = 'workbook_supervisor'")
        with pytest.raises(NotSaved, match="connection to the session store was lost"):
            store.update_session(session_id, current_step="checkin")
        store.update_session(session_id, current_step="checkin")  # connected again
        postgres.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE usename = 'workbook_supervisor'")
        assert store.session(session_id).current_step == "checkin"  # a read just works
