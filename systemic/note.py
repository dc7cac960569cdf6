"""The note for the child's file: what the group thought and decided, in words a child could read.

After group supervision, a short note goes on the child's record (DOMAIN.md
§7.9). Children may read their records one day, so the note is plain,
kind and, where the framework asks, written to the child. Hypotheses go on it
only as tentative ideas ("One idea we talked about is that …"), never as
findings. It is built from the session's store: the date and who took part,
the question, the supervisor's summary, the active hypotheses, the child's
voice, the Signs of Safety scales, decisions with reasons, actions and the
review date. Check-ins, staff graces and personal reflections are never read,
so they cannot appear in it.

The headings follow the framework's own note sections
(``note_for_child_file.sections``); the wording is data
(``frameworks/vocabularies/child_file_note.yaml``).

>>> import tempfile, pathlib
>>> from systemic.store import Store
>>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "n.db")
>>> sid = store.create_session("Demo", "camden_practice_framework", date="2026-10-20")
>>> did = store.add_discussion(sid, {"id": "c", "title": "C", "fictional": True,
...     "focal_child": "amy", "people": [{"id": "amy", "name": "Amy Example"}]})
>>> _ = save_draft(store, did, NoteDraft(summary="We thought about Amy's Mondays."))
>>> document = note_document(build_note(store, did))
>>> print(document.intro[0])  # doctest: +NORMALIZE_WHITESPACE
We met on 20 October 2026 as a group of workers to think together about how things are
going for Amy, and how we can help.
>>> store.close()
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from systemic.cases import Case, stored_case
from systemic.datafile import field_path, load_model_once
from systemic.dates import long_date
from systemic.errors import UnknownSession, WorkbookError
from systemic.frameworks import Framework, UnknownFramework, get_framework
from systemic.jargon import Finding, jargon_findings
from systemic.paths import VOCABULARIES_DIR
from systemic.plan import (
    Action,
    Plan,
    ScaleEntry,
    SignsOfSafetyMap,
    load_plan,
    load_plan_vocabulary,
)
from systemic.questions.safety import person_names
from systemic.store import Session, Store

__all__ = [
    "NoteWording",
    "Decision",
    "NoteDraft",
    "PrivateReflection",
    "Attendee",
    "Idea",
    "LayoutSection",
    "ChildFileNote",
    "NoteSection",
    "NoteDocument",
    "NoteFinding",
    "load_note_wording",
    "tentative",
    "save_draft",
    "load_draft",
    "save_reflection",
    "load_reflections",
    "build_note",
    "note_for_session",
    "note_document",
    "note_jargon",
    "after_because",
]

_Text = Annotated[str, Field(max_length=4000)]
_Short = Annotated[str, Field(max_length=200)]

#: The store's record kind for both the draft and private reflections, told apart by purpose.
RECORD_KIND = "note"


# -- wording ------------------------------------------------------------------------------------


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Block(_Data):
    id: str
    title: str


BLOCK_IDS: tuple[str, ...] = (
    "attendees", "question", "summary", "ideas", "child_voice", "worries", "working_well",
    "scaling", "decisions", "actions", "review",
)


class NoteWording(_Data):
    """Every phrase of the note, read from ``child_file_note.yaml``."""

    source: str
    title: str
    fictional_title: str
    greeting: str
    opening_to_child: str
    opening: str
    unknown_child: str
    date_line: str
    attendee: str
    question_intro: str
    ideas_intro: str
    idea_first: str
    idea_next: str
    idea_question: str
    exploring: str
    scale_intro: str
    scale: str
    scale_because: str
    decision: str
    decision_because: str
    action: str
    action_no_date: str
    action_no_owner: str
    action_plain: str
    action_done: str
    review: str
    nothing: str
    written_by: str
    agreed_by: str
    hedges: list[str] = []
    certainty_words: list[str] = []
    lowercase_starts: list[str] = []
    roles: dict[str, str]
    blocks: list[_Block]
    section_blocks: dict[str, list[str]]

    @field_validator("blocks")
    @classmethod
    def _every_block(cls, blocks: list[_Block]) -> list[_Block]:
        ids = [b.id for b in blocks]
        if sorted(ids) != sorted(BLOCK_IDS):
            missing = sorted(set(BLOCK_IDS) - set(ids)) or sorted(set(ids) - set(BLOCK_IDS))
            raise ValueError(
                f'the blocks must be {", ".join(BLOCK_IDS)}, once each — check "{missing[0]}"'
                if missing else "each block must appear once"
            )
        return blocks

    @field_validator("section_blocks")
    @classmethod
    def _known_blocks(cls, mapping: dict[str, list[str]]) -> dict[str, list[str]]:
        for section, blocks in mapping.items():
            for block in blocks:
                if block not in BLOCK_IDS:
                    raise ValueError(
                        f'section "{section}" holds "{block}", which is not a block — use one '
                        f'of: {", ".join(BLOCK_IDS)}'
                    )
        return mapping

    def block_title(self, block_id: str) -> str:
        return next(b.title for b in self.blocks if b.id == block_id)


def load_note_wording(path: str | Path | None = None) -> NoteWording:
    """Read the note's wording (default ``frameworks/vocabularies/child_file_note.yaml``).

    Raises
    ------
    DataFileError
        One problem per line, naming the file, the field and the fix.
    """
    return load_model_once(NoteWording, path, VOCABULARIES_DIR / "child_file_note.yaml")


def _fill(template: str, **values: str) -> str:
    """Fill a phrase's blanks; typed text is only ever a value, never a template."""
    return string.Formatter().vformat(template, (), values)


