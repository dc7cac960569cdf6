"""``systemic-workbook``: the workbook's command line.

``demo`` sets up a session on a fictional case and starts both servers;
``serve`` starts the participants' dashboard; ``validate`` checks framework
and case files; ``sessions`` lists what the store holds. Every error is one
plain line and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from systemic.errors import DataFileError, ImpossibleFamily, WorkbookError
from systemic.store.location import StoreAddress

#: Where participants' pages read a PostgreSQL store from (a role that may only read).
VIEWER_STORE_ENV = "SYSTEMIC_WORKBOOK_VIEWER_STORE"

if TYPE_CHECKING:
    from systemic import serving
    from systemic.cases import Case

__all__ = ["main", "build_parser"]

DEMO_CASE = "blended_family.yaml"
DEMO_FRAMEWORK = "camden_practice_framework"
DEMO_PARTICIPANTS = (
    {"name": "Sam", "role": "supervisor"},
    {"name": "Priya", "role": "presenter"},
    {"name": "Tom", "role": "consultant"},
    {"name": "Ade", "role": "reflecting_group"},
    {"name": "Ella", "role": "reflecting_group"},
)
#: Dashboard kernels pre-heated by `serve` (and by the demo, one per participant but the
#: supervisor); each costs about 60 MB (benchmarks/live.py).
DEFAULT_PREHEATED = 5
DEMO_PREHEATED = len(DEMO_PARTICIPANTS) - 1
MAX_PREHEATED = 100
#: What Voila writes in its log once its pre-heated kernels are all ready.
POOL_FILLED = "is filled with"


def _err(message: str) -> int:
    print(f"systemic-workbook: {message}", file=sys.stderr)
    return 2


# -- validate -----------------------------------------------------------------------------------


def _read_gedcom(path: Path) -> Case:
    """A GEDCOM file as a case, printing one line per kind of thing mended on import."""
    from systemic.genogram.gedcom import read_gedcom

    imported = read_gedcom(path)
    for note in imported.notes:
        print(note, file=sys.stderr)
    return imported.case


def _validate_one(path: Path) -> str:
    """Check one file; return a short description, or raise DataFileError."""
    if path.suffix.lower() == ".ged":
        case = _read_gedcom(path)
        return f"GEDCOM family tree, {len(case.people)} people"
    from systemic.data_files import read_data_file, readers_of
    from systemic.datafile import read_yaml

    if readers_of(path):  # wording or a vocabulary of the workbook's own, perhaps reworded
        read_data_file(path)
        return "the workbook's own wording"
    data = read_yaml(path)
    if isinstance(data, dict) and ("council" in data or "prompts" in data):
        from systemic.frameworks import load_framework

        framework = load_framework(path)
        return f"framework: {framework.name}"
    from systemic.cases import parse_case

    case = parse_case(data, path)
    kind = "fictional training case" if case.fictional else "case"
    return f"{kind}, {len(case.people)} people"


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file named, whatever happens to one of them, and say which are wrong."""
    from systemic.datafile import printable

    bad = 0
    for name in args.files:
        path = Path(name)
        try:
            what = _validate_one(path)
        except DataFileError as e:
            bad += 1
            for problem in e.problems:
                print(problem, file=sys.stderr)
        except WorkbookError as e:
            bad += 1
            print(f"{path}: {printable(str(e), 300)}", file=sys.stderr)
        except (RecursionError, MemoryError, Exception) as e:  # noqa: BLE001 - see below
            # A fault of ours, not of the file: the fuzz suite (tests/test_fuzz.py) keeps
            # these at zero; if one slips through, the other files are still checked.
            bad += 1
            print(f"{path}: could not be checked ({type(e).__name__}) — please report this "
                  "with the file to the workbook's developers", file=sys.stderr)
        else:
            print(f"{path}: ok ({what})")
    return 2 if bad else 0


# -- genogram -----------------------------------------------------------------------------------


