"""Filling question templates from a case: the people, their lines, events and hypotheses.

The generator walks the template bank and, for each template, finds the people and
things in the case that can fill its roles: the carers, a pair joined by an emotional
line (a conflict line asks for behavioural-effect and triadic questions), a couple and
its status, a third person to comment on the pair, a recent event, an ecomap
connection, a grace someone has shared, a hypothesis recorded in the session. Only
sensible combinations are made:

* every person named in one question is a different person, and a triad is three
  distinct living people;
* nobody who has died is asked about as if present: the dead appear only in
  past-tense questions about loss (templates marked ``loss``);
* the child is asked only the child-friendly wordings, only when old enough, and
  never about an adult couple's intimacy;
* every placeholder is filled, and no question is given twice.

Each question carries a score (closeness of the people to the child, whether it tests
a hypothesis, whether it is about a line on the genogram, how recent the event is);
:mod:`systemic.questions.rank` chooses and balances among them.

>>> from systemic.cases import parse_case
>>> case = parse_case({"id": "d", "title": "D", "fictional": True, "focal_child": "amy",
...     "people": [{"id": "amy", "name": "Amy", "born": 2016},
...                {"id": "kim", "name": "Kim", "sex": "female", "born": 1990},
...                {"id": "lee", "name": "Lee", "sex": "male", "born": 1988},
...                {"id": "jo", "name": "Jo", "sex": "female", "born": 1960}],
...     "parents": [{"child": "amy", "parents": ["kim", "lee"]},
...                 {"child": "kim", "parents": ["jo"]}],
...     "relationships": [{"from": "kim", "to": "lee", "kind": "conflict"}]}, "d.yaml")
>>> qs = generate(case)
>>> [q.text for q in qs if q.template == "C9" and q.audience == "child"]
['When Mum and Dad argue, what do you do? And what does Nan do then?']
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any

from systemic.cases import Case, EcomapConnection, PartialDate
from systemic.paths import VOCABULARIES_DIR
from systemic.questions.bank import (
    AUDIENCES,
    HARM_LINES,
    PRONOUN_FIELDS,
    Bank,
    Template,
    load_bank,
    role_letters,
)
from systemic.questions.phrases import event_clause, join_names, ordinal, when_phrase
from systemic.questions.roles import Cast, choose_focus
from systemic.questions.safety import (
    GuardedPair,
    child_pairs,
    guarded_pairs,
    is_guarded,
    load_safety,
    person_names,
)
from systemic.readability import readable_for

__all__ = ["HypothesisInput", "Question", "generate", "left_out_notes", "clause", "proper_words"]

_CONFLICT = ("conflict", "hostile", "close_hostile")
_PARENTAL = ("parent", "step_parent", "parent_partner", "carer")
#: Combinations looked at per template: enough for a large family, bounded for speed.
_MAX_COMBINATIONS = 150


@dataclass(frozen=True)
class HypothesisInput:
    """A hypothesis recorded in the session, as the generator needs it.

    ``text`` is the hypothesis in the group's words ("I wonder whether Kay's anger
    keeps Mum and Dad talking"); ``people`` the ids of the people it is about.
    """

    id: str
    text: str
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question, ready to ask.

    ``type`` and ``subtype`` come from the template (``tomm`` is which of Tomm's four
    types it is); ``audience`` is who is asked (the family, the child, or the worker in
    supervision); ``people`` the ids of the people it names (and the child, when the
    child is asked); ``template`` the template id; ``hypothesis_id`` the hypothesis it
    tests, if any; ``caution`` a note for questions to use sparingly.
    """

    type: str
    subtype: str
    audience: str
    text: str
    people: tuple[str, ...]
    template: str
    hypothesis_id: str | None = None
    score: float = 0.0
    tomm: str = ""
    caution: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain dict for ``--json`` and the session store.

        >>> Question("lineal", "fact", "family", "Who?", ("a",), "L1").to_json()["people"]
        ['a']
        """
        out = asdict(self)
        out["people"] = list(self.people)
        return out


# ---------------------------------------------------------------- words for the slots
_LEADS = re.compile(
    r"^(?:hypothesis\s*:\s*|i\s+wonder\s+(?:if|whether)\s+|perhaps\s+|maybe\s+|"
    r"it\s+(?:may|might|could)\s+be\s+that\s+|we\s+wonder\s+(?:if|whether)\s+)",
    re.IGNORECASE,
)


def clause(text: str, keep_capitals: Iterable[str] = ()) -> str:
    """A hypothesis as a clause that can follow "I wonder whether" or "the idea that".

    Drops a leading "I wonder if", "Perhaps" and the final full stop; lowers the first
    letter unless the first word is a name, a family word such as "Mum", or an acronym.

    >>> clause("I wonder if Kay's anger keeps Mum and Dad talking.", ["Kay"])
    "Kay's anger keeps Mum and Dad talking"
    >>> clause("Perhaps the arguments started when Grandad died")
    'the arguments started when Grandad died'
    """
    text = " ".join(text.split()).strip()
    previous = None
    while previous != text:
        previous = text
        text = _LEADS.sub("", text).strip()
    text = text.rstrip(".!? ").strip()
    if not text:
        return ""
    first = re.split(r"[\s'’,]", text)[0]
    keep = {k.lower() for k in keep_capitals} | {"i", "mum", "dad", "nan", "nana", "gran",
                                                  "grandad", "grandma", "granny", "grandpa"}
    if first.lower() in keep or (first.isupper() and len(first) > 1):
        return text
    return text[0].lower() + text[1:]


def proper_words(case: Case) -> frozenset[str]:
    """Words the case writes with a capital in the middle of a sentence: names of people
    and places ("Harrowfield"), which keep their capital when a name is put mid-sentence.

    >>> from systemic.cases import Case
    >>> sorted(proper_words(Case(id="c", title="t", fictional=True,
    ...     referral="The school in Harrowfield called. Mum agreed.")))
    ['Harrowfield']
    """
    texts = [case.referral, case.question]
    for p in case.people:
        texts += [p.name, p.notes or "", *p.graces.values()]
    texts += [e.name for e in case.ecomap] + [e.notes or "" for e in case.ecomap]
    texts += [ev.event for ev in case.chronology] + [h.name for h in case.households]
    found: set[str] = set()
    for text in texts:
        for m in re.finditer(r"(?<=[a-z,;:’'\-] )([A-Z][\w’'\-]*)", text):
            found.add(re.sub(r"[’']s$", "", m.group(1)))
    return frozenset(found)


def _place(name: str, proper: frozenset[str] = frozenset()) -> str:
    """An ecomap or household name as it reads mid-sentence.

    Names that are already proper ("Fernhill Primary School", "CAMHS", "Nan's house")
    stay as they are; a common name gets "the" ("the youth club").

    >>> _place("Youth club"), _place("Fernhill Primary School"), _place("Dad's flat, Eastgate")
    ('the youth club', 'Fernhill Primary School', "Dad's flat")
    >>> _place("Harrowfield carers' group", frozenset({"Harrowfield"}))
    "the Harrowfield carers' group"
    >>> _place("A group chat"), _place("Dee", frozenset({"Dee"}))
    ('a group chat', 'Dee')
    """
    name = re.sub(r"\s*\([^)]*\)?", "", name).split(",")[0].strip() or name
    words = name.split()
    if not words:
        return name
    first = words[0]
    if first.lower() in ("the", "a", "an"):
        return first.lower() + name[len(first):]
    if re.search(r"[’']s?$", first) or (first.isupper() and len(first) > 1):
        return name
    if sum(1 for w in words if w[:1].isupper()) >= 2:
        return name
    if first in proper:
        return name if len(words) == 1 else "the " + name
    return "the " + first[0].lower() + name[1:]


@cache
def _grace_labels() -> dict[str, str]:
    from systemic.datafile import read_yaml

    try:
        data = read_yaml(VOCABULARIES_DIR / "graces.yaml")
        return {
            str(g["id"]): str(g["label"]).lower()
            for g in data.get("graces", [])
            if isinstance(g, dict) and "id" in g and "label" in g
        }
    except Exception:  # noqa: BLE001 - the vocabulary is optional; ids read well enough
        return {}


def _grace(grace_id: str) -> str:
    return _grace_labels().get(grace_id, grace_id.replace("_", " "))


# ---------------------------------------------------------------- events
@dataclass(frozen=True)
class _Event:
    """An event said as a past-tense clause with its date ("Lily was born in May 2024")."""

    when: PartialDate
    clause: str = ""
    people: tuple[str, ...] = ()
    couple: tuple[str, str] | None = None  # a separation worked out from the unions
    born: str | None = None  # a sibling's birth worked out from the people

    def render(self, cast: Cast, audience: str) -> str:
        if self.couple:
            a, b = (cast.label(p, audience) for p in self.couple)
            return f"{a} and {b} separated {when_phrase(self.when)}"
        if self.born:
            return f"{cast.label(self.born, audience)} was born {when_phrase(self.when)}"
        return self.clause


def _events(case: Case, cast: Cast, limit: int, proper: frozenset[str]) -> list[_Event]:
    """The most recent events that can be said naturally: the chronology, and separations
    and births it leaves out. An event in shorthand that cannot be said as a clause is
    not used (a question never quotes the chronology)."""
    names = set(proper) | {n for p in case.people for n in person_names(p.name)}
    events = []
    for ev in case.chronology:
        said = event_clause(ev.event, ev.date, names)
        if said:
            events.append(_Event(ev.date, said, tuple(ev.people)))
    for u in case.unions:
        a, b = u.partners
        if u.status not in ("separated", "divorced") or u.ended is None:
            continue
        if any({a, b} <= set(ev.people) and ev.date.year == u.ended.year
               for ev in case.chronology):
            continue  # the chronology already tells it in the worker's words
        if cast.salience(a) + cast.salience(b) >= 1.0:
            events.append(_Event(u.ended, people=(a, b), couple=(a, b)))
    focus = case.people_by_id[cast.focus]
    if focus.born is not None:
        for pid in cast.siblings():
            born = case.people_by_id[pid].born
            if born is not None and born.sort_key() > focus.born.sort_key() and not any(
                pid in ev.people and ev.date.year == born.year for ev in case.chronology
            ):
                events.append(_Event(born, people=(pid,), born=pid))
    events.sort(key=lambda ev: ev.when.sort_key(), reverse=True)
    return events[:limit]


# ---------------------------------------------------------------- role candidates
@dataclass(frozen=True)
class _Option:
    """One way to fill one role: the letters it sets, the other slots, and why it matters."""

    letters: tuple[tuple[str, str], ...] = ()
    slots: tuple[tuple[str, Any], ...] = ()
    line: str | None = None
    event_rank: int | None = None
    hypothesis: HypothesisInput | None = None


@dataclass
class _Context:
    case: Case
    cast: Cast
    bank: Bank
    hypotheses: tuple[HypothesisInput, ...]
    events: list[_Event]
    child_ok: bool
    clauses: dict[str, str] = field(default_factory=dict)
    proper: frozenset[str] = frozenset()
    guarded: tuple[GuardedPair, ...] = ()
    adult_focus: bool = False
    ideas: dict[str, int] = field(default_factory=dict)  # hypothesis id → its place (1, 2…)


def _people_options(ids: Sequence[str], letter: str, k: int) -> list[_Option]:
    return [_Option(letters=((letter, pid),)) for pid in ids[:k]]


def _pairs(ids: Sequence[str], letters: tuple[str, ...], k: int) -> list[_Option]:
    return [
        _Option(letters=((letters[0], a), (letters[1], b)))
        for a, b in itertools.combinations(ids[:k], 2)
    ]


def _lines(ctx: _Context, t: Template) -> list[tuple[str, str, str]]:
    kinds = set(t.line_kinds) or None
    out = []
    for r in ctx.case.relationships:
        if kinds is None and r.kind in HARM_LINES:
            continue
        if kinds is not None and r.kind not in kinds:
            continue
        out.append((r.from_, r.to, r.kind))
    return out


def _child_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                   bound: dict[str, str]) -> list[_Option]:
    return [_Option()] if ctx.cast.living(ctx.cast.focus) else []


def _carer_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                   bound: dict[str, str]) -> list[_Option]:
    if ctx.adult_focus:  # an adult at the centre has no carers to ask about
        return []
    s = ctx.bank.settings
    return _people_options(ctx.cast.carers(s.adult_age), letters[0], s.candidates_per_role)


def _two_carers_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                        bound: dict[str, str]) -> list[_Option]:
    if ctx.adult_focus:
        return []
    s = ctx.bank.settings
    return _pairs(ctx.cast.carers(s.adult_age), letters, s.candidates_per_role)


def _guarded_pair_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                          bound: dict[str, str]) -> list[_Option]:
    cast = ctx.cast
    return [
        _Option(letters=((letters[0], g.a), (letters[1], g.b)))
        for g in ctx.guarded
        if g.rule in t.guards and cast.living(g.a) and cast.living(g.b)
        and not g.evidence.startswith("child of ") and (g.directed or not t.directed)
    ][: ctx.bank.settings.candidates_per_role * 2]


def _adult_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                   bound: dict[str, str]) -> list[_Option]:
    s = ctx.bank.settings
    return _people_options(ctx.cast.adults(s.adult_age), letters[0], s.candidates_per_role)


def _sibling_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                     bound: dict[str, str]) -> list[_Option]:
    return _people_options(ctx.cast.siblings(), letters[0], ctx.bank.settings.candidates_per_role)


def _relative_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                      bound: dict[str, str]) -> list[_Option]:
    return _people_options(ctx.cast.relatives(), letters[0],
                           ctx.bank.settings.candidates_per_role)


def _lost_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                  bound: dict[str, str]) -> list[_Option]:
    cast, focus = ctx.cast, ctx.cast.focus
    if not cast.living(focus) and cast.dead(focus):
        return _people_options([focus], letters[0], 1)
    lost = cast.lost()
    if t.died_in_childs_life:
        born = ctx.case.people_by_id[focus].born
        # A death whose date is not known cannot be said to fall in the child's life.
        died = {pid: ctx.case.people_by_id[pid].died for pid in lost}
        lost = [
            pid for pid in lost
            if born is None or (died[pid] is not None and died[pid].year >= born.year)
        ]
    return _people_options(lost, letters[0], ctx.bank.settings.candidates_per_role)


def _third_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                   bound: dict[str, str]) -> list[_Option]:
    cast, s = ctx.cast, ctx.bank.settings
    ids = [
        pid for pid in cast.relatives()
        if (cast.age(pid) is None or cast.age(pid) >= s.third_min_age)
    ]
    return _people_options(ids, letters[0], s.candidates_per_role + len(bound))


def _pair_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                  bound: dict[str, str]) -> list[_Option]:
    cast = ctx.cast
    lines = [
        (a, b, kind) for a, b, kind in _lines(ctx, t)
        if cast.focus not in (a, b) and cast.living(a) and cast.living(b)
    ]
    lines.sort(key=lambda x: -(cast.salience(x[0]) + cast.salience(x[1])))
    return [
        _Option(letters=((letters[0], a), (letters[1], b)), line=kind)
        for a, b, kind in lines[: ctx.bank.settings.candidates_per_role * 2]
    ]


def _child_line_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                        bound: dict[str, str]) -> list[_Option]:
    cast, focus = ctx.cast, ctx.cast.focus
    out = []
    for a, b, kind in _lines(ctx, t):
        if focus not in (a, b):
            continue
        if t.line_direction == "from_child" and a != focus:
            continue
        if t.line_direction == "to_child" and b != focus:
            continue
        other = b if a == focus else a
        if cast.living(other):
            out.append(_Option(letters=((letters[0], other),), line=kind))
    out.sort(key=lambda o: -cast.salience(o.letters[0][1]))
    return out[: ctx.bank.settings.candidates_per_role]


def _couple_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                    bound: dict[str, str]) -> list[_Option]:
    cast, s = ctx.cast, ctx.bank.settings
    couples = [
        u for u in ctx.case.unions
        if (not t.union_status or u.status in t.union_status)
        and all(cast.living(p) and not cast.minor(p, s.adult_age) for p in u.partners)
        # A question about what a couple means for the child is about the child's
        # parents and their partners, not a step-parent's old marriage.
        and ("child" not in t.needs
             or all(cast.kin(p).category in _PARENTAL for p in u.partners))
    ]
    couples.sort(key=lambda u: -sum(cast.salience(p) for p in u.partners))
    return [
        _Option(letters=((letters[0], u.partners[0]), (letters[1], u.partners[1])))
        for u in couples[: s.candidates_per_role]
    ]


def _event_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                   bound: dict[str, str]) -> list[_Option]:
    # Events that involve several people first: "who was there" needs a "there".
    ranked = sorted(enumerate(ctx.events), key=lambda x: (len(x[1].people) < 2, x[0]))
    return [_Option(slots=(("event", ev),), event_rank=rank)
            for rank, (_, ev) in enumerate(ranked)]


def _event_people_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                          bound: dict[str, str]) -> list[_Option]:
    out = []
    for i, ev in enumerate(ctx.events):
        living = ctx.cast.ranked(p for p in ev.people if ctx.cast.living(p))
        for a, b in list(itertools.combinations(living, 2))[:3]:
            out.append(_Option(letters=((letters[0], a), (letters[1], b)),
                               slots=(("event", ev),), event_rank=i))
    return out


def _hypotheses_said(ctx: _Context) -> list[HypothesisInput]:
    """The session's hypotheses that can be said as a clause (the others cannot be asked)."""
    return [h for h in ctx.hypotheses if ctx.clauses.get(h.id)]


