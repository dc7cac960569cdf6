"""The genogram widget and the supervisor's edit panel around it.

:class:`GenogramWidget` is one anywidget: its synced state is the SVG drawn in
Python, the selected person, the mode and the zoom (STYLE.md, anywidget
section). The ES module only places the SVG, reports clicks and keyboard
selection by ``data-person`` and handles zoom and pan.

:class:`GenogramEditorPanel` binds that widget to a session: a few small forms
(add a person, a partner, a child, a relationship line, a household; change a
couple's status; choose the index person; undo and redo). Every change goes
through :class:`~systemic.genogram.commands.GenogramEditor`, so a family that
could not exist is refused with one kind line and nothing changes, and every
accepted change is written to the session store at once. In ``view`` mode
(participants) there are no forms and nothing the page reports is written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import ipywidgets as ipw

from systemic.cases import (
    PARENT_KINDS,
    PERSON_KINDS,
    SEXES,
    UNION_STATUSES,
    Case,
    stored_case,
)
from systemic.dashboard import private_naming
from systemic.errors import ImpossibleFamily, WorkbookError
from systemic.genogram.commands import Edit, GenogramEditor, InvalidEdit
from systemic.genogram.draw import draw_svg, key_svg, notation_profile, person_keys
from systemic.genogram.focus import LARGE_FAMILY, family_around
from systemic.genogram.layout import Layout
from systemic.genogram.layout import layout as make_layout
from systemic.html_templates import render
from systemic.session import SupervisorSession
from systemic.vocabularies import load_relationship_kinds
from widgets.following import StoreFollower
from widgets.genogram_view import STATIC, GenogramWidget
from widgets.parts import Parts
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text

__all__ = ["GenogramWidget", "GenogramEditorPanel", "case_genogram", "case_from_store", "STATIC",
           "ACTIONS"]


Mode = Literal["edit", "view"]


# -- the words on the forms, from the notation's own key ---------------------------------------


def _plain(legend: str) -> str:
    """A legend caption without its drawing hint: "Divorced (two slashes)" → "Divorced"."""
    return re.sub(r"\s*\([^)]*\)", "", legend).strip()


def _choices(section: str, ids: tuple[str, ...],
             extra: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    legends, extra = notation_profile()[section], extra or {}
    return [(extra.get(i) or _plain(legends[i]["legend"]), i) for i in ids]


@dataclass(frozen=True)
class Action:
    """One kind of change the panel offers: its menu label, its fields and their labels."""

    id: str
    label: str
    fields: tuple[tuple[str, str], ...]  # (field, label on the form)
    button: str


#: The changes the supervisor can make, in menu order.
ACTIONS: tuple[Action, ...] = (
    Action("add_person", "Add a person",
           (("name", "Name"), ("sex", "Sex"), ("born", "Born"), ("died", "Died"),
            ("kind", "Kind")), "Add them"),
    Action("add_partner", "Add a partner",
           (("who", "Partner of"), ("whose", "The partner is"), ("other", "Partner"),
            ("name", "Name"), ("sex", "Sex"), ("born", "Born"), ("status", "Status"),
            ("date", "Since")), "Add the couple"),
    Action("add_child", "Add a child",
           (("parents", "Parents"), ("whose", "The child is"), ("other", "Child"),
            ("name", "Name"), ("sex", "Sex"), ("born", "Born"), ("kind", "Kind"),
            ("link", "How")), "Add the child"),
    Action("update_person", "Correct a person's details",
           (("who", "Person"), ("name", "Name"), ("sex", "Sex"), ("born", "Born"),
            ("died", "Died"), ("kind", "Kind")), "Save the correction"),
    Action("remove_person", "Remove a person", (("who", "Person"),), "Remove them…"),
    Action("add_relationship", "Draw a relationship line",
           (("who", "From"), ("other", "To"), ("relationship", "Kind of line")), "Draw the line"),
    Action("household", "Add or change a household",
           (("household", "Household"), ("name", "New household"), ("members", "Who lives there")),
           "Save the household"),
    Action("union_status", "Change a couple's status",
           (("union", "Couple"), ("status", "Now"), ("date", "When")), "Change the status"),
    Action("set_index", "Choose the index person", (("who", "Index person"),), "Choose them"),
)

_NEW = ""  # the "a new household" choice
#: For a partner or a child: one person, either someone new or someone already drawn.
_WHOSE = (("Someone new", "new"), ("Someone already in the genogram", "existing"))
_NEW_PERSON_FIELDS = ("name", "sex", "born", "kind")
#: The changes that add someone: the new person is selected and brought into view.
_ADDING = ("add_person", "add_partner", "add_child")


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def case_from_store(data: Any) -> Case:
    """The case a discussion holds (see :func:`systemic.cases.stored_case`)."""
    return stored_case(data)


def replay_on_latest(base: dict[str, Any], mine: Case,
                     edit: Edit) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What :meth:`Store.edit_case` applies: ``mine`` if the store still holds ``base``,
    else ``edit`` made again on the latest case (undo and redo only where nothing moved)."""
    def apply(latest: dict[str, Any]) -> dict[str, Any]:
        if latest == base:
            return mine.model_dump(mode="json", by_alias=True)
        if edit.get("op") in ("undo", "redo"):
            raise WorkbookError("the genogram was changed in another window meanwhile, so "
                                "undo starts again from there")
        editor = GenogramEditor(case_from_store(latest))
        try:
            editor.apply(edit)
        except (ImpossibleFamily, InvalidEdit) as e:
            raise WorkbookError("it clashes with a change made in another window meanwhile "
                                f"({_one_line(e)})") from None
        return editor.case.model_dump(mode="json", by_alias=True)
    return apply


