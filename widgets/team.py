"""The team manager's view: tables and plots of themes and patterns across every session.

Only binds :mod:`systemic.team` to the page: each function below shows one part of the
report (a plot and its table) for the store the workbook uses. The report is read once
per change of the store file and kept for the other cells. Everything shown is counts,
dates, list words and case ids: no names, notes or family text. Plots are PNG images
with a text alternative, drawn with matplotlib's object interface (no global state),
in the Okabe–Ito colours, which stay apart for people with colour-blindness.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import threading
from html import escape
from pathlib import Path

import ipywidgets as ipw
import pandas as pd
from matplotlib.figure import Figure

from systemic.errors import WorkbookError
from systemic.store.location import resolve_store_path
from systemic.team import (
    TeamReport,
    load_team_wording,
    movement_over_time,
    sessions_over_time,
    team_report,
)
from widgets.step_panel import STEP_CSS, alert, paragraph, status

__all__ = [
    "report",
    "table_html",
    "figure_html",
    "summary_view",
    "themes_view",
    "graces_view",
    "movement_view",
    "cases_view",
    "sessions_view",
    "actions_view",
    "export_view",
]

#: Okabe & Ito (2008) colours, safe for colour-blind readers.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: Rows shown of a long table; the CSV files hold them all.
SHOWN_ROWS = 20

_cache: dict[Path, tuple[tuple[int, ...], TeamReport]] = {}
_lock = threading.Lock()


def _stamp(path: Path) -> tuple[int, ...]:
    """When the store file (and its write-ahead log) last changed."""
    out = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            out.append(p.stat().st_mtime_ns)
        except FileNotFoundError:
            out.append(0)
    return tuple(out)


def report(store: str | os.PathLike[str] | None = None) -> TeamReport:
    """The team report of the store (the workbook's own by default), made once per change."""
    path = Path(store) if store is not None else resolve_store_path(None)
    with _lock:
        stamp = _stamp(path)
        kept = _cache.get(path)
        if kept is None or kept[0] != stamp or kept[1].as_of != dt.date.today():
            kept = (stamp, team_report(path))
            _cache[path] = kept
        return kept[1]


def _shown(value: object, column: str) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
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
    head = "".join(f"<th scope='col'>{escape(words.column(c))}</th>" for c in shown.columns)
    names = list(shown.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_shown(v, c))}</td>" for v, c in zip(row, names,
                                                                            strict=True))
        + "</tr>"
        for row in rows.itertuples(index=False)
    )
    more = ""
    if limit is not None and len(shown) > limit:
        more = (f"<p>Showing {limit} of {len(shown)} rows. The CSV files below hold them "
                "all.</p>")
    return (f"<table class='wb-table'><caption>{escape(caption)}</caption><thead><tr>{head}"
            f"</tr></thead><tbody>{body}</tbody></table>{more}")


def figure_html(figure: Figure, description: str) -> str:
    """A figure as a PNG image, with ``description`` as its text alternative."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img src='data:image/png;base64,{data}' alt='{escape(description, quote=True)}'>"


def _figure(width: float = 8.0, height: float = 3.2) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height))
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _periods(axes: object, periods: pd.Series, most: int = 12) -> None:
    """Label the time axis with at most ``most`` periods, evenly spaced, so they stay legible."""
    labels = list(periods)
    step = max(1, -(-len(labels) // most))
    axes.set_xticks(range(0, len(labels), step), labels[::step])  # type: ignore[attr-defined]
    axes.tick_params(axis="x", labelrotation=45, labelsize="small")  # type: ignore[attr-defined]


def _page(title: str, *parts: str) -> ipw.HTML:
    return ipw.HTML(STEP_CSS + f"<div class='wb-step'><h3>{escape(title)}</h3>"
                    + "".join(parts) + "</div>")


def _view(make) -> ipw.Widget:  # type: ignore[no-untyped-def]
    """Run one view, turning a problem into one kind sentence."""
    try:
        return make()
    except WorkbookError as e:
        return ipw.HTML(alert(str(e)))


def _empty(what: str) -> str:
    return paragraph(f"There is nothing to show yet: {what}")


# -- the views ----------------------------------------------------------------------------


def summary_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """The headline figures: sessions, cases, cases brought back, possibly stuck…"""
    def make() -> ipw.Widget:
        r = report(store)
        words = load_team_wording()
        note = escape(words.stuck_note.replace("{threshold}", str(r.stuck_after)))
        return _page(words.tables["summary"],
                     table_html(r.summary, words.tables["summary"], None, ["label", "value"]),
                     f"<p class='wb-feedback'>{note}</p>")
    return _view(make)


def themes_view(store: str | os.PathLike[str] | None = None, top: int = 6) -> ipw.Widget:
    """The themes tagged most often, month by month."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["themes_over_time"]
        table = r.themes_over_time
        totals = table.drop(columns="period").sum().sort_values(ascending=False)
        used = [t for t in totals.index if totals[t] > 0][:top]
        if not used:
            return _page(title, _empty("no case discussion has a theme tag."))
        figure, axes = _figure()
        for colour, theme in zip(COLOURS, used, strict=False):
            axes.plot(range(len(table)), table[theme], marker="o", color=colour, label=theme)
        _periods(axes, table["period"])
        axes.set_ylabel("Case discussions")
        axes.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1, 1))
        described = ", ".join(f"{t} ({int(totals[t])})" for t in used)
        return _page(title, figure_html(figure, f"{title}. Most often: {described}."),
                     table_html(table[["period", *used]].iloc[::-1], title))
    return _view(make)


