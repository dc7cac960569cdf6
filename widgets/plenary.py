"""The trainer's plenary page: every breakout group side by side, following the store live.

Served by Voila from ``notebooks/dashboards/plenary.ipynb`` (``systemic-workbook plenary``).
Like the participants' dashboard (:mod:`widgets.dashboard`), the kernel opens the store
read-only and follows its change counter from an asyncio task; after a change only the
groups, and the parts of them, that changed are redrawn
(:meth:`systemic.workshop.breakout.PlenaryView.update`). Each group's column holds its
heading, its genogram (one small :class:`~widgets.genogram_view.GenogramWidget` in view
mode: Tab reaches each person, the buttons zoom), its hypotheses and its chosen
questions. Everything shown is rendered, and every typed text escaped, in
:mod:`systemic.workshop.breakout`; this module only sets widget values.

The colours are the participants' dashboard's checked palette (:data:`widgets.style.PALETTE`).
"""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as ipw

from systemic.html_templates import render
from systemic.store import Store
from systemic.workshop.breakout import (
    WORKSHOP_ENV,
    PlenaryUpdate,
    PlenaryView,
    render_group_genogram_heading,
    render_no_workshop,
)
from widgets.following import LivePage
from widgets.genogram_view import GenogramWidget
from widgets.style import DASHBOARD_CSS, PALETTE

__all__ = ["PLENARY_CSS", "PLENARY_COLOUR_PAIRS", "GroupColumn", "PlenaryDashboard",
           "show_plenary", "POLL_SECONDS"]

#: How often the plenary asks the store whether anything changed (SQLite answers from memory).
POLL_SECONDS = 0.25
#: The narrowest a group's column gets before the columns wrap onto another row.
COLUMN_MIN_WIDTH = "19rem"

#: (foreground, background) of every colour pair the plenary adds, by palette name; each is
#: one of the pairs :data:`widgets.style.CONTRAST_PAIRS` checks for WCAG AA.
PLENARY_COLOUR_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "paper"),
    ("accent", "paper"),
    ("border", "paper"),
)


def _css(p: dict[str, str]) -> str:
    """The plenary's style sheet, from the palette ``p``."""
    return render("widgets/plenary/style.html.j2", p=p)


PLENARY_CSS = _css(PALETTE)


class GroupColumn:
    """One group's column: heading, genogram, hypotheses and questions, each its own widget."""

    def __init__(self, session_id: str, number: int):
        self.session_id = session_id
        self.number = number
        self.parts: dict[str, ipw.HTML] = {
            name: ipw.HTML(layout=ipw.Layout(width="100%"))
            for name in ("heading", "hypotheses", "questions")
        }
        self.genogram = GenogramWidget(mode="view")
        heading = ipw.HTML(render_group_genogram_heading(number))
        self.genogram_box = ipw.VBox([heading, self.genogram], layout=ipw.Layout(display="none"))
        self.view = ipw.VBox(
            [self.parts["heading"], self.genogram_box, self.parts["hypotheses"],
             self.parts["questions"]],
        )
        self.view.add_class("wb-group")
        self.view.add_class(f"wb-group-{number}")

    def apply(self, parts: dict[str, str]) -> None:
        """Set the values of the parts given (the others keep what they show)."""
        for name, widget in self.parts.items():
            if name in parts:
                widget.value = parts[name]
        if "genogram" in parts:
            self.genogram.svg = parts["genogram"]
            self.genogram_box.layout.display = "flex" if parts["genogram"] else "none"


class PlenaryDashboard(LivePage):
    """Follows one workshop (or the newest) in a store and redraws the groups that change.

    Parameters
    ----------
    store_path : Path
        The session store; opened read-only once it exists.
    workshop_id : str, optional
        The workshop to show; by default the newest, switching when a new one is created.
    every : float
        Seconds between looks at the store.
    """

    name = "plenary"

    def __init__(
        self, store_path: Path, workshop_id: str | None = None, every: float = POLL_SECONDS
    ):
        super().__init__(store_path, every)
        self.workshop_id = workshop_id
        self.header = ipw.HTML(render_no_workshop(), layout=ipw.Layout(width="100%"))
        self.columns: dict[str, GroupColumn] = {}
        self.grid = ipw.GridBox(
            layout=ipw.Layout(
                grid_template_columns=f"repeat(auto-fit, minmax({COLUMN_MIN_WIDTH}, 1fr))",
                grid_gap="1rem",
                width="100%",
            )
        )
        self.grid.add_class("wb-plenary-groups")
        self.view = ipw.VBox(
            [ipw.HTML(DASHBOARD_CSS + PLENARY_CSS), self.header, self.grid],
            layout=ipw.Layout(width="100%"),
        )
        self.view.add_class("wb-dashboard")
        self.view.add_class("wb-plenary")
        self.refresh()

    def make_reader(self, store: Store) -> PlenaryView:
        return PlenaryView(store, self.workshop_id)

    def apply(self, update: PlenaryUpdate) -> None:
        """Set the widgets from an update rendered by :class:`PlenaryView`."""
        if update.regrouped and self.reader is not None:
            kept = self.columns
            self.columns = {
                sid: kept[sid] if sid in kept and kept[sid].number == n else GroupColumn(sid, n)
                for sid, n in self.reader.columns
            }
            self.grid.children = tuple(c.view for c in self.columns.values())
        if update.header is not None:
            self.header.value = update.header
        for session_id, parts in update.groups.items():
            column = self.columns.get(session_id)
            if column is not None:
                column.apply(dict(parts))


def show_plenary() -> ipw.VBox:
    """The plenary for the workshop the server was started with (``$SYSTEMIC_WORKBOOK_WORKSHOP``).

    Without one it shows the newest workshop, and until there is one it says so kindly.
    """
    from systemic.store.location import resolve_store

    dashboard = PlenaryDashboard(
        resolve_store(None), os.environ.get(WORKSHOP_ENV, "").strip() or None
    )
    dashboard.start()
    return dashboard.view
