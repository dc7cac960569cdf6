"""A question the group has chosen: the one model of a ``question`` record.

The questions step saves a chosen question; the plan, the participants'
page, the trainer's plenary and the note read it back. They all go through
:class:`ChosenQuestion` and these three functions, so a stored question means
the same thing everywhere (older records that kept the words under
``question`` or the template under ``question_id`` are still read).

>>> import tempfile, pathlib
>>> from systemic.store import Store
>>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "q.db")
>>> sid = store.create_session("Demo", "camden_practice_framework")
>>> saved = save_chosen(store, sid, ChosenQuestion(text="Who worries most?", type="circular"))
>>> [q.text for q in load_chosen(store, sid)]
['Who worries most?']
>>> store.close()
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from systemic import records
from systemic.store import Store

__all__ = ["RECORD_KIND", "ChosenQuestion", "save_chosen", "load_chosen", "delete_chosen"]

RECORD_KIND = "question"

_Short = Annotated[str, Field(max_length=200)]


class ChosenQuestion(BaseModel):
    """One chosen question: its words, its kind, who it is for and who it names.

    Fields follow :meth:`systemic.questions.Question.to_json`; ``id`` is the
    record's id once saved.
    """

    model_config = ConfigDict(extra="ignore")

    id: str = ""
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    type: _Short = ""
    subtype: _Short = ""
    audience: _Short = "family"
    people: tuple[str, ...] = ()
    template: _Short = ""
    hypothesis_id: str | None = None
    score: float = 0.0
    tomm: _Short = ""
    caution: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _older_names(cls, data: Any) -> Any:
        """Read records written before this model: ``question`` / ``question_id`` keys."""
        if isinstance(data, dict):
            data = dict(data)
            if not str(data.get("text") or "").strip() and data.get("question"):
                data["text"] = data["question"]
            if not data.get("template") and data.get("question_id"):
                data["template"] = str(data["question_id"])
            data["text"] = str(data.get("text") or "").strip()
            data["people"] = tuple(p for p in data.get("people") or () if isinstance(p, str))
            for key in ("type", "subtype", "audience", "template", "tomm"):
                if data.get(key) is None:
                    data.pop(key, None)
            if not isinstance(data.get("score"), int | float):
                data.pop("score", None)
        return data

    @property
    def key(self) -> tuple[str, str]:
        """What makes two chosen questions the same: who is asked and the words."""
        return (self.audience, self.text)


def save_chosen(store: Store, owner_id: str, question: ChosenQuestion) -> ChosenQuestion:
    """Save a chosen question (once per discussion: the same words are not saved twice)."""
    for held in load_chosen(store, owner_id):
        if held.key == question.key:
            return held
    return records.save(store, owner_id, RECORD_KIND, question)


def load_chosen(store: Store, owner_id: str) -> list[ChosenQuestion]:
    """The chosen questions, oldest first, once each; records with no words are skipped."""
    out: list[ChosenQuestion] = []
    seen: set[tuple[str, str]] = set()
    for record in store.records(owner_id, RECORD_KIND):
        if not str(record.payload.get("text") or record.payload.get("question") or "").strip():
            continue
        q = ChosenQuestion.model_validate({**record.payload, "id": record.id})
        if q.key not in seen:
            seen.add(q.key)
            out.append(q)
    return out


def delete_chosen(store: Store, owner_id: str, question: ChosenQuestion) -> int:
    """Take a question off the chosen list (every record of it); how many records went."""
    gone = 0
    for record in store.records(owner_id, RECORD_KIND):
        held = ChosenQuestion.model_validate({**record.payload, "id": record.id}) if str(
            record.payload.get("text") or record.payload.get("question") or "").strip() else None
        if held is not None and held.key == question.key:
            store.delete_record(record.id)
            gone += 1
    return gone
