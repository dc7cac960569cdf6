"""Shared look of the workbook's views, with colours chosen for WCAG 2.2 AA contrast.

The colours are named once in :data:`PALETTE` and the style sheet is built
from them, so that the contrast test reads the very values the page uses
(:data:`CONTRAST_PAIRS`: text at least 4.5:1, borders and outlines at least
3:1 against what they sit on). The grids' cells are light tints so that dark
text stays readable on every one of them.

>>> PALETTE["text"], "wb-section-current" in DASHBOARD_CSS
('#1a1a1a', True)
"""

from __future__ import annotations

from pathlib import Path
from string import Template

__all__ = ["PALETTE", "CONTRAST_PAIRS", "DASHBOARD_CSS"]

PALETTE: dict[str, str] = {
    "text": "#1a1a1a",
    "muted": "#4d4d4d",
    "paper": "#ffffff",
    "accent": "#0b5394",
    "border": "#5f6368",
    "current_background": "#fff4cc",
    "current_border": "#1a1a1a",
    "note_background": "#eef4fb",
    "caveat_background": "#fdf0e6",
    "caveat_border": "#a34d00",
    # Burnham's grid: seen/not seen × spoken about/not.
    "visible_voiced": "#e6f2e6",
    "visible_unvoiced": "#fff7d6",
    "invisible_voiced": "#e7eef9",
    "invisible_unvoiced": "#f1e9f5",
    # Mason's grid.
    "safe_certainty": "#e7eef9",
    "safe_uncertainty": "#e6f2e6",
    "unsafe_certainty": "#f1e9f5",
    "unsafe_uncertainty": "#fdeceb",
    # The Signs of Safety map's three columns.
    "map_worried": "#fdeceb",
    "map_working_well": "#e6f2e6",
    "map_needs_to_happen": "#e7eef9",
}

_TEXT = 4.5
_GRAPHIC = 3.0
_CELLS = (
    "visible_voiced",
    "visible_unvoiced",
    "invisible_voiced",
    "invisible_unvoiced",
    "safe_certainty",
    "safe_uncertainty",
    "unsafe_certainty",
    "unsafe_uncertainty",
    "map_worried",
    "map_working_well",
    "map_needs_to_happen",
)

#: (foreground, background, minimum ratio, what it is) for every colour pair on the page.
CONTRAST_PAIRS: tuple[tuple[str, str, float, str], ...] = (
    ("text", "paper", _TEXT, "body text"),
    ("muted", "paper", _TEXT, "notes and empty-section text"),
    ("accent", "paper", _TEXT, "framework line"),
    ("text", "current_background", _TEXT, "current step"),
    ("current_border", "current_background", _GRAPHIC, "current step outline"),
    ("border", "paper", _GRAPHIC, "step and cell borders"),
    ("accent", "paper", _GRAPHIC, "focus outline and current section bar"),
    ("text", "note_background", _TEXT, "notes"),
    ("text", "caveat_background", _TEXT, "the grid's caveat"),
    ("caveat_border", "caveat_background", _GRAPHIC, "the caveat's bar"),
    *((("text", cell, _TEXT, f"text in the {cell} cell")) for cell in _CELLS),
    *((("muted", cell, _TEXT, f"empty mark in the {cell} cell")) for cell in _CELLS),
    *((("border", cell, _GRAPHIC, f"border of the {cell} cell")) for cell in _CELLS),
)


def _css(p: dict[str, str]) -> str:
    """The dashboard's style sheet, from the palette ``p`` (``static/dashboard_style.html``
    names every colour as ``$name``).

    Filled in with the standard library's :class:`string.Template`, not a Jinja2 template:
    every participant's viewer kernel imports this module, and Jinja2 would cost each of
    them about 6.5 MB (``tests/test_room_drawing.py`` keeps viewer kernels light). Only
    our own colours go in, never typed text, so there is nothing to escape.

    >>> ".wb-cell-safe_certainty { background: #000; }" in _css(
    ...     {**PALETTE, "safe_certainty": "#000"})
    True
    """
    cells = "".join(f".wb-cell-{name} {{ background: {p[name]}; }}\n"
                    for name in _CELLS if not name.startswith("map_"))
    return _SHEET.substitute(p, cells=cells)


_SHEET = Template((Path(__file__).parent / "static" / "dashboard_style.html").read_text("utf-8"))


DASHBOARD_CSS = _css(PALETTE)
