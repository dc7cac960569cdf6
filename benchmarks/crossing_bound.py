"""The fewest crossings any row order could give our layout's rows, by integer programme.

Research for issue 16 point 2 (ahead of dot on crossings). For a family, this takes the
generation rows our layout gives (``layout(case).rows``) and finds, by an integer
programme, the left-to-right order of every row with the fewest crossings, counted as
the benchmark counts them (:func:`systemic.genogram.layout.checks.join_segments` and
:func:`~systemic.genogram.layout.count_crossings`): one segment per line into a child,
from its family's join point (between the two partners of a couple standing side by
side, at the parent for a lone parent, beside the lower partner for a couple in two
rows) to the child; two segments cross in a gap between adjacent rows when their order
at the top and at the bottom disagree; segments sharing an end never count.

Sets of rules, each solved on its own (``--rules``):

- ``a``: every partner chain (a couple, or A–X–B) stands side by side in its row; a
  couple may be flipped and a chain reversed; nothing else is asked;
- ``b``: ``a``, and each sibling group (the children on one sibling bar) together: every
  chain belongs to one sibling group of its members (the solver picks which, as our
  ordering's "home"), the chains of a group stand next to each other and no chain stands
  inside a group it does not belong to — what our ordering keeps, less birth order;
- ``s``: ``a``, and every sibling group strictly together, a chain counting with every
  group it holds a member of (infeasible on kennedy: the Kennedy siblings' chains reach
  three other families, a run has two ends);
- ``o``: ``b``, and siblings oldest on the left, except in a chain holding a member of
  another group;
- ``c``: ``a``, but the couple named with ``--split`` may stand apart, its join point
  anywhere between the partners;
- ``f``: any couple may stand apart (the join point anywhere between the partners);
- ``g``: like ``f``, but at most ``--splits`` couples stand apart (not counting a
  couple where a partner has three or more partners in the row: someone has two sides);
- ``h``: ``a``, but each family's join point is free in its row, as dot's point nodes are
  (dot's count leaves out the lines from the partners to that point).

A partner chain our layout keeps together but that is not a path (someone with three
partners in the row, the third beyond another's partner) is one block in our order, which
may be flipped; its join points stand where our layout puts them among its people. A
couple our order stands apart (someone not of their chain between them) gets a free join
point between the partners under every rule (so the answer is a bound there, not exact),
and the report names them.

A segment that spans several rows passes each row between at a free point (a dummy)
that may stand between chains, not between partners: for such families (kinship_care)
the model is neither a bound nor exact, and ``--brute-force`` lays out every order rule
``a`` allows with the product's own layout instead (small families only).

The model: per row, a binary ``y[i, j]`` for each pair of blocks (chains and dummies)
meaning "i left of j", with the 3-cycle (transitivity) inequalities; a binary per chain
for its orientation; each pair of segments in a gap whose crossing is not settled by
the rules gets a variable at least |top order - bottom order|. Pairs with the same two
order variables are merged with a weight. Each connected family is solved on its own
(families side by side never cross). The solver is HiGHS (``highspy``), an optional
dependency of this script only; install it in a scratch environment::

    python3 -m venv /tmp/ilpenv && /tmp/ilpenv/bin/pip install highspy
    PYTHONPATH=$PWD:/tmp/ilpenv/lib/python3.11/site-packages \\
        .venv/bin/python benchmarks/crossing_bound.py kennedy --rules a b s o c f h \\
        --split "Honey Fitz" "Mary Josephine Hannon" --time-limit 600
    ... crossing_bound.py kennedy --rules g --splits 1
    ... crossing_bound.py kinship_care --brute-force --rules a b o   # about 10 minutes

It prints, per family and rule set: our crossings, the model's count of our order (a
check: they must agree), the best order found (by default the one closest to ours among
the best), the proven lower bound, the solver's time, the best order recounted by
:func:`count_crossings` and drawn again by ``layout(case, order=best)``, which lines
still cross, and each row whose best order differs from ours (by name).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from systemic.cases import Case, load_case  # noqa: E402
from systemic.genogram.geometry import Point  # noqa: E402
from systemic.genogram.layout import Layout, count_crossings, layout  # noqa: E402
from systemic.genogram.layout.base import _Index  # noqa: E402
from systemic.genogram.layout.checks import join_segments  # noqa: E402
from systemic.paths import CASES_DIR  # noqa: E402

GEDCOM_DIR = Path(os.environ.get("SYSTEMIC_GEDCOM_SAMPLES",
                                  ROOT.parent / "shared" / "data" / "gedcom"))

# A literal: (-1, 0|1) for a constant, or (column, True) for x, (column, False) for 1 - x.
Lit = tuple[int, bool]
FALSE: Lit = (-1, False)
TRUE: Lit = (-1, True)


@dataclass
class Seg:
    """One line into a child: its family's join point and the child, by row."""

    family: str
    parents: tuple[str, ...]
    child: str
    top: int
    bottom: int


@dataclass
class Problem:
    """What the model needs: rows, couples, segments, sibling groups, names."""

    rows: list[list[str]]
    couples: list[tuple[str, str]]  # partners in one row (a family with two parents)
    segs: list[Seg]
    groups: list[list[str]]  # the children of one sibling bar
    names: dict[str, str]
    row_of: dict[str, int] = field(default_factory=dict)
    age: dict[str, tuple] = field(default_factory=dict)  # sibling sort key, oldest first
    x: dict[str, float] = field(default_factory=dict)  # our layout's x of each person
    hub_x: dict[frozenset[str], float] = field(default_factory=dict)  # our join points' x


