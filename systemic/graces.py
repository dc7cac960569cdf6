"""Social GRRAACCEESS in a session: who holds which grace, how visible and voiced it is.

Burnham's graces name differences in beliefs, power and lifestyle that may be
visible or invisible, voiced or unvoiced (DOMAIN.md §1). The list is not fixed:
a group starts from the vocabulary's usual list (``frameworks/vocabularies/graces.yaml``,
one word per grace: near-same words such as "sexual orientation" are read as the grace
they are folded into)
and adds its own (:class:`GraceList`). Each :class:`GraceEntry` places one grace
of one person (a family member, the worker, the supervisor or a participant) in
Burnham's grid (:func:`grid`); :func:`differences` shows where the worker and a
family member differ, where power may sit; :func:`reflective_prompts` fills
Burnham's prompts with the family's own names.

The worker's and supervisor's own graces are personal: :func:`shareable` drops
them unless the supervisor chooses to share, and every export and dashboard
goes through it.

>>> entries = [GraceEntry(person="worker", grace="age", visible=True, voiced=False),
...            GraceEntry(person="mum", grace="age", visible=True, voiced=True)]
>>> [e.person for e in shareable(entries)]
['mum']
>>> grid(entries).cell(visible=True, voiced=False).people
('worker',)
"""

from __future__ import annotations

import contextlib
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from systemic import records
from systemic.cases import Case, Person
from systemic.datafile import load_model_once
from systemic.errors import UnknownSession, WorkbookError
from systemic.paths import VOCABULARIES_DIR
from systemic.store import Store
from systemic.vocabularies import Grace, GracesVocabulary, VisibilityCell, load_graces

__all__ = [
    "STAFF_PEOPLE",
    "RECORD_KIND",
    "COACH_FILE",
    "GraceEntry",
    "GraceList",
    "GraceWording",
    "GridCell",
    "Grid",
    "Difference",
    "load_grace_wording",
    "fill_blanks",
    "display_name",
    "focal_child",
    "make_entry",
    "family_facts",
    "with_family_facts",
    "shareable",
    "placing_progress",
    "placing_overview",
    "grid",
    "differences",
    "reflective_prompts",
    "save_entry",
    "load_entries",
    "delete_entry",
    "save_custom_grace",
    "load_grace_list",
]

#: The people in a session who are not in the family: their graces are personal.
STAFF_PEOPLE: tuple[str, ...] = ("worker", "supervisor")

#: The store's record kind for everything this step saves.
RECORD_KIND = "grace"

#: The data file holding the coach's rules and the wording of this step's views.
COACH_FILE = VOCABULARIES_DIR / "coach.yaml"

# Records of kind "grace" that are not entries carry this key (the store has one kind here).
_RECORD_TYPE = "record_type"
_CUSTOM_GRACE = "custom_grace"

PersonRef = Annotated[str, Field(min_length=1, max_length=200)]
GraceRef = Annotated[str, Field(min_length=1, max_length=64)]