def _living_people_of(ctx: _Context, h: HypothesisInput) -> list[str]:
    cast = ctx.cast
    return cast.ranked(p for p in h.people if p in cast.people and cast.living(p))


def _hypothesis_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                        bound: dict[str, str]) -> list[_Option]:
    return [_Option(hypothesis=h) for h in _hypotheses_said(ctx)]


def _hypothesis_person_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                               bound: dict[str, str]) -> list[_Option]:
    return [
        _Option(letters=((letters[0], p),), hypothesis=h)
        for h in _hypotheses_said(ctx)
        for p in _living_people_of(ctx, h)
    ]


def _hypothesis_pair_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                             bound: dict[str, str]) -> list[_Option]:
    return [
        _Option(letters=((letters[0], a), (letters[1], b)), hypothesis=h)
        for h in _hypotheses_said(ctx)
        for a, b in itertools.combinations(_living_people_of(ctx, h), 2)
    ]


def _grace_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                   bound: dict[str, str]) -> list[_Option]:
    person = bound.get("A")
    if person is None:
        return []
    graces = ctx.case.people_by_id[person].graces
    return [_Option(slots=(("grace", _grace(g)),))
            for g in list(graces)[: ctx.bank.settings.candidates_per_role]]


def _homes_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                   bound: dict[str, str]) -> list[_Option]:
    homes = [h for h in ctx.case.households if ctx.cast.focus in h.members]
    return [
        _Option(slots=(("home1", _place(a.name, ctx.proper)),
                       ("home2", _place(b.name, ctx.proper))))
        for a, b in itertools.combinations(homes, 2)
    ]