def apart_in_order(prob: Problem, couples: Sequence[tuple[str, str]]
                   ) -> list[tuple[str, str]]:
    """The couples our order stands apart: someone not of their chain between them
    (one of three partners, or a chain that is not a path, as our layout may draw)."""
    apart: list[tuple[str, str]] = []
    while True:
        near: dict[str, set[str]] = defaultdict(set)
        for a, b in couples:
            if (a, b) not in apart:
                near[a].add(b)
                near[b].add(a)
        chain: dict[str, str] = {}
        for p in near:
            if p not in chain:
                todo = [p]
                while todo:
                    q = todo.pop()
                    if q not in chain:
                        chain[q] = p
                        todo += near[q]
        more = []
        for a, b in couples:
            if (a, b) in apart:
                continue
            row = prob.rows[prob.row_of[a]]
            i, j = sorted((row.index(a), row.index(b)))
            if any(chain.get(q) != chain[a] for q in row[i + 1:j]):
                more.append((a, b))
        if not more:
            return apart
        apart += more


def read_problem(case: Case, result: Layout) -> Problem:
    """The rows, couples and segments of ``result`` as :func:`join_segments` counts them."""
    rows = [list(r) for r in result.rows]
    row_of = {p: r for r, row in enumerate(rows) for p in row}
    parents_of = {u.id: tuple(u.partners) for u in result.unions}
    couples = [tuple(u.partners) for u in result.unions if row_of[u.partners[0]]
               == row_of[u.partners[1]]]
    segs, groups = [], []

    def parents(fid: str) -> tuple[str, ...]:
        if fid in parents_of:
            return parents_of[fid]
        if fid.startswith("~") and "+" not in fid:
            return (fid[1:],)
        raise SystemExit(f"family {fid}: two parents with no couple line — not modelled")

    for bar in result.sibling_bars:
        ps = parents(bar.family)
        groups.append([c.child for c in bar.children])
        for c in bar.children:
            segs.append(Seg(bar.family, ps, c.child, max(row_of[p] for p in ps),
                            row_of[c.child]))
    for line in result.links:
        ps = parents(line.family)
        segs.append(Seg(line.family, ps, line.child, max(row_of[p] for p in ps),
                        row_of[line.child]))
    names = {p.id: p.name for p in case.people}
    idx = _Index(case)
    age = {p: idx.birth_key(p) for p in names}
    xs = {p: place.x for p, place in result.people.items()}
    hubs = {frozenset(u.partners): u.hub[0] for u in result.unions}
    return Problem(rows, couples, segs, groups, names, row_of, age, xs, hubs)


def components(prob: Problem) -> list[set[str]]:
    """Connected families (through partners and parent–child lines), loners left out."""
    parent = {p: p for row in prob.rows for p in row}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for a, b in prob.couples:
        parent[find(a)] = find(b)
    for s in prob.segs:
        for p in s.parents:
            parent[find(p)] = find(s.child)
    comps: dict[str, set[str]] = defaultdict(set)
    for p in parent:
        comps[find(p)].add(p)
    linked = {p for s in prob.segs for p in (*s.parents, s.child)} | {
        p for c in prob.couples for p in c}
    return [c for c in comps.values() if c & linked and len(c) > 1]


