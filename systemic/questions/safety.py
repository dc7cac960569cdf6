"""Safety rules: pairs of people the family and the child are never asked about together.

Where a case records abuse, violence, hostility, a cut-off or a no-contact arrangement
between two people, a question that names both of them — a couple question, "talk to
each other directly", an invitation to reflect together on their relationship — can
raise the risk and silence the person harmed (DOMAIN.md §10). The rules are data
(``safety.yaml``: the line kinds and words that fire each rule, its reason and its
source); this module finds the guarded pairs in a case, says what was left out and why,
and tells the generator which questions to leave out.

>>> from systemic.cases import parse_case
>>> case = parse_case({"id": "d", "title": "D", "fictional": True, "focal_child": "amy",
...     "people": [{"id": "amy", "name": "Amy", "born": 2016},
...                {"id": "kim", "name": "Kim", "sex": "female", "born": 1990},
...                {"id": "lee", "name": "Lee Hart (Mum's partner)", "sex": "male"}],
...     "relationships": [{"from": "lee", "to": "kim", "kind": "emotional_abuse"}]}, "d.yaml")
>>> [(p.a, p.b, p.rule) for p in guarded_pairs(case)]
[('lee', 'kim', 'abuse')]
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from systemic.cases import RELATIONSHIP_KINDS, Case
from systemic.datafile import parse_model, read_yaml

__all__ = ["SAFETY_PATH", "SafetyRule", "SafetyRules", "GuardedPair", "load_safety",
           "guarded_pairs", "child_pairs", "is_guarded", "person_names"]

SAFETY_PATH = Path(__file__).with_name("safety.yaml")

_Words = Annotated[str, Field(min_length=1, max_length=300)]
#: Titles that are not first names ("Mrs Hana Shah" is Hana).
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame",
                    "lady", "lord", "fr", "sr"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SafetyRule(_Model):
    """One rule: the lines and words that fire it, why, and where it comes from."""

    id: Annotated[str, Field(pattern=r"^[a-z_]{2,30}$")]
    kinds: tuple[str, ...] = ()
    words: tuple[_Words, ...] = ()
    reason: _Words
    source: _Words
    extends_to_child: _Words | None = None
    not_words: tuple[_Words, ...] = ()
    adults_only: bool = False

    @model_validator(mode="after")
    def _known_kinds(self) -> SafetyRule:
        unknown = sorted(set(self.kinds) - set(RELATIONSHIP_KINDS))
        if unknown:
            raise ValueError(f"rule '{self.id}': '{unknown[0]}' is not a relationship kind — "
                             f"use one of {', '.join(RELATIONSHIP_KINDS)}")
        return self


class SafetyRules(_Model):
    """The whole file: who is protected, the sentences shown, the rules, the lines that are
    not rules (with their reason)."""

    source: _Words
    version: int = 1
    audiences: tuple[str, ...] = ("family", "child")
    couple_questions_for_worker: bool = False
    left_out: _Words
    offered: _Words
    rules: tuple[SafetyRule, ...] = Field(min_length=1)
    not_rules: dict[str, _Words] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _every_kind_decided(self) -> SafetyRules:
        ruled = {k for r in self.rules for k in r.kinds}
        both = ruled & set(self.not_rules)
        if both:
            raise ValueError(f"'{sorted(both)[0]}' is both a rule's kind and under not_rules "
                             "— keep it in one place")
        missing = [k for k in RELATIONSHIP_KINDS if k not in ruled | set(self.not_rules)]
        if missing:
            raise ValueError(f"relationship kind '{missing[0]}' is in no rule and not under "
                             "not_rules — add it to one, with its reason")
        return self

    def rule(self, rule_id: str) -> SafetyRule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


@cache
def _load(path: str) -> SafetyRules:
    return parse_model(SafetyRules, read_yaml(path), path)


def load_safety(path: str | Path | None = None) -> SafetyRules:
    """The safety rules (the packaged ``safety.yaml`` by default), checked and cached."""
    return _load(str(Path(path) if path is not None else SAFETY_PATH))


@dataclass(frozen=True)
class GuardedPair:
    """Two people the family and the child are not asked about together.

    ``a`` and ``b`` are ids; for a directed line (abuse) ``a`` is the person whose
    behaviour is the worry and ``b`` the person harmed. ``rule`` is the rule's id and
    ``evidence`` where it was found ("line: physical_abuse", "chronology 2026-10").
    """

    a: str
    b: str
    rule: str
    evidence: str

    @property
    def directed(self) -> bool:
        """Whether a directed line says who harmed whom (``a`` harmed ``b``)."""
        return self.evidence in ("line physical_abuse", "line emotional_abuse",
                                 "line sexual_abuse")

    @property
    def people(self) -> frozenset[str]:
        return frozenset((self.a, self.b))


def person_names(name: str) -> list[str]:
    """The names a person may be called by in free text, from their recorded name.

    Brackets hold a nickname only when they look like one ("Kayode (Kay) Hart"), not a
    role or an age ("Hana Shah (mum, 36)"); titles are skipped ("Mrs Hana Shah").

    >>> person_names("Kayode (Kay) Adeyemi-Hart"), person_names("Mrs Hana Shah (mum, 36)")
    (['Kay', 'Kayode'], ['Hana'])
    """
    out = []
    nick = _nickname(name)
    if nick:
        out.append(nick)
    first = first_name(name)
    if first and first not in out:
        out.append(first)
    return out


def _nickname(name: str) -> str | None:
    for inside in re.findall(r"\(([^)]*)\)", name):
        inside = re.sub(r"^(known as|aka|called)\s+", "", inside.strip(), flags=re.I)
        if re.fullmatch(r"[A-Z][a-zA-Z'’\-]{0,30}", inside):
            return inside
    return None


def first_name(name: str) -> str:
    """The first name: no brackets, no title, no role after a comma.

    >>> first_name("Dr. Ali Khan"), first_name("Hana Shah (mum, 36)"), first_name("(unknown)")
    ('Ali', 'Hana', '')
    """
    plain = re.sub(r"\([^)]*\)?", " ", name).split(",")[0]
    words = [w for w in plain.split() if w.rstrip(".").lower() not in TITLES]
    words = [w for w in words if re.search(r"[A-Za-z]", w)]
    return words[0].strip("'’\"") if words else ""


def _word_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = sorted((re.escape(w).replace(r"\ ", r"[\s\-]+") for w in words), key=len,
                   reverse=True)
    return re.compile(rf"\b(?:{'|'.join(parts)})(?:s|es|ed|d|ing)?\b", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    """Sentences, and clauses joined by "; " or ", and" (each says who did what)."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+|,\s+(?:and|but|while|then|so)\s+", text or "")
    return [s for s in parts if s.strip()]


