"""The circular-question generator: a template bank, filled from a case, ranked and balanced.

``generate`` makes every sensible question for a case (and the session's hypotheses),
``choose`` filters and balances them across Tomm's types, ``more_like`` finds
neighbours of a question, and ``classify`` says which of Tomm's four types a question
someone typed most likely is, and why.
"""

from systemic.questions.classify import Classification, classify
from systemic.questions.generate import HypothesisInput, Question, generate
from systemic.questions.rank import choose, more_like

__all__ = ["HypothesisInput", "Question", "generate", "choose", "more_like", "classify",
           "Classification"]