class Model:
    """The integer programme for one connected family under one set of rules."""

    def __init__(self, prob: Problem, people: set[str], rules: str,
                 split: Sequence[tuple[str, str]] = ()):
        self.prob, self.rules = prob, rules
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.rows_lo: list[float] = []
        self.rows_hi: list[float] = []
        self.rows_a: list[list[tuple[int, float]]] = []
        self.constant = 0.0
        split_set = ({frozenset(c) for c in split} if rules == "c"
                     else {frozenset(c) for c in prob.couples} if rules in ("f", "g")
                     else set())
        self.free_couples = [c for c in prob.couples if frozenset(c) in split_set
                             and c[0] in people]
        kept = [c for c in prob.couples if frozenset(c) not in split_set and c[0] in people]
        # Couples our layout stands apart (one of three partners, or a star's) stay free.
        self.apart_in_ours = apart_in_order(prob, [c for c in prob.couples if c[0] in people])
        self.free_couples += [c for c in self.apart_in_ours if c not in self.free_couples]
        kept = [c for c in kept if c not in self.apart_in_ours]
        self._chains(prob, people, kept)
        self._items(prob, people)
        self._order_vars()
        self._crossings()
        if rules == "s":
            self._contiguity()
        self.split_of: dict[frozenset[str], int] = {}
        if rules == "g":
            self._count_splits()
        if rules in ("b", "o"):
            self._home_contiguity()
        if rules == "o":
            self._birth_order()

    # -- variables -------------------------------------------------------------------
    def var(self, cost: float = 0.0, integer: bool = True) -> int:
        self.cost.append(cost)
        if integer:
            self.integer.append(len(self.cost) - 1)
        return len(self.cost) - 1

    def constrain(self, terms: list[tuple[int, float]], lo: float, hi: float) -> None:
        self.rows_a.append(terms)
        self.rows_lo.append(lo)
        self.rows_hi.append(hi)

    def _chains(self, prob: Problem, people: set[str], kept: list[tuple[str, str]]) -> None:
        """Partner chains, each in our layout's order (orientation 0 is ours): a path
        (A–X–B), or any other shape our layout keeps together (someone with three
        partners, one beyond another's partner), held in our order, flipped or not."""
        near: dict[str, set[str]] = defaultdict(set)
        for a, b in kept:
            near[a].add(b)
            near[b].add(a)
        self.unit_of: dict[str, int] = {}
        self.coord: dict[str, int] = {}  # 2 * index in the chain, ours
        self.units: list[list[str]] = []
        for row in prob.rows:
            i = 0
            row = [p for p in row if p in people]
            while i < len(row):
                group, todo = {row[i]}, [row[i]]
                while todo:
                    for q in near[todo.pop()] - group:
                        group.add(q)
                        todo.append(q)
                unit = row[i:i + len(group)]
                if set(unit) != group:
                    raise SystemExit(f"partner chain {sorted(group)} is not together in our "
                                     "order")
                for k, p in enumerate(unit):
                    self.unit_of[p] = len(self.units)
                    self.coord[p] = 2 * k
                self.units.append(unit)
                i += len(unit)
        self.flip = {u: self.var() for u, m in enumerate(self.units) if len(m) > 1}

    def couple_coord(self, a: str, b: str) -> float:
        """Where a couple's join point stands in their chain: between them if they stand
        side by side, else where our layout puts it among the people between."""
        lo, hi = sorted((self.coord[a], self.coord[b]))
        if hi - lo == 2:
            return (lo + hi) / 2
        x = self.prob.hub_x[frozenset((a, b))]
        members = self.units[self.unit_of[a]]
        xs = [self.prob.x[m] for m in members]
        for k in range(len(members) - 1):
            if xs[k] <= x <= xs[k + 1]:
                c = 2 * k + 2 * (x - xs[k]) / max(xs[k + 1] - xs[k], 1e-9)
                return c + (0.5 if c == round(c) and round(c) % 2 == 0 else 0.0)
        return (lo + hi) / 2

    def _items(self, prob: Problem, people: set[str]) -> None:
        """What each row orders: chains, dummies of long segments, free join points."""
        self.row_items: dict[int, list[tuple[str, object]]] = defaultdict(list)
        for u, members in enumerate(self.units):
            self.row_items[prob.row_of[members[0]]].append(("unit", u))
        self.segs = [s for s in prob.segs if s.child in people]
        for k, s in enumerate(self.segs):
            for r in range(s.top + 1, s.bottom):
                self.row_items[r].append(("dummy", (k, r)))
        for c in self.free_couples:
            self.row_items[prob.row_of[c[0]]].append(("hub", frozenset(c)))
        if self.rules == "h":  # dot's point nodes: each family's join point free in its row
            for ps in dict.fromkeys(s.parents for s in self.segs):
                self.row_items[max(prob.row_of[p] for p in ps)].append(("hub", frozenset(ps)))
        self.item_index = {(r, it): i for r, items in self.row_items.items()
                           for i, it in enumerate(items)}

    def _order_vars(self) -> None:
        self.y: dict[tuple[int, int, int], int] = {}
        for r, items in self.row_items.items():
            n = len(items)
            for i, j in itertools.combinations(range(n), 2):
                self.y[r, i, j] = self.var()
            for i, j, k in itertools.combinations(range(n), 3):
                terms = [(self.y[r, i, j], 1.0), (self.y[r, j, k], 1.0), (self.y[r, i, k], -1.0)]
                self.constrain(terms, 0.0, 1.0)
        for a, b in self.free_couples:  # the join point stands between the partners
            r = self.prob.row_of[a]
            h = ("item", r, self.item_index[r, ("hub", frozenset((a, b)))])
            la, lb = self.before(self.at(a), h), self.before(h, self.at(b))
            self.equal(la, lb)

    def equal(self, a: Lit, b: Lit) -> None:
        terms, const = [], 0.0
        for lit, sign in ((a, 1.0), (b, -1.0)):
            if lit[1]:
                terms.append((lit[0], sign))
            else:
                terms.append((lit[0], -sign))
                const += sign
        self.constrain(terms, -const, -const)

    # -- where things stand ------------------------------------------------------------
    def at(self, p: str) -> tuple:
        u = self.unit_of[p]
        return ("in", self.prob.row_of[p], u, self.coord[p])

    def hub(self, s: Seg) -> tuple:
        ps = s.parents
        if self.rules == "h" or (len(ps) == 2 and frozenset(ps) in {frozenset(c) for c
                                                                    in self.free_couples}):
            r = max(self.prob.row_of[p] for p in ps)
            return ("item", r, self.item_index[r, ("hub", frozenset(ps))])
        if len(ps) == 2 and self.prob.row_of[ps[0]] == self.prob.row_of[ps[1]]:
            a, b = ps
            return ("in", self.prob.row_of[a], self.unit_of[a], self.couple_coord(a, b))
        if len(ps) == 2:  # two rows: beside the lower partner
            lower = max(ps, key=self.prob.row_of.__getitem__)
            return self.at(lower)
        return self.at(ps[0])

    def point(self, s: Seg, k: int, r: int, end: str) -> tuple:
        """Where segment ``k`` meets row ``r`` (its top, a dummy or its child)."""
        if r == s.top:
            return self.hub(s)
        if r == s.bottom:
            return self.at(s.child)
        return ("item", r, self.item_index[r, ("dummy", (k, r))])

    def item_of(self, pt: tuple) -> int:
        if pt[0] == "item":
            return pt[2]
        return self.item_index[pt[1], ("unit", pt[2])]

    def before(self, p: tuple, q: tuple) -> Lit:
        """The literal "p stands left of q" (same row)."""
        if p[0] == "in" and q[0] == "in" and p[2] == q[2]:
            if p[3] == q[3]:
                raise ValueError("same point")
            f = self.flip.get(p[2])
            left = p[3] < q[3]
            return (f, not left) if f is not None else (TRUE if left else FALSE)
        r, i, j = p[1], self.item_of(p), self.item_of(q)
        return (self.y[r, i, j], True) if i < j else (self.y[r, j, i], False)

    # -- crossings -----------------------------------------------------------------------
    def _crossings(self) -> None:
        pieces: dict[int, list[tuple[tuple, tuple, tuple, tuple]]] = defaultdict(list)
        for k, s in enumerate(self.segs):
            for r in range(s.top, s.bottom):
                top, bottom = self.point(s, k, r, "top"), self.point(s, k, r + 1, "bottom")
                pieces[r].append((top, bottom, (s.family, k if r > s.top else -1),
                                  (s.child, k if r + 1 < s.bottom else -1)))
        weight: dict[tuple[Lit, Lit], int] = defaultdict(int)
        for plist in pieces.values():
            for (t1, b1, id_t1, id_b1), (t2, b2, id_t2, id_b2) in itertools.combinations(plist, 2):
                if id_t1 == id_t2 or id_b1 == id_b2:
                    continue  # a shared end
                weight[self.before(t1, t2), self.before(b1, b2)] += 1
        self.pair_terms = []
        for (lt, lb), w in weight.items():
            self.add_xor(lt, lb, w)

    def add_xor(self, a: Lit, b: Lit, w: int) -> None:
        """Add ``w * (a xor b)`` to the objective."""
        if a[0] < 0 and b[0] < 0:
            self.constant += w * (a[1] != b[1])
            return
        if a[0] < 0 or b[0] < 0:
            const, lit = (a, b) if a[0] < 0 else (b, a)
            # lit xor c: lit if c is false, else 1 - lit
            want_true = not const[1]
            self._add_lit_cost(lit if want_true else (lit[0], not lit[1]), w)
            return
        if a[0] == b[0]:
            self.constant += w * (a[1] != b[1])
            return
        c = self.var(cost=float(w), integer=False)
        for x, z in ((a, b), (b, a)):  # c >= x - z
            terms, const = [(c, 1.0)], 0.0
            for lit, sign in ((x, -1.0), (z, 1.0)):
                if lit[1]:
                    terms.append((lit[0], sign))
                else:
                    terms.append((lit[0], -sign))
                    const += sign
            self.constrain(terms, -const, float("inf"))
        self.pair_terms.append((c, a, b, w))

    def _add_lit_cost(self, lit: Lit, w: int) -> None:
        if lit[1]:
            self.cost[lit[0]] += w
        else:
            self.cost[lit[0]] -= w
            self.constant += w

    # -- rule b ----------------------------------------------------------------------------
    def _contiguity(self) -> None:
        for group in self.prob.groups:
            if group[0] not in self.unit_of:
                continue
            r = self.prob.row_of[group[0]]
            inside = {self.item_index[r, ("unit", self.unit_of[c])] for c in group}
            if len(inside) < 2:
                continue
            others = [i for i, it in enumerate(self.row_items[r])
                      if it[0] == "unit" and i not in inside]
            for u, v in itertools.permutations(sorted(inside), 2):
                for w in others:
                    lu = self.before(("item", r, u), ("item", r, w))
                    lv = self.before(("item", r, w), ("item", r, v))
                    terms, const = [], 0.0
                    for lit in (lu, lv):
                        if lit[1]:
                            terms.append((lit[0], 1.0))
                        else:
                            terms.append((lit[0], -1.0))
                            const += 1.0
                    self.constrain(terms, -float("inf"), 1.0 - const)

    def _home_contiguity(self) -> None:
        """Each chain belongs to one sibling group of its members (the solver picks which:
        its home); the chains whose home is a group stand together, and no chain stands
        inside a group it does not belong to. A member of a chain whose home is another
        group (a sibling married into another family) may stand apart from their own."""
        by_row: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for g, group in enumerate(self.prob.groups):
            if group[0] not in self.unit_of:
                continue
            r = self.prob.row_of[group[0]]
            for u in dict.fromkeys(self.unit_of[c] for c in group):
                by_row[r][self.item_index[r, ("unit", u)]].append(g)
        self.home: dict[tuple[int, int, int], int] = {}
        for r, groups_of in by_row.items():
            for i, gs in groups_of.items():
                if len(gs) > 1:
                    cols = [self.var() for _g in gs]
                    self.home.update({(r, i, g): c for g, c in zip(gs, cols, strict=True)})
                    self.constrain([(c, 1.0) for c in cols], 1.0, 1.0)
            members: dict[int, list[int]] = defaultdict(list)
            for i, gs in groups_of.items():
                for g in gs:
                    members[g].append(i)
            units = [i for i, it in enumerate(self.row_items[r]) if it[0] == "unit"]
            for g, inside in members.items():
                if len(inside) < 2:
                    continue
                for u, v in itertools.permutations(inside, 2):
                    for w in units:
                        if w in (u, v):
                            continue
                        # y_uw + y_wv + h_u + h_v - h_w <= 3
                        terms: list[tuple[int, float]] = []
                        rhs = 3.0
                        for lit in (self.before(("item", r, u), ("item", r, w)),
                                    self.before(("item", r, w), ("item", r, v))):
                            if lit[1]:
                                terms.append((lit[0], 1.0))
                            else:
                                terms.append((lit[0], -1.0))
                                rhs -= 1.0
                        for x, sign in ((u, 1.0), (v, 1.0), (w, -1.0)):
                            col = self.home.get((r, x, g))
                            if col is not None:
                                terms.append((col, sign))
                            elif g in groups_of.get(x, ()):
                                rhs -= sign  # its only group: h fixed at 1
                        self.constrain(terms, -float("inf"), rhs)

    def _count_splits(self) -> None:
        """Rule g: a variable per couple, 1 when anyone stands between the partners; not
        for couples our own order stands apart, nor where a partner has three or more
        partners in the row (a person has two sides): those are free and not counted."""
        many = defaultdict(int)
        for c in self.prob.couples:
            for p in c:
                many[p] += 1
        for a, b in self.free_couples:
            if (a, b) in self.apart_in_ours or max(many[a], many[b]) >= 3:
                continue
            r = self.prob.row_of[a]
            col = self.split_of[frozenset((a, b))] = self.var()
            for w in (p for p in self.prob.rows[r] if p in self.unit_of and p not in (a, b)):
                for u, v in ((a, b), (b, a)):  # u < w < v only if split
                    terms, rhs = [(col, -1.0)], 1.0
                    for lit in (self.before(self.at(u), self.at(w)),
                                self.before(self.at(w), self.at(v))):
                        if lit[1]:
                            terms.append((lit[0], 1.0))
                        else:
                            terms.append((lit[0], -1.0))
                            rhs -= 1.0
                    self.constrain(terms, -float("inf"), rhs)

    def _birth_order(self) -> None:
        """Siblings oldest on the left, except those in a chain that also holds a member
        of another sibling group (a sibling married into another family of the row), who
        may stand anywhere their chain may: what our ordering keeps."""
        for group in self.prob.groups:
            if group[0] not in self.unit_of:
                continue
            others = {c for g in self.prob.groups if g is not group for c in g}
            free = {self.unit_of[c] for c in group
                    if any(m in others for m in self.units[self.unit_of[c]])}
            kept = sorted((c for c in group if self.unit_of[c] not in free),
                          key=self.prob.age.__getitem__)
            for p, q in zip(kept, kept[1:], strict=False):
                if self.unit_of[p] == self.unit_of[q]:
                    continue
                lit = self.before(self.at(p), self.at(q))
                self.constrain([(lit[0], 1.0 if lit[1] else -1.0)],
                               1.0 if lit[1] else 0.0, 1.0 if lit[1] else 0.0)

    # -- our order as a solution --------------------------------------------------------------
    def values_of(self, rows: Sequence[Sequence[str]], xs: Mapping[str, float] | None = None
                  ) -> list[float]:
        """Column values for an order of the rows (ours): dummies where the straight line
        passes, free join points at the couple's midpoint (``xs`` gives x; else ranks)."""
        pos: dict[tuple[int, int], float] = {}
        x = dict(xs) if xs else {p: float(i) for row in rows for i, p in enumerate(row)}
        for r, items in self.row_items.items():
            for i, (kind, what) in enumerate(items):
                if kind == "unit":
                    pos[r, i] = x[self.units[what][0]]
                elif kind == "hub":
                    pos[r, i] = sum(x[p] for p in what) / len(what)  # type: ignore[arg-type]
                else:
                    k, rr = what
                    s = self.segs[k]
                    top = self.hub_x(s, x)
                    t = (rr - s.top) / (s.bottom - s.top)
                    pos[r, i] = top + t * (x[s.child] - top)
        vals = [0.0] * len(self.cost)
        for (r, i, j), col in self.y.items():
            vals[col] = float(pos[r, i] < pos[r, j])
        for u, col in self.flip.items():
            members = self.units[u]
            vals[col] = float(x[members[0]] > x[members[-1]])
        for c, a, b, _w in self.pair_terms:
            va = vals[a[0]] if a[1] else 1 - vals[a[0]]
            vb = vals[b[0]] if b[1] else 1 - vals[b[0]]
            vals[c] = abs(va - vb)
        return vals

    def hub_x(self, s: Seg, x: Mapping[str, float]) -> float:
        ps = s.parents
        if len(ps) == 2 and self.prob.row_of[ps[0]] == self.prob.row_of[ps[1]]:
            return (x[ps[0]] + x[ps[1]]) / 2
        return x[max(ps, key=self.prob.row_of.__getitem__)]

    def objective(self, vals: Sequence[float]) -> float:
        """Crossings of an order: each pair variable taken at |top - bottom| (a solver's
        incumbent may leave one higher when it stops early)."""
        aux = {c for c, _a, _b, _w in self.pair_terms}
        total = self.constant + sum(c * v for k, (c, v) in enumerate(
            zip(self.cost, vals, strict=True)) if k not in aux)
        for _c, a, b, w in self.pair_terms:
            va = vals[a[0]] if a[1] else 1 - vals[a[0]]
            vb = vals[b[0]] if b[1] else 1 - vals[b[0]]
            total += w * abs(round(va) - round(vb))
        return total

    # -- solving -------------------------------------------------------------------------------
    def solve(self, time_limit: float, start: Sequence[float] | None, threads: int = 1,
              fixed: Mapping[int, float] | None = None,
              near: Sequence[float] | None = None, most: float | None = None,
              objective: Mapping[int, float] | None = None) -> dict[str, object]:
        """Solve; with ``near`` (an order's values) and ``most`` (crossings), find among
        the orders with at most ``most`` crossings the one closest to ``near``: fewest
        pairs of blocks the other way round and chains flipped."""
        import highspy
        import numpy as np

        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("threads", threads)
        h.setOptionValue("mip_rel_gap", 0.0)
        n = len(self.cost)
        inf = highspy.kHighsInf
        upper = np.ones(n)
        lower = np.zeros(n)
        for col, v in (fixed or {}).items():
            lower[col] = upper[col] = v
        cost = np.array(self.cost)
        if objective is not None:
            cost = np.zeros(n)
            for col, v in objective.items():
                cost[col] = v
        if near is not None:
            cost = np.zeros(n)
            for col in [*self.y.values(), *self.flip.values()]:
                cost[col] = -1.0 if near[col] > 0.5 else 1.0
        h.addCols(n, cost, lower, upper, 0, np.array([], np.int32),
                  np.array([], np.int32), np.array([], np.float64))
        starts, index, value = [], [], []
        for terms in self.rows_a:
            starts.append(len(index))
            for col, v in terms:
                index.append(col)
                value.append(v)
        lo = np.array([-inf if v == -float("inf") else v for v in self.rows_lo])
        hi = np.array([inf if v == float("inf") else v for v in self.rows_hi])
        h.addRows(len(self.rows_a), lo, hi, len(index), np.array(starts, np.int32),
                  np.array(index, np.int32), np.array(value, np.float64))
        if most is not None:
            cols = [c for c, v in enumerate(self.cost) if v]
            h.addRow(-inf, most - self.constant + 1e-6, len(cols), np.array(cols, np.int32),
                     np.array([self.cost[c] for c in cols], np.float64))
        ints = np.array(self.integer, np.int32)
        h.changeColsIntegrality(len(ints), ints,
                                np.array([highspy.HighsVarType.kInteger] * len(ints)))
        if start is not None:
            h.setSolution(n, np.arange(n, dtype=np.int32), np.array(start, np.float64))
        began = time.perf_counter()
        h.run()
        took = time.perf_counter() - began
        info = h.getInfo()
        status = h.modelStatusToString(h.getModelStatus())
        sol = list(h.getSolution().col_value) if info.primal_solution_status else None
        return {"status": status, "seconds": round(took, 1),
                "best": None if sol is None else round(self.objective(sol)),
                "bound": self.constant + info.mip_dual_bound, "values": sol,
                "columns": n, "constraints": len(self.rows_a)}

    def item_order(self, vals: Sequence[float]) -> dict[int, list[tuple[str, object]]]:
        """Each row's blocks left to right (chains as their people, flipped as solved)."""
        out: dict[int, list[tuple[str, object]]] = {}
        for r, items in self.row_items.items():
            n = len(items)
            left = [0] * n
            for i, j in itertools.combinations(range(n), 2):
                left[j if vals[self.y[r, i, j]] > 0.5 else i] += 1
            seq: list[tuple[str, object]] = []
            for i in sorted(range(n), key=left.__getitem__):
                kind, what = items[i]
                if kind == "unit":
                    members = self.units[what]  # type: ignore[index]
                    f = self.flip.get(what)  # type: ignore[arg-type]
                    flipped = f is not None and vals[f] > 0.5
                    seq += [("person", p) for p in (members[::-1] if flipped else members)]
                else:
                    seq.append((kind, what))
            out[r] = seq
        return out

    def rows_from(self, vals: Sequence[float]) -> dict[int, list[str]]:
        """Each row's people, left to right, as the solution orders them."""
        return {r: [str(w) for k, w in seq if k == "person"]
                for r, seq in self.item_order(vals).items()}

    def pieces(self, vals: Sequence[float]) -> list[tuple[int, tuple[Point, Point]]]:
        """The solution's segments, one piece per gap, with everyone at their rank in the
        row, join points between partners (or at the lone parent, or the free point),
        long segments bent at their dummies: ``(segment number, piece)``."""
        x: dict[object, float] = {}
        for seq in self.item_order(vals).values():
            for i, item in enumerate(seq):
                x[item] = float(i)
        out = []
        for k, s in enumerate(self.segs):
            ps = s.parents
            if ("hub", frozenset(ps)) in x:
                top = x["hub", frozenset(ps)]
            elif len(ps) == 2 and self.prob.row_of[ps[0]] == self.prob.row_of[ps[1]]:
                first, c = self.units[self.unit_of[ps[0]]][0], self.couple_coord(*ps)
                last = self.units[self.unit_of[ps[0]]][-1]
                left = x["person", first] <= x["person", last]
                top = x["person", first] + (c / 2 if left else -c / 2)
            else:
                top = x["person", max(ps, key=self.prob.row_of.__getitem__)]
            points = [(top, float(s.top))]
            points += [(x["dummy", (k, r)], float(r)) for r in range(s.top + 1, s.bottom)]
            points.append((x["person", s.child], float(s.bottom)))
            out += [(k, piece) for piece in zip(points, points[1:], strict=False)]
        return out

    def recount(self, vals: Sequence[float]) -> int:
        """The solution's crossings counted again by the benchmark's own
        :func:`count_crossings` (a check on the model)."""
        return count_crossings(piece for _k, piece in self.pieces(vals))

    def crossing_pairs(self, vals: Sequence[float]) -> list[tuple[int, int, int]]:
        """Which segments cross, gap by gap: ``(upper row, segment, segment)``."""
        out = []
        for (k1, ((a1, y1), (b1, _))), (k2, ((a2, y2), (b2, _))) in itertools.combinations(
                self.pieces(vals), 2):
            if y1 == y2 and a1 != a2 and b1 != b2 and (a1 < a2) != (b1 < b2):
                out.append((int(y1), k1, k2))
        return out

    def describe(self, k: int) -> str:
        s, names = self.segs[k], self.prob.names
        return " + ".join(names[p] for p in s.parents) + " → " + names[s.child]

    def allowed(self, start: Sequence[float]) -> bool:
        """Whether our own order keeps these rules (the order fixed, the rest free)."""
        fixed = [col for (r, i, j), col in self.y.items()
                 if self.row_items[r][i][0] == self.row_items[r][j][0] == "unit"]
        fixed += self.flip.values()
        out = self.solve(60.0, None, 1, fixed={c: start[c] for c in fixed})
        return out["values"] is not None


