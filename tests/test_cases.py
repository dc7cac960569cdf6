"""Case files: the training cases are whole and believable, and a case file with a mistake
gets one clear line per problem, naming the file, the field and the fix, never a traceback."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from systemic.cases import (
    Case,
    ChronologyEvent,
    EcomapConnection,
    Household,
    ParentLink,
    Person,
    Relationship,
    Twins,
    Union,
    case_json_schema,
    load_case,
    parse_case,
)
from systemic.datafile import MAX_FILE_BYTES
from systemic.errors import DataFileError

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "case_templates"
MALFORMED = Path(__file__).resolve().parent / "data" / "malformed"
TRAINING = ("blended_family", "kinship_care", "contextual_safeguarding")

#: The fifteen graces of the commonly cited list (DOMAIN.md §1.2) and the extras teams use.
GRACES = {
    "gender", "geography", "race", "religion", "age", "ability", "appearance", "class",
    "culture", "ethnicity", "education", "employment", "sexuality",
    "spirituality",
}
EXTRA_GRACES = {"generation", "language", "accent", "caste", "economics"}

#: Every message line must tell the person what to do: after a dash, or by saying what the
#: value should be, or by listing the values it may take.
FIX_HINT = re.compile(r" — \S|should be |is not one of ")


# ----------------------------------------------------------------------------- helpers


@cache
def case(name: str) -> Case:
    return load_case(CASES / f"{name}.yaml")


def birth_parents(c: Case, child: str) -> set[str]:
    return {p for link in c.parents if link.child == child and link.kind == "birth"
            for p in link.parents}


def ancestors(c: Case, person: str, generations: int) -> set[str]:
    """The birth ancestors exactly ``generations`` up: 1 = parents, 2 = grandparents."""
    level = {person}
    for _ in range(generations):
        level = {p for child in level for p in birth_parents(c, child)}
    return level


def half_siblings(c: Case, person: str) -> set[str]:
    mine = birth_parents(c, person)
    return {
        other.id for other in c.people
        if other.id != person and len(birth_parents(c, other.id) & mine) == 1
    }


def ecomap_text(e: EcomapConnection) -> str:
    return f"{e.name} {e.notes or ''}".lower()


def strings_in(data: Any) -> list[str]:
    """Every text value in parsed YAML (not the keys, which are field names)."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings_in(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings_in(v)]
    return []


