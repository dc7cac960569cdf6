"""The genogram graph is a faithful, derived view of the case."""

from __future__ import annotations

import pytest

from systemic.cases import (
    Case,
    EcomapConnection,
    Household,
    ParentLink,
    Person,
    Relationship,
    Twins,
    Union,
)
from systemic.genogram.model import Genogram, ecomap_node, household_node


def person(pid: str, sex: str = "unknown", born: int | None = None) -> Person:
    return Person(id=pid, name=pid.capitalize(), sex=sex, born=born)


@pytest.fixture
def family() -> Case:
    """Jayden's family: his mum Mia has a daughter with her partner Steve, who has a son
    from before; Jayden lives with a foster carer, Sue, and her son Sam."""
    return Case(
        id="jayden", title="Jayden", fictional=True, focal_child="jayden",
        people=[
            person("pat", "female", 1958), person("ron", "male", 1955),
            person("mia", "female", 1988), person("lee", "male", 1985),
            person("darren", "male", 1986), person("steve", "male", 1982),
            person("kim", "female", 1984), person("jayden", "male", 2012),
            person("lily", "female", 2019), person("tom", "male", 2010),
            person("sue", "female", 1970), person("sam", "male", 2005),
            person("nobody", "unknown", 1990), person("ann", "female", 2020),
            person("amy", "female", 2020),
        ],
        unions=[
            Union(id="pat-ron", partners=["pat", "ron"]),
            Union(id="mia-darren", partners=["mia", "darren"], status="divorced",
                  began=2010, ended=2015),
            Union(id="mia-steve", partners=["mia", "steve"], status="cohabiting", began=2017),
            Union(id="kim-steve", partners=["kim", "steve"], status="separated"),
        ],
        parents=[
            ParentLink(child="mia", parents=["pat", "ron"]),
            ParentLink(child="lee", parents=["pat", "ron"]),
            ParentLink(child="jayden", parents=["mia", "darren"]),
            ParentLink(child="lily", parents=["mia", "steve"]),
            ParentLink(child="tom", parents=["kim", "steve"]),
            ParentLink(child="jayden", parents=["sue"], kind="foster", since=2023),
            ParentLink(child="sam", parents=["sue"]),
            ParentLink(child="ann", parents=["lee"]),
            ParentLink(child="amy", parents=["lee"]),
        ],
        twins=[Twins(people=["ann", "amy"], identical=True)],
        relationships=[
            Relationship(**{"from": "mia", "to": "jayden", "kind": "focused_on"}),
            Relationship(**{"from": "mia", "to": "darren", "kind": "conflict"}),
        ],
        households=[
            Household(id="mums", name="Mum's house", members=["mia", "steve", "lily"]),
            Household(id="sues", name="Sue's house", members=["sue", "jayden", "sam"]),
        ],
        ecomap=[
            EcomapConnection(id="school", name="School", connected_to="jayden",
                             strength="strong", flow="from_family"),
            EcomapConnection(id="gp", name="GP", connected_to="mums", stressful=True),
        ],
    )


def test_every_person_is_a_node_with_their_details(family):
    g = Genogram.from_case(family)
    assert g.graph.nodes["mia"]["type"] == "person"
    assert g.graph.nodes["mia"]["person"].born.year == 1988
    people = [n for n, d in g.graph.nodes(data=True) if d["type"] == "person"]
    assert people == [p.id for p in family.people]


def test_edges_are_typed_with_the_case_attributes(family):
    graph = Genogram.from_case(family).graph
    foster = [d for _, _, d in graph.in_edges("jayden", data=True) if d.get("kind") == "foster"]
    assert len(foster) == 1
    assert foster[0]["type"] == "parent" and foster[0]["since"] == "2023"
    assert foster[0]["link"] == 5
    union = graph.get_edge_data("mia", "darren", key="union:mia-darren")
    assert union["status"] == "divorced" and union["began"].year == 2010
    focus = graph.get_edge_data("mia", "jayden", key="emotional:0")
    assert focus["kind"] == "focused_on" and focus["directed"] is True
    assert graph.get_edge_data("mia", "darren", key="emotional:1")["directed"] is False
    assert graph.has_edge("ann", "amy", key="twin:0")


def test_households_and_ecomap_systems_are_nodes_of_their_own(family):
    graph = Genogram.from_case(family).graph
    assert graph.nodes[household_node("sues")]["type"] == "household"
    assert graph.has_edge("jayden", household_node("sues"), key="member")
    school = graph.get_edge_data("jayden", ecomap_node("school"), key="ecomap")
    assert school == {"type": "ecomap", "strength": "strong", "stressful": False,
                      "flow": "from_family"}
    assert graph.has_edge(household_node("mums"), ecomap_node("gp"), key="ecomap")


