"""Every file the workbook reads is safe to read (issue 17): a fuzz suite over mutated copies
of the real cases, frameworks and family trees.

Each file is read in a worker subprocess limited to 300 MB of address space and 5 s
of wall time (``tests/fuzz_worker.py``), and is either refused with short lines that
name the file, the field and the fix, or accepted and then used by every step of a
session without an error. The run prints how many files it read, how long it took,
and the largest time and memory any one file took.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzz_corpus
from tests.fuzz_corpus import (
    CONTROL_CHARACTERS,
    FORMAT_BITS,
    ODD_VALUES,
    case_sources,
    framework_sources,
    gedcom_sources,
    make_corpus,
)
from tests.fuzz_worker import MEGABYTES, SECONDS, Judge, Verdict, run_files, summary

#: What a file may come to; anything else is a finding.
GOOD = {"accepted", "refused"}
SEED = 17


def _findings(verdicts: list[Verdict]) -> str:
    bad = [v for v in verdicts if v.verdict not in GOOD]
    return "\n\n".join(f"{v.verdict}: {v.path}\n{v.detail[-1500:]}" for v in bad[:10])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_corpus(tmp_path_factory.mktemp("fuzz"), seed=SEED)


def test_the_sources_are_the_real_files():
    assert {p.name for p in case_sources()} >= {"blended_family.yaml", "blank.yaml"}
    assert len(framework_sources()) >= 5
    assert {p.name for p in gedcom_sources()} >= {"bronte.ged", "kennedy.ged"}


def test_the_corpus_is_the_same_from_the_same_seed(tmp_path):
    first = make_corpus(tmp_path / "a", seed=3, cases=20, frameworks=10, gedcoms=10)
    second = make_corpus(tmp_path / "b", seed=3, cases=20, frameworks=10, gedcoms=10)
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_the_corpus_holds_every_kind_of_mutation(corpus):
    names = "+".join(p.parent.name for p in corpus)
    for mutation in (*fuzz_corpus.CASE_OPS, *fuzz_corpus.BYTE_OPS, "longcycle", "hugelevel",
                     "deeplevels", "selfparent"):
        assert mutation in names, f"no file has the mutation {mutation!r}"


@pytest.mark.timeout(900)  # a minute or two on two free cores; far longer when they are busy
def test_a_thousand_mutated_files_are_each_refused_clearly_or_usable_by_every_step(
    corpus, capsys
):
    assert len(corpus) >= 1_000
    started = time.perf_counter()
    verdicts = run_files(corpus)
    took = time.perf_counter() - started
    with capsys.disabled():
        print("\n" + summary(verdicts, took))
    assert len(verdicts) == len(corpus)
    assert all(v.verdict in GOOD for v in verdicts), _findings(verdicts)
    assert max(v.cpu_seconds for v in verdicts) < SECONDS
    assert max(v.megabytes for v in verdicts) < MEGABYTES
    # Both outcomes happen: the mutations are neither all fatal nor all harmless.
    kinds = {v.verdict for v in verdicts}
    assert kinds == GOOD
    assert sum(v.verdict == "accepted" for v in verdicts) >= 100


def test_a_file_that_hangs_or_kills_its_reader_gets_its_own_verdict_and_the_rest_go_on(tmp_path):
    hang, dies = tmp_path / "x.selftest-hang", tmp_path / "y.selftest-exit"
    good = case_sources()[1]
    verdicts = run_files([hang, good, dies, good.parent / "blended_family.yaml"], workers=1)
    assert [v.verdict for v in verdicts] == ["hang", "accepted", "crash", "accepted"]
    assert verdicts[0].seconds >= SECONDS


# -- hypothesis: structured mutations of a real case, each read in a limited worker -------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60
) | st.sampled_from([*FORMAT_BITS, *CONTROL_CHARACTERS])
_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True), _TEXT, st.sampled_from([v for v in ODD_VALUES if v is not None]),
)
_VALUE = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


_numbers = itertools.count()


def _base(name: str) -> dict:
    return yaml.safe_load((case_sources()[0].parent / name).read_text(encoding="utf-8"))


@st.composite
def mutated_cases(draw: st.DrawFn) -> str:
    data = _base(draw(st.sampled_from(["blended_family.yaml", "kinship_care.yaml"])))
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):  # text put into a text field: often still a usable case
            path = draw(st.sampled_from(fuzz_corpus._strings(data)))
            text = fuzz_corpus._get(data, path)
            at = draw(st.integers(0, len(text)))
            fuzz_corpus._set(data, path, text[:at] + draw(_TEXT) + text[at:])
        else:  # any value anywhere
            fuzz_corpus._set(data, draw(st.sampled_from(fuzz_corpus._places(data))), draw(_VALUE))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def hypothesis_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hypothesis")


@pytest.fixture(scope="module")
def judge() -> Iterator[Judge]:
    with Judge() as one_worker:
        yield one_worker


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated_cases())
def test_any_structured_change_to_a_case_is_refused_clearly_or_usable(
    hypothesis_folder, judge, text
):
    path = hypothesis_folder / f"{next(_numbers)}" / "case.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    verdict = judge(path)
    assert verdict.verdict in GOOD, f"{verdict.verdict}: {verdict.detail[-1500:]}\n{text[:2000]}"


@st.composite
def mutated_frameworks(draw: st.DrawFn) -> tuple[str, str]:
    source = draw(st.sampled_from(framework_sources()))
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    strings = fuzz_corpus._strings(data)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(strings))
        text = fuzz_corpus._get(data, path)
        at = draw(st.integers(0, len(text)))
        fuzz_corpus._set(data, path, text[:at] + draw(_TEXT) + text[at:])
    return source.name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(framework=mutated_frameworks())
def test_any_text_put_into_a_framework_is_refused_clearly_or_usable(
    hypothesis_folder, judge, framework
):
    name, text = framework
    path = hypothesis_folder / f"{next(_numbers)}" / "frameworks" / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    verdict = judge(path)
    assert verdict.verdict in GOOD, f"{verdict.verdict}: {verdict.detail[-1500:]}"


_GEDCOM_LINE = st.builds(
    "{} {}{} {}".format,
    st.sampled_from(["0", "1", "2", "3", "9", "-1", "01", "9" * 30]),
    st.sampled_from(["", "@I1@ ", "@I2@ ", "@F1@ ", "@@ "]),
    st.sampled_from(["INDI", "FAM", "NAME", "SEX", "BIRT", "DEAT", "DATE", "HUSB", "WIFE",
                     "CHIL", "FAMC", "FAMS", "PEDI", "CHAR", "DIV", "MARR", "NOTE", "x"]),
    _TEXT | st.sampled_from(["@I1@", "@I2@", "@F1@", "M", "F", "12 MAR 1850", "9999",
                             "ABT 1840", "adopted", "Mia /Smith/"]),
)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=st.lists(_GEDCOM_LINE, max_size=25))
def test_any_lines_after_a_gedcom_header_are_refused_clearly_or_usable(
    hypothesis_folder, judge, lines
):
    path = hypothesis_folder / f"{next(_numbers)}" / "tree.ged"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(["0 HEAD", *lines, "0 TRLR"]), encoding="utf-8",
                    errors="surrogatepass")
    verdict = judge(path)
    assert verdict.verdict in GOOD, f"{verdict.verdict}: {verdict.detail[-1500:]}\n{lines}"
