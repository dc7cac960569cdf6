"""Themes and patterns across sessions, for team managers: the tables, and their CSV files.

Each function takes the :class:`~systemic.team.load.TeamData` of a store and returns a
pandas table of counts keyed by dates, list ids and case ids: never names, notes or
anything a family said. :func:`analyse` makes them all; :meth:`TeamReport.to_csv`
writes them out.

A case "may be stuck" when it has been brought back three times or more in a row
(the threshold is a parameter) with no one's place on Mason's grid changing from one
time to the next. A time on which nobody was placed counts as one without movement:
the case came back and nothing was seen to move.

>>> import tempfile, pathlib
>>> from systemic.store import Store
>>> from systemic.team.load import load_team_data
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.db"
>>> with Store.open(path) as store:
...     for day in ("2026-01-06", "2026-02-03", "2026-03-03"):
...         sid = store.create_session("Group", "camden_practice_framework", date=day)
...         _ = store.add_discussion(sid, {"id": "case-7", "title": "T", "fictional": True})
>>> case_returns(load_team_data(path))[["case_id", "sessions", "stuck"]].to_dict("records")
[{'case_id': 'case-7', 'sessions': 3, 'stuck': True}]
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from systemic.datafile import load_model_once
from systemic.errors import WorkbookError
from systemic.store import Store
from systemic.team.load import CUSTOM_GRACE, TOMM_TYPES, TeamData, load_team_data
from systemic.team.themes import load_themes
from systemic.uncertainty import load_uncertainty
from systemic.vocabularies import load_graces

__all__ = [
    "WORDING_PATH",
    "STUCK_AFTER",
    "Period",
    "TeamWording",
    "load_team_wording",
    "themes_over_time",
    "graces_discussed",
    "graces_never_discussed",
    "movement",
    "movement_over_time",
    "case_returns",
    "per_session",
    "sessions_over_time",
    "actions_by_review",
    "summary",
    "TeamReport",
    "analyse",
    "team_report",
]

WORDING_PATH = Path(__file__).with_name("wording.yaml")

#: How many times in a row without movement make a case "possibly stuck".
STUCK_AFTER = 3

Period = Literal["month", "quarter", "year"]
_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}


class TeamWording(BaseModel):
    """The team view's words for its tables, columns and headlines (``wording.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(min_length=1)]
    tables: dict[str, str]
    columns: dict[str, str]
    measures: dict[str, str]
    custom_grace: Annotated[str, Field(min_length=1, max_length=120)]
    stuck_note: Annotated[str, Field(min_length=1, max_length=600)]

    def column(self, name: str) -> str:
        """A column's plain name (its short name when the file has none)."""
        return self.columns.get(name, name.replace("_", " ").capitalize())


def load_team_wording(path: str | Path | None = None) -> TeamWording:
    """Read ``systemic/team/wording.yaml`` (or another copy), once."""
    return load_model_once(TeamWording, path, WORDING_PATH)


@cache
def _grace_labels() -> dict[str, tuple[str, bool]]:
    labels = {g.id: (g.label, g.default) for g in load_graces().graces}
    labels[CUSTOM_GRACE] = (load_team_wording().custom_grace, False)
    return labels


def _period(dates: pd.Series, by: Period) -> pd.Series:
    if by not in _FREQ:
        raise WorkbookError(f"'{by}' is not a period — use month, quarter or year.")
    return dates.dt.to_period(_FREQ[by]).astype(str)


# -- themes ------------------------------------------------------------------------------


def themes_over_time(data: TeamData, by: Period = "month") -> pd.DataFrame:
    """How many case discussions touched each theme, per month (or quarter, or year).

    One row per period that had a session, one column per theme on the list (by its
    label), then the group's own words; every theme on the list has a column, so a
    theme that never came up shows as zeros.
    """
    labels = load_themes().labels()
    themes = data.themes[list(labels)]
    periods = _period(data.discussions["date"], by)
    out = themes.groupby(periods.to_numpy(), sort=True).sum().astype(np.int64)
    out.index.name = "period"
    return out.rename(columns=labels).reset_index()


# -- graces -------------------------------------------------------------------------------


