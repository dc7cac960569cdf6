"""The ecomap: the child's household in the middle, the world around it (Hartman, 1978).

An ecomap shows the family's connections to people and services outside the
home (school, GP, a grandparent, the youth club) and what those connections are
like. Hartman's conventions: a strong tie is a thick line, a moderate one a
plain line, a tenuous one a broken line, and a stressful one is hatched (short
cross-ticks along it); arrowheads show which way energy and resources flow.

The picture is a self-contained SVG (no fonts, scripts or images fetched from
anywhere), drawn in Python so that what the group sees is what is exported to
the child's file. Colours meet WCAG AA on white (text at least 4.5:1, lines at
least 3:1), and every piece of text is escaped.

>>> from systemic.cases import Case, Person, Household, EcomapConnection
>>> case = Case(id="c", title="t", fictional=True, focal_child="kai",
...     people=[Person(id="kai", name="Kai")],
...     households=[Household(id="home", name="Home", members=["kai"])],
...     ecomap=[EcomapConnection(id="school", name="School", connected_to="kai",
...                              strength="strong", flow="both")])
>>> svg = ecomap_svg(case)
>>> svg.startswith("<svg") and "School" in svg and "Strong" in svg
True

References
----------
Hartman, A. (1978). Diagrammatic assessment of family relationships. *Social
Casework*, 59(8), 465–476.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from systemic.cases import Case, EcomapConnection, Household, Person
from systemic.genogram.kinship import initials

__all__ = [
    "ecomap_svg",
    "ecomap_plan",
    "EcomapPlan",
    "Placed",
    "LINE_STYLES",
    "INK",
    "STRESS",
    "CHAR_WIDTH",
]

#: Text and lines: Tailwind gray-800, 14.7:1 on white.
INK = "#1f2937"
#: The hatching of stressful ties: red-700, 6.5:1 on white.
STRESS = "#b91c1c"
#: Light fills behind text (text on them stays above 4.5:1).
CENTRE_FILL = "#f1f5f9"
SYSTEM_FILL = "#ffffff"

#: Average advance of a character in the default sans-serif, in ems: a little
#: generous, so that labels are wrapped before they could spill out of their circle.
CHAR_WIDTH = 0.62

#: Hartman's line for each strength: (stroke width, dash pattern or "").
LINE_STYLES = {
    "strong": (5.0, ""),
    "moderate": (2.0, ""),
    "tenuous": (2.0, "7 5"),
}

_LEGEND_WORDS = {
    "strong": "Strong",
    "moderate": "Moderate",
    "tenuous": "Tenuous",
    "stressful": "Stressful",
    "to_family": "Energy or help flows to the family",
    "from_family": "Energy or help flows from the family",
    "both": "Energy or help flows both ways",
}

_CENTRE_R = 100.0
_SYSTEM_R = 66.0
#: Labels wrap onto as many lines as they need, up to this many (a very long name is
#: cut only beyond it); circles grow to hold them.
_MAX_LABEL_LINES = 6
_LABEL_PADDING = 8.0
_GAP = 16.0
_MARGIN = 24.0
_TITLE_SIZE = 14.0
_TEXT_SIZE = 12.0
_SMALL_SIZE = 10.5
_LINE_HEIGHT = 1.3
_ARROW_LENGTH = 13.0
_ARROW_WIDTH = 11.0
_TICK_EVERY = 14.0
_TICK_HALF = 7.0
_MAX_MEMBERS = 6


@dataclass(frozen=True)
class Placed:
    """One system circle: the connection, where it sits and its label lines."""

    connection: EcomapConnection
    x: float
    y: float
    lines: tuple[str, ...]
    note: str  # "with Kai" when the tie is one person's, not the household's (lines: "\n")


@dataclass(frozen=True)
class EcomapPlan:
    """Where everything goes: the centre, the ring of systems and the canvas."""

    title: str
    members: tuple[str, ...]
    cx: float
    cy: float
    placed: tuple[Placed, ...]
    hidden: int  # connections to people outside the centre, left out
    width: float
    height: float
    system_r: float = _SYSTEM_R  # every system circle's radius: big enough for its label
    centre_r: float = _CENTRE_R  # the middle circle's radius: big enough for its names
    title_lines: tuple[str, ...] = ()  # the title as drawn, wrapped


# -- text --------------------------------------------------------------------------------


def _fits(text: str, size: float, width: float) -> bool:
    return len(text) * CHAR_WIDTH * size <= width


def wrap(text: str, size: float, width: float, max_lines: int) -> tuple[str, ...]:
    """Break ``text`` into at most ``max_lines`` lines no wider than ``width``; the
    last line ends in "…" if the text had to be cut.

    >>> wrap("Child and Adolescent Mental Health Service", 12, 105, 3)
    ('Child and', 'Adolescent', 'Mental Health…')
    >>> wrap("Child and Adolescent Mental Health Service", 12, 90, 2)
    ('Child and', 'Adolescent…')
    """
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while not _fits(word, size, width):  # a word too long for any line: split it
            cut = max(1, int(width / (CHAR_WIDTH * size)) - 1)
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if _fits(candidate, size, width):
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and not _fits(last + "…", size, width):
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return tuple(lines) or ("",)


# -- what goes in the middle ---------------------------------------------------------------


def _focal(case: Case) -> str | None:
    if case.focal_child:
        return case.focal_child
    return next((p.id for p in case.people if p.index), None)


def _centre(case: Case, centre: str | None) -> tuple[Household | None, list[Person]]:
    people = case.people_by_id
    households = {h.id: h for h in case.households}
    if centre is None:
        focal = _focal(case)
        home = next((h for h in case.households if focal in h.members), None)
        if home is not None:
            centre = home.id
        elif focal is not None:
            centre = focal
        elif case.households:
            centre = case.households[0].id
        else:
            raise ValueError("this case has no focal child and no household — say whose "
                             "ecomap to draw")
    if centre in households:
        home = households[centre]
        return home, [people[m] for m in home.members if m in people]
    if centre in people:
        return None, [people[centre]]
    raise ValueError(f"no person or household has the id {centre!r}")


def _shown_name(person: Person, privacy: bool, labels: Mapping[str, str] | None = None) -> str:
    if not privacy:
        return person.name
    return (labels or {}).get(person.id) or initials(person.name)


def _system_name(connection: EcomapConnection, privacy: bool,
                 redact: Callable[[str], str] | None) -> str:
    """A system's name as drawn: a person outside the family by initials when names are
    hidden; a service keeps its name, with the family's names taken out by ``redact``."""
    if not privacy:
        return connection.name
    if connection.kind == "person":
        return initials(connection.name)
    return redact(connection.name) if redact is not None else connection.name


