"""The step registry: every step of a supervision session, declared once.

Each step is one small module in this package (``systemic/steps/<id>.py``,
which says how its records are read and saved) plus its YAML
(``systemic/steps/<id>.yaml``: number, title, minutes, framework prompt key,
the records it writes and the participants' section each feeds). Everything
that needs "the steps" asks this registry: the supervisor's notebook, the
participants' live view, the trainer's plenary, the store's record kinds and
the framework schema's prompt keys. Adding a step is one module plus its YAML.

The API, for views and tools:

- :func:`steps` — the steps in session order (:class:`Step` objects);
- :func:`step` — one step by id; :func:`step_ids`, :func:`step_title`;
- ``step.number`` / ``step.of`` — "Step 3 of 8"; ``step.title``;
- ``step.sections`` — the participants' sections the step feeds (highlighted
  while the group is on it; ``step.section`` the first, or None);
  :func:`sections` — all of them, in order;
- ``step.record_kinds`` — the store's record kinds it writes;
  :func:`record_kinds` — every kind the store accepts;
  :func:`section_for_kind` — which section a kind of change redraws;
- ``step.prompt_keys`` — the framework prompts it shows; :func:`prompt_keys`;
- ``step.read(store, owner_id)`` — its records as domain models, and
  ``step.save(store, owner_id, item)``.

>>> [s.id for s in steps()][:3]
['start', 'check_in', 'case']
>>> step("graces").title, step("graces").number, step("graces").of
('Social GRRAACCEESS', 4, 8)
>>> step("uncertainty").sections
('uncertainty', 'plan')
>>> section_for_kind("question")
'questions'
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from systemic.datafile import load_model
from systemic.errors import WorkbookError

__all__ = [
    "RecordKind",
    "Step",
    "steps",
    "step",
    "step_ids",
    "step_title",
    "session_steps",
    "sections",
    "record_kinds",
    "prompt_keys",
    "section_for_kind",
    "SESSION_KINDS",
]

_HERE = Path(__file__).parent

#: Record kinds that belong to no step: session-wide settings and theme tags (``tag``
#: records carry a ``record_type`` saying which), and the mark of the session the
#: supervisor is running (``running``).
SESSION_KINDS: tuple[str, ...] = ("tag", "running")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecordKind(_Model):
    """One kind of record a step writes to the store.

    ``model`` is the pydantic model as ``module:Class`` (read lazily, so the
    store can ask for kinds without importing every step's domain code);
    ``owner`` says whether it belongs to the case discussion or the whole
    session; ``section`` is the participants' section it redraws (none for
    records participants never see, such as check-ins).
    """

    kind: str = Field(pattern=r"^[a-z_]+$")
    model: str = Field(pattern=r"^[a-z_.]+:[A-Za-z_]+$")
    owner: Literal["discussion", "session"] = "discussion"
    section: str | None = None
    about: str = ""

    def model_class(self) -> type[BaseModel]:
        """The pydantic model of this kind's payload.

        >>> step("questions").records[0].model_class().__name__
        'ChosenQuestion'
        """
        module, name = self.model.split(":")
        found: type[BaseModel] = getattr(importlib.import_module(module), name)
        return found


class Step(_Model):
    """One step of a session: what it is called, what it writes, what it feeds."""

    id: str = Field(pattern=r"^[a-z_]+$")
    number: int = Field(ge=1, le=50)
    title: str = Field(min_length=1)
    minutes: int = Field(ge=0, le=120)
    prompt: str | None = Field(default=None, description="The framework prompt key it shows")
    also: tuple[str, ...] = Field(default=(), description="Further framework prompts it shows")
    sections: tuple[str, ...] = Field(default=(), description="Participants' sections it feeds")
    records: tuple[RecordKind, ...] = ()
    follows_session: bool = Field(
        default=True,
        description="False for the step that chooses the session: its forms stay as typed "
        "when the session changes",
    )
    widgets: tuple[str, ...] = Field(
        default=(),
        description="What the supervisor sees, in order: 'widgets.module:function' names, "
        "called by the widgets layer only (systemic imports no Jupyter code)",
    )
    source: str = ""

    @property
    def of(self) -> int:
        """How many steps there are (for "Step 3 of 8")."""
        return len(steps())

    @property
    def where(self) -> str:
        """Where the group is, in plain words.

        >>> step("graces").where
        'Step 4 of 8: Social GRRAACCEESS'
        """
        return f"Step {self.number} of {self.of}: {self.title}"

    @property
    def section(self) -> str | None:
        """The participants' section this step feeds first (None: it feeds none).

        >>> step("uncertainty").section, step("check_in").section
        ('uncertainty', None)
        """
        return self.sections[0] if self.sections else None

    @property
    def record_kinds(self) -> tuple[str, ...]:
        return tuple(r.kind for r in self.records)

    @property
    def prompt_keys(self) -> tuple[str, ...]:
        return ((self.prompt,) if self.prompt else ()) + self.also

    @property
    def next(self) -> Step | None:
        """The step after this one, or None at the end."""
        later = [s for s in steps() if s.number > self.number]
        return later[0] if later else None

    def module(self) -> Any:
        """The step's own module (``systemic.steps.<id>``), imported when first needed."""
        return importlib.import_module(f"{__name__}.{self.id}")

    def read(self, store: Any, owner_id: str) -> Any:
        """The step's records for a discussion (or session), as domain models."""
        return self.module().read(store, owner_id)

    def save(self, store: Any, owner_id: str, item: Any) -> Any:
        """Save one of the step's records; returns it with its id."""
        return self.module().save(store, owner_id, item)


