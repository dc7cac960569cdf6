"""Where everyone stands on the genogram: generation rows, order, x, and the lines.

The layout is a generation-layered ("Sugiyama") drawing of a person-and-couple
graph, as GENOGRAM.md §3.2 sets out, written as small steps that a test can
check one by one:

1. :func:`assign_generations` puts each person in a row (longest path from the
   oldest known people, with partners brought into one row, kinship2's rule);
2. :func:`order_rows` orders each row: partner chains move as one unit,
   children stay together under their own couple, oldest on the left, and
   barycentric sweeps cut the crossings (:func:`count_crossings`); then
   neighbours swap (:mod:`~systemic.genogram.layout.transpose`) and, for
   families up to a few hundred people, married-in couples change family
   (:mod:`~systemic.genogram.layout.rehome`), each unit tries every place open
   to it (:mod:`~systemic.genogram.layout.seating`) and a family moves with the
   branch of ancestors that hangs on it alone
   (:mod:`~systemic.genogram.layout.branches`), and where lines still cross a second
   start hangs each couple from the partner with the longer line of ancestors rather
   than the first in the file, and lets the partners of someone with three or more
   change sides (:mod:`~systemic.genogram.layout.partner_sides`), the drawing that
   crosses fewer kept (:mod:`~systemic.genogram.layout.starts`); in larger trees, in an
   intermarried family the couples of whom one partner's line crosses many others first
   stand apart (:mod:`~systemic.genogram.layout.stand_apart`), then the sibling
   groups whose lines cross most move instead, a bounded number of trials
   (:mod:`~systemic.genogram.layout.crossed_groups`), and then their parents,
   where nobody's parents are drawn above them, beside the family their children
   married into (:mod:`~systemic.genogram.layout.free_parents`), and each partner
   standing apart to the end of their sibling group facing their partner
   (:func:`~systemic.genogram.layout.apart.face_partners`), and the crossed groups
   once more, the rows below following only where a move reaches;
3. :func:`place_x` gives x positions: children centred under their couple,
   partners close, never closer than their symbols and labels allow; a small
   family then gets a last look at the drawing itself
   (:mod:`~systemic.genogram.layout.polish`), and the children's line of each
   couple standing apart leaves their couple line where it crosses fewest lines
   (:mod:`~systemic.genogram.layout.apart_hubs`);
4. :func:`route_lines` draws the couple lines, the staggered sibling bars, the
   other parent links (adoptive, foster, …), the relationship curves and the
   household outlines, and gives every row its y.

Each step is a module over one shared base (:mod:`~systemic.genogram.layout.base`:
measures, the family index, the result types): :mod:`~systemic.genogram.layout.generations`,
:mod:`~systemic.genogram.layout.ordering` (with its
:mod:`~systemic.genogram.layout.units`, :mod:`~systemic.genogram.layout.sweeps` (whose
orderer reads :mod:`~systemic.genogram.layout.join_points`, counts
:mod:`~systemic.genogram.layout.apart_rows`, saves rows by
:mod:`~systemic.genogram.layout.snapshots` and refines by
:mod:`~systemic.genogram.layout.refining`) and
:mod:`~systemic.genogram.layout.kept_order`), :mod:`~systemic.genogram.layout.placement`,
:mod:`~systemic.genogram.layout.routing` and its
:mod:`~systemic.genogram.layout.overlays`.

:func:`layout` runs the four steps and returns a frozen :class:`Layout` that
holds everything a drawing needs, so :mod:`systemic.genogram.draw` places
nothing itself. The layout is deterministic, keeps everyone's left-to-right
order after an edit when given the previous layout, and never lets two
symbols or labels overlap (:func:`find_overlaps` checks).

>>> from systemic.cases import Case, Person, Union, ParentLink
>>> case = Case(id="demo", title="Demo", fictional=True, people=[
...     Person(id="mia", name="Mia", sex="female", born=1990),
...     Person(id="sam", name="Sam", sex="male", born=1988),
...     Person(id="kai", name="Kai", sex="male", born=2015)],
...     unions=[Union(id="u1", partners=["mia", "sam"])],
...     parents=[ParentLink(child="kai", parents=["mia", "sam"])])
>>> result = layout(case)
>>> result.rows
(('mia', 'sam'), ('kai',))
>>> find_overlaps(result)
[]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from systemic.cases import Case
from systemic.genogram.layout.apart_hubs import place_apart_hubs
from systemic.genogram.layout.base import (
    IMPROVE_LIMIT,
    INDEX_RING,
    LINE_HEIGHT,
    NAME_FONT_SIZE,
    NOTATION_FILE,
    SMALL_FONT_SIZE,
    SYMBOL_SIZE,
    ChildLine,
    Family,
    HouseholdOutline,
    Layout,
    PersonPlace,
    RelationshipCurve,
    Routes,
    Segment,
    SiblingBar,
    TwinFork,
    UnionLine,
    _Index,
    _label_box,
    _notation,
    _symbol_box,
    collector_paused,
    count_crossings,
    family_segments,
    find_overlaps,
    label_lines,
    measure_label,
    symbol_size,
    union_label,
)
from systemic.genogram.layout.generations import assign_generations
from systemic.genogram.layout.kept_order import stored_order
from systemic.genogram.layout.ordering import order_rows
from systemic.genogram.layout.placement import _refine_by_x, _Rows, place_x
from systemic.genogram.layout.polish import polish
from systemic.genogram.layout.routing import route_lines
from systemic.genogram.layout.starts import second_start

__all__ = [
    "Family",
    "PersonPlace",
    "UnionLine",
    "ChildLine",
    "TwinFork",
    "SiblingBar",
    "RelationshipCurve",
    "HouseholdOutline",
    "Routes",
    "Layout",
    "Segment",
    "assign_generations",
    "order_rows",
    "stored_order",
    "place_x",
    "route_lines",
    "count_crossings",
    "family_segments",
    "find_overlaps",
    "layout",
    "keep_order",
    "label_lines",
    "measure_label",
    "symbol_size",
    "union_label",
    "NOTATION_FILE",
    "INDEX_RING",
    "LINE_HEIGHT",
    "NAME_FONT_SIZE",
    "SMALL_FONT_SIZE",
    "SYMBOL_SIZE",
    "_notation",
]


def layout(
    case: Case,
    previous: Layout | None = None,
    *,
    order: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
    strict_birth_order: bool = False,
) -> Layout:
    """Lay out a case's genogram: rows, order, positions and lines.

    Parameters
    ----------
    case : Case
        A valid case (see :mod:`systemic.genogram.validate`).
    previous : Layout, optional
        The layout before an edit: everyone in it keeps their left-to-right
        order, and only newcomers are placed.
    names : mapping, optional
        Text to show instead of names (initials or roles when names are
        hidden); label boxes are measured from it.
    strict_birth_order : bool
        Keep every sibling group in birth order, even a sibling whose partner
        comes from another family in the row (by default they stand at the
        end of their siblings nearest that family; see :func:`order_rows`).

    Returns
    -------
    Layout

    Examples
    --------
    >>> from systemic.cases import Case, Person
    >>> result = layout(Case(id="c", title="t", fictional=True,
    ...                      people=[Person(id="a", name="Amy", sex="female")]))
    >>> result.people["a"].label_lines
    ('Amy',)

    Notes
    -----
    Python's cycle collector is paused while the layout runs and set back as it was
    after (:func:`~systemic.genogram.layout.base.collector_paused`): it would walk
    every object in the process for nothing, a fifth of a 3,000-person layout.
    """
    with collector_paused():
        return _layout(case, previous, order, names, strict_birth_order)


def _layout(case: Case, previous: Layout | None, order: Sequence[str] | None,
            names: Mapping[str, str] | None, strict_birth_order: bool) -> Layout:
    """:func:`layout`'s steps, with the cycle collector paused around them."""
    idx = _Index(case, names)
    gens = assign_generations(case, _index=idx)
    stored = list(case.order) if order is None else list(order)
    rows = order_rows(case, gens, previous, stored=stored,
                      strict_birth_order=strict_birth_order, _index=idx)
    facts = _Rows(idx, rows, gens)
    xs = place_x(case, rows, _index=idx, _facts=facts)
    if previous is None and not stored and len(idx.people) <= IMPROVE_LIMIT:
        rows, facts, xs = second_start(case, idx, gens, (rows, facts, xs),
                                       strict_birth_order)
        rows, facts, xs = _refine_by_x(case, idx, gens, facts, xs)
        rows, facts, xs = polish(case, idx, gens, facts, xs,
                                 strict_birth_order=strict_birth_order)
    place_apart_hubs(idx, facts, xs)
    routes = route_lines(case, rows, xs, _index=idx, _facts=facts)
    people = {}
    for p in case.people:
        pid = p.id
        people[pid] = PersonPlace(
            id=pid,
            x=xs[pid],
            y=routes.ys[pid],
            generation=facts.row_of[pid],
            size=symbol_size(p),
            symbol=_symbol_box(pid, xs, routes.ys, idx.half),
            label=_label_box(pid, xs, routes.ys, idx),
            label_lines=idx.lines[pid],
            name_lines=idx.name_lines[pid],
        )
    positions = {pid: (place.x, float(place.generation)) for pid, place in people.items()}
    return Layout(
        people=people,
        rows=tuple(tuple(r) for r in facts.rows),
        unions=routes.unions,
        sibling_bars=routes.sibling_bars,
        links=routes.links,
        relationships=routes.relationships,
        households=routes.households,
        width=routes.width,
        height=routes.height,
        crossings=count_crossings(family_segments(case, positions)),
    )


def keep_order(before: Case, after: Case) -> Case:
    """``after`` with the genogram's left-to-right order written into it (``Case.order``).

    The order the family was drawn in before the change (its stored order, or
    the layout it gets without one) is kept, newcomers are slotted in, and the
    result is stored with the case: every screen and export that draws the
    stored case then draws the same picture, whoever lays it out.

    >>> from systemic.cases import Case, Person, Union
    >>> before = Case(id="c", title="t", fictional=True,
    ...               people=[Person(id="b", name="B"), Person(id="a", name="A")])
    >>> after = before.model_copy(update={"people": [*before.people, Person(id="c", name="C")],
    ...     "unions": [Union(id="u", partners=["a", "c"])]})
    >>> keep_order(before, after).order
    ['b', 'a', 'c']
    """
    ids = {p.id for p in before.people}
    if ids and not ids.issubset(before.order):
        base = stored_order(layout(before).rows)
    else:
        base = list(before.order)
    return after.model_copy(update={"order": stored_order(layout(after, order=base).rows)})
