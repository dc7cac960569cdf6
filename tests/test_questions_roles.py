"""Who is who to the focal child, and how questions name them."""

from __future__ import annotations

from datetime import date

import pytest

from systemic.cases import Case, parse_case
from systemic.questions.roles import Cast, choose_focus

TODAY = date(2026, 11, 1)


def family(**extra) -> Case:
    """Jayden (10), Mum Kelly, his dad Darren (living apart), Mum's husband Lee, his
    sister Mia, his half-brother Alfie, two nans, a grandad who died, a cousin."""
    data = {
        "id": "smith", "title": "Jayden", "fictional": True, "focal_child": "jayden",
        "people": [
            {"id": "jayden", "name": "Jayden Smith", "sex": "male", "born": 2016},
            {"id": "kelly", "name": "Kelly Smith", "sex": "female", "born": 1988},
            {"id": "darren", "name": "Darren Jones", "sex": "male", "born": 1986},
            {"id": "lee", "name": "Lee Brown", "sex": "male", "born": 1985},
            {"id": "mia", "name": "Mia Smith", "sex": "female", "born": 2013},
            {"id": "alfie", "name": "Alfie Brown", "sex": "male", "born": 2021},
            {"id": "pat", "name": "Pat Smith", "sex": "female", "born": 1960},
            {"id": "ron", "name": "Ron Smith", "sex": "male", "born": 1958, "died": 2022},
            {"id": "jean", "name": "Jean Jones", "sex": "female", "born": 1962},
            {"id": "sharon", "name": "Sharon Smith", "sex": "female", "born": 1990},
            {"id": "tyler", "name": "Tyler Smith", "sex": "male", "born": 2012},
            {"id": "sandra", "name": "Sandra Hill", "sex": "female", "born": 1970,
             "role": "Mum's friend"},
        ],
        "unions": [
            {"id": "u1", "partners": ["kelly", "darren"], "status": "separated", "ended": 2019},
            {"id": "u2", "partners": ["kelly", "lee"], "status": "married"},
            {"id": "u3", "partners": ["pat", "ron"], "status": "widowed"},
        ],
        "parents": [
            {"child": "jayden", "parents": ["kelly", "darren"]},
            {"child": "mia", "parents": ["kelly", "darren"]},
            {"child": "alfie", "parents": ["kelly", "lee"]},
            {"child": "kelly", "parents": ["pat", "ron"]},
            {"child": "sharon", "parents": ["pat", "ron"]},
            {"child": "darren", "parents": ["jean"]},
            {"child": "tyler", "parents": ["sharon"]},
        ],
        "households": [
            {"id": "home", "name": "Mum's house", "members": ["kelly", "lee", "jayden", "mia",
                                                             "alfie"]},
            {"id": "dads", "name": "Dad's flat", "members": ["darren"]},
        ],
    }
    data.update(extra)
    return parse_case(data, "smith.yaml")


@pytest.fixture(scope="module")
def cast() -> Cast:
    return Cast(family(), "jayden", today=TODAY)


def test_a_family_word_only_one_person_holds_is_used_as_a_name(cast: Cast):
    assert cast.label("kelly", "family") == "Mum"
    assert cast.label("darren", "child") == "Dad"


def test_supervision_names_people_with_what_they_are_to_the_child(cast: Cast):
    assert cast.label("darren", "supervision") == "Jayden's dad Darren"
    assert cast.label("kelly", "supervision") == "Jayden's mum Kelly"


def test_a_word_two_people_share_is_said_with_their_names(cast: Cast):
    assert cast.label("pat", "family") == "Jayden's nan Pat"
    assert cast.label("jean", "family") == "Jayden's nan Jean"
    assert cast.label("jean", "child") == "your nan Jean"


def test_the_child_is_you_when_asked_and_their_name_otherwise(cast: Cast):
    assert cast.label("jayden", "child") == "you"
    assert cast.label("jayden", "family") == "Jayden"


