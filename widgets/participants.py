"""The participants' page in a room: show the room's one drawing, and nothing heavier.

When the room's server draws the page (:mod:`widgets.jupyter.drawer`), a
viewer kernel only reads ``parts.json`` when the server says it changed
(a line on ``changes.sock`` beside it; it looks at the file itself every
tenth of a second only while that socket cannot be reached) and sets its widgets:
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

from widgets.following_task import Following
from widgets.page_parts import PartsPage

__all__ = ["RoomDashboard", "show_dashboard", "PARTS_ENV", "SECTIONS_ENV"]

PARTS_ENV = "SYSTEMIC_WORKBOOK_PARTS"
SECTIONS_ENV = "SYSTEMIC_WORKBOOK_SECTIONS"
#: Beside the parts file: the room's server announces each new drawing there.
ANNOUNCE_SOCKET = "changes.sock"
#: How often a page looks at the parts file while it cannot hear the room's server.
POLL_SECONDS = 0.1


class RoomDashboard(PartsPage, Following):
    """The dashboard's widgets, set from the room's parts file."""

    def __init__(self, parts_file: Path, sections: list[str], every: float = POLL_SECONDS):
        self.file = Path(parts_file)
        self.every = every
        self.sections = [s for s in sections if s]
        self.build(self.sections)
        self.socket = self.file.with_name(ANNOUNCE_SOCKET)
        self._seen: tuple[int, int, int] | None = None
        self._seq = -1
        self.refresh()

    def refresh(self, announced: int | None = None) -> bool:
        """Set the widgets from the file if it changed since the last look (or, when the
        room's server ``announced`` a drawing, if that one is newer than the one shown)."""
        if announced is not None and announced <= self._seq:
            return False
        try:
            stat = self.file.stat()
        except OSError:
            return False
        mark = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if announced is None and mark == self._seen:
            return False
        try:
            drawn = json.loads(self.file.read_text(encoding="utf-8"))
            seq, parts = int(drawn["seq"]), drawn["parts"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"dashboard could not read the room's drawing: {type(e).__name__}",
                  file=sys.stderr)
            return False
        self._seen = mark
        if seq == self._seq:
            return False
        self._seq = seq
        self.apply(parts)
        return True

    async def _follow(self) -> None:
        """Redraw on each drawing the room's server announces; look at the file every
        ``every`` seconds only while its socket cannot be reached."""
        while True:
            self._safely(self.refresh)
            try:
                reader, writer = await asyncio.open_unix_connection(str(self.socket))
            except OSError:
                await asyncio.sleep(self.every)
                continue
            try:
                self._safely(self.refresh)  # anything drawn before we were listening
                while line := await reader.readline():
                    self._safely(lambda: self.refresh(announced=int(line)))
            except (OSError, ValueError):
                pass
            finally:
                writer.close()

    @staticmethod
    def _safely(redraw: Any) -> None:
        try:
            redraw()
        except Exception as e:  # noqa: BLE001 - a page in the room must keep following
            print(f"dashboard could not redraw: {type(e).__name__}", file=sys.stderr)


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
