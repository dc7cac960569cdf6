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

A down sweep re-sorts the whole of each row below, undoing there what transposing and
sifting found; so a second round, once the other moves are made (free parents,
partners apart facing each other: :meth:`~systemic.genogram.layout.sweeps._Orderer.
refine`), makes the same trials with only the rows below following that the move
reaches (``local``, :func:`follow_below`): the sibling groups of the children of the
units the group passed change places among themselves, in the order of their
parents, and the rest of each row stays where it is. royal92: 163 → 138 (the lines
into the children of Alexander II of Russia and of his brother Constantine no longer
cross: that row 17 → 5; the row below 47 → 42), drawn
2,993 → 2,992, about 65 ms; the 4,683-person export 409 → 405 (drawn 5,925 → 5,910),
about 30 ms. With :data:`LOCAL_TRIALS` (140) trials rather than 100: royal92 → 136
(drawn 2,985), about 10 ms more; the export the same. (These figures were measured
before the couples with long lines stood apart first,
:mod:`~systemic.genogram.layout.stand_apart`: royal92 70, the export 347, and 72 and 351
with :data:`NEAR` 6; ``benchmarks/genogram.py`` prints the current ones.)

>>> _places(["f", "f", None, "g", "g"], 2, 1)  # not inside f's group or g's
[0, 2, 3, 5]
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from systemic.genogram.layout.units import parts_a_group

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.snapshots import _Snapshot
    from systemic.genogram.layout.sweeps import _Orderer

__all__ = ["follow_below", "move_crossed_groups", "try_most_crossed"]

_T = TypeVar("_T")

#: One try for one sibling group (see :func:`try_most_crossed`).
Attempt = Callable[[int, str, int, int], "tuple[int, int] | None"]

#: Trials in all (each a place for one group, the rows below following). Since the
#: couples with long lines stand apart first (:mod:`~systemic.genogram.layout.
#: stand_apart`), 60 do as well as 100 in about 30 ms less: royal92 70 either way (drawn
#: 3,103), its six shuffled orders 135, 212, 178, 149, 77, 142 → 136, 212, 178, 130, 66,
#: 143, the 4,683-person export 347 either way.
MAX_TRIALS = 60
#: Trials in all in the second round (``local``): royal92 138 → 136 crossings (drawn
#: 2,992 → 2,985) with 140 rather than 100; the 4,683-person export the same.
LOCAL_TRIALS = 140
#: Places either side of the spot under the parents that a group tries. With 6 rather
#: than 3, royal92 with its people, couples and parent links shuffled six ways crosses
#: 144, 161, 135, 60, 66, 83 rather than 136, 212, 178, 130, 66, 143 (dot: 116, 111,
#: 102, 117, 142, 134), in its own order 72 rather than 70 (dot: 84), drawn 3,098 rather
#: than 3,103; the 4,683-person export 351 rather than 347; made-up 400-person dynasties
#: the same in all (1,663 lines into children over eight), their drawings crossing less
#: in each. The time is the same: the trials are counted, not the places.
NEAR = 6
#: Rows below that follow each trial (the rest follow once a place is chosen).
FOLLOW = 2
#: Rows with more lines into them than this are left as they are: finding which lines
#: cross compares every two (royal92's rows have up to about 200).
MAX_LINES = 2000


def _places(homes: Sequence[str | None], near: int, now: int) -> list[int]:
    """Where a group may stand in a row whose other units hang from ``homes``: each
    place within :data:`NEAR` of ``near`` that is not inside another family's group,
    and not ``now`` (where it stands)."""
    return [at for at in range(max(0, near - NEAR), min(len(homes), near + NEAR) + 1)
            if at != now and not parts_a_group(homes, at)]


def _sorted_in_place(items: Sequence[_T], chosen: Sequence[int],
                     key: Callable[[_T], float]) -> list[_T]:
    """``items`` with those at the indices ``chosen`` sorted by ``key`` (ties keep their
    order) among the places they hold, the others staying where they are.

    >>> _sorted_in_place(["c", "x", "a", "b"], [0, 2, 3], ord)
    ['a', 'x', 'b', 'c']
    """
    out = list(items)
    for at, item in zip(chosen, sorted((items[k] for k in chosen), key=key), strict=True):
        out[at] = item
    return out


