"""Theme tags on case discussions, and the list of themes the team view may show.

A group tags a case discussion with the themes it touched ("separation", "grief").
The team manager's view counts them across sessions, but shows only themes from
``themes.yaml``: a tag in the group's own words is counted as "the group's own
words" and never shown as typed, because free text could name a family.

>>> theme_for("Grief") == theme_for("bereavement") == "grief_and_loss"
True
>>> theme_for("The Smith family's row")
'other'
>>> load_themes().label("grief_and_loss")
'Grief and loss'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from systemic import records
from systemic.datafile import load_model_once
from systemic.errors import WorkbookError
from systemic.store import Store

__all__ = [
    "THEMES_PATH",
    "RECORD_KIND",
    "OTHER",
    "Theme",
    "ThemesVocabulary",
    "ThemeTag",
    "load_themes",
    "theme_for",
    "save_tag",
    "load_tags",
]

THEMES_PATH = Path(__file__).with_name("themes.yaml")

#: The store's record kind for theme tags.
RECORD_KIND = "tag"

#: The theme id of every tag whose words are not on the list.
OTHER = "other"

_Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
_Words = Annotated[str, Field(min_length=1, max_length=120)]


def _fold(text: str) -> str:
    return " ".join(str(text).replace("\u2019", "'").casefold().split())


class Theme(BaseModel):
    """One theme: its id, its plain label and the other words people use for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: _Id
    label: _Words
    words: list[_Words] = []
    source: Annotated[str, Field(min_length=1, max_length=600)]


class ThemesVocabulary(BaseModel):
    """The whole ``themes.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(min_length=1, max_length=1000)]
    other_label: _Words
    themes: Annotated[list[Theme], Field(min_length=1)]

    @field_validator("themes")
    @classmethod
    def _each_word_once(cls, themes: list[Theme]) -> list[Theme]:
        seen: dict[str, str] = {}
        for theme in themes:
            if theme.id == OTHER:
                raise ValueError(f"'{OTHER}' is kept for the group's own words — choose another id")
            for word in [theme.id, theme.label, *theme.words]:
                key = _fold(word)
                if seen.setdefault(key, theme.id) != theme.id:
                    raise ValueError(
                        f"'{word}' belongs to both {seen[key]} and {theme.id} — keep it in one"
                    )
        return themes

    def lookup(self) -> dict[str, str]:
        """Every way of writing a theme (folded to lower case) → its id."""
        out: dict[str, str] = {}
        for theme in self.themes:
            for word in [theme.id, theme.label, *theme.words]:
                out[_fold(word)] = theme.id
        return out

    def label(self, theme_id: str) -> str:
        """A theme's label; the label of the group's own words for anything else."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme.label
        return self.other_label

    def labels(self) -> dict[str, str]:
        """Theme id → label, in the file's order, ending with the group's own words."""
        return {**{t.id: t.label for t in self.themes}, OTHER: self.other_label}


def load_themes(path: str | Path | None = None) -> ThemesVocabulary:
    """Read ``systemic/team/themes.yaml`` (or a team's own copy), once.

    Raises
    ------
    DataFileError
        Naming the file, the field and the fix.
    """
    return load_model_once(ThemesVocabulary, path, THEMES_PATH)


@cache
def _lookup(path: Path) -> dict[str, str]:
    return load_themes(path).lookup()


def theme_for(text: str, path: str | Path | None = None) -> str:
    """The theme id a tag's words name, or :data:`OTHER`.

    >>> theme_for("  Child’s   voice "), theme_for("")
    ('childs_voice', 'other')
    """
    return _lookup(Path(path) if path is not None else THEMES_PATH).get(_fold(text), OTHER)


class ThemeTag(BaseModel):
    """A theme tag on a case discussion: the theme's id, label or words, as chosen.

    >>> ThemeTag(text="grief").theme
    'grief_and_loss'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    text: Annotated[str, Field(min_length=1, max_length=120)]

    @property
    def theme(self) -> str:
        return theme_for(self.text)


def save_tag(store: Store, discussion_id: str, text: str) -> ThemeTag:
    """Tag a case discussion with a theme; return the saved tag.

    Raises
    ------
    WorkbookError
        If the text is empty or longer than a few words.
    """
    words = text.strip() if isinstance(text, str) else ""
    if not words or len(words) > 120:
        raise WorkbookError(
            "A theme is a word or a few words, like 'grief' or 'two homes' — write one."
        )
    return records.save(store, discussion_id, RECORD_KIND, ThemeTag(text=words))


def load_tags(store: Store, discussion_id: str) -> list[ThemeTag]:
    """A discussion's theme tags, oldest first."""
    return records.load(store, discussion_id, RECORD_KIND, ThemeTag)
