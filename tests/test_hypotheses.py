"""Specifications for hypotheses, the coach and the circularity round (systemic.hypotheses)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import systemic.hypotheses as hypotheses_module
from systemic.cases import Case, load_case
from systemic.errors import DataFileError, WorkbookError
from systemic.graces import GraceList
from systemic.hypotheses import (
    RULE_IDS,
    CircularityRound,
    Contribution,
    Hypothesis,
    OutOfTurn,
    absent_parents,
    coach,
    delete_hypothesis,
    load_coach,
    load_hypotheses,
    load_rounds,
    people_mentioned,
    revise,
    save_hypothesis,
    save_round,
    set_aside,
)
from systemic.paths import CASES_DIR, VOCABULARIES_DIR
from systemic.store import Store

HOSTILE = "<img src=x onerror=alert(1)>"


def test_the_examples_in_the_module_run():
    result = doctest.testmod(hypotheses_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0


# --- the coach's rules, one example sentence each -------------------------------------------------

# Two other ideas in the discussion that between them name everyone, so that only what the
# sentence itself says is judged (the "people left out" rules have their own tests below).
EVERYONE = [
    Hypothesis(id="o1", text="I wonder whether Jada, Jayden, Delroy and Beverley each hold a "
               "different hope for Shantelle and Tomasz."),
    Hypothesis(id="o2", text="Perhaps we at the council and the school add to the pressure."),
]

EXAMPLES = [
    # one person blamed
    ("Beverley is manipulative and lets nobody in.", {"single_person", "no_graces"}),
    ("She is lazy and does not care what happens next.", {"single_person", "no_graces"}),
    ("Delroy is hostile and refuses to listen to anyone.", {"single_person", "no_graces"}),
    ("He is aggressive.", {"single_person"}),
    # a lineal cause
    ("Jayden hits out because Delroy is too strict with him.",
     {"single_person", "lineal_cause", "no_graces"}),
    ("Jada stopped eating due to her worry about the prison visits.",
     {"lineal_cause", "no_graces"}),
    ("The trouble in this family is caused by years of drug use.",
     {"lineal_cause", "no_graces"}),
    ("It is all down to Shantelle's choices.", {"lineal_cause", "no_graces"}),
    ("Jada is quiet cos she is worried about Nana.", {"lineal_cause", "no_graces"}),
    # certainty
    ("Shantelle is clearly not ready to care for the twins again.", {"certainty", "no_graces"}),
    ("Delroy will never forgive Marcus, so nothing will change.", {"certainty", "no_graces"}),
    ("Nana is just exhausted and needs a break from the twins.", {"certainty", "no_graces"}),
    ("This proves the arrangement at Nana and Grandad's house is failing.",
     {"certainty", "no_graces"}),
    ("Obviously the real problem is Mum and her history.", {"certainty", "no_graces"}),
    # tentative and relational ideas get encouragement
    ("Mum might be hoping the twins will help her stay clean.", {"tentative", "no_graces"}),
    ("I wonder whether, when Jada looks after Nana and Jayden, the grown-ups feel less alone.",
     {"tentative", "relational", "no_graces"}),
    ("Beverley and Delroy are both exhausted, and the twins feel it.",
     {"relational", "no_graces"}),
    ("Beverley is aggressive towards Delroy in response to his silence.",
     {"relational", "no_graces"}),
    ("Tomasz may feel shut out as a Polish dad in a Jamaican family.", {"tentative"}),
    # "because" with no person after it is not read as blame
    # (but said as a plain fact about one person, it is not yet held as an idea)
    ("The twins are upset because the visits end so suddenly.",
     {"stated_as_fact", "no_graces"}),
    ("Mum won't listen to advice.", {"stated_as_fact"}),
    # a good systemic hypothesis: tentative, relational, with graces, blaming no one
    ("I wonder whether, when the twins come home upset after prison visits, Beverley and "
     "Delroy respond in different ways, and as a Black grandmother of faith Beverley may feel "
     "she must hold everyone together.", {"tentative", "relational"}),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES, ids=[t[:40] for t, _ in EXAMPLES])
def test_each_rule_fires_on_its_example_and_only_there(kinship: Case, text: str, expected):
    fired = {f.rule_id for f in coach(text, case=kinship, all_hypotheses=EVERYONE)}
    assert fired == expected


def test_the_examples_cover_every_rule_that_reads_the_text():
    covered = set().union(*(ids for _, ids in EXAMPLES))
    assert covered == {"single_person", "lineal_cause", "certainty", "stated_as_fact",
                       "no_graces", "tentative", "relational"}


def test_a_good_systemic_hypothesis_gets_only_encouragement(kinship: Case):
    h = Hypothesis(
        id="h1",
        text="Perhaps, when Shantelle writes to Jada asking her to look after Nana, Jada takes "
             "on the worry of the whole family, and Jayden, Delroy and Tomasz respond by pulling "
             "away, while we as professionals have not yet asked the twins what they want.",
        people_involved=["shantelle", "jada", "beverley", "jayden", "delroy", "tomasz"],
        graces_considered=["age", "gender"],
    )
    others = [Hypothesis(id="o3", text="a"), Hypothesis(id="o4", text="b")]
    feedback = coach(h.text, hypothesis=h, case=kinship, all_hypotheses=[h, *others])
    assert feedback and all(f.positive and f.severity == "note" for f in feedback)
    assert {f.rule_id for f in feedback} == {"tentative", "relational"}


def test_invitations_are_gentle_and_encouragement_is_a_note(kinship: Case):
    feedback = coach("Mum is obviously manipulative, and I wonder why.", case=kinship)
    by_rule = {f.rule_id: f for f in feedback}
    assert by_rule["single_person"].severity == "gentle" and not by_rule["single_person"].positive
    assert by_rule["tentative"].severity == "note" and by_rule["tentative"].positive


def test_the_single_person_message_is_the_kind_one_from_the_data_file():
    [f] = coach("He is aggressive.", all_hypotheses=["a", "b"])
    assert f.message == (
        "This idea rests on one person. Who else is part of this pattern, and how do they respond?"
    )


def test_spans_point_at_the_words_that_prompted_the_remark():
    text = "Mum is clearly manipulative, because she wants control."
    by_rule = {f.rule_id: f for f in coach(text, all_hypotheses=["a", "b"])}
    assert text[slice(*by_rule["certainty"].span)] == "clearly"
    assert text[slice(*by_rule["single_person"].span)] == "manipulative"
    assert text[slice(*by_rule["lineal_cause"].span)] == "because"
    assert '"clearly"' in by_rule["certainty"].message


def test_curly_apostrophes_are_read_like_straight_ones():
    ids = {f.rule_id for f in coach("She won\u2019t engage.", all_hypotheses=["a", "b"])}
    assert "single_person" in ids


def test_two_people_in_the_idea_are_not_one_person_blamed(kinship: Case):
    ids = {f.rule_id for f in coach("Mum is bossy and Grandad is controlling.",
                                    case=kinship, all_hypotheses=EVERYONE)}
    assert "single_person" not in ids
    # A label that accuses ("manipulative") is blame whoever else is named (issue 14).
    ids = {f.rule_id for f in coach("Mum is manipulative and Grandad goes along with it.",
                                    case=kinship, all_hypotheses=EVERYONE)}
    assert "single_person" in ids


def test_without_a_case_family_words_and_names_still_count_as_people():
    lone = {f.rule_id for f in coach("Grandad is controlling.", all_hypotheses=["a", "b"])}
    pair = {f.rule_id for f in coach("Sometimes Kevin says Grandad is controlling.",
                                     all_hypotheses=["a", "b"])}
    assert "single_person" in lone and "single_person" not in pair


def test_an_empty_text_gets_no_feedback(kinship: Case):
    assert coach("", case=kinship) == [] and coach("   \n", case=kinship) == []


# --- people left out ------------------------------------------------------------------------------


def test_the_child_the_absent_parents_the_household_and_the_professionals_are_missed(
    kinship: Case,
):
    feedback = coach("Beverley is tired and Delroy is worried about money.", case=kinship,
                     all_hypotheses=["a", "b"])
    messages = {f.rule_id: [] for f in feedback}
    for f in feedback:
        messages[f.rule_id].append(f.message)
    assert messages["left_out_child"] == [
        "Jada is not yet in any of our ideas. Where is the child in this pattern, and what "
        "might they make of it?"
    ]
    assert [m.split()[0] for m in messages["left_out_parent"]] == ["Shantelle", "Tomasz"]
    assert messages["left_out_family"] == [
        "Not yet in any of our ideas: Jayden. How might they be part of this?"
    ]
    assert len(messages["left_out_professionals"]) == 1
    assert all(f.span is None for f in feedback if f.rule_id.startswith("left_out"))


def test_absent_parents_are_the_childs_parents_who_live_elsewhere(kinship: Case):
    assert absent_parents(kinship) == ["shantelle", "tomasz"]
    blended = load_case(CASES_DIR / "blended_family.yaml")
    assert absent_parents(blended) == []  # Maya lives in both homes


def test_people_named_by_family_words_or_picked_as_involved_are_not_left_out(kinship: Case):
    h = Hypothesis(id="h", text="x", people_involved=["tomasz", "jayden"])
    feedback = coach("I wonder how Mum's letters land with Jada, Nana, Grandad and the school.",
                     hypothesis=h, case=kinship, all_hypotheses=["a", "b"])
    assert not [f for f in feedback if f.rule_id.startswith("left_out")]


def test_only_active_hypotheses_bring_people_in(kinship: Case):
    aside = Hypothesis(id="s", text="Jada, Jayden, Shantelle and Tomasz and we", status="set_aside")
    feedback = coach("Beverley is tired and Delroy is worried about money.", case=kinship,
                     all_hypotheses=[aside, "a", "b"])
    assert "left_out_child" in {f.rule_id for f in feedback}


def test_names_in_messages_can_be_initials(kinship: Case):
    feedback = coach("Beverley is tired and Delroy is worried about money.", case=kinship,
                     names={"jada": "J.M.-K."})
    child = next(f for f in feedback if f.rule_id == "left_out_child")
    assert child.message.startswith("J.M.-K. is not yet")


def test_people_are_found_by_name_nickname_and_family_word():
    blended = load_case(CASES_DIR / "blended_family.yaml")
    found = people_mentioned("When Kay and Maya see Mum upset, their step-dad goes quiet.",
                             blended)
    assert found == ["kay", "maya", "leanne", "ryan"]
    # A capital is needed for a name, so ordinary words are not read as people.
    assert people_mentioned("we may well see", blended) == []


# --- graces and the number of ideas ---------------------------------------------------------------


def test_graces_considered_or_named_quieten_the_graces_rule(kinship: Case):
    text = "Beverley and Delroy see the twins' future very differently, I think."
    assert "no_graces" in {f.rule_id for f in coach(text, case=kinship)}
    h = Hypothesis(id="h", text=text, graces_considered=["gender"])
    assert "no_graces" not in {f.rule_id for f in coach(text, hypothesis=h, case=kinship)}
    named = text.replace("differently", "differently as a man and a woman")
    assert "no_graces" not in {f.rule_id for f in coach(named, case=kinship)}


def test_a_custom_grace_named_in_the_idea_counts_as_considered():
    graces = GraceList()
    graces.add_custom_grace("Care experience")
    text = "Perhaps her own care experience shapes how Mum hears our worries about the twins."
    assert "no_graces" not in {f.rule_id for f in coach(text, graces=graces)}
    assert "no_graces" in {f.rule_id for f in coach(text.replace("care experience", "past"))}


def test_fewer_than_three_active_ideas_is_noted_with_the_count():
    [f] = [f for f in coach("Perhaps Nan and Mum are both tired.") if f.rule_id ==
           "fewer_than_three"]
    assert f.severity == "note" and "1 of at least 3" in f.message
    two = [Hypothesis(id="a", text="a"), Hypothesis(id="b", text="b", status="revised")]
    [f] = [f for f in coach("Perhaps Nan and Mum are both tired.", all_hypotheses=two)
           if f.rule_id == "fewer_than_three"]
    assert "2 of at least 3" in f.message
    three = [Hypothesis(id="a", text="a"), Hypothesis(id="b", text="b")]
    assert "fewer_than_three" not in {f.rule_id for f in coach("Perhaps so.",
                                                                all_hypotheses=three)}


def test_the_hypothesis_being_edited_is_not_counted_twice():
    h = Hypothesis(id="h", text="old words")
    feedback = coach("new words about Nan", hypothesis=h,
                     all_hypotheses=[h, Hypothesis(id="b", text="b")])
    [f] = [f for f in feedback if f.rule_id == "fewer_than_three"]
    assert "2 of at least 3" in f.message


# --- the rules are data ---------------------------------------------------------------------------


def _coach_copy(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((VOCABULARIES_DIR / "coach.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "coach.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _rule(data: dict, rule_id: str) -> dict:
    return next(r for r in data["hypotheses"]["rules"] if r["id"] == rule_id)


def test_every_rule_is_in_the_data_file_with_a_source():
    rules = load_coach().rules
    assert [r.id for r in rules] == list(RULE_IDS)
    assert all(r.source and r.message for r in rules)


def test_a_team_can_change_the_words_and_the_message(tmp_path: Path):
    def change(data: dict) -> None:
        _rule(data, "certainty")["words"] = ["for sure"]
        _rule(data, "certainty")["message"] = "Are we sure about {word}?"

    rules = load_coach(_coach_copy(tmp_path, change))
    feedback = coach("It is for sure, clearly.", settings=rules, all_hypotheses=["a", "b"])
    assert [f.message for f in feedback if f.rule_id == "certainty"] == [
        "Are we sure about for sure?"
    ]


def test_a_rule_can_be_switched_off(tmp_path: Path):
    def off(data: dict) -> None:
        for rule_id in ("certainty", "stated_as_fact"):
            _rule(data, rule_id).update(enabled=False)

    rules = load_coach(_coach_copy(tmp_path, off))
    assert coach("He is clearly kind.", settings=rules, all_hypotheses=["a", "b"]) == []


def test_a_missing_rule_or_an_unknown_blank_is_named_with_the_fix(tmp_path: Path):
    def drop(data: dict) -> None:
        data["hypotheses"]["rules"] = [r for r in data["hypotheses"]["rules"]
                                       if r["id"] != "certainty"]

    with pytest.raises(DataFileError) as caught:
        load_coach(_coach_copy(tmp_path, drop))
    assert 'hypotheses.rules: the rule "certainty" is missing — add it' in str(caught.value)
    (tmp_path / "coach.yaml").unlink()
    with pytest.raises(DataFileError) as caught:
        load_coach(_coach_copy(tmp_path, lambda d: _rule(d, "certainty").update(
            message="Hello {person}")))
    assert "{person} is not a blank the coach can fill" in str(caught.value)


_KINSHIP = load_case(CASES_DIR / "kinship_care.yaml")


_PIECES = ["Mum", "Nana", "Jada", "Tomasz", "she", "because", "due to", "clearly", "when",
           ",", ".", "I wonder", "between", "step-dad", "won\u2019t engage", "{child}", HOSTILE,
           "the school", "lazy", "Polish", "\n"]


@settings(max_examples=80, deadline=None)
@given(st.one_of(st.text(max_size=300),
                 st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)),
                          max_size=40).map(" ".join)))
def test_the_coach_never_fails_and_its_spans_lie_inside_the_text(text: str):
    for f in coach(text, case=_KINSHIP):
        assert f.rule_id in RULE_IDS and f.message
        if f.span is not None:
            assert 0 <= f.span[0] < f.span[1] <= len(text)


# --- hypotheses as records ------------------------------------------------------------------------


def test_revising_keeps_the_old_idea_and_links_the_new_one():
    old = Hypothesis(id="h1", text="Mum is tired.", author="Sam", evidence_for=["Bev said so"],
                     graces_considered=["age"])
    before, after = revise(old, "  I wonder whether Nana and Mum are both tired.  ")
    assert (before.id, before.status, before.text) == ("h1", "revised", "Mum is tired.")
    assert (after.id, after.status, after.revised_from) == ("", "active", "h1")
    assert after.text == "I wonder whether Nana and Mum are both tired."
    assert after.evidence_for == ["Bev said so"] and after.graces_considered == ["age"]
    assert old.status == "active"  # the original object is unchanged


def test_an_empty_revision_is_refused_kindly():
    with pytest.raises(WorkbookError, match="The new wording is empty"):
        revise(Hypothesis(text="x"), "  ")


def test_setting_aside_keeps_the_idea(store: Store, discussion: str):
    h = save_hypothesis(store, discussion, Hypothesis(text="Perhaps…", author="Jo"))
    save_hypothesis(store, discussion, set_aside(h))
    assert [x.status for x in load_hypotheses(store, discussion)] == ["set_aside"]
    assert load_hypotheses(store, discussion, status="active") == []


def test_hypotheses_round_trip_through_a_real_store(store: Store, discussion: str):
    h = Hypothesis(
        text="I wonder whether…", author="Priya", people_involved=["jada", "beverley"],
        evidence_for=["Jada watches over Jayden"], evidence_against=["School says she laughs"],
        unknowns=["What Jada wants"], graces_considered=["age", "care_experience"],
        questions=["Jada, who worries most about Nana?"],
    )
    saved = save_hypothesis(store, discussion, h)
    old, new = revise(saved, "Perhaps Jada and Nana look after each other.")
    save_hypothesis(store, discussion, old)
    new = save_hypothesis(store, discussion, new)
    loaded = load_hypotheses(store, discussion)
    assert loaded == [old, new]
    assert loaded[1].revised_from == saved.id
    delete_hypothesis(store, loaded[0])
    assert load_hypotheses(store, discussion) == [new]


def test_hostile_text_round_trips_unchanged(store: Store, discussion: str):
    h = Hypothesis(text=HOSTILE, author=HOSTILE, evidence_for=[HOSTILE + " {child} \\ '\""],
                   questions=[HOSTILE])
    save_hypothesis(store, discussion, h)
    [loaded] = load_hypotheses(store, discussion)
    assert loaded.model_copy(update={"id": ""}) == h
    r = CircularityRound(participants=[HOSTILE, "Jo"])
    r.add(HOSTILE, HOSTILE)
    save_round(store, discussion, r)
    [back] = load_rounds(store, discussion)
    assert back.contributions == [Contribution(HOSTILE, HOSTILE)]
    # The coach reads hostile text without changing it or failing.
    assert all(f.rule_id in RULE_IDS for f in coach(HOSTILE))


# --- the circularity round ------------------------------------------------------------------------


def test_the_round_goes_round_past_one_circle():
    r = CircularityRound(participants=["Sam", "Jo", "Priya"])
    speakers = []
    for i in range(7):
        speaker = r.next_speaker()
        speakers.append(speaker)
        r.add(speaker, f"idea {i}")
    assert speakers == ["Sam", "Jo", "Priya", "Sam", "Jo", "Priya", "Sam"]


def test_an_out_of_turn_speaker_is_refused_with_a_kind_message():
    r = CircularityRound(participants=["Sam", "Jo", "Priya"])
    with pytest.raises(OutOfTurn) as caught:
        r.add("Priya", "Me first")
    assert str(caught.value) == (
        "It is Sam's turn just now, Priya. You are next after Jo; hold on to your idea."
    )
    assert r.contributions == []


def test_strangers_empty_ideas_and_ended_rounds_are_refused_kindly():
    r = CircularityRound(participants=["Sam", "Jo"])
    with pytest.raises(OutOfTurn, match="Alex is not in this round yet"):
        r.add("Alex", "Hello")
    with pytest.raises(OutOfTurn, match="There is nothing to add yet, Sam"):
        r.add("Sam", "   ")
    r.close()
    assert r.next_speaker() is None
    with pytest.raises(OutOfTurn, match="This round has ended"):
        r.add("Sam", "One more")


def test_names_are_matched_without_regard_to_capitals_or_spaces():
    r = CircularityRound(participants=["Sam", "Jo"])
    assert r.add("  sam ", "idea") == Contribution("Sam", "idea")


def test_each_idea_builds_on_the_last_idea_said_passes_left_out():
    r = CircularityRound(participants=["Sam", "Jo", "Priya"])
    r.add("Sam", "Nan holds everyone together.")
    r.pass_turn("Jo")
    r.add("Priya", "And perhaps Jada copies Nan.")
    assert r.builds_on(0) is None
    assert r.builds_on(2) == Contribution("Sam", "Nan holds everyone together.")
    assert [(c.who, b.who if b else None) for c, b in r.links()] == [
        ("Sam", None), ("Priya", "Sam")
    ]
    assert r.prompt() == "Sam, how does your idea link to what Priya just said?"
    assert [h.author for h in r.as_hypotheses()] == ["Sam", "Priya"]


def test_the_first_speaker_is_invited_to_start():
    r = CircularityRound(participants=["Sam", "Jo"])
    assert r.prompt().startswith("Sam, would you like to start?")


def test_someone_joining_speaks_after_the_last_in_the_order():
    r = CircularityRound(participants=["Sam", "Jo"])
    r.add("Sam", "a")
    r.join("Priya")
    r.add("Jo", "b")
    assert r.next_speaker() == "Priya"


def test_two_participants_with_the_same_name_are_refused():
    with pytest.raises(ValueError, match="both called 'Sam'"):
        CircularityRound(participants=["Sam", "sam"])


def test_rounds_and_hypotheses_are_kept_apart_in_the_store(store: Store, discussion: str):
    r = CircularityRound(participants=["Sam", "Jo"])
    r.add("Sam", "Perhaps…")
    r = save_round(store, discussion, r)
    save_hypothesis(store, discussion, Hypothesis(text="An idea"))
    r.pass_turn("Jo")
    save_round(store, discussion, r)
    [loaded] = load_rounds(store, discussion)
    assert loaded.id == r.id and loaded.next_speaker() == "Sam"
    assert [h.text for h in load_hypotheses(store, discussion)] == ["An idea"]
