"""The workshop's data files: the checks' wording, the vignettes and the lineal questions.

All three live beside this module as YAML with a ``source``; each is read once and
checked, so that a mistake in a file is one line naming the file, the field and the fix.
A sentence may only use the blanks its check fills (``{name}``, ``{count}``…).

>>> load_wording().genogram.statuses["separated"]
'separated'
>>> [v.id for v in load_vignettes()][:1]
['maya_two_homes']
>>> load_lineal_questions()[0].text
'Why is Maya crying on Monday mornings?'
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from systemic.cases import PARENT_KINDS, PERSON_KINDS, SEXES, UNION_STATUSES, Case, load_case
from systemic.datafile import load_model_once
from systemic.errors import WorkbookError
from systemic.paths import CASES_DIR
from systemic.questions.bank import TOMM_TYPES

__all__ = [
    "WORDING_PATH",
    "VIGNETTES_PATH",
    "QUESTIONS_PATH",
    "GenogramWording",
    "CircularWording",
    "PairsWording",
    "HypothesesWording",
    "MoveWording",
    "CircularityWording",
    "WorkshopWording",
    "Vignette",
    "LinealQuestion",
    "load_wording",
    "load_vignettes",
    "get_vignette",
    "load_lineal_questions",
    "training_case",
]

HERE = Path(__file__).resolve().parent
WORDING_PATH = HERE / "wording.yaml"
VIGNETTES_PATH = HERE / "vignettes.yaml"
QUESTIONS_PATH = HERE / "lineal_questions.yaml"

Sentence = Annotated[str, Field(min_length=1, max_length=600)]
Word = Annotated[str, Field(min_length=1, max_length=80)]


def _blanks(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise ValueError(f'"{text[:40]}…" has an unmatched {{ or }}') from None


class _Section(BaseModel):
    """A section of ``wording.yaml``; ``BLANKS`` says which blanks each sentence may use."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    BLANKS: ClassVar[dict[str, set[str]]] = {}

    @model_validator(mode="after")
    def _known_blanks(self) -> _Section:
        for field, allowed in self.BLANKS.items():
            value = getattr(self, field)
            texts = value.values() if isinstance(value, dict) else [value]
            for text in texts:
                unknown = sorted(_blanks(text) - allowed)
                if unknown:
                    shown = ", ".join("{" + b + "}" for b in sorted(allowed)) or "none"
                    raise ValueError(
                        f"{field}: {{{unknown[0]}}} is not a blank this check fills — "
                        f"use {shown}"
                    )
        return self


class GenogramWording(_Section):
    """What the vignette check says (``genogram:``)."""

    BLANKS: ClassVar[dict[str, set[str]]] = {
        "nothing_drawn": set(),
        "summary": {"people_right", "people", "links_right", "links"},
        "all_right": set(),
        "person_right": {"name"}, "person_missing": {"name"}, "person_extra": {"name"},
        "person_extra_close": {"name", "answer"}, "person_twice": {"name"},
        "sex": {"name", "drawn", "answer"}, "born": {"name", "drawn", "answer"},
        "died_missing": {"name"}, "died_extra": {"name"}, "kind": {"name", "drawn", "answer"},
        "couple_right": {"a", "b", "status"}, "couple_missing": {"a", "b"},
        "couple_status": {"a", "b", "drawn", "answer"}, "couple_extra": {"a", "b"},
        "parent_right": {"parent", "child", "kind"}, "parent_missing": {"parent", "child", "kind"},
        "parent_kind": {"parent", "child", "drawn", "answer"},
        "parent_extra": {"parent", "child", "kind"},
        "twins_right": {"names"}, "twins_missing": {"names"}, "twins_extra": {"names"},
        "relationship_right": {"a", "b", "kind"}, "relationship_missing": {"a", "b", "kind"},
        "relationship_kind": {"a", "b", "drawn", "answer"},
        "relationship_extra": {"a", "b", "kind"},
    }

    nothing_drawn: Sentence
    summary: Sentence
    all_right: Sentence
    person_right: Sentence
    person_missing: Sentence
    person_extra: Sentence
    person_extra_close: Sentence
    person_twice: Sentence
    sex: Sentence
    born: Sentence
    died_missing: Sentence
    died_extra: Sentence
    kind: Sentence
    couple_right: Sentence
    couple_missing: Sentence
    couple_status: Sentence
    couple_extra: Sentence
    parent_right: Sentence
    parent_missing: Sentence
    parent_kind: Sentence
    parent_extra: Sentence
    twins_right: Sentence
    twins_missing: Sentence
    twins_extra: Sentence
    relationship_right: Sentence
    relationship_missing: Sentence
    relationship_kind: Sentence
    relationship_extra: Sentence
    sexes: dict[Literal[SEXES], Word]  # type: ignore[valid-type]
    kinds: dict[Literal[PERSON_KINDS], Word]  # type: ignore[valid-type]
    statuses: dict[Literal[UNION_STATUSES], Word]  # type: ignore[valid-type]
    parent_kinds: dict[Literal[PARENT_KINDS], Word]  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _every_word(self) -> GenogramWording:
        for field, needed in (("sexes", SEXES), ("kinds", PERSON_KINDS),
                              ("statuses", UNION_STATUSES), ("parent_kinds", PARENT_KINDS)):
            missing = [k for k in needed if k not in getattr(self, field)]
            if missing:
                raise ValueError(f"{field}: give the words for '{missing[0]}' too")
        return self


