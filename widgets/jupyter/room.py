"""The participants' server: Voila, made safe for a room of laptops.

Plain Voila starts a kernel for every ``GET /``, keeps the kernels of closed
pages, serves any ``Host`` name and lets anyone holding a kernel's id shut it
down (issue 13). This module runs Voila with these changes, each small:

- **Places.** The room has a fixed number of places (participants and a few
  spares, ``RoomVoila.places``). Kernels — pre-heated or in use — never
  exceed it: the pre-heated pool only refills up to the places left, and a
  page asked for when every place is taken gets a plain "This session is
  full" page, with no kernel started (:class:`RoomPageHandler`).
- **Closed pages give their place back.** A kernel whose page has had no
  websocket open for ``RoomVoila.grace_seconds`` (a closed tab, a bare
  ``GET``) is shut down, and its place is pre-heated again.
- **A reloaded page keeps its place.** Each page's browser gets a signed
  cookie naming its kernel (:data:`PLACE_COOKIE`); reloading the page, that
  browser gets the same kernel and the same page back, drawn as the session
  is now, instead of taking another place: a participant who reloads never
  fills the room (:meth:`RoomPlaces.page_again`).
- **No kernel API.** ``/api/kernels`` (list, delete, interrupt, restart),
  the sessions API and Voila's shutdown address answer 403. A page may read
  its own kernel's model, as it does when it starts, and no other
  (:class:`OwnKernelHandler`); the websocket (``/api/kernels/<id>/channels``)
  is served as Voila serves it.
- **Who opened the view.** Behind a hub's sign-in (``RoomVoila.user_header``)
  each page opened is noted with the signed-in user (:mod:`.view_audit`).
- **Only our names.** Requests are served only for loopback names and, when
  sharing, the room address (``RoomVoila.hosts``): a web page elsewhere that
  rebinds its DNS name to this computer gets 421. Every answer carries
  ``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY`` and the
  Content-Security-Policy (:class:`RoomHeaders`), and both cookies a page
  gets (sign-in and ``_xsrf``) are ``SameSite=Strict``.
- **Plain answers to every other address.** There are no sign-in or sign-out
  pages; any address but the page's (a typed ``/logout``, ``/tree``,
  ``/voila/templates/x``…) gets a short plain page from our templates, never
  Jupyter's error pages, which cannot be drawn here and would put a
  traceback in the server's log (:class:`KindErrors`).

Start it as ``python -m widgets.jupyter.room NOTEBOOK [voila options]``;
:func:`systemic.serving.voila_command` builds that command line.

>>> allowed_hosts(["192.168.1.20"]).match("192.168.1.20") is not None
True
>>> allowed_hosts([]).match("evil.example") is None
True
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import re
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from tornado import httputil
from tornado.ioloop import PeriodicCallback
from traitlets import Bool, Float, Int, List, Unicode
from voila import app as voila_app
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from widgets.jupyter.drawer import PartsDrawer
from widgets.jupyter.snapshot import MARKER, Snapshots
from widgets.jupyter.view_audit import ViewAudit

__all__ = [
    "RoomVoila",
    "RoomPageHandler",
    "RoomHeaders",
    "RoomPlaces",
    "KindErrors",
    "OwnKernelHandler",
    "allowed_hosts",
    "LOOPBACK_NAMES",
    "main",
]

#: Names of this computer as browsers on it write them.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
#: The cookie that lets a page read its own kernel's model (and no other): one per kernel,
#: scoped to that kernel's address, signed with the server's secret.
PAGE_COOKIE = "wb-page"
#: The cookie by which a browser reloading the page gets its own place (its kernel) back,
#: rather than taking another: signed, for the page's address only, unreadable by scripts.
PLACE_COOKIE = "wb-place"
#: When a page's kernel was last seen, for a page the reaper is closing: still counted
#: among the places until its kernel is shut down, but no longer its page's.
_CLOSING = float("inf")
#: Set by the page handler for the kernel manager to say which kernel the page got.
_PAGE_KERNEL: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("page_kernel")
_TEMPLATES = Path(__file__).with_name("room_templates")
_PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True, keep_trailing_newline=True
)


#: The page's language as nbconvert writes it, and as the workbook means it.
_NBCONVERT_LANG, _PAGE_LANG = '<html lang="en">', '<html lang="en-GB">'
#: Jupyter's sign-in and sign-out pages: a room has no use for them (the link carries any
#: token), and they cannot be drawn here.
_SIGN_IN = ("/login", "/logout")


def allowed_hosts(extra: Sequence[str]) -> re.Pattern[str]:
    """The host names served (tornado matches the name without its port).

    >>> bool(allowed_hosts([]).match("[::1]")), bool(allowed_hosts([]).match("127.0.0.9"))
    (True, True)
    """
    names = [re.escape(n.lower()) for n in (*LOOPBACK_NAMES, *extra) if n]
    names.append(r"127\.\d{1,3}\.\d{1,3}\.\d{1,3}")
    return re.compile("^(?:" + "|".join(names) + ")$")


# -- headers on every answer ---------------------------------------------------------------------


class RoomHeaders(tornado.web.OutputTransform):
    """Security headers on every answer (cookies are set ``SameSite=Strict`` where they are
    made: :meth:`RoomVoila.init_settings`)."""

    #: Set by :class:`RoomVoila` from the CSP on its command line.
    content_security_policy = ""

    def transform_first_chunk(
        self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, httputil.HTTPHeaders, bytes]:
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        if self.content_security_policy:
            headers["Content-Security-Policy"] = self.content_security_policy
        return status_code, headers, chunk


# -- handlers --------------------------------------------------------------------------------------


class _Plain(tornado.web.RequestHandler):
    """A short plain page with a status, from a template (no kernel, no Jupyter)."""

    status = 404
    template = "not_found.html.j2"

    def _answer(self, *_args: Any) -> None:
        self.set_status(self.status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(_PAGES.get_template(self.template).render())

    get = post = put = patch = delete = head = options = _answer  # type: ignore[assignment]

    def check_xsrf_cookie(self) -> None:
        """Nothing here acts on a request, so there is nothing to protect."""


def error_page(status: int) -> str:
    """The template of the plain page that answers with ``status``.

    >>> error_page(404), error_page(503), error_page(500)
    ('not_found.html.j2', 'full.html.j2', 'trouble.html.j2')
    """
    if status == 503:
        return "full.html.j2"
    if status == 421:
        return "wrong_host.html.j2"
    return "not_found.html.j2" if status < 500 else "trouble.html.j2"


class KindErrors:
    """Mixed into every handler but the JSON ones: an error is answered with one of our
    plain pages. Jupyter's own error pages need static files Voila does not serve, so
    drawing one failed, with a traceback in the log and an empty page."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        handler: tornado.web.RequestHandler = self  # type: ignore[assignment]
        handler.set_header("Content-Type", "text/html; charset=utf-8")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(_PAGES.get_template(error_page(status_code)).render())


