"""Specifications for the team view (systemic.team): themes and patterns across sessions."""

from __future__ import annotations

import datetime as dt
import doctest
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import systemic.team.analysis as analysis_module
import systemic.team.load as load_module
import systemic.team.themes as themes_module
from benchmarks.synthetic import generate
from systemic.errors import DataFileError, WorkbookError
from systemic.graces import GraceEntry, GraceList, save_custom_grace, save_entry
from systemic.hypotheses import (
    CircularityRound,
    Hypothesis,
    save_hypothesis,
    save_round,
    set_aside,
)
from systemic.plan import Action, Plan, save_plan
from systemic.store import Store
from systemic.team import (
    analyse,
    case_returns,
    graces_discussed,
    graces_never_discussed,
    load_tags,
    load_team_data,
    movement,
    per_session,
    save_tag,
    team_report,
    theme_for,
    themes_over_time,
)
from systemic.team.analysis import (
    actions_by_review,
    movement_over_time,
    sessions_over_time,
    summary,
)
from systemic.team.themes import load_themes
from systemic.uncertainty import Placement, load_placements, save_placement
from systemic.uncertainty import movement as grid_movement
from systemic.vocabularies import load_graces

AS_OF = dt.date(2026, 2, 10)
MARKER = "Zebedee Quorthwaite"


def _case(case_id: str) -> dict:
    return {
        "id": case_id, "title": "A training family", "fictional": True, "worker": "Priya",
        "people": [{"id": "maya", "name": "Maya Example", "sex": "female"},
                   {"id": "leanne", "name": "Leanne Example", "sex": "female"}],
    }


def _question(did: str, store: Store, tomm: str) -> None:
    store.put_record(did, "question", {
        "type": tomm, "subtype": "difference", "audience": "family",
        "text": "Who worries most about Maya?", "people": ["maya"], "template": "T1",
        "hypothesis_id": None, "score": 0.5, "tomm": tomm, "caution": None,
    })


def _place(store: Store, did: str, who: str, now: str, hoped: str | None = None) -> None:
    save_placement(store, did, Placement(who=who, label=who.title(), now=now, hoped=hoped))


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """Three cases over three sessions, with every kind of record the team view reads.

    case-a: brought three times; the worker moves from unsafe uncertainty to safe
    uncertainty (where the group hoped) at the second time, then no one moves.
    case-b: brought three times, never placed: possibly stuck. case-c: brought once.
    """
    path = tmp_path / "workbook.db"
    with Store.open(path) as store:
        s1 = store.create_session("Group", "camden_practice_framework", date="2026-01-06")
        s2 = store.create_session("Group", "camden_practice_framework", date="2026-02-03")
        s3 = store.create_session("Group", "camden_practice_framework", date="2026-03-03")
        store.create_session("Nothing discussed", "camden_practice_framework",
                             date="2026-03-10")
        a1, b1 = (store.add_discussion(s1, _case(c)) for c in ("case-a", "case-b"))
        a2, b2 = (store.add_discussion(s2, _case(c)) for c in ("case-a", "case-b"))
        a3, _ = (store.add_discussion(s3, _case(c)) for c in ("case-a", "case-b"))
        store.add_discussion(s3, _case("case-c"))

        for words in ("grief", "two homes", "The Example family's row"):
            save_tag(store, a1, words)
        save_tag(store, b1, "Bereavement")
        save_tag(store, a2, "grief")

        save_entry(store, a1, GraceEntry(person="maya", grace="age", visible=True, voiced=True))
        save_entry(store, a1, GraceEntry(person="worker", grace="class", visible=True,
                                         voiced=False))
        save_entry(store, a1, GraceEntry(person="leanne", grace="care_experience",
                                         note="grew up in care"))
        save_custom_grace(store, a1, GraceList().add_custom_grace("Care experience"))

        save_hypothesis(store, a1, Hypothesis(text="I wonder whether…",
                                              graces_considered=["religion", "age"]))
        save_hypothesis(store, a1, set_aside(Hypothesis(text="Perhaps…")))
        save_round(store, a1, CircularityRound(participants=["Sam", "Jo"]))
        save_hypothesis(store, a2, Hypothesis(text="Maybe…"))

        _question(a1, store, "lineal")
        _question(a1, store, "circular")
        _question(b2, store, "reflexive")

        _place(store, a1, "worker", "unsafe_uncertainty", hoped="safe_uncertainty")
        _place(store, a1, "leanne", "unsafe_certainty")
        _place(store, a2, "worker", "safe_uncertainty")
        _place(store, a2, "leanne", "unsafe_certainty")
        # Placed twice in one discussion: the later placement counts.
        _place(store, a3, "worker", "unsafe_certainty")
        _place(store, a3, "worker", "safe_uncertainty")

        save_plan(store, a1, Plan(actions=[
            Action(what="Ask Maya", owner="Priya", due=dt.date(2026, 1, 20), done=True),
            Action(what="Ring school", owner="Priya", due=dt.date(2026, 1, 20)),
            Action(what="Visit Nan", owner="Priya", due=dt.date(2026, 3, 1)),
            Action(what="Think it over"),
        ]))
        save_plan(store, a2, Plan(actions=[
            Action(what="Ask Kay", owner="Priya", due=AS_OF, done=True),
        ]))
    return path


