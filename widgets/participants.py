"""The participants' page in a room: show the room's one drawing, and nothing heavier.

When the room's server draws the page (:mod:`widgets.jupyter.drawer`), a
viewer kernel only reads ``parts.json`` when it changes and sets its widgets:
it imports no store, no drawing code, no data models, so each place in the
room costs little memory and an edit costs each kernel a file read, not a
drawing. Setting a widget to the value it has sends nothing, so only what
changed travels to the browser. Outside a room (a notebook run on its own,
the tests), :func:`show_dashboard` falls back to the kernel reading the store
itself (:mod:`widgets.dashboard`).

Nothing here observes a widget: a message forged by a viewer's browser can at
most change that viewer's own page.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import ipywidgets as ipw

from widgets.genogram_view import BringIntoView, GenogramWidget
from widgets.style import DASHBOARD_CSS

__all__ = ["RoomDashboard", "show_dashboard", "PARTS_ENV", "SECTIONS_ENV"]

PARTS_ENV = "SYSTEMIC_WORKBOOK_PARTS"
SECTIONS_ENV = "SYSTEMIC_WORKBOOK_SECTIONS"
#: How often a page looks at the parts file (a ``stat``; read only when it changed).
POLL_SECONDS = 0.1


class RoomDashboard:
    """The dashboard's widgets, set from the room's parts file."""

    def __init__(self, parts_file: Path, sections: list[str], every: float = POLL_SECONDS):
        self.file = Path(parts_file)
        self.every = every
        self.sections = [s for s in sections if s]
        self.parts: dict[str, ipw.HTML] = {
            name: ipw.HTML(layout=ipw.Layout(width="100%")) for name in self.sections
        }
        self.genogram = GenogramWidget(mode="view")
        self.heading = ipw.HTML()
        self.genogram_box = ipw.VBox([self.heading, self.genogram],
                                     layout=ipw.Layout(display="none"))
        self.boxes: dict[str, ipw.DOMWidget] = {**self.parts, "genogram": self.genogram_box}
        for name, box in self.boxes.items():
            box.add_class("wb-part")
            box.add_class(f"wb-part-{name}")
        self.bring = BringIntoView()
        order = ["header", "genogram", *[s for s in self.sections if s != "header"]]
        self.view = ipw.VBox(
            [ipw.HTML(DASHBOARD_CSS), self.bring, *(self.boxes[n] for n in order if n in
                                                    self.boxes)],
            layout=ipw.Layout(width="100%"),
        )
        self.view.add_class("wb-dashboard")
        self._seen: tuple[int, int] | None = None
        self._task: asyncio.Task[Any] | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Set the widgets from the file if it changed since the last look."""
        try:
            stat = self.file.stat()
        except OSError:
            return False
        mark = (stat.st_mtime_ns, stat.st_size)
        if mark == self._seen:
            return False
        try:
            parts = json.loads(self.file.read_text(encoding="utf-8"))["parts"]
        except (OSError, ValueError, KeyError) as e:
            print(f"dashboard could not read the room's drawing: {type(e).__name__}",
                  file=sys.stderr)
            return False
        self._seen = mark
        self.apply(parts)
        return True

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
            self.bring.step = parts["step"]  # a new step comes into view on every page

    def start(self) -> None:
        """Follow the file from the kernel's event loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._follow())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _follow(self) -> None:
        while True:
            try:
                self.refresh()
            except Exception as e:  # noqa: BLE001 - a page in the room must keep following
                print(f"dashboard could not redraw: {type(e).__name__}", file=sys.stderr)
            await asyncio.sleep(self.every)


def show_dashboard() -> ipw.VBox:
    """The participants' dashboard: the room's drawing when served by the room, else the
    kernel reads the store itself."""
    parts_file = os.environ.get(PARTS_ENV)
    if parts_file:
        sections = os.environ.get(SECTIONS_ENV, "header").split(",")
        dashboard = RoomDashboard(Path(parts_file), sections)
        dashboard.start()
        return dashboard.view
    from widgets.dashboard import show_dashboard as show_from_the_store

    return show_from_the_store()
