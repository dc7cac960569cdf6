"""Step 3 of the layout: the x position of everyone, keeping each row's order.

Children centred under their couple, couples over their children, partners
side by side, never closer than their symbols, labels and couple dates allow
(kinship2's objective, solved row by row): see :func:`place_x`.

>>> from systemic.cases import Case, Person
>>> place_x(Case(id="c", title="t", fictional=True,
...              people=[Person(id="a", name="A")]), [("a",)])
{'a': 44.0}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from systemic.cases import Case
from systemic.genogram.geometry import place_in_order
from systemic.genogram.layout.apart import apart_cost
from systemic.genogram.layout.base import (
    COMPONENT_GAP,
    DROP_CLEAR,
    GAP,
    GROUP_GAP,
    HOUSEHOLD_ROOM,
    JOG,
    MARGIN,
    SMALL_CHAR_WIDTH,
    UNIT_GAP,
    _components,
    _hang_families,
    _Index,
    count_crossings,
)

__all__ = ["place_x"]



class _Rows:
    """Facts about an ordered layout that x placement and routing both need."""

    def __init__(self, idx: _Index, rows: Sequence[Sequence[str]], gens: Mapping[str, int]):
        self.idx = idx
        self.rows = [list(r) for r in rows]
        self.gens = dict(gens)
        self.row_of = {p: r for r, row in enumerate(self.rows) for p in row}
        self.slot = {p: i for row in self.rows for i, p in enumerate(row)}
        self.hang = _hang_families(idx, self.row_of)
        self._hub_rows: dict[str, int] = {}
        #: Where the children's line of a couple standing apart leaves their couple
        #: line, once everyone has their x (:mod:`~systemic.genogram.layout.apart_hubs`).
        self.hub_at: dict[str, float] = {}
        self.component = _components(idx)
        pair_family = {
            frozenset(f.parents): f.id for f in idx.families.values() if len(f.parents) == 2
        }
        self.pair_family = pair_family
        # Consecutive people in a row who are a couple stand as one unit.
        self.adjacent: set[str] = set()  # family ids of couples standing side by side
        self.unit_of: dict[str, int] = {}
        self.units: list[list[str]] = []
        for row in self.rows:
            for i, p in enumerate(row):
                fid = pair_family.get(frozenset((row[i - 1], p))) if i else None
                if fid is not None:
                    self.adjacent.add(fid)
                    self.units[-1].append(p)
                else:
                    self.units.append([p])
                self.unit_of[p] = len(self.units) - 1
        self.unit_home: list[str | None] = []
        self.unit_anchor: list[str] = []
        for members in self.units:
            anchor = self._anchor(members)
            self.unit_home.append(None if anchor is None else self.hang[anchor])
            self.unit_anchor.append(members[0] if anchor is None else anchor)
        self.children: dict[str, list[str]] = {}
        for child, fid in self.hang.items():
            self.children.setdefault(fid, []).append(child)
        for kids in self.children.values():
            kids.sort(key=self.slot.__getitem__)
        # People whose couple line comes down to them from a partner in a row above: it
        # ends beside them (hub_x), so their dates with a partner beside them keep clear.
        self.met_from_above = {
            lower for f in idx.families.values() if len(f.parents) == 2
            for upper, lower in (f.parents, f.parents[::-1])
            if self.row_of[upper] < self.row_of[lower]
        }
        # Which side a lone parent's line leaves from: away from a partner beside them.
        self.solo_side: dict[str, float] = {}
        for fid, fam in idx.families.items():
            if len(fam.parents) == 1:
                self.solo_side[fid] = -1.0 if self.free_side(fam.parents[0]) < 0 else 1.0

    def _anchor(self, members: list[str]) -> str | None:
        """The member of a unit whose parents it hangs from (``None``: nobody's parents
        are drawn): the partner whose brothers and sisters stand beside it, as ordering
        stood it (:meth:`_siblings_beside`), else the first in the file."""
        homed = sorted((m for m in members if m in self.hang), key=self.idx.order.__getitem__)
        if len(homed) > 1:
            homed.sort(key=lambda m: -self._siblings_beside(members, m))
        return homed[0] if homed else None

    def _siblings_beside(self, members: list[str], m: str) -> int:
        """How many of the two people just beside the unit ``members`` (one each side)
        are ``m``'s brothers or sisters.

        Ordering decides which partner a couple hangs from, and its passes may change
        that (:mod:`~systemic.genogram.layout.rehome`, the layout's second start by
        lineage: :mod:`~systemic.genogram.layout.starts`), but hands over only the rows.
        Placement took the first partner in the file, so the couple could be centred
        under the parents it does not stand among: ``kinship_care`` with its people
        listed in eight other orders crossed 6 lines in six of them (4 in the file's
        order; dot 2 to 5), and 4 in every order with the partner whose brothers and
        sisters stand beside. In the file's order the benchmark's families draw the
        same (royal92: lines drawn through other lines 3,104 → 3,103)."""
        row = self.rows[self.row_of[members[0]]]
        first, last = self.slot[members[0]], self.slot[members[-1]]
        home = self.hang[m]
        return sum(1 for i in (first - 1, last + 1)
                   if 0 <= i < len(row) and self.hang.get(row[i]) == home)

    def gap(self, a: str, b: str) -> float:
        """The least distance between the centres of neighbours ``a`` and ``b``."""
        idx = self.idx
        base = (idx.width[a] + idx.width[b]) / 2 + GAP
        homes_a = set(idx.households_of.get(a, ()))
        homes_b = set(idx.households_of.get(b, ()))
        if homes_a != homes_b:
            # A household's outline runs between them: room for it beside both labels.
            base = max(base, (idx.width[a] + idx.width[b]) / 2 + 2 * HOUSEHOLD_ROOM)
        fid = self.pair_family.get(frozenset((a, b)))
        if fid is not None and fid in self.adjacent:
            label = idx.union_text(fid)
            label_w = len(label) * SMALL_CHAR_WIDTH
            ext_a = idx.width[a] / 2 + HOUSEHOLD_ROOM if homes_a - homes_b else idx.half[a] + 4
            ext_b = idx.width[b] / 2 + HOUSEHOLD_ROOM if homes_b - homes_a else idx.half[b] + 4
            if a in self.met_from_above:
                ext_a = max(ext_a, idx.width[a] / 2 + JOG + 4)
            if b in self.met_from_above:
                ext_b = max(ext_b, idx.width[b] / 2 + JOG + 4)
            base = max(
                base,
                idx.half[a] + idx.half[b] + label_w + 16.0,
                # The children's line drops midway: clear of the wider label.
                max(idx.label_w[a], idx.label_w[b]) + 2 * DROP_CLEAR,
                # The dates sit midway: clear of an outline round either partner, and
                # of a couple line coming down beside either.
                2 * max(ext_a, ext_b) + label_w + 8.0 if label else 0.0,
            )
            return base
        ua, ub = self.unit_of[a], self.unit_of[b]
        if ua != ub:
            base += UNIT_GAP
            ha, hb = self.unit_home[ua], self.unit_home[ub]
            if ha is None or ha != hb:
                base += GROUP_GAP
            if self.component[a] != self.component[b]:
                base += COMPONENT_GAP
        return base

    def hub_x(self, fid: str, xs: Mapping[str, float]) -> float:
        """Where the children's line of a family starts, horizontally."""
        fam = self.idx.families[fid]
        if len(fam.parents) == 1:
            p = fam.parents[0]
            return xs[p] + self.solo_side[fid] * (self.idx.width[p] / 2 + JOG)
        a, b = fam.parents
        ra, rb = self.row_of[a], self.row_of[b]
        if ra == rb and fid not in self.adjacent and self.children.get(fid):
            # Standing apart: the couple line runs below the people between, and the
            # children's line drops from it above the children (the ordering counts
            # crossings with it there), or where apart_hubs fixed it.
            at = self.hub_at.get(fid)
            if at is not None:
                return at
            lo, hi = self.apart_range(fid, xs)
            kids = self.children[fid]
            return min(max((xs[kids[0]] + xs[kids[-1]]) / 2, lo), hi)
        if ra == rb:
            return (xs[a] + xs[b]) / 2
        upper, lower = (a, b) if ra < rb else (b, a)
        # Beside the lower partner, away from a partner standing beside them (whose
        # couple's line leaves between them), else on the side of the children (of the
        # upper partner if none): the ordering counted crossings with the line there.
        side = self.free_side(lower)
        if not side:
            kids = [link.child for link in self.idx.children_of.get(fid, ())]
            toward = sum(xs[k] for k in kids) / len(kids) if kids else xs[upper]
            side = 1.0 if toward >= xs[lower] else -1.0
        return xs[lower] + side * (self.idx.width[lower] / 2 + JOG)

    def is_apart(self, fid: str) -> bool:
        """Whether the family's two parents stand apart in one row."""
        ps = self.idx.families[fid].parents
        return (len(ps) == 2 and fid not in self.adjacent
                and self.row_of[ps[0]] == self.row_of[ps[1]])

    def apart_range(self, fid: str, xs: Mapping[str, float]) -> tuple[float, float]:
        """Where the children's line of a couple standing apart may leave their
        couple line: between the partners, clear of their symbols."""
        a, b = self.idx.families[fid].parents
        left, right = (a, b) if xs[a] <= xs[b] else (b, a)
        lo = xs[left] + self.idx.width[left] / 2 + JOG
        return lo, max(lo, xs[right] - self.idx.width[right] / 2 - JOG)

    def free_side(self, p: str) -> float:
        """-1 if ``p`` has a partner beside them on the right only, 1 if on the left only,
        else 0."""
        row, i = self.rows[self.row_of[p]], self.slot[p]
        partners = self.idx.partners.get(p, ())
        right = i + 1 < len(row) and row[i + 1] in partners
        left = i > 0 and row[i - 1] in partners
        return 0.0 if right == left else -1.0 if right else 1.0

    def hub_row(self, fid: str) -> int:
        """The row of a family's children's line: the lower partner's row."""
        row = self._hub_rows.get(fid)
        if row is None:
            parents = self.idx.families[fid].parents
            row = self._hub_rows[fid] = max(self.row_of[p] for p in parents)
        return row


