"""The check-in round: in turn, once each, pass allowed, personal and short-lived."""

from __future__ import annotations

from pathlib import Path

import pytest

from systemic.cases import Case, Person
from systemic.checkin import CheckInRound, load_entries, save_entry
from systemic.session import SupervisorSession
from systemic.store import Store


def test_people_speak_in_turn_once_each_and_may_pass() -> None:
    r = CheckInRound(["Sam", "Priya"])
    with pytest.raises(ValueError, match="it is Sam's turn"):
        r.answer("Priya", "hello")
    r = r.pass_turn("Sam").answer("Priya", "Arriving slowly")
    assert r.complete and r.passed() == ["Sam"] and r.next_speaker() is None
    with pytest.raises(ValueError, match="everyone has checked in"):
        r.pass_turn("Sam")


def test_an_empty_answer_is_not_a_turn() -> None:
    with pytest.raises(ValueError, match="type a few words, or pass"):
        CheckInRound(["Sam"]).answer("Sam", "   ")


def test_check_ins_are_kept_by_session_and_deleted_at_the_end(store_path: Path) -> None:
    case = Case(id="c", title="T", fictional=True, people=[Person(id="a", name="A")])
    with Store.open(store_path) as store:
        s = SupervisorSession.start(
            store,
            framework_id="camden_practice_framework",
            case=case,
            participants=[{"name": "Sam", "role": "supervisor"}],
        )
        r = CheckInRound(["Sam"]).answer("Sam", "A distinctive worry about my own week")
        save_entry(store, s.session_id, r.entries[-1])
        assert [e.text for e in load_entries(store, s.session_id)] == [r.entries[-1].text]
        assert store.records(s.discussion_id, "checkin") == []  # never under the case
        store.end_session(s.session_id)
        assert load_entries(store, s.session_id) == []