def ecomap_plan(case: Case, centre: str | None = None, *, privacy: bool = False,
                labels: Mapping[str, str] | None = None,
                redact: Callable[[str], str] | None = None) -> EcomapPlan:
    """Place the centre and the systems around it, evenly, starting at twelve o'clock.

    The ring grows with the number of systems so that circles never touch. With
    ``privacy``, people are shown by ``labels`` (a label per person id, e.g. a role)
    or their initials, and typed names of services go through ``redact``.

    >>> from systemic.cases import Case, Person, EcomapConnection
    >>> case = Case(id="c", title="t", fictional=True, focal_child="kai",
    ...     people=[Person(id="kai", name="Kai")],
    ...     ecomap=[EcomapConnection(id=f"s{i}", name=f"S{i}", connected_to="kai")
    ...             for i in range(4)])
    >>> plan = ecomap_plan(case)
    >>> [(round(p.x - plan.cx), round(p.y - plan.cy)) for p in plan.placed]
    [(0, -280), (280, 0), (0, 280), (-280, 0)]
    """
    home, members = _centre(case, centre)
    member_ids = {p.id for p in members}
    people = case.people_by_id
    ours = [e for e in case.ecomap
            if (home is not None and e.connected_to == home.id) or e.connected_to in member_ids]
    n = len(ours)
    width_inside = 2 * _SYSTEM_R * 0.8
    drawn = []
    for connection in ours:
        name = _system_name(connection, privacy, redact)
        note = ""
        if connection.connected_to in member_ids and len(members) > 1:
            note = "with " + _shown_name(people[connection.connected_to], privacy, labels)
        drawn.append((connection, *_label(name, note, width_inside)))
    system_r = max([_SYSTEM_R, *(radius for *_rest, radius in drawn)])
    title = "Household" if privacy and home is not None else (
        home.name if home is not None else _shown_name(members[0], privacy, labels))
    shown = [_shown_name(p, privacy, labels) for p in members] if home is not None else []
    if len(shown) > _MAX_MEMBERS:
        shown = [*shown[: _MAX_MEMBERS - 1], f"and {len(shown) - _MAX_MEMBERS + 1} more"]
    inner = 2 * _CENTRE_R * 0.78
    title_lines = wrap(title, _TITLE_SIZE, inner, 3)
    member_lines = tuple(line for m in shown for line in wrap(m, _TEXT_SIZE, inner, 3))
    centre_r = max(_CENTRE_R, _block_radius([(t, _TITLE_SIZE) for t in title_lines]
                                            + [(m, _TEXT_SIZE) for m in member_lines]))
    ring = 280.0 + (system_r - _SYSTEM_R) + (centre_r - _CENTRE_R)
    if n >= 2:
        ring = max(ring, (system_r + _GAP / 2) / math.sin(math.pi / n))
    half = ring + system_r + _MARGIN
    cx = cy = half
    placed = []
    for i, (connection, lines, note, _radius) in enumerate(drawn):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        placed.append(Placed(connection, cx + ring * math.cos(angle),
                             cy + ring * math.sin(angle), lines, note))
    legend_rows = len(_legend_keys(ours)) + (1 if len(case.ecomap) > n else 0)
    height = 2 * half + (_legend_height(legend_rows) if legend_rows else 0)
    return EcomapPlan(
        title=title, members=member_lines, cx=cx, cy=cy,
        placed=tuple(placed), hidden=len(case.ecomap) - n, width=2 * half, height=height,
        system_r=system_r, centre_r=centre_r, title_lines=title_lines,
    )


