"""The Social GRRAACCEESS step: one person's graces at a time, the grid, the differences.

Only binds :mod:`systemic.graces` to a form. The framework's own wording for the
step sits at the top; a dropdown picks a person (family members from the
genogram, the worker, the supervisor, the group's participants) and shows that
person's graces, one line each: one choice of where it sits in Burnham's grid
(or "not placed yet") and a note, starting from what the family shared in the
case file. A line above says plainly what is placed and what is left. Every
change is written to the store at once. Below, three views are computed in
``systemic.graces``: who sits where in Burnham's grid, where the worker and
supervisor differ from the family (where power may sit), and Burnham's
reflective questions with the family's real names.

The worker's, supervisor's and group members' own graces are personal. Whether
participants' pages show them is the dashboard's ``share_staff_graces`` setting
(:class:`systemic.dashboard.DashboardSettings`, a session record), off until
the supervisor ticks the box here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as ipw
from pydantic import ValidationError

from systemic.cases import Case
from systemic.dashboard import load_dashboard_settings, save_dashboard_settings
from systemic.genogram.kinship import relations
from systemic.graces import (
    STAFF_PEOPLE,
    GraceEntry,
    differences,
    display_name,
    focal_child,
    grid,
    load_entries,
    load_grace_list,
    load_grace_wording,
    make_entry,
    placing_overview,
    placing_progress,
    reflective_prompts,
    save_custom_grace,
    save_entry,
    with_family_facts,
)
from systemic.html_templates import Markup, render
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.vocabularies import GracesVocabulary, load_graces
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import (
    alert,
    bullet_list,
    in_step,
    open_step,
    problem_text,
    prompt_html,
)

__all__ = [
    "TABLE_CSS",
    "share_staff_graces",
    "set_share_staff_graces",
    "GracesStep",
    "graces_step",
]

#: Where a grace sits: (seen?, spoken about?); ``None`` is "not known yet".
Place = tuple[bool | None, bool | None]
_NOT_PLACED: Place = (None, None)
_CELLS: tuple[Place, ...] = ((True, True), (True, False), (False, True), (False, False))
_COLUMNS = ("11rem", "19rem", "22rem")  # grace (the choice's label), where it sits, note

#: The tables' look (WCAG 2.2 AA on white: see the template).
TABLE_CSS = render("widgets/graces/table_style.html.j2")


# --- sharing staff graces (the dashboard's own setting) ------------------------------------------


def share_staff_graces(store: Store, session_id: str) -> bool:
    """Has the supervisor chosen to show staff graces on participants' pages? False until then.

    The choice is the participants' dashboard's own setting
    (:class:`systemic.dashboard.DashboardSettings`), so the dashboard honours it as it is.

    >>> import tempfile, pathlib
    >>> store = Store.open(pathlib.Path(tempfile.mkdtemp()) / "s.db")
    >>> sid = store.create_session("Demo", "camden_practice_framework")
    >>> share_staff_graces(store, sid)
    False
    >>> set_share_staff_graces(store, sid, True)
    >>> share_staff_graces(store, sid)
    True
    >>> store.close()
    """
    return load_dashboard_settings(store, session_id).share_staff_graces


def set_share_staff_graces(store: Store, session_id: str, share: bool) -> None:
    """Record the choice in the dashboard's settings, keeping the other settings as they are."""
    settings = load_dashboard_settings(store, session_id)
    save_dashboard_settings(
        store, session_id, settings.model_copy(update={"share_staff_graces": bool(share)})
    )


# --- the step ------------------------------------------------------------------------------------


@dataclass
class _Row:
    """The widgets of one grace, reused for whichever person is shown: one choice, one note."""

    grace_id: str
    place: ipw.Dropdown
    note: ipw.Text
    box: ipw.HBox


def place_options(current: Place = _NOT_PLACED,
                  vocabulary: GracesVocabulary | None = None) -> list[tuple[str, Place]]:
    """The choices of where a grace sits: not placed yet, then Burnham's four cells.

    A grace placed on one side only (seen, spoken about not known yet) keeps that
    as a choice of its own, so showing it never changes it.

    >>> [label for label, _ in place_options()]  # doctest: +NORMALIZE_WHITESPACE
    ['Not placed yet', 'Seen and spoken about', 'Seen but not spoken about',
     'Not seen but shared', 'Neither seen nor spoken about']
    >>> place_options((True, None))[-1][0]
    'Seen; spoken about or not, not known yet'
    """
    words = load_grace_wording()
    vocabulary = vocabulary or load_graces()
    options = [(words.not_placed, _NOT_PLACED)] + [
        (vocabulary.cell(*cell).label, cell) for cell in _CELLS]
    if current not in (_NOT_PLACED, *_CELLS):
        seen, voiced = current
        if seen is not None:
            known = words.partial["visible" if seen else "invisible"]
            label = f"{known}; spoken about or not, not known yet"
        else:
            known = words.partial["voiced" if voiced else "unvoiced"]
            label = f"{known}; seen or not, not known yet"
        options.append((label[0].upper() + label[1:], current))
    return options


