"""The jargon check: professional terms and acronyms, each with a kinder plain alternative.

Children may read their records one day, so the note for the child's file
should be written in words they could follow (DOMAIN.md §7.9). The list is
data (``frameworks/vocabularies/jargon.yaml``), each term with a suggestion
and a source; this module only finds the terms in a text. Acronyms match with
their exact capitalisation ("CP", not "cp"); other terms match whatever the
case, as whole words.

>>> [(f.term, f.suggestion) for f in jargon_findings("Respite was arranged.")]
[('respite', '"a short break" or "a sleepover"')]
>>> jargon_findings("We will contact the school.")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from systemic.datafile import load_model_once
from systemic.paths import VOCABULARIES_DIR

__all__ = ["JargonTerm", "JargonList", "Finding", "load_jargon", "jargon_findings"]

_Text = Annotated[str, Field(min_length=1, max_length=600)]
_Word = Annotated[str, Field(min_length=1, max_length=40)]


class JargonTerm(BaseModel):
    """One term or acronym to flag, with how to say it instead and where that comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_]*$")]
    term: _Text
    forms: list[_Text] = Field(
        default_factory=list, description="Spellings to look for; the term itself when empty"
    )
    acronym: bool = False
    unless_before: list[_Word] = Field(
        default_factory=list, description="A word just before that means the everyday sense"
    )
    unless_after: list[_Word] = Field(
        default_factory=list, description="A word just after that means the everyday sense"
    )
    suggestion: _Text
    source: _Text
    confidence: Literal["C", "P", "U"]

    @model_validator(mode="after")
    def _acronyms_are_capitals(self) -> JargonTerm:
        if self.acronym:
            for form in self.spellings():
                if not re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s?", form):
                    raise ValueError(
                        f'"{form}" is marked as an acronym but is not written in capitals — '
                        "write it as it appears (like CAMHS), or set acronym: false"
                    )
        return self

    def spellings(self) -> list[str]:
        """The forms to look for (the term itself when no forms are given)."""
        return self.forms or [self.term]


class JargonList(BaseModel):
    """The whole jargon list (``jargon.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: _Text
    terms: Annotated[list[JargonTerm], Field(min_length=1)]

    @field_validator("terms")
    @classmethod
    def _unique(cls, terms: list[JargonTerm]) -> list[JargonTerm]:
        seen: set[str] = set()
        for t in terms:
            if t.id in seen:
                raise ValueError(f'the term id "{t.id}" is used more than once — give each its own')
            seen.add(t.id)
        return terms

    def get(self, term_id: str) -> JargonTerm:
        """The term with this id (``KeyError`` when there is none)."""
        for t in self.terms:
            if t.id == term_id:
                return t
        raise KeyError(f'no jargon term called "{term_id}"')


@dataclass(frozen=True)
class Finding:
    """One place in a text where a term was found, and what to write instead.

    ``start`` and ``end`` index the text as Python slices do; ``text`` is
    what was written there.
    """

    term: str
    start: int
    end: int
    suggestion: str
    text: str = ""
    term_id: str = ""


def _pattern(form: str) -> str:
    """A form as a regular expression: spaces and hyphens may be written either way."""
    words = re.split(r"\s+", form.strip())
    parts = []
    for word in words:
        pieces = [re.escape(p) for p in word.split("-")]
        parts.append(r"[\s\-]?".join(pieces))
    return r"[\s\-]+".join(parts)


@dataclass(frozen=True)
class _Compiled:
    term: JargonTerm
    regex: re.Pattern[str]
    unless_before: frozenset[str]
    unless_after: frozenset[str]


# Compiled patterns per list object (lists hold lists, so they cannot be hashed); bounded.
_COMPILED: dict[int, tuple[JargonList, tuple[_Compiled, ...]]] = {}


def _compile(jargon: JargonList) -> tuple[_Compiled, ...]:
    held = _COMPILED.get(id(jargon))
    if held is not None and held[0] is jargon:
        return held[1]
    if len(_COMPILED) >= 16:
        _COMPILED.clear()
    out = []
    for term in jargon.terms:
        body = "|".join(_pattern(f) for f in sorted(term.spellings(), key=len, reverse=True))
        flags = 0 if term.acronym else re.IGNORECASE
        out.append(
            _Compiled(
                term,
                re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags),
                frozenset(w.casefold() for w in term.unless_before),
                frozenset(w.casefold() for w in term.unless_after),
            )
        )
    _COMPILED[id(jargon)] = (jargon, tuple(out))
    return tuple(out)


_WORD_BEFORE = re.compile(r"([\w']+)\W*$")
_WORD_AFTER = re.compile(r"^\W*([\w']+)")


def _everyday_sense(c: _Compiled, text: str, start: int, end: int) -> bool:
    if c.unless_before:
        m = _WORD_BEFORE.search(text[max(0, start - 40) : start])
        if m and m.group(1).casefold() in c.unless_before:
            return True
    if c.unless_after:
        m = _WORD_AFTER.search(text[end : end + 40])
        if m and m.group(1).casefold() in c.unless_after:
            return True
    return False


def load_jargon(path: str | Path | None = None) -> JargonList:
    """Read the jargon list (default ``frameworks/vocabularies/jargon.yaml``).

    Raises
    ------
    DataFileError
        One problem per line, naming the file, the field and the fix.
    """
    return load_model_once(JargonList, path, VOCABULARIES_DIR / "jargon.yaml")


def jargon_findings(text: str, jargon: JargonList | None = None) -> list[Finding]:
    """Every jargon term in ``text``, in reading order.

    Where two terms overlap ("placement breakdown" and "placement"), the
    longer one is kept.

    Examples
    --------
    >>> [f.text for f in jargon_findings("On the CP plan; cp is not flagged. Non engagement.")]
    ['CP', 'Non engagement']
    >>> f = jargon_findings("Her placement broke down.")[0]
    >>> (f.term, f.start, f.end)
    ('placement breakdown', 4, 24)
    """
    if not text:
        return []
    found: list[Finding] = []
    for c in _compile(jargon or load_jargon()):
        for m in c.regex.finditer(text):
            if _everyday_sense(c, text, m.start(), m.end()):
                continue
            found.append(
                Finding(c.term.term, m.start(), m.end(), c.term.suggestion, m.group(0), c.term.id)
            )
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept
