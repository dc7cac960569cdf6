"""The session store's one interface, and what both of its engines share.

:class:`Store` is what the rest of the workbook uses: sessions, case
discussions, records, the change feed, erasure. Two engines implement it —
:class:`~systemic.store.sqlite.SQLiteStore`, one file on the supervisor's
computer (the default), and :class:`~systemic.store.postgres.PostgresStore`,
a database shared between laptops. The rules of the domain (what a session
may hold, one transaction per edit with its change-feed entry, an ended
session refuses changes) are written once here, in SQL both engines run; an
engine gives the connection, transactions, the change feed's reading and
erasure's wiping. :meth:`Store.open` picks the engine from the address.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with Store.open(pathlib.Path(folder) / "workbook.db") as store:
...         sid = store.create_session("Tuesday group", "hackney", participants=["Sam"])
...         did = store.add_discussion(sid, {"id": "demo", "title": "Demo", "fictional": True})
...         rid = store.put_record(did, "hypothesis", {"text": "Mum is protecting Amy"})
...         print(store.record(rid).payload["text"], store.version(), type(store).__name__)
Mum is protecting Amy 3 SQLiteStore
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from systemic.dates import long_date
from systemic.errors import ReadOnlyStore, SessionEnded, UnknownSession, WorkbookError
from systemic.store.location import StoreAddress, parse_store_address
from systemic.store.model import (
    KNOWN_KINDS,
    Change,
    Discussion,
    Participant,
    Record,
    Session,
    SessionSummary,
    parse_participants,
)

__all__ = ["Store", "Connection", "Row", "RUNNING_RECORD"]


class Row(Protocol):
    """A row read back: by column name (``row["id"]``) or position (``row[0]``)."""

    def __getitem__(self, key: Any) -> Any: ...


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """What the shared SQL needs of an engine's connection: ``?`` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Cursor: ...


#: Longest id a caller may choose for a record.
_MAX_ID_LENGTH = 100

#: Session fields :meth:`Store.update_session` may change, and their columns.
_SESSION_FIELDS = (
    "title",
    "date",
    "team",
    "supervisor",
    "framework_id",
    "participants",
    "current_step",
    "selected_person",
)

#: The kind of the session-wide record that marks the session the supervisor is running.
RUNNING_RECORD = "running"

#: Changes allowed to a session that has ended.
_ALWAYS_ALLOWED = ("ended", "reopened", "erased")

_READ_ONLY = (
    "This is a read-only view of the session store, so it cannot change anything — "
    "edits are made in the supervisor's notebook."
)

P = ParamSpec("P")
T = TypeVar("T")


def _writes(
    method: Callable[Concatenate[Store, P], T],
) -> Callable[Concatenate[Store, P], T]:
    """Mark a method as a write: refused on a read-only store before it touches anything."""

    @functools.wraps(method)
    def checked(self: Store, *args: P.args, **kwargs: P.kwargs) -> T:
        if self.readonly:
            raise ReadOnlyStore(_READ_ONLY)
        return method(self, *args, **kwargs)

    checked.writes = True  # type: ignore[attr-defined]
    return checked


def _ended(ended: str) -> SessionEnded:
    when = long_date(datetime.fromisoformat(ended).date())
    return SessionEnded(
        f"Not saved: this session ended on {when}, so it cannot change any more — reopen "
        "it (Reopen the session, at the start of the session notebook) to carry on."
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _new_id() -> str:
    return secrets.token_hex(8)


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=False)
    except (TypeError, ValueError) as err:
        raise WorkbookError(
            f"The {what} holds something that cannot be saved ({err}) — use only text, "
            "numbers, true/false, lists and mappings."
        ) from None


def _text(value: Any, field: str, *, optional: bool = True, limit: int = 200) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise WorkbookError(f"The session's {field} must be some text — it was {value!r}.")
    if len(value) > limit:
        raise WorkbookError(
            f"The session's {field} is longer than {limit} characters — shorten it."
        )
    return value.strip()


