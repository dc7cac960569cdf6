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

from systemic.html_templates import render

__all__ = ["Parts", "PARTS_CSS"]

#: The parts' look (WCAG 2.2 AA: see the template).
PARTS_CSS = render("widgets/parts/style.html.j2")


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
