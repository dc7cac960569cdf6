"""``systemic-workbook hub``: the council service in miniature, on this computer only.

It runs ``deploy/jupyterhub_config.py`` as it is, with the demonstration
settings: JupyterHub and its proxy (configurable-http-proxy, from npm) on
127.0.0.1, a dummy sign-in (any password) and local processes, and a
PostgreSQL store — a throwaway server in the demo's folder unless
``--store`` names one. Supervisors sign in by the names given; anyone else
who signs in can only follow a session they are invited to. Ctrl-C stops
the hub, every server it started and the database.

This module starts and stops processes; it holds no domain logic and imports
no Jupyter code.

>>> hub_environment(Path("/tmp/x"), port=8000, supervisors=("sam",), store="postgresql://h/db")[
...     "WORKBOOK_HUB_SUPERVISORS"]
'sam'
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from systemic import serving
from systemic.errors import WorkbookError
from systemic.paths import PROJECT_ROOT
from systemic.store.local_server import PARTICIPANT, SUPERVISOR, LocalPostgres

__all__ = ["DEPLOY", "HubDemo", "hub_environment", "start_hub_demo", "stop_hub_demo"]

DEPLOY = PROJECT_ROOT / "deploy"
PROXY = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
NO_PROXY = (
    "JupyterHub's proxy is not installed — run `npm ci --prefix deploy` (make hub-demo does this)."
)


@dataclass
class HubDemo:
    """The running demonstration: the hub process, its folder, and the database we started."""

    hub: serving.Server
    state: Path
    url: str
    store: str
    database: LocalPostgres | None
    viewer_store: str | None = None


def hub_environment(
    state: Path, *, port: int, supervisors: Sequence[str], store: str, places: int = 12,
    viewer_store: str | None = None,
) -> dict[str, str]:
    """The environment ``deploy/jupyterhub_config.py`` reads, for the demonstration."""
    return {
        "WORKBOOK_HUB_DEMO": "1",
        "WORKBOOK_HUB_STATE": str(state),
        "WORKBOOK_HUB_IP": serving.LOOPBACK,
        "WORKBOOK_HUB_PORT": str(port),
        "WORKBOOK_HUB_API_PORT": str(port + 81),
        "WORKBOOK_HUB_PROXY_API_PORT": str(port + 1),
        "WORKBOOK_HUB_SUPERVISORS": ",".join(supervisors),
        "WORKBOOK_STORE_SUPERVISOR": store,
        "WORKBOOK_STORE_VIEWER": viewer_store or store,
        "WORKBOOK_ROOM_PLACES": str(places),
        "WORKBOOK_ROOM_KEEPER_INTERVAL": "5",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
        "PATH": os.pathsep.join((str(Path(sys.executable).parent), os.environ.get("PATH", ""))),
    }


def start_hub_demo(
    *,
    port: int = 8000,
    supervisors: Sequence[str] = ("sam",),
    store: str | None = None,
    state: Path | None = None,
    places: int = 12,
    timeout: float = 120.0,
) -> HubDemo:
    """Start the database (unless given), prepare the store, start the hub; wait for it."""
    if not PROXY.exists():
        raise WorkbookError(NO_PROXY)
    state = Path(state or tempfile.mkdtemp(prefix="workbook-hub-"))
    state.mkdir(parents=True, exist_ok=True)
    database = None
    viewer_store = None
    if store is None:
        database = LocalPostgres.start()  # its own folder: the server's user must reach it
        store, viewer_store = database.url(SUPERVISOR), database.url(PARTICIPANT)
    try:
        _prepare_store(store)
        env = hub_environment(state, port=port, supervisors=supervisors, store=store,
                              places=places, viewer_store=viewer_store)
        url = f"http://{serving.LOOPBACK}:{port}"
        hub = serving.start(
            "hub (JupyterHub)",
            [sys.executable, "-m", "jupyterhub", "-f", str(DEPLOY / "jupyterhub_config.py")],
            url=f"{url}/hub/login",
            probe_url=f"{url}/hub/api/",
            env=env,
            log=state / "hub.log",
            cwd=state,
        )
        demo = HubDemo(hub=hub, state=state, url=url, store=store, database=database,
                       viewer_store=viewer_store)
        _wait_for_hub(demo, timeout)
    except BaseException:
        if database is not None:
            database.stop(remove=True)
        raise
    return demo


def _wait_for_hub(demo: HubDemo, timeout: float) -> None:
    """Until the hub answers through its proxy (the proxy alone answers 404 at first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if demo.hub.process.poll() is not None:
            raise RuntimeError(f"the hub stopped while starting — see {demo.hub.log}")
        with contextlib.suppress(OSError), urllib.request.urlopen(demo.hub.probe_url, timeout=5):
            return  # 200: the hub itself answered
        time.sleep(0.25)
    stop_hub_demo(demo)
    raise TimeoutError(f"the hub did not answer within {timeout:.0f} s — see {demo.hub.log}")


def _prepare_store(address: str) -> None:
    """Create the store's tables (and its roles, on PostgreSQL) before anyone signs in."""
    from systemic.store import Store

    with Store.open(address):
        pass


def stop_hub_demo(demo: HubDemo) -> None:
    """Stop the hub (which stops every server it started), any server left behind, the database."""
    serving.stop(demo.hub, grace=20.0)
    _stop_left_behind(demo.state)
    if demo.database is not None:
        demo.database.stop(remove=True)


def _stop_left_behind(state: Path) -> None:
    """Servers the hub started live in their own process groups, with a home in our folder."""
    home = f"HOME={state}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if any(v.startswith(home) for v in (proc / "environ").read_bytes().split(b"\0")):
                os.kill(int(proc.name), signal.SIGKILL)
