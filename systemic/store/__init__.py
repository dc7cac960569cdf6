"""The session store: one source of truth for a supervision session, and its change feed.

The supervisor's notebook writes through a :class:`Store`; participants'
dashboards open the same file read-only and :func:`follow` it.

>>> "hypothesis" in KNOWN_KINDS and "presenter" in ROLES
True
"""

from systemic.store.follow import follow
from systemic.store.location import default_store_path, resolve_store_path
from systemic.store.migrations import SCHEMA_VERSION
from systemic.store.model import (
    KNOWN_KINDS,
    ROLES,
    Change,
    Discussion,
    Participant,
    Record,
    Session,
    SessionSummary,
)
from systemic.store.sqlite import Store

__all__ = [
    "Store",
    "follow",
    "default_store_path",
    "resolve_store_path",
    "SCHEMA_VERSION",
    "KNOWN_KINDS",
    "ROLES",
    "Participant",
    "SessionSummary",
    "Session",
    "Discussion",
    "Record",
    "Change",
]
