"""Choosing questions: filters, a balance across types, and "more like this"."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from systemic.cases import parse_case
from systemic.questions.generate import HypothesisInput, Question, generate
from systemic.questions.rank import (
    CORE,
    DEFAULT_LIMIT,
    STRATEGIC_SHARE,
    choose,
    matches,
    more_like,
)


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    case = parse_case({
        "id": "kay", "title": "Kay", "fictional": True, "focal_child": "kay",
        "people": [
            {"id": "kay", "name": "Kay Hill", "sex": "female", "born": 2014},
            {"id": "mum", "name": "Jo Hill", "sex": "female", "born": 1985},
            {"id": "dad", "name": "Sam Hill", "sex": "male", "born": 1983},
            {"id": "nan", "name": "Val Hill", "sex": "female", "born": 1958},
            {"id": "bro", "name": "Leo Hill", "sex": "male", "born": 2011},
        ],
        "unions": [{"id": "u", "partners": ["mum", "dad"], "status": "married"}],
        "parents": [{"child": "kay", "parents": ["mum", "dad"]},
                    {"child": "bro", "parents": ["mum", "dad"]},
                    {"child": "mum", "parents": ["nan"]}],
        "relationships": [{"from": "mum", "to": "dad", "kind": "conflict"},
                          {"from": "kay", "to": "nan", "kind": "close"}],
    }, "kay.yaml")
    return generate(case, today=date(2026, 11, 1), hypotheses=[
        HypothesisInput("h1", "Kay's worry keeps Mum and Dad together", ("kay", "mum", "dad"))])


def test_the_first_screen_is_twelve_mostly_circular_or_reflexive_never_lineal_first(questions):
    chosen = choose(questions)
    assert len(chosen) == DEFAULT_LIMIT == 12
    assert chosen[0].type in CORE
    assert sum(q.type in CORE for q in chosen) >= 2 / 3 * len(chosen)
    others = Counter(q.type for q in chosen if q.type not in CORE)
    assert len(others) >= 3  # the other places go to the other kinds in turn
    assert max(others.values()) <= 2


def test_a_longer_balanced_choice_keeps_the_share(questions):
    for limit in (3, 14, 30):
        chosen = choose(questions, limit=limit)
        assert chosen[0].type in CORE
        assert sum(q.type in CORE for q in chosen) >= 2 / 3 * len(chosen) - 1e-9


def test_without_balance_the_highest_scores_come_first(questions):
    chosen = choose(questions, limit=10, balance=False)
    assert chosen[0].score == max(q.score for q in questions)


def test_strategic_questions_come_late_and_are_capped(questions):
    chosen = choose(questions, limit=30)
    places = [i for i, q in enumerate(chosen) if q.type == "strategic"]
    assert places and min(places) >= 15
    assert len(places) <= max(1, int(30 * STRATEGIC_SHARE))
    asked = choose(questions, limit=30, types=["strategic"])
    assert asked and all(q.type == "strategic" for q in asked)
    assert len(asked) > len(places)


def test_the_next_choice_prefers_other_people_and_templates(questions):
    chosen = choose(questions, limit=20)
    templates = Counter(q.template for q in chosen)
    assert max(templates.values()) == 1


def test_filters_by_type_person_relationship_and_hypothesis(questions):
    assert {q.type for q in choose(questions, types=["circular"])} == {"circular"}
    assert all("nan" in q.people for q in choose(questions, person="nan"))
    both = choose(questions, relationship=("mum", "dad"), limit=50)
    assert both and all({"mum", "dad"} <= set(q.people) for q in both)
    tests = choose(questions, hypothesis="h1", limit=50)
    assert tests and all(q.hypothesis_id == "h1" for q in tests)
    assert {q.audience for q in choose(questions, audiences=["child"])} == {"child"}
    assert all(q.tomm == "reflexive" for q in choose(questions, tomm=["reflexive"]))


def test_matches_checks_every_filter_given():
    q = Question("circular", "triadic", "family", "Q?", ("a", "b"), "C12", "h1")
    assert matches(q, types=["circular"], person="a", relationship=("a", "b"), hypothesis="h1")
    assert not matches(q, relationship=("a", "c"))
    assert not matches(q, hypothesis="h2")


def test_a_limit_of_nothing_gives_nothing(questions):
    assert choose(questions, limit=0) == []


def test_more_like_this_keeps_the_kind_and_the_people(questions):
    seed = next(q for q in questions if q.template == "C8")
    similar = more_like(seed, questions, limit=5)
    assert similar and seed not in similar
    assert all(q.subtype == seed.subtype or set(q.people) & set(seed.people) for q in similar)
    assert similar[0].subtype == "behavioural-effect"
