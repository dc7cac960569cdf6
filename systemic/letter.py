"""The note for the child's file as a letter to the child: "you" throughout, words they can read.

Where a framework asks for notes written to the child (``written_to_child``), the whole
note is a letter. Generated sentences come from ``child_letter.yaml`` and are short; typed
text that names the child is turned to "you" ("Maya is scared of handovers" → "You are
scared of handovers"); there are no scale numbers and no danger statements, and where
there are worries the letter says they are not the child's fault (DOMAIN.md §10).
:func:`hard_sentences` lists the sentences a child of that age would find too hard to
read (a Flesch–Kincaid grade above ``age - 5``, :mod:`systemic.readability`), so the
supervisor can say them more simply.

>>> to_you("Maya is scared. Maya's drawings show both houses.", "Maya")
'You are scared. Your drawings show both houses.'
>>> to_you("Mum says Maya likes Sundays.", "Maya")
'Mum says you like Sundays.'
>>> to_you("Maya's teacher is kind to her. She reads with her class.", "Maya", sex="female")
'Your teacher is kind to you. She reads with her class.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from systemic.datafile import load_model_once
from systemic.dates import long_date
from systemic.paths import VOCABULARIES_DIR
from systemic.readability import AGE_TO_GRADE, grade, readable_for, sentences

if TYPE_CHECKING:
    from systemic.note import ChildFileNote, NoteDocument

__all__ = ["LetterWording", "load_letter_wording", "to_you", "letter_document",
           "HardSentence", "hard_sentences"]


class LetterWording(BaseModel):
    """Every phrase of the letter, read from ``child_letter.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    title: str
    greeting: str
    opening: list[str]
    sections: dict[str, str]
    attendee: str
    question: str
    ideas_intro: list[str]
    worries: list[str]
    not_your_fault: str
    working_well_none: str
    decision: str
    decision_because: str
    action: str
    action_by: str
    idea: str
    keep_asking: str
    review: str
    talk_to: str
    from_line: str
    you_verbs: dict[str, str]


def load_letter_wording(path: str | Path | None = None) -> LetterWording:
    """Read the letter's wording (default ``frameworks/vocabularies/child_letter.yaml``)."""
    return load_model_once(LetterWording, path, VOCABULARIES_DIR / "child_letter.yaml")


_OBJECT_AFTER = frozenset({"that", "to", "about", "with", "and", "or", "at", "in", "on", "for",
                           "from", "when", "if", "because", "so", "again", "too", "a", "an",
                           "the", "some", "back", "out", "up", "down", "home", "what", "how",
                           "more", "less", "first", "every", "each", "this", "it", "off"})
_NOT_VERBS = frozenset({"always", "sometimes", "perhaps", "less", "across", "towards",
                        "afterwards", "besides", "yes", "thus", "as", "its", "this", "us",
                        "plus", "unless", "whereas", "nowadays"})


def _plain_verb(word: str, verbs: dict[str, str]) -> str:
    """The verb after "you": "is" → "are", "carries" → "carry", "misses" → "miss"."""
    low = word.lower()
    if low in verbs:
        return verbs[low]
    if low in _NOT_VERBS or len(low) < 4 or not low.endswith("s") or low.endswith("ss"):
        return word
    if low.endswith("ies"):
        return word[:-3] + "y"
    if re.search(r"(ss|sh|ch|x|z|o)es$", low):
        return word[:-2]
    return word[:-1]


_PRONOUNS = {"female": ("she", "her", "her"), "male": ("he", "him", "his")}


def to_you(text: str, name: str, wording: LetterWording | None = None,
           sex: str = "unknown") -> str:
    """Typed text with the child's name turned to "you", "your" and the verb after it;
    in a sentence that names the child, "she", "her" (or "he", "him", "his") too."""
    if not name or not text:
        return text
    verbs = (wording or load_letter_wording()).you_verbs
    n = re.escape(name)

    def verb(m: re.Match[str]) -> str:
        return "you " + _plain_verb(m.group(1), verbs)

    out = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        named = re.search(rf"\b{n}\b", sentence)
        sentence = re.sub(rf"\b{n}['’]s\b", "your", sentence)
        sentence = re.sub(rf"\b{n}\s+(\w+)\b", verb, sentence)
        sentence = re.sub(rf"\b{n}\b", "you", sentence)
        if named and sex in _PRONOUNS:
            subject, obj, possessive = _PRONOUNS[sex]
            sentence = re.sub(rf"\b{subject}\s+(\w+)\b", verb, sentence, flags=re.I)
            sentence = re.sub(rf"\b{possessive}\b(?=\s+(\w+))",
                              lambda m: "you" if m.group(1).lower() in _OBJECT_AFTER
                              else "your", sentence)
            sentence = re.sub(rf"\b{obj}\b", "you", sentence)
        out.append(sentence)
    # A capital at the start of each sentence.
    return re.sub(r"(^|[.!?]\s+)(you|your)\b", lambda m: m.group(1) + m.group(2).capitalize(),
                  " ".join(out))