def _named_in(sentence: str, names: dict[str, list[str]]) -> set[str]:
    found = set()
    for pid, words in names.items():
        if any(re.search(rf"\b{re.escape(w)}\b", sentence) for w in words if w):
            found.add(pid)
    return found


def _texts(case: Case) -> Iterable[tuple[str, str, frozenset[str]]]:
    """Free text of the case with the people each text is about already (where, text, people)."""
    for r in case.relationships:
        yield f"line {r.kind}", r.notes or "", frozenset((r.from_, r.to))
    for u in case.unions:
        yield "couple", u.notes or "", frozenset(u.partners)
    for p in case.people:
        yield "notes", p.notes or "", frozenset((p.id,))
    for ev in case.chronology:
        yield f"chronology {ev.date}", ev.event, frozenset()
    yield "referral", case.referral, frozenset()


def _adult(case: Case, pid: str, year: int) -> bool:
    born = case.people_by_id[pid].born
    return born is None or year - born.year >= ADULT_AGE


#: Rules marked ``adults_only`` guard two adults only (a child hitting out at home is
#: family work, not a reason to keep a child and their carer apart).
ADULT_AGE = 18


def guarded_pairs(case: Case, rules: SafetyRules | None = None,
                  year: int | None = None) -> list[GuardedPair]:
    """Every pair of people a rule guards, once per pair (the first rule in the file wins).

    A line of a rule's kinds guards its two people; so does a rule's word in a sentence
    that names both of them (a line's or a couple's notes name their two people already;
    a person's notes name that person).
    """
    rules = rules or load_safety()
    people = {p.id: p for p in case.people if p.kind == "person"}
    names = {pid: person_names(p.name) for pid, p in people.items()}
    found: dict[frozenset[str], tuple[tuple[int, int], GuardedPair]] = {}
    order = {r.id: i for i, r in enumerate(rules.rules)}

    year = year or dt.date.today().year
    adults_only = {r.id for r in rules.rules if r.adults_only}

    def add(a: str, b: str, rule: str, evidence: str, by_word: bool) -> None:
        if a == b or a not in people or b not in people:
            return
        if rule in adults_only and not (_adult(case, a, year) and _adult(case, b, year)):
            return
        key, rank = frozenset((a, b)), (int(by_word), order[rule])
        if key not in found or rank < found[key][0]:
            found[key] = (rank, GuardedPair(a, b, rule, evidence))

    for rule in rules.rules:
        for r in case.relationships:
            if r.kind in rule.kinds:
                add(r.from_, r.to, rule.id, f"line {r.kind}", False)
        pattern = _word_pattern(rule.words)
        if pattern is None:
            continue
        unsaid = _word_pattern(rule.not_words)
        for where, text, about in _texts(case):
            for sentence in _sentences(text):
                if unsaid is not None:
                    sentence = unsaid.sub(" ", sentence)
                if not pattern.search(sentence):
                    continue
                named = sorted(about | _named_in(sentence, names),
                               key=lambda pid: list(people).index(pid) if pid in people else 0)
                for a, b in itertools.combinations(named, 2):
                    add(a, b, rule.id, where, True)
    return [pair for _, pair in found.values()]


def child_pairs(case: Case, focus: str, pairs: Iterable[GuardedPair],
                rules: SafetyRules | None = None) -> list[GuardedPair]:
    """Pairs of the child at the centre and a person whose abuse is recorded on a directed
    line towards someone the child lives with (or anyone, where no homes are recorded):
    rules with ``extends_to_child``. ``evidence`` names the person harmed."""
    rules = rules or load_safety()
    homes = [set(h.members) for h in case.households if focus in h.members]
    out = []
    for p in pairs:
        rule = rules.rule(p.rule)
        if not rule.extends_to_child or not p.evidence.startswith("line ") or focus in p.people:
            continue
        if homes and not any(p.b in home or p.a in home for home in homes):
            continue
        out.append(GuardedPair(p.a, focus, p.rule, f"child of {p.b}"))
    return out


def is_guarded(people: Iterable[str], pairs: Iterable[GuardedPair]) -> GuardedPair | None:
    """The first guarded pair whose two people are both in ``people``, if any."""
    named = set(people)
    return next((p for p in pairs if p.people <= named), None)
