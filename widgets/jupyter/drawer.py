"""One drawing of the participants' page per change, for every page in the room.

Without this, each participant's kernel read the store and drew the page
itself: thirty kernels laying out the same genogram after each edit, each
holding the drawing code in memory. Here the room's server draws once — the
live view (:class:`systemic.dashboard.SessionView`), reading the store
read-only, redrawing only the parts a change touched — and writes the parts
to one file (``parts.json`` in a private folder, replaced atomically). Each
viewer kernel (:mod:`widgets.participants`) only reads that file and sets its
widgets, and the page sent to a joining participant carries the same parts
(:mod:`widgets.jupyter.snapshot`).

Drawing runs on one thread of its own (SQLite handles stay on the thread that
opened them), so the server keeps answering while it draws. It looks at the
store every ``every`` seconds (a look that finds nothing costs one small
query); each new drawing is then announced at once to every viewer kernel
listening on ``changes.sock`` in the same private folder (a line with its
number), so thirty kernels need not poll the file: an edit reaches every
page as soon as it is drawn, and an idle kernel does nothing at all.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.iostream import IOStream, StreamClosedError
from tornado.netutil import bind_unix_socket
from tornado.tcpserver import TCPServer

__all__ = ["PartsDrawer", "PARTS_ENV", "SECTIONS_ENV", "ANNOUNCE_SOCKET"]

#: Tells a viewer kernel where the parts are (set for the kernels the room starts).
PARTS_ENV = "SYSTEMIC_WORKBOOK_PARTS"
#: The page's HTML sections, top to bottom (from the step registry), for the kernels.
SECTIONS_ENV = "SYSTEMIC_WORKBOOK_SECTIONS"
#: Beside ``parts.json``: where viewer kernels hear of each new drawing.
ANNOUNCE_SOCKET = "changes.sock"
_LOG = logging.getLogger("workbook.drawer")


class PartsDrawer:
    """Follows the store and keeps ``parts.json`` (and :attr:`parts`) current."""

    def __init__(self, store: str, session_id: str | None, every: float = 0.025):
        from systemic.store import parse_store_address

        self.store = parse_store_address(store)  # a file, or a PostgreSQL database
        self.session_id = session_id
        self.every = every
        self.folder = Path(tempfile.mkdtemp(prefix="workbook-room-"))
        os.chmod(self.folder, 0o700)
        self.file = self.folder / "parts.json"
        #: The page as it is now: replaced whole, never changed in place.
        self.parts: dict[str, Any] = {}
        self._seq = 0
        self._view: Any = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="room-drawer")
        self._busy: Future[None] | None = None
        self._timer: PeriodicCallback | None = None
        self._announcer: _Announcer | None = None

    def environment(self) -> dict[str, str]:
        """What the room's kernels need to find the parts."""
        from systemic.dashboard import HTML_SECTIONS

        return {PARTS_ENV: str(self.file), SECTIONS_ENV: ",".join(HTML_SECTIONS)}

    def start(self) -> None:
        """Draw now (on the drawing thread), then look for changes every ``every`` seconds,
        announcing each new drawing on :data:`ANNOUNCE_SOCKET`."""
        self._announcer = _Announcer()
        self._announcer.add_socket(bind_unix_socket(str(self.folder / ANNOUNCE_SOCKET), 0o600))
        self._tick()
        self._timer = PeriodicCallback(self._tick, self.every * 1000)
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._announcer is not None:
            self._announcer.close()
        self._pool.shutdown(wait=True, cancel_futures=True)
        # The drawing holds the case's names: nothing of it stays on disk after the room.
        shutil.rmtree(self.folder, ignore_errors=True)

    def _tick(self) -> None:
        if self._busy is None or self._busy.done():
            seq = self._seq
            self._busy = self._pool.submit(self._draw)
            loop = IOLoop.current()
            self._busy.add_done_callback(
                lambda _f: loop.add_callback(self._announce, seq))

    def _announce(self, before: int) -> None:
        if self._announcer is not None and self._seq != before:
            self._announcer.announce(self._seq)

    # -- on the drawing thread

    def _draw(self) -> None:
        try:
            changed = self._changes()
        except Exception:  # noqa: BLE001 - the room keeps what it shows; the log says why
            _LOG.exception("could not draw the participants' page")
            return
        if changed:
            self._seq += 1
            self.parts = {**self.parts, **changed}
            self._write()

    def _changes(self) -> dict[str, Any]:
        from systemic.dashboard import SessionView, load_wording, render_genogram_heading
        from systemic.store import Store

        if self._view is None:
            if not self.store.exists():  # a store file not made yet: nothing to show
                return {}
            self._view = SessionView(Store.open(self.store, readonly=True), self.session_id)
            parts = self._view.read()
            parts["genogram_heading"] = render_genogram_heading(load_wording())
            return parts
        return self._view.update()

    def _write(self) -> None:
        data = json.dumps({"seq": self._seq, "parts": self.parts})
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(data)
        os.replace(tmp, self.file)


class _Announcer(TCPServer):
    """Viewer kernels connected to the drawer's socket; each is told of every new drawing."""

    def __init__(self) -> None:
        super().__init__()
        self.listeners: set[IOStream] = set()

    async def handle_stream(self, stream: IOStream, address: Any) -> None:
        self.listeners.add(stream)
        try:
            await stream.read_until_close()  # a kernel says nothing; this ends when it goes
        except StreamClosedError:
            pass
        finally:
            self.listeners.discard(stream)

    def announce(self, seq: int) -> None:
        line = f"{seq}\n".encode()
        for stream in list(self.listeners):
            try:
                stream.write(line)
            except StreamClosedError:
                self.listeners.discard(stream)

    def close(self) -> None:
        self.stop()
        for stream in list(self.listeners):
            stream.close()
