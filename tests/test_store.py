"""The session store: what it keeps, who may change it, how viewers follow it, how it forgets."""

from __future__ import annotations

import asyncio
import doctest
import importlib
import inspect
import sqlite3
import stat
import threading
import time
from datetime import date
from pathlib import Path

import pytest

import systemic.store as store_package
from systemic.cases import parse_case
from systemic.errors import ReadOnlyStore, UnknownSession, WorkbookError
from systemic.store import (
    KNOWN_KINDS,
    SCHEMA_VERSION,
    Participant,
    Store,
    default_store_path,
    failures,
    follow,
    location,
    migrations,
    model,
    resolve_store_path,
    sqlite,
)
from systemic.store.location import STORE_ENV

# The package re-exports the function follow(), which hides the module of the same name.
follow_module = importlib.import_module("systemic.store.follow")

DISTINCTIVE = "Zebedee Quartermaine-Okonkwo"


def a_case(case_id: str = "smith", *, fictional: bool = True, name: str = "Amy") -> dict:
    return {
        "id": case_id,
        "title": f"The {case_id} family",
        "fictional": fictional,
        "people": [{"id": "amy", "name": name, "sex": "female", "born": 2015}],
    }


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "folder" / "workbook.db"


@pytest.fixture
def store(path: Path):
    with Store.open(path) as s:
        yield s


@pytest.fixture
def session_id(store: Store) -> str:
    return store.create_session(
        "Tuesday group",
        "hackney",
        date="2026-03-17",
        team="North team",
        supervisor="Jo",
        participants=[("Jo", "supervisor"), ("Sam", "presenter"), "AB"],
    )


@pytest.fixture
def discussion_id(store: Store, session_id: str) -> str:
    return store.add_discussion(session_id, a_case())


def mode_of(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# -- the file -------------------------------------------------------------------------


def test_opening_creates_the_folder_and_an_owner_only_file(path: Path):
    with Store.open(path) as s:
        s.create_session("Tuesday group", "hackney")
        assert path.exists()
        assert mode_of(path) == 0o600
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()
        assert mode_of(wal) == 0o600


def test_the_file_is_in_wal_mode_with_foreign_keys_and_a_busy_timeout(store: Store):
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_folder_or_a_file_that_is_not_a_store_is_refused_with_a_sentence(tmp_path: Path):
    with pytest.raises(WorkbookError, match="is a folder"):
        Store.open(tmp_path)
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are not the droids" * 100)
    with pytest.raises(WorkbookError, match="not a session store"):
        Store.open(junk)


def test_a_closed_store_says_so(path: Path):
    s = Store.open(path)
    s.close()
    s.close()
    with pytest.raises(WorkbookError, match="has been closed"):
        s.list_sessions()


def test_reopening_lists_the_sessions_most_recent_meeting_first(path: Path):
    with Store.open(path) as s:
        older = s.create_session("March group", "hackney", date="2026-03-03")
        newer = s.create_session("April group", "hackney", date=date(2026, 4, 7))
        s.add_discussion(newer, a_case())
    with Store.open(path) as s:
        listed = s.list_sessions()
    assert [x.id for x in listed] == [newer, older]
    assert listed[0].title == "April group"
    assert listed[0].date == date(2026, 4, 7)
    assert listed[0].discussion_count == 1
    assert listed[1].discussion_count == 0
    assert listed[0].ended is None


# -- sessions -------------------------------------------------------------------------


def test_a_session_keeps_what_it_was_created_with(store: Store, session_id: str):
    s = store.session(session_id)
    assert (s.title, s.framework_id, s.team, s.supervisor) == (
        "Tuesday group", "hackney", "North team", "Jo",
    )
    assert s.date == date(2026, 3, 17)
    assert s.participants == (
        Participant("Jo", "supervisor"),
        Participant("Sam", "presenter"),
        Participant("AB", "reflecting_group"),
    )
    assert s.current_step is None and s.selected_person is None
    assert not s.is_ended


def test_a_session_is_dated_today_unless_told_otherwise(store: Store):
    assert store.session(store.create_session("Today", "hackney")).date == date.today()


@pytest.mark.parametrize(
    ("participants", "complaint"),
    [
        ([("Sam", "chair")], "not a supervision role"),
        (["Sam", ("sam", "observer")], "both called 'sam'"),
        (["Samantha Jane Okonkwo-Smithson of Little Whinging"], "first name or initials"),
        ([""], "has no name"),
        ("Sam", "must be a list"),
        ([{"name": "Sam", "surname": "Smith"}], "surname"),
    ],
)
def test_participants_are_first_names_or_initials_with_a_known_role(
    store: Store, participants, complaint
):
    with pytest.raises(WorkbookError, match=complaint):
        store.create_session("Group", "hackney", participants=participants)
    assert store.list_sessions() == []


def test_updating_a_session_changes_only_the_fields_given(store: Store, session_id: str):
    before = store.session(session_id)
    store.update_session(session_id, current_step="hypothesising", selected_person="amy")
    after = store.session(session_id)
    assert (after.current_step, after.selected_person) == ("hypothesising", "amy")
    assert after.title == before.title and after.participants == before.participants
    assert after.updated > before.updated

    store.update_session(
        session_id,
        title="Tuesday group (moved)",
        framework_id="camden",
        team=None,
        date="2026-03-18",
        participants=[{"name": "Jo", "role": "supervisor"}, {"name": "Kit", "role": "observer"}],
        selected_person=None,
    )
    after = store.session(session_id)
    assert after.title == "Tuesday group (moved)"
    assert after.framework_id == "camden"
    assert after.team is None
    assert after.date == date(2026, 3, 18)
    assert [p.name for p in after.participants] == ["Jo", "Kit"]
    assert after.selected_person is None
    assert after.current_step == "hypothesising"


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"colour": "blue"}, "no field 'colour'"),
        ({}, "Nothing to change"),
        ({"title": ""}, "must be some text"),
        ({"date": "next Tuesday"}, "not a date"),
    ],
)
def test_a_bad_session_update_changes_nothing(store: Store, session_id: str, fields, complaint):
    version = store.version()
    with pytest.raises(WorkbookError, match=complaint):
        store.update_session(session_id, **fields)
    assert store.version() == version
    assert store.session(session_id).title == "Tuesday group"