_FAMILY_WORDS = frozenset({"mum", "dad", "nan", "nana", "gran", "granny", "grandad", "grandma",
                           "grandpa", "mummy", "daddy", "nanny", "i"})


def after_because(text: str, names: Iterable[str] = ()) -> str:
    """Typed words that follow "because" in a sentence we write: a small first letter,
    unless the first word is a name, a family word used as a name, or an acronym.

    >>> after_because("Both parents agreed", ["Maya"]), after_because("Maya said so", ["Maya"])
    ('both parents agreed', 'Maya said so')
    >>> after_because("CAMHS are involved"), after_because("Mum is there")
    ('CAMHS are involved', 'Mum is there')
    """
    first = re.split(r"[\s,;:'’]", text, maxsplit=1)[0] if text else ""
    if not first or first in set(names) or first.casefold() in _FAMILY_WORDS or (
            first.isupper() and len(first) > 1):
        return text
    return text[0].lower() + text[1:]


def tentative(text: str, wording: NoteWording | None = None) -> str:
    """A hypothesis as the middle of "One idea we talked about is that …".

    A leading hedge is dropped (the sentence around it is already tentative),
    words of certainty are left out, the closing full stop goes, and the first
    letter is made small after everyday words only, so names keep capitals.

    >>> tentative("I wonder whether Mum clearly feels alone since Grandad died.")
    'Mum feels alone since Grandad died'
    >>> tentative("Perhaps, the arguments are how the adults stay connected.")
    'the arguments are how the adults stay connected'
    """
    w = wording or load_note_wording()
    t = " ".join(text.split()).rstrip(" .!")
    lowered = t.casefold()
    for hedge in sorted(w.hedges, key=len, reverse=True):
        if lowered.startswith(hedge.casefold()) and (
            len(t) == len(hedge) or not t[len(hedge)].isalnum()
        ):
            t = t[len(hedge):].lstrip(" ,:;—-")
            break
    for word in w.certainty_words:
        t = re.sub(rf"\s*\b{re.escape(word)}\b,?", "", t, flags=re.IGNORECASE).strip()
    first = t.split(" ", 1)[0] if t else ""
    if first and first.casefold() in {s.casefold() for s in w.lowercase_starts}:
        t = t[0].lower() + t[1:]
    return t


# -- what the supervisor types, and what never leaves the supervision record --------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Decision(_Model):
    """A decision and the reason for it (supervision records are disclosable: say why)."""

    decision: _Text
    reason: _Text = ""


class NoteDraft(_Model):
    """What the supervisor writes for the note; everything else comes from the session.

    ``question`` replaces the case's question when given. ``address_child``
    writes the note to the child (True) or about them (False); None follows
    the framework. ``leave_out`` lists hypothesis ids not to put on the file.
    """

    id: str = ""
    purpose: Literal["child_file"] = "child_file"
    summary: _Text = ""
    question: _Text | None = None
    child_voice: _Text = ""
    decisions: list[Decision] = []
    review_date: dt.date | None = None
    author: _Short = ""
    approved_by: _Short = ""
    address_child: bool | None = None
    leave_out: list[str] = []


