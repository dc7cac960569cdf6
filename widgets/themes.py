"""Theme tags on a case discussion, for the team manager's view of themes and patterns.

The supervisor ticks the themes the discussion touched (from
``systemic/team/themes.yaml``); each tick is saved at once. Only themes on the
list are ever shown in the team view, so no free text about a family travels.
"""

from __future__ import annotations

import ipywidgets as ipw

from systemic.html_templates import render
from systemic.session import SupervisorSession
from systemic.team.themes import load_tags, load_themes, save_tag
from widgets.step_base import STORE_ERRORS, StepWidget, not_saved_text
from widgets.step_panel import open_step

__all__ = ["ThemesPanel", "themes_step"]


class ThemesPanel(StepWidget):
    """One tick box per theme on the team's list."""

    def __init__(self, session: SupervisorSession):
        super().__init__(session)
        vocabulary = load_themes()
        tagged = {tag.theme for tag in load_tags(session.store, self.discussion_id)}
        self.boxes: dict[str, ipw.Checkbox] = {}
        for theme in vocabulary.themes:
            box = ipw.Checkbox(value=theme.id in tagged, description=theme.label, indent=False)
            box.observe(self._changed(theme.id), names="value")
            self.boxes[theme.id] = box
        self.message = ipw.HTML()

    def _changed(self, theme_id: str):  # type: ignore[no-untyped-def]
        def on_change(change: dict[str, object]) -> None:
            with self._lock:  # ipykernel 7 may run this on a comm thread
                try:
                    if change["new"]:
                        save_tag(self.session.store, self.discussion_id, theme_id)
                    else:
                        self._untag(theme_id)
                except STORE_ERRORS as e:
                    self.message.value = render("widgets/step/role_alert.html.j2",
                                                text=not_saved_text(e, typed=False))

        return on_change

    def _untag(self, theme_id: str) -> None:
        for tag in load_tags(self.session.store, self.discussion_id):
            if tag.theme == theme_id:
                self.session.store.delete_record(tag.id)

    def tagged(self) -> list[str]:
        return sorted(tag.theme for tag in load_tags(self.session.store, self.discussion_id))

    def view(self) -> ipw.VBox:
        grid = ipw.GridBox(
            list(self.boxes.values()),
            layout=ipw.Layout(grid_template_columns="repeat(2, minmax(16rem, 1fr))"),
        )
        return ipw.VBox([grid, self.message])


def themes_step() -> ipw.Widget:
    """Theme ticks for the session in progress."""
    return open_step(ThemesPanel, "note")
