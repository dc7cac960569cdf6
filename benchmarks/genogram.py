"""How fast and how clean the genogram is, against Graphviz ``dot`` on the same families.

For each training case in ``case_templates/`` (all but ``blank.yaml``) and every GEDCOM
file in ``shared/data/gedcom`` (bronte, kennedy, royal92, shakespeare, …), in one run,
prints:

- ``people``;
- ``ours ms``: median wall time of :func:`systemic.genogram.layout.layout` plus
  :func:`systemic.genogram.draw.draw_svg`, and ``ours cpu ms`` the processor time of the
  same (what the wall time would be on a machine not shared with other work);
- ``dot ms``: wall time of Graphviz ``dot -Tplain`` on the same family (one run; given
  up after 120 s), drawn the usual way for family trees (ped_draw's recipe): one node per
  person, an invisible point per couple (or lone parent) on a rank of its own just below
  the lower parent's row, edges parent → point → child, and each generation row held
  together with ``rank=same`` — the rows our layout gives, so both are judged on the same
  rows (dot's own ranks would put married-in partners a row above their spouse);
- ``ours ×`` and ``dot ×``: crossings, counted **the same way for both**: every line
  into a child is a segment from its family's join point (where the children's line
  leaves the couple, or the lone parent: our couple line's hub, dot's point node) to the
  child, with generation row numbers as y — the join point in the row of the lower
  parent — so segments run between adjacent generation rows (or are cut at each row they
  pass), and two segments cross when their order at the top and at the bottom of a gap
  between rows disagree (:func:`systemic.genogram.layout.count_crossings` over
  :func:`systemic.genogram.layout.checks.join_segments` for ours and
  :func:`dot_join_segments` for dot's);
- ``dot kept ×``: the same count for ``dot`` asked to keep couples side by side as we
  do (each chain of partners in a row one record node, a port per partner:
  :func:`dot_source` with ``kept=True``). Plain ``dot`` is free to split couples (it
  splits 28 in kennedy), so ``dot ×`` compares our drawing with a less constrained one;
  this column compares like with like. Both are printed; neither replaces the other;
- ``ours partners ×`` and ``dot partners ×``: what the count above leaves out, counted
  the same way for both (:func:`partner_crossings`): the lines from each parent down to
  the family's join point — for dot its point node, for us the couple line's hub: for
  a couple side by side a short line, for a couple standing apart or in two rows a long
  one — as the crossings they add when the join point is taken half a row below the
  lower parent. Neither is in ``ours ×``/``dot ×``;
- ``drawn ×`` and ``dot drawn ×``: pairs of drawn lines of two families that cross, on
  the drawing itself (:func:`systemic.genogram.layout.checks.crossing_pairs`) — what a
  reader sees. Ours: a sibling bar passing under another family's children, a parent
  link across a line, a couple line apart
  (:func:`systemic.genogram.layout.checks.line_crossings`). dot's: the curves it draws
  from each parent to the family's point and from the point to each child, and a
  childless couple's line, each cut into short pieces (:func:`dot_line_crossings`).
  dot may stand couples (and brothers and sisters) apart, which lowers the count above;
  its drawing then crosses more (royal92: ours 3,098, dot's 6,861);
- ``kin couples``: couples who share an ancestor in the file (intermarriage);
- ``split†``: of our split couples, those in a family with no intermarriage (no couple
  related by birth in their connected family) and not in a chain of partners where
  someone has three or more partners in the row (a person has two sides: one of three
  partners stands apart) — the splits issue 16 rules out. In an intermarried family a
  couple may stand apart where the drawing then crosses fewer lines, their own couple
  line's crossings counted (:mod:`systemic.genogram.layout.apart`);
- ``split`` and ``dot split``: couples in the same generation row who do not stand side
  by side (someone between them);
- with ``--siblings-kept``: ``dot sib ×``, ``dot sib split`` and ``dot sib drawn ×`` for
  ``dot`` asked to keep each sibling group together as we do
  (:func:`dot_source` with ``siblings=True``), and ``ours in dot sib order drawn ×``:
  our drawing in that order;
- ``w:h``: our drawing's width over its height;
- ``overlaps``: pairs of our symbols or labels that overlap (always 0), and ``text×``:
  lines through a name, years or couple's dates (:mod:`systemic.genogram.layout.checks`;
  always 0; measured on every family, royal92's 3,010 people in about 0.2 s).

After the table, for each family tree of more than ``LARGE_FAMILY`` people: the time to
open it in the family-around-a-person view (read the file, cut the view around the index
or first person, lay out and draw), wall and processor time.

Targets (issue 16): fewer crossings than dot on kennedy and on every GEDCOM file; 0
couples split where there is no intermarriage; 30 people ≤ 20 ms and 3,000 people ≤ 1 s
for layout plus drawing.

What is possible: ``benchmarks/crossing_bound.py`` finds, by an integer programme over
the same rows and the same count, the fewest crossings any order can give. On kennedy
that is 4 with every couple side by side — so dot's 3 cannot be beaten there without a
couple standing apart (dot splits 28). Kennedy is intermarried (John F. Fitzgerald
married his cousin Mary Josephine Hannon), and with John F. Kennedy and Jacqueline
Bouvier apart, each among their own brothers and sisters, 1 line crosses, and their
couple line crosses 1 more (Ted and Joan Kennedy's children's line): 2 in all. Where dot
has 0 (bronte, shakespeare, several corpus files) fewer is impossible; 0 is the aim.
On royal92, on the rows our generations give (married-in partners in their partner's
row), plain dot crosses 84 lines by standing 536 couples apart, and 654 with couples
kept; ours crosses 72, with 67 couples apart. The trials of one more couple apart run
only in families of up to ``IMPROVE_LIMIT`` people; in larger intermarried trees, after
the sweeps and neighbour swaps, the couples of whom one partner's line crosses at least
4 others stand apart, each partner among their own brothers and sisters
(:mod:`systemic.genogram.layout.stand_apart`: 20 couples, about 30 ms), then at most
60 trial moves of the sibling groups whose lines cross most
(:mod:`systemic.genogram.layout.crossed_groups`), parents with no parents drawn beside
the family their children married into (:mod:`systemic.genogram.layout.free_parents`),
each partner standing apart at the end of their sibling group facing their partner
(:func:`systemic.genogram.layout.apart.face_partners`), a second round of the crossed
groups' trials with the rows below following only where the move reaches, and the
children's line of each couple apart leaving their couple line where it crosses fewest
(:mod:`systemic.genogram.layout.apart_hubs`). Before the couples with long lines stood
apart, the same passes gave 136 (drawn 2,985; now 3,098). This count leaves out the
lines from the parents to the join point, so standing couples apart lowers it almost
for free: dot asked to keep each sibling group together as well (``--siblings-kept``)
crosses 7 on royal92 and 0 on kennedy, standing 570 and 35 couples apart — and its
drawing then has 17,803 and 333 pairs of lines crossing, against our 3,098 and 5.
``drawn ×`` is the count a reader sees.

Usage::

    .venv/bin/python benchmarks/genogram.py          # a table
    .venv/bin/python benchmarks/genogram.py --json   # one JSON object on stdout
    .venv/bin/python benchmarks/genogram.py --no-dot # ours only
    .venv/bin/python benchmarks/genogram.py --siblings-kept --only kennedy royal92
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from systemic.cases import Case, load_case  # noqa: E402
from systemic.errors import WorkbookError  # noqa: E402
from systemic.genogram.draw import draw_svg  # noqa: E402
from systemic.genogram.layout import count_crossings, find_overlaps, layout  # noqa: E402
from systemic.genogram.layout.checks import (  # noqa: E402
    crossing_pairs,
    join_lines,
    join_segments,
    line_crossings,
    text_crossings,
)
from systemic.paths import CASES_DIR  # noqa: E402

GEDCOM_DIR = Path(os.environ.get("SYSTEMIC_GEDCOM_SAMPLES",
                                  ROOT.parent / "shared" / "data" / "gedcom"))
#: The GEDCOM files the project added (tests/data/gedcom): each with parent links is measured.
CORPUS_DIR = ROOT / "tests" / "data" / "gedcom"
DOT_TIMEOUT = 120.0


def note(message: str) -> None:
    print(message, file=sys.stderr)


def families() -> Iterator[tuple[str, Case]]:
    """The training cases, then every GEDCOM sample, skipping what cannot be read."""
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "blank.yaml":
            continue
        try:
            yield path.stem, load_case(path)
        except WorkbookError as e:
            note(f"skipped {path.name}: {str(e).splitlines()[0]}")
    from systemic.genogram.gedcom import load_gedcom

    for path in sorted(GEDCOM_DIR.glob("*.ged")):
        try:
            yield path.stem, load_gedcom(path)
        except WorkbookError as e:
            note(f"skipped {path.name}: {str(e).splitlines()[0]}")
    for path in sorted(CORPUS_DIR.rglob("*.ged")):
        try:
            case = load_gedcom(path)
        except WorkbookError:
            continue  # the corpus holds files made to be refused
        if case.parents:
            yield str(path.relative_to(CORPUS_DIR).with_suffix("")), case


#: Families of this many people or fewer are timed over at least ``SMALL_RUNS`` runs.
SMALL_FAMILY, SMALL_RUNS = 100, 25


def median_ms(run: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls, in milliseconds, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def _q(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def partner_chains(case: Case, rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """Partners in one row joined into chains (a couple, or A–X–B for someone with two
    partners), each in walking order from one end, in file order where it branches."""
    row_of = {p: r for r, row in enumerate(rows) for p in row}
    near: dict[str, list[str]] = {}
    for u in case.unions:
        a, b = u.partners
        if (a != b and a in row_of and b in row_of and row_of[a] == row_of[b]
                and b not in near.setdefault(a, [])):
            near[a].append(b)
            near.setdefault(b, []).append(a)
    chains, seen = [], set()
    for p in (p.id for p in case.people):
        if p not in near or p in seen:
            continue
        group, stack = [], [p]
        while stack:  # the whole chain, then walk it from an end
            q = stack.pop()
            if q not in seen:
                seen.add(q)
                group.append(q)
                stack += near[q]
        start = next((q for q in group if len(near[q]) == 1), group[0])
        walk, stack, done = [], [start], set()
        while stack:
            q = stack.pop()
            if q not in done:
                done.add(q)
                walk.append(q)
                stack += reversed(near[q])
        chains.append(walk)
    return chains


def dot_source(case: Case, rows: Sequence[Sequence[str]], kept: bool = False,
               siblings: bool = False) -> str:
    """The family as a ``dot`` graph: people on even ranks (one per generation row), a
    point per set of parents on the odd rank below the lower parent, edges parent → point
    → child — a proper layered graph, the form dot's ordering works best on.

    ``kept=True`` holds couples side by side as ours are: each chain of partners in a row
    is one record node with a field (port) per partner, lines leaving and reaching each
    partner's own field (dot cannot flip a chain; its order is the walk of
    :func:`partner_chains`). ``siblings=True`` keeps each sibling group together (a
    ``cluster`` per group, with ``newrank`` so that clusters and rows both hold)."""
    people = {p.id for p in case.people}
    row_of = {p: r for r, row in enumerate(rows) for p in row}
    field: dict[str, str] = {p: _q(p) for p in people}
    node_of: dict[str, str] = {p: p for p in people}
    lines = ["digraph family {", "  node [shape=box, width=0.6, height=0.6, fixedsize=true, "
             'label=""]; edge [arrowhead=none];']
    for k, chain in enumerate(partner_chains(case, rows) if kept else []):
        name = f"~c{k}"
        ports = "|".join(f"<p{i}>" for i in range(len(chain)))
        lines.append(f'  {_q(name)} [shape=record, label="{ports}", width={0.6 * len(chain)}];')
        for i, p in enumerate(chain):
            field[p], node_of[p] = f"{_q(name)}:p{i}", name
    lines += [f"  {_q(p.id)};" for p in case.people if node_of[p.id] == p.id]
    points: dict[tuple[str, ...], str] = {}
    point_rows: dict[int, list[str]] = {}
    for link in case.parents:
        parents = tuple(sorted(p for p in link.parents if p in people and p != link.child))
        if not parents or link.child not in people:
            continue
        if parents not in points:
            name = f"~f{len(points)}"
            points[parents] = name
            lines.append(f"  {_q(name)} [shape=point, width=0.05];")
            for p in parents:
                lines.append(f"  {field[p]} -> {_q(name)};")
            point_rows.setdefault(max(row_of[p] for p in parents), []).append(name)
        lines.append(f"  {_q(points[parents])} -> {field[link.child]};")
    for u in case.unions:
        a, b = u.partners
        if (a in people and b in people and tuple(sorted((a, b))) not in points
                and node_of[a] != node_of[b]):
            lines.append(f"  {field[a]} -> {field[b]} [constraint=false];")
    # Invisible spines keep the ranks in order even where no family links two rows.
    spine = [f"~r{r}" for r in range(2 * len(rows))]
    lines += [f"  {_q(n)} [style=invis, shape=point, width=0];" for n in spine]
    lines += [f"  {_q(a)} -> {_q(b)} [style=invis];" for a, b in zip(spine, spine[1:],
                                                                       strict=False)]
    for r, row in enumerate(rows):
        nodes = dict.fromkeys(node_of[p] for p in row)
        members = " ".join(_q(p) for p in [spine[2 * r], *nodes])
        lines.append(f"  {{ rank=same; {members} }}")
        points_here = " ".join(_q(p) for p in [spine[2 * r + 1], *point_rows.get(r, [])])
        lines.append(f"  {{ rank=same; {points_here} }}")
    if siblings:
        lines[1:1] = ["  newrank=true;", *_sibling_clusters(case)]
    lines.append("}")
    return "\n".join(lines)


def _sibling_clusters(case: Case) -> list[str]:
    """One invisible ``cluster`` per family's children (each child in the first)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    seen: set[str] = set()
    for link in case.parents:
        if link.child not in seen:
            seen.add(link.child)
            groups.setdefault(tuple(sorted(link.parents)), []).append(link.child)
    return [f'  subgraph "cluster_s{k}" {{ style=invis; ' + " ".join(map(_q, kids)) + "; }"
            for k, kids in enumerate(groups.values()) if len(kids) > 1]


