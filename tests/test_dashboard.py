"""What participants see is computed here, escaped, private for real cases and redrawn in parts."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import ipywidgets as ipw
import pytest

from systemic.cases import Case, EcomapConnection, Household, Person, load_case
from systemic.dashboard import (
    ALL_PARTS,
    HTML_SECTIONS,
    DashboardSettings,
    Naming,
    SessionView,
    load_dashboard_settings,
    load_wording,
    render_ecomap,
    render_graces,
    render_header,
    render_hypotheses,
    render_plan,
    render_questions,
    render_uncertainty,
    render_waiting,
    save_dashboard_settings,
    sections_for,
)
from systemic.genogram.ecomap import ecomap_svg
from systemic.graces import GraceEntry, save_entry
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.paths import CASES_DIR
from systemic.plan import Action, DangerStatement, Plan, SignsOfSafetyMap, save_plan
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.uncertainty import Placement, WindowPlacement, save_placement
from widgets.dashboard import SessionDashboard
from widgets.genogram import GenogramWidget

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
FRAMEWORK = "camden_practice_framework"


def _case(fictional: bool) -> Case:
    return Case(
        id="rivers",
        title="The Rivers family",
        fictional=fictional,
        question="What would help Mia Rivers feel heard?",
        people=[
            Person(id="mia", name="Mia Rivers", sex="female", born=2015, index=True),
            Person(id="jo", name="Jo Rivers", sex="female", born=1988),
            Person(id="x", name=HOSTILE, sex="male", born=1985),
        ],
    )


def _session(store_path: Path, case: Case) -> tuple[Store, SupervisorSession]:
    store = Store.open(store_path)
    return store, SupervisorSession.start(store, framework_id=FRAMEWORK, case=case, title="Tuesday")


def _everything(store: Store, session: SupervisorSession) -> None:
    """One record of every kind the page shows, each naming the family."""
    did = session.discussion_id
    save_entry(store, did, GraceEntry(person="mia", grace="age", visible=True, voiced=True,
                                      note="Mia Rivers is nine"))
    save_entry(store, did, GraceEntry(person="worker", grace="class", visible=False,
                                      voiced=False, note="the worker's own"))
    save_hypothesis(store, did, Hypothesis(
        text="I wonder whether Mia Rivers and Jo worry together",
        people_involved=["mia", "jo"],
        evidence_for=["Jo phones the school daily"],
        evidence_against=["Mia says she is fine"],
        unknowns=["what Mia's dad thinks"],
        graces_considered=["age"],
    ))
    store.put_record(did, "question", {"type": "circular", "tomm": "circular",
                                       "text": "Who in the family worries most about Mia?",
                                       "people": ["mia"]})
    save_placement(store, did, Placement(who="jo", label="Jo", now="unsafe_uncertainty",
                                         hoped="safe_uncertainty"))
    save_plan(store, did, Plan(
        map=SignsOfSafetyMap(
            dangers=[DangerStatement(who_worried="The school", what_behaviour="Jo misses pickups",
                                     impact_if_unchanged="Mia Rivers will feel alone")],
            strengths=["Jo walks Mia to school"],
        ),
        actions=[Action(what="Ask Mia what helps", owner="Priya")],
    ))


# -- the header ---------------------------------------------------------------------------------


def test_the_current_step_is_marked_for_screen_readers_and_eyes() -> None:
    html = render_header(title="Tuesday", framework_name="Camden", current_step="graces")
    assert html.count('aria-current="step"') == 1
    current = html.split('aria-current="step"')[1].split("</li>")[0]
    assert "Social GRRAACCEESS" in current
    assert "Now: <strong>Step 4 of 8: Social GRRAACCEESS</strong>" in html


def test_the_selected_person_is_named_in_the_header_by_their_genogram_key() -> None:
    case = _case(fictional=False)
    naming = Naming.for_case(case)
    html = render_header(title="t", framework_name="f", case=case, selected_person="jo",
                         naming=naming)
    assert f'data-person="{naming.key("jo")}"' in html and 'data-person="jo"' not in html
    assert "We are thinking about: <strong>J.R.</strong>" in html


def test_before_any_session_the_page_says_it_is_waiting() -> None:
    assert "Waiting for the session to start" in render_waiting()


# -- privacy --------------------------------------------------------------------------------------


def test_real_cases_show_initials_everywhere_on_the_page(store_path: Path) -> None:
    store, session = _session(store_path, _with_ecomap(_case(fictional=False)))
    _everything(store, session)
    session.select_person("mia")
    page = SessionView(Store.open(store_path, readonly=True)).read()
    text = " ".join(str(v) for v in page.values())
    assert "Mia" not in text and "Rivers" not in text and "Jo " not in text
    assert "M.R." in page["hypotheses"] and "J.R." in page["hypotheses"]
    assert "M.R." in page["genogram"] and 'data-person="mia"' not in page["genogram"]
    assert "The [name] family" in page["header"]
    assert "M.R." in page["ecomap"] and "<svg" in page["ecomap"]
    assert page["selected"] == Naming.for_case(session.case).key("mia") != "mia"


def test_training_cases_show_names_unless_the_supervisor_hides_them(store_path: Path) -> None:
    store, session = _session(store_path, _case(fictional=True))
    _everything(store, session)
    reader = SessionView(Store.open(store_path, readonly=True))
    assert "Mia Rivers" in reader.read()["hypotheses"]
    save_dashboard_settings(store, session.session_id, DashboardSettings(hide_names=True))
    parts = reader.update()
    assert set(parts) == set(ALL_PARTS), "new settings redraw the whole page"
    assert "Mia" not in " ".join(str(v) for v in parts.values())


def test_the_supervisor_may_choose_role_labels_and_names_inside_them_are_hidden() -> None:
    case = load_case(CASES_DIR / "blended_family.yaml").model_copy(update={"fictional": False})
    naming = Naming.for_case(case, DashboardSettings(labels="roles"))
    assert naming.name("leanne") == "Mum" and naming.name("maya").startswith("Child (")
    # "Ryan's former wife, Ethan's mum": first names inside a role become initials.
    assert naming.name("kerry") == "R.D.'s former wife, E.D.'s mum"
    everyone = " ".join(naming.shown.values())
    for person in case.people:
        for part in person.name.replace("(", " ").replace(")", " ").split():
            if part[0].isupper() and len(part) > 2:
                assert part not in everyone, part
    assert len(set(naming.shown.values())) == len(case.people), "labels tell people apart"


def test_names_in_free_text_are_hidden_and_shared_surnames_become_a_blank() -> None:
    case = load_case(CASES_DIR / "blended_family.yaml").model_copy(update={"fictional": False})
    naming = Naming.for_case(case)
    said = naming.redact("kay told Maya Adeyemi-Hart that Amira and Tunde's baby is due; "
                         "the Harts and Mrs Hart disagree")
    assert said == ("K.A.H. told M.A.H. that A.A.T.B. is due; "
                    "the Harts and Mrs [name] disagree")
    assert naming.redact("and the baby") == "and the baby", "ordinary words are not names"


def test_settings_are_kept_with_the_session_and_default_to_private(store_path: Path) -> None:
    store, session = _session(store_path, _case(fictional=True))
    assert load_dashboard_settings(store, session.session_id) == DashboardSettings()
    save_dashboard_settings(store, session.session_id, DashboardSettings(labels="roles"))
    save_dashboard_settings(store, session.session_id, DashboardSettings(share_staff_graces=True))
    settings = load_dashboard_settings(store, session.session_id)
    assert settings.share_staff_graces and settings.labels == "initials"
    assert len(store.records(session.session_id, "tag")) == 1, "one settings record, replaced"


# -- escaping -------------------------------------------------------------------------------------


def test_typed_text_is_escaped_in_every_part(store_path: Path) -> None:
    case = _case(fictional=True)
    naming = Naming.for_case(case)
    h = Hypothesis(text=HOSTILE, evidence_for=[HOSTILE], people_involved=["x"])
    parts = {
        "header": render_header(title=HOSTILE, framework_name=HOSTILE, case=case,
                                selected_person="x", naming=naming),
        "graces": render_graces([GraceEntry(person="x", grace="age", visible=True, voiced=True,
                                            note=HOSTILE)], naming),
        "hypotheses": render_hypotheses([h], naming),
        "questions": render_questions([{"type": HOSTILE, "text": HOSTILE, "people": ["x"]}],
                                      naming),
        "uncertainty": render_uncertainty([Placement(who="x", label=HOSTILE,
                                                     now="safe_certainty")], naming),
        "plan": render_plan(Plan(map=SignsOfSafetyMap(strengths=[HOSTILE]),
                                 actions=[Action(what=HOSTILE, owner=HOSTILE)]), naming),
        "ecomap": render_ecomap(_with_ecomap(case, HOSTILE), naming),
    }
    for name, html in parts.items():
        assert "<img" not in html, name
        assert ESCAPED in html, name


# -- the ecomap ----------------------------------------------------------------------------------


def _with_ecomap(case: Case, school: str = "Oakfield School") -> Case:
    """The case with a home, a school tied to Mia and a neighbour named in full."""
    return case.model_copy(update={
        "focal_child": "mia",
        "households": [Household(id="home", name="The Rivers home", members=["mia", "jo"])],
        "ecomap": [
            EcomapConnection(id="school", name=school, connected_to="mia", strength="strong"),
            EcomapConnection(id="rivers_club", name="Jo Rivers's running club",
                             connected_to="jo", stressful=True),
            EcomapConnection(id="pat_neighbour", name="Pat Neighbour", kind="person",
                             connected_to="home", flow="to_family"),
        ],
    })


def test_participants_see_the_supervisors_ecomap_of_the_demo_case(store_path: Path) -> None:
    case = load_case(CASES_DIR / "blended_family.yaml")
    store, session = _session(store_path, case)
    page = SessionView(Store.open(store_path, readonly=True), session.session_id).read()
    # The very SVG the supervisor's step 3 draws from the same stored case (one drawing).
    assert ecomap_svg(session.case) in page["ecomap"]
    assert "Fernhill" in page["ecomap"] and "with Maya" in page["ecomap"]
    assert page["ecomap"].index("Who is around the family") < page["ecomap"].index("<svg")


def test_a_real_cases_ecomap_hides_names_in_people_and_typed_text(store_path: Path) -> None:
    case = _with_ecomap(_case(fictional=False))
    store, session = _session(store_path, case)
    view = SessionView(Store.open(store_path, readonly=True), session.session_id)
    html = view.read()["ecomap"]
    for name in ("Mia", "Rivers", "Jo ", "Pat", "Neighbour", "rivers_club", "pat_neighbour"):
        assert name not in html, name
    assert "M.R." in html and "J.R." in html and "P.N." in html and "Household" in html
    assert "J.R.&#x27;s running club" in html and "Oakfield School" in html
    save_dashboard_settings(store, session.session_id, DashboardSettings(labels="roles"))
    roles = view.update()["ecomap"]
    naming = Naming.for_case(case, DashboardSettings(labels="roles"))
    assert f"with {naming.name('mia')}" in roles and "Mia" not in roles


def test_the_ecomap_is_kind_when_empty_and_redrawn_only_when_the_case_changes(
    store_path: Path,
) -> None:
    store, session = _session(store_path, _case(fictional=True))
    view = SessionView(Store.open(store_path, readonly=True), session.session_id)
    first = view.read()["ecomap"]
    assert "No connections outside the family have been added yet." in first
    assert "<svg" not in first
    save_hypothesis(store, session.discussion_id, Hypothesis(text="An idea"))
    assert "ecomap" not in view.update(), "a new idea does not redraw the ecomap"
    store.update_case(session.discussion_id, _with_ecomap(session.case).model_dump(mode="json"))
    assert "Oakfield School" in view.update()["ecomap"]


def test_an_ecomap_with_no_one_in_the_middle_says_so_kindly() -> None:
    case = _with_ecomap(_case(fictional=True)).model_copy(
        update={"focal_child": None, "households": [],
                "people": [p.model_copy(update={"index": False}) for p in _case(True).people]})
    html = render_ecomap(case, Naming.for_case(case))
    assert "once we know whose home is in the middle" in html and "<svg" not in html


# -- each section ---------------------------------------------------------------------------------


def test_staff_graces_stay_private_unless_the_supervisor_shares_them() -> None:
    naming = Naming(False, {"mia": "Mia"}, {}, {"worker": "Worker"})
    entries = [GraceEntry(person="worker", grace="class", visible=False, voiced=False),
               GraceEntry(person="Sam", grace="age", staff=True, visible=True, voiced=True),
               GraceEntry(person="mia", grace="age", visible=True, voiced=True)]
    private = render_graces(entries, naming)
    assert "Worker" not in private and "Sam" not in private and "Mia: Age" in private
    shared = render_graces(entries, naming, share_staff=True)
    assert "Worker: Class" in shared and "Sam: Age" in shared


def test_graces_are_placed_in_burnhams_four_cells_with_the_unplaced_listed() -> None:
    naming = Naming(False, {"mia": "Mia"}, {})
    html = render_graces([GraceEntry(person="mia", grace="race", visible=True, voiced=False),
                          GraceEntry(person="mia", grace="religion")], naming)
    cell = html.split("wb-cell-visible_unvoiced")[1].split("</div>")[0]
    assert "Seen but not spoken about" in cell and "Mia: Race" in cell
    assert "Still to place:" in html and "Mia: Religion" in html.split("Still to place:")[1]


def test_hypotheses_show_their_evidence_and_earlier_ideas_stay_visible() -> None:
    naming = Naming(False, {"mia": "Mia"}, {})
    ideas = [Hypothesis(text="First idea", status="set_aside"),
             Hypothesis(text="Now", evidence_for=["a"], evidence_against=["b"], unknowns=["c"],
                        people_involved=["mia"])]
    html = render_hypotheses(ideas, naming)
    for heading, item in (("What fits", "a"), ("What does not fit", "b"),
                          ("What we do not know yet", "c")):
        assert f"<h3>{heading}</h3><ul><li>{item}</li>" in html
    assert "About: Mia" in html
    assert "First idea <em>(set aside)</em>" in html.split("Earlier ideas")[1]
    assert "No ideas have been written down yet." in render_hypotheses([], naming)


def test_chosen_questions_are_grouped_by_kind_in_plain_words() -> None:
    naming = Naming(False, {"mia": "Mia"}, {})
    html = render_questions([
        {"type": "circular", "text": "Who worries most?", "people": ["mia"]},
        {"type": "lineal", "text": "When did it start?", "people": []},
        {"type": "circular", "text": "Who notices first?", "people": []},
    ], naming)
    assert html.index("Finding out") < html.index("Connecting people")
    circular = html.split("Connecting people")[1]
    assert "Who worries most? <span class=\"wb-about\">(About: Mia)</span>" in circular
    assert "Who notices first?" in circular


def test_the_uncertainty_grid_always_carries_its_caveat() -> None:
    naming = Naming(False, {"jo": "Jo"}, {}, {"worker": "Worker", "family": "The family"})
    empty = render_uncertainty([], naming)
    assert "not a risk assessment" in empty
    html = render_uncertainty([
        Placement(who="jo", label="Jo", now="unsafe_uncertainty", hoped="safe_uncertainty"),
        WindowPlacement(who="worker", towards="family", now="to", hoped="with"),
    ], naming)
    assert "not a risk assessment" in html
    unsafe = html.split('data-cell="unsafe_uncertainty"')[1].split('data-cell=')[0]
    safe = html.split('data-cell="safe_uncertainty"')[1].split('data-cell=')[0]
    assert "Jo" in unsafe and 'data-mark="now"' in unsafe
    assert "Jo (hoped)" in safe and 'data-mark="hoped"' in safe
    assert "Worker and The family" in html


def test_participants_see_the_supervisors_drawing_of_the_grid() -> None:
    from systemic.uncertainty_grid import GridMark, grid_svg, mason_layout, window_layout

    naming = Naming(False, {"jo": "Jo"}, {}, {"worker": "Worker"})
    jo = Placement(who="jo", label="Jo", now="unsafe_uncertainty", hoped="safe_uncertainty")
    pair = WindowPlacement(who="worker", towards="family", label="Priya and the family",
                           now="to", hoped="with")
    html = render_uncertainty([jo, pair], naming)
    # The very SVG the supervisor's step draws for the same placements (one drawing).
    assert grid_svg(mason_layout(), [GridMark("Jo", "unsafe_uncertainty",
                                              "safe_uncertainty")], "wb-dm") in html
    assert grid_svg(window_layout(), [GridMark("Priya and the family", "to", "with")],
                    "wb-dw") in html
    # The relationship is said once: never "Priya and the family with The family".
    assert "Priya and the family" in html and " with The family" not in html


def test_the_plan_shows_the_three_columns_and_who_does_what() -> None:
    naming = Naming(False, {}, {})
    html = render_plan(Plan(
        map=SignsOfSafetyMap(
            dangers=[DangerStatement(who_worried="The school", what_behaviour="nobody collects",
                                     impact_if_unchanged="she waits alone")],
            strengths=["Nan visits"],
            next_steps=["Meet the school"],
        ),
        actions=[Action(what="Phone Nan", owner="Priya")],
    ), naming)
    worried, rest = html.split("What is working well?")
    assert "The school is worried that nobody collects." in worried
    assert "Nan visits" in rest.split("What needs to happen?")[0]
    assert "Meet the school" in rest.split("What needs to happen?")[1]
    assert "Phone Nan — Who: Priya" in html
    assert "The plan has not been started yet." in render_plan(Plan(), naming)


def test_the_wording_is_data_with_a_source() -> None:
    wording = load_wording()
    assert wording.source.strip()
    assert not hasattr(wording, "step_sections"), "which step highlights what is the registry's"


# -- redrawing only what changed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "parts"),
    [
        ("session", {"header", "selected", "highlight", "step"}),
        ("hypothesis", {"hypotheses"}),
        ("grace", {"graces"}),
        ("question", {"questions"}),
        ("placement", {"uncertainty"}),
        ("plan", {"plan"}),
        ("checkin", set()),
        ("case", set(ALL_PARTS)),
        ("discussion", set(ALL_PARTS)),
        ("tag", set(ALL_PARTS)),
    ],
)
def test_each_kind_of_change_redraws_only_its_parts(kind: str, parts: set[str]) -> None:
    assert sections_for([(kind, "updated")]) == parts


def test_changes_to_other_sessions_are_ignored_unless_following_the_newest(
    store_path: Path,
) -> None:
    store, session = _session(store_path, _case(fictional=True))
    version = store.version()
    other = store.create_session("Another group", FRAMEWORK)
    store.update_session(other, title="Renamed")
    changes = store.changes_since(version)
    assert sections_for(changes, session.session_id) == set()
    assert sections_for(changes, session.session_id, follow_newest=True) == set(ALL_PARTS)


def test_a_change_redraws_its_part_and_reading_writes_nothing(store_path: Path) -> None:
    store, session = _session(store_path, _case(fictional=False))
    reader = SessionView(Store.open(store_path, readonly=True), session.session_id)
    reader.read()
    assert reader.update() == {}
    save_hypothesis(store, session.discussion_id, Hypothesis(text="I wonder about Jo Rivers"))
    parts = reader.update()
    assert list(parts) == ["hypotheses"] and "I wonder about J.R." in parts["hypotheses"]
    session.go_to("hypotheses")
    parts = reader.update()
    assert set(parts) == {"header", "selected", "highlight", "step"}
    assert parts["highlight"] == ("hypotheses",)
    assert parts["step"] == "hypotheses"
    store.put_record(session.session_id, "checkin", {"who": "Sam", "text": "tired"})
    assert reader.update() == {}, "a check-in is personal and never shown"
    version = store.version()
    reader.read()
    reader.update()
    assert store.version() == version


# -- the widget ---------------------------------------------------------------------------------


def _widgets(widget: ipw.Widget) -> list[ipw.Widget]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _widgets(child)
    return out


def test_the_dashboard_is_a_handful_of_widgets_with_one_genogram(store_path: Path) -> None:
    store, session = _session(store_path, load_case(CASES_DIR / "blended_family.yaml"))
    dashboard = SessionDashboard(store_path, session.session_id)
    everything = _widgets(dashboard.view)
    # One HTML box per section, the genogram with its heading, the page and its style.
    assert len(everything) <= len(HTML_SECTIONS) + 6
    assert sum(isinstance(w, GenogramWidget) for w in everything) == 1
    assert dashboard.genogram.mode == "view"
    assert dashboard.genogram.svg.startswith("<svg") and "Maya" in dashboard.genogram.svg
    assert dashboard.genogram_box.layout.display == "flex"
    assert "Tuesday" in dashboard.parts["header"].value
    assert "Fernhill Primary School" in dashboard.parts["ecomap"].value


def test_the_dashboard_follows_the_store_from_an_asyncio_task(store_path: Path) -> None:
    store, session = _session(store_path, _case(fictional=True))

    async def follow_for_a_moment() -> tuple[str, str, tuple[str, ...]]:
        dashboard = SessionDashboard(store_path, session.session_id, every=0.01)
        dashboard.start()
        session.select_person("jo")
        session.go_to("graces")
        save_hypothesis(store, session.discussion_id, Hypothesis(text="A new idea"))
        for _ in range(300):  # bounded: at most three seconds
            if "A new idea" in dashboard.parts["hypotheses"].value and \
                    dashboard.genogram.selected == "jo":
                break
            await asyncio.sleep(0.01)
        dashboard.stop()
        return (dashboard.parts["hypotheses"].value, dashboard.genogram.selected,
                dashboard.parts["graces"]._dom_classes)

    hypotheses, selected, graces_classes = asyncio.run(follow_for_a_moment())
    assert "A new idea" in hypotheses
    assert selected == "jo"
    assert "wb-section-current" in graces_classes


def test_writes_from_another_thread_reach_a_following_dashboard_with_no_cell_running(
    store_path: Path,
) -> None:
    # Under ipykernel 7 the supervisor's widget callbacks run on a comm thread (JUPYTER.md
    # §2.2): their store writes must reach the dashboards without waking anything up.
    store, session = _session(store_path, _case(fictional=True))

    async def follow_while_a_thread_writes() -> str:
        dashboard = SessionDashboard(store_path, session.session_id, every=0.01)
        dashboard.start()
        writer = threading.Thread(target=lambda: [session.select_person(p)
                                                  for p in ("jo", "x", "mia")])
        writer.start()
        for _ in range(300):  # bounded: at most three seconds
            if dashboard.genogram.selected == "mia":
                break
            await asyncio.sleep(0.01)
        writer.join(timeout=5)
        dashboard.stop()
        return dashboard.genogram.selected

    assert asyncio.run(follow_while_a_thread_writes()) == "mia"


def test_a_dashboard_started_before_the_store_exists_waits_for_it(tmp_path: Path) -> None:
    path = tmp_path / "later.db"
    dashboard = SessionDashboard(path)
    assert "Waiting for the session to start" in dashboard.parts["header"].value
    assert dashboard.store is None


def test_a_page_following_one_session_reads_that_sessions_own_feed(store: Store, blended: Case):
    # Issue 18: a room that follows one given session follows the version its edits bump in
    # their own transaction (in commit order on any store), not the store-wide numbers.
    ours = SupervisorSession.start(store, framework_id="camden_practice_framework", case=blended)
    other = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                    case=blended, title="Another group")
    view = SessionView(store, ours.session_id)
    view.read()
    assert view.feed.session_id == ours.session_id
    assert view.seen == store.session_version(ours.session_id)
    other.go_to("graces")
    other.rename("Another group, renamed")
    assert view.update() == {}  # the other session's edits are not ours
    ours.go_to("hypotheses")
    assert "hypotheses" in view.update()["highlight"]
    assert view.seen == store.session_version(ours.session_id)


def test_the_participants_and_plenary_pages_say_what_tab_does_and_never_nothing_to_press() -> None:
    """A keyboard user is told what Tab does; no line says "nothing to press" beside it."""
    import json
    import re

    from systemic.dashboard import render_genogram_heading
    from systemic.paths import NOTEBOOKS_DIR
    from systemic.workshop.breakout import (
        render_group_genogram_heading,
        render_no_workshop,
    )

    for name in ("session", "plenary"):
        cells = json.loads((NOTEBOOKS_DIR / "dashboards" / f"{name}.ipynb").read_text())["cells"]
        intro = "".join(cells[0]["source"])
        assert "Tab" in intro and "nothing to press" not in intro.lower(), (name, intro)
    pages = [render_genogram_heading(), render_group_genogram_heading(1), render_no_workshop()]
    said = " ".join(re.sub(r"<[^>]+>", " ", page) for page in pages)
    assert "nothing to press" not in said.lower() and "Press Tab" not in said, said
    assert said.count("With a keyboard, Tab moves from person to person") == 2, said
