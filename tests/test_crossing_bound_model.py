"""benchmarks/crossing_bound.py reads any family our layout draws: a partner chain that is
not a path (someone with three partners in a row) is one block, and a couple our order
stands apart gets a free join point. Checked without the solver (highspy is optional):
the model's count of our own order must equal the benchmark's count."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import count_crossings, layout
from systemic.genogram.layout.checks import join_segments

ROOT = Path(__file__).resolve().parent.parent


def _bound():
    sys.path.insert(0, str(ROOT / "benchmarks"))  # it reads benchmarks/genogram.py as genogram
    return importlib.import_module("benchmarks.crossing_bound")


def _three_partners() -> Case:
    """Xavier has three partners in his row, a child with each; two of those children
    married each other (half-siblings' children are not needed: any couple will do)."""
    people = [Person(id=p, name=p.title()) for p in
              ("xavier", "ann", "bea", "cat", "kid1", "kid2", "kid3", "dan")]
    unions = [Union(id=f"x{p}", partners=["xavier", p]) for p in ("ann", "bea", "cat")]
    unions.append(Union(id="kd", partners=["kid3", "dan"]))
    parents = [ParentLink(child=f"kid{i}", parents=["xavier", p])
               for i, p in enumerate(("ann", "bea", "cat"), start=1)]
    return Case(id="c", title="t", fictional=True, people=people, unions=unions,
                parents=parents)


def test_a_star_of_partners_is_modelled_and_the_model_counts_our_order():
    cb = _bound()
    case = _three_partners()
    result = layout(case)
    prob = cb.read_problem(case, result)
    xs = {p: place.x for p, place in result.people.items()}
    row = result.rows[0]
    assert len(row) == 4  # Xavier and his three partners, one of them beyond another
    for comp in cb.components(prob):
        model = cb.Model(prob, comp, "a")  # no longer "not a path in our order"
        if "xavier" in comp:
            unit = model.units[model.unit_of["xavier"]]
            assert sorted(unit) == sorted(row)  # one block
            assert model.apart_in_ours == []  # the one beyond stands next to a partner
        assert round(model.objective(model.values_of(result.rows, xs))) == count_crossings(
            join_segments(result))


def test_a_couple_apart_in_our_order_is_named_and_left_free():
    cb = _bound()
    case = _three_partners()
    prob = cb.read_problem(case, layout(case))
    prob.rows[1] = ["kid3", "kid1", "kid2", "dan"]  # as if Kid 3 and Dan stood apart
    prob.row_of.update({p: 1 for p in prob.rows[1]})
    apart = cb.apart_in_order(prob, prob.couples)
    assert [frozenset(c) for c in apart] == [frozenset(("kid3", "dan"))]
    comp = next(c for c in cb.components(prob) if "dan" in c)
    model = cb.Model(prob, comp, "a")
    assert frozenset(("kid3", "dan")) in {frozenset(c) for c in model.free_couples}