def run_dot(case: Case, rows: Sequence[Sequence[str]], kept: bool = False,
            edges: list[tuple[str, str, list[tuple[float, float]]]] | None = None,
            siblings: bool = False) -> tuple[float | None, dict[str, float]]:
    """``dot``'s time in ms and its x position of each node, people and join points
    (None and {} if it failed); with ``kept``, of each partner within its chain's node.
    ``edges``, if given, receives each line dot draws: its two ends' nodes and its curve's
    control points (:func:`dot_line_crossings`). ``siblings``: see :func:`dot_source`."""
    source = dot_source(case, rows, kept, siblings)
    start = time.perf_counter()
    try:
        done = subprocess.run(["dot", "-Tplain"], input=source, capture_output=True, text=True,
                              timeout=DOT_TIMEOUT, check=True)
    except subprocess.TimeoutExpired:
        note(f"dot gave up after {DOT_TIMEOUT:.0f} s")
        return None, {}
    except subprocess.CalledProcessError as e:
        note(f"dot failed: {e.stderr.strip()[:200]}")
        return None, {}
    ms = (time.perf_counter() - start) * 1000
    xs: dict[str, float] = {}
    chains = partner_chains(case, rows) if kept else []
    for line in done.stdout.splitlines():
        if line.startswith("node "):
            parts = _plain_fields(line)
            xs[parts[1]] = float(parts[2])
            if kept and parts[1].startswith("~c"):
                width = float(parts[4])
                chain = chains[int(parts[1][2:])]
                for i, p in enumerate(chain):
                    xs[p] = xs[parts[1]] - width / 2 + (i + 0.5) * width / len(chain)
        elif line.startswith("edge ") and edges is not None:
            parts = _plain_fields(line)
            n = int(parts[3])
            points = [(float(parts[4 + 2 * k]), float(parts[5 + 2 * k])) for k in range(n)]
            edges.append((parts[1], parts[2], points))
    return ms, xs


