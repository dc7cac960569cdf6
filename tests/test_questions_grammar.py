"""Sentences you would say aloud (issue 14, point 3): a grammar check of every question.

Every question for every training case, centred on every person in it (the living and
the dead), and for a set of generated families with hypotheses, is read for: doubled
words, a capital after "because" (other than a name), brackets, braces or quotation
marks left in, fragments (a sentence of one word, or one without a capital), a
hypothesis pasted in, and the same words offered to two audiences. The number of questions read is
printed (run with ``-s`` to see it) and must be in the thousands.
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings

from systemic.cases import Case, load_case
from systemic.paths import CASES_DIR
from systemic.questions.generate import HypothesisInput, Question, clause, generate
from systemic.questions.safety import person_names
from tests.test_questions_generate import families

TODAY = date(2026, 12, 7)
FAMILY_WORDS = {"Mum", "Dad", "Nan", "Nana", "Grandad", "Grandma", "Gran", "Granny",
                "Grandpa", "Mummy", "Daddy", "Nanny"}
HYPOTHESES = [
    "I wonder whether Maya's worry about her dad keeps the adults talking to each other.",
    "Perhaps the arguments started when Grandad died and nobody has grieved together.",
]


def problems(q: Question, names: set[str], hypotheses: list[str]) -> list[str]:
    """What is wrong with one question's words (empty when it reads well)."""
    text = q.text
    found = []
    doubled = re.search(r"\b(\w+)\s+\1\b", text, re.IGNORECASE)
    if doubled:
        found.append(f"doubled word '{doubled.group(0)}'")
    after = re.search(r"\bbecause\s+([A-Z]\w*)", text)
    if after and after.group(1) not in names | FAMILY_WORDS | {"I"}:
        found.append(f"capital after 'because': {after.group(0)}")
    if re.search(r"[(){}\[\]\"“”‘]|’\s|\s’", text):
        found.append("a bracket, brace or quotation mark left in")
    if "  " in text or " ," in text or " ?" in text or ".." in text or "…" in text:
        found.append("stray spacing or an ellipsis")
    if not (text[:1].isupper() and text.endswith("?")):
        found.append("does not start with a capital and end with a question mark")
    for sentence in re.split(r"(?<=[.?!])\s+", text):
        if len(re.findall(r"[A-Za-z']+", sentence)) < 2 or not sentence[:1].isupper():
            found.append(f"fragment '{sentence}'")
    for h in hypotheses:
        pasted = clause(h)
        if len(pasted.split()) >= 5 and pasted.lower() in text.lower():
            found.append("a hypothesis pasted in")
    return found


def read(case: Case, focus: str | None, hypotheses: list[HypothesisInput]) -> list[Question]:
    questions = generate(case, focus=focus, hypotheses=hypotheses, today=TODAY)
    names = {n for p in case.people for n in person_names(p.name)}
    names |= {w for p in case.people for w in re.findall(r"[A-Z][\w'’\-]*", p.name)}
    names |= {w for e in case.ecomap for w in re.findall(r"[A-Z][\w'’\-]*", e.name)}
    texts = [h.text for h in hypotheses]
    bad = [(q.template, q.audience, q.text, p) for q in questions
           for p in problems(q, names, texts)]
    assert not bad, bad[:5]
    by_text: dict[str, set[str]] = {}
    for q in questions:
        by_text.setdefault(q.text, set()).add(q.audience)
    twice = [t for t, audiences in by_text.items() if len(audiences) > 1]
    assert not twice, twice[:5]
    return questions


def test_every_question_for_every_training_case_reads_well():
    count = 0
    for path in sorted(CASES_DIR.glob("*.yaml")):
        if path.name == "blank.yaml":
            continue
        case = load_case(path)
        hypotheses = [HypothesisInput(f"h{i}", text, tuple(p.id for p in case.people[:3]))
                      for i, text in enumerate(HYPOTHESES)]
        for person in case.people:
            if person.kind != "person":
                continue
            count += len(read(case, person.id, hypotheses))
    print(f"\ngrammar check: {count} questions read for the training cases")
    assert count >= 5000


GENERATED = {"count": 0, "families": 0}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families())
def test_every_question_for_generated_families_reads_well(family):
    case, hypotheses = family
    GENERATED["count"] += len(read(case, None, hypotheses))
    GENERATED["families"] += 1


def test_zz_report_how_many_generated_questions_were_read():
    print(f"\ngrammar check: {GENERATED['count']} questions read for "
          f"{GENERATED['families']} generated families")
    assert GENERATED["families"] == 0 or GENERATED["count"] > 0
