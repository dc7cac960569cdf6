"""Following in the kernel's event loop, one task at a time.

Kept apart from :mod:`widgets.following` and free of the workbook's own modules: a
participant's viewer kernel (:mod:`widgets.participants`) uses it and must load no store,
no models and no drawing code.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["Following"]


class Following:
    """Something that follows in the kernel's event loop until stopped, one task at a time:
    subclasses give :meth:`_follow`.

    >>> Following().stop()  # stopping before starting does nothing
    """

    _task: asyncio.Task[Any] | None = None

    def start(self) -> None:
        """Begin following (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._follow())

    def stop(self) -> None:
        """Stop following (the page keeps what it shows)."""
        if self._task is not None:
            self._task.cancel()

    async def _follow(self) -> None:
        raise NotImplementedError