def _session_date(value: date | str | None) -> str:
    if value is None:
        return date.today().isoformat()
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise WorkbookError(
            f"The session date {value!r} is not a date — write it like 2026-03-17."
        ) from None


def _case_fields(case_data: Any) -> tuple[str, bool, str]:
    """The case id, whether it is fictional, and the JSON to keep."""
    if hasattr(case_data, "model_dump"):
        case_data = case_data.model_dump(mode="json", exclude_none=True)
    if not isinstance(case_data, Mapping):
        raise WorkbookError(
            f"A case must be given as a mapping of its fields, not {type(case_data).__name__}."
        )
    case_id = case_data.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise WorkbookError("The case has no id — every case needs one, like 'smith-family'.")
    fictional = case_data.get("fictional")
    if not isinstance(fictional, bool):
        raise WorkbookError(
            f"The case '{case_id}' does not say whether it is fictional — "
            "add fictional: true for a training case, false for a real family."
        )
    return case_id, fictional, _json(dict(case_data), f"case '{case_id}'")



class Store(ABC):
    """A session store: the interface every part of the workbook uses.

    Open one with :meth:`Store.open` (a file path or a ``postgresql://``
    address); close it with :meth:`close` or a ``with`` block. One handle may
    be shared between threads.

    Parameters of :meth:`open`
    --------------------------
    address : str, os.PathLike or StoreAddress
        A SQLite file (created, with its folder, if missing when writing), or
        a PostgreSQL address.
    readonly : bool
        Open for reading only, as a participant's dashboard does. Every write
        method then raises :class:`~systemic.errors.ReadOnlyStore`, and the
        engine itself refuses writes too (SQLite ``mode=ro``; a read-only
        transaction, and a role that may only read, in PostgreSQL).

    Raises
    ------
    StoreUnavailable
        The store cannot be opened, is not a session store, or was written by
        a newer workbook: one line with the path, the cause and the fix.
    """


    def __init__(self, address: StoreAddress, readonly: bool = False):
        self.address = address
        #: The SQLite file (None for a database server).
        self.path = address.path
        self.readonly = readonly
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls, address: str | os.PathLike[str] | StoreAddress, readonly: bool = False
    ) -> Store:
        """Open the store at ``address`` with the engine it names."""
        where = parse_store_address(address)
        if where.kind == "postgresql":
            from systemic.store.postgres import PostgresStore

            engine: type[Store] = PostgresStore
        else:
            from systemic.store.sqlite import SQLiteStore

            engine = SQLiteStore
        if cls is not Store and not issubclass(engine, cls):
            raise WorkbookError(f"{where} is not a store {cls.__name__} can open.")
        return engine(where, readonly=readonly)

    # -- what an engine gives ------------------------------------------------

    @abstractmethod
    def close(self) -> None:
        """Close the store. Closing twice is harmless."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Connection]:
        """One edit: a transaction under the handle's lock; a failure is :class:`NotSaved`."""

    @abstractmethod
    def _reading(self) -> AbstractContextManager[Connection]:
        """A connection to read with, under the handle's lock (no transaction)."""

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        with self._reading() as conn:
            return list(conn.execute(sql, tuple(params)).fetchall())

    def _lock_session(self, conn: Connection, session_id: str) -> None:  # noqa: B027
        """Hold the session's row until the transaction ends (where the engine needs it).

        SQLite's writer lock already makes each edit run alone; PostgreSQL
        locks the session's row (``SELECT … FOR UPDATE``), so an edit reads
        the latest case and the session's version counts commits in order.
        """

    def _before_feed(self, conn: Connection) -> None:  # noqa: B027
        """Called just before a change is appended (PostgreSQL: see its module)."""

    def data_version(self) -> int | None:
        """A cheap signal that someone else committed, or None when the engine has none
        (then a follower reads :meth:`version` at each look)."""
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the shared rules ------------------------------------------------------

    def _log(
        self,
        conn: Connection,
        kind: str,
        action: str,
        session_id: str,
        discussion_id: str | None = None,
        record_id: str | None = None,
    ) -> int:
        """Append the change and bump the session's version, in the edit's own transaction.

        Refuses (and so rolls back) any edit to a session that has ended,
        except ending, reopening and erasing. Returns the session's new version.
        """
        row = conn.execute(
            "UPDATE sessions SET version = version + 1 WHERE id = ? RETURNING version, ended",
            (session_id,),
        ).fetchone()
        if row is None:
            raise Store._no_session(session_id)
        if row[1] is not None and action not in _ALWAYS_ALLOWED:
            raise _ended(row[1])
        self._before_feed(conn)
        conn.execute(
            "INSERT INTO changes (session_id, discussion_id, record_id, kind, action, at,"
            " version) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session_id, discussion_id, record_id, kind, action, _now(), row[0]),
        )
        return int(row[0])

    # -- following changes ---------------------------------------------------

    def version(self) -> int:
        """The number of the latest change; it only ever grows (0 for a new store).

        Every edit moves it by exactly one (a failed edit may leave a number
        unused in PostgreSQL). Numbers are given in commit order, so a view
        that has seen ``version()`` has seen every change up to it.
        """
        row = self._read("SELECT COALESCE(MAX(seq), 0) FROM changes")
        return int(row[0][0])

    def changes_since(self, seq: int, limit: int | None = None) -> list[Change]:
        """The changes after ``seq``, oldest first (at most ``limit`` of them)."""
        sql = "SELECT * FROM changes WHERE seq > ? ORDER BY seq"
        params: list[Any] = [int(seq)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [self._change(r) for r in self._read(sql, params)]

    # -- following one session, in commit order -------------------------------

    def session_version(self, session_id: str) -> int:
        """The session's own version: bumped by exactly one in each edit's transaction.

        A participant following one session compares this, then reads
        :meth:`session_changes`; it counts commits in the order they happened.
        """
        rows = self._read("SELECT version FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise self._no_session(session_id)
        return int(rows[0][0])

    def session_changes(
        self, session_id: str, since: int, limit: int | None = None
    ) -> list[Change]:
        """The session's changes after its version ``since``, in commit order."""
        sql = "SELECT * FROM changes WHERE session_id = ? AND version > ? ORDER BY version"
        params: list[Any] = [session_id, int(since)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [self._change(r) for r in self._read(sql, params)]

    @staticmethod
    def _change(r: Row) -> Change:
        return Change(
            seq=r["seq"],
            session_id=r["session_id"],
            discussion_id=r["discussion_id"],
            record_id=r["record_id"],
            kind=r["kind"],
            action=r["action"],
            at=datetime.fromisoformat(r["at"]),
            version=r["version"],
        )

    # -- sessions ------------------------------------------------------------

    @_writes
    def create_session(
        self,
        title: str,
        framework_id: str,
        *,
        date: date | str | None = None,
        team: str | None = None,
        supervisor: str | None = None,
        participants: Iterable[Any] = (),
    ) -> str:
        """Start a session record and return its id.

        ``participants`` are first names or initials, each with a role from
        :data:`~systemic.store.model.ROLES` (a bare name is a member of the
        reflecting group). ``date`` defaults to today.
        """
        people = parse_participants(participants)
        row = (
            _new_id(),
            _text(title, "title", optional=False),
            _session_date(date),
            _text(team, "team"),
            _text(supervisor, "supervisor", limit=40),
            _text(framework_id, "framework", optional=False, limit=100),
            _json([p.as_json() for p in people], "participants"),
        )
        now = _now()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO sessions (id, title, date, team, supervisor, framework_id,"
                " participants, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*row, now, now),
            )
            self._log(conn, "session", "created", row[0])
        return row[0]

    def list_sessions(self) -> list[SessionSummary]:
        """Every session, the most recent meeting first."""
        rows = self._read(
            "SELECT s.*, (SELECT COUNT(*) FROM discussions AS d WHERE d.session_id = s.id)"
            " AS discussion_count FROM sessions AS s ORDER BY s.date DESC, s.n DESC"
        )
        return [
            SessionSummary(
                id=r["id"],
                title=r["title"],
                date=date.fromisoformat(r["date"]),
                framework_id=r["framework_id"],
                team=r["team"],
                discussion_count=r["discussion_count"],
                created=datetime.fromisoformat(r["created"]),
                ended=_when(r["ended"]),
            )
            for r in rows
        ]

    def running_session(self) -> str | None:
        """The session a supervisor last started or resumed (None when none has been).

        The supervisor's notebook marks it with a session-wide record of kind
        :data:`RUNNING_RECORD` (see :func:`systemic.session.mark_running`);
        participants' pages follow it rather than the newest session.
        """
        rows = self._read(
            "SELECT r.session_id FROM records AS r JOIN sessions AS s ON s.id = r.session_id"
            " WHERE r.kind = ? AND r.discussion_id IS NULL"
            " ORDER BY r.updated DESC, r.n DESC LIMIT 1",
            (RUNNING_RECORD,),
        )
        return str(rows[0]["session_id"]) if rows else None

    def session(self, session_id: str) -> Session:
        """The session with this id."""
        rows = self._read("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise UnknownSession(
                f"There is no session '{session_id}' in this store — "
                "choose one from the list of sessions."
            )
        r = rows[0]
        return Session(
            id=r["id"],
            title=r["title"],
            date=date.fromisoformat(r["date"]),
            framework_id=r["framework_id"],
            team=r["team"],
            supervisor=r["supervisor"],
            participants=tuple(Participant(**p) for p in json.loads(r["participants"])),
            current_step=r["current_step"],
            selected_person=r["selected_person"],
            created=datetime.fromisoformat(r["created"]),
            updated=datetime.fromisoformat(r["updated"]),
            ended=_when(r["ended"]),
        )

    @_writes
    def update_session(self, session_id: str, **fields: Any) -> None:
        """Change some of a session's fields in one edit.

        Accepts ``title``, ``date``, ``team``, ``supervisor``,
        ``framework_id``, ``participants``, ``current_step`` and
        ``selected_person``; ``current_step`` and ``selected_person`` are what
        participants' views follow. Give None to clear an optional field.
        """
        unknown = sorted(set(fields) - set(_SESSION_FIELDS))
        if unknown:
            raise WorkbookError(
                f"A session has no field '{unknown[0]}' — the fields that can change are: "
                f"{', '.join(_SESSION_FIELDS)}."
            )
        if not fields:
            raise WorkbookError("Nothing to change was given — name at least one field.")
        values: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "participants":
                people = parse_participants(value)
                values[name] = _json([p.as_json() for p in people], "participants")
            elif name == "date":
                values[name] = _session_date(value)
            elif name in ("title", "framework_id"):
                values[name] = _text(value, name.replace("_id", ""), optional=False, limit=200)
            elif name in ("supervisor", "selected_person"):
                values[name] = _text(value, name.replace("_", " "), limit=100)
            else:
                values[name] = _text(value, name.replace("_", " "))
        assignments = ", ".join(f"{name} = ?" for name in values)  # names from _SESSION_FIELDS
        with self._transaction() as conn:
            cursor = conn.execute(
                f"UPDATE sessions SET {assignments}, updated = ? WHERE id = ?",
                (*values.values(), _now(), session_id),
            )
            if cursor.rowcount == 0:
                raise self._no_session(session_id)
            self._log(conn, "session", "updated", session_id)

    @_writes
    def end_session(self, session_id: str, keep_checkin: bool = False) -> int:
        """Close the session; return how many check-in entries were deleted.

        A check-in is what people shared about how they arrive, which is
        personal and not part of the case record, so it is deleted at the end
        unless the supervisor asks to keep it.
        """
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET ended = ?, updated = ? WHERE id = ?",
                (_now(), _now(), session_id),
            )
            if cursor.rowcount == 0:
                raise self._no_session(session_id)
            deleted = 0
            if not keep_checkin:
                deleted = conn.execute(
                    "DELETE FROM records WHERE session_id = ? AND kind = 'checkin'",
                    (session_id,),
                ).rowcount
            self._log(conn, "session", "ended", session_id)
        return deleted

    @_writes
    def reopen_session(self, session_id: str) -> None:
        """Open an ended session again, so that it can be changed (issue 15, point 6).

        The check-in deleted at the end stays deleted.
        """
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET ended = NULL, updated = ? WHERE id = ?", (_now(), session_id)
            )
            if cursor.rowcount == 0:
                raise self._no_session(session_id)
            self._log(conn, "session", "reopened", session_id)

    # -- who opened a session's view (issue 19's audit) ---------------------------

    def record_view_opened(self, session_id: str, user: str) -> None:
        """Note that ``user`` (as the hub signed them in) opened the session's view, now.

        It is not an edit: the change feed and the session's version do not move.
        The room that serves the view holds a read-only handle; the database
        decides whether it may note this (:meth:`_audit_transaction`): on
        PostgreSQL the viewers' role may add to ``view_openings`` and nothing
        else; a read-only SQLite file cannot be written at all (a laptop's room
        has no sign-in, so it has nobody to note).
        """
        name = _text(user, "viewer's name", optional=False, limit=200)
        with self._audit_transaction() as conn:
            if not conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise self._no_session(session_id)
            conn.execute(
                "INSERT INTO view_openings (session_id, viewer, at) VALUES (?, ?, ?)",
                (session_id, name, _now()),
            )

    def _audit_transaction(self) -> AbstractContextManager[Connection]:
        """The transaction :meth:`record_view_opened` writes in; refused on a read-only handle
        unless an engine says its database allows it."""
        if self.readonly:
            raise ReadOnlyStore(_READ_ONLY)
        return self._transaction()

    def views_opened(self, session_id: str) -> int:
        """How many times the session's view was opened: a count, never who."""
        self.session(session_id)
        rows = self._read(
            "SELECT COUNT(*) FROM view_openings WHERE session_id = ?", (session_id,)
        )
        return int(rows[0][0])

    @staticmethod
    def _no_session(session_id: str) -> UnknownSession:
        return UnknownSession(
            f"There is no session '{session_id}' in this store — "
            "choose one from the list of sessions."
        )

    # -- case discussions ----------------------------------------------------

    @_writes
    def add_discussion(self, session_id: str, case_data: Mapping[str, Any] | Any) -> str:
        """Bring a case into the session and return the discussion's id.

        The session keeps its own copy of the case (a mapping, or a
        :class:`~systemic.cases.Case`), so later edits to the case file do not
        rewrite what was discussed.
        """
        case_id, fictional, case_json = _case_fields(case_data)
        discussion_id = _new_id()
        now = _now()
        with self._transaction() as conn:
            if not conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise self._no_session(session_id)
            conn.execute(
                "INSERT INTO discussions (id, session_id, case_id, fictional, case_json,"
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (discussion_id, session_id, case_id, int(fictional), case_json, now, now),
            )
            self._log(conn, "discussion", "created", session_id, discussion_id)
        return discussion_id

    def discussions(self, session_id: str) -> list[Discussion]:
        """The session's case discussions, in the order they were added."""
        self.session(session_id)  # an unknown session is an error, not an empty list
        rows = self._read(
            "SELECT * FROM discussions WHERE session_id = ? ORDER BY n", (session_id,)
        )
        return [self._discussion(r) for r in rows]

    def discussion(self, discussion_id: str) -> Discussion:
        """The case discussion with this id."""
        rows = self._read("SELECT * FROM discussions WHERE id = ?", (discussion_id,))
        if not rows:
            raise self._no_discussion(discussion_id)
        return self._discussion(rows[0])

    @staticmethod
    def _discussion(r: Row) -> Discussion:
        return Discussion(
            id=r["id"],
            session_id=r["session_id"],
            case_id=r["case_id"],
            fictional=bool(r["fictional"]),
            case_data=json.loads(r["case_json"]),
            created=datetime.fromisoformat(r["created"]),
            updated=datetime.fromisoformat(r["updated"]),
        )

    @staticmethod
    def _no_discussion(discussion_id: str) -> UnknownSession:
        return UnknownSession(
            f"There is no case discussion '{discussion_id}' in this store — it may have "
            "been erased; choose a case from the session."
        )

    @_writes
    def update_case(self, discussion_id: str, case_data: Mapping[str, Any] | Any) -> None:
        """Replace the discussion's copy of the case outright.

        Two windows editing the same case would overwrite each other's work
        through this; edits made as the supervisor works go through
        :meth:`edit_case`, which applies each one to the latest case.
        """
        case_id, fictional, case_json = _case_fields(case_data)
        with self._transaction() as conn:
            session_id = self._discussion_session(conn, discussion_id)
            conn.execute(
                "UPDATE discussions SET case_id = ?, fictional = ?, case_json = ?, updated = ?"
                " WHERE id = ?",
                (case_id, int(fictional), case_json, _now(), discussion_id),
            )
            self._log(conn, "case", "updated", session_id, discussion_id)

    @_writes
    def edit_case(
        self,
        discussion_id: str,
        apply: Callable[[dict[str, Any]], Mapping[str, Any] | Any],
        *,
        log: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None,
        log_kind: str = "genogram_edit",
    ) -> dict[str, Any]:
        """Apply one edit to the latest copy of the case, with its log record, atomically.

        ``apply`` is called inside the transaction with the case as the store
        holds it now (a fresh dict) and returns the new case; no other writer
        can change the case in between, so two windows editing at once never
        lose each other's work. ``log`` is the edit as the log keeps it (a
        ``log_kind`` record, ``genogram_edit`` by default), or a function
        called after ``apply`` that returns it; the record and the case change
        are saved together or not at all. An exception from ``apply`` saves
        nothing and is raised as it is. Returns the case as saved.

        >>> import pathlib, tempfile
        >>> with Store.open(pathlib.Path(tempfile.mkdtemp()) / "e.db") as store:
        ...     sid = store.create_session("Tuesday group", "hackney")
        ...     did = store.add_discussion(sid, {"id": "demo", "title": "Demo", "fictional": True})
        ...     case = store.edit_case(did, lambda c: {**c, "title": "The Demo family"},
        ...                            log={"op": "retitle", "args": {}})
        ...     case["title"], len(store.records(did, "genogram_edit"))
        ('The Demo family', 1)
        """
        if log_kind not in KNOWN_KINDS:
            raise WorkbookError(
                f"'{log_kind}' is not a kind of record the workbook keeps — use one of: "
                f"{', '.join(KNOWN_KINDS)}."
            )
        with self._transaction() as conn:
            session_id = self._discussion_session(conn, discussion_id)
            self._lock_session(conn, session_id)
            row = conn.execute(
                "SELECT case_json FROM discussions WHERE id = ?", (discussion_id,)
            ).fetchone()
            new_case = apply(json.loads(row[0]))
            case_id, fictional, case_json = _case_fields(new_case)
            now = _now()
            record = log() if callable(log) else log
            if record is not None:
                if not isinstance(record, Mapping):
                    raise WorkbookError(
                        f"A {log_kind} record must be a mapping of fields, not "
                        f"{type(record).__name__}."
                    )
                record_id = _new_id()
                conn.execute(
                    "INSERT INTO records (id, session_id, discussion_id, kind, payload, created,"
                    " updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (record_id, session_id, discussion_id, log_kind,
                     _json(dict(record), f"{log_kind} record"), now, now),
                )
                self._log(conn, log_kind, "created", session_id, discussion_id, record_id)
            conn.execute(
                "UPDATE discussions SET case_id = ?, fictional = ?, case_json = ?, updated = ?"
                " WHERE id = ?",
                (case_id, int(fictional), case_json, now, discussion_id),
            )
            self._log(conn, "case", "updated", session_id, discussion_id)
        return json.loads(case_json)

    def _discussion_session(self, conn: Connection, discussion_id: str) -> str:
        row = conn.execute(
            "SELECT session_id FROM discussions WHERE id = ?", (discussion_id,)
        ).fetchone()
        if row is None:
            raise self._no_discussion(discussion_id)
        return str(row[0])

    # -- records -------------------------------------------------------------

    def _owner(self, conn: Connection, owner_id: str) -> tuple[str, str | None]:
        """(session id, discussion id or None) for a discussion id or a session id."""
        row = conn.execute(
            "SELECT session_id FROM discussions WHERE id = ?", (owner_id,)
        ).fetchone()
        if row is not None:
            return row[0], owner_id
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (owner_id,)).fetchone():
            return owner_id, None
        raise UnknownSession(
            f"There is no case discussion or session '{owner_id}' in this store — "
            "choose a case from the session."
        )

    @_writes
    def put_record(
        self,
        discussion_id: str,
        kind: str,
        payload: Mapping[str, Any],
        record_id: str | None = None,
    ) -> str:
        """Save a record and return its id: a new one, or a replacement for ``record_id``.

        Parameters
        ----------
        discussion_id : str
            The case discussion it belongs to — or a session id, for records
            that belong to the whole session (the check-in before any case).
        kind : str
            One of :data:`~systemic.store.model.KNOWN_KINDS`.
        payload : mapping
            The record's content; anything JSON can hold.
        record_id : str, optional
            Replace this record (or create it under this id). A record keeps
            its place in the order it was first created.
        """
        if kind not in KNOWN_KINDS:
            raise WorkbookError(
                f"'{kind}' is not a kind of record the workbook keeps — use one of: "
                f"{', '.join(KNOWN_KINDS)}."
            )
        if not isinstance(payload, Mapping):
            raise WorkbookError(
                f"A {kind} record must be a mapping of fields, not {type(payload).__name__}."
            )
        body = _json(dict(payload), f"{kind} record")
        if record_id is not None and (
            not isinstance(record_id, str) or not record_id.strip()
            or len(record_id) > _MAX_ID_LENGTH
        ):
            raise WorkbookError(
                f"A record id must be short text (at most {_MAX_ID_LENGTH} characters) — "
                f"it was {record_id!r}."
            )
        now = _now()
        with self._transaction() as conn:
            session_id, discussion = self._owner(conn, discussion_id)
            action = "created"
            if record_id is None:
                record_id = _new_id()
            else:
                old = conn.execute(
                    "SELECT session_id, discussion_id, kind FROM records WHERE id = ?",
                    (record_id,),
                ).fetchone()
                if old is not None:
                    if old[2] != kind:
                        raise WorkbookError(
                            f"Record '{record_id}' is a {old[2]}, not a {kind} — "
                            "leave the id out to save this as a new record."
                        )
                    if tuple(old[:2]) != (session_id, discussion):
                        raise WorkbookError(
                            f"Record '{record_id}' belongs to another discussion — "
                            "leave the id out to save this as a new record."
                        )
                    action = "updated"
            conn.execute(
                "INSERT INTO records (id, session_id, discussion_id, kind, payload, created,"
                " updated) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET payload = excluded.payload,"
                " updated = excluded.updated",
                (record_id, session_id, discussion, kind, body, now, now),
            )
            self._log(conn, kind, action, session_id, discussion, record_id)
        return record_id

    def records(self, discussion_id: str, kind: str | None = None) -> list[Record]:
        """A discussion's records (or a session's own, given a session id), oldest first.

        ``kind`` narrows them to one kind.
        """
        if kind is not None and kind not in KNOWN_KINDS:
            raise WorkbookError(
                f"'{kind}' is not a kind of record the workbook keeps — use one of: "
                f"{', '.join(KNOWN_KINDS)}."
            )
        with self._reading() as conn:
            session_id, discussion = self._owner(conn, discussion_id)
            if discussion is None:
                sql = "SELECT * FROM records WHERE session_id = ? AND discussion_id IS NULL"
                params: list[Any] = [session_id]
            else:
                sql = "SELECT * FROM records WHERE discussion_id = ?"
                params = [discussion]
            if kind is not None:
                sql += " AND kind = ?"
                params.append(kind)
            rows = self._read(sql + " ORDER BY n", params)
        return [self._record(r) for r in rows]

    def record(self, record_id: str) -> Record:
        """The record with this id."""
        rows = self._read("SELECT * FROM records WHERE id = ?", (record_id,))
        if not rows:
            raise UnknownSession(
                f"There is no record '{record_id}' in this store — it may have been deleted."
            )
        return self._record(rows[0])

    @staticmethod
    def _record(r: Row) -> Record:
        return Record(
            id=r["id"],
            session_id=r["session_id"],
            discussion_id=r["discussion_id"],
            kind=r["kind"],
            payload=json.loads(r["payload"]),
            created=datetime.fromisoformat(r["created"]),
            updated=datetime.fromisoformat(r["updated"]),
        )

    @_writes
    def delete_record(self, record_id: str) -> None:
        """Delete a record for good (not hidden: gone)."""
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT session_id, discussion_id, kind FROM records WHERE id = ?", (record_id,)
            ).fetchone()
            if row is None:
                raise UnknownSession(
                    f"There is no record '{record_id}' in this store — it may already have "
                    "been deleted."
                )
            conn.execute("DELETE FROM records WHERE id = ?", (record_id,))
            self._log(conn, row[2], "deleted", row[0], row[1], record_id)

    # -- erasing -------------------------------------------------------------

    @_writes
    def erase_case(self, case_id: str) -> int:
        """Remove every discussion of a case from the file; return how many there were.

        Their records go too, the change feed forgets which discussions and
        records it spoke of, and the selected person of the sessions involved
        is cleared (it may name a family member). The file is then rewritten
        (``VACUUM``) and its write-ahead log emptied, so that nothing of the
        case remains on disk. Each session involved gets one change, so
        participants' views drop the case.

        Session titles are the supervisor's own words and are kept; do not
        put a family's name in them.

        Raises
        ------
        WorkbookError
            The case is gone from the store, but another connection (a
            participant's view) kept the old pages from being wiped; close the
            views and erase again to finish.
        """
        with self._transaction() as conn:
            rows = conn.execute(
                "SELECT id, session_id FROM discussions WHERE case_id = ?", (case_id,)
            ).fetchall()
            ids = [r[0] for r in rows]
            sessions = sorted({r[1] for r in rows})
            for session_id in sessions:
                self._lock_session(conn, session_id)
            for discussion_id in ids:
                conn.execute(
                    "UPDATE changes SET discussion_id = NULL, record_id = NULL"
                    " WHERE discussion_id = ?",
                    (discussion_id,),
                )
                conn.execute("DELETE FROM records WHERE discussion_id = ?", (discussion_id,))
                conn.execute("DELETE FROM discussions WHERE id = ?", (discussion_id,))
            for session_id in sessions:
                conn.execute(
                    "UPDATE sessions SET selected_person = NULL, updated = ? WHERE id = ?",
                    (_now(), session_id),
                )
                self._log(conn, "case", "erased", session_id)
        self._wipe_free_space()
        return len(ids)

    @abstractmethod
    def _wipe_free_space(self) -> None:
        """Make the deleted rows unreadable on disk, as far as the engine allows."""


