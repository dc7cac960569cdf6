"""A throwaway PostgreSQL server for tests and benchmarks, with a fresh schema per test.

The server itself is :class:`systemic.store.local_server.LocalPostgres`
(Debian's, on a Unix socket in a temporary folder, run as the ``postgres``
user under root, stopped by its process id), with the roles a council's
administrator would make: ``SUPERVISOR`` owns the store and writes;
``PARTICIPANT`` is in ``workbook_viewers`` (may only read); ``MANAGER`` is in
``workbook_team_managers`` (may only read the team view). Each test gets its
own schema (or database), so tests do not see each other's sessions, while
the server is started once per run.
"""

from __future__ import annotations

import itertools

from systemic.store.local_server import MANAGER, PARTICIPANT, SUPERVISOR, LocalPostgres, bin_dir

__all__ = ["TemporaryPostgres", "SUPERVISOR", "PARTICIPANT", "MANAGER"]


class TemporaryPostgres:
    """Start with :meth:`start`, stop with :meth:`stop`; :meth:`new_schema` gives an address."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self.server: LocalPostgres | None = None
        self._names = itertools.count(1)

    def start(self) -> TemporaryPostgres:
        if bin_dir() is None:
            raise RuntimeError("Debian's postgresql is missing: `make test` apt-gets it")
        self.server = LocalPostgres.start(durable=self.durable)
        return self

    @property
    def _running(self) -> LocalPostgres:
        assert self.server is not None, "start the server first"
        return self.server

    @property
    def pid(self) -> int | None:
        return self.server.pid if self.server else None

    def url(self, role: str = SUPERVISOR, database: str | None = None,
            schema: str | None = None) -> str:
        return self._running.url(role, database, schema)

    def admin(self, *sql: str, database: str = "postgres") -> None:
        self._running.admin(*sql, database=database)

    def new_schema(self) -> str:
        """A fresh, empty schema owned by the supervisor's role; its name."""
        name = f"t{next(self._names)}"
        self.admin(f"CREATE SCHEMA {name} AUTHORIZATION {SUPERVISOR}",
                   database=self._running.database)
        return name

    def connections(self, role: str | None = None) -> int:
        """Client connections open now, not counting this one (optionally only a role's)."""
        import psycopg

        with psycopg.connect(self.url("postgres", "postgres"), autocommit=True) as conn:
            sql = ("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                   " AND pid <> pg_backend_pid()")
            if role:
                return int(conn.execute(sql + " AND usename = %s", (role,)).fetchone()[0])
            return int(conn.execute(sql).fetchone()[0])

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop(remove=True)