class _DatesAsText(yaml.SafeLoader):
    """Reads dates as the text written, as an editor checking against schema.json does."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def raw(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)


def readme_yaml_blocks() -> list[str]:
    text = (CASES / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M)


# ------------------------------------------------------------- every file in the folder


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_case_file_loads_and_its_id_is_its_file_name(path: Path) -> None:
    loaded = load_case(path)
    assert loaded.id == path.stem


def test_the_folder_holds_the_blank_and_the_three_training_cases() -> None:
    names = {p.stem for p in CASES.glob("*.yaml")}
    assert {"blank", *TRAINING} <= names


@pytest.mark.parametrize("path", sorted(CASES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_case_file_passes_schema_json_as_an_editor_would_check_it(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((CASES / "schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(raw(path), schema)


def test_schema_json_is_written_from_the_current_case_model() -> None:
    on_disk = json.loads((CASES / "schema.json").read_text(encoding="utf-8"))
    assert on_disk == case_json_schema(), (
        "case_templates/schema.json is out of date: write it again as its README says"
    )


# ------------------------------------------------------------------------- the blank


def test_blank_is_a_valid_empty_starting_point_for_a_real_family() -> None:
    blank = load_case(CASES / "blank.yaml")
    assert blank.fictional is False, "a copy for a real family must start in privacy mode"
    assert blank.people == [] and blank.chronology == [] and blank.focal_child is None


def test_blank_shows_every_section_of_a_case() -> None:
    keys = set(raw(CASES / "blank.yaml"))
    fields = {f.alias or name for name, f in Case.model_fields.items()}
    assert keys == fields


@pytest.mark.parametrize(
    "section",
    ["people", "unions", "parents", "twins", "relationships", "households", "ecomap",
     "chronology", "tags"],
)
def test_blank_has_a_commented_example_under_each_list(section: str) -> None:
    text = (CASES / "blank.yaml").read_text(encoding="utf-8")
    assert re.search(rf"^{section}: \[\]\n#  - ", text, flags=re.M)


def test_blank_examples_validate_once_uncommented() -> None:
    text = (CASES / "blank.yaml").read_text(encoding="utf-8")
    uncommented = re.sub(r"^#(  [- ])", r"\1", text, flags=re.M)
    uncommented = re.sub(r": \[\]$", ":", uncommented, flags=re.M)
    data = yaml.safe_load(uncommented)
    # The examples name people (mum, dad, ben) the blank does not list; add them.
    data["people"] += [{"id": i, "name": i.title()} for i in ("mum", "dad", "ben")]
    data["focal_child"] = "amy"
    filled = parse_case(data, "blank.yaml, uncommented")
    assert filled.person("amy").graces["age"] == "11"
    assert filled.parents[0].kind == "birth" and filled.households[0].members == ["mum", "amy"]


# --------------------------------------------------------------------- training cases


@pytest.mark.parametrize("name", TRAINING)
def test_training_case_is_fictional_and_says_so_on_its_first_line(name: str) -> None:
    first_line = (CASES / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("#") and "fictional" in first_line.lower()
    assert case(name).fictional is True


@pytest.mark.parametrize("name", TRAINING)
def test_training_case_has_every_piece_a_session_needs(name: str) -> None:
    c = case(name)
    assert 12 <= len(c.people) <= 30
    assert len(c.unions) >= 3 and all(u.began is not None for u in c.unions)
    assert len({link.kind for link in c.parents}) >= 2, "birth and at least one other kind"
    assert len(c.relationships) >= 8 and len({r.kind for r in c.relationships}) >= 5
    assert len(c.households) >= 2
    assert len(c.ecomap) >= 6
    assert len(c.referral) >= 300 and c.question.rstrip().endswith("?")
    assert 6 <= len(c.chronology) <= 12
    assert len(c.tags) >= 3
    assert c.worker and re.fullmatch(r"[A-Z][a-z]+", c.worker), "the worker's first name"
    focal = c.person(c.focal_child)
    assert focal.kind == "person" and focal.index, "the focal child is the index person"
    assert focal.born is not None and 2008 <= focal.born.year <= 2024


@pytest.mark.parametrize("name", TRAINING)
def test_training_case_has_a_death_and_a_pregnancy(name: str) -> None:
    c = case(name)
    assert any(p.died is not None for p in c.people)
    pregnancies = [p for p in c.people
                   if p.kind in ("pregnancy", "miscarriage", "stillbirth", "termination")]
    assert pregnancies and all(birth_parents(c, p.id) for p in pregnancies)


@pytest.mark.parametrize("name", TRAINING)
def test_graces_are_what_people_shared_under_known_grace_ids(name: str) -> None:
    c = case(name)
    used = {g for p in c.people for g in p.graces}
    assert used <= GRACES | EXTRA_GRACES, used - GRACES - EXTRA_GRACES
    assert len(used & GRACES) >= 12, "the case exercises most of the graces"
    focal = c.person(c.focal_child)
    assert len(focal.graces) >= 5
    for parent in birth_parents(c, focal.id):
        assert len(c.person(parent).graces) >= 3, parent


def test_graces_in_the_training_cases_are_in_the_graces_vocabulary() -> None:
    vocabularies = pytest.importorskip("systemic.vocabularies")
    known = {g.id for g in vocabularies.load_graces().graces}
    used = {g for name in TRAINING for p in case(name).people for g in p.graces}
    assert used <= known, f"not in frameworks/vocabularies/graces.yaml: {used - known}"


@pytest.mark.parametrize("name", TRAINING)
def test_birth_years_make_sense(name: str) -> None:
    c = case(name)
    by_id = c.people_by_id
    for p in c.people:
        if p.born and p.died:
            assert p.born.sort_key() <= p.died.sort_key(), p.id
    for link in c.parents:
        child = by_id[link.child]
        if link.kind != "birth" or child.born is None:
            continue
        for parent in (by_id[i] for i in link.parents):
            assert parent.born is not None, f"{parent.id} needs a birth year"
            assert child.born.year - parent.born.year >= 15, (parent.id, child.id)
            if parent.died is not None:
                # A father may die before his child is born; a mother cannot.
                allowed = 1 if parent.sex == "male" else 0
                assert child.born.year <= parent.died.year + allowed, (parent.id, child.id)
    for u in c.unions:
        if u.began and u.ended:
            assert u.began.sort_key() <= u.ended.sort_key(), u.id
    for link in c.parents:
        if link.since and link.until:
            assert link.since.sort_key() <= link.until.sort_key()
    dates = [ev.date.sort_key() for ev in c.chronology]
    assert dates == sorted(dates), "the chronology reads in date order"


@pytest.mark.parametrize("name", TRAINING)
def test_training_case_is_written_in_plain_words(name: str) -> None:
    texts = strings_in(raw(CASES / f"{name}.yaml"))
    acronyms = {a for t in texts for a in re.findall(r"\b[A-Z]{2,}\b", t)}
    assert not acronyms, f"spell these out: {sorted(acronyms)}"
    jargon = ("county lines", "disguised compliance", "non-compliant", "service user",
              "perpetrator", "placement breakdown", "looked after child")
    found = [j for j in jargon for t in texts if j in t.lower()]
    assert not found, found


def test_blended_family_has_two_homes_half_siblings_and_a_new_baby() -> None:
    c = case("blended_family")
    maya = c.focal_child
    ended = [u for u in c.unions if u.status in ("separated", "divorced")]
    assert len(c.unions) >= 2 and len(ended) >= 2
    mum_and_dad = birth_parents(c, maya)
    assert len(mum_and_dad) == 2
    for parent in mum_and_dad:
        assert sum(parent in u.partners for u in c.unions) >= 2, f"{parent} has a new partner"
    halves = half_siblings(c, maya)
    assert halves and all(len(birth_parents(c, h)) == 2 for h in halves)
    assert any(link.kind == "step" and link.child == maya for link in c.parents)
    assert any(p.kind == "pregnancy" and birth_parents(c, p.id) & mum_and_dad
               for p in c.people)
    grandparents = ancestors(c, maya, 2)
    assert any(c.person(g).died for g in grandparents), "a grandparent who died"
    kinds = {r.kind for r in c.relationships}
    assert kinds & {"conflict", "hostile"} and kinds & {"close", "very_close"}
    homes = [h for h in c.households if maya in h.members]
    assert len(homes) == 2 and all(h.notes for h in homes), "she moves between two homes"
    assert any("school" in ecomap_text(e) for e in c.ecomap)
    assert any("family doctor" in ecomap_text(e) for e in c.ecomap)


def test_kinship_care_has_special_guardians_twins_and_a_parent_in_prison() -> None:
    c = case("kinship_care")
    jada = c.focal_child
    grandparents = ancestors(c, jada, 2)
    guardians = [link for link in c.parents
                 if link.child == jada and link.kind == "special_guardianship"]
    assert guardians and set(guardians[0].parents) <= grandparents
    assert any(jada in t.people and len(t.people) == 2 for t in c.twins)
    twin = next(i for t in c.twins if jada in t.people for i in t.people if i != jada)
    assert birth_parents(c, twin) == birth_parents(c, jada)
    assert c.person(twin).born == c.person(jada).born
    prison = [e for e in c.ecomap if "prison" in e.name.lower()]
    assert prison and prison[0].connected_to in birth_parents(c, jada)
    assert any(p.kind == "miscarriage" and birth_parents(c, p.id) & birth_parents(c, jada)
               for p in c.people)
    assert any(c.person(g).died for g in ancestors(c, jada, 3)), "a great-grandparent died"
    uncles = {p for gp in grandparents for p in
              {x.id for x in c.people if gp in birth_parents(c, x.id)}} - birth_parents(c, jada)
    assert any(r.kind == "cut_off" and {r.from_, r.to} & uncles for r in c.relationships)
    fostered = [link for link in c.parents if link.child == jada and link.kind == "foster"]
    assert fostered and fostered[0].until is not None, "the foster home is in the past"
    assert any("foster" in ev.event.lower() for ev in c.chronology)
    assert any(link.kind == "kinship" for link in c.parents)


def test_contextual_safeguarding_has_a_rich_ecomap_around_a_small_family() -> None:
    c = case("contextual_safeguarding")
    elijah = c.focal_child
    assert len(c.ecomap) >= 8
    assert any(e.stressful for e in c.ecomap)
    assert {"strong", "tenuous"} <= {e.strength for e in c.ecomap}
    assert {"to_family", "from_family", "both"} <= {e.flow for e in c.ecomap}
    texts = [ecomap_text(e) for e in c.ecomap]
    for wanted in ("school|academy", "youth (club|centre)", "youth worker", "police", "coach",
                   "church|mosque|temple|gurdwara|synagogue", "family", "group chat|online",
                   "older"):
        assert any(re.search(wanted, t) for t in texts), wanted
    assert len(c.people) <= 15, "a smaller family than the other training cases"
    assert 13 <= 2026 - c.person(elijah).born.year <= 17, "a teenager"
    parents = birth_parents(c, elijah)
    mother = next(p for p in parents if c.person(p).sex == "female")
    father = next(p for p in parents if c.person(p).sex == "male")
    home = next(h for h in c.households if elijah in h.members)
    assert mother in home.members and father not in home.members
    step = [link for link in c.parents if link.child == elijah and link.kind == "step"]
    assert step and c.person(step[0].parents[0]).sex == "male"
    younger = [h for h in half_siblings(c, elijah) if h in home.members
               and c.person(h).born.sort_key() > c.person(elijah).born.sort_key()]
    assert younger, "a younger half-sibling at home"
    assert "geography" in c.person(father).graces, "where the father lives abroad"


# --------------------------------------------------------------------------- README


def test_readme_has_one_complete_example_and_it_validates() -> None:
    blocks = readme_yaml_blocks()
    assert len(blocks) == 1
    example = parse_case(yaml.safe_load(blocks[0]), "case_templates/README.md")
    assert example.fictional and example.people and example.ecomap and example.chronology


@pytest.mark.parametrize(
    "model",
    [Case, Person, Union, ParentLink, Twins, Relationship, Household, EcomapConnection,
     ChronologyEvent],
    ids=lambda m: m.__name__,
)
def test_readme_documents_every_field(model: type) -> None:
    text = (CASES / "README.md").read_text(encoding="utf-8")
    for name, field in model.model_fields.items():
        assert f"`{field.alias or name}`" in text, f"{model.__name__}.{name} is not documented"


# ---------------------------------------------------------------- malformed case files


def problems_of(path: Path) -> DataFileError:
    """Load ``path`` expecting a DataFileError; anything else escaping fails the test."""
    try:
        load_case(path)
    except DataFileError as e:
        return e
    except Exception as e:
        pytest.fail(f"{type(e).__name__} escaped instead of a DataFileError: {e}")
    pytest.fail(f"{path.name} loaded, but it has a mistake in it")


def assert_clear(err: DataFileError, path: Path, field: str, fragment: str) -> None:
    text = str(err)
    lines = text.splitlines()
    assert lines and len(lines) == len(err.problems), text
    for line in lines:
        assert line.startswith(f"{path}: "), f"does not name the file: {line}"
        assert FIX_HINT.search(line), f"says what is wrong but not how to fix it: {line}"
        assert "Traceback" not in line and "pydantic" not in line.lower(), line
    named = [p for p in err.problems if p.field == field]
    assert named, f"no line names the field {field!r}:\n{text}"
    assert any(fragment in p.message for p in named), f"{fragment!r} not in:\n{text}"
    if field:
        assert any(line.startswith(f"{path}: {field}: ") for line in lines)


MALFORMED_FILES = [
    # fixture, field the message names ("" for the whole file), words it must contain
    pytest.param("yaml_syntax_error", "", "YAML syntax error at line 10", id="yaml syntax"),
    pytest.param("tab_indentation", "", "line 6", id="tab indentation"),
    pytest.param("nested_too_deeply", "", "nested far too deeply", id="brackets nested deep"),
    pytest.param("empty", "", "file is empty", id="empty file"),
    pytest.param("comments_only", "", "only comments", id="comments only"),
    pytest.param("top_level_list", "", "must be a set of 'name: value'", id="list at top"),
    pytest.param("a_single_word", "", "must be a set of 'name: value'", id="one word"),
    pytest.param("born_is_a_list", "people[2].born", "[2015] is not a year",
                 id="born as a list"),
    pytest.param("born_19x0", "people[2].born", '"19x0" is not a year', id="year 19x0"),
    pytest.param("fictional_is_maybe", "fictional", "should be true or false",
                 id="fictional maybe"),
    pytest.param("partners_is_text", "unions[0].partners", "should be a list",
                 id="partners as text"),
    pytest.param("union_with_one_partner", "unions[0].partners", "exactly two people",
                 id="couple of one"),
    pytest.param("three_parents_on_one_line", "parents[0].parents", "one or two parents",
                 id="three parents in one line"),
    pytest.param("unknown_person_in_union", "unions[0].partners[1]", "no person has id 'pete'",
                 id="unknown id in unions"),
    pytest.param("unknown_person_in_parents", "parents[0].parents[1]",
                 "no person has id 'dadd'", id="unknown parent id"),
    pytest.param("unknown_child_in_parents", "parents[0].child", "no person has id 'amie'",
                 id="unknown child id"),
    pytest.param("unknown_person_in_relationship", "relationships[0].to",
                 "no person has id 'nan'", id="unknown id in relationships"),
    pytest.param("unknown_person_in_household", "households[0].members[2]",
                 "no person has id 'bob'", id="unknown id in households"),
    pytest.param("unknown_person_in_ecomap", "ecomap[0].connected_to",
                 "no person or household has id 'amelia'", id="unknown id in ecomap"),
    pytest.param("unknown_person_in_chronology", "chronology[0].people[1]",
                 "no person has id 'teacher'", id="unknown id in chronology"),
    pytest.param("unknown_person_in_twins", "twins[0].people[1]", "no person has id 'ava'",
                 id="unknown id in twins"),
    pytest.param("unknown_focal_child", "focal_child", "no person has id 'ammy'",
                 id="unknown focal child"),
    pytest.param("duplicate_person_id", "people[3].id", "id 'amy' is used more than once",
                 id="duplicate person id"),
    pytest.param("union_with_themself", "unions[0].partners",
                 "'mum' cannot be in a couple with themself", id="couple with themself"),
    pytest.param("relationship_with_themself", "relationships[0]", "both ends are 'amy'",
                 id="relationship with themself"),
    pytest.param("unknown_relationship_kind", "relationships[0].kind",
                 '"friendly" is not one of', id="unknown relationship kind"),
    pytest.param("unknown_union_status", "unions[0].status", '"dating" is not one of',
                 id="unknown union status"),
    pytest.param("unknown_parent_kind", "parents[0].kind", '"godparent" is not one of',
                 id="unknown parent kind"),
    pytest.param("unknown_ecomap_strength", "ecomap[0].strength", '"weak" is not one of',
                 id="unknown ecomap strength"),
    pytest.param("missing_id", "id", "is missing", id="missing id"),
    pytest.param("missing_title", "title", "is missing", id="missing title"),
    pytest.param("missing_fictional", "fictional", "is missing", id="missing fictional"),
    pytest.param("missing_person_name", "people[2].name", "is missing",
                 id="missing person name"),
    pytest.param("unknown_top_level_field", "chronolgy", "check the spelling",
                 id="typo in a section name"),
    pytest.param("impossible_date", "chronology[0].date", '"2021-02-30" is not a real date',
                 id="30 February"),
    pytest.param("two_index_people", "people", "more than one person is marked index",
                 id="two index people"),
]


@pytest.mark.parametrize(("fixture", "field", "fragment"), MALFORMED_FILES)
def test_a_malformed_case_file_gets_a_clear_message(fixture: str, field: str,
                                                     fragment: str) -> None:
    path = MALFORMED / f"{fixture}.yaml"
    assert_clear(problems_of(path), path, field, fragment)


def test_every_malformed_fixture_is_checked() -> None:
    on_disk = {p.stem for p in MALFORMED.glob("*.yaml")}
    checked = {param.values[0] for param in MALFORMED_FILES}
    assert on_disk == checked


def test_a_bad_year_gets_exactly_this_message() -> None:
    path = MALFORMED / "born_19x0.yaml"
    assert str(problems_of(path)) == (
        f'{path}: people[2].born: "19x0" is not a year — write it like 1984'
    )


def test_a_duplicated_id_is_reported_at_both_places() -> None:
    err = problems_of(MALFORMED / "duplicate_person_id.yaml")
    assert [p.field for p in err.problems] == ["people[2].id", "people[3].id"]


def test_the_two_index_people_are_named() -> None:
    err = problems_of(MALFORMED / "two_index_people.yaml")
    assert "(mum, amy)" in str(err)


def test_several_mistakes_are_all_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "three_mistakes.yaml"
    path.write_text(
        "id: three\ntitle: Three mistakes\nfictional: true\n"
        "people:\n  - {id: amy, name: Amy}\n"
        "parents:\n  - {child: amy, parents: [mum]}\n"
        "households:\n  - {id: home, name: Home, members: [amy, dad]}\n"
        "focal_child: amie\n",
        encoding="utf-8",
    )
    err = problems_of(path)
    assert [p.field for p in err.problems] == [
        "focal_child", "parents[0].parents[0]", "households[0].members[1]"
    ]


def _huge() -> bytes:
    line = b"# " + b"a long chronology pasted in by mistake " * 2 + b"\n"
    return b"id: huge\ntitle: Huge\nfictional: true\n" + line * (MAX_FILE_BYTES // len(line) + 2)


BYTE_FILES = [
    pytest.param(b"id: x\x00\x01\x02\xff\xfe title", "binary file", id="binary file"),
    pytest.param("id: café\ntitle: Café\nfictional: true\n".encode("latin-1"), "not UTF-8",
                 id="not utf-8"),
    pytest.param(_huge(), f"over the {MAX_FILE_BYTES:,} limit", id="file over the size limit"),
    pytest.param(b"   \n\n\t\n", "file is empty", id="only blank lines"),
]


@pytest.mark.parametrize(("content", "fragment"), BYTE_FILES)
def test_a_file_that_is_not_a_case_at_all_gets_a_clear_message(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    assert_clear(problems_of(path), path, "", fragment)


def test_a_missing_file_and_a_folder_get_clear_messages(tmp_path: Path) -> None:
    assert_clear(problems_of(tmp_path / "nope.yaml"), tmp_path / "nope.yaml", "", "not found")
    assert_clear(problems_of(tmp_path), tmp_path, "", "this is a folder")


def test_a_repeated_field_is_refused_rather_than_silently_dropped(tmp_path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("id: x\ntitle: A\ntitle: B\nfictional: true\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_case(path)
    assert "'title' is written twice — keep one" in str(info.value)
    assert "line 3" in str(info.value)


def test_tab_indentation_is_named_in_plain_words(tmp_path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("id: x\npeople:\n\t- {id: a}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_case(path)
    assert "a tab is used to indent — indent with spaces" in str(info.value)


def test_an_ecomap_id_that_is_a_persons_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared_id.yaml"
    path.write_text(
        "id: shared\ntitle: Shared ids\nfictional: true\n"
        "people:\n  - {id: amy, name: Amy}\n"
        "households:\n  - {id: home, name: Home, members: [amy]}\n"
        "ecomap:\n  - {id: amy, name: School, connected_to: amy}\n"
        "  - {id: home, name: Nan, kind: person, connected_to: amy}\n",
        encoding="utf-8",
    )
    err = problems_of(path)
    assert [str(p) for p in err.problems] == [
        f"{path}: ecomap[0].id: 'amy' is already a person's id — give this connection its own "
        "id, like amy_agency",
        f"{path}: ecomap[1].id: 'home' is already a household's id — give this connection its "
        "own id, like home_person",
    ]


def test_a_household_id_that_is_a_persons_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared_id.yaml"
    path.write_text(
        "id: shared\ntitle: Shared ids\nfictional: true\npeople:\n  - {id: amy, name: Amy}\n"
        "households:\n  - {id: amy, name: Home, members: [amy]}\n",
        encoding="utf-8",
    )
    assert [p.field for p in problems_of(path).problems] == ["households[0].id"]


@pytest.mark.parametrize("year", [999, 1000, 1984, 2200, 2201, 9999])
def test_case_files_and_family_trees_judge_a_year_by_one_rule(tmp_path: Path, year: int) -> None:
    from systemic.genogram.gedcom import parse_gedcom
    from systemic.plausible import plausible_year

    path = tmp_path / "year.yaml"
    path.write_text(f"id: y\ntitle: Y\nfictional: true\npeople:\n  - {{id: a, name: A, "
                    f"born: {year}}}\n", encoding="utf-8")
    try:
        from_yaml = load_case(path).people[0].born
    except DataFileError as e:
        assert "year — write it like 1984" in str(e)
        from_yaml = None
    tree = parse_gedcom(f"0 HEAD\n0 @I1@ INDI\n1 NAME A /B/\n1 BIRT\n2 DATE {year}\n0 TRLR",
                        "y.ged")
    from_gedcom = tree.people[0].born
    assert (from_yaml is not None) == (from_gedcom is not None) == plausible_year(year)
