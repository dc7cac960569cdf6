"""Step 7, safe uncertainty and the plan: placements and the plan.

``read`` gives both, as ``{"placement": [...], "plan": Plan}``.
"""

from __future__ import annotations

from typing import Any


def read(store: Any, owner_id: str) -> dict[str, Any]:
    from systemic.plan import load_plan
    from systemic.uncertainty import load_placements

    return {"placement": load_placements(store, owner_id), "plan": load_plan(store, owner_id)}


def save(store: Any, owner_id: str, item: Any) -> Any:
    from systemic.plan import Plan, save_plan
    from systemic.uncertainty import save_placement

    if isinstance(item, Plan):
        return save_plan(store, owner_id, item)
    return save_placement(store, owner_id, item)
