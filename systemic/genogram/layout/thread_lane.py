"""Where the line of a couple in two rows crosses the gap below the upper partner.

A couple whose partners stand in different rows (related across generations, or
where the tree cannot bring them level) is drawn as one line from the upper
partner down to a point beside the lower partner (:mod:`~systemic.genogram.layout.routing`).
It leaves the upper partner's side, runs along the gap below their row to above
the lower partner, and goes down. Along the lowest lane of that gap (below the
sibling bars) it crosses the line down to every child between the two ends;
along a lane just above the bars it crosses only each family's one stem (the
line from a couple down to its bar), but the way down at the far end then
crosses any bar spanning it. A line spanning several rows crosses each gap on
its way the same way (down into the gap, along it to a space between the people
of the next row, down). All such lines of one gap take one lane (along one lane
they meet, they do not cross): :func:`runs_above_bars` picks, gap by gap,
whichever lane crosses fewer lines in all, and the routing gives the gap a lane
of its own above the bars when they take it.

>>> gap = GapLines()
>>> gap.add_bar(0.0, 100.0, 50.0, [0.0, 40.0, 60.0, 100.0])
>>> runs_above_bars(gap, [(-20.0, 120.0)])
True
>>> runs_above_bars(gap, [(-20.0, 20.0)])
False
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

__all__ = ["GapLines", "runs_above_bars"]


class GapLines:
    """The family lines of one gap between rows that a line along it may cross:
    where the children's lines and other parents' lines go down, and the bars and
    link lanes a line going down may cross."""

    def __init__(self) -> None:
        self.drops: list[float] = []  # lines into children, below the bars
        self.stems: list[float] = []  # lines from a couple (or parent) down to the bars
        self.spans: list[tuple[float, float]] = []  # bars and other parents' lanes
        self._sorted = False

    def add_bar(self, x1: float, x2: float, hub_x: float, children: Iterable[float]) -> None:
        """A sibling bar from ``x1`` to ``x2``, its stem at ``hub_x``, its children's lines."""
        self.spans.append((x1, x2))
        self.stems.append(hub_x)
        self.drops.extend(children)
        self._sorted = False

    def add_link(self, hub_x: float, child_x: float) -> None:
        """Another parent's line: down from its hub, along a lane, down to the child."""
        self.stems.append(hub_x)
        self.drops.append(child_x)
        self.spans.append((min(hub_x, child_x), max(hub_x, child_x)))
        self._sorted = False

    def _sort(self) -> None:
        if not self._sorted:
            self.drops.sort()
            self.stems.sort()
            self._sorted = True

    def between(self, xs: list[float], a: float, b: float) -> int:
        """How many of ``xs`` (sorted) lie strictly between ``a`` and ``b``."""
        lo, hi = min(a, b), max(a, b)
        return max(0, bisect.bisect_left(xs, hi) - bisect.bisect_right(xs, lo))

    def spanning(self, x: float) -> int:
        """Bars and lanes a line going down at ``x`` crosses."""
        return sum(1 for x1, x2 in self.spans if x1 < x < x2)

    def below_cost(self, start: float, end: float) -> int:
        """Crossings going down at ``start`` to the lowest lane, then along it to ``end``."""
        self._sort()
        return self.spanning(start) + self.between(self.drops, start, end)

    def above_cost(self, start: float, end: float) -> int:
        """Crossings along a lane above the bars to ``end``, then down through them."""
        self._sort()
        return self.between(self.stems, start, end) + self.spanning(end)


def runs_above_bars(gap: GapLines, lines: Iterable[tuple[float, float]]) -> bool:
    """True if the lines (each from where it comes down into the gap to where it goes on
    down) cross fewer lines in all along a lane above the sibling bars than
    along the lowest lane of the gap (ties stay below)."""
    lines = list(lines)
    above = sum(gap.above_cost(a, b) for a, b in lines)
    return above < sum(gap.below_cost(a, b) for a, b in lines)
