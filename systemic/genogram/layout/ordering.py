"""Step 2 of the layout: the left-to-right order of each generation row.

Partner chains move as units, sibling groups stay together under their own
couple (oldest on the left), and barycentric sweeps with chain flips and group
swaps cut the crossings of parent–child lines (GENOGRAM.md §3.2 step 4), then
:mod:`~systemic.genogram.layout.transpose` swaps neighbours and
:mod:`~systemic.genogram.layout.rehome` flips couples and lets a married-in
couple stand with the other partner's family where fewer lines cross; in the
largest trees :mod:`~systemic.genogram.layout.crossed_groups` moves the sibling
groups whose lines cross most instead, in a bounded number of trials (then
:mod:`~systemic.genogram.layout.free_parents` and
:func:`~systemic.genogram.layout.apart.face_partners`), after, in an intermarried
tree, the couples with a partner's long line stand apart
(:mod:`~systemic.genogram.layout.stand_apart`). An
order kept from before (the previous layout, or the order stored with the
case) is honoured first: see :func:`order_rows`. Which partner each couple hangs
from is decided by the file's order, or with ``by_lineage_first`` by their lines of
ancestors: the layout tries both where lines still cross
(:mod:`~systemic.genogram.layout.starts`).

Here, the whole step: which order to start from, and for each connected family
which units to order and which result to keep. The units and the family facts
they read are in :mod:`~systemic.genogram.layout.units`, the sweeps in
:mod:`~systemic.genogram.layout.sweeps` (the join points they read in
:mod:`~systemic.genogram.layout.join_points`, the cost of couples standing apart in
:mod:`~systemic.genogram.layout.apart_rows`, saved rows in
:mod:`~systemic.genogram.layout.snapshots`, the trial moves after them in
:mod:`~systemic.genogram.layout.refining`), an order kept from before in
:mod:`~systemic.genogram.layout.kept_order`.

>>> from systemic.cases import Case, Person
>>> case = Case(id="c", title="t", fictional=True,
...             people=[Person(id="a", name="A"), Person(id="b", name="B")])
>>> order_rows(case, {"a": 0, "b": 0})
(('a', 'b'),)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from systemic.cases import Case
from systemic.genogram.layout.apart import crossed_couples, try_apart
from systemic.genogram.layout.base import (
    IMPROVE_LIMIT,
    Layout,
    _hang_families,
    _Index,
)
from systemic.genogram.layout.kept_order import _order_from_previous, _order_from_stored
from systemic.genogram.layout.stand_apart import long_lined_couples, to_own_families
from systemic.genogram.layout.sweeps import _Orderer
from systemic.genogram.layout.transpose import transpose
from systemic.genogram.layout.units import (
    _build_units,
    _by_component,
    _shifted,
    _Unit,
    by_lineage,
    kin_couples,
)

__all__ = ["order_rows"]


def order_rows(
    case: Case,
    generations: Mapping[str, int],
    previous: Layout | None = None,
    *,
    stored: Sequence[str] | None = None,
    strict_birth_order: bool = False,
    by_lineage_first: bool = False,
    _index: _Index | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Each generation's people, left to right.

    Partner chains (A–X–B for someone with two partners) are units that move
    together; siblings stay together, oldest on the left, under their own
    couple (twins side by side); a sibling married to someone from another
    family in the same row stands at the end of their sibling group that
    faces the partner's family. Down and up barycentric sweeps order the
    sibling groups, keeping the order with the fewest crossings; for small
    families, chain flips and group swaps follow, each kept only if
    :func:`count_crossings` drops. Unconnected families sit side by side.

    That last rule is a trade-off (kinship2 makes it too, GENOGRAM.md §3.4):
    it keeps a couple from two families side by side without a line across
    the sibling bar, at the cost of birth order. ``strict_birth_order=True``
    keeps every sibling group in birth order instead.

    With ``previous`` (the layout before an edit), everyone already drawn
    keeps their left-to-right order and newcomers are slotted in. ``stored``
    is the order kept with the case (person ids, left to right, row after
    row; see :func:`stored_order`): the people in it keep that order in their
    rows, and anyone not in it is slotted in the same way, so every screen
    and every export that reads the same stored case draws the same picture.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="mum", name="Mum"), Person(id="dad", name="Dad"),
    ...     Person(id="young", name="Young", born=2012),
    ...     Person(id="old", name="Old", born=2009)],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child=c, parents=["mum", "dad"]) for c in ("young", "old")])
    >>> from systemic.genogram.layout.generations import assign_generations
    >>> order_rows(case, assign_generations(case))
    (('mum', 'dad'), ('old', 'young'))

    ``by_lineage_first`` hangs each couple both of whose partners have parents in the
    file from the partner with the longer line of ancestors
    (:func:`~systemic.genogram.layout.units.by_lineage`) rather than the first in the
    file (:mod:`~systemic.genogram.layout.starts`).

    Notes
    -----
    Sugiyama, Tagawa & Toda (1981) layered drawing with barycentre ordering;
    sibship grouping and chain orientation after GENOGRAM.md §3.2 step 4.
    """
    idx = _index or _Index(case)
    gens = dict(generations)
    hang = _hang_families(idx, gens)
    if previous is not None and any(p in previous.people for p in idx.people):
        xs = {pid: place.x for pid, place in previous.people.items()}
        rows = _order_from_previous(idx, gens, hang, xs, previous.rows)
        return tuple(tuple(r) for r in rows)
    if stored and any(p in idx.people for p in stored):
        return _order_from_stored(case, idx, gens, hang, stored)
    kin = kin_couples(idx)
    key = by_lineage(idx, hang) if by_lineage_first else None
    bound = _by_component(_build_units(idx, gens, hang, set(), key))
    apart = _by_component(_build_units(idx, gens, hang, kin, key)) if kin else bound
    depth = max(gens.values(), default=0) + 1
    rows: list[list[_Unit]] = [[] for _ in range(depth)]
    loose: list[_Unit] = []
    for comp in sorted(bound, key=lambda c: min(u.first for u in bound[c])):
        members = bound[comp]
        if len(members) == 1 and len(members[0].members) == 1 and not members[0].home:
            loose.append(members[0])
            continue
        _order_component(idx, gens, hang, (members, apart[comp]), rows,
                         strict_birth_order, kin, key)
    for u in loose:
        _place_loose(idx, u, rows[u.row])
    return tuple(tuple(m for u in row for m in u.members) for row in rows)


