"""The safe uncertainty grid (Mason) and the social discipline window, drawn once.

One drawing for everyone: the supervisor's step (:mod:`widgets.uncertainty`)
and the participants' page (:func:`systemic.dashboard.render_uncertainty`)
show the same SVG, computed here from the stored placements. Every cell
carries its name (colour is never the only cue), every name is escaped, and
the SVG's title and description say it all in words.

>>> layout = mason_layout()
>>> [c.label for c in sorted(layout.cells, key=lambda c: (c.row, c.column))]
['Safe certainty', 'Safe uncertainty', 'Unsafe certainty', 'Unsafe uncertainty']
>>> "Priya" in grid_svg(layout, [GridMark("Priya", "unsafe_uncertainty", "safe_uncertainty")])
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from systemic.export import clean_text
from systemic.uncertainty import UncertaintyVocabulary, load_uncertainty

__all__ = [
    "TEXT_COLOUR",
    "MARK_COLOUR",
    "CELL_FILLS",
    "GridCell",
    "GridLayout",
    "GridMark",
    "mason_layout",
    "window_layout",
    "grid_svg",
    "marks",
    "relationship_label",
]


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters with "…" where it was cut.

    >>> clip("Dad picks Maya up\\n  on time", 12), clip("Nan visits", 12)
    ('Dad picks M…', 'Nan visits')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: Text on every cell; at least 12:1 against each fill (WCAG AA asks 4.5:1).
TEXT_COLOUR = "#1a1a1a"
#: Markers and arrows; at least 6:1 against each fill (WCAG asks 3:1 for shapes).
MARK_COLOUR = "#0b5394"
#: Light fills by (column, row), top left first; each cell is also named in words.
CELL_FILLS: dict[tuple[int, int], str] = {
    (0, 0): "#e8f0fe",
    (1, 0): "#e6f4ea",
    (0, 1): "#fdecea",
    (1, 1): "#fff4cc",
}

_LEFT, _TOP, _CELL_W, _HEADER, _LINE, _MIN_H, _FOOT = 40, 8, 300, 38, 24, 150, 34
_MAX_LABEL = 30


@dataclass(frozen=True)
class GridCell:
    """One square of a 2×2 grid: its id, its name, and where it sits (column, row from top left)."""

    id: str
    label: str
    column: int
    row: int


@dataclass(frozen=True)
class GridLayout:
    """A 2×2 grid: its name, its cells and the words at each end of its two axes."""

    title: str
    cells: tuple[GridCell, ...]
    columns: tuple[str, str]
    rows: tuple[str, str]

    def cell(self, cell_id: str) -> GridCell:
        return next(c for c in self.cells if c.id == cell_id)


@dataclass(frozen=True)
class GridMark:
    """Someone (or a relationship) on a grid: where they are now, and where the group hopes."""

    label: str
    now: str
    hoped: str | None = None


def mason_layout(vocabulary: UncertaintyVocabulary | None = None) -> GridLayout:
    """Mason's grid: safe above unsafe, certain on the left, uncertain on the right."""
    v = vocabulary or load_uncertainty()
    cells = tuple(
        GridCell(p.id, p.label, column=0 if p.certain else 1, row=0 if p.safe else 1)
        for p in v.positions
    )
    return GridLayout(
        "Safe uncertainty grid", cells, ("More certain", "Less certain"), ("Safer", "Less safe")
    )


def window_layout(vocabulary: UncertaintyVocabulary | None = None) -> GridLayout:
    """The social discipline window: high challenge above low, high support on the right."""
    v = vocabulary or load_uncertainty()
    cells = tuple(
        GridCell(c.id, c.label, column=1 if c.support_high else 0, row=0 if c.challenge_high else 1)
        for c in v.window.cells
    )
    return GridLayout(
        v.window.name, cells, ("Low support", "High support"),
        ("High challenge", "Low challenge"),
    )


def _x(text: str) -> str:
    """Text for SVG: without characters XML cannot hold, then escaped."""
    return escape(clean_text(text))


def _towards(
    point: tuple[float, float], target: tuple[float, float], step: float
) -> tuple[float, float]:
    """``point`` moved ``step`` towards ``target``."""
    dx, dy = target[0] - point[0], target[1] - point[1]
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    return point[0] + dx / length * step, point[1] + dy / length * step


