"""An order kept from before: after an edit, or as stored with the case.

Everyone already drawn keeps their left-to-right order and newcomers are slotted in
(a child among their siblings by age, a partner beside their partner, parents above
their child), so that an edit never reshuffles the family (GENOGRAM.md §3.2 step 7),
and every screen and export that reads the same stored case draws the same picture.

>>> stored_order((("mum", "dad"), ("kid",)))
['mum', 'dad', 'kid']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from systemic.cases import Case
from systemic.genogram.layout.base import (
    _Index,
)

__all__ = ["stored_order"]


def _order_from_previous(
    idx: _Index,
    gens: Mapping[str, int],
    hang: Mapping[str, str],
    xs: Mapping[str, float],
    previous_rows: Sequence[Sequence[str]],
) -> list[list[str]]:
    """Keep everyone from the previous layout in their left-to-right order and slot the
    newcomers in: a child among their siblings by age, a partner beside their partner,
    parents above their child, anyone else at the end of their row. ``xs`` are the
    previous x positions, ``previous_rows`` the previous rows."""
    key: dict[str, float] = {pid: x for pid, x in xs.items() if pid in idx.people}
    # The extent of each previous partner chain, so a newcomer lands outside it.
    left: dict[str, float] = {}
    right: dict[str, float] = {}
    for row in previous_rows:
        kept = [p for p in row if p in key]
        start = 0
        for i in range(1, len(kept) + 1):
            if i < len(kept) and kept[i] in idx.partners.get(kept[i - 1], ()):
                continue
            for q in kept[start:i]:
                left[q], right[q] = key[kept[start]], key[kept[i - 1]]
            start = i
    new = [p for p in idx.people if p not in key]
    siblings: dict[str, list[str]] = {}
    for child, fid in hang.items():
        siblings.setdefault(fid, []).append(child)
    for _round in range(len(new) + 1):
        progress = False
        for p in new:
            if p in key:
                continue
            k = _insert_key(p, idx, gens, hang, siblings, key, left, right)
            if k is not None:
                key[p] = k
                left.setdefault(p, k)
                right.setdefault(p, k)
                progress = True
        if not progress:
            break
    end = max(key.values(), default=0.0) + 1.0
    depth = max(gens.values(), default=0) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    for p in idx.people:
        rows[gens[p]].append(p)
    for row in rows:
        row.sort(key=lambda p: (key.get(p, end + idx.order[p]), idx.order[p]))
    return rows


def _insert_key(
    p: str,
    idx: _Index,
    gens: Mapping[str, int],
    hang: Mapping[str, str],
    siblings: Mapping[str, list[str]],
    key: Mapping[str, float],
    left: Mapping[str, float],
    right: Mapping[str, float],
) -> float | None:
    fid = hang.get(p)
    if fid is not None:
        placed = sorted(
            (s for s in siblings.get(fid, ()) if s in key and gens[s] == gens[p]),
            key=idx.birth_key,
        )
        if placed:
            older = [s for s in placed if idx.birth_key(s) < idx.birth_key(p)]
            younger = [s for s in placed if idx.birth_key(s) > idx.birth_key(p)]
            if older and younger:
                return (right[older[-1]] + left[younger[0]]) / 2
            if older:
                return right[older[-1]] + 0.5
            return left[younger[0]] - 0.5
        parents = idx.families[fid].parents
        if all(q in key for q in parents):
            return sum(key[q] for q in parents) / len(parents)
    partners = [q for q in idx.partners.get(p, ()) if q in key and gens[q] == gens[p]]
    if partners:
        return right[partners[0]] + 0.5
    kids = [c for c in idx.people if hang.get(c) in idx.families_of.get(p, ()) and c in key]
    if kids:
        return sum(key[c] for c in kids) / len(kids) + (0.25 if p in idx.partners else 0.0)
    return None


def _order_from_stored(
    case: Case, idx: _Index, gens: Mapping[str, int], hang: Mapping[str, str],
    stored: Sequence[str],
) -> tuple[tuple[str, ...], ...]:
    """Rows in the stored order; newcomers slotted in as after an edit.

    The people in ``stored`` are sorted by their place in it (within the row
    the generations give them). If someone is missing from it, a first x
    placement of the known order gives the positions that
    :func:`_order_from_previous` needs to slot them in.
    """
    from systemic.genogram.layout.placement import place_x

    rank = {p: i for i, p in enumerate(dict.fromkeys(stored)) if p in idx.people}
    depth = max(gens.values(), default=0) + 1
    rows: list[list[str]] = [[] for _ in range(depth)]
    for p in idx.people:
        rows[gens[p]].append(p)
    end = len(rank)
    for row in rows:
        row.sort(key=lambda p: (rank.get(p, end + idx.order[p]), idx.order[p]))
    if len(rank) == len(idx.people):
        return tuple(tuple(r) for r in rows)
    known_rows = [[p for p in row if p in rank] for row in rows]
    xs = place_x(case, rows, _index=idx)
    return tuple(tuple(r) for r in _order_from_previous(
        idx, gens, hang, {p: xs[p] for p in rank}, known_rows))


def stored_order(rows: Sequence[Sequence[str]]) -> list[str]:
    """The order to keep with a case: everyone, left to right, row after row.

    >>> stored_order((("mum", "dad"), ("kid",)))
    ['mum', 'dad', 'kid']
    """
    return [p for row in rows for p in row]
