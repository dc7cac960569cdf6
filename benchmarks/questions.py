"""How long the circular-question generator takes, per case.

Runs :func:`systemic.questions.generate` and :func:`systemic.questions.choose` (40 shown)
on every training case in ``case_templates/`` (not ``blank.yaml``), on a fictional
30-person family built here, and on the Kennedy family tree (208 people, read with
:func:`systemic.genogram.gedcom.load_gedcom`). Each figure is the median of several
runs after a warm-up, in milliseconds of wall-clock time (``ms``) and of CPU time
(``cpu_ms``, steadier when the machine is busy); loading the template bank, once per
process, is reported apart.

Targets (issue 5): a 30-person case in 50 ms or less; Kennedy in 0.5 s or less.

Usage::

    python benchmarks/questions.py [--json] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from systemic.cases import Case, parse_case
from systemic.paths import CASES_DIR
from systemic.questions.bank import load_bank
from systemic.questions.cli import load_any_case
from systemic.questions.generate import HypothesisInput, generate
from systemic.questions.rank import choose

KENNEDY = Path("/work/shared/data/gedcom/kennedy.ged")
SHOWN = 40


def thirty_person_family() -> Case:
    """A fictional family of 30 over four generations: two grandparent couples, a
    separation and a new partner, siblings of every kind, aunts, uncles and cousins, a
    death, emotional lines, two homes, an ecomap and a chronology."""
    people = [
        ("ggm", "Edna", "female", 1930, 2019), ("ggf", "Walter", "male", 1928, 2001),
        ("gm1", "Maureen", "female", 1955, None), ("gf1", "Keith", "male", 1952, 2020),
        ("gm2", "Pauline", "female", 1958, None), ("gf2", "Derek", "male", 1956, None),
        ("mum", "Kelly", "female", 1985, None), ("dad", "Darren", "male", 1983, None),
        ("step", "Lee", "male", 1982, None), ("dadp", "Gemma", "female", 1990, None),
        ("aunt1", "Donna", "female", 1980, None), ("unc1", "Craig", "male", 1979, None),
        ("unc2", "Wayne", "male", 1987, None), ("aunt2", "Tracy", "female", 1988, None),
        ("aunt3", "Shelley", "female", 1982, None),
        ("child", "Jayden", "male", 2015, None), ("sis", "Mia", "female", 2012, None),
        ("half1", "Ruby", "female", 2020, None), ("half2", "Alfie", "male", 2022, None),
        ("stepb", "Connor", "male", 2010, None), ("cous1", "Tyler", "male", 2008, None),
        ("cous2", "Chloe", "female", 2011, None), ("cous3", "Ellie", "female", 2016, None),
        ("cous4", "Mason", "male", 2018, None), ("leeex", "Nicola", "female", 1984, None),
        ("friend", "Sandra", "female", 1970, None), ("gf2p", "Brenda", "female", 1960, None),
        ("cous5", "Lily", "female", 2019, None), ("cous6", "Noah", "male", 2021, None),
        ("great_unc", "Ron", "male", 1950, None),
    ]
    data = {
        "id": "thirty", "title": "Thirty people (benchmark)", "fictional": True,
        "focal_child": "child",
        "people": [
            {"id": i, "name": f"{n} Test", "sex": s, "born": b, **({"died": d} if d else {})}
            for i, n, s, b, d in people
        ],
        "unions": [
            {"id": "u1", "partners": ["ggm", "ggf"], "status": "widowed"},
            {"id": "u2", "partners": ["gm1", "gf1"], "status": "widowed"},
            {"id": "u3", "partners": ["gm2", "gf2"], "status": "divorced", "ended": 2000},
            {"id": "u4", "partners": ["mum", "dad"], "status": "separated", "ended": 2018},
            {"id": "u5", "partners": ["mum", "step"], "status": "married", "began": 2019},
            {"id": "u6", "partners": ["dad", "dadp"], "status": "cohabiting"},
            {"id": "u7", "partners": ["aunt1", "unc1"], "status": "married"},
            {"id": "u8", "partners": ["unc2", "aunt2"], "status": "cohabiting"},
            {"id": "u9", "partners": ["step", "leeex"], "status": "divorced", "ended": 2015},
            {"id": "u10", "partners": ["gf2", "gf2p"], "status": "married"},
        ],
        "parents": [
            {"child": "gm1", "parents": ["ggm", "ggf"]},
            {"child": "great_unc", "parents": ["ggm", "ggf"]},
            {"child": "mum", "parents": ["gm1", "gf1"]},
            {"child": "aunt1", "parents": ["gm1", "gf1"]},
            {"child": "aunt3", "parents": ["gm1", "gf1"]},
            {"child": "dad", "parents": ["gm2", "gf2"]},
            {"child": "unc2", "parents": ["gm2", "gf2"]},
            {"child": "child", "parents": ["mum", "dad"]},
            {"child": "sis", "parents": ["mum", "dad"]},
            {"child": "half1", "parents": ["mum", "step"]},
            {"child": "half2", "parents": ["dad", "dadp"]},
            {"child": "stepb", "parents": ["step", "leeex"]},
            {"child": "cous1", "parents": ["aunt1", "unc1"]},
            {"child": "cous2", "parents": ["aunt1", "unc1"]},
            {"child": "cous3", "parents": ["unc2", "aunt2"]},
            {"child": "cous4", "parents": ["unc2", "aunt2"]},
            {"child": "cous5", "parents": ["aunt3"]},
            {"child": "cous6", "parents": ["aunt3"]},
            {"child": "child", "parents": ["step"], "kind": "step", "since": 2019},
        ],
        "relationships": [
            {"from": "mum", "to": "dad", "kind": "hostile"},
            {"from": "step", "to": "child", "kind": "conflict"},
            {"from": "child", "to": "gm1", "kind": "very_close"},
            {"from": "child", "to": "gf1", "kind": "close"},
            {"from": "sis", "to": "child", "kind": "caretaker"},
            {"from": "dad", "to": "gm2", "kind": "cut_off"},
            {"from": "mum", "to": "aunt1", "kind": "close"},
            {"from": "dadp", "to": "mum", "kind": "conflict"},
            {"from": "stepb", "to": "child", "kind": "distant"},
            {"from": "mum", "to": "child", "kind": "focused_on"},
        ],
        "households": [
            {"id": "h1", "name": "Mum's house",
             "members": ["mum", "step", "child", "sis", "half1"]},
            {"id": "h2", "name": "Dad's flat", "members": ["dad", "dadp", "half2", "child"]},
            {"id": "h3", "name": "Nan's bungalow", "members": ["gm1"]},
        ],
        "ecomap": [
            {"id": "e1", "name": "Oakfield Primary School", "connected_to": "child",
             "strength": "strong"},
            {"id": "e2", "name": "Youth club", "kind": "group", "connected_to": "sis"},
            {"id": "e3", "name": "Housing office", "connected_to": "h1", "stressful": True,
             "strength": "tenuous"},
            {"id": "e4", "name": "Family friend Sandra", "kind": "person",
             "connected_to": "mum", "strength": "strong"},
        ],
        "chronology": [
            {"date": 2018, "event": "Mum and Dad separate.", "people": ["mum", "dad"]},
            {"date": "2020-03", "event": "Grandad Keith dies.", "people": ["gf1"]},
            {"date": "2024-06", "event": "Police called after an argument at handover.",
             "people": ["mum", "dad", "dadp", "child"]},
            {"date": "2025-01", "event": "Jayden excluded from school for a day.",
             "people": ["child", "mum"]},
        ],
    }
    return parse_case(data, "thirty_person_family")


def cases() -> list[tuple[str, Case, list[HypothesisInput]]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "blank.yaml":
            continue
        out.append((path.stem, load_any_case(path), []))
    out.append(("thirty_person_family (built here)", thirty_person_family(), [
        HypothesisInput("h1", "Jayden's anger at Lee keeps Mum and Dad in touch",
                        ("child", "step", "mum", "dad")),
    ]))
    try:
        import systemic.genogram.gedcom  # noqa: F401
    except ImportError:
        print("kennedy.ged skipped: systemic.genogram.gedcom is not there yet", file=sys.stderr)
    else:
        if KENNEDY.exists():
            out.append(("kennedy.ged", load_any_case(KENNEDY), []))
        else:
            print(f"kennedy.ged skipped: {KENNEDY} not found", file=sys.stderr)
    return out


def measure(case: Case, hypotheses: list[HypothesisInput], repeat: int
            ) -> tuple[int, int, float, float]:
    """Questions shown, questions made, and the median wall-clock and CPU milliseconds
    (CPU time is steadier on a busy machine)."""
    made = generate(case, hypotheses=hypotheses)
    shown = choose(made, limit=SHOWN)
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        made = generate(case, hypotheses=hypotheses)
        shown = choose(made, limit=SHOWN)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (len(shown), len(made), round(statistics.median(wall), 1),
            round(statistics.median(cpu), 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per case")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    load_bank()
    bank_ms = round((time.perf_counter() - start) * 1000, 1)
    rows = []
    for name, case, hypotheses in cases():
        shown, made, ms, cpu_ms = measure(case, hypotheses, max(1, args.repeat))
        rows.append({"name": name, "people": len(case.people), "questions": shown,
                     "generated": made, "ms": ms, "cpu_ms": cpu_ms})
    if args.json:
        print(json.dumps({"cases": rows, "bank_load_ms": bank_ms}, indent=2))
        return 0
    print(f"template bank loaded in {bank_ms} ms (once per process)")
    for r in rows:
        print(f"{r['name']:36} {r['people']:4} people  {r['questions']:3} shown of "
              f"{r['generated']:4}  {r['ms']:7.1f} ms  ({r['cpu_ms']:.1f} ms CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
