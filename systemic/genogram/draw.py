"""The genogram as SVG, in standard notation, from a :class:`~systemic.genogram.layout.Layout`.

Drawing decides only how things look; where they go is the layout's job, so
what the supervisor sees, what participants see and what is exported for the
child's file are the same picture. Symbols and line patterns come from a
notation profile in ``notation.yaml`` (McGoldrick by default, GenoPro for the
glyphs where sources disagree), colours pass WCAG 2.2 AA on white, every text
is escaped, and the SVG is self-contained: no fonts, images or scripts from
anywhere.

Each person is a focusable button (``data-person``, ``tabindex="0"``,
``role="button"``, an ``aria-label`` describing them) so a widget can report
clicks and keyboard selection. With ``privacy=True`` names are replaced by
initials or role labels everywhere, and ``data-person`` carries an opaque key
(see :func:`person_keys`).

>>> from systemic.cases import Case, Person
>>> svg = draw_svg(Case(id="c", title="Demo", fictional=True,
...                     people=[Person(id="amy", name="Amy", sex="female", born=2015)]),
...                as_of=2025)
>>> 'data-person="amy"' in svg and "<circle" in svg and ">10 <" in svg
True
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from systemic.cases import (
    PARENT_KINDS,
    PERSON_KINDS,
    RELATIONSHIP_KINDS,
    SEXES,
    UNION_STATUSES,
    Case,
    Person,
)
from systemic.errors import DataFileError, Problem, WorkbookError
from systemic.genogram.geometry import (
    Box,
    Point,
    arrow_head,
    offset_polyline,
    point_along,
    polyline_length,
    zigzag,
)
from systemic.genogram.layout import (
    INDEX_RING,
    LINE_HEIGHT,
    NAME_FONT_SIZE,
    NOTATION_FILE,
    SMALL_FONT_SIZE,
    Layout,
    PersonPlace,
    RelationshipCurve,
    _notation,
    measure_label,
)
from systemic.genogram.layout import (
    layout as make_layout,
)

__all__ = [
    "draw_svg",
    "notation_profile",
    "notation_profiles",
    "person_keys",
    "initials",
    "legend_entries",
    "key_svg",
    "FONT_STACK",
    "RELATIONSHIP_CHOICES",
]

#: Fonts every system has; nothing is downloaded.
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

_STROKE = 1.8
#: A white outline behind label text, so lines passing behind a name never cut it.
_HALO = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def notation_profiles() -> list[str]:
    """The notation profiles ``notation.yaml`` offers.

    >>> notation_profiles()
    ['mcgoldrick', 'genopro']
    """
    return list(_notation()["profiles"])


@cache
def notation_profile(name: str = "mcgoldrick") -> dict[str, Any]:
    """A notation profile with its base profile filled in, plus the shared colours.

    Raises
    ------
    ValueError
        If there is no profile of that name; the message lists the ones there are.

    >>> spec = notation_profile("genopro")["kinds"]["miscarriage"]
    >>> spec["shape"], spec["cross"]
    ('triangle', True)
    >>> notation_profile("genopro")["sexes"]["male"]["shape"]
    'square'
    """
    data = _notation()
    profiles = data["profiles"]
    if name not in profiles:
        raise ValueError(
            f'there is no notation profile "{name}" — use one of: {", ".join(profiles)}'
        )
    chain = []
    current: str | None = name
    for _ in range(len(profiles)):
        if current is None:
            break
        chain.append(profiles[current])
        current = profiles[current].get("base")
    merged: dict[str, Any] = {}
    for part in reversed(chain):
        merged = _deep_merge(merged, part)
    merged["colours"] = dict(data["colours"])
    problems = [
        Problem(str(NOTATION_FILE), f"profiles.{name}.{section}.{value}",
                "is missing — add how to draw it (copy the entry from mcgoldrick)")
        for section, values in _NEEDED.items()
        for value in values
        if value not in merged.get(section, {})
    ]
    if problems:
        raise DataFileError(problems)
    return merged


#: What every profile must say how to draw: every value a case can hold.
_NEEDED = {
    "sexes": SEXES,
    "kinds": tuple(k for k in PERSON_KINDS if k != "person"),
    "unions": (*UNION_STATUSES, "implied"),
    "parent_links": PARENT_KINDS,
    "relationships": RELATIONSHIP_KINDS,
    "person_marks": ("index", "deceased", "gender_identity"),
    "twins": ("fraternal", "identical"),
}


@cache
def _relationship_labels() -> dict[str, str]:
    from systemic.vocabularies import load_relationship_kinds

    return {k.id: k.label for k in load_relationship_kinds().kinds}


def initials(name: str) -> str:
    """A name's initials, e.g. for participants when names are hidden.

    >>> initials("Amy Jane Smith"), initials("kai")
    ('A.J.S.', 'K.')
    """
    letters = [w[0].upper() for w in name.replace("-", " ").split() if w and w[0].isalnum()]
    return "".join(f"{c}." for c in letters) or "?"


def person_keys(case: Case, privacy: bool = False) -> dict[str, str]:
    """The ``data-person`` value of each person: their id, or an opaque key when
    names are hidden (ids are often first names). A widget maps clicks back with it.

    >>> from systemic.cases import Person
    >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="amy", name="Amy")])
    >>> person_keys(case), person_keys(case, privacy=True)
    ({'amy': 'amy'}, {'amy': 'p1'})
    """
    if not privacy:
        return {p.id: p.id for p in case.people}
    return {p.id: f"p{i + 1}" for i, p in enumerate(case.people)}


def _n(value: float) -> str:
    """A coordinate to one decimal, without a trailing ``.0`` (SVG size matters at scale)."""
    text = f"{value:.1f}"
    return text[:-2] if text[-1] == "0" else text


#: Characters XML 1.0 does not allow even when escaped (control codes, lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _e(text: Any) -> str:
    """Text made safe for SVG: markup escaped, characters XML cannot hold dropped."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _points(points: Iterable[Point]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


