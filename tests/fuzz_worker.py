"""Reads fuzzed data files one at a time under memory and time limits, and judges each.

Run as a script by :func:`run_files` (the fuzz suite, ``tests/test_fuzz.py``, and
``benchmarks/fuzz.py``): it imports the workbook once, caps its own address space
(``RLIMIT_AS``), then reads file paths from stdin, one a line, and answers each with
one JSON line. A file is

- ``refused``: the reader raised :class:`~systemic.errors.DataFileError` and every line
  names the file, is one line, short, and says how to fix it (else ``unclear``);
- ``accepted``: and then every step of a session used it without an error (else
  ``broke``): a case is stored and read back, drawn (genogram and ecomap), given
  kinship words, questions, graces prompts, the hypotheses coach, the uncertainty
  grid's choices, the note (Markdown, HTML, DOCX) and the participants' page; a
  framework has every prompt and tool question filled with every blank, its plan
  checklist made and a note laid out under its headings;
- ``traceback``: anything else the reader raised; ``memory``: it ran out of memory.

The parent (:func:`run_files`) gives each file at most :data:`SECONDS` of the worker's
CPU time (the wall clock stands in for it when the machine is free, and stops at
:data:`WALL_LIMIT` when it is not);
a worker that overruns (``hang``) or dies (``crash``) is replaced, and the next file
starts in a fresh worker, so every file has its own limits and its own verdict.
"""

from __future__ import annotations

import json
import os
import re
import resource
import select
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Each file's limits.
MEGABYTES = 300
SECONDS = 5.0
#: The longest wall time a file may take when the machine is too busy to give it the CPU.
WALL_LIMIT = 60.0
#: A refusal's lines must say what to do: after a dash, what the value should be, or in a
#: sentence of its own that starts with what to do.
FIX_HINT = re.compile(
    r" — \S|should be |is not one of |[.:;…] (?:Remove|Check|Change|Correct|Record|Give|Add|"
    r"Write|Use|Put|Keep|Mark|Export|Delete|Split|Save|Choose|Set|Fix|Name|Leave|record|give)\b"
)


# -- the parent: a small pool of workers, each file its own verdict ------------------------------


@dataclass
class Verdict:
    path: str
    verdict: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    megabytes: float = 0.0
    detail: str = ""


