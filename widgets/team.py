"""The team manager's view: tables and plots of themes and patterns across every session.

Only binds :mod:`systemic.team` to the page: each function below shows one part of the
report (a plot and its table) for the store the workbook uses. The report is read once
per change of the store file and kept for the other cells. Everything shown is counts,
dates, list words and case ids: no names, notes or family text. Plots are PNG images
with a text alternative, drawn with matplotlib's object interface (no global state),
in the Okabe–Ito colours, which stay apart for people with colour-blindness.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import ipywidgets as ipw
import pandas as pd

from systemic.dates import long_date, period_label
from systemic.errors import WorkbookError
from systemic.html_templates import Markup, render
from systemic.store.location import StoreAddress, parse_store_address, resolve_store
from systemic.team import (
    TeamReport,
    load_team_wording,
    movement_over_time,
    sessions_over_time,
    team_report,
)
from widgets.charts import (
    COLOURS,
    count_axis,
    figure_html,
    new_figure,
    share_axis,
    small_multiples,
    stacked_bars,
    time_axis,
)
from widgets.own_keys import OwnKeys
from widgets.step_panel import alert, in_step, paragraph, status

__all__ = [
    "report",
    "table_html",
    "figure_html",
    "themes_figure",
    "graces_figure",
    "movement_figure",
    "sessions_figure",
    "actions_figure",
    "summary_view",
    "themes_view",
    "graces_view",
    "movement_view",
    "cases_view",
    "sessions_view",
    "actions_view",
    "export_view",
]

#: Rows shown of a long table; the CSV files hold them all.
SHOWN_ROWS = 20

_cache: dict[Path, tuple[tuple[int, ...], TeamReport]] = {}
_lock = threading.Lock()


def _stamp(address: StoreAddress) -> tuple[int, ...]:
    """When the store file (and its write-ahead log) last changed; for a database server,
    which the team manager may only read counts from, the current ten seconds."""
    if address.path is None:
        return (int(time.time() // 10),)
    path = address.path
    out = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            out.append(p.stat().st_mtime_ns)
        except FileNotFoundError:
            out.append(0)
    return tuple(out)


def report(store: str | os.PathLike[str] | None = None) -> TeamReport:
    """The team report of the store (the workbook's own by default), made once per change."""
    path = parse_store_address(store) if store is not None else resolve_store(None)
    with _lock:
        stamp = _stamp(path)
        kept = _cache.get(path)
        if kept is None or kept[0] != stamp or kept[1].as_of != dt.date.today():
            kept = (stamp, team_report(path))
            _cache[path] = kept
        return kept[1]


def _shown(value: object, column: str) -> str:
    if isinstance(value, pd.Timestamp):
        return long_date(value.date())
    if column == "period":
        return period_label(str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        return f"{value:.0%}" if column.startswith("share") else f"{value:g}"
    return str(value)


def table_html(table: pd.DataFrame, caption: str, limit: int | None = SHOWN_ROWS,
               columns: list[str] | None = None) -> str:
    """A table with plain column names, every cell escaped; long tables are cut short.

    >>> print(table_html(pd.DataFrame({"case_id": ["<b>"]}), "Cases"))  # doctest: +ELLIPSIS
    <table class='wb-table'><caption>Cases</caption><thead><tr><th scope='col'>Case</th>...
    """
    words = load_team_wording()
    shown = table[columns] if columns else table
    rows = shown if limit is None else shown.head(limit)
    names = list(shown.columns)
    cells = [
        [_shown(v, c) for v, c in zip(row, names, strict=True)]
        for row in rows.itertuples(index=False)
    ]
    return render(
        "widgets/team/table.html.j2", caption=caption,
        headings=[words.column(c) for c in names], rows=cells, limit=limit, total=len(shown),
    )


def _page(title: str, *parts: str) -> ipw.HTML:
    """One view: its title, then its parts (HTML from templates), in a step's frame."""
    return ipw.HTML(in_step(render("widgets/team/page.html.j2", title=title,
                                   parts=[Markup(part) for part in parts])))


def _stuck_note(text: str) -> str:
    return render("widgets/team/note.html.j2", text=text)


def _view(make) -> ipw.Widget:  # type: ignore[no-untyped-def]
    """Run one view, turning a problem into one kind sentence."""
    try:
        return make()
    except WorkbookError as e:
        return ipw.HTML(alert(str(e)))


def _empty(what: str) -> str:
    return paragraph(f"There is nothing to show yet: {what}")


# -- the views ----------------------------------------------------------------------------


#: The summary's rows that hold a date (kept ISO in the CSV file, written out on screen).
_SUMMARY_DATES = ("first_session", "last_session")


def _summary_shown(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary as the page shows it: its own two headings (not the graces table's
    "Grace"), and dates as people write them in the UK.

    >>> rows = pd.DataFrame({"measure": ["first_session"], "label": ["First session"],
    ...                      "value": ["2026-01-06"]})
    >>> _summary_shown(rows).to_dict("records")
    [{'measure': 'First session', 'value': '6 January 2026'}]
    """
    dated = summary["measure"].isin(_SUMMARY_DATES)
    values = summary["value"].where(~dated, summary["value"].map(
        lambda v: long_date(v) if v else "none yet"))
    return pd.DataFrame({"measure": summary["label"], "value": values})


def summary_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """The headline figures: sessions, cases, cases brought back, possibly stuck…"""
    def make() -> ipw.Widget:
        r = report(store)
        words = load_team_wording()
        note = words.stuck_note.replace("{threshold}", str(r.stuck_after))
        return _page(words.tables["summary"],
                     table_html(_summary_shown(r.summary), words.tables["summary"], None),
                     _stuck_note(note))
    return _view(make)


def _span(periods: pd.Series) -> str:
    first, last = period_label(str(periods.iloc[0])), period_label(str(periods.iloc[-1]))
    return first if first == last else f"from {first} to {last}"


def themes_figure(table: pd.DataFrame, themes: list[str]):  # type: ignore[no-untyped-def]
    """One small bar chart per theme, month by month, on a shared whole-number axis."""
    return small_multiples({t: table[t].tolist() for t in themes}, list(table["period"]),
                           "Case discussions")


def graces_figure(table: pd.DataFrame):  # type: ignore[no-untyped-def]
    """A bar per grace; a grace that never came up says so beside its name."""
    shown = table.iloc[::-1]
    figure, (axes,) = new_figure(7.5, 0.32 * len(shown) + 1.2)
    where = range(len(shown))
    axes.barh(where, shown["discussions"], color=COLOURS[0], height=0.7)
    axes.set_yticks(where, shown["label"])
    count_axis(axes, "Case discussions in which it came up", axis="x")
    for row, (count, label) in enumerate(zip(shown["discussions"], shown["label"],
                                             strict=True)):
        axes.annotate("never yet" if count == 0 else str(int(count)), (count, row),
                      xytext=(4, 0), textcoords="offset points", va="center",
                      fontsize="small", color="#1a1a1a", gid=f"value:{label}")
    return figure


def movement_figure(table: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Times a case was brought back each month, split into "someone moved" and not."""
    moved = table["with_movement"].astype(int).tolist()
    still = (table["returns"] - table["with_movement"]).astype(int).tolist()
    return stacked_bars({"Someone moved": moved, "No one moved": still},
                        list(table["period"]), "Times a case was brought back")


def sessions_figure(table: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Hypotheses and questions per session, each in its own panel so neither hides."""
    return small_multiples({"Hypotheses per session": table["hypotheses_per_session"].tolist(),
                            "Questions per session": table["questions_per_session"].tolist()},
                           list(table["period"]), "On average", counts=False, marker="line")


def actions_figure(table: pd.DataFrame):  # type: ignore[no-untyped-def]
    """The share of due actions done by their date, month by month."""
    figure, (axes,) = new_figure()
    axes.plot(range(len(table)), table["share_done_by_due"], marker="o", color=COLOURS[2])
    time_axis(axes, list(table["period"]))
    share_axis(axes, "Done by their date")
    return figure


def themes_view(store: str | os.PathLike[str] | None = None, top: int = 6) -> ipw.Widget:
    """The themes tagged most often, month by month: one small chart each."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["themes_over_time"]
        table = r.themes_over_time
        totals = table.drop(columns="period").sum().sort_values(ascending=False)
        used = [t for t in totals.index if totals[t] > 0][:top]
        if not used:
            return _page(title, _empty("no case discussion has a theme tag."))
        described = "; ".join(f"{t}, {int(totals[t])} in all" for t in used)
        alt = (f"{title}, {_span(table['period'])}: one small bar chart per theme, "
               f"most often first. {described}. The table below gives every month.")
        return _page(title, figure_html(themes_figure(table, used), alt),
                     table_html(table[["period", *used]].iloc[::-1], title))
    return _view(make)


def graces_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """Which graces come up in case discussions, and which never do."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["graces"]
        never = r.graces.loc[r.graces["default"] & ~r.graces["discussed"], "label"].tolist()
        said = ("Never discussed: " + ", ".join(never) + ".") if never else (
            "Every grace on the usual list has come up at least once.")
        top = r.graces.sort_values("discussions", ascending=False).head(3)
        most = ", ".join(f"{g} ({int(n)})" for g, n in zip(top["label"], top["discussions"],
                                                           strict=True))
        return _page(title, paragraph(said),
                     figure_html(graces_figure(r.graces),
                                 f"{title}. {said} Most often: {most}."),
                     table_html(r.graces, title, None,
                                ["label", "discussions", "sessions", "share_of_discussions"]))
    return _view(make)


def movement_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """How often someone moved on the safe-uncertainty grid when a case came back."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["movement"]
        table = movement_over_time(r.movement)
        if table.empty:
            return _page(title, _empty("no case has been brought back yet."))
        returns, moved = int(table["returns"].sum()), int(table["with_movement"].sum())
        said = (f"Someone moved in {moved / max(returns, 1):.0%} of the times a case was "
                "brought back.")
        alt = (f"{title}, {_span(table['period'])}: a bar for each month, split into the "
               f"times someone moved and the times no one did. In all, cases were brought "
               f"back {returns} times and someone moved in {moved}.")
        return _page(title, paragraph(said), figure_html(movement_figure(table), alt),
                     table_html(table.iloc[::-1], title))
    return _view(make)


def cases_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """Cases brought back most, those that may be stuck first."""
    def make() -> ipw.Widget:
        r = report(store)
        words = load_team_wording()
        title = words.tables["case_returns"]
        back = r.case_returns[r.case_returns["sessions"] > 1]
        if back.empty:
            return _page(title, _empty("no case has been brought back yet."))
        note = words.stuck_note.replace("{threshold}", str(r.stuck_after))
        return _page(title, _stuck_note(note), table_html(back, title))
    return _view(make)


def sessions_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """Hypotheses and questions per session, month by month, and the latest sessions."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["per_session"]
        if r.per_session.empty:
            return _page(title, _empty("there are no sessions in the store."))
        table = sessions_over_time(r.per_session)
        latest = table.iloc[-1]
        said = (f"In {period_label(latest['period'])}, {latest['hypotheses_per_session']:g} "
                f"hypotheses and {latest['questions_per_session']:g} questions per session.")
        alt = (f"{title}, {_span(table['period'])}: two small charts, hypotheses per "
               f"session above and questions per session below. {said}")
        return _page(title, figure_html(sessions_figure(table), alt),
                     table_html(r.per_session.iloc[::-1], "The latest sessions"))
    return _view(make)


def actions_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """Actions done by their review date, month by month."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["actions"]
        table = r.actions[r.actions["actions_due"] > 0]
        if table.empty:
            return _page(title, _empty("no action has reached its review date yet."))
        done = table["actions_done_by_due"].sum() / table["actions_due"].sum()
        said = (f"{done:.0%} of actions that have reached their review date were done. "
                "(The store keeps whether an action is done, not the day it was done.)")
        alt = (f"{title}, {_span(table['period'])}: a line of the share done each month, "
               f"from 0% to 100%. {said}")
        return _page(title, paragraph(said), figure_html(actions_figure(table), alt),
                     table_html(r.actions.iloc[::-1], title))
    return _view(make)


def export_view(store: str | os.PathLike[str] | None = None,
                folder: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """A folder and a button: saves every table of the report as a CSV file there."""
    default = Path(folder) if folder is not None else Path.home() / "team-themes-and-patterns"
    where = ipw.Text(value=str(default), description="Folder",
                     layout=ipw.Layout(width="36rem"))
    button = ipw.Button(description="Save the tables as CSV", button_style="primary",
                        layout=ipw.Layout(width="fit-content"))
    message = ipw.HTML()
    lock = threading.Lock()

    def save(_button: object = None) -> None:
        # Under ipykernel 7 this may run on another thread: one save at a time.
        with lock:
            try:
                paths = report(store).to_csv(where.value.strip() or default)
            except WorkbookError as e:
                message.value = alert(str(e))
                return
            message.value = status(f"Saved {len(paths)} files in {paths[0].parent}.")

    button.on_click(save)
    note = ipw.HTML(render("widgets/team/export_note.html.j2"))
    return ipw.VBox([note, where, button, message, OwnKeys()])  # its keys stay with it
