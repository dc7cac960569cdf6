"""Impossible families are refused with a sentence that names the people and the fix."""

from __future__ import annotations

import pytest
import yaml

from systemic.cases import (
    Case,
    EcomapConnection,
    Household,
    ParentLink,
    Person,
    Relationship,
    Twins,
    Union,
    load_case,
)
from systemic.errors import DataFileError, ImpossibleFamily
from systemic.genogram.validate import (
    case_problems,
    check_family,
    family_issues,
    family_problems,
)


def make(people, **rest) -> Case:
    return Case(id="c", title="t", fictional=True,
                people=[Person(**p) if isinstance(p, dict) else p for p in people], **rest)


MIA = {"id": "mia", "name": "Mia", "sex": "female", "born": 1985}
DARREN = {"id": "darren", "name": "Darren", "sex": "male", "born": 1983}
KAI = {"id": "kai", "name": "Kai", "sex": "male", "born": 2015}


def test_a_possible_family_has_no_problems():
    case = make([MIA, DARREN, KAI], unions=[Union(id="u", partners=["mia", "darren"])],
                parents=[ParentLink(child="kai", parents=["mia", "darren"])])
    assert family_problems(case) == []
    assert check_family(case) is case


def test_a_cycle_of_parenthood_names_everyone_in_it_by_name_and_id():
    undated = [{k: v for k, v in p.items() if k != "born"} for p in (MIA, DARREN, KAI)]
    case = make(undated,
                parents=[ParentLink(child="darren", parents=["mia"]),
                         ParentLink(child="kai", parents=["darren"]),
                         ParentLink(child="mia", parents=["kai"])])
    [problem] = family_problems(case)
    assert "Mia (mia) is a parent of Darren (darren), who is a parent of Kai (kai), " \
           "who is a parent of Mia (mia)" in problem
    with pytest.raises(ImpossibleFamily) as caught:
        check_family(case)
    assert set(caught.value.people) == {"mia", "darren", "kai"}


def test_a_person_cannot_be_their_own_parent():
    case = make([MIA], parents=[ParentLink(child="mia", parents=["mia"])])
    assert family_problems(case) == [
        "Mia cannot be her own parent. Remove 'mia' from this link's parents."]


def test_more_than_two_birth_parents_is_refused():
    steve = {"id": "steve", "name": "Steve", "sex": "male", "born": 1980}
    case = make([MIA, DARREN, steve, KAI],
                parents=[ParentLink(child="kai", parents=["mia", "darren"]),
                         ParentLink(child="kai", parents=["steve"])])
    [issue] = family_issues(case)
    assert "Kai has three birth parents (Mia, Darren and Steve)" in issue.message
    assert "step, adoptive or foster" in issue.message
    assert issue.field == "parents[1]"


def test_two_sets_of_birth_parents_are_refused_even_with_two_people():
    case = make([MIA, DARREN, KAI], parents=[ParentLink(child="kai", parents=["mia"]),
                                             ParentLink(child="kai", parents=["darren"])])
    assert family_problems(case)[0].startswith("Kai has two separate sets of birth parents")


def test_birth_parents_alongside_foster_and_adoptive_parents_are_fine():
    sue = {"id": "sue", "name": "Sue", "sex": "female", "born": 1960}
    case = make([MIA, DARREN, sue, KAI],
                parents=[ParentLink(child="kai", parents=["mia", "darren"]),
                         ParentLink(child="kai", parents=["sue"], kind="foster"),
                         ParentLink(child="kai", parents=["sue"], kind="adoptive")])
    assert family_problems(case) == []


def test_born_after_the_birth_mother_died():
    case = make([{**MIA, "died": 2012}, KAI], parents=[ParentLink(child="kai", parents=["mia"])])
    [issue] = family_issues(case)
    assert issue.message.startswith(
        "Kai cannot be born in 2015: his birth mother Mia died in 2012.")
    assert issue.field == "people[1].born"
    assert issue.people == ("kai", "mia")


def test_born_the_year_the_mother_died_may_be_true():
    case = make([{**MIA, "died": 2015}, KAI], parents=[ParentLink(child="kai", parents=["mia"])])
    assert family_problems(case) == []


