"""The supervisor's first screen: choose the framework, the case and who is here.

The panel only binds form fields to :class:`systemic.session.SupervisorSession`;
the check-in questions it shows come from the chosen framework's data.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as ipw

from systemic.cases import load_case
from systemic.dates import long_date
from systemic.errors import WorkbookError
from systemic.frameworks import list_frameworks
from systemic.html_templates import render
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store.location import StoreAddress, resolve_store
from systemic.store.model import MAX_NAME_LENGTH, ROLES
from widgets.guide import choose, current_session, kernel_store
from widgets.step_base import STORE_ERRORS, not_saved_text
from widgets.step_panel import alert
from widgets.uk_date import UKDatePicker

__all__ = ["StartPanel", "start_panel", "parse_participants", "participant_notes"]


def parse_participants(text: str) -> list[dict[str, str]]:
    """Read "Name — role" lines; an unknown or missing role means the reflecting group.

    >>> [p["role"] for p in parse_participants("Sam - supervisor\\nPriya — presenter\\nAde")]
    ['supervisor', 'presenter', 'reflecting_group']
    """
    people = []
    for name, role in _lines(text):
        people.append({"name": name[:MAX_NAME_LENGTH],
                       "role": role if role in ROLES else "reflecting_group"})
    return people


def _lines(text: str) -> list[tuple[str, str]]:
    """(name, role word as ROLES spells it) for each line that is not empty; a known role
    may also be written in brackets, "Cal (observer)".

    >>> _lines("Cal (observer)\\nJo (Sam's manager)")
    [('Cal', 'observer'), ("Jo (Sam's manager)", '')]
    """
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        bracketed = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", line)
        for sep in ("—", "–", " - ", ":", ","):
            if sep in line:
                name, role = (part.strip() for part in line.split(sep, 1))
                break
        else:
            name, role = line, ""
            if bracketed and _role_word(bracketed.group(2)) in ROLES:
                name, role = bracketed.group(1), bracketed.group(2)
        out.append((name, _role_word(role)))
    return out


def _role_word(role: str) -> str:
    return role.strip().lower().replace(" ", "_")


def participant_notes(text: str) -> list[str]:
    """What :func:`parse_participants` made of a role it did not know or a long name, in
    kind words: a mistyped "supervisr" would otherwise go on the child's file as "in the
    reflecting group".

    >>> participant_notes("Sam — supervisr")[0][:59]
    "Sam is in the reflecting group: 'supervisr' is not one of t"
    >>> participant_notes("Sam — supervisor")
    []
    """
    roles = ", ".join(r.replace("_", " ") for r in ROLES)
    notes = []
    for name, role in _lines(text):
        short = name[:MAX_NAME_LENGTH]
        if role and role not in ROLES:
            notes.append(f"{short} is in the reflecting group: '{role.replace('_', ' ')}' is "
                         f"not one of the roles ({roles}). Change it above and start again "
                         "if that is wrong.")
        if len(name) > MAX_NAME_LENGTH:
            notes.append(f"{short}… was shortened to {MAX_NAME_LENGTH} letters: a first name "
                         "or initials is enough.")
    return notes


def _case_files() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("*.yaml") if p.stem != "blank")


class StartPanel:
    """Form for starting (or resuming) a session, and the framework's check-in questions."""

    def __init__(self, store_path: Path | StoreAddress | None = None):
        self.store_path = store_path or resolve_store(None)
        self._lock = threading.Lock()
        self.frameworks = {f.id: f for f in list_frameworks()}
        # Wide enough for the longest council's name ("Barking & Dagenham Cares: …").
        self.framework = ipw.Dropdown(
            options=[(f.name, f.id) for f in self.frameworks.values()],
            description="Framework",
            style={"description_width": "8rem"}, layout=ipw.Layout(width="40rem"),
        )
        self.case = ipw.Dropdown(
            options=[(load_case(p).title, str(p)) for p in _case_files()],
            description="Case",
            style={"description_width": "8rem"}, layout=ipw.Layout(width="40rem"),
        )
        self.date = UKDatePicker(
            value=dt.date.today(), description="Date", style={"description_width": "8rem"}
        )
        self.participants = ipw.Textarea(
            placeholder="One person a line: Name — role (supervisor, presenter, consultant, "
            "reflecting group, action planner, observer)",
            description="Who is here",
            layout=ipw.Layout(width="40rem", height="8rem"),
            style={"description_width": "8rem"},
        )
        self.start_button = ipw.Button(description="Start the session", button_style="primary")
        self.earlier = ipw.Dropdown(description="Or carry on", style={"description_width": "8rem"},
                                    layout=ipw.Layout(width="40rem"))
        self.resume_button = ipw.Button(description="Carry on with this session",
                                        layout=ipw.Layout(width="fit-content"))
        self.reopen_button = ipw.Button(description="Reopen the session",
                                        tooltip="Open an ended session again, to change it",
                                        layout=ipw.Layout(width="fit-content"))
        self.status = ipw.HTML()
        self.check_in = ipw.HTML()
        self.start_button.on_click(self._start)
        self.resume_button.on_click(self._resume)
        self.reopen_button.on_click(self._reopen)
        self.framework.observe(self._show_check_in, names="value")
        self._show_check_in()
        self.session: SupervisorSession | None = None
        self._list_sessions()

    def _list_sessions(self) -> None:
        """The sessions in the store, the one running first, to carry on with."""
        try:
            current = current_session(path=self.store_path)
            sessions = current.store.list_sessions()
        except WorkbookError:
            self.earlier.options, self.earlier.disabled = [("No sessions yet", "")], True
            self.resume_button.disabled = self.reopen_button.disabled = True
            return
        options = [(f"{s.title} ({long_date(s.date)}{', ended' if s.ended else ''})", s.id)
                   for s in sessions]
        self.earlier.options = options
        self.earlier.value = current.session_id
        # A new session most likely follows the council's framework of the one running: the
        # check-in questions below are then the ones the group will see in Step 2.
        framework_id = current.store.session(current.session_id).framework_id
        if framework_id in self.frameworks:
            self.framework.value = framework_id
        self.earlier.disabled = self.resume_button.disabled = self.reopen_button.disabled = False
        self.status.value = render("widgets/session/now_running.html.j2",
                                   title=_title(current))

    def _show_check_in(self, _change: object = None) -> None:
        framework = self.frameworks.get(self.framework.value)
        if framework is None:
            self.check_in.value = ""
            return
        prompt = framework.prompt("check_in")
        self.check_in.value = render(
            "widgets/session/check_in.html.j2", framework=framework.name,
            guidance=prompt.guidance if prompt else None,
            items=list(framework.check_in.questions),
        )

    def _start(self, _button: object = None) -> None:
        # Under ipykernel 7 this runs on a comm thread; the lock keeps double clicks apart.
        with self._lock:
            if self.date.value is None:
                self.status.value = alert("Write the date of the session, like 7 December 2026.")
                return
            try:
                case = load_case(self.case.value)
                store = kernel_store(path=self.store_path)
                session = SupervisorSession.start(
                    store,
                    framework_id=self.framework.value,
                    case=case,
                    participants=parse_participants(self.participants.value),
                    date=self.date.value,
                )
            except STORE_ERRORS as e:
                self.status.value = alert(not_saved_text(e))
                return
            self._now_running(session, "Session started and saved. Participants see it now.",
                              participant_notes(self.participants.value))

    def _resume(self, _button: object = None) -> None:
        with self._lock:
            if not self.earlier.value:
                return
            try:
                store = kernel_store(path=self.store_path)
                session = SupervisorSession.resume(store, self.earlier.value)
                session.run()
            except STORE_ERRORS as e:
                self.status.value = alert(not_saved_text(e, typed=False))
                return
            self._now_running(session, "Carrying on with this session. Participants see it now.")

    def _reopen(self, _button: object = None) -> None:
        """Open the chosen (ended) session again and carry on with it."""
        with self._lock:
            if not self.earlier.value:
                return
            try:
                store = kernel_store(path=self.store_path)
                if store.session(self.earlier.value).ended is not None:
                    store.reopen_session(self.earlier.value)
                session = SupervisorSession.resume(store, self.earlier.value)
                session.run()
            except STORE_ERRORS as e:
                self.status.value = alert(not_saved_text(e, typed=False))
                return
            self._now_running(session, "The session is open again: changes are saved as "
                                       "before. Participants see it now.")

    def _now_running(self, session: SupervisorSession, said: str,
                     notes: Sequence[str] = ()) -> None:
        self.session = session
        choose(session)
        self._list_sessions()
        self.status.value = render(
            "widgets/session/started.html.j2", said=said, title=_title(session),
            where=session.store.address.where, notes=notes,
        )

    def view(self) -> ipw.VBox:
        return ipw.VBox(
            [self.status, self.framework, self.case, self.date, self.participants,
             self.start_button,
             ipw.HBox([self.earlier, self.resume_button, self.reopen_button],
                      layout=ipw.Layout(flex_flow="row wrap")),
             self.check_in]
        )


def _title(session: SupervisorSession) -> str:
    info = session.store.session(session.session_id)
    return f"{info.title}, {long_date(info.date)}"


def start_panel(store_path: Path | None = None) -> ipw.VBox:
    """The start-of-session form, ready to display."""
    return StartPanel(store_path).view()