class PrivateReflection(_Model):
    """A personal reflection for the supervision record; it never goes on the child's file."""

    id: str = ""
    purpose: Literal["reflection"] = "reflection"
    who: _Short = ""
    text: _Text


def _note_records(store: Store, discussion_id: str, purpose: str) -> list[tuple[str, dict]]:
    return [
        (r.id, dict(r.payload))
        for r in store.records(discussion_id, RECORD_KIND)
        if r.payload.get("purpose", "child_file") == purpose
    ]


def _parse(model: type[_Model], record_id: str, payload: dict) -> _Model:
    try:
        return model.model_validate({**payload, "id": record_id})
    except ValidationError as e:
        err = e.errors()[0]
        raise WorkbookError(
            f"note {record_id}: {field_path(tuple(err['loc'])) or 'record'}: "
            f"{err['msg'].lower()} — write this part of the note again"
        ) from None


def save_draft(store: Store, discussion_id: str, draft: NoteDraft) -> NoteDraft:
    """Write the discussion's draft note (one per discussion); return it with its id."""
    from systemic.records import save

    if not draft.id:
        stored = _note_records(store, discussion_id, "child_file")
        if stored:
            draft = draft.model_copy(update={"id": stored[-1][0]})
    return save(store, discussion_id, RECORD_KIND, draft)


def load_draft(store: Store, discussion_id: str) -> NoteDraft:
    """The discussion's draft note, or an empty one."""
    stored = _note_records(store, discussion_id, "child_file")
    if not stored:
        return NoteDraft()
    draft = _parse(NoteDraft, *stored[-1])
    assert isinstance(draft, NoteDraft)
    return draft


def save_reflection(
    store: Store, discussion_id: str, reflection: PrivateReflection
) -> PrivateReflection:
    """Keep a personal reflection with the supervision record (never exported)."""
    from systemic.records import save

    return save(store, discussion_id, RECORD_KIND, reflection)


def load_reflections(store: Store, discussion_id: str) -> list[PrivateReflection]:
    """The discussion's personal reflections, oldest first."""
    out = []
    for record_id, payload in _note_records(store, discussion_id, "reflection"):
        reflection = _parse(PrivateReflection, record_id, payload)
        assert isinstance(reflection, PrivateReflection)
        out.append(reflection)
    return out


# -- the note -----------------------------------------------------------------------------------


class Attendee(_Model):
    """Someone who took part, by first name or initials, with their role in plain words."""

    name: str
    role: str


class Idea(_Model):
    """A hypothesis as a tentative idea, with what will be done to explore it."""

    hypothesis_id: str = ""
    text: str
    exploring: list[Action] = []


class LayoutSection(_Model):
    """One heading of the note and the blocks of content under it."""

    id: str
    title: str
    blocks: list[str]
    from_framework: bool = True


class ChildFileNote(_Model):
    """The content of the note for the child's file, gathered from one case discussion.

    Only what belongs on a child's record is here: no check-ins, no graces,
    no personal reflections. :func:`note_document` turns it into headed text.
    """

    session_id: str
    discussion_id: str
    case_id: str
    fictional: bool
    framework_id: str
    framework_name: str = ""
    child_name: str | None = None
    addressed_to_child: bool = False
    date: dt.date
    attendees: list[Attendee] = []
    question: str = ""
    summary: str = ""
    ideas: list[Idea] = []
    child_voice: str = ""
    worries: list[str] = []
    working_well: list[str] = []
    scaling: list[ScaleEntry] = []
    scale_question: str = ""
    decisions: list[Decision] = []
    actions: list[Action] = []
    next_steps: list[str] = []
    review_date: dt.date | None = None
    author: str = ""
    approved_by: str = ""
    layout: list[LayoutSection]
    supervisor: str = ""
    worker: str = ""
    child_age: int | None = None
    child_sex: str = "unknown"
    names: list[str] = []


def _display_name(case: Case, person_id: str | None) -> str | None:
    if not person_id:
        return None
    from systemic.graces import display_name

    try:
        return display_name(case.person(person_id))
    except KeyError:
        return None


