"""The store's layout in PostgreSQL, as the ordered list of steps that built it.

The same three versions as the SQLite file (:mod:`systemic.store.migrations`),
written for PostgreSQL, so that both engines answer the same SQL and a store
of either kind says which version it is. The version is kept in the table
``workbook_schema``. Opening for writing applies, in one transaction under an
advisory lock (two supervisors opening a new database at once take turns),
every step the database has not had yet; a database written by a newer
workbook is refused rather than misread.

Version 3 also gives the team manager's view what it may read, and nothing
else: ``team_sessions`` (dates and whether ended) and the function
``team_discussions`` (per case discussion: counts, theme and grace ids from
the workbook's own lists, people as numbers; never what anyone wrote). They
run with their owner's rights, so the team role needs no right on the tables.

>>> [len(step) > 0 for step in PG_MIGRATIONS]
[True, True, True]
>>> "FOR UPDATE" in LOCK_SESSION
True
"""

from __future__ import annotations

from typing import Any

from systemic.store.migrations import SCHEMA_VERSION

__all__ = [
    "PG_MIGRATIONS",
    "VIEWER_ROLE",
    "TEAM_ROLE",
    "LOCK_SESSION",
    "FEED_LOCK",
    "GRANTS",
    "TEAM_DISCUSSIONS",
]

#: Group roles a database administrator creates (NOLOGIN) and puts people's roles in:
#: participants' dashboards read as a member of the first, team managers of the second.
VIEWER_ROLE = "workbook_viewers"
TEAM_ROLE = "workbook_team_managers"

#: Held until the edit's transaction ends: edits to one session run one at a time, each on
#: the latest state, and the session's version counts them in commit order.
LOCK_SESSION = "SELECT version FROM sessions WHERE id = ? FOR UPDATE"

#: Taken just before a change is appended and held until commit, so that the store-wide
#: ``seq`` is handed out in commit order (PostgreSQL's sequences are not): a follower of
#: ``changes_since`` never skips an edit that commits late. Only the last moments of each
#: edit queue on it. The key is an arbitrary constant of ours.
FEED_LOCK = "SELECT pg_advisory_xact_lock(7305533614031990101)"

#: Taken while the layout is changed, so that two first openings take turns.
MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(7305533614031990102)"

