"""The participants' page as widgets: one box per part, and setting them from drawn parts.

Two pages show the same parts: the room's page, which reads the drawing the
room's server makes once per change (:mod:`widgets.participants`), and the
page that reads the store itself (:mod:`widgets.dashboard`). Both are built
and set here, once. This module imports no store, drawing code or data
models, so a participant's kernel stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as ipw

from widgets.genogram_view import BringIntoView, GenogramWidget
from widgets.style import DASHBOARD_CSS

__all__ = ["PartsPage"]


class PartsPage:
    """The page's boxes (header, genogram, then each section) and :meth:`apply`."""

    def build(self, sections: Sequence[str], heading: str = "") -> None:
        """Make the widgets: an HTML box per section, the genogram under its heading."""
        self.parts: dict[str, ipw.HTML] = {
            name: ipw.HTML(layout=ipw.Layout(width="100%")) for name in sections
        }
        self.genogram = GenogramWidget(mode="view")
        self.heading = ipw.HTML(heading)
        self.genogram_box = ipw.VBox([self.heading, self.genogram],
                                     layout=ipw.Layout(display="none"))
        self.boxes: dict[str, ipw.DOMWidget] = {**self.parts, "genogram": self.genogram_box}
        for name, box in self.boxes.items():
            box.add_class("wb-part")
            box.add_class(f"wb-part-{name}")
        self.bring = BringIntoView()
        order = ["header", "genogram", *[s for s in sections if s != "header"]]
        self.view = ipw.VBox(
            [ipw.HTML(DASHBOARD_CSS), self.bring,
             *(self.boxes[n] for n in order if n in self.boxes)],
            layout=ipw.Layout(width="100%"),
        )
        self.view.add_class("wb-dashboard")

    def apply(self, parts: dict[str, Any]) -> None:
        """Set each widget to its part (unchanged values send nothing to the browser)."""
        for name, widget in self.parts.items():
            if name in parts:
                widget.value = parts[name]
        if "genogram_heading" in parts:
            self.heading.value = parts["genogram_heading"]
        if "genogram" in parts:
            self.genogram.svg = parts["genogram"]
            self.genogram_box.layout.display = "flex" if parts["genogram"] else "none"
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
