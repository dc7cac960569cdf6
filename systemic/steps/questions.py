"""Step 6, circular questions: the chosen questions (:mod:`systemic.questions.chosen`)."""

from __future__ import annotations

from typing import Any


def read(store: Any, owner_id: str) -> list[Any]:
    from systemic.questions.chosen import load_chosen

    return load_chosen(store, owner_id)


def save(store: Any, owner_id: str, item: Any) -> Any:
    from systemic.questions.chosen import save_chosen

    return save_chosen(store, owner_id, item)