def _baby_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                  bound: dict[str, str]) -> list[_Option]:
    babies = [p for p in ctx.case.people if p.kind == "pregnancy" and not p.has_died]
    return [_Option(slots=(("baby", "the new baby"),))] if babies else []


def _network_options(ctx: _Context, t: Template, letters: tuple[str, ...],
                     bound: dict[str, str]) -> list[_Option]:
    cast = ctx.cast
    homes = {h.id: h.members for h in ctx.case.households}

    def fits(e: EcomapConnection) -> bool:
        return {
            "any": True,
            "supportive": not e.stressful,
            "strong": e.strength == "strong" and not e.stressful,
            "tenuous": e.strength == "tenuous" and not e.stressful,
            "stressful": e.stressful,
            "person": e.kind in ("person", "group") and not e.stressful,
            "agency": e.kind == "agency",
        }[t.network]

    def closeness(e: EcomapConnection) -> float:
        members = homes.get(e.connected_to, [e.connected_to])
        return max((cast.salience(m) for m in members if m in cast.people), default=0.0)

    chosen = sorted((e for e in ctx.case.ecomap if fits(e)), key=lambda e: -closeness(e))
    return [
        _Option(slots=(("network", _place(e.name, ctx.proper)),))
        for e in chosen
    ][: ctx.bank.settings.candidates_per_role]


