"""Specifications for exporting the note for the child's file (systemic.export)."""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import re
import stat
import zipfile
from pathlib import Path

import pytest
from docx import Document

from systemic.cases import Case, Person
from systemic.checkin import CheckInEntry, save_entry
from systemic.export import FORMATS, clean_text, default_filename, render, write_note
from systemic.export.cli import add_arguments, run
from systemic.export.docx import headings
from systemic.export.markdown import escape_markdown
from systemic.frameworks import get_framework
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.note import (
    Decision,
    NoteDraft,
    PrivateReflection,
    build_note,
    note_document,
    save_draft,
    save_reflection,
)
from systemic.plan import (
    Action,
    DangerStatement,
    Plan,
    SafetyGoal,
    ScaleEntry,
    SignsOfSafetyMap,
    save_plan,
)
from systemic.store import Store

MEETING = dt.date(2026, 10, 20)
HOSTILE = (
    "<script>alert(1)</script> & \"double\" 'single' **bold** # not a heading "
    "[link](javascript:alert(1)) {child} {0} %s \\ `code` <img src=x onerror=alert(1)> &amp;"
)
SHORT_HOSTILE = "<b>Sam</b>&{x}"  # participant names are at most 40 characters

# Distinctive private text: none of it may ever reach the child's file.
CHECKIN_SECRET = "CHECKIN-ZEBRA-My week has been awful"
GRACE_SECRET = "GRACE-OTTER-my own working-class childhood"
REFLECTION_SECRET = "REFLECTION-LYNX-this case reminds me of my divorce"
SECRETS = (CHECKIN_SECRET, GRACE_SECRET, REFLECTION_SECRET)


def _hostile_session(store: Store, framework: str = "north_somerset_practice_framework"):
    """A session with hostile text in every field a person types, and private text besides."""
    session_id = store.create_session(
        "Group supervision", framework, date=MEETING,
        participants=[{"name": SHORT_HOSTILE, "role": "supervisor"},
                      {"name": "Priya", "role": "presenter"}],
    )
    case = Case(
        id="hart", title="Maya", fictional=True, focal_child="maya", worker="Priya",
        question=f"Question: {HOSTILE}",
        people=[Person(id="maya", name="Maya Hart", sex="female", born=2017)],
    )
    did = store.add_discussion(session_id, case)
    h = save_hypothesis(store, did, Hypothesis(text=f"Hypothesis {HOSTILE}"))
    danger = DangerStatement(who_worried=f"Worried {HOSTILE}"[:200],
                             what_behaviour=f"Behaviour {HOSTILE}",
                             impact_if_unchanged=f"Impact {HOSTILE}")
    save_plan(store, did, Plan(
        map=SignsOfSafetyMap(
            harms=[f"Harm {HOSTILE}"], dangers=[danger],
            strengths=[f"Strength {HOSTILE}"], existing_safety=[f"Safety {HOSTILE}"],
            safety_goals=[SafetyGoal(danger_id=danger.id, text=f"Goal {HOSTILE}")],
            next_steps=[f"Step {HOSTILE}"],
            scales=[ScaleEntry(who=f"Scaler {HOSTILE}"[:200], score=3, why=f"Why {HOSTILE}",
                               date=MEETING)],
        ),
        actions=[Action(what=f"Ask {HOSTILE}", owner=f"Owner {HOSTILE}"[:200],
                        due=dt.date(2026, 11, 3), hypothesis_id=h.id)],
    ))
    save_draft(store, did, NoteDraft(
        summary=f"Summary {HOSTILE}", child_voice=f"Voice {HOSTILE}",
        decisions=[Decision(decision=f"Decision {HOSTILE}", reason=f"Reason {HOSTILE}")],
        review_date=dt.date(2026, 12, 1), author=f"Author {HOSTILE}"[:200],
        approved_by=f"Approver {HOSTILE}"[:200],
    ))
    # What must never leave the supervision record:
    save_entry(store, session_id, CheckInEntry(name="Priya", text=CHECKIN_SECRET))
    save_entry(store, did, CheckInEntry(name="Sam", text=CHECKIN_SECRET))
    store.put_record(did, "grace", {"person": "worker", "grace": "class", "visible": True,
                                    "voiced": False, "note": GRACE_SECRET, "staff": True})
    store.put_record(did, "grace", {"person": "Priya", "grace": "class", "note": GRACE_SECRET,
                                    "staff": True})
    save_reflection(store, did, PrivateReflection(who="Priya", text=REFLECTION_SECRET))
    return session_id, did


@pytest.fixture
def hostile(tmp_path: Path):
    path = tmp_path / "workbook.db"
    with Store.open(path) as store:
        session_id, did = _hostile_session(store)
        note = build_note(store, did)
    return path, session_id, note


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def _docx_all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


# --- DOCX -----------------------------------------------------------------------------------------


