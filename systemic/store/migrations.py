"""The store's table layout, as the ordered list of steps that built it.

The schema version lives in SQLite's ``PRAGMA user_version``. Opening a store
for writing applies, in one transaction, every step the file has not had yet;
a file written by a newer workbook is refused rather than misread. Steps are
never edited once released: a change to the layout is a new step at the end.

Record kinds are not part of the layout (``records.kind`` is free text checked
by the code), so new kinds of record need no step here.

>>> import sqlite3
>>> conn = sqlite3.connect(":memory:", isolation_level=None)
>>> migrate(conn, "memory")
3
>>> conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
True
"""

from __future__ import annotations

import sqlite3

from systemic.errors import StoreUnavailable, WorkbookError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "schema_version", "migrate"]

#: Version 1: sessions, case discussions and their records.
_V1 = (
    """CREATE TABLE sessions (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        date TEXT NOT NULL,
        team TEXT,
        supervisor TEXT,
        framework_id TEXT NOT NULL,
        participants TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(participants)),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    """CREATE TABLE discussions (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        case_id TEXT NOT NULL,
        fictional INTEGER NOT NULL CHECK (fictional IN (0, 1)),
        case_json TEXT NOT NULL CHECK (json_valid(case_json)),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    "CREATE INDEX discussions_by_session ON discussions(session_id)",
    "CREATE INDEX discussions_by_case ON discussions(case_id)",
    """CREATE TABLE records (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        discussion_id TEXT NOT NULL REFERENCES discussions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    "CREATE INDEX records_by_discussion ON records(discussion_id, kind)",
)

#: Version 2: "follow the presenter" (current step, selected person), ending a
#: session, records that belong to the whole session (the check-in), and the
#: change feed that participants' views follow.
_V2 = (
    "ALTER TABLE sessions ADD COLUMN current_step TEXT",
    "ALTER TABLE sessions ADD COLUMN selected_person TEXT",
    "ALTER TABLE sessions ADD COLUMN ended TEXT",
    # SQLite cannot relax NOT NULL in place, so records is rebuilt with a
    # session_id and an optional discussion_id, keeping every row and its n.
    """CREATE TABLE records_v2 (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        discussion_id TEXT REFERENCES discussions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    """INSERT INTO records_v2 (n, id, session_id, discussion_id, kind, payload, created, updated)
       SELECT r.n, r.id, d.session_id, r.discussion_id, r.kind, r.payload, r.created, r.updated
       FROM records AS r JOIN discussions AS d ON d.id = r.discussion_id""",
    "DROP TABLE records",
    "ALTER TABLE records_v2 RENAME TO records",
    "CREATE INDEX records_by_discussion ON records(discussion_id, kind)",
    "CREATE INDEX records_by_session ON records(session_id, kind)",
    # AUTOINCREMENT: a sequence number is never reused, even after the newest
    # change rows are scrubbed, so a viewer's "last seen" stays meaningful.
    """CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT,
        discussion_id TEXT,
        record_id TEXT,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX changes_by_discussion ON changes(discussion_id)",
)

#: Version 3: a per-session version, bumped in each edit's own transaction, that
#: participants follow (each change row says which version it made); and a
#: record of who opened a session's view and when (issue 19's audit; counts only
#: are read back).
_V3 = (
    "ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE changes ADD COLUMN version INTEGER",
    """UPDATE changes SET version = (
        SELECT COUNT(*) FROM changes AS earlier
        WHERE earlier.session_id = changes.session_id AND earlier.seq <= changes.seq)
       WHERE session_id IS NOT NULL""",
    """UPDATE sessions SET version = (
        SELECT COUNT(*) FROM changes WHERE changes.session_id = sessions.id)""",
    "CREATE INDEX changes_by_session ON changes(session_id, version)",
    """CREATE TABLE view_openings (
        n INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        viewer TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX view_openings_by_session ON view_openings(session_id)",
)

#: Every step, in order; step ``i`` takes a file from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3)

#: The version this code reads and writes.
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The layout version written in the file (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def too_new(found: int, where: str) -> StoreUnavailable:
    return StoreUnavailable(
        f"the session store {where} was written by a newer version of the workbook (store "
        f"layout {found}, this version knows up to {SCHEMA_VERSION}) — update the workbook "
        "to open it, or choose another store with --store."
    )


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the file up to :data:`SCHEMA_VERSION`; return the version it now has.

    ``conn`` must be in autocommit mode (``isolation_level=None``): the steps
    run inside one ``BEGIN IMMEDIATE`` transaction, so a file is either fully
    migrated or left exactly as it was.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = schema_version(conn)
        if found > SCHEMA_VERSION:
            raise too_new(found, where)
        for step in MIGRATIONS[found:]:
            for statement in step:
                conn.execute(statement)
        if found != SCHEMA_VERSION:
            # PRAGMA takes no parameters; SCHEMA_VERSION is our own integer.
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise WorkbookError(
                f"{where}: updating the store found {len(problems)} entries that point at "
                "nothing — the file may be damaged; keep a copy and ask for help."
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return SCHEMA_VERSION