def _order_component(idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
                     choices: tuple[list[_Unit], list[_Unit]], rows: list[list[_Unit]],
                     strict_birth_order: bool, kin: set[str],
                     anchor_key: Callable[[str], Any] | None = None) -> None:
    """Order one connected family and append its rows to ``rows``.

    ``choices`` are its units with every couple side by side, and with couples related
    by birth free to stand apart (:func:`kin_couples`); where they differ, both are
    ordered and the one with fewer crossings (each family line leaving from between
    such partners counting as one) is kept. For families up to :data:`IMPROVE_LIMIT`
    people each is refined before they are compared, and where lines still cross in an
    intermarried family, couples whose lines cross are tried apart in turn
    (:mod:`~systemic.genogram.layout.apart`). Larger trees are compared after the
    sweeps and only the better one is refined, by neighbour swaps, in an intermarried
    family the couples with a partner's long line freed to stand apart
    (:mod:`~systemic.genogram.layout.stand_apart`), and a bounded number of moves of
    the sibling groups whose lines cross most
    (:mod:`~systemic.genogram.layout.crossed_groups`): the sweeps already tell them
    apart (the orderer's counts for royal92: 995 against 1,133 after the sweeps, 451
    against 536 refined; the 4,683-person export: 807 against 641, then 537 against
    405), and refining both would cost a 3,000-person tree a further 0.15 s.

    ``anchor_key`` chooses the partner each couple hangs from (by default the first in
    the file); given, this is the layout's second start
    (:mod:`~systemic.genogram.layout.starts`)."""
    members = choices[0]
    people_here = sum(len(u.members) for u in members)
    improve = people_here <= IMPROVE_LIMIT
    tries = choices if len(choices[1]) != len(members) else choices[:1]
    if anchor_key is not None:
        # The layout's second start (:mod:`~systemic.genogram.layout.starts`) orders only
        # the last choice: kennedy, shuffled nine ways, draws the same with both, in
        # 0.50 s rather than 0.58 s; with couples side by side alone, 1 → 4 or 5 lines
        # crossing in three of the nine orders.
        tries = tries[-1:]
    low = min(u.row for u in members)
    best, best_count = _best_start(idx, gens, hang, [_shifted(u, low) for u in tries],
                                   kin, improve, strict_birth_order, anchor_key)
    if not improve:
        transpose(best)
        if not strict_birth_order and _intermarried(idx, best, kin):
            best = _stand_apart(idx, gens, hang, best, kin, low)
        best.refine_largest()
    elif best_count > 0 and _intermarried(idx, best, kin):
        best = _try_apart(idx, gens, hang, best, kin, strict_birth_order, low)
    for u in (u for row in best.rows for u in row):
        u.row += low
    for r, row in enumerate(best.rows):
        rows[r + low].extend(row)


