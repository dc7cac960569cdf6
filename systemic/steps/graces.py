"""Step 4, Social GRRAACCEESS (:mod:`systemic.graces`)."""

from __future__ import annotations

from typing import Any


def read(store: Any, owner_id: str) -> list[Any]:
    from systemic.graces import load_entries

    return load_entries(store, owner_id)


def save(store: Any, owner_id: str, item: Any) -> Any:
    from systemic.graces import save_entry

    return save_entry(store, owner_id, item)