@cache
def steps() -> tuple[Step, ...]:
    """Every step, in session order (read once from ``systemic/steps/*.yaml``)."""
    found = sorted(
        (load_model(Step, path) for path in _HERE.glob("*.yaml")), key=lambda s: s.number
    )
    for i, s in enumerate(found, start=1):
        if s.number != i:
            raise WorkbookError(
                f"systemic/steps/{s.id}.yaml: number: {s.number} leaves a gap or repeats a "
                f"number — number the steps 1, 2, 3… in session order"
            )
        if not (_HERE / f"{s.id}.py").exists() or not (_HERE / f"{s.id}.yaml").exists():
            raise WorkbookError(
                f"systemic/steps: step '{s.id}' needs both {s.id}.py and {s.id}.yaml — "
                "name the YAML file after the step's id"
            )
    return tuple(found)


def session_steps() -> tuple[Step, ...]:
    """The same as :func:`steps` (the older name)."""
    return steps()


def step(step_id: str) -> Step:
    """One step by id.

    >>> step("note").number
    8
    """
    for s in steps():
        if s.id == step_id:
            return s
    raise WorkbookError(f"'{step_id}' is not a step — use one of: {', '.join(step_ids())}")


def step_ids() -> tuple[str, ...]:
    return tuple(s.id for s in steps())


def step_title(step_id: str) -> str:
    """A plain title for a step id; unknown ids are shown as they are, never an error on screen.

    >>> step_title("check_in"), step_title("made_up")
    ('Check-in', 'Made up')
    """
    for s in steps():
        if s.id == step_id:
            return s.title
    return step_id.replace("_", " ").capitalize()


def sections() -> tuple[str, ...]:
    """The participants' sections the steps feed, in session order, each once.

    >>> sections()
    ('genogram', 'ecomap', 'graces', 'hypotheses', 'questions', 'uncertainty', 'plan')
    """
    return tuple(dict.fromkeys(name for s in steps() for name in s.sections))


def record_kinds() -> tuple[str, ...]:
    """Every record kind the store accepts: each step's, then the session-wide ones."""
    return tuple(dict.fromkeys([k for s in steps() for k in s.record_kinds] + list(SESSION_KINDS)))


def prompt_keys() -> tuple[str, ...]:
    """The framework prompt keys, in session order (the framework schema's ``prompts``).

    >>> prompt_keys()[:3]
    ('check_in', 'case', 'genogram')
    """
    return tuple(dict.fromkeys(k for s in steps() for k in s.prompt_keys))


def section_for_kind(kind: str) -> str | None:
    """The participants' section a change of ``kind`` redraws (None: nothing shown)."""
    for s in steps():
        for r in s.records:
            if r.kind == kind:
                return r.section
    return None
