"""Participants can look, never touch: each way of writing through their side is refused.

The participants' server is started as the supervisor starts it for a room
(``systemic-workbook serve --share``), bound to 127.0.0.1 with the explicit
address option so that no test traffic reaches the machine's network
address. The attacks speak the kernel's own websocket protocol, as a
browser's developer tools could.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from systemic.cases import Case, Person
from systemic.errors import ReadOnlyStore
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.session import SupervisorSession
from systemic.store import Store
from tests.conftest import free_port
from widgets.dashboard import SessionDashboard

FRAMEWORK = "camden_practice_framework"


def _case() -> Case:
    return Case(
        id="rivers",
        title="The Rivers family",
        fictional=False,
        people=[
            Person(id="mia", name="Mia Rivers", sex="female", born=2015, index=True),
            Person(id="jo", name="Jo Rivers", sex="female", born=1988),
        ],
    )


def _contents(store: Store, session_id: str) -> tuple[Any, ...]:
    """Everything the store holds about the session, to compare before and after."""
    s = store.session(session_id)
    discussions = store.discussions(session_id)
    records = [(r.id, r.kind, r.payload) for d in discussions for r in store.records(d.id)]
    return (store.version(), s.title, s.current_step, s.selected_person,
            [d.case_data for d in discussions], records)


# -- the dashboard kernel's own store handle ------------------------------------------------------


def test_the_dashboards_store_handle_refuses_every_write(store_path: Path) -> None:
    with Store.open(store_path) as store:
        session = SupervisorSession.start(store, framework_id=FRAMEWORK, case=_case())
        before = _contents(store, session.session_id)
        dashboard = SessionDashboard(store_path, session.session_id)
        handle = dashboard.store
        assert handle is not None and handle.readonly
        with pytest.raises(ReadOnlyStore):
            handle.update_session(session.session_id, title="changed by a viewer")
        with pytest.raises(ReadOnlyStore):
            handle.put_record(session.discussion_id, "hypothesis", {"text": "forged"})
        # Below our own API, SQLite itself was opened read-only and refuses too.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            handle._db.execute("UPDATE sessions SET title = 'changed'")
        assert _contents(store, session.session_id) == before


# -- the participants' server, shared with a token ---------------------------------------------


@dataclass
class Shared:
    process: subprocess.Popen[str]
    base: str
    token: str
    session: SupervisorSession
    store: Store
    output: str


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    path = tmp_path_factory.mktemp("readonly") / "workbook.db"
    store = Store.open(path)
    session = SupervisorSession.start(store, framework_id=FRAMEWORK, case=_case(), title="Room")
    save_hypothesis(store, session.discussion_id, Hypothesis(text="I wonder about Jo"))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "systemic.cli", "serve", "--share", "--address", "127.0.0.1",
         "--port", str(port), "--participants", "3", "--store", str(path),
         "--session", session.session_id],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        assert process.stdout is not None
        while time.monotonic() < deadline:  # bounded: until the places are ready
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Ready for"):
                break
        output = "".join(lines)
        link = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)", output)
        assert link and "Ready for 3 participants." in output, output
        yield Shared(process, f"http://127.0.0.1:{link.group(1)}", link.group(2), session, store,
                     output)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        store.close()
    assert process.returncode is not None


def _get(url: str, cookie: str = "") -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=90) as reply:
            return reply.status, reply.read().decode("utf-8", "replace"), dict(reply.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


def test_sharing_prints_the_join_link_with_its_token_and_a_qr_code(shared: Shared) -> None:
    assert f"{shared.base}/?token={shared.token}" in shared.output
    code = [line for line in shared.output.splitlines()
            if len(line) > 20 and set(line) <= set("█▀▄\xa0 ")]
    assert len(code) > 10 and len({len(line) for line in code}) == 1


def test_without_the_token_nothing_is_served(shared: Shared) -> None:
    for path in ("/", "/login", "/api/kernels", "/voila/api/themes/x"):
        status, body, _ = _get(shared.base + path)
        assert status == 403, path
        assert "Room" not in body and "token" not in body.lower(), path
    status, _, _ = _get(f"{shared.base}/?token=wrong-{shared.token}")
    assert status == 403


def test_no_other_notebook_or_file_listing_is_reachable(shared: Shared) -> None:
    status, _, headers = _get(f"{shared.base}/?token={shared.token}")
    assert status == 200
    cookie = "; ".join(c.split(";")[0] for c in headers.get("Set-Cookie", "").split(", ")
                       if "=" in c.split(";")[0])
    for path in (
        "/notebooks/supervisor/session.ipynb",
        "/voila/render/notebooks/supervisor/session.ipynb",
        "/voila/files/notebooks/supervisor/session.ipynb",
        "/voila/files/notebooks/dashboards/session.ipynb",
        "/voila/files/systemic/cli.py",
        "/voila/files/README.md",
        "/api/contents",
        "/api/contents/notebooks/supervisor",
        "/voila/api/contents",
        "/voila/tree",
        "/voila/tree/notebooks",
        "/tree",
    ):
        status, body, _ = _get(f"{shared.base}{path}?token={shared.token}", cookie)
        assert status in (403, 404), (path, status)
        assert "session" not in body and '"cells"' not in body, path


# -- the kernel websocket -----------------------------------------------------------------------


def _decode(frame: str | bytes) -> dict[str, Any]:
    """One websocket frame as a message: JSON text, or Jupyter's binary framing when the
    message carries buffers (a count, offsets, then the JSON and the buffers)."""
    if isinstance(frame, str):
        return dict(json.loads(frame))
    count = struct.unpack("!i", frame[:4])[0]
    offsets = struct.unpack("!" + "I" * count, frame[4 : 4 * (count + 1)])
    end = offsets[1] if count > 1 else len(frame)
    return dict(json.loads(frame[offsets[0]:end].decode("utf-8")))


class KernelSocket:
    """The kernel's websocket as a page uses it: JSON messages, one per frame."""

    def __init__(self, base: str, kernel_id: str, token: str):
        import websocket

        url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?token={token}"
        self.ws = websocket.create_connection(url, timeout=30)
        self.session = uuid.uuid4().hex

    def send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None,
             channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": "viewer", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": channel,
            "buffers": [],
        }))
        return msg_id

    def replies_to(self, msg_id: str, seconds: float = 20) -> list[dict[str, Any]]:
        """Messages answering ``msg_id`` until the kernel is idle again (bounded in time)."""
        import websocket

        out: list[dict[str, Any]] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                msg = _decode(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            out.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        return out

    def widget_states(self) -> dict[str, dict[str, Any]]:
        """Every widget's state in this kernel, asked for as a page does when it loads."""
        comm_id = uuid.uuid4().hex
        self.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control",
                                "data": {}}, metadata={"version": "1.0.0"})
        ask = self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        for msg in self.replies_to(ask):
            data = msg["content"].get("data", {})
            if msg["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                return {k: v["state"] for k, v in data["states"].items()}
        raise AssertionError("the kernel did not send its widgets' states")

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def kernel(shared: Shared) -> Iterator[KernelSocket]:
    status, page, _ = _get(f"{shared.base}/?token={shared.token}")
    assert status == 200
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                       page, re.S)
    assert config, "the page names its kernel"
    socket = KernelSocket(shared.base, json.loads(config.group(1))["kernelId"], shared.token)
    try:
        yield socket
    finally:
        socket.close()


