"""What ordering moves, and the family facts it reads.

Ordering (:mod:`~systemic.genogram.layout.ordering`) moves *units*: a partner chain in
one row (A–X–B for someone with two partners), or one person, each hung under the
family their anchor comes from, so that brothers and sisters stay together under
their own couple (GENOGRAM.md §3.2 step 3). Couples related by birth
(:func:`kin_couples`) may be built as two units, each partner with their own family.
The sweeps (:mod:`~systemic.genogram.layout.sweeps`) read the lines between rows from
the small functions here.

>>> _Unit(["mum", "dad"], row=0).members
['mum', 'dad']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from systemic.genogram.layout.base import (
    _components,
    _Index,
)
from systemic.genogram.layout.overlays import _related_by_birth

__all__ = ["by_lineage", "group_span", "kin_couples", "parts_a_group"]


class _Unit:
    """A partner chain in one row: the people that ordering moves as one."""

    __slots__ = ("members", "row", "home", "anchor", "cross", "component", "first")

    def __init__(self, members: list[str], row: int):
        self.members = members
        self.row = row
        self.home: str | None = None
        self.anchor = members[0]
        self.cross: list[str] = []
        self.component = 0
        self.first = 0



def group_span(homes: Sequence[str | None], at: int) -> range:
    """The places of the sibling group standing at ``at``, in a row whose units hang
    from ``homes`` (only ``at`` for a unit that hangs from no family).

    >>> group_span([None, "f", "f", "g"], 2), group_span([None, "f", "f", "g"], 0)
    (range(1, 3), range(0, 1))
    """
    home = homes[at]
    first = last = at
    if home is not None:
        while first > 0 and homes[first - 1] == home:
            first -= 1
        while last + 1 < len(homes) and homes[last + 1] == home:
            last += 1
    return range(first, last + 1)


def parts_a_group(homes: Sequence[str | None], at: int) -> bool:
    """Whether a unit put in at ``at`` (before the unit there now) would stand inside a
    sibling group of a row whose units hang from ``homes``.

    >>> parts_a_group(["f", "f", "g"], 1), parts_a_group(["f", "f", "g"], 2)
    (True, False)
    """
    return 0 < at < len(homes) and homes[at - 1] is not None and homes[at - 1] == homes[at]


def _chain_order(nodes: list[str], edges: dict[str, list[str]], idx: _Index) -> list[str]:
    """Order a partner component left to right: a path if it is one, else a star."""
    if len(nodes) == 1:
        return nodes
    degree = {n: len(edges[n]) for n in nodes}
    by_order = sorted(nodes, key=idx.order.__getitem__)
    if max(degree.values()) <= 2 and sum(degree.values()) == 2 * (len(nodes) - 1):
        start = next(n for n in by_order if degree[n] == 1)
        out = [start]
        prev = None
        while len(out) < len(nodes):
            nxt = next(m for m in edges[out[-1]] if m != prev)
            prev = out[-1]
            out.append(nxt)
        return out
    centre = max(by_order, key=lambda n: (degree[n], -idx.order[n]))
    out = [centre]
    for k, m in enumerate(edges[centre]):
        if k % 2 == 0:
            out.append(m)
        else:
            out.insert(0, m)
    placed = set(out)
    rest = [n for n in by_order if n not in placed]
    for _ in range(len(rest) + 1):
        if not rest:
            break
        for n in list(rest):
            near = [m for m in edges[n] if m in placed]
            if not near:
                continue
            if out.index(near[0]) < len(out) / 2:
                out.insert(0, n)
            else:
                out.append(n)
            placed.add(n)
            rest.remove(n)
    return out + rest


def kin_couples(idx: _Index) -> set[str]:
    """The couples related by birth (cousins who married, and the like): the families
    whose partners may stand apart, each with their own brothers and sisters, where that
    crosses fewer lines (GENOGRAM.md §3.3: a loop stays local; pedigree tools route such
    a couple's line around the people between).

    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id=p, name=p) for p in ("g", "a", "b")],
    ...     unions=[Union(id="ab", partners=["a", "b"])],
    ...     parents=[ParentLink(child="a", parents=["g"]), ParentLink(child="b", parents=["g"])])
    >>> kin_couples(_Index(case))
    {'ab'}
    """
    births = {child: tuple(ps) for child, ps in idx._birth_parents().items()}
    memo: dict[tuple[str, int], frozenset[str]] = {}
    return {fid for fid, fam in idx.families.items()
            if len(fam.parents) == 2 and _related_by_birth(births, *fam.parents, memo)}


def by_lineage(idx: _Index, hang: Mapping[str, str]) -> Callable[[str], tuple[int, ...]]:
    """A sort key for which partner a couple hangs from that does not depend on the
    order of the file: the partner with more generations of ancestors drawn above them,
    then the one with more brothers and sisters, then the first in the file.

    A couple both of whose partners have parents in the tree stands under one
    partner's parents (the *anchor*); the other partner's line comes from further away.
    :func:`_build_units` takes the first of them in the file by default: a family
    exported from a genealogy program lists its own line first, so that is usually the
    right one, but in a file listing people in another order (by id, by name, merged
    from two files) a couple hangs from whichever partner happens to come first. This
    key does not depend on the order: the partner with more generations drawn above,
    then more brothers and sisters. The layout orders a family both ways where lines
    still cross, and keeps the drawing that crosses fewer
    (:mod:`~systemic.genogram.layout.starts`).

    >>> from systemic.cases import Case, Person, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id=p, name=p) for p in ("in", "g", "m", "x", "y", "z")],
    ...     parents=[ParentLink(child="m", parents=["g"]),
    ...              *(ParentLink(child=c, parents=["m"]) for c in ("x", "y")),
    ...              ParentLink(child="in", parents=["z"])])
    >>> idx = _Index(case)
    >>> from systemic.genogram.layout.base import _hang_families
    >>> from systemic.genogram.layout.generations import assign_generations
    >>> hang = _hang_families(idx, assign_generations(case))
    >>> sorted(["in", "x"], key=by_lineage(idx, hang))
    ['x', 'in']
    """
    depth: dict[str, int] = {}
    for p in sorted(hang, key=lambda p: idx.order[p]):
        _lineage_depth(idx, hang, p, depth)
    siblings: dict[str, int] = {}
    for fid in hang.values():
        siblings[fid] = siblings.get(fid, 0) + 1
    return lambda p: (-depth.get(p, 0), -siblings.get(hang.get(p, ""), 0), idx.order[p])


def _lineage_depth(idx: _Index, hang: Mapping[str, str], p: str, depth: dict[str, int]) -> int:
    """Generations of ancestors drawn above ``p`` (a family hung from is always in the
    row just above, so the walk ends), remembered in ``depth``."""
    path = [p]
    while path:  # no recursion: a 500-generation file would reach Python's limit
        q = path[-1]
        fid = hang.get(q)
        above = [r for r in idx.families[fid].parents if r not in depth] if fid else []
        if above:
            path.extend(above)
            continue
        path.pop()
        depth[q] = 1 + max(depth[r] for r in idx.families[fid].parents) if fid else 0
    return depth[p]


def _build_units(
    idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str], kin: set[str],
    anchor_key: Callable[[str], Any] | None = None,
) -> list[_Unit]:
    """Each row's partner chains and lone people as units, in the file's order, each
    hung from the family of its first member (by ``anchor_key``: by default the first
    in the file, else e.g. :func:`by_lineage`) who has one."""
    edges: dict[str, list[str]] = {p: [] for p in idx.people}
    for fam in idx.families.values():
        if len(fam.parents) == 2 and fam.id not in kin:
            a, b = fam.parents
            if gens[a] == gens[b] and b not in edges[a]:
                edges[a].append(b)
                edges[b].append(a)
    seen: set[str] = set()
    units: list[_Unit] = []
    comp = _components(idx)
    for p in idx.people:
        if p in seen:
            continue
        group = [p]
        seen.add(p)
        head = 0
        while head < len(group):
            for q in edges[group[head]]:
                if q not in seen:
                    seen.add(q)
                    group.append(q)
            head += 1
        unit = _Unit(_chain_order(group, edges, idx), gens[p])
        with_home = sorted((m for m in unit.members if m in hang),
                           key=anchor_key or idx.order.__getitem__)
        if with_home:
            unit.anchor = with_home[0]
            unit.home = hang[with_home[0]]
            unit.cross = [m for m in with_home[1:] if hang[m] != unit.home]
        else:
            unit.anchor = min(unit.members, key=idx.order.__getitem__)
        unit.component = comp[p]
        unit.first = min(idx.order[m] for m in unit.members)
        units.append(unit)
    return units


def _by_component(units: list[_Unit]) -> dict[int, list[_Unit]]:
    out: dict[int, list[_Unit]] = {}
    for u in units:
        out.setdefault(u.component, []).append(u)
    return out


def _shifted(units: list[_Unit], low: int) -> list[_Unit]:
    """The units with rows counted from the family's top row (the orderer's rows)."""
    for u in units:
        u.row -= low
    return units


#: A line from a family's join point to a child: the parents, the child.
_Line = tuple[tuple[str, ...], str]


def _children_by_parent(idx: _Index, hang: Mapping[str, str]) -> dict[str, list[str]]:
    """Children of each parent by the family they hang from, for barycentres from below."""
    kids: dict[str, list[str]] = {}
    for child, fid in hang.items():
        for p in idx.families[fid].parents:
            kids.setdefault(p, []).append(child)
    return kids


def _lines_to_children(idx: _Index, unit_of: Mapping[str, _Unit]) -> list[_Line]:
    """Every line into a child of this connected family."""
    return [
        (idx.families[link.family].parents, link.child)
        for links in idx.links_of.values()
        for link in links
        if link.child in unit_of
    ]


def _children_of(links: Sequence[_Line]) -> dict[tuple[str, ...], list[str]]:
    kids_of: dict[tuple[str, ...], list[str]] = {}
    for parents, child in links:
        kids_of.setdefault(parents, []).append(child)
    return kids_of


def _lines_into_rows(
    links: Sequence[_Line], unit_of: Mapping[str, _Unit], gens: Mapping[str, int]
) -> dict[int, list[tuple[tuple[str, ...], str, float, float]]]:
    """The lines into each row (of this family's rows), with their ends' rows as y."""
    links_into: dict[int, list[tuple[tuple[str, ...], str, float, float]]] = {}
    for parents, child in links:
        top = float(max(gens[p] for p in parents))
        links_into.setdefault(unit_of[child].row, []).append(
            (parents, child, top, float(gens[child])))
    return links_into


def _couples_free_apart(
    idx: _Index, kin: set[str] | frozenset[str], unit_of: Mapping[str, _Unit],
    gens: Mapping[str, int],
) -> list[tuple[str, str]]:
    """Couples free to stand apart (``kin``: related by birth, or tried apart), in the
    file's order: a set's order changes from one Python process to the next, and every
    screen must draw the same picture."""
    return [
        (a, b) for a, b in (idx.families[f].parents for f in idx.families if f in kin)
        if a in unit_of and b in unit_of and gens[a] == gens[b]
        and unit_of[a] is not unit_of[b]]


def _couples_across_rows(
    idx: _Index, unit_of: Mapping[str, _Unit], gens: Mapping[str, int]
) -> dict[int, list[tuple[str, tuple[str, ...], float, float]]]:
    """Couples in two rows: the upper partner's line down to the join point beside the
    lower partner crosses the lines into the lower row (by the lower row)."""
    across_into: dict[int, list[tuple[str, tuple[str, ...], float, float]]] = {}
    for fam in idx.families.values():
        ps = fam.parents
        if len(ps) == 2 and all(p in unit_of for p in ps) and gens[ps[0]] != gens[ps[1]]:
            upper, lower = sorted(ps, key=gens.__getitem__)
            across_into.setdefault(unit_of[lower].row, []).append(
                (upper, ps, float(gens[upper]), float(gens[lower])))
    return across_into


def _partners_across_rows(
    across_into: Mapping[int, list[tuple[str, tuple[str, ...], float, float]]]
) -> dict[str, list[str]]:
    """Each person's partners in other rows, whom the sweeps pull them towards."""
    across_partners: dict[str, list[str]] = {}
    for _upper, (a, b), _top, _bottom in (
            item for items in across_into.values() for item in items):
        across_partners.setdefault(a, []).append(b)
        across_partners.setdefault(b, []).append(a)
    return across_partners


def _joins_by_row(
    kids_of: Mapping[tuple[str, ...], list[str]], unit_of: Mapping[str, _Unit],
    gens: Mapping[str, int],
) -> dict[int, list[tuple[str, ...]]]:
    """Each row's join points (parents with children below), for :meth:`_Orderer.apart`."""
    joins_in: dict[int, list[tuple[str, ...]]] = {}
    for ps in kids_of:
        lower = max(ps, key=gens.__getitem__)
        joins_in.setdefault(unit_of[lower].row, []).append(ps)
    return joins_in
