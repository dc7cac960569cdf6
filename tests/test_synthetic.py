"""Specifications for the synthetic session generator (benchmarks/synthetic.py)."""

from __future__ import annotations

import doctest
import sqlite3
from pathlib import Path

import pytest

import benchmarks.synthetic as synthetic_module
from benchmarks.synthetic import generate
from systemic.graces import load_entries
from systemic.hypotheses import load_hypotheses
from systemic.plan import load_plan
from systemic.questions.bank import TOMM_TYPES
from systemic.store import Store
from systemic.team.themes import load_tags
from systemic.uncertainty import load_placements


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("synthetic") / "s.db"
    return path, generate(path, 120, seed=7)


def test_the_example_in_the_module_runs():
    result = doctest.testmod(synthetic_module)
    assert result.attempted >= 1 and result.failed == 0


def test_it_writes_the_sessions_asked_for_with_cases_brought_back(made):
    path, summary = made
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 120
        discussions = conn.execute("SELECT count(*) FROM discussions").fetchone()[0]
        cases = conn.execute("SELECT count(DISTINCT case_id) FROM discussions").fetchone()[0]
        records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    assert discussions == summary.discussions and cases == summary.cases
    assert cases < discussions  # cases come back
    assert records == sum(v for k, v in summary.records.items() if k != "action")
    assert set(summary.records) == {"tag", "grace", "hypothesis", "question", "placement",
                                    "plan", "action"}


def test_every_record_reads_back_through_the_workbooks_own_models(made):
    path, _ = made
    with Store.open(path, readonly=True) as store:
        sessions = store.list_sessions()
        assert len(sessions) == 120
        for session in sessions[:15]:
            for d in store.discussions(session.id):
                assert load_tags(store, d.id)
                load_entries(store, d.id)
                assert load_hypotheses(store, d.id)
                for placement in load_placements(store, d.id):
                    assert placement.grid == "safe_uncertainty"
                load_plan(store, d.id)
                for q in store.records(d.id, "question"):
                    assert q.payload["tomm"] in TOMM_TYPES


def test_the_same_seed_writes_the_same_store_shape(tmp_path: Path):
    first = generate(tmp_path / "a.db", 30, seed=2)
    second = generate(tmp_path / "b.db", 30, seed=2)
    other = generate(tmp_path / "c.db", 30, seed=3)
    assert first == second
    assert first != other


def test_a_marker_goes_into_the_text_but_never_into_case_ids(tmp_path: Path):
    path = tmp_path / "m.db"
    generate(path, 10, seed=1, marker="Zebedee Quorthwaite")
    with sqlite3.connect(path) as conn:
        titles = [t for (t,) in conn.execute("SELECT title FROM sessions")]
        case_ids = [c for (c,) in conn.execute("SELECT case_id FROM discussions")]
        whos = [w for (w,) in conn.execute(
            "SELECT payload ->> '$.who' FROM records WHERE kind = 'placement'")]
    assert all("Quorthwaite" in t for t in titles)
    assert not any("Quorthwaite" in c for c in case_ids)
    assert any("Quorthwaite" in w for w in whos)  # family members' ids carry it too


def test_asking_for_no_sessions_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="at least one session"):
        generate(tmp_path / "x.db", 0)
