"""The workbook's own errors, each carrying a sentence a supervisor can act on.

Errors name the file, the field and the fix, so that the command line and the
notebooks can show one line per problem instead of a traceback.

>>> p = Problem("case_templates/x.yaml", "people[2].born",
...             '"19x0" is not a year — write it like 1984')
>>> str(p)
'case_templates/x.yaml: people[2].born: "19x0" is not a year — write it like 1984'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Problem",
    "WorkbookError",
    "DataFileError",
    "ImpossibleFamily",
    "ReadOnlyStore",
    "UnknownSession",
    "NotSaved",
    "StoreUnavailable",
    "SessionEnded",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where it is and how to put it right."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.file}: {self.field}: {self.message}"
        return f"{self.file}: {self.message}"


class WorkbookError(Exception):
    """Base of every error the workbook raises on purpose."""


class DataFileError(WorkbookError):
    """A framework, case or vocabulary file could not be used.

    ``problems`` holds one :class:`Problem` per thing to fix; ``str(error)``
    is those problems, one per line.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ImpossibleFamily(WorkbookError):
    """A genogram edit or case would describe a family that cannot exist.

    ``people`` names the ids involved so the drawing can highlight them.
    """

    def __init__(self, message: str, people: tuple[str, ...] = ()):
        self.people = tuple(people)
        super().__init__(message)


class ReadOnlyStore(WorkbookError):
    """A write was tried through a store opened for reading only (a participant's view)."""


class UnknownSession(WorkbookError):
    """A session or case id was asked for that the store does not hold."""


class NotSaved(WorkbookError):
    """A write reached the store and the store could not keep it (full disk, read-only, busy).

    The message is one kind line that says nothing was saved and that what was
    typed is still on the screen, e.g. "Not saved: the disk is full. Your text
    is still here — free some space, then try again." ``untyped`` is the same
    line for a change where nothing was typed (a click, a tick, a choice), which
    must not talk about text; it is the message itself when that never mentions text.

    >>> NotSaved("Not saved: no.").untyped
    'Not saved: no.'
    """

    def __init__(self, message: str, untyped: str | None = None):
        self.untyped = untyped if untyped is not None else message
        super().__init__(message)


class StoreUnavailable(WorkbookError):
    """The session store cannot be opened: the line names the path, the cause and the fix."""


class SessionEnded(NotSaved):
    """A change to a session that has ended; the line says how to reopen it."""
