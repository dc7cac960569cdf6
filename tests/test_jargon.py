"""Specifications for the jargon check (systemic.jargon and jargon.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from systemic.errors import DataFileError
from systemic.jargon import jargon_findings, load_jargon
from systemic.paths import VOCABULARIES_DIR

REQUIRED = [
    "LAC", "CIN", "CP", "DV", "CSE", "CAMHS", "PLO", "disguised compliance", "non-engagement",
    "non-compliant", "placement breakdown", "contact", "presenting", "absconded", "manipulative",
    "attention seeking",
]


def _terms(text: str) -> list[str]:
    return [f.term for f in jargon_findings(text)]


def test_the_list_has_at_least_thirty_terms_each_with_a_plain_alternative_and_a_source():
    jargon = load_jargon()
    assert len(jargon.terms) >= 30
    for term in jargon.terms:
        assert term.suggestion.strip() and term.source.strip()
        assert term.confidence in ("C", "P", "U")


def test_the_terms_the_issue_names_are_all_on_the_list():
    assert set(REQUIRED) <= {t.term for t in load_jargon().terms}


def test_contact_is_suggested_as_family_time():
    [finding] = jargon_findings("Contact with Dad is on Saturdays.")
    assert finding.term == "contact" and "family time" in finding.suggestion


@pytest.mark.parametrize("text", [
    "Maya is LAC.", "She is on a CP plan.", "DV at home.", "Referred to CAMHS.", "A CIN plan.",
    "Worries about CSE.", "The PLO letter was sent.", "Mum shows disguised compliance.",
    "Non-engagement with services.", "Dad was non-compliant.", "After the placement breakdown.",
    "She presents as withdrawn.", "He absconded twice.", "He is manipulative.",
    "This is attention seeking.", "The TAF met on Monday.", "Her PEP was updated.",
    "After the strategy discussion.",
])
def test_each_named_term_is_found_in_a_sentence(text):
    assert len(jargon_findings(text)) == 1


def test_a_finding_points_at_the_words_in_the_text():
    text = "Mum says the LAC review went well."
    [f] = jargon_findings(text)
    assert text[f.start:f.end] == "LAC" == f.text
    assert f.term == "LAC"


def test_acronyms_match_only_in_capitals():
    assert _terms("On a CP plan.") == ["CP"]
    assert _terms("cp and cin and lac and dv") == []


def test_terms_match_whatever_their_capitals():
    assert _terms("RESPITE, Respite, respite") == ["respite"] * 3


def test_only_whole_words_are_flagged():
    assert _terms("CPR training, DVD night, a replacement, contactless card") == []
    assert _terms("LACK of sleep; the DVLA letter") == []


def test_spaces_and_hyphens_may_be_written_either_way():
    assert _terms("non engagement; nonengagement; non-engagement") == ["non-engagement"] * 3
    assert _terms("attention-seeking and attention seeking") == ["attention seeking"] * 2


def test_the_longer_of_two_overlapping_terms_wins():
    findings = jargon_findings("The placement broke down in May.")
    assert [f.term for f in findings] == ["placement breakdown"]
    assert findings[0].text == "placement broke down"


def test_contact_as_an_everyday_verb_is_not_flagged():
    assert _terms("Priya will contact the school. Contact us if worried. We'll contact Dad.") == []
    assert _terms("Her contact details changed.") == []


def test_contact_as_time_with_family_is_flagged():
    assert _terms("Contact is going well. She has supervised contact.") == ["contact", "contact"]


def test_findings_come_in_reading_order():
    text = "Maya absconded; CAMHS saw her; respite was offered."
    assert _terms(text) == ["absconded", "CAMHS", "respite"]
    starts = [f.start for f in jargon_findings(text)]
    assert starts == sorted(starts)


def test_plain_text_has_no_findings():
    assert jargon_findings("Maya spends Saturdays with her dad and likes drawing.") == []
    assert jargon_findings("") == []


def _copy_with(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((VOCABULARIES_DIR / "jargon.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "jargon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_team_can_add_its_own_term(tmp_path):
    def add(data):
        data["terms"].append({"id": "pod", "term": "pod", "suggestion": "team", "source": "us",
                              "confidence": "U"})
    jargon = load_jargon(_copy_with(tmp_path, add))
    assert [f.term for f in jargon_findings("The pod met.", jargon)] == ["pod"]


def test_an_acronym_not_in_capitals_is_refused_with_the_fix(tmp_path):
    def lower(data):
        data["terms"][0]["forms"] = ["lac"]
    with pytest.raises(DataFileError, match="not written in capitals"):
        load_jargon(_copy_with(tmp_path, lower))


def test_a_term_without_a_suggestion_is_refused_naming_the_field(tmp_path):
    def drop(data):
        del data["terms"][3]["suggestion"]
    with pytest.raises(DataFileError, match=r"terms\[3\]\.suggestion: is missing"):
        load_jargon(_copy_with(tmp_path, drop))