def _bezier(points: Sequence[tuple[float, float]], steps: int = 6
            ) -> list[tuple[float, float]]:
    """Points along dot's curve (cubic Bézier pieces: control points 0–3, 3–6, …).

    >>> _bezier([(0, 0), (0, 1), (1, 1), (1, 0)], steps=2)
    [(0.0, 0.0), (0.5, 0.75), (1.0, 0.0)]
    """
    out = [(float(points[0][0]), float(points[0][1]))]
    for k in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[k:k + 4]
        for i in range(1, steps + 1):
            t = i / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                        a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def dot_line_crossings(edges: Sequence[tuple[str, str, list[tuple[float, float]]]]) -> int:
    """Pairs of ``dot``'s drawn lines of two families that cross, counted as
    ``drawn ×`` counts ours (:func:`~systemic.genogram.layout.checks.crossing_pairs`):
    each line from a parent to their family's point and from the point to a child
    belongs to that family, a childless couple's line to the couple."""
    pieces = []
    for k, (tail, head, points) in enumerate(edges):
        if tail.startswith("~r"):
            continue  # the invisible spine that keeps the rows in order
        family = head if head.startswith("~f") else tail if tail.startswith("~f") else (
            "~u" + "|".join(sorted((tail.split(":")[0], head.split(":")[0]))))
        curve = _bezier(points)
        pieces += [(family, str(k), (a, b)) for a, b in zip(curve, curve[1:], strict=False)]
    return len(crossing_pairs(pieces))


