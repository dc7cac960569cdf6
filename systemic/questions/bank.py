"""The question bank: templates as data, checked before anything is asked.

The templates live in ``templates.yaml`` beside this module (or a team's own copy).
Each one says what kind of question it is (Tomm's four types, the solution-focused
and Signs of Safety questions, the Social GRACES), who it is asked of, which roles
from the case it needs, and its wording for each audience. This module reads the
file, checks the rules a schema cannot express (every placeholder is provided by a
role, a child is never asked about adult intimacy, questions about someone who has
died are marked as such) and reports each broken rule as one line that names the
template and the fix.

>>> bank = load_bank()
>>> len(bank.templates) >= 80
True
>>> bank.template("C9").placeholders("family") >= {"A", "B", "C", "child"}
True
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from systemic.cases import RELATIONSHIP_KINDS, UNION_STATUSES
from systemic.datafile import parse_model, read_yaml
from systemic.errors import DataFileError, Problem

__all__ = [
    "BANK_PATH",
    "SCHEMA_PATH",
    "TYPES",
    "TOMM_TYPES",
    "AUDIENCES",
    "ROLES",
    "HARM_LINES",
    "Template",
    "Settings",
    "Bank",
    "load_bank",
    "parse_bank",
    "bank_json_schema",
    "people_named",
    "role_letters",
]

BANK_PATH = Path(__file__).with_name("templates.yaml")
SCHEMA_PATH = Path(__file__).with_name("schema.json")

TYPES = (
    "lineal",
    "circular",
    "reflexive",
    "strategic",
    "solution_focused",
    "signs_of_safety",
    "graces",
)
TOMM_TYPES = ("lineal", "circular", "reflexive", "strategic")
AUDIENCES = ("family", "child", "supervision")

#: Roles a template can need, and the placeholders each fills. One-person roles take
#: the next free letter (A, B, C), two-person roles the next two.
ONE_PERSON_ROLES = ("carer", "adult", "sibling", "relative", "lost", "child_line",
                    "hypothesis_person")
TWO_PERSON_ROLES = ("two_carers", "pair", "couple", "event_people", "hypothesis_pair",
                    "guarded_pair")
OTHER_ROLES = ("child", "third", "event", "hypothesis", "grace", "network", "homes", "baby")
ROLES = ONE_PERSON_ROLES + TWO_PERSON_ROLES + OTHER_ROLES

#: Pronouns recorded for a person (he, him, his; she, her, her; they, them, their).
PRONOUN_FIELDS = ("they", "them", "their")

_ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "child": ("child", "child_pos", "child_they", "child_them", "child_their"),
    "event": ("event",),
    "event_people": ("event",),
    "hypothesis": ("idea", "idea_people"),
    "hypothesis_person": ("idea", "idea_people"),
    "hypothesis_pair": ("idea", "idea_people"),
    "grace": ("grace",),
    "network": ("network",),
    "homes": ("home1", "home2"),
    "baby": ("baby",),
}

#: Lines of harm: only ever discussed in supervision, and only when a template names them.
HARM_LINES = ("physical_abuse", "emotional_abuse", "sexual_abuse")
CURRENT_UNIONS = ("married", "civil_partnership", "cohabiting", "engaged", "casual")
SAFETY_GUARDS = ("abuse", "violence", "no_contact", "hostility", "cut_off")
FOCUS_KINDS = ("any", "child", "adult")
NETWORK_FILTERS = ("any", "supportive", "strong", "tenuous", "stressful", "person", "agency")

Role = Literal[ROLES]  # type: ignore[valid-type]
Words = Annotated[str, Field(min_length=1, max_length=600)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: The letters a question's people are named by in its wording ({A}, {B}, …).
LETTERS = "ABCDEF"


def _people_in(role: str) -> int:
    """How many people (so letters) one role names: a pair two, the child none."""
    return 1 if role in ONE_PERSON_ROLES or role == "third" else (
        2 if role in TWO_PERSON_ROLES else 0)


def people_named(needs: tuple[str, ...] | list[str]) -> int:
    """How many letters the roles in ``needs`` take (a pair takes two).

    >>> people_named(["child", "pair", "third"])
    3
    """
    return sum(_people_in(role) for role in needs)


def role_letters(needs: tuple[str, ...] | list[str]) -> dict[int, tuple[str, ...]]:
    """Which letters each role in ``needs`` fills, by its position in the list (the
    template's check refuses more people than :data:`LETTERS` first).

    >>> role_letters(["child", "pair", "third"])
    {0: (), 1: ('A', 'B'), 2: ('C',)}
    """
    letters = iter(LETTERS)
    return {i: tuple(next(letters) for _ in range(_people_in(role)))
            for i, role in enumerate(needs)}


class Template(_Model):
    """One question template. See the comment at the top of ``templates.yaml``."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$",
                             description="Short id, e.g. C9 (DOMAIN.md §3.5 ids are kept)")]
    type: Literal[TYPES] = Field(  # type: ignore[valid-type]
        description="The family of question: Tomm's four, solution-focused, Signs of Safety, "
        "Social GRACES")
    subtype: Annotated[str, Field(pattern=r"^[a-z][a-z\-]{1,40}$",
                                  description="e.g. triadic, behavioural-effect, miracle")]
    tomm: Literal[TOMM_TYPES] = Field(  # type: ignore[valid-type]
        description="Which of Tomm's four types it is (for balance and the classifier)")
    text: dict[Literal[AUDIENCES], Words] = Field(  # type: ignore[valid-type]
        min_length=1,
        description="The wording for each audience: family, child (child-friendly, says "
        "'you'), supervision",
    )
    needs: tuple[Role, ...] = Field(
        default=(), description="Roles to fill, in order; person roles take letters A, B, C")
    line_kinds: tuple[Literal[RELATIONSHIP_KINDS], ...] = Field(  # type: ignore[valid-type]
        default=(), description="For pair and child_line: which emotional lines qualify")
    line_direction: Literal["any", "from_child", "to_child"] = "any"
    union_status: tuple[Literal[UNION_STATUSES], ...] = Field(  # type: ignore[valid-type]
        default=(), description="For couple: which union statuses qualify")
    network: Literal[NETWORK_FILTERS] = Field(  # type: ignore[valid-type]
        default="any",
        description="For network: which ecomap connections qualify (supportive, strong and "
        "tenuous leave out stressful ones; person is a person or group, not stressful; "
        "agency is a service)")
    intimacy: bool = Field(
        default=False, description="About an adult couple's own relationship: never for a child")
    loss: bool = Field(
        default=False, description="About someone who has died (needs the role 'lost')")
    died_in_childs_life: bool = Field(
        default=False, description="Only someone who died after the child was born")
    guards: tuple[Literal[SAFETY_GUARDS], ...] = Field(  # type: ignore[valid-type]
        default=(), description="For guarded_pair: which safety rules (safety.yaml) qualify")
    directed: bool = Field(
        default=False, description="For guarded_pair: only a pair on a directed line of harm "
        "(A harmed B), so the wording may say who did what")
    focus: Literal[FOCUS_KINDS] = Field(  # type: ignore[valid-type]
        default="any", description="child: only when the person at the centre is under 18 "
        "(about a child's care); adult: only when they are an adult")
    teen: Words | None = Field(
        default=None, description="The child wording for a young person of 13 to 17, where "
        "text.child would sound too young")
    priority: Annotated[float, Field(ge=0.0, le=1.0)] = Field(
        default=1.0, description="0-1; low for questions to use sparingly")
    caution: Annotated[str, Field(max_length=200)] | None = None
    source: Annotated[str, Field(min_length=1, max_length=300)]

    @property
    def audiences(self) -> tuple[str, ...]:
        return tuple(a for a in AUDIENCES if a in self.text)

    def provided(self) -> set[str]:
        """The placeholders this template's roles fill."""
        out: set[str] = set()
        for i, letters in role_letters(self.needs).items():
            for letter in letters:
                out |= {letter, f"{letter}_short"} | {f"{letter}_{p}" for p in PRONOUN_FIELDS}
            out |= set(_ROLE_FIELDS.get(self.needs[i], ()))
        return out

    def placeholders(self, audience: str) -> set[str]:
        """The placeholders the wording for ``audience`` uses.

        >>> Template(id="X", type="lineal", subtype="fact", tomm="lineal", source="s",
        ...          needs=("child",), text={"family": "How is {child}?"}).placeholders("family")
        {'child'}
        """
        return {f for _, f, _, _ in string.Formatter().parse(self.text[audience]) if f}

    @model_validator(mode="after")
    def _consistent(self) -> Template:
        broken = self._broken_rule()
        if broken:
            raise ValueError(f"template '{self.id}': {broken}")
        return self

    def _broken_rule(self) -> str | None:
        """The first rule between fields that this template breaks, in plain words.

        How many people it names is checked first (each needs a letter), then the
        wording (a placeholder nobody fills reads worst), the roles, the filters that need
        a role, and the order of the roles.

        >>> asked = Template.model_construct(needs=("child",), text={"child": "Is {child} well?"})
        >>> asked._broken_rule()
        "text.child is asked of the child, so it says 'you', not {child} — reword it"
        """
        if people_named(self.needs) > len(LETTERS):
            return (f"'needs' names {people_named(self.needs)} people, and a question can "
                    f"name at most {len(LETTERS)} ({LETTERS[0]} to {LETTERS[-1]}) — split it "
                    "into two questions")
        return (self._broken_wording() or self._broken_roles() or self._broken_filters()
                or self._broken_order())

    def _broken_wording(self) -> str | None:
        """Every placeholder filled by a role; the child's own wordings say 'you'."""
        provided = self.provided()
        for audience in self.text:
            try:
                used = self.placeholders(audience)
            except ValueError:
                return f"text.{audience} has a stray '{{' or '}}' — placeholders look like {{A}}"
            missing = sorted(used - provided)
            if missing:
                return (
                    f"text.{audience} uses {{{missing[0]}}} but no role in 'needs' fills it — "
                    "add the role, or change the wording"
                )
            if audience == "child" and "child" in used | {f.split("_")[0] for f in used}:
                return (
                    "text.child is asked of the child, so it says 'you', not {child} — "
                    "reword it"
                )
        if self.teen is not None:
            if "child" not in self.text:
                return "'teen' is another child wording: add text.child too"
            if not {f for _, f, _, _ in string.Formatter().parse(self.teen) if f} <= provided:
                return "'teen' uses a placeholder no role in 'needs' fills — change the wording"
        return None

    def _broken_roles(self) -> str | None:
        """Safety and loss: who may be asked what, and the roles that go with each flag."""
        needs = list(self.needs)
        if ("guarded_pair" in needs) != bool(self.guards):
            return "the role 'guarded_pair' and 'guards' go together — list the safety rules"
        if "guarded_pair" in needs and set(self.text) != {"supervision"}:
            return ("a guarded pair is discussed with the worker only (safety.yaml) — keep "
                    "only text.supervision")
        if len(set(needs)) != len(needs):
            return "a role is listed twice in 'needs' — list each role once"
        if "child" in self.text and self.intimacy:
            return (
                "this template is about an adult couple's intimacy, so it cannot have a "
                "child wording — remove text.child"
            )
        if self.loss != ("lost" in needs):
            return (
                "'loss: true' and the role 'lost' go together — a question about someone who "
                "has died needs both"
            )
        if self.died_in_childs_life and not ("lost" in needs and "child" in needs):
            return "'died_in_childs_life' needs the roles 'child' and 'lost'"
        return None

    def _broken_filters(self) -> str | None:
        """Each filter (lines, direction, unions, network) with the role it filters."""
        needs = list(self.needs)
        line_roles = {"pair", "child_line"} & set(needs)
        if self.line_kinds and not line_roles:
            return "'line_kinds' needs the role 'pair' or 'child_line'"
        if set(self.line_kinds) & set(HARM_LINES) and set(self.text) != {"supervision"}:
            return (
                "lines of harm are discussed in supervision only — keep only text.supervision"
            )
        if self.line_direction != "any" and "child_line" not in needs:
            return "'line_direction' needs the role 'child_line'"
        if self.union_status and "couple" not in needs:
            return "'union_status' needs the role 'couple'"
        if self.network != "any" and "network" not in needs:
            return "'network' filter needs the role 'network'"
        return None

    def _broken_order(self) -> str | None:
        """Roles that refer to earlier ones (a third to a pair, a grace of person A)."""
        needs = list(self.needs)
        if "third" in needs and needs.index("third") < 1:
            return "'third' must come after the roles it is the third to"
        letters = role_letters(needs)
        if "third" in needs and sum(
            len(letters[i]) + (needs[i] == "child") for i in range(needs.index("third"))
        ) < 2:
            return "'third' needs two people before it (e.g. 'pair' or 'two_carers')"
        if "grace" in needs and not (
            needs.index("grace") > 0 and needs[0] in ("adult", "carer", "relative")
        ):
            return "'grace' is a grace of person A: list 'adult' or 'carer' first"
        if "child_line" in needs and "child" not in needs:
            return "'child_line' is a line to the child: add 'child' to 'needs'"
        return None


