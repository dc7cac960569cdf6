"""The genogram widget and its edit panel: every change goes through the editor and the store."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import ipywidgets as ipw
import pytest

from systemic.cases import Case, ParentLink, Person, Union, parse_case
from systemic.genogram.commands import GenogramEditor
from systemic.session import SupervisorSession, snapshot
from systemic.store import Store
from widgets.ecomap import EcomapView, case_ecomap
from widgets.genogram import ACTIONS, STATIC, GenogramEditorPanel, GenogramWidget, case_genogram

HOSTILE = "<img src=x onerror=alert(1)>"


def _family() -> Case:
    return Case(
        id="rivers", title="The Rivers family (fictional)", fictional=True, focal_child="mia",
        people=[
            Person(id="dawn", name="Dawn Rivers", sex="female", born=1988),
            Person(id="lee", name="Lee Rivers", sex="male", born=1986, died=2012),
            Person(id="mia", name="Mia Rivers", sex="female", born=2010, index=True),
        ],
        unions=[Union(id="dawn-lee", partners=["dawn", "lee"], status="married", began=2008)],
        parents=[ParentLink(child="mia", parents=["dawn", "lee"])],
    )


@pytest.fixture
def session(store_path: Path):
    with Store.open(store_path) as store:
        yield SupervisorSession.start(store, framework_id="camden_practice_framework",
                                      case=_family())


def _stored(session: SupervisorSession) -> Case:
    return parse_case(session.store.discussion(session.discussion_id).case_data, "store")


def _edits(session: SupervisorSession) -> list[dict]:
    return [r.payload for r in session.store.records(session.discussion_id, "genogram_edit")]


def _widgets(root: ipw.Widget) -> list[ipw.Widget]:
    out, todo = [], [root]
    while todo:
        w = todo.pop()
        out.append(w)
        todo.extend(getattr(w, "children", ()))
    return out


# -- the anywidget --------------------------------------------------------------------------


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


# -- selecting ------------------------------------------------------------------------------


def test_clicking_a_person_points_the_group_at_them_and_fills_the_who_fields(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.widget.set_state({"selected": "dawn"})
    assert snapshot(session.store, session.session_id).selected_person == "dawn"
    assert panel.who.value == "dawn" and panel.union.value == "dawn-lee"
    assert panel.parents.value == ("union", "dawn-lee")
    # The widget marks the selection (as on participants' screens): the drawing stays the
    # one everyone sees.
    assert panel.widget.selected == "dawn"
    assert 'class="selected"' not in panel.widget.svg


def test_with_names_hidden_a_click_is_mapped_back_from_its_opaque_key(session) -> None:
    panel = GenogramEditorPanel(session, privacy=True)
    assert "Dawn" not in panel.widget.svg and 'data-person="dawn"' not in panel.widget.svg
    panel.widget.set_state({"selected": "p3"})  # the third person's key
    assert snapshot(session.store, session.session_id).selected_person == "mia"


def test_the_view_mode_has_no_edit_controls_and_writes_nothing(session) -> None:
    panel = GenogramEditorPanel(session, mode="view")
    view = panel.view()
    assert not any(isinstance(w, ipw.Button | ipw.Text | ipw.Dropdown) for w in _widgets(view))
    version = session.store.version()
    panel.widget.set_state({"selected": "mia"})
    assert session.store.version() == version and panel.widget.mode == "view"
    assert panel.make_change() is False and _edits(session) == []


# -- editing through the forms ----------------------------------------------------------------


def test_adding_a_person_saves_the_edit_and_the_case_at_once(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_person"
    panel.name.value, panel.sex.value, panel.born.value = "Nan Joan", "female", "1960"
    assert panel.make_change()
    assert _stored(session).person("nan-joan").born.year == 1960
    assert _edits(session)[-1]["op"] == "add_person"
    assert 'data-person="nan-joan"' in panel.widget.svg
    assert "Nan Joan added" in panel.message.value and panel.name.value == ""
    assert ("Nan Joan (1960)", "nan-joan") in panel.who.options


def test_a_pregnancy_outcome_can_be_added_as_a_person(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_person"
    panel.name.value, panel.kind.value, panel.born.value = "Lost pregnancy", "miscarriage", "2014"
    assert panel.make_change()
    assert _stored(session).person("lost-pregnancy").kind == "miscarriage"


def test_adding_a_partner_who_is_new_makes_a_couple_with_its_status(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_partner"
    panel.select("dawn")
    assert panel.whose.value == "new"  # someone new, by default
    assert panel.other not in panel.form.children  # and only the new person's fields show
    panel.name.value, panel.sex.value = "Steve", "male"
    panel.status.value, panel.date.value = "cohabiting", "2016"
    assert panel.make_change()
    couple = [u for u in _stored(session).unions if "steve" in u.partners][0]
    assert couple.status == "cohabiting" and couple.began.year == 2016


def test_adding_a_child_to_a_couple_with_a_link_kind(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_partner"
    panel.select("dawn")
    panel.name.value = "Steve"
    assert panel.make_change()
    panel.action.value = "add_child"
    couple = next(u.id for u in panel.case.unions if "steve" in u.partners)
    panel.parents.value = ("union", couple)
    panel.whose.value = "existing"  # someone already in the genogram
    panel.other.value = "mia"
    panel.link.value = "step"
    assert panel.make_change()
    links = [p for p in _stored(session).parents if p.child == "mia" and p.kind == "step"]
    assert links and set(links[0].parents) == {"dawn", "steve"}


def test_a_relationship_line_uses_the_relationships_vocabulary(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_relationship"
    assert ("Close but hostile", "close_hostile") in panel.relationship.options
    panel.who.value, panel.other.value, panel.relationship.value = "dawn", "mia", "focused_on"
    assert panel.make_change()
    (line,) = _stored(session).relationships
    assert (line.from_, line.to, line.kind) == ("dawn", "mia", "focused_on")


def test_a_household_can_be_added_and_then_changed(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "household"
    panel.name.value, panel.members.value = "Mum's flat", ("dawn",)
    assert panel.make_change()
    (home,) = _stored(session).households
    panel.household.value = home.id
    assert panel.members.value == ("dawn",)  # its members are filled in
    panel.members.value = ("dawn", "mia")
    assert panel.make_change()
    assert _stored(session).households[0].members == ["dawn", "mia"]


def test_a_couples_status_changes_with_its_date(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "union_status"
    panel.union.value, panel.status.value, panel.date.value = "dawn-lee", "widowed", "2012"
    assert panel.make_change()
    (couple,) = _stored(session).unions
    assert couple.status == "widowed" and couple.ended.year == 2012


def test_the_index_person_can_be_chosen(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "set_index"
    panel.select("dawn")
    assert panel.make_change()
    assert [p.id for p in _stored(session).people if p.index] == ["dawn"]


def test_an_impossible_family_is_refused_in_one_kind_line_and_nothing_changes(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_child"
    panel.parents.value = ("person", "lee")
    panel.name.value, panel.born.value = "Kai", "2015"  # three years after Lee died
    version, svg = session.store.version(), panel.widget.svg
    assert panel.make_change() is False
    assert session.store.version() == version and _edits(session) == []
    assert panel.widget.svg == svg and len(panel.case.people) == 3
    assert "role='alert'" in panel.message.value and "\n" not in panel.message.value
    assert "Not changed" in panel.message.value and "Kai" in panel.message.value


def test_a_form_left_half_filled_says_what_is_missing(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_relationship"
    assert panel.make_change() is False
    assert "choose who the line starts from" in panel.message.value


def test_typed_text_in_a_refusal_is_shown_literally(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "household"
    panel.household.value = ""
    panel.name.value, panel.members.value = HOSTILE, ()  # a household needs members
    assert panel.make_change() is False
    panel.action.value = "add_person"
    panel.name.value = HOSTILE
    assert panel.make_change()
    assert "<img" not in panel.message.value and "&lt;img" in panel.message.value


def test_undo_and_redo_are_changes_the_group_sees_too(session) -> None:
    panel = GenogramEditorPanel(session)
    assert panel.undo_button.disabled and panel.undo() is False
    panel.action.value = "add_person"
    panel.name.value = "Nan"
    assert panel.make_change() and not panel.undo_button.disabled
    assert panel.undo()
    assert "nan" not in _stored(session).people_by_id
    assert panel.redo()
    assert "nan" in _stored(session).people_by_id
    assert [e["op"] for e in _edits(session)] == ["add_person", "undo", "redo"]


def test_the_stored_edits_replay_to_the_stored_case(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_person"
    for name in ("Ann", "Bob"):
        panel.name.value = name
        panel.make_change()
    panel.undo()
    panel.action.value = "add_relationship"
    panel.who.value, panel.other.value, panel.relationship.value = "ann", "mia", "close"
    panel.make_change()
    replay = GenogramEditor(_family())
    for edit in _edits(session):
        replay.apply(edit)
    assert replay.case == _stored(session)


def test_people_an_edit_did_not_touch_keep_their_order(session) -> None:
    panel = GenogramEditorPanel(session)
    before = [list(row) for row in panel.layout.rows]
    panel.action.value = "add_child"
    panel.parents.value = ("union", "dawn-lee")
    panel.name.value, panel.born.value = "Baby", "2011"
    assert panel.make_change()
    after = [[p for p in row if p != "baby"] for row in panel.layout.rows]
    assert after[: len(before)] == before


def test_edits_from_two_threads_are_saved_one_at_a_time(session) -> None:
    panel = GenogramEditorPanel(session)
    barrier = threading.Barrier(2)

    def add(name: str) -> None:
        barrier.wait()
        for i in range(3):
            with panel._lock:  # the form is shared, as it is in the notebook
                panel.action.value = "add_person"
                panel.name.value = f"{name} {i}"
                assert panel.make_change()

    threads = [threading.Thread(target=add, args=(n,)) for n in ("Ann", "Bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(_stored(session).people) == 3 + 6 and len(_edits(session)) == 6


def test_an_imported_tree_with_old_date_muddles_can_still_be_selected_and_edited(
        store_path) -> None:
    from systemic.genogram.gedcom import load_gedcom
    from systemic.genogram.validate import family_problems

    tree = load_gedcom(Path(__file__).resolve().parents[2] / "shared" / "data" / "gedcom"
                       / "kennedy.ged", fictional=True)
    assert family_problems(tree)  # the record disagrees with itself about some dates
    with Store.open(store_path) as store:
        session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                          case=tree)
        panel = GenogramEditorPanel(session)
        first = tree.people[0].id
        panel.widget.set_state({"selected": first})
        assert _selected_person(store, session) == first
        panel.action.value = "add_person"
        panel.name.value = "A new cousin"
        assert panel.make_change(), panel.message.value
        assert len(_stored_shape(session).people) == len(tree.people) + 1


def _selected_person(store: Store, session: SupervisorSession) -> str | None:
    return store.session(session.session_id).selected_person


def _stored_shape(session: SupervisorSession) -> Case:
    return Case.model_validate(session.store.discussion(session.discussion_id).case_data)


# -- following the store ----------------------------------------------------------------------


def test_a_change_made_elsewhere_appears_and_undo_starts_again(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_person"
    panel.name.value = "Nan"
    panel.make_change()
    other = GenogramEditor(_stored(session))
    other.add_person("Grandad Ray", sex="male", born=1950)
    session.store.update_case(session.discussion_id,
                              other.case.model_dump(mode="json", by_alias=True))
    session.select_person("mia")
    panel.refresh_from_store()
    assert 'data-person="grandad-ray"' in panel.widget.svg
    assert panel.widget.selected == "mia" and not panel.editor.can_undo
    assert ("Grandad Ray (1950)", "grandad-ray") in panel.who.options


def test_the_panel_follows_the_store_from_the_event_loop(session) -> None:
    async def run() -> bool:
        panel = GenogramEditorPanel(session, mode="view")
        assert panel.start_following(every=0.02)
        other = GenogramEditor(_stored(session))
        other.add_person("Visitor")
        session.store.update_case(session.discussion_id,
                                  other.case.model_dump(mode="json", by_alias=True))
        for _ in range(200):  # bounded: four seconds at most
            if 'data-person="visitor"' in panel.widget.svg:
                break
            await asyncio.sleep(0.02)
        panel.stop_following()
        return 'data-person="visitor"' in panel.widget.svg

    assert asyncio.run(run())
    assert GenogramEditorPanel(session).start_following() is False  # no event loop here


def test_the_forms_stay_few() -> None:
    assert len(ACTIONS) == 9
    fields = {f for action in ACTIONS for f, _label in action.fields}
    assert len(fields) <= 17


# -- the session's own genogram and ecomap ------------------------------------------------------


def test_case_genogram_shows_the_seeded_session_with_its_forms() -> None:
    view = case_genogram()  # the training session conftest seeds for the notebooks
    (genogram,) = [w for w in _widgets(view) if isinstance(w, GenogramWidget)]
    assert genogram.mode == "edit" and "data-person=" in genogram.svg
    assert any(isinstance(w, ipw.Button) and w.description == "Undo" for w in _widgets(view))
    person = genogram.svg.split('data-person="')[1].split('"')[0]
    genogram.set_state({"selected": person})
    with Store.open(Path(os.environ["SYSTEMIC_WORKBOOK_STORE"]), readonly=True) as reader:
        snap = snapshot(reader)
        assert snap is not None and snap.selected_person == person
        assert snap.current_step != "case"  # opening a step does not move the group


def test_case_genogram_for_participants_is_view_only() -> None:
    view = case_genogram("view")
    (genogram,) = [w for w in _widgets(view) if isinstance(w, GenogramWidget)]
    assert genogram.mode == "view"
    assert not any(isinstance(w, ipw.Button) for w in _widgets(view))


def test_the_ecomap_shows_the_case_and_redraws_from_the_store(session) -> None:
    ecomap = EcomapView(session.store, session.discussion_id)
    assert "No connections recorded yet" in ecomap.view.value
    other = GenogramEditor(_stored(session))
    other.add_household("Mum's flat", ["dawn", "mia"])
    other.add_ecomap_connection("Fernhill School", "mia", strength="strong")
    session.store.update_case(session.discussion_id,
                              other.case.model_dump(mode="json", by_alias=True))
    ecomap.refresh()
    assert "<svg" in ecomap.view.value and "Fernhill School" in ecomap.view.value
    assert "Ecomap" in case_ecomap().value


def _svg(html: str) -> str:
    return html[html.index("<svg"):html.index("</svg>") + len("</svg>")]


@pytest.mark.parametrize("labels", ["initials", "roles"])
def test_the_supervisors_privacy_ecomap_is_the_participants_one(
    store: Store, blended: Case, labels: str
) -> None:
    """One home for hiding names: for a real case, the supervisor's privacy view at step 3
    draws the very SVG the participants' page does, following the initials-or-roles choice."""
    from systemic.cases import EcomapConnection
    from systemic.dashboard import DashboardSettings, SessionView, save_dashboard_settings

    club = EcomapConnection(id="harts_club", name="Leanne Hart's running club",
                            connected_to="leanne", stressful=True)
    real = blended.model_copy(update={"fictional": False, "ecomap": [*blended.ecomap, club]})
    session = SupervisorSession.start(store, framework_id="camden_practice_framework", case=real)
    save_dashboard_settings(store, session.session_id, DashboardSettings(labels=labels))
    supervisor = _svg(EcomapView(store, session.discussion_id, privacy=True).view.value)
    with Store.open(store.path, readonly=True) as reader:
        participants = _svg(SessionView(reader, session.session_id).read()["ecomap"])
    assert supervisor == participants
    for hidden in ("Hart", "Leanne", "Maya", "harts_club", "fernhill_primary"):
        assert hidden not in supervisor, hidden
    assert "running club" in supervisor and "Fernhill Primary School" in supervisor
    initials = "with M.A.-H." in supervisor or "M.A." in supervisor
    assert initials == (labels == "initials"), supervisor


