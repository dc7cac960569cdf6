"""How long the team view takes over a large store: loading included, generating not.

Generates a synthetic store (:mod:`benchmarks.synthetic`, 10,000 sessions by default)
in a temporary folder, or uses ``--store``, then times :func:`systemic.team.load_team_data`
followed by :func:`systemic.team.analyse` (every table of the team view). The figure is
the median of ``--repeat`` runs after one warm-up, in milliseconds of wall-clock time;
without ``--json`` the processor time and the machine's load are printed too, since other
work on the machine slows the wall clock.

Target (issue 7): 10,000 sessions in 1 s or less.

Usage::

    python benchmarks/team.py [--json] [--sessions 10000] [--repeat 5] [--store PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from systemic.team import analyse, load_team_data

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import generate  # noqa: E402

AS_OF = dt.date(2026, 1, 1)


def run_once(store: Path) -> tuple[float, float]:
    """One load and analysis: (wall-clock ms, processor ms)."""
    wall, cpu = time.perf_counter(), time.process_time()
    analyse(load_team_data(store, as_of=AS_OF))
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def measure(store: Path, repeat: int) -> tuple[float, float]:
    run_once(store)  # warm-up: file pages and data files read once
    runs = [run_once(store) for _ in range(max(1, repeat))]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help='print {"sessions", "ms"}')
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--store", type=Path, default=None,
                        help="time this store instead of generating one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="team-benchmark-") as folder:
        store = args.store
        sessions = args.sessions
        if store is None:
            store = Path(folder) / "synthetic.db"
            generate(store, sessions, seed=0)
        else:
            sessions = len(load_team_data(store, as_of=AS_OF).sessions)
        wall, cpu = measure(store, args.repeat)
    if args.json:
        print(json.dumps({"sessions": sessions, "ms": round(wall, 1)}))
    else:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{sessions} sessions: load and analyse {wall:.0f} ms (processor {cpu:.0f} ms, "
              f"machine load {load:.1f}); target 1000 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