class GracesStep(StepWidget):
    """The graces form for the session's (first) case discussion."""

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        self._loading = False
        info = self.session_info
        self.case: Case = session.case
        self.grace_list = load_grace_list(self.store, self.discussion_id)
        self.entries: dict[tuple[str, str], GraceEntry] = {
            (e.person, e.grace): e
            for e in with_family_facts(self.case, load_entries(self.store, self.discussion_id))
        }
        self.names = self._names(info.supervisor)
        self.people = self._people(info.supervisor, [(p.name, p.role) for p in info.participants])

        self.guidance = ipw.HTML()
        self.share = ipw.Checkbox(
            value=share_staff_graces(self.store, session.session_id),
            description="Show the worker's, supervisor's and group members' own graces on "
            "participants' screens",
            indent=False, layout=ipw.Layout(width="auto"),
        )
        self.person = ipw.Dropdown(
            options=self.people, description="Whose graces", style={"description_width": "7rem"},
            layout=ipw.Layout(width="34rem"),
        )
        self.progress = ipw.HTML()
        self.header = self._header()
        self.rows: list[_Row] = []
        self.rows_box = ipw.VBox()
        self.rows_box.add_class("wb-graces-rows")
        self._build_adding()
        self.message = ipw.HTML()
        self._build_views()
        self._show_rows()

        start = self._someone_at_home()
        if start is not None:
            self.person.value = start
        self.share.observe(self._share_changed, names="value")
        self.person.observe(self._show_person, names="value")
        self.add_button.on_click(self._add_grace)
        self._show_person()

    def _header(self) -> ipw.VBox:
        """How to place a grace, what is placed so far, and the columns' headings."""
        return ipw.VBox([
            ipw.HTML(render("widgets/graces/how.html.j2")),
            self.progress,
            ipw.HBox([
                ipw.HTML(render("widgets/graces/column_heading.html.j2", text=heading),
                         layout=ipw.Layout(width=width))
                for heading, width in zip(
                    ("Grace", "Where it sits", "Note"),
                    (_COLUMNS[0], _COLUMNS[1], _COLUMNS[2]), strict=True,
                )
            ]),
        ])

    def _build_adding(self) -> None:
        """The form to add a grace the list does not hold yet."""
        self.new_grace = ipw.Combobox(
            placeholder="A grace that matters here, e.g. Language or Care experience",
            description="Add a grace", style={"description_width": "7rem"},
            layout=ipw.Layout(width="34rem"), ensure_option=False,
        )
        self.new_description = ipw.Text(
            placeholder="What it means, in a few words (optional)",
            layout=ipw.Layout(width="30rem"),
        )
        self.add_button = ipw.Button(description="Add it to the list")

    def _build_views(self) -> None:
        """The three views computed from the graces: the grid, the differences, questions."""
        self.grid_view = ipw.HTML()
        self.differences_view = ipw.HTML()
        self.prompts_view = ipw.HTML()
        self.views = ipw.Tab(
            children=[self.grid_view, self.differences_view, self.prompts_view],
            titles=["Who sits where", "Where we differ", "Questions"],
        )

    def _show_rows(self) -> None:
        """A row for each grace on the list, and for each the family named beyond it."""
        shown = self.grace_list.ids()
        for key in self.entries:  # graces the family named that the list does not hold yet
            if key[1] not in shown:
                shown.append(key[1])
        for grace_id in shown:
            self._add_row(grace_id)
        self.rows_box.children = [r.box for r in self.rows]
        self._offer_graces()

    # -- who is in the dropdown ------------------------------------------------------------------

    def _names(self, supervisor: str | None) -> dict[str, str]:
        names = {p.id: display_name(p) for p in self.case.people}
        if supervisor:
            names["supervisor"] = supervisor
        return names

    def _people(
        self, supervisor: str | None, participants: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        try:
            terms = relations(self.case)
        except (ValueError, KeyError):  # no focal child: names alone
            terms = {}
        options = [
            (f"{p.name} — {terms[p.id]}" if p.id in terms else p.name, p.id)
            for p in self.case.people if p.kind == "person"
        ]
        worker = self.case.worker
        options.append((f"{worker}, the worker" if worker else "The worker", "worker"))
        options.append(
            (f"{supervisor}, the supervisor" if supervisor else "The supervisor", "supervisor")
        )
        taken = {*self.case.people_by_id, *STAFF_PEOPLE}
        for name, role in participants:
            if name in taken or name in (worker, supervisor) or role == "supervisor":
                continue
            options.append((f"{name}, in the group ({role.replace('_', ' ')})", name))
        return options

    def _called(self, person: str) -> str:
        if person == "worker":
            return self.case.worker or "the worker"
        if person == "supervisor":
            return self.names.get("supervisor", "the supervisor")
        return self.names.get(person, person)

    # -- the rows ----------------------------------------------------------------------------------

    def _add_row(self, grace_id: str) -> _Row:
        label = self.grace_list.label(grace_id)
        try:
            tip = self.grace_list.get(grace_id).description
        except KeyError:
            tip = ""
        # The grace's name is the choice's own label, so screen readers say which grace.
        place = ipw.Dropdown(
            options=place_options(vocabulary=self.grace_list.vocabulary), value=_NOT_PLACED,
            description=label, tooltip=tip or label,
            style={"description_width": _COLUMNS[0]},
            layout=ipw.Layout(width=f"calc({_COLUMNS[0]} + {_COLUMNS[1]})"),
        )
        row = _Row(
            grace_id=grace_id,
            place=place,
            note=ipw.Text(placeholder=f"A note on {label.lower()}", continuous_update=False,
                          tooltip=f"Note on {label}", layout=ipw.Layout(width=_COLUMNS[2])),
            box=ipw.HBox(),
        )
        row.box.children = [row.place, row.note]
        row.place.observe(self._placed(grace_id), names="value")
        row.note.observe(self._noted(grace_id), names="value")
        self.rows.append(row)
        return row

    def _placed(self, grace_id: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            visible, voiced = change["new"]
            self.set_grace(self.person.value, grace_id, visible=visible, voiced=voiced)

        return on_change

    def _noted(self, grace_id: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            self.set_grace(self.person.value, grace_id, note=str(change["new"]))

        return on_change

    def _show_person(self, _change: object = None) -> None:
        with self._lock:
            self._loading = True
            try:
                person = self.person.value
                for row in self.rows:
                    entry = self.entries.get((person, row.grace_id))
                    current: Place = (entry.visible, entry.voiced) if entry else _NOT_PLACED
                    row.place.options = place_options(current, self.grace_list.vocabulary)
                    row.place.value = current
                    row.note.value = entry.note if entry else ""
            finally:
                self._loading = False
            self._show_guidance()

    def _show_progress(self) -> None:
        entries = list(self.entries.values())
        ids = [r.grace_id for r in self.rows]
        person = self.person.value
        called = {value: self._called(value) for _label, value in self.people}
        self.progress.value = render(
            "widgets/graces/progress.html.j2",
            progress=placing_progress(entries, person, ids, self._called(person)),
            overview=placing_overview(entries, called),
        )

    # -- saving ------------------------------------------------------------------------------------

    def set_grace(self, person: str, grace_id: str, **fields: Any) -> GraceEntry | None:
        """Change one grace of one person and save it at once; return the saved entry."""
        with self._lock:
            if self._loading:
                return None
            current = self.entries.get((person, grace_id))
            try:
                if current is None:
                    entry = make_entry(self.case, person, grace_id, **fields)
                else:
                    entry = GraceEntry.model_validate({**current.model_dump(), **fields})
            except ValidationError:
                self.message.value = alert(
                    "That note is too long to keep — shorten it to under 2,000 characters."
                )
                return None
            try:
                saved = save_entry(self.store, self.discussion_id, entry)
            except STORE_ERRORS as e:
                self._not_saved(e, person, grace_id, typed="note" in fields)
                return None
            self.entries[(person, grace_id)] = saved
            self.message.value = ""
            self._show_views()
            return saved

    def _not_saved(self, error: BaseException, person: str, grace_id: str, *,
                   typed: bool) -> None:
        """One kind line; a place the store refused goes back to the stored one.

        A note is typed and stays in its box; a place is chosen from a menu, so
        the line does not talk of typed text and the menu is not left showing it.
        """
        self.message.value = alert(not_saved_text(error, typed=typed))
        row = next((r for r in self.rows if r.grace_id == grace_id), None)
        if typed or row is None or person != self.person.value:
            return
        entry = self.entries.get((person, grace_id))
        self._loading = True
        try:
            row.place.value = (entry.visible, entry.voiced) if entry else _NOT_PLACED
        finally:
            self._loading = False

    def _share_changed(self, change: dict[str, Any]) -> None:
        with self._lock:
            try:
                set_share_staff_graces(self.store, self.session.session_id, bool(change["new"]))
            except STORE_ERRORS as e:
                self.message.value = alert(not_saved_text(e, typed=False))  # a tick

    def _offer_graces(self) -> None:
        self.new_grace.options = [g.label for g in self.grace_list.offered()]

    def _add_grace(self, _button: object = None) -> None:
        with self._lock:
            try:
                grace = self.grace_list.add_custom_grace(
                    self.new_grace.value, self.new_description.value
                )
            except STORE_ERRORS as e:
                self.message.value = alert(problem_text(e))
                return
            try:
                save_custom_grace(self.store, self.discussion_id, grace)
            except STORE_ERRORS as e:
                # Not kept: off the list again, so trying again does not find it "already there".
                self.grace_list.added.remove(grace)
                self.message.value = alert(not_saved_text(e))
                return
            if all(r.grace_id != grace.id for r in self.rows):
                self._add_row(grace.id)
                self.rows_box.children = [r.box for r in self.rows]
            self.new_grace.value = ""
            self.new_description.value = ""
            self._offer_graces()
            self.message.value = render("widgets/graces/added.html.j2", label=grace.label)
            self._show_person()

    # -- the views ---------------------------------------------------------------------------------

    def _someone_at_home(self) -> str | None:
        """The first living person the child lives with: where the form starts."""
        child = focal_child(self.case)
        for household in self.case.households:
            if child in household.members:
                for member in household.members:
                    person = self.case.person(member)
                    if member != child and person.kind == "person" and person.alive:
                        return member
        return None

    def _family_member(self) -> str | None:
        """Who the framework's questions ask about: the person shown, else someone at home."""
        person = self.case.people_by_id.get(self.person.value)
        if person is not None and person.alive and person.id != focal_child(self.case):
            return person.id
        return self._someone_at_home()

    def _show_guidance(self) -> None:
        prompt = self.framework.prompt("graces")
        child = focal_child(self.case)
        member = self._family_member()
        self.guidance.value = in_step(
            prompt_html(
                prompt,
                child=self.names.get(child, "the child") if child else "the child",
                family_member=self.names.get(member, "the family") if member else "the family",
            )
            + render("widgets/graces/personal.html.j2")
        )
        self._show_views()

    def _show_views(self) -> None:
        self._show_progress()
        entries = list(self.entries.values())
        self.grid_view.value = self._grid_html(entries)
        self.differences_view.value = self._differences_html(entries)
        saved = [e for e in entries if e.id]
        prompts = reflective_prompts(self.case, saved, names=self.names)
        self.prompts_view.value = render("widgets/graces/prompts.html.j2", prompts=prompts)

    def _grid_html(self, entries: list[GraceEntry]) -> str:
        g = grid(entries, self.grace_list.vocabulary)

        def cell(visible: bool, voiced: bool) -> dict[str, Any]:
            c = g.cell(visible, voiced)
            by_person: dict[str, list[str]] = {}
            for e in c.entries:
                by_person.setdefault(e.person, []).append(self.grace_list.label(e.grace))
            people = [(self._called(p), ", ".join(labels)) for p, labels in by_person.items()]
            return {"label": c.cell.label, "people": people}

        cells = [cell(True, True), cell(True, False), cell(False, True), cell(False, False)]
        return render("widgets/graces/grid.html.j2", css=Markup(TABLE_CSS), cells=cells)

    def _differences_html(self, entries: list[GraceEntry]) -> str:
        found = [
            d
            for staff in STAFF_PEOPLE
            for d in differences(entries, staff, case=self.case, names=self.names,
                                 graces=self.grace_list)
        ]
        if not found:
            return render("widgets/graces/nothing_to_compare.html.j2")
        return bullet_list(d.sentence for d in found)

    def view(self) -> ipw.VBox:
        adding = ipw.HBox([self.new_grace, self.new_description, self.add_button])
        return ipw.VBox(
            [self.guidance, self.share, self.person, self.header, self.rows_box, adding,
             self.message, self.views],
            layout=ipw.Layout(align_items="flex-start"),
        )


def graces_step() -> ipw.Widget:
    """The GRRAACCEESS step for the session in progress (``$SYSTEMIC_WORKBOOK_SESSION``, else
    the newest in the store)."""
    return open_step(GracesStep, "graces")