class GraceEntry(BaseModel):
    """One grace of one person, placed (or not yet) in Burnham's grid, with a note.

    ``person`` is a person id from the case, ``"worker"``, ``"supervisor"`` or a
    participant's name. ``staff`` marks the entries that are about the people
    doing the work rather than the family: they are personal and stay out of
    exports unless shared. It is always true for the worker and the supervisor;
    :func:`make_entry` sets it for participants too.

    >>> GraceEntry(person="supervisor", grace="class").staff
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    person: PersonRef
    grace: GraceRef
    visible: bool | None = None
    voiced: bool | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    staff: bool = False

    @model_validator(mode="after")
    def _staff_are_staff(self) -> GraceEntry:
        # Worker and supervisor entries are personal whatever the caller says.
        if self.person in STAFF_PEOPLE and not self.staff:
            object.__setattr__(self, "staff", True)
        return self

    @property
    def placed(self) -> bool:
        """True once the grace has been placed as both (in)visible and (un)voiced."""
        return self.visible is not None and self.voiced is not None

    @property
    def rated(self) -> bool:
        """True when anything has been said about it: a placement or a note."""
        return self.visible is not None or self.voiced is not None or bool(self.note.strip())


# --- wording ------------------------------------------------------------------------------


class GraceWording(BaseModel):
    """The sentences of this step's views (``coach.yaml``, section ``graces``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    difference: Annotated[str, Field(min_length=1, max_length=600)]
    visible: Annotated[str, Field(min_length=1, max_length=600)]
    note: Annotated[str, Field(min_length=1, max_length=600)]
    partial: dict[Literal["visible", "invisible", "voiced", "unvoiced"], str] = {
        "visible": "seen", "invisible": "not seen",
        "voiced": "spoken about", "unvoiced": "not spoken about",
    }
    staff_names: dict[str, str] = {"worker": "the worker", "supervisor": "the supervisor"}
    no_family_member: Annotated[str, Field(min_length=1, max_length=200)]
    no_child: Annotated[str, Field(min_length=1, max_length=200)]
    custom_description: Annotated[str, Field(min_length=1, max_length=600)] = (
        "Added by the group in supervision."
    )
    custom_source: Annotated[str, Field(min_length=1, max_length=600)] = (
        "added by the group in a supervision session"
    )
    not_placed: Annotated[str, Field(min_length=1, max_length=80)] = "Not placed yet"
    progress: Annotated[str, Field(min_length=1, max_length=300)] = (
        "{name}: {placed} of {total} graces placed."
    )
    progress_noted: Annotated[str, Field(min_length=1, max_length=300)] = (
        "With a note but not placed yet: {count}."
    )
    progress_rest: Annotated[str, Field(min_length=1, max_length=300)] = (
        "Place the graces that matter for {name}."
    )
    progress_done: Annotated[str, Field(min_length=1, max_length=300)] = (
        "Every grace on the list is placed for {name}."
    )
    overview: Annotated[str, Field(min_length=1, max_length=300)] = "Placed so far: {people}."
    overview_none: Annotated[str, Field(min_length=1, max_length=300)] = (
        "No graces are placed yet."
    )
    source: Annotated[str, Field(min_length=1, max_length=600)]


class _WordingFile(BaseModel):
    # The coach's own section is checked by systemic.hypotheses.
    model_config = ConfigDict(extra="allow", frozen=True)

    graces: GraceWording


def load_grace_wording(path: str | Path | None = None) -> GraceWording:
    """Read the wording of the graces' views (default ``frameworks/vocabularies/coach.yaml``).

    Raises
    ------
    DataFileError
        Naming the file, the field and the fix.
    """
    return load_model_once(_WordingFile, path, COACH_FILE).graces


# --- the configurable list ----------------------------------------------------------------


def _slug(label: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.casefold()).strip("_")[:48]


