"""What went wrong with the store, in one line a supervisor can act on.

A database error is a code and a terse English phrase ("database or disk is
full"); a supervisor needs to know that nothing was saved, that what they
typed is still on the screen, and what to do. :func:`not_saved` turns any
error raised by a write into :class:`~systemic.errors.NotSaved`;
:func:`cannot_open` turns a failure to open the store into
:class:`~systemic.errors.StoreUnavailable`, naming the path, the cause and the
fix (permissions, free space, another ``--store``).

>>> import sqlite3
>>> str(not_saved(sqlite3.OperationalError("database or disk is full")))
'Not saved: the disk is full. Your text is still here — free some space, then try again.'
>>> cause_of(sqlite3.OperationalError("attempt to write a readonly database"))
'read-only'
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from systemic.errors import NotSaved, StoreUnavailable

__all__ = [
    "cause_of", "not_saved", "cannot_open", "folder_is_read_only", "disk_is_full",
    "FIX_ELSEWHERE",
]

#: The usual fix when a store cannot be used where it is.
FIX_ELSEWHERE = "or choose another store with --store"

# SQLite's primary result codes (https://sqlite.org/rescode.html).
_SQLITE_CAUSES = {
    3: "read-only",  # SQLITE_PERM
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "io",  # SQLITE_IOERR
    11: "damaged",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    14: "cannot-open",  # SQLITE_CANTOPEN
    26: "not-a-store",  # SQLITE_NOTADB
}

# The same causes from PostgreSQL's SQLSTATE codes and from the operating system.
_SQLSTATE_CAUSES = {
    "53100": "full",  # disk_full
    "25006": "read-only",  # read_only_sql_transaction
    "42501": "read-only",  # insufficient_privilege
    "55P03": "busy",  # lock_not_available
    "57014": "busy",  # query_canceled (statement or lock timeout)
    "40P01": "busy",  # deadlock_detected
    "40001": "busy",  # serialization_failure
    "08006": "gone",  # connection_failure
    "08003": "gone",  # connection_does_not_exist
    "57P01": "gone",  # admin_shutdown
}
_ERRNO_CAUSES = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "read-only",
    errno.EACCES: "read-only",
    errno.EPERM: "read-only",
}

#: cause → (what happened, what to do when text was typed, what to do when nothing was).
_NOT_SAVED = {
    "full": ("the disk is full", "free some space, then try again", None),
    "read-only": ("the session store can only be read here",
                  "copy it somewhere safe and ask whoever runs the workbook for write access",
                  "ask whoever runs the workbook for write access"),
    "busy": ("the session store was busy for too long (another window is saving)",
             "try again in a moment", None),
    "io": ("the disk could not be written", "check the disk, then try again", None),
    "damaged": ("the session store file looks damaged", "copy it somewhere safe and ask for "
                "help", "ask for help"),
    "gone": ("the connection to the session store was lost", "try again in a moment", None),
}


def cause_of(error: BaseException) -> str:
    """A short name for what went wrong: ``full``, ``read-only``, ``busy``, ``io``…

    >>> cause_of(OSError(errno.ENOSPC, "No space left on device"))
    'full'
    """
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_CAUSES:
        return _SQLITE_CAUSES[code & 0xFF]
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str) and state in _SQLSTATE_CAUSES:
        return _SQLSTATE_CAUSES[state]
    if isinstance(error, OSError) and error.errno in _ERRNO_CAUSES:
        return _ERRNO_CAUSES[error.errno]
    text = str(error).lower()
    for phrase, cause in (
        ("disk is full", "full"), ("no space", "full"), ("readonly", "read-only"),
        ("read-only", "read-only"), ("locked", "busy"), ("disk i/o", "io"),
        ("not a database", "not-a-store"), ("malformed", "damaged"),
        ("unable to open", "cannot-open"), ("permission denied", "read-only"),
    ):
        if phrase in text:
            return cause
    return "other"


def not_saved(error: BaseException) -> NotSaved:
    """The one line to show when a write failed; the step keeps what was typed.

    Its ``untyped`` line is for a click, tick or choice, where nothing was typed:

    >>> import sqlite3
    >>> line = not_saved(sqlite3.OperationalError("attempt to write a readonly database"))
    >>> line.untyped.removeprefix("Not saved: the session store can only be read here — ")
    'ask whoever runs the workbook for write access.'
    """
    cause = cause_of(error)
    why, fix, fix_untyped = _NOT_SAVED.get(cause) or (
        f"the session store refused the change ({_first_line(error)})",
        "try again, and ask for help if it keeps happening", None)
    return NotSaved(f"Not saved: {why}. Your text is still here — {fix}.",
                    untyped=f"Not saved: {why} — {fix_untyped or fix}.")


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0][:80] if str(error).strip() else "no reason"


def folder_is_read_only(path: Path) -> bool:
    """Whether the file system holding ``path`` (or its nearest existing folder) is read-only."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return bool(os.statvfs(probe).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def disk_is_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has no room left (SQLite may call that an I/O error)."""
    probe = _nearest_folder(Path(path)) if not Path(path).exists() else Path(path)
    try:
        return os.statvfs(probe).f_bavail == 0
    except OSError:
        return False


def cannot_open(path: Path, error: BaseException | None, *, cause: str | None = None,
                readonly: bool = False) -> StoreUnavailable:
    """One line naming the store's path, why it cannot be used and the fix.

    >>> line = str(cannot_open(Path("/srv/wb/workbook.db"), None, cause="full"))
    >>> line.startswith("the session store /srv/wb/workbook.db cannot be written: the disk is full")
    True
    >>> line.endswith("free some space on that disk, or choose another store with --store")
    True
    """
    cause = cause or (cause_of(error) if error is not None else "other")
    if cause in ("io", "cannot-open") and disk_is_full(path):
        cause = "full"
    where = f"the session store {path}"
    if cause == "read-only" and folder_is_read_only(path):
        cause = "read-only-fs"
    if cause == "read-only" and not readonly and path.exists() and not _writable(path):
        cause = "read-only-file"
    message = {
        "full": f"{where} cannot be written: the disk is full — free some space on that "
        f"disk, {FIX_ELSEWHERE}",
        "read-only-fs": f"{where} is on a read-only file system (a disk or share mounted "
        f"read-only) — copy it to a writable folder, {FIX_ELSEWHERE}; participants can "
        "still open it read-only",
        "read-only-file": f"{where} is a read-only file (permissions), so the supervisor "
        f"cannot save in it — make it writable (chmod u+w {path}), {FIX_ELSEWHERE}",
        "read-only": f"{where} cannot be written: you do not have permission to write in "
        f"{_nearest_folder(path)} — give yourself write access to that folder, {FIX_ELSEWHERE}",
        "not-a-store": f"{path} is not a session store (it is some other kind of file) — "
        f"check the path, {FIX_ELSEWHERE}",
        "damaged": f"{where} is damaged and cannot be read — keep a copy, ask for help, "
        f"{FIX_ELSEWHERE}",
        "busy": f"{where} was kept busy by another program for too long — close other "
        "windows using it and try again",
        "io": f"{where} could not be read or written (a disk error) — check the disk, "
        f"{FIX_ELSEWHERE}",
    }.get(cause)
    if message is None:
        reason = str(error).strip().splitlines()[0][:80] if error is not None else "unknown"
        message = f"{where} could not be opened ({reason}) — check the path, {FIX_ELSEWHERE}"
    return StoreUnavailable(message)


def _nearest_folder(path: Path) -> Path:
    """The folder that stops the store being made: its own, or the first one that exists."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _writable(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return False
    os.close(fd)
    return True
