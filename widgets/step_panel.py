"""What the supervisor's step widgets share: resuming the session, kind messages, escaped HTML.

The steps after the genogram (safe uncertainty, the plan, the note) are
forms bound to records in the store. Each resumes the session in progress,
moves the group on to its step, shows the framework's own wording for it,
and turns any problem into one kind sentence. Typed text only ever reaches
an HTML widget through a template with autoescaping
(:func:`systemic.html_templates.render`).

>>> paragraph("<b>Maya</b> & Dad")
'<p>&lt;b&gt;Maya&lt;/b&gt; &amp; Dad</p>'
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import ipywidgets as ipw
from pydantic import ValidationError

from systemic.cases import Case
from systemic.datafile import field_path
from systemic.errors import WorkbookError
from systemic.frameworks import Framework, Prompt
from systemic.html_templates import Markup, render
from systemic.session import SupervisorSession

__all__ = [
    "STEP_CSS",
    "SESSION_ENV",
    "resume_session",
    "problem_text",
    "in_step",
    "empty_note",
    "alert",
    "alert_line",
    "status",
    "paragraph",
    "subheading",
    "bullet_list",
    "prompt_html",
    "framework_tools_html",
    "child_name",
    "lines",
    "clip",
    "walk",
    "unavailable",
    "open_step",
]

#: Which session the supervisor's widgets follow when several are in the store.
SESSION_ENV = "SYSTEMIC_WORKBOOK_SESSION"

# WCAG 2.2 AA on white: text #1a1a1a (16:1), accent #0b5394 (7.8:1), notes #3c4043 (10:1),
# problems #8a1c1c (9:1);
# the caveat's background #fff4cc keeps #1a1a1a at 15:1.
STEP_CSS = render("widgets/step/style.html.j2")


def resume_session(step_id: str | None = None, *, readonly: bool = False) -> SupervisorSession:
    """The session this notebook runs (see :func:`widgets.guide.current_session`).

    Opening a step does not move the group: the session notebook's "Move the
    group on" button does (``step_id`` is kept for callers that name their step).
    ``readonly`` opens the store read-only, as a participant's view does.

    Raises
    ------
    WorkbookError
        When there is no session yet, or the store cannot be opened.
    """
    from widgets.guide import current_session

    return current_session(readonly=readonly)


def problem_text(error: Exception) -> str:
    """One kind sentence for a problem with what was typed or stored.

    >>> from systemic.plan import ScaleEntry
    >>> try:
    ...     ScaleEntry(who="Sam", score=12, date="2026-10-20")
    ... except Exception as e:
    ...     print(problem_text(e))
    score: the scale runs from 0 to 10, and 12 is outside it — choose a whole number from 0 to 10
    """
    if isinstance(error, ValidationError):
        err = error.errors()[0]
        where = field_path(tuple(err["loc"]))
        message = str(err["msg"]).removeprefix("Value error, ")
        if message.startswith("String should have at most"):
            message = message.replace("String should have", "this is too long: write") + (
                " — shorten it"
            )
        return f"{where}: {message}" if where else message
    if isinstance(error, sqlite3.Error | OSError):
        from widgets.step_base import not_saved_text

        return not_saved_text(error)
    if isinstance(error, WorkbookError | ValueError | KeyError):
        return str(error).strip("'\"")
    return f"Something went wrong ({type(error).__name__}) — try again."


def in_step(
    body: str, *, css: str = "", kind: str = "", role: str = "", live: str = "",
) -> str:
    """``body`` (HTML from a template) in a step's frame, after the steps' look and ``css``.

    ``kind`` is a further class of the frame (``wb-feedback``), ``role`` and ``live``
    its ARIA role and live region, if any.

    >>> in_step(paragraph("Hi"), role="note")[-48:]
    "<div class='wb-step' role='note'><p>Hi</p></div>"
    """
    return render(
        "widgets/step/in_step.html.j2", css=Markup(STEP_CSS + css), body=Markup(body),
        kind=kind, role=role, live=live,
    )


def empty_note(text: str) -> str:
    """A quiet line saying there is nothing here yet, escaped."""
    return render("widgets/step/empty.html.j2", text=text)


def alert(text: str) -> str:
    """A problem, escaped, announced to screen readers."""
    return render("widgets/step/alert.html.j2", text=text)


def alert_line(widget: ipw.Widget) -> str | None:
    """The words of a form that is only a problem line (``<p role='alert'>``), else None.

    >>> alert_line(ipw.HTML("<p class='x' role='alert'>No case.</p>"))
    'No case.'
    """
    value = widget.value if isinstance(widget, ipw.HTML) else None
    if not isinstance(value, str) or "role='alert'" not in value:
        return None
    return " ".join(re.sub(r"<[^>]+>", " ", value).split())


def status(text: str) -> str:
    """A quiet confirmation, escaped, announced politely."""
    return render("widgets/step/status.html.j2", text=text)


def subheading(text: str) -> str:
    """A heading within a step (a fourth-level heading), escaped."""
    return render("widgets/step/subheading.html.j2", text=text)


def paragraph(text: str) -> str:
    return render("widgets/step/paragraph.html.j2", text=text)


def bullet_list(items: Iterable[str]) -> str:
    """Escaped items as a list; nothing at all when there are none."""
    return render("widgets/step/bullet_list.html.j2", items=list(items))


def child_name(case: Case) -> str:
    """The name the group uses for the child they are thinking about, or "the child"."""
    from systemic.graces import display_name, focal_child

    focal = focal_child(case)
    return display_name(case.person(focal)) if focal else "the child"


def prompt_html(prompt: Prompt, child: str, family_member: str = "the family") -> str:
    """A framework's prompt for a step: its title, guidance and questions with names filled in."""
    return render(
        "widgets/step/prompt.html.j2", title=prompt.title, guidance=prompt.guidance,
        items=list(prompt.filled_questions(child, family_member)),
    )


def framework_tools_html(framework: Framework, kind: str, heading: str) -> str:
    """What the framework itself says about a tool of ``kind`` (nothing when it has none)."""
    tools = [
        (heading.format(tool=tool.name), tool.description, list(tool.questions))
        for tool in framework.practice_tools if tool.kind == kind
    ]
    return render("widgets/step/framework_tools.html.j2", tools=tools)


def lines(text: str) -> list[str]:
    """The non-blank lines of a text box, trimmed: one list item a line.

    >>> lines(" Dad picks Maya up on time\\n\\n  Nan visits on Sundays ")
    ['Dad picks Maya up on time', 'Nan visits on Sundays']
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters with "…" where it was cut.

    >>> clip("Dad picks Maya up\\n  on time", 12)
    'Dad picks M…'
    >>> clip("Nan visits", 12)
    'Nan visits'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def walk(widget: ipw.Widget) -> Iterator[ipw.Widget]:
    """Every widget inside ``widget`` (itself included), depth first: for tests and checks."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def unavailable(error: Exception) -> ipw.HTML:
    """What a step shows when the session cannot be opened: one kind sentence."""
    return ipw.HTML(alert(problem_text(error)))


class _Panel(Protocol):
    def view(self) -> ipw.Widget: ...


def open_step(panel: Callable[..., _Panel], step_id: str, *args: object) -> ipw.Widget:
    """``panel(session, *args).view()`` on the session in progress, moved on to ``step_id``.

    Each step's entry function (``plan_step``, ``note_step``…) is this one
    call, so a store with no session yet (or one that cannot be opened) shows
    one kind sentence instead of a traceback.
    """
    try:
        return panel(resume_session(step_id), *args).view()
    except WorkbookError as e:
        return unavailable(e)
