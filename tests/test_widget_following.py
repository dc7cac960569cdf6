"""Following the store: one task on the event loop, started once, ended by stop()."""

from __future__ import annotations

import asyncio
import doctest
from pathlib import Path

from systemic.store import Store
from widgets import following
from widgets.following import StoreFollower


def test_without_an_event_loop_nothing_is_followed(store_path: Path) -> None:
    with Store.open(store_path) as store:
        assert StoreFollower(store, print).start(since=store.version()) is False


def test_each_change_is_passed_on_until_stopped(store_path: Path) -> None:
    async def run(store: Store) -> tuple[list[int], int, bool]:
        seen: list[int] = []
        follower = StoreFollower(store, seen.append)
        assert follower.start(since=store.version(), every=0.01)
        assert follower.start(since=store.version(), every=0.01)  # still the one task
        store.create_session("Tuesday group", "hackney")
        for _ in range(200):  # bounded: two seconds at most
            if seen:
                break
            await asyncio.sleep(0.01)
        follower.stop()
        task = follower._task
        assert task is not None
        await asyncio.wait_for(task, timeout=2)
        return seen, store.version(), task.done()

    with Store.open(store_path) as store:
        seen, version, ended = asyncio.run(run(store))
    assert seen == [version] and version > 0
    assert ended


def test_the_examples_in_the_module_run() -> None:
    assert doctest.testmod(following).failed == 0
