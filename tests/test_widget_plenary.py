"""The plenary page's widgets: a column per group, set from the store, redrawn where it changed."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from systemic.errors import ReadOnlyStore
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.store import Store
from systemic.workshop.breakout import WORKSHOP_ENV, create_workshop
from widgets.plenary import PLENARY_COLOUR_PAIRS, PLENARY_CSS, PlenaryDashboard, show_plenary
from widgets.style import CONTRAST_PAIRS, PALETTE

FRAMEWORK = "camden_practice_framework"


@pytest.fixture
def workbook(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "workbook.db") as store:
        yield store


def test_each_group_has_a_column_with_its_genogram_in_view_mode(workbook: Store) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 3, FRAMEWORK)
    dashboard = PlenaryDashboard(workbook.path, w.id)
    assert list(dashboard.columns) == list(w.group_session_ids)
    assert len(dashboard.grid.children) == 3
    for number, column in enumerate(dashboard.columns.values(), start=1):
        assert f"wb-group-{number}" in column.view._dom_classes
        assert column.genogram.mode == "view" and column.genogram.svg.startswith("<svg")
        assert column.genogram_box.layout.display == "flex"
        assert f">Group {number}</h2>" in column.parts["heading"].value
    assert "Workshop Tuesday" in dashboard.header.value
    assert dashboard.store is not None and dashboard.store.readonly
    with pytest.raises(ReadOnlyStore):
        dashboard.store.update_session(w.group_session_ids[0], title="Changed from a viewer")


def test_a_change_in_one_group_redraws_that_groups_part_and_nothing_else(workbook: Store) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 2, FRAMEWORK)
    dashboard = PlenaryDashboard(workbook.path, w.id)
    one, two = dashboard.columns.values()
    # Marks on every other part: a redraw of any of them would overwrite its mark.
    others = [dashboard.header, *(p for n, p in one.parts.items() if n != "hypotheses"),
              *two.parts.values()]
    for widget in others:
        widget.value = "untouched"
    one.genogram.svg = two.genogram.svg = "untouched"
    save_hypothesis(workbook, workbook.discussions(one.session_id)[0].id,
                    Hypothesis(text="I wonder whether Maya keeps the peace"))
    dashboard.refresh()
    assert "keeps the peace" in one.parts["hypotheses"].value
    assert [w.value for w in others] == ["untouched"] * len(others)
    assert one.genogram.svg == two.genogram.svg == "untouched"


def test_the_page_follows_the_store_from_an_asyncio_task(workbook: Store) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 2, FRAMEWORK)

    async def follow_for_a_moment() -> str:
        dashboard = PlenaryDashboard(workbook.path, w.id, every=0.01)
        dashboard.start()
        second = dashboard.columns[w.group_session_ids[1]]
        save_hypothesis(workbook, workbook.discussions(second.session_id)[0].id,
                        Hypothesis(text="A new idea"))
        for _ in range(300):  # bounded: at most three seconds
            if "A new idea" in second.parts["hypotheses"].value:
                break
            await asyncio.sleep(0.01)
        dashboard.stop()
        return second.parts["hypotheses"].value

    assert "A new idea" in asyncio.run(follow_for_a_moment())


def test_before_any_workshop_the_page_says_so_then_lays_out_the_groups(workbook: Store) -> None:
    dashboard = PlenaryDashboard(workbook.path)
    assert "No workshop yet" in dashboard.header.value and dashboard.grid.children == ()
    w = create_workshop(workbook, "Tuesday", "kinship_care", 4, FRAMEWORK)
    dashboard.refresh()
    assert list(dashboard.columns) == list(w.group_session_ids)
    assert len(dashboard.grid.children) == 4


def test_a_page_started_before_the_store_exists_waits_kindly(tmp_path: Path) -> None:
    dashboard = PlenaryDashboard(tmp_path / "later.db")
    assert "No workshop yet" in dashboard.header.value
    assert dashboard.store is None


def test_show_plenary_reads_the_workshop_from_the_environment(
    workbook: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = create_workshop(workbook, "Monday", "blended_family", 2, FRAMEWORK)
    create_workshop(workbook, "Tuesday", "blended_family", 3, FRAMEWORK)
    monkeypatch.setenv("SYSTEMIC_WORKBOOK_STORE", str(workbook.path))
    monkeypatch.setenv(WORKSHOP_ENV, older.id)

    async def show() -> str:
        view = show_plenary()
        return view.children[1].value

    assert "Workshop Monday" in asyncio.run(show())


def test_the_plenarys_colours_come_from_the_checked_palette() -> None:
    colours = set(re.findall(r"#[0-9a-fA-F]{6}\b", PLENARY_CSS))
    assert colours and colours <= set(PALETTE.values())
    checked = {(fore, back) for fore, back, _, _ in CONTRAST_PAIRS}
    for pair in PLENARY_COLOUR_PAIRS:
        assert pair in checked
    used = {PALETTE[name] for pair in PLENARY_COLOUR_PAIRS for name in pair}
    assert colours <= used
