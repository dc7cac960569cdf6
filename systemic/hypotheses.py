"""Hypotheses about a family, a coach that reads them as they are typed, the circularity round.

Group supervision holds several tentative ideas at once, each with what fits,
what does not and what we do not know yet (DOMAIN.md §2.4). A
:class:`Hypothesis` is one such idea; :func:`revise` keeps the old wording
beside the new. :func:`coach` offers gentle feedback against the checklist of a
good systemic hypothesis (DOMAIN.md §2.3): one person blamed, a lineal cause,
certainty, people left out, no graces considered, too few ideas; and it notices
when an idea is tentative and relational. Its words and messages are data
(``frameworks/vocabularies/coach.yaml``). :class:`CircularityRound` runs the
Camden Social Work Charter's circularity exercise: each person in turn adds to
the idea of the person before.

>>> [f.rule_id for f in coach("Mum is clearly manipulative and lets nobody in.",
...                            all_hypotheses=["a", "b"])]
['single_person', 'certainty', 'no_graces']
>>> [f.rule_id for f in coach("I wonder whether, when Dad is away, Mum and Amy grow closer "
...     "and worry together about money.", all_hypotheses=["a", "b"])]
['tentative', 'relational']
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from systemic import records
from systemic.cases import Case
from systemic.datafile import load_model_once
from systemic.errors import WorkbookError
from systemic.graces import (
    COACH_FILE,
    GraceList,
    GraceWording,
    display_name,
    fill_blanks,
    focal_child,
)
from systemic.store import Store

__all__ = [
    "RECORD_KIND",
    "RULE_IDS",
    "Status",
    "RuleId",
    "Hypothesis",
    "revise",
    "set_aside",
    "save_hypothesis",
    "load_hypotheses",
    "delete_hypothesis",
    "Feedback",
    "CoachRule",
    "CircularityWording",
    "CoachSettings",
    "load_coach",
    "coach",
    "people_mentioned",
    "absent_parents",
    "OutOfTurn",
    "Contribution",
    "CircularityRound",
    "save_round",
    "load_rounds",
]

#: The store's record kind for hypotheses (and the circularity rounds that produce them).
RECORD_KIND = "hypothesis"

# Records of kind "hypothesis" that are not hypotheses carry this key.
_RECORD_TYPE = "record_type"
_ROUND = "circularity_round"

Status = Literal["active", "revised", "set_aside"]
Severity = Literal["gentle", "note"]

#: The coach's rules. Every one must be described in the data file (or switched off there).
RuleId = Literal[
    "single_person",
    "lineal_cause",
    "certainty",
    "stated_as_fact",
    "left_out_child",
    "left_out_parent",
    "left_out_family",
    "left_out_professionals",
    "no_graces",
    "fewer_than_three",
    "tentative",
    "relational",
]
RULE_IDS: tuple[str, ...] = get_args(RuleId)

Text = Annotated[str, Field(max_length=4000)]
Item = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(max_length=200)]


# --- hypotheses -------------------------------------------------------------------------------


class Hypothesis(BaseModel):
    """One tentative idea about what might be going on, and how we would find out.

    ``people_involved`` are person ids from the genogram; ``graces_considered``
    are grace ids; ``revised_from`` is the id of the hypothesis this one reworded.

    >>> h = Hypothesis(text="I wonder whether…", author="Sam", people_involved=["amy"])
    >>> h.status, h.evidence_for
    ('active', [])
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    text: Text = ""
    author: Name = ""
    people_involved: list[Annotated[str, Field(max_length=200)]] = []
    evidence_for: list[Item] = []
    evidence_against: list[Item] = []
    unknowns: list[Item] = []
    graces_considered: list[Annotated[str, Field(max_length=64)]] = []
    questions: list[Item] = []
    status: Status = "active"
    revised_from: str | None = None
    #: Still being typed: saved so nothing is lost, never shown to the group.
    draft: bool = False
    #: The supervisor keeps this idea from the group (it stays in the record).
    kept_from_group: bool = False

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def shown_to_group(self) -> bool:
        """Whether participants see it: finished, not kept from them, not an earlier wording.

        >>> Hypothesis(text="x").shown_to_group, Hypothesis(text="x", draft=True).shown_to_group
        (True, False)
        >>> Hypothesis(text="x", status="revised").shown_to_group
        False
        """
        return not self.draft and not self.kept_from_group and self.status != "revised"


def revise(h: Hypothesis, new_text: str) -> tuple[Hypothesis, Hypothesis]:
    """Reword a hypothesis: the old one is kept, marked revised; the new one points back to it.

    Evidence, unknowns, graces and questions carry over, since the group usually
    rewords an idea in the light of them. Save both.

    >>> old, new = revise(Hypothesis(id="h1", text="Mum is tired."), "Perhaps Mum and Nan...")
    >>> old.status, new.status, new.revised_from, new.id
    ('revised', 'active', 'h1', '')

    Raises
    ------
    WorkbookError
        If the new wording is empty.
    """
    text = new_text.strip() if isinstance(new_text, str) else ""
    if not text:
        raise WorkbookError(
            "The new wording is empty — write the revised idea, or set the old one aside."
        )
    old = h.model_copy(update={"status": "revised"})
    new = h.model_copy(update={
        "id": "", "text": text, "status": "active", "revised_from": h.id or None, "draft": False,
    })
    return old, new


