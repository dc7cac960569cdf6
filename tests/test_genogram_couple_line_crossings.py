"""Couple lines that leave their row are measured too (layout/checks.couple_line_crossings).

The crossing count the benchmark compares with dot's (join_segments) holds only the lines
into children; a couple standing apart draws its line below the people between, and that
line may cross their children's line while the count stays 0. These tests show such a
crossing is found, and that a couple whose line crosses nothing adds nothing.
"""

from __future__ import annotations

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import count_crossings, layout
from systemic.genogram.layout.checks import couple_line_crossings, join_segments


def _case(between_have_a_child: bool) -> Case:
    """Ann and Bob are a couple with a son; Cat and Dan, a couple, stand between them."""
    people = [Person(id=p, name=p.title()) for p in ("ann", "bob", "cat", "dan", "son")]
    parents = [ParentLink(child="son", parents=["ann", "bob"])]
    if between_have_a_child:
        people.append(Person(id="kid", name="Kid"))
        parents.append(ParentLink(child="kid", parents=["cat", "dan"]))
    return Case(id="c", title="t", fictional=True, people=people, parents=parents,
                unions=[Union(id="ab", partners=["ann", "bob"]),
                        Union(id="cd", partners=["cat", "dan"])])


def _apart(case: Case):
    order = ["ann", "cat", "dan", "bob", *(p.id for p in case.people[4:])]
    result = layout(case, order=order)
    assert list(result.rows[0]) == ["ann", "cat", "dan", "bob"]  # drawn as asked
    assert next(u for u in result.unions if u.id == "ab").route == "around"
    return result


def test_a_couple_line_round_a_family_crosses_its_childrens_line_unseen_by_the_count():
    result = _apart(_case(between_have_a_child=True))
    found = couple_line_crossings(result)
    assert found and all(line == "couple:ab" for line, _other in found)
    assert any(other.split(":")[1].startswith("cd") for _line, other in found)
    # What the count compared with dot's does not see:
    assert count_crossings(join_segments(result)) == 0


def test_a_couple_line_round_people_with_no_line_down_crosses_nothing():
    result = _apart(_case(between_have_a_child=False))
    assert couple_line_crossings(result) == []


def test_couples_side_by_side_cross_nothing():
    assert couple_line_crossings(layout(_case(between_have_a_child=True))) == []