def cmd_genogram(args: argparse.Namespace) -> int:
    from systemic.genogram.export import export_png, export_svg

    if not args.svg and not args.png:
        return _err("say where to write the genogram: --svg OUT.svg and/or --png OUT.png")
    path = Path(args.file)
    if path.suffix.lower() == ".ged":
        case = _read_gedcom(path)
    else:
        from systemic.cases import load_case

        case = load_case(path)
    options = {"privacy": args.privacy, "notation": args.notation,
               "relationships": args.relationships}
    if args.around:
        from systemic.genogram.focus import family_around

        try:
            case = family_around(case, args.around, generations=args.generations)
        except KeyError:
            return _err(f"--around {args.around}: no one in {path.name} has that id — "
                        "give a person's id as the file writes it")
    if args.svg:
        written = export_svg(case, args.svg, **options)
        print(f"{written}: genogram of {len(case.people)} people")
    if args.png:
        written = export_png(case, args.png, note=lambda line: print(line, file=sys.stderr),
                             **options)
        print(f"{written}: genogram of {len(case.people)} people")
    return 0


# -- store helpers ------------------------------------------------------------------------------


def _store_path(flag: str | None) -> StoreAddress:
    """The store the command uses: a SQLite file, or a PostgreSQL database (see location.py)."""
    from systemic.store.location import resolve_store

    return resolve_store(flag)


def _viewer_store(args: argparse.Namespace, store: StoreAddress) -> StoreAddress:
    """What participants' pages open: ``--viewer-store`` (a PostgreSQL role that may only
    read), else ``$SYSTEMIC_WORKBOOK_VIEWER_STORE``, else the store itself (read-only)."""
    from systemic.store.location import parse_store_address

    given = getattr(args, "viewer_store", None) or os.environ.get(VIEWER_STORE_ENV, "").strip()
    return parse_store_address(given) if given else store


def _check_readable(store_path: StoreAddress, session_id: str | None = None) -> None:
    """Open the store read-only as participants will, so a problem is one line here, now;
    a session named (``serve --session``) must be in it."""
    from systemic.store import Store

    with Store.open(store_path, readonly=True) as store:
        if session_id:
            store.session(session_id)  # raises UnknownSession, said in one line by main()


def cmd_sessions(args: argparse.Namespace) -> int:
    from systemic.dates import long_date
    from systemic.store import Store

    path = _store_path(args.store)
    if not path.exists():
        print(f"No sessions yet (store: {path})")
        return 0
    with Store.open(path, readonly=True) as store:
        sessions = store.list_sessions()
        print(f"store: {path}")
        for s in sessions:
            print(f"{s.id}  {long_date(s.date) if s.date else ''}  {s.title}")
        if not sessions:
            print("No sessions yet")
    return 0


# -- demo and serve -----------------------------------------------------------------------------


def _start_demo_session(store_path: StoreAddress) -> str:
    from systemic.cases import load_case
    from systemic.dates import long_date
    from systemic.paths import CASES_DIR
    from systemic.session import DEMO_TEAM, SupervisorSession
    from systemic.store import Store

    case = load_case(CASES_DIR / DEMO_CASE)
    with Store.open(store_path) as store:
        session = SupervisorSession.start(
            store,
            framework_id=DEMO_FRAMEWORK,
            case=case,
            participants=DEMO_PARTICIPANTS,
            team=DEMO_TEAM,
            title=f"Demo group supervision — {long_date(dt.date.today())}",
        )
        return session.session_id


def _stop_on_signals() -> None:
    """Ctrl-C, or a polite kill (SIGTERM, SIGHUP), stops the servers cleanly.

    A command started in the background inherits an ignored Ctrl-C, and a kill
    would skip the clean-up that stops the servers' kernels; both become a
    KeyboardInterrupt instead.
    """
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            signal.signal(sig, interrupt)


def _stop_servers(*servers: serving.Server) -> None:
    """Stop the servers, with Ctrl-C (and a polite kill) ignored meanwhile: they are
    being stopped already, and a second Ctrl-C would leave them half stopped and print
    a traceback. Each stop is bounded (:func:`systemic.serving.stop` ends with a kill).

    >>> _stop_servers()
    """
    import signal

    from systemic import serving

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = {}
    for sig in signals:
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            before[sig] = signal.signal(sig, signal.SIG_IGN)
    try:
        for server in servers:
            serving.stop(server)
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _participant_env(store_path: StoreAddress, session_id: str | None) -> dict[str, str]:
    env = {"SYSTEMIC_WORKBOOK_STORE": store_path.value}
    if session_id:
        env["SYSTEMIC_WORKBOOK_SESSION"] = session_id
    return env


