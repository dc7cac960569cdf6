"""The workbook on JupyterHub: a supervisor's own JupyterLab, and one Voila server per live room.

A council runs one hub for many teams (``deploy/jupyterhub_config.py``).
Each supervisor signs in and gets their own JupyterLab on the session
notebook. Each live session's participants are served by a *separate* named
server of the supervisor's, ``room-<session id>``, that runs Voila on the
participants' dashboard only, behind ``jhsingle-native-proxy``, which checks
the hub's sign-in. Participants are never sent to ``/voila/render`` on the
supervisor's own server: anyone given access there could run code as the
supervisor (JUPYTER.md §1.5). A participant joins by a share code the
supervisor's notebook asks the hub for: it grants access to that room server
only, and stops working when the session ends and the room server is removed.

The spawner picks the command by the server's name; everything else (which
spawner, sign-in, the store's address) is the deployment's choice.

>>> room_server_name("4f2a9c0d1e2b3c4d")
'room-4f2a9c0d1e2b3c4d'
>>> session_of("room-4f2a9c0d1e2b3c4d"), session_of("")
('4f2a9c0d1e2b3c4d', None)
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

from systemic.paths import NOTEBOOKS_DIR
from systemic.serving import DASHBOARD, JUPYTER_DATA, LOOPBACK, PROBE_PATH, voila_command

__all__ = [
    "ROOM_PREFIX",
    "USER_HEADER",
    "SESSION_NOTEBOOK",
    "room_server_name",
    "session_of",
    "room_command",
    "lab_arguments",
    "WorkbookSpawnerMixin",
]

#: Named servers of this form serve one session's participants, and nothing else.
ROOM_PREFIX = "room-"
#: The header jhsingle-native-proxy sets to the signed-in hub user (a participant cannot forge
#: it: the proxy removes any copy sent by the browser).
USER_HEADER = "X-CDSDASHBOARDS-JH-USER"
SESSION_NOTEBOOK = NOTEBOOKS_DIR / "supervisor" / "session.ipynb"
_SESSION_ID = re.compile(r"^[0-9a-f]{6,64}$")


def room_server_name(session_id: str) -> str:
    """The named server that serves one session's participants."""
    if not _SESSION_ID.match(session_id):
        raise ValueError(f"'{session_id[:20]}' is not a session id")
    return ROOM_PREFIX + session_id


def session_of(server_name: str) -> str | None:
    """The session a room server serves; ``None`` for a supervisor's own server."""
    if not server_name.startswith(ROOM_PREFIX):
        return None
    session_id = server_name[len(ROOM_PREFIX) :]
    return session_id if _SESSION_ID.match(session_id) else None


def room_command(places: int, hosts: tuple[str, ...] = ()) -> list[str]:
    """The room server: the hub's sign-in in front of Voila on the dashboard, on loopback.

    ``{port}`` and ``{base_url}`` are filled in by jhsingle-native-proxy. Its
    readiness probe asks for a static file, so it never uses up a kernel.

    >>> cmd = room_command(5)
    >>> cmd[cmd.index("--ip") + 1], "--forward-user-info" in cmd
    ('127.0.0.1', True)
    """
    proxy = [
        sys.executable, "-m", "widgets.jupyter.room_proxy",
        "--ip", LOOPBACK,
        "--destport", "0",
        "--authtype", "oauth",
        "--forward-user-info",
        "--ready-check-path", f"/{PROBE_PATH}",
        "--ready-timeout", "60",
        "--last-activity-interval", "60",
        "--no-force-alive",
        "--",
    ]
    voila = voila_command(DASHBOARD, port=0, ip=LOOPBACK, pool_size=places, hosts=hosts)
    # jhsingle-native-proxy fills in {port} and {base_url} with str.format: other braces
    # (the headers setting, the header list) are doubled so they pass through unchanged.
    voila = [a.replace("{", "{{").replace("}", "}}") for a in voila if not a.startswith("--port=")]
    voila += [
        "--port={port}",
        "--Voila.base_url={base_url}/",
        "--Voila.server_url=/",
        f"--RoomVoila.user_header={USER_HEADER}",
    ]
    return proxy + voila


#: Where a supervisor's JupyterLab keeps its layout and settings, inside their home.
LAB_STATE = ".workbook-lab"


