"""Titled parts a supervisor opens and closes: a long step, one tool at a time.

ipywidgets' own ``Accordion`` opens a part when its title is clicked, but the title is
not a button: it cannot be reached or opened with the keyboard, and its closed titles
are grey on grey. Here each title is a real button (Tab reaches it, Enter or Space
opens it) in dark text on a light ground, and says whether it is open with an arrow
and in words for screen readers. By default one part is open at a time: opening one
closes the others.

>>> import ipywidgets as ipw
>>> parts = Parts(["The grid", "The plan"], [ipw.HTML("a"), ipw.HTML("b")])
>>> parts.selected_index, parts.headers[1].description
(0, '▸ The plan')
>>> parts.headers[1].click()
>>> parts.selected_index, parts.bodies[0].layout.display
(1, 'none')
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as ipw

__all__ = ["Parts", "PARTS_CSS"]

# WCAG 2.2 AA: #1a1a1a on #f1f5f9 is 15.9:1; the border #5f6368 is 5.6:1 on white.
PARTS_CSS = """<style>
.wb-part-header.jupyter-button { box-sizing: border-box; width: 100%; height: auto;
  text-align: left;
  white-space: normal; background: #f1f5f9; color: #1a1a1a; border: 1px solid #5f6368;
  border-radius: 0.3rem; font-size: 1rem; font-weight: 600; padding: 0.5rem 0.8rem; }
.wb-part-header.jupyter-button:hover { background: #e2e8f0; }
.wb-part-header.jupyter-button:focus-visible { outline: 3px solid #0b5394; outline-offset: 2px; }
.wb-part-body { border-left: 4px solid #0b5394; padding-left: 0.8rem; margin: 0.3rem 0 0.8rem; }
</style>"""


class Parts:
    """Titled parts, each opened and closed by its own title button.

    Parameters
    ----------
    titles, children
        One title for each part's widget.
    selected_index
        The part open at first; ``None`` for all closed.
    single
        Opening one part closes the others (the default).
    """

    def __init__(self, titles: Sequence[str], children: Sequence[ipw.Widget],
                 selected_index: int | None = 0, *, single: bool = True):
        if len(titles) != len(children):
            raise ValueError("give each part one title")
        self.titles = list(titles)
        self.single = single
        self.headers = [ipw.Button(layout=ipw.Layout(width="100%")) for _ in titles]
        self.bodies = [ipw.VBox([child], layout=ipw.Layout(width="100%")) for child in children]
        for index, (header, body) in enumerate(zip(self.headers, self.bodies, strict=True)):
            header.add_class("wb-part-header")
            body.add_class("wb-part-body")
            header.on_click(lambda _b, i=index: self.toggle(i))
        self._open: set[int] = set()
        self.view = ipw.VBox([ipw.HTML(PARTS_CSS)] + [
            w for pair in zip(self.headers, self.bodies, strict=True) for w in pair
        ], layout=ipw.Layout(width="100%"))
        self.view.add_class("wb-parts")
        self.selected_index = selected_index

    @property
    def selected_index(self) -> int | None:
        """The open part (the first, if several are open); ``None`` when all are closed."""
        return min(self._open) if self._open else None

    @selected_index.setter
    def selected_index(self, index: int | None) -> None:
        self._open = set() if index is None else {index}
        self._show()

    def is_open(self, index: int) -> bool:
        return index in self._open

    def toggle(self, index: int) -> None:
        """Open a closed part (closing the others) or close an open one, as its title does."""
        if index in self._open:
            self._open.discard(index)
        elif self.single:
            self._open = {index}
        else:
            self._open.add(index)
        self._show()

    def _show(self) -> None:
        for index, (title, header, body) in enumerate(
                zip(self.titles, self.headers, self.bodies, strict=True)):
            shown = index in self._open
            header.description = f"{'▾' if shown else '▸'} {title}"
            header.tooltip = f"{'Close' if shown else 'Open'} this part: {title}"
            body.layout.display = "" if shown else "none"
