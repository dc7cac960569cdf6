"""The coach catches blame and certainty (issue 14, point 5), measured on a labelled set.

``tests/data/coach_hypotheses.yaml`` holds 72 hypotheses, half blaming or certain and half
tentative and relational, written before the coach was tuned. ``benchmarks/coach.py``
prints the figures; this test holds them: recall at least 90 %, false alarms at most 10 %.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.coach import FRESH, HELD_OUT, LABELLED, flagged, measure
from systemic.datafile import read_yaml

ROOT = Path(__file__).resolve().parents[1]


def test_the_labelled_set_is_large_balanced_and_varied():
    items = read_yaml(LABELLED)["items"]
    labels = [i["label"] for i in items]
    assert len(items) >= 60
    assert abs(labels.count("blame") - labels.count("tentative")) <= 4
    assert len({i["text"] for i in items}) == len(items)
    blame = " ".join(i["text"] for i in items if i["label"] == "blame")
    for form in ("all Ryan's fault", "anger causes", "is the problem", "never",
                 "manipulative"):
        assert form in blame


def test_recall_is_at_least_90_and_false_alarms_at_most_10_percent():
    figures = measure(LABELLED)
    assert figures.recall >= 0.90, figures.missed
    assert figures.false_alarm_rate <= 0.10, figures.alarmed


def test_the_common_forms_of_the_issue_are_caught():
    for text in ("It is all Ryan's fault.", "Dad's anger causes Maya's distress.",
                 "Mum is the problem.", "Kay never listens.", "Leanne is manipulative."):
        assert flagged(text), text
    assert not flagged("I wonder whether Kay's anger and Ryan's worry feed each other.")


def test_the_benchmark_prints_its_figures():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "coach.py")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    assert "recall:" in out.stdout and "false alarms:" in out.stdout
    assert "second held-out" in out.stdout and HELD_OUT.exists() and FRESH.exists()
