"""One run through the whole pipeline on the real PDFs of ../shared, as a user would:
ingest -> tag -> index -> search -> trends -> export -> dossier, through the CLI.

The corpus is built once per test run by the session fixture ``real_corpus``.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from rightsindex.cli import main
from rightsindex.corpus.store import Store

pytestmark = pytest.mark.slow


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_corpus_holds_tagged_recommendations_with_provenance(real_corpus):
    with Store.open(real_corpus) as store:
        counts = store.counts()
        assert counts["recommendations"] > 1500
        assert counts["tagged"] == counts["recommendations"]
        assert counts["failures"] >= 1  # the scan without a text layer (the 'corrupted' file is repaired)
        slovenia = [
            s for s in store.recommendations()
            if s.document.symbol == "A/HRC/28/15" and s.recommendation.paragraph == "115.1"
        ]
    assert slovenia and slovenia[0].recommendation.recommending_states
    assert slovenia[0].recommendation.response == "supported"  # from the addendum A/HRC/28/15/Add.1


def test_search_finds_housing_recommendations_with_filters_and_facets(real_corpus):
    out = json.loads(run("search", "right:housing", "--facets", "--format", "json", "--corpus", str(real_corpus)))
    assert out["total"] > 5
    assert all("housing" in hit["esc_rights"] for hit in out["hits"])
    assert sum(out["facets"]["country"].values()) >= out["total"]
    svn = json.loads(run("search", "country:SVN response:noted", "--format", "json", "--limit", "500",
                         "--corpus", str(real_corpus)))
    assert svn["total"] > 0 and {h["country"] for h in svn["hits"]} == {"Slovenia"}
    assert {h["response"] for h in svn["hits"]} == {"noted"}


def test_stemming_finds_women_for_woman(real_corpus):
    a = json.loads(run("search", "woman", "--format", "json", "--corpus", str(real_corpus)))
    b = json.loads(run("search", "women", "--format", "json", "--corpus", str(real_corpus)))
    assert a["total"] == b["total"] > 50


def test_export_csv_carries_citations(real_corpus):
    text = run("export", "--format", "csv", "--query", "country:KEN", "--corpus", str(real_corpus))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) > 100
    for row in rows:
        assert row["symbol"] == "A/HRC/15/8" and row["country_code"] == "KEN"
        assert row["paragraph"] and row["page"] and row["year"] == "2010"
    # documents without a UN symbol are cited by what they are, not by the path of their file
    text = run("export", "--format", "csv", "--query", "type:letter OR type:ngo_report", "--corpus",
               str(real_corpus))
    cited = {row["citation"].split(", p.")[0] for row in csv.DictReader(io.StringIO(text))}
    assert cited == {"Letter of the High Commissioner for Human Rights to Slovenia, 1 October 2025",
                     "NGO report, 2014 (ngo_UPR-Info_Beyond-Promises_2014.pdf)"}


def test_trends_and_dossier(real_corpus, tmp_path):
    out = run("trends", "--by", "year", "--split", "response", "--format", "csv", "--corpus", str(real_corpus))
    assert "2010" in out
    dossier = tmp_path / "slovenia.md"
    run("dossier", "Slovenia", "--output", str(dossier), "--corpus", str(real_corpus))
    text = dossier.read_text(encoding="utf-8")
    assert "A/HRC/28/15" in text and "A/HRC/14/15" in text  # both cycles of Slovenia's review


def test_every_working_group_item_is_cited_by_its_own_number(real_corpus):
    """Citations are what users paste into submissions: no item number may stick to its text
    ("101.105.Continue ...") and leave the item cited under the number before it."""
    import re
    from collections import defaultdict

    with Store.open(real_corpus) as store:
        items: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for s in store.recommendations():
            if s.document.document_type != "upr_wg_report":
                continue
            rec = s.recommendation
            assert not re.match(r"\d{1,3}\.\d{1,3}", rec.text), (s.document.symbol, rec.paragraph, rec.text[:60])
            if rec.paragraph and re.fullmatch(r"\d+\.\d+", rec.paragraph):
                items[s.document.symbol][rec.paragraph].add(rec.text)
    assert len(items) == 12
    kenya = items["A/HRC/15/8"]
    assert {f"101.{n}" for n in range(100, 129)} <= set(kenya)
    for symbol, by_number in items.items():
        # under each paragraph the items run 1, 2, 3 ... without a gap
        parents: dict[str, set[int]] = defaultdict(set)
        for number in by_number:
            parent, item = number.split(".")
            parents[parent].add(int(item))
        for parent, numbers in parents.items():
            assert numbers == set(range(1, max(numbers) + 1)), (symbol, parent, sorted(numbers))
