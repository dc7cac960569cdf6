"""Following the session store from a participant's dashboard.

Each dashboard kernel runs one :func:`follow` task on its event loop. It asks
SQLite whether anyone has committed since the last look (``PRAGMA
data_version``, which reads no table), reads the change counter only when
that moved, and calls back when the counter has advanced. Between looks it
awaits, so an idle dashboard costs next to nothing (JUPYTER.md §2.3 measured
about 0.3 % of a core at a 0.1 s interval).

The callback runs on the event loop's thread, so it may set widget traits
directly; it should be quick and idempotent, re-reading what it shows.

>>> import asyncio, pathlib, tempfile
>>> from systemic.store import Store
>>> async def demo(path):
...     seen = []
...     stop = asyncio.Event()
...     with Store.open(path) as writer, Store.open(path, readonly=True) as viewer:
...         task = asyncio.create_task(follow(viewer, seen.append, every=0.01, stop=stop))
...         await asyncio.sleep(0.05)
...         writer.create_session("Tuesday group", "hackney")
...         for _ in range(100):  # bounded wait for the viewer to notice
...             if seen:
...                 break
...             await asyncio.sleep(0.01)
...         stop.set()
...         return seen, await task
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder) / "workbook.db"
...     Store.open(path).close()
...     asyncio.run(demo(path))
([1], 1)
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

from systemic.errors import WorkbookError
from systemic.store.base import Store

__all__ = ["follow"]


async def _pause(every: float, stop: asyncio.Event | None) -> bool:
    """Wait ``every`` seconds; True if ``stop`` was set meanwhile."""
    if stop is None:
        await asyncio.sleep(every)
        return False
    try:
        await asyncio.wait_for(stop.wait(), timeout=every)
    except TimeoutError:
        return False
    return True


async def follow(
    store: Store,
    on_change: Callable[[int], Awaitable[object] | object],
    every: float = 0.25,
    stop: asyncio.Event | None = None,
    *,
    since: int | None = None,
) -> int:
    """Call ``on_change(version)`` whenever the store's version moves; return the last seen.

    Parameters
    ----------
    store : Store
        Usually a read-only handle (a participant's view). A read-write
        handle works too: its own writes are noticed through :meth:`Store.version`.
    on_change : callable
        Called with the new :meth:`Store.version`. May be a coroutine
        function, which is awaited. An exception from it ends the follow.
    every : float
        Seconds between looks; 0.25–0.5 suits a room following a supervisor.
    stop : asyncio.Event, optional
        Set it to end the follow (within the current pause, not after it).
        Without it the follow runs until its task is cancelled.
    since : int, optional
        The version the caller has already shown; by default the version at
        the start, so the first call comes with the first new change.
    """
    if not every > 0:
        raise WorkbookError(
            f"The polling interval must be a positive number of seconds, not {every!r}."
        )
    seen = store.version() if since is None else int(since)
    last_data = None
    while stop is None or not stop.is_set():
        data = store.data_version()
        # data_version moves only for other connections' commits; a read-write
        # handle's own edits are caught by reading the counter itself. An
        # engine without such a signal (PostgreSQL) reads the counter each time.
        if data is None or data != last_data or not store.readonly:
            last_data = data
            current = store.version()
            if current != seen:
                seen = current
                result = on_change(current)
                if inspect.isawaitable(result):
                    await result
        if await _pause(every, stop):
            break
    return seen
