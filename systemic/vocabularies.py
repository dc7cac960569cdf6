"""Shared vocabularies: the social graces, concept cards, check-in prompts, relationship kinds.

Every framework draws on the same lists, and every list is data a team can
change (``frameworks/vocabularies/*.yaml``), each item marked with where it
comes from and how well that is supported: ``C`` confirmed by a retrieved
source, ``P`` partial or secondary, ``U`` unconfirmed (DOMAIN.md's marks).

Regenerate the committed ``*.schema.json`` files after changing the models with::

    .venv/bin/python -m systemic.vocabularies

>>> graces = load_graces()
>>> [g.label for g in graces.defaults()][:3]
['Gender', 'Geography', 'Race']
>>> graces.cell(visible=True, voiced=False).label
'Seen but not spoken about'
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from systemic.datafile import load_model
from systemic.frameworks import PLACEHOLDERS
from systemic.frameworks import placeholders as _placeholders
from systemic.paths import VOCABULARIES_DIR

__all__ = [
    "Confidence",
    "Grace",
    "VisibilityCell",
    "GracePrompt",
    "GracesVocabulary",
    "ConceptCard",
    "ConceptCards",
    "CheckinPrompt",
    "CheckinPrompts",
    "RelationshipKind",
    "RelationshipKinds",
    "GRACE_PLACEHOLDERS",
    "VOCABULARY_FILES",
    "load_graces",
    "load_concept_cards",
    "load_checkin_prompts",
    "load_relationship_kinds",
    "vocabulary_json_schemas",
    "write_vocabulary_json_schemas",
]

#: How well a claim is supported: confirmed, partial or unconfirmed (DOMAIN.md's marks).
Confidence = Literal["C", "P", "U"]

#: The names a reflective prompt about the graces may leave blank for the workbook to fill.
GRACE_PLACEHOLDERS = PLACEHOLDERS

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_]*$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
SourceText = Annotated[str, Field(min_length=1, max_length=600)]



class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique_ids(items: list[T], what: str) -> list[T]:
    """Refuse two entries with the same id: the workbook looks them up by it."""
    counts = Counter(item.id for item in items)
    twice = sorted(i for i, n in counts.items() if n > 1)
    if twice:
        raise ValueError(
            f'the {what} id "{twice[0]}" is used more than once — give each its own id'
        )
    return items


def _by_id(items: list[T], item_id: str, what: str) -> T:
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(i.id for i in items)
    raise KeyError(f'no {what} called "{item_id}" — the {what}s are: {known}')


class Grace(_Model):
    """One aspect of identity and difference that carries power."""

    id: Id
    label: Name
    letter: Annotated[str, Field(pattern=r"^[A-Z]$")] | None = Field(
        default=None, description="Its letter in the acronym; null for local additions"
    )
    description: Text
    default: bool = Field(description="Shown from the start (the usual list)")
    also: list[Id] = Field(
        default=[],
        description="Ids of near-same words folded into this grace: entries and case files "
        "that use them are read as this grace",
    )
    word: Text | None = Field(
        default=None,
        description="Why this word is used rather than the near-same words in `also`",
    )
    source: SourceText
    confidence: Confidence


def _stem(label: str) -> str:
    """The first word of a label, folded and cut to five letters: near-same words share it."""
    words = label.casefold().split()
    return words[0][:5] if words else ""


class VisibilityCell(_Model):
    """One of Burnham's four cells: visible or not, voiced or not."""

    id: Id
    visible: bool
    voiced: bool
    label: Name
    description: Text
    example: Text
    source: SourceText
    confidence: Confidence


class GracePrompt(_Model):
    """A reflective question about the graces, with ``{family_member}`` / ``{child}`` blanks."""

    id: Id
    text: Text
    source: SourceText
    confidence: Confidence

    @field_validator("text")
    @classmethod
    def _known_placeholders(cls, text: str) -> str:
        unknown = sorted(set(_placeholders(text)) - set(GRACE_PLACEHOLDERS))
        if unknown:
            raise ValueError(
                f'{{{unknown[0]}}} is not a blank the workbook can fill — '
                f'use {{family_member}} or {{child}}'
            )
        return text

    def placeholders(self) -> list[str]:
        """The blanks in this prompt, in order.

        >>> GracePrompt(id="p", text="Where do you hold more power than {family_member}?",
        ...     source="x", confidence="C").placeholders()
        ['family_member']
        """
        return _placeholders(self.text)