@pytest.fixture
def data(small_store: Path):
    return load_team_data(small_store, as_of=AS_OF)


def test_the_examples_in_the_modules_run():
    for module in (themes_module, load_module, analysis_module):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted >= 1 and result.failed == 0, module.__name__


# -- themes --------------------------------------------------------------------------------


def test_tags_in_the_groups_words_map_to_the_themes_on_the_list():
    assert theme_for("Grief") == theme_for("  bereavement ") == "grief_and_loss"
    assert theme_for("Child\u2019s voice") == "childs_voice"
    assert theme_for("The Example family's row") == "other"


def test_a_tag_is_saved_and_read_back(small_store: Path):
    with Store.open(small_store) as store:
        did = store.discussions(store.list_sessions()[-1].id)[0].id
        assert [t.theme for t in load_tags(store, did)] == [
            "grief_and_loss", "separation", "other"]
        with pytest.raises(WorkbookError, match="a few words"):
            save_tag(store, did, "   ")


def test_a_word_listed_under_two_themes_is_refused_with_the_fix(tmp_path: Path):
    path = tmp_path / "themes.yaml"
    path.write_text(
        "source: test\nother_label: Own words\nthemes:\n"
        "  - {id: grief, label: Grief, words: [loss], source: x}\n"
        "  - {id: moves, label: Moves, words: [loss], source: x}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="'loss' belongs to both grief and moves"):
        load_themes(path)


def test_themes_over_time_count_discussions_per_month_under_the_themes_labels(data):
    table = themes_over_time(data).set_index("period")
    assert list(table.index) == ["2026-01", "2026-02", "2026-03"]
    assert table.loc["2026-01", "Grief and loss"] == 2
    assert table.loc["2026-01", "Separation and two homes"] == 1
    assert table.loc["2026-01", "The group's own words"] == 1
    assert table.loc["2026-02", "Grief and loss"] == 1
    assert table.loc["2026-03"].sum() == 0
    assert "Domestic abuse" in table.columns  # never tagged, still shown as zeros


# -- graces ----------------------------------------------------------------------------------


def test_graces_count_family_entries_and_hypotheses_but_not_staff_or_definitions(data):
    table = graces_discussed(data).set_index("grace")
    assert table.loc["age", "discussions"] == 1 and table.loc["age", "sessions"] == 1
    assert table.loc["religion", "discussions"] == 1
    assert table.loc["class", "discussions"] == 0  # only the worker's own, which is private
    assert table.loc["custom", "discussions"] == 1
    assert table.loc["age", "share_of_discussions"] == round(1 / 7, 3)


def test_the_graces_never_discussed_are_the_usual_ones_no_one_touched(data):
    never = graces_never_discussed(data)
    usual = [g.label for g in load_graces().defaults()]
    assert never == [label for label in usual if label not in ("Age", "Religion")]
    assert len(never) == len(usual) - 2


# -- movement and stuck cases ---------------------------------------------------------------


def test_movement_compares_each_time_with_the_time_before(data):
    moves = movement(data)
    a = moves[moves["case_id"] == "case-a"].set_index("visit")
    assert a.loc[1, ["people_placed", "people_compared", "people_moved"]].tolist() == [2, 0, 0]
    assert a.loc[2, ["people_placed", "people_compared", "people_moved", "towards_safety",
                     "reached_hope"]].tolist() == [2, 2, 1, 1, 1]
    # The worker was placed twice the third time; the later place (unchanged) counts.
    assert a.loc[3, ["people_placed", "people_compared", "people_moved"]].tolist() == [1, 1, 0]


def test_movement_agrees_with_the_safe_uncertainty_step(small_store: Path, data):
    with Store.open(small_store, readonly=True) as store:
        first, second = [
            load_placements(store, store.discussions(s.id)[0].id)
            for s in sorted(store.list_sessions(), key=lambda s: s.date)[:2]
        ]
    expected = grid_movement(first, second)
    row = movement(data).query("case_id == 'case-a' and visit == 2").iloc[0]
    assert row["people_moved"] == sum(m.moved for m in expected) == 1
    assert row["reached_hope"] == sum(m.reached_hope for m in expected) == 1


def test_a_case_brought_three_times_with_no_one_moving_may_be_stuck(data):
    table = case_returns(data).set_index("case_id")
    assert table.loc["case-b", ["sessions", "sessions_without_movement"]].tolist() == [3, 3]
    assert bool(table.loc["case-b", "stuck"])
    assert table.loc["case-a", ["sessions", "sessions_without_movement"]].tolist() == [3, 2]
    assert not table.loc["case-a", "stuck"]
    assert table.loc["case-c", "sessions"] == 1 and not table.loc["case-c", "stuck"]
    assert case_returns(data).iloc[0]["case_id"] == "case-b"  # stuck cases first
    assert bool(case_returns(data, stuck_after=2).set_index("case_id").loc["case-a", "stuck"])
    with pytest.raises(WorkbookError, match="two sessions or more"):
        case_returns(data, stuck_after=1)


def test_movement_over_time_counts_returns_and_those_with_someone_moving(data):
    table = movement_over_time(movement(data)).set_index("period")
    assert table.loc["2026-02"].tolist() == [2, 1, 1, 0.5]  # case-a moved, case-b did not
    assert table.loc["2026-03", ["returns", "with_movement"]].tolist() == [2, 0]
    assert "2026-01" not in table.index  # first times are not returns


# -- sessions and actions --------------------------------------------------------------------


def test_hypotheses_and_questions_are_counted_per_session(data):
    table = per_session(data)
    assert table["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-01-06", "2026-02-03", "2026-03-03", "2026-03-10"]
    assert table["cases"].tolist() == [2, 2, 3, 0]
    assert table["hypotheses"].tolist() == [2, 1, 0, 0]  # the circularity round is not one
    assert table["active_hypotheses"].tolist() == [1, 1, 0, 0]
    assert table["questions"].tolist() == [2, 1, 0, 0]
    assert table[["lineal", "circular", "reflexive", "strategic"]].iloc[0].tolist() == [1, 1, 0, 0]
    assert table["reflexive"].tolist() == [0, 1, 0, 0]
    assert table["placements"].tolist() == [2, 2, 1, 0]


def test_sessions_over_time_average_hypotheses_and_questions_per_session(data):
    table = sessions_over_time(per_session(data)).set_index("period")
    assert table.loc["2026-01", ["sessions", "hypotheses", "hypotheses_per_session"]].tolist(
    ) == [1, 2, 2.0]
    assert table.loc["2026-03", ["sessions", "questions_per_session"]].tolist() == [2, 0.0]


def test_actions_are_counted_against_their_review_date(data):
    table = actions_by_review(data)
    first, second = table.iloc[0], table.iloc[1]
    assert first[["actions", "actions_due", "actions_done_by_due", "actions_overdue",
                  "actions_without_date"]].tolist() == [4, 2, 1, 1, 1]
    assert first["share_done_by_due"] == 0.5
    assert second[["actions", "actions_due", "actions_done_by_due"]].tolist() == [1, 1, 1]
    assert pd.isna(table.iloc[3]["share_done_by_due"])  # nothing due: no share, not 0
    monthly = actions_by_review(data, by="month").set_index("period")
    assert monthly.loc["2026-01", "actions_due"] == 2 and monthly.loc["2026-02", "actions"] == 1


def test_the_summary_gives_the_headline_figures(data):
    figures = dict(zip(summary(data)["measure"], summary(data)["value"], strict=True))
    assert figures["sessions"] == "4" and figures["discussions"] == "7"
    assert figures["cases"] == "3" and figures["cases_brought_back"] == "2"
    assert figures["stuck_cases"] == "1" and figures["graces_never_discussed"] == "12"
    assert figures["first_session"] == "2026-01-06"


# -- loading, exporting, privacy -----------------------------------------------------------


def test_an_empty_store_gives_empty_tables_not_errors(tmp_path: Path):
    Store.open(tmp_path / "empty.db").close()
    report = team_report(tmp_path / "empty.db", as_of=AS_OF)
    assert len(report.per_session) == 0 and len(report.case_returns) == 0
    assert len(graces_never_discussed(load_team_data(tmp_path / "empty.db"))) == 14


def test_the_team_view_reads_a_store_the_supervisor_has_open(small_store: Path):
    with Store.open(small_store) as store:
        before = len(load_team_data(store, AS_OF).sessions)
        store.create_session("Another", "camden_practice_framework", date="2026-04-01")
        assert len(load_team_data(store, AS_OF).sessions) == before + 1


def test_the_tables_are_written_as_csv_files(small_store: Path, tmp_path: Path):
    report = team_report(small_store, as_of=AS_OF)
    paths = report.to_csv(tmp_path / "out")
    assert [p.name for p in paths] == [f"{name}.csv" for name in report.tables()]
    stuck = pd.read_csv(tmp_path / "out" / "case_returns.csv")
    assert stuck.loc[0, "case_id"] == "case-b" and bool(stuck.loc[0, "stuck"])
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(WorkbookError, match="choose a folder you can write to"):
        report.to_csv(blocker / "inside")


def test_no_name_note_or_family_text_reaches_any_table_or_file(tmp_path: Path):
    path = tmp_path / "synthetic.db"
    generate(path, 40, seed=3, marker=MARKER)
    surname = MARKER.split()[1].lower()
    with sqlite3.connect(path) as conn:  # the marker really is in the store, everywhere
        for table, column in [("sessions", "title"), ("sessions", "participants"),
                              ("discussions", "case_json"), ("records", "payload")]:
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE lower({column}) LIKE ?",
                                (f"%{surname}%",)).fetchone()[0] > 0
        kinds = {k for (k,) in conn.execute(
            "SELECT DISTINCT kind FROM records WHERE lower(payload) LIKE ?", (f"%{surname}%",))}
        assert kinds == {"tag", "grace", "hypothesis", "question", "placement", "plan"}
    data = load_team_data(path, as_of=AS_OF)
    report = analyse(data)
    frames = {**data.frames(), **report.tables()}
    for name, frame in frames.items():
        text = frame.to_csv(index=True).lower() + " ".join(map(str, frame.columns)).lower()
        assert surname not in text, name
        assert "zebedee" not in text, name
    for csv in report.to_csv(tmp_path / "csv"):
        assert "zebedee" not in csv.read_text(encoding="utf-8").lower(), csv.name
    assert report.themes_over_time["The group's own words"].sum() > 0  # counted, not named


def test_workshop_breakout_groups_are_not_counted_as_supervision(tmp_path):
    from systemic.cases import load_case
    from systemic.paths import CASES_DIR
    from systemic.session import SupervisorSession
    from systemic.store import Store
    from systemic.team import load_team_data
    from systemic.workshop.breakout import create_workshop

    with Store.open(tmp_path / "w.db") as store:
        case = load_case(CASES_DIR / "kinship_care.yaml")
        real = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                       case=case)
        create_workshop(store, "Tuesday training", case, 3, "camden_practice_framework")
        data = load_team_data(store)
        assert list(data.sessions["session_id"]) == [real.session_id]
        assert list(data.discussions["session_id"]) == [real.session_id]
