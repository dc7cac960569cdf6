"""One base for the supervisor's step widgets: the session, its framework, one lock, safe saving.

Every step form needs the same few things: the session it works on (the one
the supervisor started or resumed in this notebook), the framework that
session uses, one lock (ipykernel 7 may run button callbacks on another
thread) and a way to save that never pretends. :class:`StepWidget` gives
them once. :meth:`StepWidget.saving` wraps a save: any store failure (a full
disk, a read-only or locked file, or a :class:`~systemic.errors.WorkbookError`)
shows one kind line in the step and leaves every field as it was typed.

The words themselves have one home, :func:`systemic.store.failures.not_saved`;
this module only asks for the form that fits (typed text, or a click):

>>> not_saved_text(sqlite3.OperationalError("database or disk is full"))
'Not saved: the disk is full. Your text is still here — free some space, then try again.'
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import ipywidgets as ipw

from systemic.errors import NotSaved, WorkbookError
from systemic.frameworks import Framework, get_framework
from systemic.session import SupervisorSession
from systemic.store import Session
from systemic.store.failures import not_saved

__all__ = ["STORE_ERRORS", "StepWidget", "Saved", "not_saved_text"]

#: What a save can raise: our own refusals, and whatever the store's engine or disk raises.
STORE_ERRORS: tuple[type[BaseException], ...] = (
    WorkbookError, sqlite3.Error, OSError, ValueError, KeyError,
)


def not_saved_text(error: BaseException, *, typed: bool = True) -> str:
    """One kind line saying nothing was saved and why; typed text is kept.

    ``typed=False`` is for a click, tick or choice: the line then says nothing
    about typed text, as there was none. The store's and the disk's own errors
    are worded by :func:`systemic.store.failures.not_saved`, as the store's are.

    >>> not_saved_text(sqlite3.OperationalError("disk I/O error"), typed=False)
    'Not saved: the disk could not be written — check the disk, then try again.'
    """
    from widgets.step_panel import problem_text

    if isinstance(error, sqlite3.Error | OSError):
        error = not_saved(error)
    if isinstance(error, NotSaved):
        return str(error) if typed else error.untyped
    return problem_text(error) if isinstance(error, Exception) else str(error)


@dataclass
class Saved:
    """What :meth:`StepWidget.saving` found: ``ok`` is False when nothing was saved."""

    ok: bool = True
    problem: str = ""


class StepWidget:
    """What each supervisor step shares; a step calls ``super().__init__(session)`` first.

    Gives ``session``, ``store``, ``session_info`` (the stored session),
    ``framework``, ``discussion_id`` (asked of a session with no case, it raises the
    session's one kind line),
    ``message`` (where kind lines go) and ``_lock``.
    """

    def __init__(self, session: SupervisorSession):
        self.session = session
        self.store = session.store
        self._lock = threading.RLock()
        self.session_info: Session = self.store.session(session.session_id)
        self.framework: Framework = get_framework(self.session_info.framework_id)
        discussions = self.store.discussions(session.session_id)
        self._discussion_id = discussions[0].id if discussions else None
        if not hasattr(self, "message"):
            self.message = ipw.HTML()

    @property
    def discussion_id(self) -> str:
        """The session's case discussion; a step that needs one, in a session whose case was
        erased, stops with the session's one kind line (:class:`~systemic.errors.UnknownSession`)
        instead of asking the store for a case discussion called ''."""
        if self._discussion_id is None:
            return self.session.discussion_id
        return self._discussion_id

    @contextmanager
    def saving(self, message: ipw.HTML | None = None, *, typed: bool = True
               ) -> Iterator[Saved]:
        """Run a save under the step's lock; a failure shows one kind line and is swallowed.

        Use as ``with self.saving() as saved: ...`` then ``if saved.ok:`` clear
        the form. Nothing typed is touched when it fails. ``typed=False`` for a
        click, tick or choice: the line then does not talk of typed text.
        """
        from widgets.step_panel import alert

        outcome = Saved()
        with self._lock:
            try:
                yield outcome
            except STORE_ERRORS as e:
                outcome.ok, outcome.problem = False, not_saved_text(e, typed=typed)
                (message if message is not None else self.message).value = alert(outcome.problem)
