"""The genogram widget's Python side: state only, the ES module and stylesheet ship with it."""

from __future__ import annotations

from widgets.genogram import STATIC, GenogramWidget


def test_the_widget_carries_svg_selection_mode_and_zoom() -> None:
    w = GenogramWidget(svg="<svg></svg>", mode="edit")
    state = w.get_state()
    assert {"svg", "selected", "mode", "zoom"} <= set(state)
    assert state["mode"] == "edit" and state["selected"] == ""


def test_a_click_from_the_front_end_reaches_python() -> None:
    w = GenogramWidget()
    seen: list[str] = []
    w.observe(lambda change: seen.append(change["new"]), names="selected")
    w.set_state({"selected": "mia"})  # the path an incoming front-end update takes
    assert seen == ["mia"] and w.selected == "mia"


def test_zoom_is_kept_in_a_sensible_range() -> None:
    w = GenogramWidget()
    w.set_state({"zoom": 40.0})
    assert w.zoom == 4.0
    w.zoom = 0.01
    assert w.zoom == 0.25


def test_the_front_end_is_small_self_contained_and_loads_nothing_from_the_internet() -> None:
    js = (STATIC / "genogram.js").read_text(encoding="utf-8")
    css = (STATIC / "genogram.css").read_text(encoding="utf-8")
    assert "export default" in js and "render" in js
    for text in (js, css):
        assert "http://" not in text and "https://" not in text and "import " not in text
    assert len(js.splitlines()) < 200


def test_clicking_a_person_in_the_case_genogram_points_the_group_at_them() -> None:
    import os
    from pathlib import Path

    from systemic.session import snapshot
    from systemic.store import Store
    from widgets.genogram import case_genogram

    w = case_genogram()  # the training session conftest seeds for the notebooks
    person = w.svg.split('data-person="')[1].split('"')[0]
    w.set_state({"selected": person})
    with Store.open(Path(os.environ["SYSTEMIC_WORKBOOK_STORE"]), readonly=True) as reader:
        snap = snapshot(reader)
        assert snap is not None and snap.selected_person == person
        assert snap.current_step == "case"