def _block_radius(rows: list[tuple[str, float]]) -> float:
    """The radius of the smallest circle around centred lines of text (with padding)."""
    widest = max((len(text) * CHAR_WIDTH * size for text, size in rows), default=0.0)
    tall = sum(size for _, size in rows) * _LINE_HEIGHT
    return math.hypot(widest / 2, tall / 2) + _LABEL_PADDING


def _label(name: str, note: str, width: float) -> tuple[tuple[str, ...], str, float]:
    """A system's label wrapped, never cut short, and the circle radius that holds it.

    Of a few line widths, the one needing the smallest circle wins, so a long name
    makes a rounder block rather than a tall thin one.

    >>> _label("Clayton Road Surgery (family doctor)", "", 105.6)[0]
    ('Clayton Road', 'Surgery', '(family', 'doctor)')
    >>> _label("Child and Adolescent Mental Health Service (CAMHS) Eastgate", "", 105.6)[2] > 66
    True
    """
    best: tuple[tuple[str, ...], str, float] | None = None
    best_cut = True
    for grow in (1.0, 1.15, 1.3, 1.5, 1.75, 2.1, 2.5):
        lines = wrap(name, _TEXT_SIZE, width * grow, _MAX_LABEL_LINES)
        shown_note = wrap(note, _SMALL_SIZE, width * grow, 3) if note else ()
        radius = _block_radius([(x, _TEXT_SIZE) for x in lines]
                               + [(x, _SMALL_SIZE) for x in shown_note])
        cut = lines[-1].endswith("…")  # only a name too long even for the widest try
        if best is None or (best_cut and not cut) or (cut == best_cut
                                                       and radius < best[2] - 0.5):
            best, best_cut = (lines, "\n".join(shown_note), radius), cut
    assert best is not None
    return best


# -- drawing -----------------------------------------------------------------------------


def _legend_keys(connections: list[EcomapConnection]) -> list[str]:
    used = {e.strength for e in connections}
    keys = [s for s in ("strong", "moderate", "tenuous") if s in used]
    if any(e.stressful for e in connections):
        keys.append("stressful")
    flows = {e.flow for e in connections}
    keys += [f for f in ("to_family", "from_family", "both") if f in flows]
    return keys