def _layout(framework: Framework | None, wording: NoteWording) -> list[LayoutSection]:
    """Headings in the framework's order, then any block the framework has no section for."""
    out: list[LayoutSection] = []
    covered: set[str] = set()
    if framework is not None:
        for section in framework.note_for_child_file.sections:
            blocks = [b for b in wording.section_blocks.get(section.id, []) if b not in covered]
            covered.update(blocks)
            out.append(LayoutSection(id=section.id, title=section.title, blocks=blocks))
    order = {b.id: n for n, b in enumerate(wording.blocks)}
    for block in wording.blocks:
        if block.id in covered:
            continue
        # Before the first section that holds only later blocks, so the note reads in order.
        at = next(
            (n for n, s in enumerate(out)
             if s.blocks and min(order[b] for b in s.blocks) > order[block.id]),
            len(out),
        )
        out.insert(
            at,
            LayoutSection(id=block.id, title=block.title, blocks=[block.id], from_framework=False),
        )
    return out


def _session_framework(framework_id: str) -> Framework | None:
    """The session's framework, or none when its file is gone (the workbook's headings then)."""
    try:
        return get_framework(framework_id)
    except UnknownFramework:
        return None


def _addressed(draft: NoteDraft, framework: Framework | None, child_name: str | None) -> bool:
    """Written to the child: as the supervisor chose, else as the framework asks; never to
    a child the case does not name."""
    asks = framework.note_for_child_file.written_to_child if framework else None
    addressed = draft.address_child if draft.address_child is not None else bool(asks)
    return addressed and child_name is not None


def _ideas(store: Store, discussion_id: str, draft: NoteDraft, plan: Plan) -> list[Idea]:
    """The active hypotheses the supervisor has not left out, each with the actions that
    explore it."""
    from systemic.hypotheses import load_hypotheses

    left_out = set(draft.leave_out)
    ideas = []
    for h in load_hypotheses(store, discussion_id, "active"):
        if h.id in left_out or not h.text.strip():
            continue
        exploring = [a for a in plan.actions if a.hypothesis_id == h.id]
        ideas.append(Idea(hypothesis_id=h.id, text=h.text, exploring=exploring))
    return ideas


def _scale_question(signs: SignsOfSafetyMap, child: str) -> str:
    """The Signs of Safety scaling question about ``child``, when the group scaled."""
    if not signs.scales:
        return ""
    return _fill(load_plan_vocabulary().signs_of_safety.scale_question, child=child)


def _attendees(session: Session, wording: NoteWording) -> list[Attendee]:
    return [
        Attendee(name=p.name, role=wording.roles.get(p.role, p.role.replace("_", " ")))
        for p in session.participants
    ]


def _first_in_role(session: Session, role: str) -> str:
    return next((p.name for p in session.participants if p.role == role), "")


def _names(case: Case, session: Session) -> list[str]:
    """Every name the note may hold: the family's, and the first names of those who met."""
    return sorted({n for p in case.people for n in person_names(p.name)}
                  | {p.name.split()[0] for p in session.participants if p.name.split()})


def build_note(
    store: Store,
    discussion_id: str,
    *,
    framework: Framework | None = None,
    wording: NoteWording | None = None,
) -> ChildFileNote:
    """Gather the note for one case discussion from the store.

    ``framework`` defaults to the session's; when its file is gone, the
    workbook's own headings are used so that a record can still be exported.
    Only active hypotheses not left out by the supervisor become ideas.

    Raises
    ------
    UnknownSession
        When there is no such discussion.
    """
    from systemic.graces import focal_child

    w = wording or load_note_wording()
    discussion = store.discussion(discussion_id)
    session = store.session(discussion.session_id)
    case = stored_case(discussion.case_data)  # as the session reads it: old dates may disagree
    if framework is None:
        framework = _session_framework(session.framework_id)
    draft = load_draft(store, discussion_id)
    plan = load_plan(store, discussion_id)
    child = focal_child(case)
    child_name = _display_name(case, child)
    signs = plan.map
    return ChildFileNote(
        session_id=session.id,
        discussion_id=discussion_id,
        case_id=discussion.case_id,
        fictional=discussion.fictional,
        framework_id=session.framework_id,
        framework_name=framework.name if framework else "",
        child_name=child_name,
        addressed_to_child=_addressed(draft, framework, child_name),
        date=session.date,
        attendees=_attendees(session, w),
        question=draft.question if draft.question is not None else case.question,
        summary=draft.summary,
        ideas=_ideas(store, discussion_id, draft, plan),
        child_voice=draft.child_voice,
        worries=[*signs.harms, *(d.sentence() for d in signs.dangers)],
        working_well=[*signs.strengths, *signs.existing_safety],
        scaling=list(signs.scales),
        scale_question=_scale_question(signs, child_name or w.unknown_child),
        decisions=list(draft.decisions),
        actions=list(plan.actions),
        next_steps=list(signs.next_steps),
        review_date=draft.review_date,
        author=draft.author,
        approved_by=draft.approved_by,
        layout=_layout(framework, w),
        supervisor=_first_in_role(session, "supervisor"),
        worker=case.worker or _first_in_role(session, "presenter"),
        child_age=_age(case, child, session.date),
        child_sex=_sex(case, child),
        names=_names(case, session),
    )


