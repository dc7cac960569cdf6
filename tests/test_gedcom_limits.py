"""Any GEDCOM file is read in bounded time and memory, or refused in one line.

Each file here is built at the importer's limits (15 MB, 30,000 records, 300,000 lines about
people and families) in the shapes that cost most: one record of two million lines, a
tree of 20,000 people who each divorced and remarried, a 20,000-generation cycle, one
15 MB line, random bytes declared as ANSEL, UTF-16 without a byte-order mark. Each is
read in its own Python process, which reports its CPU time and peak memory (VmHWM, the
whole process with Python and its libraries). CPU time, not wall time, as the test machine
is shared; the figures are printed for the record (``pytest -s``).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from systemic.genogram.gedcom import MAX_GEDCOM_BYTES
from systemic.genogram.gedcom.lines import MAX_LINES_KEPT, MAX_RECORDS

#: The bounds of issue 17 for any one file.
CPU_SECONDS = 5.0
PEAK_MB = 300

PROBE = """
import json, sys, time
from systemic.errors import DataFileError
from systemic.genogram.gedcom import read_gedcom
start = time.process_time()
try:
    imported = read_gedcom(sys.argv[1])
    outcome = {"people": len(imported.case.people), "notes": [str(n) for n in imported.notes]}
except DataFileError as e:
    outcome = {"refused": [str(p) for p in e.problems]}
outcome["cpu"] = time.process_time() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
status = open("/proc/self/status").read()
outcome["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps(outcome))
"""


def tree(people: int, families: int) -> str:
    """People with every event the importer reads, and couples who divorced and remarried,
    each with six children (most of whom then have a second birth family)."""
    out = ["0 HEAD"]
    for i in range(people):
        out += [f"0 @I{i}@ INDI", f"1 NAME Person{i} /Surname/", "1 SEX F", "1 BIRT",
                "2 DATE 1 JAN 1900", "1 DEAT Y", f"1 FAMC @F{i % families}@"]
    for i in range(families):
        out += [f"0 @F{i}@ FAM", f"1 HUSB @I{i * 3 % people}@", f"1 WIFE @I{(i * 3 + 1) % people}@",
                "1 MARR", "2 DATE 1950", "1 DIV", "2 DATE 1960", "1 MARR", "2 DATE 1970"]
        out += [f"1 CHIL @I{(i * 13 + k) % people}@" for k in range(6)]
    return "\n".join(out) + "\n0 TRLR\n"


def cycle(people: int) -> str:
    out = ["0 HEAD"] + [f"0 @I{i}@ INDI\n1 NAME P{i} /Loop/" for i in range(people)]
    out += [f"0 @F{i}@ FAM\n1 HUSB @I{i}@\n1 CHIL @I{(i + 1) % people}@" for i in range(people)]
    return "\n".join(out) + "\n"


_SIZE = MAX_GEDCOM_BYTES - 100


def _random_ansel() -> bytes:
    noise = random.Random(17)
    return (b"0 HEAD\n1 CHAR ANSEL\n0 @I1@ INDI\n1 NAME "
            + bytes(noise.randrange(128, 256) for _ in range(_SIZE // 4)) * 4)


#: Each costly shape, made when its test runs.
SHAPES: dict[str, Callable[[], bytes]] = {
    "two-million-lines.ged": lambda: ("0 HEAD\n0 @I1@ INDI\n"
                                      + "1 SEX M\n" * (_SIZE // 8)).encode(),
    "near-the-limits.ged": lambda: tree(people=18_000, families=11_000).encode(),
    "long-cycle.ged": lambda: cycle(14_000).encode(),
    "one-long-line.ged": lambda: ("0 HEAD\n0 @I1@ INDI\n1 NAME " + "x" * (_SIZE - 30)).encode(),
    "random-ansel.ged": _random_ansel,
    "utf16-no-bom.ged": lambda: tree(people=9_000, families=5_000).encode("utf-16-le"),
    "too-many-records.ged": lambda: "".join(
        ["0 HEAD\n"] + [f"0 @I{i}@ INDI\n" for i in range(MAX_RECORDS + 1)]).encode(),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_costly_shape_is_read_within_the_bounds(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(SHAPES[name]())
    assert path.stat().st_size <= MAX_GEDCOM_BYTES
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0 and not done.stderr, done.stderr[-2000:]
    outcome = json.loads(done.stdout)
    print(f"{name}: {outcome['cpu']:.2f} s CPU, {outcome['peak_mb']:.0f} MB peak")
    assert outcome["cpu"] < CPU_SECONDS and outcome["peak_mb"] < PEAK_MB, outcome
    lines = outcome.get("refused") or outcome["notes"]
    assert all("\n" not in line and len(line) < 200 + len(str(path)) for line in lines)
    if name == "too-many-records.ged":
        [line] = outcome["refused"]
        assert f"more than {MAX_RECORDS:,} records" in line
    elif name != "utf16-no-bom.ged" and name != "near-the-limits.ged":
        assert outcome.get("people", 0) >= 1, outcome


def test_the_limits_are_generous_for_real_trees():
    # A MyHeritage export of 4,683 people has about 40,000 such lines and 7,000 records.
    assert MAX_RECORDS >= 30_000 and MAX_LINES_KEPT >= 300_000