def test_the_workers_own_role_word_is_used_as_written(cast: Cast):
    assert cast.label("sandra", "family") == "Mum's friend Sandra"


def test_kinds_of_relative_come_from_the_links(cast: Cast):
    kinds = {pid: cast.kin(pid).category for pid in
             ("kelly", "lee", "mia", "alfie", "pat", "ron", "sharon", "tyler")}
    assert kinds == {"kelly": "parent", "lee": "step_parent", "mia": "sibling",
                     "alfie": "half_sibling", "pat": "grandparent", "ron": "grandparent",
                     "sharon": "aunt_uncle", "tyler": "cousin"}


def test_carers_are_the_adults_who_live_with_the_child_now(cast: Cast):
    assert set(cast.carers()) == {"kelly", "lee"}


def test_without_households_every_current_parent_is_a_carer():
    c = Cast(family(households=[]), "jayden", today=TODAY)
    assert {"kelly", "darren"} <= set(c.carers())


def test_a_past_foster_carer_is_not_a_carer_now():
    case = family(households=[], parents=[
        {"child": "jayden", "parents": ["kelly", "darren"]},
        {"child": "jayden", "parents": ["sandra"], "kind": "foster", "since": 2019,
         "until": 2020},
    ])
    c = Cast(case, "jayden", today=TODAY)
    assert "sandra" not in c.carers()
    assert c.kin("sandra").category == "past_carer"


def test_a_death_with_no_date_is_still_a_death():
    # Family trees often record a death ("1 DEAT Y", a burial) with no date: such a person is
    # spoken of as someone who has died, never asked about as if alive.
    data = family().model_dump(mode="json", by_alias=True)
    next(p for p in data["people"] if p["id"] == "jean")["deceased"] = True
    c = Cast(parse_case(data, "smith.yaml"), "jayden", today=TODAY)
    assert not c.living("jean") and c.dead("jean")
    assert set(c.lost()) == {"ron", "jean"}


def test_siblings_of_every_kind_and_the_dead_are_found(cast: Cast):
    assert set(cast.siblings()) == {"mia", "alfie"}
    assert cast.lost() == ["ron"]
    assert not cast.living("ron") and cast.dead("ron")


def test_closeness_puts_household_and_parents_before_distant_relatives(cast: Cast):
    assert cast.salience("kelly") > cast.salience("pat") > cast.salience("tyler")
    assert cast.ranked(["tyler", "mia", "kelly"])[0] in ("kelly", "mia")


def test_ages_are_reckoned_on_the_given_day(cast: Cast):
    assert cast.age("jayden") == 10
    assert cast.minor("jayden") and not cast.minor("kelly")


def test_second_mentions_of_the_child_use_a_pronoun(cast: Cast):
    text = cast.second_mentions("What do Jayden and Jayden's nan Pat talk about?")
    assert text == "What do Jayden and his nan Pat talk about?"
    quoted = cast.second_mentions("Since ‘Jayden's party’ (2024), how is Jayden's nan Pat?")
    assert "‘Jayden's party’" in quoted


def test_people_who_share_a_first_name_get_their_surname():
    data = family().model_dump(by_alias=True)
    data["people"].append({"id": "kelly2", "name": "Kelly Jones", "sex": "female",
                           "born": 1991})
    c = Cast(parse_case(data, "x.yaml"), "jayden", today=TODAY)
    assert c.name("kelly") == "Kelly Smith" and c.name("kelly2") == "Kelly Jones"


def test_the_focus_defaults_to_the_focal_child_then_the_youngest_with_parents():
    assert choose_focus(family()) == "jayden"
    data = family().model_dump(by_alias=True)
    data["focal_child"] = None
    assert choose_focus(parse_case(data, "x.yaml")) == "alfie"


def test_an_unknown_focus_is_a_key_error():
    with pytest.raises(KeyError):
        Cast(family(), "nobody")