def graces_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """Which graces come up in case discussions, and which never do."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["graces"]
        table = r.graces.iloc[::-1]
        figure, axes = _figure(7, 0.3 * len(table) + 1)
        colours = [COLOURS[0] if d else COLOURS[5] for d in table["discussed"]]
        axes.barh(table["label"], table["discussions"], color=colours)
        axes.set_xlabel("Case discussions in which it came up")
        never = r.graces.loc[r.graces["default"] & ~r.graces["discussed"], "label"].tolist()
        said = ("Never discussed: " + ", ".join(never) + ".") if never else (
            "Every grace on the usual list has come up at least once.")
        return _page(title, paragraph(said),
                     figure_html(figure, f"{title}. {said}"),
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
        figure, axes = _figure()
        where = range(len(table))
        axes.bar(where, table["returns"], color=COLOURS[4], label="Brought back")
        axes.bar(where, table["with_movement"], color=COLOURS[0], label="Someone moved")
        _periods(axes, table["period"])
        axes.set_ylabel("Case discussions")
        axes.legend(frameon=False, fontsize="small")
        share = table["with_movement"].sum() / max(table["returns"].sum(), 1)
        said = f"Someone moved in {share:.0%} of the times a case was brought back."
        return _page(title, paragraph(said), figure_html(figure, f"{title}. {said}"),
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
        note = escape(words.stuck_note.replace("{threshold}", str(r.stuck_after)))
        return _page(title, f"<p class='wb-feedback'>{note}</p>",
                     table_html(back, title))
    return _view(make)


def sessions_view(store: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """Hypotheses and questions per session, month by month, and the latest sessions."""
    def make() -> ipw.Widget:
        r = report(store)
        title = load_team_wording().tables["per_session"]
        if r.per_session.empty:
            return _page(title, _empty("there are no sessions in the store."))
        table = sessions_over_time(r.per_session)
        figure, axes = _figure()
        where = range(len(table))
        axes.plot(where, table["hypotheses_per_session"], marker="o", color=COLOURS[0],
                  label="Hypotheses per session")
        axes.plot(where, table["questions_per_session"], marker="s", color=COLOURS[1],
                  label="Questions per session")
        _periods(axes, table["period"])
        axes.set_ylim(bottom=0)
        axes.legend(frameon=False, fontsize="small")
        latest = table.iloc[-1]
        said = (f"In {latest['period']}, {latest['hypotheses_per_session']:g} hypotheses and "
                f"{latest['questions_per_session']:g} questions per session.")
        return _page(title, figure_html(figure, f"{title}. {said}"),
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
        figure, axes = _figure()
        axes.plot(range(len(table)), table["share_done_by_due"], marker="o", color=COLOURS[2])
        _periods(axes, table["period"])
        axes.set_ylim(0, 1)
        axes.set_ylabel("Share done by their date")
        done = table["actions_done_by_due"].sum() / table["actions_due"].sum()
        said = (f"{done:.0%} of actions that have reached their review date were done. "
                "(The store keeps whether an action is done, not the day it was done.)")
        return _page(title, paragraph(said), figure_html(figure, f"{title}. {said}"),
                     table_html(r.actions.iloc[::-1], title))
    return _view(make)


def export_view(store: str | os.PathLike[str] | None = None,
                folder: str | os.PathLike[str] | None = None) -> ipw.Widget:
    """A folder and a button: saves every table of the report as a CSV file there."""
    default = Path(folder) if folder is not None else Path.home() / "team-themes-and-patterns"
    where = ipw.Text(value=str(default), description="Folder",
                     layout=ipw.Layout(width="36rem"))
    button = ipw.Button(description="Save the tables as CSV", button_style="primary",
                        layout=ipw.Layout(width="auto"))
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
    note = ipw.HTML("<p>The files hold counts, dates, list words and case ids only.</p>")
    return ipw.VBox([note, where, button, message])
