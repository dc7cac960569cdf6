"""What the session store hands back: sessions, case discussions, records and changes.

Every read returns a frozen dataclass rather than a database row, so that
widgets and exports depend on the domain's names and not on the table layout.
Payloads and case copies are plain dicts decoded afresh on each read: changing
one changes nothing until it is written back with the store.

>>> Participant.parse({"name": "Sam", "role": "presenter"})
Participant(name='Sam', role='presenter')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from systemic.errors import WorkbookError
from systemic.steps import record_kinds

__all__ = [
    "KNOWN_KINDS",
    "ROLES",
    "MAX_NAME_LENGTH",
    "Participant",
    "SessionSummary",
    "Session",
    "Discussion",
    "Record",
    "Change",
    "parse_participants",
]

#: The kinds of record a case discussion (or a whole session) can hold, one per
#: kind of thing a session step produces, taken from the step registry
#: (:mod:`systemic.steps`). A new step declares its kinds there; the table
#: layout does not change.
KNOWN_KINDS: tuple[str, ...] = record_kinds()

#: Roles in group supervision, after Proctor's "Bells that ring" process as
#: adapted by Dugmore et al. (2018): who leads, who brings the case, who
#: consults, who reflects, who turns ideas into actions and who watches.
ROLES: tuple[str, ...] = (
    "supervisor",
    "presenter",
    "consultant",
    "reflecting_group",
    "action_planner",
    "observer",
)

#: Participants are recorded by first name or initials only; a longer entry
#: is probably a full name, which the record should not hold.
MAX_NAME_LENGTH = 40


@dataclass(frozen=True)
class Participant:
    """One person in the group, by first name or initials, with their role.

    >>> Participant("J.K.", "reflecting_group").role
    'reflecting_group'
    """

    name: str
    role: str = "reflecting_group"

    def __post_init__(self) -> None:
        name = self.name.strip() if isinstance(self.name, str) else ""
        if not name:
            raise WorkbookError("A participant has no name — write their first name or initials.")
        if len(name) > MAX_NAME_LENGTH:
            raise WorkbookError(
                f"The participant name '{name[:20]}…' is longer than {MAX_NAME_LENGTH} "
                "characters — write a first name or initials only."
            )
        if self.role not in ROLES:
            raise WorkbookError(
                f"'{self.role}' is not a supervision role — use one of: {', '.join(ROLES)}."
            )
        object.__setattr__(self, "name", name)

    @classmethod
    def parse(cls, value: Participant | Mapping[str, Any] | tuple[str, str] | str) -> Participant:
        """Accept a participant, a ``{"name", "role"}`` mapping, a pair or a bare name.

        >>> Participant.parse(("AB", "observer"))
        Participant(name='AB', role='observer')
        """
        if isinstance(value, Participant):
            return value
        if isinstance(value, str):
            return cls(value)
        if isinstance(value, Mapping):
            unknown = set(value) - {"name", "role"}
            if unknown:
                raise WorkbookError(
                    f"A participant has '{sorted(unknown)[0]}', which the workbook does not "
                    "keep — give only a name and a role."
                )
            return cls(value.get("name", ""), value.get("role", "reflecting_group"))
        if isinstance(value, tuple) and len(value) == 2:
            return cls(value[0], value[1])
        raise WorkbookError(
            f"A participant was given as {value!r} — give a name and a role, "
            "like {'name': 'Sam', 'role': 'presenter'}."
        )

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


def parse_participants(values: Iterable[Any]) -> tuple[Participant, ...]:
    """Turn what the caller gave into participants, refusing two with the same name.

    Two people with the same initials could not be told apart when the group
    follows "the selected person", so they must be distinguished.

    >>> [p.name for p in parse_participants(["Sam", ("Jo", "presenter")])]
    ['Sam', 'Jo']
    """
    if isinstance(values, str | Mapping):
        raise WorkbookError(
            "Participants must be a list — write one entry per person, even for one person."
        )
    people = tuple(Participant.parse(v) for v in values)
    seen: set[str] = set()
    for p in people:
        if p.name.casefold() in seen:
            raise WorkbookError(
                f"Two participants are both called '{p.name}' — add a letter so the group "
                "can tell them apart."
            )
        seen.add(p.name.casefold())
    return people


@dataclass(frozen=True)
class SessionSummary:
    """One line of the list of sessions: enough to choose one."""

    id: str
    title: str
    date: date
    framework_id: str
    team: str | None
    discussion_count: int
    created: datetime
    ended: datetime | None


@dataclass(frozen=True)
class Session:
    """One group supervision meeting and where the group has got to.

    ``current_step`` and ``selected_person`` are what participants' views
    follow: the step on the screen and the person the supervisor has picked
    (a family member in the genogram, usually).
    """

    id: str
    title: str
    date: date
    framework_id: str
    team: str | None
    supervisor: str | None
    participants: tuple[Participant, ...]
    current_step: str | None
    selected_person: str | None
    created: datetime
    updated: datetime
    ended: datetime | None

    @property
    def is_ended(self) -> bool:
        return self.ended is not None


@dataclass(frozen=True)
class Discussion:
    """One case discussed in a session, with the session's own copy of the case."""

    id: str
    session_id: str
    case_id: str
    fictional: bool
    case_data: dict[str, Any] = field(compare=False, repr=False)
    created: datetime
    updated: datetime

    @property
    def title(self) -> str:
        return str(self.case_data.get("title", self.case_id))


@dataclass(frozen=True)
class Record:
    """One thing a step produced: a hypothesis, a grace, a question, a plan item…

    ``discussion_id`` is None for records that belong to the whole session,
    such as the check-in when no case has been chosen yet.
    """

    id: str
    session_id: str
    discussion_id: str | None
    kind: str
    payload: dict[str, Any]
    created: datetime
    updated: datetime


@dataclass(frozen=True)
class Change:
    """One entry of the change feed: which thing moved, and how.

    ``kind`` is a record kind, or ``"session"``, ``"discussion"`` or
    ``"case"``; ``action`` is ``created``, ``updated``, ``deleted``,
    ``ended``, ``reopened`` or ``erased``. Changes carry ids, never content: a viewer reads
    the content itself.
    """

    seq: int
    session_id: str | None
    discussion_id: str | None
    record_id: str | None
    kind: str
    action: str
    at: datetime
    #: The session's version this change made (see ``Store.session_version``).
    version: int | None = None