def place_x(
    case: Case,
    rows: Sequence[Sequence[str]],
    *,
    names: Mapping[str, str] | None = None,
    _index: _Index | None = None,
    _facts: _Rows | None = None,
) -> dict[str, float]:
    """Horizontal centres of everyone's symbol, keeping each row's order.

    Each person wants to be under their parents' couple line (children
    centred under it), each couple over its children, partners side by side;
    in every row those wishes are met as closely as possible without anyone
    standing closer to a neighbour than their boxes allow (symbol or label,
    whichever is wider, and room for the couple's dates). Down and up sweeps
    alternate, each row solved exactly by :func:`~systemic.genogram.geometry.place_in_order`.
    A last left-to-right pass pushes apart anything still too close.

    Examples
    --------
    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id="mum", name="Mum"), Person(id="dad", name="Dad"),
    ...     Person(id="kid", name="Kid")],
    ...     unions=[Union(id="u", partners=["mum", "dad"])],
    ...     parents=[ParentLink(child="kid", parents=["mum", "dad"])])
    >>> xs = place_x(case, [("mum", "dad"), ("kid",)])
    >>> xs["kid"] == (xs["mum"] + xs["dad"]) / 2
    True

    Notes
    -----
    The objective is kinship2's (``alignped4``: children near their parents'
    midpoint, spouses close, order kept, minimum spacing), solved row by row
    in Gauss–Seidel fashion instead of as one quadratic programme.
    """
    idx = _index or _Index(case, names)
    facts = _facts or _Rows(idx, rows, {p: r for r, row in enumerate(rows) for p in row})
    solver = _RowSolver(idx, facts)
    # More rounds centre small families better; on the largest trees they only spread
    # the drawing wider (measured on the GEDCOM samples), so those get fewer.
    n_people = len(idx.people)
    rounds = 8 if n_people <= 400 else 4 if n_people <= 1500 else 2
    depth = len(facts.rows)
    for _ in range(rounds):
        for r in range(depth):
            solver.solve(r)
        for r in range(depth - 1, -1, -1):
            solver.solve(r)
    for r in range(depth):
        solver.solve(r)
    xs = solver.xs
    # The final sweep: nothing closer than its gap, whatever rounding did.
    for row, g in zip(facts.rows, solver.gaps, strict=True):
        for i in range(1, len(row)):
            least = xs[row[i - 1]] + g[i - 1]
            if xs[row[i]] < least:
                xs[row[i]] = least
    left = min((xs[p] - idx.width[p] / 2 for p in xs), default=0.0)
    return {p: round(x - left + MARGIN, 2) for p, x in xs.items()}


