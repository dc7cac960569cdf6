"""GEDCOM family trees come in as cases: people, couples, and who is whose child and how."""

from __future__ import annotations

from pathlib import Path

import pytest

from systemic.errors import DataFileError
from systemic.genogram.gedcom import (
    decode_gedcom,
    gedcom_date,
    load_gedcom,
    parse_gedcom,
    read_gedcom,
)
from systemic.genogram.kinship import relation_to
from systemic.genogram.model import Genogram
from systemic.genogram.validate import family_issues

SAMPLES = Path("/work/shared/data/gedcom")
needs_samples = pytest.mark.skipif(not SAMPLES.exists(), reason="GEDCOM samples not present")


def write(tmp_path: Path, text: str, name: str = "family.ged") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the public sample files -----------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize(("name", "people"), [
    ("bronte", 14), ("shakespeare", 31), ("kennedy", 208), ("royal92", 3010)])
def test_the_sample_trees_load_with_everyone_in_them(name, people):
    case = load_gedcom(SAMPLES / f"{name}.ged")
    assert len(case.people) == people
    assert case.fictional is False
    assert case.title == name.capitalize()
    assert family_issues(case, dates=False) == []  # what layout relies on holds
    assert len({p.id for p in case.people}) == people


@needs_samples
def test_the_brontes_come_across_with_their_dates_couples_and_children():
    case = load_gedcom(SAMPLES / "bronte.ged")
    patrick = case.person("patrick-bronte")
    assert (patrick.name, patrick.sex, patrick.born, patrick.died) == (
        "Patrick Brontë", "male", "1777-03-17", "1861-06-07")
    assert case.person("hugh-brunty").died == "1808"  # "abt 1808"
    [parents] = [u for u in case.unions if "patrick-bronte" in u.partners
                 and "maria-branwell" in u.partners]
    assert (parents.status, parents.began) == ("married", "1812-12-29")  # "29 December 1812"
    g = Genogram.from_case(case)
    assert len(g.children_of("patrick-bronte", kinds=["birth"])) == 6
    assert relation_to(case, "patrick-bronte", focal="anne-bronte") == "Dad"
    assert relation_to(case, "elizabeth-branwell", focal="anne-bronte") == "aunt"


@needs_samples
def test_a_not_divorced_marker_is_not_a_divorce():
    case = load_gedcom(SAMPLES / "royal92.ged")
    [union] = [u for u in case.unions if set(u.partners) == {"victoria-hanover",
                                                             "albert-augustus-charles"}]
    assert union.status == "married" and union.began == "1840-02-10"


# -- adoption and fostering ---------------------------------------------------------------------

ADOPTION_551 = """0 HEAD
1 GEDC
2 VERS 5.5.1
2 FORM LINEAGE-LINKED
1 CHAR UTF-8
0 @I1@ INDI
1 NAME Mia /Smith/
1 SEX F
1 BIRT
2 DATE 12 MAR 1985
0 @I2@ INDI
1 NAME Darren /Jones/
1 SEX M
0 @I3@ INDI
1 NAME Kai /Smith/
1 SEX M
1 BIRT
2 DATE 2015
1 FAMC @F1@
2 PEDI birth
1 FAMC @F2@
2 PEDI adopted
1 FAMC @F3@
2 PEDI foster
0 @I4@ INDI
1 NAME Ann /Green/
1 SEX F
0 @I5@ INDI
1 NAME Bob /Green/
1 SEX M
0 @I6@ INDI
1 NAME Sue /Carer/
1 SEX F
0 @F1@ FAM
1 HUSB @I2@
1 WIFE @I1@
1 DIV
2 DATE 2016
1 CHIL @I3@
0 @F2@ FAM
1 HUSB @I5@
1 WIFE @I4@
1 MARR
2 DATE ABT 2000
1 CHIL @I3@
0 @F3@ FAM
1 WIFE @I6@
1 CHIL @I3@
0 TRLR
"""


