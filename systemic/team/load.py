"""Every session in the store as a few pandas tables of counts, codes and case ids, fast.

The team view never needs what anyone wrote, so nothing written is read out of the
store. Two SQL queries read everything: one for the sessions, and one for the case
discussions with their records, counted inside SQLite (one row per discussion; several
counts share one integer, in bit fields). Theme tags, graces and placements come back as
short lists that pandas splits for the whole store at once. A tag or grace that is not on
its list is counted, never named (:func:`systemic.team.themes.theme_for`), and placed
people are turned into numbers straight away. What the tables hold is counts, dates,
list ids and case ids: no names, notes or family text.

>>> import tempfile, pathlib
>>> from systemic.store import Store, parse_store_address
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.db"
>>> with Store.open(path) as store:
...     sid = store.create_session("Tuesday", "camden_practice_framework", date="2026-03-03")
...     did = store.add_discussion(sid, {"id": "case-1", "title": "T", "fictional": True})
...     _ = store.put_record(did, "tag", {"text": "grief"})
>>> data = load_team_data(path)
>>> data.discussions.loc[0, "case_id"], bool(data.themes.loc[0, "grief_and_loss"])
('case-1', True)
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from systemic.store import Store, parse_store_address
from systemic.team.themes import load_themes, theme_for
from systemic.uncertainty import QUADRANTS
from systemic.vocabularies import load_graces

__all__ = ["TOMM_TYPES", "CUSTOM_GRACE", "TeamData", "load_team_data", "grace_ids", "theme_ids"]

#: Tomm's four types, as the question records name them.
TOMM_TYPES: tuple[str, ...] = ("lineal", "circular", "reflexive", "strategic")

#: The column for graces a group added itself: counted, never named.
CUSTOM_GRACE = "custom"

# A separator no one types, between the items of a list and their fields.
_US = "\x1f"


@cache
def grace_ids() -> tuple[str, ...]:
    """The graces the team view may name: every grace in ``graces.yaml``, then ``custom``."""
    return tuple(g.id for g in load_graces().graces) + (CUSTOM_GRACE,)


@cache
def theme_ids() -> tuple[str, ...]:
    """The themes the team view may name, in the file's order, then ``other``."""
    return tuple(load_themes().labels())


# Counts that share one SUM are packed into bit fields of this width (up to 32,767 each),
# so that SQLite reads each value once; four fields fit a signed 64-bit integer.
_FIELD = 15
#: Workshop breakout groups and the demonstration session are training, not supervision: the
#: team view leaves them out (their sessions' ``team`` is ``workshop:<id>``, see
#: systemic/workshop/breakout.py, or ``training:…``, see systemic.session.DEMO_TEAM).
_TRAINING = "(coalesce(team, '') LIKE 'workshop:%' OR coalesce(team, '') LIKE 'training:%')"

