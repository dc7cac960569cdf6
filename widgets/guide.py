"""The session notebook's guide: which session this kernel runs, where the group is, moving on.

The supervisor leads a whole session from one notebook in one kernel
(``notebooks/supervisor/session.ipynb``). The session started or resumed in
its first section is *the* session of that kernel for every later section
(:func:`current_session`), and is recorded in the store as the one the
supervisor is running, so participants' pages follow it. Each section is
:func:`step`: "Step 3 of 8: …", the step's forms (named in its YAML in the
step registry, :mod:`systemic.steps`) and one "Move the group on" button.
When another session is started or resumed, every section redraws itself
for it.

>>> from systemic.steps import step as registry_step
>>> move_label(registry_step("graces"))
'Move the group on to Step 5: Hypotheses'
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import ipywidgets as ipw

from systemic import steps
from systemic.errors import UnknownSession, WorkbookError
from systemic.html_templates import render
from systemic.session import SupervisorSession
from systemic.steps import Step
from systemic.store import Store
from systemic.store.location import StoreAddress, parse_store_address, resolve_store
from widgets.own_keys import OwnKeys
from widgets.step_base import STORE_ERRORS
from widgets.step_panel import alert, alert_line

__all__ = ["SESSION_ENV", "current_session", "choose", "forget", "step", "move_label",
           "kernel_store", "StepSection"]

#: A session named by the server (``serve --session``) when none has been chosen here.
SESSION_ENV = "SYSTEMIC_WORKBOOK_SESSION"

_lock = threading.RLock()
_stores: dict[tuple[StoreAddress, bool], Store] = {}
#: The session chosen in this kernel, per store file.
_chosen: dict[StoreAddress, str] = {}
_listeners: list[Callable[[], None]] = []


def kernel_store(readonly: bool = False,
                 path: Path | StoreAddress | None = None) -> Store:
    """This kernel's one handle on the session store (one per address and mode)."""
    path = parse_store_address(path) if path is not None else resolve_store(None)
    with _lock:
        held = _stores.get((path, readonly))
        if held is None or held._conn is None:
            held = _stores[(path, readonly)] = Store.open(path, readonly=readonly)
        return held


def current_session(*, readonly: bool = False,
                    path: Path | StoreAddress | None = None) -> SupervisorSession:
    """The session this notebook runs.

    The one started or resumed in this kernel; before that, the session the
    server names (``$SYSTEMIC_WORKBOOK_SESSION``: a workshop group's JupyterLab),
    else the one the supervisor was last running (recorded in the store), else
    the newest.

    Raises
    ------
    WorkbookError
        When there is no session yet, or the store cannot be opened.
    """
    path = parse_store_address(path) if path is not None else resolve_store(None)
    store = kernel_store(readonly, path)
    with _lock:
        session_id = (_chosen.get(path) or os.environ.get(SESSION_ENV) or None
                      or store.running_session())
        session = SupervisorSession.resume(store, session_id or None)
        _chosen[path] = session.session_id
    return session


def choose(session: SupervisorSession) -> None:
    """Make ``session`` the one this notebook (and the participants) follow; redraw every step."""
    session.run()
    with _lock:
        _chosen[session.store.address] = session.session_id
    _tell()


def forget() -> None:
    """Forget the chosen session and every store handle (for tests and a fresh start)."""
    with _lock:
        _chosen.clear()
        for store in _stores.values():
            store.close()
        _stores.clear()
        _listeners.clear()


def _tell() -> None:
    for listener in list(_listeners):
        listener()


def move_label(s: Step) -> str:
    """The one button that moves the group on from step ``s``."""
    nxt = s.next
    return f"Move the group on to Step {nxt.number}: {nxt.title}" if nxt else ""


def _call(name: str) -> ipw.Widget:
    module, function = name.split(":")
    made: ipw.Widget = getattr(importlib.import_module(module), function)()
    return made


