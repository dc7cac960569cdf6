"""The session store in a PostgreSQL database: one store for laptops that are not one.

Workshop groups on separate laptops, a team manager looking across teams and a
council's service on JupyterHub all need one shared store; ``--store
postgresql://…`` (or ``SYSTEMIC_WORKBOOK_STORE``) opens this one with the same
interface and rules as the SQLite file (:class:`~systemic.store.base.Store`).

What differs, and why:

- **Edits run one at a time per session.** Each edit locks its session's row
  (``SELECT … FOR UPDATE``) before reading anything, so it applies to the
  latest state, and bumps the session's version in its own transaction: a
  participant following one session sees its edits once each, in commit order.
- **The store-wide feed is in commit order too.** PostgreSQL hands out
  sequence numbers when rows are inserted, not when they commit, so a follower
  of ``seq`` could skip an edit that commits late. A transaction-scoped
  advisory lock, taken just before a change is appended, makes the numbers
  follow commit order; only the last moments of each edit queue on it.
- **Read-only means read-only in the database.** A read-only handle's
  transactions are read-only (``default_transaction_read_only``); and
  participants connect as a role that was only given ``SELECT``
  (:data:`~systemic.store.pg_schema.VIEWER_ROLE`), so a write is refused by
  PostgreSQL itself.
- **One connection per handle**, guarded by the handle's lock like the SQLite
  connection, in autocommit mode so that no reader holds a transaction open.

>>> PostgresStore.__mro__[1].__name__
'Store'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from systemic.errors import StoreUnavailable, WorkbookError
from systemic.store.base import Store
from systemic.store.failures import FIX_ELSEWHERE, cause_of, not_saved
from systemic.store.location import StoreAddress
from systemic.store.migrations import SCHEMA_VERSION
from systemic.store.pg_schema import (
    FEED_LOCK,
    GRANTS,
    LOCK_SESSION,
    MIGRATION_LOCK,
    PG_MIGRATIONS,
    statements,
)

__all__ = ["PostgresStore", "LOCK_TIMEOUT_SECONDS"]

#: How long an edit waits for another edit of the same session (or the feed) before giving
#: up with "busy"; the same as SQLite's busy timeout.
LOCK_TIMEOUT_SECONDS = 10.0
#: How long opening waits for the server to answer.
CONNECT_TIMEOUT_SECONDS = 10


class _Row(tuple):  # type: ignore[type-arg]
    """A row readable by position and by column name, like ``sqlite3.Row``."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor: Any) -> Any:
    description = cursor.description or ()
    names = {column.name: i for i, column in enumerate(description)}
    row_type = type("Row", (_Row,), {"names": names})
    return lambda values: row_type(values)


class _Connection:
    """A psycopg connection that takes the shared SQL's ``?`` placeholders."""

    def __init__(self, conn: Any):
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if params:
            sql = sql.replace("%", "%%").replace("?", "%s")
            return self.raw.execute(sql, tuple(params))
        return self.raw.execute(sql)