def _plain_fields(line: str) -> list[str]:
    """Split a ``-Tplain`` line, honouring quoted names."""
    out, word, quoted, i = [], "", False, 0
    while i < len(line):
        c = line[i]
        if c == '"':
            quoted = not quoted
        elif c == "\\" and quoted and i + 1 < len(line):
            i += 1
            word += line[i]
        elif c == " " and not quoted:
            if word:
                out.append(word)
            word = ""
        else:
            word += c
        i += 1
    if word:
        out.append(word)
    return out


#: A family as the partner-line count needs it: parents, join x, join row, children.
Join = tuple[tuple[str, ...], float, int, list[str]]


def partner_crossings(joins: Sequence[Join], xs: Mapping[str, float],
                      gens: Mapping[str, int]) -> int:
    """The crossings the lines from the parents to their family's join point add to the
    count of ``ours ×``/``dot ×`` — the same way for both drawings: the join point half a
    row below the lower parent, a straight segment from each parent to it (a parent in
    the row above is cut at each row it passes), then the lines into the children."""
    narrow, full = [], []
    for parents, x, row, children in joins:
        kids = [((x, float(row)), (xs[c], float(gens[c]))) for c in children]
        narrow += kids
        full += [((x, row + 0.5), end) for _top, end in kids]
        full += [((xs[p], float(gens[p])), (x, row + 0.5)) for p in parents if p in xs]
    return count_crossings(full) - count_crossings(narrow)


