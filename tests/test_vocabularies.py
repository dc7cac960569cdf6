"""Specifications for the shared vocabularies (systemic.vocabularies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from systemic.errors import DataFileError
from systemic.paths import VOCABULARIES_DIR
from systemic.vocabularies import (
    GRACE_PLACEHOLDERS,
    VOCABULARY_FILES,
    load_checkin_prompts,
    load_concept_cards,
    load_graces,
    load_relationship_kinds,
    vocabulary_json_schemas,
)

USUAL = [
    "gender", "geography", "race", "religion", "age", "ability", "appearance", "class",
    "culture", "ethnicity", "education", "employment", "sexuality",
    "spirituality",
]


def _copy_with(tmp_path: Path, name: str, change) -> Path:
    data = yaml.safe_load((VOCABULARIES_DIR / name).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- Social GRRAACCEESS ---------------------------------------------------------------


def test_the_default_graces_are_the_usual_list_in_order_one_word_each():
    graces = load_graces()
    assert [g.id for g in graces.defaults()] == USUAL
    # Burnham's GGRRAAACCEEESSS, with sexual orientation read within sexuality.
    assert "".join(g.letter or "" for g in graces.defaults()) == "GGRRAAACCEEESS"


def test_near_same_words_are_folded_into_one_grace_and_the_file_says_why():
    graces = load_graces()
    for word, grace in (("sexual_orientation", "sexuality"), ("gender_identity", "gender")):
        assert graces.canonical(word) == grace and graces.get(word).id == grace
        assert word not in {g.id for g in graces.graces}
        assert graces.get(grace).word and len(graces.get(grace).word.split()) > 15


def test_a_near_duplicate_grace_in_the_file_is_refused_with_the_fix(tmp_path: Path):
    def add_orientation(data):  # type: ignore[no-untyped-def]
        data["graces"].append({"id": "sexual_orient", "label": "Sexual orientation",
                               "description": "x", "default": True, "source": "x",
                               "confidence": "C"})

    with pytest.raises(DataFileError, match="close to \"Sexuality\".*under `also`"):
        load_graces(_copy_with(tmp_path, "graces.yaml", add_orientation))


def test_extra_graces_are_offered_but_not_shown_by_default():
    extras = {g.id for g in load_graces().extras()}
    assert {"generation", "accent", "economics", "caste", "language",
            "immigration_status"} <= extras
    assert not extras & set(USUAL)


def test_every_grace_has_a_plain_description_source_and_confidence():
    for grace in load_graces().graces:
        assert grace.description and grace.source
        assert grace.confidence in ("C", "P", "U")


def test_grace_ids_are_unique():
    ids = [g.id for g in load_graces().graces]
    assert len(ids) == len(set(ids))


def test_there_is_one_cell_for_each_visible_and_voiced_combination():
    graces = load_graces()
    assert {(c.visible, c.voiced) for c in graces.visibility_cells} == {
        (True, True), (True, False), (False, True), (False, False),
    }
    assert graces.cell(visible=False, voiced=False).id == "invisible_unvoiced"


def test_reflective_prompts_leave_only_the_blanks_the_workbook_can_fill():
    prompts = load_graces().reflective_prompts
    assert len(prompts) == 10
    used = {name for p in prompts for name in p.placeholders()}
    assert used == set(GRACE_PLACEHOLDERS)
    for prompt in prompts:
        filled = prompt.text.format(family_member="Mum", child="Amy")
        assert "{" not in filled


def test_a_prompt_with_an_unknown_blank_is_refused_naming_the_blanks(tmp_path):
    def change(data):
        data["reflective_prompts"][0]["text"] = "What does {father} think?"

    path = _copy_with(tmp_path, "graces.yaml", change)
    with pytest.raises(DataFileError) as e:
        load_graces(path)
    problem = e.value.problems[0]
    assert problem.file == str(path)
    assert problem.field == "reflective_prompts[0].text"
    assert "{family_member}" in problem.message


def test_two_graces_with_one_id_are_refused(tmp_path):
    path = _copy_with(tmp_path, "graces.yaml", lambda d: d["graces"].append(d["graces"][0]))
    with pytest.raises(DataFileError, match='graces: the grace id "gender" is used more than once'):
        load_graces(path)


def test_a_fifth_cell_is_refused(tmp_path):
    path = _copy_with(
        tmp_path, "graces.yaml", lambda d: d["visibility_cells"].append(d["visibility_cells"][0])
    )
    with pytest.raises(DataFileError) as e:
        load_graces(path)
    assert e.value.problems[0].field == "visibility_cells"


def test_a_confidence_other_than_c_p_or_u_is_refused(tmp_path):
    def change(data):
        data["graces"][2]["confidence"] = "high"

    path = _copy_with(tmp_path, "graces.yaml", change)
    with pytest.raises(DataFileError) as e:
        load_graces(path)
    assert e.value.problems[0].field == "graces[2].confidence"


def test_asking_for_an_unknown_grace_names_the_graces_there_are():
    with pytest.raises(KeyError, match="gender, geography"):
        load_graces().get("height")


# --- concept cards --------------------------------------------------------------------


def test_there_are_at_least_twenty_five_concept_cards_with_unique_ids():
    cards = load_concept_cards().cards
    assert len(cards) >= 25
    assert len({c.id for c in cards}) == len(cards)


def test_the_core_systemic_concepts_have_cards():
    deck = load_concept_cards()
    for card_id in ("hypothesising", "circularity", "neutrality", "curiosity", "safe_uncertainty",
                    "social_graces", "isomorphism", "social_discipline_window"):
        assert deck.get(card_id).definition


def test_unconfirmed_card_definitions_are_marked_so():
    assert load_concept_cards().get("irreverence").confidence == "U"


# --- check-in prompts -----------------------------------------------------------------


def test_check_in_prompts_offer_both_rounds_with_unique_ids():
    prompts = load_checkin_prompts()
    assert len(prompts.check_in()) >= 5
    assert len(prompts.check_out()) >= 3
    ids = [p.id for p in prompts.prompts]
    assert len(ids) == len(set(ids))


def test_the_check_in_round_lets_people_pass_and_stays_off_the_childs_file():
    prompts = load_checkin_prompts()
    assert any("pass" in line for line in prompts.guidelines)
    assert "child's file" in prompts.privacy


# --- relationship kinds (the lead's relationships.yaml) -------------------------------


def test_relationship_kinds_load_with_unique_ids():
    kinds = load_relationship_kinds()
    assert len(kinds.ids()) == len(set(kinds.ids()))
    assert kinds.get("close").directed is False


def test_a_relationship_kind_without_direction_is_refused(tmp_path):
    path = _copy_with(tmp_path, "relationships.yaml", lambda d: d["kinds"][0].pop("directed"))
    with pytest.raises(DataFileError) as e:
        load_relationship_kinds(path)
    assert e.value.problems[0].field == "kinds[0].directed"


# --- all vocabularies -----------------------------------------------------------------


def test_every_vocabulary_file_names_its_source():
    for loaded in (load_graces(), load_concept_cards(), load_checkin_prompts(),
                   load_relationship_kinds()):
        assert loaded.source.strip()


def test_the_committed_schemas_are_the_models_schemas():
    assert set(vocabulary_json_schemas()) == {
        name.removesuffix(".yaml") + ".schema.json" for name in VOCABULARY_FILES
    }
    for name, schema in vocabulary_json_schemas().items():
        committed = json.loads((VOCABULARIES_DIR / name).read_text(encoding="utf-8"))
        assert committed == schema, (
            f"{name} is out of date — run: .venv/bin/python -m systemic.vocabularies"
        )
