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

>>> from systemic.cases import Case, Person
>>> from systemic.genogram.layout import layout
>>> layout(Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])).rows
(('a',),)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - types only
    from systemic.genogram.layout.sweeps import _Orderer

__all__ = ["apart_cost", "crossed_couples", "try_apart"]

#: The most couples tried apart per family (each trial refines a whole order).
MAX_TRIALS = 3


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
        trial.refine(improve=True)
        if trial.crossings() < best_count:
            return trial
    return best
