"""A room that cannot be abused: places, closed pages, no kernel API, our names only, headers.

One real participants' server (``widgets.jupyter.room``, as ``serve`` starts
it) with two places, a token and a room name, on 127.0.0.1, stopped by
process id at the end. Each test speaks HTTP or the kernel's websocket to it
as a participant's browser (or an attacker's page) could.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psutil
import pytest

from systemic import serving
from systemic.cases import load_case
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store
from tests.conftest import free_port
from tests.test_readonly import KernelSocket
from widgets.jupyter import room

_T = TypeVar("_T")

PLACES = 2
GRACE = 6.0
#: A name the supervisor shares the room on (as ``serve --share --address`` would).
ROOM_NAME = "room.test"
FULL = "This session is full — ask your supervisor for more places"
LOAD = 90_000  # ms: a page load on a busy 2-core machine


@dataclass
class Room:
    server: serving.Server
    base: str
    port: int
    token: str

    def log(self) -> str:
        assert self.server.log is not None
        return self.server.log.read_text(errors="replace")

    def kernels(self) -> int:
        """Kernel processes the server has (pre-heated or in use)."""
        children = psutil.Process(self.server.process.pid).children(recursive=True)
        found = 0
        for child in children:
            try:
                found += "ipykernel_launcher" in " ".join(child.cmdline())
            except psutil.Error:
                continue
        return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    folder = tmp_path_factory.mktemp("room")
    with Store.open(folder / "workbook.db") as store:
        SupervisorSession.start(store, framework_id="camden_practice_framework",
                                case=load_case(CASES_DIR / "blended_family.yaml"))
    port, token = free_port(), serving.new_token()
    cmd = serving.voila_command(port=port, token=token, pool_size=PLACES, hosts=[ROOM_NAME],
                                grace_seconds=GRACE)
    server = serving.start("room", cmd, url=f"http://127.0.0.1:{port}/",
                           probe_url=serving.probe_url("127.0.0.1", port),
                           env={"SYSTEMIC_WORKBOOK_STORE": str(folder / "workbook.db")},
                           log=folder / "voila.log")
    try:
        serving.wait_until_answers(server, timeout=180)
        serving.wait_for_log(server, "is filled with", timeout=300)
        yield Room(server, f"http://127.0.0.1:{port}", port, token)
    finally:
        serving.stop(server)
    assert server.process.poll() is not None


def _http(url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
          ) -> tuple[int, str, list[tuple[str, str]]]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, reply.read().decode("utf-8", "replace"), reply.headers.items()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), e.headers.items()


def _kernel_id(page: str) -> str:
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                       page, re.S)
    assert config, "the page names its kernel"
    return str(json.loads(config.group(1))["kernelId"])


def _take_place(room: Room, seconds: float = 120.0) -> str:
    """Open a page as a browser does (waiting, bounded, for a place); its kernel's id."""
    return _open_page(room, seconds)[0]


def _open_page(room: Room, seconds: float = 120.0, cookies: str = "") -> tuple[str, str]:
    """Open a page (waiting, bounded, for a place), with ``cookies`` as a browser that had
    one sends them: its kernel's id and its cookies."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, page, headers = _http(f"{room.base}/?token={room.token}",
                                      headers={"Cookie": cookies} if cookies else None)
        if status == 200:
            cookies = "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
            return _kernel_id(page), cookies
        assert status == 503 and FULL in page
        time.sleep(1)
    raise TimeoutError("no place came free")


def _place_named(cookies: str) -> str:
    """The kernel the signed place cookie among ``cookies`` names (tornado's signed value,
    version 2: ``2|1:0|10:<time>|8:wb-place|<n>:<base64 value>|<signature>``)."""
    signed = next(c for c in cookies.split("; ") if c.startswith("wb-place="))
    value = signed.removeprefix("wb-place=").strip('"').split("|")[4].split(":", 1)[1]
    return base64.b64decode(value).decode("ascii")


def _live_page(page: Any, url: str, *, reloaded: bool = False) -> str:
    """Open (or, reloaded, wait for) the participants' page until it is live; its kernel."""
    if not reloaded:
        page.goto(url, timeout=LOAD)
    assert FULL not in page.content()
    page.wait_for_selector("#rendered_cells .wb-geno-stage svg [data-person]", timeout=LOAD)
    return str(page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))


