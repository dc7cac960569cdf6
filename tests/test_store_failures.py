"""When the store cannot do what it is asked, it says so in one line: what, where, and the fix.

Writes: a full disk, a read-only store and a store kept busy each become one
"Not saved: …" line (the step shows it and keeps what was typed), and nothing
changes. Opening: an unwritable folder, a read-only file, a read-only file
system, a full disk, a file that is not a store and a store from a newer
workbook are each one line naming the path, the cause and the fix, through the
real command line (``demo``, ``serve``, ``sessions``, ``export``) in a
subprocess, never a traceback; and participants' read-only opening works
wherever the file can be read.

The test process runs as root in CI, and root ignores file permissions. The
command line is then run without the capabilities that let root do so
(``setpriv``), so a read-only file is read-only to it as to anyone else. Full
disks and read-only file systems are real: a tiny tmpfs, filled or remounted
read-only.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from systemic.cases import load_case
from systemic.errors import NotSaved
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import SCHEMA_VERSION, Store, sqlite

ROOT = Path(__file__).resolve().parent.parent
AS_ANYONE = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    if os.geteuid() == 0 else []
)


def a_store(path: Path) -> str:
    """A store at ``path`` holding one session on a training case; its session id."""
    with Store.open(path) as store:
        return SupervisorSession.start(
            store, framework_id="camden_practice_framework",
            case=load_case(CASES_DIR / "blended_family.yaml")).session_id


# -- writes that fail ---------------------------------------------------------------------


@pytest.fixture
def session(tmp_path: Path) -> Iterator[SupervisorSession]:
    with Store.open(tmp_path / "workbook.db") as store:
        yield SupervisorSession.start(
            store, framework_id="camden_practice_framework",
            case=load_case(CASES_DIR / "blended_family.yaml"))


def assert_not_saved(session: SupervisorSession, line: str) -> None:
    store = session.store
    version = store.version()
    with pytest.raises(NotSaved) as refused:
        store.put_record(session.discussion_id, "hypothesis", {"text": "x" * 200_000})
    message = str(refused.value)
    assert message.startswith("Not saved: ") and "\n" not in message
    assert line in message and "Your text is still here" in message
    assert store.version() == version
    assert store.records(session.discussion_id, "hypothesis") == []


def test_a_full_disk_is_one_kind_line_and_nothing_changes(session: SupervisorSession):
    conn = session.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages:d}")
    assert_not_saved(session, "the disk is full")


def test_a_store_that_can_only_be_read_is_one_kind_line(session: SupervisorSession):
    session.store._conn.execute("PRAGMA query_only = ON")
    assert_not_saved(session, "can only be read")


def test_a_store_kept_busy_too_long_is_one_kind_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_SECONDS", 0.2)
    with Store.open(tmp_path / "busy.db") as store:
        session = SupervisorSession.start(
            store, framework_id="camden_practice_framework",
            case=load_case(CASES_DIR / "blended_family.yaml"))
        other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            assert_not_saved(session, "busy for too long")
        finally:
            other.execute("ROLLBACK")
            other.close()


def test_the_widgets_see_a_failed_write_as_a_workbook_error():
    from systemic.errors import WorkbookError

    assert issubclass(NotSaved, WorkbookError)


def test_threads_writing_while_the_disk_fills_each_get_the_line_or_success(
    session: SupervisorSession,
):
    conn = session.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 8:d}")
    outcomes: list[str] = []

    def write() -> None:
        for _ in range(20):
            try:
                session.store.put_record(session.discussion_id, "note", {"text": "y" * 4000})
                outcomes.append("saved")
            except NotSaved as e:
                outcomes.append(str(e))

    threads = [threading.Thread(target=write) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = outcomes.count("saved")
    assert 0 < saved < 60
    assert {o for o in outcomes if o != "saved"} == {
        "Not saved: the disk is full. Your text is still here — free some space, then try again."
    }
    assert len(session.store.records(session.discussion_id, "note")) == saved


# -- opening: the real command line ---------------------------------------------------------


def cli(*args: str | Path, as_anyone: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SYSTEMIC_WORKBOOK_STORE", None)
    command = [sys.executable, "-m", "systemic.cli", *map(str, args)]
    return subprocess.run((AS_ANYONE if as_anyone else []) + command, capture_output=True,
                          text=True, timeout=120, env=env, cwd=ROOT)


def one_line(proc: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def opens_read_only(store: Path, session_id: str, out: Path, *, as_anyone: bool = False) -> None:
    """``sessions`` lists the session and ``export`` writes its note: reading needs no write."""
    listed = cli("sessions", "--store", store, as_anyone=as_anyone)
    assert listed.returncode == 0, listed.stderr
    assert session_id in listed.stdout
    exported = cli("export", session_id, "--format", "md", "--out", out, "--store", store,
                   as_anyone=as_anyone)
    assert exported.returncode == 0, exported.stderr
    assert list(out.glob("*.md"))


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 512 KB file system, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs",
                           str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"these tests mount a tmpfs, which needs root (CI runs as root): "
                    f"{done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_an_unwritable_folder_names_the_folder_and_the_fix(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    for store in (locked / "workbook.db", locked / "sub" / "workbook.db"):
        one_line(cli("demo", "--check", "--store", store, as_anyone=True),
                 str(store), f"permission to write in {locked}", "write access", "--store")
    assert list(locked.iterdir()) == []


def test_a_store_in_an_unwritable_folder_still_opens_read_only(tmp_path: Path):
    folder = tmp_path / "shared"
    session_id = a_store(folder / "workbook.db")
    folder.chmod(0o555)
    one_line(cli("demo", "--check", "--store", folder / "workbook.db", as_anyone=True),
             "permission to write in", "--store")
    out = tmp_path / "out"
    out.mkdir()
    opens_read_only(folder / "workbook.db", session_id, out, as_anyone=True)


def test_a_read_only_store_file_is_refused_for_writing_when_opened_not_at_each_edit(
    tmp_path: Path,
):
    store = tmp_path / "workbook.db"
    session_id = a_store(store)
    store.chmod(0o400)
    one_line(cli("demo", "--check", "--store", store, as_anyone=True),
             str(store), "read-only file", f"chmod u+w {store}", "--store")
    out = tmp_path / "out"
    out.mkdir()
    opens_read_only(store, session_id, out, as_anyone=True)


def test_a_read_only_file_system_is_named_and_participants_still_read(
    tmp_path: Path, tmpfs: Path
):
    session_id = a_store(tmpfs / "workbook.db")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    for store in (tmpfs / "workbook.db", tmpfs / "new" / "workbook.db"):
        one_line(cli("demo", "--check", "--store", store),
                 str(store), "read-only file system", "--store")
    out = tmp_path / "out"
    out.mkdir()
    opens_read_only(tmpfs / "workbook.db", session_id, out)


def test_a_full_disk_is_named_as_such_and_participants_still_read(tmp_path: Path, tmpfs: Path):
    session_id = a_store(tmpfs / "workbook.db")
    with open(tmpfs / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass
    assert os.statvfs(tmpfs).f_bavail == 0
    for store in (tmpfs / "workbook.db", tmpfs / "new.db"):
        one_line(cli("demo", "--check", "--store", store),
                 str(store), "the disk is full", "free some space", "--store")
    out = tmp_path / "out"
    out.mkdir()
    opens_read_only(tmpfs / "workbook.db", session_id, out)


@pytest.mark.parametrize("command", ["demo --check", "serve", "sessions", "export abc"])
def test_a_file_that_is_not_a_store_is_one_line_for_every_command(tmp_path: Path, command: str):
    for name, content in (("photo.db", os.urandom(8192)), ("notes.db", b"id: smith\n" * 50)):
        store = tmp_path / name
        store.write_bytes(content)
        one_line(cli(*command.split(), "--store", store),
                 str(store), "is not a session store", "--store")
        assert store.read_bytes() == content


@pytest.mark.parametrize("command", ["demo --check", "serve", "sessions", "export abc"])
def test_a_store_from_a_newer_workbook_is_one_line_for_every_command(
    tmp_path: Path, command: str
):
    store = tmp_path / "workbook.db"
    a_store(store)
    conn = sqlite3.connect(store)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1:d}")
    conn.close()
    one_line(cli(*command.split(), "--store", store),
             str(store), "newer version of the workbook", "update the workbook", "--store")
