"""The largest trees' pass that moves each partner standing apart to the end of their
sibling group facing their partner, the rows below following
(:func:`systemic.genogram.layout.apart.face_partners`)."""

from __future__ import annotations

from pathlib import Path

from systemic.cases import Case, ParentLink, Person, Union
from systemic.genogram.layout import assign_generations, count_crossings, layout
from systemic.genogram.layout.apart import FACE_TRIALS, face_partners
from systemic.genogram.layout.base import _hang_families, _Index
from systemic.genogram.layout.checks import join_segments
from systemic.genogram.layout.crossed_groups import follow_below
from systemic.genogram.layout.sweeps import _Orderer
from systemic.genogram.layout.units import _build_units

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "data" / "gedcom"
if not SAMPLES.exists():  # a worktree sits one level deeper than the main checkout
    SAMPLES = Path("/work/shared/data/gedcom")

#: The two couples free to stand apart (as cousins who married would be).
APART = {"nick-helen", "cyril-vic"}


def _overlapping_couples() -> Case:
    """Cyril and Helen, brother and sister; Helen married Nick (whose parents stand on
    the left), Cyril married Vic (whose parents stand on the right); each couple has
    two children."""
    people = [Person(id=p, name=p.title(), born=1900)
              for p in ("na", "nb", "ca", "cb", "va", "vb")]
    people += [Person(id=p, name=p.title(), born=1930 + i)
               for i, p in enumerate(("nick", "cyril", "helen", "vic"))]
    people += [Person(id=p, name=p.title(), born=1960)
               for p in ("nh1", "nh2", "cv1", "cv2")]
    unions = [Union(id=f"{a}-{b}", partners=[a, b]) for a, b in (
        ("na", "nb"), ("ca", "cb"), ("va", "vb"), ("nick", "helen"), ("cyril", "vic"))]
    links = [ParentLink(child=c, parents=list(ps)) for c, ps in (
        ("nick", ("na", "nb")), ("cyril", ("ca", "cb")), ("helen", ("ca", "cb")),
        ("vic", ("va", "vb")), ("nh1", ("nick", "helen")), ("nh2", ("nick", "helen")),
        ("cv1", ("cyril", "vic")), ("cv2", ("cyril", "vic")))]
    return Case(id="c", title="t", fictional=True, people=people, unions=unions,
                parents=links)


def _ordered(case: Case, rows: list[list[str]]) -> _Orderer:
    """An orderer of the largest trees' kind (positions by rank) in the given order,
    the couples in :data:`APART` each partner a unit of their own."""
    idx = _Index(case)
    gens = assign_generations(case)
    hang = _hang_families(idx, gens)
    orderer = _Orderer(idx, gens, hang, _build_units(idx, gens, hang, APART), kin=APART)
    orderer.follow(rows)
    return orderer


def _people_rows(orderer: _Orderer) -> list[list[str]]:
    return [[m for u in row for m in u.members] for row in orderer.rows]


ORDER = [["na", "nb", "ca", "cb", "va", "vb"], ["nick", "cyril", "helen", "vic"],
         ["cv1", "cv2", "nh1", "nh2"]]


def test_partners_apart_turn_to_face_each_other_and_their_children_follow():
    """Cyril stands left of Helen while her husband is on the left and his wife on the
    right: the two couple lines overlap, and each runs past the other's join point.
    Helen moves to face Nick, and the couples' children change places below them:
    nothing crosses."""
    orderer = _ordered(_overlapping_couples(), ORDER)
    assert orderer.crossings() == 3 and orderer.apart() == 3  # couple lines only
    after, trials = face_partners(orderer)
    assert after == orderer.crossings() == 0 and 0 < trials <= FACE_TRIALS
    rows = _people_rows(orderer)
    assert rows[1] == ["nick", "helen", "cyril", "vic"]
    assert rows[2] == ["nh1", "nh2", "cv1", "cv2"]


def test_the_children_must_follow_for_the_move_to_pay():
    """Helen moved alone, her children staying right of Cyril's, their lines cross (4);
    following, the two sibling groups change places and nothing crosses."""
    orderer = _ordered(_overlapping_couples(),
                       [ORDER[0], ["nick", "helen", "cyril", "vic"], ORDER[2]])
    assert orderer.crossings() == 4
    assert follow_below(orderer, 2, {"helen", "cyril"}) == {"cv1", "cv2", "nh1", "nh2"}
    assert orderer.crossings() == 0
    assert follow_below(orderer, 2, {"helen", "cyril"}) == set()  # nothing left to move


def test_no_trials_allowed_or_birth_order_kept_leaves_the_order_as_it_was():
    orderer = _ordered(_overlapping_couples(), ORDER)
    assert face_partners(orderer, limit=0) == (3, 0)
    assert _people_rows(orderer) == ORDER
    orderer.strict_birth_order = True
    assert face_partners(orderer) == (3, 0)
    assert _people_rows(orderer) == ORDER


def test_royal92_cyril_and_helen_face_their_partners():
    """royal92: Helen Vladimirovna now stands left of her brother Cyril, on the side of
    her husband Nicholas of Greece, Cyril on the side of Victoria Melita: their
    children's lines no longer cross (lines into children 181 → 163 when it came; 70 now
    that couples with long lines stand apart first)."""
    from systemic.genogram.gedcom import load_gedcom

    result = layout(load_gedcom(SAMPLES / "royal92.ged"))
    row = result.rows[result.people["cyril-vladimirovitch-romanov"].generation]
    assert row.index("helen-vladimirovna-of-russia-romanov") < row.index(
        "cyril-vladimirovitch-romanov")
    assert count_crossings(join_segments(result)) <= 150
