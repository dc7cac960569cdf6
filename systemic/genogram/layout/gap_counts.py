"""Crossings of the ordering's lines, counted gap by gap and remembered.

Ordering judges tens of thousands of trial moves in a family of a few hundred people,
each by counting the crossings of the lines into a few rows (or all of them). A move
changes the positions in a row or two; the gaps between other rows keep their lines
where they were. So here each gap between two rows is counted on its own, exactly as
:func:`~systemic.genogram.layout.crossings.count_crossings` counts it (same cuts, same
rounding, same pairs), and its count is remembered against the positions of everyone
its lines depend on: the children, the parents and whatever places their join point
(:meth:`~systemic.genogram.layout.sweeps._Orderer.join_pos`). Asked again with those
people where they were, the gap's count is read back instead of counted.

Only a call whose lines into children each run between neighbouring rows is counted
this way (every family in the corpus); others are counted whole, as before.

A line into a child between rows 1 and 2, and a couple's line from row 0 down to
row 2, cut in two:

>>> plan = _plan_gaps([(0, 1.0, 2.0)], [(0, 0.0, 2.0)])
>>> plan[(0.0, 1.0)], plan[(1.0, 2.0)]
(([], [(0, 0.0, 2.0, 0.0, 1.0)]), ([0], [(0, 0.0, 2.0, 1.0, 2.0)]))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from systemic.genogram.layout.base import _inversions

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer

__all__ = ["GapCounts"]

#: Positions remembered per gap before the memory is emptied (each a tuple of floats).
MEMORY = 4096

#: A line of a couple in two rows cut to one gap: its index among the counted lines,
#: its ends' y, and the gap's top and bottom y.
_Piece = tuple[int, float, float, float, float]


def _plan_gaps(
    into: Sequence[tuple[int, float, float]], across: Sequence[tuple[int, float, float]]
) -> dict[tuple[float, float], tuple[list[int], list[_Piece]]]:
    """Which lines fall in which gap, as ``count_crossings`` would cut them: ``into`` and
    ``across`` are (index, top y, bottom y) of lines into children (each spanning one
    gap) and of couples in two rows. The levels are every line's ends; a line spanning
    several levels is cut at each."""
    levels = sorted({y for _i, top, bottom in [*into, *across] for y in (top, bottom)})
    at = {y: k for k, y in enumerate(levels)}
    gaps: dict[tuple[float, float], tuple[list[int], list[_Piece]]] = {}
    for i, top, bottom in into:
        gaps.setdefault((top, bottom), ([], []))[0].append(i)
    for i, top, bottom in across:
        for k in range(at[top], at[bottom]):
            gap = (levels[k], levels[k + 1])
            gaps.setdefault(gap, ([], []))[1].append((i, top, bottom, *gap))
    return gaps


class _Gap:
    """One gap's lines, counted from current positions and remembered by them."""

    __slots__ = ("into", "across", "depends", "memory", "families", "lines")

    def __init__(self, into: list[tuple[tuple[str, ...], str]],
                 across: list[tuple[str, tuple[str, ...], float, float, float, float]],
                 depends: Callable[[dict[str, float]], Any]):
        self.into = into
        self.across = across
        self.depends = depends
        self.memory: dict[Any, tuple[int, int]] = {}
        # Each family's join point is worked out once per count, not once per child.
        self.families = list(dict.fromkeys(parents for parents, _child in into))
        at = {parents: i for i, parents in enumerate(self.families)}
        self.lines = [(at[parents], child) for parents, child in into]

    def count(self, orderer: _Orderer) -> tuple[int, int]:
        """Crossings of the lines into children in this gap, and of those with the lines
        of couples in two rows added."""
        key = self.depends(orderer.pos)
        known = self.memory.get(key)
        if known is not None:
            return known
        pos, join_pos = orderer.pos, orderer.join_pos
        xs = [join_pos(parents) for parents in self.families]
        pairs = [(xs[i], pos[child]) for i, child in self.lines]
        into = _inversions(list(pairs))
        both = into
        if self.across:
            for upper, parents, y1, y2, ya, yb in self.across:
                x1, x2 = pos[upper], join_pos(parents)
                if ya == y1 and yb == y2:
                    pairs.append((x1, x2))
                    continue
                # Cut at each level between, as count_crossings does.
                xa = x1 + (x2 - x1) * (ya - y1) / (y2 - y1)
                xb = x1 + (x2 - x1) * (yb - y1) / (y2 - y1)
                pairs.append((round(xa, 6), round(xb, 6)))
            both = _inversions(pairs)
        if len(self.memory) >= MEMORY:
            self.memory.clear()
        self.memory[key] = (into, both)
        return into, both


