"""The session is what Step 1 says (issue 12, point 3), and the notebook guides the group.

A notebook kernel follows the session started or resumed in its Step 1 — not
the newest, not the one the server named — and records it in the store as the
session the supervisor is running, which participants' pages then follow.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import ipywidgets as ipw
import pytest

from systemic import steps
from systemic.cases import Case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.dashboard import SessionView
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets import guide
from widgets.dashboard import SessionDashboard
from widgets.session import StartPanel
from widgets.step_panel import walk


@pytest.fixture
def env_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "workbook.db"
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(path))
    monkeypatch.delenv("SYSTEMIC_WORKBOOK_SESSION", raising=False)
    return path


def _start(path: Path, case: Case, title: str) -> str:
    with Store.open(path) as store:
        return SupervisorSession.start(store, framework_id="camden_practice_framework",
                                       case=case, participants=DEMO_PARTICIPANTS,
                                       title=title).session_id


def _texts(widget: ipw.Widget) -> str:
    return " ".join(str(getattr(w, "value", "")) for w in walk(widget)
                    if isinstance(getattr(w, "value", None), str))


def test_a_session_started_in_step_1_is_the_session_of_every_later_step(
    env_store: Path, blended: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = _start(env_store, blended, "The demo")
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_SESSION", demo)  # as a server naming the demo
    start = StartPanel()
    graces = guide.StepSection("graces")
    assert "The demo" in start.status.value
    assert graces.where.value.count("Step 4 of 8: Social GRRAACCEESS") == 1

    start.participants.value = "Ade — supervisor\nBea — presenter\nCal"
    start.start_button.click()
    new = start.session
    assert new is not None and new.session_id != demo
    assert guide.current_session().session_id == new.session_id
    # Every section redrew itself for the new session: its people, not the demo's.
    check_in = guide.StepSection("check_in")
    assert check_in.body.children == ()  # drawn when the group gets there, or when asked
    check_in.peek.click()
    assert "Now: <strong>Ade</strong>" in _texts(check_in.view)
    assert graces._session_id == new.session_id
    with Store.open(env_store, readonly=True) as reader:
        assert reader.running_session() == new.session_id


def test_carrying_on_with_an_older_session_is_followed_not_the_newest(
    env_store: Path, blended: Case
) -> None:
    older = _start(env_store, blended, "Monday")
    newer = _start(env_store, blended, "Tuesday")
    start = StartPanel()
    assert start.earlier.value == newer
    start.earlier.value = older
    start.resume_button.click()
    assert guide.current_session().session_id == older
    with Store.open(env_store, readonly=True) as reader:
        assert reader.running_session() == older
        assert SessionView(reader).read()["header"].count("Monday") >= 1


def test_one_button_moves_the_group_on_and_every_section_says_where_the_group_is(
    env_store: Path, blended: Case
) -> None:
    _start(env_store, blended, "Monday")
    sections = {s.id: guide.StepSection(s.id) for s in steps.steps()}
    check_in = sections["check_in"]
    assert check_in.move.description == "Move the group on to Step 3: The case and its genogram"
    sections["start"].move.click()
    assert "The group is on this step." in check_in.where.value
    assert "The group is on Step 2 of 8: Check-in." in sections["graces"].where.value
    check_in.move.click()
    assert guide.current_session().store.session(
        guide.current_session().session_id).current_step == "case"
    assert sections["note"].move.layout.display == "none"  # the last step: check-out ends it


def test_the_participants_page_follows_the_running_session_and_moves_within_2_s(
    env_store: Path, blended: Case
) -> None:
    first = _start(env_store, blended, "Monday")
    page = SessionDashboard(env_store, every=0.05)
    assert "Monday" in page.parts["header"].value

    async def switch() -> float:
        page.start()
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        _start(env_store, blended, "Tuesday")  # the supervisor starts another session
        while "Tuesday" not in page.parts["header"].value:
            if time.perf_counter() - started > 5:
                break
            await asyncio.sleep(0.02)
        moved = time.perf_counter() - started
        with Store.open(env_store) as store:  # ...and goes back to the first
            SupervisorSession.resume(store, first).run()
        back = time.perf_counter()
        while "Monday" not in page.parts["header"].value and time.perf_counter() - back < 5:
            await asyncio.sleep(0.02)
        page.stop()
        return max(moved, time.perf_counter() - back)

    assert asyncio.run(switch()) < 2.0
    assert "Monday" in page.parts["header"].value


def test_on_an_empty_store_step_1_offers_to_start_the_first_session(env_store: Path) -> None:
    # A council's new store (or a laptop without the demo) holds no session yet: Step 1 is
    # where the first one starts, and the later steps wait for it.
    first, later = guide.StepSection("start"), guide.StepSection("graces")
    assert any(isinstance(w, ipw.Button) and w.description == "Start the session"
               for w in walk(first.view))
    assert "Start a session here." in first.where.value
    assert later.body.children == () and "Step 1 first" in later.where.value
    assert first.move.disabled and later.move.disabled


def _shown_words(widget: ipw.Widget) -> str:
    """Every word a step shows: its HTML, labels, choices, placeholders and tab titles."""
    from html import unescape

    words = []
    for w in walk(widget):
        for name in ("value", "description", "placeholder", "tooltip"):
            if isinstance(getattr(w, name, None), str):
                words.append(unescape(getattr(w, name)))
        words += [str(o[0] if isinstance(o, tuple) else o) for o in getattr(w, "options", ())]
        words += [t for t in getattr(w, "titles", ()) if t]
    return "\n".join(words).casefold()


def test_each_steps_guidance_names_only_buttons_and_fields_the_step_shows(
    env_store: Path, blended: Case
) -> None:
    # The notebook's "How to use the form below" named buttons the forms no longer had
    # ("Choose it", "Unchoose it"; "Seen?" and "Spoken about?").
    import json
    import re

    from systemic.paths import NOTEBOOKS_DIR

    _start(env_store, blended, "Monday")
    cells = json.loads((NOTEBOOKS_DIR / "supervisor" / "session.ipynb").read_text())["cells"]
    guidance, checked = "", 0
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            guidance += source.split("## Make this question")[0]  # a workshop aside
            continue
        called = re.fullmatch(r'step\("(\w+)"\)', source.strip())
        if called:
            section = guide.StepSection(called.group(1))
            section._open_here()
            if section.step.id == "questions":  # so that "✓ Chosen" is on the page
                next(w for w in walk(section.view)
                     if "wb-q-pick" in getattr(w, "_dom_classes", ())).click()
            for part in walk(section.view):  # open every folded part
                if isinstance(part, ipw.Button) and part.description.startswith("▸"):
                    part.click()
            shown = _shown_words(section.view)
            named = re.findall(r"\*\*([^*]+)\*\*", guidance)
            missing = [n for n in named if n.casefold() not in shown]
            assert missing == [], f"{called.group(1)}: the guidance names {missing}"
            checked += len(named)
        guidance = ""
    assert checked >= 25


def test_step_1_offers_the_running_sessions_framework_and_shows_its_check_in(
    env_store: Path, blended: Case
) -> None:
    # The form listed Barking & Dagenham first and showed its check-in questions, while the
    # running session (the demo) follows Camden's framework and Step 2 asks Camden's.
    _start(env_store, blended, "Monday")
    start = StartPanel()
    assert start.framework.value == "camden_practice_framework"
    assert "Check-in questions from Relational Camden" in start.check_in.value


def test_a_role_not_on_the_list_or_a_long_name_is_said_when_the_session_starts(
    env_store: Path,
) -> None:
    # "supervisr" made Sam "in the reflecting group" on the child's file, without a word.
    start = StartPanel()
    start.participants.value = "Sam — supervisr\nPriya — presenter\n" + "B" * 50
    start.start_button.click()
    said = start.status.value
    assert "Session started and saved" in said
    assert "Sam is in the reflecting group: &#39;supervisr&#39; is not one of the roles" in said
    assert f"{'B' * 40}… was shortened to 40 letters" in said
    assert "Priya" not in said.split("Now running")[1]  # a known role: nothing to say


def test_step_1_says_the_session_is_saved_on_this_computer_without_its_path(
    env_store: Path, blended: Case
) -> None:
    # The status ended "(Store: /home/…/workbook.db)": a path on the supervisor's disk.
    _start(env_store, blended, "Monday")
    start = StartPanel()
    start.earlier.value = start.earlier.options[0][1]
    for button in (start.start_button, start.resume_button):
        button.click()
        said = start.status.value
        assert "saved as you go, on this computer" in said, said
        assert str(env_store) not in said and env_store.name not in said
        assert str(env_store.parent) not in said and "Store:" not in said


def test_a_known_role_may_be_written_in_brackets(env_store: Path) -> None:
    start = StartPanel()
    start.participants.value = "Sam (supervisor)\nCal (observer)\nJo (Sam's manager)"
    start.start_button.click()
    people = guide.current_session().store.session(guide.current_session().session_id)
    assert [(p.name, p.role) for p in people.participants] == [
        ("Sam", "supervisor"), ("Cal", "observer"), ("Jo (Sam's manager)", "reflecting_group")]


def test_each_step_of_a_session_whose_case_was_erased_shows_only_the_one_kind_line(
    env_store: Path, blended: Case
) -> None:
    _start(env_store, blended, "Monday")
    with Store.open(env_store) as store:
        assert store.erase_case(blended.id) == 1
    for s in steps.steps()[1:]:
        section = guide.StepSection(s.id)
        section._open_here()  # as "Open this step here" does (it raised IndexError)
        said = _texts(section.view)
        assert "There is no case discussion" not in said, (s.id, said)  # no '' case
        assert said.count("role='alert'") + said.count('role="alert"') <= 1, (s.id, said)
        erased = said.count("This session has no case any more (it was erased)")
        assert erased == (s.id != "check_in"), (s.id, said)
