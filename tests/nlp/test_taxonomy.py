"""The taxonomy and its crosswalks are consistent with each other and with the data they map."""

from __future__ import annotations

import csv
import json

import pytest

from rightsindex.nlp import taxonomy
from shared_data import missing
from rightsindex.nlp.lexicon import lexicon_data

ISSUE_EXAMPLES = {
    "esc_rights": {"work", "social_security", "adequate_standard_of_living", "food", "water_sanitation",
                   "housing", "health", "education", "cultural_life", "land", "healthy_environment",
                   "esc_general"},
    "fiscal": {"taxation", "tax_abuse", "budget_allocation", "budget_transparency", "austerity", "debt",
               "international_cooperation", "corruption"},
}


def test_families_and_the_labels_the_issue_names():
    assert set(taxonomy.FAMILIES) == {"esc_rights", "fiscal", "groups", "action_category", "upr_issues"}
    for family, expected in ISSUE_EXAMPLES.items():
        assert set(taxonomy.labels(family)) == expected
    assert len(taxonomy.labels("groups")) == 10
    assert taxonomy.labels("action_category") == ["1", "2", "3", "4", "5"]
    assert len(taxonomy.labels("upr_issues")) == 54
    assert taxonomy.kind("action_category") == "multiclass"
    assert taxonomy.VERSION.count(".") == 2


def test_every_label_has_a_definition():
    for family in taxonomy.FAMILIES:
        for label in taxonomy.labels(family):
            assert len(taxonomy.definition(family, label)) > 10, (family, label)
    assert "eviction" in taxonomy.definition("esc_rights", "housing")


def _targets(mapping):
    for mapped in mapping.values():
        for family, labels in mapped.items():
            for label in labels:
                yield family, label


def test_crosswalk_targets_exist_and_sources_are_upr_info_issues():
    cross = taxonomy.data()["crosswalk"]
    issues = set(taxonomy.labels("upr_issues"))
    for part in ("exact", "related"):
        assert set(cross["upr_info"][part]) <= issues
        for family, label in _targets(cross["upr_info"][part]):
            assert label in taxonomy.labels(family), (part, family, label)
    for family, label in _targets(cross["uhri"]):
        assert label in taxonomy.labels(family)
    assert set(cross["general_comment_keywords"].values()) <= set(taxonomy.labels("groups"))


def test_crosswalk_examples_from_the_issue():
    got = taxonomy.from_upr_info(["Right to housing", "Poverty", "Labour", "Corruption"])
    assert got["esc_rights"] == ["housing", "adequate_standard_of_living", "work"]
    assert got["fiscal"] == ["corruption"]
    assert taxonomy.from_uhri(["E23 Right to adequate housing"]) == {"esc_rights": ["housing"]}
    assert taxonomy.from_upr_info(["Death penalty"]) == {}


def test_upr_issues_are_exactly_those_of_the_upr_info_data(shared_data):
    path = shared_data / "upr_info" / "recommendations_sessions01-16.csv"
    if not path.exists():
        pytest.skip(missing("upr_info", path.name))
    with open(path, encoding="utf-8") as fh:
        seen = {i for row in csv.DictReader(fh) for i in row["issues"].split("|") if i}
    assert seen == set(taxonomy.labels("upr_issues"))


def test_uhri_crosswalk_covers_the_esc_themes_of_the_ohchr_list(shared_data):
    path = shared_data / "ohchr_thematic_list" / "slovenia_cycle2.jsonl"
    if not path.exists():
        pytest.skip(missing("ohchr_thematic_list", path.name))
    themes = {t for line in open(path, encoding="utf-8") for t in json.loads(line)["themes"]}
    esc_themes = {t for t in themes if t.startswith("E")}
    assert esc_themes and esc_themes <= set(taxonomy.data()["crosswalk"]["uhri"])


def test_lexicon_labels_belong_to_the_taxonomy_and_cover_it():
    patterns = lexicon_data()["patterns"]
    for family in ("esc_rights", "fiscal", "groups"):
        assert set(patterns[family]) == set(taxonomy.labels(family)), family
        for label, phrases in patterns[family].items():
            assert phrases and all(isinstance(p, str) and p.strip() for p in phrases), label


def test_general_comment_crosswalk_follows_the_titles():
    gc = taxonomy.from_general_comment
    assert gc("Annotated_ESCR-GC4-Housing.json") == {"esc_rights": ["housing"]}
    assert gc("Annotated_ESCR-GC21-Culture.json") == {"esc_rights": ["cultural_life"]}
    assert gc("Annotated_CRC-GC19-Budget.json") == {"fiscal": ["budget_allocation"]}
    assert taxonomy.from_general_comment("Annotated_CCPR_GC36_life.json") == {}
    for family, label in _targets(taxonomy.data()["crosswalk"]["general_comments"]):
        assert label in taxonomy.labels(family)
