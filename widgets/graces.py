"""The Social GRRAACCEESS step: one person's graces at a time, the grid, the differences.

Only binds :mod:`systemic.graces` to a form. The framework's own wording for the
step sits at the top; a dropdown picks a person (family members from the
genogram, the worker, the supervisor, the group's participants) and shows that
person's graces, each with "seen?", "spoken about?" (not yet / yes / no) and a
note, starting from what the family shared in the case file. Every change is
written to the store at once. Below, three views are computed in
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
from html import escape
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
    make_entry,
    reflective_prompts,
    save_custom_grace,
    save_entry,
    with_family_facts,
)
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.step_base import STORE_ERRORS, StepWidget
from widgets.step_panel import (
    STEP_CSS,
    alert,
    bullet_list,
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

# The three answers to "seen?" and "spoken about?", and what each is in a GraceEntry.
_ANSWERS: tuple[tuple[str, bool | None], ...] = (("not yet", None), ("yes", True), ("no", False))
_TO_VALUE = {label: value for label, value in _ANSWERS}
_TO_LABEL = {value: label for label, value in _ANSWERS}
_COLUMNS = ("9rem", "14rem", "14rem", "16rem")  # grace, seen?, spoken about?, note

# Tables on white, WCAG 2.2 AA: text #1a1a1a, rules #5f6368 (6:1).
TABLE_CSS = """<style>
.wb-table { border-collapse: collapse; margin: 0.4rem 0; }
.wb-table caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
.wb-table th, .wb-table td { text-align: left; vertical-align: top; padding: 0.3rem 0.6rem;
  border: 1px solid #5f6368; color: #1a1a1a; }
.wb-table ul { margin: 0.2rem 0; padding-left: 1.2rem; }
</style>"""


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
    """The widgets of one grace, reused for whichever person is shown."""

    grace_id: str
    label: ipw.Label
    visible: ipw.ToggleButtons
    voiced: ipw.ToggleButtons
    note: ipw.Text
    box: ipw.HBox


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
        self.header = ipw.VBox([
            ipw.HTML(
                "<p>For each grace: can others <strong>see</strong> it (visible)? Has it been "
                "<strong>spoken about</strong> (voiced)? Leave <em>not yet</em> until you know.</p>"
            ),
            ipw.HBox([
                ipw.HTML(f"<strong>{escape(heading)}</strong>", layout=ipw.Layout(width=width))
                for heading, width in zip(
                    ("Grace", "Seen? (visible)", "Spoken about? (voiced)", "Note"), _COLUMNS,
                    strict=True,
                )
            ]),
        ])
        self.rows: list[_Row] = []
        self.rows_box = ipw.VBox()
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
        self.message = ipw.HTML()
        self.grid_view = ipw.HTML()
        self.differences_view = ipw.HTML()
        self.prompts_view = ipw.HTML()
        self.views = ipw.Tab(
            children=[self.grid_view, self.differences_view, self.prompts_view],
            titles=["Who sits where", "Where we differ", "Questions"],
        )

        shown = self.grace_list.ids()
        for key in self.entries:  # graces the family named that the list does not hold yet
            if key[1] not in shown:
                shown.append(key[1])
        for grace_id in shown:
            self._add_row(grace_id)
        self.rows_box.children = [r.box for r in self.rows]
        self._offer_graces()

        start = self._someone_at_home()
        if start is not None:
            self.person.value = start
        self.share.observe(self._share_changed, names="value")
        self.person.observe(self._show_person, names="value")
        self.add_button.on_click(self._add_grace)
        self._show_person()

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

        def answers(hint: str) -> ipw.ToggleButtons:
            # The column headings say what is asked; each button's tooltip says it again
            # with the grace's name, for screen readers.
            return ipw.ToggleButtons(
                options=[a for a, _ in _ANSWERS], value="not yet",
                tooltips=[f"{label} — {hint}: {a}" for a, _ in _ANSWERS],
                style={"button_width": "4.2rem"}, layout=ipw.Layout(width=_COLUMNS[1]),
            )

        row = _Row(
            grace_id=grace_id,
            label=ipw.Label(label, tooltip=tip, layout=ipw.Layout(width=_COLUMNS[0])),
            visible=answers("can others see it?"),
            voiced=answers("has it been spoken about?"),
            note=ipw.Text(placeholder=f"A note on {label.lower()}", continuous_update=False,
                          layout=ipw.Layout(width=_COLUMNS[3])),
            box=ipw.HBox(),
        )
        row.box.children = [row.label, row.visible, row.voiced, row.note]
        row.visible.observe(self._changed(grace_id, "visible"), names="value")
        row.voiced.observe(self._changed(grace_id, "voiced"), names="value")
        row.note.observe(self._changed(grace_id, "note"), names="value")
        self.rows.append(row)
        return row

    def _changed(self, grace_id: str, field: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            new = change["new"]
            value = _TO_VALUE[new] if field in ("visible", "voiced") else str(new)
            self.set_grace(self.person.value, grace_id, **{field: value})

        return on_change

    def _show_person(self, _change: object = None) -> None:
        with self._lock:
            self._loading = True
            try:
                person = self.person.value
                for row in self.rows:
                    entry = self.entries.get((person, row.grace_id))
                    row.visible.value = _TO_LABEL[entry.visible if entry else None]
                    row.voiced.value = _TO_LABEL[entry.voiced if entry else None]
                    row.note.value = entry.note if entry else ""
            finally:
                self._loading = False
            self._show_guidance()

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
                self.message.value = alert(problem_text(e))
                return None
            self.entries[(person, grace_id)] = saved
            self.message.value = ""
            self._show_views()
            return saved

    def _share_changed(self, change: dict[str, Any]) -> None:
        with self._lock:
            try:
                set_share_staff_graces(self.store, self.session.session_id, bool(change["new"]))
            except STORE_ERRORS as e:
                self.message.value = alert(problem_text(e))

    def _offer_graces(self) -> None:
        self.new_grace.options = [g.label for g in self.grace_list.offered()]

    def _add_grace(self, _button: object = None) -> None:
        with self._lock:
            try:
                grace = self.grace_list.add_custom_grace(
                    self.new_grace.value, self.new_description.value
                )
                save_custom_grace(self.store, self.discussion_id, grace)
            except STORE_ERRORS as e:
                self.message.value = alert(problem_text(e))
                return
            if all(r.grace_id != grace.id for r in self.rows):
                self._add_row(grace.id)
                self.rows_box.children = [r.box for r in self.rows]
            self.new_grace.value = ""
            self.new_description.value = ""
            self._offer_graces()
            self.message.value = f"<p>Added <strong>{escape(grace.label)}</strong>.</p>"
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
        self.guidance.value = (
            STEP_CSS + "<div class='wb-step'>"
            + prompt_html(
                prompt,
                child=self.names.get(child, "the child") if child else "the child",
                family_member=self.names.get(member, "the family") if member else "the family",
            )
            + "<p><em>The worker's, supervisor's and group members' own graces are personal: they "
            "stay on this screen and never go on the child's file; participants see them only if "
            "you tick the box below.</em></p></div>"
        )
        self._show_views()

    def _show_views(self) -> None:
        entries = list(self.entries.values())
        self.grid_view.value = self._grid_html(entries)
        self.differences_view.value = self._differences_html(entries)
        saved = [e for e in entries if e.id]
        prompts = reflective_prompts(self.case, saved, names=self.names)
        self.prompts_view.value = (
            "<ul>" + "".join(f"<li>{escape(p)}</li>" for p in prompts) + "</ul>"
        )

    def _grid_html(self, entries: list[GraceEntry]) -> str:
        g = grid(entries, self.grace_list.vocabulary)

        def cell(visible: bool, voiced: bool) -> str:
            c = g.cell(visible, voiced)
            by_person: dict[str, list[str]] = {}
            for e in c.entries:
                by_person.setdefault(e.person, []).append(self.grace_list.label(e.grace))
            items = "".join(
                f"<li><strong>{escape(self._called(p))}</strong>: "
                f"{escape(', '.join(labels))}</li>"
                for p, labels in by_person.items()
            )
            return (
                f"<td><em>{escape(c.cell.label)}</em>"
                + (f"<ul>{items}</ul>" if items else "<p>No one yet.</p>") + "</td>"
            )

        unplaced = len([e for e in g.unplaced if e.rated])
        return (
            TABLE_CSS + "<table class='wb-table wb-grace-grid'>"
            "<caption>Burnham's grid: who sits where</caption>"
            "<tr><th></th><th scope='col'>Spoken about (voiced)</th>"
            "<th scope='col'>Not spoken about (unvoiced)</th></tr>"
            f"<tr><th scope='row'>Seen (visible)</th>{cell(True, True)}{cell(True, False)}</tr>"
            f"<tr><th scope='row'>Not seen (invisible)</th>{cell(False, True)}"
            f"{cell(False, False)}</tr></table>"
            + (f"<p>{unplaced} graces have a note but are not placed yet: answer "
               "<em>Seen?</em> and <em>Spoken about?</em> to place them.</p>" if unplaced else "")
        )

    def _differences_html(self, entries: list[GraceEntry]) -> str:
        found = [
            d
            for staff in STAFF_PEOPLE
            for d in differences(entries, staff, case=self.case, names=self.names,
                                 graces=self.grace_list)
        ]
        if not found:
            return (
                "<p>Nothing to compare yet. Once the worker's (or your own) graces and a family "
                "member's graces are both filled in, the places where you differ show here.</p>"
            )
        return bullet_list(d.sentence for d in found)

    def view(self) -> ipw.VBox:
        adding = ipw.HBox([self.new_grace, self.new_description, self.add_button])
        return ipw.VBox(
            [self.guidance, self.share, self.person, self.header, self.rows_box, adding,
             self.message, self.views]
        )


def graces_step() -> ipw.Widget:
    """The GRRAACCEESS step for the session in progress (``$SYSTEMIC_WORKBOOK_SESSION``, else
    the newest in the store)."""
    return open_step(GracesStep, "graces")