def lab_arguments(notebook: str) -> list[str]:
    """The supervisor's JupyterLab: on their copy of the session notebook, set up as on a laptop.

    Its configuration strips outputs and widget state on save; the settings
    turn off news and update pop-ups and autosave, and shut a notebook's
    kernel down with it; the layout opens the notebook with the file browser
    closed (``widgets/jupyter/lab/``). Voila's JupyterLab extension is
    switched off: nobody is ever served through ``/voila/render`` on a
    supervisor's own server.

    >>> "--ServerApp.jpserver_extensions=voila.server_extension=False" in lab_arguments("s.ipynb")
    True
    """
    return [
        f"--config={JUPYTER_DATA / 'supervisor_config.py'}",
        f"--ServerApp.default_url=/lab/tree/{notebook}",
        "--ServerApp.jpserver_extensions=voila.server_extension=False",
        f"--LabApp.app_settings_dir={JUPYTER_DATA / 'lab' / 'settings'}",
        f"--LabApp.user_settings_dir={LAB_STATE}/user-settings",
        f"--LabApp.workspaces_dir={LAB_STATE}/workspaces",
    ]


def _workspace_for(notebook: str) -> tuple[str, str]:
    """The laptop's layout (the notebook open, the file browser closed) for a notebook at
    the root of the supervisor's home: its file name and text."""
    layout = next((JUPYTER_DATA / "lab" / "workspaces").glob("*.jupyterlab-workspace"))
    text = layout.read_text(encoding="utf-8")
    return layout.name, text.replace("notebooks/supervisor/session.ipynb", notebook)


class WorkbookSpawnerMixin:
    """Choose what a server runs from its name: a room's Voila, or the supervisor's JupyterLab.

    Mix into any spawner (``SimpleLocalProcessSpawner`` for the demo,
    ``SystemdSpawner`` on a council's virtual machine). ``room_places`` is how
    many kernels a room keeps ready; ``store_for_rooms`` is the read-only
    address participants' dashboards open.
    """

    room_places: int = 12
    store_for_rooms: str = ""
    store_for_supervisors: str = ""
    room_hosts: tuple[str, ...] = ()

    def _is_room(self) -> bool:
        return session_of(getattr(self, "name", "") or "") is not None

    def get_args(self) -> list[str]:  # type: ignore[override]
        if self._is_room():
            return []
        return lab_arguments(SESSION_NOTEBOOK.name) + list(super().get_args())  # type: ignore[misc]

    def get_env(self) -> dict[str, Any]:  # type: ignore[override]
        env = super().get_env()  # type: ignore[misc]
        session_id = session_of(getattr(self, "name", "") or "")
        if session_id is not None:
            env["SYSTEMIC_WORKBOOK_SESSION"] = session_id
            env["JUPYTER_PATH"] = str(JUPYTER_DATA)  # our Voila template
            if self.store_for_rooms:
                env["SYSTEMIC_WORKBOOK_STORE"] = self.store_for_rooms
        elif self.store_for_supervisors:
            env["SYSTEMIC_WORKBOOK_STORE"] = self.store_for_supervisors
        return env

    async def start(self) -> Any:  # type: ignore[override]
        if self._is_room():
            self.cmd = room_command(self.room_places, tuple(self.room_hosts))
        else:
            self._copy_session_notebook()
        return await super().start()  # type: ignore[misc]

    def _copy_session_notebook(self) -> None:
        """Each supervisor works on their own copy: the project's notebook is never written."""
        home = Path(getattr(self, "home_dir", "") or Path.home())
        target = home / SESSION_NOTEBOOK.name
        if not target.exists() and SESSION_NOTEBOOK.exists():
            home.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(SESSION_NOTEBOOK, target)
        workspaces = home / LAB_STATE / "workspaces"
        if not workspaces.exists():
            workspaces.mkdir(parents=True)
            name, text = _workspace_for(SESSION_NOTEBOOK.name)
            (workspaces / name).write_text(text, encoding="utf-8")


class RoomClients(frozenset[str]):
    """The hub's "no confirmation" list, matching every room server's sign-in client.

    A participant has already accepted the supervisor's invitation on the
    hub's own page; asking them a second time to "authorize" the room adds a
    click and nothing else. Only room servers match: a supervisor's JupyterLab
    still asks, as the hub always does.

    >>> "jupyterhub-user-sam-room-4f2a9c0d" in RoomClients()
    True
    >>> "jupyterhub-user-sam" in RoomClients()
    False
    """

    def __contains__(self, client_id: object) -> bool:
        if not isinstance(client_id, str) or not client_id.startswith("jupyterhub-user-"):
            return False
        _, _, tail = client_id.rpartition("-" + ROOM_PREFIX)
        return bool(tail) and session_of(ROOM_PREFIX + tail) is not None
