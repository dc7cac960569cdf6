"""The supervisor's session: the one place a session is started, moved on and resumed.

Notebooks and the command line call this; it writes through the store at
once (there is no "save" button to forget), and the participants'
dashboards follow the store. Reading the same session back for display is
:func:`snapshot`.

>>> import tempfile, pathlib
>>> from systemic.cases import Case, Person
>>> from systemic.store import Store
>>> tmp = pathlib.Path(tempfile.mkdtemp()) / "s.db"
>>> case = Case(id="demo", title="A demo family", fictional=True,
...             people=[Person(id="amy", name="Amy", sex="female", born=2015)])
>>> with Store.open(tmp) as store:
...     s = SupervisorSession.start(store, framework_id="camden_practice_framework", case=case)
...     s.go_to("check_in")
...     snapshot(store, s.session_id).current_step
'check_in'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from systemic.cases import Case, stored_case
from systemic.errors import UnknownSession
from systemic.steps import step_ids, steps
from systemic.store import Store
from systemic.store.base import RUNNING_RECORD
from systemic.store.model import Participant, parse_participants

__all__ = ["SupervisorSession", "SessionSnapshot", "snapshot", "mark_running", "DEMO_TEAM"]

#: The ``team`` of the demonstration session `make demo` starts: training, not supervision,
#: so the team view leaves it out (as it leaves out workshop groups, ``workshop:<id>``).
DEMO_TEAM = "training:demo"

class SupervisorSession:
    """A session the supervisor leads; every method writes to the store straight away."""

    def __init__(self, store: Store, session_id: str):
        self.store = store
        self.session_id = session_id
        self._session = store.session(session_id)  # raises UnknownSession early

    @classmethod
    def start(
        cls,
        store: Store,
        *,
        framework_id: str,
        case: Case,
        participants: Iterable[Participant | Mapping[str, str]] = (),
        title: str | None = None,
        date: dt.date | None = None,
        team: str | None = None,
    ) -> SupervisorSession:
        """Create a session with one case discussion, on its first step, and run it.

        ``team`` is the team's name; :data:`DEMO_TEAM` marks the demonstration
        session, which the team view leaves out.
        """
        people = parse_participants(participants)
        supervisor = next((p.name for p in people if p.role == "supervisor"), None)
        case_data = case.model_dump(mode="json", by_alias=True)
        # A case built in code skips the file checks: one the store could not read back
        # (an ecomap connection with a person's id) is refused before anything is written.
        stored_case(case_data, f"case '{case.id}'")
        session_id = store.create_session(
            title or f"Group supervision: {case.title}",
            framework_id,
            date=date or dt.date.today(),
            team=team,
            supervisor=supervisor,
            participants=people,
        )
        store.add_discussion(session_id, case_data)
        store.update_session(session_id, current_step=steps()[0].id)
        return cls(store, session_id).run()

    @classmethod
    def resume(cls, store: Store, session_id: str | None = None) -> SupervisorSession:
        """Pick up a session: the given one, else the one running, else the newest.

        Only reads: :meth:`run` makes it the session participants follow.
        """
        if session_id is None:
            session_id = store.running_session()
        if session_id is None:
            sessions = store.list_sessions()
            if not sessions:
                raise UnknownSession(
                    "there are no sessions yet — start one in Step 1 of the session notebook"
                )
            session_id = sessions[0].id
        return cls(store, session_id)

    def run(self) -> SupervisorSession:
        """Make this the session the supervisor is running: participants' pages follow it."""
        mark_running(self.store, self.session_id)
        return self

    @property
    def discussion_id(self) -> str:
        """The session's case discussion (the first, if it had several).

        Raises
        ------
        UnknownSession
            When the session has none: its case was erased (``Store.erase_case``).
        """
        discussions = self.store.discussions(self.session_id)
        if not discussions:
            raise UnknownSession(
                "This session has no case any more (it was erased). Start a new session in "
                "Step 1, or carry on with another one there.")
        return discussions[0].id

    @property
    def case(self) -> Case:
        return stored_case(self.store.discussion(self.discussion_id).case_data)

    def go_to(self, step_id: str) -> None:
        """Move the whole group on to a step; participants' dashboards highlight it."""
        if step_id not in step_ids():
            raise ValueError(
                f"'{step_id}' is not a step — use one of: {', '.join(step_ids())}"
            )
        self.store.update_session(self.session_id, current_step=step_id)

    def select_person(self, person_id: str | None) -> None:
        """Point everyone at one person on the genogram ("follow the presenter")."""
        if person_id is not None and person_id not in self.case.people_by_id:
            raise ValueError(f"no one in this case has id '{person_id}'")
        self.store.update_session(self.session_id, selected_person=person_id)

    def rename(self, title: str) -> None:
        self.store.update_session(self.session_id, title=title)

    def set_participants(self, participants: Iterable[Participant | Mapping[str, str]]) -> None:
        self.store.update_session(self.session_id, participants=parse_participants(participants))


@dataclass(frozen=True)
class SessionSnapshot:
    """What a dashboard shows of a session at one moment (read-only, plain data)."""

    session_id: str
    title: str
    framework_id: str
    date: str | None
    current_step: str | None
    selected_person: str | None
    participants: tuple[Participant, ...]
    case: Case | None
    version: int
    extra: dict[str, Any] = field(default_factory=dict)


def snapshot(store: Store, session_id: str | None = None) -> SessionSnapshot | None:
    """Read one session (or the newest) for display; ``None`` when there is none yet."""
    if session_id is None:
        sessions = store.list_sessions()
        if not sessions:
            return None
        session_id = sessions[0].id
    s = store.session(session_id)
    discussions = store.discussions(session_id)
    case = stored_case(discussions[0].case_data) if discussions else None
    return SessionSnapshot(
        session_id=session_id,
        title=s.title,
        framework_id=s.framework_id,
        date=s.date.isoformat() if s.date else None,
        current_step=s.current_step,
        selected_person=s.selected_person,
        participants=tuple(s.participants),
        case=case,
        version=store.version(),
    )


def mark_running(store: Store, session_id: str) -> None:
    """Record that the supervisor is running ``session_id`` (one record on the session, renewed).

    >>> import tempfile, pathlib
    >>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "r.db")
    >>> first = store.create_session("Monday", "camden_practice_framework")
    >>> second = store.create_session("Tuesday", "camden_practice_framework")
    >>> mark_running(store, first)
    >>> store.running_session() == first
    True
    >>> store.close()
    """
    held = [r for r in store.records(session_id, RUNNING_RECORD) if r.discussion_id is None]
    payload = {"at": dt.datetime.now(dt.UTC).isoformat()}
    store.put_record(session_id, RUNNING_RECORD, payload, record_id=held[-1].id if held else None)