class RoomTemplateFiles(TemplateStaticFileHandler):
    """Voila's template files (``/voila/templates/<template>/static/<file>``): any other
    address there is 404, not a ``ValueError`` in Voila's parsing of it."""

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or not parts[2]:
            raise tornado.web.HTTPError(404)
        return str(super().parse_url_path(url_path))


def _kind(handler: type) -> type:
    """``handler`` answering errors with our plain pages (JSON APIs keep their JSON)."""
    if issubclass(handler, (APIHandler, _Plain)):
        return handler
    return type(handler.__name__, (KindErrors, handler), {})


class NotServed(_Plain):
    """The kernel API and Voila's shutdown address: not for participants (403, as Voila
    answers for its other APIs in single-notebook mode)."""

    status = 403


class WrongHost(_Plain):
    """A request for a name that is not this server's (DNS rebinding): 421."""

    status = 421
    template = "wrong_host.html.j2"


class RoomPageHandler(TornadoVoilaHandler):
    """The dashboard page; the same page again for a browser reloading it; or "This session
    is full" when every place is taken."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        if path and path.strip("/"):
            # Only the page itself is served: Voila would send any other address on to
            # its file handler, which refuses it with a bare "403: Forbidden".
            raise tornado.web.HTTPError(404)
        manager = self.kernel_manager
        places = manager if isinstance(manager, RoomPlaces) else None
        if places is not None:
            kernel_id, again = await self._own_place(places)
            if again is not None:
                self._note_view()
                self._give_place(kernel_id)
                self.set_header("Content-Type", "text/html")
                self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
                self.finish(self._drawn(again))
                return
            if not path and not places.has_place(self.notebook_path or path):
                self._full()
                return
        self._note_view()
        await self._new_page(path, places)

    async def _own_place(self, places: RoomPlaces) -> tuple[str, str | None]:
        """The kernel this browser's page had, and its page, if it still has its place."""
        cookie = self.get_secure_cookie(PLACE_COOKIE, max_age_days=1)
        kernel_id = cookie.decode("ascii", "replace") if cookie else ""
        return kernel_id, (await places.page_again(kernel_id) if kernel_id else None)

    async def _new_page(self, path: str | None, places: RoomPlaces | None) -> None:
        """Run the notebook in a new place (a pre-heated kernel) and send the page as it
        comes; keep it whole, for this browser reloading it."""
        got: dict[str, str] = {}
        _PAGE_KERNEL.set(got)  # this request's task only; the kernel manager fills it in
        sent: list[str] = []
        async for html in self.get_generator(path=path):
            if not sent and "kernel_id" in got:
                self._give_place(got["kernel_id"])
            sent.append(html)
            self.write(self._drawn(html))
            self.flush()
        if places is not None and "kernel_id" in got:
            places.keep_page(got["kernel_id"], "".join(sent))

    def _give_place(self, kernel_id: str) -> None:
        """The page's cookies: one to read its own kernel's model, one to keep its place."""
        self.set_secure_cookie(
            PAGE_COOKIE, kernel_id, expires_days=1, httponly=True, samesite="Strict",
            path=url_path_join(self.base_url, "api/kernels", kernel_id))
        self.set_secure_cookie(PLACE_COOKIE, kernel_id, expires_days=1, httponly=True,
                               samesite="Strict", path=self.base_url)

    def _drawn(self, html: str) -> str:
        """A part of the page as sent: the session as it is now in place of the marker."""
        snapshots: Snapshots | None = self.settings.get("room_snapshots")
        if snapshots is not None and MARKER in html:
            html = html.replace(MARKER, snapshots.html(), 1)
        # nbconvert takes only two-letter codes; the page is in UK English (WCAG 3.1.1).
        return html.replace(_NBCONVERT_LANG, _PAGE_LANG, 1)

    def _note_view(self) -> None:
        audit: ViewAudit | None = self.settings.get("room_audit")
        if audit is not None:
            audit.record(self.request.headers.get(self.settings["room_user_header"]))

    def _full(self) -> None:
        self.set_status(503)
        self.set_header("Retry-After", "30")
        self.set_header("Cache-Control", "no-store")
        self.finish(_PAGES.get_template("full.html.j2").render())