def _sex(case: Case, person_id: str | None) -> str:
    try:
        return case.person(person_id).sex if person_id else "unknown"
    except KeyError:
        return "unknown"


def _age(case: Case, person_id: str | None, on: dt.date) -> int | None:
    """The child's age in whole years on the day of the session, if their birth is known."""
    if not person_id:
        return None
    try:
        born = case.person(person_id).born
    except KeyError:
        return None
    if born is None:
        return None
    month = born.month or 7  # a year alone: reckon from the middle of the year
    return on.year - born.year - ((on.month, on.day) < (month, born.day or 1))


def note_for_session(
    store: Store, session_id: str, case_id: str | None = None
) -> ChildFileNote:
    """The note for a session's case discussion: the only one, or the one for ``case_id``.

    Raises
    ------
    UnknownSession
        When the session is not in the store, it has no case, or ``case_id``
        is not among its cases (naming the ones there are).
    """
    every = store.discussions(session_id)
    discussions = every
    if case_id is not None:
        discussions = [d for d in every if d.case_id == case_id]
        if not discussions:
            known = ", ".join(d.case_id for d in every) or "none"
            raise UnknownSession(
                f"session {session_id} did not discuss a case '{case_id}' — its cases: {known}"
            )
    if not discussions:
        raise UnknownSession(f"session {session_id} has no case discussion to write a note for")
    if len(discussions) > 1:
        cases = ", ".join(d.case_id for d in discussions)
        raise UnknownSession(
            f"session {session_id} discussed {len(discussions)} cases ({cases}) — choose one "
            "with --case"
        )
    return build_note(store, discussions[0].id)


# -- the note as headed text --------------------------------------------------------------------


@dataclass(frozen=True)
class NoteSection:
    """A heading with its paragraphs and list items, ready for any export format."""

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.title, *self.paragraphs, *self.items)


@dataclass(frozen=True)
class NoteDocument:
    """The whole note as text: title, opening, sections and sign-off."""

    title: str
    intro: tuple[str, ...]
    sections: tuple[NoteSection, ...]
    closing: tuple[str, ...]

    def plain_text(self) -> str:
        """The note as plain text, for a quick look or a text box."""
        lines = [self.title, "", *self.intro, ""]
        for s in self.sections:
            lines += [s.title, *s.paragraphs, *(f"- {i}" for i in s.items), ""]
        return "\n".join([*lines, *self.closing]).strip() + "\n"


def _action_line(action: Action, w: NoteWording) -> str:
    what = action.what.strip().rstrip(".")
    if action.done:
        return _fill(w.action_done, what=what)
    due = long_date(action.due) if action.due else ""
    owner = action.owner.strip()
    template = (
        w.action if owner and due else w.action_no_date if owner
        else w.action_no_owner if due else w.action_plain
    )
    return _fill(template, what=what, owner=owner, due=due)