#: Every case discussion with what its records hold, counted inside SQLite. Each
#: subquery reads one kind of record of one discussion through the store's index on
#: (discussion, kind). json_extract with several paths reads a payload once and gives a
#: short JSON list, compared as text ([staff, record_type], [record_type, status]).
#: Lists (tags, graces, placements) come as fields joined by a separator no one types,
#: each item starting with its discussion's number, so that pandas splits all of them at
#: once. Only list words (themes, grace ids, Mason's positions) and placed people leave.
_DISCUSSIONS_SQL = f"""
SELECT d.id AS discussion_id, d.n AS discussion_n, d.session_id, d.case_id, d.fictional,
  (SELECT group_concat(d.n || char(31) || replace(
            coalesce(payload ->> '$.text', payload ->> '$.theme'), char(31), ' '), char(31))
     FROM records WHERE discussion_id = d.id AND kind = 'tag') AS tags,
  (SELECT group_concat(d.n || char(31) || replace(payload ->> '$.grace', char(31), ' '),
                       char(31))
     FROM records WHERE discussion_id = d.id AND kind = 'grace'
       AND json_extract(payload, '$.staff', '$.record_type') IN ('[false,null]', '[null,null]')
  ) AS graces,
  (SELECT group_concat(d.n || char(31) || replace(g.value, char(31), ' '), char(31))
     FROM records AS r, json_each(r.payload, '$.graces_considered') AS g
     WHERE r.discussion_id = d.id AND r.kind = 'hypothesis') AS considered,
  (SELECT sum(CASE json_extract(payload, '$.record_type', '$.status')
                WHEN '[null,"active"]' THEN 1 + (1 << {_FIELD})
                WHEN '[null,null]' THEN 1 + (1 << {_FIELD})
                WHEN '[null,"revised"]' THEN 1 WHEN '[null,"set_aside"]' THEN 1 END)
     FROM records WHERE discussion_id = d.id AND kind = 'hypothesis') AS hypotheses_packed,
  (SELECT count(*) FROM records WHERE discussion_id = d.id AND kind = 'question') AS questions,
  (SELECT sum(CASE coalesce(payload ->> '$.tomm', payload ->> '$.type')
                WHEN 'lineal' THEN 1 WHEN 'circular' THEN 1 << {_FIELD}
                WHEN 'reflexive' THEN 1 << {2 * _FIELD}
                WHEN 'strategic' THEN 1 << {3 * _FIELD} END)
     FROM records WHERE discussion_id = d.id AND kind = 'question') AS tomm_packed,
  (SELECT group_concat(d.n || char(31) || n || char(31)
                       || replace(payload ->> '$.who', char(31), ' ') || char(31)
                       || coalesce(payload ->> '$.now', '') || char(31)
                       || coalesce(payload ->> '$.hoped', ''), char(31))
     FROM records WHERE discussion_id = d.id AND kind = 'placement'
       AND coalesce(payload ->> '$.grid', 'safe_uncertainty') = 'safe_uncertainty') AS places,
  (SELECT sum(1 + ((a.value ->> '$.due' IS NULL) << {_FIELD})
                + (coalesce(a.value ->> '$.due' <= :as_of, 0) << {2 * _FIELD})
                + (coalesce(a.value ->> '$.due' <= :as_of AND a.value ->> '$.done', 0)
                   << {3 * _FIELD}))
     FROM records AS r, json_each(r.payload, '$.actions') AS a
     WHERE r.discussion_id = d.id AND r.kind = 'plan') AS actions_packed
FROM discussions AS d
WHERE d.session_id NOT IN (SELECT id FROM sessions WHERE {_TRAINING})
"""

_SESSIONS_SQL = (
    "SELECT id AS session_id, n AS session_n, date, ended IS NOT NULL AS ended FROM sessions "
    f"WHERE NOT ({_TRAINING})"
)


