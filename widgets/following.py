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
from collections.abc import Callable

from systemic.store import Store
from systemic.store.follow import follow

__all__ = ["StoreFollower"]


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