#: Nobody is shown older than this: someone born that long ago with no death recorded
#: has almost surely died, and "126" inside a symbol would read as a living person's age.
_OLDEST_AGE = 110


def _age(person: Person, as_of: int) -> int | None:
    """Age now for the living, age at death when both dates are known, else ``None``.

    >>> _age(Person(id="a", name="A", born=1950, deceased=True), 2026) is None
    True
    >>> _age(Person(id="a", name="A", born=1950, died=2000), 2026)
    50
    """
    if person.born is None or person.kind not in ("person", "pet"):
        return None
    if person.has_died and person.died is None:
        return None
    end = person.died
    end_key = end.sort_key() if end else (as_of, 12, 31)
    born = person.born.sort_key()
    years = end_key[0] - born[0]
    if born[1] and end_key[1] and (end_key[1], end_key[2] or 31) < (born[1], born[2] or 1):
        years -= 1
    return years if 0 <= years < _OLDEST_AGE else None


# -- symbols ----------------------------------------------------------------------------


def _shape(shape: str, x: float, y: float, s: float, ink: str, extra: str = "",
           fill: str = "#ffffff") -> list[str]:
    """SVG elements of one symbol shape centred at ``x``, ``y`` with size ``s``."""
    h = s / 2
    base = f'stroke="{ink}" stroke-width="{_STROKE}" fill="{fill}"{extra}'
    if shape == "square":
        return [f'<rect x="{_n(x - h)}" y="{_n(y - h)}" width="{_n(s)}" height="{_n(s)}" {base}/>']
    if shape == "circle":
        return [f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(h)}" {base}/>']
    if shape == "diamond":
        pts = [(x, y - h), (x + h, y), (x, y + h), (x - h, y)]
        return [f'<polygon points="{_points(pts)}" {base}/>']
    if shape == "triangle":
        pts = [(x, y - h), (x + h, y + h), (x - h, y + h)]
        return [f'<polygon points="{_points(pts)}" {base}/>']
    if shape == "dot":
        return [f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(h * 0.6)}" stroke="{ink}" '
                f'stroke-width="{_STROKE}" fill="{ink}"{extra}/>']
    if shape == "none":
        # Only a white patch, so the marks on it are not crossed by lines behind.
        return [f'<rect x="{_n(x - h)}" y="{_n(y - h)}" width="{_n(s)}" height="{_n(s)}" '
                f'fill="#ffffff" stroke="none"{extra}/>']
    if shape == "pet":
        return [f'<rect x="{_n(x - h)}" y="{_n(y - h)}" width="{_n(s)}" height="{_n(s)}" '
                f'rx="{_n(s / 3)}" {base}/>']
    raise ValueError(f'notation.yaml names a shape "{shape}" that the drawing does not know')


def _line(a: Point, b: Point, ink: str, extra: str = "", width: float = _STROKE,
          dash: str | None = None) -> str:
    d = f' stroke-dasharray="{_e(dash)}"' if dash else ""
    return (f'<line x1="{_n(a[0])}" y1="{_n(a[1])}" x2="{_n(b[0])}" y2="{_n(b[1])}" '
            f'stroke="{ink}" stroke-width="{_n(width)}"{d}{extra}/>')


def _cross(x: float, y: float, h: float, ink: str, extra: str = "") -> list[str]:
    return [
        _line((x - h, y - h), (x + h, y + h), ink, extra),
        _line((x - h, y + h), (x + h, y - h), ink, extra),
    ]


def _polyline(points: Sequence[Point], ink: str, width: float = _STROKE,
              dash: str | None = None, extra: str = "") -> str:
    d = f' stroke-dasharray="{_e(dash)}"' if dash else ""
    return (f'<polyline points="{_points(points)}" fill="none" stroke="{ink}" '
            f'stroke-width="{_n(width)}" stroke-linejoin="round"{d}{extra}/>')


def _symbol_shape(person: Person, profile: Mapping[str, Any]) -> str:
    if person.kind == "person":
        return profile["sexes"][person.sex]["shape"]
    shape = profile["kinds"][person.kind]["shape"]
    return profile["sexes"][person.sex]["shape"] if shape == "sex" else shape


