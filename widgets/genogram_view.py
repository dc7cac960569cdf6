"""The genogram widget itself: one anywidget showing the SVG drawn in Python.

Its synced state is the SVG, the selected person, the mode, the zoom and which
relationship lines to show (STYLE.md, anywidget section). The ES module only
places the SVG, reports clicks and keyboard selection by ``data-person``,
handles zoom and pan (fitting never shrinks names below a readable size, and
brings the selected person into view when asked), and hides relationship
lines this screen chose not to see (the drawing marks each with the
``data-between`` of its two people).
This module is kept light (no editor, no networkx) because every
participant's kernel imports it.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

__all__ = ["GenogramWidget", "BringIntoView", "STATIC"]

STATIC = Path(__file__).resolve().parent / "static"


class GenogramWidget(anywidget.AnyWidget):
    """Shows a genogram SVG; ``selected`` is the ``data-person`` last clicked ("" for none)."""

    _esm = STATIC / "genogram.js"
    _css = STATIC / "genogram.css"

    svg = traitlets.Unicode("").tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    mode = traitlets.Enum(("edit", "view"), default_value="view").tag(sync=True)
    zoom = traitlets.Float(1.0).tag(sync=True)
    #: Which emotional relationship lines this screen shows: all, only the selected
    #: person's, or none. Each screen chooses for itself; the SVG is the same for all.
    relationships = traitlets.Enum(("all", "selected", "none"),
                                   default_value="all").tag(sync=True)
    #: The smallest zoom "Fit" goes to: names stay at least 11 pixels high. A family
    #: too wide for the box at that size is panned to the selected person instead.
    readable_zoom = traitlets.Float(11.0 / 12.0).tag(sync=True)
    #: Raised by Python (after adding someone) to fit the view and bring the selected
    #: person into sight.
    reveal = traitlets.Int(0).tag(sync=True)

    def show_selected(self) -> None:
        """Fit the view (never below a readable size) and bring the selected person into it."""
        self.reveal += 1

    @traitlets.validate("zoom")
    def _zoom_in_range(self, proposal: traitlets.Bunch) -> float:
        return min(4.0, max(0.25, float(proposal["value"])))


class BringIntoView(anywidget.AnyWidget):
    """Invisible: when ``step`` changes, the page scrolls the current step's part into view.

    Without taking keyboard focus, and without motion under
    ``prefers-reduced-motion``; the first drawing of a page never scrolls.
    """

    _esm = STATIC / "bring_into_view.js"

    step = traitlets.Unicode("").tag(sync=True)