def graces_discussed(data: TeamData) -> pd.DataFrame:
    """For every grace on the list: in how many case discussions and sessions it came up.

    A grace came up in a discussion when a family member's entry for it was placed or
    noted, or a hypothesis considered it. The worker's and supervisor's own graces are
    personal and are not counted. Graces a group added itself are counted together.
    """
    flags = data.graces.drop(columns="discussion_id")
    discussions = flags.sum().astype(np.int64)
    sessions = flags.groupby(data.discussions["session_id"].to_numpy()).any().sum()
    total = max(len(flags), 1)
    labels = _grace_labels()
    out = pd.DataFrame({
        "grace": flags.columns,
        "label": [labels[g][0] for g in flags.columns],
        "default": [labels[g][1] for g in flags.columns],
        "discussions": discussions.to_numpy(),
        "sessions": sessions.astype(np.int64).to_numpy(),
    })
    out["share_of_discussions"] = (out["discussions"] / total).round(3)
    out["discussed"] = out["discussions"] > 0
    # The usual list and anything that came up; unused extras would only be noise.
    keep = out["default"] | out["discussed"] | (out["grace"] == CUSTOM_GRACE)
    return out[keep].reset_index(drop=True)


def graces_never_discussed(data: TeamData) -> list[str]:
    """The labels of the usual graces that no case discussion has touched yet."""
    table = graces_discussed(data)
    return table.loc[table["default"] & ~table["discussed"], "label"].tolist()


# -- safe uncertainty -------------------------------------------------------------------------


def _visits(data: TeamData) -> pd.DataFrame:
    """Each discussion with its case and which time the case was brought (0, 1, 2…)."""
    visits = data.discussions[["discussion_id", "session_id", "case_id", "date"]].copy()
    visits["visit"] = visits.groupby("case_id", sort=False).cumcount()
    return visits


def movement(data: TeamData) -> pd.DataFrame:
    """Movement on Mason's grid each time a case is brought back, compared with the time before.

    One row per case discussion: ``visit`` (1 for the first time a case is brought),
    how many people were placed, how many of them had been placed the time before,
    how many moved, how many moved from unsafe to safe, and how many reached where the
    group had hoped they would be. The same rule as :func:`systemic.uncertainty.movement`:
    a person placed twice in one discussion counts by their later placement.
    """
    visits = _visits(data)
    placed = data.placements.merge(visits[["discussion_id", "case_id", "visit"]],
                                   on="discussion_id")
    before = placed[["case_id", "visit", "person", "now", "hoped"]].assign(
        visit=lambda f: f["visit"] + 1
    )
    paired = placed.merge(before, on=["case_id", "visit", "person"], how="left",
                          suffixes=("", "_before"))
    compared = paired["now_before"].notna()
    safe = {p.id: p.safe for p in load_uncertainty().positions}
    paired["compared"] = compared
    paired["moved"] = compared & (paired["now"] != paired["now_before"])
    paired["towards_safety"] = paired["moved"] & paired["now"].map(safe).eq(True) & \
        paired["now_before"].map(safe).eq(False)
    paired["reached_hope"] = paired["hoped_before"].notna() & (
        paired["now"] == paired["hoped_before"]
    )
    per = paired.groupby("discussion_id").agg(
        people_placed=("person", "size"),
        people_compared=("compared", "sum"),
        people_moved=("moved", "sum"),
        towards_safety=("towards_safety", "sum"),
        reached_hope=("reached_hope", "sum"),
    )
    out = visits.merge(per, left_on="discussion_id", right_index=True, how="left")
    counts = ["people_placed", "people_compared", "people_moved", "towards_safety",
              "reached_hope"]
    out[counts] = out[counts].fillna(0).astype(np.int64)
    out["visit"] = out["visit"] + 1
    return out[["case_id", "session_id", "date", "visit", *counts]].reset_index(drop=True)