def _kind_marks(kind: str, x: float, y: float, s: float, profile: Mapping[str, Any],
                extra: str = "") -> list[str]:
    """The cross and bar that some pregnancy outcomes carry, as the profile says."""
    spec = profile["kinds"].get(kind, {})
    ink = profile["colours"]["ink"]
    h = s / 2
    # On a triangle the marks sit low, where it is wide enough for them.
    cy = y + h * 0.25 if spec.get("shape") == "triangle" else y
    reach = h * (0.45 if spec.get("shape") == "triangle" else 0.7)
    out = []
    if spec.get("cross"):
        out += _cross(x, cy, reach, ink, extra)
    if spec.get("bar"):
        out.append(_line((x - h * 0.8, cy), (x + h * 0.8, cy), ink, extra))
    return out


# -- the picture ---------------------------------------------------------------------------


@dataclass
class _Canvas:
    profile: Mapping[str, Any]
    used: dict[str, None] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)

    def use(self, key: str) -> None:
        self.used.setdefault(key, None)


def _relationship(points: Sequence[Point], style: Mapping[str, Any], extra: str = "") -> list[str]:
    """One emotional relationship line in its glyph: parallel, dotted, zigzag, cut off,
    arrows, following the curve the layout chose."""
    colour = style.get("colour", "#1f1f1f")
    width = float(style.get("width", 1.6))
    dash = style.get("dash")
    lines = int(style.get("lines", 1))
    out: list[str] = []
    path = list(points)
    if len(path) < 2:
        return out
    total = polyline_length(path)
    if style.get("arrow") or style.get("end_circle"):
        # Leave room at the ``to`` end for the arrow head or circle.
        end, _d = point_along(path, max(0.0, total - 9.0))
        path = [p for p in path if _dist_along(path, p) < total - 9.0] + [end]
    pieces = [path]
    if style.get("gap"):
        length = polyline_length(path)
        first = _cut(path, 0.0, length / 2 - 6)
        second = _cut(path, length / 2 + 6, length)
        pieces = [first, second]
        for at in (length / 2 - 6, length / 2 + 6):
            (px, py), (dx, dy) = point_along(path, at)
            out.append(_line((px - dy * 7, py + dx * 7), (px + dy * 7, py - dx * 7), colour,
                             extra, width))
        if style.get("bridge"):
            a, _ = point_along(path, length / 2 - 6)
            b, _ = point_along(path, length / 2 + 6)
            (mx, my), (dx, dy) = point_along(path, length / 2)
            out.append(f'<path d="M {_n(a[0])} {_n(a[1])} Q {_n(mx + dy * 10)} {_n(my - dx * 10)} '
                       f'{_n(b[0])} {_n(b[1])}" fill="none" stroke="{colour}" '
                       f'stroke-width="{_n(width)}"{extra}/>')
    offsets = {1: (0.0,), 2: (-2.5, 2.5), 3: (-4.5, 0.0, 4.5)}.get(lines, (0.0,))
    for piece in pieces:
        if style.get("zigzag") and lines == 1:
            out.append(_polyline(zigzag(piece, 4.5, 10.0), colour, width, dash, extra))
            continue
        for off in offsets:
            shifted = offset_polyline(piece, off) if off else piece
            out.append(_polyline(shifted, colour, width, dash, extra))
        if style.get("zigzag"):
            out.append(_polyline(zigzag(piece, 5.5, 10.0), colour, width, dash, extra))
    if style.get("side_lines"):
        for off in (-7.0, 7.0):
            out.append(_polyline(offset_polyline(path, off), colour, 1.2, None, extra))
    tip = points[-1]
    _p, direction = point_along(list(points), polyline_length(points))
    if style.get("arrow"):
        fill = colour if style["arrow"] == "filled" else "#ffffff"
        head = arrow_head(tip, direction, 10.0, 8.0)
        out.append(f'<polygon points="{_points(head)}" fill="{fill}" stroke="{colour}" '
                   f'stroke-width="1.4"{extra}/>')
    if style.get("end_circle"):
        cx, cy = tip[0] - direction[0] * 4.5, tip[1] - direction[1] * 4.5
        out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="4.5" fill="#ffffff" '
                   f'stroke="{colour}" stroke-width="1.6"{extra}/>')
    return out


def _dist_along(path: Sequence[Point], point: Point) -> float:
    total = 0.0
    for i in range(len(path) - 1):
        if path[i] == point:
            return total
        total += math.dist(path[i], path[i + 1])
    return total


def _cut(path: Sequence[Point], start: float, end: float) -> list[Point]:
    """The part of a polyline between two distances along it."""
    out = [point_along(path, start)[0]]
    walked = 0.0
    for i in range(len(path) - 1):
        seg = math.dist(path[i], path[i + 1])
        if start < walked + seg and walked + seg < end:
            out.append(path[i + 1])
        walked += seg
    out.append(point_along(path, end)[0])
    return out