@pytest.mark.parametrize("labels", ["initials", "roles"])
def test_the_supervisors_privacy_genogram_is_the_participants_one(
    store: Store, blended: Case, labels: str
) -> None:
    """Step 3's privacy view showed initials only, while participants could be shown roles
    ("Mum", "Child (9)"): it now draws the very SVG the participants' page does."""
    from systemic.dashboard import DashboardSettings, SessionView, save_dashboard_settings

    real = blended.model_copy(update={"fictional": False})
    session = SupervisorSession.start(store, framework_id="camden_practice_framework", case=real)
    save_dashboard_settings(store, session.session_id, DashboardSettings(labels=labels))
    panel = GenogramEditorPanel(session, privacy=True)
    panel.scope.value = "whole"
    with Store.open(store.path, readonly=True) as reader:
        participants = _svg(SessionView(reader, session.session_id).read()["genogram"])
    assert _svg(panel.drawing) == participants
    for hidden in ("Maya", "Leanne", "Hart"):
        assert hidden not in panel.drawing and hidden not in panel.widget.svg, hidden
    mum = real.person("leanne")  # Maya's mother, as the participants' page names her
    shown = "Mum" if labels == "roles" else "L.H."
    assert f">{shown}" in panel.widget.svg, (mum.name, panel.widget.svg[:2000])