def _describe(layout: GridLayout, marks: Sequence[GridMark]) -> str:
    """The grid in words, cell by cell, for the SVG's description."""
    parts = []
    for cell in sorted(layout.cells, key=lambda c: (c.row, c.column)):
        now = [m.label for m in marks if m.now == cell.id]
        hoped = [m.label for m in marks if m.hoped == cell.id]
        text = f"{cell.label}: " + (", ".join(now) if now else "nobody now")
        if hoped:
            text += "; hoped for " + ", ".join(hoped)
        parts.append(text + ".")
    return " ".join(parts)


#: Who is shown in each cell: ("now", mark) for where someone is, ("hoped", mark) for where
#: the group hopes they will be.
_Entries = dict[str, list[tuple[str, GridMark]]]
#: Where each mark's dot was drawn, by (kind, label, which mark), for the arrows.
_Centres = dict[tuple[str, str, int], tuple[float, float]]


@dataclass(frozen=True)
class _Size:
    """The grid's measures: each row grows to hold the longest list of names in it."""

    width: int
    height: int
    heights: tuple[int, int]
    tops: tuple[int, int]


def _entries(layout: GridLayout, marks: Sequence[GridMark]) -> _Entries:
    """Each cell's names: everyone there now first, then those hoped to move there."""
    entries: _Entries = {c.id: [] for c in layout.cells}
    for m in marks:
        if m.now in entries:
            entries[m.now].append(("now", m))
    for m in marks:
        if m.hoped in entries and m.hoped != m.now:
            entries[m.hoped].append(("hoped", m))
    return entries


def _measure(layout: GridLayout, entries: _Entries) -> _Size:
    heights = []
    for row in (0, 1):
        most = max((len(entries[c.id]) for c in layout.cells if c.row == row), default=0)
        heights.append(max(_MIN_H, _HEADER + most * _LINE + 12))
    return _Size(
        width=_LEFT + 2 * _CELL_W + 4,
        height=_TOP + sum(heights) + _FOOT,
        heights=(heights[0], heights[1]),
        tops=(_TOP, _TOP + heights[0]),
    )


def _opening(layout: GridLayout, marks: Sequence[GridMark], size: _Size, ident: str) -> list[str]:
    """The ``<svg>`` element with its title, its description in words and the arrowhead."""
    width, height = size.width, size.height
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="system-ui, sans-serif">',
        f'<title id="{ident}-title">{_x(layout.title)}</title>',
        f'<desc id="{ident}-desc">{_x(_describe(layout, marks))}</desc>',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{MARK_COLOUR}"/></marker></defs>',
    ]


def _mark(kind: str, mark: GridMark, cx: float, cy: float) -> str:
    """A filled dot for now, a dashed ring for hoped, and the name (whole in its tooltip)."""
    if kind == "now":
        dot = f'<circle cx="{cx}" cy="{cy}" r="7" fill="{MARK_COLOUR}"/>'
        words = mark.label + (" (hoped to stay)" if mark.hoped == mark.now else "")
    else:
        dot = (
            f'<circle cx="{cx}" cy="{cy}" r="7" fill="#ffffff" stroke="{MARK_COLOUR}" '
            'stroke-width="2" stroke-dasharray="3 2"/>'
        )
        words = f"{mark.label} (hoped)"
    return (
        f'<g data-mark="{kind}">{dot}<text x="{cx + 14}" y="{cy + 5}" font-size="14" '
        f'fill="{TEXT_COLOUR}"><title>{_x(words)}</title>{_x(clip(words, _MAX_LABEL))}'
        "</text></g>"
    )


def _cell(cell: GridCell, size: _Size, entries: _Entries, centres: _Centres) -> list[str]:
    """One named square with its names; records where each dot went in ``centres``."""
    x, y = _LEFT + cell.column * _CELL_W, size.tops[cell.row]
    out = [
        f'<g data-cell="{escape(cell.id)}"><rect x="{x}" y="{y}" width="{_CELL_W}" '
        f'height="{size.heights[cell.row]}" fill="{CELL_FILLS[(cell.column, cell.row)]}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1.5"/>'
        f'<text x="{x + 12}" y="{y + 26}" font-size="17" font-weight="700" '
        f'fill="{TEXT_COLOUR}">{_x(cell.label)}</text>'
    ]
    for i, (kind, mark) in enumerate(entries[cell.id]):
        cy = y + _HEADER + i * _LINE + 8
        cx = x + 22
        centres[(kind, mark.label, id(mark))] = (cx, cy)
        out.append(_mark(kind, mark, cx, cy))
    out.append("</g>")
    return out


