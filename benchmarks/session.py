"""What a supervisor's whole session costs: time to the first form, kernels, memory.

``systemic-workbook demo`` (what ``make demo`` runs once the virtualenv is
ready) is started on a temporary store, on loopback ports, without opening a
browser. A headless Chromium then does what the supervisor does: opens the
JupyterLab address the demo prints, chooses Run ▸ Run All Cells, and goes
through every step of the session with the "Move the group on" button. Printed:

- ``first_form_s``: seconds from starting the command until "Start the session"
  can be pressed (the kernel idle, so a click is handled at once);
- ``kernels_per_session``: the supervisor's kernels (JupyterLab's
  ``/api/kernels``) once every step has been shown (it was 8, one per step
  notebook, before the one session notebook);
- ``supervisor_mb``: resident memory of JupyterLab and its kernels at the end
  of the session, read from ``/proc`` (it was about 900 MB with eight notebooks);
- ``servers_up_s`` and ``notebook_shown_s``: on the way there, when the demo printed
  its addresses (both servers answering) and when the notebook's cells were drawn;
- ``step_s``: the slowest "Move the group on" until the next step says the group
  is there.

Every wait is bounded; the demo is stopped by its process group. Usage::

    .venv/bin/python benchmarks/session.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 120_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    return children


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def supervisor_processes(demo_pid: int) -> list[int]:
    """JupyterLab (started by the demo) and everything under it: its kernels."""
    children = _tree()
    below = [p for p in children.get(demo_pid, []) if b"jupyterlab" in _cmdline(p)]
    out, todo = [], list(below)
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _start_demo(store: Path, lab_port: int, port: int) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "SYSTEMIC_WORKBOOK_STORE": str(store), "HOME": str(store.parent)}
    env.pop("SYSTEMIC_WORKBOOK_SESSION", None)
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("systemic-workbook")), "demo", "--no-browser",
         "--lab-port", str(lab_port), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        start_new_session=True, cwd=ROOT,
    )
    deadline = time.monotonic() + WAIT_MS / 1000
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"Supervisor \(JupyterLab\):\s+(\S+)", line)
        if found:
            return proc, found.group(1)
        if not line and proc.poll() is not None:
            break
    _stop(proc)
    raise SystemExit("the demo did not print the supervisor's address")


def _stop(proc: subprocess.Popen[str]) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            return


def _run_all(page: object) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.body.innerText.includes('| Idle')", timeout=WAIT_MS)
    start = page.get_by_role("button", name="Start the session")  # type: ignore[attr-defined]
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()  # type: ignore[attr-defined]
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()  # type: ignore[attr-defined]
        try:
            start.wait_for(timeout=WAIT_MS)
            break
        except Exception:  # noqa: BLE001 - the menu was not ready: try again
            page.keyboard.press("Escape")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.body.innerText.includes('| Idle')", timeout=WAIT_MS)


def measure() -> dict[str, float | int]:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-session-"))
    lab_port, port = _free_port(), _free_port()
    began = time.monotonic()
    proc, url = _start_demo(folder / "workbook.db", lab_port, port)
    printed = time.monotonic() - began
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, timeout=WAIT_MS)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT_MS)
            shown = time.monotonic() - began
            _run_all(page)
            first_form = time.monotonic() - began
            slowest = 0.0
            sections = page.locator(".wb-step-section")
            for number in range(1, sections.count()):
                button = sections.nth(number - 1).get_by_role(
                    "button", name=re.compile("^Move the group on"))
                button.scroll_into_view_if_needed()
                moved = time.monotonic()
                button.click()
                sections.nth(number).get_by_text("The group is on this step.").wait_for(
                    timeout=WAIT_MS)
                slowest = max(slowest, time.monotonic() - moved)
            token = url.split("token=")[1]
            api = f"http://127.0.0.1:{lab_port}/api/kernels?token={token}"
            with urllib.request.urlopen(api, timeout=10) as answer:  # noqa: S310 - loopback
                kernels = len(json.loads(answer.read()))
            memory = sum(_rss_mb(p) for p in supervisor_processes(proc.pid))
            browser.close()
    finally:
        _stop(proc)
    return {
        "first_form_s": round(first_form, 1),
        "servers_up_s": round(printed, 1),
        "notebook_shown_s": round(shown, 1),
        "kernels_per_session": kernels,
        "supervisor_mb": round(memory),
        "step_s": round(slowest, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
