"""Two couples standing apart, one inside the other's span: the inner couple's line runs
nearer the row, so neither line crosses the other (routing's lanes, geometry.stack_nested).

Seen in paf5-utf8-wedgwood: Charles Darwin and Emma Wedgwood stand apart around Josiah
Wedgwood III and Caroline Darwin, who stand apart too; with the outer couple's line
nearer the row, the inner couple's drops crossed it (1 crossing the reader sees, in
``ours apart ×``); now 0.
"""

from __future__ import annotations

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import find_overlaps, layout
from systemic.genogram.layout.checks import apart_crossings, text_crossings


def _nested(inner_has_child: bool) -> Case:
    """Ann and Bob (with a son) stand apart around Cat and Dan, who stand apart around
    Eve."""
    people = [Person(id=p, name=p.title()) for p in ("ann", "bob", "cat", "dan", "eve", "son")]
    parents = [ParentLink(child="son", parents=["ann", "bob"])]
    if inner_has_child:
        people.append(Person(id="kid", name="Kid"))
        parents.append(ParentLink(child="kid", parents=["cat", "dan"]))
    return Case(id="c", title="t", fictional=True, people=people, parents=parents,
                unions=[Union(id="ab", partners=["ann", "bob"]),
                        Union(id="cd", partners=["cat", "dan"])])


def _draw(case: Case):
    order = ["ann", "cat", "eve", "dan", "bob", *(p.id for p in case.people[5:])]
    result = layout(case, order=order)
    assert list(result.rows[0]) == ["ann", "cat", "eve", "dan", "bob"]  # drawn as asked
    lines = {u.id: u for u in result.unions}
    assert lines["ab"].route == lines["cd"].route == "around"
    return result, lines


def test_the_inner_couple_apart_runs_nearer_the_row_and_no_line_crosses():
    result, lines = _draw(_nested(inner_has_child=False))
    assert lines["cd"].hub[1] < lines["ab"].hub[1]  # inner lane above the outer one
    assert apart_crossings(result) == 0
    assert text_crossings(result) == [] and find_overlaps(result) == []


def test_the_inner_couples_childrens_line_is_the_one_crossing_left():
    """With children of their own, the inner couple's line down to them must cross the
    outer couple's line: 1, where the other way round both drops crossed it too."""
    result, _lines = _draw(_nested(inner_has_child=True))
    assert apart_crossings(result) == 1