def dot_joins(case: Case, xs: Mapping[str, float], gens: Mapping[str, int]) -> list[Join]:
    """dot's families: each set of parents, its point node's x, its row, its children."""
    people = {p.id for p in case.people}
    found: dict[tuple[str, ...], Join] = {}
    for link in case.parents:
        parents = tuple(sorted(p for p in link.parents if p in people and p != link.child))
        if not parents or link.child not in people:
            continue
        if parents not in found:
            name = f"~f{len(found)}"
            found[parents] = (parents, xs[name], max(gens[p] for p in parents), [])
        found[parents][3].append(link.child)
    return list(found.values())


def dot_join_segments(case: Case, xs: Mapping[str, float], gens: Mapping[str, int]
                      ) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """dot's segments from each join point (its point node, in the row of the lower
    parent) to each child, as :func:`join_segments` gives ours."""
    return [((x, float(row)), (xs[c], float(gens[c])))
            for _parents, x, row, children in dot_joins(case, xs, gens) for c in children]


def our_joins(case: Case, result: Any) -> list[Join]:
    """Our families: each join point (:func:`join_lines`) with its parents and children."""
    from systemic.genogram.layout.base import _Index

    families = _Index(case).families
    found: dict[tuple[str, float, float], Join] = {}
    for family, (x, row), child in join_lines(result):
        key = (family, x, row)
        if key not in found:
            found[key] = (families[family].parents, x, int(row), [])
        found[key][3].append(child)
    return list(found.values())


