"""A throwaway PostgreSQL server for tests and benchmarks, with a council's roles.

The server itself is :class:`systemic.store.local_server.LocalPostgres`
(Debian's, on a Unix socket in a new temporary folder, no TCP port, run as the
``postgres`` user when we are root, stopped by its process id). This adds what
the store's tests need: the roles a council's administrator makes (see the
README), and a fresh schema per test, so that tests do not see each other's
sessions while the server is started once per run.

Roles: ``workbook_supervisor`` owns the store and writes; ``participant`` is
in the group ``workbook_viewers`` (may only read); ``manager`` is in
``workbook_team_managers`` (may only read the team view).
"""

from __future__ import annotations

import itertools
import tempfile
import urllib.parse
from pathlib import Path

from systemic.store.local_server import LocalPostgres

__all__ = ["TemporaryPostgres", "SUPERVISOR", "PARTICIPANT", "MANAGER"]

SUPERVISOR, PARTICIPANT, MANAGER = "workbook_supervisor", "participant", "manager"


class TemporaryPostgres:
    """Start with :meth:`start`, stop with :meth:`stop`; :meth:`new_schema` for each test."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self.database = "workbook"
        self.server: LocalPostgres | None = None
        self._names = itertools.count(1)

    @property
    def pid(self) -> int | None:
        return self.server.pid if self.server else None

    @property
    def folder(self) -> Path:
        assert self.server is not None, "start the server first"
        return self.server.folder

    def start(self) -> TemporaryPostgres:
        folder = Path(tempfile.mkdtemp(prefix="workbook-pg-"))
        self.server = LocalPostgres.start(folder, database="postgres_admin",
                                          durable=self.durable)
        self.admin(
            f"CREATE ROLE {SUPERVISOR} LOGIN",
            "CREATE ROLE workbook_viewers NOLOGIN",
            "CREATE ROLE workbook_team_managers NOLOGIN",
            f"CREATE ROLE {PARTICIPANT} LOGIN IN ROLE workbook_viewers",
            f"CREATE ROLE {MANAGER} LOGIN IN ROLE workbook_team_managers",
            f"CREATE DATABASE {self.database} OWNER {SUPERVISOR}",
        )
        return self

    def url(self, role: str = SUPERVISOR, database: str | None = None,
            schema: str | None = None) -> str:
        host = urllib.parse.quote(str(self.folder), safe="")
        address = f"postgresql://{role}@/{database or self.database}?host={host}"
        if schema:
            address += f"&options=-csearch_path%3D{schema}"
        return address

    def admin(self, *sql: str, database: str = "postgres") -> None:
        import psycopg

        assert self.server is not None
        with psycopg.connect(self.url(self.server.user, database), autocommit=True) as conn:
            for statement in sql:
                conn.execute(statement)

    def new_schema(self) -> str:
        """A fresh, empty schema owned by the supervisor's role; its name."""
        name = f"t{next(self._names)}"
        self.admin(f"CREATE SCHEMA {name} AUTHORIZATION {SUPERVISOR}", database=self.database)
        return name

    def connections(self, role: str | None = None) -> int:
        """Client connections open now, not counting this one (optionally only a role's)."""
        import psycopg

        assert self.server is not None
        with psycopg.connect(self.url(self.server.user, "postgres"), autocommit=True) as conn:
            sql = ("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                   " AND pid <> pg_backend_pid()")
            if role:
                return int(conn.execute(sql + " AND usename = %s", (role,)).fetchone()[0])
            return int(conn.execute(sql).fetchone()[0])

    def stop(self) -> None:
        import shutil

        if self.server is not None:
            self.server.stop()
            shutil.rmtree(self.server.folder, ignore_errors=True)
            self.server = None