def _open_problem(address: StoreAddress, error: BaseException) -> StoreUnavailable:
    """One line for a database that cannot be reached or used."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    where = f"the session store {address}"
    state = getattr(error, "sqlstate", None)
    if state == "3D000":
        return StoreUnavailable(f"{where}: the database does not exist — create it (createdb), "
                                f"{FIX_ELSEWHERE}")
    if state in ("28P01", "28000"):
        return StoreUnavailable(f"{where}: the server refused the user name or password — "
                                f"check them, {FIX_ELSEWHERE}")
    if state == "42501":
        return StoreUnavailable(f"{where}: this database role may not use the store's tables "
                                f"— ask the database administrator to grant it, {FIX_ELSEWHERE}")
    if cause_of(error) == "full":
        return StoreUnavailable(f"{where} cannot be written: the database server's disk is "
                                f"full — ask its administrator to free space, {FIX_ELSEWHERE}")
    if state is None or state.startswith("08"):
        return StoreUnavailable(f"{where} cannot be reached ({text[:120]}) — check the address "
                                f"and that the database server is running, {FIX_ELSEWHERE}")
    return StoreUnavailable(f"{where} could not be opened ({text[:120]}) — {FIX_ELSEWHERE}")


class PostgresStore(Store):
    """A session store in a PostgreSQL database (see the module description)."""

    def __init__(self, address: StoreAddress, readonly: bool = False):
        super().__init__(address, readonly)
        self._conn: Any = None
        self._conn = self._connect()

    # -- opening and closing -------------------------------------------------

    def _connect(self) -> Any:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        # The address may carry options of its own (a search_path, say): keep them.
        options = [conninfo_to_dict(self.address.value).get("options") or "",
                   f"-c lock_timeout={int(LOCK_TIMEOUT_SECONDS * 1000):d}"]
        if self.readonly:
            options.append("-c default_transaction_read_only=on")
        try:
            conn = psycopg.connect(
                self.address.value, autocommit=True, row_factory=_row_factory,
                connect_timeout=CONNECT_TIMEOUT_SECONDS, options=" ".join(filter(None, options)),
                application_name="systemic-workbook" + (" viewer" if self.readonly else ""),
            )
        except psycopg.Error as err:
            raise _open_problem(self.address, err) from None
        try:
            self._configure(_Connection(conn))
        except psycopg.Error as err:
            conn.close()
            raise _open_problem(self.address, err) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _configure(self, conn: _Connection) -> None:
        schema = conn.execute("SELECT quote_ident(current_schema())").fetchone()[0]
        has_table = conn.execute("SELECT to_regclass('workbook_schema') IS NOT NULL").fetchone()[0]
        found = int(conn.execute("SELECT version FROM workbook_schema").fetchone()[0]) \
            if has_table else 0
        if found > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"the session store {self.address} was written by a newer version of the "
                f"workbook (store layout {found}, this version knows up to {SCHEMA_VERSION}) — "
                f"update the workbook to open it, {FIX_ELSEWHERE}."
            )
        if self.readonly:
            if found < SCHEMA_VERSION:
                raise StoreUnavailable(
                    f"the session store {self.address} has not been set up for this version "
                    "of the workbook yet — open it once in the supervisor's notebook, then "
                    "join again."
                )
            return
        if found == 0 and not has_table and conn.execute(
            "SELECT to_regclass('sessions') IS NOT NULL"
        ).fetchone()[0]:
            raise StoreUnavailable(
                f"{self.address} holds other tables called 'sessions' and is not a session "
                f"store — give the workbook its own database or schema, {FIX_ELSEWHERE}"
            )
        self._migrate(conn, schema)

    def _migrate(self, conn: _Connection, schema: str) -> None:
        with conn.raw.transaction():
            conn.execute(MIGRATION_LOCK)
            conn.execute("CREATE TABLE IF NOT EXISTS workbook_schema (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM workbook_schema").fetchone()
            found = 0 if row is None else int(row[0])
            for step in PG_MIGRATIONS[found:]:
                for statement in statements(step, schema):
                    conn.execute(statement)
            if row is None:
                conn.execute("INSERT INTO workbook_schema (version) VALUES (0)")
            conn.execute(f"UPDATE workbook_schema SET version = {SCHEMA_VERSION:d}")
            conn.execute(GRANTS.replace("{schema}", schema))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __repr__(self) -> str:
        how = "read-only" if self.readonly else "read-write"
        state = "closed" if self._conn is None else how
        return f"<PostgresStore {str(self.address)!r} ({state})>"

    @property
    def _db(self) -> Any:
        if self._conn is None:
            raise WorkbookError(f"The session store {self.address} has been closed — open it "
                                "again.")
        if self._conn.broken:
            # The server restarted or the network dropped: a kernel lives for hours, so
            # connect again rather than failing every edit until the notebook is restarted.
            self._conn = self._connect()
        return self._conn

    # -- transactions ----------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[_Connection]:
        import psycopg

        with self._lock:
            conn = self._db
            try:
                with conn.transaction():
                    yield _Connection(conn)
            except psycopg.Error as err:
                raise not_saved(err) from None

    @contextmanager
    def _audit_transaction(self) -> Iterator[_Connection]:
        """Even a read-only handle may note who opened a view: its transaction asks to write,
        and PostgreSQL lets the viewers' role insert into ``view_openings`` and nothing else."""
        if not self.readonly:
            with self._transaction() as conn:
                yield conn
            return
        import psycopg

        with self._lock:
            conn = self._db
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION READ WRITE")
                    yield _Connection(conn)
            except psycopg.Error as err:
                raise not_saved(err) from None

    @contextmanager
    def _reading(self) -> Iterator[_Connection]:
        import psycopg

        with self._lock:
            try:
                yield _Connection(self._db)
            except psycopg.Error as err:
                raise _open_problem(self.address, err) from None

    def _read(self, sql: str, params: Any = ()) -> list[Any]:
        """A read; once more on a fresh connection if the old one was lost (reads are safe to
        repeat; a write is not, and says "Not saved … try again" instead)."""
        import psycopg

        with self._lock:
            try:
                return list(_Connection(self._db).execute(sql, tuple(params)).fetchall())
            except psycopg.OperationalError:
                if self._conn is None or not self._conn.broken:
                    raise
        return super()._read(sql, params)

    def _lock_session(self, conn: Any, session_id: str) -> None:
        conn.execute(LOCK_SESSION, (session_id,))

    def _before_feed(self, conn: Any) -> None:
        conn.execute(FEED_LOCK)

    # -- erasing ---------------------------------------------------------------

    def _wipe_free_space(self) -> None:
        """Rewrite the tables the case was in, so its rows are gone from the data files.

        What stays: the write-ahead log segments until they are recycled
        (after the next checkpoints), and backups and WAL archives for as long
        as they are kept — see the README.
        """
        import psycopg

        with self._lock:
            try:
                for table in ("records", "discussions", "changes", "sessions"):
                    self._db.execute(f"VACUUM FULL {table}")  # names are ours
            except psycopg.Error as err:
                raise WorkbookError(
                    "The case is gone from the workbook, but the database could not rewrite "
                    f"its tables to wipe old copies ({_first_line(err)}) — ask the database "
                    "administrator to run VACUUM FULL on the store's tables."
                ) from None


def _first_line(error: BaseException) -> str:
    return re.sub(r"\s+", " ", str(error)).strip()[:120]
