"""The session store: one source of truth for a supervision session, and its change feed.

The supervisor's notebook writes through a :class:`Store` — one SQLite file
(the default) or a PostgreSQL database, chosen by the address given to
:meth:`Store.open`; participants' dashboards open the same store read-only and
:func:`follow` it.

>>> "hypothesis" in KNOWN_KINDS and "presenter" in ROLES
True
"""

from systemic.store.base import Store
from systemic.store.follow import follow
from systemic.store.location import (
    StoreAddress,
    default_store_path,
    parse_store_address,
    resolve_store,
    resolve_store_path,
)
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

__all__ = [
    "Store",
    "follow",
    "StoreAddress",
    "parse_store_address",
    "resolve_store",
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
