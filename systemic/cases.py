"""Cases as data: the family, its network and the question the worker brings.

A case file (``case_templates/*.yaml``) is what a worker would sketch on a
flipchart before group supervision: the people and what they share about
themselves, couples, who is whose child and how, emotional relationships,
households, the ecomap, the referral in plain words, a short chronology and
the question for the group. Training cases are fictional and say so.

The models here only check the shape of the data and that every id refers to
someone; whether the family could exist (no one their own grandparent) is the
genogram's job (:mod:`systemic.genogram.validate`).

>>> case = parse_case({"id": "demo", "title": "Demo", "fictional": True,
...     "people": [{"id": "amy", "name": "Amy", "sex": "female", "born": 2015}]}, "demo.yaml")
>>> case.person("amy").born.year
2015
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
)
from pydantic_core import core_schema

from systemic.datafile import capped, parse_model, read_yaml, shown
from systemic.errors import DataFileError, Problem
from systemic.plausible import MAX_YEAR, MIN_YEAR, plausible_year

__all__ = [
    "PartialDate",
    "Person",
    "Union",
    "ParentLink",
    "Twins",
    "Relationship",
    "Household",
    "EcomapConnection",
    "ChronologyEvent",
    "Case",
    "SEXES",
    "PERSON_KINDS",
    "UNION_STATUSES",
    "PARENT_KINDS",
    "RELATIONSHIP_KINDS",
    "parse_case",
    "stored_case",
    "load_case",
    "reference_problems",
    "case_json_schema",
]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate(str):
    """A date as precise as the family knows it: ``1984``, ``1984-03`` or ``1984-03-15``.

    Families often remember only a year; the genogram shows what is known.

    >>> PartialDate.parse(1984).year, PartialDate.parse("2001-07").month
    (1984, 7)
    """

    year: int
    month: int | None
    day: int | None

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"{shown(value)} is not a year — write it like 1984")
        if isinstance(value, int) and not 0 <= value <= 9999:
            raise ValueError(f"{shown(value)} is not a year — write it like 1984")
        text = str(value).strip()
        m = _DATE.match(text)
        if not m:
            raise ValueError(f"{shown(text)} is not a year — write it like 1984")
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            raise ValueError(f'"{text}" is not a real date — write it like 1984-03-15') from None
        if not plausible_year(year):
            raise ValueError(f'"{text}" is not a likely year — write it like 1984')
        out = cls(text)
        out.year, out.month, out.day = year, month, day
        return out

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                {"type": "string", "pattern": _DATE.pattern},
            ],
            "description": "A year (1984), a month (1984-03) or a day (1984-03-15)",
        }


DateField = PartialDate
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")]
Text = Annotated[str, Field(max_length=4000)]
def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("is only spaces — fill it in")
    return text


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_not_blank)]

SEXES = ("female", "male", "intersex", "unknown")
PERSON_KINDS = ("person", "pregnancy", "miscarriage", "termination", "stillbirth", "pet")
UNION_STATUSES = (
    "married",
    "civil_partnership",
    "cohabiting",
    "engaged",
    "separated",
    "divorced",
    "widowed",
    "casual",
)
PARENT_KINDS = ("birth", "adoptive", "foster", "step", "special_guardianship", "kinship")
RELATIONSHIP_KINDS = (
    "close",
    "very_close",
    "distant",
    "conflict",
    "hostile",
    "close_hostile",
    "cut_off",
    "cut_off_repaired",
    "focused_on",
    "physical_abuse",
    "emotional_abuse",
    "sexual_abuse",
    "caretaker",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _count_between(value: Any, low: int, high: int, fix: str) -> Any:
    """Say how many ids a list needs, in words, before pydantic's own length check would."""
    if isinstance(value, list) and not low <= len(value) <= high:
        raise ValueError(f"has {len(value)} {'id' if len(value) == 1 else 'ids'} — {fix}")
    return value