@dataclass
class GraceList:
    """The graces a group is working with: the vocabulary's defaults plus its own additions.

    Burnham invites groups to add graces that matter to a family (DOMAIN.md §1.1);
    additions that are in the vocabulary already (language, generation, …) are
    taken from it, anything else becomes a custom grace.

    >>> graces = GraceList()
    >>> len(graces.graces())
    14
    >>> graces.add_custom_grace("Care experience", "Having grown up in care.").id
    'care_experience'
    >>> graces.is_custom(graces.add_custom_grace("Language").id)
    False
    >>> graces.label("care_experience"), len(graces.graces())
    ('Care experience', 16)
    >>> graces.label("sexual_orientation")
    'Sexuality'
    """

    vocabulary: GracesVocabulary = field(default_factory=load_graces)
    added: list[Grace] = field(default_factory=list)
    wording: GraceWording = field(default_factory=load_grace_wording)

    def graces(self) -> list[Grace]:
        """The graces shown: the defaults, then the group's additions in the order added."""
        shown = {g.id for g in self.vocabulary.defaults()}
        return self.vocabulary.defaults() + [g for g in self.added if g.id not in shown]

    def offered(self) -> list[Grace]:
        """The vocabulary's further graces the group has not added yet, to choose from."""
        taken = {g.id for g in self.graces()}
        return [g for g in self.vocabulary.extras() if g.id not in taken]

    def ids(self) -> list[str]:
        return [g.id for g in self.graces()]

    def get(self, grace_id: str) -> Grace:
        """The grace with this id, shown or offered (``KeyError`` with a plain message)."""
        grace_id = self.vocabulary.canonical(grace_id)
        for grace in [*self.added, *self.vocabulary.graces]:
            if grace.id == grace_id:
                return grace
        raise KeyError(f'no grace called "{grace_id}" — add it to the list first')

    def label(self, grace_id: str) -> str:
        """A grace's label; an unknown id is shown readably, never as an error on screen."""
        try:
            return self.get(grace_id).label
        except KeyError:
            return grace_id.replace("_", " ").capitalize()

    def is_custom(self, grace_id: str) -> bool:
        """True for a grace the group made up, not one from the vocabulary."""
        return all(g.id != grace_id for g in self.vocabulary.graces)

    def add_custom_grace(self, label: str, description: str = "") -> Grace:
        """Add a grace to the list and return it.

        A label that names a grace of the vocabulary (``"Language"``) brings that
        grace in; any other label makes a custom grace. Save it with
        :func:`save_custom_grace` so that the rest of the session sees it.

        Raises
        ------
        WorkbookError
            If the label is empty, very long, or already on the list.
        """
        text = label.strip() if isinstance(label, str) else ""
        if not text:
            raise WorkbookError(
                "A new grace needs a name — write a word or two, like 'Care experience'."
            )
        if len(text) > 200:
            raise WorkbookError(
                f"The grace '{text[:20]}…' has a very long name — keep it to a few words and "
                "put the rest in its description."
            )
        key = text.casefold()
        # A near-same word ("Sexual orientation") names the grace it is folded into.
        folded = self.vocabulary.canonical(_slug(text))
        folded = folded if folded != _slug(text) else ""
        for grace in self.graces():
            if key in (grace.label.casefold(), grace.id) or folded == grace.id:
                within = f" ({text} is part of it)" if folded == grace.id else ""
                raise WorkbookError(f"'{grace.label}' is already on the list{within}.")
        for grace in self.vocabulary.extras():
            if key in (grace.label.casefold(), grace.id) or folded == grace.id:
                self.added.append(grace)
                return grace
        base = _slug(text) or "custom"
        if not base[0].isalnum():
            base = "custom_" + base
        taken = {g.id for g in [*self.vocabulary.graces, *self.added]}
        grace_id, n = base, 2
        while grace_id in taken:
            grace_id, n = f"{base}_{n}", n + 1
        grace = Grace(
            id=grace_id,
            label=text,
            letter=None,
            description=description.strip() or self.wording.custom_description,
            default=True,
            source=self.wording.custom_source,
            confidence="U",
        )
        self.added.append(grace)
        return grace


# --- people ---------------------------------------------------------------------------------


_NICKNAME = re.compile(r"\(([^()]{1,40})\)")


def display_name(person: Person) -> str:
    """The name a group would use: the nickname in brackets, else the first name.

    >>> display_name(Person(id="kay", name="Kayode (Kay) Adeyemi-Hart"))
    'Kay'
    >>> display_name(Person(id="bev", name="Beverley Morgan"))
    'Beverley'
    """
    if person.kind not in ("person", "pet"):
        return person.name
    nick = _NICKNAME.search(person.name)
    if nick and nick.group(1).strip():
        return nick.group(1).strip()
    return person.name.split()[0]


def focal_child(case: Case, focal: str | None = None) -> str | None:
    """The child the group is thinking about: ``focal``, the case's focal child, or its index.

    >>> focal_child(Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="amy", name="Amy", index=True)]))
    'amy'
    """
    ids = {p.id for p in case.people}
    for candidate in (focal, case.focal_child):
        if candidate and candidate in ids:
            return candidate
    return next((p.id for p in case.people if p.index), None)


def _name(
    person: str,
    case: Case | None,
    names: Mapping[str, str] | None,
    wording: GraceWording,
) -> str:
    if names and person in names:
        return names[person]
    if person == "worker" and case is not None and case.worker:
        return case.worker
    if person in wording.staff_names:
        return wording.staff_names[person]
    if case is not None:
        found = case.people_by_id.get(person)
        if found is not None:
            return display_name(found)
    return person


