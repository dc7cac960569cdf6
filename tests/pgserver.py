"""A throwaway PostgreSQL server for tests and benchmarks: Debian's, on a Unix socket.

It is started in a new temporary folder, listens on no TCP port, and is
stopped (by its process id) when done. ``initdb`` and ``pg_ctl`` refuse to run
as root, and CI runs as root: they then run as the ``postgres`` user, with the
folder given to it. Each test gets its own schema (or database), so tests do
not see each other's sessions, while the server is started once per run.

Roles, as a council's administrator would make them (see the README):
``workbook_supervisor`` owns the store and writes; ``participant`` is in the
group ``workbook_viewers`` (may only read); ``manager`` is in
``workbook_team_managers`` (may only read the team view).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["TemporaryPostgres", "pg_bin"]

SUPERVISOR, PARTICIPANT, MANAGER = "workbook_supervisor", "participant", "manager"


def pg_bin() -> Path:
    """Debian's server programs (``make test`` installs the ``postgresql`` package)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("Debian's postgresql is missing: `make test` installs it with apt-get")
    return Path(found[-1]).parent


class TemporaryPostgres:
    """Start with :meth:`start`, stop with :meth:`stop`; :meth:`new_schema` gives an address."""

    def __init__(self, durable: bool = False) -> None:
        #: False for tests (no fsync: fast, and nothing is kept); True for benchmarks, so
        #: that a commit waits for the disk as SQLite's does.
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="workbook-pg-"))
        self.data = self.folder / "data"
        self.pid: int | None = None
        self._names = itertools.count(1)
        self.database = "workbook"

    def _as_postgres(self, *command: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def start(self) -> TemporaryPostgres:
        bin_ = pg_bin()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o755)
        subprocess.run(self._as_postgres(
            str(bin_ / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", "--locale", "C"), check=True, capture_output=True)
        # Only the server's user may read the data; the folder itself holds the socket.
        options = f"-k {self.folder} -c listen_addresses='' -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(self._as_postgres(
            str(bin_ / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
            str(self.folder / "server.log"), "-w", "-t", "60", "start"),
            check=True, capture_output=True)
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
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
        address = f"postgresql://{role}@/{database or self.database}?host={self.folder}"
        if schema:
            address += f"&options=-csearch_path%3D{schema}"
        return address

    def admin(self, *sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url("postgres", database), autocommit=True) as conn:
            for statement in sql:
                conn.execute(statement)

    def new_schema(self) -> str:
        """A fresh, empty schema owned by the supervisor's role; its name."""
        name = f"t{next(self._names)}"
        self.admin(f"CREATE SCHEMA {name} AUTHORIZATION {SUPERVISOR}", database=self.database)
        return name

    def new_database(self) -> str:
        name = f"db{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} OWNER {SUPERVISOR}")
        return name

    def connections(self, role: str | None = None) -> int:
        """Client connections open now (optionally only a role's)."""
        import psycopg

        with psycopg.connect(self.url("postgres", "postgres"), autocommit=True) as conn:
            sql = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
            if role:
                return int(conn.execute(sql + " AND usename = %s", (role,)).fetchone()[0])
            return int(conn.execute(sql).fetchone()[0]) - 1  # not this one

    def stop(self) -> None:
        if self.pid is not None:
            done = subprocess.run(self._as_postgres(
                str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"),
                capture_output=True)
            if done.returncode != 0:
                os.kill(self.pid, signal.SIGQUIT)
                time.sleep(1)
            self.pid = None
        shutil.rmtree(self.folder, ignore_errors=True)