def test_pedi_adopted_and_foster_are_honoured(tmp_path):
    case = load_gedcom(write(tmp_path, ADOPTION_551))
    links = {(link.kind, tuple(link.parents)) for link in case.parents}
    assert links == {("birth", ("darren-jones", "mia-smith")),
                     ("adoptive", ("bob-green", "ann-green")),
                     ("foster", ("sue-carer",))}
    assert relation_to(case, "ann-green", focal="kai-smith") == "Mum"
    assert relation_to(case, "mia-smith", focal="kai-smith") == "birth mum"
    assert relation_to(case, "sue-carer", focal="kai-smith") == "foster carer"
    statuses = {u.partners[0]: (u.status, u.began, u.ended) for u in case.unions}
    assert statuses == {"darren-jones": ("divorced", None, "2016"),
                        "bob-green": ("married", "2000", None)}


GEDCOM_7 = """0 HEAD
1 GEDC
2 VERS 7.0
0 @I1@ INDI
1 NAME Alex /Rivers/
1 SEX X
1 BIRT
2 DATE JULIAN 1 JAN 1980
0 @I2@ INDI
1 NAME Sam /Rivers/
1 SEX F
0 @I3@ INDI
1 NAME Robin /Rivers/
1 FAMC @F1@
2 PEDI ADOPTED
0 @I4@ INDI
1 NAME Jo /Lake/
1 FAMC @F1@
2 PEDI OTHER
3 PHRASE Step-daughter
0 @I5@ INDI
1 NAME Lou /Lake/
1 FAMC @F1@
2 STAT DISPROVEN
0 @F1@ FAM
1 HUSB @I1@
1 WIFE @I2@
1 NO MARR
1 CHIL @I3@
1 CHIL @I4@
1 CHIL @I5@
0 @F2@ FAM
1 HUSB @VOID@
1 WIFE @I2@
0 TRLR
"""


def test_gedcom_7_pedi_sex_x_void_pointers_and_no_marriage(tmp_path):
    case = load_gedcom(write(tmp_path, GEDCOM_7, "rivers.ged"))
    assert case.person("alex-rivers").sex == "intersex"
    assert case.person("alex-rivers").born == "1980-01-01"
    assert {(link.child, link.kind) for link in case.parents} == {
        ("robin-rivers", "adoptive"), ("jo-lake", "step")}  # Lou's link is disproven
    [union] = case.unions  # the @VOID@ family has one partner: no couple line
    assert union.status == "cohabiting"


def test_vendor_relationship_tags_under_chil_are_read(tmp_path):
    text = """0 HEAD
0 @I1@ INDI
1 NAME Mum
0 @I2@ INDI
1 NAME Child
0 @F1@ FAM
1 WIFE @I1@
1 CHIL @I2@
2 _FREL Adopted
2 _MREL Adopted
0 TRLR
"""
    assert load_gedcom(write(tmp_path, text)).parents[0].kind == "adoptive"


# -- character sets and options -------------------------------------------------------------------


def test_ansel_and_utf16_files_are_read(tmp_path):
    ansel = b"0 HEAD\n1 CHAR ANSEL\n0 @I1@ INDI\n1 NAME Ren\xe2e /M\xe8uller/\n0 TRLR\n"
    path = tmp_path / "ansel.ged"
    path.write_bytes(ansel)
    assert load_gedcom(path).people[0].name == "René Müller"
    utf16 = tmp_path / "wide.ged"
    utf16.write_bytes("0 HEAD\n1 CHAR UNICODE\n0 @I1@ INDI\n1 NAME Zoë\n0 TRLR\n"
                      .encode("utf-16"))
    assert load_gedcom(utf16).people[0].name == "Zoë"
    assert decode_gedcom(b"0 HEAD\n1 CHAR ANSI\n1 NAME Andr\xe9").endswith("André")


