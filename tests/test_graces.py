"""Specifications for the Social GRRAACCEESS step (systemic.graces)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
import yaml

import systemic.graces as graces_module
from systemic.cases import Case, load_case
from systemic.errors import DataFileError, WorkbookError
from systemic.graces import (
    GraceEntry,
    GraceList,
    delete_entry,
    differences,
    display_name,
    family_facts,
    fill_blanks,
    grid,
    load_entries,
    load_grace_list,
    load_grace_wording,
    make_entry,
    reflective_prompts,
    save_custom_grace,
    save_entry,
    shareable,
    with_family_facts,
)
from systemic.paths import CASES_DIR, VOCABULARIES_DIR
from systemic.store import Store
from systemic.vocabularies import load_graces

HOSTILE = "<img src=x onerror=alert(1)>"
TRAINING_CASES = ["blended_family", "contextual_safeguarding", "kinship_care"]


def test_the_examples_in_the_module_run():
    result = doctest.testmod(graces_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0


# --- entries and who is staff ---------------------------------------------------------------------


def test_the_worker_and_supervisor_are_always_staff_whatever_the_caller_says():
    assert GraceEntry(person="worker", grace="age", staff=False).staff
    assert GraceEntry(person="supervisor", grace="age").staff
    assert not GraceEntry(person="beverley", grace="age").staff


def test_anyone_not_in_the_family_is_staff_when_made_from_the_case(kinship: Case):
    assert make_entry(kinship, "Sam", "class").staff  # a participant, by name
    assert make_entry(kinship, "worker", "class").staff
    assert not make_entry(kinship, "delroy", "class").staff


def test_an_entry_is_placed_only_once_both_dimensions_are_known():
    assert not GraceEntry(person="a", grace="age", visible=True).placed
    assert GraceEntry(person="a", grace="age", visible=True, voiced=False).placed
    assert GraceEntry(person="a", grace="age", note="63").rated
    assert not GraceEntry(person="a", grace="age", note="  ").rated


def test_staff_graces_never_survive_shareable_by_default(kinship: Case):
    entries = [
        make_entry(kinship, "worker", "race", note="white British"),
        make_entry(kinship, "supervisor", "class"),
        make_entry(kinship, "Priya", "religion", note="Hindu"),
        make_entry(kinship, "beverley", "religion", note="Pentecostal"),
    ]
    shared = shareable(entries)
    assert [e.person for e in shared] == ["beverley"]
    assert len(shareable(entries, share_staff=True)) == 4


def test_shareable_drops_worker_entries_even_if_built_with_staff_false():
    # model_construct skips validation, as a careless import might.
    sneaky = GraceEntry.model_construct(person="worker", grace="age", staff=False, note="x")
    assert shareable([sneaky]) == []


# --- the family's own facts -----------------------------------------------------------------------


def test_family_facts_are_what_each_person_shared_unplaced(kinship: Case):
    facts = family_facts(kinship)
    beverley = {e.grace: e.note for e in facts if e.person == "beverley"}
    assert beverley["religion"].startswith("Pentecostal Christian")
    assert all(e.visible is None and e.voiced is None and not e.staff for e in facts)
    assert len(facts) == sum(len(p.graces) for p in kinship.people)


def test_saved_entries_win_over_the_family_facts_they_cover(kinship: Case):
    saved = [GraceEntry(id="r1", person="beverley", grace="religion", visible=True, voiced=True)]
    merged = with_family_facts(kinship, saved)
    religion = [e for e in merged if (e.person, e.grace) == ("beverley", "religion")]
    assert religion == saved
    assert len(merged) == len(family_facts(kinship))


# --- the configurable list ------------------------------------------------------------------------


def test_the_list_starts_with_the_vocabularys_fifteen():
    graces = GraceList()
    assert graces.ids() == [g.id for g in load_graces().defaults()]
    assert {g.id for g in graces.offered()} == {g.id for g in load_graces().extras()}


def test_a_custom_grace_joins_the_list_with_its_own_id_and_no_letter():
    graces = GraceList()
    grace = graces.add_custom_grace("Care experience", "Having grown up in care.")
    assert (grace.id, grace.letter, grace.default) == ("care_experience", None, True)
    assert graces.is_custom("care_experience")
    assert graces.ids()[-1] == "care_experience"
    assert graces.label("care_experience") == "Care experience"


def test_adding_a_grace_the_vocabulary_offers_takes_it_from_the_vocabulary():
    graces = GraceList()
    grace = graces.add_custom_grace("  language ")
    assert grace == load_graces().get("language")
    assert not graces.is_custom("language")
    assert "language" not in {g.id for g in graces.offered()}


@pytest.mark.parametrize("label", ["", "   ", "Religion", "religion", "x" * 201])
def test_empty_duplicate_or_very_long_graces_are_refused_kindly(label: str):
    with pytest.raises(WorkbookError) as caught:
        GraceList().add_custom_grace(label)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


def test_two_labels_that_make_the_same_id_get_different_ids():
    graces = GraceList()
    first = graces.add_custom_grace("Care-experience")
    second = graces.add_custom_grace("Care experience!")
    assert first.id != second.id and second.id.startswith("care_experience")


def test_a_label_with_no_latin_letters_still_gets_a_usable_id():
    grace = GraceList().add_custom_grace("ذاكرة")
    assert grace.id.startswith("custom") and grace.label == "ذاكرة"


def test_an_unknown_grace_is_shown_readably_not_as_an_error():
    assert GraceList().label("care_leaver_status") == "Care leaver status"
    with pytest.raises(KeyError):
        GraceList().get("care_leaver_status")


# --- the grid -------------------------------------------------------------------------------------


def test_the_grid_puts_each_entry_in_its_cell_and_keeps_the_unplaced_aside():
    entries = [
        GraceEntry(person="worker", grace="age", visible=True, voiced=True),
        GraceEntry(person="beverley", grace="age", visible=True, voiced=True),
        GraceEntry(person="beverley", grace="race", visible=True, voiced=False),
        GraceEntry(person="delroy", grace="class", visible=False, voiced=True),
        GraceEntry(person="worker", grace="religion", visible=False, voiced=False),
        GraceEntry(person="worker", grace="class", visible=False, voiced=False),
        GraceEntry(person="jada", grace="appearance", visible=True),
    ]
    g = grid(entries)
    assert [c.cell.id for c in g.cells] == [
        "visible_voiced", "visible_unvoiced", "invisible_voiced", "invisible_unvoiced"
    ]
    assert g.cell(True, True).people == ("worker", "beverley")
    assert g.cell(True, False).people == ("beverley",)
    assert g.cell(False, True).people == ("delroy",)
    assert g.cell(False, False).people == ("worker",)  # each person once
    assert len(g.cell(False, False).entries) == 2
    assert [e.person for e in g.unplaced] == ["jada"]
    assert sum(len(c.entries) for c in g.cells) + len(g.unplaced) == len(entries)


# --- where the worker and the family differ -------------------------------------------------------


def test_a_difference_in_what_is_voiced_is_found_and_said_plainly(kinship: Case):
    entries = [
        GraceEntry(person="worker", grace="race", visible=True, voiced=False),
        GraceEntry(person="delroy", grace="race", visible=True, voiced=True),
    ]
    [d] = differences(entries, case=kinship)
    assert d.aspects == ("voiced",)
    assert d.grace == "race"
    assert d.sentence.startswith("Race: Tom and Delroy differ here.")
    assert "seen but not spoken about" in d.sentence and "power" in d.sentence


def test_differing_notes_are_a_difference_too(kinship: Case):
    entries = [
        GraceEntry(person="worker", grace="age", note="26"),
        GraceEntry(person="beverley", grace="age", note="63"),
    ]
    [d] = differences(entries, case=kinship, names={"worker": "the worker"})
    assert d.aspects == ("note",)
    assert '"26"' in d.sentence and '"63"' in d.sentence and "the worker" in d.sentence


def test_no_difference_when_they_agree_or_only_one_has_rated_it(kinship: Case):
    entries = [
        GraceEntry(person="worker", grace="age", visible=True, voiced=True, note="Young"),
        GraceEntry(person="beverley", grace="age", visible=True, voiced=True, note="young"),
        GraceEntry(person="worker", grace="class"),  # not rated
        GraceEntry(person="delroy", grace="class", visible=True, voiced=False),
        GraceEntry(person="jada", grace="religion", visible=True, voiced=False),  # worker has none
        GraceEntry(person="worker", grace="gender", visible=True),
        GraceEntry(person="jada", grace="gender", voiced=False),  # different dimensions known
    ]
    assert differences(entries, case=kinship) == []


def test_differences_compare_the_worker_with_family_not_with_other_staff(kinship: Case):
    entries = [
        GraceEntry(person="worker", grace="class", visible=False, voiced=False),
        GraceEntry(person="supervisor", grace="class", visible=False, voiced=True),
        make_entry(kinship, "Sam", "class", visible=True, voiced=True),
        GraceEntry(person="delroy", grace="class", visible=True, voiced=True),
    ]
    assert [d.other_entry.person for d in differences(entries, case=kinship)] == ["delroy"]
    # …unless the supervisor asks to look at the supervision relationship itself.
    between = differences(entries, worker="supervisor", against=["worker"], case=kinship)
    assert [(d.worker_entry.person, d.other_entry.person) for d in between] == [
        ("supervisor", "worker")
    ]


def test_each_family_member_who_differs_gets_their_own_sentence(kinship: Case):
    entries = [
        GraceEntry(person="worker", grace="religion", visible=False, voiced=False),
        GraceEntry(person="beverley", grace="religion", visible=True, voiced=True),
        GraceEntry(person="delroy", grace="religion", visible=False, voiced=True),
    ]
    found = differences(entries, case=kinship)
    assert [d.other_entry.person for d in found] == ["beverley", "delroy"]
    assert "Beverley" in found[0].sentence and "Delroy" in found[1].sentence


def test_a_difference_about_a_custom_grace_uses_its_label(kinship: Case):
    graces = GraceList()
    grace = graces.add_custom_grace("Care experience")
    entries = [
        GraceEntry(person="worker", grace=grace.id, visible=False, voiced=True),
        GraceEntry(person="shantelle", grace=grace.id, visible=False, voiced=False),
    ]
    [d] = differences(entries, case=kinship, graces=graces)
    assert d.sentence.startswith("Care experience:")


# --- Burnham's prompts with real names ------------------------------------------------------------


@pytest.mark.parametrize("case_id", TRAINING_CASES)
def test_prompts_are_filled_with_real_names_and_never_keep_a_blank(case_id: str):
    case = load_case(CASES_DIR / f"{case_id}.yaml")
    entries = with_family_facts(case, [])
    prompts = reflective_prompts(case, entries)
    assert prompts and not any("{" in p or "}" in p for p in prompts)
    child = display_name(case.person(case.focal_child))
    assert any(f"If {child} read our notes" in p for p in prompts)
    first_member = next(e.person for e in entries)
    assert any(display_name(case.person(first_member)) in p for p in prompts)


def test_family_member_prompts_are_asked_about_each_person_with_an_entry(kinship: Case):
    entries = [GraceEntry(person="worker", grace="age"),
               GraceEntry(person="beverley", grace="age"),
               GraceEntry(person="shantelle", grace="age"),
               GraceEntry(person="beverley", grace="religion")]
    prompts = reflective_prompts(kinship, entries)
    power = [p for p in prompts if p.startswith("Where do you hold more power than")]
    assert power == [
        "Where do you hold more power than Beverley, and where less? How might that shape "
        "what they tell you?",
        "Where do you hold more power than Shantelle, and where less? How might that shape "
        "what they tell you?",
    ]


def test_before_any_entries_prompts_name_the_people_the_child_lives_with(kinship: Case):
    prompts = reflective_prompts(kinship)
    assert any("between you and Delroy" in p for p in prompts)
    assert any("between you and Beverley" in p for p in prompts)
    assert not any("Jada?" in p for p in prompts if "between you and" in p)


def test_names_can_be_replaced_by_initials_for_privacy(kinship: Case):
    prompts = reflective_prompts(kinship, [GraceEntry(person="delroy", grace="age")],
                                 names={"delroy": "D.M.", "jada": "J.M."})
    text = " ".join(prompts)
    assert "D.M." in text and "J.M." in text
    assert "Delroy" not in text and "Jada" not in text


def test_a_case_with_no_child_and_no_household_still_leaves_no_blank():
    case = Case(id="c", title="t", fictional=True)
    prompts = reflective_prompts(case)
    assert not any("{" in p for p in prompts)
    assert any("the child" in p for p in prompts)
    assert any("each person in the family" in p for p in prompts)


def test_another_focal_child_can_be_chosen(kinship: Case):
    prompts = reflective_prompts(kinship, focal="jayden")
    assert any("If Jayden read our notes" in p for p in prompts)


def test_display_names_prefer_the_name_people_use():
    case = load_case(CASES_DIR / "blended_family.yaml")
    assert display_name(case.person("kay")) == "Kay"
    assert display_name(case.person("leanne")) == "Leanne"
    assert display_name(case.person("amira_baby")) == "Amira and Tunde's baby"


def test_values_put_into_templates_are_never_read_as_templates():
    assert fill_blanks("Hello {who}", who="{child}") == "Hello {child}"
    assert fill_blanks("Hello {who}") == "Hello {who}"


# --- the wording file -----------------------------------------------------------------------------


def test_a_broken_wording_file_names_the_field_and_the_fix(tmp_path: Path):
    data = yaml.safe_load((VOCABULARIES_DIR / "coach.yaml").read_text(encoding="utf-8"))
    del data["graces"]["difference"]
    path = tmp_path / "coach.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_grace_wording(path)
    assert "graces.difference: is missing — add it" in str(caught.value)


# --- saving through a real store ------------------------------------------------------------------


def test_entries_round_trip_through_the_store(store: Store, discussion: str, kinship: Case):
    saved = save_entry(store, discussion, make_entry(
        kinship, "beverley", "religion", visible=True, voiced=False, note="Sings in the choir"))
    staff = save_entry(store, discussion, make_entry(kinship, "Priya", "class", visible=False))
    assert saved.id and staff.id and saved.id != staff.id
    loaded = load_entries(store, discussion)
    assert loaded == [saved, staff]
    assert loaded[1].staff


def test_saving_an_entry_again_replaces_it(store: Store, discussion: str):
    entry = save_entry(store, discussion, GraceEntry(person="delroy", grace="age", visible=True))
    save_entry(store, discussion, entry.model_copy(update={"voiced": True}))
    [loaded] = load_entries(store, discussion)
    assert (loaded.id, loaded.voiced) == (entry.id, True)
    delete_entry(store, loaded)
    assert load_entries(store, discussion) == []


def test_hostile_text_round_trips_unchanged(store: Store, discussion: str):
    entry = GraceEntry(person=HOSTILE, grace="culture", note=HOSTILE + " {family_member} ' \" \\")
    save_entry(store, discussion, entry)
    [loaded] = load_entries(store, discussion)
    assert loaded.note == entry.note and loaded.person == HOSTILE
    graces = GraceList()
    save_custom_grace(store, discussion, graces.add_custom_grace(HOSTILE, HOSTILE))
    custom = load_grace_list(store, discussion).added[0]
    assert custom.label == HOSTILE and custom.description == HOSTILE


def test_custom_graces_saved_for_the_session_show_in_each_of_its_discussions(
    store: Store, kinship: Case
):
    session = store.create_session("Group", "camden_practice_framework")
    first = store.add_discussion(session, kinship)
    second = store.add_discussion(session, kinship)
    graces = GraceList()
    save_custom_grace(store, session, graces.add_custom_grace("Care experience"))
    save_custom_grace(store, first, graces.add_custom_grace("Generation"))
    assert load_grace_list(store, first).ids()[-2:] == ["care_experience", "generation"]
    assert load_grace_list(store, second).ids()[-1] == "care_experience"
    assert "generation" not in load_grace_list(store, second).ids()
    # Custom graces are not entries.
    assert load_entries(store, first) == []


def test_an_entry_saved_as_sexual_orientation_comes_back_as_sexuality_once(tmp_path):
    from systemic.graces import GraceEntry, load_entries, save_entry
    from systemic.store import Store

    with Store.open(tmp_path / "g.db") as store:
        sid = store.create_session("Group", "camden_practice_framework")
        save_entry(store, sid, GraceEntry(person="amy", grace="sexuality", note="first"))
        save_entry(store, sid, GraceEntry(person="amy", grace="sexual_orientation",
                                          visible=False, voiced=True, note="later"))
        entries = load_entries(store, sid)
    assert [(e.person, e.grace, e.note) for e in entries] == [("amy", "sexuality", "later")]


def test_adding_a_near_same_word_says_which_grace_holds_it():
    with pytest.raises(WorkbookError, match="'Sexuality' is already on the list "
                                            r"\(Sexual orientation is part of it\)"):
        GraceList().add_custom_grace("Sexual orientation")
