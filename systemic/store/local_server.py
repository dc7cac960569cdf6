"""A throwaway PostgreSQL server in a folder: for the tests and the hub demonstration.

Debian's PostgreSQL server programs (``initdb``, ``pg_ctl``) refuse to run as
root, and CI machines run as root: there they run as the ``postgres`` user,
in a folder handed to that user. The server listens only on a Unix socket in
that folder (no TCP port at all), trusts local connections (the folder is
readable by its owner only), and is stopped by its process id.

>>> import shutil
>>> bin_dir() is None or (bin_dir() / "initdb").exists()
True
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from systemic.errors import WorkbookError

__all__ = ["bin_dir", "LocalPostgres", "NOT_INSTALLED", "SUPERVISOR", "PARTICIPANT", "MANAGER"]

#: Login roles made as a council's database administrator would make them (docs/deploy.md):
#: the supervisors' role owns the store and writes; participants' pages log in as a member of
#: the viewers' group; team managers as a member of the team managers' group
#: (:mod:`systemic.store.pg_schema` grants each group what it may do).
SUPERVISOR, PARTICIPANT, MANAGER = "workbook_supervisor", "workbook_participant", "workbook_manager"
_SUPERUSER = "postgres"

NOT_INSTALLED = (
    "PostgreSQL's server is not installed — install Debian's postgresql package "
    "(make test does this), or give --store a postgresql:// address of a running server."
)
_DEBIAN = Path("/usr/lib/postgresql")


def bin_dir() -> Path | None:
    """Where the server programs are: Debian's newest version, else the PATH; None if absent."""
    if _DEBIAN.is_dir():
        versions = sorted(
            (p for p in _DEBIAN.iterdir() if (p / "bin" / "initdb").exists()),
            key=lambda p: int(p.name) if p.name.isdigit() else 0,
        )
        if versions:
            return versions[-1] / "bin"
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_server_user() -> list[str]:
    """Run as ``postgres`` when we are root (the server refuses root); as ourselves otherwise."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"]
    return []


@dataclass
class LocalPostgres:
    """One PostgreSQL server in ``folder``, on a Unix socket there; ``url`` reaches its database.

    Under root the ``postgres`` user must be able to reach ``folder``: give a
    folder whose parents others may pass through (``/tmp/…``), or none.
    """

    folder: Path
    database: str = "workbook"
    pid: int | None = None
    #: False (tests, demonstrations): no waiting for the disk, fast and nothing to keep. True
    #: (benchmarks): a commit waits for the disk, as SQLite's does.
    durable: bool = False

    @classmethod
    def start(cls, folder: Path | None = None, database: str = "workbook",
              durable: bool = False) -> LocalPostgres:
        """Create the cluster if needed, start the server, make the workbook's roles and its
        database; wait until ready."""
        programs = bin_dir()
        if programs is None:
            raise WorkbookError(NOT_INSTALLED)
        folder = Path(folder or tempfile.mkdtemp(prefix="workbook-pg-"))
        folder.mkdir(parents=True, exist_ok=True)
        server = cls(folder=folder, database=database, durable=durable)
        server._initdb(programs)
        server._run(programs)
        try:
            server._create_roles_and_database()
        except BaseException:
            server.stop()
            raise
        return server

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, role: str = SUPERVISOR, database: str | None = None,
            schema: str | None = None) -> str:
        """``postgresql://role@/database?host=<socket folder>``: no network at all.

        ``schema`` puts one schema first on the search path (tests give each their own).
        """
        host = urllib.parse.quote(str(self.folder), safe="")
        address = f"postgresql://{role}@/{database or self.database}?host={host}"
        if schema:
            address += f"&options=-csearch_path%3D{schema}"
        return address

    def admin(self, *sql: str, database: str = "postgres") -> None:
        """Run statements as the server's superuser (making roles, databases, schemas)."""
        import psycopg

        with psycopg.connect(self.url(_SUPERUSER, database), autocommit=True) as conn:
            for statement in sql:
                conn.execute(statement)

    def _chown(self) -> None:
        if _as_server_user():
            shutil.chown(self.folder, "postgres", "postgres")
        # The data folder inside is the server's alone (initdb makes it so); this one holds
        # the socket, which servers started for other users must reach.
        self.folder.chmod(0o755)

    def _initdb(self, programs: Path) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self._chown()
        self._check(
            [*_as_server_user(), str(programs / "initdb"), "-D", str(self.data),
             "-A", "trust", "-U", _SUPERUSER, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            "prepare its folder",
        )

    def _run(self, programs: Path) -> None:
        options = f"-k {self.folder} -c listen_addresses='' -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._check(
            [*_as_server_user(), str(programs / "pg_ctl"), "-D", str(self.data), "-w",
             "-t", "60", "-l", str(self.folder / "server.log"), "-o", options, "start"],
            "start",
        )
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def _create_roles_and_database(self) -> None:
        viewers, managers = "workbook_viewers", "workbook_team_managers"
        self.admin(
            f"CREATE ROLE {SUPERVISOR} LOGIN",
            f"CREATE ROLE {viewers} NOLOGIN",
            f"CREATE ROLE {managers} NOLOGIN",
            f"CREATE ROLE {PARTICIPANT} LOGIN IN ROLE {viewers}",
            f"CREATE ROLE {MANAGER} LOGIN IN ROLE {managers}",
            f"CREATE DATABASE {self.database} OWNER {SUPERVISOR}",
        )

    def _check(self, cmd: list[str], what: str) -> None:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
            raise WorkbookError(f"PostgreSQL could not {what} in {self.folder}: {last[0]}")

    def stop(self, timeout: float = 30.0, *, remove: bool = False) -> None:
        """Stop the server by its process id (a fast shutdown), wait for it to go; ``remove``
        deletes its folder too."""
        if self.pid is None:
            if remove:
                shutil.rmtree(self.folder, ignore_errors=True)
            return
        try:
            os.kill(self.pid, signal.SIGINT)
        except ProcessLookupError:
            self.pid = None
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.kill(self.pid, signal.SIGKILL)
        self.pid = None
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)