@dataclass(frozen=True)
class TeamData:
    """Every session in a store, as counts and codes (see the module description).

    Attributes
    ----------
    sessions : DataFrame
        ``session_id``, ``date``, ``ended``; one row per session, oldest first.
    discussions : DataFrame
        One row per case discussion: ``discussion_id``, ``session_id``, ``case_id``,
        ``date``, ``fictional``, and counts of hypotheses, questions (by Tomm's type),
        placements and actions (due by ``as_of``, done by then, done at all, no date).
        Ordered by session date, then the order the sessions were made.
    themes, graces : DataFrame
        One row per discussion (same order), one true/false column per theme or grace.
    placements : DataFrame
        One row per person placed on Mason's grid in a discussion (the last placement
        of that person there): ``discussion_id``, ``person`` (a number, the same for the
        same person id across the store), ``now`` and ``hoped``.
    as_of : date
        The day actions were counted as due.
    """

    sessions: pd.DataFrame
    discussions: pd.DataFrame
    themes: pd.DataFrame
    graces: pd.DataFrame
    placements: pd.DataFrame
    as_of: dt.date

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table, by name (for export and for the privacy test)."""
        return {
            "sessions": self.sessions,
            "discussions": self.discussions,
            "themes": self.themes,
            "graces": self.graces,
            "placements": self.placements,
        }


def _frame(conn: Any, sql: str, params: Any = ()) -> pd.DataFrame:
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def _unpack(packed: pd.Series, names: list[str]) -> dict[str, np.ndarray]:
    """Counts packed by the query into bit fields, one array per name."""
    values = packed.to_numpy(dtype=np.int64)
    mask = (1 << _FIELD) - 1
    return {name: (values >> (i * _FIELD)) & mask for i, name in enumerate(names)}


def _items(column: pd.Series, fields: int) -> np.ndarray:
    """Every item of a list column, one row each: the discussion's number, then its fields.

    One join and one split for the whole column, whatever its length.
    """
    texts = column.dropna().tolist()
    if not texts:
        return np.empty((0, fields + 1), dtype=object)
    parts = np.array(_US.join(texts).split(_US), dtype=object)
    return parts.reshape(-1, fields + 1)


def _flags(items: np.ndarray, rows: np.ndarray, count: int, names: tuple[str, ...],
           code: Callable[[str], int]) -> pd.DataFrame:
    """A true/false table (``count`` discussions, one column per name) saying which names
    the discussions' ``items`` hold; ``rows`` maps a discussion's number to its row and
    ``code`` a word to its column."""
    flags = np.zeros((count, len(names)), dtype=bool)
    where = rows[items[:, 0].astype(np.int64)] if len(items) else np.empty(0, dtype=np.int64)
    items, where = items[where >= 0], where[where >= 0]
    if len(items):
        # Each different word is looked up once, however often it was used.
        found, words = pd.factorize(items[:, 1])
        columns = np.array([code(str(w)) for w in words], dtype=np.int64)[found]
        flags[where, columns] = True
    return pd.DataFrame(flags, columns=list(names))


def _placements(items: np.ndarray, ids: np.ndarray, rows: np.ndarray) -> pd.DataFrame:
    """One row per person placed on Mason's grid in a discussion (their last placement)."""
    if len(items):
        items = items[rows[items[:, 0].astype(np.int64)] >= 0]
    if not len(items):
        return pd.DataFrame({
            "discussion_id": pd.Series(dtype=object), "person": pd.Series(dtype=np.int64),
            "now": pd.Series(dtype=object), "hoped": pd.Series(dtype=object),
        })
    now, hoped = pd.Series(items[:, 3]), pd.Series(items[:, 4])
    out = pd.DataFrame({
        "discussion_id": ids[rows[items[:, 0].astype(np.int64)]],
        "n": items[:, 1].astype(np.int64),
        # People become numbers at once: the team view never holds who they are.
        "person": pd.factorize(items[:, 2])[0],
        "now": now.where(now.isin(QUADRANTS)).to_numpy(),
        "hoped": hoped.where(hoped.isin(QUADRANTS)).to_numpy(),
    })
    out = out.dropna(subset=["now"]).sort_values("n", kind="stable")
    out = out.drop_duplicates(["discussion_id", "person"], keep="last")
    return out.drop(columns="n").reset_index(drop=True)


