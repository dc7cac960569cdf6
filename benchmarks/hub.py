"""What the council service costs: memory of a hub with one session under way, and joining a room.

Starts the real demonstration (``systemic-workbook hub``'s code: JupyterHub
and its proxy, local processes, a throwaway PostgreSQL) on 127.0.0.1, signs a
supervisor in, starts their JupyterLab, opens a room for a session on the
blended-family training case, and has N participants (one headless Chromium,
a browser context each) sign in, accept the link and see the genogram. In the
same run the same dashboard is served by Voila directly (``systemic-workbook
serve``'s command line, the same number of pre-heated places) and joined the
same way. Printed (JSON with ``--json``):

- ``hub_join_median_ms``: from pressing "Accept" on the hub's invitation page
  until the genogram is drawn (this includes the hub's sign-in redirects,
  which happen on the first visit only);
- ``direct_join_median_ms``: from navigation until the genogram is drawn,
  Voila served directly; ``hub_over_direct`` is their ratio;
- ``hub_total_mb``: resident memory of everything the service runs while the
  room is full — the hub, its proxy, the supervisor's JupyterLab and a kernel
  of theirs, the room's proxy, Voila and every kernel (viewers and
  pre-heated), and PostgreSQL — with ``parts_mb`` splitting it.

Every wait is bounded; everything is stopped by process id.

Usage::

    .venv/bin/python benchmarks/hub.py --json --participants 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import requests  # noqa: E402

# The same browser, loopback-only, as the room benchmark's (benchmarks/live.py).
from benchmarks.live import CHROMIUM, CHROMIUM_ARGS, LOAD_MS, note  # noqa: E402
from systemic import hub_demo, serving  # noqa: E402
from systemic.cases import load_case  # noqa: E402
from systemic.paths import CASES_DIR  # noqa: E402
from systemic.session import SupervisorSession  # noqa: E402
from systemic.store import Store  # noqa: E402
from widgets.jupyter import hub_room  # noqa: E402

GENOGRAM = ".wb-geno-stage svg g.person"
SUPERVISOR = "sam"


def _free_port(start: int) -> int:
    import socket

    for port in range(start, start + 2000, 100):
        with socket.socket() as a, socket.socket() as b, socket.socket() as c:
            if all(s.connect_ex((serving.LOOPBACK, p)) != 0
                   for s, p in ((a, port), (b, port + 1), (c, port + 81))):
                return port
    raise RuntimeError("no free ports")


def _rss_mb(processes: list[psutil.Process]) -> float:
    total = 0
    for p in processes:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total / 1e6


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _kernels(processes: list[psutil.Process]) -> list[psutil.Process]:
    found = []
    for p in processes:
        try:
            if "ipykernel_launcher" in " ".join(p.cmdline()):
                found.append(p)
        except psutil.Error:
            continue
    return found


def _wait_for_kernels(pid: int, count: int, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(_kernels(_tree(pid))) >= count:
            time.sleep(5)  # let the last ones finish running the dashboard
            return
        time.sleep(1)
    note(f"warning: fewer than {count} kernels after {timeout:.0f} s")


def _sign_in_api(base: str) -> hub_room.Hub:
    web = requests.Session()
    web.get(f"{base}/hub/login", timeout=30)
    web.post(f"{base}/hub/login", timeout=30, allow_redirects=False,
             data={"username": SUPERVISOR, "password": "any", "_xsrf": web.cookies["_xsrf"]})
    web.headers["X-XSRFToken"] = web.cookies["_xsrf"]
    scopes = ["users:activity!user", "servers!user", "shares!user", "access:servers!user"]
    token = web.post(f"{base}/hub/api/users/{SUPERVISOR}/tokens", json={"scopes": scopes},
                     timeout=30).json()["token"]
    port = int(base.rsplit(":", 1)[1]) + 81
    return hub_room.Hub(f"http://{serving.LOOPBACK}:{port}/hub/api", token, SUPERVISOR, base)


def _wait_ready(hub: hub_room.Hub, server: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        user = requests.get(f"{hub.api_url}/users/{SUPERVISOR}", timeout=30,
                            headers={"Authorization": f"token {hub.token}"}).json()
        if user["servers"].get(server, {}).get("ready"):
            return
        time.sleep(0.5)
    raise TimeoutError("the supervisor's JupyterLab did not start")


def _join_through_hub(browser: Any, base: str, join_url: str, name: str) -> tuple[Any, float]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/hub/login", timeout=LOAD_MS)
    page.fill("#username_input", name)
    page.fill("#password_input", "any")
    page.click("#login_submit")
    page.wait_for_url("**/hub/**", timeout=LOAD_MS)
    page.goto(join_url, timeout=LOAD_MS)
    start = time.perf_counter()
    page.click("button:has-text('Accept invitation')", timeout=LOAD_MS)
    page.wait_for_selector(GENOGRAM, timeout=LOAD_MS, state="attached")
    return context, (time.perf_counter() - start) * 1000


def _join_directly(browser: Any, url: str) -> tuple[Any, float]:
    context = browser.new_context()
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=LOAD_MS, wait_until="commit")
    page.wait_for_selector(GENOGRAM, timeout=LOAD_MS, state="attached")
    return context, (time.perf_counter() - start) * 1000


def _direct(browser: Any, folder: Path, store: str, session_id: str, count: int) -> list[float]:
    port = _free_port(19100)
    cmd = serving.voila_command(port=port, pool_size=count + 2)
    env = {"SYSTEMIC_WORKBOOK_STORE": store, "SYSTEMIC_WORKBOOK_SESSION": session_id}
    server = serving.start("participants (Voila)", cmd, url=f"http://{serving.LOOPBACK}:{port}/",
                           probe_url=serving.probe_url(serving.LOOPBACK, port), env=env,
                           log=folder / "voila.log")
    contexts, times = [], []
    try:
        serving.wait_until_answers(server, timeout=180)
        _wait_for_kernels(server.process.pid, count + 2)
        for i in range(count):
            context, ms = _join_directly(browser, server.url)
            contexts.append(context)
            times.append(ms)
            note(f"  direct {i + 1}/{count}: {ms:.0f} ms")
    finally:
        for context in contexts:
            context.close()
        serving.stop(server)
    return times


def run(participants: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="workbook-bench-hub-"))
    demo = hub_demo.start_hub_demo(port=_free_port(18700), supervisors=(SUPERVISOR,),
                                   places=participants + 2, state=folder / "hub")
    contexts: list[Any] = []
    try:
        with Store.open(demo.store) as store:
            session_id = SupervisorSession.start(
                store, framework_id="camden_practice_framework",
                case=load_case(CASES_DIR / "blended_family.yaml"), title="Benchmark group",
            ).session_id
        hub = _sign_in_api(demo.url)
        requests.post(f"{hub.api_url}/users/{SUPERVISOR}/server", json={}, timeout=60,
                      headers={"Authorization": f"token {hub.token}"})
        _wait_ready(hub, "")
        # The supervisor's notebook kernel, with the workbook imported as the session notebook
        # imports it (a whole session's kernel is measured by benchmarks/session.py).
        kernel = requests.post(f"{demo.url}/user/{SUPERVISOR}/api/kernels", json={}, timeout=60,
                               headers={"Authorization": f"token {hub.token}"})
        kernel.raise_for_status()
        note("hub: opening the room")
        room = hub_room.open_room(session_id, hub)
        _wait_for_kernels(demo.hub.process.pid, participants + 2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                hub_times = []
                for i in range(participants):
                    context, ms = _join_through_hub(browser, demo.url, room.join_url, f"p{i}")
                    contexts.append(context)
                    hub_times.append(ms)
                    note(f"  through the hub {i + 1}/{participants}: {ms:.0f} ms")
                hub_parts = _tree(demo.hub.process.pid)
                database = _tree(demo.database.pid) if demo.database else []
                parts = {
                    "kernels": _rss_mb(_kernels(hub_parts)),
                    "hub_and_servers": _rss_mb([p for p in hub_parts
                                                if p not in _kernels(hub_parts)]),
                    "postgresql": _rss_mb(database),
                }
                for context in contexts:
                    context.close()
                contexts = []
                direct_times = _direct(browser, folder, demo.store, session_id, participants)
            finally:
                browser.close()
    finally:
        for context in contexts:
            context.close()
        hub_demo.stop_hub_demo(demo)
    hub_median = statistics.median(hub_times)
    direct_median = statistics.median(direct_times)
    return {
        "participants": participants,
        "hub_join_median_ms": round(hub_median),
        "direct_join_median_ms": round(direct_median),
        "hub_over_direct": round(hub_median / direct_median, 2),
        "hub_total_mb": round(sum(parts.values())),
        "parts_mb": {k: round(v) for k, v in parts.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.participants)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