def _block(block: str, note: ChildFileNote, w: NoteWording) -> tuple[list[str], list[str]]:
    """The paragraphs and items of one block of content."""
    paragraphs: list[str] = []
    items: list[str] = []
    if block == "attendees":
        paragraphs.append(_fill(w.date_line, date=long_date(note.date)))
        items += [_fill(w.attendee, name=a.name, role=a.role) for a in note.attendees]
    elif block == "question" and note.question.strip():
        paragraphs += [w.question_intro, note.question.strip()]
    elif block == "summary" and note.summary.strip():
        paragraphs.append(note.summary.strip())
    elif block == "ideas" and note.ideas:
        paragraphs.append(w.ideas_intro)
        for n, idea in enumerate(note.ideas):
            text = tentative(idea.text, w)
            if idea.text.rstrip().endswith("?"):
                line = _fill(w.idea_question, idea=" ".join(idea.text.split()))
            else:
                line = _fill(w.idea_first if n == 0 else w.idea_next, idea=text)
            for action in idea.exploring:
                line += " " + _fill(w.exploring, what=_action_line(action, w))
            items.append(line)
    elif block == "child_voice" and note.child_voice.strip():
        paragraphs.append(note.child_voice.strip())
    elif block == "worries":
        items += note.worries
    elif block == "working_well":
        items += note.working_well
    elif block == "scaling" and note.scaling:
        paragraphs.append(_fill(w.scale_intro, question=note.scale_question))
        for s in note.scaling:
            why = after_because(s.why.strip().rstrip("."), note.names)
            template = w.scale_because if why else w.scale
            items.append(_fill(template, who=s.who, score=str(s.score), why=why))
    elif block == "decisions":
        for d in note.decisions:
            decision, reason = d.decision.strip().rstrip("."), d.reason.strip().rstrip(".")
            template = w.decision_because if reason else w.decision
            items.append(_fill(template, decision=decision, reason=reason))
    elif block == "actions":
        items += [_action_line(a, w) for a in note.actions]
        items += [s.strip() for s in note.next_steps if s.strip()]
    elif block == "review" and note.review_date:
        paragraphs.append(_fill(w.review, date=long_date(note.review_date)))
    return paragraphs, items


def note_document(note: ChildFileNote, wording: NoteWording | None = None) -> NoteDocument:
    """The note as headed text, the one source for every export format.

    A section the framework names is always shown (with a line saying
    nothing was written, when empty), so the note keeps the agreed shape; a
    section the workbook adds is shown only when it has something in it.
    """
    if note.addressed_to_child and note.child_name:
        # Written to the child throughout: a letter (systemic/letter.py).
        from systemic.letter import letter_document

        return letter_document(note)
    w = wording or load_note_wording()
    child = note.child_name or w.unknown_child
    date = long_date(note.date)
    intro = (_fill(w.opening, child=child, date=date),)
    sections = []
    for layout in note.layout:
        paragraphs: list[str] = []
        items: list[str] = []
        for block in layout.blocks:
            p, i = _block(block, note, w)
            paragraphs += p
            items += i
        if not paragraphs and not items:
            if not layout.from_framework:
                continue
            paragraphs = [w.nothing]
        sections.append(NoteSection(layout.id, layout.title, tuple(paragraphs), tuple(items)))
    closing = []
    if note.author.strip():
        closing.append(_fill(w.written_by, name=note.author.strip()))
    if note.approved_by.strip():
        closing.append(_fill(w.agreed_by, name=note.approved_by.strip()))
    return NoteDocument(
        title=w.fictional_title if note.fictional else w.title,
        intro=intro,
        sections=tuple(sections),
        closing=tuple(closing),
    )


@dataclass(frozen=True)
class NoteFinding:
    """A jargon finding in the note, with the section it is in and the text around it."""

    section: str
    text: str
    finding: Finding


def note_jargon(document: NoteDocument) -> list[NoteFinding]:
    """Every jargon term in the note, section by section, for the supervisor to reword.

    >>> doc = NoteDocument("T", ("Hello",), (NoteSection("s", "Ideas", ("Maya is LAC.",)),), ())
    >>> [(f.section, f.finding.term) for f in note_jargon(doc)]
    [('Ideas', 'LAC')]
    """
    out: list[NoteFinding] = []
    # Each finding names the heading it sits under, as the reader sees it: the title and the
    # opening lines come before the first heading, the sign-off after the last.
    parts: list[tuple[str, str]] = [("the title", document.title)]
    parts += [("the opening lines", t) for t in document.intro]
    for s in document.sections:
        parts += [(s.title, t) for t in (s.title, *s.paragraphs, *s.items)]
    parts += [("the sign-off", t) for t in document.closing]
    for section, text in parts:
        out += [NoteFinding(section, text, f) for f in jargon_findings(text)]
    return out
