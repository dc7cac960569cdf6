"""Prints the fuzz suite's figures (issue 17): files read, time taken, slowest and largest file.

The same corpus and workers as ``tests/test_fuzz.py``: mutated copies of the real
cases, frameworks and GEDCOM family trees from a fixed seed, each read in a worker
subprocess limited to 300 MB and 5 s. Also lists any file that was not refused
clearly or accepted and usable, with the end of its traceback.

    .venv/bin/python -m benchmarks.fuzz [--seed 17] [--workers 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tests.fuzz_corpus import make_corpus
from tests.fuzz_worker import run_files, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        started = time.perf_counter()
        files = make_corpus(Path(folder), seed=args.seed)
        made = time.perf_counter() - started
        started = time.perf_counter()
        verdicts = run_files(files, workers=args.workers)
        print(f"corpus of {len(files)} files made in {made:.1f} s")
        print(summary(verdicts, time.perf_counter() - started))
        by_kind: dict[str, list[float]] = {}
        for v in verdicts:
            by_kind.setdefault(Path(v.path).parts[-3], []).append(v.seconds)
        for kind, seconds in sorted(by_kind.items()):
            print(f"  {kind}: {len(seconds)} files, slowest {max(seconds):.2f} s, "
                  f"mean {sum(seconds) / len(seconds):.3f} s")
        for v in verdicts:
            if v.verdict not in ("accepted", "refused"):
                print(f"\n{v.verdict}: {v.path}\n{v.detail[-800:]}")


if __name__ == "__main__":
    main()
