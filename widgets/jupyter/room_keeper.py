"""A hub service that closes the room of every session that has ended.

The supervisor's notebook closes its room when the session ends; this is
the backstop for a notebook closed mid-session or a laptop that went to
sleep. Every half minute it reads the store (read-only) and removes the room
servers of sessions that have ended, or that are no longer in the store
(erased), together with their shares and codes: their join links stop
working. It runs as a hub-managed service (``deploy/jupyterhub_config.py``)
with a token that may list users and stop and share servers, nothing more.

    python -m widgets.jupyter.room_keeper      # environment from the hub
"""

from __future__ import annotations

import os
import sys
import time

from systemic.errors import UnknownSession, WorkbookError
from systemic.store import Store
from widgets.jupyter.hub_room import Hub, close_ended_rooms

__all__ = ["session_has_ended", "main"]

#: Seconds between two looks at the store.
INTERVAL = 30.0


def session_has_ended(store: Store, session_id: str) -> bool:
    """Ended, or gone from the store (an erased case's session): either way, close its room."""
    try:
        return store.session(session_id).is_ended
    except UnknownSession:
        return True


def main() -> int:
    hub = Hub(
        os.environ["JUPYTERHUB_API_URL"].rstrip("/"),
        os.environ["JUPYTERHUB_API_TOKEN"],
        os.environ.get("JUPYTERHUB_SERVICE_NAME", "room-keeper"),
    )
    address = os.environ["SYSTEMIC_WORKBOOK_STORE"]
    interval = float(os.environ.get("WORKBOOK_ROOM_KEEPER_INTERVAL", INTERVAL))
    while True:
        try:
            with Store.open(address, readonly=True) as store:
                for user, name in close_ended_rooms(hub, lambda s: session_has_ended(store, s)):
                    print(f"room-keeper: closed {user}/{name}: its session has ended", flush=True)
        except WorkbookError as problem:
            print(f"room-keeper: {problem}", file=sys.stderr, flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main())
