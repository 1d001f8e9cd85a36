"""The UN regional group of each State (rightsindex/ingest/regions.json), against UPR Info's CSV."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from rightsindex.ingest import countries, regions

from shared_data import need_shared  # type: ignore[import-not-found]

#: UPR Info's values of sur_regional_group / rs_regional_group, as rightsindex names the groups.
UPR_INFO_GROUPS = {"Africa": "African Group", "Asia": "Asia-Pacific Group", "EEG": "Eastern European Group",
                   "GRULAC": "GRULAC", "WEOG": "WEOG"}


def test_the_table_gives_every_state_in_upr_infos_csv_the_group_upr_info_gives_it():
    path = need_shared("upr_info", "recommendations_sessions01-16.csv")
    seen: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for state, value in ((row["state_under_review"], row["sur_regional_group"]),
                                 (row["recommending_state"], row["rs_regional_group"])):
                seen.setdefault(state, set()).add(value)
    checked = 0
    for state, values in seen.items():
        assert len(values) == 1, (state, values)  # UPR Info gives each State one group
        value = values.pop()
        hit = countries.lookup(state, fuzzy=False)
        if value == "Observer":
            assert hit and countries.kind(hit[1]) == "observer" and regions.of(hit[1]) is None, state
        elif value in UPR_INFO_GROUPS:
            assert hit is not None, state
            assert regions.of(hit[1]) == UPR_INFO_GROUPS[value], (state, value)
            checked += 1
        else:  # UPR Info's "(Unknown)" recommending State
            assert hit is None, (state, value)
    assert checked == 193  # every member State is in the CSV


def test_every_member_state_has_one_group_and_no_observer_or_territory_has_one():
    for name, code in countries.all_countries():
        kind = countries.kind(code)
        if kind == "member":
            assert regions.of(code) in regions.GROUPS, name
        elif kind in ("observer", "territory"):
            assert regions.of(code) is None, name
    members = [code for _name, code in countries.all_countries() if countries.kind(code) == "member"]
    assert Counter(regions.of(code) for code in members) == {
        "African Group": 54, "Asia-Pacific Group": 54, "Eastern European Group": 23, "GRULAC": 33, "WEOG": 29}


@pytest.mark.parametrize(("state", "group"), [
    ("Turkey", "WEOG"), ("Türkiye", "WEOG"), ("ISR", "WEOG"), ("United States of America", "WEOG"),
    ("Kiribati", "Asia-Pacific Group"), ("Cyprus", "Asia-Pacific Group"), ("Kenya", "African Group"),
    ("Brazil", "GRULAC"), ("Slovenia", "Eastern European Group"),
    ("Serbia and Montenegro", "Eastern European Group"), ("Holy See", None), ("State of Palestine", None),
    ("Hong Kong", None), ("European Union", None), ("", None),
])
def test_of_names_the_group_of_a_state_by_code_or_name(state, group):
    assert regions.of(state) == group


@pytest.mark.parametrize(("typed", "group"), [
    ("WEOG", "WEOG"), ("weog", "WEOG"), ("Western European and Others Group", "WEOG"),
    ("GRULAC", "GRULAC"), ("latin american and caribbean", "GRULAC"), ("African", "African Group"),
    ("Africa", "African Group"), ("asia-pacific", "Asia-Pacific Group"),
    ("Asia Pacific", "Asia-Pacific Group"), ("Asia", "Asia-Pacific Group"),
    ("Eastern European", "Eastern European Group"), ("EEG", "Eastern European Group"),
    ("eastern_european_group", "Eastern European Group"), ("Europe", None), ("Observer", None),
])
def test_group_reads_names_and_short_forms_in_any_case(typed, group):
    assert regions.group(typed) == group


def test_a_joint_recommendation_counts_for_each_group_once():
    assert regions.of_states(["FRA", "DEU", "Senegal", "VAT"]) == ["African Group", "WEOG"]
    assert regions.of_states([]) == []
    assert regions.suggest("Europe") == ["Eastern European Group", "WEOG"]
    assert regions.suggest("grulak") == ["GRULAC"]
    assert "FRA" in regions.states_of("weog") and "KEN" not in regions.states_of("weog")
