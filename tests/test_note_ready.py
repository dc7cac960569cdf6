"""A note ready for the child's file (issue 14, point 6).

The DOCX is A4 with the case reference and page numbers on every page, Word's heading
styles, UK dates and document properties that say what it is; LibreOffice (Debian's
``libreoffice-writer-nogui``, installed by ``make office``) renders it to PDF, and the
PDF's pages are A4 with every section in them. Generated sentences are grammatical. A
letter to the child says "you" throughout, in words a child of that age can read (a
Flesch–Kincaid grade of at most age − 5), with no scale numbers and no danger statements.
The jargon check knows the workbook's own shorthand and names the section it found it in.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from systemic.cases import Case, Person, Union
from systemic.export import render
from systemic.export.docx import headings, page_setup
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.letter import hard_sentences
from systemic.note import (
    Decision,
    NoteDraft,
    build_note,
    note_document,
    note_jargon,
    save_draft,
)
from systemic.plan import (
    Action,
    DangerStatement,
    Plan,
    ScaleEntry,
    SignsOfSafetyMap,
    save_plan,
)
from systemic.readability import grade, readable_for
from systemic.store import Store

MEETING = dt.date(2026, 10, 20)


def _session(store: Store, *, to_child: bool, framework: str = "camden_practice_framework"):
    session_id = store.create_session(
        "Group supervision", framework, date=MEETING,
        participants=[{"name": "Sam Okafor", "role": "supervisor"},
                      {"name": "Priya", "role": "presenter"}],
    )
    case = Case(
        id="hart-2026-117", title="Maya", fictional=True, focal_child="maya", worker="Priya",
        question="How can we help Maya feel safe at handovers?",
        people=[Person(id="maya", name="Maya Hart", sex="female", born="2017-06"),
                Person(id="leanne", name="Leanne Hart", sex="female", born=1988),
                Person(id="tunde", name="Tunde Adeyemi", sex="male", born=1986)],
        unions=[Union(id="u", partners=["leanne", "tunde"], status="separated")],
    )
    did = store.add_discussion(session_id, case)
    save_hypothesis(store, did, Hypothesis(
        text="I wonder whether Maya carries messages between her two homes."))
    danger = DangerStatement(who_worried="The school", what_behaviour="shouting at handovers",
                             impact_if_unchanged="Maya will keep feeling scared")
    save_plan(store, did, Plan(
        map=SignsOfSafetyMap(harms=["Dad and Ryan pushed each other at the gate."],
                             dangers=[danger], strengths=["Maya loves reading."],
                             scales=[ScaleEntry(who="Priya", score=4,
                                                why="Both parents came to the meeting",
                                                date=MEETING)]),
        actions=[Action(what="Priya will see Maya at school", owner="Priya",
                        due=dt.date(2026, 11, 3))],
    ))
    save_draft(store, did, NoteDraft(
        summary="Maya is scared of handover days. Maya's teacher is kind to her.",
        child_voice="Maya says she likes Sundays at her dad's.",
        decisions=[Decision(decision="You will swap homes at Aunt Bisi's house",
                            reason="Both of them think it is calm there")],
        review_date=dt.date(2026, 12, 1), author="Sam Okafor",
        address_child=to_child,
    ))
    return did


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "workbook.db") as s:
        yield s


# --- generated sentences ---------------------------------------------------------------------


def test_because_is_never_followed_by_a_capital_in_generated_sentences(store):
    did = _session(store, to_child=False)
    text = note_document(build_note(store, did)).plain_text()
    assert "because both parents came to the meeting" in text
    assert not re.search(r"\bbecause [A-Z](?!aya\b)", text)


# --- the letter to the child -------------------------------------------------------------------


def test_a_letter_to_the_child_says_you_in_words_a_nine_year_old_can_read(store):
    did = _session(store, to_child=True)
    note = build_note(store, did)
    assert note.child_age == 9
    letter = note_document(note)
    text = letter.plain_text()
    body = text.split("Dear Maya,", 1)[1]
    assert letter.intro[0] == "Dear Maya,"
    assert "Maya" not in body  # the child is "you" throughout
    assert "You are scared of handover days. Your teacher is kind to you." in text
    assert "You say you like Sundays" in text
    assert "None of the worries are your fault." in text
    # No scale numbers, no danger statements, no "cannot safely live at home".
    assert "out of 10" not in text and not re.search(r"\b(0|4|10)\b", body.replace(
        "2026", "").replace("20 October", "").replace("1 December", "").replace(
        "3 November", ""))
    assert "shouting at handovers" not in text and "keep feeling scared" not in text
    assert "live at home" not in text
    assert ("We decided that you will swap homes at Aunt Bisi's house. This is because both "
            "of them think it is calm there.") in text
    # Readable at nine: every sentence the workbook wrote, and the letter as a whole.
    assert hard_sentences(letter, 9) == []
    assert grade(text) <= 9 - 5
    assert all(readable_for(line, 9) for line in letter.intro)


def test_a_hard_typed_sentence_is_named_for_the_supervisor(store):
    did = _session(store, to_child=True)
    save_draft(store, did, NoteDraft(
        address_child=True,
        summary="Consideration was given to the appropriateness of intergenerational "
                "safeguarding arrangements."))
    letter = note_document(build_note(store, did))
    hard = hard_sentences(letter, 9)
    assert [h.section for h in hard] == ["What we talked about"]
    assert hard[0].grade > 4


# --- the jargon check --------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["GRS", "SoS", "RAG", "triangulated", "threshold",
                                  "Three Houses"])
def test_the_jargon_check_knows_the_shorthand_and_names_the_right_section(store, term):
    did = _session(store, to_child=False)
    save_draft(store, did, NoteDraft(
        summary="We looked at the family together.",
        decisions=[Decision(decision=f"We will use {term} next time", reason="it helps")]))
    document = note_document(build_note(store, did))
    findings = note_jargon(document)
    assert [(f.finding.term, f.section) for f in findings] == [
        (f.finding.term, next(s.title for s in document.sections
                              if any(term in t for t in (*s.paragraphs, *s.items))))
        for f in findings]
    assert findings and findings[0].finding.text == term
    decisions = next(s.title for s in document.sections if any(
        "next time" in i for i in s.items))
    assert findings[0].section == decisions


# --- the DOCX and LibreOffice ------------------------------------------------------------------


def test_the_docx_is_a4_with_the_reference_page_numbers_properties_and_headings(store):
    did = _session(store, to_child=False)
    note = build_note(store, did)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = render(note, "docx")
    setup = page_setup(data)
    assert (setup["width_mm"], setup["height_mm"]) == (210, 297)
    assert setup["header"] == "Case reference: hart-2026-117"
    assert setup["footer"] == "Page {PAGE} of {NUMPAGES}"
    props = Document(io.BytesIO(data)).core_properties
    assert props.title == note_document(note).title
    assert props.author == "Sam Okafor"
    created = props.created.replace(tzinfo=props.created.tzinfo or dt.UTC)
    assert created >= before - dt.timedelta(minutes=1)
    assert props.language == "en-GB"
    found = headings(data)
    assert found[0][0] == 0
    assert [t for level, t in found if level == 1] == [
        s.title for s in note_document(note).sections]
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "20 October 2026" in text and "1 December 2026" in text
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)


def _soffice_to_pdf(docx: Path, out: Path, profile: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run `make office` (Debian's libreoffice-writer-nogui)"
    env = {**os.environ, "HOME": str(profile)}
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), str(docx)],
        check=True, capture_output=True, timeout=180, env=env,
    )
    pdf = out / (docx.stem + ".pdf")
    assert pdf.exists()
    return pdf


@pytest.mark.timeout(300)
@pytest.mark.parametrize("to_child", [False, True], ids=["note", "letter"])
def test_libreoffice_renders_the_docx_as_a4_with_every_section(store, tmp_path, to_child):
    did = _session(store, to_child=to_child)
    note = build_note(store, did)
    document = note_document(note)
    docx = tmp_path / "note.docx"
    docx.write_bytes(render(note, "docx"))
    pdf = _soffice_to_pdf(docx, tmp_path, tmp_path / "lo-profile")
    assert shutil.which("pdfinfo") and shutil.which("pdftotext"), "run `make office`"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and (round(float(size.group(1))), round(float(size.group(2)))) == (595, 842)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    flat = " ".join(text.split())
    assert document.title in flat
    for section in document.sections:
        assert section.title in flat, section.title
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert flat.count("Case reference: hart-2026-117") == pages
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat


def test_the_export_command_names_hard_sentences_in_a_letter(tmp_path, capsys):
    from systemic.cli import main

    path = tmp_path / "letter.db"
    with Store.open(path) as s:
        did = _session(s, to_child=True)
        save_draft(s, did, NoteDraft(
            address_child=True,
            summary="Consideration was given to the appropriateness of intergenerational "
                    "safeguarding arrangements."))
        session_id = s.discussion(did).session_id
    assert main(["export", session_id, "--format", "docx", "--out", str(tmp_path),
                 "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Hard for a 9-year-old to read" in out
    assert "intergenerational" in out and "(What we talked about)" in out