def follow_below(orderer: _Orderer, r: int, moved: Collection[str]) -> set[str]:
    """Row ``r`` following a move in the row above: the sibling groups whose parents
    include someone in ``moved`` change places among themselves, in the order of their
    parents' join points; every other group stays where it is. Returns the people of
    those groups if any moved (what the next row down then follows), else nothing."""
    o = orderer
    groups = o._groups(r)
    mine = [k for k, g in enumerate(groups) if g[0].home is not None
            and any(p in moved for p in o.idx.families[g[0].home].parents)]
    order = _sorted_in_place(groups, mine, lambda g: o.fam_pos(g[0].home or ""))
    if order == groups:
        return set()
    o.rows[r] = [u for g in order for u in g]
    o._set_row(r)
    return {m for k in mine for u in groups[k] for m in u.members}


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


def _follow_local(orderer: _Orderer, r: int, span: range, moved: Collection[str],
                  least: int, found: _Snapshot | None) -> tuple[int, _Snapshot | None]:
    """Rows below ``r`` in ``span`` following a move of ``moved`` one by one
    (:func:`follow_below`), ``span`` counted after each; the fewer crossings and a
    snapshot of ``span`` where that beats ``least`` (else as given)."""
    for below in range(r + 1, span[-1] + 1):
        moved = follow_below(orderer, below, moved)
        if not moved:
            break
        count = orderer.crossings(span)
        if count < least:
            least, found = count, orderer.snapshot(span)
    return least, found


def _try_group(orderer: _Orderer, r: int, home: str, best: int, budget: int,
               local: bool = False) -> tuple[int, int]:
    """Try family ``home``'s group in row ``r`` at up to ``budget`` places; keep the best
    if the whole drawing then has fewer than ``best`` crossings. The rows below follow
    each trial by a down sweep, or with ``local`` only the groups of the children of
    the units the move passed (:func:`follow_below`), and no further. Returns the
    crossings after and the trials made."""
    o = orderer
    group = [u for u in o.rows[r] if u.home == home]
    row = [v for v in o.rows[r] if v.home != home]
    near = bisect.bisect_left([o.pos[v.members[0]] for v in row], o.fam_pos(home))
    now = o.rows[r].index(group[0])
    places = _places([v.home for v in row], near, now)[:budget]
    if not places:
        return best, 0
    span = range(r, min(r + FOLLOW + 1, len(o.rows)))
    base = o.snapshot(span)
    least = o.crossings(span)
    found = None
    for at in places:
        o.rows[r] = [*row[:at], *group, *row[at:]]
        o._set_row(r)
        if local:
            count = o.crossings(span)
            if count < least:
                least, found = count, o.snapshot(span)
            passed = o.rows[r][min(now, at):max(now, at) + len(group)]
            least, found = _follow_local(o, r, span, {m for u in passed for m in u.members},
                                         least, found)
        else:
            least, found = o.judge(range(r + 1, span[-1] + 1), span, least, found)
        o.restore(base)
    return o.settle(found, base, span[-1], best, follow=not local), len(places)


def move_crossed_groups(orderer: _Orderer, limit: int | None = None, local: bool = False
                        ) -> tuple[int, int]:
    """Move the sibling groups whose lines cross most, each to the place near its parents
    where the whole drawing has fewest crossings, in at most ``limit`` trials (by default
    :data:`MAX_TRIALS`, or :data:`LOCAL_TRIALS` with ``local``, the rows below following
    as :func:`follow_below` has them); return the crossings after and the trials made."""
    if limit is None:
        limit = LOCAL_TRIALS if local else MAX_TRIALS

    def attempt(r: int, home: str, best: int, budget: int) -> tuple[int, int] | None:
        if not _still_crossed(orderer, r, home):
            return None
        return _try_group(orderer, r, home, best, budget, local)

    return try_most_crossed(orderer, attempt, limit)


def try_most_crossed(orderer: _Orderer, attempt: Attempt, limit: int) -> tuple[int, int]:
    """The sibling groups whose lines cross most, in turn (:func:`_candidates`), each
    given to ``attempt(row, family, crossings now, trials left)``, which returns the
    crossings after and the trials it made, or None where it has nothing to try; at most
    ``limit`` trials in all. Returns the crossings after and the trials made."""
    best = orderer.crossings()
    trials = 0
    for r, home in _candidates(orderer):
        if best == 0 or trials >= limit:
            break
        done = attempt(r, home, best, limit - trials)
        if done is not None:
            best, made = done
            trials += made
    return best, trials
