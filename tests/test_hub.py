"""The council service on JupyterHub: a room per session, joined by link, closed with the session.

The integration tests start the real demonstration (`systemic-workbook hub`'s
own code: JupyterHub, configurable-http-proxy from npm, local processes and a
throwaway PostgreSQL) on 127.0.0.1, sign people in through the hub's own
login form, and stop everything by process id at the end.
"""

from __future__ import annotations

import doctest
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from systemic.cases import load_case
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.jupyter import hub as hub_module
from widgets.jupyter import hub_room
from widgets.jupyter.hub import ROOM_PREFIX, RoomClients, room_command, room_server_name

SUPERVISOR = "sam"
PARTICIPANT = "ann"


def test_examples_in_the_hub_modules_run() -> None:
    for module in (hub_module, hub_room):
        assert doctest.testmod(module).failed == 0


def test_a_room_listens_on_loopback_and_passes_the_signed_in_user_to_voila() -> None:
    cmd = room_command(5)
    assert cmd[cmd.index("--ip") + 1] == "127.0.0.1"
    assert "--forward-user-info" in cmd
    voila = cmd[cmd.index("--") + 1 :]
    assert f"--RoomVoila.user_header={hub_module.USER_HEADER}" in voila
    assert "--port={port}" in voila and "--Voila.base_url={base_url}/" in voila
    assert "--pool_size=5" in voila
    # jhsingle-native-proxy formats every argument: other braces must come through unchanged
    headers = next(a for a in voila if a.startswith("--Voila.tornado_settings="))
    assert headers.format() .startswith("--Voila.tornado_settings={'headers'")


def test_only_room_servers_skip_the_second_confirmation() -> None:
    clients = RoomClients()
    assert f"jupyterhub-user-sam-{room_server_name('4f2a9c0d1e')}" in clients
    assert "jupyterhub-user-sam" not in clients
    assert "jupyterhub-user-sam-room-../x" not in clients
    assert "service-room-keeper" not in clients


def test_a_session_id_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError):
        room_server_name("../../admin")


# -- the real hub ---------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    # the demo takes port, port+1 (proxy API) and port+81 (hub API): find a quiet block
    for port in range(18300, 19300, 100):
        taken = False
        for p in (port, port + 1, port + 81):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", p)) == 0:
                    taken = True
        if not taken:
            return port
    raise RuntimeError("no free ports for the hub")


@pytest.fixture(scope="module")
def hub_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from systemic import hub_demo as demo_module

    if not demo_module.PROXY.exists():
        pytest.fail("configurable-http-proxy is missing: make test runs npm ci --prefix deploy")
    demo = demo_module.start_hub_demo(
        port=_free_port(), supervisors=(SUPERVISOR,), places=2,
        state=tmp_path_factory.mktemp("hub"),
    )
    try:
        yield demo
    finally:
        demo_module.stop_hub_demo(demo)
        assert demo.hub.process.poll() is not None


def _sign_in(base: str, name: str) -> requests.Session:
    web = requests.Session()
    web.get(f"{base}/hub/login", timeout=30)
    answer = web.post(
        f"{base}/hub/login",
        data={"username": name, "password": "any", "_xsrf": web.cookies.get("_xsrf")},
        allow_redirects=False, timeout=30,
    )
    assert answer.status_code == 302, answer.text[:200]
    web.headers["X-XSRFToken"] = web.cookies.get("_xsrf") or ""
    return web


def _supervisor_hub(base: str, web: requests.Session) -> hub_room.Hub:
    """The hub as the supervisor's JupyterLab sees it: a token with the server's own scopes."""
    scopes = ["users:activity!user", "servers!user", "shares!user"]
    token = web.post(f"{base}/hub/api/users/{SUPERVISOR}/tokens", json={"scopes": scopes},
                     timeout=30).json()["token"]
    port = int(base.rsplit(":", 1)[1]) + 81
    return hub_room.Hub(f"http://127.0.0.1:{port}/hub/api", token, SUPERVISOR, base)


