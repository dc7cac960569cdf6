"""The plan: a Signs of Safety map, SMART actions, questions for the family and framework checks.

Group supervision moves from curiosity to what will happen next (Turnell's
"from information to analysis, judgement and action", DOMAIN.md §5.1). The
map holds the worries, what is working well and what needs to happen, with
each danger statement paired with one safety goal and a 0–10 scale; actions
have an owner and a date; questions go back to the family; and where the
council's framework names principles (Warwickshire's five principles of good
practice, North Somerset's trauma-informed principles) the plan is held up to
them one by one. Feedback is gentle: a sentence to consider, never a block.
Limits and word lists are data (``frameworks/vocabularies/plan.yaml``).

>>> import datetime as dt
>>> action = Action(what="Ask Maya what handover days feel like", owner="Priya",
...                 due=dt.date(2026, 11, 3))
>>> smart_feedback(action, session_date=dt.date(2026, 10, 20))
[]
>>> [f.message for f in smart_feedback(Action(what="Monitor"), dt.date(2026, 10, 20))][0]
'Who will do this? Name one person, so that it does not fall between people.'
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from systemic.datafile import field_path, load_model_once
from systemic.errors import WorkbookError
from systemic.frameworks import Framework
from systemic.jargon import jargon_findings
from systemic.paths import VOCABULARIES_DIR
from systemic.store import Store

__all__ = [
    "PlanVocabulary",
    "DangerStatement",
    "SafetyGoal",
    "ScaleEntry",
    "SignsOfSafetyMap",
    "Action",
    "FamilyQuestion",
    "CheckItem",
    "Plan",
    "Feedback",
    "load_plan_vocabulary",
    "map_feedback",
    "smart_feedback",
    "plan_feedback",
    "framework_checklist",
    "save_plan",
    "load_plan",
    "long_date",
]

_Short = Annotated[str, Field(max_length=200)]
_Text = Annotated[str, Field(max_length=4000)]


def _new_id() -> str:
    return uuid.uuid4().hex[:10]


def long_date(day: dt.date) -> str:
    """A date as people write it in a letter.

    >>> long_date(dt.date(2026, 3, 9))
    '9 March 2026'
    """
    return f"{day.day} {day:%B %Y}"


# -- the vocabulary -----------------------------------------------------------------------------


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _MapRules(_Data):
    max_danger_statements: Annotated[int, Field(ge=1, le=20)]
    max_danger_statements_source: str
    scale_question: str
    scale_source: str
    negative_goal_words: list[str] = []
    negative_goal_source: str


class _SmartRules(_Data):
    source: str
    vague_openings: list[str]
    concrete_verbs: Annotated[list[str], Field(min_length=1)]


class _Checks(_Data):
    tool_kinds: list[str]
    source: str


class PlanVocabulary(_Data):
    """What the plan step checks, read from ``plan.yaml``."""

    source: str
    signs_of_safety: _MapRules
    smart: _SmartRules
    checks: _Checks


def load_plan_vocabulary(path: str | Path | None = None) -> PlanVocabulary:
    """Read ``frameworks/vocabularies/plan.yaml`` (or a team's own copy).

    Raises
    ------
    DataFileError
        One problem per line, naming the file, the field and the fix.
    """
    return load_model_once(PlanVocabulary, path, VOCABULARIES_DIR / "plan.yaml")


# -- the Signs of Safety map --------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DangerStatement(_Model):
    """A worry for the future, in plain words: who is worried, about what, and what they fear.

    If the family disagrees, that goes in the statement too (``disputed`` and
    ``family_view``), so the record is honest about it.

    >>> DangerStatement(who_worried="The school", what_behaviour="the adults argue at handover",
    ...     impact_if_unchanged="Maya will keep feeling caught in the middle").disputed
    False
    """

    id: str = Field(default_factory=_new_id)
    who_worried: _Short
    what_behaviour: _Text
    impact_if_unchanged: _Text
    disputed: bool = False
    family_view: _Text = ""

    def sentence(self) -> str:
        """The statement as one plain paragraph.

        >>> print(DangerStatement(who_worried="The school", what_behaviour="the adults shout "
        ...     "at handover", impact_if_unchanged="Maya will feel unsafe").sentence())
        ... # doctest: +NORMALIZE_WHITESPACE
        The school is worried that the adults shout at handover. If nothing changes, the
        worry is that Maya will feel unsafe.
        """
        text = (
            f"{_clause(self.who_worried, capital=True)} is worried that "
            f"{_clause(self.what_behaviour)}. If nothing changes, the worry is that "
            f"{_clause(self.impact_if_unchanged)}."
        )
        if self.disputed:
            view = f" {_clause(self.family_view, capital=True)}." if self.family_view else ""
            text += f" The family does not agree with this worry.{view}"
        return text


def _clause(text: str, capital: bool = False) -> str:
    text = text.strip().rstrip(".")
    if capital and text:
        return text[0].upper() + text[1:]
    return text


class SafetyGoal(_Model):
    """What people will see when a danger statement's worry is answered; paired with it by id."""

    id: str = Field(default_factory=_new_id)
    danger_id: str = Field(description="The id of the danger statement this goal answers")
    text: _Text
    sustained_for: _Short = Field(default="", description="How long it must last, e.g. 3 months")


class ScaleEntry(_Model):
    """One person's 0–10 judgement of safety, and why.

    >>> ScaleEntry(who="Priya", score=4, why="handovers are calmer", date="2026-10-20").score
    4
    """

    who: _Short
    score: int
    why: _Text = ""
    date: dt.date

    @field_validator("score", mode="before")
    @classmethod
    def _zero_to_ten(cls, score: object) -> object:
        if isinstance(score, bool) or not isinstance(score, int | float | str):
            raise ValueError(f"{score!r} is not a number — choose a whole number from 0 to 10")
        try:
            number = float(score)
        except ValueError:
            raise ValueError(
                f'"{score}" is not a number — choose a whole number from 0 to 10'
            ) from None
        if not number.is_integer() or not 0 <= number <= 10:
            raise ValueError(
                f"the scale runs from 0 to 10, and {score} is outside it — "
                "choose a whole number from 0 to 10"
            )
        return int(number)


class SignsOfSafetyMap(_Model):
    """The three columns of a Signs of Safety map and its scales (Turnell & Edwards).

    Worried about: ``harms`` (past), ``dangers`` (future), ``complicating``.
    Working well: ``strengths``, ``existing_safety``. Needs to happen:
    ``safety_goals`` (one per danger statement), ``next_steps``. Underneath:
    ``scales``.
    """

    harms: list[_Text] = []
    dangers: list[DangerStatement] = []
    complicating: list[_Text] = []
    strengths: list[_Text] = []
    existing_safety: list[_Text] = []
    safety_goals: list[SafetyGoal] = []
    next_steps: list[_Text] = []
    scales: list[ScaleEntry] = []

    def goal_for(self, danger_id: str) -> SafetyGoal | None:
        """The safety goal paired with a danger statement, if there is one yet."""
        return next((g for g in self.safety_goals if g.danger_id == danger_id), None)

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


# -- actions, questions and checks --------------------------------------------------------------


class Action(_Model):
    """Something someone will do by a date, perhaps to explore a hypothesis."""

    id: str = Field(default_factory=_new_id)
    what: _Text
    owner: _Short = ""
    due: dt.date | None = None
    done: bool = False
    hypothesis_id: str | None = Field(
        default=None, description="The hypothesis this action explores, if any"
    )


class FamilyQuestion(_Model):
    """A question the worker will take back to the family."""

    text: _Text
    question_id: str | None = Field(
        default=None, description="The question bank template it came from, if any"
    )
    ask: _Short = Field(default="", description="Whom the worker will ask, if chosen")


class CheckItem(_Model):
    """One item of a framework's principles, held up against this plan, with a note."""

    tool_id: str
    tool_name: _Short = ""
    item: _Short
    description: _Text = ""
    considered: bool = False
    note: _Text = ""


class Plan(_Model):
    """Everything the plan step produces for one case discussion."""

    id: str = ""
    map: SignsOfSafetyMap = Field(default_factory=SignsOfSafetyMap)
    actions: list[Action] = []
    family_questions: list[FamilyQuestion] = []
    checks: list[CheckItem] = []

    @field_validator("actions")
    @classmethod
    def _unique_actions(cls, actions: list[Action]) -> list[Action]:
        twice = [i for i, n in Counter(a.id for a in actions).items() if n > 1]
        if twice:
            raise ValueError(f'two actions share the id "{twice[0]}" — give each its own id')
        return actions


# -- feedback -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """A gentle remark on the plan: where it applies, what to consider, and how firm it is.

    ``level`` is ``"problem"`` for something the record cannot stand as it is
    (a goal paired with no worry) and ``"note"`` for something to consider.
    """

    field: str
    message: str
    level: Literal["problem", "note"] = "note"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def map_feedback(
    signs: SignsOfSafetyMap, vocabulary: PlanVocabulary | None = None
) -> list[Feedback]:
    """Gentle remarks on a Signs of Safety map.

    Examples
    --------
    >>> m = SignsOfSafetyMap(safety_goals=[SafetyGoal(danger_id="gone", text="Calm handovers")])
    >>> [f.message for f in map_feedback(m)]  # doctest: +NORMALIZE_WHITESPACE
    ['The safety goal "Calm handovers" is not paired with a danger statement — choose the
      worry it answers, or write that worry first.']
    """
    rules = (vocabulary or load_plan_vocabulary()).signs_of_safety
    out: list[Feedback] = []
    danger_ids = {d.id for d in signs.dangers}
    for i, goal in enumerate(signs.safety_goals):
        if goal.danger_id not in danger_ids:
            out.append(Feedback(
                f"safety_goals[{i}]",
                f'The safety goal "{_short(goal.text)}" is not paired with a danger statement — '
                "choose the worry it answers, or write that worry first.",
                "problem",
            ))
        lowered = f" {goal.text.casefold()} "
        negative = next((w for w in rules.negative_goal_words if w.casefold() in lowered), None)
        if negative:
            out.append(Feedback(
                f"safety_goals[{i}]",
                f'"{_short(goal.text)}" says what will stop. Safety goals are clearer as what '
                'people will do instead, for example "will sort out disagreements calmly".',
            ))
    goals_per_danger = Counter(g.danger_id for g in signs.safety_goals)
    for i, danger in enumerate(signs.dangers):
        field = f"dangers[{i}]"
        if goals_per_danger[danger.id] == 0:
            out.append(Feedback(
                field,
                f'The worry "{_short(danger.what_behaviour)}" has no safety goal yet — what '
                "would people see when this worry is answered?",
            ))
        elif goals_per_danger[danger.id] > 1:
            out.append(Feedback(
                field,
                f'The worry "{_short(danger.what_behaviour)}" has {goals_per_danger[danger.id]} '
                "safety goals. Each danger statement pairs with one goal — could they be "
                "joined into one?",
            ))
        for finding in jargon_findings(danger.what_behaviour):
            out.append(Feedback(
                field,
                f'"{finding.text}" is professional shorthand. Say what happens in words the '
                f"family would recognise: {finding.suggestion}.",
            ))
    if len(signs.dangers) > rules.max_danger_statements:
        out.append(Feedback(
            "dangers",
            f"There are {len(signs.dangers)} danger statements. Local guides suggest no more "
            f"than about {rules.max_danger_statements}, so that everyone can hold them in mind "
            "— could some be joined, or become complicating factors?",
        ))
    for i, scale in enumerate(signs.scales):
        if not scale.why.strip():
            out.append(Feedback(
                f"scales[{i}]",
                f"Why did {scale.who} choose {scale.score}? Ask what makes it {scale.score} "
                "and not lower, and what one point higher would look like.",
            ))
    return out


def _opening(what: str, owner: str) -> str:
    """The action's text from its verb on: without "Priya to", "Priya will" or a leading "to"."""
    text = " ".join(what.split()).casefold()
    if owner.strip():
        for lead in (f"{owner.strip().casefold()} to ", f"{owner.strip().casefold()} will "):
            if text.startswith(lead):
                return text[len(lead):]
    return text[3:] if text.startswith("to ") else text


def smart_feedback(
    action: Action, session_date: dt.date, vocabulary: PlanVocabulary | None = None
) -> list[Feedback]:
    """Gentle remarks that help make an action SMART: a person, a date to come, a doing word.

    An action marked done is not asked for a future date.

    Examples
    --------
    >>> later = dt.date(2026, 10, 27)
    >>> a = Action(what="Consider a family meeting", owner="Priya", due=later)
    >>> smart_feedback(a, dt.date(2026, 10, 20))[0].message.startswith('"Consider"')
    True
    """
    rules = (vocabulary or load_plan_vocabulary()).smart
    out: list[Feedback] = []
    if not action.owner.strip():
        out.append(Feedback(
            "owner", "Who will do this? Name one person, so that it does not fall between people."
        ))
    if action.due is None:
        out.append(Feedback("due", "When will this be done by? Add a date."))
    elif not action.done and action.due <= session_date:
        out.append(Feedback(
            "due",
            f"{long_date(action.due)} is not after this meeting ({long_date(session_date)}) — "
            "choose a date still to come.",
        ))
    opening = _opening(action.what, action.owner)
    vague = next(
        (v for v in sorted(rules.vague_openings, key=len, reverse=True)
         if opening == v.casefold() or opening.startswith(v.casefold() + " ")),
        None,
    )
    words = opening.split()
    if not words:
        out.append(Feedback("what", "What will be done? Write it as something someone will do."))
    elif vague:
        out.append(Feedback(
            "what",
            f'"{vague.capitalize()}" is hard to check later. Say what someone will do that '
            'others could see, for example "Ask…", "Visit…" or "Write to…".',
        ))
    elif words[0].strip(".,;:!") not in {v.casefold() for v in rules.concrete_verbs}:
        out.append(Feedback(
            "what",
            "Start with what will be done, with a doing word such as ask, visit, arrange or "
            "write, so that everyone can tell when it has happened.",
        ))
    return out


def plan_feedback(
    plan: Plan, session_date: dt.date, vocabulary: PlanVocabulary | None = None
) -> list[Feedback]:
    """Every remark on a plan: the map's, then each open action's (fields prefixed)."""
    out = [
        Feedback(f"map.{f.field}", f.message, f.level)
        for f in map_feedback(plan.map, vocabulary)
    ]
    for i, action in enumerate(plan.actions):
        out.extend(
            Feedback(f"actions[{i}].{f.field}", f.message, f.level)
            for f in smart_feedback(action, session_date, vocabulary)
        )
    return out


def framework_checklist(
    framework: Framework,
    existing: Iterable[CheckItem] = (),
    vocabulary: PlanVocabulary | None = None,
) -> list[CheckItem]:
    """The framework's principles to hold the plan up to, one item each, keeping earlier notes.

    Only tools whose kind ``plan.yaml`` lists become checks; a framework
    without them gives an empty list.

    >>> from systemic.frameworks import get_framework
    >>> items = framework_checklist(get_framework("warwickshire_relational_practice"))
    >>> items[0].item, len(items)
    ('Voice of the child', 5)
    """
    kinds = set((vocabulary or load_plan_vocabulary()).checks.tool_kinds)
    kept = {(c.tool_id, c.item): c for c in existing}
    out = []
    for tool in framework.practice_tools:
        if tool.kind not in kinds:
            continue
        for item in tool.items:
            before = kept.get((tool.id, item.name))
            out.append(CheckItem(
                tool_id=tool.id,
                tool_name=tool.name,
                item=item.name,
                description=item.description,
                considered=before.considered if before else False,
                note=before.note if before else "",
            ))
    return out


# -- the store ----------------------------------------------------------------------------------


def save_plan(store: Store, discussion_id: str, plan: Plan) -> Plan:
    """Write the discussion's plan (replacing it when it has an id); return it with its id.

    A discussion has one plan: saving a plan without an id replaces the one
    already stored, if any.
    """
    from systemic.records import save

    if not plan.id:
        stored = store.records(discussion_id, "plan")
        if stored:
            plan = plan.model_copy(update={"id": stored[-1].id})
    return save(store, discussion_id, "plan", plan)


def load_plan(store: Store, discussion_id: str) -> Plan:
    """The discussion's plan, or an empty one when none has been saved yet.

    Raises
    ------
    WorkbookError
        When the stored plan cannot be read, naming the record and the field.
    """
    stored = store.records(discussion_id, "plan")
    if not stored:
        return Plan()
    record = stored[-1]
    try:
        return Plan.model_validate({**record.payload, "id": record.id})
    except ValidationError as e:
        err = e.errors()[0]
        raise WorkbookError(
            f"plan {record.id}: {field_path(tuple(err['loc'])) or 'record'}: "
            f"{err['msg'].lower()} — correct it in the plan step"
        ) from None