def find_people(prob: Problem, words: Sequence[str]) -> tuple[str, str]:
    found = []
    for w in words:
        hits = [p for p, n in prob.names.items() if w == n] or [
            p for p, n in prob.names.items() if w.lower() in n.lower()]
        if len(hits) != 1:
            raise SystemExit(f"--split {w!r} names {len(hits)} people; give a longer part")
        found.append(hits[0])
    return found[0], found[1]


def load(name: str) -> Case:
    """A training case or shared GEDCOM sample by name, or any GEDCOM file by its path."""
    path = CASES_DIR / f"{name}.yaml"
    if path.exists():
        return load_case(path)
    from systemic.genogram.gedcom import load_gedcom

    given = Path(name)
    return load_gedcom(given if given.suffix == ".ged" else GEDCOM_DIR / f"{name}.ged")


def solve_family(model: Model, start: list[float], rule: str, args: argparse.Namespace
                 ) -> tuple[dict[str, object], list[float] | None]:
    """The best order of one family under ``rule`` (the closest to ours among the best,
    unless ``--any-best``; for rule g, any best)."""
    if rule == "g":
        cols = list(model.split_of.values())
        model.constrain([(c, 1.0) for c in cols], 0.0, float(args.splits))
        out = model.solve(args.time_limit, None, args.threads)
        model.rows_a.pop(), model.rows_lo.pop(), model.rows_hi.pop()
        if out["values"] is not None:
            vals = list(out["values"])  # type: ignore[call-overload]
            out["splits"] = round(sum(vals[c] for c in cols))
        return out, out["values"]  # type: ignore[return-value]
    out = model.solve(args.time_limit, start, args.threads)
    vals = out["values"]
    if vals is not None and not args.any_best:
        near = model.solve(args.time_limit, vals, args.threads,  # type: ignore[arg-type]
                           near=start, most=float(out["best"]))  # type: ignore[arg-type]
        if near["values"] is not None:
            vals = near["values"]
            moved = sum(abs(vals[c] - start[c]) > 0.5  # type: ignore[index]
                        for c in [*model.y.values(), *model.flip.values()])
            out["closest"] = (f"{moved} pairs of blocks (or chain flips) the other way round "
                              f"from ours, {near['status']} in {near['seconds']} s")
    return out, vals  # type: ignore[return-value]


