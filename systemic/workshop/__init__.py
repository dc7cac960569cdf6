"""Workshop exercises for trainers, each with a check that gives kind, plain feedback.

One module per exercise, each on the workbook's fictional training cases and each with
a ``reset()``:

(a) :mod:`~systemic.workshop.genogram_drawing` — draw the genogram from a written vignette;
(b) :mod:`~systemic.workshop.circular_questions` — turn lineal questions into circular ones;
(c) :mod:`~systemic.workshop.graces_pairs` — a Social GRRAACCEESS self-map in pairs;
(d) :mod:`~systemic.workshop.three_hypotheses` — write three hypotheses with the coach;
(e) :mod:`~systemic.workshop.uncertainty_move` — place a case on the safe-uncertainty grid
    and argue for a move;
(f) :mod:`~systemic.workshop.circularity` — the Camden Charter's circularity exercise.

Vignettes, lineal questions and every sentence the checks say are data
(:mod:`~systemic.workshop.data`). Nothing an exercise holds is saved in the session store.

>>> from systemic.workshop import CircularityExercise
>>> CircularityExercise(["Sam", "Jo"]).progress()
'Not heard yet: Sam, Jo.'
"""

from systemic.workshop.circular_questions import CircularQuestionsExercise, check_rewrite
from systemic.workshop.circularity import CircularityExercise, links_to_previous
from systemic.workshop.data import (
    get_vignette,
    load_lineal_questions,
    load_vignettes,
    load_wording,
    training_case,
)
from systemic.workshop.genogram_drawing import GenogramExercise, answer_case, check_drawing
from systemic.workshop.graces_pairs import GracesPair, compare_self_maps
from systemic.workshop.three_hypotheses import ThreeHypotheses, review
from systemic.workshop.uncertainty_move import UncertaintyMove, check_move

__all__ = [
    "CircularQuestionsExercise",
    "CircularityExercise",
    "GenogramExercise",
    "GracesPair",
    "ThreeHypotheses",
    "UncertaintyMove",
    "answer_case",
    "check_drawing",
    "check_move",
    "check_rewrite",
    "compare_self_maps",
    "get_vignette",
    "links_to_previous",
    "load_lineal_questions",
    "load_vignettes",
    "load_wording",
    "review",
    "training_case",
]
