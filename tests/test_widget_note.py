"""The note step and the check-out, driven as a supervisor would: write, preview, save, end."""

from __future__ import annotations

import datetime as dt
import io
import stat
from pathlib import Path

import ipywidgets as ipw
import pytest
from docx import Document
from markupsafe import escape

from systemic.cases import load_case
from systemic.checkin import CheckInEntry, load_entries, save_entry
from systemic.cli import DEMO_PARTICIPANTS
from systemic.frameworks import get_framework
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.note import load_draft
from systemic.paths import CASES_DIR, PROJECT_ROOT
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.note import (
    CheckOutPanel,
    NotePanel,
    default_export_folder,
    export_folder_problem,
    note_step,
)
from widgets.step_panel import walk

HOSTILE = "<img/src=x/onerror=alert`1`> & <script>alert(1)</script>"
DAY = dt.date(2026, 10, 20)


def _start(tmp_path: Path, framework: str = "camden_practice_framework") -> SupervisorSession:
    store = Store.open(tmp_path / "workbook.db")
    return SupervisorSession.start(
        store,
        framework_id=framework,
        case=load_case(CASES_DIR / "blended_family.yaml"),
        participants=DEMO_PARTICIPANTS,
        date=DAY,
    )


def _panel(tmp_path: Path, framework: str = "camden_practice_framework") -> NotePanel:
    return NotePanel(_start(tmp_path, framework), folder=tmp_path / "exports")


# -- the draft ----------------------------------------------------------------------------------