def _label_texts(canvas: _Canvas, person: Person, place: PersonPlace, lines: Sequence[str],
                 name_lines: int, data: str) -> list[str]:
    """The lines under a symbol: name, years, gender identity (in italics)."""
    ink, muted = canvas.profile["colours"]["ink"], canvas.profile["colours"]["muted"]
    parts = []
    for i, line in enumerate(lines):
        baseline = place.label.y + LINE_HEIGHT * i + 11
        if i < name_lines:
            style = f'class="name" font-size="{_n(NAME_FONT_SIZE)}" fill="{ink}"'
        elif i == len(lines) - 1 and _gender_line(person, lines, name_lines):
            canvas.use("mark:gender_identity")
            style = (f'class="gender" font-size="{_n(SMALL_FONT_SIZE)}" font-style="italic" '
                     f'fill="{muted}"')
        else:
            style = f'class="years" font-size="{_n(SMALL_FONT_SIZE)}" fill="{muted}"'
        parts.append(
            f'<text x="{_n(place.x)}" y="{_n(baseline)}" text-anchor="middle" '
            f'{style}{_HALO}{data}>{_e(line)}{_GAP}</text>'
        )
    return parts


def _rings(place: PersonPlace, profile: Mapping[str, Any], data: str,
           highlighted: bool) -> list[str]:
    """The ring shown when the person has the keyboard's focus, and the dashed ring of
    someone picked out."""
    focus = place.symbol.grown(5.0)
    parts = [
        f'<rect class="focus-ring" x="{_n(focus.x)}" y="{_n(focus.y)}" width="{_n(focus.width)}" '
        f'height="{_n(focus.height)}" rx="6" fill="none" '
        f'stroke="{profile["colours"]["selected"]}" stroke-width="2.5"{data}/>'
    ]
    if highlighted:
        ring = place.symbol.grown(8.0)
        parts.append(
            f'<rect class="highlight" x="{_n(ring.x)}" y="{_n(ring.y)}" width="{_n(ring.width)}" '
            f'height="{_n(ring.height)}" rx="8" fill="none" '
            f'stroke="{profile["colours"]["highlight"]}" stroke-width="2.5" '
            f'stroke-dasharray="5 3"{data}/>'
        )
    return parts


def _symbol(canvas: _Canvas, person: Person, place: PersonPlace, shape: str,
            data: str) -> list[str]:
    """The person's symbol: a double outline for the index person, and the marks of a
    pregnancy, a loss or a death."""
    profile = canvas.profile
    ink = profile["colours"]["ink"]
    x, y, s = place.x, place.y, place.size
    parts: list[str] = []
    if person.index:
        canvas.use("mark:index")
        parts += _shape(shape, x, y, s + 2 * INDEX_RING, ink, data)
    parts += _shape(shape, x, y, s, ink, data)
    if person.kind not in ("person", "pet"):
        parts += _kind_marks(person.kind, x, y, s, profile, data)
    elif person.has_died:
        canvas.use("mark:deceased")
        reach = s * (0.36 if shape in ("circle", "diamond") else 0.5)
        parts += _cross(x, y, reach, ink, data)
    return parts


def _inside(person: Person, age: int | None, profile: Mapping[str, Any]) -> str | None:
    """What is written inside the symbol: the age of the living, else the notation's mark
    for the person's sex, if it has one."""
    if age is not None:
        # For the dead the cross fills the symbol; the years are in the label.
        return None if person.has_died else str(age)
    if person.kind == "person" and "mark" in profile["sexes"][person.sex]:
        return profile["sexes"][person.sex]["mark"]
    return None


def _accessible_name(inside: str | None, lines: Sequence[str], description: str) -> str:
    """The accessible name starts with the text seen on screen, so that people who speak
    to their computer can say what they see (WCAG 2.2, 2.5.3 Label in Name).

    >>> _accessible_name("10", ["Amy"], "Amy, girl, 10")
    '10 Amy, girl, 10'
    """
    visible = " ".join([inside or "", *lines]).strip()
    rest = description.split(", ", 1)[1] if ", " in description else ""
    return ", ".join(part for part in (visible, rest) if part) or description


