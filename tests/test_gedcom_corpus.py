"""Every file of the GEDCOM corpus (tests/data/gedcom) imports as its manifest says.

Each file comes across with the manifest's number of people, couples and parent links,
its names spelt exactly (whatever the character set), the one line per kind of problem
mended — or is refused in one line. The people are also counted without the importer,
from the file's own ``0 @Ix@ INDI`` lines, so a wrong manifest cannot pass unnoticed.
"""

from __future__ import annotations

import gzip
import re
import runpy
from pathlib import Path

import pytest
import yaml

from systemic.errors import DataFileError
from systemic.genogram.draw import draw_svg
from systemic.genogram.gedcom import read_gedcom
from systemic.genogram.gedcom.tree import UNNAMED_PARENT
from systemic.genogram.model import Genogram
from systemic.genogram.validate import family_issues

CORPUS = Path(__file__).resolve().parent / "data" / "gedcom"
SHARED = Path("/work/shared/data/gedcom")
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
FILES = MANIFEST["files"]
IMPORTED = sorted(name for name, want in FILES.items() if "refused" not in want)
REFUSED = sorted(name for name, want in FILES.items() if "refused" in want)


def unpacked(name: str, tmp_path: Path) -> Path:
    """The corpus file, unpacked into ``tmp_path`` first if it is gzipped."""
    if not name.endswith(".gz"):
        return CORPUS / name
    path = tmp_path / Path(name).stem
    path.write_bytes(gzip.decompress((CORPUS / name).read_bytes()))
    return path


def test_every_file_of_the_corpus_is_in_the_manifest_and_there_are_enough():
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*.ged*")}
    assert on_disk == set(FILES)
    assert len(on_disk) >= 50
    folders = {name.split("/")[0] for name in on_disk}
    assert folders == {"encodings", "torture", "gedcom7", "vendors"}


def _records_in_file(path: Path) -> int:
    """Distinct ``0 @x@ INDI`` records, counted from the bytes, not by the importer."""
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:8]:
        raw = raw.replace(b"\x00", b"")
    raw = raw.replace(b"\r", b"\n")
    return len(set(re.findall(rb"(?m)^\s*0\s+(@[^@]+@)\s+INDI\b", raw)))


@pytest.mark.parametrize("name", IMPORTED)
def test_each_file_imports_as_its_manifest_says(name, tmp_path):
    want = FILES[name]
    path = unpacked(name, tmp_path)
    imported = read_gedcom(path)
    case = imported.case
    assert (len(case.people), len(case.unions), len(case.parents)) == (
        want["people"], want["couples"], want["parent_links"])
    unnamed = sum(p.name == UNNAMED_PARENT for p in case.people)
    assert len(case.people) == _records_in_file(path) + unnamed
    names = {p.name for p in case.people}
    assert set(want["names"]) <= names, set(want["names"]) - names
    assert not any("\ufffd" in n for n in names)
    notes = [note.message for note in imported.notes]
    assert len(notes) == len(want["notes"]), notes
    for note, start in zip(notes, want["notes"], strict=True):
        assert note.startswith(start), (note, start)
    for note in imported.notes:
        line = str(note)
        assert "\n" not in line and line.startswith(f"{path}: ")
        assert len(note.message) < 160, line
    assert sum(p.deceased and p.died is None for p in case.people) == want.get(
        "died_date_unknown", 0)
    assert family_issues(case, dates=False) == []  # what the layout relies on holds


@pytest.mark.parametrize("name", sorted(n for n in IMPORTED if "couple_sexes" in FILES[n]))
def test_same_sex_couples_keep_both_partners_however_written(name):
    case = read_gedcom(CORPUS / name).case
    [union] = case.unions
    assert [case.person(pid).sex for pid in union.partners] == FILES[name]["couple_sexes"]


@pytest.mark.parametrize("name", sorted(n for n in IMPORTED if "couple_spells" in FILES[n]))
def test_a_couple_who_divorced_and_remarried_is_two_unions(name):
    case = read_gedcom(CORPUS / name).case
    assert [[u.status, u.began, u.ended] for u in case.unions] == FILES[name]["couple_spells"]
    first = case.unions[0].partners
    again = [u for u in case.unions if set(u.partners) == set(first)]
    assert len(again) == 2 and [u.status for u in again] == ["divorced", again[1].status]


def test_children_of_a_family_with_no_parents_are_kept_as_siblings():
    name = "torture/children-without-parents.ged"
    case = read_gedcom(CORPUS / name).case
    g = Genogram.from_case(case)
    ids = {p.name: p.id for p in case.people}
    ada, *others = FILES[name]["siblings"]
    assert sorted(g.siblings_of(ids[ada], kind="full")) == sorted(ids[o] for o in others)
    [parent] = g.parents_of(ids[ada])
    assert case.person(parent).name == UNNAMED_PARENT
    assert g.parents_of(ids["Dee Solo"]) == []  # an only child needs no unnamed parent


@pytest.mark.parametrize("name", REFUSED)
def test_files_with_nothing_to_import_are_refused_in_one_line(name):
    path = CORPUS / name
    with pytest.raises(DataFileError) as caught:
        read_gedcom(path)
    [problem] = caught.value.problems
    line = str(problem)
    assert "\n" not in line and line.startswith(f"{path}: ")
    assert problem.message.startswith(FILES[name]["refused"])


@pytest.mark.parametrize("name", sorted(n for n in IMPORTED if FILES[n]["people"] <= 120))
def test_each_imported_tree_draws(name):
    case = read_gedcom(CORPUS / name).case
    svg = draw_svg(case, as_of=2026)
    assert svg.count('class="person"') == len(case.people)


@pytest.mark.parametrize("name", sorted(MANIFEST["shared"]))
@pytest.mark.skipif(not SHARED.exists(), reason="the shared GEDCOM samples are not present")
def test_the_shared_sample_files(name):
    want = MANIFEST["shared"][name]
    imported = read_gedcom(SHARED / name)
    case = imported.case
    assert len(case.people) == want["people"] == _records_in_file(SHARED / name)
    assert sum(p.deceased and p.died is None for p in case.people) == want.get(
        "died_date_unknown", 0)


def test_the_generated_files_are_what_generate_py_writes():
    script = runpy.run_path(str(CORPUS / "generate.py"))
    for name, data in script["samples"]().items():
        assert (CORPUS / "encodings" / name).read_bytes() == data, name
    for name, data in script["torture"]().items():
        assert (CORPUS / name).read_bytes() == data, name