def details(model: Model, prob: Problem, result: Layout, comp: set[str], start: list[float],
            vals: list[float], show_ours: bool) -> list[str]:
    """What the best order crosses, where, and the rows it orders differently from ours."""
    lines = []
    again = model.recount(vals)
    check = "agrees" if again == round(model.objective(vals)) else "DISAGREES"
    ours_gaps: dict[int, int] = defaultdict(int)
    for r, _a, _b in model.crossing_pairs(start):
        ours_gaps[r] += 1
    pairs = model.crossing_pairs(vals)
    best_gaps: dict[int, int] = defaultdict(int)
    for r, _a, _b in pairs:
        best_gaps[r] += 1
    keeps = "yes" if model.allowed(start) else "no"
    lines.append(f"  recount of the best by count_crossings: {again} (the model {check}); "
                 f"by gap (upper row: crossings) ours {dict(sorted(ours_gaps.items()))}, best "
                 f"{dict(sorted(best_gaps.items()))}; our order keeps these rules: {keeps}")
    for r, a, b in pairs:
        lines.append(f"    best crosses, rows {r}-{r + 1}: {model.describe(a)}  ×  "
                     f"{model.describe(b)}")
    if show_ours:
        for r, a, b in model.crossing_pairs(start):
            lines.append(f"    ours crosses, rows {r}-{r + 1}: {model.describe(a)}  ×  "
                         f"{model.describe(b)}")
    for pair, col in model.split_of.items():
        if vals[col] > 0.5:
            lines.append("    split: " + " + ".join(prob.names[p] for p in sorted(pair)))
    for r, people in sorted(model.rows_from(vals).items()):
        mine = [p for p in result.rows[r] if p in comp]
        if people != mine:
            lines.append(f"  row {r} ours: " + " | ".join(prob.names[p] for p in mine))
            lines.append(f"  row {r} best: " + " | ".join(prob.names[p] for p in people))
    return lines