class Person(_Model):
    """Someone in the family or close to it (or a pregnancy, which the genogram shows too)."""

    id: Id
    name: Name
    kind: Literal[PERSON_KINDS] = "person"  # type: ignore[valid-type]
    sex: Literal[SEXES] = "unknown"  # type: ignore[valid-type]
    gender_identity: Annotated[str, Field(max_length=80)] | None = None
    pronouns: Annotated[str, Field(max_length=40)] | None = None
    role: Annotated[str, Field(max_length=80)] | None = Field(
        default=None, description="What they are to the focal child, if not clear from the links"
    )
    born: DateField | None = None
    died: DateField | None = None
    deceased: bool = Field(
        default=False,
        description="True if they have died but the date is not known (leave out if died is given)",
    )
    index: bool = False
    graces: dict[str, Annotated[str, Field(max_length=400)]] = Field(
        default_factory=dict,
        description="What this person has shared about themselves, by grace id (see graces.yaml)",
    )
    notes: Text | None = None

    @property
    def has_died(self) -> bool:
        """Whether they have died, with or without a date: family trees often record a
        death ("1 DEAT Y", a burial) long after anyone knows when it was.

        >>> Person(id="a", name="A", deceased=True).has_died, Person(id="b", name="B").has_died
        (True, False)
        """
        return self.died is not None or self.deceased

    @property
    def alive(self) -> bool:
        return not self.has_died and self.kind in ("person", "pet", "pregnancy")


class Union(_Model):
    """A couple. Gender-neutral: any two people, with the relationship's status and dates."""

    id: Id
    partners: Annotated[list[Id], Field(min_length=2, max_length=2)]
    status: Literal[UNION_STATUSES] = "married"  # type: ignore[valid-type]
    began: DateField | None = None
    ended: DateField | None = None
    notes: Text | None = None

    @field_validator("partners", mode="before")
    @classmethod
    def _two_partners(cls, value: Any) -> Any:
        return _count_between(value, 2, 2, "a couple is exactly two people, like [mum, dad]")


class ParentLink(_Model):
    """A child and one set of parents. A child may have several sets (birth, foster, …)."""

    child: Id
    parents: Annotated[list[Id], Field(min_length=1, max_length=2)]
    kind: Literal[PARENT_KINDS] = "birth"  # type: ignore[valid-type]
    since: DateField | None = None
    until: DateField | None = Field(
        default=None,
        description="When a care arrangement ended (a past foster home), so it is not shown as now",
    )

    @field_validator("parents", mode="before")
    @classmethod
    def _one_or_two_parents(cls, value: Any) -> Any:
        return _count_between(
            value, 1, 2, "give one or two parents here, and a separate line for each other "
            "set (birth parents, step-parent, foster carers)"
        )


class Twins(_Model):
    people: Annotated[list[Id], Field(min_length=2, max_length=4)]
    identical: bool = False

    @field_validator("people", mode="before")
    @classmethod
    def _two_to_four(cls, value: Any) -> Any:
        return _count_between(value, 2, 4, "list the two, three or four children born together")


class Relationship(_Model):
    """An emotional relationship line. ``from``/``to`` matter for directed kinds
    (focused on, abuse, caretaker): the arrow points at ``to``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: Id = Field(alias="from")
    to: Id
    kind: Literal[RELATIONSHIP_KINDS]  # type: ignore[valid-type]
    notes: Text | None = None


class Household(_Model):
    """People who live together. A child who moves between homes is a member of each."""

    id: Id
    name: Name
    members: Annotated[list[Id], Field(min_length=1)]
    notes: Text | None = Field(
        default=None, description="Who stays when, e.g. 'Maya stays every other weekend'"
    )


class EcomapConnection(_Model):
    """A connection to someone or something outside the household (Hartman's ecomap)."""

    id: Id
    name: Name
    kind: Literal["agency", "person", "group", "place"] = "agency"
    connected_to: Id = Field(description="A person id or a household id")
    strength: Literal["strong", "moderate", "tenuous"] = "moderate"
    stressful: bool = False
    flow: Literal["to_family", "from_family", "both", "none"] = "none"
    notes: Text | None = None


class ChronologyEvent(_Model):
    date: DateField
    event: Text
    people: list[Id] = Field(default_factory=list)


class Case(_Model):
    """A whole case file."""

    id: Id
    title: Name
    fictional: bool = Field(
        description="True for training cases. Real cases are shown with initials to participants."
    )
    focal_child: Id | None = None
    worker: Annotated[str, Field(max_length=200)] | None = None
    referral: Text = ""
    question: Text = Field(default="", description="The question the worker brings to the group")
    people: list[Person] = Field(default_factory=list)
    unions: list[Union] = Field(default_factory=list)
    parents: list[ParentLink] = Field(default_factory=list)
    twins: list[Twins] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    households: list[Household] = Field(default_factory=list)
    ecomap: list[EcomapConnection] = Field(default_factory=list)
    chronology: list[ChronologyEvent] = Field(default_factory=list)
    tags: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list)
    order: list[Id] = Field(
        default_factory=list,
        description="The genogram's left-to-right order (person ids, row after row), kept by "
        "each edit so every screen and export draws the same picture; ids not in the case "
        "are ignored",
    )

    @field_validator("people")
    @classmethod
    def _at_most_one_index(cls, people: list[Person]) -> list[Person]:
        marked = [p.id for p in people if p.index]
        if len(marked) > 1:
            raise ValueError(
                f"more than one person is marked index: true ({', '.join(marked)}) — "
                "keep it on one person only"
            )
        return people

    def person(self, person_id: str) -> Person:
        for p in self.people:
            if p.id == person_id:
                return p
        raise KeyError(person_id)

    @property
    def people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}


