"""Every step as a social worker sees it: no dropdown cuts its words short (issue 15, point 9).

"Barking & Dagenham C…" in the framework list made a supervisor guess. Each dropdown on the
start panel, on every section of the session notebook and on the trainer's breakout form is
wide enough for its longest choice (about 0.45rem a character in the page's font, plus the
arrow), after its label.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as ipw
import pytest

from systemic import steps
from systemic.cases import Case
from systemic.cli import DEMO_PARTICIPANTS
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets import guide
from widgets.breakout import BreakoutForm
from widgets.session import StartPanel
from widgets.step_panel import walk

#: Width of an average character of the widgets' font, and room for the arrow, in rem.
CHAR_REM, ARROW_REM = 0.45, 1.5


def _rem(value: str | None) -> float | None:
    found = re.fullmatch(r"([\d.]+)rem", value or "")
    if found:
        return float(found.group(1))
    summed = re.fullmatch(r"calc\(([\d.]+)rem \+ ([\d.]+)rem\)", value or "")
    return float(summed.group(1)) + float(summed.group(2)) if summed else None


def _too_narrow(view: ipw.Widget) -> list[str]:
    out = []
    for w in walk(view):
        if not isinstance(w, ipw.Dropdown) or not w.options:
            continue
        width, label = _rem(w.layout.width), _rem(w.style.description_width) or 0.0
        longest = max(len(str(text)) for text in w._options_labels)
        if width is None or width - label < longest * CHAR_REM + ARROW_REM:
            out.append(f"{w.description!r}: {w.layout.width} for {longest} characters")
    return out


@pytest.fixture
def running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blended: Case):
    path = tmp_path / "workbook.db"
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(path))
    monkeypatch.delenv("SYSTEMIC_WORKBOOK_SESSION", raising=False)
    guide.forget()
    with Store.open(path) as store:
        session = SupervisorSession.start(store, framework_id="barking_dagenham_cares",
                                          case=blended, participants=DEMO_PARTICIPANTS)
    yield session.session_id
    guide.forget()


def test_the_start_panel_shows_whole_framework_and_case_names(running: str) -> None:
    start = StartPanel()
    assert _too_narrow(start.view()) == []
    assert any(label.startswith("Barking & Dagenham") for label, _ in start.framework.options)


@pytest.mark.parametrize("step_id", [s.id for s in steps.steps() if s.id != "start"])
def test_no_dropdown_in_a_step_cuts_its_words_short(running: str, step_id: str) -> None:
    assert _too_narrow(guide.StepSection(step_id).view) == []


def test_the_trainers_breakout_form_shows_whole_names(running: str) -> None:
    assert _too_narrow(BreakoutForm().view()) == []


def test_an_ended_session_is_marked_and_can_be_reopened_from_the_start(running: str) -> None:
    start = StartPanel()
    start.session = guide.current_session()
    start.session.store.end_session(running)
    start._list_sessions()
    assert start.earlier.label.endswith(", ended)")
    start.resume_button.click()  # carrying on with an ended session is refused, kindly
    assert "role='alert'" in start.status.value and "Reopen the session" in start.status.value
    start.reopen_button.click()
    assert guide.current_session().store.session(running).ended is None
    assert "open again" in start.status.value


@pytest.mark.parametrize("step_id", [s.id for s in steps.steps()])
def test_no_choice_shows_what_is_chosen_by_a_shade_of_grey_alone(running: str,
                                                                   step_id: str) -> None:
    """ipywidgets' toggle buttons mark the chosen one only by a slightly darker grey: every
    choice is a dropdown, radio buttons or a tick box, which show it in words or shapes."""
    view = StartPanel().view() if step_id == "start" else guide.StepSection(step_id).view
    assert not [w.description for w in walk(view) if isinstance(w, ipw.ToggleButtons)]


def _colour_pairs(css: str, selector: str) -> tuple[str, str, str]:
    rule = re.search(re.escape(selector) + r" \{([^}]*)\}", css)
    assert rule, selector
    found = dict(re.findall(r"(background|color|border): [^#;]*(#[0-9a-f]{6})", rule.group(1)))
    return found.get("color", ""), found.get("background", ""), found.get("border", "")


def test_the_chosen_and_the_titles_read_at_wcag_aa_contrast() -> None:
    from systemic.genogram.geometry import contrast_ratio
    from widgets.parts import PARTS_CSS
    from widgets.questions import _CSS as QUESTIONS_CSS

    text, ground, border = _colour_pairs(PARTS_CSS, ".wb-part-header.jupyter-button")
    assert contrast_ratio(text, ground) >= 4.5 and contrast_ratio(border, "#ffffff") >= 3
    text, ground, border = _colour_pairs(QUESTIONS_CSS, ".wb-q-pick.jupyter-button")
    assert contrast_ratio(text, ground) >= 4.5 and contrast_ratio(border, ground) >= 3
    _, chosen, ring = _colour_pairs(QUESTIONS_CSS, ".wb-q-pick.wb-q-picked.jupyter-button")
    assert contrast_ratio(text, chosen) >= 4.5 and contrast_ratio(ring, chosen) >= 3
