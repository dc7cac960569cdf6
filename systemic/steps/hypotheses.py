"""Step 5, hypotheses (:mod:`systemic.hypotheses`)."""

from __future__ import annotations

from typing import Any


def read(store: Any, owner_id: str) -> list[Any]:
    from systemic.hypotheses import load_hypotheses

    return load_hypotheses(store, owner_id)


def save(store: Any, owner_id: str, item: Any) -> Any:
    from systemic.hypotheses import save_hypothesis

    return save_hypothesis(store, owner_id, item)
