"""The supervisor chooses how participants see names; real families never show names."""

from __future__ import annotations

from pathlib import Path

from systemic.cases import Case, Person, load_case
from systemic.dashboard import load_dashboard_settings
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.privacy import PrivacyPanel


def test_roles_chosen_by_the_supervisor_are_saved_for_participants(store_path: Path) -> None:
    real = Case(id="r", title="A real family", fictional=False,
                people=[Person(id="a", name="Grace Okafor")])
    with Store.open(store_path) as store:
        session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                          case=real)
        panel = PrivacyPanel(session)
        assert panel.hide.value and panel.hide.disabled, "a real family's names stay hidden"
        panel.labels.value = "roles"
        assert load_dashboard_settings(store, session.session_id).labels == "roles"


def test_names_can_be_hidden_on_a_training_case_too(store_path: Path) -> None:
    with Store.open(store_path) as store:
        session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                          case=load_case(CASES_DIR / "blended_family.yaml"))
        panel = PrivacyPanel(session)
        assert not panel.hide.value and not panel.hide.disabled
        panel.hide.value = True
        assert load_dashboard_settings(store, session.session_id).hide_names
