"""What participants see of names: the supervisor's choice, saved with the session.

A case not marked fictional never shows names to participants; the
supervisor chooses whether they see initials ("G. O.") or roles ("Mum",
"Child (9)"). On a training case names are shown unless hidden here.
"""

from __future__ import annotations

import ipywidgets as ipw

from systemic.dashboard import DashboardSettings, load_dashboard_settings, save_dashboard_settings
from systemic.html_templates import render
from systemic.session import SupervisorSession
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import open_step

__all__ = ["PrivacyPanel", "participant_names"]

_LABELS = [("Initials, like G. O.", "initials"), ("Roles, like Mum or Child (9)", "roles")]


class PrivacyPanel(StepWidget):
    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        self.fictional = session.case.fictional
        settings = load_dashboard_settings(session.store, session.session_id)
        self.labels = ipw.RadioButtons(
            options=_LABELS,
            value=settings.labels,
            description="When names are hidden, participants see",
            style={"description_width": "initial"},
        )
        self.hide = ipw.Checkbox(
            value=settings.hide_names or not self.fictional,
            disabled=not self.fictional,
            description="Hide names on participants' screens",
            indent=False,
        )
        self.note = ipw.HTML(render("widgets/privacy/note.html.j2", fictional=self.fictional))
        self.message = ipw.HTML()
        self.labels.observe(self._save, names="value")
        self.hide.observe(self._save, names="value")

    def _save(self, _change: object = None) -> None:
        with self._lock:  # ipykernel 7 may run this on a comm thread
            try:
                current = load_dashboard_settings(self.session.store, self.session.session_id)
                settings = current.model_copy(
                    update={
                        "labels": self.labels.value,
                        "hide_names": bool(self.hide.value and self.fictional),
                    }
                )
                save_dashboard_settings(self.session.store, self.session.session_id, settings)
                self.message.value = render("widgets/privacy/saved.html.j2")
            except STORE_ERRORS as e:
                self.message.value = render("widgets/step/role_alert.html.j2",
                                            text=not_saved_text(e, typed=False))

    def settings(self) -> DashboardSettings:
        return load_dashboard_settings(self.session.store, self.session.session_id)

    def view(self) -> ipw.VBox:
        return ipw.VBox([self.note, self.hide, self.labels, self.message])


def participant_names() -> ipw.Widget:
    """The names choice for the session in progress."""
    return open_step(PrivacyPanel, "case")