def _person(
    canvas: _Canvas,
    person: Person,
    place: PersonPlace,
    lines: Sequence[str],
    name_lines: int,
    key: str,
    description: str,
    age: int | None,
    selected: bool,
    highlighted: bool,
) -> str:
    profile = canvas.profile
    data = f' data-person="{_e(key)}"'
    shape = _symbol_shape(person, profile)
    if person.kind == "person":
        canvas.use(f"sex:{person.sex}")
    else:
        canvas.use(f"kind:{person.kind}")
    parts: list[str] = [f"<title>{_e(description)}</title>"]
    parts += _rings(place, profile, data, highlighted)
    parts += _symbol(canvas, person, place, shape, data)
    inside = _inside(person, age, profile)
    if inside is not None:
        parts.append(
            f'<text class="age" x="{_n(place.x)}" y="{_n(place.y + 4)}" text-anchor="middle" '
            f'font-size="12" fill="{profile["colours"]["ink"]}"{data}>{_e(inside)}{_GAP}</text>'
        )
    if selected:
        ring = place.symbol.grown(4.0)
        parts.append(
            f'<rect class="selected" x="{_n(ring.x)}" y="{_n(ring.y)}" width="{_n(ring.width)}" '
            f'height="{_n(ring.height)}" rx="6" fill="none" '
            f'stroke="{profile["colours"]["selected"]}" stroke-width="3"{data}/>'
        )
    parts += _label_texts(canvas, person, place, lines, name_lines, data)
    pressed = ' aria-pressed="true"' if selected else ' aria-pressed="false"'
    name = _accessible_name(inside, lines, description)
    return (
        f'<g class="person"{data} tabindex="0" role="button" aria-label="{_e(name)}"'
        f'{pressed}>' + "".join(parts) + "</g>"
    )


#: A space after each piece of a person's text. SVG does not draw it, but assistive tools
#: join the pieces with it ("10 A.O. b. 2016", not "10A.O.b. 2016"), so the accessible
#: name can be checked against the visible text (WCAG 2.2, 2.5.3 Label in Name).
_GAP = " "


def _gender_line(person: Person, lines: Sequence[str], name_lines: int) -> bool:
    years = 1 if (person.born or person.died) else 0
    return len(lines) > name_lines + years


def _describe(person: Person, shown: str, profile: Mapping[str, Any], age: int | None,
              generation: int) -> str:
    """What a screen reader says for a person (no name when names are hidden)."""
    if person.kind == "person":
        what = profile["sexes"][person.sex]["legend"].lower()
    else:
        what = profile["kinds"][person.kind]["legend"].lower()
    bits = [shown, what]
    if person.gender_identity:
        bits.append(f"gender identity {person.gender_identity}")
    if person.born:
        bits.append(f"born {person.born.year}")
    if person.died:
        bits.append(f"died {person.died.year}")
    elif person.has_died:
        bits.append("died, date not known")
    if age is not None:
        bits.append(f"aged {age} at death" if person.has_died else f"age {age}")
    if person.index:
        bits.append("index person")
    bits.append(f"generation {generation + 1}")
    return ", ".join(bits)


def legend_entries(used: Iterable[str], notation: str = "mcgoldrick") -> list[tuple[str, str]]:
    """``(key, caption)`` for each legend key used, in a stable reading order.

    >>> legend_entries(["union:divorced", "sex:female"])
    [('sex:female', 'Female'), ('union:divorced', 'Divorced (two slashes)')]
    """
    profile = notation_profile(notation)
    captions: dict[str, str] = {}
    for sex, spec in profile["sexes"].items():
        captions[f"sex:{sex}"] = spec["legend"]
    for kind, spec in profile["kinds"].items():
        captions[f"kind:{kind}"] = spec["legend"]
    for mark, spec in profile["person_marks"].items():
        captions[f"mark:{mark}"] = spec["legend"]
    for status, spec in profile["unions"].items():
        captions[f"union:{status}"] = spec["legend"]
    captions["consanguineous"] = profile["consanguineous"]["legend"]
    for kind, spec in profile["parent_links"].items():
        captions[f"link:{kind}"] = spec["legend"]
    for kind, spec in profile["twins"].items():
        captions[f"twins:{kind}"] = spec["legend"]
    captions["household"] = profile["household"]["legend"]
    labels = _relationship_labels()
    for kind in profile["relationships"]:
        captions[f"rel:{kind}"] = labels.get(kind, kind.replace("_", " ").capitalize())
    wanted = set(used)
    return [(k, c) for k, c in captions.items() if k in wanted]


def _legend_glyph(key: str, x: float, y: float, profile: Mapping[str, Any]) -> list[str]:
    """A small sample of the symbol or line a legend entry explains, in a 36 × 18 box."""
    ink = profile["colours"]["ink"]
    cx, cy = x + 18, y + 9
    group, _, name = key.partition(":")
    if group == "sex":
        return _shape(profile["sexes"][name]["shape"], cx, cy, 16, ink)
    if group == "kind":
        shape = profile["kinds"][name]["shape"]
        return _shape("square" if shape == "sex" else shape, cx, cy, 14, ink) + _kind_marks(
            name, cx, cy, 14, profile
        )
    if key == "mark:index":
        return _shape("square", cx, cy, 16 + 2 * 3.5, ink) + _shape("square", cx, cy, 16, ink)
    if key == "mark:deceased":
        return _shape("square", cx, cy, 16, ink) + _cross(cx, cy, 8, ink)
    if key == "mark:gender_identity":
        return [f'<text x="{_n(cx)}" y="{_n(cy + 4)}" text-anchor="middle" font-size="11" '
                f'font-style="italic" fill="{profile["colours"]["muted"]}">Aa</text>']
    if group == "union":
        spec = profile["unions"][name]
        out = [_line((x, cy), (x + 36, cy), ink, dash=spec.get("dash"))]
        out += _slashes((cx, cy), int(spec.get("slashes", 0)), ink)
        return out
    if key == "consanguineous":
        return [_line((x, cy - d), (x + 36, cy - d), ink) for d in (-2, 2)]
    if group == "link":
        return [_line((x + 2, cy), (x + 34, cy), ink,
                      dash=profile["parent_links"][name].get("dash"))]
    if group == "twins":
        out = [_line((cx, y), (x + 6, y + 18), ink), _line((cx, y), (x + 30, y + 18), ink)]
        if name == "identical":
            out.append(_line((cx - 6, y + 7), (cx + 6, y + 7), ink))
        return out
    if key == "household":
        return [f'<rect x="{_n(x + 2)}" y="{_n(y + 1)}" width="32" height="16" rx="6" '
                f'fill="none" stroke="{profile["colours"]["household"]}" stroke-width="1.6" '
                f'stroke-dasharray="{_e(profile["household"]["dash"])}"/>']
    if group == "rel":
        return _relationship([(x + 1, cy), (x + 35, cy)], profile["relationships"][name])
    return []