_LOWER = frozenset({"the", "a", "an", "it", "there", "this", "that", "these", "those", "she",
                    "he", "they", "we", "her", "his", "their", "our", "when", "both", "each",
                    "some", "all", "everyone", "someone"})


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _fill(template: str, **values: str) -> str:
    import string

    return string.Formatter().vformat(template, (), values)


def _sections(note: ChildFileNote, w: LetterWording) -> list[tuple[str, str, list[str], list[str]]]:
    from systemic.note import after_because, tentative

    name = note.child_name or ""

    def you(text: str) -> str:
        return to_you(_sentence(text), name, w, note.child_sex)

    out: list[tuple[str, str, list[str], list[str]]] = []

    def add(block: str, paragraphs: list[str], items: list[str] = ()) -> None:
        if paragraphs or items:
            out.append((block, w.sections[block], paragraphs, list(items)))

    add("attendees", [], [_fill(w.attendee, name=a.name) for a in note.attendees])
    if note.question.strip():
        add("question", [you(_fill(w.question, question=note.question.strip()))])
    if note.summary.strip():
        add("summary", [you(note.summary)])
    if note.child_voice.strip():
        add("child_voice", [you(note.child_voice)])
    if note.ideas:
        ideas = []
        for idea in note.ideas:
            said = tentative(idea.text)
            if said:
                ideas.append(you(_fill(w.idea, idea=said[0].lower() + said[1:]
                                       if said.split()[0].lower() in _LOWER else said)))
        add("ideas", list(w.ideas_intro), ideas)
    if note.worries or note.scaling:
        add("worries", [*w.worries, w.not_your_fault])
    add("working_well", [], [you(t) for t in note.working_well] or [w.working_well_none])
    decisions = []
    for d in note.decisions:
        decision = after_because(d.decision.strip().rstrip("."), note.names)
        reason = after_because(d.reason.strip().rstrip("."), note.names)
        template = w.decision_because if reason else w.decision
        decisions.append(you(_fill(template, decision=decision, reason=reason)))
    add("decisions", [], decisions)
    actions = [you(_fill(w.action_by if a.due else w.action, what=a.what.strip().rstrip("."),
                         due=long_date(a.due) if a.due else "")) for a in note.actions]
    actions += [you(s) for s in note.next_steps if s.strip()]
    add("actions", [w.keep_asking] if note.worries or note.scaling else [], actions)
    if note.review_date:
        add("review", [_fill(w.review, date=long_date(note.review_date))])
    return out


def letter_document(note: ChildFileNote, wording: LetterWording | None = None) -> NoteDocument:
    """The note as a letter to the child (the child's name must be known)."""
    from systemic.note import NoteDocument, NoteSection

    w = wording or load_letter_wording()
    name = note.child_name or ""
    intro = (_fill(w.greeting, child=name),
             *(_fill(line, date=long_date(note.date)) for line in w.opening))
    sections = tuple(NoteSection(block, title, tuple(p), tuple(i))
                     for block, title, p, i in _sections(note, w))
    closing = []
    if note.worker.strip():
        closing.append(_fill(w.talk_to, worker=note.worker.strip()))
    author = note.author.strip() or note.supervisor.strip()
    if author:
        closing.append(_fill(w.from_line, name=author))
    return NoteDocument(title=_fill(w.title, child=name), intro=intro, sections=sections,
                        closing=tuple(closing))


@dataclass(frozen=True)
class HardSentence:
    """A sentence of the letter that is hard to read at the child's age, and where it is."""

    section: str
    sentence: str
    grade: float


def _split(text: str) -> Iterable[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def hard_sentences(document: NoteDocument, age: int) -> list[HardSentence]:
    """Sentences of the letter above the reading grade for ``age`` (``age - 5``)."""
    parts = [("the opening lines", t) for t in document.intro]
    for s in document.sections:
        parts += [(s.title, t) for t in (*s.paragraphs, *s.items)]
    out = []
    for section, text in parts:
        for sentence in _split(text):
            if len(sentence.split()) < MIN_WORDS:
                continue  # a name or a date is not a sentence to read
            if sentences(sentence) and not readable_for(sentence, age):
                out.append(HardSentence(section, sentence, round(grade(sentence), 1)))
    return out


#: Shorter lines (a name in the list of who was there) are not scored.
MIN_WORDS = 4
#: Re-exported for the note's check: the grade limit a child of an age reads at.
READING_GRADE_OFFSET = AGE_TO_GRADE