class _Worker:
    def __init__(self, folder: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="0")
        folder = Path(tempfile.mkdtemp(prefix="worker-", dir=folder))
        self.process = subprocess.Popen(
            [sys.executable, "-u", __file__, str(folder)], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        ready = self._line(120.0)
        if ready != "ready":
            raise RuntimeError(f"the fuzz worker did not start: {ready!r}")

    def _line(self, timeout: float) -> str | None:
        assert self.process.stdout is not None
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not readable:
            return None
        line = self.process.stdout.readline()
        return line.rstrip("\n") if line else ""

    def judge(self, path: str) -> Verdict:
        """The worker's verdict; ``hang`` or ``crash`` when it overran or died (then it is
        stopped).

        The limit is :data:`SECONDS` of the worker's own CPU time: on two cores shared by
        many processes a file that needs half a second can wait five for its turn. The
        wall clock is checked every :data:`SECONDS` and gives up after :data:`WALL_LIMIT`.
        """
        assert self.process.stdin is not None
        started, cpu = time.perf_counter(), self._cpu()
        try:
            self.process.stdin.write(path + "\n")
            self.process.stdin.flush()
            line = self._line(SECONDS)
            while line is None and self._cpu() - cpu < SECONDS \
                    and time.perf_counter() - started < WALL_LIMIT:
                line = self._line(SECONDS)
        except BrokenPipeError:
            line = ""
        if line:
            return Verdict(**json.loads(line))
        used = self._cpu() - cpu
        self.stop()
        return Verdict(path, "crash" if line == "" else "hang", time.perf_counter() - started,
                       used)

    def _cpu(self) -> float:
        """The worker's CPU seconds so far (user and system), from /proc."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class Judge:
    """Judges files one at a time in a worker, replacing the worker after a hang or crash.

    >>> with Judge() as judge:  # doctest: +SKIP
    ...     judge("case_templates/blank.yaml").verdict
    'accepted'
    """

    def __init__(self) -> None:
        self.worker: _Worker | None = None
        self.folder = tempfile.TemporaryDirectory(prefix="fuzz-workers-")  # their stores

    def __call__(self, path: str | Path) -> Verdict:
        self.worker = self.worker or _Worker(Path(self.folder.name))
        verdict = self.worker.judge(str(path))
        if verdict.verdict in ("hang", "crash"):
            self.worker = None  # stopped: the next file gets a fresh worker
        return verdict

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        self.folder.cleanup()

    def __enter__(self) -> Judge:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _judge_all(paths: list[str], out: list[Verdict]) -> None:
    with Judge() as judge:
        out.extend(judge(path) for path in paths)


def run_files(paths: Iterable[Path], workers: int = 2) -> list[Verdict]:
    """Judge every file in ``workers`` parallel subprocesses; verdicts in the given order."""
    names = [str(p) for p in paths]
    shares: list[list[Verdict]] = [[] for _ in range(workers)]
    threads = [
        threading.Thread(target=_judge_all, args=(names[i::workers], shares[i]))
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_path = {v.path: v for share in shares for v in share}
    return [by_path[name] for name in names]


def summary(verdicts: list[Verdict], seconds: float) -> str:
    """The figures the issue asks for, in one paragraph."""
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v.verdict] = counts.get(v.verdict, 0) + 1
    slowest = max(verdicts, key=lambda v: v.seconds)
    busiest = max(verdicts, key=lambda v: v.cpu_seconds)
    largest = max(verdicts, key=lambda v: v.megabytes)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    return (
        f"fuzz: {len(verdicts)} files in {seconds:.1f} s ({kinds}); slowest file "
        f"{slowest.seconds:.2f} s wall ({_name(slowest)}), {busiest.cpu_seconds:.2f} s CPU "
        f"({_name(busiest)}); largest peak memory {largest.megabytes:.0f} MB ({_name(largest)}); "
        f"limits {SECONDS:.0f} s of CPU (wall clock up to {WALL_LIMIT:.0f} s on a busy machine) "
        f"and {MEGABYTES} MB"
    )


def _name(verdict: Verdict) -> str:
    return Path(verdict.path).parent.name


# -- the worker ----------------------------------------------------------------------------------


def _peak_megabytes() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _refusal_problems(path: str, lines: list[str]) -> str:
    from systemic.datafile import MAX_PROBLEMS

    if not lines or len(lines) > MAX_PROBLEMS + 1:
        return f"{len(lines)} lines"
    for line in lines:
        if not line.startswith(f"{path}: ") or "\n" in line or len(line) > len(path) + 400:
            return f"not one short line naming the file: {line[:300]!r}"
        if not FIX_HINT.search(line) or "Traceback" in line or "pydantic" in line.lower():
            return f"does not say how to fix it: {line[:300]!r}"
    return ""


def _kind(path: Path) -> str:
    if path.suffix.lower() == ".ged":
        return "gedcom"
    return "framework" if "frameworks" in path.parts else "case"


def _load(path: Path) -> Any:
    kind = _kind(path)
    if kind == "gedcom":
        from systemic.genogram.gedcom import load_gedcom

        return load_gedcom(path)
    if kind == "framework":
        from systemic.frameworks import load_framework

        return load_framework(path)
    from systemic.cases import load_case

    return load_case(path)


def judge(path: Path, folder: Path) -> tuple[str, str]:
    """``(verdict, detail)`` for one file (see the module's description)."""
    from systemic.errors import DataFileError

    try:
        loaded = _load(path)
    except DataFileError as e:
        unclear = _refusal_problems(str(path), [str(p) for p in e.problems])
        return ("unclear", unclear) if unclear else ("refused", str(e.problems[0]))
    except MemoryError:
        return "memory", ""
    except BaseException:  # noqa: BLE001 - a traceback is the finding
        return "traceback", traceback.format_exc(limit=-6)
    try:
        if _kind(path) == "framework":
            use_framework(loaded, folder)
        else:
            use_case(loaded, folder)
    except MemoryError:
        return "memory", "after it was accepted"
    except BaseException:  # noqa: BLE001
        return "broke", traceback.format_exc(limit=-6)
    return "accepted", ""


PARTICIPANTS = ({"name": "Sam", "role": "supervisor"}, {"name": "Priya", "role": "presenter"},
                {"name": "Ade", "role": "reflecting_group"})
FRAMEWORK_ID = "camden_practice_framework"
#: Names put into every blank: a plain one, the longest a case allows, and one with braces.
NAMES = ("Mia", "N" * 200, "{child:>1000000000} {0} %s")


@cache
def _stores(folder: Path) -> tuple[Any, Any]:
    """The worker's store, open for writing (the supervisor) and for reading (participants)."""
    from systemic.store import Store

    path = folder / "store.db"
    return Store.open(path), Store.open(path, readonly=True)


@cache
def _framework() -> Any:
    from systemic.frameworks import get_framework

    return get_framework(FRAMEWORK_ID)


def _svg(text: str) -> None:
    import xml.etree.ElementTree as ET

    ET.fromstring(text)  # a drawing a browser can show is well-formed XML


def use_case(case: Any, folder: Path) -> None:
    """Everything a session does with a case; raises if any step fails."""
    from systemic.dashboard import SessionView
    from systemic.export import render
    from systemic.genogram.draw import draw_svg
    from systemic.genogram.ecomap import ecomap_svg
    from systemic.genogram.kinship import relations, role_label
    from systemic.graces import family_facts, focal_child, reflective_prompts
    from systemic.hypotheses import absent_parents, coach
    from systemic.note import build_note
    from systemic.questions.generate import generate
    from systemic.session import SupervisorSession
    from systemic.store.model import parse_participants
    from systemic.uncertainty import placement_choices

    store, viewer = _stores(folder)  # one store per worker: each file is a new session
    session = SupervisorSession.start(
        store, framework_id=FRAMEWORK_ID, case=case, participants=PARTICIPANTS
    )
    again = session.case  # the store gives the case back
    ids = [p.id for p in again.people]
    if ids:
        session.select_person(ids[-1])
    _svg(draw_svg(again, privacy=not again.fictional))
    try:
        _svg(ecomap_svg(again))
    except ValueError as e:  # no one to centre it on: the widget shows this line
        if " — " not in str(e):
            raise
    focal = focal_child(again)
    if focal:
        relations(again, focal)
        for pid in ids[:40]:
            role_label(again, pid, focal)
    generate(again)
    family_facts(again)
    reflective_prompts(again)
    name = again.person(focal).name if focal else "the child"
    coach(f"I wonder whether {name} feels unheard since things changed at home", case=again)
    absent_parents(again)
    placement_choices(again, parse_participants(PARTICIPANTS))
    note = build_note(store, session.discussion_id, framework=_framework())
    for fmt in ("md", "html", "docx"):
        render(note, fmt)
    view = SessionView(viewer)
    page = view.read()  # what participants see, from a read-only handle
    if view.session_id != session.session_id:
        raise AssertionError("the participants' page shows another session")
    if again.people or page["genogram"]:
        _svg(page["genogram"])


def use_framework(framework: Any, folder: Path) -> None:
    """Everything a session does with a framework's wording; raises if any step fails."""
    from systemic.cases import load_case
    from systemic.frameworks import STEP_IDS, fill
    from systemic.note import build_note
    from systemic.paths import CASES_DIR
    from systemic.plan import framework_checklist
    from systemic.session import SupervisorSession

    for step in STEP_IDS:
        prompt = framework.prompt(step)
        for child in NAMES:
            for member in NAMES:
                for question, filled in zip(
                    prompt.questions, prompt.filled_questions(child, member), strict=True
                ):
                    if len(filled) > len(question) + 200 * question.count("{"):
                        raise AssertionError(f"a filled question grew to {len(filled):,}")
                for tool in framework.tools_for(step):
                    for question in tool.questions:
                        fill(question, child, member)
    framework_checklist(framework)
    store, _ = _stores(folder)
    case = load_case(CASES_DIR / "blended_family.yaml")
    session = SupervisorSession.start(store, framework_id=FRAMEWORK_ID, case=case)
    build_note(store, session.discussion_id, framework=framework)


def _serve(lines: Iterator[str], folder: Path) -> None:
    for line in lines:
        name = line.rstrip("\n")
        _hooks(name)
        _reset_peak()
        started, cpu = time.perf_counter(), time.process_time()
        verdict, detail = judge(Path(name), folder)
        answer = Verdict(name, verdict, round(time.perf_counter() - started, 4),
                         round(time.process_time() - cpu, 4), round(_peak_megabytes(), 1),
                         detail[-2000:])
        sys.stdout.write(json.dumps(answer.__dict__) + "\n")
        sys.stdout.flush()


def _hooks(name: str) -> None:
    """Stand-ins for a file that hangs or kills the reader, so the pool itself is tested."""
    if name.endswith(".selftest-hang"):
        while True:  # busy, as a parser in a loop would be
            pass
    if name.endswith(".selftest-exit"):
        os._exit(3)


def _warm_up(folder: Path) -> None:
    """Import and cache everything once, so a file's time is its own."""
    from systemic.cases import load_case
    from systemic.frameworks import get_framework
    from systemic.paths import CASES_DIR

    use_case(load_case(CASES_DIR / "blended_family.yaml"), folder)
    use_framework(get_framework(FRAMEWORK_ID), folder)


if __name__ == "__main__":
    workspace = Path(sys.argv[1])  # made and removed by the parent's Judge
    _warm_up(workspace)
    limit = MEGABYTES * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    print("ready", flush=True)
    _serve(iter(sys.stdin.readline, ""), workspace)