def _slashes(at: Point, count: int, ink: str, extra: str = "") -> list[str]:
    out = []
    for k in range(count):
        sx = at[0] + (k - (count - 1) / 2) * 6
        # Mostly below the line: the couple's dates sit just above it.
        out.append(_line((sx - 4, at[1] + 8), (sx + 3, at[1] - 4), ink, extra))
    return out


def _fits(result: Layout, measured: Mapping[str, tuple[tuple[str, ...], int, float, float]]
          ) -> bool:
    """Whether a given layout holds these people and room for their label texts."""
    if result.people.keys() != measured.keys():
        return False
    for pid, (_lines, _n_name, width, height) in measured.items():
        label = result.people[pid].label
        if width > label.width + 0.01 or height > label.height + 0.01:
            return False
    return True


#: The choices of which emotional relationship lines to show.
RELATIONSHIP_CHOICES = ("all", "selected", "none")


def _shown_relationships(layout: Layout, choice: str, selected: str | None
                         ) -> list[RelationshipCurve]:
    """The relationship lines to draw for a choice in :data:`RELATIONSHIP_CHOICES`.

    >>> from systemic.genogram.layout import RelationshipCurve
    >>> class L: relationships = (RelationshipCurve("a", "b", "close", ()),
    ...                           RelationshipCurve("c", "d", "close", ()))
    >>> [r.to for r in _shown_relationships(L, "selected", "c")]
    ['d']
    """
    if choice == "none":
        return []
    if choice == "selected":
        return [r for r in layout.relationships if selected in (r.from_, r.to)]
    return list(layout.relationships)


def draw_svg(
    case: Case,
    layout: Layout | None = None,
    *,
    privacy: bool = False,
    labels: Mapping[str, str] | None = None,
    notation: str = "mcgoldrick",
    selected: str | None = None,
    highlight: Iterable[str] = (),
    show_legend: bool = True,
    as_of: int | None = None,
    relationships: str = "all",
) -> str:
    """Draw a case's genogram as a self-contained SVG document.

    Parameters
    ----------
    case : Case
        The family.
    layout : Layout, optional
        A layout from :func:`systemic.genogram.layout.layout`; made here if not
        given, or made again (keeping its order) if it does not fit the case or
        the label texts.
    privacy : bool
        Show initials (or ``labels``) instead of names, everywhere: labels,
        titles, aria-labels, household names; ``data-person`` then carries
        :func:`person_keys` instead of ids.
    labels : mapping, optional
        A label per person id (e.g. a role, "Mum") used instead of the name.
    notation : str
        A profile in ``notation.yaml``: ``"mcgoldrick"`` or ``"genopro"``.
    selected : str, optional
        The id of the person the supervisor has selected.
    highlight : iterable of str
        Ids of people to pick out.
    show_legend : bool
        Add a key of the symbols and lines used (only those).
    as_of : int, optional
        The year ages are worked out for (default: this year).
    relationships : str
        Which emotional relationship lines to show: ``"all"``, ``"selected"``
        (only those of the ``selected`` person; none if no one is selected) or
        ``"none"``. The layout routes them all either way, so the picture does
        not move when the choice changes.

    Returns
    -------
    str
        The SVG, as well-formed XML.

    Examples
    --------
    >>> from systemic.cases import Case, Person
    >>> case = Case(id="c", title="Demo", fictional=True,
    ...             people=[Person(id="amy", name="Amy Smith", sex="female")])
    >>> svg = draw_svg(case, privacy=True)
    >>> "Amy" in svg, "A.S." in svg
    (False, True)
    """
    if relationships not in RELATIONSHIP_CHOICES:
        raise WorkbookError(
            f"relationships must be one of {', '.join(RELATIONSHIP_CHOICES)}, not {relationships!r}"
        )
    profile = notation_profile(notation)
    given = dict(labels or {})
    shown: dict[str, str] = {}
    for p in case.people:
        if p.id in given:
            shown[p.id] = given[p.id]
        elif privacy:
            shown[p.id] = initials(p.name)
    measured = {p.id: measure_label(p, shown.get(p.id)) for p in case.people}
    if layout is None:
        layout = make_layout(case, names=shown)
    elif not _fits(layout, measured):
        layout = make_layout(case, layout, names=shown)
    keys = person_keys(case, privacy)
    canvas = _Canvas(profile)
    parts = _households(layout, canvas, privacy)
    parts += _family_lines(layout, canvas)
    parts += _relationship_lines(case, layout, canvas, shown, keys,
                                 _shown_relationships(layout, relationships, selected))
    year = as_of if as_of is not None else date.today().year
    marked = set(highlight)
    for p in case.people:
        place = layout.people[p.id]
        name = shown.get(p.id, p.name)
        lines, name_lines, _w, _h = measured[p.id]
        age = _age(p, year)
        description = _describe(p, name, profile, age, place.generation)
        parts.append(
            _person(canvas, p, place, lines, name_lines, keys[p.id], description, age,
                    selected == p.id, p.id in marked)
        )
    width, height = layout.width, layout.height
    legend: list[str] = []
    if show_legend:
        legend, width, height = _legend(canvas, notation, width, height)
    head = _head(case, layout, privacy, width, height, profile)
    return head + "".join(parts) + "".join(legend) + "</svg>"


