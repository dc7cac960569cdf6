"""One contract for the session store, run against both engines: a SQLite file and PostgreSQL.

Every test here takes ``address``: a new, empty store of each kind (PostgreSQL
is a real server started once for the run, tests/pgserver.py; each test gets
its own schema). What a store must do — edits, the change feed, read-only
handles, erasure, migrations — holds the same on both.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from systemic.errors import ReadOnlyStore, SessionEnded, StoreUnavailable, WorkbookError
from systemic.store import SCHEMA_VERSION, Store
from systemic.store.base import Store as StoreInterface

DISTINCTIVE = "Zebedee Quartermaine-Okonkwo"


@pytest.fixture(params=["sqlite", "postgresql"])
def address(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "workbook.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(address: str):
    with Store.open(address) as s:
        yield s


def a_case(case_id: str = "smith", name: str = "Amy") -> dict:
    return {"id": case_id, "title": f"The {case_id} family", "fictional": True,
            "people": [{"id": "amy", "name": name, "sex": "female", "born": 2015}]}


@pytest.fixture
def discussion(store: Store) -> tuple[str, str]:
    sid = store.create_session("Tuesday group", "hackney", date="2026-03-17",
                               participants=[("Jo", "supervisor"), "AB"])
    return sid, store.add_discussion(sid, a_case())


# -- the one interface -------------------------------------------------------------------


def test_both_engines_are_the_one_store_interface(store: Store, address: str):
    assert isinstance(store, StoreInterface)
    assert type(store).__name__ == ("PostgresStore" if "://" in address else "SQLiteStore")


# -- edits ---------------------------------------------------------------------------------


def test_a_session_its_case_and_records_come_back_as_written(
    store: Store, discussion: tuple[str, str]
):
    sid, did = discussion
    first = store.put_record(did, "hypothesis", {"text": "Mum protects Amy", "n": 1})
    store.put_record(sid, "checkin", {"who": "AB", "said": "tired"})
    store.put_record(did, "hypothesis", {"text": "Dad feels shut out"}, record_id="h2")
    store.put_record(did, "hypothesis", {"text": "Mum protects Amy (revised)"}, record_id=first)
    session = store.session(sid)
    assert (session.title, str(session.date), [p.name for p in session.participants]) == (
        "Tuesday group", "2026-03-17", ["Jo", "AB"])
    assert [d.case_id for d in store.discussions(sid)] == ["smith"]
    assert [r.payload["text"] for r in store.records(did, "hypothesis")] == [
        "Mum protects Amy (revised)", "Dad feels shut out"]
    assert [r.kind for r in store.records(sid)] == ["checkin"]
    store.delete_record("h2")
    assert [r.id for r in store.records(did)] == [first]
    store.update_session(sid, current_step="hypotheses", selected_person="amy")
    assert store.session(sid).current_step == "hypotheses"
    assert [s.id for s in store.list_sessions()] == [sid]


def test_an_edit_applies_to_the_latest_case_with_its_log_in_one_go(
    store: Store, address: str, discussion: tuple[str, str]
):
    _, did = discussion
    with Store.open(address) as other_window:
        other_window.edit_case(did, lambda c: {**c, "title": "Renamed"}, log={"op": "retitle"})
    saved = store.edit_case(did, lambda c: {**c, "people": [*c["people"], {"id": "bo"}]},
                            log={"op": "add_person"})
    assert saved["title"] == "Renamed" and len(saved["people"]) == 2
    assert [r.payload["op"] for r in store.records(did, "genogram_edit")] == [
        "retitle", "add_person"]
    before = store.version()
    with pytest.raises(ZeroDivisionError):
        store.edit_case(did, lambda c: {**c, "title": str(1 / 0)}, log={"op": "broken"})
    assert store.version() == before and len(store.records(did, "genogram_edit")) == 2


def test_an_ended_session_refuses_changes_until_reopened(
    store: Store, discussion: tuple[str, str]
):
    sid, did = discussion
    store.put_record(sid, "checkin", {"said": "fine"})
    assert store.end_session(sid) == 1
    with pytest.raises(SessionEnded, match="reopen it"):
        store.put_record(did, "note", {"text": "late"})
    store.reopen_session(sid)
    store.put_record(did, "note", {"text": "after reopening"})
    assert [r.kind for r in store.records(did)] == ["note"]


def test_views_opened_are_counted_not_named(store: Store, discussion: tuple[str, str]):
    sid, _ = discussion
    for user in ("sam", "ade", "sam"):
        store.record_view_opened(sid, user)
    assert store.views_opened(sid) == 3


# -- the change feed -----------------------------------------------------------------------


def test_every_edit_moves_the_feed_once_and_says_what_moved(
    store: Store, discussion: tuple[str, str]
):
    sid, did = discussion
    start, session_start = store.version(), store.session_version(sid)
    rid = store.put_record(did, "question", {"text": "Who noticed first?"})
    store.update_session(sid, current_step="questions")
    store.delete_record(rid)
    changes = store.changes_since(start)
    assert [(c.kind, c.action, c.record_id) for c in changes] == [
        ("question", "created", rid), ("session", "updated", None), ("question", "deleted", rid)]
    assert store.version() == changes[-1].seq
    assert [c.version for c in store.session_changes(sid, session_start)] == [
        session_start + 1, session_start + 2, session_start + 3]
    assert store.session_version(sid) == session_start + 3


def test_writers_in_four_sessions_and_a_follower_of_the_whole_store_miss_nothing(address: str):
    """The store-wide feed (what the dashboard and the plenary follow) is in commit order too."""
    with Store.open(address) as setup:
        owners = [setup.add_discussion(setup.create_session(f"Group {n}", "hackney"), a_case())
                  for n in range(4)]
        start = setup.version()
    done = threading.Event()
    seen: list[int] = []

    def write(did: str) -> None:
        with Store.open(address) as mine:
            for i in range(150):
                mine.put_record(did, "note", {"i": i})

    def follow() -> None:
        with Store.open(address, readonly=True) as viewer:
            seq = start
            while True:
                finished = done.is_set()
                for change in viewer.changes_since(seq):
                    seen.append(change.seq)
                    seq = change.seq
                if finished:
                    return
                time.sleep(0.002)

    follower = threading.Thread(target=follow)
    follower.start()
    threads = [threading.Thread(target=write, args=(did,)) for did in owners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    follower.join()
    with Store.open(address, readonly=True) as viewer:
        everything = [c.seq for c in viewer.changes_since(start)]
    assert len(everything) == 600
    assert seen == everything  # every change, once, in order: none committed behind the follower


def test_four_writers_and_a_follower_see_every_edit_once_in_commit_order(address: str):
    writers, edits = 4, 500
    with Store.open(address) as setup:
        sid = setup.create_session("Busy group", "hackney")
        did = setup.add_discussion(sid, a_case())
        start = setup.session_version(sid)
        global_start = setup.version()
    done = threading.Event()
    seen: list[tuple[int, str]] = []
    seen_global: list[int] = []
    problems: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with Store.open(address) as mine:
                for i in range(edits):
                    mine.put_record(did, "note", {"writer": n, "i": i})
        except BaseException as e:  # noqa: BLE001 - reported below
            problems.append(e)

    def follow() -> None:
        with Store.open(address, readonly=True) as viewer:
            version, seq = start, global_start
            while True:
                finished = done.is_set()
                for change in viewer.session_changes(sid, version):
                    seen.append((change.version, change.record_id))
                    version = change.version
                for change in viewer.changes_since(seq):
                    seen_global.append(change.seq)
                    seq = change.seq
                if finished:
                    return
                time.sleep(0.005)

    follower = threading.Thread(target=follow)
    follower.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    follower.join()
    assert problems == []
    versions = [v for v, _ in seen]
    assert versions == list(range(start + 1, start + writers * edits + 1))  # once each, in order
    assert len(set(seen_global)) == len(seen_global) == writers * edits
    assert seen_global == sorted(seen_global)
    with Store.open(address, readonly=True) as viewer:
        records = {r.id: r.payload for r in viewer.records(did, "note")}
        assert [records[rid]["writer"] for _, rid in seen].count(0) == edits
        # each writer's edits were seen in the order it made them
        for n in range(writers):
            mine = [records[rid]["i"] for _, rid in seen if records[rid]["writer"] == n]
            assert mine == list(range(edits))


# -- read-only handles ---------------------------------------------------------------------


def test_a_read_only_handle_reads_and_refuses_every_write(
    store: Store, address: str, discussion: tuple[str, str]
):
    sid, did = discussion
    with Store.open(address, readonly=True) as viewer:
        assert viewer.readonly and viewer.session(sid).title == "Tuesday group"
        for attempt in (lambda: viewer.put_record(did, "note", {"text": "x"}),
                        lambda: viewer.create_session("x", "y"),
                        lambda: viewer.erase_case("smith")):
            with pytest.raises(ReadOnlyStore):
                attempt()


def test_a_read_only_handle_on_an_empty_store_says_to_set_it_up_first(address: str):
    if "://" in address:
        with pytest.raises(StoreUnavailable, match="not been set up"):
            Store.open(address, readonly=True)
    else:
        with pytest.raises(WorkbookError, match="no session store"):
            Store.open(address, readonly=True)


# -- erasure -------------------------------------------------------------------------------


def every_row(store: Store) -> str:
    tables = ("sessions", "discussions", "records", "changes", "view_openings")
    return "\n".join(str(tuple(r)) for t in tables for r in store._read(f"SELECT * FROM {t}"))


def test_erasing_a_case_removes_every_row_of_it(store: Store, discussion: tuple[str, str]):
    sid, did = discussion
    other = store.add_discussion(sid, a_case("jones", name="Bea"))
    store.put_record(did, "hypothesis", {"text": f"{DISTINCTIVE} is worried"})
    store.edit_case(did, lambda c: {**c, "people": [{"id": "z", "name": DISTINCTIVE}]},
                    log={"op": "add_person", "args": {"name": DISTINCTIVE}})
    store.update_session(sid, selected_person="z")
    store.put_record(other, "note", {"text": "kept"})
    assert DISTINCTIVE in every_row(store)
    assert store.erase_case("smith") == 1
    rows = every_row(store)
    assert DISTINCTIVE not in rows and did not in rows and "smith" not in rows
    assert [d.case_id for d in store.discussions(sid)] == ["jones"]
    assert store.session(sid).selected_person is None
    assert [r.payload["text"] for r in store.records(other)] == ["kept"]
    assert store.changes_since(store.version() - 1)[0].action == "erased"


# -- migrations ----------------------------------------------------------------------------


def write_version_1_store(address: str) -> None:
    """A store as the first released workbook left it, with one session and one record."""
    if "://" in address:
        import psycopg

        from systemic.store.pg_schema import PG_MIGRATIONS

        with psycopg.connect(address, autocommit=True) as conn:
            for statement in PG_MIGRATIONS[0]:
                conn.execute(statement)
            conn.execute("CREATE TABLE workbook_schema (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO workbook_schema VALUES (1)")
            _fill_version_1(conn, "%s")
    else:
        import sqlite3

        from systemic.store.migrations import MIGRATIONS

        conn = sqlite3.connect(address, isolation_level=None)
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        _fill_version_1(conn, "?")
        conn.close()


def _fill_version_1(conn, mark: str) -> None:
    marks = ", ".join([mark] * 7)
    conn.execute(f"INSERT INTO sessions (id, title, date, framework_id, participants, created,"
                 f" updated) VALUES ({marks})",
                 ("s1", "Old group", "2025-01-02", "hackney", "[]", "2025-01-02T10:00:00+00:00",
                  "2025-01-02T10:00:00+00:00"))
    conn.execute(f"INSERT INTO discussions (id, session_id, case_id, fictional, case_json,"
                 f" created, updated) VALUES ({marks})",
                 ("d1", "s1", "smith", 1, '{"id": "smith", "fictional": true}',
                  "2025-01-02T10:00:00+00:00", "2025-01-02T10:00:00+00:00"))
    conn.execute(f"INSERT INTO records (id, discussion_id, kind, payload, created, updated)"
                 f" VALUES ({', '.join([mark] * 6)})",
                 ("r1", "d1", "hypothesis", '{"text": "kept"}', "2025-01-02T10:00:00+00:00",
                  "2025-01-02T10:00:00+00:00"))


def test_an_old_store_is_brought_up_to_date_keeping_its_contents(address: str):
    write_version_1_store(address)
    with Store.open(address) as store:
        assert [r.payload["text"] for r in store.records("d1")] == ["kept"]
        assert store.records("d1")[0].session_id == "s1"
        store.put_record("d1", "note", {"text": "new"})
        assert store.session_version("s1") == 1
    with Store.open(address, readonly=True) as viewer:
        assert [r.kind for r in viewer.records("d1")] == ["hypothesis", "note"]


def test_a_store_from_a_newer_workbook_is_refused_in_both_modes(address: str):
    Store.open(address).close()
    if "://" in address:
        import psycopg

        with psycopg.connect(address, autocommit=True) as conn:
            conn.execute("UPDATE workbook_schema SET version = %s", (SCHEMA_VERSION + 1,))
    else:
        import sqlite3

        conn = sqlite3.connect(address)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1:d}")
        conn.close()
    for readonly in (False, True):
        with pytest.raises(StoreUnavailable, match="newer version of the workbook"):
            Store.open(address, readonly=readonly)