# --- entries ----------------------------------------------------------------------------------


def _usual_graces() -> GracesVocabulary:
    """The vocabulary, read once: entries are loaded on every change of the step."""
    return load_model_once(GracesVocabulary, None, VOCABULARIES_DIR / "graces.yaml")


def make_entry(case: Case, person: str, grace: str, **fields: Any) -> GraceEntry:
    """A new entry, marked as staff unless ``person`` is someone in the case.

    Anyone who is not in the family (the worker, the supervisor, a participant by
    name) is staff, so their graces stay personal.

    >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="amy", name="Amy")])
    >>> make_entry(case, "amy", "age").staff, make_entry(case, "Sam", "age").staff
    (False, True)
    """
    staff = person not in case.people_by_id
    return GraceEntry(person=person, grace=grace, staff=staff, **fields)


def family_facts(case: Case) -> list[GraceEntry]:
    """What the family has shared about themselves (``graces:`` in the case), as entries.

    They are not placed in the grid yet: the group decides with the worker what
    is visible and voiced.

    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="amy", name="Amy", graces={"age": "9"})])
    >>> [(e.person, e.grace, e.note, e.visible) for e in family_facts(case)]
    [('amy', 'age', '9', None)]

    A grace written with a near-same word is read as the grace it is folded into:

    >>> case = Case(id="c", title="t", fictional=True, people=[Person(id="amy", name="Amy",
    ...     graces={"sexual_orientation": "gay", "sexuality": "out at school"})])
    >>> [(e.grace, e.note) for e in family_facts(case)]
    [('sexuality', 'gay; out at school')]
    """
    vocabulary = _usual_graces()
    out: list[GraceEntry] = []
    for p in case.people:
        notes: dict[str, list[str]] = {}
        for grace_id, note in p.graces.items():
            notes.setdefault(vocabulary.canonical(grace_id), []).append(note)
        out += [GraceEntry(person=p.id, grace=g, note="; ".join(n)[:2000])
                for g, n in notes.items()]
    return out


def with_family_facts(case: Case, entries: Iterable[GraceEntry]) -> list[GraceEntry]:
    """The saved entries, then the family's facts that no saved entry covers yet.

    >>> case = Case(id="c", title="t", fictional=True,
    ...     people=[Person(id="amy", name="Amy", graces={"age": "9", "gender": "girl"})])
    >>> saved = [GraceEntry(id="r1", person="amy", grace="age", visible=True, note="9")]
    >>> [(e.grace, e.id) for e in with_family_facts(case, saved)]
    [('age', 'r1'), ('gender', '')]
    """
    saved = list(entries)
    covered = {(e.person, e.grace) for e in saved}
    return saved + [f for f in family_facts(case) if (f.person, f.grace) not in covered]


def shareable(entries: Iterable[GraceEntry], share_staff: bool = False) -> list[GraceEntry]:
    """The entries that may leave the supervisor's screen: staff entries only if shared.

    Exports and dashboards call this; the worker's and supervisor's own graces
    are personal (DOMAIN.md §1.4) and never go into the child's file by default.

    >>> entries = [GraceEntry(person="worker", grace="age"), GraceEntry(person="amy", grace="age")]
    >>> len(shareable(entries)), len(shareable(entries, share_staff=True))
    (1, 2)
    """
    return [e for e in entries if share_staff or not (e.staff or e.person in STAFF_PEOPLE)]


# --- what is left to do ----------------------------------------------------------------------


def placing_progress(entries: Iterable[GraceEntry], person: str, grace_ids: list[str],
                     name: str, wording: GraceWording | None = None) -> str:
    """What is placed for one person, and plainly what is left to do.

    >>> entries = [GraceEntry(person="amy", grace="age", visible=True, voiced=True),
    ...            GraceEntry(person="amy", grace="race", note="from the case file")]
    >>> placing_progress(entries, "amy", ["age", "race", "class"], "Amy")  # doctest: +ELLIPSIS
    'Amy: 1 of 3 graces placed. With a note from the case file but not placed yet: 1. ...'
    """
    words = wording or load_grace_wording()
    mine = {e.grace: e for e in entries if e.person == person and e.grace in grace_ids}
    placed = sum(e.placed for e in mine.values())
    noted = sum(bool(e.note.strip()) and not e.placed for e in mine.values())
    parts = [fill_blanks(words.progress, name=name, placed=str(placed),
                         total=str(len(grace_ids)))]
    if placed == len(grace_ids):
        return fill_blanks(words.progress_done, name=name)
    if noted:
        parts.append(fill_blanks(words.progress_noted, count=str(noted)))
    parts.append(fill_blanks(words.progress_rest, name=name))
    return " ".join(parts)