class CircularWording(_Section):
    """What the lineal-to-circular check says (``circular_questions:``)."""

    BLANKS: ClassVar[dict[str, set[str]]] = {
        "empty": set(), "unchanged": set(), "verdicts": {"why", "tip"},
        "no_reason": set(), "progress": {"done", "total"}, "done": set(),
    }

    passing_types: Annotated[list[Literal[TOMM_TYPES]], Field(min_length=1)]  # type: ignore[valid-type]
    empty: Sentence
    unchanged: Sentence
    verdicts: dict[Literal[TOMM_TYPES], Sentence]  # type: ignore[valid-type]
    no_reason: Sentence
    progress: Sentence
    done: Sentence

    @model_validator(mode="after")
    def _every_type(self) -> CircularWording:
        missing = [t for t in TOMM_TYPES if t not in self.verdicts]
        if missing:
            raise ValueError(f"verdicts: say what the check tells a {missing[0]} question")
        return self


class PairsWording(_Section):
    """What the GRRAACCEESS self-map check says (``graces_pairs:``)."""

    BLANKS: ClassVar[dict[str, set[str]]] = {
        "mapped": {"who", "count", "graces"}, "mapped_none": {"who"}, "both": {"graces"},
        "only": {"who", "graces"}, "same_places": set(), "not_yet": {"minimum"},
        "done": set(), "names_needed": set(), "same_names": {"who"},
        "unknown_partner": {"who", "first", "second"}, "unknown_grace": {"grace"},
        "private": set(),
    }

    minimum: Annotated[int, Field(ge=1, le=15)]
    mapped: Sentence
    mapped_none: Sentence
    both: Sentence
    only: Sentence
    same_places: Sentence
    not_yet: Sentence
    done: Sentence
    names_needed: Sentence
    same_names: Sentence
    unknown_partner: Sentence
    unknown_grace: Sentence
    private: Sentence


class HypothesesWording(_Section):
    """What the three-hypotheses check says (``three_hypotheses:``)."""

    BLANKS: ClassVar[dict[str, set[str]]] = {
        "empty": set(), "same_as": {"number"}, "passed": set(), "not_yet": {"remarks"},
        "progress": {"passed", "needed", "written"}, "done": set(), "no_such": {"number"},
    }

    needed: Annotated[int, Field(ge=1, le=10)]
    must_be_quiet: Annotated[list[Word], Field(min_length=1)]
    counted_by_the_exercise: list[Word] = []
    empty: Sentence
    same_as: Sentence
    passed: Sentence
    not_yet: Sentence
    progress: Sentence
    done: Sentence
    no_such: Sentence


class MoveWording(_Section):
    """What the safe-uncertainty move check says (``uncertainty_move:``)."""

    BLANKS: ClassVar[dict[str, set[str]]] = {
        "not_placed": {"label"}, "same_place": {"label", "position"},
        "no_reason": {"label"}, "short_reason": {"minimum"},
        "argued": {"label", "before", "after", "reason"}, "unknown_person": {"who"},
        "unknown_position": {"position"}, "progress": {"argued", "placed"}, "done": set(),
    }

    min_reason_words: Annotated[int, Field(ge=1, le=20)]
    not_placed: Sentence
    same_place: Sentence
    no_reason: Sentence
    short_reason: Sentence
    argued: Sentence
    unknown_person: Sentence
    unknown_position: Sentence
    progress: Sentence
    done: Sentence