class GracesVocabulary(_Model):
    """The configurable Social GRRAACCEESS list, its four cells and reflective prompts."""

    source: SourceText
    notes: list[Text] = []
    graces: Annotated[list[Grace], Field(min_length=1)]
    visibility_cells: Annotated[list[VisibilityCell], Field(min_length=4, max_length=4)]
    reflective_prompts: list[GracePrompt] = []

    @field_validator("graces")
    @classmethod
    def _graces_unique(cls, graces: list[Grace]) -> list[Grace]:
        _unique_ids(graces, "grace")
        ids = {g.id for g in graces}
        folded: dict[str, str] = {}
        for grace in graces:
            for other in grace.also:
                if other in ids or folded.setdefault(other, grace.id) != grace.id:
                    raise ValueError(
                        f'"{other}" is folded into {grace.id} but is also a grace of its own '
                        f"or folded elsewhere — keep it in one place"
                    )
        stems: dict[str, str] = {}
        for grace in graces:
            first = stems.setdefault(_stem(grace.label), grace.label)
            if first != grace.label:
                raise ValueError(
                    f'"{grace.label}" is close to "{first}" — keep one grace, list the other '
                    f"word's id under `also` and say why in `word`"
                )
        return graces

    @field_validator("visibility_cells")
    @classmethod
    def _one_cell_each(cls, cells: list[VisibilityCell]) -> list[VisibilityCell]:
        _unique_ids(cells, "cell")
        if len({(c.visible, c.voiced) for c in cells}) != 4:
            raise ValueError(
                "the four cells must be visible/voiced, visible/unvoiced, invisible/voiced "
                "and invisible/unvoiced, one each"
            )
        return cells

    @field_validator("reflective_prompts")
    @classmethod
    def _prompts_unique(cls, prompts: list[GracePrompt]) -> list[GracePrompt]:
        return _unique_ids(prompts, "prompt")

    def defaults(self) -> list[Grace]:
        """The graces shown from the start."""
        return [g for g in self.graces if g.default]

    def extras(self) -> list[Grace]:
        """The graces a group can add when they matter to a family."""
        return [g for g in self.graces if not g.default]

    def get(self, grace_id: str) -> Grace:
        """The grace with this id, or the grace it is folded into (``KeyError`` naming the ids
        there are)."""
        return _by_id(self.graces, self.canonical(grace_id), "grace")

    def canonical(self, grace_id: str) -> str:
        """The id the workbook uses for ``grace_id``: itself, or the grace it is folded into.

        >>> load_graces().canonical("sexual_orientation"), load_graces().canonical("age")
        ('sexuality', 'age')
        """
        for grace in self.graces:
            if grace_id in grace.also:
                return grace.id
        return grace_id

    def cell(self, visible: bool, voiced: bool) -> VisibilityCell:
        """The cell for a grace that is (in)visible and (un)voiced."""
        return next(c for c in self.visibility_cells if (c.visible, c.voiced) == (visible, voiced))


class ConceptCard(_Model):
    """A systemic idea with a one-line plain definition, for the card deck."""

    id: Id
    concept: Name
    definition: Text
    source: SourceText
    confidence: Confidence


class ConceptCards(_Model):
    """The deck of systemic concept cards."""

    source: SourceText
    cards: Annotated[list[ConceptCard], Field(min_length=1)]

    @field_validator("cards")
    @classmethod
    def _cards_unique(cls, cards: list[ConceptCard]) -> list[ConceptCard]:
        return _unique_ids(cards, "card")

    def get(self, card_id: str) -> ConceptCard:
        """The card with this id (``KeyError`` naming the ids there are)."""
        return _by_id(self.cards, card_id, "card")


class CheckinPrompt(_Model):
    """A question for the opening or closing round."""

    id: Id
    kind: Literal["check_in", "check_out"]
    text: Text
    source: SourceText
    confidence: Confidence