def test_the_privacy_genogram_follows_the_supervisors_choice_of_roles(
    store: Store, blended: Case
) -> None:
    from systemic.dashboard import DashboardSettings, save_dashboard_settings

    real = blended.model_copy(update={"fictional": False})
    session = SupervisorSession.start(store, framework_id="camden_practice_framework", case=real)
    panel = GenogramEditorPanel(session, privacy=True)
    initials = panel.widget.svg
    save_dashboard_settings(store, session.session_id, DashboardSettings(labels="roles"))
    panel.refresh_from_store()  # as following the store does, a moment after the choice
    assert panel.widget.svg != initials and ">Mum" in panel.widget.svg
    assert "Mum" not in initials and "Leanne" not in panel.widget.svg


# -- editing beside the drawing (issue 15, point 1) -------------------------------------------


def test_the_form_sits_beside_the_picture_which_stays_in_view(session) -> None:
    panel = GenogramEditorPanel(session)
    view = panel.view()
    assert isinstance(view, ipw.HBox) and len(view.children) == 2
    picture, form = view.children
    assert panel.widget in picture.children and "wb-geno-picture" in picture._dom_classes
    assert panel.form in form.children and panel.apply_button in _widgets(form)
    assert view.layout.flex_flow == "row wrap"  # on a narrow screen the form goes under it
    css = (STATIC / "genogram.css").read_text(encoding="utf-8")
    assert ".wb-geno-picture { position: sticky; top: 0;" in css


