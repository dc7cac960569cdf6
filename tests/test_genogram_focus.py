"""The family around a person: a readable view cut from a family tree of any size."""

from __future__ import annotations

from pathlib import Path

import pytest

from systemic.cases import load_case
from systemic.genogram.focus import LARGE_FAMILY, default_person, family_around
from systemic.genogram.layout import find_overlaps, layout
from systemic.genogram.validate import family_issues
from systemic.paths import CASES_DIR

SAMPLES = Path("/work/shared/data/gedcom")


@pytest.fixture(scope="module")
def royal():
    from systemic.genogram.gedcom import load_gedcom

    return load_gedcom(SAMPLES / "royal92.ged")


def test_the_view_keeps_parents_grandparents_partners_siblings_children_grandchildren():
    case = load_case(CASES_DIR / "blended_family.yaml")
    around = family_around(case, "leanne")
    ids = {p.id for p in around.people}
    kin = {"george", "patricia", "leanne", "ryan", "tunde", "maya", "kay"}
    assert kin <= ids
    assert all(u.partners[0] in ids and u.partners[1] in ids for u in around.unions)
    assert all(link.child in ids and set(link.parents) <= ids for link in around.parents)
    assert not [i for i in family_issues(around) if i.message not in
                {j.message for j in family_issues(case)}]


def test_more_generations_on_request_and_never_fewer_than_one():
    case = load_case(CASES_DIR / "blended_family.yaml")
    one = family_around(case, "maya", generations=1)
    two = family_around(case, "maya", generations=2)
    assert len(one.people) < len(two.people) <= len(case.people)
    assert "george" not in {p.id for p in one.people}
    assert len(family_around(case, "maya", generations=0).people) == len(one.people)


def test_an_unknown_person_is_a_key_error():
    with pytest.raises(KeyError):
        family_around(load_case(CASES_DIR / "blended_family.yaml"), "nobody")


def test_a_three_thousand_person_tree_opens_around_its_first_person(royal):
    assert len(royal.people) > 3000 > LARGE_FAMILY
    centre = default_person(royal)
    around = family_around(royal, centre)
    assert 5 <= len(around.people) <= 200
    result = layout(around)
    assert find_overlaps(result) == []
    assert result.width < 20 * result.height + 4000


def test_every_person_of_a_big_tree_can_be_the_centre(royal):
    for person in royal.people[::300]:
        around = family_around(royal, person.id, generations=2)
        assert person.id in {p.id for p in around.people}
        assert find_overlaps(layout(around)) == []