# -- case discussions -----------------------------------------------------------------


def test_a_discussion_keeps_its_own_copy_of_the_case(store: Store, session_id: str):
    case = a_case("jones", fictional=False)
    discussion_id = store.add_discussion(session_id, case)
    case["title"] = "changed afterwards"
    d = store.discussion(discussion_id)
    assert (d.session_id, d.case_id, d.fictional) == (session_id, "jones", False)
    assert d.title == "The jones family"
    assert d.case_data["people"][0]["name"] == "Amy"


def test_discussions_are_listed_in_the_order_they_were_added(store: Store, session_id: str):
    first = store.add_discussion(session_id, a_case("first"))
    second = store.add_discussion(session_id, a_case("second"))
    assert [d.id for d in store.discussions(session_id)] == [first, second]


def test_a_parsed_case_model_can_be_discussed(store: Store, session_id: str):
    case = parse_case(a_case("modelled"), "modelled.yaml")
    d = store.discussion(store.add_discussion(session_id, case))
    assert d.case_id == "modelled" and d.fictional is True
    assert d.case_data["people"][0]["id"] == "amy"


def test_updating_the_case_replaces_the_copy(store: Store, discussion_id: str):
    case = a_case()
    case["people"].append({"id": "ben", "name": "Ben", "sex": "male", "born": 2017})
    store.update_case(discussion_id, case)
    d = store.discussion(discussion_id)
    assert [p["id"] for p in d.case_data["people"]] == ["amy", "ben"]


@pytest.mark.parametrize(
    ("case", "complaint"),
    [
        ({"title": "No id", "fictional": True}, "has no id"),
        ({"id": "x", "title": "Unsure"}, "whether it is fictional"),
        ({"id": "x", "fictional": True, "born": date(2015, 1, 1)}, "cannot be saved"),
        (["not", "a", "mapping"], "mapping"),
    ],
)
def test_a_case_must_say_who_it_is_and_whether_it_is_fictional(
    store: Store, session_id: str, case, complaint
):
    with pytest.raises(WorkbookError, match=complaint):
        store.add_discussion(session_id, case)
    assert store.discussions(session_id) == []