_RoleOptions = Callable[[_Context, Template, tuple[str, ...], dict[str, str]], list[_Option]]

#: How each role of the bank is filled; a new role is one entry here (and one in
#: :data:`systemic.questions.bank.ROLES`).
_ROLE_OPTIONS: dict[str, _RoleOptions] = {
    "child": _child_options,
    "carer": _carer_options,
    "two_carers": _two_carers_options,
    "guarded_pair": _guarded_pair_options,
    "adult": _adult_options,
    "sibling": _sibling_options,
    "relative": _relative_options,
    "lost": _lost_options,
    "third": _third_options,
    "pair": _pair_options,
    "child_line": _child_line_options,
    "couple": _couple_options,
    "event": _event_options,
    "event_people": _event_people_options,
    "hypothesis": _hypothesis_options,
    "hypothesis_person": _hypothesis_person_options,
    "hypothesis_pair": _hypothesis_pair_options,
    "grace": _grace_options,
    "network": _network_options,
    "homes": _homes_options,
    "baby": _baby_options,
}


def _options(ctx: _Context, t: Template, role: str, letters: tuple[str, ...],
             bound: dict[str, str]) -> list[_Option]:
    """Every way to fill ``role`` (closest to the child first), before the distinctness check.

    ``letters`` are the placeholders the role fills and ``bound`` who the earlier roles
    have already named (a grace belongs to person A; a third person is chosen from more
    people the more are already named). Every role the bank accepts has its filler:

    >>> from systemic.questions.bank import ROLES
    >>> sorted(set(ROLES) ^ set(_ROLE_OPTIONS))
    []
    """
    fill = _ROLE_OPTIONS.get(role)
    if fill is None:  # pragma: no cover - the bank checks roles
        raise ValueError(f"unknown role {role!r}")
    return fill(ctx, t, letters, bound)


