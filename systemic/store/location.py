"""Where the session store lives: a SQLite file on this computer, or a PostgreSQL database.

By default the store is one SQLite file in the user's data folder (as
platformdirs defines it for each operating system), away from any folder Voila
serves. The supervisor can point elsewhere with ``--store`` on the command
line or the ``SYSTEMIC_WORKBOOK_STORE`` environment variable (the flag wins):
a file path, or a ``postgresql://`` address for a store shared between
laptops. Anything else that looks like an address (``mysql://…``, ``http://…``,
a PostgreSQL address that cannot be read) is refused in one line, never taken
for a file name.

>>> resolve_store_path("/srv/wb/group.db", environ={STORE_ENV: "/tmp/other.db"}).as_posix()
'/srv/wb/group.db'
>>> resolve_store_path(None, environ={STORE_ENV: "/tmp/other.db"}).as_posix()
'/tmp/other.db'
>>> resolve_store_path(None, environ={}) == default_store_path()
True
>>> default_store_path().name
'workbook.db'
>>> str(parse_store_address("postgresql://sam:secret@db.council.example/workbook"))
'postgresql://sam:***@db.council.example/workbook'
>>> try:
...     parse_store_address("mysql://db/workbook")
... except StoreUnavailable as refused:
...     print(str(refused)[:65])
mysql://db/workbook is not a store address the workbook can use —
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from systemic.errors import StoreUnavailable

__all__ = [
    "APP_NAME",
    "STORE_ENV",
    "STORE_FILENAME",
    "StoreAddress",
    "default_store_path",
    "parse_store_address",
    "resolve_store",
    "store_flag",
    "resolve_store_path",
]

APP_NAME = "systemic-workbook"
STORE_ENV = "SYSTEMIC_WORKBOOK_STORE"
STORE_FILENAME = "workbook.db"

_POSTGRES_SCHEMES = ("postgresql", "postgres")
#: A scheme of two letters or more followed by a colon: an address, not a file name.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")


@dataclass(frozen=True)
class StoreAddress:
    """A store: ``kind`` is ``sqlite`` (with ``path``) or ``postgresql`` (with ``url``).

    ``str()`` is safe to print (a password is masked); :attr:`value` is what to
    pass on to another process, password included.

    >>> a = parse_store_address("/tmp/wb.db")
    >>> a.kind, a.path.name, a.exists() in (True, False)
    ('sqlite', 'wb.db', True)
    """

    kind: str
    path: Path | None = None
    url: str | None = None

    @property
    def value(self) -> str:
        return self.url if self.url is not None else str(self.path)

    @property
    def where(self) -> str:
        """Where the store keeps the session, in a social worker's words (no path, no address).

        >>> parse_store_address("/tmp/wb.db").where
        'on this computer'
        >>> parse_store_address("postgresql://db.council.example/workbook").where
        "in your team's shared database"
        """
        return "on this computer" if self.kind == "sqlite" else "in your team's shared database"

    def exists(self) -> bool:
        """Whether there is something to open read-only (a database server is assumed to be)."""
        return self.kind == "postgresql" or (self.path is not None and self.path.exists())

    def __str__(self) -> str:
        if self.url is None:
            return str(self.path)
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))

    def __fspath__(self) -> str:
        if self.path is None:
            raise StoreUnavailable(
                f"{self} is a PostgreSQL store, not a file — this needs a store file; give "
                "one with --store"
            )
        return str(self.path)


def default_store_path() -> Path:
    """The store file in the user's data folder, e.g. ``~/.local/share/systemic-workbook/``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / STORE_FILENAME


def store_flag(store: StoreAddress | os.PathLike[str] | None) -> str:
    """`` --store PATH`` for a command shown to be typed, when the store is a file other than
    the usual one: the terminal it is typed in may not have the setting that chose it.
    Nothing for the usual file, or a database (its address may hold a password).

    >>> store_flag(default_store_path()), store_flag(None)
    ('', '')
    >>> store_flag(Path("/tmp/day one/workbook.db"))
    " --store '/tmp/day one/workbook.db'"
    """
    import shlex

    path = parse_store_address(store).path if store is not None else None
    if path is None or path.expanduser().resolve() == default_store_path().resolve():
        return ""
    return f" --store {shlex.quote(str(path))}"


def parse_store_address(text: str | os.PathLike[str] | StoreAddress) -> StoreAddress:
    """A file path or a ``postgresql://`` address; anything else that looks like an address
    is refused (see the module description).

    >>> parse_store_address("sqlite:///srv/wb/group.db").path.as_posix()
    '/srv/wb/group.db'
    """
    if isinstance(text, StoreAddress):
        return text
    if isinstance(text, os.PathLike):
        return StoreAddress("sqlite", path=Path(text).expanduser())
    given = str(text).strip()
    scheme = _SCHEME.match(given)
    if scheme is None:
        return StoreAddress("sqlite", path=Path(given).expanduser())
    name = scheme.group(1).lower()
    if name == "sqlite" and given[len(name):].startswith(":///"):
        return StoreAddress("sqlite", path=Path(given[len(name) + 3:]).expanduser())
    if name in _POSTGRES_SCHEMES:
        return StoreAddress("postgresql", url=_checked_postgres_url(given))
    raise StoreUnavailable(
        f"{_masked(given)} is not a store address the workbook can use — give a file path, "
        "or a postgresql:// address (e.g. postgresql://user@host/workbook)"
    )


def _masked(url: str) -> str:
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)


def _checked_postgres_url(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    problem = None
    try:
        parts = urlsplit(url)
        if not url.split(":", 1)[1].startswith("//"):
            problem = "it should start postgresql://"
        elif parts.port is not None and not 0 < parts.port < 65536:
            problem = "the port is out of range"
        else:
            conninfo_to_dict(url)
    except ValueError as err:
        problem = str(err).splitlines()[0] if str(err) else "it cannot be read"
    except Exception as err:  # noqa: BLE001 - psycopg's own error for an unreadable address
        problem = str(err).splitlines()[0][:80] if str(err) else "it cannot be read"
    if problem:
        raise StoreUnavailable(
            f"{_masked(url)} is not a PostgreSQL address the workbook can read ({problem}) — "
            "write it like postgresql://user@host:5432/workbook"
        )
    return url


def resolve_store(
    flag: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> StoreAddress:
    """The store to use: the ``--store`` flag, else ``$SYSTEMIC_WORKBOOK_STORE``, else the default.

    An empty flag or variable counts as not given; ``~`` is expanded.

    >>> resolve_store(None, environ={STORE_ENV: "postgresql:///workbook"}).kind
    'postgresql'
    """
    env = os.environ if environ is None else environ
    for given in (flag, env.get(STORE_ENV)):
        if given is not None and str(given).strip():
            return parse_store_address(given)
    return StoreAddress("sqlite", path=default_store_path())


def resolve_store_path(
    flag: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Like :func:`resolve_store`, for what needs a store *file*; a PostgreSQL address is
    refused in one line."""
    address = resolve_store(flag, environ)
    return Path(os.fspath(address))