def report(name: str, args: argparse.Namespace) -> None:
    case = load(name)
    result = layout(case)
    ours = count_crossings(join_segments(result))
    prob = read_problem(case, result)
    xs = {p: place.x for p, place in result.people.items()}
    split = [find_people(prob, args.split)] if args.split else []
    print(f"== {name}: {len(case.people)} people, {len(prob.segs)} segments, ours {ours}")
    for rule in args.rules:
        best, bound, modelled, seconds, splits = 0, 0.0, 0, 0.0, 0
        best_rows: dict[int, list[str]] = {}
        lines: list[str] = []
        proven = True
        for comp in components(prob):
            model = Model(prob, comp, rule, split)
            if model.apart_in_ours:
                lines.append("  apart in our order too, their join point free between them: "
                             + "; ".join(" + ".join(prob.names[p] for p in c)
                                         for c in model.apart_in_ours))
            start = model.values_of(result.rows, xs)
            modelled += round(model.objective(start))
            out, vals = solve_family(model, start, rule, args)
            seconds += float(out["seconds"])  # type: ignore[arg-type]
            if not out["columns"]:  # nothing to order: the count is what it is
                out.update(best=round(model.objective(start)), bound=model.constant,
                           status="Optimal")
            proven &= out["status"] == "Optimal"
            best += out["best"] if out["best"] is not None else ours  # type: ignore[operator]
            bound += float(out["bound"])  # type: ignore[arg-type]
            splits += int(out.get("splits", 0))  # type: ignore[call-overload]
            lines.append(f"  family of {len(comp)}: {out['columns']} columns, "
                         f"{out['constraints']} constraints, {out['status']}, best "
                         f"{out['best']}, bound {float(out['bound']):.2f}, "  # type: ignore[arg-type]
                         f"{out['seconds']} s" + (f"; closest to ours among the best: "
                                                  f"{out['closest']}" if "closest" in out
                                                  else ""))
            if vals is not None:
                lines += details(model, prob, result, comp, start, vals, args.ours)
                for r, people in model.rows_from(vals).items():
                    best_rows[r] = best_rows.get(r, []) + people
        state = "proven optimal" if proven else "NOT proven"
        if rule == "g":
            print(f"[g] {name}: at most {args.splits} couples split: best {best} "
                  f"({splits} split), lower bound {bound:.2f} ({state}), {seconds:.1f} s")
        else:
            print(f"[{rule}] {name}: ours {ours} (the model counts our order {modelled}), "
                  f"best {best}, lower bound {bound:.2f} ({state}), {seconds:.1f} s")
        if best_rows:
            print(drawn(case, result, best_rows))
        print("\n".join(lines))