# ---------------------------------------------------------------- filling a template
def _bindings(ctx: _Context, t: Template) -> Iterator[list[_Option]]:
    """Every combination of options in which each person appears once (bounded).

    Without the ``child`` role the focal child may be one of A, B, C (a pair on the
    genogram, say); with it, the child is {child} and nobody else.
    """
    letters = role_letters(t.needs)
    needs = list(t.needs)
    fixed = {
        i: _options(ctx, t, role, letters[i], {})
        for i, role in enumerate(needs) if role != "grace"
    }
    budget = [_MAX_COMBINATIONS]

    def walk(i: int, chosen: list[_Option], used: frozenset[str], bound: dict[str, str],
             hypothesis: str | None) -> Iterator[list[_Option]]:
        if i == len(needs):
            budget[0] -= 1
            yield list(chosen)
            return
        options = fixed[i] if i in fixed else _options(ctx, t, needs[i], letters[i], bound)
        for opt in options:
            if budget[0] <= 0:
                return
            people = [ctx.cast.focus] if needs[i] == "child" else [p for _, p in opt.letters]
            if used.intersection(people) or len(set(people)) != len(people):
                continue
            h = opt.hypothesis.id if opt.hypothesis else None
            if hypothesis and h and h != hypothesis:
                continue
            yield from walk(i + 1, [*chosen, opt], used.union(people),
                            {**bound, **dict(opt.letters)}, hypothesis or h)

    yield from walk(0, [], frozenset(), {}, None)


