"""What each person is to the focal child, in the words a family uses.

A genogram is talked about as "Jayden's dad", "his Nan", "Mum's partner", not as
nodes and edges. This module walks the shortest line of links from the focal
child to each person (up to a parent, down to a child, across to a brother,
sister or partner) and names it with the words in ``kinship_terms.yaml``:
"Mum", "step-dad", "Nan", "half-sister", "cousin", "foster carer". A line the
file has no single word for is said step by step: "Nan's partner". Family lines
are preferred to care arrangements, and family who are also carers are named as
both: "Nan and special guardian".

>>> from systemic.cases import Case, Person, ParentLink
>>> case = Case(id="c", title="t", fictional=True, focal_child="jayden", people=[
...     Person(id="pat", name="Pat", sex="female"), Person(id="darren", name="Darren", sex="male"),
...     Person(id="jayden", name="Jayden Smith", sex="male")],
...     parents=[ParentLink(child="jayden", parents=["darren"]),
...              ParentLink(child="darren", parents=["pat"])])
>>> relation_to(case, "pat"), describe(case, "pat"), label_for(case, "darren")
('Nan', "Jayden's dad's mum", "Jayden's dad Darren")
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from systemic.cases import Case, Person
from systemic.datafile import load_model
from systemic.genogram.draw import initials  # one rule for initials, as the drawing shows them
from systemic.genogram.model import Genogram

__all__ = [
    "TERMS_FILE",
    "KinshipTerms",
    "kinship_terms",
    "relations",
    "relation_to",
    "describe",
    "label_for",
    "role_label",
    "initials",
    "age_on",
]

TERMS_FILE = Path(__file__).with_name("kinship_terms.yaml")

#: Lines longer than this are just "relative": nobody says "Nan's brother's son's wife".
MAX_STEPS = 4


# -- the words, as data ------------------------------------------------------------------


class Words(BaseModel):
    """A word by sex: ``female``/``male``/``other``, or one word for ``any``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    female: str | None = None
    male: str | None = None
    other: str | None = None
    any: str | None = None

    def for_sex(self, sex: str) -> str:
        if self.any is not None:
            return self.any
        word = {"female": self.female, "male": self.male}.get(sex) or self.other
        return word or self.female or self.male or ""


class Relation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Annotated[list[str], Field(min_length=1)]
    words: Words


_STEPS = (
    "parent", "birth_parent", "step_parent", "foster_parent", "guardian", "kinship_carer",
    "child", "step_child", "foster_child", "cared_for_child",
    "sibling", "twin", "half_sibling", "step_sibling", "foster_sibling",
    "spouse", "partner", "ex_partner",
)