def test_the_key_folds_away_beside_the_picture_not_under_it(session) -> None:
    panel = GenogramEditorPanel(session)
    assert panel.key_parts.selected_index is None  # folded until asked for
    assert panel.key_parts.headers[0].description == "▸ Key to the symbols"
    panel.key_parts.headers[0].click()
    assert panel.key_parts.is_open(0)
    assert 'class="legend"' not in panel.widget.svg  # the picture has no key under it
    assert "Key" in panel.key.value and "Female" in panel.key.value


def test_a_new_person_appears_selected_and_brought_into_view(session) -> None:
    panel = GenogramEditorPanel(session)
    asked = panel.widget.reveal
    panel.action.value = "add_person"
    panel.name.value = "Auntie Jo"
    assert panel.make_change()
    assert panel.widget.selected == "auntie-jo"
    assert session.store.session(session.session_id).selected_person == "auntie-jo"
    assert panel.widget.reveal == asked + 1  # the page fits and shows them
    assert panel.widget.readable_zoom * 12 >= 11  # fitting keeps names 11 pixels or more
    assert 'data-person="auntie-jo"' in panel.widget.svg


def test_add_a_child_asks_for_one_person_new_or_existing_never_both(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "add_child"
    shown = panel.form.children
    assert panel.name in shown and panel.other not in shown
    panel.whose.value = "existing"
    shown = panel.form.children
    assert panel.other in shown and panel.name not in shown and panel.born not in shown
    # An earlier click never makes the form use someone else than the one asked for.
    panel.select("mia")
    panel.whose.value = "new"
    panel.parents.value = ("union", "dawn-lee")
    panel.name.value, panel.born.value = "Kai", "2009"
    assert panel.make_change(), panel.message.value
    kai = [p for p in _stored(session).people if p.name == "Kai"]
    assert kai and [link.child for link in _stored(session).parents].count(kai[0].id) == 1


def test_a_person_can_be_corrected_and_undo_takes_it_back(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "update_person"
    panel.select("dawn")
    assert (panel.name.value, panel.born.value) == ("Dawn Rivers", "1988")
    panel.name.value, panel.born.value = "Dawn Marie Rivers", "1987"
    assert panel.make_change(), panel.message.value
    dawn = _stored(session).person("dawn")
    assert (dawn.name, dawn.born.year) == ("Dawn Marie Rivers", 1987)
    assert "details corrected" in panel.message.value
    assert panel.undo()
    assert _stored(session).person("dawn").name == "Dawn Rivers"


def test_a_person_is_removed_with_their_lines_after_a_plain_question(session) -> None:
    panel = GenogramEditorPanel(session)
    panel.action.value = "remove_person"
    panel.select("lee")
    assert panel.make_change() is False  # it only asks
    question = panel.confirm_text.value
    assert "Remove Lee Rivers from the genogram?" in question
    assert "1 couple line, 1 parent and child line go too" in question
    assert "Undo" in question and "lee" in {p.id for p in _stored(session).people}
    panel.confirm_no.click()
    assert panel.confirm.children == () and "Nothing removed" in panel.message.value
    panel.make_change()
    panel.confirm_yes.click()
    stored = _stored(session)
    assert "lee" not in {p.id for p in stored.people}
    assert not stored.unions and all("lee" not in link.parents for link in stored.parents)
    assert "removed, with their lines" in panel.message.value
    assert panel.undo()
    stored = _stored(session)
    assert "lee" in {p.id for p in stored.people} and stored.unions
def test_a_big_family_opens_around_the_selected_person_and_the_whole_is_one_choice_away(
        store_path: Path) -> None:
    people = [Person(id=f"p{i}", name=f"P{i}", born=1900 + i) for i in range(160)]
    parents = [ParentLink(child=f"p{i}", parents=[f"p{i - 1}"]) for i in range(1, 160)]
    big = Case(id="big", title="A long line", fictional=True, people=people, parents=parents)
    with Store.open(store_path) as store:
        session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                          case=big)
        panel = GenogramEditorPanel(session, mode="edit")
        assert panel.scope.value == "around"
        panel.select("p80")
        shown = panel.widget.svg.count('class="person"')
        assert 'data-person="p80"' in panel.widget.svg and shown == 5
        panel.scope.value = "whole"
        assert panel.widget.svg.count('class="person"') == 160
        assert panel.scope in _widgets(panel.view())
