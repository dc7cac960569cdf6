"""Saving and reading a step's records (hypotheses, graces, placements…) as domain models.

The store keeps every record as JSON under a *kind*; this module is the one
bridge between those JSON payloads and the pydantic models of each step, so
that every step saves the same way and nothing is saved twice.

>>> import tempfile, pathlib
>>> from pydantic import BaseModel
>>> from systemic.store import Store
>>> class Tag(BaseModel):
...     id: str = ""
...     text: str
>>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "r.db")
>>> sid = store.create_session("Demo", "camden_practice_framework")
>>> saved = save(store, sid, "tag", Tag(text="housing"))
>>> [t.text for t in load(store, sid, "tag", Tag)]
['housing']
>>> store.close()
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from systemic.store import Store

__all__ = ["save", "load", "delete"]

M = TypeVar("M", bound=BaseModel)


def save(store: Store, owner_id: str, kind: str, item: M) -> M:
    """Write ``item`` (insert, or replace when it has an ``id``); return it with its id.

    ``owner_id`` is a discussion id (or a session id for session-wide records
    such as the check-in).
    """
    current = getattr(item, "id", "") or None
    payload = item.model_dump(mode="json", by_alias=True, exclude={"id"})
    record_id = store.put_record(owner_id, kind, payload, record_id=current)
    if "id" in type(item).model_fields:
        return item.model_copy(update={"id": record_id})
    return item


def load(store: Store, owner_id: str, kind: str, model: type[M]) -> list[M]:
    """Every record of ``kind`` for ``owner_id``, oldest first, as ``model`` objects."""
    out = []
    has_id = "id" in model.model_fields
    for record in store.records(owner_id, kind):
        data = dict(record.payload)
        if has_id:
            data["id"] = record.id
        out.append(model.model_validate(data))
    return out


def delete(store: Store, record_id: str) -> None:
    store.delete_record(record_id)
