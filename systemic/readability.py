"""How hard a text is to read: a Flesch–Kincaid grade, for words meant for a child.

The letter to the child in the note for the child's file, and the questions asked of a
child, must be in words a child of that age can read or follow. We use the
Flesch–Kincaid grade level (Kincaid et al. 1975), a US school grade::

    grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59

A UK child of age *a* is roughly in US grade *a* − 5 or *a* − 6 (Year 5, age 9–10, is
US grade 4), so :func:`readable_for` asks for ``grade ≤ age − 5`` for text a child
reads alone, and one grade more for a question a worker says aloud (children follow
speech before they read it as well). Syllables are counted by vowel groups with the
usual English corrections (a silent final "e", "-le", "-ed"): good enough for a grade,
not for a dictionary. Very short texts score low; the score is a floor check, not a
judgement of kindness.

>>> round(grade("We met to think about you. We want you to be safe and happy."), 1)
0.6
>>> readable_for("You are not to blame for what happened at home.", 9)
True
>>> readable_for("Our assessment identified significant concerns regarding supervision.", 9)
False
"""

from __future__ import annotations

import re

__all__ = ["syllables", "words", "sentences", "grade", "readable_for", "READ_ALOUD_BONUS",
           "AGE_TO_GRADE"]

#: A UK age minus this is the US grade a child reads at.
AGE_TO_GRADE = 5
#: Grades allowed beyond that for words said aloud to the child.
READ_ALOUD_BONUS = 1

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def words(text: str) -> list[str]:
    """The words of ``text`` (numbers and punctuation left out)."""
    return _WORD.findall(text)


def sentences(text: str) -> int:
    """How many sentences: ends of sentences, at least one if there are words."""
    ends = len(re.findall(r"[.!?]+(?:\s|$)", text.strip() + " "))
    return max(ends, 1 if words(text) else 0)


def syllables(word: str) -> int:
    """Syllables in one English word, by vowel groups with common corrections.

    >>> [syllables(w) for w in ("cat", "table", "family", "worried", "home", "safety")]
    [1, 2, 3, 2, 1, 3]
    """
    w = word.lower().replace("’", "'").split("'")[0]
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(len(re.findall(r"[aeiouy]{1,2}", w)), 1)


def grade(text: str) -> float:
    """The Flesch–Kincaid grade of ``text`` (0 for no words)."""
    ws = words(text)
    if not ws:
        return 0.0
    n_sentences = sentences(text)
    n_syllables = sum(syllables(w) for w in ws)
    return 0.39 * (len(ws) / n_sentences) + 11.8 * (n_syllables / len(ws)) - 15.59


def readable_for(text: str, age: int, *, aloud: bool = False) -> bool:
    """Whether a child of ``age`` can read ``text`` (or follow it said ``aloud``)."""
    limit = age - AGE_TO_GRADE + (READ_ALOUD_BONUS if aloud else 0)
    return round(grade(text), 1) <= limit
