"""What the layout measures: symbol sizes, label text and sizes, gaps between boxes.

Every step of the layout reads these same measures, so no step measures a name
differently from another; widths come from a fixed width per character, so the
drawing's boxes never depend on the fonts of whoever views it. The dates written on
couples' lines and the words for gender identity come from ``notation.yaml``.

>>> from systemic.cases import Person
>>> measure_label(Person(id="a", name="Amy", born=2015))
(('Amy', 'b. 2015'), 1, 50.2, 28.0)
>>> symbol_size(Person(id="a", name="Amy")), GAP
(40.0, 16.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from systemic.cases import Person
from systemic.datafile import read_yaml
from systemic.errors import DataFileError, Problem

#: Symbols, line patterns, colours and date words, by notation profile.
NOTATION_FILE = Path(__file__).resolve().parent.parent / "notation.yaml"

# -- sizes (SVG user units) --------------------------------------------------------------
#: Side of a person's square (or diameter of their circle).
SYMBOL_SIZE = 40.0
#: Pregnancies, miscarriages, terminations and stillbirths are drawn small.
SMALL_SYMBOL_SIZE = 22.0
PET_SYMBOL_SIZE = 28.0
#: How far the index person's second outline sits outside the first.
INDEX_RING = 5.0
#: Fixed widths per character, so that boxes do not depend on the viewer's fonts:
#: generous for the usual sans-serif system fonts at 12 px (names) and 11 px.
NAME_CHAR_WIDTH = 7.4
SMALL_CHAR_WIDTH = 6.6
NAME_FONT_SIZE = 12.0
SMALL_FONT_SIZE = 11.0
LINE_HEIGHT = 14.0
#: The longest line of a name before it wraps, and the most lines it may take.
NAME_WRAP = 24
NAME_LINES = 3
#: Space between people's boxes in a row, and extra space between units, sibling
#: groups and unrelated families, so that the groups can be read at a glance.
GAP = 16.0
UNIT_GAP = 6.0
GROUP_GAP = 18.0
COMPONENT_GAP = 44.0
#: Where a line leaves a person from the side (a parent on their own, a couple
#: that cannot stand side by side): this far beyond their widest box.
JOG = 7.0
#: Room for a child's line between the labels of the two partners.
DROP_CLEAR = 8.0
MARGIN = 24.0
LABEL_GAP = 4.0
LOW_LANE = 17.0
BAR_LANE = 10.0
LINK_LANE = 8.0
MIN_ROW_PITCH = 128.0
#: The most a household outline is padded out from its members' boxes (nested ones
#: step out 4 units each, from 6), and the room left beside a member for it.
HOUSEHOLD_PAD_MAX = 14.0
HOUSEHOLD_ROOM = HOUSEHOLD_PAD_MAX + 4.0

#: Drawn with a small symbol, their year of birth written bare.
_SMALL_KINDS = frozenset({"pregnancy", "miscarriage", "termination", "stillbirth"})


@cache
def _notation() -> dict[str, Any]:
    """``notation.yaml``, read once (plain-language errors if it was broken by hand)."""
    data = read_yaml(NOTATION_FILE)
    for key in ("union_dates", "gender_agrees", "colours", "profiles"):
        if not isinstance(data, dict) or not isinstance(data.get(key), dict):
            raise DataFileError([Problem(str(NOTATION_FILE), key,
                                         "is missing — restore it from the project's copy")])
    return data


def symbol_size(person: Person) -> float:
    """The width of a person's symbol: pregnancies and losses are drawn small.

    >>> symbol_size(Person(id="p", name="Pregnancy", kind="pregnancy"))
    22.0
    """
    if person.kind in _SMALL_KINDS:
        return SMALL_SYMBOL_SIZE
    if person.kind == "pet":
        return PET_SYMBOL_SIZE
    return SYMBOL_SIZE


def _symbol_half(person: Person) -> float:
    return symbol_size(person) / 2 + (INDEX_RING if person.index else 0.0)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    words = text.split()
    out: list[str] = []
    line = ""
    for word in words:
        while len(word) > width:
            if line:
                out.append(line)
                line = ""
            out.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return out or [""]


def _gender_differs(person: Person) -> bool:
    identity = (person.gender_identity or "").strip().lower()
    if not identity:
        return False
    agrees = _notation()["gender_agrees"].get(person.sex, [])
    return identity not in agrees


def label_lines(person: Person, name: str | None = None) -> tuple[str, ...]:
    """The text under a person's symbol: name (wrapped), years, gender identity.

    ``name`` replaces the person's name, e.g. initials when names are hidden.

    >>> label_lines(Person(id="a", name="Amy Smith", sex="female", born=1950, died=2017))
    ('Amy Smith', '1950–2017')
    >>> label_lines(Person(id="b", name="Bo", sex="female", gender_identity="non-binary",
    ...                    born=2008), "B.")
    ('B.', 'b. 2008', 'non-binary')
    >>> label_lines(Person(id="c", name="Cy", born=1890, deceased=True))
    ('Cy', '1890–?')
    """
    lines = _wrap(person.name if name is None else name, NAME_WRAP, NAME_LINES)
    born = person.born.year if person.born else None
    died = person.died.year if person.died else None
    if born and died:
        lines.append(f"{born}–{died}")
    elif born and person.has_died and person.kind not in _SMALL_KINDS:
        lines.append(f"{born}–?")  # died, date not known
    elif born:
        lines.append(str(born) if person.kind in _SMALL_KINDS else f"b. {born}")
    elif died:
        lines.append(f"d. {died}")
    if _gender_differs(person):
        lines.append(_wrap(person.gender_identity or "", NAME_WRAP, 1)[0])
    return tuple(lines)


def measure_label(
    person: Person, name: str | None = None
) -> tuple[tuple[str, ...], int, float, float]:
    """A person's label lines, how many of them are the name, and the label's size.

    Widths come from a fixed width per character, so boxes do not depend on
    the fonts of whoever views the SVG.

    >>> measure_label(Person(id="a", name="Amy", born=2015))
    (('Amy', 'b. 2015'), 1, 50.2, 28.0)
    """
    lines = label_lines(person, name)
    name_lines = len(_wrap(person.name if name is None else name, NAME_WRAP, NAME_LINES))
    width = 0.0
    for i, line in enumerate(lines):
        per = NAME_CHAR_WIDTH if i < name_lines else SMALL_CHAR_WIDTH
        width = max(width, len(line) * per)
    return lines, name_lines, round(width + 4.0, 2), len(lines) * LINE_HEIGHT


def union_label(statuses: Sequence[tuple[str, Any, Any]]) -> str:
    """The dates written on a couple's line, e.g. ``m. 2005 d. 2017``.

    ``statuses`` holds ``(status, began, ended)`` for each union of the couple
    (a couple who married, divorced and remarried has two).

    >>> union_label([("divorced", 2005, 2017)])
    'm. 2005 d. 2017'
    >>> union_label([("cohabiting", None, None)])
    ''
    """
    words = _notation()["union_dates"]
    parts: list[str] = []
    for status, began, ended in statuses:
        prefixes = words.get(status, {"began": "", "ended": "ended"})
        if began is not None:
            year = getattr(began, "year", began)
            parts.append(f"{prefixes['began']} {year}".strip())
        if ended is not None:
            year = getattr(ended, "year", ended)
            parts.append(f"{prefixes['ended']} {year}".strip())
    return " ".join(parts)


# -- the family as the layout sees it -------------------------------------------------------