def brute_force(name: str, args: argparse.Namespace) -> None:
    """Every order rule a allows, each drawn by the product's own layout and counted as
    the benchmark counts (straight lines, real join points); the least for each rule.
    For small families only: this is the exact answer where long lines make the
    model's free dummies a relaxation."""
    case = load(name)
    result = layout(case)
    prob = read_problem(case, result)
    (comp,) = components(prob)
    models = {rule: Model(prob, comp, rule) for rule in args.rules}
    units = models["a"].units
    per_row: dict[int, list[list[str]]] = defaultdict(list)
    for members in units:
        per_row[prob.row_of[members[0]]].append(members)
    choices = []
    for r in range(len(result.rows)):
        orders = []
        for perm in itertools.permutations(per_row[r]):
            for flips in itertools.product((False, True), repeat=len(perm)):
                if any(f and len(m) == 1 for m, f in zip(perm, flips, strict=True)):
                    continue
                orders.append([p for m, f in zip(perm, flips, strict=True)
                               for p in (m[::-1] if f else m)])
        choices.append(orders)
    total = 1
    for orders in choices:
        total *= len(orders)
    print(f"== {name}: {total} orders under rule a, each laid out and counted")
    began = time.perf_counter()
    counted = []
    for rows in itertools.product(*choices):
        order = [p for row in rows for p in row]
        counted.append((count_crossings(join_segments(layout(case, order=order))), rows))
    counted.sort(key=lambda t: t[0])
    print(f"  laid out in {time.perf_counter() - began:.0f} s; counts from {counted[0][0]} "
          f"to {counted[-1][0]}")
    for rule, model in models.items():
        for n, rows in counted:
            start = model.values_of(rows)
            if model.allowed(start):
                print(f"[{rule}] {name}: least drawn crossings {n}")
                for r, row in enumerate(rows):
                    if list(row) != list(result.rows[r]):
                        print(f"  row {r} ours: " + " | ".join(prob.names[p]
                                                             for p in result.rows[r]))
                        print(f"  row {r} best: " + " | ".join(prob.names[p] for p in row))
                break