class StepSection:
    """One step of the session notebook: where the group is, the step's forms, moving on."""

    def __init__(self, step_id: str):
        self.step = steps.step(step_id)
        self.where = ipw.HTML()
        self.body = ipw.VBox()
        self.message = ipw.HTML()
        self.move = ipw.Button(
            description=move_label(self.step), button_style="primary",
            layout=ipw.Layout(width="auto", display="" if self.step.next else "none"),
        )
        self.bring = ipw.Button(description="Show this step to the group",
                                layout=ipw.Layout(width="auto"))
        self.move.on_click(self._move_on)
        self.bring.on_click(self._bring_here)
        # A step's forms are drawn when the group gets there (or when asked): Run All then
        # draws one step, so the first form is ready sooner and the kernel stays small.
        self.peek = ipw.Button(description="Open this step here (the group stays where it is)",
                               layout=ipw.Layout(width="auto"))
        self.peek.on_click(self._open_here)
        self._session_id: str | None = None
        self._here = False
        self.view = ipw.VBox([OwnKeys(), self.where, self.bring, self.peek, self.body,
                              self.message, self.move])
        self.view.add_class("wb-step-section")
        _listeners.append(self.refresh)
        self.refresh()

    def _session(self) -> SupervisorSession | None:
        try:
            return current_session()
        except WorkbookError:
            return None

    def refresh(self) -> None:
        """Redraw the forms when the session changed or the group arrived; say where it is.

        The forms are drawn before the heading says "The group is on this step", so a
        page that sees those words sees the new forms too.
        """
        session = self._session()
        if session is None:
            if not self.step.follows_session:  # Step 1 is where the first session starts
                self.where.value = _heading(self.step, "Start a session here.")
                if not self.body.children:
                    self.body.children = tuple(self._forms())
            else:
                self.where.value = _heading(self.step, "Start or carry on with a session in "
                                            "Step 1 first; this step then opens here.")
                self.body.children = ()
            self.move.disabled = self.bring.disabled = True
            return
        try:
            at = session.store.session(session.session_id).current_step
        except UnknownSession:
            at = None
        here = at == self.step.id
        changed = session.session_id != self._session_id and self.step.follows_session
        # Arriving at a step redraws it: what earlier steps wrote (ideas, chosen questions)
        # shapes it, and every form saves as it goes, so nothing typed is lost.
        arrived = here and not self._here and self.step.follows_session
        self._here = here
        if changed:
            self._session_id = session.session_id
            self.body.children = ()
        if (changed or arrived or not self.body.children) and (here or self._opened(session)):
            self._session_id = session.session_id
            self.body.children = tuple(self._forms())
        self.peek.layout.display = "none" if self.body.children else ""
        self.where.value = _heading(self.step, _where_line(self.step, at))
        self.bring.layout.display = "none" if here else ""
        self.move.disabled = self.bring.disabled = False

    def _opened(self, session: SupervisorSession) -> bool:
        """Whether the forms stay drawn although the group is elsewhere (asked for, or Step 1)."""
        return not self.step.follows_session or (
            self._session_id == session.session_id and bool(self.body.children))

    def _open_here(self, _button: object = None) -> None:
        session = self._session()
        if session is not None:
            self._session_id = session.session_id
            self.body.children = tuple(self._forms())
            self.peek.layout.display = "none"

    def _forms(self) -> list[ipw.Widget]:
        """The step's forms; a kind line two forms both say (the case was erased) shows once."""
        out: list[ipw.Widget] = []
        said: set[str] = set()
        for name in self.step.widgets:
            try:
                made = _call(name)
            except WorkbookError as e:
                made = ipw.HTML(alert(str(e)))
            line = alert_line(made)
            if line is not None and line in said:
                continue
            said.add(line or "")
            out.append(made)
        return out

    def _go(self, step_id: str) -> None:
        session = self._session()
        if session is None:
            return
        try:
            session.go_to(step_id)
        except STORE_ERRORS as e:
            from widgets.step_base import not_saved_text

            self.message.value = alert(not_saved_text(e, typed=False))  # a button, no text
            return
        self.message.value = ""
        _tell()

    def _move_on(self, _button: object = None) -> None:
        if self.step.next is not None:
            self._go(self.step.next.id)

    def _bring_here(self, _button: object = None) -> None:
        self._go(self.step.id)


def _where_line(s: Step, at: str | None) -> str:
    """Where the group is, seen from step ``s``."""
    if at == s.id:
        return "The group is on this step."
    if at in steps.step_ids():
        return f"The group is on {steps.step(at).where}."
    return ""


def _heading(s: Step, line: str) -> str:
    return render("widgets/guide/heading.html.j2", where=s.where, line=line)


def step(step_id: str) -> ipw.Widget:
    """One section of the session notebook, ready to display: ``step("graces")``."""
    return StepSection(step_id).view