def test_every_field_of_the_draft_is_saved_at_once(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    store, did = panel.store, panel.discussion_id
    panel.summary.value = "We thought about Maya's Mondays."
    panel.child_voice.value = "Maya says Mondays are the hardest day."
    panel.review_date.value = dt.date(2026, 12, 1)
    panel.author.value = "Sam"
    panel.add_decision.click()
    panel.decision_rows[0].decision.value = "Handovers move to school"
    panel.decision_rows[0].reason.value = "Maya is calmer there"
    draft = load_draft(store, did)
    assert draft.summary == "We thought about Maya's Mondays."
    assert draft.child_voice == "Maya says Mondays are the hardest day."
    assert draft.review_date == dt.date(2026, 12, 1) and draft.author == "Sam"
    assert [(d.decision, d.reason) for d in draft.decisions] == [
        ("Handovers move to school", "Maya is calmer there")
    ]
    assert "Saved" in panel.message.value


def test_the_question_is_kept_only_when_it_differs_from_the_cases(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    assert panel.question.value == panel.case.question
    panel.summary.value = "A summary"
    assert load_draft(panel.store, panel.discussion_id).question is None
    panel.question.value = "How can Maya's two homes talk to each other?"
    assert load_draft(panel.store, panel.discussion_id).question == (
        "How can Maya's two homes talk to each other?"
    )


def test_a_decision_removed_leaves_the_note(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    panel.add_decision.click()
    panel.decision_rows[0].decision.value = "Ask Nan to help"
    assert "Ask Nan to help" in panel.preview.value
    panel.decision_rows[0].remove.click()
    assert load_draft(panel.store, panel.discussion_id).decisions == []
    assert "Ask Nan to help" not in panel.preview.value


def test_writing_to_the_child_follows_the_framework_until_the_supervisor_chooses(
    tmp_path: Path,
) -> None:
    panel = _panel(tmp_path)
    asks = bool(get_framework("camden_practice_framework").note_for_child_file.written_to_child)
    assert panel.address_child.value is asks
    panel.summary.value = "A summary"
    assert load_draft(panel.store, panel.discussion_id).address_child is None
    panel.address_child.value = True
    assert load_draft(panel.store, panel.discussion_id).address_child is True
    assert "Dear Maya," in panel.preview.value
    panel.address_child.value = False
    assert "Dear Maya," not in panel.preview.value


def test_an_idea_unticked_stays_off_the_childs_file(tmp_path: Path) -> None:
    session = _start(tmp_path)
    kept = save_hypothesis(session.store, session.discussion_id,
                           Hypothesis(text="I wonder whether Maya misses her grandad"))
    private = save_hypothesis(session.store, session.discussion_id,
                              Hypothesis(text="I wonder whether Dad feels shut out"))
    panel = NotePanel(session, folder=tmp_path)
    assert "Maya misses her grandad" in panel.preview.value
    assert "Dad feels shut out" in panel.preview.value
    box = dict(panel.ideas)[private.id]
    box.value = False
    assert load_draft(session.store, session.discussion_id).leave_out == [private.id]
    assert "Dad feels shut out" not in panel.preview.value
    assert "Maya misses her grandad" in panel.preview.value
    assert dict(panel.ideas)[kept.id].value is True


# -- the preview and the jargon check -----------------------------------------------------------


def test_the_preview_follows_the_frameworks_sections(tmp_path: Path) -> None:
    panel = _panel(tmp_path, "north_somerset_practice_framework")
    for section in get_framework("north_somerset_practice_framework").note_for_child_file.sections:
        assert f"<h4>{escape(section.title)}</h4>" in panel.preview.value


def test_jargon_is_marked_with_a_kinder_alternative(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    assert "no professional shorthand found" in panel.jargon.value
    panel.summary.value = "Dad's non-engagement worried the LAC team."
    assert "<mark" in panel.preview.value and ">LAC</mark>" in panel.preview.value
    assert "Instead:" in panel.jargon.value
    assert "non-engagement" in panel.jargon.value and "LAC" in panel.jargon.value


def test_check_ins_never_reach_the_preview(tmp_path: Path) -> None:
    session = _start(tmp_path)
    save_entry(session.store, session.session_id,
               CheckInEntry(name="Sam", text="Exhausted after a night with the baby"))
    panel = NotePanel(session, folder=tmp_path)
    panel.summary.value = "We talked about Mondays."
    assert "Exhausted" not in panel.preview.value


# -- exports ------------------------------------------------------------------------------------


def test_the_docx_export_opens_with_python_docx_and_keeps_hostile_text_literal(
    tmp_path: Path,
) -> None:
    panel = _panel(tmp_path)
    panel.summary.value = HOSTILE
    path = panel.export("docx")
    assert path is not None and path.parent == tmp_path / "exports"
    assert escape(str(path)) in panel.saved.value
    doc = Document(io.BytesIO(path.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert HOSTILE in texts
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    sections = get_framework("camden_practice_framework").note_for_child_file.sections
    assert [s.title for s in sections] == headings[: len(sections)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_markdown_and_html_exports_are_written_where_the_supervisor_chose(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    panel.summary.value = HOSTILE
    other = tmp_path / "my notes"
    panel.folder.value = str(other)
    md, html = panel.export("md"), panel.export("html")
    assert md is not None and html is not None
    assert md.parent == other and html.parent == other
    page = html.read_text(encoding="utf-8")
    assert escape(HOSTILE) in page and "<script>alert(1)" not in page
    text = md.read_text(encoding="utf-8")
    assert "<script>" not in text and "\\<script\\>" in text
    assert escape(str(html)) in panel.saved.value


def test_a_folder_inside_the_workbook_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    inside = PROJECT_ROOT / "notebooks"
    before = sorted(p.name for p in inside.rglob("*"))
    panel.folder.value = str(inside)
    assert panel.export("docx") is None
    assert "role='alert'" in panel.saved.value and "inside the workbook" in panel.saved.value
    assert sorted(p.name for p in inside.rglob("*")) == before


def test_notes_go_to_the_documents_folder_by_default_never_the_repository() -> None:
    assert default_export_folder() == Path.home() / "Documents"
    assert export_folder_problem(PROJECT_ROOT) is not None
    assert export_folder_problem(PROJECT_ROOT / "notebooks" / "supervisor") is not None


def test_a_folder_that_cannot_be_written_is_named_kindly(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    panel.folder.value = str(blocker)
    assert panel.export("md") is None
    assert "is a file, not a folder" in panel.saved.value


def test_there_is_one_button_per_format(tmp_path: Path) -> None:
    panel = _panel(tmp_path)
    assert list(panel.export_buttons) == ["docx", "md", "html"]
    panel.export_buttons["md"].click()
    assert list((tmp_path / "exports").glob("*.md"))


# -- check-out ----------------------------------------------------------------------------------


def test_check_out_shows_the_frameworks_own_questions(tmp_path: Path) -> None:
    panel = CheckOutPanel(_start(tmp_path, "camden_social_work_charter"))
    questions = get_framework("camden_social_work_charter").check_in.check_out_questions
    assert panel.questions == list(questions)
    for q in questions:
        assert escape(q) in panel.intro.value


def test_ending_the_session_deletes_check_ins_unless_kept(tmp_path: Path) -> None:
    session = _start(tmp_path)
    save_entry(session.store, session.session_id, CheckInEntry(name="Sam", text="Tired"))
    panel = CheckOutPanel(session)
    assert panel.keep_checkin.value is False
    panel.end.click()
    assert load_entries(session.store, session.session_id) == []
    assert session.store.session(session.session_id).ended is not None
    assert "Check-in: 1 answer deleted." in panel.message.value
    assert panel.end.disabled


def test_the_check_out_counts_say_what_happened(tmp_path: Path) -> None:
    session = _start(tmp_path)
    for name in ("Sam", "Ade", "Ella"):
        save_entry(session.store, session.session_id, CheckInEntry(name=name, text="Here"))
    for name in ("Priya", "Tom"):
        save_entry(session.store, session.session_id, CheckInEntry(name=name, passed=True))
    panel = CheckOutPanel(session)
    panel.end.click()
    assert "Check-in: 3 answers deleted; 2 people passed." in panel.message.value


def test_an_ended_session_takes_no_edits_and_says_how_to_reopen_it(tmp_path: Path) -> None:
    from widgets.graces import GracesStep
    from widgets.hypotheses import HypothesesStep

    session = _start(tmp_path)
    panel = CheckOutPanel(session)
    assert panel.reopen.layout.display == "none"  # nothing to reopen while it runs
    panel.end.click()
    assert "Reopen the session" in panel.message.value
    assert panel.reopen.layout.display == "" and panel.end.disabled
    version = session.store.version()
    # A step left open on the screen tries to change the session: refused, said plainly.
    graces = GracesStep(session)
    graces.person.value = "leanne"
    graces.rows[0].place.value = (True, True)
    assert "role='alert'" in graces.message.value
    assert "ended" in graces.message.value and "Reopen the session" in graces.message.value
    ideas = HypothesesStep(session)
    ideas.text.value = "Perhaps Mum worries"
    assert "Reopen the session" in ideas.message.value
    assert session.store.version() == version  # nothing changed for the participants
    # Reopened, it takes changes again.
    panel.reopen.click()
    assert session.store.session(session.session_id).ended is None
    assert "open again" in panel.message.value and not panel.end.disabled
    graces.rows[0].place.value = (False, False)
    assert graces.message.value == ""
    again = CheckOutPanel(session)
    assert again.reopen.layout.display == "none"


def test_the_supervisor_can_keep_the_check_ins(tmp_path: Path) -> None:
    session = _start(tmp_path)
    save_entry(session.store, session.session_id, CheckInEntry(name="Sam", text="Tired"))
    panel = CheckOutPanel(session)
    panel.keep_checkin.value = True
    panel.end.click()
    assert [e.text for e in load_entries(session.store, session.session_id)] == ["Tired"]
    assert "kept" in panel.message.value


# -- hostile text and the notebook entry point --------------------------------------------------


def test_hostile_text_is_escaped_in_every_html_value(tmp_path: Path) -> None:
    session = _start(tmp_path)
    save_hypothesis(session.store, session.discussion_id, Hypothesis(text=HOSTILE))
    panel = NotePanel(session, folder=tmp_path / HOSTILE.replace("/", "_"))
    for field in (panel.summary, panel.child_voice, panel.question, panel.author):
        field.value = HOSTILE
    panel.add_decision.click()
    panel.decision_rows[0].decision.value = HOSTILE
    panel.decision_rows[0].reason.value = HOSTILE
    assert panel.export("html") is not None
    html = [w.value for w in walk(panel.view()) if isinstance(w, ipw.HTML)]
    assert any(escape(HOSTILE) in value for value in html)
    for value in html:
        assert HOSTILE not in value and "<img" not in value and "<script>" not in value


def test_the_step_resumes_the_newest_session(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    view = note_step(folder=tmp_path)  # the training session conftest seeds for the notebooks
    assert isinstance(view, ipw.VBox)
    assert not any("role='alert'" in w.value for w in walk(view) if isinstance(w, ipw.HTML))
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(tmp_path / "empty.db"))
    assert "no sessions yet" in note_step().value


def test_the_note_and_genogram_are_offered_as_browser_downloads_named_by_case_date_and_time(
    tmp_path: Path,
) -> None:
    import base64
    import re

    panel = _panel(tmp_path)
    panel.summary.value = "We thought about Maya's two homes."
    first = panel.export("docx")
    second = panel.export("docx")  # the same minute: a new name, never an overwrite
    assert first is not None and second is not None and first != second
    assert re.fullmatch(r"blended_family-note-\d{4}-\d{2}-\d{2}-\d{4}\.docx", first.name)
    assert second.name == first.name.replace(".docx", "-2.docx")
    link = re.search(r'download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', panel.download.value)
    assert link is not None and link.group(1) == second.name
    assert link.group(2).endswith("wordprocessingml.document")
    assert base64.b64decode(link.group(3)) == second.read_bytes()

    name = panel.download_genogram()
    assert re.fullmatch(r"blended_family-genogram-\d{4}-\d{2}-\d{2}-\d{4}\.svg", name)
    svg = re.search(r'href="data:image/svg\+xml;base64,([^"]+)"', panel.download.value)
    assert svg is not None and base64.b64decode(svg.group(1)).startswith(b"<svg")
    assert (tmp_path / "exports" / name).read_bytes() == base64.b64decode(svg.group(1))
