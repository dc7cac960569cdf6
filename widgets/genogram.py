"""The genogram widget: one anywidget showing the SVG drawn in Python.

Its synced state is the SVG, the selected person, the mode and the zoom
(STYLE.md, anywidget section). The ES module only places the SVG, reports
clicks and keyboard selection by ``data-person`` and handles zoom and pan.
In ``view`` mode (participants) nothing it reports is written anywhere.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

__all__ = ["GenogramWidget", "STATIC"]

STATIC = Path(__file__).resolve().parent / "static"


class GenogramWidget(anywidget.AnyWidget):
    """Shows a genogram SVG; ``selected`` is the id of the person last clicked ("" for none)."""

    _esm = STATIC / "genogram.js"
    _css = STATIC / "genogram.css"

    svg = traitlets.Unicode("").tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    mode = traitlets.Enum(("edit", "view"), default_value="view").tag(sync=True)
    zoom = traitlets.Float(1.0).tag(sync=True)

    @traitlets.validate("zoom")
    def _zoom_in_range(self, proposal: traitlets.Bunch) -> float:
        return min(4.0, max(0.25, float(proposal["value"])))


def case_genogram() -> GenogramWidget:
    """The genogram of the session in progress; a click points the whole group at that person."""
    import threading

    from systemic.genogram.draw import draw_svg
    from systemic.session import SupervisorSession
    from systemic.store import Store
    from systemic.store.location import resolve_store_path

    session = SupervisorSession.resume(Store.open(resolve_store_path(None)))
    session.go_to("case")
    case = session.case
    widget = GenogramWidget(svg=draw_svg(case), mode="edit")
    lock = threading.Lock()

    def follow_the_presenter(change: dict[str, object]) -> None:
        # Under ipykernel 7 this runs on a comm thread: a plain, locked store write.
        with lock:
            person = str(change["new"]) or None
            session.select_person(person)
            widget.svg = draw_svg(case, selected=person)

    widget.observe(follow_the_presenter, names="selected")
    return widget
