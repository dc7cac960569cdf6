"""Breakout groups: a workshop is K sessions on one training case; the plenary shows them all."""

from __future__ import annotations

import doctest
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import systemic.workshop.breakout as breakout_module
from systemic.cases import Case, Person, load_case
from systemic.errors import UnknownSession, WorkbookError
from systemic.hypotheses import Hypothesis, save_hypothesis
from systemic.paths import CASES_DIR
from systemic.questions.generate import Question
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.workshop.breakout import (
    GROUP_PARTS,
    TEAM_PREFIX,
    PlenaryView,
    Workshop,
    create_workshop,
    in_column,
    list_workshops,
    load_workshop,
    newest_workshop,
    render_plenary_header,
    workshop_id_of,
)

FRAMEWORK = "camden_practice_framework"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def workbook(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "workbook.db") as store:
        yield store


@pytest.fixture
def reader(workbook: Store) -> Iterator[Store]:
    with Store.open(workbook.path, readonly=True) as store:
        yield store


def _real_family() -> Case:
    return Case(id="rivers", title="The Rivers family", fictional=False,
                people=[Person(id="mia", name="Mia Rivers", sex="female", born=2014)])


def _discussion(store: Store, session_id: str) -> str:
    return store.discussions(session_id)[0].id


def _question(text: str) -> dict[str, object]:
    return Question("circular", "difference", "family", text, ("maya",), "C1").to_json()


def test_the_module_examples_run() -> None:
    result = doctest.testmod(breakout_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0


# -- creating, loading and listing ---------------------------------------------------------------


def test_a_workshop_is_one_session_per_group_each_on_the_same_training_case(
    workbook: Store,
) -> None:
    w = create_workshop(workbook, "Tuesday morning", "blended_family", 3, FRAMEWORK)
    assert len(w.group_session_ids) == 3 and len(set(w.group_session_ids)) == 3
    for number, session_id in enumerate(w.group_session_ids, start=1):
        session = workbook.session(session_id)
        assert session.title == f"Workshop Tuesday morning — group {number}"
        assert session.team == TEAM_PREFIX + w.id
        assert session.framework_id == FRAMEWORK
        assert session.current_step == "start"
        [discussion] = workbook.discussions(session_id)
        assert discussion.case_id == "blended_family" and discussion.fictional


def test_each_group_is_a_session_the_supervisors_notebooks_can_resume(workbook: Store) -> None:
    w = create_workshop(workbook, "Tuesday", "kinship_care", 2, FRAMEWORK)
    group = SupervisorSession.resume(workbook, w.group_session_ids[1])
    group.go_to("hypotheses")
    assert group.case.id == "kinship_care"
    assert workbook.session(w.group_session_ids[1]).current_step == "hypotheses"
    assert workbook.session(w.group_session_ids[0]).current_step == "start"


def test_a_workshop_is_loaded_back_by_its_id_with_group_one_first(workbook: Store) -> None:
    made = create_workshop(workbook, "Tuesday", load_case(CASES_DIR / "blended_family.yaml"),
                           4, FRAMEWORK)
    loaded = load_workshop(workbook, made.id)
    assert loaded == made
    assert [loaded.group_number(s) for s in loaded.group_session_ids] == [1, 2, 3, 4]


def test_renaming_a_groups_session_changes_neither_the_workshops_name_nor_its_order(
    workbook: Store,
) -> None:
    made = create_workshop(workbook, "Tuesday", "blended_family", 3, FRAMEWORK)
    workbook.update_session(made.group_session_ids[0], title="The first table")
    loaded = load_workshop(workbook, made.id)
    assert loaded.name == "Tuesday"
    assert loaded.group_session_ids == made.group_session_ids


def test_workshops_are_listed_newest_first_and_ordinary_sessions_are_not_workshops(
    workbook: Store,
) -> None:
    assert list_workshops(workbook) == [] and newest_workshop(workbook) is None
    first = create_workshop(workbook, "Monday", "blended_family", 2, FRAMEWORK)
    SupervisorSession.start(workbook, framework_id=FRAMEWORK, case=_real_family())
    second = create_workshop(workbook, "Tuesday", "kinship_care", 3, FRAMEWORK)
    assert [w.id for w in list_workshops(workbook)] == [second.id, first.id]
    assert [w.name for w in list_workshops(workbook)] == ["Tuesday", "Monday"]
    assert newest_workshop(workbook) == second


def test_the_team_field_names_the_workshop_and_nothing_else_does() -> None:
    assert workshop_id_of("workshop:ab12cd34") == "ab12cd34"
    assert workshop_id_of("workshop:") is None
    assert workshop_id_of("Children in need team") is None
    assert workshop_id_of(None) is None


def test_an_unknown_workshop_id_is_one_kind_line(workbook: Store) -> None:
    with pytest.raises(UnknownSession) as e:
        load_workshop(workbook, "nope")
    assert "no workshop 'nope'" in str(e.value) and "\n" not in str(e.value)


# -- refusals --------------------------------------------------------------------------------------


def test_a_real_family_is_refused_kindly_and_nothing_is_written(workbook: Store) -> None:
    with pytest.raises(WorkbookError) as e:
        create_workshop(workbook, "Tuesday", _real_family(), 3, FRAMEWORK)
    message = str(e.value)
    assert message.startswith("Workshops use the fictional training cases only")
    assert "please choose one of the training cases" in message and "\n" not in message
    assert workbook.version() == 0


@settings(max_examples=40, deadline=None)
@given(k=st.one_of(st.integers(max_value=1), st.integers(min_value=13)))
def test_fewer_than_two_or_more_than_twelve_groups_are_refused(tmp_path_factory, k: int) -> None:
    with Store.open(tmp_path_factory.mktemp("k") / "w.db") as store:
        with pytest.raises(WorkbookError, match="between 2 and 12 groups"):
            create_workshop(store, "Tuesday", "blended_family", k, FRAMEWORK)
        assert store.version() == 0


@pytest.mark.parametrize("k", [True, 2.0, "3", None])
def test_the_number_of_groups_must_be_a_whole_number(workbook: Store, k: object) -> None:
    with pytest.raises(WorkbookError, match="between 2 and 12 groups"):
        create_workshop(workbook, "Tuesday", "blended_family", k, FRAMEWORK)  # type: ignore[arg-type]


def test_twelve_groups_are_allowed(workbook: Store) -> None:
    assert len(create_workshop(workbook, "Big day", "blended_family", 12,
                               FRAMEWORK).group_session_ids) == 12


@pytest.mark.parametrize(
    ("name", "case", "framework", "says"),
    [
        ("   ", "blended_family", FRAMEWORK, "Give the workshop a short name"),
        ("x" * 81, "blended_family", FRAMEWORK, "longer than 80 characters"),
        ("Tuesday", "blended_family", "nowhere_council", "no practice framework 'nowhere_council'"),
        ("Tuesday", "no_such_case", FRAMEWORK, "no training case 'no_such_case'"),
        ("Tuesday", "../cases", FRAMEWORK, "no training case '../cases'"),
    ],
)
def test_bad_input_is_one_line_saying_what_to_do(
    workbook: Store, name: str, case: str, framework: str, says: str
) -> None:
    with pytest.raises(WorkbookError) as e:
        create_workshop(workbook, name, case, 3, framework)
    assert says in str(e.value) and "\n" not in str(e.value)
    assert workbook.version() == 0


# -- rendering -------------------------------------------------------------------------------------


def test_every_group_has_its_column_heading_and_a_link_from_the_top(
    workbook: Store, reader: Store
) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 5, FRAMEWORK)
    page = PlenaryView(reader).read()
    assert page.regrouped and list(page.groups) == list(w.group_session_ids)
    for number, session_id in enumerate(w.group_session_ids, start=1):
        parts = page.groups[session_id]
        assert set(parts) == set(GROUP_PARTS)
        assert f'id="wb-group-{number}">Group {number}</h2>' in parts["heading"]
        assert f'href="#wb-group-{number}"' in page.header
        assert 'aria-label="Genogram: Maya between two homes"' in parts["genogram"]
    assert "Workshop Tuesday: every group side by side" in page.header
    assert "Maya between two homes" in page.header