def _best_start(idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
                tries: list[list[_Unit]], kin: set[str], improve: bool,
                strict_birth_order: bool, anchor_key: Callable[[str], Any] | None = None,
                ) -> tuple[_Orderer, int]:
    """Each of ``tries`` (one family's units, rows counted from its top row) swept, and
    refined if ``improve``: the orderer with the fewest crossings (the first of equals)
    and its count."""
    best: _Orderer | None = None
    best_count = 0
    for units in tries:
        # Families up to a few hundred people order better by page position; the
        # largest trees, by plain rank in the row (measured on the GEDCOM samples).
        orderer = _Orderer(idx, gens, hang, units, by_width=improve, kin=kin,
                           strict_birth_order=strict_birth_order, anchor_key=anchor_key)
        count = orderer.sweep(sweeps=6)
        if improve:
            orderer.refine()
            count = orderer.crossings()
        if best is None or count < best_count:
            best, best_count = orderer, count
        if best_count == 0:
            break
    assert best is not None
    return best, best_count


def _intermarried(idx: _Index, orderer: _Orderer, kin: set[str]) -> bool:
    """Whether the family ``orderer`` orders has a couple related by birth."""
    return any(idx.families[f].parents[0] in orderer.unit_of for f in kin)


def _variant(idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
             best: _Orderer, free: set[str], strict_birth_order: bool, low: int) -> _Orderer:
    """An orderer of ``best``'s family in which the couples ``free`` may stand apart,
    started from ``best``'s order (each partner where they stand now)."""
    component = next(iter(best.unit_of.values())).component
    units = [u for u in _build_units(idx, gens, hang, free, best.anchor_key)
             if u.component == component]
    trial = _Orderer(idx, gens, hang, _shifted(units, low), by_width=best.by_width,
                     kin=free, strict_birth_order=strict_birth_order,
                     anchor_key=best.anchor_key)
    trial.follow([[m for u in row for m in u.members] for row in best.rows])
    return trial


def _families_of(idx: _Index, orderer: _Orderer, kin: set[str]) -> list[str]:
    """The couples of ``orderer``'s family not yet free to stand apart, in file order."""
    return [f for f, fam in idx.families.items()
            if f not in kin and len(fam.parents) == 2 and fam.parents[0] in orderer.unit_of]


def _stand_apart(idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
                 best: _Orderer, kin: set[str], low: int) -> _Orderer:
    """The largest intermarried trees: couples with a partner's line crossing many others
    freed to stand apart, each partner with their own brothers and sisters
    (:mod:`~systemic.genogram.layout.stand_apart`)."""
    couples = long_lined_couples(best, _families_of(idx, best, kin))
    if not couples:
        return best
    trial = _variant(idx, gens, hang, best, kin | set(couples), False, low)
    to_own_families(trial, [idx.families[f].parents for f in couples])
    return trial


def _try_apart(idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
               best: _Orderer, kin: set[str], strict_birth_order: bool, low: int) -> _Orderer:
    """In an intermarried family, :func:`~systemic.genogram.layout.apart.try_apart` over
    the couples whose lines cross (none elsewhere: there couples never stand apart)."""
    families = _families_of(idx, best, kin)
    return try_apart(best, crossed_couples(best, families), lambda fid: _variant(
        idx, gens, hang, best, kin | {fid}, strict_birth_order, low))


def _place_loose(idx: _Index, u: _Unit, row: list[_Unit]) -> None:
    """Someone with no family links stands next to the people they live with."""
    p = u.members[0]
    near = [
        q
        for k in idx.households_of.get(p, ())
        for q in idx.case.households[k].members
        if q != p
    ] + idx.related.get(p, [])
    at = None
    for q in near:
        for i, other in enumerate(row):
            if q in other.members:
                j = i
                while j + 1 < len(row) and row[j + 1].home and row[j + 1].home == other.home:
                    j += 1
                at = j + 1
                break
        if at is not None:
            break
    row.insert(len(row) if at is None else at, u)