def _households(layout: Layout, canvas: _Canvas, privacy: bool) -> list[str]:
    """The households' dashed outlines, drawn first (at the back)."""
    profile = canvas.profile
    colours = profile["colours"]
    parts: list[str] = []
    for n, h in enumerate(layout.households, start=1):
        if not h.rects:
            continue
        canvas.use("household")
        name = f"Household {n}" if privacy else h.name
        parts.append(f'<g class="household" aria-label="{_e("Household: " + name)}">')
        parts.append(f"<title>{_e(name)}</title>")
        for rect in h.rects:
            parts.append(
                f'<rect x="{_n(rect.x)}" y="{_n(rect.y)}" width="{_n(rect.width)}" '
                f'height="{_n(rect.height)}" rx="{_n(h.radius)}" fill="none" '
                f'stroke="{colours["household"]}" stroke-width="1.6" '
                f'stroke-dasharray="{_e(profile["household"]["dash"])}"/>'
            )
        for connector in h.connectors:
            parts.append(_polyline(connector, colours["household"], 1.6,
                                   profile["household"]["dash"]))
        parts.append("</g>")
    return parts


def _family_lines(layout: Layout, canvas: _Canvas) -> list[str]:
    """Other parent links, couples (with their marks and dates), sibling bars."""
    profile = canvas.profile
    ink, muted = profile["colours"]["ink"], profile["colours"]["muted"]
    links_spec = profile["parent_links"]
    parts: list[str] = []
    # Other parent links (birth parents of an adopted child, step-parents, …).
    for line in layout.links:
        canvas.use(f"link:{line.kind}")
        parts.append(_polyline(line.points, ink, 1.5, links_spec[line.kind].get("dash")))
    unions_spec = profile["unions"]
    for u in layout.unions:
        spec = unions_spec.get(u.status, unions_spec["implied"])
        canvas.use(f"union:{u.status}" if u.status in unions_spec else "union:implied")
        if u.consanguineous:
            canvas.use("consanguineous")
            for off in (-2.0, 2.0):
                parts.append(_polyline(offset_polyline(u.points, off), ink, 1.4, spec.get("dash")))
        else:
            parts.append(_polyline(u.points, ink, _STROKE, spec.get("dash")))
        slashes = int(spec.get("slashes", 0))
        if slashes:
            at = (u.marks_at[0] - 12, u.marks_at[1]) if u.route != "across" else u.marks_at
            parts += _slashes(at, slashes, ink)
        if u.label and u.label_box is not None:
            box: Box = u.label_box
            parts.append(
                f'<text x="{_n(box.x + box.width / 2)}" y="{_n(box.bottom - 3)}" '
                f'text-anchor="middle" font-size="{_n(SMALL_FONT_SIZE)}" fill="{muted}"{_HALO}>'
                f"{_e(u.label)}</text>"
            )
    for bar in layout.sibling_bars:
        parts.append(_polyline(bar.stem, ink, _STROKE))
        if bar.x2 > bar.x1:
            parts.append(_line((bar.x1, bar.y), (bar.x2, bar.y), ink))
        for child in bar.children:
            canvas.use(f"link:{child.kind}")
            parts.append(_polyline(child.points, ink, _STROKE, links_spec[child.kind].get("dash")))
        for fork in bar.twins:
            canvas.use("twins:identical" if fork.identical else "twins:fraternal")
            if fork.bar is not None:
                parts.append(_line(fork.bar[0], fork.bar[1], ink))
    return parts