def test_code_sent_over_the_kernel_websocket_is_never_run(
    shared: Shared, kernel: KernelSocket, tmp_path: Path
) -> None:
    target = tmp_path / "written-by-a-viewer.txt"
    before = _contents(shared.store, shared.session.session_id)
    code = (f"open({str(target)!r}, 'w').write('pwned')\n"
            "import sqlite3, os\n"
            "sqlite3.connect(os.environ['SYSTEMIC_WORKBOOK_STORE'])"
            ".execute(\"UPDATE sessions SET title = 'pwned'\").connection.commit()")
    sent = kernel.send("execute_request", {"code": code, "silent": False, "store_history": False,
                                           "user_expressions": {}, "allow_stdin": False,
                                           "stop_on_error": True})
    # The kernel still answers what is allowed, so the socket works; the code got nowhere.
    info = kernel.send("kernel_info_request", {})
    assert any(m["msg_type"] == "kernel_info_reply" for m in kernel.replies_to(info))
    assert kernel.replies_to(sent, seconds=2) == []
    time.sleep(0.5)
    assert not target.exists()
    assert _contents(shared.store, shared.session.session_id) == before
    log = re.search(r"^Server log: +(\S+)$", shared.output, re.M)
    assert log and 'Received message of type "execute_request", which is not allowed' in (
        Path(log.group(1)).read_text()
    )


def test_forged_widget_messages_change_only_that_viewers_page(
    shared: Shared, kernel: KernelSocket
) -> None:
    before = _contents(shared.store, shared.session.session_id)
    states = kernel.widget_states()
    genogram = next(k for k, s in states.items() if s.get("_model_name") == "AnyModel"
                    and "svg" in s)
    header = next(k for k, s in states.items() if s.get("_model_name") == "HTMLModel"
                  and "wb-title" in s.get("value", ""))
    person = re.search(r'data-person="([^"]+)"', states[genogram]["svg"]).group(1)
    for comm_id, state in ((genogram, {"selected": person, "mode": "edit"}),
                           (header, {"value": "<h1 class='wb-title'>Forged</h1>"})):
        forged = kernel.send("comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": state, "buffer_paths": []}})
        kernel.replies_to(forged, seconds=5)
    after = kernel.widget_states()
    # The forgery reached this viewer's own kernel …
    assert after[genogram]["selected"] == person and after[genogram]["mode"] == "edit"
    assert "Forged" in after[header]["value"]
    # … and nothing else: the store, which every other page shows, is as it was.
    time.sleep(0.5)
    assert _contents(shared.store, shared.session.session_id) == before
    assert shared.store.session(shared.session.session_id).selected_person is None