class CircularityWording(_Section):
    """What the circularity exercise's check says (``circularity:``)."""

    BLANKS: ClassVar[dict[str, set[str]]] = {
        "first": {"who"}, "linked": {"who", "previous"}, "not_linked": {"who", "previous"},
        "passed": {"who"}, "summary": {"ideas", "speakers", "linked", "linkable", "passes"},
        "not_heard": {"names"}, "done": set(),
    }

    min_shared_words: Annotated[int, Field(ge=1, le=10)]
    linking_phrases: list[Word]
    common_words: list[Word]
    first: Sentence
    linked: Sentence
    not_linked: Sentence
    passed: Sentence
    summary: Sentence
    not_heard: Sentence
    done: Sentence


class WorkshopWording(BaseModel):
    """The whole ``wording.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(min_length=1)]
    genogram: GenogramWording
    circular_questions: CircularWording
    graces_pairs: PairsWording
    three_hypotheses: HypothesesWording
    uncertainty_move: MoveWording
    circularity: CircularityWording


LinkKind = Literal["couples", "parents", "twins", "relationships"]


class Vignette(BaseModel):
    """A written account of part of a training case, and which lines the check looks at."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    case: Annotated[str, Field(min_length=1, max_length=64)]
    title: Sentence
    minutes: Annotated[int, Field(ge=1, le=120)]
    people: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    check: Annotated[list[LinkKind], Field(min_length=1)]
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    source: Sentence


class _Vignettes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(min_length=1)]
    vignettes: Annotated[list[Vignette], Field(min_length=1)]


class LinealQuestion(BaseModel):
    """A lineal question about a training case, and one circular way of asking it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case: Annotated[str, Field(min_length=1, max_length=64)]
    text: Annotated[str, Field(min_length=3, max_length=400)]
    example: Annotated[str, Field(min_length=3, max_length=600)]


class _Questions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(min_length=1)]
    questions: Annotated[list[LinealQuestion], Field(min_length=1)]


def load_wording(path: str | Path | None = None) -> WorkshopWording:
    """Read ``systemic/workshop/wording.yaml`` (or another copy), once.

    Raises
    ------
    DataFileError
        Naming the file, the field and the fix.
    """
    return load_model_once(WorkshopWording, path, WORDING_PATH)


def load_vignettes(path: str | Path | None = None) -> list[Vignette]:
    """The vignettes of ``vignettes.yaml``, in the file's order."""
    return list(load_model_once(_Vignettes, path, VIGNETTES_PATH).vignettes)


def get_vignette(vignette_id: str | None = None) -> Vignette:
    """The vignette with this id (the first one when none is given).

    Raises
    ------
    WorkbookError
        Naming the vignettes there are.
    """
    vignettes = load_vignettes()
    if vignette_id is None:
        return vignettes[0]
    for v in vignettes:
        if v.id == vignette_id:
            return v
    raise WorkbookError(
        f"There is no vignette '{vignette_id}' — choose one of: "
        + ", ".join(v.id for v in vignettes) + "."
    )


def load_lineal_questions(
    case: str | None = None, path: str | Path | None = None
) -> list[LinealQuestion]:
    """The lineal questions to rewrite, all of them or those about one training case."""
    questions = load_model_once(_Questions, path, QUESTIONS_PATH).questions
    return [q for q in questions if case is None or q.case == case]


@cache
def training_case(case_id: str) -> Case:
    """A fictional training case from ``case_templates/``, read once.

    Raises
    ------
    WorkbookError
        When there is no such case, or it is not marked fictional.
    """
    path = CASES_DIR / f"{case_id}.yaml"
    if not path.is_file():
        raise WorkbookError(
            f"There is no training case '{case_id}' in {CASES_DIR} — check the case id."
        )
    case = load_case(path)
    if not case.fictional:
        raise WorkbookError(
            f"{path.name} is not marked fictional — workshop exercises use training cases only."
        )
    return case
