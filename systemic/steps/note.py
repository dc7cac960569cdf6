"""Step 8, the note for the child's file and check-out (:mod:`systemic.note`)."""

from __future__ import annotations

from typing import Any


def read(store: Any, owner_id: str) -> Any:
    """The discussion's draft note."""
    from systemic.note import load_draft

    return load_draft(store, owner_id)


def save(store: Any, owner_id: str, item: Any) -> Any:
    from systemic.note import save_draft

    return save_draft(store, owner_id, item)
