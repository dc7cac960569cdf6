"""Opening, sharing and closing a session's room on JupyterHub, from the supervisor's notebook.

On a council's hub the supervisor's JupyterLab holds a token that may start
and stop the supervisor's own servers and share them (``deploy/``). Opening a
room starts the named server ``room-<session>`` (Voila on the participants'
dashboard only), wakes it so its kernels are ready before anyone joins, and
asks the hub for a share code: the join link. Closing removes the server, and
with it every share and code: the link stops working.

Everything here talks to the hub's REST API on loopback; nothing of a case
is sent.

>>> hub = Hub("http://127.0.0.1:8081/hub/api", "t0ken", "sam")
>>> hub.url("share-codes", "sam", "room-4f2a9c0d")
'http://127.0.0.1:8081/hub/api/share-codes/sam/room-4f2a9c0d'
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from systemic.errors import WorkbookError
from widgets.jupyter.hub import room_server_name, session_of

__all__ = ["Hub", "Room", "on_hub", "open_room", "close_room", "HUB_UNREACHABLE"]

#: How long a join link works at most, even if nobody ends the session (a working day).
LINK_LIFETIME_SECONDS = 8 * 60 * 60
HUB_UNREACHABLE = (
    "The council's hub did not answer, so the room was not opened — try again in a minute, "
    "or ask your hub's administrator."
)


@dataclass(frozen=True)
class Room:
    """A room open for one session: where it is and the link participants use to join."""

    session_id: str
    server_url: str
    join_url: str
    expires_at: str | None


@dataclass(frozen=True)
class Hub:
    """The hub's REST API, as the signed-in supervisor's server sees it."""

    api_url: str
    token: str
    user: str
    #: Where people reach the hub (``https://workbook.example.gov.uk``); rooms are woken there.
    public_url: str = ""

    @classmethod
    def from_environment(cls) -> Hub:
        """The hub this JupyterLab was started by (its spawner sets these variables)."""
        try:
            return cls(
                os.environ["JUPYTERHUB_API_URL"].rstrip("/"),
                os.environ["JUPYTERHUB_API_TOKEN"],
                os.environ["JUPYTERHUB_USER"],
                os.environ.get("JUPYTERHUB_PUBLIC_HUB_URL", "").rstrip("/").removesuffix("/hub"),
            )
        except KeyError:
            raise WorkbookError(
                "This JupyterLab was not started by a hub, so rooms cannot be opened here — "
                "use `systemic-workbook serve` to share with the room instead."
            ) from None

    def url(self, *parts: str) -> str:
        return "/".join([self.api_url, *(urllib.parse.quote(p, safe="") for p in parts)])

    def call(self, method: str, *parts: str, body: Any = None, query: str = "") -> Any:
        """One request to the hub; any failure is one plain sentence."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url(*parts) + (f"?{query}" if query else ""),
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - hub API
                text = answer.read()
        except urllib.error.HTTPError as err:
            if err.code == 404 and method == "DELETE":
                return None  # already gone: closing twice is fine
            raise WorkbookError(f"The hub refused ({err.code}): {err.reason}.") from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise WorkbookError(HUB_UNREACHABLE) from None
        return json.loads(text) if text else None


def on_hub() -> bool:
    """Whether this kernel runs in a JupyterLab the hub started."""
    return "JUPYTERHUB_API_TOKEN" in os.environ and "JUPYTERHUB_API_URL" in os.environ


def _wait_ready(hub: Hub, name: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = hub.call("GET", "users", hub.user).get("servers", {}).get(name, {})
        if server.get("ready"):
            return server
        time.sleep(0.5)
    raise WorkbookError(
        "The room is taking too long to open — close it and open it again, or ask your hub's "
        "administrator."
    )


def _wake(hub: Hub, server_url: str) -> None:
    """Ask the room for a small file, so it starts Voila and its kernels before anyone joins."""
    request = urllib.request.Request(
        f"{hub.public_url}{server_url}voila/static/voila.js",
        headers={"Authorization": f"token {hub.token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120):  # noqa: S310 - our own room
            pass
    except (urllib.error.URLError, TimeoutError, OSError):
        pass  # the first participant's visit starts it instead


def open_room(session_id: str, hub: Hub | None = None, *, timeout: float = 120.0) -> Room:
    """Start (or find) the session's room and make a join link that works for a working day."""
    hub = hub or Hub.from_environment()
    name = room_server_name(session_id)
    servers = hub.call("GET", "users", hub.user).get("servers", {})
    if name not in servers:
        hub.call("POST", "users", hub.user, "servers", name, body={})
    server = _wait_ready(hub, name, timeout)
    _wake(hub, server["url"])
    lifetime = {"expires_in": LINK_LIFETIME_SECONDS}
    code = hub.call("POST", "share-codes", hub.user, name, body=lifetime)
    accept = code.get("full_accept_url") or f"{hub.public_url}{code['accept_url']}"
    return Room(session_id, server["url"], accept, code.get("expires_at"))


def close_room(session_id: str, hub: Hub | None = None) -> None:
    """Remove the room: its server, every share and every code. Its link stops working."""
    hub = hub or Hub.from_environment()
    name = room_server_name(session_id)
    hub.call("DELETE", "share-codes", hub.user, name)
    hub.call("DELETE", "shares", hub.user, name)
    hub.call("DELETE", "users", hub.user, "servers", name, body={"remove": True})


def ended_rooms(
    servers: dict[str, list[str]], is_ended: Callable[[str], bool]
) -> list[tuple[str, str]]:
    """The (user, room server) pairs whose session has ended, or is no longer in the store.

    >>> ended_rooms({"sam": ["", "room-4f2a9c0d", "room-0a0b0c0d"]}, lambda s: s == "4f2a9c0d")
    [('sam', 'room-4f2a9c0d')]
    """
    found = []
    for user, names in servers.items():
        for name in names:
            session_id = session_of(name)
            if session_id is not None and is_ended(session_id):
                found.append((user, name))
    return found


def close_ended_rooms(hub: Hub, is_ended: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Remove every room whose session has ended: a backstop for a notebook closed mid-session."""
    users = hub.call("GET", "users", query="state=active&include_stopped_servers=false") or []
    servers = {u["name"]: list(u.get("servers", {})) for u in users}
    closed = ended_rooms(servers, is_ended)
    for user, name in closed:
        owner = Hub(hub.api_url, hub.token, user, hub.public_url)
        close_room(session_of(name) or "", owner)
    return closed
