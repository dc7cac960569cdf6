"""The session store in one SQLite file: the embedded default.

The supervisor's notebook writes every edit here at once, one transaction per
edit (``BEGIN IMMEDIATE``, so writers in other processes queue rather than
fail), and appends a row to the change feed in that same transaction.
Participants' dashboards open the same file read-only and follow the feed
(:func:`systemic.store.follow.follow`). Under ipykernel 7 widget callbacks run
on a thread other than the cells' (JUPYTER.md §2.2), so one lock guards the
connection and every method may be called from any thread.

The file is in WAL mode, so readers never block the writer; it is created
readable by its owner only (0600), because it holds notes about children.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with SQLiteStore.open(pathlib.Path(folder) / "workbook.db") as store:
...         sid = store.create_session("Tuesday group", "hackney", participants=["Sam"])
...         print(store.session_version(sid), store.version())
1 1
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from systemic.errors import StoreUnavailable, WorkbookError
from systemic.store.base import RUNNING_RECORD, Store
from systemic.store.failures import cannot_open, disk_is_full, folder_is_read_only, not_saved
from systemic.store.location import StoreAddress
from systemic.store.migrations import SCHEMA_VERSION, migrate, schema_version, too_new

__all__ = ["SQLiteStore", "BUSY_TIMEOUT_SECONDS", "RUNNING_RECORD"]

#: How long a write waits for another writer (another process, usually)
#: before giving up. Edits are tiny, so a wait this long means something is stuck.
BUSY_TIMEOUT_SECONDS = 10.0


def _can_write(path: Path) -> bool:
    try:
        os.close(os.open(path, os.O_WRONLY))
    except OSError:
        return False
    return True



class SQLiteStore(Store):
    """A session store kept in one SQLite file (see :class:`~systemic.store.base.Store`)."""

    def __init__(self, address: StoreAddress, readonly: bool = False):
        super().__init__(address, readonly)
        if address.path is None:
            raise WorkbookError(f"{address} is not a SQLite file.")
        self.path: Path = address.path
        self._conn: sqlite3.Connection | None = None
        self._conn = self._connect()

    # -- opening and closing -------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        where = str(self.path)
        if self.path.is_dir():
            raise StoreUnavailable(
                f"{where} is a folder — give the path of a store file inside it, "
                "or choose another store with --store."
            )
        if self.readonly:
            return self._connect_readonly()
        try:
            self._create_private_file()
        except OSError as err:
            raise cannot_open(self.path, err) from None
        return self._connect_to(where, uri=False)

    def _connect_to(self, target: str, uri: bool) -> sqlite3.Connection:
        side_files = [self.path.with_name(self.path.name + s) for s in ("-wal", "-shm")]
        there_before = [f.exists() for f in side_files]
        try:
            return self._connect_and_configure(target, uri)
        except StoreUnavailable:
            # A failed open (full disk, say) may leave an empty -wal behind, which would
            # look like a writer at work to the next reader; take away what this made.
            for side_file, was_there in zip(side_files, there_before, strict=True):
                if not was_there and side_file.exists() and side_file.stat().st_size <= 32768:
                    with contextlib.suppress(OSError):
                        side_file.unlink()
            raise

    def _connect_and_configure(self, target: str, uri: bool) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                target,
                uri=uri,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,  # transactions are begun explicitly, see _transaction
                check_same_thread=False,  # guarded by self._lock instead
            )
        except sqlite3.Error as err:
            raise cannot_open(self.path, err, readonly=self.readonly) from None
        try:
            self._configure(conn, str(self.path))
        except sqlite3.Error as err:
            conn.close()
            raise cannot_open(self.path, err, readonly=self.readonly) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_readonly(self) -> sqlite3.Connection:
        """``mode=ro``; or ``immutable=1`` when that needs a write and no one can be writing.

        A reader of a WAL file needs its ``-shm`` index, which SQLite creates
        next to the file. In a read-only folder, or on a full disk, it cannot;
        and there, with no ``-wal`` file beside the store, no writer has it
        open (a writer keeps one while it is open), so reading the file as
        immutable is safe. A writer that opens it later is not seen until the
        view is opened again.
        """
        if not self.path.exists():
            raise StoreUnavailable(
                f"There is no session store at {self.path} — check the path, or start the "
                "session in the supervisor's notebook first."
            )
        uri = self.path.resolve().as_uri()
        writer_may_be_open = self.path.with_name(self.path.name + "-wal").exists()
        try:
            return self._connect_to(f"{uri}?mode=ro", uri=True)
        except StoreUnavailable:
            needs_a_write = (folder_is_read_only(self.path) or disk_is_full(self.path)
                             or not os.access(self.path.parent, os.W_OK))
            if writer_may_be_open or not needs_a_write:
                raise
        return self._connect_to(f"{uri}?immutable=1", uri=True)

    def _create_private_file(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Created here rather than by SQLite so that it is owner-only from
            # its first byte; SQLite gives the -wal and -shm files the same mode.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)

    def _configure(self, conn: sqlite3.Connection, where: str) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000):d}")
        conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            found = schema_version(conn)
            if found > SCHEMA_VERSION:
                raise too_new(found, where)
            if found < SCHEMA_VERSION:
                raise WorkbookError(
                    f"{where} has not been set up for this version of the workbook yet — "
                    "open it once in the supervisor's notebook, then join again."
                )
            return
        if not _can_write(self.path):
            # SQLite would open it quietly for reading only, and every edit would then fail.
            raise cannot_open(self.path, None, cause="read-only")
        found = schema_version(conn)
        if found == 0 and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            raise cannot_open(self.path, None, cause="not-a-store")
        if found > SCHEMA_VERSION:
            raise too_new(found, where)
        # Deleted rows are overwritten with zeros, so erased text does not
        # linger in free pages between erasures.
        conn.execute("PRAGMA secure_delete = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise WorkbookError(
                f"{where} could not be switched to WAL mode (it is in {mode} mode) — "
                "put the store on a local disk, not a network share."
            )
        migrate(conn, where)

    def close(self) -> None:
        """Close the file. Closing twice is harmless."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __repr__(self) -> str:
        how = "read-only" if self.readonly else "read-write"
        state = "closed" if self._conn is None else how
        return f"<SQLiteStore {str(self.path)!r} ({state})>"

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise WorkbookError(f"The session store {self.path} has been closed — open it again.")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One edit: BEGIN IMMEDIATE … COMMIT, under the lock.

        IMMEDIATE takes the write lock at the start, so two writers in
        different processes queue on ``busy_timeout`` instead of failing
        with "database is locked" when both try to upgrade a read.
        """
        with self._lock:
            conn = self._db
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as err:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise not_saved(err) from None

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    def _read(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self._db.cursor()
            cursor.row_factory = sqlite3.Row
            return cursor.execute(sql, tuple(params)).fetchall()

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes when *another* connection commits.

        It costs no table read, so a viewer can poll it often and read
        :meth:`version` only when it moves. It does not move for this
        handle's own writes.
        """
        with self._lock:
            return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def _wipe_free_space(self) -> None:
        """Rewrite the file and empty the write-ahead log, so deleted text is gone from disk."""
        with self._lock:
            conn = self._db
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise WorkbookError(
                "The case is gone from the workbook, but a participant's view still has the "
                "store open, so old copies of it may remain on disk — close the participants' "
                "views and erase the case again to wipe them."
            )
