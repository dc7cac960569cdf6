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
from widgets.page_parts import PartsPage

__all__ = ["SessionDashboard", "show_dashboard", "POLL_SECONDS"]

#: How often a dashboard asks the store whether anything changed. SQLite answers from
#: memory (``PRAGMA data_version``); measured at well under 1 % of a core per viewer.
POLL_SECONDS = 0.1


class SessionDashboard(PartsPage, LivePage):
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
        self.build(HTML_SECTIONS, render_genogram_heading(load_wording()))
        self.refresh()

    def make_reader(self, store: Store) -> SessionView:
        return SessionView(store, self.session_id)

    def show_waiting(self) -> None:
        self.parts["header"].value = render_waiting()


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