def _score(ctx: _Context, t: Template, combo: list[_Option]) -> tuple[float, str | None]:
    cast, w = ctx.cast, ctx.bank.settings.scoring
    people = [pid for o in combo for _, pid in o.letters]
    closeness = sum(cast.salience(p) for p in people) / len(people) if people else 0.7
    score = t.priority * (1 - w.salience + w.salience * closeness)
    hypothesis = next((o.hypothesis for o in combo if o.hypothesis), None)
    if hypothesis:
        score += w.hypothesis
    if "guarded_pair" in t.needs:
        score += w.safety  # safety first, where a safety rule guards two people
    for o in combo:
        if o.line:
            score += w.line + (w.conflict_line if o.line in _CONFLICT else 0.0)
        if o.event_rank is not None and ctx.events:
            score += w.recent_event * (1 - o.event_rank / len(ctx.events))
    return score, hypothesis.id if hypothesis else None


def _pick(scored: list[tuple[float, int, list[_Option]]], n: int) -> list[list[_Option]]:
    """The best ``n`` combinations, preferring ones whose first role differs."""
    scored.sort(key=lambda x: (-x[0], x[1]))
    picked: list[list[_Option]] = []
    firsts: set[_Option] = set()
    for _, _, combo in scored:
        if len(picked) == n:
            break
        if combo and combo[0] in firsts:
            continue
        picked.append(combo)
        if combo:
            firsts.add(combo[0])
    for _, _, combo in scored:
        if len(picked) == n:
            break
        if combo not in picked:
            picked.append(combo)
    return picked


@cache
def _fields(words: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(words) if f)


def _idea_words(ctx: _Context, h: HypothesisInput, audience: str) -> tuple[str, str]:
    """How a question names a hypothesis without pasting it: by the people it is about
    ("the idea about Kay, Mum and Dad") or its place in the list ("the second idea")."""
    cast = ctx.cast

    def living(hyp: HypothesisInput) -> list[str]:
        return cast.ranked(p for p in hyp.people if p in cast.people and cast.living(p))

    people = living(h)
    names = [cast.short(p, audience) for p in people[:4]]
    n = ctx.ideas.get(h.id, 1)
    if not names:
        return f"the {ordinal(n)} idea", "how things are at home"
    together = join_names(names)
    shared = sum(1 for other in ctx.hypotheses
                 if ctx.clauses.get(other.id) and set(living(other)) == set(people))
    if shared > 1:
        return f"the {ordinal(n)} idea about {together}", together
    return f"the idea about {together}", together


def _label(ctx: _Context, pid: str, audience: str) -> str:
    """The name for ``pid``; where a safety rule guards them, the family and the child
    hear their own name, not one that ties them to the other ("Mum's partner Reece")."""
    if audience in ("family", "child") and "'s " in ctx.cast.kin(pid).term and any(
            pid in g.people for g in ctx.guarded):
        return ctx.cast.name(pid)
    return ctx.cast.label(pid, audience)


def _render(ctx: _Context, t: Template, combo: list[_Option], audience: str
            ) -> tuple[str, tuple[str, ...]]:
    cast = ctx.cast
    age = cast.age(cast.focus)
    words = t.teen if audience == "child" and t.teen and age is not None and age >= 13 \
        else t.text[audience]
    used = _fields(words)
    values: dict[str, str] = {}
    if "child" in used:
        values["child"] = cast.name(cast.focus)
    if "child_pos" in used:
        values["child_pos"] = cast.possessive(cast.focus)
    for word, value in zip(PRONOUN_FIELDS, cast.pronouns(cast.focus, audience), strict=True):
        if f"child_{word}" in used:
            values[f"child_{word}"] = value
    people: list[str] = [cast.focus] if audience == "child" or used & {
        "child", "child_pos", "child_they", "child_them", "child_their"} else []
    for o in combo:
        for letter, pid in o.letters:
            forms = {letter: lambda p=pid: _label(ctx, p, audience),
                     f"{letter}_short": lambda p=pid: cast.short(p, audience)}
            for word, value in zip(PRONOUN_FIELDS, cast.pronouns(pid, audience), strict=True):
                forms[f"{letter}_{word}"] = lambda v=value: v
            named = [f for f in forms if f in used]
            for f in named:
                values[f] = forms[f]()
            if named and pid not in people:
                people.append(pid)
        for name, value in o.slots:
            if name in used:
                values[name] = value.render(cast, audience) if isinstance(value, _Event) \
                    else value
        if o.hypothesis and used & {"idea", "idea_people"}:
            values["idea"], values["idea_people"] = _idea_words(ctx, o.hypothesis, audience)
            # The people the hypothesis is about, so that filtering by person finds it;
            # only the living: the hypothesis is the group's words, not a question to them.
            people += [p for p in o.hypothesis.people
                       if p in cast.people and cast.living(p) and p not in people]
    text = cast.second_mentions(" ".join(words.format_map(values).split()))
    return text[0].upper() + text[1:], tuple(people)


