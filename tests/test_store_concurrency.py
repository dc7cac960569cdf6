"""No edit lost: supervisor windows in separate processes editing one case at once.

Each worker is a real Python process driving the genogram edit panel exactly as
the supervisor's clicks do (fill in the form, press the button), on one real
SQLite file. Every acknowledged change must be in the stored case, with its log
record; a process killed mid-edit leaves the edit and its log both there or both
absent.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from systemic.cases import Case, Person
from systemic.session import SupervisorSession
from systemic.store import Store

ROOT = Path(__file__).resolve().parent.parent

# A supervisor's window: the genogram panel on the session, adding people one at a time.
WINDOW = textwrap.dedent("""
    import json, sys
    from systemic.session import SupervisorSession
    from systemic.store import Store
    from widgets.genogram import GenogramEditorPanel

    address, session_id, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    acknowledged = []
    with Store.open(address) as store:
        panel = GenogramEditorPanel(SupervisorSession.resume(store, session_id))
        panel.action.value = "add_person"
        for i in range(count):
            panel.name.value = f"{tag} {i}"
            if panel.make_change():
                acknowledged.append(f"{tag} {i}")
            else:
                print("refused:", panel.message.value, file=sys.stderr)
            print(len(acknowledged), flush=True)
    print(json.dumps(acknowledged))
""")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _start_session(address: str | Path) -> str:
    with Store.open(address) as store:
        case = Case(id="busy", title="A busy family (fictional)", fictional=True,
                    people=[Person(id="ro", name="Ro", sex="female", born=1980)])
        return SupervisorSession.start(store, framework_id="camden_practice_framework",
                                       case=case).session_id


def _stored_names(address: str | Path, session_id: str) -> tuple[list[str], list[dict]]:
    with Store.open(address, readonly=True) as store:
        discussion = store.discussions(session_id)[0]
        names = [p["name"] for p in discussion.case_data["people"]]
        edits = [r.payload for r in store.records(discussion.id, "genogram_edit")]
    return names, edits


def run_two_windows(address: str | Path, per_window: int = 200) -> None:
    """Two windows × ``per_window`` additions at once; every acknowledged one must be kept."""
    session_id = _start_session(address)
    windows = [
        subprocess.Popen([sys.executable, "-c", WINDOW, str(address), session_id, tag,
                          str(per_window)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=_env(), cwd=ROOT)
        for tag in ("Left", "Right")
    ]
    acknowledged: list[str] = []
    for window in windows:
        out, err = window.communicate(timeout=600)
        assert window.returncode == 0, err[-2000:]
        acknowledged += json.loads(out.strip().splitlines()[-1])
    names, edits = _stored_names(address, session_id)
    assert len(acknowledged) == 2 * per_window
    missing = sorted(set(acknowledged) - set(names))
    assert missing == [], f"{len(missing)} acknowledged additions lost"
    assert len(names) == 1 + 2 * per_window
    added = [e["args"]["person"]["name"] for e in edits if e["op"] == "add_person"]
    assert sorted(added) == sorted(acknowledged)  # one log record per edit, no more


def test_two_supervisor_windows_adding_200_people_each_lose_none(tmp_path: Path):
    run_two_windows(tmp_path / "workbook.db")


def test_a_window_killed_mid_edit_leaves_the_edit_and_its_log_together(tmp_path: Path):
    address = tmp_path / "workbook.db"
    session_id = _start_session(address)
    for round_ in range(12):
        window = subprocess.Popen(
            [sys.executable, "-c", WINDOW, str(address), session_id, f"K{round_}", "1000"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env(), cwd=ROOT)
        assert window.stdout is not None
        first = window.stdout.readline()  # it is editing now
        assert first.strip().isdigit(), first
        time.sleep(0.05 + 0.037 * round_)  # a different moment in the edit each round
        window.send_signal(signal.SIGKILL)
        window.wait(timeout=30)
        window.stdout.close()
        names, edits = _stored_names(address, session_id)
        logged = [e["args"]["person"]["name"] for e in edits if e["op"] == "add_person"]
        assert sorted(logged) == sorted(names[1:]), f"round {round_}: edit and log disagree"
    assert len(names) > 12

