"""The room draws the participants' page once per change; each viewer kernel only shows it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from systemic.dashboard import HTML_SECTIONS, SessionView
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.jupyter.drawer import PartsDrawer
from widgets.participants import RoomDashboard


def test_the_room_draws_what_the_live_view_draws_and_only_what_changed(
    session: SupervisorSession, store_path: Path
) -> None:
    drawer = PartsDrawer(str(store_path), session.session_id)
    try:
        drawer._draw()
        first = json.loads(drawer.file.read_text())
        view = SessionView(Store.open(store_path, readonly=True), session.session_id)
        expected = view.read()
        view.store.close()
        for name in ("header", "genogram", "hypotheses"):
            assert first["parts"][name] == expected[name], name
        assert oct(drawer.folder.stat().st_mode & 0o777) == "0o700", "private to the server"
        session.rename("Thursday group")
        drawer._draw()
        second = json.loads(drawer.file.read_text())
        assert second["seq"] == first["seq"] + 1
        assert "Thursday group" in second["parts"]["header"]
        assert second["parts"]["genogram"] == first["parts"]["genogram"]
        drawer._draw()  # nothing changed: nothing written
        assert json.loads(drawer.file.read_text())["seq"] == second["seq"]
    finally:
        drawer.stop()
    assert not drawer.folder.exists(), "nothing of the case stays on disk after the room"


def test_a_viewer_sets_its_widgets_from_the_rooms_drawing(
    session: SupervisorSession, store_path: Path
) -> None:
    drawer = PartsDrawer(str(store_path), session.session_id)
    try:
        drawer._draw()
        page = RoomDashboard(drawer.file, list(HTML_SECTIONS))
        assert "wb-title" in page.parts["header"].value
        assert page.genogram.svg == drawer.parts["genogram"]
        assert page.refresh() is False, "an unchanged drawing is not read again"
        session.select_person(session.case.people[0].id)
        session.go_to("hypotheses")
        drawer._draw()
        assert page.refresh() is True
        assert page.genogram.selected and page.bring.step == "hypotheses"
        assert "wb-section-current" in page.boxes["hypotheses"]._dom_classes
    finally:
        drawer.stop()


async def _until(done: Callable[[], bool], seconds: float = 10.0) -> float:
    """Seconds until ``done()`` (bounded)."""
    start = time.monotonic()
    while not done():
        assert time.monotonic() - start < seconds, "not within the time allowed"
        await asyncio.sleep(0.005)
    return time.monotonic() - start


def test_a_viewer_hears_of_each_drawing_at_once_instead_of_polling(
    session: SupervisorSession, store_path: Path
) -> None:
    async def follow() -> float:
        drawer = PartsDrawer(str(store_path), session.session_id)
        drawer.start()
        await _until(drawer.file.exists)
        # Looking at the file only once an hour: what follows can only come from the socket.
        page = RoomDashboard(drawer.file, list(HTML_SECTIONS), every=3600)
        page.start()
        try:
            assert drawer._announcer is not None
            await _until(lambda: len(drawer._announcer.listeners) == 1)
            session.rename("Friday group")
            took = await _until(lambda: "Friday group" in page.parts["header"].value)
            session.rename("Friday group, later")
            await _until(lambda: "Friday group, later" in page.parts["header"].value)
            return took
        finally:
            page.stop()
            drawer.stop()

    took = asyncio.run(follow())
    assert took < 1.0, f"{took:.2f} s from the store's commit to the viewer's widgets"


def test_a_viewer_kernel_loads_no_store_no_models_and_no_drawing_code() -> None:
    code = ("import sys, widgets.participants\n"
            "heavy = [m for m in ('networkx', 'pydantic', 'yaml', 'sqlite3', 'systemic')"
            " if m in sys.modules]\n"
            "print(','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ}, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