def _context(case: Case, cast: Cast, bank: Bank, hyps: tuple[HypothesisInput, ...]
             ) -> _Context:
    settings = bank.settings
    focus = cast.focus
    names = [cast.name(p) for p in cast.people] + [
        n for p in case.people for n in p.name.split()
    ]
    proper = proper_words(case)
    return _Context(
        case=case, cast=cast, bank=bank, hypotheses=hyps,
        events=_events(case, cast, settings.events_considered, proper),
        child_ok=cast.can_be_asked(settings.child_min_age, settings.adult_age),
        clauses={h.id: clause(h.text, names) for h in hyps}, proper=proper,
        guarded=_guarded(case, cast),
        adult_focus=cast.living(focus) and not cast.minor(focus, settings.adult_age),
        ideas={h.id: i for i, h in enumerate(hyps, 1)},
    )


def _guarded(case: Case, cast: Cast) -> tuple[GuardedPair, ...]:
    pairs = guarded_pairs(case, year=cast.year)
    if cast.living(cast.focus) and cast.minor(cast.focus):
        pairs += child_pairs(case, cast.focus, pairs)
    return tuple(pairs)


def _combo_people(ctx: _Context, t: Template, combo: list[_Option], audience: str
                  ) -> set[str]:
    """Everyone a filled template may name (before the words are chosen)."""
    people = {pid for o in combo for _, pid in o.letters}
    for o in combo:
        if o.hypothesis:
            people |= set(o.hypothesis.people)
        for _, value in o.slots:
            if isinstance(value, _Event):  # an event names the people it involved
                people |= set(value.people)
    if audience == "child" or "child" in t.needs:
        people.add(ctx.cast.focus)
    return people


def _names_child_in_event(ctx: _Context, combo: list[_Option]) -> bool:
    name = re.compile(rf"\b{re.escape(ctx.cast.name(ctx.cast.focus))}\b")
    return any(isinstance(v, _Event) and v.clause and name.search(v.clause)
               for o in combo for _, v in o.slots)


def _allowed(ctx: _Context, t: Template) -> bool:
    """Whether template ``t`` suits the person at the centre: someone who has died is
    thought about only through loss and memory; a child's care is not asked about an
    adult, nor an adult's life about a child."""
    focus = ctx.cast.focus
    if ctx.cast.dead(focus):
        return t.loss
    if t.focus == "child":
        return ctx.cast.living(focus) and not ctx.adult_focus
    if t.focus == "adult":
        return ctx.adult_focus
    return True