# -- records --------------------------------------------------------------------------


def test_records_are_kept_in_the_order_they_were_first_made(store: Store, discussion_id: str):
    first = store.put_record(discussion_id, "hypothesis", {"text": "Mum protects Amy"})
    second = store.put_record(discussion_id, "question", {"text": "Who worries most?"})
    third = store.put_record(discussion_id, "hypothesis", {"text": "Dad feels shut out"})
    created = store.record(first).created
    store.put_record(discussion_id, "hypothesis", {"text": "Mum protects Amy (revised)"}, first)

    assert [r.id for r in store.records(discussion_id)] == [first, second, third]
    hypotheses = store.records(discussion_id, "hypothesis")
    assert [r.payload["text"] for r in hypotheses] == [
        "Mum protects Amy (revised)", "Dad feels shut out",
    ]
    revised = store.record(first)
    assert revised.created == created and revised.updated > created
    assert (revised.kind, revised.discussion_id) == ("hypothesis", discussion_id)


def test_a_record_can_be_made_under_an_id_the_caller_chose(store: Store, discussion_id: str):
    assert store.put_record(discussion_id, "grace", {"letter": "R"}, "grace-religion") == (
        "grace-religion"
    )
    assert store.record("grace-religion").payload == {"letter": "R"}


def test_a_record_id_stays_with_its_kind_and_its_discussion(
    store: Store, session_id: str, discussion_id: str
):
    rid = store.put_record(discussion_id, "hypothesis", {"text": "h"})
    with pytest.raises(WorkbookError, match="is a hypothesis, not a question"):
        store.put_record(discussion_id, "question", {"text": "q"}, rid)
    other = store.add_discussion(session_id, a_case("other"))
    with pytest.raises(WorkbookError, match="belongs to another discussion"):
        store.put_record(other, "hypothesis", {"text": "h"}, rid)
    assert store.record(rid).payload == {"text": "h"}


def test_a_session_can_hold_records_of_its_own(store: Store, session_id: str, discussion_id: str):
    mine = store.put_record(session_id, "checkin", {"who": "Sam", "text": "Tired but here"})
    theirs = store.put_record(discussion_id, "note", {"text": "Agreed to visit"})
    assert [r.id for r in store.records(session_id)] == [mine]
    assert [r.id for r in store.records(discussion_id)] == [theirs]
    assert store.record(mine).discussion_id is None
    assert store.record(mine).session_id == session_id


def test_deleting_a_record_removes_it(store: Store, discussion_id: str):
    rid = store.put_record(discussion_id, "plan", {"action": "Visit school"})
    store.delete_record(rid)
    assert store.records(discussion_id) == []
    with pytest.raises(UnknownSession, match="no record"):
        store.record(rid)
    count = store._conn.execute("SELECT COUNT(*) FROM records WHERE id = ?", (rid,)).fetchone()
    assert count[0] == 0


def test_unknown_kinds_are_refused(store: Store, discussion_id: str):
    with pytest.raises(WorkbookError, match="'hypotheses' is not a kind of record"):
        store.put_record(discussion_id, "hypotheses", {"text": "h"})
    with pytest.raises(WorkbookError, match="use one of: checkin"):
        store.records(discussion_id, "sculpt")
    assert store.records(discussion_id) == []


@pytest.mark.parametrize(
    ("payload", "complaint"),
    [
        ({"when": date(2026, 1, 1)}, "cannot be saved"),
        ({"score": float("nan")}, "cannot be saved"),
        ("just text", "must be a mapping"),
    ],
)
def test_payloads_must_be_plain_data(store: Store, discussion_id: str, payload, complaint):
    with pytest.raises(WorkbookError, match=complaint):
        store.put_record(discussion_id, "note", payload)
    assert store.records(discussion_id) == []


