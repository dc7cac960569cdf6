"""The same stored case draws the same genogram everywhere (issue 13, point 2).

The left-to-right order is part of the case in the store: each edit writes it
(:func:`systemic.genogram.layout.keep_order`). So after any sequence of edits
made through the supervisor's widget, the SVG is the same on every path that
reads the store: the supervisor's widget, a supervisor's widget opened afresh
(another kernel), a participant's dashboard, the trainer's plenary and the
export for the child's file. Before, the widget kept its order in kernel memory
and 18 of 18 "add partner" edits drew a different order for participants.

Real parts throughout: a real SQLite store, the real panel, the real dashboard
and plenary readers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from systemic.cases import Case, ParentLink, Person, Union, stored_case
from systemic.dashboard import SessionView
from systemic.genogram.commands import GenogramEditor
from systemic.genogram.export import genogram_svg
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.workshop.breakout import PlenaryView, create_workshop
from widgets.genogram import GenogramEditorPanel

SEXES = ("female", "male", "unknown")
STATUSES = ("married", "cohabiting", "separated", "divorced")
KINDS = ("close", "distant", "conflict", "hostile", "cut_off")


def _start() -> Case:
    return Case(
        id="same-picture", title="The Hills (fictional)", fictional=True,
        people=[Person(id="ann", name="Ann Hill", sex="female", born=1970),
                Person(id="bob", name="Bob Hill", sex="male", born=1968),
                Person(id="cat", name="Cat Hill", sex="female", born=1995)],
        unions=[Union(id="ann-bob", partners=["ann", "bob"])],
        parents=[ParentLink(child="cat", parents=["ann", "bob"])],
    )


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path, str, str]]:
    path = tmp_path_factory.mktemp("same-picture") / "workbook.db"
    store = Store.open(path)
    workshop = create_workshop(store, "Same picture", _start(), 2, "camden_practice_framework")
    session_id = workshop.group_session_ids[0]
    try:
        yield store, path, session_id, workshop.id
    finally:
        store.close()


def _edit(draw: st.DrawFn, editor: GenogramEditor) -> None:
    """One random change, as the panel's forms would make it (refusals are fine)."""
    people = [p.id for p in editor.case.people]
    who = draw(st.sampled_from(people))
    op = draw(st.sampled_from(("child", "partner", "child", "partner", "person", "line",
                               "status", "remove", "home")))
    name = draw(st.sampled_from(("Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo Anne Long")))
    new = {"name": name, "sex": draw(st.sampled_from(SEXES)),
           "born": draw(st.integers(1940, 2024))}
    if op == "child":
        unions = [u.id for u in editor.case.unions if who in u.partners]
        parents = draw(st.sampled_from(unions)) if unions and draw(st.booleans()) else [who]
        editor.add_child(parents, new)
    elif op == "partner":
        editor.add_partner(who, new, draw(st.sampled_from(STATUSES)))
    elif op == "person":
        editor.add_person(name, sex=new["sex"])
    elif op == "line":
        editor.add_relationship(who, draw(st.sampled_from(people)), draw(st.sampled_from(KINDS)))
    elif op == "status" and editor.case.unions:
        uid = draw(st.sampled_from([u.id for u in editor.case.unions]))
        editor.set_union_status(uid, draw(st.sampled_from(STATUSES)))
    elif op == "remove" and len(people) > 2:
        editor.remove_person(who)
    elif op == "home":
        members = draw(st.lists(st.sampled_from(people), min_size=1, max_size=4, unique=True))
        editor.add_household(f"{name}'s home", members)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), steps=st.integers(1, 6))
def test_every_path_draws_the_same_svg_after_random_edits(room, data, steps: int) -> None:
    store, path, session_id, workshop_id = room
    session = SupervisorSession.resume(store, session_id)
    store.update_case(session.discussion_id, _start().model_dump(mode="json", by_alias=True))
    panel = GenogramEditorPanel(session, mode="edit")
    for _ in range(steps):
        def do(panel: GenogramEditorPanel = panel) -> tuple[str, dict]:
            _edit(data.draw, panel.editor)
            return "done", panel.editor.history[-1]
        panel._change(do, rollback=panel.editor.undo)
    supervisor = panel.drawing
    stored = stored_case(store.discussion(session.discussion_id).case_data)
    assert stored == panel.case
    again = GenogramEditorPanel(SupervisorSession.resume(store, session_id), mode="edit")
    with Store.open(path, readonly=True) as reader:
        participant = SessionView(reader, session_id).read()["genogram"]
        plenary = PlenaryView(reader, workshop_id).read().groups[session_id]["genogram"]
    export = genogram_svg(stored)
    assert panel.widget.svg == genogram_svg(stored, show_legend=False)
    assert supervisor == again.drawing
    assert supervisor == participant
    assert supervisor == plenary
    assert supervisor == export
