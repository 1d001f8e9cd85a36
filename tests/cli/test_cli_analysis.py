"""`rightsindex trends` and `rightsindex dossier` as a user runs them."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from rightsindex.cli import main

_spec = importlib.util.spec_from_file_location(
    "analysis_corpus", Path(__file__).resolve().parents[1] / "search" / "analysis_corpus.py")
analysis_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(analysis_corpus)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return analysis_corpus.build(tmp_path_factory.mktemp("cli-analysis") / "corpus")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", ["trends", "dossier", "repeated"])
def test_help_has_examples(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"rightsindex {command} " in result.output and "Examples" in result.output


def test_trends_help_says_multi_label_splits_count_per_label():
    out = " ".join(run("trends", "--help").output.split())
    assert "counts under EACH of them" in out


def test_trends_table(corpus):
    result = run("trends", "--by", "cycle", "--split", "response", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Recommendations per cycle, split by response"
    assert lines[-3].split() == ["1", "5", "2", "0", "7"]
    assert lines[-2].split() == ["2", "4", "2", "1", "7"]
    assert lines[-1] == "(2 recommendations without a cycle left out)"


def test_trends_share_csv_and_json(corpus):
    result = run("trends", "--split", "fiscal", "--share", "--format", "csv", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()
    # the labels counted first, then every other fiscal label at 0 (never a missing column), then
    # (none): the recommendations without any fiscal label
    assert rows[0] == ("year,budget_allocation,taxation,austerity,budget_transparency,corruption,debt,"
                       "international_cooperation,tax_abuse,(none),total")
    assert "2016,0.5,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.5,2" in rows
    result = run("trends", "--by", "cycle", "--format", "json", "--corpus", corpus)
    obj = json.loads(result.output)
    assert obj["by"] == "cycle" and obj["rows"] == [{"cycle": 1, "total": 7}, {"cycle": 2, "total": 7}]


def test_trends_share_table_shows_percentages(corpus):
    result = run("trends", "--split", "fiscal", "--share", "--corpus", corpus)
    assert result.exit_code == 0
    assert "50.0%" in result.output and "25.0%" in result.output


def test_trends_files_and_plot(corpus, tmp_path):
    out, png = tmp_path / "t.xlsx", tmp_path / "t.png"
    result = run("trends", "--split", "right", "--output", out, "--plot", png, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert pd.read_excel(out)["housing"].sum() == 4
    assert png.read_bytes()[:4] == b"\x89PNG"
    parquet = tmp_path / "t.parquet"
    assert run("trends", "-o", parquet, "--corpus", corpus).exit_code == 0
    assert pd.read_parquet(parquet)["total"].sum() == 16
    result = run("trends", "--format", "parquet", "--corpus", corpus)
    assert result.exit_code == 1 and "--output" in result.output


def test_trends_country_filter(corpus):
    result = run("trends", "--by", "cycle", "--country", "SVN", "--format", "csv", "--corpus", corpus)
    assert result.output.splitlines() == ["cycle,total", "1,2", "2,3"]
    # repeatable, as export's and repeated's: the last one alone was counted, silently
    both = run("trends", "--by", "country", "--country", "SVN", "--country", "KEN", "--format", "csv",
               "--corpus", corpus)
    assert both.exit_code == 0, both.output
    rows = dict(line.split(",") for line in both.output.splitlines()[1:])
    assert set(rows) == {"Slovenia", "Kenya"} and rows["Slovenia"] == "5"
    table = run("trends", "--country", "SVN", "--country", "KEN", "--corpus", corpus)
    assert "(country SVN or KEN)" in table.output


def test_emerging_terms(corpus):
    result = run("trends", "--emerging", "--from", "2008-2010", "--to", "2014-2016", "--min-count", "2",
                 "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "Emerging terms, year 2008-2010 (7 recommendations) -> 2014-2016 (9" in result.output
    # a trial compared against a period of 2 recommendations without a word of warning
    assert "note: --from 2008-2010 holds 7 recommendation(s): the shares of words in so few" in result.output
    assert "housing" in result.output
    bad = run("trends", "--emerging", "--from", "2008", "--corpus", corpus)
    assert bad.exit_code == 2 and "--to" in bad.output
    empty = run("trends", "--emerging", "--from", "1990", "--to", "2014", "--corpus", corpus)
    assert empty.exit_code == 1 and "no recommendations in the --from period 1990-1990" in empty.output


def test_trends_errors(corpus, tmp_path):
    result = run("trends", "--corpus", tmp_path / "missing")
    assert result.exit_code == 1 and "no corpus here" in result.output and "Traceback" not in result.output
    result = run("trends", "--by", "month", "--corpus", corpus)
    assert result.exit_code == 2


def test_trends_query_uses_the_search_index(corpus):
    result = run("trends", "--by", "year", "--query", "evictions", "--format", "csv", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    rows = dict(line.split(",") for line in result.output.splitlines()[1:])
    assert (rows["2010"], rows["2015"], rows["2016"]) == ("1", "1", "1")
    bad = run("trends", "--query", 'country:KEN AND (', "--corpus", corpus)
    assert bad.exit_code == 1 and "Traceback" not in bad.output and len(bad.output.strip().splitlines()) == 1


def test_dossier_markdown_to_stdout(corpus):
    result = run("dossier", "Kenya", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# UPR dossier: Kenya (KEN)")
    assert "Cluster 1: 3 recommendations, 2010-2016" in result.output


def test_dossier_files(corpus, tmp_path):
    html_file = tmp_path / "ken.html"
    result = run("dossier", "KEN", "--right", "housing", "-o", html_file, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    page = html_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "about <strong>housing</strong>" in page
    md_file = tmp_path / "svn.md"
    assert run("dossier", "slovenia", "--output", md_file, "--corpus", corpus).exit_code == 0
    assert "# UPR dossier: Slovenia (SVN)" in md_file.read_text(encoding="utf-8")
    result = run("dossier", "KEN", "--format", "json", "--corpus", corpus)
    assert json.loads(result.output)["total"] == 10


def test_dossier_right_is_repeatable(corpus):
    # every --right counts (only the last one did): recommendations about any of them
    result = run("dossier", "KEN", "--right", "health", "--right", "housing", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "recommendations about **health** or **housing** received, 6 in total" in result.output
    assert "### Housing (3)" in result.output and "### Health (3)" in result.output
    data = json.loads(run("dossier", "KEN", "--right", "health", "--right", "housing", "--format", "json",
                          "--corpus", corpus).output)
    assert data["right_labels"] == ["health", "housing"] and data["total"] == 6


def test_dossier_unknown_country_and_right(corpus):
    result = run("dossier", "Atlantis", "--corpus", corpus)
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown country 'Atlantis'")
    assert len(result.output.strip().splitlines()) == 1
    result = run("dossier", "KEN", "--right", "astronomy", "--corpus", corpus)
    assert result.exit_code == 1 and "unknown right 'astronomy'" in result.output


def test_split_on_an_untagged_corpus_says_what_to_do(tmp_path):
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation

    with Store.open(tmp_path / "c") as store:
        store.add_document(Document(sha256="u" * 64, source_path="x.pdf", symbol="A/HRC/1/1",
                                    document_type="upr_wg_report", body="UPR", country="Chile",
                                    country_code="CHL", year=2009, cycle=1),
                           [], [Recommendation(text="Adopt a law on torture", paragraph="1")])
    result = run("trends", "--split", "right", "--corpus", tmp_path / "c")
    assert result.exit_code == 0
    assert "no recommendation here has a right label (run 'rightsindex tag' first)" in result.output
    result = run("trends", "--split", "right", "--plot", tmp_path / "x.png", "--corpus", tmp_path / "c")
    assert result.exit_code == 1 and "nothing to draw" in result.output
    assert not (tmp_path / "x.png").exists()


def test_trends_year_and_state_narrow_as_export_does(corpus):
    """--year SPAN and --state STATE (repeatable) take export's values and say its errors."""
    def csv_rows(*args):
        result = run("trends", "--format", "csv", *args, "--corpus", corpus)
        assert result.exit_code == 0, result.output
        return [line for line in result.output.splitlines()[1:] if not line.endswith(",0")]

    assert csv_rows("--year", "2014-2015") == ["2014,3", "2015,4"]
    assert csv_rows("--year", "2015-") == ["2015,4", "2016,2"]
    assert csv_rows("--state", "Spain") == ["2010,1", "2014,1", "2015,1"]
    assert csv_rows("--state", "Spain", "--state", "CUB", "--year", "-2010") == ["2008,1", "2010,2"]
    assert csv_rows("--state", "Norway", "--query", "evictions", "--by", "cycle") == ["1,1", "2,1"]
    table = run("trends", "--year", "2014-2015", "--state", "Spain", "-q", "water", "--corpus", corpus)
    assert table.output.splitlines()[0] == ("Recommendations per year (query: water; years 2014-2015; "
                                            "recommended by Spain)")
    as_json = json.loads(run("trends", "--state", "Spain", "--format", "json", "--corpus", corpus).output)
    assert as_json["state"] == ["Spain"] and "year" not in as_json
    emerging = run("trends", "--emerging", "--from", "2010", "--to", "2014-2015", "--state", "Spain",
                   "--min-count", "1", "--corpus", corpus)
    assert emerging.exit_code == 0, emerging.output
    assert "(1 recommendations) -> 2014-2015 (2 recommendations)" in emerging.output
    typo = run("trends", "--state", "Spian", "--corpus", corpus)
    assert typo.exit_code == 1
    assert typo.output == "Error: unknown recommending State 'Spian': did you mean Spain?\n"
    bad = run("trends", "--year", "20x", "--corpus", corpus)
    assert bad.exit_code == 1
    assert bad.output == "Error: bad year filter '20x': write 2015, 2015-2020, 2015- or -2020\n"


