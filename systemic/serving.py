"""Starting the supervisor's JupyterLab and the participants' Voila, and stopping them.

The participants' server is the one that faces a room of laptops, so its
settings are chosen here once, where they can be read and tested: one
dashboard notebook only (Voila's folder mode would list every notebook,
JUPYTER.md §1.3), sources stripped, tracebacks hidden (they could hold case
text), ``port_retries=0`` so a busy port is an error instead of a silent
move, and loopback unless sharing is asked for.

This module builds command lines and runs processes; it holds no domain
logic and imports no Jupyter code.

>>> cmd = voila_command(Path("dash.ipynb"), port=8866)
>>> "--Voila.port_retries=0" in cmd and "--Voila.ip=127.0.0.1" in cmd
True
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from systemic.paths import NOTEBOOKS_DIR, PROJECT_ROOT

#: Our Voila template (no CDN) lives in the widgets package.
JUPYTER_DATA = PROJECT_ROOT / "widgets" / "jupyter"
TEMPLATE = "workbook"
#: Participants' browsers may contact only our server: no fonts, scripts or images from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

__all__ = [
    "LOOPBACK",
    "DASHBOARD",
    "FIRST_NOTEBOOK",
    "Server",
    "voila_command",
    "lab_command",
    "start",
    "wait_until_answers",
    "stop",
]

LOOPBACK = "127.0.0.1"
DASHBOARD = NOTEBOOKS_DIR / "dashboards" / "session.ipynb"
FIRST_NOTEBOOK = "notebooks/supervisor/00_start_session.ipynb"


@dataclass
class Server:
    """A server process we started, with the address people open."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    probe_url: str = ""
    log: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)


def voila_command(
    notebook: Path = DASHBOARD,
    *,
    port: int = 8866,
    ip: str = LOOPBACK,
    token: str | None = None,
    pool_size: int = 0,
) -> list[str]:
    """The Voila command line for the participants' dashboard (one notebook only)."""
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--Voila.ip={ip}",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--strip_sources=True",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--Voila.tornado_settings="
        + repr({"headers": {"Content-Security-Policy": CONTENT_SECURITY_POLICY}}),
        "--show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=[]",
        "--VoilaExecutor.timeout=60",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_idle_timeout=600",
    ]
    if token:
        cmd.append(f"--token={token}")
    if pool_size > 0:
        cmd += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    return cmd


def lab_command(*, port: int = 8888, token: str, open_browser: bool = True) -> list[str]:
    """The JupyterLab command line for the supervisor, rooted at the project, on loopback."""
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={PROJECT_ROOT}",
        f"--ServerApp.ip={LOOPBACK}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")  # containers and CI machines run as root
    return cmd


def new_token() -> str:
    """A token hard to guess and easy to read aloud in a room."""
    return secrets.token_urlsafe(12)


def start(
    name: str,
    cmd: Sequence[str],
    *,
    url: str,
    probe_url: str,
    env: dict[str, str] | None = None,
    log: Path | None = None,
) -> Server:
    """Start a server in its own process group so that stopping it stops its kernels too."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    full_env = {**os.environ, **(env or {})}
    # Jupyter finds our Voila template through JUPYTER_PATH.
    full_env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), full_env.get("JUPYTER_PATH", "")) if p
    )
    process = subprocess.Popen(
        list(cmd),
        cwd=PROJECT_ROOT,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Server(name=name, url=url, process=process, probe_url=probe_url, log=log)


def wait_until_answers(server: Server, *, timeout: float = 120.0) -> None:
    """Wait until the server answers HTTP on its probe address, or raise ``TimeoutError``.

    Bounded in time; a process that exits early is reported at once.
    """
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the {server.name} server stopped while starting "
                f"(exit {server.process.returncode})"
                + (f" — see {server.log}" if server.log else "")
            )
        try:
            with urllib.request.urlopen(server.probe_url, timeout=5) as reply:
                if reply.status < 500:
                    return
        except urllib.error.HTTPError as e:
            if e.code < 500:
                return
            last = str(e)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            last = str(e)
        time.sleep(0.25)
    raise TimeoutError(f"the {server.name} server did not answer within {timeout:.0f} s ({last})")


def stop(server: Server, *, grace: float = 10.0) -> None:
    """Stop a server and everything it started (its kernels), by process group."""
    proc = server.process
    if proc.poll() is not None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        return
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace if sig != signal.SIGKILL else 5)
            break
        except subprocess.TimeoutExpired:
            continue
    # Kernels may outlive the server by a moment; make sure the group is gone.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
