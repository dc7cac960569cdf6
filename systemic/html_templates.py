"""HTML from Jinja2 templates with autoescaping: the one way ``systemic`` writes HTML.

Templates live in ``systemic/templates/`` (package data): ``dashboard/`` and
``plenary/`` for the participants' pages, ``widgets/<module>/`` for the
supervisor's widgets (``widgets/step/`` for what every step shares). Everything passed
in is escaped unless it is already HTML made by another template (wrap it in
:class:`Markup`). Templates are written on one line per element where the
exact markup matters (lists, headings), so the HTML has no stray spaces.

>>> render("dashboard/waiting.html.j2", heading="<b>", text="Soon")
'<header class="wb-head"><h1 class="wb-title">&lt;b&gt;</h1><p aria-live="polite">Soon</p></header>'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

__all__ = ["render", "Markup"]

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def render(template: str, /, **values: Any) -> str:
    """The ``template`` (a path under ``systemic/templates/``) filled in with ``values``."""
    return str(_ENV.get_template(template).render(**values))