class _RowSolver:
    """One row at a time, everyone as close as their gaps allow to where their family wants them."""

    def __init__(self, idx: _Index, facts: _Rows):
        self.idx = idx
        self.facts = facts
        self.xs: dict[str, float] = {}
        self.gaps: list[list[float]] = []
        for row in facts.rows:
            g = [facts.gap(row[i], row[i + 1]) for i in range(len(row) - 1)]
            self.gaps.append(g)
            x = 0.0
            for i, p in enumerate(row):
                if i:
                    x += g[i - 1]
                self.xs[p] = x
        # Offsets of each member within its unit, packed.
        self.offset: dict[str, float] = {}
        for members in facts.units:
            o = 0.0
            for i, m in enumerate(members):
                if i:
                    o += facts.gap(members[i - 1], m)
                self.offset[m] = o
        # Families each person parents, with their children in the next row (for the up pull).
        self.parent_of: dict[str, list[str]] = {}
        for fid in facts.children:
            for p in idx.families[fid].parents:
                self.parent_of.setdefault(p, []).append(fid)
        self.sizes = {fid: len(kids) for fid, kids in facts.children.items()}

    def unit_target(self, u: int) -> tuple[float, float]:
        """Where unit ``u``'s anchor wants to stand, and how strongly."""
        facts, xs, offset = self.facts, self.xs, self.offset
        anchor = facts.unit_anchor[u]
        wsum = tsum = 0.0
        home = facts.unit_home[u]
        if home is not None:
            w = 1.0 / self.sizes[home] ** 0.25
            tsum += w * facts.hub_x(home, xs)
            wsum += w
        pulled: set[str] = set()
        for m in facts.units[u]:
            fam = facts.hang.get(m)
            if m != anchor and fam is not None and fam != home:
                w = 0.5 / self.sizes[fam] ** 0.25
                tsum += w * (facts.hub_x(fam, xs) - (offset[m] - offset[anchor]))
                wsum += w
            for fid in self.parent_of.get(m, ()):
                if fid in pulled:
                    continue
                pulled.add(fid)
                kids = facts.children[fid]
                centre = (xs[kids[0]] + xs[kids[-1]]) / 2
                tsum += xs[anchor] + centre - facts.hub_x(fid, xs)
                wsum += 1.0
        if wsum == 0.0:
            tsum, wsum = xs[anchor] * 0.05, 0.05
        return tsum / wsum, wsum

    def solve(self, r: int) -> None:
        facts = self.facts
        row = facts.rows[r]
        if not row:
            return
        targets = [0.0] * len(row)
        weights = [0.0] * len(row)
        i = 0
        while i < len(row):
            u = facts.unit_of[row[i]]
            unit = facts.units[u]
            anchor = facts.unit_anchor[u]
            target, weight = self.unit_target(u)
            for k, m in enumerate(unit):
                targets[i + k] = target + self.offset[m] - self.offset[anchor]
                weights[i + k] = weight
            i += len(unit)
        placed = place_in_order(targets, weights, self.gaps[r])
        for p, x in zip(row, placed, strict=True):
            self.xs[p] = x


