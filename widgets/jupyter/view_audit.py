"""Who opened which session's view, and when: noted by the room's server from the hub's sign-in.

On a council's hub a room's server sits behind ``jhsingle-native-proxy``,
which checks the hub's sign-in and passes the signed-in user on in a header
(:data:`widgets.jupyter.hub.USER_HEADER`); the proxy removes any copy a
browser sends, so it cannot be forged. The room's page handler hands that
header here, and the store notes the name with the session and the time
(``Store.record_view_opened``; on PostgreSQL the viewers' role may add such a
line and nothing else). Team managers see only counts. A room on a laptop
has no sign-in: nothing is noted there.

>>> viewer_name('{"name": "ann@council.example", "groups": []}')
'ann@council.example'
>>> viewer_name("not json") is None, viewer_name(None) is None
(True, True)
"""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any

from systemic.errors import WorkbookError

__all__ = ["ViewAudit", "viewer_name"]

_LOG = logging.getLogger("workbook.audit")


def viewer_name(header: str | None) -> str | None:
    """The signed-in user's name from the proxy's header (a JSON user model); else ``None``."""
    if not header:
        return None
    try:
        model = json.loads(header)
    except ValueError:
        return None
    name = model.get("name") if isinstance(model, dict) else None
    return name if isinstance(name, str) and name.strip() else None


class ViewAudit:
    """Notes each page a signed-in participant opens, for the session in the environment."""

    def __init__(self, address: str | None = None, session_id: str | None = None):
        self.address = address or os.environ.get("SYSTEMIC_WORKBOOK_STORE", "")
        self.session_id = session_id or os.environ.get("SYSTEMIC_WORKBOOK_SESSION") or None
        self._store: Any = None
        self._lock = threading.Lock()

    def record(self, header: str | None) -> bool:
        """Note the opening; ``False`` (and a line in the server's log) when it could not be."""
        name = viewer_name(header)
        if name is None or self.session_id is None or not self.address:
            return False
        with self._lock:
            try:
                if self._store is None:
                    from systemic.store import Store

                    self._store = Store.open(self.address, readonly=True)
                self._store.record_view_opened(self.session_id, name)
                return True
            except WorkbookError as problem:
                _LOG.warning("who opened the view was not noted: %s", problem)
                return False

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