class OwnKernelHandler(KernelHandler):
    """A page may read its own kernel's model (it does, when it starts); nothing else.

    The page's own kernel is the one named by its signed :data:`PAGE_COOKIE`;
    any other kernel, and deleting any kernel, is refused (403).
    """

    @tornado.web.authenticated
    async def get(self, kernel_id: str) -> None:
        if self.get_secure_cookie(PAGE_COOKIE) != kernel_id.encode():
            raise tornado.web.HTTPError(403)
        await super().get(kernel_id)

    async def delete(self, kernel_id: str) -> None:
        raise tornado.web.HTTPError(403)


# -- places ----------------------------------------------------------------------------------------


class RoomPlaces:
    """Mixed into Voila's kernel manager: kernels never exceed the room's places.

    Pages are the kernels handed to a browser; the pre-heated pool is refilled
    only up to the places pages leave free; a page with no websocket for
    ``grace`` seconds is shut down, and its place pre-heated again.
    """

    def __init__(self, **kwargs: Any):
        parent = kwargs.get("parent")
        self.places = max(1, int(getattr(parent, "places", 1)))
        self.grace = float(getattr(parent, "grace_seconds", 40.0))
        self._pages: dict[str, float] = {}
        self._page_html: dict[str, str] = {}
        self._taking = 0
        self._starting = 0
        self._closing = False
        self._reaper: PeriodicCallback | None = None
        super().__init__(**kwargs)

    @property
    def preheats(self) -> bool:
        return hasattr(self, "_pools")

    def pages_open(self) -> int:
        """Kernels handed to pages (open, or closed less than ``grace`` seconds ago)."""
        return len(self._pages)

    def keep_page(self, kernel_id: str, html: str) -> None:
        """Keep the page sent for ``kernel_id``, to send again when its browser reloads it."""
        if kernel_id in self._pages:
            self._page_html[kernel_id] = html

    async def page_again(self, kernel_id: str) -> str | None:
        """The page of ``kernel_id`` for its own browser reloading it, or ``None`` if its
        place is gone (closed, being closed, or its kernel has died).

        The reloaded page talks to the same kernel, whose widgets are the page's, so it
        needs no place of its own; it has ``grace`` seconds to connect, as a new page has.
        """
        html = self._page_html.get(kernel_id)
        if html is None or not self._holds_place(kernel_id):
            return None
        try:
            kernel = self.get_kernel(kernel_id)  # type: ignore[attr-defined]
            alive = await ensure_async(kernel.is_alive())
        except KeyError:
            alive = False
        # Asked while the reaper shut it down: its place is gone (taking it again here
        # would count a dead kernel as a page and send a page that cannot connect).
        if not alive or not self._holds_place(kernel_id):
            return None
        self._pages[kernel_id] = time.monotonic()
        return html

    def _holds_place(self, kernel_id: str) -> bool:
        """Whether ``kernel_id``'s page still has its place: handed out, and not closed
        or being closed by the reaper."""
        return self._pages.get(kernel_id, _CLOSING) != _CLOSING

    def has_place(self, notebook: str | None) -> bool:
        """Whether one more page can have a kernel without exceeding the places."""
        if self.preheats:
            # The pool is only ever refilled up to the places left: empty means full.
            return bool(self.get_pool_size(notebook) > 0)  # type: ignore[attr-defined]
        return self.pages_open() + self._starting < self.places

    # -- pre-heated pool (Voila's VoilaKernelManager)

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None,
                       **kwargs: Any) -> None:
        free = max(0, self.places - self.pages_open() - self._taking)
        self.kernel_pools_config = {  # type: ignore[attr-defined]
            "default": {"pool_size": free,
                        "kernel_env_variables": self.default_env_variables}  # type: ignore
        }
        super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)  # type: ignore

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        self._taking += 1
        try:
            task, cache, kernel_id = await super().get_rendered_notebook(  # type: ignore[misc]
                notebook_name, *args, **kwargs)
            self._pages[kernel_id] = time.monotonic()
            _tell_page(kernel_id)
        finally:
            self._taking -= 1
        return task, cache, kernel_id

    # -- every kernel

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        if not self.preheats and self.pages_open() + self._starting >= self.places:
            raise tornado.web.HTTPError(503, "every place is taken")
        self._starting += 1
        try:
            kernel_id: str = await super().start_kernel(*args, **kwargs)  # type: ignore[misc]
        finally:
            self._starting -= 1
        if not self.preheats:
            self._pages[kernel_id] = time.monotonic()
            _tell_page(kernel_id)
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
        was_page = self._pages.pop(kernel_id, None) is not None
        self._page_html.pop(kernel_id, None)
        result = await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[misc]
        if was_page and self.preheats and not self._closing:
            self.fill_if_needed(delay=0, notebook_name=self.notebook_path)  # type: ignore
        return result

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> Any:
        self._closing = True
        if self._reaper is not None:
            self._reaper.stop()
        return await super().shutdown_all(*args, **kwargs)  # type: ignore[misc]

    # -- closed pages

    def start_reaper(self, every: float = 5.0) -> None:
        """Look every ``every`` seconds for pages closed longer than ``grace`` seconds."""
        self._reaper = PeriodicCallback(self._reap, every * 1000)
        self._reaper.start()

    def _reap(self) -> None:
        now = time.monotonic()
        connections: dict[str, int] = self._kernel_connections  # type: ignore[attr-defined]
        for kernel_id, seen in list(self._pages.items()):
            if connections.get(kernel_id, 0) > 0:
                self._pages[kernel_id] = now
            elif now - seen > self.grace:
                self.log.info("Closing the kernel of a closed page: %s", kernel_id)  # type: ignore
                self._pages[kernel_id] = _CLOSING  # counted until shut down, once
                asyncio.ensure_future(self.shutdown_kernel(kernel_id))


