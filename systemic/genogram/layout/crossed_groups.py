"""For the largest trees: move the sibling groups whose lines cross most, rows below following.

Above ``IMPROVE_LIMIT`` people the ordering only sweeps and transposes: seating every
unit (:mod:`~systemic.genogram.layout.seating`) or moving every branch
(:mod:`~systemic.genogram.layout.branches`) takes a 3,000-person tree 5 to 10 seconds.
Its crossings gather in a few gaps between rows, most of them between a few pairs of
families: a sibling group standing on the wrong side of a cousins' group, which
neither a swap of neighbours nor sifting mends, because the group's own children's
lines hold it where it is until the row below follows.

Here the sibling groups whose lines into them cross others, most crossed first, each
try the places between groups near the spot under their parents (:data:`NEAR` either
side), the next :data:`FOLLOW` rows following each trial by a down sweep; a group moves
where the whole drawing then has fewer crossings, by the orderer's own count (the
couple lines of partners standing apart included). At most :data:`MAX_TRIALS` trials in
all: a count, never a time, so that one stored case gives the same picture on every
machine.

Measured with ``benchmarks/genogram.py``: royal92 (3,010 people) 260 → 208 crossings
(drawn, 3,082 → 3,068 pairs of lines) for about 0.1 s of processor time; the 4,683-person
MyHeritage export 411 → 409 (drawn 5,929 → 5,925). The first 50 trials bring royal92
to 211; 200 only to 206, twice the time.

>>> _places(["f", "f", None, "g", "g"], 2, 1)  # not inside f's group or g's
[0, 2, 3, 5]
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer

__all__ = ["move_crossed_groups"]

#: Trials in all (each a place for one group, the rows below following).
MAX_TRIALS = 100
#: Places either side of the spot under the parents that a group tries.
NEAR = 3
#: Rows below that follow each trial (the rest follow once a place is chosen).
FOLLOW = 2
#: Rows with more lines into them than this are left as they are: finding which lines
#: cross compares every two (royal92's rows have up to about 200).
MAX_LINES = 2000


def _places(homes: Sequence[str | None], near: int, now: int) -> list[int]:
    """Where a group may stand in a row whose other units hang from ``homes``: each
    place within :data:`NEAR` of ``near`` that is not inside another family's group,
    and not ``now`` (where it stands)."""
    out = []
    for at in range(max(0, near - NEAR), min(len(homes), near + NEAR) + 1):
        inside = 0 < at < len(homes) and homes[at - 1] is not None and (
            homes[at - 1] == homes[at])
        if at != now and not inside:
            out.append(at)
    return out


def _ends(orderer: _Orderer, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each line into row ``r`` starts (its family's join point) and ends (the
    child), in the order of ``orderer.links_into[r]``."""
    lines = orderer.links_into.get(r, ())
    top = np.array([orderer.join_pos(parents) for parents, _c, _t, _b in lines])
    return top, np.array([orderer.pos[child] for _p, child, _t, _b in lines])


def crossed_by_family(orderer: _Orderer, r: int) -> dict[str, int]:
    """For each family with children in row ``r``, how many crossings the lines into
    its sibling group take part in (a line and the line it crosses each count one);
    nothing for a row of more than :data:`MAX_LINES` lines.

    >>> from systemic.cases import Case, Person
    >>> from systemic.genogram.layout.base import _Index
    >>> from systemic.genogram.layout.sweeps import _Orderer
    >>> from systemic.genogram.layout.units import _Unit
    >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
    >>> crossed_by_family(_Orderer(_Index(case), {"a": 0}, {}, [_Unit(["a"], row=0)]), 0)
    {}
    """
    lines = orderer.links_into.get(r, ())
    if not 2 <= len(lines) <= MAX_LINES:
        return {}
    top, bottom = _ends(orderer, r)
    # Line i starts left of line j and ends right of it: they cross.
    crossed = (top[:, None] < top[None, :]) & (bottom[:, None] > bottom[None, :])
    counts = (crossed.sum(axis=1) + crossed.sum(axis=0)).tolist()
    out: dict[str, int] = {}
    for (_parents, child, _t, _b), n in zip(lines, counts, strict=True):
        home = orderer.unit_of[child].home
        if n and home is not None:
            out[home] = out.get(home, 0) + n
    return out


def _still_crossed(orderer: _Orderer, r: int, home: str) -> bool:
    """Whether a line into family ``home``'s group in row ``r`` still crosses another
    (an earlier move may have mended it): its lines against all, not all against all."""
    lines = orderer.links_into.get(r, ())
    mine = [i for i, (_p, child, _t, _b) in enumerate(lines)
            if orderer.unit_of[child].home == home]
    top, bottom = _ends(orderer, r)
    t, b = top[mine][:, None], bottom[mine][:, None]
    return bool((((t < top) & (b > bottom)) | ((t > top) & (b < bottom))).any())


def _candidates(orderer: _Orderer) -> list[tuple[int, str]]:
    """Every (row, family) whose sibling group's lines cross, most crossed first (then
    from the top, then by the family's id: the same order in every process)."""
    found = [(-n, r, home) for r in range(1, len(orderer.rows))
             for home, n in crossed_by_family(orderer, r).items()]
    return [(r, home) for _n, r, home in sorted(found)]


def _try_group(orderer: _Orderer, r: int, home: str, best: int, budget: int
               ) -> tuple[int, int]:
    """Try family ``home``'s group in row ``r`` at up to ``budget`` places; keep the best
    if the whole drawing then has fewer than ``best`` crossings. Returns the crossings
    after and the trials made."""
    o = orderer
    group = [u for u in o.rows[r] if u.home == home]
    row = [v for v in o.rows[r] if v.home != home]
    near = bisect.bisect_left([o.pos[v.members[0]] for v in row], o.fam_pos(home))
    places = _places([v.home for v in row], near, o.rows[r].index(group[0]))[:budget]
    if not places:
        return best, 0
    span = range(r, min(r + FOLLOW + 1, len(o.rows)))
    base = o.snapshot(span)
    least = o.crossings(span)
    found = None
    for at in places:
        o.rows[r] = [*row[:at], *group, *row[at:]]
        o._set_row(r)
        least, found = o.judge(range(r + 1, span[-1] + 1), span, least, found)
        o.restore(base)
    return o.settle(found, base, span[-1], best), len(places)


def move_crossed_groups(orderer: _Orderer, limit: int = MAX_TRIALS) -> tuple[int, int]:
    """Move the sibling groups whose lines cross most, each to the place near its parents
    where the whole drawing has fewest crossings, in at most ``limit`` trials; return the
    crossings after and the trials made."""
    best = orderer.crossings()
    trials = 0
    for r, home in _candidates(orderer):
        if best == 0 or trials >= limit:
            break
        if _still_crossed(orderer, r, home):
            best, made = _try_group(orderer, r, home, best, limit - trials)
            trials += made
    return best, trials