def _relationship_lines(case: Case, layout: Layout, canvas: _Canvas, shown: Mapping[str, str],
                        keys: Mapping[str, str], curves: Iterable[RelationshipCurve]
                        ) -> list[str]:
    """Emotional relationships, over the structure and under the people."""
    rel_spec = canvas.profile["relationships"]
    people = case.people_by_id
    parts: list[str] = []
    for rel in curves:
        canvas.use(f"rel:{rel.kind}")
        a = shown.get(rel.from_, people[rel.from_].name)
        b = shown.get(rel.to, people[rel.to].name)
        caption = _relationship_labels().get(rel.kind, rel.kind)
        between = f"{keys[rel.from_]} {keys[rel.to]}"
        parts.append(f'<g class="relationship" data-between="{_e(between)}" '
                     f'aria-label="{_e(f"{caption}: {a} and {b}")}">')
        parts.append(f"<title>{_e(f'{caption}: {a} → {b}')}</title>")
        parts += _relationship(rel.points, rel_spec[rel.kind])
        parts.append("</g>")
    return parts


def _legend(canvas: _Canvas, notation: str, width: float, height: float
            ) -> tuple[list[str], float, float]:
    """The key of the symbols used, under the drawing; and the page's new size."""
    profile = canvas.profile
    ink = profile["colours"]["ink"]
    entries = legend_entries(canvas.used, notation)
    if not entries:
        return [], width, height
    widest = max(len(c) for _k, c in entries) * 6.6 + 52
    columns = max(1, int((max(width, 320) - 48) // widest))
    top = height + 4
    legend = ['<g class="legend" aria-label="Key to the symbols">',
              f'<text x="24" y="{_n(top + 12)}" font-size="12" font-weight="bold" '
              f'fill="{ink}">Key</text>']
    for i, (key, caption) in enumerate(entries):
        col, row = i % columns, i // columns
        gx, gy = 24 + col * widest, top + 22 + row * 24
        legend += _legend_glyph(key, gx, gy, profile)
        legend.append(
            f'<text x="{_n(gx + 44)}" y="{_n(gy + 13)}" font-size="11" '
            f'fill="{ink}">{_e(caption)}</text>'
        )
    legend.append("</g>")
    rows_needed = (len(entries) + columns - 1) // columns
    height = top + 22 + rows_needed * 24 + 16
    width = max(width, 24 + min(columns, len(entries)) * widest + 24)
    return legend, width, height


def _head(case: Case, layout: Layout, privacy: bool, width: float, height: float,
          profile: Mapping[str, Any]) -> str:
    """The ``<svg>`` element's opening: size, title, description, style and paper."""
    title = "Genogram" if privacy else f"Genogram: {case.title}"
    generations = len(layout.rows)
    desc = (
        f"A family diagram of {len(case.people)} people over {generations} "
        f"generation{'s' if generations != 1 else ''}, with {len(layout.unions)} "
        f"couple{'s' if len(layout.unions) != 1 else ''}, {len(layout.relationships)} "
        f"relationship line{'s' if len(layout.relationships) != 1 else ''} and "
        f"{len(layout.households)} household{'s' if len(layout.households) != 1 else ''}. "
        "Each person is a button: press it to select them."
    )
    style = (
        ".genogram .focus-ring{visibility:hidden}"
        ".genogram .person{cursor:pointer}"
        ".genogram .person:focus{outline:none}"
        ".genogram .person:focus .focus-ring,.genogram .person:hover .focus-ring"
        "{visibility:visible}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="genogram" role="group" '
        f'aria-label="{_e(title)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" font-family="{_e(FONT_STACK)}">'
        f"<title>{_e(title)}</title><desc>{_e(desc)}</desc><style>{style}</style>"
        f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" '
        f'fill="{profile["colours"]["paper"]}"/>'
    )


_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_KEY_TOP = re.compile(r'<g class="legend"[^>]*><text x="24" y="([\d.]+)"')


def key_svg(svg: str) -> str:
    """The key of a genogram drawn by :func:`draw_svg` (with its key) as an SVG of its own.

    The supervisor's screen shows the key folded away beside the drawing rather than
    under it; it is cut from the very drawing, so it lists exactly the symbols used.
    Returns "" when the drawing has no key.

    >>> from systemic.cases import Case, Person
    >>> case = Case(id="c", title="Demo", fictional=True,
    ...             people=[Person(id="amy", name="Amy Smith", sex="female")])
    >>> key = key_svg(draw_svg(case))
    >>> key.startswith("<svg") and "Key" in key and "Amy" not in key
    True
    """
    size, top = _VIEWBOX.search(svg), _KEY_TOP.search(svg)
    if size is None or top is None:
        return ""
    width, height, start = float(size.group(1)), float(size.group(2)), float(top.group(1)) - 12
    legend = svg[top.start():svg.rindex("</svg>")]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="genogram-key" role="img" '
            f'aria-label="Key to the symbols" viewBox="0 {_n(start)} {_n(width)} '
            f'{_n(height - start)}" width="{_n(width)}" height="{_n(height - start)}" '
            f'font-family="{_e(FONT_STACK)}">{legend}</svg>')