# -- the panel ----------------------------------------------------------------------------------


class GenogramEditorPanel(StepWidget):
    """The genogram of a session's case with its edit forms (``edit``) or without (``view``).

    Parameters
    ----------
    session : SupervisorSession
        The session; its store is written at once after every change (``edit`` mode) and
        followed for changes made elsewhere.
    mode : {"edit", "view"}
        ``view`` shows the genogram only and writes nothing (participants).
    privacy : bool
        Hide names as the participants' page does: initials or roles ("Mum",
        "Child (9)"), as the supervisor chose for the session (a shared screen,
        participants, real cases).
    notation : str
        A profile in ``notation.yaml``.
    """

    def __init__(self, session: SupervisorSession, *, mode: Mode = "edit",
                 privacy: bool = False, notation: str = "mcgoldrick"):
        super().__init__(session)
        self.mode: Mode = mode
        self.privacy = privacy
        self.notation = notation
        # ipykernel 7 may run widget callbacks on a comm thread while the follow task runs
        # on the event loop: one change at a time (StepWidget's lock is re-entrant, because
        # setting a trait calls its observers on the same thread).
        self._quiet = False  # True while showing a change that came from the store
        self._follower = StoreFollower(self.store, self.refresh_from_store)
        # Read the version first: a change made while this is drawn is shown when following.
        self._version = self.store.version()
        data = self.store.discussion(self.discussion_id).case_data
        self._case_json: dict[str, Any] = data
        self.editor = GenogramEditor(case_from_store(data))
        self._selected: str | None = self.store.session(session.session_id).selected_person
        self._names: dict[str, str] = self._hidden_names()
        self.layout: Layout = make_layout(self.case, names=self._names)
        self.widget = GenogramWidget(mode=mode)
        self.message = ipw.HTML()
        # A big family tree opens around one person; the whole tree is one choice away.
        # Radio buttons: the choice shows as a filled circle, not as a shade of grey.
        self.scope = ipw.RadioButtons(
            options=[("Whole family", "whole"), ("Around the selected person", "around")],
            value="around" if len(self.case.people) > LARGE_FAMILY else "whole",
            description="Show", orientation="horizontal",
            style={"description_width": "3rem"}, layout=ipw.Layout(width="auto"))
        self.scope.observe(lambda _c: self._draw(), names="value")
        self._added: str | None = None  # who the change being made adds, if anyone
        # The key to the symbols, folded away under the picture until asked for.
        self.key = ipw.HTML()
        self.key.add_class("wb-geno-key")
        self.key_parts = Parts(["Key to the symbols"], [self.key], selected_index=None)
        self.key_box = self.key_parts.view
        self._draw()
        self.widget.observe(self._on_click, names="selected")
        if mode == "edit":
            self._build_forms()

    # -- what is shown ------------------------------------------------------------------------

    @property
    def case(self) -> Case:
        return self.editor.case

    def _hidden_names(self) -> dict[str, str]:
        """With names hidden, the participants' page's labels: initials or roles, by the
        supervisor's choice for the session (one home: :func:`private_naming`)."""
        if not self.privacy:
            return {}
        return dict(private_naming(self.store, self.session.session_id, self.case).shown)

    def shown_case(self) -> Case:
        """The family as drawn: the whole case, or the family around the selected person."""
        if self.scope.value == "around" and self.case.people:
            return family_around(self.case, self._selected)
        return self.case

    def _draw(self) -> None:
        if self._selected not in self.case.people_by_id:
            self._selected = None
        case = self.shown_case()
        drawn = self.layout if case is self.case else None
        self._keys = person_keys(case, self.privacy)
        self._ids = {key: pid for pid, key in self._keys.items()}
        # The whole picture with its key is what every other screen and the export draw
        # (the widget marks the selection, as on participants' screens); here the key is
        # folded away under it.
        labels = self._names or None
        self.drawing = draw_svg(case, drawn, privacy=self.privacy, labels=labels,
                                notation=self.notation)
        self.key.value = key_svg(self.drawing)
        # Participants' screens hold no controls at all, so there the key stays in the picture.
        self.widget.svg = draw_svg(case, drawn, privacy=self.privacy, labels=labels,
                                   notation=self.notation, show_legend=self.mode == "view")
        key = self._keys.get(self._selected or "", "")
        if self.widget.selected != key:
            quiet, self._quiet = self._quiet, True
            try:
                self.widget.selected = key
            finally:
                self._quiet = quiet

    def _relayout(self, names: dict[str, str] | None = None) -> None:
        # The order is part of the stored case (each edit writes it): laid out from the
        # case alone, the picture is the one every participant and every export draws.
        self._names = self._hidden_names() if names is None else names
        self.layout = make_layout(self.case, names=self._names)

    def _say(self, text: str, *, alert: bool = False) -> None:
        self.message.value = render("widgets/genogram/message.html.j2", text=text, alert=alert)

    # -- selection ----------------------------------------------------------------------------

    def _on_click(self, change: Mapping[str, Any]) -> None:
        if self._quiet:
            return
        key = str(change["new"])
        pid = self._ids.get(key) if key else None
        if key and pid is None:
            return  # a key from an older drawing
        self.select(pid)

    def select(self, pid: str | None) -> None:
        """Select a person (as a click does): fill the forms' "who" fields and, in edit
        mode, point the whole group at them."""
        with self._lock:
            self._selected = pid
            if self.mode == "edit":
                self._fill_who(pid)
                if not self._quiet:
                    # What SupervisorSession.select_person does, checked against the case
                    # held here: it re-reads the case strictly, which refuses imported trees
                    # with old date muddles and costs a full parse per click.
                    try:
                        if pid is not None and pid not in self.case.people_by_id:
                            raise ValueError(f"no one in this case has id '{pid}'")
                        self.store.update_session(self.session.session_id, selected_person=pid)
                    except STORE_ERRORS as e:
                        self._say(not_saved_text(e, typed=False), alert=True)  # a click
            self._draw()

    def _fill_who(self, pid: str | None) -> None:
        if pid is None:
            return
        self.who.value = pid
        unions = [u.id for u in self.case.unions if pid in u.partners]
        if unions:
            self.union.value = unions[-1]
        self.parents.value = ("union", unions[-1]) if unions else ("person", pid)

    # -- the forms ----------------------------------------------------------------------------

    def _build_forms(self) -> None:
        """The edit form: its fields, its buttons, and what each change does."""
        self._build_fields()
        self._build_buttons()
        self.action.observe(self._show_form, names="value")
        self.whose.observe(self._show_form, names="value")
        self.who.observe(self._who_changed, names="value")
        self.household.observe(self._show_household, names="value")
        self.apply_button.on_click(lambda _b: self.make_change())
        self.undo_button.on_click(lambda _b: self.undo())
        self.redo_button.on_click(lambda _b: self.redo())
        self.confirm_yes.on_click(lambda _b: self.confirm_removal())
        self.confirm_no.on_click(lambda _b: self.cancel_removal())
        self._refresh_choices()
        self._fill_who(self._selected)
        self._show_form()

    def _build_fields(self) -> None:
        """Every field any change may ask for; the form shows those the change needs."""
        style = {"description_width": "7rem"}
        wide = ipw.Layout(width="24rem")

        def dropdown(options: list, value: Any = None) -> ipw.Dropdown:
            return ipw.Dropdown(options=options, value=value, style=style, layout=wide)

        def text(placeholder: str) -> ipw.Text:
            return ipw.Text(placeholder=placeholder, style=style, layout=wide)

        self.action = ipw.Dropdown(options=[(a.label, a.id) for a in ACTIONS],
                                   description="What to do", style=style, layout=wide)
        self.who = dropdown([])
        self.whose = ipw.RadioButtons(options=list(_WHOSE), value="new", style=style,
                                      layout=ipw.Layout(width="24rem"))
        self.other = dropdown([])
        self.name = text("a first name or a role is enough")
        self.sex = dropdown(_choices("sexes", SEXES), "unknown")
        self.born = text("a year, like 1984 (or 1984-03-15)")
        self.died = text("leave empty if alive")
        self.kind = dropdown(_choices("kinds", PERSON_KINDS, {"person": "Person"}), "person")
        self.status = dropdown(_choices("unions", UNION_STATUSES), "married")
        self.date = text("a year, like 2015")
        self.parents = dropdown([])
        self.link = dropdown(_choices("parent_links", PARENT_KINDS), "birth")
        self.relationship = dropdown(
            [(k.label, k.id) for k in load_relationship_kinds().kinds], "close")
        self.household = dropdown([])
        self.members = ipw.SelectMultiple(options=[], rows=6, style=style, layout=wide)
        self.union = dropdown([])
        self.fields: dict[str, ipw.Widget] = {
            "who": self.who, "whose": self.whose, "other": self.other, "name": self.name,
            "sex": self.sex, "born": self.born, "died": self.died, "kind": self.kind,
            "status": self.status, "date": self.date, "parents": self.parents,
            "link": self.link, "relationship": self.relationship, "household": self.household,
            "members": self.members, "union": self.union,
        }

    def _build_buttons(self) -> None:
        """Make the change, undo, redo, and the question asked before removing someone."""
        fit = ipw.Layout(width="fit-content")
        self.apply_button = ipw.Button(button_style="primary", layout=fit)
        self.undo_button = ipw.Button(description="Undo", icon="undo", tooltip="Undo",
                                      layout=fit)
        self.redo_button = ipw.Button(description="Redo", icon="repeat", tooltip="Redo",
                                      layout=fit)
        # Removing someone asks first, in plain words, what goes with them.
        self.confirm_text = ipw.HTML()
        self.confirm_yes = ipw.Button(description="Yes, remove them", button_style="danger",
                                      layout=fit)
        self.confirm_no = ipw.Button(description="No, keep them", layout=fit)
        self.confirm = ipw.VBox()
        self._removing: str | None = None
        self.form = ipw.VBox()

    def _person_choices(self) -> list[tuple[str, str]]:
        out = []
        for p in self.case.people:
            name = self._names.get(p.id, p.name)
            out.append((f"{name} ({p.born.year})" if p.born else name, p.id))
        return out

    def _refresh_choices(self) -> None:
        people = self._person_choices()
        names = dict((pid, label) for label, pid in people)
        couples = [(f"{names[u.partners[0]]} and {names[u.partners[1]]}", u.id)
                   for u in self.case.unions]

        def keep(widget: ipw.Widget, options: list, default: Any = None) -> None:
            old = widget.value
            values = [v for _label, v in options]
            widget.options = options
            if isinstance(widget, ipw.SelectMultiple):
                widget.value = tuple(v for v in old if v in values)
            else:
                widget.value = old if old in values else default

        keep(self.who, people)
        keep(self.other, people)
        keep(self.union, couples)
        keep(self.parents, [(label, ("union", uid)) for label, uid in couples]
             + [(f"{label} only", ("person", pid)) for label, pid in people])
        keep(self.household, [("A new household", _NEW)]
             + [(h.name, h.id) for h in self.case.households], _NEW)
        keep(self.members, people)
        self.undo_button.disabled = not self.editor.can_undo
        self.redo_button.disabled = not self.editor.can_redo

    def _shown_fields(self, action: Action) -> list[str]:
        """The fields of ``action`` on screen: for a partner or a child, one person only —
        a new one (name, sex, born…) or one already drawn — never both."""
        fields = [f for f, _label in action.fields]
        if "whose" in fields:
            if self.whose.value == "new":
                fields.remove("other")
            else:
                fields = [f for f in fields if f not in _NEW_PERSON_FIELDS]
        return fields

    def _show_form(self, _change: object = None) -> None:
        action = self._action()
        for field, label in action.fields:
            self.fields[field].description = label
        self._refresh_choices()
        self.apply_button.description = action.button
        self.form.children = [self.action, *(self.fields[f] for f in self._shown_fields(action))]
        self.cancel_removal()
        if action.id == "update_person":
            self._fill_details(self.who.value)

    def _who_changed(self, change: Mapping[str, Any]) -> None:
        if self.action.value == "update_person":
            self._fill_details(change["new"])

    def _fill_details(self, pid: str | None) -> None:
        """Show a person's details in the form, ready to be corrected."""
        person = self.case.people_by_id.get(pid or "")
        if person is None:
            return
        self.name.value = self._name(person.id)
        self.sex.value = person.sex
        self.kind.value = person.kind
        self.born.value = str(person.born) if person.born else ""
        self.died.value = str(person.died) if person.died else ""

    def _show_household(self, _change: object = None) -> None:
        hid = self.household.value
        for h in self.case.households:
            if h.id == hid:
                self.members.value = tuple(m for m in h.members if m in self.case.people_by_id)

    def _action(self) -> Action:
        return next(a for a in ACTIONS if a.id == self.action.value)

    # -- making changes -----------------------------------------------------------------------

    def _new_person(self, what: str) -> dict[str, Any]:
        details: dict[str, Any] = {"name": self.name.value.strip(), "sex": self.sex.value}
        if not details["name"]:
            raise InvalidEdit(f"give the new {what} a name (a first name or a role is enough)")
        if self.born.value.strip():
            details["born"] = self.born.value.strip()
        return details

    def _one_person(self, what: str) -> str | dict[str, Any]:
        """The partner or child the form names: someone already drawn, or someone new."""
        if self.whose.value == "existing":
            return self._chosen(self.other, f"the {what}")
        details = self._new_person(what)
        if what == "child" and self.kind.value != "person":
            details["kind"] = self.kind.value
        return details

    def _chosen(self, widget: ipw.Dropdown, what: str) -> str:
        if not widget.value:
            raise InvalidEdit(f"choose {what} first (click them on the genogram)")
        return str(widget.value)

    def _dates(self, **fields: ipw.Text) -> dict[str, str]:
        return {k: w.value.strip() for k, w in fields.items() if w.value.strip()}

    def _edit(self) -> tuple[str, str | None]:
        """Make the chosen change in the editor; return what was done, in words, and the id
        of anyone it added."""
        ed, action = self.editor, self.action.value
        if action == "add_person":
            pid = ed.add_person(self.name.value.strip(), sex=self.sex.value, kind=self.kind.value,
                                **self._dates(born=self.born, died=self.died))
            return f"{self._name(pid)} added.", pid
        if action == "add_partner":
            who = self._chosen(self.who, "whose partner this is")
            other = ed.add_partner(who, self._one_person("partner"), self.status.value,
                                   began=self.date.value.strip() or None)
            added = other if self.whose.value == "new" else None
            return f"{self._name(who)} and {self._name(other)} are now shown as a couple.", added
        if action == "add_child":
            if not self.parents.value:
                raise InvalidEdit("choose the parents first")
            how, ref = self.parents.value
            pid = ed.add_child(ref if how == "union" else [ref], self._one_person("child"),
                               self.link.value)
            return f"{self._name(pid)} added as a child.", (
                pid if self.whose.value == "new" else None)
        if action == "update_person":
            pid = self._chosen(self.who, "the person to correct")
            ed.update_person(pid, **self._corrections(pid))
            return f"{self._name(pid)}'s details corrected.", None
        if action == "remove_person":
            pid = self._chosen(self.who, "the person to remove")
            name = self._name(pid)
            ed.remove_person(pid)
            return f"{name} removed, with their lines.", None
        return self._edit_links(action), None

    def _corrections(self, pid: str) -> dict[str, Any]:
        """The details typed for ``pid``; an empty date is taken away, a hidden name kept."""
        name = self.name.value.strip()
        if not name:
            raise InvalidEdit("a person needs a name (a first name or a role is enough)")
        fields: dict[str, Any] = {"sex": self.sex.value, "kind": self.kind.value,
                                  "born": self.born.value.strip() or None,
                                  "died": self.died.value.strip() or None}
        if name != self._name(pid):  # with names hidden, the initials shown are not a name
            fields["name"] = name
        return fields

    def _edit_links(self, action: str) -> str:
        ed = self.editor
        if action == "add_relationship":
            a = self._chosen(self.who, "who the line starts from")
            b = self._chosen(self.other, "who the line goes to")
            ed.add_relationship(a, b, self.relationship.value)
            return f"Line drawn between {self._name(a)} and {self._name(b)}."
        if action == "household":
            members = list(self.members.value)
            if self.household.value:
                ed.set_household_members(self.household.value, members)
                return "Household changed."
            name = self.name.value.strip()
            if not name:
                raise InvalidEdit("give the new household a name, like \"Mum's house\"")
            ed.add_household(name, members)
            return f"Household {name} added."
        if action == "union_status":
            uid = self._chosen(self.union, "the couple")
            ed.set_union_status(uid, self.status.value, self.date.value.strip() or None)
            return "Couple's status changed."
        pid = self._chosen(self.who, "the index person")
        ed.set_index_person(pid)
        return f"{self._name(pid)} is now the index person."

    # -- removing someone, after asking -----------------------------------------------------------

    def removal_question(self, pid: str) -> str:
        """What removing ``pid`` takes with them, as a plain question."""
        case = self.case
        counts = [
            (sum(pid in u.partners for u in case.unions), "couple line", "couple lines"),
            (sum(pid == link.child or pid in link.parents for link in case.parents),
             "parent and child line", "parent and child lines"),
            (sum(pid in (r.from_, r.to) for r in case.relationships),
             "relationship line", "relationship lines"),
            (sum(pid in h.members for h in case.households), "household place",
             "household places"),
        ]
        going = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
        what = (" Their " + ", ".join(going) + " go too.") if going else ""
        return (f"Remove {self._name(pid)} from the genogram?{what} "
                "You can bring them back with Undo.")

    def ask_to_remove(self) -> bool:
        """Show the plain question before removing the selected person; ``False`` if none."""
        try:
            pid = self._chosen(self.who, "the person to remove")
        except InvalidEdit as e:
            self._say(f"Not changed: {_one_line(e)}", alert=True)
            return False
        self._removing = pid
        self.confirm_text.value = render("widgets/genogram/confirm.html.j2",
                                         question=self.removal_question(pid))
        self.confirm.children = [self.confirm_text,
                                 ipw.HBox([self.confirm_yes, self.confirm_no])]
        return True

    def confirm_removal(self) -> bool:
        """Remove the person asked about (as "Yes, remove them" does)."""
        pid, self._removing = self._removing, None
        self.confirm.children = []
        if pid is None:
            return False
        self.who.value = pid
        return self._change(self._do_edit, rollback=self.editor.undo)

    def cancel_removal(self) -> None:
        """Keep the person (as "No, keep them" does)."""
        if getattr(self, "_removing", None) is not None:
            self._say("Nothing removed.")
        self._removing = None
        if hasattr(self, "confirm"):
            self.confirm.children = []

    def _name(self, pid: str) -> str:
        person = self.case.people_by_id.get(pid)
        if person is None:
            return pid
        return self._names.get(pid, person.name)

    def make_change(self) -> bool:
        """Make the change the form describes; ``False`` (and one line saying why) if refused.

        Removing someone only asks first (see :meth:`ask_to_remove`)."""
        if self.mode != "edit":
            return False
        if self.action.value == "remove_person":
            self.ask_to_remove()
            return False
        return self._change(self._do_edit, rollback=self.editor.undo)

    def _do_edit(self) -> tuple[str, Edit]:
        done, self._added = self._edit()
        return done, self.editor.history[-1]

    def undo(self) -> bool:
        """Take back the last change, for everyone."""
        def do() -> tuple[str, Edit]:
            if self.editor.undo() is None:
                raise InvalidEdit("there is nothing to undo")
            self._added = None
            return "Undone.", {"op": "undo", "args": {}}
        return self._change(do, rollback=self.editor.redo)

    def redo(self) -> bool:
        """Make the last undone change again, for everyone."""
        def do() -> tuple[str, Edit]:
            if self.editor.redo() is None:
                raise InvalidEdit("there is nothing to redo")
            self._added = None
            return "Done again.", {"op": "redo", "args": {}}
        return self._change(do, rollback=self.editor.undo)

    def _change(self, do: Callable[[], tuple[str, Edit]],
                rollback: Callable[[], object]) -> bool:
        if self.mode != "edit":
            return False
        with self._lock:
            try:
                done, edit = do()
            except (ImpossibleFamily, InvalidEdit, WorkbookError) as e:
                self._say(f"Not changed: {_one_line(e)}", alert=True)
                return False
            try:
                self._save(edit)
            except STORE_ERRORS as e:
                rollback()
                said = _one_line(e)  # the store's own "Not saved: …" line says it all
                self._say(said if said.startswith("Not saved") else
                          f"Not changed, because it could not be saved: {said}", alert=True)
                return False
            self._relayout()
            if self.action.value != "update_person":
                for box in (self.name, self.born, self.died, self.date):
                    box.value = ""
            self._refresh_choices()
            added, self._added = self._added, None
            if added is not None:
                self.select(added)  # the new person, selected for everyone, and in view
                self.widget.show_selected()
            else:
                self._draw()
            self._say(f"{done} Saved for the group.")
            return True

    def _save(self, edit: Edit) -> None:
        # One transaction on the latest case, with the edit's log record: if another window
        # changed the case since this one last read it, the same edit is made on top of it.
        saved = self.store.edit_case(
            self.discussion_id, replay_on_latest(self._case_json, self.case, edit), log=edit)
        if saved != self.case.model_dump(mode="json", by_alias=True):
            self.editor = GenogramEditor(case_from_store(saved))
        self._case_json = saved

    # -- following the store ------------------------------------------------------------------

    def refresh_from_store(self, _version: int | None = None) -> None:
        """Show what the store holds now: a case changed elsewhere, the group's selection."""
        try:
            with self._lock:
                data = self.store.discussion(self.discussion_id).case_data
                changed = data != self._case_json
                had_history = self.editor.can_undo or self.editor.can_redo
                if changed:
                    self.editor = GenogramEditor(case_from_store(data))
                    self._case_json = data
                names = self._hidden_names()  # the supervisor may choose roles or initials
                renamed = names != self._names
                if changed or renamed:
                    self._relayout(names)
                selected = self.store.session(self.session.session_id).selected_person
                if not changed and not renamed and selected == self._selected:
                    return
                self._quiet = True
                try:
                    self._selected = selected
                    if self.mode == "edit":
                        self._refresh_choices()
                        if changed:
                            self._say("The genogram now shows a change made elsewhere"
                                      + ("; undo starts again from here." if had_history
                                         else "."))
                    self._draw()
                finally:
                    self._quiet = False
        except Exception as e:  # noqa: BLE001 - the page must keep following
            print(f"genogram could not redraw: {type(e).__name__}: {e}", file=sys.stderr)

    def start_following(self, every: float = 0.5) -> bool:
        """Follow the store from the kernel's event loop; ``False`` when there is none."""
        return self._follower.start(since=self._version, every=every)

    def stop_following(self) -> None:
        self._follower.stop()

    # -- the whole view -----------------------------------------------------------------------

    def view(self) -> ipw.Widget:
        """The picture (with its key folded under it) and, beside it, the form.

        The picture sticks to the top of the page while the form is used; on a narrow
        screen the form moves under it.
        """
        if self.mode == "view":
            return ipw.VBox([self.scope, self.widget])
        picture = ipw.VBox([self.scope, self.widget, self.key_box],
                           layout=ipw.Layout(flex="1 1 30rem", min_width="0"))
        picture.add_class("wb-geno-picture")
        buttons = ipw.HBox([self.apply_button, self.undo_button, self.redo_button])
        help_text = ipw.HTML(render("widgets/genogram/help.html.j2"),
                             layout=ipw.Layout(width="25rem"))
        form = ipw.VBox([help_text, self.form, buttons, self.confirm, self.message],
                        layout=ipw.Layout(flex="0 0 26rem", margin="0 0 0 1rem"))
        form.add_class("wb-geno-form")
        return ipw.HBox([picture, form], layout=ipw.Layout(
            flex_flow="row wrap", align_items="flex-start", width="100%"))


def case_genogram(mode: Mode = "edit", *, privacy: bool | None = None,
                  notation: str = "mcgoldrick") -> ipw.Widget:
    """The genogram of the session in progress (``$SYSTEMIC_WORKBOOK_SESSION``, or the newest).

    In ``edit`` mode (the supervisor) it has the edit forms and a click points the whole
    group at that person; in ``view`` mode (participants) it follows the store read-only.
    ``privacy`` (names hidden as on the participants' page) defaults to on for real cases
    in ``view`` mode.
    """
    from widgets.step_panel import resume_session

    try:
        session = resume_session("case" if mode == "edit" else None, readonly=(mode == "view"))
        if privacy is None:
            privacy = (mode == "view"
                       and not session.store.discussion(session.discussion_id).fictional)
        panel = GenogramEditorPanel(session, mode=mode, privacy=privacy, notation=notation)
    except STORE_ERRORS as e:
        return ipw.HTML(render("widgets/step/role_alert.html.j2", text=_one_line(e)))
    panel.start_following()
    return panel.view()