def _demo_store(args: argparse.Namespace) -> StoreAddress:
    """The demo's store: a throwaway file for ``--check`` unless one is named."""
    if args.check and not args.store and "SYSTEMIC_WORKBOOK_STORE" not in os.environ:
        return _store_path(str(Path(tempfile.mkdtemp(prefix="workbook-demo-")) / "workbook.db"))
    return _store_path(args.store)


def _start_lab(args: argparse.Namespace, token: str, env: dict[str, str],
               logs: Path) -> serving.Server:
    """The supervisor's JupyterLab, opening on the first notebook."""
    from systemic import serving

    lab_url = f"http://{serving.LOOPBACK}:{args.lab_port}/lab/tree/{serving.FIRST_NOTEBOOK}"
    return serving.start(
        "supervisor (JupyterLab)",
        serving.lab_command(
            port=args.lab_port,
            token=token,
            open_browser=not (args.check or args.no_browser),
        ),
        url=f"{lab_url}?token={token}",
        probe_url=f"http://{serving.LOOPBACK}:{args.lab_port}/api/status?token={token}",
        env=env,
        log=logs / "jupyterlab.log",
    )


def _start_demo_participants(args: argparse.Namespace, env: dict[str, str],
                             logs: Path) -> serving.Server:
    """The participants' Voila, with a kernel ready for each demo participant."""
    from systemic import serving

    return serving.start(
        "participants (Voila)",
        serving.voila_command(
            port=args.port, pool_size=0 if args.check else DEMO_PREHEATED
        ),
        url=f"http://{serving.LOOPBACK}:{args.port}/",
        probe_url=serving.probe_url(serving.LOOPBACK, args.port),
        env=env,
        log=logs / "voila.log",
    )


def _say_demo_running(servers: list[serving.Server], store_path: StoreAddress,
                      logs: Path) -> None:
    print("The workbook is running.")
    print(f"  Supervisor (JupyterLab): {servers[0].url}")
    print(f"  Participants (Voila):    {servers[1].url}")
    print(f"  Session store:           {store_path}")
    print(f"  Server logs:             {logs}")
    print("Press Ctrl-C to stop both.")


def cmd_demo(args: argparse.Namespace) -> int:
    from systemic import serving

    store_path = _demo_store(args)
    serving.check_port_free(serving.LOOPBACK, args.lab_port, "--lab-port")
    serving.check_port_free(serving.LOOPBACK, args.port, "--port")
    _start_demo_session(store_path)  # the running session: both servers follow it
    env = _participant_env(_viewer_store(args, store_path), None)
    lab_env = _participant_env(store_path, None)
    _stop_on_signals()
    token = serving.new_token()
    logs = Path(tempfile.mkdtemp(prefix="workbook-logs-"))
    servers: list[serving.Server] = []
    try:
        servers.append(_start_lab(args, token, lab_env, logs))
        servers.append(_start_demo_participants(args, env, logs))
        for server in servers:
            serving.wait_until_answers(server, timeout=args.timeout)
        if args.check:
            print(
                f"demo ok: supervisor={servers[0].url} participants={servers[1].url} "
                f"store={store_path}"
            )
            return 0
        _say_demo_running(servers, store_path, logs)
        while all(s.process.poll() is None for s in servers):
            time.sleep(1)
        return _err("a server stopped unexpectedly — see the logs above")
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    except (TimeoutError, RuntimeError) as e:
        return _err(str(e))
    finally:
        _stop_servers(*servers)


def _serve_address(args: argparse.Namespace) -> str:
    """Where the participants' server listens: loopback, or the room's network with --share."""
    from systemic import serving

    if not args.share:
        if args.address and args.address not in (serving.LOOPBACK, "localhost"):
            raise WorkbookError(
                f"--address {args.address} would let others on the network join — add --share, "
                "which also asks them for a token."
            )
        return serving.LOOPBACK
    return args.address or serving.room_address()