class CheckinPrompts(_Model):
    """Generic check-in and check-out prompts, the round's guidelines and its privacy rule."""

    source: SourceText
    guidelines: list[Text] = []
    privacy: Text
    prompts: Annotated[list[CheckinPrompt], Field(min_length=1)]

    @field_validator("prompts")
    @classmethod
    def _prompts_unique(cls, prompts: list[CheckinPrompt]) -> list[CheckinPrompt]:
        return _unique_ids(prompts, "prompt")

    def check_in(self) -> list[CheckinPrompt]:
        """Prompts for the opening round."""
        return [p for p in self.prompts if p.kind == "check_in"]

    def check_out(self) -> list[CheckinPrompt]:
        """Prompts for the closing round."""
        return [p for p in self.prompts if p.kind == "check_out"]


class RelationshipKind(_Model):
    """An emotional relationship line on the genogram and how it is drawn."""

    id: Id
    label: Name
    directed: bool
    glyph: Text
    source: SourceText
    confidence: Confidence


class RelationshipKinds(_Model):
    """The emotional relationship kinds (``relationships.yaml``)."""

    source: SourceText
    kinds: Annotated[list[RelationshipKind], Field(min_length=1)]

    @field_validator("kinds")
    @classmethod
    def _kinds_unique(cls, kinds: list[RelationshipKind]) -> list[RelationshipKind]:
        return _unique_ids(kinds, "relationship kind")

    def get(self, kind_id: str) -> RelationshipKind:
        """The kind with this id (``KeyError`` naming the ids there are)."""
        return _by_id(self.kinds, kind_id, "relationship kind")

    def ids(self) -> list[str]:
        """The kind ids, in file order."""
        return [k.id for k in self.kinds]


#: Each vocabulary file and the model it holds.
VOCABULARY_FILES: dict[str, type[BaseModel]] = {
    "graces.yaml": GracesVocabulary,
    "concept_cards.yaml": ConceptCards,
    "checkin_prompts.yaml": CheckinPrompts,
    "relationships.yaml": RelationshipKinds,
}


def _path(path: str | Path | None, name: str) -> Path:
    return Path(path) if path is not None else VOCABULARIES_DIR / name


def load_graces(path: str | Path | None = None) -> GracesVocabulary:
    """Read the Social GRRAACCEESS list (default ``frameworks/vocabularies/graces.yaml``).

    Raises
    ------
    DataFileError
        One problem per line, naming the file, the field and the fix.
    """
    return load_model(GracesVocabulary, _path(path, "graces.yaml"))


def load_concept_cards(path: str | Path | None = None) -> ConceptCards:
    """Read the concept card deck (default ``frameworks/vocabularies/concept_cards.yaml``)."""
    return load_model(ConceptCards, _path(path, "concept_cards.yaml"))


def load_checkin_prompts(path: str | Path | None = None) -> CheckinPrompts:
    """Read the generic check-in and check-out prompts (``checkin_prompts.yaml``)."""
    return load_model(CheckinPrompts, _path(path, "checkin_prompts.yaml"))


def load_relationship_kinds(path: str | Path | None = None) -> RelationshipKinds:
    """Read the genogram's emotional relationship kinds (``relationships.yaml``)."""
    return load_model(RelationshipKinds, _path(path, "relationships.yaml"))


def vocabulary_json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each vocabulary, keyed by the schema file name it is committed as.

    >>> sorted(vocabulary_json_schemas())[0]
    'checkin_prompts.schema.json'
    """
    out = {}
    for name, model in VOCABULARY_FILES.items():
        schema = model.model_json_schema()
        out[name.removesuffix(".yaml") + ".schema.json"] = schema
    return out


def write_vocabulary_json_schemas(directory: str | Path = VOCABULARIES_DIR) -> list[Path]:
    """Write every vocabulary's ``*.schema.json`` into ``directory``; return the paths."""
    paths = []
    for name, schema in vocabulary_json_schemas().items():
        path = Path(directory) / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_vocabulary_json_schemas():
        print(written)
