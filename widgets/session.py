"""The supervisor's first screen: choose the framework, the case and who is here.

The panel only binds form fields to :class:`systemic.session.SupervisorSession`;
the check-in questions it shows come from the chosen framework's data.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from html import escape
from pathlib import Path

import ipywidgets as ipw

from systemic.cases import load_case
from systemic.errors import WorkbookError
from systemic.frameworks import list_frameworks
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.store.location import StoreAddress, resolve_store
from systemic.store.model import ROLES
from widgets.step_panel import bullet_list, paragraph

__all__ = ["StartPanel", "start_panel", "parse_participants"]


def parse_participants(text: str) -> list[dict[str, str]]:
    """Read "Name — role" lines; an unknown or missing role means the reflecting group.

    >>> [p["role"] for p in parse_participants("Sam - supervisor\\nPriya — presenter\\nAde")]
    ['supervisor', 'presenter', 'reflecting_group']
    """
    people = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("—", "–", " - ", ":", ","):
            if sep in line:
                name, role = (part.strip() for part in line.split(sep, 1))
                break
        else:
            name, role = line, ""
        role = role.lower().replace(" ", "_")
        people.append({"name": name[:40], "role": role if role in ROLES else "reflecting_group"})
    return people


def _case_files() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("*.yaml") if p.stem != "blank")


class StartPanel:
    """Form for starting (or resuming) a session, and the framework's check-in questions."""

    def __init__(self, store_path: Path | StoreAddress | None = None):
        self.store_path = store_path or resolve_store(None)
        self._lock = threading.Lock()
        self.frameworks = {f.id: f for f in list_frameworks()}
        self.framework = ipw.Dropdown(
            options=[(f.name, f.id) for f in self.frameworks.values()],
            description="Framework",
            style={"description_width": "8rem"},
        )
        self.case = ipw.Dropdown(
            options=[(load_case(p).title, str(p)) for p in _case_files()],
            description="Case",
            style={"description_width": "8rem"},
        )
        self.date = ipw.DatePicker(
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
        self.status = ipw.HTML()
        self.check_in = ipw.HTML()
        self.start_button.on_click(self._start)
        self.framework.observe(self._show_check_in, names="value")
        self._show_check_in()
        self.session: SupervisorSession | None = None
        resume = os.environ.get("SYSTEMIC_WORKBOOK_SESSION")
        if resume and self.store_path.exists():
            self.status.value = (
                "<p>A session is already running for this workbook; starting a new one "
                "keeps it in the store.</p>"
            )

    def _show_check_in(self, _change: object = None) -> None:
        framework = self.frameworks.get(self.framework.value)
        if framework is None:
            self.check_in.value = ""
            return
        prompt = framework.prompt("check_in")
        self.check_in.value = (
            f"<h3>Check-in questions from {escape(framework.name)}</h3>"
            + (paragraph(prompt.guidance) if prompt else "")
            + bullet_list(framework.check_in.questions)
        )

    def _start(self, _button: object = None) -> None:
        # Under ipykernel 7 this runs on a comm thread; the lock keeps double clicks apart.
        with self._lock:
            try:
                case = load_case(self.case.value)
                store = Store.open(self.store_path)
                self.session = SupervisorSession.start(
                    store,
                    framework_id=self.framework.value,
                    case=case,
                    participants=parse_participants(self.participants.value),
                    date=self.date.value,
                )
            except WorkbookError as e:
                self.status.value = f"<p role='alert'>{escape(str(e))}</p>"
                return
            self.status.value = (
                f"<p>Session started and saved. Participants will see it now. "
                f"(Store: {escape(str(self.store_path))})</p>"
            )

    def view(self) -> ipw.VBox:
        return ipw.VBox(
            [self.framework, self.case, self.date, self.participants, self.start_button,
             self.status, self.check_in]
        )


def start_panel(store_path: Path | None = None) -> ipw.VBox:
    """The start-of-session form, ready to display."""
    return StartPanel(store_path).view()
