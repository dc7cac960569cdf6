"""Specifications for finding the people a hypothesis is about (systemic/hypothesis_people.py)."""

from __future__ import annotations

import doctest

import pytest

import systemic.hypothesis_people as module
from systemic.cases import Case
from systemic.hypothesis_people import follow_rewording, people_in_text


def test_the_examples_in_the_module_run():
    result = doctest.testmod(module)
    assert result.attempted >= 5 and result.failed == 0


@pytest.mark.parametrize(("text", "people"), [
    # A name beside a grandparent word says which grandparent is meant.
    ("I wonder whether grandad George feels pushed out.", ["george"]),
    ("George, Maya's grandad, misses the old house.", ["george", "maya"]),
    # Nothing says which: both grandfathers are offered, for the supervisor to choose.
    ("Perhaps her grandad feels pushed out.", ["george", "samuel"]),
    # The family's own word: Patricia is "nan", Folake is "grandma".
    ("Nan may feel she has to hold everyone together.", ["patricia"]),
    ("Grandma prays for Maya every Sunday.", ["folake", "maya"]),
    # Whose: "Mum's dad" is George, and "Mum" only points the way.
    ("When Mum's dad visits, Maya goes quiet.", ["george", "maya"]),
    ("Perhaps Tunde's partner feels like an outsider.", ["tunde", "amira"]),
    # Which side of the family.
    ("Her paternal grandad may see it differently.", ["samuel"]),
    # Nicknames, and a half-sister a child calls "my sister".
    ("Kayode and Ryan clash; Kay feels blamed.", ["kay", "ryan"]),
    ("Perhaps her sister feels left out.", ["lily"]),
    # The worker, by name.
    ("Priya may be caught between Mum and Dad.", ["worker", "leanne", "tunde"]),
])
def test_people_are_taken_from_names_and_family_words(blended: Case, text: str,
                                                       people: list[str]):
    assert people_in_text(text, blended) == people


def test_curly_apostrophes_read_as_straight_ones(blended: Case):
    assert people_in_text("When Mum\u2019s dad visits", blended) == ["george"]


def test_a_family_with_a_nana_and_great_grandparents(kinship: Case):
    assert people_in_text("Nana and Grandad are tired.", kinship) == ["beverley", "delroy"]
    assert people_in_text("great-grandma Hyacinth", kinship) == ["hyacinth"]


def test_rewording_follows_the_new_words_and_keeps_the_supervisors_choices(blended: Case):
    old = "Perhaps her grandad feels pushed out."  # offered: George and Samuel
    chosen = ["samuel", "craig"]  # George taken out by hand, Craig added by hand
    new = "Perhaps her grandad and Nan feel pushed out by Ryan."
    assert follow_rewording(old, chosen, new, blended) == ["samuel", "patricia", "ryan",
                                                           "craig"]
    # Someone named only in the old words goes when the idea no longer names them.
    assert follow_rewording("Mum and Ryan argue.", ["leanne", "ryan"],
                            "Mum worries about money.", blended) == ["leanne"]


def test_no_text_and_no_family_name_nobody(blended: Case):
    assert people_in_text("", blended) == []
    assert people_in_text("Money is tight this winter.", blended) == []