def _answers(socket: KernelSocket, tries: int = 3) -> bool:
    """Whether the kernel answers a kernel_info request (a busy machine may be slow)."""
    for _ in range(tries):
        info = socket.send("kernel_info_request", {})
        if any(m["msg_type"] == "kernel_info_reply" for m in socket.replies_to(info)):
            return True
    return False


def _wait_for_log(room: Room, text: str, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in room.log():
            return time.monotonic() - start
        time.sleep(0.5)
    raise AssertionError(f"not in the server's log within {seconds:.0f} s: {text}")


# First in the module, on a room nobody else has used yet: every place is free.
@pytest.mark.browser
def test_a_participant_reloading_more_often_than_there_are_places_leaves_room_for_others(
    served: Room, browser: Any,
) -> None:
    """A reloaded page kept its place for the grace period, so one participant reloading
    as often as the room has places filled it, and the next was turned away."""
    url = f"{served.base}/?token={served.token}"
    first, second = browser.new_context(), browser.new_context()  # two laptops
    try:
        page = first.new_page()
        kernels = [_live_page(page, url)]
        for _ in range(PLACES + 2):
            page.reload(timeout=LOAD)
            kernels.append(_live_page(page, url, reloaded=True))
        assert set(kernels) == {kernels[0]}, "every reload is the same place"
        other = _live_page(second.new_page(), url)  # at once: no place to wait for
        assert other != kernels[0]
        assert served.kernels() <= PLACES
        # The reloaded page is live: it follows the session as a new one does.
        assert page.locator(".wb-room-status").is_hidden()
        assert "full" not in page.title().lower()
    finally:
        first.close()
        second.close()


def test_kernels_never_exceed_the_places_and_a_page_beyond_them_is_told_the_session_is_full(
    served: Room,
) -> None:
    taken = [_take_place(served) for _ in range(PLACES)]
    assert len(set(taken)) == PLACES
    started = served.log().count("Kernel started")
    status, page, _ = _http(f"{served.base}/?token={served.token}")
    assert status == 503
    assert FULL in page and "jupyter-config-data" not in page
    time.sleep(1)
    assert served.log().count("Kernel started") == started, "no kernel for a page beyond"
    assert served.kernels() <= PLACES


def test_a_reloaded_page_is_the_same_place_and_takes_no_other(served: Room) -> None:
    mine, my_cookies = _open_page(served)
    theirs, their_cookies = _open_page(served)  # every place is taken now
    assert _http(f"{served.base}/?token={served.token}")[0] == 503
    started = served.log().count("Kernel started")
    for kernel, cookies in [*[(mine, my_cookies)] * (PLACES + 2), (theirs, their_cookies)]:
        status, page, _ = _http(f"{served.base}/?token={served.token}",
                                headers={"Cookie": cookies})
        assert status == 200 and _kernel_id(page) == kernel
        assert "This session is full" not in page
    assert served.log().count("Kernel started") == started, "a reload starts no kernel"
    assert served.kernels() <= PLACES
    # A place cookie the server did not sign gets no place, even naming a kernel in use.
    forged = "; ".join([*(c for c in my_cookies.split("; ") if not c.startswith("wb-place=")),
                        f"wb-place={theirs}"])
    status, page, _ = _http(f"{served.base}/?token={served.token}", headers={"Cookie": forged})
    assert status == 503 and FULL in page


class _JupyterKernels:
    """As much of Jupyter's kernel manager as :class:`room.RoomPlaces` calls here (Jupyter's
    part, not ours): kernels by id, each removed when shut down."""

    def __init__(self, **_kwargs: Any) -> None:
        self.kernels: dict[str, Any] = {}

    def get_kernel(self, kernel_id: str) -> Any:
        return self.kernels[kernel_id]

    async def shutdown_kernel(self, kernel_id: str, *_args: Any, **_kwargs: Any) -> None:
        del self.kernels[kernel_id]


class _Kernel:
    async def is_alive(self) -> bool:
        await asyncio.sleep(0)  # a kernel is asked over its channels: others run meanwhile
        return True


def _run_apart(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """``asyncio.run`` in a thread of its own: this module's browser tests leave
    Playwright's event loop running in the test thread, where ``asyncio.run`` refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=30)


def test_a_page_reloaded_as_its_kernel_is_shut_down_does_not_take_its_place_again() -> None:
    """The reaper may shut down a page's kernel while a reload waits to hear the kernel is
    alive: the reload then gets nothing back, and the closed place is not counted again
    (it was: a dead kernel then held a place, and the page sent could not connect)."""
    places = type("Places", (room.RoomPlaces, _JupyterKernels), {})()

    async def reload(reaped: bool) -> str | None:
        places.kernels["k"] = _Kernel()
        places._pages["k"] = time.monotonic()
        places.keep_page("k", "<p>the page</p>")
        if not reaped:
            return await places.page_again("k")
        reaping = asyncio.ensure_future(places.shutdown_kernel("k"))  # as the reaper does
        again = await places.page_again("k")
        await reaping
        return again

    assert _run_apart(reload(reaped=False)) == "<p>the page</p>"
    assert places.pages_open() == 1
    assert _run_apart(reload(reaped=True)) is None
    assert places.pages_open() == 0 and places.kernels == {}


def test_fifteen_bare_requests_never_start_more_kernels_than_places(served: Room) -> None:
    answers = [_http(f"{served.base}/?token={served.token}")[0] for _ in range(15)]
    assert set(answers) <= {200, 503} and 503 in answers
    assert served.kernels() <= PLACES


def test_a_page_that_never_connects_gives_its_place_back_within_a_minute(served: Room) -> None:
    kernel, cookies = _open_page(served)
    opened = time.monotonic()
    _wait_for_log(served, f"Kernel shutdown: {kernel}", 60)
    assert time.monotonic() - opened < 60
    assert served.kernels() <= PLACES
    # … and the place is pre-heated again: a new page gets a kernel, the browser that had
    # the closed page too (its signed place cookie names a kernel that is gone).
    again, new_cookies = _open_page(served, seconds=60, cookies=cookies)
    assert again != kernel and _place_named(new_cookies) == again


def test_a_closed_page_is_shut_down_but_an_open_one_is_kept(served: Room) -> None:
    kernel = _take_place(served)
    socket = KernelSocket(served.base, kernel, served.token)
    try:
        time.sleep(GRACE + 6)  # longer than a page may stay unconnected
        assert f"Kernel shutdown: {kernel}" not in served.log(), "an open page keeps its kernel"
        assert _answers(socket)
    finally:
        socket.close()
    assert _wait_for_log(served, f"Kernel shutdown: {kernel}", 60) < 60


KERNEL_API = [
    ("GET", "/api/kernels"), ("GET", "/api/kernels/{k}"), ("DELETE", "/api/kernels/{k}"),
    ("POST", "/api/kernels/{k}/interrupt"), ("POST", "/api/kernels/{k}/restart"),
    ("POST", "/voila/api/shutdown/{k}"), ("GET", "/api/sessions"), ("GET", "/api/kernelspecs"),
]


def test_participants_cannot_reach_the_kernel_api(served: Room) -> None:
    mine, cookies = _open_page(served)
    theirs = _take_place(served)
    socket = KernelSocket(served.base, theirs, served.token)
    try:
        for method, path in KERNEL_API:
            for kernel, cookie in ((theirs, ""), (theirs, cookies), (mine, "")):
                url = f"{served.base}{path.format(k=kernel)}?token={served.token}"
                status, body, _ = _http(url, method=method, headers={"Cookie": cookie})
                assert status in (403, 404), (method, path, status)
                assert kernel not in body and '"execution_state"' not in body, (method, path)
        # The kernel is untouched: it still answers, and was neither shut down nor restarted.
        time.sleep(1)
        assert _answers(socket)
        assert f"Kernel shutdown: {theirs}" not in served.log()
        assert f"Kernel restarted: {theirs}" not in served.log()
    finally:
        socket.close()


def test_a_page_may_read_its_own_kernel_as_it_does_when_it_starts(served: Room) -> None:
    mine, cookies = _open_page(served)
    url = f"{served.base}/api/kernels/{mine}?token={served.token}"
    status, body, _ = _http(url, headers={"Cookie": cookies})
    assert status == 200 and json.loads(body)["id"] == mine


def test_only_our_host_names_are_served_over_http(served: Room) -> None:
    static = f"{served.base}/{serving.PROBE_PATH}?token={served.token}"
    for name in ("127.0.0.1", "localhost", ROOM_NAME):
        status, _, _ = _http(static, headers={"Host": f"{name}:{served.port}"})
        assert status == 200, name
    started = served.log().count("Kernel started")
    for name in ("evil.example", "127.0.0.1.evil.example", "room.test.evil.example", "10.0.0.5"):
        for url in (static, f"{served.base}/?token={served.token}"):
            status, body, _ = _http(url, headers={"Host": f"{name}:{served.port}"})
            assert status == 421, (name, url)
            assert "jupyter-config-data" not in body and "This address is not" in body
    assert served.log().count("Kernel started") == started


def test_only_our_host_names_are_served_over_the_websocket(served: Room) -> None:
    import websocket

    kernel = _take_place(served)
    url = f"ws://127.0.0.1:{served.port}/api/kernels/{kernel}/channels?token={served.token}"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, timeout=30, host=f"evil.example:{served.port}")
    assert refused.value.status_code == 421
    allowed = websocket.create_connection(url, timeout=30, host=f"localhost:{served.port}")
    allowed.close()


def test_every_answer_carries_the_security_headers_and_strict_cookies(served: Room) -> None:
    answers = [
        _http(f"{served.base}/?token={served.token}"),  # a page (or the full page)
        _http(f"{served.base}/api/kernels?token={served.token}"),  # refused
        _http(f"{served.base}/{serving.PROBE_PATH}"),  # a static file
        _http(f"{served.base}/", headers={"Host": "evil.example"}),  # wrong host
    ]
    cookies = []
    for status, _, headers in answers:
        got = {k.lower(): v for k, v in headers}
        assert got.get("referrer-policy") == "no-referrer", status
        assert got.get("x-frame-options") == "DENY", status
        assert got.get("content-security-policy") == serving.CONTENT_SECURITY_POLICY, status
        cookies += [v for k, v in headers if k.lower() == "set-cookie"]
    assert cookies, "the token link leaves a cookie"
    for cookie in cookies:
        assert "samesite=strict" in cookie.lower(), cookie


def test_a_closed_page_is_noticed_within_a_minute_by_default() -> None:
    every = 5.0  # RoomPlaces.start_reaper's default
    assert room.RoomVoila.grace_seconds.default_value + every < 60


def test_the_room_pages_are_templates_and_say_so_plainly() -> None:
    folder = Path(room.__file__).with_name("room_templates")
    full = (folder / "full.html.j2").read_text()
    assert FULL in full and 'lang="en-GB"' in (folder / "base.html.j2").read_text()


#: Addresses a curious participant might type: none is the page, each gets a plain page.
OTHER_ADDRESSES = (
    "/logout", "/login", "/tree", "/lab", "/api/contents", "/session.ipynb",
    "/voila/render/notebooks/supervisor/session.ipynb", "/voila/files/README.md",
    "/voila/templates/x", "/voila/templates/lab/index.html.j2", "/voila/templates/room/static/",
    "/voila/static/x", "/voila/api/themes/x", "/voila/labextensions/x",
)


def test_every_other_address_gets_a_plain_page_and_no_traceback(tmp_path: Path) -> None:
    # As the demo and `serve` run it on this computer: no token, so Jupyter's own sign-in
    # and sign-out pages would be there (and fail to draw) if the room did not remove them.
    port = free_port()
    server = serving.start("room", serving.voila_command(port=port, pool_size=0),
                           url=f"http://127.0.0.1:{port}/",
                           probe_url=serving.probe_url("127.0.0.1", port),
                           env={"SYSTEMIC_WORKBOOK_STORE": str(tmp_path / "workbook.db")},
                           log=tmp_path / "voila.log")
    try:
        serving.wait_until_answers(server, timeout=120)
        for path in OTHER_ADDRESSES:
            status, body, _ = _http(f"http://127.0.0.1:{port}{path}")
            assert status in (403, 404), (path, status)
            assert "There is nothing here" in body and "Traceback" not in body, path
        assert _http(serving.probe_url("127.0.0.1", port))[0] == 200  # the page's own files
    finally:
        serving.stop(server)
    log = (tmp_path / "voila.log").read_text(errors="replace")
    assert "Traceback" not in log and "Uncaught exception" not in log, log[-2000:]
