"""How long GEDCOM import takes, per file: the shared samples and the test corpus.

Reads each ``.ged`` file in ``../shared/data/gedcom`` (bronte, shakespeare, kennedy,
royal92) and in ``tests/data/gedcom`` with :func:`systemic.genogram.gedcom.read_gedcom`,
and prints per file: people, couples, import notes, and the median wall-clock and CPU
milliseconds of several runs after a warm-up (CPU time is steadier on a busy machine).

Target (issue 16): royal92 (3,010 people) well under a second.

Usage::

    python benchmarks/gedcom.py [--json] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from systemic.errors import DataFileError
from systemic.genogram.gedcom import read_gedcom

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [Path(os.environ.get("SYSTEMIC_GEDCOM_SAMPLES", ROOT.parent / "shared/data/gedcom")),
           ROOT / "tests/data/gedcom"]


def measure(path: Path, repeat: int) -> dict:
    """People, couples, notes and median times of reading ``path``."""
    try:
        imported = read_gedcom(path)
    except DataFileError as e:
        return {"file": str(path), "refused": str(e.problems[0].message)[:60]}
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        read_gedcom(path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"file": str(path), "people": len(imported.case.people),
            "couples": len(imported.case.unions), "notes": len(imported.notes),
            "ms": round(statistics.median(walls) * 1000, 1),
            "cpu_ms": round(statistics.median(cpus) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = [measure(path, args.repeat) for folder in FOLDERS if folder.exists()
            for path in sorted(folder.rglob("*.ged"))]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'file':58} {'people':>6} {'couples':>7} {'notes':>5} {'ms':>8} {'cpu_ms':>8}")
    for row in rows:
        name = str(Path(row["file"]).relative_to(ROOT.parent))[-58:]
        if "refused" in row:
            print(f"{name:58} refused: {row['refused']}")
        else:
            print(f"{name:58} {row['people']:>6} {row['couples']:>7} {row['notes']:>5} "
                  f"{row['ms']:>8} {row['cpu_ms']:>8}")


if __name__ == "__main__":
    main()