def _ids_shared_across_kinds(case: Case, path: str) -> list[Problem]:
    """A household or ecomap id that is also a person's (or a household's) id.

    ``connected_to`` may name a person or a household, and the drawings key each
    shape by its id: one id for two things would point at either.

    >>> c = Case(id="c", title="t", fictional=True, people=[Person(id="mia", name="Mia")],
    ...          ecomap=[EcomapConnection(id="mia", name="School", connected_to="mia")])
    >>> [p.message for p in _ids_shared_across_kinds(c, "c.yaml")]
    ["'mia' is already a person's id — give this connection its own id, like mia_agency"]
    """
    people = {p.id for p in case.people}
    households = {h.id for h in case.households}
    problems = [
        Problem(path, f"households[{i}].id", f"'{h.id}' is already a person's id — give this "
                f"household its own id, like home_{h.id}")
        for i, h in enumerate(case.households) if h.id in people
    ]
    for i, e in enumerate(case.ecomap):
        taken = "a person's" if e.id in people else "a household's" if e.id in households else ""
        if taken:
            problems.append(Problem(path, f"ecomap[{i}].id", f"'{e.id}' is already {taken} id "
                                    f"— give this connection its own id, like {e.id}_{e.kind}"))
    return problems


def _duplicate_ids(items: list[Any], what: str, path: str) -> list[Problem]:
    """One problem for each item whose id another item of the same list has too."""
    counts = Counter(x.id for x in items)
    return [
        Problem(path, f"{what}[{i}].id", f"id '{x.id}' is used more than once — "
                "give each one its own id")
        for i, x in enumerate(items) if counts[x.id] > 1
    ]


def _unknown(pid: str, field: str, allowed: set[str], path: str,
             what: str = "person") -> list[Problem]:
    """A problem if ``pid`` is not among the ``allowed`` ids."""
    if pid in allowed:
        return []
    return [Problem(path, field, f"no {what} has id '{pid}' — add them under people, "
                    "or fix the id")]


def _family_references(case: Case, path: str, people: set[str]) -> list[Problem]:
    """Ids in the family's structure (focal child, couples, parents, twins) that name
    nobody, and a couple of one person."""
    problems: list[Problem] = []
    if case.focal_child is not None:
        problems += _unknown(case.focal_child, "focal_child", people, path)
    for i, u in enumerate(case.unions):
        for j, pid in enumerate(u.partners):
            problems += _unknown(pid, f"unions[{i}].partners[{j}]", people, path)
        if u.partners[0] == u.partners[1]:
            problems.append(
                Problem(path, f"unions[{i}].partners",
                        f"'{u.partners[0]}' cannot be in a couple with themself — "
                        "name two different people")
            )
    for i, link in enumerate(case.parents):
        problems += _unknown(link.child, f"parents[{i}].child", people, path)
        for j, pid in enumerate(link.parents):
            problems += _unknown(pid, f"parents[{i}].parents[{j}]", people, path)
    for i, t in enumerate(case.twins):
        for j, pid in enumerate(t.people):
            problems += _unknown(pid, f"twins[{i}].people[{j}]", people, path)
    return problems