def _wait(predicate, timeout: float = 60.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _new_session(store_address: str, title: str) -> str:
    with Store.open(store_address) as store:
        return SupervisorSession.start(
            store, framework_id="camden_practice_framework",
            case=load_case(CASES_DIR / "blended_family.yaml"), title=title,
        ).session_id


def test_a_participant_joins_one_room_by_link_and_nothing_else(hub_demo) -> None:  # noqa: ANN001
    base = hub_demo.url
    supervisor = _sign_in(base, SUPERVISOR)
    hub = _supervisor_hub(base, supervisor)
    supervisor.post(f"{base}/hub/api/users/{SUPERVISOR}/server", json={}, timeout=30)
    session_id = _new_session(hub_demo.store, "Tuesday group")
    room = hub_room.open_room(session_id, hub)
    other = hub_room.open_room(_new_session(hub_demo.store, "Another group"), hub)
    assert room.join_url.startswith(f"{base}/hub/accept-share?code=")

    participant = _sign_in(base, PARTICIPANT)
    accepted = participant.post(
        f"{base}/hub/accept-share",
        data={"code": room.join_url.split("code=", 1)[1], "_xsrf": participant.cookies["_xsrf"]},
        timeout=120,
    )
    assert accepted.status_code == 200
    assert accepted.url == f"{base}{room.server_url}"
    assert "voila" in accepted.text.lower()
    with Store.open(hub_demo.store, readonly=True) as store:  # noted from the hub's sign-in
        assert store.views_opened(session_id) == 1
        assert store.session(session_id).title == "Tuesday group"
    # each page arrives with the session already drawn, from the PostgreSQL store, read-only
    assert _wait(lambda: "Tuesday group" in participant.get(f"{base}{room.server_url}",
                                                         timeout=60).text, timeout=60)

    assert _wait(lambda: requests.get(
        f"{hub.api_url}/users/{SUPERVISOR}", headers={"Authorization": f"token {hub.token}"},
        timeout=30).json()["servers"].get("", {}).get("ready"), timeout=120)
    refused = {
        "the supervisor's JupyterLab": f"{base}/user/{SUPERVISOR}/lab",
        "the supervisor's files": f"{base}/user/{SUPERVISOR}/api/contents",
        "another session's room": f"{base}{other.server_url}",
        "the hub's admin page": f"{base}/hub/admin",
        "starting a server of their own": f"{base}/hub/spawn",
        "the room's kernels": f"{base}{room.server_url}api/kernels",
    }
    for what, url in refused.items():
        answer = participant.get(url, timeout=60)
        assert answer.status_code in (403, 404), f"{what}: {answer.status_code} {answer.url}"

    hub_room.close_room(room.session_id, hub)
    hub_room.close_room(other.session_id, hub)
    assert participant.get(f"{base}{room.server_url}", timeout=30).status_code in (403, 404)
    assert participant.get(room.join_url, timeout=30).status_code == 404
    assert _wait(lambda: not any(  # removing waits for the room's server to stop
        name.startswith(ROOM_PREFIX) for name in requests.get(
            f"{hub.api_url}/users/{SUPERVISOR}", timeout=30,
            headers={"Authorization": f"token {hub.token}"}).json()["servers"]))


def test_the_demo_leaves_nothing_running_when_stopped(tmp_path: Path) -> None:
    from systemic import hub_demo as demo_module

    demo = demo_module.start_hub_demo(port=_free_port() + 50, places=1, state=tmp_path)
    pids = {demo.hub.process.pid, demo.database.pid if demo.database else None} - {None}
    demo_module.stop_hub_demo(demo)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_notebook_panel_opens_a_room_with_a_link_and_closes_it(hub_demo) -> None:  # noqa: ANN001
    from widgets.room_share import RoomPanel

    base = hub_demo.url
    hub = _supervisor_hub(base, _sign_in(base, SUPERVISOR))
    session_id = _new_session(hub_demo.store, "Thursday group")
    panel = RoomPanel(lambda: session_id, hub)
    room = panel.open()
    assert room is not None, panel.message.value
    assert room.join_url in panel.link.value and "<svg" in panel.link.value
    assert not panel.close_button.disabled and "open" in panel.message.value
    participant = _sign_in(base, "bea")
    assert participant.get(room.join_url, timeout=30).status_code == 200
    panel.close()
    assert panel.link.value == "" and "no longer works" in panel.message.value
    assert participant.get(room.join_url, timeout=30).status_code == 404


def test_outside_a_hub_the_panel_says_how_the_room_joins_instead(monkeypatch) -> None:  # noqa: ANN001
    from widgets.room_share import share_with_room

    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    monkeypatch.delenv("SYSTEMIC_WORKBOOK_STORE", raising=False)  # the usual store
    shown = share_with_room(lambda: "5e5e5e5e5e5e")
    assert "<code>systemic-workbook serve --share</code>" in shown.value
    assert "`" not in shown.value  # a command is shown as code, not in backticks
    # A store other than the usual one is named: the terminal may not have the setting.
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", "/srv/day one/workbook.db")
    shown = share_with_room(lambda: "5e5e5e5e5e5e")
    assert ("<code>systemic-workbook serve --share --store &#39;/srv/day one/workbook.db&#39;"
            "</code>") in shown.value


def test_the_room_keeper_closes_the_room_of_a_session_that_has_ended(hub_demo) -> None:  # noqa: ANN001
    base = hub_demo.url
    hub = _supervisor_hub(base, _sign_in(base, SUPERVISOR))
    session_id = _new_session(hub_demo.store, "Friday group")
    room = hub_room.open_room(session_id, hub)
    with Store.open(hub_demo.store) as store:
        store.end_session(session_id)
    # the keeper looks every few seconds in the demo (every 30 s in a council's service)
    participant = _sign_in(base, "cal")
    assert participant.get(room.join_url, timeout=30).status_code == 200
    assert _wait(lambda: participant.get(room.join_url, timeout=30).status_code == 404, timeout=90)