def test_born_within_a_year_of_the_fathers_death_is_possible():
    case = make([{**DARREN, "died": "2014-11"}, {**KAI, "born": "2015-06-01"}],
                parents=[ParentLink(child="kai", parents=["darren"])])
    assert family_problems(case) == []


def test_born_more_than_a_year_after_the_fathers_death_is_not():
    case = make([{**DARREN, "died": 2012}, KAI],
                parents=[ParentLink(child="kai", parents=["darren"])])
    [problem] = family_problems(case)
    assert problem.startswith("Kai cannot be born in 2015: his birth father Darren died in "
                              "2012, more than a year before.")


def test_precise_dates_are_shown_as_written():
    case = make([{**MIA, "died": "2015-03-02"}, {**KAI, "born": "2015-04-10", "sex": "female"}],
                parents=[ParentLink(child="kai", parents=["mia"])])
    assert family_problems(case)[0].startswith(
        "Kai cannot be born on 10 April 2015: her birth mother Mia died on 2 March 2015.")


def test_a_parent_must_be_about_ten_years_older():
    case = make([{**MIA, "born": 2007}, KAI], parents=[ParentLink(child="kai", parents=["mia"])])
    [problem] = family_problems(case)
    assert "Mia is only 8 years older than her birth child Kai" in problem


def test_an_adoptive_parent_younger_than_the_child_is_refused():
    case = make([{**MIA, "born": 2016}, KAI],
                parents=[ParentLink(child="kai", parents=["mia"], kind="adoptive")])
    [problem] = family_problems(case)
    assert "Mia (born 2016) cannot be an adoptive parent of Kai (born 2015)" in problem


def test_a_young_kinship_carer_is_not_refused():
    sister = {"id": "sis", "name": "Jess", "sex": "female", "born": 2008}
    case = make([sister, KAI], parents=[ParentLink(child="kai", parents=["sis"], kind="kinship")])
    assert family_problems(case) == []


def test_nobody_dies_before_they_are_born():
    case = make([{**MIA, "died": 1980}])
    [issue] = family_issues(case)
    assert issue.message == ("Mia cannot have died in 1980, before she was born in 1985. "
                             "Check both dates.")
    assert issue.field == "people[0].died"


def test_nobody_has_died_or_been_born_on_a_date_still_to_come():
    import datetime as dt

    today = dt.date.today()
    later = today.year + 1
    case = make([{**MIA, "died": later}, {**KAI, "born": later},
                 {"id": "bump", "name": "Bump", "kind": "pregnancy", "born": later}])
    assert family_issues(case) == []  # files judge a year by plausible.py's rule alone
    died, born = family_issues(case, today=today)
    assert died.message == (f"Mia cannot have died in {later}: that date has not come yet. "
                            "Check the date.")
    assert died.field == "people[0].died" and born.field == "people[1].born"
    assert "record a baby on the way as a pregnancy" in born.message  # Bump is one: no problem
    assert family_issues(make([{**MIA, "died": today.isoformat()}]), today=today) == []


def test_twins_share_a_birth_year_and_birth_parents():
    a = {"id": "ann", "name": "Ann", "sex": "female", "born": 2010}
    b = {"id": "bea", "name": "Bea", "sex": "female", "born": 2011}
    case = make([MIA, DARREN, a, b], twins=[Twins(people=["ann", "bea"])],
                parents=[ParentLink(child="ann", parents=["mia", "darren"]),
                         ParentLink(child="bea", parents=["mia"])])
    problems = family_problems(case)
    assert any("Ann and Bea are twins but were born in different years (2010 and 2011)" in p
               for p in problems)
    assert any("Ann and Bea are twins but have different birth parents" in p for p in problems)


def test_unknown_ids_are_named_with_where_they_are_used():
    case = make([MIA, KAI],
                unions=[Union(id="u", partners=["mia", "ghost"])],
                parents=[ParentLink(child="kai", parents=["zed"])],
                relationships=[Relationship(**{"from": "mia", "to": "nemo", "kind": "close"})],
                households=[Household(id="h", name="Home", members=["mia", "who"])],
                ecomap=[EcomapConnection(id="gp", name="GP", connected_to="nowhere")],
                focal_child="jay")
    issues = family_issues(case)
    fields = {i.field for i in issues}
    assert {"unions[0].partners[1]", "parents[0].parents[0]", "relationships[0].to",
            "households[0].members[1]", "ecomap[0].connected_to", "focal_child"} <= fields
    messages = " ".join(i.message for i in issues)
    assert "Mia's partner 'ghost' is not in the family" in messages
    assert "Kai's parent 'zed' is not in the family" in messages