def test_the_docx_opens_in_python_docx_with_a_heading_for_each_section(hostile):
    _, _, note = hostile
    data = render(note, "docx")
    found = headings(data)
    document = note_document(note)
    assert found[0] == (0, document.title)
    assert [t for level, t in found if level == 1] == [s.title for s in document.sections]
    framework_titles = [s.title for s in get_framework(
        "north_somerset_practice_framework").note_for_child_file.sections]
    assert [t for _, t in found if t in framework_titles] == framework_titles


def test_the_docx_lists_items_as_bullets(hostile):
    _, _, note = hostile
    doc = Document(io.BytesIO(render(note, "docx")))
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "Priya, the social worker who brought the question" in bullets


def test_hostile_text_comes_out_verbatim_in_the_docx(hostile):
    _, _, note = hostile
    text = _docx_text(render(note, "docx"))
    for label in ("Question:", "Hypothesis", "Behaviour", "Impact", "Harm", "Strength",
                  "Safety", "Step", "Ask", "Summary", "Voice", "Decision", "Reason"):
        assert f"{label} {HOSTILE}" in text, label
    # After "because" a typed reason starts with a small letter ("because both…").
    assert f"because why {HOSTILE}" in text
    assert SHORT_HOSTILE in text


def test_control_characters_are_dropped_so_word_can_open_the_file():
    from systemic.note import NoteDocument, NoteSection

    document = NoteDocument("Notes", ("Maya\x00 said\x0b no\x1f.",),
                            (NoteSection("s", "Ideas\x07", ("line one\nline two",)),), ())
    data = render(document, "docx")
    text = _docx_text(data)
    assert "Maya said no." in text and "Ideas" in text
    assert "line one\nline two" in text
    assert clean_text("a\r\nb\rc") == "a\nb\nc"


# --- HTML -----------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_the_html(hostile):
    _, _, note = hostile
    page = render(note, "html").decode("utf-8")
    assert "<script" not in page and "<img" not in page
    assert html.escape(HOSTILE, quote=True) in page
    assert html.escape(SHORT_HOSTILE, quote=True) in page
    body = re.sub(r"<[^>]+>", "\n", page)
    assert f"Decision {HOSTILE}" in html.unescape(body)


def test_the_html_page_loads_nothing_from_anywhere(hostile):
    _, _, note = hostile
    page = render(note, "html").decode("utf-8")
    assert re.search(r"<(link|script|img|iframe|object|embed)\b", page) is None
    assert not re.search(r"<[^>]*\b(src|href)\s*=", page)
    assert "default-src 'none'" in page
    assert "<style>" in page and page.startswith("<!DOCTYPE html>")


def test_the_html_has_a_heading_for_each_section(hostile):
    _, _, note = hostile
    page = render(note, "html").decode("utf-8")
    titles = [html.unescape(t) for t in re.findall(r"<h2>(.*?)</h2>", page)]
    assert titles == [s.title for s in note_document(note).sections]


# --- Markdown -------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_the_markdown(hostile):
    _, _, note = hostile
    text = render(note, "md").decode("utf-8")
    assert "<script>" not in text and "**bold**" not in text
    assert escape_markdown(HOSTILE) in text
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [
        s.title for s in note_document(note).sections]


def test_markdown_renders_back_to_exactly_what_was_typed():
    mistune = pytest.importorskip("mistune")
    for typed in (HOSTILE, "# Heading\n- item\n===\n    code\n> quote\n2) two", "1. one"):
        rendered = mistune.html(escape_markdown(typed))
        assert "<script" not in rendered and "<h1" not in rendered and "<li" not in rendered
        shown = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
        expected = "\n".join(line.strip() for line in typed.split("\n"))
        assert shown == expected


# --- never on the child's file --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_checkins_staff_graces_and_personal_reflections_never_appear(hostile, fmt):
    _, _, note = hostile
    data = render(note, fmt)
    text = _docx_all_xml(data) if fmt == "docx" else data.decode("utf-8")
    for secret in SECRETS:
        assert secret.split("-")[1] not in text, secret
        assert secret not in text


def test_a_check_in_answer_is_absent_even_though_it_sits_beside_the_case(hostile):
    path, _, note = hostile
    with Store.open(path, readonly=True) as store:
        assert any(r.payload.get("text") == CHECKIN_SECRET
                   for r in store.records(note.discussion_id, "checkin"))
        assert any(r.payload.get("note") == GRACE_SECRET
                   for r in store.records(note.discussion_id, "grace"))
    assert CHECKIN_SECRET not in note.model_dump_json()


# --- writing files --------------------------------------------------------------------------------


def test_a_written_note_is_readable_by_its_owner_only(hostile, tmp_path):
    _, _, note = hostile
    written = write_note(note, "html", tmp_path)
    assert re.fullmatch(r"hart-note-2026-10-20-\d{4}\.html", written.name)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_an_unknown_format_is_refused_naming_the_formats(hostile):
    _, _, note = hostile
    with pytest.raises(ValueError, match="use one of: docx, md, html"):
        render(note, "pdf")