def generate(
    case: Case,
    *,
    focus: str | None = None,
    hypotheses: Iterable[HypothesisInput] = (),
    audiences: Iterable[str] = AUDIENCES,
    bank: Bank | None = None,
    today: date | None = None,
) -> list[Question]:
    """Every sensible question the bank can make for this case, best first.

    Parameters
    ----------
    case : Case
        A validated case.
    focus : str, optional
        Who the questions centre on (default: the case's focal child, else the index
        person, else the youngest living person with parents recorded).
    hypotheses : iterable of HypothesisInput
        The hypotheses recorded in the session; each yields questions that would test it.
    audiences : iterable of str
        Any of ``family``, ``child``, ``supervision``.
    bank : Bank, optional
        Another template bank (the packaged one by default).
    today : date, optional
        The day ages are reckoned on.

    Returns
    -------
    list of Question
        No duplicates, every placeholder filled, sorted by score (highest first).

    Raises
    ------
    KeyError
        If ``focus`` is not a person in the case.
    """
    bank = bank or load_bank()
    focus = focus or choose_focus(case)
    if focus is None:
        return []
    cast = Cast(case, focus, today=today)
    ctx = _context(case, cast, bank, tuple(hypotheses))
    settings = bank.settings
    rules = load_safety()
    protected = set(rules.audiences)
    age = cast.age(focus)
    wanted = [a for a in AUDIENCES if a in set(audiences)]
    best: dict[tuple[str, str], Question] = {}
    order: dict[tuple[str, str], tuple[int, int]] = {}
    for ti, t in enumerate(bank.templates):
        audiences_here = [
            a for a in wanted if a in t.text
            and not (a == "child" and (not ctx.child_ok or t.intimacy))
        ]
        if not audiences_here or not _allowed(ctx, t):
            continue
        groups: dict[str | None, list[tuple[float, int, list[_Option]]]] = {}
        for n, combo in enumerate(_bindings(ctx, t)):
            score, hyp = _score(ctx, t, combo)
            groups.setdefault(hyp, []).append((score, n, combo))
        for hyp, scored in groups.items():
            for ai, audience in enumerate(audiences_here):
                guarded = audience in protected or (
                    t.intimacy and not rules.couple_questions_for_worker)
                fit = [x for x in scored if not (guarded and is_guarded(
                    _combo_people(ctx, t, x[2], audience), ctx.guarded))]
                for combo in _pick(fit, settings.max_per_template):
                    lettered = {pid for o in combo for _, pid in o.letters}
                    if audience == "child" and "third" in t.needs and cast.focus in lettered:
                        continue  # the child cannot be both the onlooker and one of the pair
                    if audience == "child" and _names_child_in_event(ctx, combo):
                        continue  # "when Elijah was reported missing", said to Elijah
                    text, people = _render(ctx, t, combo, audience)
                    if guarded and is_guarded(
                            set(people) | _combo_people(ctx, t, combo, audience), ctx.guarded):
                        continue  # safety.yaml: never both people of a guarded pair
                    if audience == "child" and age is not None and not readable_for(
                            text, age, aloud=True):
                        continue  # words this child could not follow
                    score, _ = _score(ctx, t, combo)
                    bonus = settings.scoring.child_audience if audience == "child" else 0.0
                    q = Question(
                        type=t.type, subtype=t.subtype, audience=audience, text=text,
                        people=people, template=t.id, hypothesis_id=hyp,
                        score=round(score + bonus, 3), tomm=t.tomm, caution=t.caution,
                    )
                    key = (audience, text)
                    if key not in best or best[key].score < q.score:
                        best[key] = q
                        order.setdefault(key, (ti, ai))
    return sorted(best.values(), key=lambda q: (-q.score, order[(q.audience, q.text)]))


def left_out_notes(
    case: Case,
    *,
    focus: str | None = None,
    bank: Bank | None = None,
    today: date | None = None,
) -> list[str]:
    """What the generator left out for this case and why, one plain sentence each.

    Shown above the questions on the page and at the terminal, so the group knows what it
    is not seeing: the safety rules (``safety.yaml``) for pairs the family and the child
    are never asked about together, an adult or someone who has died at the centre.

    >>> from systemic.cases import parse_case
    >>> case = parse_case({"id": "d", "title": "D", "fictional": True, "focal_child": "amy",
    ...     "people": [{"id": "amy", "name": "Amy", "born": 2016},
    ...                {"id": "kim", "name": "Kim", "sex": "female", "born": 1990},
    ...                {"id": "reece", "name": "Reece Hart", "sex": "male", "born": 1989}],
    ...     "parents": [{"child": "amy", "parents": ["kim"]}],
    ...     "relationships": [{"from": "reece", "to": "kim", "kind": "physical_abuse"}]},
    ...     "d.yaml")
    >>> print(left_out_notes(case, today=date(2026, 12, 7))[0])
    Left out: questions that bring Reece and Mum together, because abuse is recorded ...
    """
    bank = bank or load_bank()
    focus = focus or choose_focus(case)
    if focus is None:
        return []
    cast = Cast(case, focus, today=today)
    name = cast.name(focus)
    notes = []
    if cast.dead(focus):
        notes.append(f"{name} has died: these are questions about loss and memory only, "
                     "in the past tense.")
    elif cast.living(focus) and not cast.minor(focus, bank.settings.adult_age):
        notes.append(f"{name} is an adult: questions about a child's care are left out, "
                     f"and {name} is not asked the questions written for a child.")
    rules = load_safety()
    for g in _guarded(case, cast):
        if not (cast.living(g.a) and cast.living(g.b)):
            continue
        a, b = (name if p == focus else cast.short(p, "family") for p in (g.a, g.b))
        rule = rules.rule(g.rule)
        if g.evidence.startswith("child of ") and rule.extends_to_child:
            reason = rule.extends_to_child.format(A=a, child=name)
            notes.append(rules.left_out.format(A=a, B=b, reason=reason))
            continue
        offered = "" if cast.dead(focus) else " " + rules.offered.format(A=a, B=b)
        notes.append(rules.left_out.format(A=a, B=b, reason=rule.reason) + offered)
    return notes