def test_a_chart_refused_for_a_table_per_state_says_what_to_run_instead(corpus, tmp_path):
    refused = run("trends", "--by", "recommending", "--plot", tmp_path / "p.png", "--corpus", corpus)
    said = " ".join(refused.output.split())
    assert refused.exit_code == 2 and "--by year --split recommending --top 10" in said
    assert "-o FILE.csv" in said and not (tmp_path / "p.png").exists()
    refused = run("trends", "--by", "country", "--emerging", "--from", "2010", "--to", "2015",
                  "--corpus", corpus)
    assert refused.exit_code == 2 and "--by year or cycle with --from and --to" in refused.output


def test_trends_state_needs_a_value(corpus):
    result = run("trends", "--state", "", "--corpus", corpus)
    assert result.exit_code == 2 and "'--state': is empty" in result.output


def test_repeated_lists_what_every_state_was_asked_again(corpus, tmp_path):
    result = run("repeated", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "3 group(s) of recommendations made again across reviews:" in result.output
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.split()[:2] == ["State", "n"])
    assert lines[head + 1].split()[:4] == ["KEN", "3", "2010", "2016"]
    assert "Ensure access to adequate housing" in lines[head + 1]
    result = run("repeated", "--right", "housing", "--format", "csv", "--corpus", corpus)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))  # the progress bar is on stderr
    assert [r["country_code"] for r in rows] == ["KEN"] and rows[0]["recommendations"] == "3"
    # lists joined with "|", as exports write them
    assert rows[0]["reviews"] == "UPR cycle 1 (2010)|UPR cycle 2 (2015)|CESCR 2016"
    assert rows[0]["rights"] == "housing" and rows[0]["citations"].count("|") == 2
    out = tmp_path / "r.xlsx"
    result = run("repeated", "--country", "Slovenia", "-o", out, "--corpus", corpus)
    assert result.exit_code == 0 and pd.read_excel(out)["country_code"].tolist() == ["SVN"]
    text_file = tmp_path / "r.txt"  # a file gets every row, whatever --limit shows on the screen
    assert run("repeated", "--limit", "1", "-o", text_file, "--corpus", corpus).exit_code == 0
    assert text_file.read_text().startswith("3 group(s)") and "SVN" in text_file.read_text()
    result = run("repeated", "--country", "Slovenai", "--corpus", corpus)
    assert result.exit_code != 0 and "did you mean Slovenia" in result.output


