"""The step registry is the one home of the list of steps (issue 12, point 4).

Everything that needs the steps (the store's record kinds, the framework
schema's prompt keys, the participants' sections, the plenary's groups, the
session notebook) derives them from ``systemic/steps/``. The scan at the end
shows that no other file writes the list out again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from systemic import steps
from systemic.dashboard import SECTIONS
from systemic.frameworks import STEP_IDS, Prompts
from systemic.liveview import parts_for_kind
from systemic.questions.chosen import ChosenQuestion, load_chosen, save_chosen
from systemic.store import KNOWN_KINDS, Store
from systemic.workshop.breakout import _group_parts

ROOT = Path(__file__).resolve().parents[1]
#: Where the project's own code and data live (not the registry itself; not tests, whose
#: expected values may name kinds). ``frameworks/schema.json`` is written from the framework
#: model, which takes its prompt keys from the registry (test_frameworks checks it is current).
SCANNED = ("systemic", "widgets", "notebooks", "frameworks", "case_templates", "benchmarks",
           "Makefile")
GENERATED = {Path("frameworks/schema.json")}
SUFFIXES = {".py", ".yaml", ".yml", ".json", ".ipynb", ".js", ".html", ".j2", ""}


def test_each_step_is_one_module_and_one_yaml_numbered_in_order() -> None:
    found = steps.steps()
    assert [s.number for s in found] == list(range(1, len(found) + 1))
    here = ROOT / "systemic" / "steps"
    for s in found:
        assert (here / f"{s.id}.py").exists() and (here / f"{s.id}.yaml").exists()
        assert s.where == f"Step {s.number} of {len(found)}: {s.title}"
        for record in s.records:
            assert issubclass(record.model_class(), object)


def test_the_store_the_framework_schema_and_the_views_take_their_lists_from_the_registry() -> None:
    assert steps.record_kinds() == KNOWN_KINDS
    assert steps.prompt_keys() == STEP_IDS
    assert tuple(Prompts.model_fields) == steps.prompt_keys()
    assert ("header", *steps.sections()) == SECTIONS
    for s in steps.steps():
        for kind in s.record_kinds:
            assert parts_for_kind(kind) == (
                frozenset((steps.section_for_kind(kind),)) if steps.section_for_kind(kind)
                else frozenset()
            )
            assert _group_parts(kind) <= parts_for_kind(kind)


def test_the_chosen_question_has_one_model_and_older_records_still_read(tmp_path: Path) -> None:
    with Store.open(tmp_path / "q.db") as store:
        sid = store.create_session("Demo", "camden_practice_framework")
        did = store.add_discussion(sid, {"id": "c", "title": "C", "fictional": True})
        store.put_record(did, "question", {"question": "What would Nan say?", "question_id": "Q7"})
        step = steps.step("questions")
        step.save(store, did, ChosenQuestion(text="Who worries most?", type="circular"))
        step.save(store, did, ChosenQuestion(text="Who worries most?", type="circular"))
        read = step.read(store, did)
        assert [(q.text, q.template) for q in read] == [
            ("What would Nan say?", "Q7"), ("Who worries most?", "")
        ]
        assert read == load_chosen(store, did)
        assert save_chosen(store, did, read[1]).id == read[1].id


def _runs(text: str, ids: tuple[str, ...], gap: int = 40) -> int:
    """The longest run of ``ids`` named one after another, in order, each within ``gap``."""
    best = 0
    for start in range(len(ids)):
        at, length = 0, 0
        for want in ids[start:]:
            found = re.compile(rf"\b{re.escape(want)}\b").search(text, at)
            if found is None or (length and found.start() - at > gap):
                break
            at, length = found.end(), length + 1
        best = max(best, length)
    return best


def _files() -> list[Path]:
    out = []
    for name in SCANNED:
        path = ROOT / name
        for p in [path] if path.is_file() else path.rglob("*"):
            rel = p.relative_to(ROOT)
            if (p.is_file() and p.suffix in SUFFIXES and "steps" not in rel.parts[:2]
                    and rel not in GENERATED and ".ipynb_checkpoints" not in p.parts):
                out.append(p)
    return out


@pytest.mark.parametrize("what", ["step ids", "record kinds", "prompt keys", "sections"])
def test_the_list_of_steps_is_written_nowhere_else(what: str) -> None:
    ids = {
        "step ids": steps.step_ids()[1:],  # "start" is a common word
        "record kinds": steps.record_kinds(),
        "prompt keys": steps.prompt_keys(),
        "sections": steps.sections(),
    }[what]
    files = _files()
    assert len(files) > 100
    offenders = [str(p.relative_to(ROOT)) for p in files
                 if _runs(p.read_text(encoding="utf-8", errors="replace"), ids) >= 4]
    assert offenders == [], f"these files write out the {what} again: {offenders}"