def _read_sqlite(reader: Store, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    # The store offers no reporting query, so the team view reads its tables here.
    conn = reader._db  # type: ignore[attr-defined]
    conn.execute("BEGIN")  # one snapshot for both queries
    try:
        return (_frame(conn, _SESSIONS_SQL),
                _frame(conn, _DISCUSSIONS_SQL, {"as_of": day.isoformat()}))
    finally:
        conn.execute("COMMIT")


def _read_postgres(reader: Store, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Through the view and function a team manager's role may read (systemic/store/
    pg_schema.py): they hand back only counts, case ids and words from our own lists."""
    lookup = load_themes().lookup()
    graces = load_graces()
    known_graces = [g.id for g in graces.graces] + [a for g in graces.graces for a in g.also]
    conn = reader._db  # type: ignore[attr-defined]
    with conn.transaction():  # one snapshot for both queries
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        sessions = _frame(conn, "SELECT * FROM team_sessions")
        discussions = _frame(
            conn, "SELECT * FROM team_discussions(%s, %s, %s, %s)",
            (day.isoformat(), list(lookup), list(lookup.values()), known_graces))
    return sessions, discussions


def _read(store: Store | str | os.PathLike[str],
          day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two queries' rows: the sessions, and the discussions with their counts and lists."""
    address = store.address if isinstance(store, Store) else parse_store_address(store)
    # A read-only handle of our own: the supervisor's writes go on undisturbed.
    with Store.open(address, readonly=True) as reader:
        if address.kind == "postgresql":
            return _read_postgres(reader, day)
        return _read_sqlite(reader, day)


def _in_order(sessions: pd.DataFrame,
              discussions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sessions oldest first (then in the order they were made), each discussion with its
    session's date and in its session's place."""
    sessions["date"] = pd.to_datetime(sessions["date"], errors="coerce")
    sessions["ended"] = sessions["ended"].astype(bool)
    sessions = sessions.sort_values(["date", "session_n"], kind="stable").reset_index(drop=True)
    discussions = discussions.merge(
        sessions[["session_id", "session_n", "date"]], on="session_id", how="inner"
    )
    discussions = discussions.sort_values(
        ["date", "session_n", "discussion_n"], kind="stable"
    ).reset_index(drop=True)
    return sessions, discussions


def _counted(discussions: pd.DataFrame) -> dict[str, Any]:
    """Each discussion's counts, out of the integers SQL packed them into."""
    packed = ["hypotheses_packed", "tomm_packed", "questions", "actions_packed"]
    discussions[packed] = discussions[packed].fillna(0).astype(np.int64)
    return {
        **_unpack(discussions["hypotheses_packed"], ["hypotheses", "active_hypotheses"]),
        "questions": discussions["questions"].to_numpy(),
        **_unpack(discussions["tomm_packed"], list(TOMM_TYPES)),
        **_unpack(discussions["actions_packed"], [
            "actions", "actions_without_date", "actions_due", "actions_done_by_due"]),
    }


def _rows(discussions: pd.DataFrame) -> np.ndarray:
    """A discussion's number (d.n) → its row here (-1 for none), for the lists' items."""
    numbers = discussions["discussion_n"].to_numpy(dtype=np.int64)
    rows = np.full(int(numbers.max()) + 1 if len(numbers) else 1, -1, dtype=np.int64)
    rows[numbers] = np.arange(len(numbers))
    return rows


def _theme_and_grace_flags(discussions: pd.DataFrame,
                           rows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which themes each discussion was tagged with, and which graces it spoke of (an
    unlisted grace counts as the custom one)."""
    count = len(discussions)
    themes = theme_ids()
    graces = grace_ids()
    theme_column = {t: i for i, t in enumerate(themes)}
    grace_column = {g: i for i, g in enumerate(graces)}
    custom = grace_column[CUSTOM_GRACE]
    theme_flags = _flags(_items(discussions["tags"], 1), rows, count, themes,
                         lambda w: theme_column[theme_for(w)])
    grace_items = np.concatenate([_items(discussions["graces"], 1),
                                  _items(discussions["considered"], 1)])
    canonical = load_graces().canonical  # "sexual_orientation" is counted as sexuality
    grace_flags = _flags(grace_items, rows, count, graces,
                         lambda w: grace_column.get(canonical(w), custom))
    for frame in (theme_flags, grace_flags):
        frame.insert(0, "discussion_id", discussions["discussion_id"].to_numpy())
    return theme_flags, grace_flags


def load_team_data(
    store: Store | str | os.PathLike[str], as_of: dt.date | None = None
) -> TeamData:
    """Read every session in a store for the team view, in two SQL queries.

    Parameters
    ----------
    store : Store or path
        A store, or the path of a store file; either way the file is opened read-only
        for this call.
    as_of : date, optional
        The day actions are counted as due (today by default).

    Raises
    ------
    WorkbookError
        When the file is not a session store (see :meth:`Store.open`).
    """
    day = as_of or dt.date.today()
    sessions, discussions = _in_order(*_read(store, day))
    counted = _counted(discussions)
    rows = _rows(discussions)
    theme_flags, grace_flags = _theme_and_grace_flags(discussions, rows)
    placements = _placements(_items(discussions["places"], 4),
                             discussions["discussion_id"].to_numpy(), rows)
    discussions = discussions[["discussion_id", "session_id", "case_id", "date", "fictional"]]
    discussions = discussions.assign(fictional=discussions["fictional"].astype(bool), **counted)
    discussions["placements"] = (
        placements.groupby("discussion_id").size()
        .reindex(discussions["discussion_id"], fill_value=0).to_numpy()
    )
    return TeamData(
        sessions=sessions.drop(columns="session_n"),
        discussions=discussions,
        themes=theme_flags,
        graces=grace_flags,
        placements=placements,
        as_of=day,
    )
