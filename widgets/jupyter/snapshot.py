"""The participants' page as it is now, sent in the HTML before the live widgets are up.

A participant joining sees the session at once — the header, the genogram
and every section — drawn on the server from the store (read-only), then the
live widgets take over and the snapshot is removed. The parts are the live
view's own (:class:`systemic.dashboard.SessionView`), so the snapshot and the
live page are the same drawing; they are laid out by a Jinja template
(``room_templates/snapshot.html.j2``, autoescaped; the parts are already
escaped HTML). One rendering is kept per store version, so a room joining at
once costs one drawing.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import jinja2

__all__ = ["Snapshots", "MARKER"]

#: Where the page template leaves room for the snapshot.
MARKER = "<!--wb-snapshot-->"
_PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("room_templates")), autoescape=True
)


class Snapshots:
    """The current snapshot of the dashboard for the store and session in the environment."""

    def __init__(self, store_path: str | None = None, session_id: str | None = None):
        self.store_path = store_path or os.environ.get("SYSTEMIC_WORKBOOK_STORE", "")
        self.session_id = session_id or os.environ.get("SYSTEMIC_WORKBOOK_SESSION") or None
        self._view: Any = None
        self._cached: tuple[int, str] = (-1, "")
        self._lock = threading.Lock()

    def _open(self) -> Any:
        from systemic.dashboard import SessionView
        from systemic.store import Store

        if self._view is None and self.store_path and Path(self.store_path).exists():
            self._view = SessionView(Store.open(Path(self.store_path), readonly=True),
                                     self.session_id)
        return self._view

    def html(self) -> str:
        """The snapshot for the store as it is now ("" when there is nothing to show yet)."""
        with self._lock:
            try:
                view = self._open()
                if view is None:
                    return ""
                version = view.store.version()
                if version != self._cached[0]:
                    self._cached = (version, self._render(view.read()))
                return self._cached[1]
            except Exception:  # noqa: BLE001 - the live page still comes; the log says why
                import logging

                logging.getLogger("workbook.snapshot").exception("no snapshot")
                return ""

    @staticmethod
    def _render(parts: dict[str, Any]) -> str:
        from systemic.dashboard import HTML_SECTIONS, load_wording, render_genogram_heading
        from widgets.genogram_view import STATIC
        from widgets.style import DASHBOARD_CSS

        return _PAGES.get_template("snapshot.html.j2").render(
            css=jinja2.utils.markupsafe.Markup(DASHBOARD_CSS),
            genogram_css=(STATIC / "genogram.css").read_text(encoding="utf-8"),
            header=jinja2.utils.markupsafe.Markup(parts.get("header", "")),
            genogram=jinja2.utils.markupsafe.Markup(parts.get("genogram", "")),
            genogram_heading=jinja2.utils.markupsafe.Markup(
                render_genogram_heading(load_wording())),
            sections=[(name, jinja2.utils.markupsafe.Markup(parts.get(name, "")))
                      for name in HTML_SECTIONS if name != "header"],
            current=set(parts.get("highlight", ())),
        )

    def close(self) -> None:
        if self._view is not None:
            self._view.store.close()
