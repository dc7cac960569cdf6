"""Safe uncertainty (Mason) and the social discipline window: where the group places people.

The group places the worker, family members and the network on Mason's grid
(safe or unsafe, certain or uncertain), now and where they hope to be, and
places relationships on the social discipline window (with, to, for, not).
The wording of both grids is data (``frameworks/vocabularies/uncertainty.yaml``);
the caveat that Mason's grid is a reflective lens and not a risk assessment
(McKenny 2021) is data too, and every view of the grid shows it.

>>> p = Placement(who="worker", label="Priya", now="unsafe_uncertainty", hoped="safe_uncertainty")
>>> load_uncertainty().position(p.now).label
'Unsafe uncertainty'
>>> quadrant_at(0.8, 0.9)
'safe_uncertainty'
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from systemic.cases import Case
from systemic.datafile import field_path, load_model_once
from systemic.errors import WorkbookError
from systemic.paths import VOCABULARIES_DIR
from systemic.store import Store
from systemic.store.model import Participant

__all__ = [
    "Quadrant",
    "WindowCellId",
    "QUADRANTS",
    "WINDOW_CELLS",
    "GRID_IDS",
    "PROMPT_PLACEHOLDERS",
    "WORKER",
    "NETWORK",
    "Caveat",
    "Position",
    "WindowCell",
    "DisciplineWindow",
    "UncertaintyVocabulary",
    "Placement",
    "WindowPlacement",
    "AnyPlacement",
    "Choice",
    "Movement",
    "load_uncertainty",
    "caveat",
    "quadrant_at",
    "window_cell_at",
    "placement_choices",
    "movement",
    "save_placement",
    "load_placements",
]

#: Mason's four positions, by id.
Quadrant = Literal["safe_certainty", "safe_uncertainty", "unsafe_certainty", "unsafe_uncertainty"]
QUADRANTS: tuple[str, ...] = get_args(Quadrant)

#: The four cells of the social discipline window, by id.
WindowCellId = Literal["with", "to", "for", "not"]
WINDOW_CELLS: tuple[str, ...] = get_args(WindowCellId)

#: The grids a placement can be on; the store keeps both under the kind "placement".
GRID_IDS: tuple[str, ...] = ("safe_uncertainty", "social_discipline_window")

#: The blanks a prompt may leave for the workbook to fill.
PROMPT_PLACEHOLDERS: tuple[str, ...] = ("child", "person")

#: Who else can be placed besides the family and the group.
WORKER = "worker"
NETWORK = "network"

_Text = Annotated[str, Field(min_length=1, max_length=2000)]
_Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_]*$")]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_placeholders(prompts: list[str]) -> list[str]:
    for text in prompts:
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(text) if n is not None]
        except ValueError:
            raise ValueError(
                f'"{text[:40]}" has an unmatched {{ or }} — write blanks like {{child}}'
            ) from None
        unknown = sorted(set(names) - set(PROMPT_PLACEHOLDERS))
        if unknown:
            raise ValueError(
                f"{{{unknown[0]}}} is not a blank the workbook can fill — "
                "use {child} or {person}"
            )
    return prompts


_Prompts = Annotated[list[_Text], AfterValidator(_check_placeholders)]


def _fill(text: str, child: str, person: str) -> str:
    return text.format(child=child, person=person)


class Caveat(_Data):
    """A sentence the grid is always shown with, and where it comes from."""

    text: _Text
    source: _Text
    confidence: Literal["C", "P", "U"]


class Position(_Data):
    """One of Mason's four positions, with its summary and the group's prompts."""

    id: Quadrant
    label: _Text
    safe: bool
    certain: bool
    summary: _Text
    prompts: _Prompts = []
    source: _Text
    confidence: Literal["C", "P", "U"]

    def filled_prompts(self, child: str = "the child", person: str = "them") -> list[str]:
        """The prompts with the child's and the placed person's names written in.

        >>> load_uncertainty().position("unsafe_uncertainty").filled_prompts("Maya")[0]
        'What do we urgently need to know to keep Maya safe today?'
        """
        return [_fill(p, child, person) for p in self.prompts]


class WindowCell(_Data):
    """One cell of the social discipline window (challenge × support)."""

    id: WindowCellId
    label: _Text
    challenge_high: bool
    support_high: bool
    summary: _Text
    prompts: _Prompts = []
    source: _Text
    confidence: Literal["C", "P", "U"]

    def filled_prompts(self, child: str = "the child", person: str = "them") -> list[str]:
        """The prompts with names written in (see :meth:`Position.filled_prompts`)."""
        return [_fill(p, child, person) for p in self.prompts]


class DisciplineWindow(_Data):
    """The social discipline window: its four cells, a note and general prompts."""

    name: _Text
    note: _Text
    source: _Text
    confidence: Literal["C", "P", "U"]
    cells: Annotated[list[WindowCell], Field(min_length=4, max_length=4)]
    prompts: _Prompts = []

    @field_validator("cells")
    @classmethod
    def _one_cell_each(cls, cells: list[WindowCell]) -> list[WindowCell]:
        if {c.id for c in cells} != set(WINDOW_CELLS) or len(
            {(c.challenge_high, c.support_high) for c in cells}
        ) != 4:
            raise ValueError(
                "the window needs the four cells with, to, for and not, one for each mix of "
                "high and low challenge and support"
            )
        return cells


class UncertaintyVocabulary(_Data):
    """Everything the two grids say, read from ``uncertainty.yaml``."""

    source: _Text
    caveat: Caveat
    positions: Annotated[list[Position], Field(min_length=4, max_length=4)]
    window: DisciplineWindow

    @field_validator("positions")
    @classmethod
    def _one_position_each(cls, positions: list[Position]) -> list[Position]:
        if {p.id for p in positions} != set(QUADRANTS) or len(
            {(p.safe, p.certain) for p in positions}
        ) != 4:
            raise ValueError(
                "the grid needs the four positions safe_certainty, safe_uncertainty, "
                "unsafe_certainty and unsafe_uncertainty, one for each mix of safe and certain"
            )
        for p in positions:
            expected = ("safe" if p.safe else "unsafe") + (
                "_certainty" if p.certain else "_uncertainty"
            )
            if p.id != expected:
                raise ValueError(
                    f'the position "{p.id}" is marked safe: {str(p.safe).lower()}, certain: '
                    f"{str(p.certain).lower()} — that is {expected}; correct the marks"
                )
        return positions

    def position(self, quadrant: str) -> Position:
        """The position with this id (``KeyError`` naming the four there are)."""
        for p in self.positions:
            if p.id == quadrant:
                return p
        raise KeyError(f'no position called "{quadrant}" — use one of: {", ".join(QUADRANTS)}')

    def cell(self, cell_id: str) -> WindowCell:
        """The window cell with this id (``KeyError`` naming the four there are)."""
        for c in self.window.cells:
            if c.id == cell_id:
                return c
        raise KeyError(f'no window cell called "{cell_id}" — use one of: {", ".join(WINDOW_CELLS)}')

    def label(self, grid: str, cell_id: str) -> str:
        """The label of a position or window cell, for sentences and drawings."""
        return (self.position(cell_id) if grid == "safe_uncertainty" else self.cell(cell_id)).label


def load_uncertainty(path: str | Path | None = None) -> UncertaintyVocabulary:
    """Read the grids' wording (default ``frameworks/vocabularies/uncertainty.yaml``).

    Raises
    ------
    DataFileError
        One problem per line, naming the file, the field and the fix.
    """
    return load_model_once(UncertaintyVocabulary, path, VOCABULARIES_DIR / "uncertainty.yaml")


def caveat() -> Caveat:
    """The sentence Mason's grid is always shown with (McKenny 2021).

    >>> "not a risk assessment" in caveat().text
    True
    """
    return load_uncertainty().caveat


# -- placements ---------------------------------------------------------------------------------

_Who = Annotated[str, Field(min_length=1, max_length=64)]
_Fine = Annotated[float, Field(ge=0.0, le=1.0)] | None


class _PlacementBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = ""
    who: _Who = Field(description="A person id from the case, 'worker', 'network' or a participant")
    label: Annotated[str, Field(max_length=200)] = Field(
        default="", description="How the grid names them: a first name, initials or a role"
    )
    x: _Fine = Field(default=None, description="Fine position across the grid, 0 to 1")
    y: _Fine = Field(default=None, description="Fine position up the grid, 0 to 1")
    note: Annotated[str, Field(max_length=4000)] = ""

    @field_validator("who")
    @classmethod
    def _who_plain(cls, who: str) -> str:
        who = who.strip()
        if not who:
            raise ValueError("who is empty — choose someone to place")
        return who

    def shown_as(self) -> str:
        """The name to show: the label, or the id when no label was given."""
        return self.label or self.who


class Placement(_PlacementBase):
    """Someone's place on Mason's grid now, and where the group hopes they will be.

    ``x`` runs from certainty (0) to uncertainty (1) and ``y`` from unsafe (0)
    to safe (1); when given, they must fall in ``now`` (0.5 counts as either side).

    >>> Placement(who="mum", label="Mum", now="unsafe_certainty", x=0.2, y=0.1).now
    'unsafe_certainty'
    """

    grid: Literal["safe_uncertainty"] = "safe_uncertainty"
    now: Quadrant
    hoped: Quadrant | None = None

    @model_validator(mode="after")
    def _point_in_square(self) -> Placement:
        if self.x is not None and self.y is not None:
            certain, safe = _side(self.x), _side(self.y)
            position = load_uncertainty().position(self.now)
            if certain not in (None, not position.certain) or safe not in (None, position.safe):
                raise ValueError(
                    f"the point ({self.x:g}, {self.y:g}) lies outside {position.label.lower()} "
                    "— move it into that square, or change 'now'"
                )
        return self


class WindowPlacement(_PlacementBase):
    """A relationship's place on the social discipline window: ``who`` working with ``towards``.

    ``x`` runs from low (0) to high (1) support and ``y`` from low (0) to high
    (1) challenge; when given, they must fall in ``now``.

    >>> WindowPlacement(who="worker", towards="family", now="to", hoped="with").hoped
    'with'
    """

    grid: Literal["social_discipline_window"] = "social_discipline_window"
    towards: _Who = Field(default="family", description="The other side of the relationship")
    now: WindowCellId
    hoped: WindowCellId | None = None

    @model_validator(mode="after")
    def _point_in_square(self) -> WindowPlacement:
        if self.x is not None and self.y is not None:
            support, challenge = _side(self.x), _side(self.y)
            cell = load_uncertainty().cell(self.now)
            if support not in (None, cell.support_high) or challenge not in (
                None,
                cell.challenge_high,
            ):
                raise ValueError(
                    f"the point ({self.x:g}, {self.y:g}) lies outside '{cell.label}' — move it "
                    "into that square, or change 'now'"
                )
        return self


#: A placement on either grid; the ``grid`` field tells them apart in the store.
AnyPlacement = Annotated[Placement | WindowPlacement, Field(discriminator="grid")]
_ANY = TypeAdapter(AnyPlacement)


def _side(value: float) -> bool | None:
    """True above the middle, False below, None on the line itself."""
    return None if value == 0.5 else value > 0.5


def quadrant_at(x: float, y: float) -> str:
    """Mason's position at a point: ``x`` certainty→uncertainty, ``y`` unsafe→safe.

    The middle lines belong to the safe and uncertain sides, the hopeful ones.

    >>> quadrant_at(0.1, 0.2), quadrant_at(0.5, 0.5)
    ('unsafe_certainty', 'safe_uncertainty')
    """
    return ("safe" if y >= 0.5 else "unsafe") + ("_uncertainty" if x >= 0.5 else "_certainty")


def window_cell_at(x: float, y: float) -> str:
    """The window cell at a point: ``x`` support low→high, ``y`` challenge low→high.

    >>> window_cell_at(0.9, 0.9), window_cell_at(0.1, 0.9), window_cell_at(0.9, 0.1)
    ('with', 'to', 'for')
    """
    return {(True, True): "with", (False, True): "to", (True, False): "for"}.get(
        (x >= 0.5, y >= 0.5), "not"
    )


@dataclass(frozen=True)
class Choice:
    """Someone the group can place, with the name the grid shows."""

    who: str
    label: str
    group: Literal["family", "worker", "network", "participant"]


def placement_choices(case: Case, participants: Iterable[Participant] = ()) -> list[Choice]:
    """Everyone who can be placed: the family, the worker, the network and the group.

    >>> from systemic.cases import Person
    >>> case = Case(id="c", title="C", fictional=True, worker="Priya",
    ...             people=[Person(id="amy", name="Amy Example")])
    >>> [c.who for c in placement_choices(case)]
    ['amy', 'worker', 'network']
    >>> from systemic.store import Participant
    >>> [c.label for c in placement_choices(case, [Participant(name="Priya"),
    ...                                             Participant(name="Sam")])]
    ['Amy', 'Priya', 'The professional network', 'Sam']
    """
    choices = [
        Choice(p.id, p.name.split()[0], "family")
        for p in case.people
        if p.kind == "person" and p.alive
    ]
    choices.append(Choice(WORKER, case.worker or "The worker", "worker"))
    choices.append(Choice(NETWORK, "The professional network", "network"))
    # Each person once: the worker presenting the case is usually in the group too.
    taken = {c.who for c in choices} | {(case.worker or "").strip().casefold()}
    for person in participants:
        if person.name not in taken and person.name.strip().casefold() not in taken:
            choices.append(Choice(person.name, person.name, "participant"))
            taken.add(person.name.strip().casefold())
    return choices


@dataclass(frozen=True)
class Movement:
    """How one person (or relationship) moved on a grid between two sessions.

    ``before`` or ``after`` is None when they were placed only once.
    """

    grid: str
    who: str
    towards: str | None
    label: str
    before: str | None
    after: str | None
    hoped: str | None

    @property
    def moved(self) -> bool:
        return self.before is not None and self.after is not None and self.before != self.after

    @property
    def reached_hope(self) -> bool:
        """Did they arrive where the group hoped, last time, they would be?"""
        return self.hoped is not None and self.after == self.hoped

    def sentence(self) -> str:
        """A plain sentence for the team view.

        >>> Movement("safe_uncertainty", "worker", None, "Priya", "unsafe_uncertainty",
        ...          "safe_uncertainty", "safe_uncertainty").sentence()
        'Priya moved from unsafe uncertainty to safe uncertainty, where the group hoped.'
        """
        vocabulary = load_uncertainty()

        def name(cell: str) -> str:
            return vocabulary.label(self.grid, cell).lower()

        if self.before is None and self.after is not None:
            return f"{self.label} was placed for the first time, in {name(self.after)}."
        if self.after is None and self.before is not None:
            return f"{self.label} was not placed this time (last time: {name(self.before)})."
        assert self.before is not None and self.after is not None
        if not self.moved:
            return f"{self.label} stayed in {name(self.after)}."
        hope = ", where the group hoped" if self.reached_hope else ""
        return f"{self.label} moved from {name(self.before)} to {name(self.after)}{hope}."


def _key(p: Placement | WindowPlacement) -> tuple[str, str, str | None]:
    return (p.grid, p.who, p.towards if isinstance(p, WindowPlacement) else None)


def movement(
    before: Sequence[Placement | WindowPlacement], after: Sequence[Placement | WindowPlacement]
) -> list[Movement]:
    """Compare two sets of placements (two sessions on the same case), person by person.

    People are matched by grid and ``who`` (and ``towards`` on the window);
    if one is placed twice in a set, the later placement counts.

    >>> a = [Placement(who="mum", label="Mum", now="unsafe_certainty", hoped="safe_uncertainty")]
    >>> b = [Placement(who="mum", label="Mum", now="safe_uncertainty")]
    >>> [m.reached_hope for m in movement(a, b)]
    [True]
    """
    first = {_key(p): p for p in before}
    second = {_key(p): p for p in after}
    out = []
    for key in list(first) + [k for k in second if k not in first]:
        old, new = first.get(key), second.get(key)
        shown = (new or old)
        assert shown is not None
        out.append(
            Movement(
                grid=key[0],
                who=key[1],
                towards=key[2],
                label=shown.shown_as(),
                before=old.now if old else None,
                after=new.now if new else None,
                hoped=old.hoped if old else None,
            )
        )
    return out


# -- the store ----------------------------------------------------------------------------------


def _known_who(store: Store, discussion_id: str) -> set[str]:
    from systemic.cases import stored_case

    discussion = store.discussion(discussion_id)
    case = stored_case(discussion.case_data)  # as the session reads it: old dates may disagree
    participants = store.session(discussion.session_id).participants
    return {c.who for c in placement_choices(case, participants)} | {"family"}


def save_placement(
    store: Store, discussion_id: str, placement: Placement | WindowPlacement
) -> Placement | WindowPlacement:
    """Write a placement (new, or replacing the one with its id); return it with its id.

    Raises
    ------
    WorkbookError
        When ``who`` (or ``towards``) is no one in the case, the group, the
        worker or the network.
    """
    known = _known_who(store, discussion_id)
    names = [placement.who]
    if isinstance(placement, WindowPlacement):
        names.append(placement.towards)
    for name in names:
        if name not in known:
            raise WorkbookError(
                f"'{name}' is no one in this case or group — place a family member by id, "
                f"a participant by name, '{WORKER}' or '{NETWORK}'."
            )
    from systemic.records import save

    return save(store, discussion_id, "placement", placement)


def load_placements(
    store: Store, discussion_id: str, grid: str | None = None
) -> list[Placement | WindowPlacement]:
    """The discussion's placements, oldest first, on one grid or both.

    Raises
    ------
    WorkbookError
        When a stored placement cannot be read (named by its record id).
    """
    if grid is not None and grid not in GRID_IDS:
        raise WorkbookError(f"'{grid}' is not a grid — use one of: {', '.join(GRID_IDS)}.")
    out: list[Placement | WindowPlacement] = []
    for record in store.records(discussion_id, "placement"):
        data = {**record.payload, "id": record.id}
        data.setdefault("grid", "safe_uncertainty")
        try:
            placement = _ANY.validate_python(data)
        except ValidationError as e:
            err = e.errors()[0]
            loc = tuple(err["loc"])
            if loc and loc[0] in GRID_IDS:  # the union's tag, not a field
                loc = loc[1:]
            raise WorkbookError(
                f"placement {record.id}: {field_path(loc) or 'record'}: "
                f"{err['msg'].lower()} — place this person again"
            ) from None
        if grid is None or placement.grid == grid:
            out.append(placement)
    return out