def test_the_case_stays_the_source_of_truth(family):
    g = Genogram.from_case(family)
    assert g.case is family
    with pytest.raises(AttributeError):
        g.case = family  # type: ignore[misc]


def test_parents_can_be_filtered_by_kind(family):
    g = Genogram.from_case(family)
    assert g.parents_of("jayden") == ["mia", "darren", "sue"]
    assert g.parents_of("jayden", kinds=["birth"]) == ["mia", "darren"]
    assert g.parents_of("jayden", kinds=["foster"]) == ["sue"]
    assert g.birth_parents_of("jayden") == ["mia", "darren"]
    assert g.parents_of("pat") == []


def test_children_are_found_from_either_parent(family):
    g = Genogram.from_case(family)
    assert g.children_of("mia") == ["jayden", "lily"]
    assert g.children_of("steve") == ["lily", "tom"]
    assert g.children_of("sue", kinds=["birth"]) == ["sam"]


def test_partners_include_past_ones_unless_filtered(family):
    g = Genogram.from_case(family)
    assert g.partners_of("mia") == ["darren", "steve"]
    assert g.partners_of("mia", statuses=["cohabiting"]) == ["steve"]
    assert g.unions_of("steve") == ["mia-steve", "kim-steve"]
    assert g.union_between("steve", "mia") == "mia-steve"
    assert g.union_between("steve", "darren") is None


def test_siblings_are_full_half_step_or_foster(family):
    g = Genogram.from_case(family)
    assert g.siblings_of("jayden", kind="half") == ["lily"]
    assert g.siblings_of("jayden", kind="foster") == ["sam"]
    assert g.siblings_of("lily", kind="step") == []  # Tom is her half-brother through Steve
    assert g.siblings_of("lily", kind="half") == ["jayden", "tom"]
    assert g.siblings_of("jayden", kind="step") == ["tom"]
    assert g.siblings_of("mia", kind="full") == ["lee"]
    assert g.sibling_kind("ann", "amy") == "full"
    assert g.sibling_kind("jayden", "jayden") is None
    assert g.sibling_kind("jayden", "pat") is None


def test_a_step_parent_link_makes_step_siblings():
    case = Case(id="c", title="t", fictional=True,
                people=[person(i) for i in ("dad", "a", "stepdad", "b")],
                parents=[ParentLink(child="a", parents=["dad"]),
                         ParentLink(child="a", parents=["stepdad"], kind="step"),
                         ParentLink(child="b", parents=["stepdad"])])
    g = Genogram.from_case(case)
    assert g.siblings_of("b") == ["a"]
    assert g.sibling_kind("a", "b") == "step"


def test_adopted_children_of_one_couple_are_full_siblings():
    case = Case(id="c", title="t", fictional=True,
                people=[person(i) for i in ("x", "y", "a", "b")],
                parents=[ParentLink(child="a", parents=["x", "y"], kind="adoptive"),
                         ParentLink(child="b", parents=["x", "y"])])
    assert Genogram.from_case(case).sibling_kind("a", "b") == "full"


def test_generation_counts_up_from_the_focal_child(family):
    g = Genogram.from_case(family)
    assert g.generation_of("jayden") == 0
    assert g.generation_of("mia") == 1
    assert g.generation_of("pat") == 2
    assert g.generation_of("lee") == 1
    assert g.generation_of("ann") == 0
    assert g.generation_of("tom") == 0  # through Steve, Mia's partner
    assert g.generation_of("jayden", relative_to="pat") == -2
    assert g.generation_of("nobody") is None


def test_generation_needs_someone_to_count_from():
    case = Case(id="c", title="t", fictional=True, people=[person("a")])
    with pytest.raises(ValueError, match="focal child"):
        Genogram.from_case(case).generation_of("a")


def test_households_of_a_person(family):
    g = Genogram.from_case(family)
    assert g.households_of("jayden") == ["sues"]
    assert g.households_of("darren") == []


def test_unknown_ids_are_left_out_of_the_graph_not_crashed_on():
    case = Case(id="c", title="t", fictional=True, people=[person("a")],
                parents=[ParentLink(child="a", parents=["ghost"])])
    g = Genogram.from_case(case)
    assert "ghost" not in g.graph
    assert g.parents_of("a") == []
    assert g.parents_of("ghost") == []
