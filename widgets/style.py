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
    cells = "".join(
        f".wb-cell-{name} {{ background: {p[name]}; }}\n"
        for name in _CELLS
        if not name.startswith("map_")
    )
    return f"""<style>
.wb-dashboard {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: {p["text"]}; background: {p["paper"]}; max-width: 70rem; line-height: 1.5;
  overflow-wrap: anywhere; }}
.wb-dashboard .widget-html-content {{ font-size: 1rem; line-height: 1.5; color: {p["text"]}; }}
.wb-dashboard h1 {{ font-size: 1.6rem; margin: 0.2rem 0; }}
.wb-dashboard h2 {{ font-size: 1.25rem; margin: 1.2rem 0 0.4rem; }}
.wb-dashboard h3 {{ font-size: 1.05rem; margin: 0.6rem 0 0.2rem; }}
.wb-dashboard h4 {{ font-size: 1rem; margin: 0.4rem 0 0.1rem; }}
.wb-dashboard ul, .wb-dashboard ol {{ margin: 0.2rem 0 0.4rem; padding-left: 1.4rem; }}
.wb-framework {{ color: {p["accent"]}; margin: 0; }}
.wb-date {{ margin: 0; }}
.wb-steps {{ display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0 !important;
  list-style: none; margin: 0.6rem 0; }}
.wb-step {{ border: 1px solid {p["border"]}; border-radius: 0.3rem; padding: 0.2rem 0.6rem; }}
.wb-step-current {{ background: {p["current_background"]};
  border: 2px solid {p["current_border"]}; }}
.wb-guidance {{ border-left: 4px solid {p["accent"]}; padding-left: 0.8rem; }}
.wb-status {{ background: {p["note_background"]}; padding: 0.3rem 0.6rem; }}
.wb-note, .wb-empty {{ color: {p["muted"]}; }}
.wb-caveat {{ background: {p["caveat_background"]}; border-left: 4px solid {p["caveat_border"]};
  padding: 0.3rem 0.6rem; }}
.wb-grid {{ display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.5rem; }}
.wb-grid-map {{ grid-template-columns: repeat(3, minmax(0, 1fr)); }}
.wb-cell {{ border: 1px solid {p["border"]}; border-radius: 0.3rem; padding: 0.3rem 0.6rem; }}
.wb-cell h3 {{ margin-top: 0.1rem; }}
{cells}.wb-map-worried {{ background: {p["map_worried"]}; }}
.wb-map-working-well {{ background: {p["map_working_well"]}; }}
.wb-map-needs-to-happen {{ background: {p["map_needs_to_happen"]}; }}
.wb-idea {{ margin-bottom: 0.6rem; }}
.wb-idea-text {{ font-weight: 600; margin: 0; }}
.wb-about {{ margin: 0; }}
.wb-part {{ padding: 0 0.6rem; border-left: 4px solid transparent; }}
.wb-section-current {{ border-left: 4px solid {p["accent"]}; }}
.wb-genogram-help {{ margin: 0 0 0.3rem; }}
.wb-dashboard :focus-visible {{ outline: 3px solid {p["accent"]}; outline-offset: 2px; }}
@media (max-width: 40rem) {{ .wb-grid, .wb-grid-map {{ grid-template-columns: 1fr; }} }}
</style>"""


DASHBOARD_CSS = _css(PALETTE)