def test_a_report_read_before_review_dates_is_named_with_what_to_do(tmp_path):
    """A corpus built before reports took their review's year says so, in status and trends --by year."""
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation

    with Store.open(tmp_path / "c") as store:
        for sym, review in (("A/HRC/16/11", None), ("A/HRC/15/8", "2010-05-06")):
            store.add_document(Document(sha256=sym[-4:] * 16, source_path=f"{sym[-4:]}.pdf", symbol=sym,
                                        document_type="upr_wg_report", body="UPR", country="Chile",
                                        country_code="CHL", year=2011, cycle=1, review_date=review),
                               [], [Recommendation(text="Adopt a law on torture", paragraph="1")])
    note = "1 working-group report(s) have no review date (A/HRC/16/11)"
    result = run("trends", "--corpus", tmp_path / "c")
    assert result.exit_code == 0 and note in result.output and "--again" in result.output
    assert note not in run("trends", "--by", "cycle", "--corpus", tmp_path / "c").output
    assert note in run("status", "--corpus", tmp_path / "c").output


def test_region_options_narrow_trends_and_repeated(corpus):
    result = run("trends", "--by", "cycle", "--region", "African", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "(region African)" in result.output  # the heading says what was counted
    assert run("trends", "--region", "Europe", "--corpus", corpus).exit_code != 0
    narrowed = run("repeated", "--region", "African", "--corpus", corpus)
    assert narrowed.exit_code == 0 and "matching" in narrowed.output and "SVN" not in narrowed.output


@pytest.mark.parametrize("args", [
    ("export", "--country", "", "--format", "csv"),
    ("trends", "--state", ""),
    ("trends", "--year", " "),
    ("repeated", "--right", "housing", "--right", ""),
    ("documents", "--type", ""),
    # a query is a filter too: export --query "$Q" with Q unset wrote every recommendation, the
    # dossier all of the State's (trends and repeated said "empty query")
    ("export", "--query", "", "--format", "csv"),
    ("dossier", "KEN", "--query", " ", "--format", "json"),
    ("search", ""),  # search "$Q": every recommendation, where Corpus.search("") is an error
    ("search", " ", "--format", "csv"),
])
def test_an_empty_filter_value_is_an_error_not_every_record(corpus, args):
    """'export --country "$STATE"' with the variable unset exported every State's recommendations."""
    result = run(*args, "--corpus", corpus)
    assert result.exit_code == 2, result.output
    assert "is empty (an unset variable in a script?)" in result.output
    assert result.output.count("\n") <= 4  # usage, a hint and the one line: no traceback


def test_a_filter_with_a_value_still_narrows(corpus):
    every = run("export", "--format", "csv", "--corpus", corpus).output.count("\n")
    kenya = run("export", "--country", "KEN", "--format", "csv", "--corpus", corpus).output.count("\n")
    assert 1 < kenya < every
