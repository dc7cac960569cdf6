"""The safe uncertainty grid (Mason) and the social discipline window, as forms and a picture.

The group places the worker, each family member and the network on Mason's
grid, now and where they hope to be; and places relationships (the worker
and the family, the supervisor and the worker) on the social discipline
window. Each choice is saved at once. The picture is SVG computed here, in
Python, from the stored placements: every cell carries its name (colour is
never the only cue), every name is escaped, and a table says the same in
words for screen readers. The caveat that Mason's grid is a reflective lens
and not a risk assessment is always on screen.

>>> layout = mason_layout()
>>> [c.label for c in sorted(layout.cells, key=lambda c: (c.row, c.column))]
['Safe certainty', 'Safe uncertainty', 'Unsafe certainty', 'Unsafe uncertainty']
>>> "Priya" in grid_svg(layout, [GridMark("Priya", "unsafe_uncertainty", "safe_uncertainty")])
True
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as ipw

from systemic import records
from systemic.errors import NotSaved
from systemic.html_templates import Markup, render
from systemic.session import SupervisorSession
from systemic.uncertainty import (
    NETWORK,
    WORKER,
    Placement,
    WindowPlacement,
    load_placements,
    load_uncertainty,
    placement_choices,
    save_placement,
)
from systemic.uncertainty_grid import (
    CELL_FILLS,
    MARK_COLOUR,
    TEXT_COLOUR,
    GridCell,
    GridLayout,
    GridMark,
    grid_svg,
    mason_layout,
    window_layout,
)
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import (
    alert,
    child_name,
    framework_tools_html,
    in_step,
    open_step,
    paragraph,
    prompt_html,
    status,
)

__all__ = [
    "TEXT_COLOUR",
    "MARK_COLOUR",
    "CELL_FILLS",
    "GridCell",
    "GridLayout",
    "GridMark",
    "mason_layout",
    "window_layout",
    "grid_svg",
    "placements_table",
    "UncertaintyPanel",
    "DisciplineWindowPanel",
    "uncertainty_step",
    "discipline_window_step",
]

def placements_table(
    layout: GridLayout, rows: Sequence[tuple[str, str, str | None, str]], who_heading: str = "Who"
) -> str:
    """The placements as a table (who, now, hoped, note): the grid in words, escaped."""
    if not rows:
        return paragraph("No one has been placed yet.")
    names = {c.id: c.label for c in layout.cells}
    shown = [
        (who, names.get(now, now), names.get(hoped, hoped) if hoped else "Not chosen yet", note)
        for who, now, hoped, note in rows
    ]
    return render("widgets/uncertainty/placements.html.j2", title=layout.title,
                  who_heading=who_heading, rows=shown)


# -- the forms ----------------------------------------------------------------------------------

_STYLE = {"description_width": "12rem"}
_WIDE = ipw.Layout(width="40rem")


class _GridPanel(StepWidget):
    """A form that places one person or relationship at a time; each change is saved at once."""

    grid = ""
    who_label = "Who"
    off_label = "Not on the grid"

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        self._loading = False
        info = self.session_info
        self.vocabulary = load_uncertainty()
        self.case = session.case
        self.child = child_name(self.case)
        self.participants = info.participants
        self.layout = self._layout()
        options = self._who_options()
        self.names = {key: name for key, _, name in options}
        cells = [(self._cell_option(c), c) for c in self._cell_ids()]
        self.who = ipw.Dropdown(
            options=[(label, key) for key, label, _ in options],
            description=self.who_label, style=_STYLE, layout=_WIDE,
        )
        self.now = ipw.Dropdown(
            options=[(self.off_label, ""), *cells], description="Now",
            style=_STYLE, layout=_WIDE,
        )
        self.hoped = ipw.Dropdown(
            options=[("Not chosen yet", ""), *cells], description="Where we hope to be",
            style=_STYLE, layout=_WIDE,
        )
        self.note = ipw.Textarea(
            description="Note", placeholder="What makes the group place them here?",
            continuous_update=False, style=_STYLE, layout=ipw.Layout(width="40rem", height="4rem"),
        )
        self.intro = ipw.HTML(in_step(self._intro_html()))
        self.picture = ipw.HTML()
        self.table = ipw.HTML()
        self.prompts = ipw.HTML()
        self.message = ipw.HTML()
        self.who.observe(self._on_who, names="value")
        for field in (self.now, self.hoped, self.note):
            field.observe(self._on_edit, names="value")
        self._load_form()
        self._redraw()

    # -- what differs between the two grids --
    def _layout(self) -> GridLayout:
        raise NotImplementedError

    def _cell_ids(self) -> list[str]:
        return [c.id for c in self.layout.cells]

    def _cell_option(self, cell_id: str) -> str:
        return self.layout.cell(cell_id).label

    def _who_options(self) -> list[tuple[str, str, str]]:
        """(key, what the menu shows, the name on the grid) for everyone the form can place."""
        raise NotImplementedError

    def _intro_html(self) -> str:
        raise NotImplementedError

    def _make(self, key: str, record_id: str) -> Placement | WindowPlacement:
        raise NotImplementedError

    def _key(self, placement: Placement | WindowPlacement) -> str:
        return placement.who

    def _cell_prompts(self, cell_id: str, person: str) -> list[str]:
        raise NotImplementedError

    def _prompt_heading(self, label: str) -> str:
        return f"Questions for {label.lower()}"

    # -- shared behaviour --
    def placements(self) -> list[Placement | WindowPlacement]:
        """The placements on this grid, as stored."""
        return load_placements(self.store, self.discussion_id, self.grid)

    def _find(self, key: str) -> Placement | WindowPlacement | None:
        found = [p for p in self.placements() if self._key(p) == key]
        return found[-1] if found else None

    def _load_form(self) -> None:
        """Show the chosen person's stored placement without saving anything."""
        placement = self._find(self.who.value) if self.who.value is not None else None
        self._loading = True
        try:
            # "" stands for "not on the grid" and "not chosen yet": a menu cannot show None.
            self.now.value = placement.now if placement else ""
            self.hoped.value = (placement.hoped or "") if placement else ""
            self.note.value = placement.note if placement else ""
        finally:
            self._loading = False
        self._show_prompts()

    def _on_who(self, _change: object = None) -> None:
        with self._lock:
            self.message.value = ""
            self._load_form()

    def _on_edit(self, change: Mapping[str, Any] | None = None) -> None:
        if self._loading:
            return
        # Under ipykernel 7 callbacks may run on a comm thread: one store write at a time.
        with self._lock:
            try:
                self._save()
            except STORE_ERRORS as e:
                self._not_saved(e, change)
            self._redraw()
            self._show_prompts()

    def _not_saved(self, error: BaseException, change: Mapping[str, Any] | None) -> None:
        """One kind line; a choice the store refused goes back to what is stored.

        Only a note is typed: a refused place on the grid is a choice, so the line
        does not talk of typed text, and the menu is not left showing it as made.
        """
        field = change.get("owner") if change else None
        typed = field is None or field is self.note
        self.message.value = alert(not_saved_text(error, typed=typed))
        if not typed and isinstance(error, NotSaved | sqlite3.Error | OSError):
            self._loading = True
            try:
                field.value = change["old"]  # type: ignore[index, union-attr]
            finally:
                self._loading = False

    def _save(self) -> None:
        key = self.who.value
        if key is None:
            return
        name = self.names.get(key, key)
        existing = self._find(key)
        if not self.now.value:
            if existing is not None:
                records.delete(self.store, existing.id)
                self.message.value = status(f"{name} is off the grid now.")
            elif self.hoped.value or self.note.value.strip():
                self.message.value = status(
                    f"Choose where {name} is now, and this will be saved."
                )
            return
        placement = self._make(key, existing.id if existing else "")
        save_placement(self.store, self.discussion_id, placement)
        self.message.value = status(f"Saved: {name}.")

    def _redraw(self) -> None:
        placements = self.placements()
        marks = [GridMark(p.shown_as(), p.now, p.hoped) for p in placements]
        self.picture.value = grid_svg(self.layout, marks, ident=f"wb-{self.grid}")
        self.table.value = placements_table(
            self.layout,
            [(p.shown_as(), p.now, p.hoped, p.note) for p in placements],
            self.who_label,
        )

    def _show_prompts(self) -> None:
        cell = self.now.value
        person = self.names.get(self.who.value, "them") if self.who.value else "them"
        if not cell:
            self.prompts.value = paragraph(
                "Choose where they are now to see questions for that part of the grid."
            )
            return
        label = self.layout.cell(cell).label
        self.prompts.value = render(
            "widgets/uncertainty/prompts.html.j2", heading=self._prompt_heading(label),
            items=list(self._cell_prompts(cell, person)),
        )

    def view(self) -> ipw.VBox:
        return ipw.VBox([
            self.intro, self.picture, self.who, self.now, self.hoped, self.note, self.message,
            self.prompts, self.table,
        ])


