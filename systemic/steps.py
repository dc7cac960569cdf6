"""The steps of a session, in order, read from ``frameworks/vocabularies/session_steps.yaml``.

Participants' dashboards highlight the current step; supervisors' notebooks
are one per step. Keeping the order in data lets a team add or reorder
steps without touching code.

>>> [s.id for s in session_steps()][:3]
['start', 'check_in', 'case']
>>> step_title("graces")
'Social GRRAACCEESS'
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from systemic.datafile import load_model_once
from systemic.paths import VOCABULARIES_DIR

__all__ = ["Step", "session_steps", "step_title", "step_ids"]


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    notebook: str
    minutes: int = Field(ge=0, le=120)
    also: tuple[str, ...] = Field(
        default=(), description="Framework prompt ids this step also shows (e.g. genogram)"
    )


class _Steps(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    steps: tuple[Step, ...]


def session_steps(path: Path | None = None) -> tuple[Step, ...]:
    """The session's steps in order."""
    return load_model_once(_Steps, path, VOCABULARIES_DIR / "session_steps.yaml").steps


def step_ids() -> tuple[str, ...]:
    return tuple(s.id for s in session_steps())


def step_title(step_id: str) -> str:
    """A plain title for a step id; unknown ids are shown as they are, never an error on screen."""
    for s in session_steps():
        if s.id == step_id:
            return s.title
    return step_id.replace("_", " ").capitalize()