_V1 = (
    """CREATE TABLE sessions (
        n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        date TEXT NOT NULL,
        team TEXT,
        supervisor TEXT,
        framework_id TEXT NOT NULL,
        participants TEXT NOT NULL DEFAULT '[]' CHECK (participants::jsonb IS NOT NULL),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    """CREATE TABLE discussions (
        n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        case_id TEXT NOT NULL,
        fictional INTEGER NOT NULL CHECK (fictional IN (0, 1)),
        case_json TEXT NOT NULL CHECK (case_json::jsonb IS NOT NULL),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    "CREATE INDEX discussions_by_session ON discussions(session_id)",
    "CREATE INDEX discussions_by_case ON discussions(case_id)",
    """CREATE TABLE records (
        n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        discussion_id TEXT NOT NULL REFERENCES discussions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (payload::jsonb IS NOT NULL),
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    "CREATE INDEX records_by_discussion ON records(discussion_id, kind)",
)

_V2 = (
    "ALTER TABLE sessions ADD COLUMN current_step TEXT",
    "ALTER TABLE sessions ADD COLUMN selected_person TEXT",
    "ALTER TABLE sessions ADD COLUMN ended TEXT",
    "ALTER TABLE records ADD COLUMN session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE",
    """UPDATE records SET session_id = d.session_id FROM discussions AS d
       WHERE d.id = records.discussion_id""",
    "ALTER TABLE records ALTER COLUMN session_id SET NOT NULL",
    "ALTER TABLE records ALTER COLUMN discussion_id DROP NOT NULL",
    "CREATE INDEX records_by_session ON records(session_id, kind)",
    """CREATE TABLE changes (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id TEXT,
        discussion_id TEXT,
        record_id TEXT,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX changes_by_discussion ON changes(discussion_id)",
)

# The team manager's function: one row per case discussion outside workshops, the same
# columns as the SQLite query in systemic/team/load.py. Tags come back as theme ids from
# the lists the caller passes (anything else as 'other'), graces as ids from the list
# (anything else as 'custom'), placed people as md5 numbers, everything else as counts.
TEAM_DISCUSSIONS = r"""
CREATE FUNCTION team_discussions(
    as_of TEXT, theme_words TEXT[], theme_ids TEXT[], grace_ids TEXT[])
RETURNS TABLE (
    discussion_id TEXT, discussion_n BIGINT, session_id TEXT, case_id TEXT,
    fictional INTEGER, tags TEXT, graces TEXT, considered TEXT,
    hypotheses_packed BIGINT, questions BIGINT, tomm_packed BIGINT, places TEXT,
    actions_packed BIGINT)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}
AS $body$
WITH r AS (SELECT discussion_id, kind, n, payload::jsonb AS p FROM records
           WHERE discussion_id IS NOT NULL)
SELECT d.id, d.n, d.session_id, d.case_id, d.fictional,
  (SELECT string_agg(d.n || chr(31) || coalesce(theme_ids[array_position(theme_words,
            btrim(regexp_replace(lower(replace(coalesce(r.p ->> 'text', r.p ->> 'theme', ''),
            E'\u2019', '''')), '\s+', ' ', 'g')))], 'other'), chr(31))
     FROM r WHERE r.discussion_id = d.id AND r.kind = 'tag'),
  (SELECT string_agg(d.n || chr(31) || CASE WHEN (r.p ->> 'grace') = ANY (grace_ids)
            THEN r.p ->> 'grace' ELSE 'custom' END, chr(31))
     FROM r WHERE r.discussion_id = d.id AND r.kind = 'grace'
       AND coalesce(r.p ->> 'staff', 'false') = 'false' AND r.p ->> 'record_type' IS NULL),
  (SELECT string_agg(d.n || chr(31) || CASE WHEN g = ANY (grace_ids) THEN g ELSE 'custom' END,
                     chr(31))
     FROM r, jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.p -> 'graces_considered')
            = 'array' THEN r.p -> 'graces_considered' ELSE '[]'::jsonb END) AS g
     WHERE r.discussion_id = d.id AND r.kind = 'hypothesis'),
  (SELECT sum(CASE WHEN r.p ->> 'record_type' IS NOT NULL THEN NULL
                   WHEN coalesce(r.p ->> 'status', 'active') = 'active' THEN 1 + (1::bigint << 15)
                   WHEN r.p ->> 'status' IN ('revised', 'set_aside') THEN 1 END)::bigint
     FROM r WHERE r.discussion_id = d.id AND r.kind = 'hypothesis'),
  (SELECT count(*) FROM r WHERE r.discussion_id = d.id AND r.kind = 'question'),
  (SELECT sum(CASE coalesce(r.p ->> 'tomm', r.p ->> 'type')
                WHEN 'lineal' THEN 1::bigint WHEN 'circular' THEN 1::bigint << 15
                WHEN 'reflexive' THEN 1::bigint << 30
                WHEN 'strategic' THEN 1::bigint << 45 END)::bigint
     FROM r WHERE r.discussion_id = d.id AND r.kind = 'question'),
  (SELECT string_agg(d.n || chr(31) || r.n || chr(31) || md5(coalesce(r.p ->> 'who', ''))
                     || chr(31) || coalesce(r.p ->> 'now', '') || chr(31)
                     || coalesce(r.p ->> 'hoped', ''), chr(31) ORDER BY r.n)
     FROM r WHERE r.discussion_id = d.id AND r.kind = 'placement'
       AND coalesce(r.p ->> 'grid', 'safe_uncertainty') = 'safe_uncertainty'),
  (SELECT sum(1 + (CASE WHEN a ->> 'due' IS NULL THEN 1::bigint ELSE 0 END << 15)
                + (CASE WHEN a ->> 'due' <= as_of THEN 1::bigint ELSE 0 END << 30)
                + (CASE WHEN a ->> 'due' <= as_of AND a ->> 'done' = 'true'
                        THEN 1::bigint ELSE 0 END << 45))::bigint
     FROM r, jsonb_array_elements(CASE WHEN jsonb_typeof(r.p -> 'actions') = 'array'
            THEN r.p -> 'actions' ELSE '[]'::jsonb END) AS a
     WHERE r.discussion_id = d.id AND r.kind = 'plan')
FROM discussions AS d
WHERE d.session_id NOT IN (SELECT id FROM sessions WHERE coalesce(team, '') LIKE 'workshop:%')
$body$
"""

_V3 = (
    "ALTER TABLE sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE changes ADD COLUMN version BIGINT",
    """UPDATE changes SET version = numbered.version FROM (
         SELECT seq, row_number() OVER (PARTITION BY session_id ORDER BY seq) AS version
         FROM changes WHERE session_id IS NOT NULL) AS numbered
       WHERE numbered.seq = changes.seq""",
    """UPDATE sessions SET version = (
         SELECT count(*) FROM changes WHERE changes.session_id = sessions.id)""",
    "CREATE INDEX changes_by_session ON changes(session_id, version)",
    """CREATE TABLE view_openings (
        n BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        viewer TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX view_openings_by_session ON view_openings(session_id)",
    """CREATE VIEW team_sessions AS
       SELECT id AS session_id, n AS session_n, date, ended IS NOT NULL AS ended
       FROM sessions WHERE NOT (coalesce(team, '') LIKE 'workshop:%')""",
    TEAM_DISCUSSIONS,
    "REVOKE ALL ON FUNCTION team_discussions(TEXT, TEXT[], TEXT[], TEXT[]) FROM PUBLIC",
)

#: Every step, in order; step ``i`` takes a database from version ``i`` to ``i + 1``.
PG_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3)
assert len(PG_MIGRATIONS) == SCHEMA_VERSION

#: Given on every opening for writing (the roles may be made after the tables). Only
#: reading for participants — and adding a line to view_openings when one opens a view,
#: never reading who opened what — and for team managers only the team view and function.
GRANTS = f"""
DO $grants$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{VIEWER_ROLE}') THEN
    GRANT USAGE ON SCHEMA {{schema}} TO {VIEWER_ROLE};
    GRANT SELECT ON sessions, discussions, records, changes, workbook_schema TO {VIEWER_ROLE};
    GRANT INSERT (session_id, viewer, at) ON view_openings TO {VIEWER_ROLE};
  END IF;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{TEAM_ROLE}') THEN
    GRANT USAGE ON SCHEMA {{schema}} TO {TEAM_ROLE};
    GRANT SELECT ON team_sessions, workbook_schema TO {TEAM_ROLE};
    GRANT EXECUTE ON FUNCTION team_discussions(TEXT, TEXT[], TEXT[], TEXT[]) TO {TEAM_ROLE};
  END IF;
END $grants$
"""


def statements(step: tuple[str, ...], schema: str) -> list[Any]:
    """A step's statements with the schema's quoted name put in where they need it."""
    return [s.replace("{schema}", schema) for s in step]