def set_aside(h: Hypothesis) -> Hypothesis:
    """The same idea, set aside: kept in the record, no longer counted as active.

    A disproved hypothesis still tells us something (Milan 1980), so it is not deleted.

    >>> set_aside(Hypothesis(text="x")).status
    'set_aside'
    """
    return h.model_copy(update={"status": "set_aside", "draft": False})


def save_hypothesis(store: Store, owner_id: str, h: Hypothesis) -> Hypothesis:
    """Save a hypothesis (new, or replacing the one with its id); return it with its id."""
    return records.save(store, owner_id, RECORD_KIND, h)


def load_hypotheses(
    store: Store, owner_id: str, status: Status | None = None
) -> list[Hypothesis]:
    """A discussion's hypotheses, oldest first, optionally only those with ``status``.

    >>> import tempfile, pathlib
    >>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "h.db")
    >>> sid = store.create_session("Demo", "camden_practice_framework")
    >>> old, new = revise(save_hypothesis(store, sid, Hypothesis(text="Mum is tired.")),
    ...                   "I wonder whether Mum and Nan are both tired.")
    >>> _ = save_hypothesis(store, sid, old), save_hypothesis(store, sid, new)
    >>> [h.status for h in load_hypotheses(store, sid)], len(load_hypotheses(store, sid, "active"))
    (['revised', 'active'], 1)
    >>> store.close()
    """
    out = []
    for record in store.records(owner_id, RECORD_KIND):
        if _RECORD_TYPE in record.payload:
            continue
        h = Hypothesis.model_validate({**record.payload, "id": record.id})
        if status is None or h.status == status:
            out.append(h)
    return out


def delete_hypothesis(store: Store, h: Hypothesis) -> None:
    """Remove a saved hypothesis for good (prefer :func:`set_aside`, which keeps it)."""
    if h.id:
        records.delete(store, h.id)


# --- the coach's data ---------------------------------------------------------------------------

_BLANKS = {"word", "names", "count", "minimum", "who", "expected", "before", "previous"}
Phrase = Annotated[str, Field(min_length=1, max_length=80)]
Message = Annotated[str, Field(min_length=1, max_length=600)]


def _check_blanks(text: str, allowed: set[str]) -> str:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise ValueError("has an unmatched { or } — write blanks like {word}") from None
    unknown = sorted(names - allowed)
    if unknown:
        raise ValueError(
            f"{{{unknown[0]}}} is not a blank the coach can fill — use "
            + ", ".join(f"{{{b}}}" for b in sorted(allowed))
        )
    return text


class CoachRule(BaseModel):
    """One of the coach's rules: when it speaks (its words) and what it says."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RuleId
    severity: Severity
    message: Message
    positive: bool = Field(default=False, description="Encouragement rather than an invitation")
    enabled: bool = True
    words: list[Phrase] = []
    accusation_words: list[Phrase] = []
    unless_words: list[Phrase] = []
    words_before_person: list[Phrase] = []
    followed_by: list[Phrase] = []
    clause_words: list[Phrase] = []
    minimum: Annotated[int, Field(ge=1, le=20)] | None = None
    min_words: Annotated[int, Field(ge=0, le=50)] = 0
    source: Annotated[str, Field(min_length=1, max_length=600)]

    @field_validator("message")
    @classmethod
    def _known_blanks(cls, message: str) -> str:
        return _check_blanks(message, {"word", "names", "count", "minimum"})


class CircularityWording(BaseModel):
    """How the circularity round speaks to the group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    not_your_turn: Message
    not_in_round: Message
    empty: Message
    closed: Message
    first_prompt: Message
    link_prompt: Message
    source: Annotated[str, Field(min_length=1, max_length=600)]

    @model_validator(mode="after")
    def _known_blanks(self) -> CircularityWording:
        for name in ("not_your_turn", "not_in_round", "empty", "closed", "first_prompt",
                     "link_prompt"):
            _check_blanks(getattr(self, name), {"who", "expected", "before", "previous"})
        return self


