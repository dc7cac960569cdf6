"""Where the session store lives on this computer.

By default it is one file in the user's data folder (as platformdirs defines
it for each operating system), away from any folder Voila serves. The
supervisor can point elsewhere with ``--store`` on the command line or the
``SYSTEMIC_WORKBOOK_STORE`` environment variable; the flag wins.

>>> resolve_store_path("/srv/wb/group.db", environ={STORE_ENV: "/tmp/other.db"}).as_posix()
'/srv/wb/group.db'
>>> resolve_store_path(None, environ={STORE_ENV: "/tmp/other.db"}).as_posix()
'/tmp/other.db'
>>> resolve_store_path(None, environ={}) == default_store_path()
True
>>> default_store_path().name
'workbook.db'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

__all__ = ["APP_NAME", "STORE_ENV", "STORE_FILENAME", "default_store_path", "resolve_store_path"]

APP_NAME = "systemic-workbook"
STORE_ENV = "SYSTEMIC_WORKBOOK_STORE"
STORE_FILENAME = "workbook.db"


def default_store_path() -> Path:
    """The store file in the user's data folder, e.g. ``~/.local/share/systemic-workbook/``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / STORE_FILENAME


def resolve_store_path(
    flag: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The store to use: the ``--store`` flag, else ``$SYSTEMIC_WORKBOOK_STORE``, else the default.

    An empty flag or variable counts as not given; ``~`` is expanded.
    """
    env = os.environ if environ is None else environ
    for given in (flag, env.get(STORE_ENV)):
        if given is not None and str(given).strip():
            return Path(str(given).strip()).expanduser()
    return default_store_path()