def test_fictional_and_title_can_be_given(tmp_path):
    case = load_gedcom(write(tmp_path, ADOPTION_551, "green_family.ged"))
    assert (case.id, case.title, case.fictional) == ("green-family", "Green family", False)
    case = load_gedcom(write(tmp_path, ADOPTION_551), fictional=True, title="Training tree")
    assert (case.title, case.fictional) == ("Training tree", True)


@pytest.mark.parametrize(("text", "expected"), [
    ("12 MAR 1850", "1850-03-12"), ("ABT 1840", "1840"), ("BEF 1900", "1900"),
    ("AFT 9 MAY 1790", "1790"), ("FROM 1 JAN 1900 TO 3 NOV 1901", "1900"),
    ("EST 1620", "1620"), ("       1840", "1840"), ("31 FEB 1850", "1850-02"),
    ("INT 1850 (about the time of the census)", "1850"), ("", None), ("unknown", None),
    ("44 B.C.", None), ("@#DHEBREW@ 1 TSH 5780", None),
])
def test_dates_are_read_best_effort(text, expected):
    assert gedcom_date(text) == expected


# -- malformed files: one clear line naming the file and the line ---------------------------------


def one_line(error: DataFileError) -> str:
    [problem] = error.problems
    assert "\n" not in str(problem)
    return str(problem)


def test_a_file_that_is_not_gedcom(tmp_path):
    path = write(tmp_path, "id: kai\ntitle: Kai\n", "kai.ged")
    with pytest.raises(DataFileError) as caught:
        load_gedcom(path)
    assert one_line(caught.value).startswith(f"{path}: line 1: this is not a GEDCOM file")


def mended(path: Path) -> tuple:
    imported = read_gedcom(path)
    return imported.case, [str(note) for note in imported.notes]


def test_bad_level_numbers_are_skipped_with_their_sub_lines(tmp_path):
    path = write(tmp_path, "0 HEAD\n0 @I1@ INDI\n2 NAME Mia\n3 GIVN Mia\n1 SEX F\n"
                 "x @I1@ INDI\n0 @I2@ INDI\n1 NAME Kai\n0 TRLR\n")
    case, notes = mended(path)
    assert [(p.name, p.sex) for p in case.people] == [("Name not known", "female"),
                                                      ("Kai", "unknown")]
    assert notes == [
        f"{path}: 1 line that could not be read skipped (line 6)",
        f"{path}: 1 line more than one level below the line above skipped (line 3)"]


def test_a_five_thousand_digit_level_number_is_one_clear_line(tmp_path):
    path = write(tmp_path, "0 HEAD\n" + "9" * 5000 + " NAME Mia\n0 @I1@ INDI\n1 NAME Kai\n")
    case, notes = mended(path)
    assert [p.name for p in case.people] == ["Kai"]
    assert notes == [f"{path}: 1 line that could not be read skipped (line 2)",
                     f"{path}: 1 over-long line cut short (line 2)"]
    path = write(tmp_path, "9" * 5000 + " HEAD\n")
    with pytest.raises(DataFileError) as caught:
        load_gedcom(path)
    assert one_line(caught.value).startswith(f"{path}: line 1: this is not a GEDCOM file")


def test_pointers_to_missing_or_wrong_records_are_ignored_and_counted(tmp_path):
    path = write(tmp_path, "0 HEAD\n0 @I1@ INDI\n1 NAME Kai\n1 FAMC @F9@\n1 FAMS @F8@\n"
                 "0 @I2@ INDI\n1 NAME Mia\n1 FAMS F1\n0 @F1@ FAM\n1 WIFE @I2@\n"
                 "1 CHIL @F1@\n1 CHIL @I1@\n1 HUSB @I7@\n0 TRLR\n")
    case, notes = mended(path)
    assert [link.parents for link in case.parents] == [["mia"]]
    assert notes == [
        f"{path}: 2 links to missing families ignored (the first: @F9@, line 4)",
        f"{path}: 1 link to a missing person ignored (@I7@, line 13)",
        f"{path}: 1 link to the wrong kind of record ignored (@F1@, line 11)",
        f"{path}: 1 link that is not an @id@ ignored (line 8)"]