class KinshipTerms(BaseModel):
    """The contents of ``kinship_terms.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: str
    steps: dict[str, Words]
    relations: list[Relation]
    self_: Words = Field(alias="self")
    and_: str = Field(alias="and")
    former: str
    outcomes: dict[str, str]
    pet: Words
    distant: Words
    unlinked: Words
    focal_role: Words
    adult_role: Words

    @field_validator("steps")
    @classmethod
    def _every_step_named(cls, steps: dict[str, Words]) -> dict[str, Words]:
        missing = [s for s in _STEPS if s not in steps]
        if missing:
            raise ValueError(f"words are missing for {', '.join(missing)} — add them")
        unknown = [s for s in steps if s not in _STEPS]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} is not a step we know — use one of "
                             f"{', '.join(_STEPS)}")
        return steps

    def match(self, path: tuple[str, ...]) -> Words | None:
        for relation in self.relations:
            if len(relation.path) == len(path) and all(
                step in pattern.split("|") for pattern, step in zip(relation.path, path,
                                                                    strict=True)
            ):
                return relation.words
        return None


@lru_cache(maxsize=4)
def kinship_terms(path: Path = TERMS_FILE) -> KinshipTerms:
    """The family words (read once). A broken file raises
    :class:`~systemic.errors.DataFileError` naming the field."""
    return load_model(KinshipTerms, path)


# -- walking the family ---------------------------------------------------------------------

_UP = {"birth": "parent", "adoptive": "parent", "step": "step_parent",
       "foster": "foster_parent", "special_guardianship": "guardian", "kinship": "kinship_carer"}
_DOWN = {"birth": "child", "adoptive": "child", "step": "step_child", "foster": "foster_child",
         "special_guardianship": "cared_for_child", "kinship": "cared_for_child"}
_UP_ORDER = ("adoptive", "birth", "special_guardianship", "kinship", "step", "foster")
_SIBLING = {"full": "sibling", "half": "half_sibling", "step": "step_sibling",
            "foster": "foster_sibling"}
_CURRENT_COUPLE = ("married", "civil_partnership", "widowed")
_PAST_COUPLE = ("separated", "divorced")


def _partner_step(g: Genogram, a: str, b: str) -> str:
    union = next(u for u in reversed(g.case.unions) if set(u.partners) == {a, b})
    if union.status in _PAST_COUPLE or (union.ended is not None and union.status != "widowed"):
        return "ex_partner"
    return "spouse" if union.status in _CURRENT_COUPLE else "partner"


def _neighbours(g: Genogram, pid: str) -> list[tuple[str, str]]:
    """``(step, person)`` pairs one step from ``pid``, the steps a family would name first."""
    out: list[tuple[str, str]] = []
    links = g.parent_links(pid)
    adopted = any(kind == "adoptive" for _, kind in links)
    for kind in _UP_ORDER:
        for parent, k in links:
            if k == kind:
                step = "birth_parent" if kind == "birth" and adopted else _UP[kind]
                out.append((step, parent))
    for sibling in g.siblings_of(pid):
        kind = _SIBLING[g.sibling_kind(pid, sibling) or "full"]
        if kind == "sibling" and any(pid in t.people and sibling in t.people
                                     for t in g.case.twins):
            kind = "twin"
        out.append((kind, sibling))
    for child in g.children_of(pid):
        kinds = {kind for parent, kind in g.parent_links(child) if parent == pid}
        kind = next((k for k in _UP_ORDER if k in kinds), "birth")
        out.append((_DOWN[kind], child))
    for partner in g.partners_of(pid):
        out.append((_partner_step(g, pid, partner), partner))
    return out


@dataclass(frozen=True)
class _Line:
    path: tuple[str, ...]
    via: tuple[str, ...]  # the people along the line, the focal child first


#: Steps that are care arrangements rather than family.
_CARE_STEPS = frozenset({"foster_parent", "guardian", "kinship_carer", "foster_child",
                         "cared_for_child", "foster_sibling"})


def _lines(g: Genogram, focal: str, *, family_only: bool = False) -> dict[str, _Line]:
    """The shortest line from ``focal`` to everyone linked, preferring nearer family;
    with ``family_only``, lines through care arrangements are not followed."""
    lines = {focal: _Line((), (focal,))}
    queue = deque([focal])
    while queue:
        pid = queue.popleft()
        line = lines[pid]
        if len(line.path) >= MAX_STEPS + 2:
            continue
        for step, other in _neighbours(g, pid):
            if family_only and step in _CARE_STEPS:
                continue
            if other not in lines:
                lines[other] = _Line((*line.path, step), (*line.via, other))
                queue.append(other)
    return lines


def _focal(case: Case, focal: str | None) -> str:
    g_focal = focal
    if g_focal is None:
        g_focal = case.focal_child or next((p.id for p in case.people if p.index), None)
    if g_focal is None:
        raise ValueError("this case has no focal child — set focal_child, or say whose "
                         "family words you want")
    if g_focal not in case.people_by_id:
        raise ValueError(f"no one in this case has the id {g_focal!r}")
    return g_focal


def _first_name(person: Person) -> str:
    return person.name.split()[0] if person.name.split() else person.name


def _lower_first(word: str) -> str:
    """'Mum' → 'mum' inside a phrase, but 'GP' stays 'GP'."""
    head = word.split(" ", 1)[0]
    if len(head) > 1 and head[1:].islower() or len(head) == 1:
        return word[:1].lower() + word[1:]
    return word


def _upper_first(word: str) -> str:
    return word[:1].upper() + word[1:]


_RECENT: list[tuple[Case, str, dict[str, str]]] = []


def relations(case: Case, focal: str | None = None) -> dict[str, str]:
    """What everyone in ``case`` is to ``focal`` (the focal child unless given), at once.

    A ``role`` written in the case file for the focal child wins over the links.
    Labelling a whole genogram costs one walk of the family: the last few answers
    are kept (cases are frozen, so an answer never goes stale).
    """
    focal = _focal(case, focal)
    for seen, seen_focal, answer in _RECENT:
        if seen is case and seen_focal == focal:
            return dict(answer)
    answer = _relations(case, focal)
    _RECENT.insert(0, (case, focal, answer))
    del _RECENT[8:]
    return dict(answer)


def _words_for_line(terms: KinshipTerms, people: dict[str, Person], line: _Line) -> str | None:
    """A whole line's word, or the longest named start of it said step by step
    ("Nan's partner"); ``None`` if not even the first step has a word."""
    for cut in range(len(line.path), 0, -1):
        words = terms.match(line.path[:cut])
        if words is None:
            continue
        text = words.for_sex(people[line.via[cut]].sex)
        for step, who in zip(line.path[cut:], line.via[cut + 1:], strict=True):
            text += "'s " + terms.steps[step].for_sex(people[who].sex)
        return text
    return None


def _best_line(terms: KinshipTerms, family: _Line | None, any_line: _Line | None) -> _Line | None:
    """Family lines win when the file has a word for them; otherwise the shortest line."""
    if family is not None and terms.match(family.path) is not None:
        return family
    if any_line is not None and family is not None and len(family.path) <= len(any_line.path):
        return family
    return any_line if any_line is not None else family


def _relations(case: Case, focal: str) -> dict[str, str]:
    terms = kinship_terms()
    g = Genogram.from_case(case)
    family_lines = _lines(g, focal, family_only=True)
    all_lines = _lines(g, focal)
    carers = {parent: _UP[kind] for parent, kind in g.parent_links(focal)
              if _UP[kind] in _CARE_STEPS}
    ended = {parent for link in case.parents if link.child == focal and link.kind != "birth"
             and getattr(link, "until", None) is not None for parent in link.parents}
    out: dict[str, str] = {}
    for person in case.people:
        pid = person.id
        line = _best_line(terms, family_lines.get(pid), all_lines.get(pid))
        if line is None:
            word = None
        elif not line.path:
            word = terms.self_.for_sex(person.sex)
        elif len(line.path) > MAX_STEPS:
            word = terms.distant.for_sex(person.sex)
        else:
            word = _words_for_line(terms, g.people, line)
            if word is not None and line.path[0] in _CARE_STEPS and line.via[1] in ended:
                word = terms.former + word
            elif word is not None and pid in carers and line.path != (carers[pid],):
                care = terms.steps[carers[pid]].for_sex(person.sex)
                word += terms.and_ + (terms.former + care if pid in ended else care)
        if person.role and focal == case.focal_child:
            word = person.role
        elif word is None:
            word = (terms.pet if person.kind == "pet" else terms.unlinked).for_sex(person.sex)
        elif person.kind in terms.outcomes and line is not None and line.path:
            word = f"{word} ({terms.outcomes[person.kind]})"
        out[pid] = word
    return out


def relation_to(case: Case, pid: str, focal: str | None = None) -> str:
    """What ``pid`` is to the focal child: "Mum", "step-dad", "Nan", "half-sister",
    "foster carer", "Mum's partner"…

    >>> from systemic.cases import Case, Person, ParentLink, Union
    >>> case = Case(id="c", title="t", fictional=True, focal_child="kai", people=[
    ...     Person(id="mia", name="Mia", sex="female"), Person(id="steve", name="Steve",
    ...     sex="male"), Person(id="kai", name="Kai")],
    ...     unions=[Union(id="u", partners=["mia", "steve"], status="cohabiting")],
    ...     parents=[ParentLink(child="kai", parents=["mia"])])
    >>> relation_to(case, "steve")
    "Mum's partner"
    """
    if pid not in case.people_by_id:
        raise KeyError(pid)
    return relations(case, focal)[pid]


def describe(case: Case, pid: str, focal: str | None = None) -> str:
    """The line from the focal child to ``pid`` in plain steps, telling maternal from
    paternal: "Jayden's mum's mum", "Jayden's dad's brother".

    >>> from systemic.cases import Case, Person, ParentLink
    >>> describe(Case(id="c", title="t", fictional=True, focal_child="k", people=[
    ...     Person(id="m", name="Mia", sex="female"), Person(id="k", name="Kai")],
    ...     parents=[ParentLink(child="k", parents=["m"])]), "m")
    "Kai's mum"
    """
    focal = _focal(case, focal)
    people = case.people_by_id
    if pid not in people:
        raise KeyError(pid)
    name = _first_name(people[focal])
    if pid == focal:
        return name
    terms = kinship_terms()
    line = _lines(Genogram.from_case(case), focal).get(pid)
    if line is None:
        return f"{people[pid].name} ({relations(case, focal)[pid]})"
    steps = [terms.steps[step].for_sex(people[who].sex)
             for step, who in zip(line.path, line.via[1:], strict=True)]
    return f"{name}'s " + "'s ".join(steps)


def label_for(case: Case, pid: str, focal: str | None = None) -> str:
    """A person's name with what they are to the focal child: "Jayden's dad Darren".

    >>> from systemic.cases import Case, Person
    >>> label_for(Case(id="c", title="t", fictional=True, focal_child="k", people=[
    ...     Person(id="k", name="Kai"), Person(id="ana", name="Ana", role="social worker")]),
    ...     "ana")
    "Kai's social worker Ana"
    """
    focal = _focal(case, focal)
    people = case.people_by_id
    if pid == focal:
        return people[pid].name
    term = relation_to(case, pid, focal)
    unlinked = kinship_terms().unlinked.for_sex(people[pid].sex)
    if term == unlinked:
        return f"{people[pid].name} ({term})"
    return f"{_first_name(people[focal])}'s {_lower_first(term)} {people[pid].name}"


# -- privacy mode ------------------------------------------------------------------------------


def age_on(person: Person, today: date) -> int | None:
    """Age in whole years on ``today`` (or at death); ``None`` if the birth date is unknown.

    >>> age_on(Person(id="k", name="Kai", born="2015-06-01"), date(2023, 5, 31))
    7
    """
    if person.born is None:
        return None
    end = today
    if person.has_died and person.died is None:
        return None
    if person.died is not None:
        end = min(today, date(person.died.year, person.died.month or 12, person.died.day or 28))
    born = person.born
    age = end.year - born.year
    if born.month is not None and (end.month, end.day) < (born.month, born.day or 1):
        age -= 1
    return age if age >= 0 else None


def role_label(case: Case, pid: str, focal: str | None = None, *,
               today: date | None = None) -> str:
    """A label with no name, for privacy mode: "Mum", "Child (8)", "Brother (12)", "Worker".

    Children (under 18 and alive) get their age, as practitioners write "Child (8)".

    >>> from systemic.cases import Case, Person, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, focal_child="k", people=[
    ...     Person(id="m", name="Mia", sex="female", born=1990),
    ...     Person(id="k", name="Kai", born=2015), Person(id="w", name="Ana", role="worker")],
    ...     parents=[ParentLink(child="k", parents=["m"])])
    >>> [role_label(case, p, today=date(2023, 9, 1)) for p in ("m", "k", "w")]
    ['Mum', 'Child (8)', 'Worker']
    """
    terms = kinship_terms()
    person = case.person(pid)
    today = today or date.today()
    try:
        focal_id = _focal(case, focal)
    except ValueError:
        focal_id = None
    if pid == focal_id:
        word = terms.focal_role.for_sex(person.sex)
    elif focal_id is not None:
        word = relation_to(case, pid, focal_id)
    else:
        word = person.role or ""
    age = age_on(person, today)
    child = person.kind == "person" and not person.has_died and age is not None and age < 18
    if not word:
        word = terms.focal_role.for_sex(person.sex) if child else terms.adult_role.for_sex(
            person.sex)
    word = _upper_first(word)
    return f"{word} ({age})" if child else word
