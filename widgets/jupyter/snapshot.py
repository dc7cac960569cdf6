"""The participants' page as it is now, sent in the HTML before the live widgets are up.

A participant joining sees the session at once — the header, the genogram
and every section — drawn on the server from the store (read-only), then the
live widgets take over and the snapshot is removed. The parts are the live
room's one drawing (:mod:`widgets.jupyter.drawer`), the very parts every
viewer kernel shows, laid out by a Jinja template
(``room_templates/snapshot.html.j2``, autoescaped; the parts are already
escaped HTML). One layout is kept per drawing, so a room joining at once
costs one.
"""

from __future__ import annotations

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
    """The page as it is now, from the room's one drawing (a ``PartsDrawer``)."""

    def __init__(self, drawer: Any):
        self.drawer = drawer
        self._cached: tuple[int, str] = (-1, "")

    def html(self) -> str:
        """The snapshot as drawn last ("" before the first drawing)."""
        seq, parts = self.drawer._seq, self.drawer.parts
        if not parts:
            return ""
        if seq != self._cached[0]:
            try:
                self._cached = (seq, self._render(parts))
            except Exception:  # noqa: BLE001 - the live page still comes; the log says why
                import logging

                logging.getLogger("workbook.snapshot").exception("no snapshot")
                return ""
        return self._cached[1]

    @staticmethod
    def _render(parts: dict[str, Any]) -> str:
        from systemic.dashboard import HTML_SECTIONS
        from widgets.genogram_view import STATIC
        from widgets.style import DASHBOARD_CSS

        safe = jinja2.utils.markupsafe.Markup
        return _PAGES.get_template("snapshot.html.j2").render(
            css=safe(DASHBOARD_CSS),
            genogram_css=(STATIC / "genogram.css").read_text(encoding="utf-8"),
            header=safe(parts.get("header", "")),
            genogram=safe(parts.get("genogram", "")),
            genogram_heading=safe(parts.get("genogram_heading", "")),
            sections=[(name, safe(parts.get(name, "")))
                      for name in HTML_SECTIONS if name != "header"],
            current=set(parts.get("highlight", ())),
        )