class CoachSettings(BaseModel):
    """The ``hypotheses`` section of ``coach.yaml``: word lists, rules and round wording."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    one_person_words: list[Phrase]
    kinship_words: dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+$")], list[Phrase]]
    child_words: list[Phrase] = []
    professional_words: list[Phrase]
    grace_words: list[Phrase] = []
    rules: list[CoachRule]
    circularity: CircularityWording

    @field_validator("rules")
    @classmethod
    def _each_rule_once(cls, rules: list[CoachRule]) -> list[CoachRule]:
        ids = [r.id for r in rules]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f'the rule "{twice[0]}" is described twice — keep one')
        missing = [i for i in RULE_IDS if i not in ids]
        if missing:
            raise ValueError(
                f'the rule "{missing[0]}" is missing — add it, with enabled: false to switch it off'
            )
        return rules

    def rule(self, rule_id: str) -> CoachRule:
        return next(r for r in self.rules if r.id == rule_id)


class _CoachFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(min_length=1, max_length=1000)]
    hypotheses: CoachSettings
    graces: GraceWording


def load_coach(path: str | Path | None = None) -> CoachSettings:
    """Read the coach's rules (default ``frameworks/vocabularies/coach.yaml``), once.

    Raises
    ------
    DataFileError
        Naming the file, the field and the fix.
    """
    return load_model_once(_CoachFile, path, COACH_FILE).hypotheses


# --- reading text -----------------------------------------------------------------------------

# Curly quotes become straight ones, one character for one, so that spans stay true.
_STRAIGHTEN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u00a0": " "})


@lru_cache(maxsize=256)
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for whole-word, any-case matches of any of ``phrases`` (longest first)."""
    cleaned = sorted({p.translate(_STRAIGHTEN).strip() for p in phrases if p.strip()},
                     key=len, reverse=True)
    if not cleaned:
        return None
    parts = [r"\s+".join(re.escape(w) for w in p.split()) for p in cleaned]
    return re.compile(r"(?<![\w'-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def _find(phrases: Iterable[str], text: str) -> list[re.Match[str]]:
    pattern = _phrases(tuple(phrases))
    return list(pattern.finditer(text)) if pattern else []


def _name_pattern(name: str) -> str:
    """A name as written, capital first letter exact, the rest in any case.

    People write names with a capital; requiring it keeps "will" and "may" from
    being read as Will and May.
    """
    words = name.split()
    if not words:
        return ""
    head, tail = re.escape(words[0][0]), re.escape(words[0][1:])
    rest = (f"(?i:{re.escape(w)})" for w in words[1:])
    body = r"\s+".join([f"{head}(?i:{tail})" if tail else head, *rest])
    return r"(?<![\w'-])" + body + r"(?![\w-])"


@dataclass(frozen=True)
class _Index:
    """How each person in a case can be named: names (case-sensitive first letter) and words."""

    names: tuple[tuple[re.Pattern[str], frozenset[str]], ...]
    words: tuple[tuple[re.Pattern[str], frozenset[str]], ...]
    professionals: re.Pattern[str] | None
    family_grace_words: re.Pattern[str] | None


_INDEXES: list[tuple[Case, str | None, CoachSettings, _Index]] = []


def _kin_terms(case: Case, focal: str | None) -> dict[str, str]:
    """What each person is to the focal child, from the genogram's family words if it can."""
    # Imported here: the family words walk the genogram, which needs networkx.
    from systemic.genogram.kinship import relations

    try:
        terms = relations(case, focal)
    except (ValueError, KeyError):  # no focal child: the roles written in the case still help
        terms = {}
    child = focal_child(case, focal)
    for person in case.people:
        if person.role and person.id not in terms:
            terms[person.id] = person.role
    terms.pop(child or "", None)  # "herself" is not a name for the child
    return terms


def _groups_for(term: str, settings: CoachSettings) -> set[str]:
    """The kinship groups a family word belongs to: "nana and special guardian" → nan, carer."""
    groups: set[str] = set()
    lookup = {w.casefold(): g for g, ws in settings.kinship_words.items() for w in [g, *ws]}
    main = term.split("(")[0].casefold()
    for part in re.split(r",|;|\band\b|/", main):
        part = " ".join(part.split())
        if not part:
            continue
        if part in lookup:
            groups.add(lookup[part])
        elif "'" not in part and len(part.split()) <= 4:
            groups.update(lookup[w] for w in part.split() if w in lookup)
    return groups


def _index(case: Case, focal: str | None, settings: CoachSettings) -> _Index:
    for seen, seen_focal, seen_settings, index in _INDEXES:
        if seen is case and seen_focal == focal and seen_settings is settings:
            return index
    by_name: dict[str, set[str]] = {}
    by_word: dict[str, set[str]] = {}
    for person in case.people:
        if person.kind not in ("person", "pet"):
            continue
        forms = {display_name(person), person.name.split()[0] if person.name.split() else ""}
        plain = " ".join(re.sub(r"\([^()]*\)", " ", person.name).split())
        forms.add(plain)
        forms.add(person.name.strip())
        for form in forms:
            if form:
                by_name.setdefault(form, set()).add(person.id)
    for pid, term in _kin_terms(case, focal).items():
        for group in _groups_for(term, settings):
            for word in [*settings.kinship_words[group]]:
                by_word.setdefault(word, set()).add(pid)
    child = focal_child(case, focal)
    if child:
        for word in settings.child_words:
            by_word.setdefault(word, set()).add(child)
    names = tuple(
        (re.compile(pattern), frozenset(pids))
        for form, pids in sorted(by_name.items(), key=lambda kv: -len(kv[0]))
        if (pattern := _name_pattern(form))
    )
    words = tuple(
        (pattern, frozenset(pids))
        for word, pids in sorted(by_word.items(), key=lambda kv: -len(kv[0]))
        if (pattern := _phrases((word,))) is not None
    )
    professionals = [*settings.professional_words,
                     *(e.name for e in case.ecomap if e.kind in ("agency", "person")),
                     *([case.worker] if case.worker else [])]
    # The family's own words for their graces: "Polish", "Pentecostal", "Harrowfield"…
    # Matched as written (capital first), so that "Hope" the church is not "hope".
    not_graces = {w.casefold() for form in by_name for w in form.split()}
    not_graces |= {w.casefold() for ws in settings.kinship_words.values() for w in ws}
    family_words = sorted({
        m.group()
        for p in case.people for note in p.graces.values()
        for m in _CAPITALISED.finditer(note)
        if len(m.group()) > 3 and m.group().casefold() not in not_graces
    }, key=len, reverse=True)
    family_pattern = (
        re.compile(r"(?<![\w'])(?:" + "|".join(map(re.escape, family_words)) + r")(?![\w])")
        if family_words else None
    )
    index = _Index(names, words, _phrases(tuple(professionals)), family_pattern)
    _INDEXES.insert(0, (case, focal, settings, index))
    del _INDEXES[8:]
    return index


def _mentions(text: str, case: Case | None, focal: str | None,
              settings: CoachSettings) -> dict[str, tuple[int, int]]:
    """Each person named in ``text`` and where first; without a case, family words stand in."""
    found: dict[str, tuple[int, int]] = {}
    if case is None:
        for group, words in settings.kinship_words.items():
            hits = _find([group, *words], text)
            if hits:
                found[f"kin:{group}"] = hits[0].span()
        return found
    index = _index(case, focal, settings)
    for pattern, pids in (*index.names, *index.words):
        for match in pattern.finditer(text):
            for pid in pids:
                if pid not in found or match.start() < found[pid][0]:
                    found[pid] = match.span()
    return found


def people_mentioned(
    text: str, case: Case, focal: str | None = None, settings: CoachSettings | None = None
) -> list[str]:
    """The ids of the people a text names, by name, nickname or family word, in order.

    Offered to the group as the hypothesis's ``people_involved``.

    >>> from systemic.cases import Person, ParentLink
    >>> case = Case(id="c", title="t", fictional=True, focal_child="amy", people=[
    ...     Person(id="liz", name="Liz Jones", sex="female"), Person(id="amy", name="Amy Jones")],
    ...     parents=[ParentLink(child="amy", parents=["liz"])])
    >>> people_mentioned("When Mum is tired, Amy cooks.", case)
    ['liz', 'amy']
    """
    rules = settings or load_coach()
    found = _mentions(text.translate(_STRAIGHTEN), case, focal, rules)
    return sorted(found, key=lambda pid: found[pid])


def absent_parents(case: Case, focal: str | None = None) -> list[str]:
    """The focal child's living birth or adoptive parents who do not live with them.

    A parent who is not at home (in prison, abroad, after a separation) is still
    part of the system (DOMAIN.md §2.3), and easily forgotten.

    >>> from systemic.cases import Person, ParentLink, Household
    >>> case = Case(id="c", title="t", fictional=True, focal_child="amy", people=[
    ...     Person(id="liz", name="Liz"), Person(id="dan", name="Dan"), Person(id="amy",
    ...     name="Amy")], parents=[ParentLink(child="amy", parents=["liz", "dan"])],
    ...     households=[Household(id="h", name="Home", members=["liz", "amy"])])
    >>> absent_parents(case)
    ['dan']
    """
    child = focal_child(case, focal)
    if child is None:
        return []
    people = case.people_by_id
    home = {m for h in case.households if child in h.members for m in h.members}
    out = []
    for link in case.parents:
        if link.child != child or link.kind not in ("birth", "adoptive") or link.until:
            continue
        for pid in link.parents:
            if pid not in home and people[pid].alive and pid not in out:
                out.append(pid)
    return out


# --- the coach ---------------------------------------------------------------------------------


class Feedback(BaseModel):
    """One remark from the coach: which rule, how strongly, what it says and where.

    ``span`` is the ``(start, end)`` of the words that prompted it in the text,
    for highlighting; ``None`` when it is about the discussion as a whole.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule_id: str
    severity: Severity
    message: str
    span: tuple[int, int] | None = None
    positive: bool = False


def _say(rule: CoachRule, span: tuple[int, int] | None = None, **blanks: str) -> Feedback:
    return Feedback(rule_id=rule.id, severity=rule.severity, span=span, positive=rule.positive,
                    message=fill_blanks(rule.message, **blanks))


_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?![\w])")


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 12):start].rstrip(" \t\"'(\u201c")
    return start == 0 or not before or before.endswith((".", "!", "?", "\n", ":"))


def _unknown_names(text: str, taken: list[tuple[int, int]]) -> set[str]:
    """Capitalised words not at the start of a sentence and not already read as someone."""
    out = set()
    for match in _CAPITALISED.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        if _starts_sentence(text, match.start()) or match.group() == "I":
            continue
        out.add(match.group())
    return out


def _followed_by_person(
    end: int, text: str, spans: list[tuple[int, int]], followers: re.Pattern[str] | None
) -> bool:
    """True when a person or a pronoun starts within the next three words after ``end``."""
    window = re.match(r"\s*(?:\S+\s+){0,2}\S*", text[end:])
    stop = end + (window.end() if window else 0)
    if any(end <= s < stop for s, _ in spans):
        return True
    return bool(followers and followers.search(text, end, stop))


def _texts(h: Hypothesis | str) -> tuple[str, list[str]]:
    if isinstance(h, Hypothesis):
        return h.text, list(h.people_involved)
    return str(h), []


def coach(
    text: str,
    hypothesis: Hypothesis | None = None,
    case: Case | None = None,
    all_hypotheses: Iterable[Hypothesis | str] = (),
    *,
    focal: str | None = None,
    names: Mapping[str, str] | None = None,
    graces: GraceList | None = None,
    settings: CoachSettings | None = None,
) -> list[Feedback]:
    """Gentle feedback on a hypothesis as it is typed, in the order of the rules in the file.

    Parameters
    ----------
    text : str
        The words typed so far.
    hypothesis : Hypothesis, optional
        The hypothesis being edited: its people involved and graces considered count.
    case : Case, optional
        The family. Without it the coach cannot tell who is left out.
    all_hypotheses : iterable of Hypothesis or str
        The discussion's other hypotheses; only active ones count. The one being
        edited (same id) is replaced by ``text``.
    focal : str, optional
        The child the group is thinking about, if not the case's focal child.
    names : mapping, optional
        How to name people in messages (initials in privacy mode).
    graces, settings
        The session's grace list and the coach's rules, if not the defaults.

    Returns
    -------
    list of Feedback
        Invitations (``positive=False``) and encouragement (``positive=True``).
        An empty text gets none.

    Examples
    --------
    >>> print(coach("It is all down to Dad.", all_hypotheses=["a", "b"])[0].message)
    ... # doctest: +NORMALIZE_WHITESPACE
    "all down to" reads as one cause leading to one effect. Could it work the other way
    round too? What keeps this going between the people involved?
    """
    rules = settings or load_coach()
    source = (text or "").translate(_STRAIGHTEN)
    if not source.strip():
        return []
    word_count = len(source.split())
    mentioned = _mentions(source, case, focal, rules)
    spans = list(mentioned.values())
    grace_list = graces or _default_graces()
    out: list[Feedback] = []

    others: list[tuple[str, list[str]]] = []
    for other in all_hypotheses:
        if isinstance(other, Hypothesis) and (
            not other.active or (hypothesis is not None and hypothesis.id
                                 and other.id == hypothesis.id)
        ):
            continue
        others.append(_texts(other))

    context = _Context(source, hypothesis, case, focal, names, rules, mentioned, spans, others,
                       grace_list)
    for rule in rules.rules:
        if rule.enabled and word_count >= rule.min_words:
            out.extend(_CHECKS[rule.id](rule, context))
    return out


@cache
def _default_graces() -> GraceList:
    return GraceList()


@dataclass
class _Context:
    text: str
    hypothesis: Hypothesis | None
    case: Case | None
    focal: str | None
    names: Mapping[str, str] | None
    settings: CoachSettings
    mentioned: dict[str, tuple[int, int]]
    spans: list[tuple[int, int]]
    others: list[tuple[str, list[str]]]
    graces: GraceList

    @cached_property
    def everyone(self) -> set[str]:
        """Everyone named in this text or in any other active idea, or picked as involved."""
        assert self.case is not None
        found = set(self.mentioned)
        if self.hypothesis is not None:
            found.update(self.hypothesis.people_involved)
        for text, involved in self.others:
            found.update(involved)
            found.update(_mentions(text.translate(_STRAIGHTEN), self.case, self.focal,
                                   self.settings))
        return found

    def name(self, pid: str) -> str:
        if self.names and pid in self.names:
            return self.names[pid]
        if self.case is not None and pid in self.case.people_by_id:
            return display_name(self.case.person(pid))
        return pid


def _people_count(c: _Context, skip: list[tuple[int, int]]) -> int:
    """How many people an idea names: people of the case, capitalised names, family words.
    A name just after a family word is the same person ("Grandma Iris")."""
    names = _unknown_names(c.text, [*c.spans, *skip])
    kin = {w.casefold() for g, ws in c.settings.kinship_words.items() for w in [g, *ws]}
    kin |= {"auntie", "aunty", "grandma", "grandad", "nan", "nana", "uncle", "aunt", "gran"}
    same = {m.group(2) for m in re.finditer(r"\b([A-Za-z\-]+)\s+([A-Z][a-z]+)", c.text)
            if m.group(1).casefold() in kin}
    return len(set(c.mentioned) | (names - same))


def _held_lightly(c: _Context) -> bool:
    """An idea that is both tentative ("I wonder", "perhaps") and relational (how people
    affect each other, several people, or us): strong words inside it describe a pattern
    someone sees ("Dad may feel he is always the problem"), not a verdict."""
    tentative = c.settings.rule("tentative")
    if not _find(tentative.words, c.text):
        return False
    relational = c.settings.rule("relational")
    single = c.settings.rule("single_person")
    return bool(_find([*relational.words, *single.unless_words, *c.settings.professional_words],
                      c.text)) or _people_count(c, []) > 1


def _single_person(rule: CoachRule, c: _Context) -> list[Feedback]:
    accused = _find(rule.accusation_words, c.text)
    if accused and not _held_lightly(c):
        return [_say(rule, accused[0].span(), word=accused[0].group())]
    blame = _find(rule.words, c.text)
    if not blame or _find(rule.unless_words, c.text) or _held_lightly(c):
        return []
    if _people_count(c, [m.span() for m in blame]) > 1:
        return []
    return [_say(rule, blame[0].span(), word=blame[0].group())]


_NAME_AHEAD = re.compile(r"(?<![\w'])[A-Z][a-z]+")


def _lineal_cause(rule: CoachRule, c: _Context) -> list[Feedback]:
    if _held_lightly(c):
        return []
    hits = _find(rule.words, c.text)
    kin = [w for g, ws in c.settings.kinship_words.items() for w in [g, *ws]]
    followers = _phrases(tuple([*rule.followed_by, *kin]))
    hits += [m for m in _find(rule.words_before_person, c.text)
             if _followed_by_person(m.end(), c.text, c.spans, followers)
             or _name_follows(m.end(), c.text)]
    if not hits:
        return []
    first = min(hits, key=lambda m: m.start())
    return [_say(rule, first.span(), word=first.group())]


def _name_follows(end: int, text: str) -> bool:
    """A capitalised name within the next three words ("because Precious lied")."""
    window = re.match(r"\s*(?:\S+\s+){0,2}\S*", text[end:])
    return bool(window and _NAME_AHEAD.search(window.group()))


def _first_word(rule: CoachRule, c: _Context) -> list[Feedback]:
    hits = _find(rule.words, c.text)
    return [_say(rule, hits[0].span(), word=hits[0].group())] if hits else []


def _certainty(rule: CoachRule, c: _Context) -> list[Feedback]:
    return [] if _held_lightly(c) else _first_word(rule, c)


def _stated_as_fact(rule: CoachRule, c: _Context) -> list[Feedback]:
    """A plain statement about one person, with no "perhaps" and no question: said as a
    fact, not held as an idea. Quiet when another rule already says why."""
    text = c.text.strip()
    if text.endswith("?") or _find(c.settings.rule("tentative").words, text):
        return []
    relational = c.settings.rule("relational")
    single = c.settings.rule("single_person")
    if _find([*relational.words, *single.unless_words, *c.settings.professional_words], text):
        return []
    if _people_count(c, []) > 1:
        return []
    for other in ("single_person", "lineal_cause", "certainty"):
        other_rule = c.settings.rule(other)
        if other_rule.enabled and _CHECKS[other](other_rule, c):
            return []
    return [_say(rule, (0, len(c.text)))]


def _left_out_child(rule: CoachRule, c: _Context) -> list[Feedback]:
    if c.case is None:
        return []
    child = focal_child(c.case, c.focal)
    if child is None or child in c.everyone:
        return []
    return [_say(rule, names=c.name(child))]


def _left_out_parent(rule: CoachRule, c: _Context) -> list[Feedback]:
    if c.case is None:
        return []
    everyone = c.everyone
    return [_say(rule, names=c.name(pid)) for pid in absent_parents(c.case, c.focal)
            if pid not in everyone]


def _left_out_family(rule: CoachRule, c: _Context) -> list[Feedback]:
    if c.case is None:
        return []
    child = focal_child(c.case, c.focal)
    if child is None:
        return []
    people = c.case.people_by_id
    skip = {child, *absent_parents(c.case, c.focal)}
    home = [m for h in c.case.households if child in h.members for m in h.members]
    missing = [pid for pid in dict.fromkeys(home)
               if pid not in skip and people[pid].alive and people[pid].kind == "person"
               and pid not in c.everyone]
    if not missing:
        return []
    listed = [c.name(pid) for pid in missing]
    joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    return [_say(rule, names=joined)]


def _left_out_professionals(rule: CoachRule, c: _Context) -> list[Feedback]:
    if c.case is None:
        return []
    pattern = _index(c.case, c.focal, c.settings).professionals
    involved = set(c.hypothesis.people_involved) if c.hypothesis is not None else set()
    texts = [c.text, *(t for t, _ in c.others)]
    for _, people in c.others:
        involved.update(people)
    if involved & {"worker", "supervisor", "professionals"}:
        return []
    if pattern is not None and any(pattern.search(t.translate(_STRAIGHTEN)) for t in texts):
        return []
    return [_say(rule)]


def _no_graces(rule: CoachRule, c: _Context) -> list[Feedback]:
    if c.hypothesis is not None and c.hypothesis.graces_considered:
        return []
    grace_words = [*c.settings.grace_words,
                   *(g.label for g in [*c.graces.graces(), *c.graces.offered()])]
    if _find(grace_words, c.text):
        return []
    if c.case is not None:
        family_words = _index(c.case, c.focal, c.settings).family_grace_words
        if family_words is not None and family_words.search(c.text):
            return []
    return [_say(rule)]


def _fewer_than_three(rule: CoachRule, c: _Context) -> list[Feedback]:
    minimum = rule.minimum or 3
    count = len(c.others) + 1
    if count >= minimum:
        return []
    return [_say(rule, count=str(count), minimum=str(minimum))]


def _relational(rule: CoachRule, c: _Context) -> list[Feedback]:
    hits = _find(rule.words, c.text)
    clause = _phrases(tuple(rule.clause_words))
    if clause is not None:
        for m in clause.finditer(c.text):
            rest = re.match(r"[^.!?;]{3,}?,\s*\w", c.text[m.end():])
            if rest:
                hits.append(m)
                break
    if not hits:
        return []
    first = min(hits, key=lambda m: m.start())
    return [_say(rule, first.span(), word=first.group())]


_CHECKS: dict[str, Callable[[CoachRule, _Context], list[Feedback]]] = {
    "single_person": _single_person,
    "lineal_cause": _lineal_cause,
    "certainty": _certainty,
    "stated_as_fact": _stated_as_fact,
    "left_out_child": _left_out_child,
    "left_out_parent": _left_out_parent,
    "left_out_family": _left_out_family,
    "left_out_professionals": _left_out_professionals,
    "no_graces": _no_graces,
    "fewer_than_three": _fewer_than_three,
    "tentative": _first_word,
    "relational": _relational,
}


# --- the circularity round (Camden Social Work Charter) -----------------------------------------


class OutOfTurn(WorkbookError):
    """Someone tried to speak out of turn, or in a round that has ended; the message says why."""


class Contribution(NamedTuple):
    """What one person said in their turn; an empty ``text`` is a pass."""

    who: str
    text: str

    @property
    def passed(self) -> bool:
        return not self.text.strip()


class CircularityRound(BaseModel):
    """The circularity exercise: each person in turn adds to the idea of the person before.

    One person shares their thoughts and a hypothesis; the next follows with their
    own view, linking it to what was just said; the round goes on past one circle
    until the ideas run out. Anyone may pass.

    >>> r = CircularityRound(participants=["Sam", "Jo", "Priya"])
    >>> r.next_speaker()
    'Sam'
    >>> _ = r.add("Sam", "I wonder whether Nan holds the family together.")
    >>> try:
    ...     r.add("Priya", "And Jo…")
    ... except OutOfTurn as e:
    ...     print(e)
    It is Jo's turn just now, Priya. You are next after Jo; hold on to your idea.
    >>> _ = r.add("Jo", "Building on that: perhaps Nan's tiredness is the cost of it.")
    >>> r.builds_on(1).who, r.prompt()
    ('Sam', 'Priya, how does your idea link to what Jo just said?')
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: str = ""
    participants: Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]],
                            Field(min_length=1, max_length=40)]
    contributions: list[Contribution] = []
    closed: bool = False

    @field_validator("participants")
    @classmethod
    def _distinct(cls, participants: list[str]) -> list[str]:
        cleaned = [p.strip() for p in participants]
        folded = [p.casefold() for p in cleaned]
        twice = sorted({p for p, f in zip(cleaned, folded, strict=True) if folded.count(f) > 1})
        if twice:
            raise ValueError(
                f"two people in the round are both called '{twice[0]}' — add a letter so "
                "the group can tell them apart"
            )
        if any(not p for p in cleaned):
            raise ValueError("a participant has no name — write their first name or initials")
        return cleaned

    @model_validator(mode="after")
    def _speakers_in_round(self) -> CircularityRound:
        known = set(self.participants)
        for i, c in enumerate(self.contributions):
            if c.who not in known:
                raise ValueError(
                    f"contribution {i + 1} is by '{c.who}', who is not in the round — "
                    "add them to the participants"
                )
        return self

    # -- whose turn ----------------------------------------------------------------------------

    def next_speaker(self) -> str | None:
        """Whose turn it is: the one after the last speaker, round and round; None once ended."""
        if self.closed:
            return None
        if not self.contributions:
            return self.participants[0]
        last = self.participants.index(self.contributions[-1].who)
        return self.participants[(last + 1) % len(self.participants)]

    def _participant(self, who: str) -> str:
        wanted = (who or "").strip().casefold()
        for p in self.participants:
            if p.casefold() == wanted:
                return p
        raise OutOfTurn(fill_blanks(_round_words().not_in_round, who=(who or "").strip()))

    def _check_turn(self, who: str) -> str:
        words = _round_words()
        if self.closed:
            raise OutOfTurn(fill_blanks(words.closed, who=who))
        speaker = self._participant(who)
        expected = self.next_speaker()
        if speaker != expected:
            order = self.participants
            before = order[(order.index(speaker) - 1) % len(order)]
            raise OutOfTurn(fill_blanks(words.not_your_turn, who=speaker,
                                        expected=expected or "", before=before))
        return speaker

    def add(self, who: str, text: str) -> Contribution:
        """Add ``who``'s idea in their turn and return it.

        Raises
        ------
        OutOfTurn
            With a kind sentence, if it is someone else's turn, ``who`` is not in
            the round, the round has ended, or there is nothing to add.
        """
        speaker = self._check_turn(who)
        if not isinstance(text, str) or not text.strip():
            raise OutOfTurn(fill_blanks(_round_words().empty, who=speaker))
        contribution = Contribution(speaker, text)
        self.contributions = [*self.contributions, contribution]
        return contribution

    def pass_turn(self, who: str) -> Contribution:
        """``who`` passes, and the turn moves on. Passing is always allowed."""
        contribution = Contribution(self._check_turn(who), "")
        self.contributions = [*self.contributions, contribution]
        return contribution

    def join(self, who: str) -> None:
        """Someone joins the round; they speak after the current last person in the order."""
        self.participants = [*self.participants, who]

    def close(self) -> None:
        """End the round when the ideas have run out."""
        self.closed = True

    # -- how ideas link ------------------------------------------------------------------------

    def builds_on(self, index: int) -> Contribution | None:
        """The idea that contribution ``index`` builds on: the last one before it that was not
        a pass (``None`` for the first idea)."""
        for earlier in reversed(self.contributions[:index]):
            if not earlier.passed:
                return earlier
        return None

    def links(self) -> list[tuple[Contribution, Contribution | None]]:
        """Every idea (passes left out) with the idea it builds on, in order."""
        return [(c, self.builds_on(i)) for i, c in enumerate(self.contributions) if not c.passed]

    def prompt(self) -> str:
        """What to ask the next speaker: to start, or to link to the last idea."""
        words = _round_words()
        speaker = self.next_speaker()
        if speaker is None:
            return fill_blanks(words.closed)
        previous = self.builds_on(len(self.contributions))
        if previous is None:
            return fill_blanks(words.first_prompt, who=speaker)
        return fill_blanks(words.link_prompt, who=speaker, previous=previous.who)

    def as_hypotheses(self) -> list[Hypothesis]:
        """Each idea of the round as a hypothesis by its speaker, to record with evidence."""
        return [Hypothesis(text=c.text, author=c.who) for c in self.contributions if not c.passed]


