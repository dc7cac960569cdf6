"""Everyone on the genogram is named in the words a family uses, relative to the child."""

from __future__ import annotations

from datetime import date

import pytest

from systemic.cases import Case, ParentLink, Person, Twins, Union
from systemic.errors import DataFileError
from systemic.genogram.kinship import (
    describe,
    initials,
    kinship_terms,
    label_for,
    relation_to,
    relations,
    role_label,
)


def person(pid: str, sex: str, born: int | None = None, **rest) -> Person:
    return Person(id=pid, name=rest.pop("name", pid.capitalize()), sex=sex, born=born, **rest)


def link(child: str, *parents: str, kind: str = "birth") -> ParentLink:
    return ParentLink(child=child, parents=list(parents), kind=kind)


@pytest.fixture
def jayden() -> Case:
    """Jayden (8) lives with foster carer Sue. Mum Mia is married to Steve; Dad Darren
    lives with Kim. Mum's sister Jo is married to Rob, with a son, Alfie."""
    people = [
        person("jayden", "male", 2015), person("mia", "female", 1990),
        person("darren", "male", 1988), person("pat", "female", 1965),
        person("ron", "male", 1962), person("joan", "female", 1940),
        person("val", "female", 1963), person("jo", "female", 1992),
        person("rob", "male", 1990), person("alfie", "male", 2016),
        person("ellie", "female", 2018), person("lily", "female", 2020),
        person("steve", "male", 1985), person("tom", "male", 2012),
        person("kim", "female", 1989), person("sue", "female", 1970),
        person("sam", "male", 2006), person("bob", "male", 1970),
        person("ana", "female", 1980, role="social worker"),
        person("kyle", "male", 2013),
    ]
    return Case(
        id="jayden", title="Jayden", fictional=True, focal_child="jayden", people=people,
        unions=[
            Union(id="pat-ron", partners=["pat", "ron"], status="divorced"),
            Union(id="mia-darren", partners=["mia", "darren"], status="separated"),
            Union(id="mia-steve", partners=["mia", "steve"], status="married"),
            Union(id="darren-kim", partners=["darren", "kim"], status="cohabiting"),
            Union(id="jo-rob", partners=["jo", "rob"], status="married"),
        ],
        parents=[
            link("jayden", "mia", "darren"), link("ellie", "mia", "darren"),
            link("mia", "pat", "ron"), link("jo", "pat", "ron"), link("pat", "joan"),
            link("darren", "val"), link("alfie", "jo", "rob"), link("lily", "mia", "steve"),
            link("tom", "steve"), link("jayden", "sue", kind="foster"), link("sam", "sue"),
            link("kyle", "darren"),
        ],
    )


@pytest.mark.parametrize(("pid", "words"), [
    ("mia", "Mum"), ("darren", "Dad"), ("pat", "Nan"), ("ron", "Grandad"),
    ("val", "Nan"), ("joan", "great-gran"), ("ellie", "sister"), ("lily", "half-sister"),
    ("kyle", "half-brother"), ("tom", "step-brother"), ("jo", "aunt"), ("rob", "uncle"),
    ("alfie", "cousin"), ("steve", "step-dad"), ("kim", "Dad's partner"),
    ("sue", "foster carer"), ("sam", "foster brother"), ("ana", "social worker"),
])
def test_relation_words_for_jaydens_family(jayden, pid, words):
    assert relation_to(jayden, pid) == words


def test_maternal_and_paternal_grandparents_are_told_apart_in_description(jayden):
    assert describe(jayden, "pat") == "Jayden's mum's mum"
    assert describe(jayden, "val") == "Jayden's dad's mum"
    assert describe(jayden, "joan") == "Jayden's mum's mum's mum"
    assert describe(jayden, "jo") == "Jayden's mum's sister"
    assert describe(jayden, "jayden") == "Jayden"


def test_labels_put_the_childs_name_first(jayden):
    assert label_for(jayden, "darren") == "Jayden's dad Darren"
    assert label_for(jayden, "kim") == "Jayden's dad's partner Kim"
    assert label_for(jayden, "pat") == "Jayden's nan Pat"
    assert label_for(jayden, "jayden") == "Jayden"
    assert label_for(jayden, "bob") == "Bob (someone in the network)"


def test_someone_not_linked_and_without_a_role_is_in_the_network(jayden):
    assert relation_to(jayden, "bob") == "someone in the network"


def test_words_can_be_relative_to_another_person(jayden):
    assert relation_to(jayden, "jayden", focal="mia") == "son"
    assert relation_to(jayden, "pat", focal="mia") == "Mum"
    assert relation_to(jayden, "alfie", focal="mia") == "nephew"
    assert relation_to(jayden, "mia", focal="mia") == "herself"


def test_relations_names_everyone_at_once(jayden):
    words = relations(jayden)
    assert set(words) == {p.id for p in jayden.people}
    assert words["jayden"] == "himself"


def test_adoptive_parents_are_mum_and_dad_and_birth_parents_say_so():
    case = Case(id="c", title="t", fictional=True, focal_child="k", people=[
        person("k", "female", 2014), person("am", "female", 1975), person("ad", "male", 1974),
        person("bm", "female", 1995), person("bn", "female", 1970)],
        parents=[link("k", "am", "ad", kind="adoptive"), link("k", "bm"), link("bm", "bn")])
    assert relation_to(case, "am") == "Mum"
    assert relation_to(case, "ad") == "Dad"
    assert relation_to(case, "bm") == "birth mum"
    assert relation_to(case, "bn") == "birth nan"


