"""One live-view engine for every read-only page that follows the store.

The participants' dashboard (:class:`systemic.dashboard.SessionView`) and the
trainer's plenary (:class:`systemic.workshop.breakout.PlenaryView`) both
follow the store's change feed and redraw only the sections a change touched.
What they share lives here, once:

- :class:`ChangeFeed` — the change feed as a page reads it, with the one limit
  (:data:`MAX_CHANGES`) beyond which a page is simply read again whole;
- :func:`parts_for_kind` — which sections a kind of change touches, from the
  step registry (:mod:`systemic.steps`), and :func:`touched` — a batch of
  changes as ``{session id: sections}``;
- :class:`SectionReader` — one session's case, naming and settings, and the
  readers of each section the steps feed (a method named after the section),
  rendered by :mod:`systemic.dashboard`.

>>> sorted(parts_for_kind("session"))
['header', 'highlight', 'selected', 'step']
>>> sorted(parts_for_kind("hypothesis")), parts_for_kind("checkin"), parts_for_kind("case")
(['hypotheses'], frozenset(), None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from systemic import steps
from systemic.errors import UnknownSession, WorkbookError
from systemic.store import Change, Store

__all__ = [
    "MAX_CHANGES",
    "SESSION_PARTS",
    "READ_ERRORS",
    "ChangeFeed",
    "SectionReader",
    "parts_for_kind",
    "touched",
]

#: More unread changes than this and a page is simply read again whole.
MAX_CHANGES = 500
#: What a change of the session row (title, step, selected person) touches; no redraw of
#: any section.
SESSION_PARTS = frozenset(("header", "selected", "highlight", "step"))
#: What a section reader may raise for a record it cannot read: the section then says
#: "could not be shown", the page keeps following.
READ_ERRORS = (WorkbookError, ValidationError, KeyError, ValueError)


def parts_for_kind(kind: str) -> frozenset[str] | None:
    """The sections a change of ``kind`` touches; None when it touches everything.

    A record redraws the section its step declares (check-ins and notes,
    none). A change of the case, a new discussion, a session-wide ``tag``
    (the dashboard's settings) or a kind not known touches everything,
    because the family and how people are named come from them.
    """
    if kind == "session":
        return SESSION_PARTS
    if kind == "running":  # the supervisor switched session: each view notices it itself
        return frozenset()
    if kind in steps.SESSION_KINDS:
        return None
    for step in steps.steps():
        if kind in step.record_kinds:
            section = steps.section_for_kind(kind)
            return frozenset((section,)) if section else frozenset()
    return None


def touched(changes: Iterable[Change], everything: frozenset[str]) -> dict[str | None, set[str]]:
    """Which sections of which session a batch of changes touches.

    A change that touches everything gives ``everything`` (the page's own
    full set of parts).

    >>> import datetime as dt
    >>> change = Change(1, "s1", "d1", "r1", "hypothesis", "created", dt.datetime.now())
    >>> touched([change], frozenset({"all"}))
    {'s1': {'hypotheses'}}
    """
    out: dict[str | None, set[str]] = {}
    for change in changes:
        parts = parts_for_kind(change.kind)
        out.setdefault(change.session_id, set()).update(everything if parts is None else parts)
    return {k: v for k, v in out.items() if v}


class ChangeFeed:
    """The store's change feed as a page reads it: since the last look, or "read it all".

    A page that follows one given session (a room on the hub, ``serve
    --session``) reads that session's own feed: its version is bumped in each
    edit's transaction under the session's lock, so it counts commits in the
    order they happened on any store. A page that follows whichever session
    the supervisor runs, or a plenary of several, reads the store's feed,
    which the store also keeps in commit order.

    >>> import tempfile, pathlib
    >>> with Store.open(pathlib.Path(tempfile.mkdtemp()) / "f.db") as store:
    ...     feed = ChangeFeed(store)
    ...     feed.start()
    ...     sid = store.create_session("Tuesday", "camden_practice_framework")
    ...     own = ChangeFeed(store, sid)
    ...     own.start()
    ...     store.update_session(sid, title="Tuesday group")
    ...     [c.kind for c in feed.next()], feed.next(), [c.version for c in own.next()]
    (['session', 'session'], [], [2])
    """

    def __init__(self, store: Store, session_id: str | None = None):
        self.store = store
        self.session_id = session_id
        self.seen = 0

    def start(self) -> None:
        """Look from now on (after reading the whole page)."""
        if self.session_id is None:
            self.seen = self.store.version()
            return
        try:
            self.seen = self.store.session_version(self.session_id)
        except UnknownSession:  # not started yet: everything it will do is new
            self.seen = 0

    def next(self) -> list[Change] | None:
        """Changes since the last look ([] for none); None when so many that the page
        should be read again whole."""
        if self.session_id is None:
            changes = self.store.changes_since(self.seen, limit=MAX_CHANGES + 1)
        else:
            changes = self.store.session_changes(self.session_id, self.seen,
                                                 limit=MAX_CHANGES + 1)
        if len(changes) > MAX_CHANGES:
            return None
        if changes:
            last = changes[-1]
            self.seen = last.seq if self.session_id is None else int(last.version or 0)
        return list(changes)


class SectionReader:
    """One session as participants see it: its case, how people are named, and each section.

    Used for the dashboard's one session and for each group of a plenary.
    :meth:`resolve` (re)reads the case, settings and grace labels; :meth:`render`
    draws one section (HTML, or the SVG for ``genogram``), or says it could not.
    """

    #: The sections a reader can draw.
    SECTIONS: tuple[str, ...] = steps.sections()

    def __init__(self, store: Store, session_id: str | None, wording: Any = None):
        from systemic.dashboard import DashboardSettings, Naming, load_wording

        self.store = store
        self.session_id = session_id
        self.wording = wording or load_wording()
        self.discussion_id: str | None = None
        self.case: Any = None
        self.settings = DashboardSettings()
        self.naming = Naming.for_case(None, wording=self.wording)
        self.grace_labels: dict[str, str] = {}

    def resolve(self) -> None:
        """(Re)read the session's case, the dashboard settings and the grace labels."""
        from systemic.cases import stored_case
        from systemic.dashboard import DashboardSettings, Naming, load_dashboard_settings

        self.discussion_id, self.case = None, None
        self.settings = DashboardSettings()
        if self.session_id is not None:
            try:
                discussions = self.store.discussions(self.session_id)
                if discussions:
                    self.discussion_id = discussions[0].id
                    self.case = stored_case(discussions[0].case_data)
                self.settings = load_dashboard_settings(self.store, self.session_id)
            except (*READ_ERRORS, UnknownSession):
                self.case = None
        self.naming = Naming.for_case(self.case, self.settings, self.wording)
        self.read_grace_labels()

    def read_grace_labels(self) -> None:
        """The labels of the graces this discussion uses (its own list, or the vocabulary's)."""
        from systemic.graces import load_grace_list

        owner = self.discussion_id or self.session_id
        self.grace_labels = (
            {g.id: g.label for g in load_grace_list(self.store, owner).graces()} if owner else {}
        )

    def render(self, name: str) -> str:
        """One section, as it is now; a section that cannot be read says so, never raises."""
        from systemic.dashboard import render_unavailable

        reader: Callable[[], str] | None = getattr(self, name, None) if (
            name in self.SECTIONS) else None
        if reader is None:
            return render_unavailable(name, self.wording)
        try:
            return reader()
        except READ_ERRORS:
            return "" if name == "genogram" else render_unavailable(name, self.wording)

    # -- the section readers

    def genogram(self) -> str:
        from systemic.dashboard import render_genogram

        if self.case is None or not self.case.people:
            return ""
        return render_genogram(self.case, self.naming)

    def ecomap(self) -> str:
        from systemic.dashboard import render_ecomap

        return render_ecomap(self.case, self.naming, wording=self.wording)

    def graces(self) -> str:
        from systemic.dashboard import render_graces
        from systemic.graces import load_entries

        entries = load_entries(self.store, self.discussion_id) if self.discussion_id else []
        return render_graces(entries, self.naming, share_staff=self.settings.share_staff_graces,
                             grace_labels=self.grace_labels, wording=self.wording)

    def hypotheses(self) -> str:
        from systemic.dashboard import render_hypotheses

        found = steps.step("hypotheses").read(self.store, self.discussion_id) if (
            self.discussion_id) else []
        return render_hypotheses(found, self.naming, grace_labels=self.grace_labels,
                                 wording=self.wording)

    def questions(self) -> str:
        from systemic.dashboard import chosen_payloads, render_questions

        found = chosen_payloads(self.store, self.discussion_id) if self.discussion_id else []
        return render_questions(found, self.naming, wording=self.wording)

    def uncertainty(self) -> str:
        from systemic.dashboard import render_uncertainty
        from systemic.uncertainty import load_placements

        found = load_placements(self.store, self.discussion_id) if self.discussion_id else []
        return render_uncertainty(found, self.naming, wording=self.wording)

    def plan(self) -> str:
        from systemic.dashboard import render_plan
        from systemic.plan import Plan, load_plan

        plan = load_plan(self.store, self.discussion_id) if self.discussion_id else Plan()
        return render_plan(plan, self.naming, wording=self.wording)
