"""What participants see: the session rendered as plain, escaped HTML.

The dashboard kernel only draws what this returns, so everything shown to a
room can be tested here without a browser. Every piece of typed text goes
through :func:`html.escape`; a name like ``<img src=x onerror=alert(1)>`` is
shown literally.

>>> from systemic.session import SessionSnapshot
>>> snap = SessionSnapshot("s1", "Tuesday <group>", "camden_practice_framework", "2026-11-22",
...                        "graces", None, (), None, 3)
>>> html_text = render_dashboard(snap, framework_name="Camden")
>>> "Tuesday &lt;group&gt;" in html_text and 'aria-current="step"' in html_text
True
"""

from __future__ import annotations

import datetime as dt
from html import escape

from systemic.cases import Case
from systemic.session import SessionSnapshot
from systemic.steps import session_steps

__all__ = ["render_dashboard", "render_waiting", "render_unavailable", "display_name", "initials"]


def initials(name: str) -> str:
    """Initials for privacy mode.

    >>> initials("Jayden Clarke-Okafor")
    'J. C.'
    """
    parts = [p for p in name.replace("-", " ").split() if p]
    return " ".join(f"{p[0].upper()}." for p in parts[:2]) or "?"


def display_name(case: Case, person_id: str, *, privacy: bool) -> str:
    person = case.people_by_id.get(person_id)
    if person is None:
        return ""
    return initials(person.name) if privacy else person.name


def _friendly_date(text: str) -> str:
    """``2026-11-22`` as people say it: ``Sunday 22 November 2026``."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day:%A} {day.day} {day:%B %Y}"


def render_waiting() -> str:
    return (
        '<section class="wb-dashboard" aria-live="polite">'
        "<h1>Waiting for the session to start</h1>"
        "<p>This page will update by itself when your supervisor starts the session.</p>"
        "</section>"
    )


def render_unavailable() -> str:
    return (
        '<section class="wb-dashboard" aria-live="polite">'
        "<h1>This page could not show the latest change</h1>"
        "<p>It will try again at the next change. If it stays like this, ask your "
        "supervisor to check the workbook.</p>"
        "</section>"
    )


def _steps(current: str | None) -> str:
    items = []
    for step in session_steps():
        if step.id == current:
            items.append(
                f'<li class="wb-step wb-step-current" aria-current="step">'
                f"<strong>{escape(step.title)}</strong> <span>(now)</span></li>"
            )
        else:
            items.append(f'<li class="wb-step">{escape(step.title)}</li>')
    return '<ol class="wb-steps" aria-label="Steps of the session">' + "".join(items) + "</ol>"


def render_dashboard(
    snap: SessionSnapshot,
    *,
    framework_name: str,
    step_guidance: str = "",
    privacy: bool | None = None,
) -> str:
    """The participant's view of a session as an HTML fragment.

    ``privacy`` defaults to on for any case not marked fictional: participants
    then see initials, never full names.
    """
    case = snap.case
    hide = (not case.fictional) if (privacy is None and case is not None) else bool(privacy)
    parts = [
        '<section class="wb-dashboard" aria-live="polite">',
        f'<h1 class="wb-title">{escape(snap.title)}</h1>',
        f'<p class="wb-framework">Practice framework: {escape(framework_name)}</p>',
    ]
    if snap.date:
        parts.append(f'<p class="wb-date">{escape(_friendly_date(snap.date))}</p>')
    parts.append(_steps(snap.current_step))
    if step_guidance:
        parts.append(f'<p class="wb-guidance">{escape(step_guidance)}</p>')
    if case is not None:
        title = "A training case (fictional)" if case.fictional else "The case"
        parts.append(f'<h2 class="wb-case">{escape(title)}: {escape(case.title)}</h2>')
        if case.question:
            parts.append(
                f'<p class="wb-question"><strong>The question for the group:</strong> '
                f"{escape(case.question)}</p>"
            )
        if snap.selected_person:
            who = display_name(case, snap.selected_person, privacy=hide)
            if who:
                parts.append(
                    f'<p class="wb-selected" data-person="{escape(snap.selected_person)}">'
                    f"We are thinking about: <strong>{escape(who)}</strong></p>"
                )
    parts.append(f'<p class="wb-version" hidden data-version="{snap.version}"></p>')
    parts.append("</section>")
    return "".join(parts)