def drawn(case: Case, result: Layout, best_rows: Mapping[int, list[str]]) -> str:
    """The product's own layout given the best order as the case's stored order: its
    crossings as the benchmark counts them, and couples split (an end-to-end check)."""
    from genogram import couples_split  # benchmarks/genogram.py

    rows = []
    for r, row in enumerate(result.rows):
        placed = best_rows.get(r, [])
        rows.append(placed + [p for p in row if p not in placed])
    again = layout(case, order=[p for row in rows for p in row])
    gens = {p: place.generation for p, place in again.people.items()}
    xs = {p: place.x for p, place in again.people.items()}
    same = [list(r) for r in again.rows] == rows
    return (f"  drawn by layout(case, order=best): {count_crossings(join_segments(again))} "
            f"crossings, {couples_split(case, xs, gens)} couples split, "
            f"drawn in exactly that order: {same}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("families", nargs="+", help="training case or GEDCOM sample names")
    parser.add_argument("--rules", nargs="+", default=["a", "b"],
                        choices=["a", "b", "s", "o", "c", "f", "g", "h"])
    parser.add_argument("--splits", type=int, default=1,
                        help="rule g: how many couples may stand apart")
    parser.add_argument("--split", nargs="*", default=[],
                        help="two name parts: the couple rule c lets stand apart")
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds per family")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--ours", action="store_true", help="list our crossings too")
    parser.add_argument("--brute-force", action="store_true",
                        help="small families: lay out every order rule a allows")
    parser.add_argument("--any-best", action="store_true",
                        help="show the first best order found, not the one closest to ours")
    args = parser.parse_args(argv)
    try:
        import highspy  # noqa: F401
    except ImportError:
        print("crossing_bound.py needs highspy (pip install highspy, in a scratch "
              "environment; see this script's docstring)", file=sys.stderr)
        return 2
    for name in args.families:
        if args.brute_force:
            brute_force(name, args)
        else:
            report(name, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