def test_ids_stay_unique_and_headings_in_order_across_the_columns(
    workbook: Store, reader: Store
) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 3, FRAMEWORK)
    for session_id in w.group_session_ids:
        save_hypothesis(workbook, _discussion(workbook, session_id),
                        Hypothesis(text="I wonder whether…", evidence_for=["a sign"]))
    page = PlenaryView(reader).read()
    html_text = page.header + "".join(
        p[name] for p in page.groups.values() for name in ("heading", "hypotheses", "questions")
    )
    ids = re.findall(r'\bid="([^"]+)"', html_text)
    assert len(ids) == len(set(ids)) > 3
    for labelled in re.findall(r'aria-labelledby="([^"]+)"', html_text):
        assert labelled in ids
    for parts in page.groups.values():
        assert "<h2" not in parts["hypotheses"] + parts["questions"]
        assert "<h3" in parts["hypotheses"] and "<h4" in parts["hypotheses"]


def test_typed_text_is_shown_literally_in_every_part(workbook: Store, reader: Store) -> None:
    w = create_workshop(workbook, f"Tuesday {HOSTILE}", "blended_family", 2, FRAMEWORK)
    first, second = (_discussion(workbook, s) for s in w.group_session_ids)
    save_hypothesis(workbook, first, Hypothesis(text=f"Perhaps {HOSTILE} feels left out",
                                                evidence_against=[HOSTILE]))
    workbook.put_record(second, "question", _question(f"Who notices {HOSTILE} first?"))
    page = PlenaryView(reader).read()
    shown = page.header + "".join(v for p in page.groups.values() for v in p.values())
    assert "<img" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.header
    assert "Perhaps &lt;img src=x onerror=alert(1)&gt; feels left out" in (
        page.groups[w.group_session_ids[0]]["hypotheses"])
    assert "Who notices &lt;img src=x onerror=alert(1)&gt; first?" in (
        page.groups[w.group_session_ids[1]]["questions"])