def test_empty_missing_and_duplicate_records(tmp_path):
    for text in ("\n\n", "0 HEAD\n", "0 HEAD\n1 CHAR UTF-8\n0 TRLR\n"):
        with pytest.raises(DataFileError) as caught:
            load_gedcom(write(tmp_path, text))
        assert "empty" in one_line(caught.value) or "no people" in one_line(caught.value)
    with pytest.raises(DataFileError, match="file not found"):
        load_gedcom(tmp_path / "nowhere.ged")
    path = write(tmp_path, "0 HEAD\n0 @I1@ INDI\n1 NAME Amy\n0 @I1@ INDI\n1 NAME Amy\n"
                 "0 @I2@ INDI\n1 NAME Ben\n0 TRLR\n")
    case, notes = mended(path)
    assert [p.name for p in case.people] == ["Amy", "Ben"]
    assert notes == [f"{path}: 1 record skipped: its id was already used by another "
                     "(@I1@, line 4)"]


def test_a_cycle_of_ancestors_is_broken_and_told_in_one_short_line(tmp_path):
    text = """0 HEAD
0 @I1@ INDI
1 NAME Amy
0 @I2@ INDI
1 NAME Ben
0 @I3@ INDI
1 NAME Cat
0 @F1@ FAM
1 WIFE @I1@
1 CHIL @I2@
0 @F2@ FAM
1 HUSB @I2@
1 CHIL @I1@
0 TRLR
"""
    path = write(tmp_path, text)
    case, [note] = mended(path)
    assert len(case.people) == 3 and len(case.parents) == 1
    assert note == (f"{path}: 1 parent link ignored: it made people their own ancestors "
                    "(the first cycle: 2 people, Amy → Ben → Amy)")


def test_a_500_generation_cycle_is_told_by_its_first_people_under_200_characters(tmp_path):
    lines = ["0 HEAD"]
    for i in range(500):
        lines += [f"0 @I{i}@ INDI", f"1 NAME Person{i} /Long/"]
    for i in range(500):
        lines += [f"0 @F{i}@ FAM", f"1 HUSB @I{i}@", f"1 CHIL @I{(i + 1) % 500}@"]
    path = write(tmp_path, "\n".join(lines), "loop.ged")
    case, [note] = mended(path)
    assert len(case.people) == 500 and len(case.parents) == 499
    assert family_issues(case, dates=False) == []
    assert note.endswith("(the first cycle: 500 people, Person0 Long → Person1 Long → "
                         "Person2 Long → …)")
    assert len(note) - len(str(path)) < 150, note  # under 200 with any sensible path


def test_a_person_in_two_birth_families_keeps_the_first(tmp_path):
    text = """0 HEAD
0 @I1@ INDI
1 NAME Kai
1 FAMC @F1@
1 FAMC @F2@
0 @I2@ INDI
1 NAME Mia
0 @I3@ INDI
1 NAME Lee
0 @F1@ FAM
1 WIFE @I2@
0 @F2@ FAM
1 HUSB @I3@
0 TRLR
"""
    path = write(tmp_path, text)
    case, notes = mended(path)
    assert [(link.child, link.parents) for link in case.parents] == [("kai", ["mia"])]
    assert notes == [f"{path}: 1 second birth family ignored (Kai, line 5) — mark it PEDI "
                     "adopted or foster if it is one"]


def test_a_binary_file(tmp_path):
    path = tmp_path / "photo.ged"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DataFileError) as caught:
        load_gedcom(path)
    assert one_line(caught.value) == (f"{path}: this looks like a binary file, not GEDCOM text "
                                      "— export the family tree as a .ged file")