def test_every_kind_the_workbook_knows_can_be_stored(store: Store, discussion_id: str):
    for kind in KNOWN_KINDS:
        store.put_record(discussion_id, kind, {"kind": kind})
    assert [r.kind for r in store.records(discussion_id)] == list(KNOWN_KINDS)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.session("nope"),
        lambda s: s.discussions("nope"),
        lambda s: s.discussion("nope"),
        lambda s: s.record("nope"),
        lambda s: s.records("nope"),
        lambda s: s.update_session("nope", title="x"),
        lambda s: s.end_session("nope"),
        lambda s: s.add_discussion("nope", a_case()),
        lambda s: s.update_case("nope", a_case()),
        lambda s: s.put_record("nope", "note", {}),
        lambda s: s.delete_record("nope"),
    ],
)
def test_unknown_ids_are_named_in_a_sentence(store: Store, call):
    version = store.version()
    with pytest.raises(UnknownSession, match="'nope'"):
        call(store)
    assert store.version() == version


# -- ending a session -----------------------------------------------------------------


def test_ending_a_session_deletes_the_check_in_and_keeps_the_case_work(
    store: Store, session_id: str, discussion_id: str
):
    store.put_record(session_id, "checkin", {"who": "Sam", "text": "Worried about my mum"})
    store.put_record(discussion_id, "checkin", {"who": "AB", "text": "Fine"})
    hypothesis = store.put_record(discussion_id, "hypothesis", {"text": "h"})
    assert store.end_session(session_id) == 2
    assert store.records(session_id) == []
    assert [r.id for r in store.records(discussion_id)] == [hypothesis]
    assert store.session(session_id).is_ended
    assert store.list_sessions()[0].ended is not None


def test_the_supervisor_can_keep_the_check_in(store: Store, session_id: str):
    kept = store.put_record(session_id, "checkin", {"who": "Sam", "text": "Here"})
    assert store.end_session(session_id, keep_checkin=True) == 0
    assert [r.id for r in store.records(session_id, "checkin")] == [kept]
    assert store.session(session_id).is_ended


def test_ending_one_session_leaves_other_sessions_check_ins(store: Store, session_id: str):
    other = store.create_session("Wednesday group", "hackney")
    theirs = store.put_record(other, "checkin", {"who": "Kit"})
    store.put_record(session_id, "checkin", {"who": "Sam"})
    store.end_session(session_id)
    assert [r.id for r in store.records(other)] == [theirs]


# -- the change feed ------------------------------------------------------------------


def test_every_edit_moves_the_version_exactly_once(store: Store):
    assert store.version() == 0
    edits = [
        lambda: store.create_session("Group", "hackney"),
        lambda: store.update_session(sid(), current_step="graces"),
        lambda: store.add_discussion(sid(), a_case()),
        lambda: store.update_case(did(), a_case()),
        lambda: store.put_record(did(), "grace", {"letter": "G"}, "g1"),
        lambda: store.put_record(did(), "grace", {"letter": "R"}, "g1"),
        lambda: store.put_record(sid(), "checkin", {"who": "Sam"}),
        lambda: store.delete_record("g1"),
        lambda: store.end_session(sid()),
    ]

    def sid() -> str:
        return store.list_sessions()[0].id

    def did() -> str:
        return store.discussions(sid())[0].id

    for expected, edit in enumerate(edits, start=1):
        edit()
        assert store.version() == expected
    # reading moves nothing
    store.list_sessions()
    store.records(did())
    assert store.version() == len(edits)


def test_changes_name_what_moved_and_how(store: Store, session_id: str, discussion_id: str):
    start = store.version()
    rid = store.put_record(discussion_id, "hypothesis", {"text": "h"})
    store.put_record(discussion_id, "hypothesis", {"text": "h2"}, rid)
    store.delete_record(rid)
    store.update_session(session_id, selected_person="amy")
    changes = store.changes_since(start)
    assert [(c.kind, c.action) for c in changes] == [
        ("hypothesis", "created"),
        ("hypothesis", "updated"),
        ("hypothesis", "deleted"),
        ("session", "updated"),
    ]
    assert [c.seq for c in changes] == list(range(start + 1, start + 5))
    assert all(c.session_id == session_id for c in changes)
    assert [c.record_id for c in changes[:3]] == [rid] * 3
    assert changes[0].discussion_id == discussion_id
    assert store.changes_since(start, limit=2) == changes[:2]
    assert store.changes_since(store.version()) == []