class UncertaintyPanel(_GridPanel):
    """Mason's grid: the worker, each family member and the network, now and hoped."""

    grid = "safe_uncertainty"

    def _layout(self) -> GridLayout:
        return mason_layout(self.vocabulary)

    def _cell_option(self, cell_id: str) -> str:
        return self.vocabulary.position(cell_id).label

    def _who_options(self) -> list[tuple[str, str, str]]:
        suffix = {"worker": " (the worker)", "participant": " (in the group)"}
        choices = placement_choices(self.case, self.participants)
        # The worker first: the group usually starts with where the worker stands.
        choices.sort(key=lambda c: c.group != "worker")
        return [(c.who, c.label + suffix.get(c.group, ""), c.label) for c in choices]

    def _intro_html(self) -> str:
        caveat = self.vocabulary.caveat.text
        return (
            prompt_html(self.framework.prompt("uncertainty"), self.child)
            + render("widgets/uncertainty/caveat.html.j2", caveat=caveat)
        )

    def _make(self, key: str, record_id: str) -> Placement:
        return Placement(
            id=record_id, who=key, label=self.names.get(key, key),
            now=self.now.value, hoped=self.hoped.value or None, note=self.note.value.strip(),
        )

    def _cell_prompts(self, cell_id: str, person: str) -> list[str]:
        return self.vocabulary.position(cell_id).filled_prompts(self.child, person)

    def _show_prompts(self) -> None:
        super()._show_prompts()
        if self.now.value:
            summary = self.vocabulary.position(self.now.value).summary
            self.prompts.value = paragraph(summary) + self.prompts.value


