"""How fast and how clean the genogram layout and drawing are, on real-sized families.

For each training case in ``case_templates/`` (all but ``blank.yaml``) and four public
GEDCOM files in ``shared/data/gedcom`` (bronte, shakespeare, kennedy, royal92), prints:

- ``layout_ms`` and ``draw_ms``: median of a few runs of
  :func:`systemic.genogram.layout.layout` and :func:`systemic.genogram.draw.draw_svg`;
- ``overlaps``: pairs of symbols or labels that overlap (the target is 0);
- ``crossings``: crossings of parent–child lines, by
  :func:`systemic.genogram.layout.count_crossings` over
  :func:`systemic.genogram.layout.family_segments`, with generation numbers as y;
- ``baseline_crossings``: the same count for networkx's ``multipartite_layout`` with
  generation as the subset key (each generation in case-file order), on the same
  people and the same lines.

Targets (issue 3): 30 people within 20 ms for layout and drawing together; royal92
(3,010 people) within 1 s; no overlaps; fewer crossings than the baseline wherever
the baseline has any.

Usage::

    .venv/bin/python benchmarks/genogram.py          # a table
    .venv/bin/python benchmarks/genogram.py --json   # one JSON object on stdout
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from systemic.cases import Case, load_case  # noqa: E402
from systemic.errors import WorkbookError  # noqa: E402
from systemic.genogram.draw import draw_svg  # noqa: E402
from systemic.genogram.layout import (  # noqa: E402
    count_crossings,
    family_segments,
    find_overlaps,
    layout,
)
from systemic.paths import CASES_DIR  # noqa: E402

GEDCOM_DIR = Path(os.environ.get("SYSTEMIC_GEDCOM_SAMPLES", ROOT.parent / "shared/data/gedcom"))
GEDCOM_FILES = ("bronte", "shakespeare", "kennedy", "royal92")


def note(message: str) -> None:
    print(message, file=sys.stderr)


def families() -> Iterator[tuple[str, Case]]:
    """The training cases, then the GEDCOM samples, skipping what cannot be read."""
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "blank.yaml":
            continue
        try:
            yield path.stem, load_case(path)
        except WorkbookError as e:
            note(f"skipped {path.name}: {str(e).splitlines()[0]}")
    try:
        from systemic.genogram.gedcom import load_gedcom
    except ImportError:
        note("skipped the GEDCOM samples: systemic.genogram.gedcom is not there yet")
        return
    for name in GEDCOM_FILES:
        path = GEDCOM_DIR / f"{name}.ged"
        if not path.exists():
            note(f"skipped {name}: {path} not found")
            continue
        try:
            yield name, load_gedcom(path)
        except WorkbookError as e:
            note(f"skipped {name}: {str(e).splitlines()[0]}")


def median_ms(run: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls, in milliseconds, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def baseline_crossings(case: Case, generations: dict[str, int]) -> int:
    """Crossings when each generation is simply spread out in case-file order."""
    graph = nx.Graph()
    layers: dict[int, list[str]] = {}
    for p in case.people:
        graph.add_node(p.id)
        layers.setdefault(generations[p.id], []).append(p.id)
    pos = nx.multipartite_layout(graph, subset_key=layers, align="horizontal")
    positions = {pid: (float(xy[0]), float(generations[pid])) for pid, xy in pos.items()}
    return count_crossings(family_segments(case, positions))


def measure(name: str, case: Case, runs: int) -> dict[str, Any]:
    runs = max(1, runs if len(case.people) <= 1000 else min(runs, 3))
    layout(case)  # warm caches (notation file, vocabularies)
    layout_ms, result = median_ms(lambda: layout(case), runs)
    draw_svg(case, result)
    draw_ms, _svg = median_ms(lambda: draw_svg(case, result), runs)
    generations = {pid: place.generation for pid, place in result.people.items()}
    positions = {pid: (place.x, float(place.generation)) for pid, place in result.people.items()}
    return {
        "name": name,
        "people": len(case.people),
        "layout_ms": round(layout_ms, 2),
        "draw_ms": round(draw_ms, 2),
        "overlaps": len(find_overlaps(result)),
        "crossings": count_crossings(family_segments(case, positions)),
        "baseline_crossings": baseline_crossings(case, generations),
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = ("case", "people", "layout ms", "draw ms", "overlaps", "crossings", "baseline")
    body = [
        (r["name"], str(r["people"]), f'{r["layout_ms"]:.1f}', f'{r["draw_ms"]:.1f}',
         str(r["overlaps"]), str(r["crossings"]), str(r["baseline_crossings"]))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    out = []
    for line in [head, *body]:
        out.append("  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median)")
    args = parser.parse_args(argv)
    rows = [measure(name, case, args.runs) for name, case in families()]
    if args.json:
        print(json.dumps({"cases": rows}))
    else:
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
