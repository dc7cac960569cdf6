"""Specifications for the workshop exercise panels (widgets/workshop.py)."""

from __future__ import annotations

import doctest

import ipywidgets as ipw

import widgets.workshop as workshop_module
from widgets.step_panel import walk
from widgets.workshop import (
    CircularityRoundPanel,
    GenogramPanel,
    GracesPairPanel,
    HypothesesPanel,
    QuestionsPanel,
    UncertaintyPanel,
    circular_questions_exercise,
    circularity_round_exercise,
    genogram_exercise,
    graces_pairs_exercise,
    three_hypotheses_exercise,
    uncertainty_exercise,
)

HOSTILE = "<img src=x onerror=alert(1)>"


def _html(widget: ipw.Widget) -> str:
    return " ".join(w.value for w in walk(widget) if isinstance(w, ipw.HTML))


def test_the_examples_in_the_module_run():
    result = doctest.testmod(workshop_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0


def test_every_exercise_opens_with_a_start_again_button():
    for make in (genogram_exercise, circular_questions_exercise, graces_pairs_exercise,
                 three_hypotheses_exercise, uncertainty_exercise, circularity_round_exercise):
        view = make()
        buttons = [w.description for w in walk(view) if isinstance(w, ipw.Button)]
        assert "Start again" in buttons, make.__name__


def test_the_genogram_panel_draws_checks_and_starts_again():
    panel = GenogramPanel("jada_and_jayden")
    assert "Jada and her twin brother Jayden" in panel.vignette.value
    for name, sex in (("Beverley", "female"), ("Delroy", "male")):
        panel.name.value, panel.sex.value = name, sex
        panel.add_person.click()
    panel.name.value, panel.born.value = "Shantelle", "1986"
    panel.add_person.click()
    assert "Shantelle is on the drawing" in panel.message.value
    assert "Shantelle" in panel.drawing.svg
    panel.child.value, panel.parent_a.value, panel.parent_b.value = (
        "shantelle", "beverley", "delroy")
    panel.add_parents.click()
    panel.check_button.click()
    feedback = panel.feedback.value
    assert "3 of 6 people" in feedback
    assert "Tomasz is not on your drawing yet." in feedback
    assert "Beverley is drawn as Shantelle&#39;s parent." in feedback
    panel.reset_button.click()
    assert panel.exercise.drawing.people == [] and panel.feedback.value == ""


def test_the_genogram_panel_explains_a_bad_year_and_escapes_names():
    panel = GenogramPanel("maya_two_homes")
    panel.name.value, panel.born.value = "Maya", "20x7"
    panel.add_person.click()
    assert "four figures" in panel.message.value and panel.exercise.drawing.people == []
    panel.name.value, panel.born.value = HOSTILE, ""
    panel.add_person.click()
    panel.check_button.click()
    assert HOSTILE not in _html(panel.view()) and "&lt;img" in panel.feedback.value
    panel.partner_a.value = panel.partner_b.value = panel.partner_a.options[0][1]
    panel.add_couple.click()
    assert "two different people" in panel.message.value


def test_the_questions_panel_checks_each_rewrite_and_starts_again():
    panel = QuestionsPanel("contextual_safeguarding")
    panel.boxes[0].value = "Where did Elijah go?"
    panel.rows[1].children[1].click()
    assert "still reads as lineal" in panel.verdicts[0].value
    panel.boxes[0].value = "Who in the family noticed first that Elijah had gone?"
    panel.rows[1].children[1].click()
    assert "reads as circular" in panel.verdicts[0].value
    assert "1 of 2 questions" in panel.progress.value
    panel.reset_button.click()
    assert panel.boxes[0].value == "" and "0 of 2" in panel.progress.value


def test_the_graces_panel_compares_two_self_maps_and_forgets_them():
    panel = GracesPairPanel()
    panel.first.value, panel.second.value = "Sam", HOSTILE
    panel.start.click()
    panel.who.value, panel.grace.value = "Sam", "age"
    panel.place.click()
    panel.who.value = HOSTILE
    panel.voiced.value = False
    panel.place.click()
    html = _html(panel.view())
    assert "You both mapped Age." in panel.comparison.value
    assert HOSTILE not in html
    panel.reset_button.click()
    assert panel.pair is None and panel.maps.value == ""


def test_the_hypotheses_panel_shows_the_coach_and_counts_to_three():
    panel = HypothesesPanel("blended_family")
    panel.text.value = "Maya cries because her dad is clearly manipulative."
    panel.add.click()
    assert "Not yet." in panel.listing.value and "0 of 3" in panel.progress.value
    panel.number.value = 1
    panel.text.value = ("I wonder whether, when the adults argue at handover, Maya tries to "
                        "keep the peace between her mum and her dad.")
    panel.revise.click()
    assert "1 of 3" in panel.progress.value
    panel.text.value = ""
    panel.add.click()
    assert "role='alert'" in panel.message.value
    panel.reset_button.click()
    assert panel.exercise.texts == [] and panel.number.options == ()


def test_the_uncertainty_panel_places_argues_and_starts_again():
    panel = UncertaintyPanel("kinship_care")
    assert "not a risk assessment" in panel.caveat.value
    panel.who.value, panel.now.value = "worker", "unsafe_uncertainty"
    panel.place.click()
    panel.hoped.value, panel.reason.value = "safe_uncertainty", "plan"
    panel.argue.click()
    assert "at least 3 words" in panel.message.value
    panel.reason.value = "a plan Nana agreed to"
    panel.argue.click()
    assert "You argue for" in panel.message.value and "<svg" in panel.grid.value
    panel.reset_button.click()
    assert panel.exercise.placements == {}


def test_the_circularity_panel_takes_turns_escapes_ideas_and_starts_again():
    panel = CircularityRoundPanel(["Sam", "Jo"])
    assert "Sam" in panel.turn.value
    panel.text.value = HOSTILE
    panel.add.click()
    panel.text.value = "Building on what Sam said about Nan."
    panel.add.click()
    assert HOSTILE not in panel.links.value
    assert "Jo built on Sam&#39;s idea." in panel.links.value
    panel.close.click()
    assert panel.add.disabled and "Everyone has had a turn" in panel.progress.value
    panel.reset_button.click()
    assert panel.exercise is not None and panel.exercise.round.contributions == []
    assert not panel.add.disabled


def test_exercise_four_shows_one_counter_and_its_two_numbers_agree():
    panel = HypothesesPanel("blended_family")
    for text in ("I wonder whether, when the adults argue at handover, Maya tries to keep "
                 "the peace between her mum and her dad.",
                 "Maya is upset because her dad is clearly manipulative."):
        panel.text.value = text
        panel.add.click()
    page = panel.listing.value + panel.progress.value
    assert "1 of 3 hypotheses are ready (2 written so far)" in panel.progress.value
    assert "ideas so far" not in page  # the coach's own count of ideas is not shown too


def test_buttons_are_as_wide_as_their_words_not_stretched_across_the_page():
    for make in (genogram_exercise, circular_questions_exercise, graces_pairs_exercise,
                 three_hypotheses_exercise, uncertainty_exercise, circularity_round_exercise):
        for button in (w for w in walk(make()) if isinstance(w, ipw.Button)):
            assert button.layout.width in ("fit-content", "max-content"), button.description