class GapCounts:
    """The gaps of each set of counted rows of one orderer, planned once per set.

    The orderer is passed to each call rather than kept: an orderer keeps its counts,
    and the two holding each other would leave a layout's every trial order to
    Python's cycle collector (royal92: 100,000 objects, about 30 ms to find) rather
    than freed as soon as the ordering ends.

    >>> import gc
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> from systemic.genogram.layout import layout
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id=p, name=p) for p in ("a", "b", "k", "l")],
    ...     unions=[Union(id="u", partners=["a", "b"])],
    ...     parents=[ParentLink(child=c, parents=["a", "b"]) for c in ("k", "l")])
    >>> _ = gc.collect(); was = gc.isenabled(); gc.disable()
    >>> _ = layout(case)
    >>> gc.collect()  # nothing the layout made was left in a reference cycle
    0
    >>> gc.enable() if was else None
    """

    def __init__(self) -> None:
        self.plans: dict[tuple[int, int], list[_Gap] | None] = {}
        self.gaps: dict[tuple[Any, ...], _Gap] = {}

    def count(self, orderer: _Orderer, rows: range) -> tuple[int, int] | None:
        """Crossings of the lines into ``rows``, and of those with the lines of couples
        in two rows added (as ``count_crossings`` over each set); None where a line into
        a child spans several rows (then count the plain way)."""
        key = (rows.start, rows.stop)
        if key not in self.plans:
            self.plans[key] = self._plan(orderer, rows)
        plan = self.plans[key]
        if plan is None:
            return None
        into = both = 0
        for gap in plan:
            a, b = gap.count(orderer)
            into += a
            both += b
        return into, both

    def _plan(self, o: _Orderer, rows: range) -> list[_Gap] | None:
        links = [item for r in rows for item in o.links_into.get(r, ())]
        if any(top != bottom - 1 for _ps, _child, top, bottom in links):
            return None
        across = ([item for r in rows for item in o.across_into.get(r, ())]
                  if o.by_width else [])
        gaps = _plan_gaps([(i, top, bottom) for i, (_p, _c, top, bottom) in enumerate(links)],
                          [(i, top, bottom) for i, (_u, _p, top, bottom) in enumerate(across)])
        out = []
        for span in sorted(gaps):
            into_ids, pieces = gaps[span]
            into = [(links[i][0], links[i][1]) for i in into_ids]
            cut = [(across[i][0], across[i][1], y1, y2, ya, yb) for i, y1, y2, ya, yb in pieces]
            signature = (tuple(into), tuple(cut))
            gap = self.gaps.get(signature)
            if gap is None:
                gap = self.gaps[signature] = _Gap(into, cut, _depends(o, into, cut))
            out.append(gap)
        return out



def _depends(o: _Orderer, into: list[tuple[tuple[str, ...], str]],
             cut: list[tuple[str, tuple[str, ...], float, float, float, float]]
             ) -> Callable[[dict[str, float]], Any]:
    """A getter of the positions of everyone a gap's count depends on."""
    people: dict[str, None] = {}
    for parents, child in into:
        people[child] = None
        people.update(dict.fromkeys(o.join_depends(parents)))
    for upper, parents, *_ys in cut:
        people[upper] = None
        people.update(dict.fromkeys(o.join_depends(parents)))
    if not people:
        return lambda _pos: ()
    return itemgetter(*people)
