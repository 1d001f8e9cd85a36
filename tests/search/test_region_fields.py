"""The UN regional groups of the State under review and of the recommending States, end to end:
query fields, facets, trends, exports and the library's filters, on the hand-made corpus.

Its States: Kenya (African Group), Slovenia (Eastern European Group) and Brazil (GRULAC) under
review; Norway, France, Portugal, Germany, Spain, the United Kingdom and Canada (WEOG), Cuba and
Brazil (GRULAC) and Fiji (Asia-Pacific Group) recommending; CESCR's two have no recommending State.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

import rightsindex
from analysis_corpus import build
from rightsindex.cli import main
from rightsindex.errors import QueryError
from rightsindex.search import search
from rightsindex.search.export import export
from rightsindex.search.query import parse_query
from rightsindex.search.trends import trends

GROUPS = ["African Group", "Asia-Pacific Group", "Eastern European Group", "GRULAC", "WEOG"]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return build(tmp_path_factory.mktemp("regions") / "corpus")


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return rightsindex.open_corpus(corpus_dir)


def _paragraphs(corpus_dir, query):
    return sorted(hit["paragraph"] for hit in search(corpus_dir, query, limit=0).hits)


def test_rows_carry_the_groups_of_their_states(corpus):
    df = corpus.recommendations()
    row = df[df["paragraph"] == "142.1"].iloc[0]  # Kenya, by Norway and Germany
    assert row["region"] == "African Group" and row["recommending_regions"] == ["WEOG"]
    row = df[df["paragraph"] == "115.2"].iloc[0]  # Slovenia, by Fiji
    assert row["region"] == "Eastern European Group" and row["recommending_regions"] == ["Asia-Pacific Group"]
    assert df[df["body"] == "CESCR"]["recommending_regions"].map(len).eq(0).all()


@pytest.mark.parametrize(("query", "paragraphs"), [
    ("region:GRULAC", ["1"]),
    ("region:african fiscal:*", ["101.2", "142.3", "40"]),
    ('region:"Eastern European"', ["115.1", "115.2", "115.3", "93.1", "93.2"]),
    ("REGION:eeg AND recommending_region:Asia-Pacific", ["115.2"]),
    ("recommending_region:grulac", ["1", "101.2", "142.3"]),
    ("recommending_region:GRULAC fiscal:taxation", ["142.3"]),
    ("rs_regional_group:Asia", ["115.2"]),
    ('recommending_region:"Western European and Others Group" country:KEN',
     ["101.1", "101.3", "101.4", "142.1", "142.2", "142.4"]),
    ("recommending_region:none", ["28", "40"]),
    ("region:(GRULAC OR WEOG)", ["1"]),
])
def test_query_fields_find_the_groups_in_any_case_and_short_form(corpus_dir, query, paragraphs):
    assert _paragraphs(corpus_dir, query) == paragraphs


@pytest.mark.parametrize(("query", "message"), [
    ("region:Europe", "unknown region 'Europe': did you mean \"Eastern European Group\" or WEOG?; regions "
                      "(the UN regional groups): African, Asia-Pacific, \"Eastern European\", GRULAC, WEOG, "
                      "or none"),
    ("recommending_region:Grulak", "unknown recommending region 'Grulak': did you mean GRULAC?"),
    ("region:Eastern European", "unknown region 'Eastern': did you mean \"Eastern European Group\"? "
                                "(quote a name with spaces: region:\"Eastern European\")"),
    ("recommending_region:Observer", "observer States have no regional group "
                                     "(recommending_region:none finds the recommendations without one)"),
    ("region:Narnia", "unknown region 'Narnia'; regions (the UN regional groups): African, Asia-Pacific"),
])
def test_an_unknown_group_is_a_one_line_error_naming_the_likely_one(query, message):
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_paragraph_search_knows_the_documents_group_not_the_recommending_states(corpus_dir):
    search(corpus_dir, "region:WEOG", target="paragraphs")  # the document's State's group
    with pytest.raises(QueryError, match="applies to recommendations only"):
        search(corpus_dir, "recommending_region:WEOG", target="paragraphs")
    with pytest.raises(QueryError, match="unknown region 'Narnia'"):
        search(corpus_dir, "region:Narnia", target="paragraphs")


def test_facets_count_each_group_once_per_recommendation(corpus_dir):
    result = search(corpus_dir, "country:KEN", facets=True)
    assert result.facets["region"] == {"African Group": 10}
    # 142.1 (Norway and Germany) and 142.2 (Portugal and Spain) count once for WEOG; CESCR's none
    assert result.facets["recommending_region"] == {"WEOG": 6, "GRULAC": 2, "(none)": 2}
    every = search(corpus_dir, "*", facets=["region"]).facets["region"]
    assert every == {"African Group": 10, "Eastern European Group": 5, "GRULAC": 1}  # no State without one


def test_trends_by_recommending_region_split_by_fiscal_label(corpus):
    table = corpus.trends(by="recommending_region", split="fiscal")
    assert list(table.index) == GROUPS and table.index.name == "recommending_region"
    assert table.loc["GRULAC", "taxation"] == 1 and table.loc["GRULAC", "budget_allocation"] == 1
    assert table.loc["GRULAC", "total"] == 3 and table.loc["WEOG", "total"] == 10
    assert table.loc["African Group", "total"] == 0  # every group has its row
    assert table.attrs["no_period"] == 2  # CESCR's, without a recommending State
    shares = corpus.trends(by="recommending_region", split="fiscal", share=True)
    assert shares.loc["GRULAC", "taxation"] == pytest.approx(1 / 3)


def test_trends_split_by_region_keeps_the_groups_in_their_order(corpus):
    table = corpus.trends(by="region", split="recommending_region")
    assert list(table.columns) == [*GROUPS, "(none)", "total"]  # (none): made by no State with a group
    assert table.loc["African Group", "WEOG"] == 6 and table.loc["African Group", "total"] == 10
    assert (table[GROUPS].sum(axis=1) + table["(none)"] >= table["total"]).all()
    assert table.loc["Eastern European Group", "Asia-Pacific Group"] == 1
    by_year = corpus.trends(by="year", split="region")
    assert by_year.loc[2008, "GRULAC"] == 1 and by_year.loc[2014, "Eastern European Group"] == 3


def test_a_joint_recommendation_of_one_group_counts_once_for_it():
    rows = pd.DataFrame({"recommending_regions": [["WEOG"], ["African Group", "WEOG"], []],
                         "year": [2010, 2010, 2011]})
    table = trends(rows, by="recommending_region")
    assert table.loc["WEOG", "total"] == 2 and table.loc["African Group", "total"] == 1
    assert table.attrs["no_period"] == 1


@pytest.mark.parametrize(("filters", "paragraphs"), [
    ({"region": "weog"}, []),
    ({"region": "GRULAC"}, ["1"]),
    ({"region": ["African", "Latin American and Caribbean"], "fiscal": "taxation"}, ["142.3"]),
    ({"recommending_region": "Asia-Pacific"}, ["115.2"]),
    ({"recommending_regions": "grulac", "country": "KEN"}, ["101.2", "142.3"]),
    ({"recommending_region": "none"}, ["28", "40"]),
])
def test_library_filters_read_groups_as_the_query_does(corpus, filters, paragraphs):
    assert sorted(corpus.recommendations(**filters)["paragraph"]) == paragraphs


def test_a_library_filter_with_an_unknown_group_is_the_queries_error(corpus):
    with pytest.raises(QueryError) as info:
        corpus.recommendations(region="Europe")
    assert str(info.value).startswith(
        "unknown region 'Europe': did you mean \"Eastern European Group\" or WEOG?")
    assert "quote" not in str(info.value)  # a filter needs no quotes
    with pytest.raises(QueryError, match="unknown recommending region 'Afrika'"):
        corpus.trends(by="year", recommending_region="Afrika")


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "xlsx"])
def test_exports_have_the_group_columns(corpus_dir, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    export(corpus_dir, path, format=fmt, query="recommending_region:GRULAC")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    elif fmt == "json":
        rows = json.loads(path.read_text(encoding="utf-8"))
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        rows = pd.read_excel(path, dtype={"paragraph": str}).to_dict("records")
    by_paragraph = {str(r["paragraph"]): r for r in rows}
    assert sorted(by_paragraph) == ["1", "101.2", "142.3"]
    assert by_paragraph["1"]["region"] == "GRULAC" and by_paragraph["142.3"]["region"] == "African Group"
    groups = by_paragraph["142.3"]["recommending_regions"]
    assert groups == (["GRULAC"] if fmt in ("json", "jsonl") else "GRULAC")


def test_cli_trends_search_and_help(corpus_dir):
    runner = CliRunner()
    out = runner.invoke(main, ["trends", "--by", "recommending_region", "--split", "fiscal",
                               "--corpus", str(corpus_dir)])
    assert out.exit_code == 0, out.output
    assert out.output.startswith(
        "Recommendations per regional group of the recommending States, split by fiscal\n")
    assert re.search(r"^GRULAC +1 +1 .* 3$", out.output, re.M), out.output
    assert "(2 recommendations without a regional group of the recommending States left out)" in out.output
    refused = runner.invoke(main, ["trends", "--by", "region", "--plot", "x.png",
                                   "--corpus", str(corpus_dir)])
    assert refused.exit_code == 2 and "--by region makes a table per regional group" in refused.output
    found = runner.invoke(main, ["search", "recommending_region:grulac", "--facets",
                                 "--corpus", str(corpus_dir)])
    assert found.exit_code == 0, found.output
    assert "region: African Group 2, GRULAC 1\n" in found.output
    assert "recommending_region: GRULAC 3\n" in found.output
    bad = runner.invoke(main, ["search", "region:Europe", "--corpus", str(corpus_dir)])
    assert bad.exit_code == 1 and bad.output.startswith("Error: unknown region 'Europe': did you mean")
    rows = runner.invoke(main, ["search", "region:GRULAC", "--format", "csv", "--corpus", str(corpus_dir)])
    table = list(csv.DictReader(io.StringIO(rows.output)))
    assert table[0]["region"] == "GRULAC" and table[0]["recommending_regions"] == "GRULAC"
    assert "region:WEOG" in runner.invoke(main, ["search", "--help"]).output