def test_parse_gedcom_takes_text_directly():
    case = parse_gedcom("0 HEAD\n0 @I1@ INDI\n1 NAME Kai /Smith/\n0 TRLR", "inline.ged")
    assert case.people[0].name == "Kai Smith"


# -- the command line, and one rule for years -------------------------------------------------

CORPUS = Path(__file__).resolve().parent / "data" / "gedcom"


def test_validate_and_genogram_print_one_line_per_kind_of_mend(tmp_path, capsys):
    from systemic.cli import main

    path = CORPUS / "torture" / "myheritage-missing-pointers.ged"
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{path}: ok (GEDCOM family tree, 3 people)\n"
    assert err.splitlines() == [
        f"{path}: 2 links to missing families ignored (the first: @F99@, line 27)",
        f"{path}: 1 link to a missing person ignored (@I166@, line 44)"]
    assert main(["genogram", str(path), "--svg", str(tmp_path / "tree.svg")]) == 0
    out, err = capsys.readouterr()
    assert "genogram of 3 people" in out and len(err.splitlines()) == 2
    assert "Sinéad O&#x27;Brien" in (tmp_path / "tree.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [999, 1000, 1984, 2200, 2201, 9999])
def test_gedcom_and_case_files_follow_one_rule_for_years(year, tmp_path):
    from pydantic import ValidationError

    from systemic.cases import Person
    from systemic.plausible import plausible_year

    try:
        Person(id="a", name="A", born=f"{year:04d}")
        yaml_accepts = True
    except ValidationError:
        yaml_accepts = False
    path = write(tmp_path, f"0 HEAD\n0 @I1@ INDI\n1 NAME A\n1 BIRT\n2 DATE {year}\n0 TRLR\n")
    imported = read_gedcom(path)
    gedcom_accepts = imported.case.people[0].born is not None
    assert yaml_accepts == gedcom_accepts == plausible_year(year)
    if not gedcom_accepts:
        assert [str(n) for n in imported.notes] == [
            f"{path}: 1 date with an unlikely year left out ({year}, line 5)"]


def test_the_whole_ansel_character_set_comes_out_right():
    """Every spacing character, and every combining mark over a letter, through an
    encoder written apart from the decoder (tests/data/gedcom/generate.py)."""
    import runpy
    import unicodedata

    from systemic.genogram.gedcom.charsets import ansel_to_text

    script = runpy.run_path(str(CORPUS / "generate.py"))
    encode, spacing, marks = script["ansel"], script["_SPACING"], script["_MARKS"]
    texts = list(spacing) + [unicodedata.normalize("NFC", "a" + mark) for mark in marks]
    texts += ["Nguyễn Thị Phương", "Trần Văn Đức", "ờ ữ ợ Ứ", "Dvořák", "Wałęsa", "Erdős"]
    assert len(spacing) == 35 and len(marks) == 25
    for text in texts:
        assert ansel_to_text(encode(text)) == text, text
    assert ansel_to_text(b"\xe2") == " \u0301"  # a mark with no letter is kept, spaced


@pytest.mark.parametrize("char", ["base64", "rot13", "idna", "zlib", "UTF-32", "x\x00y", "",
                                  "UNICODE", "IBMPC\n2 VERS 999999"])
def test_an_odd_character_set_in_the_header_never_stops_the_import(char, tmp_path):
    path = tmp_path / "odd.ged"
    path.write_bytes(f"0 HEAD\n1 CHAR {char}\n0 @I1@ INDI\n1 NAME J".encode("latin-1")
                     + b"\x81rgen /M\x81ller/\n0 TRLR\n")
    if "\x00" in char:  # a zero byte: binary, refused in one line
        with pytest.raises(DataFileError) as caught:
            read_gedcom(path)
        assert "binary" in one_line(caught.value)
        return
    imported = read_gedcom(path)
    assert imported.case.people[0].name == "Jürgen Müller"  # DOS bytes, read as DOS
    assert len(imported.notes) <= 1