def _context_references(case: Case, path: str, people: set[str]) -> list[Problem]:
    """Ids around the family (relationship lines, households, the ecomap, the chronology)
    that name nobody, and a relationship of one person with themself."""
    households = {h.id for h in case.households}
    problems: list[Problem] = []
    for i, r in enumerate(case.relationships):
        problems += _unknown(r.from_, f"relationships[{i}].from", people, path)
        problems += _unknown(r.to, f"relationships[{i}].to", people, path)
        if r.from_ == r.to:
            problems.append(
                Problem(path, f"relationships[{i}]",
                        f"a relationship needs two people, but both ends are '{r.to}' — "
                        "change 'from' or 'to'")
            )
    for i, h in enumerate(case.households):
        for j, pid in enumerate(h.members):
            problems += _unknown(pid, f"households[{i}].members[{j}]", people, path)
    for i, e in enumerate(case.ecomap):
        problems += _unknown(e.connected_to, f"ecomap[{i}].connected_to", people | households,
                             path, "person or household")
    for i, ev in enumerate(case.chronology):
        for j, pid in enumerate(ev.people):
            problems += _unknown(pid, f"chronology[{i}].people[{j}]", people, path)
    return problems


def reference_problems(case: Case, path: str) -> list[Problem]:
    """Every id that is duplicated or points at nobody, one problem each.

    >>> c = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")],
    ...          parents=[ParentLink(child="a", parents=["zed"])])
    >>> [str(p) for p in reference_problems(c, "c.yaml")]
    ["c.yaml: parents[0].parents[0]: no person has id 'zed' — add them under people, or fix the id"]
    """
    problems = [
        *_duplicate_ids(case.people, "people", path),
        *_duplicate_ids(case.unions, "unions", path),
        *_duplicate_ids(case.households, "households", path),
        *_duplicate_ids(case.ecomap, "ecomap", path),
        *_ids_shared_across_kinds(case, path),
    ]
    people = {p.id for p in case.people}
    problems += _family_references(case, path, people)
    problems += _context_references(case, path, people)
    return problems


def parse_case(data: Any, path: str | Path) -> Case:
    """Validate case data (already read from YAML); raise :class:`DataFileError` if wrong."""
    if not isinstance(data, dict):
        raise DataFileError([Problem(str(path), "", "a case file must be a set of 'name: value' "
                                     "fields — start from case_templates/blank.yaml")])
    case = parse_model(Case, data, path)
    problems = reference_problems(case, str(path))
    if not problems:
        # Imported here: the genogram package builds on this module.
        from systemic.genogram.validate import case_problems

        problems = case_problems(case, path)
    if problems:
        raise DataFileError(capped(problems, path))
    return case


def stored_case(data: Any, where: str = "session store") -> Case:
    """A case read back from the session store, checked for shape, ids and family structure.

    Unlike :func:`parse_case` it lets old date muddles through: an imported
    family tree often has some, and the genogram editor refuses only *new*
    problems, so the supervisor can still open and mend it.

    Raises
    ------
    DataFileError
        Unknown or repeated ids.
    ImpossibleFamily
        A structure no family can have (a cycle of parenthood, three birth parents).
    """
    case = parse_model(Case, data, where)
    problems = reference_problems(case, where)
    if problems:
        raise DataFileError(capped(problems, where))
    from systemic.errors import ImpossibleFamily
    from systemic.genogram.validate import family_issues

    structural = family_issues(case, dates=False)
    if structural:
        raise ImpossibleFamily(structural[0].message, people=structural[0].people)
    return case


def load_case(path: str | Path) -> Case:
    """Read and validate a case file.

    Raises
    ------
    DataFileError
        One problem per line, naming the file, the field and the fix.
    """
    return parse_case(read_yaml(path), path)


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema of a case file, for editors and for ``case_templates/schema.json``."""
    return Case.model_json_schema(by_alias=True)
