"""Golden questions for each training case in ``case_templates/``.

Each case is read as a worker would bring it to supervision, and the questions below
were read and judged right for it: they name people as the family does, follow the
emotional lines drawn on the genogram, speak of the dead only in the past, and keep
harm and adult intimacy away from the child. If a case file changes, check the new
questions by eye before changing these.
"""

from __future__ import annotations

from datetime import date

import pytest

from systemic.cases import Case, load_case
from systemic.paths import CASES_DIR
from systemic.questions.bank import load_bank
from systemic.questions.generate import HypothesisInput, Question, generate
from systemic.questions.rank import choose

TODAY = date(2026, 11, 1)
TEMPLATES = {t.id: t for t in load_bank().templates}

GOLDEN: dict[str, dict[str, list[str]]] = {
    # Mum and Dad: hostility; Ryan and Dad pushed each other; Kay and Dad: a cut-off.
    # None of these pairs is named together to the family or to Maya (safety.yaml).
    "blended_family": {
        "child": [
            "When your brother Kay and your step-dad Ryan argue, what do you do? And what "
            "does Mum do then?",
            "How do you see things between Nan and Dad at the moment?",
            "How many nights a week do you stay at Mum's house, and how many at Dad's flat?",
            "What changed for you after your grandad George died? Who did you talk to about it?",
            "What do you think it will be like when the new baby arrives?",
        ],
        "family": [
            "When Maya's brother Kay gets cross with her step-dad Ryan, what does Ryan do? And "
            "then what does Kay do?",
            "Have Nan and Dad always been this far apart, or was there a time when they were "
            "closer?",
            "How could Grace Fellowship church be part of the plan that keeps Maya safe?",
            "When things are tense with Harrowfield Academy, who in the family feels it most?",
            "Thinking back to when the school asked us for help on 14 October 2026, who was "
            "there, and who wasn't?",
        ],
        "supervision": [
            "How might gender shape what Maya's mum Leanne feels able to tell you?",
            "When did Maya's mum Leanne and her dad Tunde separate, and what were the "
            "arrangements for Maya afterwards?",
            "As far as you know, why did Maya's brother Kay and her dad Tunde stop speaking to "
            "each other?",
            "What has Maya seen or heard of what happens between her mum Leanne and her dad "
            "Tunde? Has anyone asked her about it on her own?",
        ],
    },
    # Grandad and Mum: hostility; Grandad and Marcus: a cut-off. (Jayden, ten, hits out at
    # Grandad: family work, not a reason to keep them apart.)
    "kinship_care": {
        "child": [
            "When Nana and Mum argue, what do you do? And what does your twin brother Jayden "
            "do then?",
            "You do a lot to help look after your twin brother Jayden. Who notices, and who "
            "looks after you?",
            "What changed for you after your great-grandma Hyacinth died? Who did you talk to "
            "about it?",
        ],
        "family": [
            "Nana, how do you see things between Dad and Mum at the moment?",
            "When things are tense with Ashcombe Prison, who in the family feels it most?",
            "How could the family worker at the prison visitors' centre be part of the plan "
            "that keeps Jada safe?",
            "Since Beverley asked the support team for help on 3 September 2026, who in the "
            "family has changed the most? Who has changed the least?",
        ],
        "supervision": [
            "As far as you know, why did Jada's grandad Delroy and her uncle Marcus stop "
            "speaking to each other?",
            "What has Jada seen or heard of what happens between her grandad Delroy and her "
            "mum Shantelle? Has anyone asked her about it on her own?",
        ],
    },
    # Marek and Dad: hostility.
    "contextual_safeguarding": {
        "child": [
            "What do you and your step-dad Marek usually fall out about?",
            "What changed for you after Grandad died? Who did you talk to about it?",
            "When things are hard with Harbourside Academy, who at home feels it most?",
        ],
        "family": [
            "What do Elijah and his step-dad Marek usually fall out about?",
            "Nan, how do you see things between Mum and Dad at the moment?",
            "How could Dee be part of the plan that keeps Elijah safe?",
        ],
        "supervision": [
            "When did Elijah's mum Jo and his dad Kwame separate, and what were the "
            "arrangements for Elijah afterwards?",
            "What would have to be in place before a conversation with Elijah's step-dad Marek "
            "and his dad Kwame together could be safe, and who would decide?",
        ],
    },
}

#: Words that must never reach the child in these cases (harm, adult intimacy).
NOT_FOR_THE_CHILD = ("as a couple", "drew", "relationship ended", "harm", "abuse")


def training_cases() -> list[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.yaml") if p.name != "blank.yaml")


@pytest.fixture(scope="module", params=sorted(GOLDEN))
def made(request) -> tuple[str, Case, list[Question]]:
    case = load_case(CASES_DIR / f"{request.param}.yaml")
    return request.param, case, generate(case, today=TODAY)


def test_every_training_case_has_golden_questions():
    assert set(training_cases()) <= set(GOLDEN), "add golden questions for the new case"


def test_the_golden_questions_are_made(made):
    name, _, questions = made
    by_audience: dict[str, set[str]] = {}
    for q in questions:
        by_audience.setdefault(q.audience, set()).add(q.text)
    for audience, expected in GOLDEN[name].items():
        missing = [t for t in expected if t not in by_audience.get(audience, set())]
        assert not missing, missing


def test_the_dead_of_each_case_are_spoken_of_only_in_loss_questions(made):
    _, case, questions = made
    dead = {p.id for p in case.people if p.died is not None}
    assert dead
    for q in questions:
        if dead & set(q.people):
            assert TEMPLATES[q.template].loss, q.text


def test_the_child_hears_nothing_of_harm_or_adult_intimacy(made):
    _, _, questions = made
    for q in questions:
        if q.audience == "child":
            assert not TEMPLATES[q.template].intimacy
            assert not any(word in q.text for word in NOT_FOR_THE_CHILD), q.text


def test_a_hypothesis_in_the_case_yields_questions_to_test_it(made):
    name, case, _ = made
    focus = case.focal_child
    assert focus is not None
    others = [p.id for p in case.people if p.id != focus and p.kind == "person"
              and p.died is None][:2]
    hypothesis = HypothesisInput("h1", "I wonder if the worry about the child keeps the "
                                 "adults talking.", (focus, *others))
    tested = [q for q in generate(case, today=TODAY, hypotheses=[hypothesis])
              if q.hypothesis_id == "h1"]
    assert len({q.template for q in tested}) >= 6
    introduced = [q for q in tested if q.template == "R10"]
    assert introduced and all(q.text.startswith("We have an idea about ") for q in introduced)
    # The hypothesis is named, never pasted into a question.
    assert not any("keeps the adults talking" in q.text for q in tested)


def test_the_shown_questions_are_balanced_and_start_with_the_genograms_lines(made):
    _, case, questions = made
    shown = choose(questions, limit=30)
    assert len(shown) == 30
    assert len({q.type for q in shown}) == 7
    lines = {frozenset((r.from_, r.to)) for r in case.relationships}
    assert any(frozenset(q.people[-2:]) in lines for q in shown[:6])