class Scoring(_Model):
    salience: float = 0.5
    hypothesis: float = 0.35
    line: float = 0.2
    conflict_line: float = 0.15
    recent_event: float = 0.1
    child_audience: float = 0.05
    safety: float = 1.0


class Settings(_Model):
    """How the generator chooses among the people and events of a case."""

    child_min_age: Annotated[int, Field(ge=0, le=17)] = 4
    adult_age: Annotated[int, Field(ge=10, le=25)] = 18
    third_min_age: Annotated[int, Field(ge=0, le=17)] = 8
    candidates_per_role: Annotated[int, Field(ge=1, le=50)] = 6
    max_per_template: Annotated[int, Field(ge=1, le=50)] = 3
    events_considered: Annotated[int, Field(ge=0, le=50)] = 4
    scoring: Scoring = Scoring()


class Bank(_Model):
    """The whole template file."""

    source: Annotated[str, Field(min_length=1)]
    version: int = 1
    settings: Settings = Settings()
    templates: list[Template] = Field(min_length=1)

    def template(self, template_id: str) -> Template:
        for t in self.templates:
            if t.id == template_id:
                return t
        raise KeyError(template_id)


def parse_bank(data: Any, path: str | Path) -> Bank:
    """Validate bank data already read from YAML.

    Raises
    ------
    DataFileError
        One problem per broken rule, naming the template by its id.
    """
    if not isinstance(data, dict):
        raise DataFileError([Problem(str(path), "", "a question bank is a set of 'name: value' "
                                     "fields with a 'templates' list")])
    bank = parse_model(Bank, data, path)
    seen: dict[str, int] = {}
    problems = []
    for i, t in enumerate(bank.templates):
        if t.id in seen:
            problems.append(Problem(str(path), f"templates[{i}].id",
                                    f"id '{t.id}' is already used by templates[{seen[t.id]}] — "
                                    "give each template its own id"))
        seen.setdefault(t.id, i)
    if problems:
        raise DataFileError(problems)
    return bank


@cache
def _load(path: str) -> Bank:
    return parse_bank(read_yaml(path), path)


def load_bank(path: str | Path | None = None) -> Bank:
    """Read and check a question bank (the packaged one by default). Cached per path."""
    return _load(str(Path(path) if path is not None else BANK_PATH))


def bank_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``templates.yaml`` (kept in ``schema.json`` for editors).

    The schema describes the shape; :func:`parse_bank` also checks the rules between
    fields (placeholders, intimacy, loss).
    """
    schema = Bank.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Question bank of the circular-question generator"
    return schema


def _write_schema() -> None:  # pragma: no cover - run by hand when the models change
    SCHEMA_PATH.write_text(json.dumps(bank_json_schema(), indent=2) + "\n", encoding="utf-8")