def placing_overview(entries: Iterable[GraceEntry], called: Mapping[str, str],
                     wording: GraceWording | None = None) -> str:
    """Who has graces placed so far, and how many, in the order of ``called``.

    >>> entries = [GraceEntry(person="amy", grace="age", visible=True, voiced=True)]
    >>> placing_overview(entries, {"amy": "Amy", "worker": "Priya"})
    'Placed so far: Amy 1.'
    >>> placing_overview([], {"amy": "Amy"})
    'No graces are placed yet.'
    """
    words = wording or load_grace_wording()
    counts: dict[str, int] = {}
    for entry in entries:
        if entry.placed:
            counts[entry.person] = counts.get(entry.person, 0) + 1
    shown = [f"{name} {counts[person]}" for person, name in called.items() if person in counts]
    if not shown:
        return words.overview_none
    return fill_blanks(words.overview, people=", ".join(shown))


# --- the grid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    """One of the four cells and the entries placed in it."""

    cell: VisibilityCell
    entries: tuple[GraceEntry, ...]

    @property
    def people(self) -> tuple[str, ...]:
        """Who has a grace in this cell, each once, in the order of their first entry."""
        return tuple(dict.fromkeys(e.person for e in self.entries))


@dataclass(frozen=True)
class Grid:
    """Burnham's visible/invisible × voiced/unvoiced grid, and the entries not yet placed."""

    cells: tuple[GridCell, ...]
    unplaced: tuple[GraceEntry, ...]

    def cell(self, visible: bool, voiced: bool) -> GridCell:
        return next(c for c in self.cells if (c.cell.visible, c.cell.voiced) == (visible, voiced))


def grid(entries: Iterable[GraceEntry], vocabulary: GracesVocabulary | None = None) -> Grid:
    """Sort entries into the four cells; entries not fully placed go to ``unplaced``.

    Where a grace sits depends on context and may change in the session
    (DOMAIN.md §1.3), so an entry may be half placed for a while.

    >>> g = grid([GraceEntry(person="amy", grace="race", visible=True, voiced=False),
    ...           GraceEntry(person="amy", grace="class", visible=False)])
    >>> g.cell(True, False).cell.label, [e.grace for e in g.unplaced]
    ('Seen but not spoken about', ['class'])
    """
    vocab = vocabulary or load_graces()
    items = list(entries)
    cells = tuple(
        GridCell(c, tuple(e for e in items if (e.visible, e.voiced) == (c.visible, c.voiced)))
        for c in vocab.visibility_cells
    )
    return Grid(cells, tuple(e for e in items if not e.placed))


# --- where the worker and the family differ --------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A grace on which the worker (or another staff member) and a family member differ."""

    grace: str
    worker_entry: GraceEntry
    other_entry: GraceEntry
    aspects: tuple[str, ...]
    sentence: str


def _placement(entry: GraceEntry, vocabulary: GracesVocabulary, wording: GraceWording) -> str:
    if entry.placed:
        return vocabulary.cell(bool(entry.visible), bool(entry.voiced)).label.lower()
    parts = []
    if entry.visible is not None:
        parts.append(wording.partial["visible" if entry.visible else "invisible"])
    if entry.voiced is not None:
        parts.append(wording.partial["voiced" if entry.voiced else "unvoiced"])
    return " and ".join(parts)


