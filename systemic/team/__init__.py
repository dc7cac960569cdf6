"""Themes and patterns across every session in the store, for team managers.

The Camden Social Work Charter asks team managers to "collate and analyse themes and
patterns that emerge in reflective discussions". This package reads every session in
a store as counts and codes (:mod:`systemic.team.load`), makes the tables a team
manager looks at (:mod:`systemic.team.analysis`) and keeps the list of themes a group
tags its discussions with (:mod:`systemic.team.themes`). Only aggregates and case ids
ever leave it: no names, notes or family text.

>>> from systemic.team import STUCK_AFTER, theme_for
>>> STUCK_AFTER, theme_for("two homes")
(3, 'separation')
"""

from systemic.team.analysis import (
    STUCK_AFTER,
    TeamReport,
    actions_by_review,
    analyse,
    case_returns,
    graces_discussed,
    graces_never_discussed,
    load_team_wording,
    movement,
    movement_over_time,
    per_session,
    sessions_over_time,
    summary,
    team_report,
    themes_over_time,
)
from systemic.team.load import TeamData, load_team_data
from systemic.team.themes import ThemeTag, load_tags, load_themes, save_tag, theme_for

__all__ = [
    "STUCK_AFTER",
    "TeamData",
    "TeamReport",
    "ThemeTag",
    "actions_by_review",
    "analyse",
    "case_returns",
    "graces_discussed",
    "graces_never_discussed",
    "load_tags",
    "load_team_data",
    "load_team_wording",
    "load_themes",
    "movement",
    "movement_over_time",
    "per_session",
    "save_tag",
    "sessions_over_time",
    "summary",
    "team_report",
    "theme_for",
    "themes_over_time",
]