def couples_split(case: Case, xs: Mapping[str, float], gens: Mapping[str, int],
                  *, avoidable: bool = False) -> int:
    """Couples in one row with someone standing between them; with ``avoidable``, only
    those in a family with no intermarriage (no couple related by birth in their
    connected family: :func:`~systemic.genogram.layout.units.kin_couples`) where
    neither partner has three or more partners in that row (a person has two sides, so
    one of three must stand apart) — the splits issue 16 rules out."""
    from systemic.genogram.layout.base import _components, _Index
    from systemic.genogram.layout.units import kin_couples

    idx = _Index(case)
    component = _components(idx)
    intermarried = {component[idx.families[f].parents[0]] for f in kin_couples(idx)}
    by_row: dict[int, list[float]] = {}
    for p, g in gens.items():
        if p in xs:
            by_row.setdefault(g, []).append(xs[p])
    for row in by_row.values():
        row.sort()
    pairs = {frozenset(u.partners) for u in case.unions
             if len(set(u.partners)) == 2 and all(p in xs for p in u.partners)
             and gens[u.partners[0]] == gens[u.partners[1]]}
    count = {p: sum(p in pair for pair in pairs) for pair in pairs for p in pair}
    star = _in_star(pairs, count)
    split = 0
    for pair in pairs:
        a, b = sorted(pair)
        if avoidable and (a in star or component[a] in intermarried):
            continue
        lo, hi = sorted((xs[a], xs[b]))
        split += any(lo < x < hi for x in by_row[gens[a]])
    return split


def _in_star(pairs: set[frozenset[str]], count: Mapping[str, int]) -> set[str]:
    """People in a chain of partners where someone has three or more partners (such a
    chain cannot stand as one line with every couple side by side)."""
    near: dict[str, set[str]] = {}
    for pair in pairs:
        a, b = sorted(pair)
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    out: set[str] = set()
    for start in [p for p, n in count.items() if n >= 3]:
        todo = [start]
        while todo:
            p = todo.pop()
            if p not in out:
                out.add(p)
                todo += near[p]
    return out


