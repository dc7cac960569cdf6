"""Step 1, starting the session: it writes the session row itself, no records.

>>> read(None, "any")
[]
"""

from __future__ import annotations

from typing import Any


def read(store: Any, owner_id: str) -> list[Any]:
    """Nothing: the session's own fields are read with ``store.session``."""
    return []


def save(store: Any, owner_id: str, item: Any) -> Any:
    raise NotImplementedError("a session is started with SupervisorSession.start")
