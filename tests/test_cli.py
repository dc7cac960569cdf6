"""The command line: clear one-line errors, exit status 2, and a demo that really starts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from systemic.cli import main
from systemic.paths import CASES_DIR, FRAMEWORKS_DIR
from tests.conftest import free_port


def test_validate_passes_every_shipped_file(capsys) -> None:
    files = sorted(CASES_DIR.glob("*.yaml")) + sorted(FRAMEWORKS_DIR.glob("*.yaml"))
    assert len(files) >= 9
    assert main(["validate", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok (") == len(files)


def test_validate_reports_each_problem_on_one_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text(
        "id: x\ntitle: X\nfictional: true\npeople:\n"
        "  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: c, name: C, born: '19x0'}\n"
        "unions:\n  - {id: u, partners: [a, zed]}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f'{bad}: people[2].born: "19x0" is not a year — write it like 1984']


def test_validate_never_shows_a_traceback(tmp_path: Path) -> None:
    binary = tmp_path / "photo.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "systemic.cli",
            "validate",
            str(binary),
            str(tmp_path / "gone.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "binary file" in lines[0] and "not found" in lines[1]


def test_demo_check_starts_both_servers_and_stops_them(tmp_path: Path) -> None:
    store = tmp_path / "demo.db"
    lab, voila = free_port(), free_port()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "systemic.cli",
            "demo",
            "--check",
            "--store",
            str(store),
            "--port",
            str(voila),
            "--lab-port",
            str(lab),
        ],
        capture_output=True,
        text=True,
        timeout=400,
        env={**os.environ},
    )
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"^demo ok: supervisor=(\S+) participants=(\S+) store=(\S+)$", proc.stdout, re.M)
    assert m, proc.stdout
    assert m.group(1).startswith(f"http://127.0.0.1:{lab}/lab/tree/notebooks/supervisor/")
    assert m.group(2) == f"http://127.0.0.1:{voila}/"
    assert Path(m.group(3)) == store and store.exists()
    # Both servers are gone: nothing answers on their ports any more.
    import socket

    for port in (lab, voila):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0


def test_questions_and_export_are_wired_into_the_command_line(tmp_path: Path, capsys) -> None:
    import json

    assert main(["questions", str(CASES_DIR / "kinship_care.yaml"), "--json"]) == 0
    questions = json.loads(capsys.readouterr().out)
    assert questions and {"type", "subtype", "audience", "text", "people", "template"} <= set(
        questions[0]
    )
    assert main(["export", "no-such-session", "--format", "md", "--store", str(tmp_path / "x.db")])
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_sessions_are_listed_with_their_dates_written_out(tmp_path: Path, capsys) -> None:
    import datetime as dt

    from systemic.store import Store

    with Store.open(tmp_path / "w.db") as store:
        session_id = store.create_session("Tuesday group", "camden", date=dt.date(2026, 12, 7))
    assert main(["sessions", "--store", str(tmp_path / "w.db")]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1] == f"{session_id}  7 December 2026  Tuesday group"


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    # `systemic-workbook questions CASE --all | head -3`: head closes the pipe early.
    proc = subprocess.Popen(
        [sys.executable, "-m", "systemic.cli", "questions",
         str(CASES_DIR / "kinship_care.yaml"), "--all"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"Questions about")
    proc.stdout.close()  # as head does after its lines
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_a_second_ctrl_c_while_the_servers_stop_is_ignored() -> None:
    """The servers are stopping already: a second Ctrl-C then neither interrupts that
    (leaving them half stopped) nor prints a traceback, and Ctrl-C works again after."""
    import signal
    import threading

    from systemic import cli, serving

    # A server that takes half a second to stop once asked.
    slow = ("import signal, sys, time\n"
            "signal.signal(signal.SIGINT, lambda *_: (time.sleep(0.5), sys.exit(0)))\n"
            "time.sleep(60)\n")
    process = subprocess.Popen([sys.executable, "-c", slow], start_new_session=True)
    server = serving.Server(name="slow", url="http://127.0.0.1:1/", process=process)
    time.sleep(0.5)  # let it set its handler up
    before = signal.getsignal(signal.SIGINT)
    again = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    again.start()
    try:
        cli._stop_servers(server)
        interrupted = False
    except KeyboardInterrupt:
        interrupted = True
    finally:
        again.join()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert not interrupted
    assert process.returncode == 0  # stopped cleanly, as asked
    assert signal.getsignal(signal.SIGINT) is before


def test_validate_reads_the_workbooks_own_wording_as_the_workbook_does(tmp_path: Path,
                                                                       capsys) -> None:
    # A trainer rewording breakout.yaml, or a council adding to jargon.yaml, was told
    # "terms: is not a field we know": the file was read as a case.
    import yaml

    from systemic.paths import PROJECT_ROOT

    shipped = [*sorted((FRAMEWORKS_DIR / "vocabularies").glob("*.yaml")),
               PROJECT_ROOT / "systemic" / "workshop" / "breakout.yaml"]
    assert main(["validate", *map(str, shipped)]) == 0
    assert capsys.readouterr().out.count(": ok (the workbook's own wording)") == len(shipped)
    folder = tmp_path / "vocabularies"
    folder.mkdir()
    data = yaml.safe_load((FRAMEWORKS_DIR / "vocabularies" / "jargon.yaml").read_text())
    del data["terms"][0]["suggestion"]
    (folder / "jargon.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    assert main(["validate", str(folder / "jargon.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'jargon.yaml'}: terms[0].suggestion" in err
    assert "is not a field we know" not in err