def test_each_groups_work_appears_in_its_own_column_only(workbook: Store, reader: Store) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 2, FRAMEWORK)
    one, two = w.group_session_ids
    save_hypothesis(workbook, _discussion(workbook, one),
                    Hypothesis(text="I wonder whether Maya keeps the peace"))
    workbook.put_record(_discussion(workbook, two), "question",
                        _question("Who in the family notices first when Maya is worried?"))
    page = PlenaryView(reader).read()
    assert "keeps the peace" in page.groups[one]["hypotheses"]
    assert "keeps the peace" not in page.groups[two]["hypotheses"]
    assert "notices first" in page.groups[two]["questions"]
    assert "notices first" not in page.groups[one]["questions"]


def test_only_the_group_that_changed_is_redrawn_and_only_the_part_that_changed(
    workbook: Store, reader: Store
) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 3, FRAMEWORK)
    one, two, three = w.group_session_ids
    view = PlenaryView(reader)
    view.read()
    assert not view.update()

    save_hypothesis(workbook, _discussion(workbook, one), Hypothesis(text="I wonder…"))
    changed = view.update()
    assert {s: set(p) for s, p in changed.groups.items()} == {one: {"hypotheses"}}
    assert changed.header is None and not changed.regrouped

    workbook.put_record(_discussion(workbook, two), "question", _question("Who worries most?"))
    SupervisorSession(workbook, three).go_to("questions")
    changed = view.update()
    assert {s: set(p) for s, p in changed.groups.items()} == {
        two: {"questions"}, three: {"heading"}}
    assert "Now: <strong>Circular questions</strong>" in changed.groups[three]["heading"]

    workbook.put_record(_discussion(workbook, two), "grace", {"person": "maya", "grace": "age"})
    assert not view.update()  # graces are not part of the plenary


def test_a_changed_family_redraws_that_groups_whole_column(
    workbook: Store, reader: Store
) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 2, FRAMEWORK)
    one = w.group_session_ids[0]
    view = PlenaryView(reader)
    view.read()
    discussion = workbook.discussion(_discussion(workbook, one))
    case = dict(discussion.case_data)
    case["people"] = [*case["people"], {"id": "zed", "name": "Zed", "sex": "male", "born": 2020}]
    workbook.update_case(discussion.id, case)
    changed = view.update()
    assert list(changed.groups) == [one] and set(changed.groups[one]) == set(GROUP_PARTS)
    assert 'data-person="zed"' in changed.groups[one]["genogram"]


def test_the_plenary_waits_kindly_then_shows_the_newest_workshop_when_it_is_created(
    workbook: Store, reader: Store
) -> None:
    SupervisorSession.start(workbook, framework_id=FRAMEWORK,
                            case=load_case(CASES_DIR / "blended_family.yaml"))
    view = PlenaryView(reader)
    page = view.read()
    assert "No workshop yet" in page.header and page.groups == {}
    w = create_workshop(workbook, "Tuesday", "blended_family", 2, FRAMEWORK)
    changed = view.update()
    assert changed.regrouped and list(changed.groups) == list(w.group_session_ids)
    assert view.columns == [(w.group_session_ids[0], 1), (w.group_session_ids[1], 2)]
    later = create_workshop(workbook, "Wednesday", "kinship_care", 3, FRAMEWORK)
    changed = view.update()
    assert changed.regrouped and list(changed.groups) == list(later.group_session_ids)


def test_a_plenary_for_one_workshop_stays_on_it_when_another_is_created(
    workbook: Store, reader: Store
) -> None:
    w = create_workshop(workbook, "Tuesday", "blended_family", 2, FRAMEWORK)
    view = PlenaryView(reader, w.id)
    view.read()
    create_workshop(workbook, "Wednesday", "kinship_care", 3, FRAMEWORK)
    SupervisorSession.start(workbook, framework_id=FRAMEWORK, case=_real_family())
    changed = view.update()
    assert not changed.regrouped and changed.groups == {}
    assert [sid for sid, _ in view.columns] == list(w.group_session_ids)


def test_the_header_escapes_the_workshops_name() -> None:
    html_text = render_plenary_header(Workshop("w", HOSTILE, ("a", "b")), case_title=HOSTILE)
    assert "<img" not in html_text and html_text.count("&lt;img") == 2


def test_in_column_leaves_typed_text_alone() -> None:
    typed = '&lt;h2 id=&quot;wb-x-h&quot;&gt;'
    assert in_column(f"<p>{typed}</p>", 1) == f"<p>{typed}</p>"


def test_the_plenary_command_refuses_an_unknown_workshop_in_one_line(
    workbook: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from systemic.cli import main

    assert main(["plenary", "--store", str(workbook.path), "--workshop", "nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("systemic-workbook: There is no workshop 'nope'") and "\n" not in err
