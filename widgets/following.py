"""Redrawing a widget whenever the session store changes, from the kernel's event loop.

The genogram and the ecomap both keep one :func:`systemic.store.follow.follow`
task running on the kernel's event loop, started at most once and stopped
with an event (so it ends within one pause, not after it). Outside an event
loop (a plain script, a test) there is nothing to follow from, and
:meth:`StoreFollower.start` says so rather than failing.

>>> import pathlib, tempfile
>>> from systemic.store import Store
>>> with tempfile.TemporaryDirectory() as folder:
...     with Store.open(pathlib.Path(folder) / "workbook.db") as store:
...         StoreFollower(store, print).start(since=store.version())
False
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from systemic.errors import WorkbookError
from systemic.store import Store
from systemic.store.follow import follow
from systemic.store.location import StoreAddress, parse_store_address
from widgets.following_task import Following

__all__ = ["StoreFollower", "LivePage"]


class StoreFollower:
    """Calls ``on_change(version)`` whenever ``store`` changes, until stopped.

    Parameters
    ----------
    store : Store
        The store to follow (read-only is enough).
    on_change : callable
        Redraws the widget; called on the event loop's thread with the new version.
    """

    def __init__(self, store: Store, on_change: Callable[[int], object]):
        self.store = store
        self.on_change = on_change
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Future[int] | None = None

    def start(self, since: int, every: float = 0.5) -> bool:
        """Follow from version ``since`` (idempotent); ``False`` when there is no event loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        if self._task is None or self._task.done():
            self._stop = asyncio.Event()
            self._task = asyncio.ensure_future(
                follow(self.store, self.on_change, every=every, stop=self._stop, since=since))
        return True

    def stop(self) -> None:
        """End the follow within its current pause (the widget keeps what it shows)."""
        if self._stop is not None:
            self._stop.set()


class LivePage(Following):
    """A read-only page (participants' dashboard, trainer's plenary) that follows a store.

    The store may not exist yet when the page is drawn (the supervisor has not
    started): the page waits for it, opens it read-only, draws everything once,
    then redraws only what each change touched. A page must keep following
    whatever happens, so a failed redraw is logged in the kernel, never shown.
    Subclasses give :meth:`make_reader` (a view with ``read()``, ``update()``,
    ``store`` and ``seen``), :meth:`apply` and, optionally, :meth:`show_waiting`.
    """

    #: The page's name in the kernel's log.
    name = "page"
    #: How long a page drawn before its store exists waits for it.
    store_wait_seconds = 24 * 3600

    def __init__(self, store_path: Path | StoreAddress, every: float):
        self.store_path = parse_store_address(store_path)
        self.every = every
        self.reader: Any = None
        self._drawn = False

    def make_reader(self, store: Store) -> Any:
        raise NotImplementedError

    def apply(self, update: Any) -> None:
        raise NotImplementedError

    def show_waiting(self) -> None:
        """What the page shows before the store exists (nothing, unless a subclass says)."""

    def _open(self) -> Any:
        if self.reader is None and self.store_path.exists():
            try:
                store = Store.open(self.store_path, readonly=True)
            except WorkbookError as e:  # not set up yet by the supervisor's notebook: wait
                print(f"{self.name} is waiting for the store: {e}", file=sys.stderr)
                return None
            self.reader = self.make_reader(store)
        return self.reader

    @property
    def store(self) -> Store | None:
        """The read-only store handle this page reads (None until the store exists)."""
        return self.reader.store if self.reader is not None else None

    def refresh(self, _version: int | None = None) -> None:
        """Redraw what changed since the last look (everything, the first time)."""
        try:
            reader = self._open()
            if reader is None:
                self.show_waiting()
                return
            self.apply(reader.update() if self._drawn else reader.read())
            self._drawn = True
        except Exception as e:  # noqa: BLE001 - a page in the room must keep following
            # The reason stays in this kernel's log, never on the room's screens.
            print(f"{self.name} could not redraw: {type(e).__name__}", file=sys.stderr)

    async def _follow(self) -> None:
        for _ in range(int(self.store_wait_seconds / self.every)):
            if self.reader is not None or self._open() is not None:
                break
            await asyncio.sleep(self.every)
        if self.reader is None:
            return
        if not self._drawn:
            self.refresh()  # the store appeared after the page was drawn
        # No stop event: a plain sleep between looks is the cheapest wait; stop() cancels.
        await follow(self.reader.store, self.refresh, every=self.every, since=self.reader.seen)
