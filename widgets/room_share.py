"""Sharing a session with the room on the council's hub: one button for a link, one to close it.

On a laptop the room joins through `systemic-workbook serve`; on the
council's JupyterHub the supervisor's notebook opens a *room* for the
session instead (:mod:`widgets.jupyter.hub_room`): a separate server showing
only the participants' page, and a link that works for that room alone and
stops working when the room is closed or the session ends. Outside a hub the
panel says how the room joins on a laptop and shows no buttons.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable

import ipywidgets as ipw
import qrcode
import qrcode.image.svg

from systemic.errors import WorkbookError
from systemic.html_templates import Markup, render
from widgets.jupyter import hub_room

__all__ = ["RoomPanel", "share_with_room", "share_panel", "qr_svg"]

#: Outside a hub: how the room joins on a laptop (the command is shown as code, not with
#: backticks around it).
NOT_ON_HUB = (
    "This JupyterLab is on your own computer. The group follows this session at the "
    "participants' address printed when the workbook started; to let the room join from "
    "their own laptops, share it with",
    "systemic-workbook serve --share",
    "which prints a link and a QR code.",
)
EXPLAIN = (
    "Open a room so the group can follow on their own laptops. Each person signs in to the "
    "council's workbook, opens the link once and sees this session's page — nothing else. "
    "The link stops working when you close the room or end the session."
)


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as inline SVG, drawn here (no image from anywhere else).

    >>> qr_svg("https://example.org/join").startswith("<svg")
    True
    """
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


class RoomPanel:
    """Open and close the session's room; show its link and QR code while it is open."""

    def __init__(self, session_id: Callable[[], str | None], hub: hub_room.Hub | None = None):
        self._session_id = session_id
        self._hub = hub
        self._lock = threading.Lock()
        self.open_button = ipw.Button(description="Open a room for the group",
                                      button_style="primary", icon="users")
        self.close_button = ipw.Button(description="Close the room", disabled=True, icon="lock")
        self.message = ipw.HTML()
        self.link = ipw.HTML()
        self.open_button.on_click(lambda _b: self.open())
        self.close_button.on_click(lambda _b: self.close())
        self.widget = ipw.VBox([
            ipw.HTML(render("widgets/room_share/heading.html.j2", explain=EXPLAIN)),
            ipw.HBox([self.open_button, self.close_button]),
            self.message,
            self.link,
        ])

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.value = render("widgets/room_share/message.html.j2", text=text,
                                    problem=problem)

    def open(self) -> hub_room.Room | None:
        with self._lock:
            session_id = self._session_id()
            if session_id is None:
                self._say("Start or resume a session first.", problem=True)
                return None
            self._say("Opening the room… this takes up to a minute.")
            try:
                room = hub_room.open_room(session_id, self._hub)
            except WorkbookError as problem:
                self._say(str(problem), problem=True)
                return None
            self.link.value = render(
                "widgets/room_share/link.html.j2", url=room.join_url,
                qr=Markup(qr_svg(room.join_url)),  # SVG drawn by qrcode from the link
            )
            self.close_button.disabled = False
            self._say("The room is open. Share the link or show the code.")
            return room

    def close(self) -> None:
        with self._lock:
            session_id = self._session_id()
            if session_id is None:
                return
            try:
                hub_room.close_room(session_id, self._hub)
            except WorkbookError as problem:
                self._say(str(problem), problem=True)
                return
            self.link.value = ""
            self.close_button.disabled = True
            self._say("The room is closed: its link no longer works.")


def share_with_room(session_id: Callable[[], str | None]) -> ipw.Widget:
    """The panel for the session notebook: buttons on a hub, a plain note elsewhere."""
    if not hub_room.on_hub():
        from systemic.store.location import resolve_store, store_flag

        before, command, after = NOT_ON_HUB
        with contextlib.suppress(WorkbookError):  # the notebook's store, if not the usual one
            command += store_flag(resolve_store(None))
        return ipw.HTML(render("widgets/room_share/note.html.j2", before=before,
                               command=command, after=after))
    return RoomPanel(session_id).widget


def _running_session_id() -> str | None:
    from widgets.guide import current_session

    try:
        return current_session().session_id
    except WorkbookError:
        return None


def share_panel() -> ipw.Widget:
    """The session notebook's panel (Step 1): for the session this notebook runs."""
    return share_with_room(_running_session_id)