def test_a_failed_edit_leaves_no_change_behind(store: Store, discussion_id: str):
    version = store.version()
    with pytest.raises(WorkbookError):
        store.put_record(discussion_id, "note", {"when": object()})
    assert store.version() == version
    assert store.changes_since(version) == []


def test_a_second_read_only_connection_sees_each_edit(path: Path, store: Store, session_id: str):
    with Store.open(path, readonly=True) as viewer:
        seen_version, seen_data = viewer.version(), viewer.data_version()
        assert seen_version == store.version()
        store.update_session(session_id, current_step="questions")
        assert viewer.version() == seen_version + 1
        assert viewer.data_version() != seen_data
        assert viewer.session(session_id).current_step == "questions"


# -- read-only views ------------------------------------------------------------------


WRITE_METHODS = sorted(
    name for name, fn in inspect.getmembers(Store, inspect.isfunction)
    if getattr(fn, "writes", False)
)


def test_the_write_methods_are_the_ones_expected():
    assert WRITE_METHODS == [
        "add_discussion", "create_session", "delete_record", "edit_case", "end_session",
        "erase_case", "put_record", "reopen_session", "update_case", "update_session",
    ]


@pytest.mark.parametrize("method", WRITE_METHODS)
def test_a_read_only_view_refuses_every_write_kindly(
    path: Path, store: Store, discussion_id: str, method: str
):
    args = {
        "add_discussion": (store.list_sessions()[0].id, a_case()),
        "create_session": ("Group", "hackney"),
        "delete_record": (store.put_record(discussion_id, "note", {"text": "n"}),),
        "edit_case": (discussion_id, lambda case: case),
        "end_session": (store.list_sessions()[0].id,),
        "reopen_session": (store.list_sessions()[0].id,),
        "erase_case": ("smith",),
        "put_record": (discussion_id, "note", {"text": "n"}),
        "update_case": (discussion_id, a_case()),
        "update_session": (store.list_sessions()[0].id,),
    }[method]
    kwargs = {"title": "x"} if method == "update_session" else {}
    version = store.version()
    with (
        Store.open(path, readonly=True) as viewer,
        pytest.raises(ReadOnlyStore, match="read-only view .* cannot change anything"),
    ):
        getattr(viewer, method)(*args, **kwargs)
    assert store.version() == version


def test_a_read_only_file_cannot_note_who_opened_a_view_either(
    path: Path, store: Store, discussion_id: str
):
    # On PostgreSQL the viewers' role may note it (tests/test_store_postgres.py); a read-only
    # SQLite file cannot be written at all, and a laptop's room has no sign-in to note.
    with (
        Store.open(path, readonly=True) as viewer,
        pytest.raises(ReadOnlyStore, match="read-only view .* cannot change anything"),
    ):
        viewer.record_view_opened(store.list_sessions()[0].id, "sam@council.example")


def test_the_read_only_connection_itself_refuses_writes(path: Path, store: Store, session_id: str):
    with Store.open(path, readonly=True) as viewer:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            viewer._conn.execute(
                "INSERT INTO changes (kind, action, at) VALUES ('note', 'created', 'now')"
            )
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            viewer._conn.execute("DELETE FROM sessions")
    assert [s.id for s in store.list_sessions()] == [session_id]


def test_opening_a_missing_store_read_only_is_an_error_not_a_new_file(tmp_path: Path):
    missing = tmp_path / "nowhere" / "workbook.db"
    with pytest.raises(WorkbookError, match="no session store at"):
        Store.open(missing, readonly=True)
    assert not missing.exists() and not missing.parent.exists()


# -- the layout and its migrations ----------------------------------------------------