def _round_words() -> CircularityWording:
    return load_coach().circularity


def save_round(store: Store, owner_id: str, round_: CircularityRound) -> CircularityRound:
    """Save a round (new, or replacing the one with its id); return it with its id.

    Rounds are kept with the discussion's hypotheses, marked so that
    :func:`load_hypotheses` leaves them out.
    """
    payload = {**round_.model_dump(mode="json", exclude={"id"}), _RECORD_TYPE: _ROUND}
    record_id = store.put_record(owner_id, RECORD_KIND, payload, record_id=round_.id or None)
    return round_.model_copy(update={"id": record_id})


def load_rounds(store: Store, owner_id: str) -> list[CircularityRound]:
    """A discussion's circularity rounds, oldest first.

    >>> import tempfile, pathlib
    >>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "r.db")
    >>> sid = store.create_session("Demo", "camden_social_work_charter")
    >>> r = CircularityRound(participants=["Sam", "Jo"])
    >>> _ = r.add("Sam", "Perhaps…")
    >>> saved = save_round(store, sid, r)
    >>> load_rounds(store, sid)[0].next_speaker(), load_hypotheses(store, sid)
    ('Jo', [])
    >>> store.close()
    """
    out = []
    for record in store.records(owner_id, RECORD_KIND):
        if record.payload.get(_RECORD_TYPE) != _ROUND:
            continue
        data = {k: v for k, v in record.payload.items() if k != _RECORD_TYPE}
        out.append(CircularityRound.model_validate({**data, "id": record.id}))
    return out