def _start_participants(args: argparse.Namespace, store_path: StoreAddress) -> serving.Server:
    """The participants' Voila: on loopback, or on the room's network with a token."""
    from systemic import serving

    viewer_store = _viewer_store(args, store_path)
    _check_readable(viewer_store, args.session)
    address = _serve_address(args)
    serving.check_port_free(address, args.port)
    token = serving.new_token() if args.share else None
    env = _participant_env(viewer_store, args.session)
    logs = Path(tempfile.mkdtemp(prefix="workbook-logs-"))
    _stop_on_signals()
    return serving.start(
        "participants (Voila)",
        serving.voila_command(
            port=args.port, ip=address, token=token,
            pool_size=serving.places_for(args.participants),
            hosts=[address] if args.share else (),
        ),
        url=serving.join_url(address, args.port, token),
        probe_url=serving.probe_url(address, args.port),
        env=env,
        log=logs / "voila.log",
    )


def _say_where_to_join(args: argparse.Namespace, server: serving.Server,
                       store_path: StoreAddress) -> None:
    from systemic import serving

    print("Participants can join at:", flush=True)
    print(f"  {server.url}", flush=True)
    if args.share:
        print(serving.qr_code(server.url), flush=True)
        print(
            "Scan the code with a phone or tablet camera, or type the link. "
            "Anyone without the link sees nothing.",
            flush=True,
        )
    print(f"Session store: {store_path}", flush=True)
    print(f"Server log:    {server.log}", flush=True)
    if args.participants:
        print(f"Getting {args.participants} places ready…", flush=True)
    print("Press Ctrl-C to stop.", flush=True)