def make_version_1_file(path: Path) -> None:
    """A store exactly as the first layout wrote it, with one session's work in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in migrations.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    at = "2025-11-04T10:00:00.000000+00:00"
    conn.execute(
        "INSERT INTO sessions (id, title, date, team, supervisor, framework_id, participants,"
        " created, updated) VALUES ('s1', 'November group', '2025-11-04', 'East', 'Jo',"
        " 'hackney', '[{\"name\": \"Jo\", \"role\": \"supervisor\"}]', ?, ?)",
        (at, at),
    )
    conn.execute(
        "INSERT INTO discussions (id, session_id, case_id, fictional, case_json, created,"
        " updated) VALUES ('d1', 's1', 'smith', 1, ?, ?, ?)",
        ('{"id": "smith", "title": "Smiths", "fictional": true}', at, at),
    )
    for n, text in enumerate(["first idea", "second idea"]):
        conn.execute(
            "INSERT INTO records (id, discussion_id, kind, payload, created, updated)"
            " VALUES (?, 'd1', 'hypothesis', ?, ?, ?)",
            (f"r{n}", f'{{"text": "{text}"}}', at, at),
        )
    conn.close()


def test_a_version_1_file_is_brought_up_to_date_keeping_its_contents(tmp_path: Path):
    path = tmp_path / "old.db"
    make_version_1_file(path)
    with pytest.raises(WorkbookError, match="open it once in the supervisor's notebook"):
        Store.open(path, readonly=True)

    with Store.open(path) as s:
        assert s._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        session = s.session("s1")
        assert session.title == "November group"
        assert session.participants == (Participant("Jo", "supervisor"),)
        assert session.current_step is None and session.ended is None
        records = s.records("d1")
        assert [r.payload["text"] for r in records] == ["first idea", "second idea"]
        assert all(r.session_id == "s1" for r in records)
        assert s.version() == 0
        s.put_record("s1", "checkin", {"who": "Jo"})
        assert s.version() == 1
        assert s.end_session("s1") == 1

    with Store.open(path, readonly=True) as viewer:
        assert viewer.session("s1").is_ended


def test_a_file_from_a_newer_workbook_is_refused_in_both_modes(path: Path):
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    for readonly in (False, True):
        with pytest.raises(WorkbookError, match="newer version of the workbook"):
            Store.open(path, readonly=readonly)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


# -- erasing a case -------------------------------------------------------------------


def raw_bytes(path: Path) -> bytes:
    found = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            found += p.read_bytes()
    return found


def test_erasing_a_case_leaves_no_trace_of_it_in_the_file(path: Path):
    needle = DISTINCTIVE.encode()
    with Store.open(path) as s, Store.open(path, readonly=True) as viewer:
        first = s.create_session("Tuesday group", "hackney")
        second = s.create_session("Follow-up group", "hackney")
        erased = [
            s.add_discussion(first, a_case("secret", fictional=False, name=DISTINCTIVE)),
            s.add_discussion(second, a_case("secret", fictional=False, name=DISTINCTIVE)),
        ]
        kept = s.add_discussion(first, a_case("training", name="Poppy"))
        for d in erased:
            for i in range(30):
                s.put_record(d, "hypothesis", {"text": f"{DISTINCTIVE} idea {i}"})
            s.put_record(d, "note", {"text": f"Visit {DISTINCTIVE} at school"})
        s.put_record(kept, "note", {"text": "Poppy is settled"})
        s.update_session(first, selected_person="amy")
        s._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        assert needle in raw_bytes(path)  # the test can see the name before erasing
        viewer.version()  # an idle participant's view is open throughout

        version = s.version()
        assert s.erase_case("secret") == 2

        assert s.version() == version + 2  # one change per session involved
        assert [d.id for d in s.discussions(first)] == [kept]
        assert s.discussions(second) == []
        assert s.session(first).selected_person is None
        assert s.records(kept)[0].payload["text"] == "Poppy is settled"
        for d in erased:
            with pytest.raises(UnknownSession):
                s.discussion(d)
        mentions = s._conn.execute(
            "SELECT COUNT(*) FROM changes WHERE discussion_id IN (?, ?)", erased
        ).fetchone()[0]
        assert mentions == 0
        assert needle not in raw_bytes(path)
        assert b"Poppy is settled" in raw_bytes(path)
        assert [c.action for c in viewer.changes_since(version)] == ["erased", "erased"]
    assert needle not in raw_bytes(path)


def test_erasing_an_unknown_case_erases_nothing(store: Store, discussion_id: str):
    assert store.erase_case("no-such-case") == 0
    assert store.discussion(discussion_id).case_id == "smith"


# -- threads --------------------------------------------------------------------------


def write_from_threads(stores: list[Store], discussion_id: str, edits: int) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(stores))

    def writer(s: Store, n: int) -> None:
        try:
            start.wait(timeout=10)
            for i in range(edits):
                s.put_record(discussion_id, "question", {"thread": n, "i": i})
        except BaseException as err:  # collected and asserted on below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return errors


@pytest.mark.parametrize("shared", [True, False], ids=["one-handle", "handle-per-thread"])
def test_four_threads_writing_at_once_all_land(path: Path, discussion_id: str, shared: bool):
    base = Store.open(path)
    stores = [base] * 4 if shared else [Store.open(path) for _ in range(4)]
    try:
        version = base.version()
        errors = write_from_threads(stores, discussion_id, 50)
        assert errors == []
        changes = base.changes_since(version)
        assert len({c.seq for c in changes}) == 200
        assert base.version() == version + 200
        written = {(r.payload["thread"], r.payload["i"]) for r in base.records(discussion_id)}
        assert written == {(n, i) for n in range(4) for i in range(50)}
    finally:
        for s in set(stores):
            s.close()


# -- following from a dashboard -------------------------------------------------------


def test_a_viewer_follows_a_writer_thread(path: Path, store: Store, session_id: str):
    steps = ["checkin", "genogram", "graces", "hypotheses", "questions"]
    target = store.version() + len(steps)

    def supervisor() -> None:
        for step in steps:
            time.sleep(0.03)
            store.update_session(session_id, current_step=step)

    async def viewer() -> tuple[list[int], list[str], int]:
        versions: list[int] = []
        shown: list[str] = []
        stop = asyncio.Event()
        with Store.open(path, readonly=True) as view:

            def on_change(version: int) -> None:
                versions.append(version)
                shown.append(view.session(session_id).current_step)
                if version >= target:
                    stop.set()

            writer = threading.Thread(target=supervisor)
            writer.start()
            last = await asyncio.wait_for(follow(view, on_change, every=0.01, stop=stop), 10)
            writer.join(timeout=10)
        return versions, shown, last

    versions, shown, last = asyncio.run(viewer())
    assert last == target
    assert versions == sorted(set(versions))
    assert shown[-1] == "questions"


def test_following_awaits_a_coroutine_callback_and_stops_promptly(path: Path, store: Store):
    async def run() -> tuple[list[int], float]:
        seen: list[int] = []
        stop = asyncio.Event()

        async def on_change(version: int) -> None:
            await asyncio.sleep(0)
            seen.append(version)

        task = asyncio.create_task(follow(store, on_change, every=0.01, stop=stop))
        await asyncio.sleep(0.03)
        store.create_session("Group", "hackney")  # the handle's own write is noticed too
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        stop.set()
        started = time.monotonic()
        await asyncio.wait_for(task, 5)
        return seen, time.monotonic() - started

    seen, stopping = asyncio.run(run())
    assert seen == [1]
    assert stopping < 0.5


def test_following_from_a_version_already_shown_catches_up_at_once(path: Path, store: Store):
    store.create_session("Group", "hackney")

    async def run() -> list[int]:
        seen: list[int] = []
        stop = asyncio.Event()

        def on_change(version: int) -> None:
            seen.append(version)
            stop.set()

        await asyncio.wait_for(follow(store, on_change, every=5, stop=stop, since=0), 2)
        return seen

    assert asyncio.run(run()) == [1]


def test_the_polling_interval_must_be_positive(store: Store):
    with pytest.raises(WorkbookError, match="positive number of seconds"):
        asyncio.run(follow(store, print, every=0))


# -- where the store lives ------------------------------------------------------------


def test_the_flag_wins_over_the_environment_which_wins_over_the_default(monkeypatch):
    monkeypatch.setenv(STORE_ENV, "/srv/env.db")
    assert resolve_store_path("/srv/flag.db") == Path("/srv/flag.db")
    assert resolve_store_path(None) == Path("/srv/env.db")
    monkeypatch.setenv(STORE_ENV, "  ")
    assert resolve_store_path(None) == default_store_path()
    monkeypatch.delenv(STORE_ENV)
    assert resolve_store_path("") == default_store_path()
    assert resolve_store_path("~/wb.db") == Path.home() / "wb.db"


def test_the_default_store_is_in_the_users_data_folder():
    path = default_store_path()
    assert path.name == "workbook.db"
    assert path.parent.name == "systemic-workbook"


# -- the documentation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "module", [store_package, model, migrations, sqlite, location, follow_module, failures],
    ids=lambda m: m.__name__,
)
def test_the_examples_in_the_docstrings_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# -- editing the case on the latest copy --------------------------------------------------


def test_an_edit_is_applied_to_the_case_as_the_store_holds_it_now(
    store: Store, path: Path, discussion_id: str
):
    with Store.open(path) as other_window:
        stale = store.discussion(discussion_id).case_data
        other_window.edit_case(discussion_id, lambda case: {**case, "title": "Renamed"},
                               log={"op": "retitle", "args": {}})
        saved = store.edit_case(
            discussion_id,
            lambda case: {**case, "people": [*case["people"], {"id": "bo", "name": "Bo"}]},
            log={"op": "add_person", "args": {"person": {"id": "bo", "name": "Bo"}}},
        )
    assert stale["title"] != "Renamed"
    assert saved["title"] == "Renamed" and [p["id"] for p in saved["people"]] == ["amy", "bo"]
    assert store.discussion(discussion_id).case_data == saved
    assert [r.payload["op"] for r in store.records(discussion_id, "genogram_edit")] == [
        "retitle", "add_person"]


def test_an_edit_and_its_log_record_move_the_feed_together(store: Store, discussion_id: str):
    before = store.version()
    store.edit_case(discussion_id, lambda case: case, log=lambda: {"op": "noop", "args": {}})
    kinds = [(c.kind, c.action) for c in store.changes_since(before)]
    assert kinds == [("genogram_edit", "created"), ("case", "updated")]


def test_a_refused_edit_saves_neither_the_case_nor_its_log(store: Store, discussion_id: str):
    before = store.version()

    def refuse(case: dict) -> dict:
        raise ValueError("no")

    with pytest.raises(ValueError):
        store.edit_case(discussion_id, refuse, log={"op": "x", "args": {}})
    with pytest.raises(WorkbookError, match="fictional"):
        store.edit_case(discussion_id, lambda case: {"id": "smith"}, log={"op": "x"})
    assert store.version() == before
    assert store.records(discussion_id, "genogram_edit") == []


# -- an ended session is ended -------------------------------------------------------------


def test_an_ended_session_refuses_every_change_saying_how_to_reopen_it(
    store: Store, session_id: str, discussion_id: str
):
    from systemic.errors import NotSaved, SessionEnded

    store.end_session(session_id)
    version = store.version()
    attempts = [
        lambda: store.put_record(discussion_id, "note", {"text": "late"}),
        lambda: store.update_session(session_id, current_step="plan"),
        lambda: store.add_discussion(session_id, a_case("late")),
        lambda: store.edit_case(discussion_id, lambda case: case, log={"op": "x"}),
        lambda: store.update_case(discussion_id, a_case()),
    ]
    for attempt in attempts:
        with pytest.raises(SessionEnded, match=r"ended on .* reopen it") as refused:
            attempt()
        assert isinstance(refused.value, NotSaved)
        assert "\n" not in str(refused.value)
    assert store.version() == version
    store.reopen_session(session_id)
    assert not store.session(session_id).is_ended
    store.put_record(discussion_id, "note", {"text": "after reopening"})
    assert [c.action for c in store.changes_since(version)] == ["reopened", "created"]


# -- who opened a session's view ------------------------------------------------------------


def test_opening_a_view_is_recorded_and_read_back_as_a_count_only(
    store: Store, path: Path, session_id: str
):
    version = store.version()
    store.record_view_opened(session_id, "sam@council.example")
    store.record_view_opened(session_id, "ade@council.example")
    with Store.open(path, readonly=True) as viewer:
        assert viewer.views_opened(session_id) == 2
    assert store.version() == version  # not an edit: nobody's view redraws
    with pytest.raises(UnknownSession):
        store.record_view_opened("nope", "sam")
    with pytest.raises(WorkbookError, match="viewer's name"):
        store.record_view_opened(session_id, "  ")