def intermarried(case: Case) -> int:
    """Couples who share an ancestor in the file (cousins who married, and the like)."""
    parents: dict[str, set[str]] = {}
    for link in case.parents:
        parents.setdefault(link.child, set()).update(p for p in link.parents if p != link.child)

    def line(p: str) -> set[str]:  # p and all their ancestors
        seen, todo = {p}, [p]
        while todo:
            for q in parents.get(todo.pop(), ()):
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return seen

    pairs = {frozenset(u.partners) for u in case.unions if len(set(u.partners)) == 2}
    return sum(1 for pair in pairs if set.intersection(*(line(p) for p in pair)))


def measure(name: str, case: Case, runs: int, with_dot: bool,
            siblings_kept: bool = False) -> dict[str, Any]:
    runs = max(1, runs if len(case.people) <= 1000 else min(runs, 3))
    if len(case.people) <= SMALL_FAMILY:
        # A small family's layout takes a few ms, as long as a hiccup of the machine:
        # the median of more runs (kinship_care: 15.7 to 24.8 ms over 5, 16.0 over 60).
        runs = max(runs, SMALL_RUNS)
    # Each family from a clean heap, as a file opened in the workbook is: the garbage the
    # families before it left (kennedy's drawings, dot's output) otherwise falls to be
    # collected during this one's drawing (royal92: about 810 ms, 1,000 ms after kennedy).
    gc.collect()
    layout(case)  # warm caches (notation file, vocabularies)

    def ours() -> Any:
        result = layout(case)
        draw_svg(case, result)
        return result

    ours_ms, result = median_ms(ours, runs)
    gens = {pid: place.generation for pid, place in result.people.items()}
    xs = {pid: place.x for pid, place in result.people.items()}
    start = time.process_time()
    for _ in range(runs):
        draw_svg(case, layout(case))
    cpu_ms = (time.process_time() - start) * 1000 / runs
    row = {
        "name": name,
        "people": len(case.people),
        "ours_ms": round(ours_ms, 1),
        "ours_cpu_ms": round(cpu_ms, 1),
        "crossings": count_crossings(join_segments(result)),
        "partner_crossings": partner_crossings(our_joins(case, result), xs, gens),
        "drawn_crossings": len(line_crossings(result)),
        "intermarried": intermarried(case),
        "split": couples_split(case, xs, gens),
        "split_avoidable": couples_split(case, xs, gens, avoidable=True),
        "aspect": round(result.width / max(result.height, 1.0), 1),
        "overlaps": len(find_overlaps(result)),
        "text_crossings": len(text_crossings(result)),
    }
    if with_dot:
        dot_edges: list[tuple[str, str, list[tuple[float, float]]]] = []
        dot_ms, dot_xs = run_dot(case, result.rows, edges=dot_edges)
        row["dot_drawn_crossings"] = dot_line_crossings(dot_edges) if dot_xs else None
        row["dot_ms"] = None if dot_ms is None else round(dot_ms, 1)
        row["dot_crossings"] = (count_crossings(dot_join_segments(case, dot_xs, gens))
                                if dot_xs else None)
        row["dot_split"] = couples_split(case, dot_xs, gens) if dot_xs else None
        row["dot_partner_crossings"] = (partner_crossings(dot_joins(case, dot_xs, gens),
                                                          dot_xs, gens) if dot_xs else None)
        _kept_ms, kept_xs = run_dot(case, result.rows, kept=True)
        row["dot_kept_crossings"] = (count_crossings(dot_join_segments(case, kept_xs, gens))
                                     if kept_xs else None)
        if siblings_kept:
            row.update(_dot_siblings_kept(case, result.rows, gens))
    return row