def _run_until_stopped(args: argparse.Namespace, server: serving.Server) -> None:
    """Wait while the server runs, saying once when every place asked for is ready."""
    ready = not args.participants
    while server.process.poll() is None:
        time.sleep(1)
        if not ready and server.log and POOL_FILLED in server.log.read_text(errors="replace"):
            ready = True
            people = "participant" if args.participants == 1 else "participants"
            print(f"Ready for {args.participants} {people}.", flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from systemic import serving

    store_path = _store_path(args.store)
    if not store_path.exists():
        return _err(f"no session store at {store_path} — start a session first (make demo)")
    if args.participants < 0 or args.participants > MAX_PREHEATED:
        return _err(
            f"--participants must be a number from 0 to {MAX_PREHEATED}, not {args.participants}"
        )
    server = _start_participants(args, store_path)
    try:
        serving.wait_until_answers(server, timeout=args.timeout)
        _say_where_to_join(args, server, store_path)
        _run_until_stopped(args, server)
        return _err(f"the participants' server stopped unexpectedly — see {server.log}")
    except KeyboardInterrupt:
        return 0
    except (TimeoutError, RuntimeError) as e:
        return _err(str(e))
    finally:
        _stop_servers(server)


def cmd_hub(args: argparse.Namespace) -> int:
    """The council service in miniature: JupyterHub, a room per session, PostgreSQL (loopback)."""
    from systemic import hub_demo

    _stop_on_signals()
    demo = None
    try:
        demo = hub_demo.start_hub_demo(
            port=args.port, supervisors=tuple(args.supervisor or ["sam"]), store=args.store,
            places=args.participants + 2,
        )
        names = ", ".join(args.supervisor or ["sam"])
        print(f"Supervisors sign in at: {demo.url}/hub/login  (as {names}; any password)",
              flush=True)
        print("Participants sign in with any other name and join by the link the session "
              "notebook shows.", flush=True)
        print(f"Session store: {demo.store}", flush=True)
        print(f"Hub log:       {demo.hub.log}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while demo.hub.process.poll() is None:
            time.sleep(1)
        return _err(f"the hub stopped unexpectedly — see {demo.hub.log}")
    except KeyboardInterrupt:
        return 0
    except (WorkbookError, TimeoutError, RuntimeError) as e:
        return _err(str(e))
    finally:
        if demo is not None:
            hub_demo.stop_hub_demo(demo)


def cmd_plenary(args: argparse.Namespace) -> int:
    """Serve the trainer's plenary page (every breakout group side by side) on loopback."""
    from systemic import serving
    from systemic.paths import NOTEBOOKS_DIR
    from systemic.store import Store
    from systemic.workshop.breakout import WORKSHOP_ENV, load_workshop

    store_path = _store_path(args.store)
    if not store_path.exists():
        return _err(f"no session store at {store_path} — create a workshop first "
                    "(notebooks/workshop/00_breakout_groups)")
    viewer_store = _viewer_store(args, store_path)
    _check_readable(viewer_store)
    serving.check_port_free(serving.LOOPBACK, args.port)
    env = {"SYSTEMIC_WORKBOOK_STORE": viewer_store.value}
    if args.workshop:
        with Store.open(viewer_store, readonly=True) as store:
            env[WORKSHOP_ENV] = load_workshop(store, args.workshop).id
    _stop_on_signals()
    server = serving.start(
        "plenary (Voila)",
        serving.voila_command(NOTEBOOKS_DIR / "dashboards" / "plenary.ipynb", port=args.port),
        url=serving.join_url(serving.LOOPBACK, args.port),
        probe_url=serving.probe_url(serving.LOOPBACK, args.port),
        env=env,
        log=Path(tempfile.mkdtemp(prefix="workbook-logs-")) / "voila.log",
    )
    try:
        serving.wait_until_answers(server, timeout=args.timeout)
        print(f"The plenary is at: {server.url}", flush=True)
        print(f"Session store: {store_path}", flush=True)
        print(f"Server log:    {server.log}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while server.process.poll() is None:
            time.sleep(1)
        return _err(f"the plenary's server stopped unexpectedly — see {server.log}")
    except KeyboardInterrupt:
        return 0
    except (TimeoutError, RuntimeError) as e:
        return _err(str(e))
    finally:
        _stop_servers(server)


# -- parser -------------------------------------------------------------------------------------


#: What `add_subparsers` returns; each `_add_…` below adds one subcommand to it.
_Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _store_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        help="session store: a file, or a postgresql:// address (default: "
        "$SYSTEMIC_WORKBOOK_STORE or a file in your user data folder)",
    )


def _viewer_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--viewer-store", metavar="ADDRESS",
        help="for a PostgreSQL store: the address participants' pages read with, as a "
        "role that may only read (default: $SYSTEMIC_WORKBOOK_VIEWER_STORE, else --store)",
    )


def _port(text: str) -> int:
    """A port number a server can listen on (a larger one would be taken modulo 65,536 and
    the address printed would lead nowhere).

    >>> _port("8866")
    8866
    >>> _port("99999")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number from 1 to 65535, not 99999
    """
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a number from 1 to 65535, not {text}")
    return port


def _timeout_flag(p: argparse.ArgumentParser) -> None:
    """How long to wait for a server to answer; for the tests, so hidden from ``--help``."""
    p.add_argument("--timeout", type=float, default=180.0, help=argparse.SUPPRESS)


def _add_validate(sub: _Subcommands) -> None:
    p = sub.add_parser("validate", help="check framework, case and GEDCOM files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)


def _add_demo(sub: _Subcommands) -> None:
    p = sub.add_parser("demo", help="start a demo session on a fictional case")
    _store_flag(p)
    _viewer_flag(p)
    p.add_argument("--check", action="store_true", help="start both servers, check, stop")
    p.add_argument("--port", type=_port, default=8866, help="participants' port (default 8866)")
    p.add_argument("--lab-port", type=_port, default=8888, help="supervisor's port (default 8888)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    _timeout_flag(p)
    p.set_defaults(func=cmd_demo)


def _add_serve(sub: _Subcommands) -> None:
    p = sub.add_parser("serve", help="serve the participants' read-only dashboard")
    _store_flag(p)
    _viewer_flag(p)
    p.add_argument("--session", help="session id (default: the newest)")
    p.add_argument(
        "--share",
        action="store_true",
        help="let the room join over this computer's network, with a token in the link "
        "(default: this computer only)",
    )
    p.add_argument(
        "--participants",
        type=int,
        default=DEFAULT_PREHEATED,
        metavar="N",
        help=f"get N places ready before people join (default {DEFAULT_PREHEATED})",
    )
    p.add_argument("--port", type=_port, default=8866, help="port (default 8866)")
    p.add_argument(
        "--address",
        help="network address to share on (default: this computer's address on the room's "
        "network; needs --share)",
    )
    _timeout_flag(p)
    p.set_defaults(func=cmd_serve)


def _add_plenary(sub: _Subcommands) -> None:
    p = sub.add_parser("plenary", help="serve the trainer's plenary: every breakout group live")
    _store_flag(p)
    _viewer_flag(p)
    p.add_argument("--workshop", help="workshop id (default: the newest workshop)")
    p.add_argument("--port", type=_port, default=8867, help="port (default 8867)")
    _timeout_flag(p)
    p.set_defaults(func=cmd_plenary)


def _add_hub(sub: _Subcommands) -> None:
    p = sub.add_parser("hub", help="the council service in miniature: JupyterHub on this computer")
    p.add_argument("--port", type=_port, default=8000, help="where the hub listens (127.0.0.1)")
    p.add_argument("--supervisor", action="append", help="a supervisor's sign-in name (repeat)")
    p.add_argument("--participants", type=int, default=10, help="places each room keeps ready")
    p.add_argument("--store", help="a postgresql:// address (default: a throwaway server)")
    p.set_defaults(func=cmd_hub)


def _add_sessions(sub: _Subcommands) -> None:
    p = sub.add_parser("sessions", help="list the sessions in the store")
    _store_flag(p)
    p.set_defaults(func=cmd_sessions)


def _add_genogram(sub: _Subcommands) -> None:
    p = sub.add_parser("genogram", help="draw a case's genogram as SVG and PNG files")
    p.add_argument("file", metavar="FILE", help="a case file (.yaml) or a family tree (.ged)")
    p.add_argument("--svg", metavar="OUT.svg", help="write the drawing as SVG here")
    p.add_argument("--png", metavar="OUT.png", help="write the same drawing as PNG here")
    p.add_argument("--privacy", action="store_true", help="initials instead of names")
    p.add_argument("--notation", choices=("mcgoldrick", "genopro"), default="mcgoldrick",
                   help="symbol set (default: mcgoldrick)")
    p.add_argument("--relationships", choices=("all", "none"), default="all",
                   help="draw the emotional relationship lines, or not (default: all)")
    p.add_argument("--around", metavar="PERSON",
                   help="only the family around this person (their id): parents and "
                        "grandparents, partners, siblings, children and grandchildren")
    p.add_argument("--generations", type=int, default=2, metavar="N",
                   help="with --around: generations up and down (default: 2)")
    p.set_defaults(func=cmd_genogram)


def _add_questions(sub: _Subcommands) -> None:
    from systemic.questions import cli as questions_cli

    p = sub.add_parser("questions", help="circular questions for a family, from its case file")
    questions_cli.add_arguments(p)
    p.set_defaults(func=questions_cli.run)


def _add_export(sub: _Subcommands) -> None:
    from systemic.export import cli as export_cli

    p = sub.add_parser("export", help="the note for the child's file, as DOCX, Markdown or HTML")
    export_cli.add_arguments(p)
    p.set_defaults(func=export_cli.run)


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per task, listed by ``--help`` in this order.

    >>> build_parser().parse_args(["sessions"]).command
    'sessions'
    """
    parser = argparse.ArgumentParser(
        prog="systemic-workbook",
        description="A workbook for group reflective supervision in systemic social work.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_validate(sub)
    _add_demo(sub)
    _add_serve(sub)
    _add_plenary(sub)
    _add_hub(sub)
    _add_sessions(sub)
    _add_genogram(sub)
    _add_questions(sub)
    _add_export(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (DataFileError, ImpossibleFamily, WorkbookError) as e:
        return _err(str(e).splitlines()[0] if str(e) else type(e).__name__)
    except BrokenPipeError:
        # The reader stopped early (`… | head`): nothing more to say, and no traceback.
        # Python's own advice: point stdout at devnull so its final flush cannot fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