def _tell_page(kernel_id: str) -> None:
    """Tell the page handler (if a page asked) which kernel it got."""
    got = _PAGE_KERNEL.get(None)
    if got is not None:
        got["kernel_id"] = kernel_id


def _room_factory(*args: Any, **kwargs: Any) -> type:
    """Voila's kernel manager class with :class:`RoomPlaces` in front of it."""
    made = _VOILA_FACTORY(*args, **kwargs)
    return type("RoomKernelManager", (RoomPlaces, made), {})


_VOILA_FACTORY = voila_app.voila_kernel_manager_factory


# -- the application -------------------------------------------------------------------------------


class RoomVoila(Voila):
    """Voila with places, no kernel API, our host names only and strict headers."""

    name = "voila"
    places = Int(5, config=True, help="Kernels at most: participants and spares.")
    grace_seconds = Float(
        40.0, config=True, help="Seconds a page may stay without a websocket before its "
        "kernel is shut down.")
    hosts = List(Unicode(), config=True, help="Host names served besides loopback ones.")
    snapshot = Bool(False, config=True, help="Send the dashboard as it is now in the page, "
                    "before the live widgets are up.")
    user_header = Unicode("", config=True, help="The header in which the hub's proxy passes the "
                          "signed-in user; each page opened is then noted in the store.")

    def init_settings(self) -> dict[str, Any]:
        self.drawer: PartsDrawer | None = None
        if self.snapshot and os.environ.get("SYSTEMIC_WORKBOOK_STORE"):
            # One drawing for the room; the kernels (started from here on) read it.
            self.drawer = PartsDrawer(os.environ["SYSTEMIC_WORKBOOK_STORE"],
                                      os.environ.get("SYSTEMIC_WORKBOOK_SESSION") or None)
            os.environ.update(self.drawer.environment())
        # Voila builds its kernel manager class inside init_settings; ours goes in front.
        voila_app.voila_kernel_manager_factory = _room_factory
        try:
            settings = super().init_settings()
        finally:
            voila_app.voila_kernel_manager_factory = _VOILA_FACTORY
        # The two cookies a page gets: the sign-in (anonymous, or the token's) and _xsrf.
        settings["xsrf_cookie_kwargs"] = {"samesite": "Strict"}
        provider = getattr(self, "identity_provider", None)
        if provider is not None:
            provider.cookie_options = {**provider.cookie_options, "samesite": "Strict"}
        return settings

    def init_handlers(self) -> list[Any]:
        handlers = []
        for rule in super().init_handlers():
            pattern, handler = rule[0], rule[1]
            if handler is TornadoVoilaHandler:
                handler = RoomPageHandler
            elif handler is KernelHandler:
                handler = OwnKernelHandler
            elif handler is TemplateStaticFileHandler:
                handler = RoomTemplateFiles
            elif handler.__name__ == "VoilaShutdownKernelHandler" or pattern in _SIGN_IN:
                continue
            handlers.append((pattern, _kind(handler), *rule[2:]))
        refused = (r"/api/kernels(?:/.*)?", r"/api/sessions(?:/.*)?", r"/voila/api/shutdown/.*")
        kernels = [i for i, r in enumerate(handlers) if r[1] in (OwnKernelHandler,)
                   or r[0].endswith("/channels")]
        at = kernels[-1] + 1 if kernels else 0
        prefix = self.server_url.rstrip("/")
        handlers[at:at] = [(prefix + p, NotServed) for p in refused]
        return handlers

    def start(self) -> None:
        import tempfile

        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        self.app = tornado.web.Application(**settings)
        self.app.settings.update(self.tornado_settings)
        if self.drawer is not None:
            self.drawer.start()
            self.app.settings["room_snapshots"] = Snapshots(self.drawer)
        if self.user_header:
            self.app.settings["room_audit"] = ViewAudit()
            self.app.settings["room_user_header"] = self.user_header
        RoomHeaders.content_security_policy = (
            self.tornado_settings.get("headers", {}).get("Content-Security-Policy", ""))
        self.app.add_transform(RoomHeaders)
        self.app.add_handlers(allowed_hosts(self.hosts).pattern, self.init_handlers())
        self.app.add_handlers(r".*$", [(r".*", WrongHost)])
        if isinstance(self.kernel_manager, RoomPlaces):
            self.kernel_manager.start_reaper()
        # Stopped by SIGTERM as by Ctrl-C: Voila's listen() then runs stop() (kernels shut
        # down, the room's drawing removed from disk).
        signal.signal(signal.SIGTERM, _interrupt)
        self.listen()

    def stop(self) -> None:
        if getattr(self, "drawer", None) is not None:
            self.drawer.stop()
        super().stop()


def _interrupt(*_args: Any) -> None:
    raise KeyboardInterrupt


main = RoomVoila.launch_instance

if __name__ == "__main__":
    main()