def _refine_by_x(
    case: Case, idx: _Index, gens: Mapping[str, int], facts: _Rows, xs: dict[str, float]
) -> tuple[tuple[tuple[str, ...], ...], _Rows, dict[str, float]]:
    """One more downward sweep, with barycentres from real x positions.

    Ordering works on positions within rows, and rows of very different widths
    make those a poor guide to where a couple actually ends up. Here each
    sibling group is sorted by the real x of its parents' line, people take the
    row's x slots in the new order, and x is placed again. The new order is
    kept only if it has no more crossings and its couples sit more nearly over
    their children. (On large families it mostly adds crossings, so
    :func:`layout` tries it only up to :data:`IMPROVE_LIMIT` people.)
    """
    pos = dict(xs)
    rows: list[list[str]] = []
    for r, row in enumerate(facts.rows):
        slots = sorted(xs[p] for p in row)
        groups: list[list[int]] = []
        where: dict[str, int] = {}
        seen_units: list[int] = []
        for p in row:
            u = facts.unit_of[p]
            if not seen_units or seen_units[-1] != u:
                seen_units.append(u)
        for u in seen_units:
            home = facts.unit_home[u]
            if home is None:
                groups.append([u])
            elif home in where:
                groups[where[home]].append(u)
            else:
                where[home] = len(groups)
                groups.append([u])

        def key(group: list[int], r: int = r) -> tuple[float, float]:
            members = [m for u in group for m in facts.units[u]]
            current = sum(xs[m] for m in members) / len(members)
            home = facts.unit_home[group[0]]
            if home is None or facts.hub_row(home) >= r:
                return (current, current)
            return (facts.hub_x(home, pos), current)

        groups.sort(key=key)
        new_row = [m for group in groups for u in group for m in facts.units[u]]
        for p, x in zip(new_row, slots, strict=True):
            pos[p] = x
        rows.append(new_row)
    new_rows = tuple(tuple(r) for r in rows)
    if new_rows == tuple(tuple(r) for r in facts.rows):
        return new_rows, facts, xs
    new_facts = _Rows(idx, new_rows, gens)
    new_xs = place_x(case, new_rows, _index=idx, _facts=new_facts)

    def score(the_facts: _Rows, the_xs: Mapping[str, float]) -> tuple[int, float]:
        return drawn_crossings(idx, the_facts, the_xs), _off_centre(the_facts, the_xs)

    if score(new_facts, new_xs) <= score(facts, xs):
        return new_rows, new_facts, new_xs
    return tuple(tuple(r) for r in facts.rows), facts, xs


