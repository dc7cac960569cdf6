"""Where a family is intermarried, a couple may stand apart if fewer lines then cross.

A couple stands side by side wherever the family allows it. Intermarried
families (cousins who married: GENOGRAM.md §3.3) are where that often cannot
hold without lines crossing, and pedigree tools then let a couple stand
apart, each partner with their own brothers and sisters, the couple line
running below the people between them. In such a family, after the usual
ordering, the couples whose own lines cross others are tried apart in turn,
most crossed first, each from the best order so far; the first order whose
drawing crosses fewer lines is kept, each family line leaving from between
the two partners counting as crossed (the couple line passes it). In a
family with no intermarriage no couple ever stands apart (issue 16).

Measured with ``benchmarks/genogram.py``: kennedy 4 → 2 (John F. Kennedy
among his brothers and sisters, Jacqueline Bouvier among hers: one line
crossed, and their couple line passes Ted and Joan Kennedy's children's line).

In the largest trees (above ``IMPROVE_LIMIT`` people) no such trials run, and the
sweeps leave each partner standing apart wherever their sibling group put them,
often at the end away from their partner: royal92's Cyril and Helen Vladimirovna,
brother and sister, stood Cyril left and Helen right while Helen's husband stood
to the left and Cyril's wife to the right, so the two couple lines overlapped and
their children's lines (15) crossed. :func:`face_partners` moves each such partner
to the end of their sibling group that faces their partner, the sibling groups
of the children in the rows below following among the places they hold
(:func:`~systemic.genogram.layout.crossed_groups.follow_below`), where the whole
drawing then has fewer crossings (the orderer's own count) and the lines into
children cross no more. At most :data:`FACE_TRIALS` trials: a count, never a time. Measured with
``benchmarks/genogram.py`` on royal92 (3,010 people): lines into children 181 →
163 (15 → 0 below Cyril's and Helen's row), lines crossing on the drawing 3,042 →
2,993, couples not side by side 57 → 55, in 43 trials, about 60 ms; the
4,683-person export has no couples standing apart (409 as before).

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout import layout
>>> layout(Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])).rows
(('a',),)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from systemic.genogram.layout.crossed_groups import follow_below
from systemic.genogram.layout.units import group_span

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.snapshots import _Snapshot
    from systemic.genogram.layout.sweeps import _Orderer

__all__ = ["apart_cost", "crossed_couples", "face_partners", "try_apart"]

#: The most couples tried apart per family (each trial refines a whole order).
MAX_TRIALS = 3
#: Largest trees: the most partners standing apart moved to face their partner.
FACE_TRIALS = 64
#: Rows below that follow each such move, one after another, the whole drawing counted
#: after each (royal92: 2 rows 181 → 181, 3 rows → 164, 4 rows → 163, more no better).
FACE_FOLLOW = 4


def apart_cost(couples: Iterable[tuple[float, float, Collection[str]]],
               joins: Iterable[tuple[float, Collection[str]]]) -> int:
    """The lines crossed by the couple lines of partners standing apart in one row:
    each family line leaving from between the partners (``joins``: where each family's
    children's line leaves, and its parents), and each two such couple lines that
    interleave. ``couples`` are each couple's left and right x and its two partners.

    >>> apart_cost([(0, 10, {"a", "b"})], [(5, {"c"}), (12, {"d"}), (4, {"a", "b"})])
    1
    >>> apart_cost([(0, 10, {"a", "b"}), (5, 15, {"c", "d"})], [])
    1
    """
    couples, joins = list(couples), list(joins)
    total = sum(1 for lo, hi, own in couples for x, parents in joins
                if lo < x < hi and not set(own) & set(parents))
    total += sum(1 for i, (a1, b1, _o) in enumerate(couples) for a2, b2, _p in couples[i + 1:]
                 if a1 < a2 < b1 < b2 or a2 < a1 < b2 < b1)
    return total


def crossed_people(orderer: _Orderer) -> Counter[str]:
    """For each person, how many other lines the line into them crosses (lines
    between neighbouring rows, as the orderer places them)."""
    out: Counter[str] = Counter()
    gens, pos = orderer.gens, orderer.pos
    for links in orderer.links_into.values():
        segs = [(orderer.join_pos(ps), pos[child], child) for ps, child, top, _b in links
                if top == gens[child] - 1]
        for i, (a1, b1, c1) in enumerate(segs):
            for a2, b2, c2 in segs[i + 1:]:
                if (a1 - a2) * (b1 - b2) < 0:
                    out[c1] += 1
                    out[c2] += 1
    return out


def crossed_couples(orderer: _Orderer, families: list[str]) -> list[str]:
    """The couples among ``families`` standing side by side in ``orderer`` with a line
    into one of the partners crossing another line, most crossed first."""
    crossed = crossed_people(orderer)
    found = []
    for fid in families:
        a, b = orderer.idx.families[fid].parents
        if a not in orderer.unit_of or orderer.unit_of[a] is not orderer.unit_of.get(b):
            continue
        if crossed[a] + crossed[b]:
            found.append((-(crossed[a] + crossed[b]), orderer.idx.order[a], fid))
    return [fid for *_key, fid in sorted(found)]


def try_apart(best: _Orderer, couples: list[str],
              variant: Callable[[str], _Orderer]) -> _Orderer:
    """Try the couples apart in turn, most crossed first, and keep the first order whose
    drawing crosses fewer lines (each family line leaving from between the partners
    counting as one); at most :data:`MAX_TRIALS` tries.

    ``variant(fid)`` gives an orderer in which the couple ``fid`` (and those already
    free to stand apart) may stand apart, started from ``best``'s order; it is refined
    (swaps, flips, seats) before it is judged."""
    best_count = best.crossings()
    for fid in couples[:MAX_TRIALS]:
        trial = variant(fid)
        trial.refine()
        if trial.crossings() < best_count:
            return trial
    return best


def _facing(orderer: _Orderer, me: str, other: str) -> tuple[int, int] | None:
    """Where ``me``'s unit stands in its row, and the end of its sibling group facing
    ``other`` (standing apart in the same row); None where it stands there already."""
    row = orderer.rows[orderer.unit_of[me].row]
    at = row.index(orderer.unit_of[me])
    group = group_span([v.home for v in row], at)
    want = group[-1] if orderer.pos[other] > orderer.pos[me] else group.start
    return None if want == at else (at, want)


def _lines(orderer: _Orderer) -> int:
    """The crossings of lines into children alone (the couple lines apart left out)."""
    return orderer.crossings() - orderer.apart()


def _try_facing(orderer: _Orderer, r: int, at: int, want: int,
                best: tuple[int, int]) -> tuple[int, int]:
    """Move the unit at ``at`` in row ``r`` to ``want``, the next :data:`FACE_FOLLOW`
    rows following one by one (:func:`~systemic.genogram.layout.crossed_groups.
    follow_below`); keep the order, if any, where the
    whole drawing has fewer crossings than ``best[0]`` and the lines into children
    cross no more than ``best[1]``. Returns both counts after."""
    o = orderer
    row = o.rows[r]
    span = range(r, min(r + FACE_FOLLOW + 1, len(o.rows)))
    base = o.snapshot(span)
    found: _Snapshot | None = None
    moved: Collection[str] = {m for v in row[min(at, want):max(at, want) + 1]
                              for m in v.members}
    o.rows[r] = [v for v in row if v is not row[at]]
    o.rows[r].insert(want, row[at])
    o._set_row(r)
    for below in span:
        if below != r:
            moved = follow_below(o, below, moved)
        count = o.crossings()
        if count < best[0] and _lines(o) <= best[1]:
            best, found = (count, _lines(o)), o.snapshot(span)
        if not moved:
            break
    o.restore(base)
    if found is not None:
        o.restore(found)
    return best


def face_partners(orderer: _Orderer, limit: int = FACE_TRIALS) -> tuple[int, int]:
    """In the largest trees: each partner standing apart (in the file's order) moves to
    the end of their sibling group that faces their partner, where that crosses fewer
    lines in all and no more lines into children; at most ``limit`` trials. Returns the
    crossings after and the trials made."""
    o = orderer
    best = (o.crossings(), _lines(o)) if o.apart_pairs else (o.crossings(), 0)
    trials = 0
    for a, b in [] if o.strict_birth_order else o.apart_pairs:
        for me, other in ((a, b), (b, a)):
            places = _facing(o, me, other)
            if places is None or best[0] == 0 or trials >= limit:
                continue
            best = _try_facing(o, o.unit_of[me].row, *places, best)
            trials += 1
    return best[0], trials
