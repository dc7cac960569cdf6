"""Where the children's line of a couple standing apart leaves their couple line
(issue 16): over the middle of their children, unless it crosses fewer lines elsewhere
between the two partners (systemic/genogram/layout/apart_hubs.py)."""

from __future__ import annotations

from systemic.genogram.layout.apart_hubs import place_apart_hubs
from systemic.genogram.layout.base import _Index
from systemic.genogram.layout.placement import _Rows, drawn_crossings
from systemic.genogram.layout.routing import route_lines
from tests.test_genogram_layout import family, kids, person, union


def _apart_with_a_couple_between():
    """Ann and Bob stand apart, Cat and Dan side by side between them; Ann and Bob's
    child Kim stands left of Cat and Dan's child Lee, both far to the right of Bob."""
    case = family(
        [person(p) for p in ("ann", "cat", "dan", "bob", "kim", "lee")],
        [union("ab", "ann", "bob"), union("cd", "cat", "dan")],
        [*kids(["ann", "bob"], "kim"), *kids(["cat", "dan"], "lee")])
    rows = [("ann", "cat", "dan", "bob"), ("kim", "lee")]
    xs = {"ann": 0.0, "cat": 200.0, "dan": 400.0, "bob": 600.0, "kim": 800.0, "lee": 1000.0}
    return case, rows, xs


def test_the_line_leaves_where_it_crosses_no_other_familys_line():
    """Over the middle of Kim (800), clamped to Bob's end of the couple line, Ann and
    Bob's line into Kim would cross Cat and Dan's into Lee; it leaves left of Cat and
    Dan's join point instead, as the ordering counted it, and routing draws it there."""
    case, rows, xs = _apart_with_a_couple_between()
    idx = _Index(case)
    facts = _Rows(idx, rows, {p: r for r, row in enumerate(rows) for p in row})
    before = facts.hub_x("ab", xs)
    # The couple line passes Cat and Dan's line down, wherever Ann and Bob's leaves it.
    assert before > facts.hub_x("cd", xs) and drawn_crossings(idx, facts, xs) == 1 + 1
    place_apart_hubs(idx, facts, xs)
    after = facts.hub_x("ab", xs)
    assert facts.apart_range("ab", xs)[0] <= after < facts.hub_x("cd", xs)
    assert drawn_crossings(idx, facts, xs) == 1
    routes = route_lines(case, rows, xs, _index=idx, _facts=facts)
    (line,) = [u for u in routes.unions if u.id == "ab"]
    assert line.hub[0] == after


def test_where_nothing_crosses_the_line_stays_over_the_children():
    """Kim to the left of Lee's join point and Lee: the line stays where it was."""
    case, rows, xs = _apart_with_a_couple_between()
    xs = {**xs, "kim": 100.0, "lee": 300.0}
    idx = _Index(case)
    facts = _Rows(idx, rows, {p: r for r, row in enumerate(rows) for p in row})
    before = facts.hub_x("ab", xs)
    place_apart_hubs(idx, facts, xs)
    assert facts.hub_x("ab", xs) == before and facts.hub_at == {}