def drawn_crossings(idx: _Index, facts: _Rows, xs: Mapping[str, float]) -> int:
    """Crossings as drawn — the benchmark's count: the lines into children, from each
    family's hub (where its children's line leaves) to the child, rows as y; and for
    each couple standing apart, the family lines leaving from between them (their
    couple line runs below the people between and crosses each).

    >>> from systemic.cases import Case, Person, Union, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, people=[
    ...     Person(id=p, name=p) for p in ("a", "b", "k")],
    ...     unions=[Union(id="u", partners=["a", "b"])],
    ...     parents=[ParentLink(child="k", parents=["a", "b"])])
    >>> idx = _Index(case)
    >>> facts = _Rows(idx, [("a", "b"), ("k",)], {"a": 0, "b": 0, "k": 1})
    >>> drawn_crossings(idx, facts, place_x(case, facts.rows, _index=idx, _facts=facts))
    0
    """
    return child_line_crossings(idx, facts, xs) + _apart_lines(idx, facts, xs)


def child_line_crossings(idx: _Index, facts: _Rows, xs: Mapping[str, float]) -> int:
    """The lines into children crossing, as drawn (:func:`drawn_crossings` without the
    couple lines apart): from each family's hub to the child, rows as y."""
    segments = []
    for child, links in idx.links_of.items():
        for link in links:
            top = (round(facts.hub_x(link.family, xs), 2), float(facts.hub_row(link.family)))
            segments.append((top, (round(xs[child], 2), float(facts.row_of[child]))))
    return count_crossings(segments)


def _apart_lines(idx: _Index, facts: _Rows, xs: Mapping[str, float]) -> int:
    """What the couple lines of partners standing apart cross
    (:func:`~systemic.genogram.layout.apart.apart_cost`), row by row."""
    joins: dict[int, list[tuple[float, tuple[str, ...]]]] = {}
    for fid in idx.children_of:
        if fid in idx.families:
            joins.setdefault(facts.hub_row(fid), []).append(
                (facts.hub_x(fid, xs), idx.families[fid].parents))
    for fam in idx.families.values():  # a couple in two rows: the line down from above
        ps = fam.parents
        if len(ps) == 2 and facts.row_of[ps[0]] != facts.row_of[ps[1]]:
            upper, lower = sorted(ps, key=facts.row_of.__getitem__)
            top, bottom = facts.row_of[upper], facts.row_of[lower]
            x0, x1 = xs[upper], facts.hub_x(fam.id, xs)
            for r in range(top, bottom):
                t = (r + 0.5 - top) / (bottom - top)
                joins.setdefault(r, []).append((x0 + (x1 - x0) * t, ps))
    couples: dict[int, list[tuple[float, float, tuple[str, ...]]]] = {}
    for fam in idx.families.values():
        if len(fam.parents) != 2 or fam.id in facts.adjacent:
            continue
        a, b = fam.parents
        if facts.row_of[a] == facts.row_of[b]:
            lo, hi = sorted((xs[a], xs[b]))
            couples.setdefault(facts.row_of[a], []).append((lo, hi, fam.parents))
    return sum(apart_cost(row, joins.get(r, ())) for r, row in couples.items())


def _off_centre(facts: _Rows, xs: Mapping[str, float]) -> float:
    """How far, in all, couples' lines are from the middle of their children."""
    total = 0.0
    for fid, kids in facts.children.items():
        total += abs(facts.hub_x(fid, xs) - (xs[kids[0]] + xs[kids[-1]]) / 2)
    return total

