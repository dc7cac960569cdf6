"""What every step of the genogram layout shares, gathered in one place to import from.

The layout (:mod:`systemic.genogram.layout`) runs four steps, one module each:
:mod:`~systemic.genogram.layout.generations`, :mod:`~systemic.genogram.layout.ordering`,
:mod:`~systemic.genogram.layout.placement` and :mod:`~systemic.genogram.layout.routing`.
They all read the same measures (:mod:`~systemic.genogram.layout.measures`: symbol and
label sizes, gaps), the same index of the case
(:mod:`~systemic.genogram.layout.family_index`: families, partners, children, twins,
households), the same boxes (:mod:`~systemic.genogram.layout.boxes`) and crossing
count (:mod:`~systemic.genogram.layout.crossings`), and produce the frozen result
types of :mod:`~systemic.genogram.layout.results`. Each is defined in the module named
for it; the steps import them from here, with the two things that belong to the
layout as a whole: the size above which the costliest trials are skipped and the
cycle collector paused while it runs.

>>> from systemic.cases import Person
>>> measure_label(Person(id="a", name="Amy", born=2015))
(('Amy', 'b. 2015'), 1, 50.2, 28.0)
>>> IMPROVE_LIMIT
320
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from systemic.genogram.layout.boxes import (
    _label_box,
    _symbol_box,
    _text_line_boxes,
    find_overlaps,
)
from systemic.genogram.layout.crossings import (
    Segment,
    _inversions,
    count_crossings,
    family_segments,
)
from systemic.genogram.layout.family_index import (
    _KIND_RANK,
    _PLACEMENT_KINDS,
    Family,
    _components,
    _find_components,
    _hang_families,
    _Index,
    _Link,
)
from systemic.genogram.layout.measures import (
    _SMALL_KINDS,
    BAR_LANE,
    COMPONENT_GAP,
    DROP_CLEAR,
    GAP,
    GROUP_GAP,
    HOUSEHOLD_PAD_MAX,
    HOUSEHOLD_ROOM,
    INDEX_RING,
    JOG,
    LABEL_GAP,
    LINE_HEIGHT,
    LINK_LANE,
    LOW_LANE,
    MARGIN,
    MIN_ROW_PITCH,
    NAME_CHAR_WIDTH,
    NAME_FONT_SIZE,
    NAME_LINES,
    NAME_WRAP,
    NOTATION_FILE,
    PET_SYMBOL_SIZE,
    SMALL_CHAR_WIDTH,
    SMALL_FONT_SIZE,
    SMALL_SYMBOL_SIZE,
    SYMBOL_SIZE,
    UNIT_GAP,
    _gender_differs,
    _notation,
    _symbol_half,
    _wrap,
    label_lines,
    measure_label,
    symbol_size,
    union_label,
)
from systemic.genogram.layout.results import (
    ChildLine,
    HouseholdOutline,
    Layout,
    PersonPlace,
    RelationshipCurve,
    Routes,
    SiblingBar,
    TwinFork,
    UnionLine,
)

__all__ = [
    "BAR_LANE", "COMPONENT_GAP", "DROP_CLEAR", "GAP", "GROUP_GAP", "HOUSEHOLD_PAD_MAX",
    "HOUSEHOLD_ROOM", "IMPROVE_LIMIT", "INDEX_RING", "JOG", "LABEL_GAP", "LINE_HEIGHT",
    "LINK_LANE", "LOW_LANE", "MARGIN", "MIN_ROW_PITCH", "NAME_CHAR_WIDTH", "NAME_FONT_SIZE",
    "NAME_LINES", "NAME_WRAP", "NOTATION_FILE", "PET_SYMBOL_SIZE", "SMALL_CHAR_WIDTH",
    "SMALL_FONT_SIZE", "SMALL_SYMBOL_SIZE", "SYMBOL_SIZE", "UNIT_GAP",
    "ChildLine", "Family", "HouseholdOutline", "Layout", "PersonPlace", "RelationshipCurve",
    "Routes", "Segment", "SiblingBar", "TwinFork", "UnionLine",
    "_KIND_RANK", "_PLACEMENT_KINDS", "_SMALL_KINDS", "_Index", "_Link", "_components",
    "_find_components", "_gender_differs", "_hang_families", "_inversions", "_label_box",
    "_notation", "_symbol_box", "_symbol_half", "_text_line_boxes", "_wrap",
    "collector_paused", "count_crossings", "family_segments", "find_overlaps",
    "label_lines", "measure_label", "symbol_size", "union_label",
]

#: Above this many people the extra crossing-cutting flips are skipped: sweeps alone
#: already do well, and the flips grow with the square of the family's size.
IMPROVE_LIMIT = 320


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the layout runs, then set back as it was.

    A layout makes hundreds of thousands of short-lived tuples and lists, none of them
    in a reference cycle: reference counting frees each as soon as it is dropped. The
    cycle collector would still walk every object in the process each time enough had
    been made (royal92's 3,010 people: three full walks, 150 ms of a 700 ms layout
    and drawing), finding nothing to free. What the layout makes is the same either
    way.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
