"""Starting the supervisor's JupyterLab and the participants' Voila, and stopping them.

The participants' server is the one that faces a room of laptops, so its
settings are chosen here once, where they can be read and tested: one
dashboard notebook only (Voila's folder mode would list every notebook,
JUPYTER.md §1.3), sources stripped, tracebacks hidden (they could hold case
text), ``port_retries=0`` so a busy port is an error instead of a silent
move, no files served, and loopback unless sharing is asked for. Sharing on
the room's network needs a token: the join link carries it, and without it
the server answers 403 to everything (:mod:`widgets.jupyter.auth`).

Voila runs through :mod:`widgets.jupyter.room`, which gives the room a
fixed number of places (kernels never exceed them; a page beyond them is told
the session is full), shuts down the kernels of closed pages, refuses the
kernel API and any host name but ours, and sets strict headers and cookies.

Kernels can be pre-heated (``pool_size``): Voila starts them and runs the
dashboard ahead of time, so a participant joining gets a page at once
instead of waiting for a kernel to start (JUPYTER.md §1.6, PR #936). Voila
refuses pre-heating together with progressive rendering or a prelaunch hook;
we use neither.

This module builds command lines and runs processes; it holds no domain
logic and imports no Jupyter code.

>>> cmd = voila_command(Path("dash.ipynb"), port=8866)
>>> "--Voila.port_retries=0" in cmd and "--Voila.ip=127.0.0.1" in cmd
True
>>> cmd[2], "--RoomVoila.places=3" in cmd
('widgets.jupyter.room', True)
>>> any(a.startswith("--preheat_kernel") for a in voila_command(port=8866, pool_size=4))
True
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from systemic.errors import WorkbookError
from systemic.paths import NOTEBOOKS_DIR, PROJECT_ROOT

#: Our Voila templates (no CDN) live in the widgets package.
JUPYTER_DATA = PROJECT_ROOT / "widgets" / "jupyter"
TEMPLATE = "workbook"
#: The participants' dashboard: the page as drawn, kept current by a small client of its
#: kernel instead of Voila's JupyterLab front end (widgets/jupyter/voila/templates/room).
ROOM_TEMPLATE = "room"
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
    "PROBE_PATH",
    "Server",
    "voila_command",
    "places_for",
    "lab_command",
    "new_token",
    "room_address",
    "join_url",
    "probe_url",
    "qr_code",
    "check_port_free",
    "start",
    "wait_until_answers",
    "wait_for_log",
    "stop",
]

LOOPBACK = "127.0.0.1"
#: A small static file every Voila serves: probing it starts no kernel (probing ``/`` would
#: use up a pre-heated one).
PROBE_PATH = "voila/static/voila.js"
#: The sign-in that answers 403 without the token (no login page).
TOKEN_ONLY = "widgets.jupyter.auth.TokenOnlyIdentityProvider"
#: Seconds Voila would wait before replacing a pre-heated kernel just used. In a room the
#: pool is never refilled beyond its places (:mod:`widgets.jupyter.room`): a place is
#: pre-heated again only when a page closes, so this only matters outside a room.
FILL_DELAY = 60.0
#: Places when nothing is pre-heated (the trainer's plenary, ``serve --participants 0``).
MIN_PLACES = 3
#: The module that runs Voila for a room (places, no kernel API, our host names only).
ROOM_MODULE = "widgets.jupyter.room"


def places_for(participants: int) -> int:
    """Kernels to pre-heat for a room: one each, and a few spare for reloads and late-comers.

    >>> places_for(0), places_for(1), places_for(10), places_for(30)
    (0, 3, 12, 33)
    """
    if participants <= 0:
        return 0
    return participants + max(2, -(-participants // 10))
#: Front-end extensions participants' pages never need (code highlighting: sources are stripped).
UNUSED_EXTENSIONS = ["jupyterlab_pygments"]
DASHBOARD = NOTEBOOKS_DIR / "dashboards" / "session.ipynb"
FIRST_NOTEBOOK = "notebooks/supervisor/session.ipynb"


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
    fill_delay: float = FILL_DELAY,
    places: int | None = None,
    hosts: Sequence[str] = (),
    grace_seconds: float | None = None,
) -> list[str]:
    """The Voila command line for the participants' dashboard (one notebook only).

    Parameters
    ----------
    notebook : Path
        The one notebook served; no other file is reachable.
    port : int
        The port; a busy port is an error (``port_retries=0``).
    ip : str
        The address to listen on: loopback unless the room is to join.
    token : str, optional
        Required from every visitor when given (in the link, then a cookie);
        without it the server answers 403.
    pool_size : int
        Kernels pre-heated for participants about to join (0: none).
    fill_delay : float
        Seconds before a used pre-heated kernel is replaced.
    places : int, optional
        Kernels at most, pre-heated or in use (default: ``pool_size``, or
        :data:`MIN_PLACES` when nothing is pre-heated). A page beyond them is
        told the session is full.
    hosts : sequence of str
        Host names served besides loopback ones (the room address when sharing).
    grace_seconds : float, optional
        How long a page may have no websocket before its kernel is shut down
        and its place freed (default: the room's, 40 s).
    """
    if places is None:
        places = pool_size if pool_size > 0 else MIN_PLACES
    places = max(int(places), int(pool_size), 1)
    cmd = [
        sys.executable,
        "-m",
        ROOM_MODULE,
        str(notebook),
        "--no-browser",
        f"--Voila.ip={ip}",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--template={ROOM_TEMPLATE if Path(notebook) == DASHBOARD else TEMPLATE}",
        "--strip_sources=True",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--Voila.tornado_settings="
        + repr({"headers": {"Content-Security-Policy": CONTENT_SECURITY_POLICY}}),
        "--show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=[]",
        f"--VoilaConfiguration.extension_denylist={UNUSED_EXTENSIONS!r}",
        "--VoilaExecutor.timeout=60",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_idle_timeout=600",
        f"--RoomVoila.places={places}",
        f"--RoomVoila.hosts={[h for h in hosts if h]!r}",
        f"--RoomVoila.snapshot={Path(notebook) == DASHBOARD}",
    ]
    if grace_seconds is not None:
        cmd.append(f"--RoomVoila.grace_seconds={float(grace_seconds)}")
    if token:
        cmd += [f"--token={token}", f"--Voila.identity_provider_class={TOKEN_ONLY}"]
    if pool_size > 0:
        cmd += [
            "--preheat_kernel=True",
            f"--pool_size={int(pool_size)}",
            f"--VoilaKernelManager.fill_delay={float(fill_delay)}",
        ]
    return cmd


def lab_command(
    *, port: int = 8888, token: str, open_browser: bool = True, root_dir: Path = PROJECT_ROOT
) -> list[str]:
    """The JupyterLab command line for the supervisor, rooted at the project, on loopback.

    Its configuration strips outputs and widget state from every notebook it saves.
    """
    own = Path(tempfile.mkdtemp(prefix="workbook-lab-"))
    shutil.copytree(JUPYTER_DATA / "lab" / "workspaces", own / "workspaces")
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--config={JUPYTER_DATA / 'supervisor_config.py'}",
        f"--ServerApp.root_dir={root_dir}",
        f"--ServerApp.ip={LOOPBACK}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}",
        # Set up for a supervisor (widgets/jupyter/lab/): no news or update pop-ups, no
        # autosave, kernels shut down with their notebook, the file browser closed. What
        # JupyterLab writes back (settings, layout) goes to a folder of its own, not the project.
        f"--LabApp.app_settings_dir={JUPYTER_DATA / 'lab' / 'settings'}",
        f"--LabApp.user_settings_dir={own / 'user-settings'}",
        f"--LabApp.workspaces_dir={own / 'workspaces'}",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")  # containers and CI machines run as root
    return cmd


def new_token() -> str:
    """A token hard to guess and easy to type from a screen.

    >>> len(new_token()) >= 16
    True
    """
    return secrets.token_urlsafe(12)


def room_address() -> str:
    """This computer's address on the room's network (the one its default route uses).

    Connecting a UDP socket sends nothing; it only asks the system which
    local address it would use.

    Raises
    ------
    WorkbookError
        When the computer is on no network; the message says to give the
        address with ``--address``.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, nothing is sent
            address = str(s.getsockname()[0])
        except OSError:
            address = ""
    if not address or address.startswith("127.") or address == "0.0.0.0":
        raise WorkbookError(
            "This computer does not seem to be on a network the room can reach — connect to "
            "the room's Wi-Fi, or give the address with --address."
        )
    return address


def _host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def join_url(address: str, port: int, token: str | None = None) -> str:
    """The link participants open (with the token, when there is one).

    >>> join_url("192.168.1.20", 8866, "abc")
    'http://192.168.1.20:8866/?token=abc'
    """
    query = f"?{urllib.parse.urlencode({'token': token})}" if token else ""
    return f"http://{_host(address)}:{port}/{query}"


def probe_url(address: str, port: int) -> str:
    """An address that shows the server is up without starting a kernel.

    >>> probe_url("127.0.0.1", 8866)
    'http://127.0.0.1:8866/voila/static/voila.js'
    """
    return f"http://{_host(address)}:{port}/{PROBE_PATH}"


def qr_code(text: str) -> str:
    """A QR code of ``text`` drawn with text characters, for a terminal.

    Dark modules are drawn as light characters on the terminal's dark
    background, as phone cameras expect.

    >>> lines = qr_code("http://192.168.1.20:8866/?token=abc").splitlines()
    >>> len(lines) > 10 and len(set(len(line) for line in lines)) == 1
    True
    """
    import qrcode

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue().rstrip("\n")


def check_port_free(address: str, port: int, flag: str = "--port") -> None:
    """Refuse, in one line, a port something else already listens on.

    Another server there (a JupyterLab of one's own on 8888, a demo still running) would
    answer our readiness probe in place of ours, and the address printed would lead to it.
    The port is bound as Tornado binds it (``SO_REUSEADDR``), then let go at once.

    >>> import socket
    >>> with socket.socket() as taken:
    ...     taken.bind(("127.0.0.1", 0)); taken.listen()
    ...     check_port_free("127.0.0.1", taken.getsockname()[1], "--lab-port")
    Traceback (most recent call last):
    ...
    systemic.errors.WorkbookError: port ... on 127.0.0.1 is in use already ... --lab-port
    """
    import socket

    from systemic.errors import WorkbookError

    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            raise WorkbookError(
                f"port {port} on {address} is in use already (another JupyterLab, or the "
                f"workbook still running?) — stop it, or choose another port with {flag}"
            ) from None


def start(
    name: str,
    cmd: Sequence[str],
    *,
    url: str,
    probe_url: str,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    cwd: Path = PROJECT_ROOT,
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
        cwd=cwd,
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


def wait_for_log(server: Server, text: str, *, timeout: float = 300.0) -> None:
    """Wait until ``text`` appears in the server's log (e.g. its kernel pool is filled).

    Bounded in time; a process that exits meanwhile is reported at once.
    """
    if server.log is None:
        raise ValueError(f"the {server.name} server was started without a log file")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the {server.name} server stopped (exit {server.process.returncode})"
                f" — see {server.log}"
            )
        with contextlib.suppress(FileNotFoundError):
            if text in server.log.read_text(errors="replace"):
                return
        time.sleep(0.25)
    raise TimeoutError(f"the {server.name} server did not say '{text}' within {timeout:.0f} s")


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
