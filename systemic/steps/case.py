"""Step 3, the case and its genogram: the discussion's case (edits are logged as records)."""

from __future__ import annotations

from typing import Any


def read(store: Any, owner_id: str) -> Any:
    """The discussion's case as a :class:`~systemic.cases.Case`."""
    from systemic.cases import stored_case

    return stored_case(store.discussion(owner_id).case_data)


def save(store: Any, owner_id: str, item: Any) -> Any:
    """Log one genogram edit (a :class:`~systemic.genogram.commands.GenogramEdit` or dict)."""
    payload = item.model_dump(mode="json") if hasattr(item, "model_dump") else dict(item)
    return store.put_record(owner_id, "genogram_edit", payload)
