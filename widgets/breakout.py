"""The trainer's form for breakout groups: a name, a training case and how many groups.

The form only binds its fields to :func:`systemic.workshop.breakout.create_workshop`;
what it says afterwards (each group's session, how to open the plenary) is escaped.
Under ipykernel 7 the button's callback runs on another thread, so a lock keeps double
clicks from creating two workshops at once.
"""

from __future__ import annotations

import threading
from pathlib import Path

import ipywidgets as ipw

from systemic.cases import load_case
from systemic.errors import WorkbookError
from systemic.frameworks import list_frameworks
from systemic.paths import CASES_DIR
from systemic.store import Store
from systemic.store.location import StoreAddress, parse_store_address, resolve_store
from systemic.workshop.breakout import (
    Workshop,
    create_workshop,
    load_breakout_wording,
    render_workshop_created,
)
from widgets.own_keys import OwnKeys
from widgets.step_panel import STEP_CSS, alert, in_step

__all__ = ["BreakoutForm", "breakout_groups_form", "training_cases"]

_LABEL = {"description_width": "10rem"}


def training_cases() -> list[tuple[str, str]]:
    """(title, id) of every fictional training case in ``case_templates/``.

    >>> ("Maya between two homes", "blended_family") in training_cases()
    True
    """
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        try:
            case = load_case(path)
        except WorkbookError:
            continue  # `systemic-workbook validate` reports a broken file; the form skips it
        if case.fictional and case.people:
            out.append((case.title, case.id))
    return out


class BreakoutForm:
    """Create a workshop: its name, its training case, how many groups and the framework."""

    def __init__(self, store_path: Path | StoreAddress | None = None):
        words = load_breakout_wording()
        self.store_path = store_path or resolve_store(None)
        self._lock = threading.Lock()
        self.name = ipw.Text(description="Workshop name", placeholder="Tuesday morning",
                             style=_LABEL, layout=ipw.Layout(width="32rem"))
        self.case = ipw.Dropdown(options=training_cases(), description="Training case",
                                 style=_LABEL, layout=ipw.Layout(width="40rem"))
        self.groups = ipw.BoundedIntText(
            value=min(3, words.largest_group_count),
            min=words.smallest_group_count,
            max=words.largest_group_count,
            description="Number of groups",
            style=_LABEL,
            layout=ipw.Layout(width="16rem"),
        )
        self.framework = ipw.Dropdown(
            options=[(f.name, f.id) for f in list_frameworks()],
            description="Practice framework",
            style=_LABEL,
            layout=ipw.Layout(width="44rem"),  # the longest council's name, not cut
        )
        self.create_button = ipw.Button(description="Create the workshop",
                                        button_style="primary",
                                        layout=ipw.Layout(width="auto"))
        self.message = ipw.HTML()
        self.created: Workshop | None = None
        self.create_button.on_click(self._create)

    def _create(self, _button: object = None) -> None:
        with self._lock:
            try:
                with Store.open(self.store_path) as store:
                    self.created = create_workshop(
                        store,
                        self.name.value,
                        str(self.case.value or ""),
                        int(self.groups.value),
                        str(self.framework.value or ""),
                    )
            except WorkbookError as e:
                self.message.value = STEP_CSS + alert(str(e).splitlines()[0])
                return
            address = parse_store_address(self.store_path)
            self.message.value = in_step(render_workshop_created(self.created,
                                                                 store=address.path))

    def view(self) -> ipw.VBox:
        # OwnKeys: keys pressed on the form's lists and buttons stay with them.
        return ipw.VBox([self.name, self.case, self.groups, self.framework,
                         self.create_button, self.message, OwnKeys()])


def breakout_groups_form() -> ipw.Widget:
    """The form, or one kind sentence when the workbook's data cannot be read."""
    try:
        return BreakoutForm().view()
    except WorkbookError as e:
        return ipw.HTML(STEP_CSS + alert(str(e).splitlines()[0]))
