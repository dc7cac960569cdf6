"""The ecomap of the session's case: the child's household in the middle, the world around it.

Only shows :func:`systemic.genogram.ecomap.ecomap_svg` (drawn, escaped and
tested in Python) in an HTML widget, and redraws it when the case in the store
changes, so a household added on the genogram appears here too.
"""

from __future__ import annotations

import sys

import ipywidgets as ipw

from systemic.dashboard import ecomap_drawing, private_naming
from systemic.errors import WorkbookError
from systemic.genogram.ecomap import ecomap_svg
from systemic.html_templates import Markup, render
from systemic.store import Store
from widgets.following import StoreFollower
from widgets.genogram import case_from_store
from widgets.step_panel import resume_session, status

__all__ = ["EcomapView", "case_ecomap"]


class EcomapView:
    """One case discussion's ecomap, redrawn from the store.

    Parameters
    ----------
    store : Store
        Read-only is enough.
    discussion_id : str
        The case discussion whose case is drawn.
    privacy : bool
        Names hidden as on the participants' page: initials or roles, as the
        supervisor chose for the session, and no family name in services' names.
    centre : str, optional
        A household or person id for the middle (default: the focal child's household).
    """

    def __init__(self, store: Store, discussion_id: str, *, privacy: bool = False,
                 centre: str | None = None):
        self.store = store
        self.discussion_id = discussion_id
        self.privacy = privacy
        self.centre = centre
        self.view = ipw.HTML(layout=ipw.Layout(width="100%"))
        self._follower = StoreFollower(store, self.refresh)
        self.refresh()

    def html(self) -> str:
        # Read the version first: a change made while this is drawn is shown when following.
        self._version = self.store.version()
        discussion = self.store.discussion(self.discussion_id)
        case = case_from_store(discussion.case_data)
        try:
            if self.privacy:
                svg = ecomap_drawing(case, private_naming(self.store, discussion.session_id, case),
                                     self.centre)
            else:
                svg = ecomap_svg(case, self.centre)
        except ValueError as e:
            return status(f"No ecomap to show yet: {e}.")
        return render("widgets/ecomap/picture.html.j2", svg=Markup(svg))

    def refresh(self, _version: int | None = None) -> None:
        try:
            self.view.value = self.html()
        except Exception as e:  # noqa: BLE001 - the page must keep following
            print(f"ecomap could not redraw: {type(e).__name__}: {e}", file=sys.stderr)

    def start_following(self, every: float = 0.5) -> bool:
        """Redraw whenever the store changes; ``False`` when there is no event loop."""
        return self._follower.start(since=self._version, every=every)

    def stop_following(self) -> None:
        self._follower.stop()


def case_ecomap(*, privacy: bool = False, centre: str | None = None) -> ipw.Widget:
    """The ecomap of the session in progress (``$SYSTEMIC_WORKBOOK_SESSION``, or the newest),
    kept up to date.

    ``privacy`` hides names as the participants' page does (as on a shared screen).
    """
    try:
        session = resume_session(readonly=True)
        ecomap = EcomapView(session.store, session.discussion_id, privacy=privacy,
                            centre=centre)
    except WorkbookError as e:
        return ipw.HTML(render("widgets/step/role_alert.html.j2", text=" ".join(str(e).split())))
    ecomap.start_following()
    return ecomap.view