def _dot_siblings_kept(case: Case, rows: Sequence[Sequence[str]], gens: Mapping[str, int]
                       ) -> dict[str, Any]:
    """``dot`` keeping each sibling group together (``--siblings-kept``): its count, the
    couples it stands apart, its drawn crossings, and ours drawn in its order."""
    edges: list[tuple[str, str, list[tuple[float, float]]]] = []
    _ms, xs = run_dot(case, rows, edges=edges, siblings=True)
    if not xs:
        return {}
    order = [p for row in rows for p in sorted(row, key=xs.__getitem__)]
    return {"dot_sib_crossings": count_crossings(dot_join_segments(case, xs, gens)),
            "dot_sib_split": couples_split(case, xs, gens),
            "dot_sib_drawn": dot_line_crossings(edges),
            "dot_sib_ours_drawn": len(line_crossings(layout(case, order=order)))}


COLUMNS = (("case", "name"), ("people", "people"), ("ours ms", "ours_ms"),
           ("ours cpu ms", "ours_cpu_ms"),
           ("dot ms", "dot_ms"), ("ours ×", "crossings"), ("dot ×", "dot_crossings"),
           ("dot kept ×", "dot_kept_crossings"),
           ("ours partners ×", "partner_crossings"), ("dot partners ×", "dot_partner_crossings"),
           ("drawn ×", "drawn_crossings"), ("dot drawn ×", "dot_drawn_crossings"),
           ("kin couples", "intermarried"), ("split", "split"), ("split†", "split_avoidable"),
           ("dot split", "dot_split"),
           ("dot sib ×", "dot_sib_crossings"), ("dot sib split", "dot_sib_split"),
           ("dot sib drawn ×", "dot_sib_drawn"), ("ours in dot sib order drawn ×",
                                                 "dot_sib_ours_drawn"),
           ("w:h", "aspect"),
           ("overlaps", "overlaps"), ("text×", "text_crossings"))


def table(rows: list[dict[str, Any]]) -> str:
    columns = [(h, k) for h, k in COLUMNS if any(k in r for r in rows)]
    body = [tuple("–" if r.get(k) is None else str(r[k]) for _h, k in columns) for r in rows]
    head = tuple(h for h, _k in columns)
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(line, widths, strict=True)))
        for line in [head, *body]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median)")
    parser.add_argument("--no-dot", action="store_true", help="do not run Graphviz dot")
    parser.add_argument("--only", nargs="*", help="only these families (by name)")
    parser.add_argument("--siblings-kept", action="store_true",
                        help="also run dot keeping each sibling group together")
    args = parser.parse_args(argv)
    with_dot = not args.no_dot
    if with_dot and shutil.which("dot") is None:
        note("Graphviz dot is not installed (Debian: apt-get install graphviz); "
             "measuring ours only")
        with_dot = False
    rows = [measure(name, case, args.runs, with_dot, args.siblings_kept)
            for name, case in families()
            if not args.only or name in args.only]
    around = [open_around(path) for path in sorted(GEDCOM_DIR.glob("*.ged"))
              if not args.only or path.stem in args.only]
    around = [a for a in around if a is not None]
    if args.json:
        print(json.dumps({"cases": rows, "around": around}))
    else:
        print(table(rows))
        for a in around:
            print(f"{a['name']}: opened around {a['centre']} ({a['shown']} of {a['people']} "
                  f"people) in {a['ms']:.0f} ms ({a['cpu_ms']:.0f} ms of processor time)")
    return 0


def open_around(path: Path) -> dict[str, Any] | None:
    """How long a big family tree takes to open in the family-around-a-person view."""
    from systemic.genogram.focus import LARGE_FAMILY, default_person, family_around
    from systemic.genogram.gedcom import load_gedcom

    wall, cpu = time.perf_counter(), time.process_time()
    case = load_gedcom(path)
    if len(case.people) <= LARGE_FAMILY:
        return None
    centre = default_person(case)
    shown = family_around(case, centre)
    draw_svg(shown, layout(shown))
    return {"name": path.stem, "people": len(case.people), "centre": centre,
            "shown": len(shown.people), "ms": (time.perf_counter() - wall) * 1000,
            "cpu_ms": (time.process_time() - cpu) * 1000}


if __name__ == "__main__":
    raise SystemExit(main())
