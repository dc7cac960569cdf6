"""Theme ticks are saved at once and are the only thing the team view sees of a discussion."""

from __future__ import annotations

from pathlib import Path

from systemic.cases import load_case
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store
from systemic.team.themes import load_tags
from widgets.themes import ThemesPanel


def test_ticking_and_unticking_a_theme_is_saved_at_once(store_path: Path) -> None:
    with Store.open(store_path) as store:
        session = SupervisorSession.start(
            store, framework_id="camden_social_work_charter",
            case=load_case(CASES_DIR / "kinship_care.yaml"),
        )
        panel = ThemesPanel(session)
        first, second = list(panel.boxes)[:2]
        panel.boxes[first].value = True
        panel.boxes[second].value = True
        assert panel.tagged() == sorted([first, second])
        panel.boxes[first].value = False
        assert [t.theme for t in load_tags(store, session.discussion_id)] == [second]
        again = ThemesPanel(session)  # a reopened notebook shows what was ticked
        assert again.boxes[second].value and not again.boxes[first].value
