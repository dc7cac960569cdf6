"""What participants see is computed here, escaped, and private for real cases."""

from __future__ import annotations

from systemic.cases import Case, Person
from systemic.dashboard import initials, render_dashboard, render_waiting
from systemic.session import SessionSnapshot

HOSTILE = "<img src=x onerror=alert(1)>"


def _snap(fictional: bool, selected: str | None = "mia", title: str = "Tuesday") -> SessionSnapshot:
    case = Case(
        id="c",
        title="The Rivers family",
        fictional=fictional,
        question="What would help Mia?",
        people=[Person(id="mia", name="Mia Rivers"), Person(id="x", name=HOSTILE)],
    )
    return SessionSnapshot("s", title, "fw", "2026-11-22", "graces", selected, (), case, 7)


def test_the_current_step_is_marked_for_screen_readers_and_eyes() -> None:
    html = render_dashboard(_snap(True), framework_name="Camden")
    assert html.count('aria-current="step"') == 1
    current = html.split('aria-current="step"')[1]
    assert "Social GRRAACCEESS" in current.split("</li>")[0]


def test_real_cases_show_initials_and_training_cases_show_names() -> None:
    real = render_dashboard(_snap(False), framework_name="Camden")
    assert "Mia Rivers" not in real and "M. R." in real
    training = render_dashboard(_snap(True), framework_name="Camden")
    assert "Mia Rivers" in training


def test_privacy_can_be_asked_for_on_a_training_case_too() -> None:
    html = render_dashboard(_snap(True), framework_name="Camden", privacy=True)
    assert "Mia Rivers" not in html


def test_typed_text_is_escaped_everywhere() -> None:
    html = render_dashboard(_snap(True, selected="x", title=HOSTILE), framework_name=HOSTILE)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_initials_and_waiting_page() -> None:
    assert initials("  ") == "?"
    assert initials("aisha bello-smith") == "A. B."
    assert "Waiting" in render_waiting()