def test_a_person_cannot_be_in_a_couple_with_themself():
    case = make([DARREN], unions=[Union(id="u", partners=["darren", "darren"])])
    assert family_problems(case) == [
        "Darren cannot be in a couple with himself. Name two different people."]


def test_duplicate_ids_are_refused():
    case = make([MIA, {**MIA, "name": "Mia Jones"}])
    [issue] = family_issues(case)
    assert issue.message == ("Two people have the id 'mia' (Mia and Mia Jones). "
                             "Give each their own id.")
    assert issue.field == "people[0].id"


def test_a_couple_cannot_end_before_it_began():
    case = make([MIA, DARREN], unions=[Union(id="u", partners=["mia", "darren"],
                                             began=2012, ended=2010)])
    assert "cannot end in 2010, before it began in 2012" in family_problems(case)[0]


def test_a_pregnancy_cannot_be_a_parent():
    case = make([{"id": "p", "name": "Pregnancy", "kind": "pregnancy"}, KAI],
                parents=[ParentLink(child="kai", parents=["p"])])
    assert "recorded as a pregnancy" in family_problems(case)[0]


def test_pronouns_are_honoured_in_messages():
    case = make([{**MIA, "pronouns": "they/them", "died": 1980}])
    assert "before they were born" in family_problems(case)[0]


def test_case_problems_name_the_file_and_field():
    case = make([{**MIA, "died": 2012}, KAI], parents=[ParentLink(child="kai", parents=["mia"])])
    [problem] = case_problems(case, "cases/kai.yaml")
    assert str(problem).startswith("cases/kai.yaml: people[1].born: Kai cannot be born in 2015")


def test_loading_a_case_file_reports_an_impossible_family(tmp_path):
    path = tmp_path / "kai.yaml"
    path.write_text(yaml.safe_dump({
        "id": "kai", "title": "Kai", "fictional": True,
        "people": [MIA, KAI, DARREN],
        "parents": [{"child": "kai", "parents": ["mia", "darren"]},
                    {"child": "mia", "parents": ["kai"]}],
    }), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_case(path)
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{path}: parents[") and "own ancestor" in line for line in lines)


def test_loading_a_possible_case_file_succeeds(tmp_path):
    path = tmp_path / "kai.yaml"
    path.write_text(yaml.safe_dump({
        "id": "kai", "title": "Kai", "fictional": True, "people": [MIA, KAI],
        "parents": [{"child": "kai", "parents": ["mia"]}],
    }), encoding="utf-8")
    assert load_case(path).person("kai").name == "Kai"


def test_a_long_line_of_descent_is_checked_without_recursion_limits():
    people = [{"id": f"p{i}", "name": f"P{i}"} for i in range(3000)]
    links = [ParentLink(child=f"p{i + 1}", parents=[f"p{i}"]) for i in range(2999)]
    assert family_problems(make(people, parents=links)) == []
    links.append(ParentLink(child="p0", parents=["p2999"]))
    assert "own ancestor" in family_problems(make(people, parents=links))[0]


def test_a_500_generation_cycle_is_told_by_its_first_people_in_one_short_line():
    people = [{"id": f"p{i}", "name": f"Person Number {i}"} for i in range(500)]
    links = [ParentLink(child=f"p{(i + 1) % 500}", parents=[f"p{i}"]) for i in range(500)]
    case = make(people, parents=links)
    [line] = [str(p) for p in case_problems(case, "case_templates/family.yaml")]
    assert len(line) < 200, line
    [problem] = family_problems(case)
    assert problem.startswith("Nobody is their own ancestor, but these 500 people form a "
                              "cycle: Person Number 0 (p0), Person Number 1 (p1), Person Number "
                              "2 (p2)… Correct one link.")
