"""The participants' live dashboard: one HTML widget that follows the session store.

The dashboard kernel opens the store read-only and polls its change counter
from an asyncio task (no busy loop, JUPYTER.md §2.3). The widget has no
observers, so a message forged by a viewer's browser can at most change
that viewer's own page, never the store.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import ipywidgets as ipw

from systemic.dashboard import render_dashboard, render_unavailable, render_waiting
from systemic.errors import WorkbookError
from systemic.frameworks import STEP_IDS, get_framework
from systemic.session import snapshot
from systemic.store import Store
from systemic.store.follow import follow
from widgets.style import DASHBOARD_CSS

__all__ = ["SessionDashboard", "show_dashboard"]


class SessionDashboard:
    """Follows one session (or the newest) in a store and redraws when it changes."""

    def __init__(self, store_path: Path, session_id: str | None = None, every: float = 0.25):
        self.store_path = Path(store_path)
        self.session_id = session_id
        self.every = every
        self.view = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.view.add_class("wb-dashboard-host")
        self._store: Store | None = None
        self._task: asyncio.Task[None] | None = None
        self.stop_event = asyncio.Event()
        self.refresh()

    def _open(self) -> Store | None:
        if self._store is None and self.store_path.exists():
            self._store = Store.open(self.store_path, readonly=True)
        return self._store

    def html(self) -> str:
        store = self._open()
        if store is None:
            return render_waiting()
        snap = snapshot(store, self.session_id)
        if snap is None:
            return render_waiting()
        framework_name, guidance = snap.framework_id, ""
        try:
            framework = get_framework(snap.framework_id)
        except WorkbookError:
            framework = None  # a framework file removed since the session began
        if framework is not None:
            framework_name = framework.name
            if snap.current_step in STEP_IDS:
                guidance = framework.prompt(snap.current_step).guidance
        return render_dashboard(snap, framework_name=framework_name, step_guidance=guidance)

    def refresh(self, _version: int | None = None) -> None:
        try:
            self.view.value = DASHBOARD_CSS + self.html()
        except Exception as e:  # noqa: BLE001 - a viewer's page must keep following
            # The message stays in the kernel's log, never on the shared screen.
            print(f"dashboard could not redraw: {type(e).__name__}", file=sys.stderr)
            self.view.value = DASHBOARD_CSS + render_unavailable()

    def start(self) -> None:
        """Begin following the store (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._follow())

    async def _follow(self) -> None:
        for _ in range(24 * 3600 * 4):  # bounded: a day of waiting for the store to appear
            if self._open() is not None:
                break
            await asyncio.sleep(self.every)
        store = self._open()
        if store is None:
            return
        await follow(store, self.refresh, every=self.every, stop=self.stop_event)


def show_dashboard() -> ipw.HTML:
    """The dashboard for the store and session the server was started with."""
    from systemic.store.location import resolve_store_path

    dashboard = SessionDashboard(
        resolve_store_path(None), os.environ.get("SYSTEMIC_WORKBOOK_SESSION") or None
    )
    dashboard.start()
    return dashboard.view