def fill_blanks(template: str, **values: str) -> str:
    """Fill a template's ``{blanks}`` from a data file, on one line.

    Values are put in literally and never read again as a template, so a name or
    note with ``{`` in it comes out as written. A blank with no value is left as
    it is, so that a test can find it.

    >>> fill_blanks("How does {who} see {who}'s {x}?", who="Amy", x="{y}")
    "How does Amy see Amy's {y}?"
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return " ".join("".join(out).split())


def differences(
    entries: Iterable[GraceEntry],
    worker: str = "worker",
    *,
    against: Iterable[str] | None = None,
    case: Case | None = None,
    names: Mapping[str, str] | None = None,
    graces: GraceList | None = None,
) -> list[Difference]:
    """Where ``worker`` and each family member differ on a grace: where power may sit.

    Both must have rated the grace; they differ when one sees or voices it and the
    other does not, or when their notes say different things (a worker of 25 and a
    grandmother of 63). Compared with everyone not on the staff, unless ``against``
    names the people. Names come from ``names``, then the case (its people and its
    ``worker``), then the wording file ("the worker").

    >>> entries = [GraceEntry(person="worker", grace="age", visible=True, voiced=False),
    ...            GraceEntry(person="nan", grace="age", visible=True, voiced=True)]
    >>> d = differences(entries, names={"nan": "Beverley"})
    >>> d[0].aspects
    ('voiced',)
    >>> print(d[0].sentence)  # doctest: +NORMALIZE_WHITESPACE
    Age: the worker and Beverley differ here. For the worker it is seen but not spoken
    about; for Beverley it is seen and spoken about. Where might power sit between you,
    and who could safely voice it?
    """
    items = list(entries)
    grace_list = graces or GraceList()
    wording = grace_list.wording
    vocab = grace_list.vocabulary
    others = None if against is None else set(against)
    mine: dict[str, GraceEntry] = {}
    for e in items:
        if e.person == worker and e.rated:
            mine[e.grace] = e  # the latest entry wins
    out: list[Difference] = []
    for other in items:
        if other.person == worker or not other.rated or other.grace not in mine:
            continue
        if others is None and (other.staff or other.person in STAFF_PEOPLE):
            continue
        if others is not None and other.person not in others:
            continue
        own = mine[other.grace]
        aspects = tuple(
            aspect
            for aspect in ("visible", "voiced")
            if getattr(own, aspect) is not None
            and getattr(other, aspect) is not None
            and getattr(own, aspect) != getattr(other, aspect)
        )
        notes = (own.note.strip(), other.note.strip())
        if all(notes) and notes[0].casefold() != notes[1].casefold():
            aspects += ("note",)
        if not aspects:
            continue
        worker_name = _name(worker, case, names, wording)
        person_name = _name(other.person, case, names, wording)
        details = []
        if {"visible", "voiced"} & set(aspects):
            details.append(fill_blanks(
                wording.visible, worker=worker_name, person=person_name,
                worker_cell=_placement(own, vocab, wording),
                person_cell=_placement(other, vocab, wording),
            ))
        if "note" in aspects:
            details.append(fill_blanks(
                wording.note, worker=worker_name, person=person_name,
                worker_note=notes[0], person_note=notes[1],
            ))
        sentence = fill_blanks(
            wording.difference, grace=grace_list.label(other.grace), worker=worker_name,
            person=person_name, details=" ".join(details),
        )
        sentence = sentence[:1].upper() + sentence[1:]
        out.append(Difference(other.grace, own, other, aspects, sentence))
    return out


# --- Burnham's reflective prompts ---------------------------------------------------------------


def reflective_prompts(
    case: Case,
    entries: Iterable[GraceEntry] = (),
    focal: str | None = None,
    names: Mapping[str, str] | None = None,
    vocabulary: GracesVocabulary | None = None,
    wording: GraceWording | None = None,
) -> list[str]:
    """Burnham's prompts (``graces.yaml``) with the family's real names in the blanks.

    ``{family_member}`` is each family member who has an entry (or, before there
    are any, the people the child lives with); ``{child}`` is the focal child.
    ``names`` overrides how a person is named (initials in privacy mode). No
    blank is ever left unfilled.

    >>> case = Case(id="c", title="t", fictional=True, focal_child="amy",
    ...     people=[Person(id="amy", name="Amy Jones"), Person(id="liz", name="Liz Jones")])
    >>> prompts = reflective_prompts(case, [GraceEntry(person="liz", grace="age")])
    >>> [p for p in prompts if "Liz" in p][0]
    'Which graces are visible between you and Liz? Which of those have been voiced, and by whom?'
    >>> any("{" in p for p in prompts), any("If Amy read our notes" in p for p in prompts)
    (False, True)
    """
    vocab = vocabulary or load_graces()
    words = wording or load_grace_wording()
    people = case.people_by_id
    family = [
        pid for pid in dict.fromkeys(e.person for e in entries)
        if pid in people and pid not in STAFF_PEOPLE
    ]
    child = focal_child(case, focal)
    if not family:
        homes = [h for h in case.households if child in h.members]
        family = [
            pid for h in homes for pid in h.members
            if pid != child and pid in people and people[pid].alive
        ]
        family = list(dict.fromkeys(family))

    def called(pid: str) -> str:
        if names and pid in names:
            return names[pid]
        return display_name(people[pid])

    child_name = called(child) if child else words.no_child
    family_names = [called(pid) for pid in family] or [words.no_family_member]
    out: list[str] = []
    for prompt in vocab.reflective_prompts:
        blanks = prompt.placeholders()
        for member in family_names if "family_member" in blanks else [""]:
            out.append(fill_blanks(prompt.text, family_member=member, child=child_name))
    return out


# --- saving -------------------------------------------------------------------------------------


class _CustomGraceRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_type: Literal["custom_grace"] = _CUSTOM_GRACE
    grace: Grace


def save_entry(store: Store, owner_id: str, entry: GraceEntry) -> GraceEntry:
    """Save an entry (new, or replacing the one with its id); return it with its id."""
    return records.save(store, owner_id, RECORD_KIND, entry)


def load_entries(store: Store, owner_id: str) -> list[GraceEntry]:
    """Every grace entry of a case discussion (or a session), oldest first.

    An entry saved under a near-same word ("sexual_orientation") comes back as the grace
    it is folded into, so each person has one entry per grace (the later one, if two).
    """
    vocabulary = _usual_graces()
    out: dict[tuple[str, str], GraceEntry] = {}
    for record in store.records(owner_id, RECORD_KIND):
        if _RECORD_TYPE in record.payload:
            continue
        payload = {**record.payload, "id": record.id}
        payload["grace"] = vocabulary.canonical(str(payload.get("grace", "")))
        entry = GraceEntry.model_validate(payload)
        out.pop((entry.person, entry.grace), None)
        out[(entry.person, entry.grace)] = entry
    return list(out.values())


def delete_entry(store: Store, entry: GraceEntry) -> None:
    """Remove a saved entry for good."""
    if entry.id:
        records.delete(store, entry.id)


def save_custom_grace(store: Store, owner_id: str, grace: Grace) -> str:
    """Keep a grace the group added, for a discussion or for the whole session; return its id."""
    records.save(store, owner_id, RECORD_KIND, _CustomGraceRecord(grace=grace))
    return grace.id


def load_grace_list(
    store: Store, owner_id: str, vocabulary: GracesVocabulary | None = None
) -> GraceList:
    """The session's list: the defaults plus every grace added to this discussion or its session.

    >>> import tempfile, pathlib
    >>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "g.db")
    >>> sid = store.create_session("Demo", "camden_practice_framework")
    >>> graces = GraceList()
    >>> _ = save_custom_grace(store, sid, graces.add_custom_grace("Care experience"))
    >>> load_grace_list(store, sid).label("care_experience")
    'Care experience'
    >>> store.close()
    """
    owners = [owner_id]
    with contextlib.suppress(UnknownSession):
        owners.append(store.discussion(owner_id).session_id)
    grace_list = GraceList(vocabulary or load_graces())
    seen = {g.id for g in grace_list.graces()}
    for owner in reversed(owners):
        for record in store.records(owner, RECORD_KIND):
            if record.payload.get(_RECORD_TYPE) != _CUSTOM_GRACE:
                continue
            grace = _CustomGraceRecord.model_validate(record.payload).grace
            if grace.id not in seen:
                grace_list.added.append(grace)
                seen.add(grace.id)
    return grace_list
