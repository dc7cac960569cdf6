"""A synthetic session store, for benchmarks and tests of the team view: a benchmark tool.

Writes N supervision sessions into a store quickly: cases brought back across sessions
(some of them stuck, where no one moves on the safe-uncertainty grid), theme tags,
Social GRRAACCEESS entries, hypotheses, questions, placements and plans with actions.
Every payload is what the workbook's own models write (the tests read them back with
``load_hypotheses``, ``load_plan``, ``load_placements``…), but rows go in with
``executemany`` straight into the store's tables in one transaction, skipping the change
feed, so that 10,000 sessions take seconds rather than minutes. Use it only for
benchmarks and tests; a real session is written through :class:`systemic.store.Store`.

``marker`` writes one given name into every text field (titles, names, notes, ids of
family members, the group's own tag words…), except case ids, which the team view
shows by design: the privacy test then looks for it in everything the team view returns.

Usage::

    python benchmarks/synthetic.py STORE [--sessions 10000] [--seed 0] [--marker NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import secrets
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from systemic.frameworks import framework_ids
from systemic.store import Store
from systemic.team.themes import load_themes
from systemic.uncertainty import QUADRANTS
from systemic.vocabularies import load_graces

__all__ = ["Generated", "generate", "main"]

TOMM = ("lineal", "circular", "reflexive", "strategic")
STATUSES = ("active", "active", "active", "revised", "set_aside")
ROLES = ("supervisor", "presenter", "reflecting_group", "reflecting_group", "observer")
STAFF = ("worker", "worker", "supervisor")
#: The share of cases in which, whatever happens, no one moves on the grid.
STUCK_SHARE = 0.3


@dataclass
class Generated:
    """What was written: how many of each thing, for tests to check against."""

    sessions: int = 0
    discussions: int = 0
    cases: int = 0
    records: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.records[kind] = self.records.get(kind, 0) + n


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Writer:
    """Builds rows for one store, in memory, with one random generator."""

    def __init__(self, sessions: int, seed: int, marker: str | None, start: dt.date):
        self.n = sessions
        self.rng = random.Random(seed)
        self.marker = marker
        self.word = re.sub(r"\W", "", marker) if marker else ""
        self.start = start
        self.frameworks = framework_ids() or ["camden_practice_framework"]
        themes = load_themes().themes
        self.tag_words = [w for t in themes for w in [t.label, *t.words]]
        self.graces = [g.id for g in load_graces().defaults()]
        self.stamp = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)
        self.case_count = max(1, sessions * 2 // 5)
        self.stuck = {c for c in range(self.case_count) if self.rng.random() < STUCK_SHARE}
        self.places: dict[int, dict[str, str]] = {}
        self.summary = Generated(sessions=sessions)
        self.seen_cases: set[int] = set()

    # -- words ---------------------------------------------------------------------------

    def text(self, plain: str) -> str:
        """A text field: the marker when given (so the privacy test can look for it)."""
        return f"{plain} {self.marker}" if self.marker else plain

    def person_id(self, k: int) -> str:
        return f"{self.word}{k}" if self.word else f"p{k}"

    def _id(self) -> str:
        return secrets.token_hex(8)

    # -- rows ----------------------------------------------------------------------------

    def case_json(self, case: int) -> str:
        people = [
            {"id": self.person_id(k), "name": self.text(f"Person {k}"),
             "notes": self.text("Notes about this person")}
            for k in range(1, 4)
        ]
        return _dumps({
            "id": f"case-{case:05d}", "title": self.text(f"Training family {case}"),
            "fictional": True, "focal_child": people[0]["id"],
            "referral": self.text("Why the family came to us"),
            "question": self.text("What the worker brings"), "people": people,
        })

    def session_rows(self) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]],
                                             list[tuple[Any, ...]]]]:
        span = max(1, 365 * 4)
        for i in range(self.n):
            day = self.start + dt.timedelta(days=i * span // self.n)
            when = (self.stamp + dt.timedelta(days=i * span / self.n)).isoformat()
            sid = self._id()
            participants = [
                {"name": self.text(f"P{k}")[:40], "role": ROLES[k]} for k in range(3)
            ]
            session = (sid, self.text("Tuesday group"), day.isoformat(),
                       self.text("Team North"), self.text("Sam")[:40],
                       self.rng.choice(self.frameworks), _dumps(participants), when, when,
                       when)
            discussions: list[tuple[Any, ...]] = []
            records: list[tuple[Any, ...]] = []
            for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
                case = int(self.rng.triangular(0, self.case_count, 0)) % self.case_count
                self.seen_cases.add(case)
                did = self._id()
                discussions.append((did, sid, f"case-{case:05d}", 1, self.case_json(case), when,
                                    when))
                records.extend(self.records(sid, did, case, day, when))
            self.summary.discussions += len(discussions)
            yield session, discussions, records
        self.summary.cases = len(self.seen_cases)

    def records(self, sid: str, did: str, case: int, day: dt.date,
                when: str) -> Iterator[tuple[Any, ...]]:
        rng = self.rng

        def row(kind: str, payload: dict[str, Any]) -> tuple[Any, ...]:
            self.summary.add(kind)
            return (self._id(), sid, did, kind, _dumps(payload), when, when)

        for _ in range(rng.randint(1, 3)):
            words = (self.text("our own words") if rng.random() < 0.1
                     else rng.choice(self.tag_words))
            yield row("tag", {"text": words})
        for _ in range(rng.randint(0, 6)):
            person = rng.choice([*STAFF, self.person_id(1), self.person_id(2)])
            grace = rng.choice(self.graces) if rng.random() < 0.95 else "care_experience"
            yield row("grace", {
                "person": person, "grace": grace, "visible": rng.choice((True, False, None)),
                "voiced": rng.choice((True, False, None)), "note": self.text("A note"),
                "staff": person in STAFF,
            })
        for _ in range(rng.randint(1, 4)):
            yield row("hypothesis", {
                "text": self.text("I wonder whether"), "author": self.text("Jo")[:200],
                "people_involved": [self.person_id(1)],
                "evidence_for": [self.text("What fits")],
                "evidence_against": [self.text("What does not")],
                "unknowns": [self.text("What we do not know")],
                "graces_considered": rng.sample(self.graces, rng.randint(0, 2)),
                "questions": [self.text("A question to ask")],
                "status": rng.choice(STATUSES), "revised_from": None,
            })
        for _ in range(rng.randint(0, 5)):
            tomm = rng.choice(TOMM)
            yield row("question", {
                "type": tomm, "subtype": "difference", "audience": "family",
                "text": self.text("Who worries most?"), "people": [self.person_id(2)],
                "template": "T1", "hypothesis_id": None, "score": 0.5, "tomm": tomm,
                "caution": None,
            })
        places = self.places.setdefault(case, {})
        for who in rng.sample(["worker", "network", self.person_id(1), self.person_id(2)],
                              rng.randint(0, 3)):
            before = places.get(who)
            now = before or rng.choice(QUADRANTS)
            if before and case not in self.stuck and rng.random() < 0.5:
                now = rng.choice([q for q in QUADRANTS if q != before])
            places[who] = now
            yield row("placement", {
                "grid": "safe_uncertainty", "who": who, "label": self.text("Label")[:200],
                "x": None, "y": None, "note": self.text("Why here"), "now": now,
                "hoped": rng.choice((*QUADRANTS, None)),
            })
        if rng.random() < 0.8:
            actions = [
                {"id": secrets.token_hex(5), "what": self.text("Visit and ask"),
                 "owner": self.text("Priya")[:200],
                 "due": (day + dt.timedelta(days=rng.randint(7, 42))).isoformat(),
                 "done": rng.random() < 0.6, "hypothesis_id": None}
                for _ in range(rng.randint(0, 4))
            ]
            self.summary.add("action", len(actions))
            yield row("plan", {
                "map": {"strengths": [self.text("What is working well")]},
                "actions": actions,
                "family_questions": [{"text": self.text("What would help?"),
                                      "question_id": None, "ask": ""}],
                "checks": [],
            })


def generate(
    path: str | Path,
    sessions: int = 10_000,
    *,
    seed: int = 0,
    marker: str | None = None,
    start: dt.date = dt.date(2022, 1, 4),
) -> Generated:
    """Write ``sessions`` synthetic sessions into the store at ``path``; say what was written.

    The store is created (or migrated) with :class:`~systemic.store.Store` first, so the
    tables are the real ones; rows are then added in one transaction.

    >>> import tempfile, pathlib
    >>> g = generate(pathlib.Path(tempfile.mkdtemp()) / "s.db", 20, seed=1)
    >>> g.sessions, g.discussions >= 20, g.records["tag"] >= g.discussions
    (20, True, True)
    """
    if sessions < 1:
        raise ValueError("Ask for at least one session.")
    Store.open(path).close()
    writer = _Writer(sessions, seed, marker, start)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for session, discussions, records in writer.session_rows():
            conn.execute(
                "INSERT INTO sessions (id, title, date, team, supervisor, framework_id,"
                " participants, created, updated, ended) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                session,
            )
            conn.executemany(
                "INSERT INTO discussions (id, session_id, case_id, fictional, case_json,"
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                discussions,
            )
            conn.executemany(
                "INSERT INTO records (id, session_id, discussion_id, kind, payload, created,"
                " updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                records,
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return writer.summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--marker", default=None)
    args = parser.parse_args(argv)
    g = generate(args.store, args.sessions, seed=args.seed, marker=args.marker)
    print(f"{g.sessions} sessions, {g.discussions} case discussions of {g.cases} cases, "
          f"{sum(g.records.values())} records, written to {args.store}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
