"""Country names as UN documents and UPR Info write them, to ISO 3166-1 alpha-3."""

from __future__ import annotations

import csv

import pytest

from rightsindex.ingest.countries import all_countries, from_code, kind, lookup, split_states

from shared_data import need_shared  # type: ignore[import-not-found]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Plurinational State of Bolivia", "BOL"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Iran, Islamic Republic of", "IRN"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("the United Kingdom", "GBR"),
        ("Republic of Korea", "KOR"),
        ("Democratic People\u2019s Republic of Korea", "PRK"),
        ("DPR Korea", "PRK"),
        ("Libyan Arab Jamahiriya", "LBY"),
        ("Syrian Arab Republic", "SYR"),
        ("C\u00f4te d\u2019Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        ("Palestine", "PSE"),
        ("Republic of Moldova", "MDA"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("Viet Nam", "VNM"),
        ("Lao People's Democratic Republic", "LAO"),
        ("United Republic of Tanzania", "TZA"),
        ("T\u00fcrkiye", "TUR"),
        ("Turkey", "TUR"),
        ("United States of America", "USA"),
        ("St Vincent & the Grenadines", "VCT"),
        ("Democratic Republic of Congo", "COD"),
        ("Republic of Congo", "COG"),
        ("Congo", "COG"),
        ("Czech Republic", "CZE"),
        ("the Netherlands", "NLD"),
        ("Swaziland", "SWZ"),
        # ISO's inverted names
        ("Palestine, State of", "PSE"),
        ("Macedonia, the former Yugoslav Republic of", "MKD"),
        ("Korea, Republic of", "KOR"),
    ],
)
def test_lookup_variants(name, code):
    hit = lookup(name)
    assert hit is not None, name
    assert hit[1] == code


def test_lookup_returns_un_short_name_and_rejects_non_states():
    assert lookup("Bolivarian Republic of Venezuela") == ("Venezuela (Bolivarian Republic of)", "VEN")
    assert lookup("Niger") == ("Niger", "NER") and lookup("Nigeria") == ("Nigeria", "NGA")
    assert lookup("United Sates of America") == ("United States of America", "USA")  # a typo in A/HRC/24/6
    assert lookup("United Sates of America", fuzzy=False) is None
    assert lookup("European Union") is None
    assert lookup("ICCPR") is None
    assert lookup("") is None


def test_from_code_and_table():
    assert from_code("svn") == "Slovenia"
    assert from_code("GBR") == "United Kingdom of Great Britain and Northern Ireland"
    assert from_code("XXX") is None
    codes = [code for _, code in all_countries()]
    assert len(codes) == len(set(codes))
    assert sum(1 for c in codes if kind(c) == "member") == 193
    assert kind("VAT") == kind("PSE") == "observer"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("France, Chile and Venezuela (Bolivarian Republic of)", ["France", "Chile", "Venezuela (Bolivarian Republic of)"]),
        ("Bosnia and Herzegovina, Trinidad and Tobago and Antigua and Barbuda",
         ["Bosnia and Herzegovina", "Trinidad and Tobago", "Antigua and Barbuda"]),
        ("Saint Vincent and the Grenadines; United Kingdom of Great Britain and Northern Ireland",
         ["Saint Vincent and the Grenadines", "United Kingdom of Great Britain and Northern Ireland"]),
        ("Bolivia (Plurinational State of), Iran (Islamic Republic of), the Sudan",
         ["Bolivia (Plurinational State of)", "Iran (Islamic Republic of)", "Sudan"]),
        ("(Denmark; Liechtenstein; France; Czech Republic)", ["Denmark", "Liechtenstein", "France", "Czech Republic"]),
        ("Serbia and Montenegro", ["Serbia", "Montenegro"]),  # two States since 2006
        ("Iran, Islamic Republic of", ["Iran, Islamic Republic of"]),
        ("Venezuela (Bolivarian Republic of), Peru", ["Venezuela (Bolivarian Republic of)", "Peru"]),
    ],
)
def test_split_states(text, expected):
    assert split_states(text) == expected


def test_every_upr_info_state_resolves():
    path = need_shared("upr_info", "recommendations_sessions01-16.csv")
    names: set[str] = set()
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names.add(row["recommending_state"])
            names.add(row["state_under_review"])
    unresolved = sorted(n for n in names if n and lookup(n) is None)
    assert len(names) > 150
    # only non-State entries (UPR Info's "(Unknown)") may stay unresolved
    assert len(unresolved) <= 3, unresolved