def _legend_height(rows: int) -> float:
    return 36.0 + rows * 26.0


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, size: float, *, bold: bool = False,
          anchor: str = "middle") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{INK}" '
            f'text-anchor="{anchor}" dominant-baseline="central"{weight}>{escape(text)}</text>')


def _arrow(tip_x: float, tip_y: float, ux: float, uy: float) -> str:
    """A filled arrowhead whose point is at the tip, pointing along (ux, uy)."""
    bx, by = tip_x - ux * _ARROW_LENGTH, tip_y - uy * _ARROW_LENGTH
    half = _ARROW_WIDTH / 2
    points = [(tip_x, tip_y), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return f'<polygon points="{coords}" fill="{INK}" stroke="{INK}" stroke-width="1"/>'


def _tie(x1: float, y1: float, x2: float, y2: float, strength: str, stressful: bool,
         flow: str) -> list[str]:
    """One connection line from (x1, y1) (the family side) to (x2, y2)."""
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    width, dash = LINE_STYLES[strength]
    start = _ARROW_LENGTH if flow in ("to_family", "both") else 0.0
    end = length - (_ARROW_LENGTH if flow in ("from_family", "both") else 0.0)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    out = [f'<line x1="{_n(x1 + ux * start)}" y1="{_n(y1 + uy * start)}" '
           f'x2="{_n(x1 + ux * end)}" y2="{_n(y1 + uy * end)}" stroke="{INK}" '
           f'stroke-width="{_n(width)}"{dashed}/>']
    if stressful:
        t = start + _TICK_EVERY
        while t < end - _TICK_EVERY / 2:
            px, py = x1 + ux * t, y1 + uy * t
            # Ticks lean a little, as the hatching is drawn by hand on paper.
            ax, ay = -uy * _TICK_HALF + ux * 3, ux * _TICK_HALF + uy * 3
            out.append(f'<line x1="{_n(px - ax)}" y1="{_n(py - ay)}" x2="{_n(px + ax)}" '
                       f'y2="{_n(py + ay)}" stroke="{STRESS}" stroke-width="2"/>')
            t += _TICK_EVERY
    if flow in ("to_family", "both"):
        out.append(_arrow(x1, y1, -ux, -uy))
    if flow in ("from_family", "both"):
        out.append(_arrow(x2, y2, ux, uy))
    return out


def _legend(keys: list[str], hidden: int, top: float, left: float) -> list[str]:
    out = ['<g class="legend">', _text(left, top + 12, "Key", _TEXT_SIZE, bold=True,
                                         anchor="start")]
    y = top + 36
    for key in keys:
        x1, x2 = left, left + 64
        if key in LINE_STYLES:
            out += _tie(x1, y, x2, y, key, False, "none")
        elif key == "stressful":
            out += _tie(x1, y, x2, y, "moderate", True, "none")
        else:  # a small circle stands for the family, as in the middle of the map
            out.append(f'<circle cx="{_n(x1 + 7)}" cy="{_n(y)}" r="7" fill="{CENTRE_FILL}" '
                       f'stroke="{INK}" stroke-width="1.5"/>')
            out += _tie(x1 + 14, y, x2, y, "moderate", False, key)
        out.append(_text(x2 + 14, y, _LEGEND_WORDS[key], _TEXT_SIZE, anchor="start"))
        y += 26
    if hidden:
        word = "connection" if hidden == 1 else "connections"
        out.append(_text(left, y, f"{hidden} {word} to people outside this household not "
                         "shown", _SMALL_SIZE, anchor="start"))
    out.append("</g>")
    return out


def ecomap_svg(case: Case, centre: str | None = None, *, privacy: bool = False,
               labels: Mapping[str, str] | None = None,
               redact: Callable[[str], str] | None = None) -> str:
    """Draw the ecomap of ``case`` as an SVG string.

    Parameters
    ----------
    case
        The case; its ``ecomap`` connections are drawn.
    centre
        A household id or a person id for the middle circle. By default the focal
        child's household (or the focal child, if they have none).
    privacy
        Show people's initials rather than their names (services keep their names);
        ``data-connection`` then carries the system's place in the ring, not its id.
    labels
        With ``privacy``: a label per person id (e.g. a role, "Mum") instead of initials.
    redact
        With ``privacy``: takes the family's names out of the services' names.

    Returns
    -------
    str
        A standalone ``<svg>`` element: no external fonts, scripts or images.
        Connections to people outside the centre are left out, and the key says how
        many.

    Notes
    -----
    In the drawing, arrows pointing at the middle circle mean the family receives
    energy or help; arrows pointing outwards mean the family gives it (Hartman).
    """
    plan = ecomap_plan(case, centre, privacy=privacy, labels=labels, redact=redact)
    ours = [p.connection for p in plan.placed]
    ids = [f"c{i}" if privacy else p.connection.id for i, p in enumerate(plan.placed, 1)]
    w, h = plan.width, plan.height
    label = f"Ecomap: {plan.title}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(w)} {_n(h)}" '
        f'width="{_n(w)}" height="{_n(h)}" role="img" font-family="sans-serif" '
        f'aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f"<desc>{escape(_description(plan))}</desc>",
        f'<rect x="0" y="0" width="{_n(w)}" height="{_n(h)}" fill="#ffffff"/>',
    ]
    for p, key in zip(plan.placed, ids, strict=True):
        dx, dy = p.x - plan.cx, p.y - plan.cy
        d = math.hypot(dx, dy) or 1.0
        ux, uy = dx / d, dy / d
        c = p.connection
        out.append(f'<g class="tie" data-connection="{escape(key)}">')
        out += _tie(plan.cx + ux * plan.centre_r, plan.cy + uy * plan.centre_r,
                    p.x - ux * plan.system_r, p.y - uy * plan.system_r, c.strength, c.stressful,
                    c.flow)
        out.append("</g>")
    out.append(f'<circle cx="{_n(plan.cx)}" cy="{_n(plan.cy)}" r="{_n(plan.centre_r)}" '
               f'fill="{CENTRE_FILL}" stroke="{INK}" stroke-width="2.5"/>')
    rows = [(t, _TITLE_SIZE, True) for t in plan.title_lines or (plan.title,)] + [
        (m, _TEXT_SIZE, False) for m in plan.members]
    total = sum(size * _LINE_HEIGHT for _, size, _ in rows)
    y = plan.cy - total / 2
    for text, size, bold in rows:
        out.append(_text(plan.cx, y + size * _LINE_HEIGHT / 2, text, size, bold=bold))
        y += size * _LINE_HEIGHT
    for p, key in zip(plan.placed, ids, strict=True):
        out.append(f'<g class="system" data-connection="{escape(key)}">')
        out.append(f'<circle cx="{_n(p.x)}" cy="{_n(p.y)}" r="{_n(plan.system_r)}" '
                   f'fill="{SYSTEM_FILL}" stroke="{INK}" stroke-width="1.5"/>')
        rows = [(line, _TEXT_SIZE) for line in p.lines]
        rows += [(line, _SMALL_SIZE) for line in p.note.split("\n") if line]
        total = sum(size * _LINE_HEIGHT for _, size in rows)
        y = p.y - total / 2
        for text, size in rows:
            out.append(_text(p.x, y + size * _LINE_HEIGHT / 2, text, size))
            y += size * _LINE_HEIGHT
        out.append("</g>")
    if not plan.placed:
        out.append(_text(plan.cx, plan.cy + plan.centre_r + 30, "No connections recorded yet",
                         _TEXT_SIZE))
    keys = _legend_keys(ours)
    if keys or plan.hidden:
        out += _legend(keys, plan.hidden, top=2 * plan.cy, left=_MARGIN)
    out.append("</svg>")
    return "\n".join(out)


def _description(plan: EcomapPlan) -> str:
    """The ecomap in words, for screen readers."""
    if not plan.placed:
        return f"{plan.title}: no connections recorded yet."
    parts = []
    for p in plan.placed:
        c = p.connection
        bits = [c.strength]
        if c.stressful:
            bits.append("stressful")
        if c.flow != "none":
            bits.append(_LEGEND_WORDS[c.flow].lower().replace("energy or help flows ", "flows "))
        parts.append(f"{' '.join(p.lines).replace('- ', '')} ({', '.join(bits)})")
    return f"{plan.title}, connected to: " + "; ".join(parts) + "."