class DisciplineWindowPanel(_GridPanel):
    """The social discipline window: the worker and the family, the supervisor and the worker."""

    grid = "social_discipline_window"
    who_label = "Relationship"
    off_label = "Not on the window"

    def _layout(self) -> GridLayout:
        return window_layout(self.vocabulary)

    def _cell_option(self, cell_id: str) -> str:
        cell = self.vocabulary.cell(cell_id)
        return f"{cell.label}: {cell.summary.split('.')[0].lower()}"

    def _relationships(self) -> list[tuple[str, str, str, str]]:
        """(who, towards, who's name, towards' name) for every relationship the form offers."""
        choices = placement_choices(self.case, self.participants)
        worker = next(c.label for c in choices if c.who == WORKER)
        family = [c for c in choices if c.group == "family"]
        out = [(WORKER, "family", worker, "the family")]
        out += [(WORKER, c.who, worker, c.label) for c in family]
        out.append((NETWORK, "family", "The professional network", "the family"))
        out += [
            (p.name, WORKER, f"{p.name} (supervisor)", worker)
            for p in self.participants if p.role == "supervisor"
        ]
        return out

    def _who_options(self) -> list[tuple[str, str, str]]:
        return [
            (f"{who}|{towards}", f"{who_name} and {towards_name}", f"{who_name} and {towards_name}")
            for who, towards, who_name, towards_name in self._relationships()
        ]

    def _key(self, placement: Placement | WindowPlacement) -> str:
        towards = placement.towards if isinstance(placement, WindowPlacement) else ""
        return f"{placement.who}|{towards}"

    def _towards_name(self, key: str) -> str:
        who, towards = key.rsplit("|", 1)
        for w, t, _, towards_name in self._relationships():
            if (w, t) == (who, towards):
                return towards_name
        return towards

    def _intro_html(self) -> str:
        window = self.vocabulary.window
        return render(
            "widgets/uncertainty/window_intro.html.j2", name=window.name, note=window.note,
            items=[p.format(child=self.child, person="the family") for p in window.prompts],
            tools=Markup(framework_tools_html(
                self.framework, "social_discipline_window", "In your framework: {tool}"
            )),
        )

    def _prompt_heading(self, label: str) -> str:
        return f"Questions when the relationship sits in “{label}”"

    def _make(self, key: str, record_id: str) -> WindowPlacement:
        who, towards = key.rsplit("|", 1)
        return WindowPlacement(
            id=record_id, who=who, towards=towards, label=self.names.get(key, key),
            now=self.now.value, hoped=self.hoped.value or None, note=self.note.value.strip(),
        )

    def _cell_prompts(self, cell_id: str, person: str) -> list[str]:
        towards = self._towards_name(self.who.value) if self.who.value else "them"
        return self.vocabulary.cell(cell_id).filled_prompts(self.child, towards)


def uncertainty_step() -> ipw.Widget:
    """Mason's grid for the session in progress (the newest in the store)."""
    return open_step(UncertaintyPanel, "uncertainty")


def discipline_window_step() -> ipw.Widget:
    """The social discipline window for the session in progress."""
    return open_step(DisciplineWindowPanel, "uncertainty")