# --- the command line -----------------------------------------------------------------------------


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="systemic-workbook export")
    add_arguments(parser)
    return run(parser.parse_args(list(argv)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_the_note_and_returns_0(hostile, tmp_path, capsys, fmt):
    path, session_id, _ = hostile
    out = tmp_path / f"note.{fmt}"
    assert _run(session_id, "--format", fmt, "--out", str(out), "--store", str(path)) == 0
    assert out.is_file() and out.stat().st_size > 0
    assert f"Wrote the note for the child's file: {out}" in capsys.readouterr().out
    if fmt == "docx":
        assert headings(out.read_bytes())[0][0] == 0


def test_export_into_a_folder_uses_a_name_that_says_what_it_is(hostile, tmp_path):
    path, session_id, _ = hostile
    folder = tmp_path / "exports"
    folder.mkdir()
    assert _run(session_id, "--out", str(folder), "--store", str(path)) == 0
    (first,) = [p.name for p in folder.iterdir()]
    assert re.fullmatch(r"hart-note-2026-10-20-\d{4}\.docx", first)


def test_a_folder_that_does_not_exist_is_refused_not_written_as_a_file(hostile, tmp_path,
                                                                       capsys):
    path, session_id, _ = hostile
    folder = tmp_path / "notes"
    assert _run(session_id, "--out", f"{folder}/", "--store", str(path)) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert f"cannot write in {folder}: that folder does not exist" in line
    assert not folder.exists()


def test_two_exports_of_one_case_on_one_day_never_overwrite_each_other(hostile, tmp_path):
    path, session_id, note = hostile
    at = dt.datetime(2026, 10, 20, 14, 5)
    named = tmp_path / default_filename(note, "md", at)
    first = write_note(note, "md", named)
    second = write_note(note, "md", named)
    third = write_note(note, "md", named)
    assert [first.name, second.name, third.name] == [
        "hart-note-2026-10-20-1405.md", "hart-note-2026-10-20-1405-2.md",
        "hart-note-2026-10-20-1405-3.md"]
    assert first.read_bytes() == second.read_bytes() == third.read_bytes()


def test_export_lists_jargon_to_reword(tmp_path, capsys):
    path = tmp_path / "w.db"
    with Store.open(path) as store:
        session_id = store.create_session("G", "camden_practice_framework", date=MEETING)
        did = store.add_discussion(session_id, {"id": "c", "title": "C", "fictional": True})
        save_draft(store, did, NoteDraft(summary="Respite was offered; she is LAC."))
    assert _run(session_id, "--format", "md", "--out", str(tmp_path / "n.md"),
                "--store", str(path)) == 0
    out = capsys.readouterr().out
    assert '"Respite"' in out and '"LAC"' in out and "a short break" in out


def test_a_bad_session_id_gives_one_line_and_exit_2(hostile, tmp_path, capsys):
    path, _, _ = hostile
    assert _run("no-such-session", "--out", str(tmp_path / "x.docx"),
                "--store", str(path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("systemic-workbook: There is no session 'no-such-session'")
    assert not (tmp_path / "x.docx").exists()


def test_a_missing_store_gives_one_line_and_exit_2(tmp_path, capsys):
    assert _run("abc", "--store", str(tmp_path / "none.db")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no session store at" in err


def test_an_out_path_in_a_missing_folder_gives_one_line_and_exit_2(hostile, tmp_path, capsys):
    path, session_id, _ = hostile
    assert _run(session_id, "--out", str(tmp_path / "nope" / "n.md"), "--store", str(path)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err


def test_export_does_not_change_the_store(hostile, tmp_path):
    path, session_id, _ = hostile
    with Store.open(path, readonly=True) as store:
        before = store.version()
    assert _run(session_id, "--format", "html", "--out", str(tmp_path / "n.html"),
                "--store", str(path)) == 0
    with Store.open(path, readonly=True) as store:
        assert store.version() == before


def test_the_file_names_ending_chooses_the_format_and_a_contradiction_is_refused(
    hostile, tmp_path, capsys
):
    # "--out note.md" wrote a Word file called note.md; "--format html --out note.docx"
    # wrote a web page that Word cannot open.
    path, session_id, _ = hostile
    assert _run(session_id, "--out", str(tmp_path / "note.md"), "--store", str(path)) == 0
    assert (tmp_path / "note.md").read_bytes()[:2] != b"PK"  # Markdown, not a Word file
    assert (tmp_path / "note.md").read_text(encoding="utf-8").startswith("# ")
    assert _run(session_id, "--format", "html", "--out", str(tmp_path / "note.docx"),
                "--store", str(path)) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "--out note.docx is a Word file name but --format is html" in line
    assert not (tmp_path / "note.docx").exists()
