"""The participants' page is accessible: contrast, axe-core in a real browser, the keyboard.

Colours are checked from the values the page uses (WCAG 2.2 AA: text 4.5:1,
borders and graphics 3:1). axe-core comes from npm at the version pinned in
``tests/js/package-lock.json`` (``make test`` runs ``npm ci`` there) and is
injected into the live dashboard by Playwright.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from systemic import serving
from systemic.cases import Case, EcomapConnection, Household, Person
from systemic.genogram.draw import notation_profile
from systemic.graces import GraceEntry, save_entry
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.plan import Action, DangerStatement, Plan, SignsOfSafetyMap, save_plan
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.uncertainty import Placement, save_placement
from tests.conftest import free_port
from widgets.genogram import STATIC
from widgets.style import CONTRAST_PAIRS, DASHBOARD_CSS, PALETTE

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
LOAD = 90_000


# -- contrast -------------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_function_matches_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize(("fore", "back", "minimum", "what"), CONTRAST_PAIRS,
                         ids=[p[3] for p in CONTRAST_PAIRS])
def test_the_pages_colours_pass_wcag_aa(fore: str, back: str, minimum: float, what: str) -> None:
    ratio = contrast(PALETTE[fore], PALETTE[back])
    assert ratio >= minimum, f"{what}: {PALETTE[fore]} on {PALETTE[back]} is {ratio:.2f}:1"


def test_every_colour_in_the_style_sheet_comes_from_the_checked_palette() -> None:
    used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", DASHBOARD_CSS)}
    assert used <= {c.lower() for c in PALETTE.values()}


def test_the_genogram_legend_and_lines_pass_wcag_aa_on_its_paper() -> None:
    profile = notation_profile()
    colours = profile["colours"]
    paper = colours["paper"]
    for text in ("ink", "muted"):  # names, dates and the legend's captions
        assert contrast(colours[text], paper) >= 4.5, text
    for line in ("household", "selected", "highlight"):
        assert contrast(colours[line], paper) >= 3.0, line
    for kind, spec in profile["relationships"].items():
        assert contrast(spec["colour"], paper) >= 3.0, kind


def test_the_genogram_widgets_own_colours_pass_on_white() -> None:
    css = (STATIC / "genogram.css").read_text()
    for colour in set(re.findall(r"#[0-9a-fA-F]{6}\b", css)) - {"#ffffff"}:
        assert contrast(colour, "#ffffff") >= 4.5, colour


# -- in the browser -----------------------------------------------------------------------------


def _case() -> Case:
    return Case(
        id="a11y",
        title="The Okafor family",
        fictional=False,
        question="How can Ada's voice be heard at school and at home?",
        people=[
            Person(id="ada", name="Ada Okafor", sex="female", born=2016, index=True),
            Person(id="mum", name="Grace Okafor", sex="female", born=1989),
            Person(id="dad", name="Tunde Okafor", sex="male", born=1986),
        ],
        households=[Household(id="home", name="The Okafor home", members=["ada", "mum", "dad"])],
        ecomap=[EcomapConnection(id="school", name="Oakfield Primary School", connected_to="ada",
                                 strength="strong", flow="both")],
    )


@dataclass
class Live:
    session: SupervisorSession
    url: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    store_path = tmp_path_factory.mktemp("a11y") / "workbook.db"
    store = Store.open(store_path)
    session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                      case=_case(), title="Thursday group")
    did = session.discussion_id
    # Something in every part, so that axe checks every part of the page.
    save_entry(store, did, GraceEntry(person="mum", grace="religion", visible=False, voiced=True))
    save_entry(store, did, GraceEntry(person="ada", grace="age", visible=True, voiced=True))
    save_hypothesis(store, did, Hypothesis(text="I wonder whether Ada holds the family's worry",
                                           people_involved=["ada", "mum"],
                                           evidence_for=["she asks about money"],
                                           unknowns=["what dad thinks"]))
    store.put_record(did, "question", {"type": "circular", "text": "Who notices Ada first?",
                                       "people": ["ada"]})
    save_placement(store, did, Placement(who="mum", now="unsafe_uncertainty",
                                         hoped="safe_uncertainty"))
    save_plan(store, did, Plan(map=SignsOfSafetyMap(
        dangers=[DangerStatement(who_worried="The school", what_behaviour="Ada is often late",
                                 impact_if_unchanged="she will fall behind")],
        strengths=["Grandma helps every morning"]),
        actions=[Action(what="Meet the school", owner="Priya")]))
    session.go_to("hypotheses")
    session.select_person("mum")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = serving.start(
        "participants",
        serving.voila_command(port=port, pool_size=2),  # one page per test
        url=url,
        probe_url=serving.probe_url(serving.LOOPBACK, port),
        env={"SYSTEMIC_WORKBOOK_STORE": str(store_path),
             "SYSTEMIC_WORKBOOK_SESSION": session.session_id},
        log=store_path.with_suffix(".voila.log"),
    )
    try:
        serving.wait_until_answers(server, timeout=120)
        serving.wait_for_log(server, "is filled with", timeout=120)
        yield Live(session, url)
    finally:
        serving.stop(server)
        store.close()


@pytest.fixture
def page(live: Live, browser: Any) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(live.url, timeout=LOAD)
        # The live page (the snapshot sent before it is then removed).
        page.wait_for_selector("#rendered_cells .wb-geno-stage svg g.person", timeout=LOAD)
        page.wait_for_selector("#rendered_cells .wb-plan", timeout=LOAD)
        page.wait_for_selector("#rendered_cells .wb-ecomap svg", timeout=LOAD)
        page.wait_for_function("() => document.getElementById('wb-snapshot') === null",
                               timeout=LOAD)
        yield page
    finally:
        page.close()


def _serious(page: Any, context: str) -> list[str]:
    """axe-core's serious and critical violations in ``context`` (a CSS selector), one line each."""
    assert AXE.exists(), "axe-core is missing: run `npm ci --prefix tests/js` (make test does)"
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async ctx => await axe.run(ctx, {resultTypes: ['violations']})", context
    )
    assert len(result["passes"]) > 10, "axe ran its checks"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_problems(page: Any) -> None:
    assert _serious(page, "html") == []


@pytest.mark.browser
def test_the_keyboard_reaches_each_person_and_enter_picks_them_out(page: Any) -> None:
    people = page.eval_on_selector_all(".wb-geno-stage g.person",
                                       "nodes => nodes.map(n => n.getAttribute('data-person'))")
    assert len(people) == 3
    reached: list[str] = []
    controls: list[str] = []
    page.locator("body").focus()
    for _ in range(80):  # bounded: more stops than the page has
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return [e?.getAttribute('data-person') || '', e?.getAttribute('aria-label') || ''] }"
        )
        if focused[0]:
            reached.append(focused[0])
        elif focused[1]:
            controls.append(focused[1])
        if set(people) <= set(reached):
            break
    assert set(people) <= set(reached), "Tab reaches every person in the genogram"
    assert {"Zoom in", "Zoom out"} <= set(controls)
    chosen = reached[-1]
    page.keyboard.press("Enter")
    node = page.locator(f'.wb-geno-stage g.person[data-person="{chosen}"]')
    page.wait_for_function(
        "key => document.querySelector(`.wb-geno-stage g.person[data-person=\"${key}\"]`)"
        "?.getAttribute('aria-pressed') === 'true'",
        arg=chosen, timeout=15_000,
    )
    assert "wb-geno-selected" in (node.get_attribute("class") or "")
