"""The participants' live dashboard: a few HTML parts and one genogram, following the store.

Each participant's kernel opens the session store read-only and follows its
change counter from an asyncio task (no busy loop, JUPYTER.md §2.3). After a
change only the parts whose records changed are redrawn
(:meth:`systemic.dashboard.SessionView.update`), so a room of thirty stays
cheap. Everything shown is rendered by :mod:`systemic.dashboard`; this
module only sets widget values.

Nothing here observes a widget: a message forged by a viewer's browser can
at most change that viewer's own page, never the store (which this kernel
could not write to anyway, JUPYTER.md §1.5).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import ipywidgets as ipw

from systemic.dashboard import (
    HTML_SECTIONS,
    SessionView,
    load_wording,
    render_genogram_heading,
    render_waiting,
)
from systemic.store import Store
from widgets.following import LivePage
from widgets.genogram_view import BringIntoView, GenogramWidget
from widgets.style import DASHBOARD_CSS

__all__ = ["SessionDashboard", "show_dashboard", "POLL_SECONDS"]

#: How often a dashboard asks the store whether anything changed. SQLite answers from
#: memory (``PRAGMA data_version``); measured at well under 1 % of a core per viewer.
POLL_SECONDS = 0.1


class SessionDashboard(LivePage):
    """Follows one session (or the newest) in a store and redraws the parts that change.

    Parameters
    ----------
    store_path : Path
        The session store; opened read-only once it exists.
    session_id : str, optional
        The session to follow; by default the newest, switching when a new one starts.
    every : float
        Seconds between looks at the store.
    """

    name = "dashboard"

    def __init__(
        self, store_path: Path, session_id: str | None = None, every: float = POLL_SECONDS
    ):
        super().__init__(store_path, every)
        self.session_id = session_id
        wording = load_wording()
        self.parts: dict[str, ipw.HTML] = {
            name: ipw.HTML(layout=ipw.Layout(width="100%")) for name in HTML_SECTIONS
        }
        self.genogram = GenogramWidget(mode="view")
        heading = ipw.HTML(render_genogram_heading(wording))
        self.genogram_box = ipw.VBox([heading, self.genogram], layout=ipw.Layout(display="none"))
        self.boxes: dict[str, ipw.DOMWidget] = {**self.parts, "genogram": self.genogram_box}
        for name, box in self.boxes.items():
            box.add_class("wb-part")
            box.add_class(f"wb-part-{name}")
        order = ["header", "genogram", *[s for s in HTML_SECTIONS if s != "header"]]
        self.bring = BringIntoView()
        self.view = ipw.VBox(
            [ipw.HTML(DASHBOARD_CSS), self.bring, *(self.boxes[name] for name in order)],
            layout=ipw.Layout(width="100%"),
        )
        self.view.add_class("wb-dashboard")
        self.refresh()

    def make_reader(self, store: Store) -> SessionView:
        return SessionView(store, self.session_id)

    def show_waiting(self) -> None:
        self.parts["header"].value = render_waiting()

    def apply(self, parts: dict[str, Any]) -> None:
        """Set the widgets' values from parts rendered by :class:`SessionView`."""
        for name in HTML_SECTIONS:
            if name in parts:
                self.parts[name].value = parts[name]
        if "genogram" in parts:
            svg = parts["genogram"]
            self.genogram.svg = svg
            self.genogram_box.layout.display = "flex" if svg else "none"
        if "selected" in parts:
            self.genogram.selected = parts["selected"]
        if "highlight" in parts:
            current = set(parts["highlight"])
            for name, box in self.boxes.items():
                if name in current:
                    box.add_class("wb-section-current")
                else:
                    box.remove_class("wb-section-current")
        if "step" in parts:
            # A new step (the supervisor moved on) brings it into view on every page; the
            # page's first drawing only records where the group is.
            self.bring.step = parts["step"]


def show_dashboard() -> ipw.VBox:
    """The dashboard for the store and session the server was started with."""
    from systemic.store.location import resolve_store

    dashboard = SessionDashboard(
        resolve_store(None), os.environ.get("SYSTEMIC_WORKBOOK_SESSION") or None
    )
    dashboard.start()
    _give_back_memory()
    return dashboard.view


def _give_back_memory() -> None:
    """Return the memory freed after the first drawing to the system (glibc only).

    A room may hold dozens of these kernels; each keeps only what it shows.
    """
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do
