"""The supervisor's session API writes through the store at once and reads back the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from systemic.cases import Case, EcomapConnection, Person
from systemic.errors import DataFileError, UnknownSession
from systemic.session import SupervisorSession, snapshot
from systemic.store import Store


def _case(fictional: bool = True) -> Case:
    return Case(
        id="rivers",
        title="The Rivers family",
        fictional=fictional,
        people=[
            Person(id="mia", name="Mia Rivers", sex="female", born=2014),
            Person(id="jo", name="Jo Rivers", sex="female", born=1986),
        ],
    )


def test_a_new_session_starts_on_the_first_step_with_its_case(store_path: Path) -> None:
    with Store.open(store_path) as store:
        s = SupervisorSession.start(
            store,
            framework_id="camden_practice_framework",
            case=_case(),
            participants=[
                {"name": "Sam", "role": "supervisor"},
                {"name": "Priya", "role": "presenter"},
            ],
        )
        snap = snapshot(store, s.session_id)
        assert snap is not None
        assert snap.current_step == "start"
        assert snap.case is not None and snap.case.title == "The Rivers family"
        assert [p.name for p in snap.participants] == ["Sam", "Priya"]
        assert store.session(s.session_id).supervisor == "Sam"


def test_every_move_is_written_at_once_and_seen_by_a_read_only_reader(store_path: Path) -> None:
    with Store.open(store_path) as store:
        s = SupervisorSession.start(store, framework_id="camden_practice_framework", case=_case())
        with Store.open(store_path, readonly=True) as reader:
            before = reader.version()
            s.go_to("hypotheses")
            s.select_person("mia")
            assert reader.version() == before + 2
            snap = snapshot(reader, s.session_id)
            assert snap is not None
            assert (snap.current_step, snap.selected_person) == ("hypotheses", "mia")


def test_unknown_steps_and_people_are_refused_with_a_sentence(store_path: Path) -> None:
    with Store.open(store_path) as store:
        s = SupervisorSession.start(store, framework_id="camden_practice_framework", case=_case())
        with pytest.raises(ValueError, match="is not a step"):
            s.go_to("lunch")
        with pytest.raises(ValueError, match="no one in this case"):
            s.select_person("nobody")
        assert snapshot(store, s.session_id).current_step == "start"


def test_resume_picks_up_the_newest_session(store_path: Path) -> None:
    with Store.open(store_path) as store:
        with pytest.raises(UnknownSession):
            SupervisorSession.resume(store)
        SupervisorSession.start(store, framework_id="camden_practice_framework", case=_case())
        second = SupervisorSession.start(
            store, framework_id="camden_practice_framework", case=_case()
        )
        second.go_to("graces")
    with Store.open(store_path) as store:
        resumed = SupervisorSession.resume(store)
        assert resumed.session_id == second.session_id
        assert snapshot(store).current_step == "graces"
        assert resumed.case.person("mia").born.year == 2014


def test_a_case_the_store_could_not_read_back_is_refused_before_anything_is_written(
        store_path: Path) -> None:
    """A case built in code skips the case file's checks: an ecomap connection sharing a
    person's id started a session whose case could then not be read back (the
    participants' page quietly showed no genogram)."""
    case = _case().model_copy(update={"ecomap": [
        EcomapConnection(id="mia", name="Oakfield School", connected_to="mia")]})
    with Store.open(store_path) as store:
        with pytest.raises(DataFileError) as refused:
            SupervisorSession.start(store, framework_id="camden_practice_framework", case=case)
        assert store.list_sessions() == []
    assert "ecomap[0].id" in str(refused.value) and "mia" in str(refused.value)
    assert "\n" not in str(refused.value).strip()
