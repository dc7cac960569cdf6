"""Where a person's symbol and label stand on the page, and whether any boxes overlap.

Placement keeps boxes apart, routing steers lines around them and the checks look
for text crossed by lines: all of them need the same boxes, worked out here from the
measures (:mod:`~systemic.genogram.layout.measures`), so that what is kept apart is
what is drawn. The layout promises that no two symbols or labels overlap
(:func:`find_overlaps` checks).

>>> _symbol_box("a", {"a": 10.0}, {"a": 20.0}, {"a": 5.0})
Box(x=5.0, y=15.0, width=10.0, height=10.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from systemic.genogram.geometry import Box, find_box_overlaps
from systemic.genogram.layout.measures import (
    LABEL_GAP,
    LINE_HEIGHT,
    NAME_CHAR_WIDTH,
    SMALL_CHAR_WIDTH,
)

if TYPE_CHECKING:
    from systemic.genogram.layout.family_index import _Index
    from systemic.genogram.layout.results import Layout


def _text_line_boxes(x: float, label_y: float, lines: Sequence[str],
                     name_lines: int) -> list[Box]:
    """Where the drawing writes each line of a label (name lines at 12 px, the rest at 11).

    The drawing's baseline is ``label_y + LINE_HEIGHT * i + 11``.

    >>> _text_line_boxes(100.0, 50.0, ["Amy", "b. 2015"], 1)[0]
    Box(x=88.9, y=51.0, width=22.2, height=13.0)
    """
    out = []
    for i, line in enumerate(lines):
        width = round(len(line) * (NAME_CHAR_WIDTH if i < name_lines else SMALL_CHAR_WIDTH), 2)
        out.append(Box(round(x - width / 2, 2), label_y + LINE_HEIGHT * i + 1, width,
                       LINE_HEIGHT - 1))
    return out


def _symbol_box(p: str, xs: Mapping[str, float], ys: Mapping[str, float],
                half: Mapping[str, float]) -> Box:
    h = half[p]
    return Box(xs[p] - h, ys[p] - h, 2 * h, 2 * h)


def _label_box(p: str, xs: Mapping[str, float], ys: Mapping[str, float], idx: _Index) -> Box:
    w = idx.label_w[p]
    return Box(xs[p] - w / 2, ys[p] + idx.half[p] + LABEL_GAP, w, idx.label_h[p])


# -- what the layout returns ------------------------------------------------------------


def find_overlaps(result: Layout) -> list[tuple[str, str]]:
    """Pairs of symbols or labels that overlap (the layout promises none).

    >>> from systemic.cases import Case, Person
    >>> from systemic.genogram.layout import layout
    >>> find_overlaps(layout(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="a", name="A"), Person(id="b", name="B")])))
    []
    """
    return find_box_overlaps(result.boxes())
