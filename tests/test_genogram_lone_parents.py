"""The largest trees' pass that moves a parent standing alone in its row, the partner
in another row (:mod:`systemic.genogram.layout.lone_parents`)."""

from __future__ import annotations

from pathlib import Path

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import assign_generations, count_crossings, layout
from systemic.genogram.layout.base import _hang_families, _Index
from systemic.genogram.layout.checks import join_segments
from systemic.genogram.layout.lone_parents import MAX_TRIALS, move_lone_parents
from systemic.genogram.layout.sweeps import _Orderer
from systemic.genogram.layout.units import _build_units

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "data" / "gedcom"
if not SAMPLES.exists():  # a worktree sits one level deeper than the main checkout
    SAMPLES = Path("/work/shared/data/gedcom")


def _cousins() -> Case:
    """Vic (row 2) married Al, a row up (his brother Wil married her aunt Wyn); her
    cousins Nan and Ned, Wil and Wyn's children, stand beside her, each with a child of
    their own; Vic and Al have two."""
    links = {"al": ("wg", "wh"), "wil": ("wg", "wh"), "wyn": ("vg", "vh"),
             "vp": ("vg", "vh"), "vic": ("vp", "vq"), "nan": ("wil", "wyn"),
             "ned": ("wil", "wyn"), "k1": ("al", "vic"), "k2": ("al", "vic"),
             "nk": ("nan",), "dk": ("ned",)}
    names = {p for child, ps in links.items() for p in (child, *ps)}
    people = [Person(id=p, name=p.title(), born=1900) for p in sorted(names)]
    unions = [Union(id=a + b, partners=[a, b]) for a, b in
              (("wg", "wh"), ("vg", "vh"), ("wil", "wyn"), ("vp", "vq"), ("al", "vic"))]
    return Case(id="c", title="t", fictional=True, people=people, unions=unions,
                parents=[ParentLink(child=c, parents=list(ps)) for c, ps in links.items()])


def _ordered(case: Case, rows: list[list[str]]) -> _Orderer:
    """An orderer of the largest trees' kind (positions by rank) in the given order."""
    idx = _Index(case)
    gens = assign_generations(case)
    hang = _hang_families(idx, gens)
    orderer = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, set()))
    orderer.follow(rows)
    return orderer


ORDER = [["wg", "wh", "vg", "vh"], ["al", "wil", "wyn", "vp", "vq"],
         ["nan", "ned", "vic"], ["nk", "k1", "k2", "dk"]]


def test_a_lone_parent_steps_between_her_cousins():
    """Vic stands right of Nan and Ned, her children between theirs: her children's
    lines cross Ned's child's. Nan's group cannot part without Vic's own line crossing
    Ned's, which costs less: Vic steps between Nan and Ned, her children stay."""
    case = _cousins()
    assert {p: g for p, g in assign_generations(case).items() if p in ("al", "vic")} == {
        "al": 1, "vic": 2}
    orderer = _ordered(case, ORDER)
    before = orderer.crossings()
    after, trials = move_lone_parents(orderer)
    assert after == orderer.crossings() < before and 0 < trials <= MAX_TRIALS
    rows = [[m for u in row for m in u.members] for row in orderer.rows]
    assert rows[2] == ["nan", "vic", "ned"] and rows[3] == ORDER[3]


def test_no_trials_allowed_leaves_the_order_as_it_was():
    orderer = _ordered(_cousins(), ORDER)
    before = orderer.crossings()
    assert move_lone_parents(orderer, limit=0) == (before, 0)
    assert [[m for u in row for m in u.members] for row in orderer.rows] == ORDER


def test_royal92_victoria_stands_among_her_wurttemberg_cousins():
    """royal92: Queen Victoria (Albert three rows up) between her cousin Alexander of
    Württemberg and his sisters; lines into children 136 → 116."""
    from systemic.genogram.gedcom import load_gedcom

    result = layout(load_gedcom(SAMPLES / "royal92.ged"))
    row = result.rows[result.people["victoria-hanover"].generation]
    assert row.index("alexander-of-wurttemberg") < row.index("victoria-hanover") < row.index(
        "maria")
    assert count_crossings(join_segments(result)) <= 120