def _arrows(marks: Sequence[GridMark], centres: _Centres, ident: str) -> list[str]:
    """A curved arrow from each dot to its ring, for everyone hoped to move."""
    out = []
    for m in marks:
        start = centres.get(("now", m.label, id(m)))
        end = centres.get(("hoped", m.label, id(m)))
        if start and end:
            bend = (
                (start[0] + end[0]) / 2 + (end[1] - start[1]) * 0.15,
                (start[1] + end[1]) / 2 - (end[0] - start[0]) * 0.15,
            )
            # Start and stop at the rings' edges, so the arrowhead is seen whole.
            x1, y1 = _towards(start, bend, 9)
            x2, y2 = _towards(end, bend, 10)
            out.append(
                f'<path d="M{x1:.0f},{y1:.0f} Q{bend[0]:.0f},{bend[1]:.0f} {x2:.0f},{y2:.0f}" '
                f'fill="none" stroke="{MARK_COLOUR}" stroke-width="1.5" '
                f'marker-end="url(#{ident}-arrow)" data-arrow="1"/>'
            )
    return out


def _axes(layout: GridLayout, size: _Size) -> list[str]:
    """The words at each end of the two axes: under the columns, up the side of the rows."""
    out = []
    foot = _TOP + sum(size.heights) + 22
    for column, words in enumerate(layout.columns):
        x = _LEFT + column * _CELL_W + _CELL_W / 2
        arrow = f"← {words}" if column == 0 else f"{words} →"
        out.append(
            f'<text x="{x:.0f}" y="{foot}" font-size="14" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">{_x(arrow)}</text>'
        )
    for row, words in enumerate(layout.rows):
        y = size.tops[row] + size.heights[row] / 2
        arrow = f"{words} →" if row == 0 else f"← {words}"
        out.append(
            f'<text x="22" y="{y:.0f}" font-size="14" text-anchor="middle" fill="{TEXT_COLOUR}" '
            f'transform="rotate(-90 22 {y:.0f})">{_x(arrow)}</text>'
        )
    return out


def grid_svg(layout: GridLayout, marks: Sequence[GridMark], ident: str = "wb-grid") -> str:
    """The grid as accessible SVG: named cells, a filled dot for now, a dashed ring for hoped.

    An arrow runs from where someone is now to where the group hopes they will
    be. Every text is escaped; the title and description say it all in words.

    >>> svg = grid_svg(mason_layout(), [GridMark("<Mum>", "safe_certainty")], ident="g")
    >>> "&lt;Mum&gt;" in svg and "<Mum>" not in svg
    True
    """
    ident = "".join(ch for ch in ident if ch.isalnum() or ch in "-_") or "wb-grid"
    entries = _entries(layout, marks)
    size = _measure(layout, entries)
    out = _opening(layout, marks, size, ident)
    centres: _Centres = {}
    for cell in layout.cells:
        out += _cell(cell, size, entries, centres)
    out += _arrows(marks, centres, ident)
    out += _axes(layout, size)
    out.append("</svg>")
    return "".join(out)


def relationship_label(placement: Any, name: Callable[[str], str], hide: bool = False) -> str:
    """Who is placed, in words: a person, or a relationship on the window ("Priya and the
    family").

    The supervisor's form stores the relationship's words as the label; when
    names are hidden (or there is no label) the ids decide.

    >>> from systemic.uncertainty import WindowPlacement
    >>> p = WindowPlacement(who="worker", towards="family", now="to",
    ...                     label="Priya and the family")
    >>> relationship_label(p, str), relationship_label(p, str.title, hide=True)
    ('Priya and the family', 'Worker and Family')
    """
    if placement.label and not hide:
        return str(placement.label)
    who = name(placement.who)
    towards = getattr(placement, "towards", None)
    return f"{who} and {name(towards)}" if towards else who


def marks(placements: Sequence[Any], grid: str, label: Callable[[Any], str]) -> list[GridMark]:
    """The marks of one grid (``safe_uncertainty`` or ``social_discipline_window``)."""
    return [GridMark(label(p), p.now, p.hoped) for p in placements if p.grid == grid]