def case_returns(
    data: TeamData, stuck_after: int = STUCK_AFTER, moves: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every case with how often it was brought, and whether it may be stuck.

    ``sessions_without_movement`` counts the latest times in a row on which no one's
    place changed, including the time the positions were last reached (a case brought
    three times with no one moving has 3). A case with at least ``stuck_after`` of them
    "may be stuck". Cases that may be stuck come first, then the most often brought.
    """
    if stuck_after < 2:
        raise WorkbookError("A case can only look stuck over two sessions or more.")
    moves = movement(data) if moves is None else moves
    if moves.empty:
        return pd.DataFrame(columns=["case_id", "sessions", "first", "last",
                                     "sessions_without_movement", "stuck"])
    moved_visit = moves["visit"].where(moves["people_moved"] > 0, 1)
    grouped = moves.assign(moved_visit=moved_visit).groupby("case_id", sort=False)
    out = grouped.agg(
        sessions=("visit", "max"),
        first=("date", "min"),
        last=("date", "max"),
        last_movement=("moved_visit", "max"),
    )
    out["sessions_without_movement"] = out["sessions"] - out["last_movement"] + 1
    out["stuck"] = out["sessions_without_movement"] >= stuck_after
    out = out.drop(columns="last_movement").reset_index()
    return out.sort_values(["stuck", "sessions", "last", "case_id"],
                           ascending=[False, False, False, True], kind="stable"
                           ).reset_index(drop=True)


def movement_over_time(moves: pd.DataFrame, by: Period = "month") -> pd.DataFrame:
    """Per period: how many times cases were brought back, and on how many someone moved.

    ``moves`` is :func:`movement`'s table. ``returns`` counts discussions of a case that
    had been brought before; ``with_movement`` those in which at least one person's
    place changed; ``towards_safety`` the people who moved from unsafe to safe.
    """
    back = moves[moves["visit"] > 1]
    periods = _period(back["date"], by)
    out = back.assign(period=periods.to_numpy(), moved=back["people_moved"] > 0).groupby(
        "period", sort=True).agg(
        returns=("visit", "size"),
        with_movement=("moved", "sum"),
        towards_safety=("towards_safety", "sum"),
    ).astype(np.int64).reset_index()
    out["share_with_movement"] = (out["with_movement"] / out["returns"]).round(3)
    return out


# -- sessions and actions -------------------------------------------------------------------


_SESSION_COUNTS = ["hypotheses", "active_hypotheses", "questions", *TOMM_TYPES, "placements"]
_ACTION_COUNTS = ["actions", "actions_due", "actions_done_by_due", "actions_without_date"]


def _by_session(data: TeamData, columns: list[str]) -> pd.DataFrame:
    sums = data.discussions.groupby("session_id", sort=False)[columns].sum()
    cases = data.discussions.groupby("session_id", sort=False)["case_id"].nunique()
    out = data.sessions[["session_id", "date"]].merge(
        sums.assign(cases=cases), left_on="session_id", right_index=True, how="left"
    )
    out[["cases", *columns]] = out[["cases", *columns]].fillna(0).astype(np.int64)
    return out[["session_id", "date", "cases", *columns]].reset_index(drop=True)


def per_session(data: TeamData) -> pd.DataFrame:
    """Per session: cases discussed, hypotheses (all, and still held), questions by
    Tomm's type, and placements. Oldest session first."""
    return _by_session(data, _SESSION_COUNTS)


def sessions_over_time(table: pd.DataFrame, by: Period = "month") -> pd.DataFrame:
    """Per period: sessions, and hypotheses and questions per session on average.

    ``table`` is :func:`per_session`'s table; the sums of each Tomm type come too.
    """
    periods = _period(table["date"], by)
    sums = table.assign(period=periods.to_numpy()).groupby("period", sort=True)[
        ["cases", *_SESSION_COUNTS]].sum()
    sums.insert(0, "sessions", table.groupby(periods.to_numpy()).size())
    for column in ("hypotheses", "questions"):
        sums[f"{column}_per_session"] = (sums[column] / sums["sessions"]).round(2)
    return sums.reset_index()


def actions_by_review(data: TeamData, by: Literal["session", Period] = "session") -> pd.DataFrame:
    """Actions, and how many were done by their review date (their due date), per
    session or per month, quarter or year of the session that agreed them.

    ``actions_due`` are those whose date had come by ``data.as_of``;
    ``actions_done_by_due`` those of them marked done; ``actions_overdue`` the rest.
    The store keeps whether an action is done, not the day it was done, so an action
    ticked off late counts as done.
    """
    table = _by_session(data, _ACTION_COUNTS)
    if by != "session":
        table = table.assign(period=_period(table["date"], by)).groupby(
            "period", sort=True)[["cases", *_ACTION_COUNTS]].sum().reset_index()
    table["actions_overdue"] = table["actions_due"] - table["actions_done_by_due"]
    due = table["actions_due"].where(table["actions_due"] > 0)
    table["share_done_by_due"] = (table["actions_done_by_due"] / due).round(3)
    return table.drop(columns="cases")


def summary(data: TeamData, returns: pd.DataFrame | None = None,
            never: list[str] | None = None) -> pd.DataFrame:
    """The headline figures, one per row (``measure``, ``value``)."""
    returns = case_returns(data) if returns is None else returns
    never = graces_never_discussed(data) if never is None else never
    words = load_team_wording().measures
    dates = data.sessions["date"].dropna()
    first = dates.min().date().isoformat() if not dates.empty else ""
    last = dates.max().date().isoformat() if not dates.empty else ""
    rows = {
        "sessions": len(data.sessions),
        "discussions": len(data.discussions),
        "cases": int(data.discussions["case_id"].nunique()),
        "cases_brought_back": int((returns["sessions"] > 1).sum()) if len(returns) else 0,
        "stuck_cases": int(returns["stuck"].sum()) if len(returns) else 0,
        "first_session": first,
        "last_session": last,
        "graces_never_discussed": len(never),
        "actions_due": int(data.discussions["actions_due"].sum()),
        "actions_done_by_due": int(data.discussions["actions_done_by_due"].sum()),
    }
    return pd.DataFrame({
        "measure": list(rows),
        "label": [words.get(k, k) for k in rows],
        "value": [str(v) for v in rows.values()],
    })


# -- the whole report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamReport:
    """Every table of the team view, made from one :class:`TeamData`."""

    summary: pd.DataFrame
    themes_over_time: pd.DataFrame
    graces: pd.DataFrame
    movement: pd.DataFrame
    case_returns: pd.DataFrame
    per_session: pd.DataFrame
    actions: pd.DataFrame
    as_of: dt.date
    stuck_after: int = STUCK_AFTER

    def tables(self) -> dict[str, pd.DataFrame]:
        """Name → table, in the order a team manager reads them."""
        return {
            "summary": self.summary,
            "themes_over_time": self.themes_over_time,
            "graces": self.graces,
            "movement": self.movement,
            "case_returns": self.case_returns,
            "per_session": self.per_session,
            "actions": self.actions,
        }

    def to_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write each table to ``folder/<name>.csv`` (UTF-8, ISO dates); return the paths.

        Raises
        ------
        WorkbookError
            When the folder cannot be written to.
        """
        where = Path(folder).expanduser()
        if where.exists() and not where.is_dir():
            raise WorkbookError(f"{where} is a file, not a folder — choose a folder to save "
                                "the tables in.")
        try:
            where.mkdir(parents=True, exist_ok=True)
            paths = []
            for name, table in self.tables().items():
                path = where / f"{name}.csv"
                table.to_csv(path, index=False, date_format="%Y-%m-%d")
                paths.append(path)
        except OSError as err:
            raise WorkbookError(
                f"The tables could not be saved in {where} ({err.strerror or err}) — "
                "choose a folder you can write to."
            ) from None
        return paths


def analyse(data: TeamData, stuck_after: int = STUCK_AFTER, by: Period = "month") -> TeamReport:
    """Every table of the team view from the loaded data."""
    moves = movement(data)
    returns = case_returns(data, stuck_after, moves)
    graces = graces_discussed(data)
    never = graces.loc[graces["default"] & ~graces["discussed"], "label"].tolist()
    return TeamReport(
        summary=summary(data, returns, never),
        themes_over_time=themes_over_time(data, by),
        graces=graces,
        movement=moves,
        case_returns=returns,
        per_session=per_session(data),
        actions=actions_by_review(data, by),
        as_of=data.as_of,
        stuck_after=stuck_after,
    )


def team_report(
    store: Store | str | os.PathLike[str],
    as_of: dt.date | None = None,
    stuck_after: int = STUCK_AFTER,
    by: Period = "month",
) -> TeamReport:
    """Load every session in a store and make the team view's tables (see :func:`analyse`)."""
    return analyse(load_team_data(store, as_of), stuck_after, by)