def test_two_mums_are_both_mum_and_a_parent_of_unknown_sex_is_a_parent():
    case = Case(id="c", title="t", fictional=True, focal_child="k", people=[
        person("k", "male"), person("a", "female"), person("b", "female"),
        person("c", "unknown")],
        unions=[Union(id="ab", partners=["a", "b"], status="civil_partnership")],
        parents=[link("k", "a", "b", kind="adoptive"), link("k", "c")])
    assert [relation_to(case, p) for p in "abc"] == ["Mum", "Mum", "birth parent"]


def test_carers_under_orders_are_named_for_the_order():
    case = Case(id="c", title="t", fictional=True, focal_child="k", people=[
        person("k", "male"), person("g", "female"), person("u", "male")],
        parents=[link("k", "g", kind="special_guardianship"), link("k", "u", kind="kinship")])
    assert relation_to(case, "g") == "special guardian"
    assert relation_to(case, "u") == "kinship carer"


def test_a_line_with_no_single_word_is_said_step_by_step(jayden):
    case = jayden.model_copy(update={
        "people": [*jayden.people, person("gary", "male", 1960)],
        "unions": [*jayden.unions, Union(id="pat-gary", partners=["pat", "gary"],
                                         status="cohabiting")]})
    assert relation_to(case, "gary") == "Nan's partner"
    assert label_for(case, "gary") == "Jayden's nan's partner Gary"


def test_role_labels_hide_names_and_show_childrens_ages(jayden):
    today = date(2023, 9, 1)
    assert role_label(jayden, "mia", today=today) == "Mum"
    assert role_label(jayden, "jayden", today=today) == "Child (8)"
    assert role_label(jayden, "ellie", today=today) == "Sister (5)"
    assert role_label(jayden, "ana", today=today) == "Social worker"
    assert role_label(jayden, "bob", today=today) == "Someone in the network"


def test_role_labels_work_without_a_focal_child():
    case = Case(id="c", title="t", fictional=True, people=[
        person("a", "female", 1980), person("w", "female", 1985, role="worker"),
        person("k", "male", 2016)])
    assert [role_label(case, p, today=date(2024, 1, 1)) for p in "awk"] == [
        "Adult", "Worker", "Child (8)"]


def test_words_need_a_focal_child():
    case = Case(id="c", title="t", fictional=True, people=[person("a", "female")])
    with pytest.raises(ValueError, match="no focal child"):
        relation_to(case, "a")
    with pytest.raises(KeyError):
        relation_to(case, "nobody", focal="a")


def test_initials_for_privacy():
    assert initials("Mia Smith") == "M.S."
    assert initials("Jean-Paul") == "J.P."


def test_the_words_live_in_a_data_file_with_a_source():
    terms = kinship_terms()
    assert "British" in terms.source
    assert terms.steps["parent"].for_sex("female") == "mum"
    assert terms.match(("parent", "parent")).for_sex("male") == "Grandad"


def test_a_broken_words_file_is_refused_with_the_field_named(tmp_path):
    broken = tmp_path / "terms.yaml"
    broken.write_text("source: x\nsteps: {parent: {female: mum}}\nrelations: []\n"
                      "self: {any: x}\ndistant: {any: x}\nunlinked: {any: x}\n"
                      "focal_role: {any: x}\nadult_role: {any: x}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="steps: words are missing for birth_parent"):
        kinship_terms(broken)


def test_family_who_are_also_carers_are_named_as_both():
    """Jada lives with her Nan and Grandad under a special guardianship order."""
    case = Case(id="c", title="t", fictional=True, focal_child="jada", people=[
        person("jada", "female", 2016), person("mum", "female", 1995, name="Shantelle"),
        person("nan", "female", 1968, name="Beverley"), person("grandad", "male", 1965),
        person("marcus", "male", 1992), person("lloyd", "male", 1940)],
        unions=[Union(id="nan-grandad", partners=["nan", "grandad"])],
        parents=[link("jada", "mum"), link("mum", "nan", "grandad"),
                 link("marcus", "nan", "grandad"), link("nan", "lloyd"),
                 link("jada", "nan", "grandad", kind="special_guardianship")])
    assert relation_to(case, "nan") == "Nan and special guardian"
    assert relation_to(case, "grandad") == "Grandad and special guardian"
    assert relation_to(case, "marcus") == "uncle"  # not a "foster brother"
    assert relation_to(case, "lloyd") == "great-grandad"
    assert label_for(case, "nan") == "Jada's nan and special guardian Beverley"


def test_twins_pregnancies_and_pets_have_their_own_words():
    case = Case(id="c", title="t", fictional=True, focal_child="a", people=[
        person("a", "female", 2016), person("b", "male", 2016), person("m", "female", 1990),
        Person(id="loss", name="Lost pregnancy", kind="miscarriage"),
        Person(id="bump", name="Expected baby", kind="pregnancy"),
        Person(id="rex", name="Rex", kind="pet")],
        twins=[Twins(people=["a", "b"])],
        parents=[link("a", "m"), link("b", "m"), link("loss", "m"), link("bump", "m")])
    assert relation_to(case, "b") == "twin brother"
    assert relation_to(case, "loss") == "sibling (miscarriage)"
    assert relation_to(case, "bump") == "sibling (expected)"
    assert relation_to(case, "rex") == "pet"


def test_a_care_arrangement_that_has_ended_is_former():
    case = Case(id="c", title="t", fictional=True, focal_child="k", people=[
        person("k", "male", 2015), person("gloria", "female", 1960), person("sue", "female")],
        parents=[ParentLink(child="k", parents=["gloria"], kind="foster", since=2019,
                            until=2020),
                 ParentLink(child="k", parents=["sue"], kind="foster", since=2023)])
    assert relation_to(case, "gloria") == "former foster carer"
    assert relation_to(case, "sue") == "foster carer"
