"""The Python library: rightsindex.open_corpus(path) and its Corpus object."""

from __future__ import annotations

import pandas as pd
import pytest

import rightsindex
from analysis_corpus import build
from rightsindex.corpus.api import ROW_COLUMNS, Corpus
from rightsindex.corpus.store import Store
from rightsindex.errors import CorpusError, QueryError
from rightsindex.records import Document, Recommendation


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return build(tmp_path_factory.mktemp("api") / "corpus")


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return rightsindex.open_corpus(corpus_dir)


def test_missing_corpus_is_a_one_line_corpus_error(tmp_path):
    with pytest.raises(CorpusError) as info:
        rightsindex.open_corpus(tmp_path / "nowhere")
    assert "nowhere" in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "nowhere").exists()  # opening never creates a corpus
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "corpus.sqlite").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CorpusError, match="not a rightsindex store"):
        rightsindex.open_corpus(tmp_path / "broken")


def test_recommendations_dataframe(corpus):
    assert isinstance(corpus, Corpus)
    df = corpus.recommendations()
    assert isinstance(df, pd.DataFrame) and len(df) == 16
    assert list(df.columns) == ROW_COLUMNS
    row = df[df["paragraph"] == "142.3"].iloc[0]
    assert row["symbol"] == "A/HRC/29/10" and row["country_code"] == "KEN" and row["year"] == 2015
    assert row["esc_rights"] == ["education", "health"] and row["fiscal"] == ["taxation"]
    assert row["recommending_states"] == ["Brazil"] and row["response"] == "noted"


@pytest.mark.parametrize("filters, expected", [
    ({"country": "KEN"}, 10),
    ({"country": "kenya"}, 10),
    ({"country": ["SVN", "Brazil"]}, 6),
    ({"year": 2010}, 6),
    ({"year": (2014, 2016)}, 9),
    ({"cycle": 2}, 7),
    ({"body": "cescr"}, 2),
    ({"response": "noted"}, 4),
    ({"right": "housing"}, 4),
    ({"right": ["housing", "health"]}, 7),
    ({"fiscal": "budget_allocation", "country": "KEN"}, 2),
    ({"group": "roma"}, 2),
    ({"recommending_state": "Norway"}, 2),
    ({"session": "21"}, 4),
])
def test_recommendation_filters(corpus, filters, expected):
    assert len(corpus.recommendations(**filters)) == expected


@pytest.mark.parametrize("filters, same_as", [
    # a State by code, name or former name, as state: finds it (USA, 'United States' found nothing)
    ({"recommending_state": "NOR"}, {"recommending_state": "Norway"}),
    ({"state": "United Kingdom"}, {"state": "United Kingdom of Great Britain and Northern Ireland"}),
    ({"recommending_state": "GBR"}, {"state": "United Kingdom of Great Britain and Northern Ireland"}),
    # response synonyms, as response: reads them
    ({"response": "accepted"}, {"response": "supported"}),
    ({"response": ["rejected", "partial"]}, {"response": ["noted", "partially supported"]}),
    # year spans, as export --year and year:2014-2016 take them
    ({"year": "2014-2016"}, {"year": (2014, 2016)}),
    ({"year": "2015-"}, {"year": [2015, 2016]}),
    ({"year": "-2008"}, {"year": 2008}),
    ({"cycle": "1-2"}, {"cycle": [1, 2]}),
    # labels as typed in a query, and prefixes
    ({"fiscal": "budget allocation"}, {"fiscal": "budget_allocation"}),
    ({"right": "water*"}, {"right": "water_sanitation"}),
    ({"type": "concluding_observations"}, {"body": "CESCR"}),
])
def test_filters_read_values_as_the_query_language_does(corpus, filters, same_as):
    got, expected = corpus.recommendations(**filters), corpus.recommendations(**same_as)
    assert len(expected) and got["id"].tolist() == expected["id"].tolist()


def test_no_response_and_a_state_as_the_document_writes_it(tmp_path):
    folder = build(tmp_path / "c")
    with Store.open(folder) as store:
        store.add_document(Document(sha256="t" * 64, source_path="tur.pdf", symbol="A/HRC/13/3",
                                    document_type="upr_compilation", body="UPR", country="Chile",
                                    country_code="CHL", year=2009, cycle=1),
                           [], [Recommendation(text="Ratify the Istanbul Convention", paragraph="3",
                                               recommending_states=("Türkiye", "European Union"),
                                               recommending_codes=("TUR",),
                                               recommending_as_written=("Turkey", "European Union"),
                                               source_body="CoE-GREVIO; CoE-CoP",
                                               issues=("Business and human rights",))])
    corpus = rightsindex.open_corpus(folder)
    for state in ("Turkey", "TUR", "türkiye", "European Union"):
        assert corpus.recommendations(recommending_state=state)["paragraph"].tolist() == ["3"], state
    # values no table knows but a record has: a body quoted among others, an imported issue
    assert len(corpus.recommendations(body="coe-cop")) == len(corpus.recommendations(body="CoE-GREVIO")) == 1
    assert len(corpus.recommendations(issue="business and human rights")) == 1
    assert len(corpus.recommendations(response="unknown")) == 3  # CESCR's two and the compilation's


@pytest.mark.parametrize("filters, query", [
    ({"fiscal": "tax"}, "fiscal:tax"),
    ({"right": "hosing"}, "right:hosing"),
    ({"response": "maybe"}, "response:maybe"),
    ({"recommending_state": "Frnace"}, "state:Frnace"),
    ({"country": "Kenia"}, "country:Kenia"),
    ({"document_type": "compilation"}, "type:compilation"),
    ({"category": 9}, "category:9"),
    ({"body": "cescrr"}, "body:cescrr"),
    ({"issue": "housing"}, "issue:housing"),
])
def test_a_filter_value_no_record_can_have_is_the_error_a_search_gives(corpus, corpus_dir, filters, query):
    """fiscal='tax' gave 0 rows without a word where fiscal:tax names taxation and tax_abuse."""
    with pytest.raises(QueryError) as by_filter:
        corpus.recommendations(**filters)
    with pytest.raises(QueryError) as by_query:
        corpus.search(query)
    said = str(by_filter.value)
    assert "did you mean" in said or "values:" in said
    assert "\n" not in said and said.split(";")[0] == str(by_query.value).split(";")[0]
    if "did you mean" in str(by_query.value):
        assert said == str(by_query.value)


@pytest.mark.parametrize("filters, message", [
    ({"year": "last year"}, "bad year filter 'last year': write 2015, 2015-2020, 2015- or -2020"),
    ({"year": "2016-2008"}, "the year span '2016-2008' runs backwards: write 2008-2016"),
    ({"country": "Korea"}, "'Korea' fits two States"),
    ({"year": (2016, 2008)}, r"year span \(2016, 2008\) runs backwards: write \(2008, 2016\)"),
])
def test_bad_year_spans_and_ambiguous_states(corpus, filters, message):
    with pytest.raises(QueryError, match=message):
        corpus.recommendations(**filters)


def test_filter_rows_checks_values_against_its_own_rows(corpus):
    from rightsindex.corpus.api import filter_rows

    df = corpus.recommendations()
    assert len(filter_rows(df, recommending_state="USA")) == 0  # a real State, in no row
    assert len(filter_rows(df, recommending_state="Cuba", response="accepted")) == 2
    with pytest.raises(QueryError, match="unknown recommending State 'Cubaa': did you mean Cuba"):
        filter_rows(df, recommending_state="Cubaa")


def test_unknown_filter(corpus):
    with pytest.raises(QueryError, match="unknown filter 'colour'"):
        corpus.recommendations(colour="red")


def test_documents_dataframe(corpus):
    docs = corpus.documents()
    assert len(docs) == 6
    ken = docs[docs["symbol"] == "A/HRC/15/8"].iloc[0]
    assert ken["recommendations"] == 4 and ken["country_code"] == "KEN"


def test_cache_follows_the_store(tmp_path):
    folder = build(tmp_path / "c")
    corpus = rightsindex.open_corpus(folder)
    assert len(corpus.recommendations()) == 16
    with Store.open(folder) as store:
        store.add_document(Document(sha256="n" * 64, source_path="new.pdf", symbol="A/HRC/40/1",
                                    document_type="upr_wg_report", body="UPR", country="Chile",
                                    country_code="CHL", year=2019, cycle=3),
                           [], [Recommendation(text="Adopt a law on torture", paragraph="1")])
    assert len(corpus.recommendations()) == 17
    assert corpus.trends(by="year").loc[2019, "total"] == 1


def test_trends_emerging_and_dossier_from_the_library(corpus):
    assert corpus.trends(by="cycle", split="right").loc[2, "housing"] == 2
    terms = corpus.emerging_terms("2008-2010", "2014-2016", min_count=2)
    assert terms.attrs["n_from"] == 7 and terms.attrs["n_to"] == 9
    assert "housing" in terms["term"].tolist()
    d = corpus.dossier("KEN", right="health")
    assert d.total == 3 and d.right == "health"
    from rightsindex.search.dossier import dossier
    from rightsindex.search.trends import trends

    assert dossier(corpus.recommendations(), "KEN").to_dict() == dossier(corpus, "KEN").to_dict()
    pd.testing.assert_frame_equal(trends(corpus, by="cycle"), corpus.trends(by="cycle"))


def _search_ready():
    try:
        from rightsindex.search import matching_ids, search  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _search_ready(), reason="rightsindex.search (the Whoosh index) not available")
def test_query_goes_through_the_search_index(corpus):
    df = corpus.recommendations("evictions")
    assert sorted(df["paragraph"]) == ["101.1", "142.1", "28"]
    assert len(corpus.recommendations("evictions", body="UPR")) == 2
    assert corpus.trends(by="year", query="right:health")["total"].sum() == 3
    result = corpus.search("evictions", limit=2)
    assert result.total == 3 and len(result.hits) == 2
    # limit=0 is every match, as `search --limit 0` (it gave none)
    every = corpus.search("evictions", limit=0)
    assert len(every.hits) == len(corpus.search("evictions", limit=None).hits) == 3
    with pytest.raises(QueryError):
        corpus.recommendations("   ")


def test_fast_table_read_equals_to_row(tmp_path):
    """The two-query read of the whole table gives exactly what StoredRecommendation.to_row gives."""
    from rightsindex.corpus.api import _read_all
    from rightsindex.records import Tag

    folder = build(tmp_path / "c")
    with Store.open(folder) as store:
        store.add_document(Document(sha256="f" * 64, source_path="co.pdf", symbol="E/C.12/CHL/CO/4",
                                    document_type="upr_compilation", body="UPR", country="Chile",
                                    country_code="CHL", year=2015, cycle=2),
                           [], [Recommendation(text="Raise taxes on wealth", paragraph="7 (b)", part=2,
                                               source_body="CESCR", follow_up=True, issues=("Tax",),
                                               recommending_codes=("CHL",))])
        new_id = max(s.id for s in store.recommendations())
        store.set_tags([(new_id, [Tag(family="action_category", label="4", source="model", score=0.9),
                                  Tag(family="fiscal", label="taxation", source="model", score=0.8),
                                  Tag(family="fiscal", label="tax_abuse", source="model", score=0.9)])], "t")
        slow = Corpus(folder)._frame(store.recommendations())
        fast = _read_all(store)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, slow)
    row = fast[fast["id"] == new_id].iloc[0]
    assert row["body"] == "CESCR" and row["action_category"] == 4
    assert row["fiscal"] == ["tax_abuse", "taxation"]


def test_the_issue_filter_reads_the_models_issues_too(tmp_path):
    """issue: in a query holds UPR Info's issues and the model's (upr_issues tags); the library's
    filter read only UPR Info's, so 'Right to housing' gave 164 rows against the search's 196."""
    folder = build(tmp_path / "c")
    corpus = rightsindex.open_corpus(folder)
    before = len(corpus.recommendations(issue="Right to housing"))
    with Store.open(folder) as store:  # a report's recommendation the model filed under housing
        rec_id = store.conn.execute(
            "SELECT id FROM recommendations WHERE issues IS NULL OR issues IN ('', '[]') LIMIT 1"
        ).fetchone()[0]
        store.conn.execute("INSERT OR REPLACE INTO tags (recommendation_id, family, label, source, score) "
                           "VALUES (?, 'upr_issues', 'Right to housing', 'model', 0.9)", (rec_id,))
        store.conn.commit()
    corpus = rightsindex.open_corpus(folder)
    found = corpus.recommendations(issue="Right to housing")
    assert len(found) == before + 1 and rec_id in set(found["id"])
    # the rows' issues column says so too (trends --split issue counts it; it had been (none))
    assert corpus.recommendations().set_index("id").loc[rec_id, "issues"] == ["Right to housing"]


def test_imported_issues_are_not_added_to_by_the_models(tmp_path):
    """UPR Info's people-given issues stand as they are: the model's fill in only where the data
    brought none (a UPR Info-only corpus counts issue:X as UPR Info's database does)."""
    folder = build(tmp_path / "c")
    with Store.open(folder) as store:
        store.add_document(Document(sha256="u" * 64, source_path="upr.csv", symbol=None,
                                    document_type="upr_info_import", body="UPR", country="Chile",
                                    country_code="CHL", year=2009, cycle=1),
                           [], [Recommendation(text="Adopt a housing policy", issues=("Right to housing",))])
        rec_id = max(s.id for s in store.recommendations())
        store.conn.execute("INSERT OR REPLACE INTO tags (recommendation_id, family, label, source, score) "
                           "VALUES (?, 'upr_issues', 'Women''s rights', 'model', 0.9)", (rec_id,))
        store.conn.commit()
        slow = Corpus(folder)._frame(store.recommendations(ids=[rec_id]))
    corpus = rightsindex.open_corpus(folder)
    assert corpus.recommendations().set_index("id").loc[rec_id, "issues"] == ["Right to housing"]
    assert slow["issues"].tolist() == [["Right to housing"]]
    assert rec_id not in set(corpus.recommendations(issue="Women's rights")["id"])
    if _search_ready():
        assert rec_id not in set(corpus.recommendations("issue:\"Women's rights\"")["id"])
        assert rec_id in set(corpus.recommendations('issue:"Right to housing"')["id"])


def test_filter_values_may_be_any_iterable(corpus):
    """A data scientist's Series, array or range is any of its values, as a list is."""
    import numpy as np

    assert len(corpus.recommendations(country=pd.Series(["SVN", "Brazil"]))) == 6
    assert len(corpus.recommendations(country=np.array(["SVN", "Brazil"]))) == 6
    assert len(corpus.recommendations(year=range(2014, 2017))) == 9
    assert len(corpus.recommendations(year=pd.Index([2010]))) == 6
    # a column's gaps are no value, in the search's filters too
    with_gaps = pd.Series(["SVN", None, float("nan"), pd.NA, "Brazil"], dtype="object")
    assert len(corpus.recommendations(country=with_gaps)) == 6
    if _search_ready():
        assert corpus.search("*", country=with_gaps).total == 6
    # a 2-tuple of years stays a (first, last) span
    assert len(corpus.recommendations(year=(2014, 2016))) == 9


def test_wrong_types_and_values_are_one_line_errors(corpus, tmp_path):
    with pytest.raises(QueryError, match="a query is a string"):
        corpus.recommendations(123)
    with pytest.raises(QueryError, match="limit is a whole number"):
        corpus.search("housing", limit="5")
    with pytest.raises(CorpusError, match="give its path"):
        rightsindex.open_corpus(None)
    # the values the CLI refuses
    with pytest.raises(QueryError, match="top 0"):
        corpus.trends(split="right", top=0)
    with pytest.raises(QueryError, match="threshold 5"):
        corpus.dossier("KEN", threshold=5)
    with pytest.raises(QueryError, match="did you mean health"):
        corpus.dossier("KEN", right="helth")
    with pytest.raises(QueryError, match="a whole number"):
        corpus.explain("abc")
    with pytest.raises(CorpusError, match="jobs"):
        corpus.ingest(tmp_path, jobs=0)
    with pytest.raises(CorpusError, match="unknown PDF engine 'foo'"):
        corpus.ingest(tmp_path, engine="foo")
    with pytest.raises(CorpusError, match="not 3"):
        corpus.ingest(3)
    if _search_ready():
        with pytest.raises(QueryError, match="'country' given twice"):
            corpus.search("housing", filters={"country": "SVN"}, country="KEN")


def test_citations_columns_and_clusters_as_elsewhere(corpus):
    df = corpus.recommendations(country="KEN")
    assert list(df.columns) == ROW_COLUMNS and ROW_COLUMNS[-1] == "citation"
    row = df[df["paragraph"] == "142.3"].iloc[0]
    assert row["citation"].startswith("A/HRC/29/10, para. 142.3")
    docs = corpus.documents()
    assert "source_file" in docs.columns and "source_path" not in docs.columns  # as exports name it
    d = corpus.dossier("KEN")
    assert all(c.text == c.representative.text for c in d.clusters)


@pytest.mark.skipif(not _search_ready(), reason="rightsindex.search (the Whoosh index) not available")
def test_search_takes_keyword_filters(corpus):
    assert corpus.search("evictions", body="UPR").total == 2
    assert corpus.search("evictions", year=(2014, None)).total == \
        corpus.search("evictions year:[2014 TO]").total
    assert corpus.search("evictions", filters={"body": "UPR"}).total == 2
    with pytest.raises(QueryError, match="unknown filter"):
        corpus.search("evictions", colour="red")


def test_explain_from_the_library(corpus):
    rec_id = int(corpus.recommendations(country="KEN").iloc[0]["id"])
    info = corpus.explain(rec_id)
    assert info["id"] == rec_id and "tags" in info and info["citation"]
    assert corpus.explain(10 ** 9) is None


def test_a_corpus_built_from_python(tmp_path):
    """open_corpus(create=True), ingest and import_file, as the CLI's ingest and import do."""
    from rightsindex.ingest import sample_pdfs

    corpus = rightsindex.open_corpus(tmp_path / "new", create=True)
    assert len(corpus.recommendations()) == 0
    mali = [p for p in sample_pdfs() if "Mali" in p.name or "8-50" in p.name]
    bad = tmp_path / "notes.pdf"
    bad.write_text("not a pdf")
    results = corpus.ingest([*mali, bad])  # a list, as the paths one by one
    assert sorted(r.status for r in results) == ["added", "failed"]
    df = corpus.recommendations()
    assert len(df) == 46 and df["esc_rights"].map(len).sum() > 0  # tagged, as the CLI's ingest tags
    assert corpus.search("education").total > 0  # and indexed
    failed = corpus.failures()
    assert failed["path"].tolist() == [str(bad)] and "not a PDF" in failed["reason"].iloc[0]
    again = corpus.ingest(*mali, timeout=300)  # read in a watched worker process, if it were read
    assert [r.status for r in again] == ["skipped"] and len(corpus.recommendations()) == 46
    with pytest.raises(CorpusError, match="timeout is a number of seconds"):
        corpus.ingest(*mali, timeout="soon")
    csv_file = tmp_path / "upr.csv"
    csv_file.write_text(
        "rec_id,cycle,session,wg_year,state_under_review,recommending_state,text,response,action_category,"
        "issues\nr1,1,11,2011,South Sudan,Djibouti,Cancel the debt of South Sudan,Accepted,4,Debt\n",
        encoding="utf-8")
    summary = corpus.import_file(csv_file)
    assert summary.recommendations == 1 and summary.tagged == 1
    assert len(corpus.recommendations(country="South Sudan")) == 1
    # and removed again: a dry run first, then by type; the index follows
    planned = corpus.remove(types="upr_info_import", dry_run=True)
    assert planned["source_file"].tolist() == ["upr-info:session-11:South Sudan"] and len(corpus.recommendations()) == 47
    assert corpus.remove(types=["upr_info_import"])["recommendations"].tolist() == [1]
    assert len(corpus.recommendations(country="South Sudan")) == 0 and corpus.search("debt").total == 0
    with pytest.raises(CorpusError, match="A/HRC/99/9 named nothing stored .1 document.s. removed"):
        corpus.remove("a/hrc/8/50", "A/HRC/99/9")
    assert len(corpus.recommendations()) == 0 and corpus.search("education").total == 0
    with pytest.raises(CorpusError, match="not 7"):
        corpus.remove(7)


@pytest.mark.skipif(not _search_ready(), reason="rightsindex.search (the Whoosh index) not available")
def test_session_spans_in_filters(corpus):
    """filters={"session": "12-13"} found nothing; spans of sessions are read by number."""
    sessions = corpus.recommendations()["session"].dropna().astype(str)
    numbers = sorted({int(s) for s in sessions if s.isdigit()})
    lo, hi = numbers[0], numbers[-1]
    every = sum(1 for s in sessions if s.isdigit())
    for value in (f"{lo}-{hi}", (lo, hi), f"{lo}-", (None, hi), [f"{lo}-{hi}"]):
        assert len(corpus.recommendations(session=value)) == every, value
        assert corpus.search("*", session=value).total == every, value
    one = len(corpus.recommendations(session=str(lo)))
    assert len(corpus.recommendations(session=f"{lo}-{lo}")) == one > 0
    assert corpus.search("*", filters={"session": f"-{lo}"}).total == one
    with pytest.raises(QueryError, match="runs backwards"):
        corpus.recommendations(session=f"{hi}-{lo}")


def test_recommendations_repeated_across_every_state(corpus):
    """Kenya's evictions and OP-ICESCR recommendations are made again in later reviews."""
    table = corpus.repeated()
    assert table["country_code"].tolist() == ["KEN", "KEN", "SVN"]
    evictions = table.iloc[0]
    assert evictions["recommendations"] == 3 and evictions["rights"] == ["housing"]
    assert evictions["reviews"] == ["UPR cycle 1 (2010)", "UPR cycle 2 (2015)", "CESCR 2016"]
    assert (evictions["supported"], evictions["noted"], evictions["no_response"]) == (2, 0, 1)
    assert (evictions["first_year"], evictions["last_year"]) == (2010, 2016)
    assert len(evictions["citations"]) == 3 and "forced evictions" in evictions["text"]
    # each State's groups are its dossier's
    ken = corpus.dossier("KEN")
    assert sorted(table.loc[table["country_code"] == "KEN", "cluster"]) == sorted(
        c.number for c in ken.clusters if c.across_reviews)
    # narrowed first, as recommendations() is
    assert corpus.repeated(right="housing")["country_code"].tolist() == ["KEN"]
    assert corpus.repeated("violence")["country_code"].tolist() == ["SVN"]
    assert len(corpus.repeated(across_reviews=False)) >= len(table)
    # a query chooses which groups are listed, never what a group holds: Kenya's 2010 review alone
    # lists both its groups whole
    # across cycles: these three groups span UPR cycles 1 and 2
    assert len(corpus.repeated(across_cycles=True)) == 3
    ken2010 = corpus.repeated(session="8")
    assert ken2010["recommendations"].tolist() == [3, 2] and ken2010["matching"].tolist() == [1, 1]
    assert table.loc[table["country_code"] == "KEN", "matching"].tolist() == [3, 2]


def test_a_reports_recommendation_takes_the_issues_of_upr_infos_copy(tmp_path):
    """A review held twice: the report's row (kept when counting once) has UPR Info's issues, not
    the model's, so trends --split issue, issue:X and the export count alike."""
    from hand_corpus import build_held_twice
    from rightsindex.records import Tag

    folder = build_held_twice(tmp_path / "c")
    with Store.open(folder) as store:
        copy_id, report_id = store.conn.execute(
            "SELECT id, duplicate_of FROM recommendations WHERE duplicate_of IS NOT NULL").fetchone()
        store.conn.execute("UPDATE recommendations SET issues = ? WHERE id = ?",
                           ('["Death penalty"]', copy_id))
        store.set_tags([(report_id, [Tag(family="upr_issues", label="Women's rights", source="model",
                                         score=0.9)])], "t")  # the model reads it otherwise
        slow = {s.id: s.to_row()["issues"] for s in store.recommendations()}
    corpus = rightsindex.open_corpus(folder)
    rows = corpus.recommendations().set_index("id")["issues"]
    assert rows[report_id] == slow[report_id] == ["Death penalty"]
    assert rows[copy_id] == ["Death penalty"]
    once = corpus.recommendations(issue="Death penalty", once=True)
    assert once["id"].tolist() == [report_id]
    assert corpus.trends(by="cycle", split="issue").loc[1, "Death penalty"] == 1
    if _search_ready():
        assert set(corpus.recommendations('issue:"Death penalty"')["id"]) == {report_id, copy_id}
        assert corpus.search('issue:"Women\'s rights"').total == 0


def test_upr_infos_copy_is_found_by_the_reports_response(tmp_path):
    """Where a report (or its addendum) and UPR Info's copy of a recommendation differ, the report's
    response counts: a response filter found the copy, so 'noted' counted more than the dossier."""
    from hand_corpus import build_held_twice

    folder = build_held_twice(tmp_path / "c")
    with Store.open(folder) as store:
        copy_id, report_id = store.conn.execute(
            "SELECT id, duplicate_of FROM recommendations WHERE duplicate_of IS NOT NULL").fetchone()
        store.conn.execute("UPDATE recommendations SET response = 'supported', response_source = "
                           "'A/HRC/15/8/Add.1', response_before = NULL WHERE id = ?", (report_id,))
        store.set_meta("generation", str(int(store.get_meta("generation") or 0) + 1))
        store.conn.commit()
    corpus = rightsindex.open_corpus(folder)
    rows = corpus.recommendations().set_index("id")["response"]
    assert (rows[report_id], rows[copy_id]) == ("supported", "noted")  # each shows its own
    assert corpus.recommendations(response="noted").empty
    assert set(corpus.recommendations(response="supported")["id"]) >= {report_id, copy_id}
    if _search_ready():
        assert corpus.search("response:noted").total == 0
        found = corpus.search("response:supported", facets=True)
        # six rows, five recommendations: the copy counted once, as the report's
        assert found.total == 6 and found.facets["response"]["supported"] == 5 and found.held_twice == 1


def test_repeated_across_cycles_leaves_out_a_repeat_within_one(tmp_path):
    """A treaty body repeating a UPR recommendation of the same cycle is repeated across reviews,
    not across cycles (a compilation and the letter restating it were 26 of Slovenia's 44)."""
    folder = build(tmp_path / "c")
    with Store.open(folder) as store:
        store.add_document(Document(sha256="r" * 64, source_path="crc.pdf", symbol="CRC/C/KEN/CO/3-5",
                                    document_type="concluding_observations", body="CRC", country="Kenya",
                                    country_code="KEN", year=2016),
                           [], [Recommendation(text="Introduce progressive taxation to finance health and "
                                                    "education for all", paragraph="12")])
    corpus = rightsindex.open_corpus(folder)
    tax = corpus.repeated("taxation")
    assert tax["recommendations"].tolist() == [2] and tax["cycles"].tolist() == [[2]]
    assert corpus.repeated("taxation", across_cycles=True).empty


@pytest.mark.skipif(not _search_ready(), reason="rightsindex.search (the Whoosh index) not available")
def test_the_dossier_narrowed_shows_the_groups_repeated_lists(corpus):
    """dossier --right/--query and repeated make groups of all a State received, and show those
    with a recommendation they keep: an advocate found 2 groups in one and 3 in the other."""
    d = corpus.dossier("KEN", query="session:8")
    assert d.total == 4  # the 2010 review's recommendations only
    assert sorted(c.count for c in d.repeated) == [2, 3]  # whole groups, with their later members
    listed = corpus.repeated("session:8", country="KEN")
    assert sorted(listed["recommendations"]) == sorted(c.count for c in d.repeated)


def test_the_dossier_says_it_counts_recommendations_not_numbered_items(tmp_path):
    """Slovenia's addendum counts 163 items; the dossier 169 recommendations (3 items in parts)."""
    folder = build(tmp_path / "c")
    with Store.open(folder) as store:
        store.add_document(
            Document(sha256="p" * 64, source_path="chl.pdf", symbol="A/HRC/12/10",
                     document_type="upr_wg_report", body="UPR", country="Chile", country_code="CHL",
                     year=2009, cycle=1, review_date="2009-05-08"),
            [], [Recommendation(text=f"Part {k} of a joint item", paragraph="96.3", part=k,
                                recommending_states=(state,))
                 for k, state in ((1, "France"), (2, "Spain"), (3, "Peru"))]
            + [Recommendation(text="A single item", paragraph="96.4", recommending_states=("Peru",))])
    notes = " ".join(rightsindex.open_corpus(folder).dossier("CHL").notes)
    assert "counts recommendations, not numbered items: 1 item(s)" in notes and "96.3: 3" in notes
    assert "numbered items" not in " ".join(rightsindex.open_corpus(folder).dossier("KEN").notes)


def test_the_dossiers_held_twice_note_counts_what_it_shows(tmp_path):
    """dossier Kenya -q '...' said '166 of UPR Info's rows repeat ...' with 13 recommendations shown."""
    from hand_corpus import build_held_twice

    corpus = rightsindex.open_corpus(build_held_twice(tmp_path / "c"))
    assert "1 of UPR Info's rows repeat" in " ".join(corpus.dossier("KEN").notes)
    if _search_ready():
        narrowed = corpus.dossier("KEN", query="housing")
        assert narrowed.total == 1 and "rows repeat" not in " ".join(narrowed.notes)


def test_trends_once_false_counts_every_row(tmp_path):
    """trends(once=False) went to recommendations(once=False), and trends() then counted each
    recommendation once all the same: the copies were never counted, without a word."""
    from hand_corpus import build_held_twice

    corpus = rightsindex.open_corpus(build_held_twice(tmp_path / "c"))
    rows = corpus.recommendations()
    assert len(rows) == 6 and len(corpus.recommendations(once=True)) == 5
    assert corpus.trends().total.sum() == 5
    assert corpus.trends(once=False).total.sum() == 6
    assert corpus.trends(once=False, split="right").total.sum() == 6
    # fill_years reaches trends() too (it was 'unknown filter fill_years')
    gaps = corpus.trends(fill_years=True).index.tolist()
    assert gaps == list(range(min(gaps), max(gaps) + 1))
    assert corpus.trends(fill_years=False).index.tolist() == sorted(rows["year"].dropna().unique().tolist())


def test_notebook_mistakes_are_one_line_rightsindex_errors(corpus, tmp_path):
    from rightsindex.errors import RightsIndexError

    if _search_ready():  # facets="year" was read as the facets 'y', 'e', 'a', 'r'
        one = corpus.search("housing", facets="year").facets
        assert one == corpus.search("housing", facets=["year"]).facets and list(one) == ["year"]
        with pytest.raises(QueryError, match="facets is True"):
            corpus.search("housing", facets=3)
    for call, message in [
        (lambda: corpus.emerging_terms("2008-2010", "2014-2016", top="5"), "top '5'"),  # TypeError
        (lambda: corpus.emerging_terms("2008-2010", "2014-2016", min_count=0), "min_count 0"),
        (lambda: corpus.dossier(["KEN"]), "one State"),  # AttributeError: 'list' object has no ...strip
        (lambda: corpus.dossier("KEN", year=2010), "no option 'year'"),  # build_dossier()'s TypeError
        (lambda: corpus.import_file(None), "not None"),  # pathlib's TypeError
    ]:
        with pytest.raises(RightsIndexError, match=message) as info:
            call()
        assert "\n" not in str(info.value)
    assert corpus.dossier("KEN", threshold=0.5).total == corpus.dossier("KEN").total


def test_review_and_tag_from_the_library(tmp_path):
    """A tag corrected from Python (rightsindex review had no library call), kept by tagging again."""
    corpus = rightsindex.open_corpus(build(tmp_path / "c"))
    rec = corpus.recommendations(country="KEN").query("paragraph == '101.3'").iloc[0]
    rec_id = int(rec["id"])
    assert "work" not in rec["esc_rights"]
    done = corpus.review(rec_id, add="right:work", note="a test")
    assert rec_id in done["ids"]
    assert rec_id in set(corpus.recommendations(right="work")["id"])
    tags = {(t["label"], t["source"]) for t in corpus.explain(rec_id)["tags"] if t["family"] == "esc_rights"}
    assert ("work", "reviewed") in tags
    if _search_ready():
        assert rec_id in corpus.matching_ids("right:work")
    assert corpus.tag(retag=True) == len(corpus.recommendations())
    assert rec_id in set(corpus.recommendations(right="work")["id"])  # the review holds
    corpus.review(rec_id, remove=["right:work"])
    assert rec_id not in set(corpus.recommendations(right="work")["id"])
    for bad, message in [({"add": "right:wrok"}, "work"), ({"add": ["right:work", 3]}, "a label"),
                         ({}, "give labels")]:
        with pytest.raises(QueryError, match=message):
            corpus.review(rec_id, **bad)
    with pytest.raises(QueryError, match="whole number"):
        corpus.review("77", add="right:work")


def test_an_empty_query_is_an_error_in_search_as_in_recommendations(corpus):
    """An analyst's trial: search("") found everything where recommendations("") was an error."""
    for call in (lambda: corpus.search(""), lambda: corpus.search("  "), lambda: corpus.recommendations(""),
                 lambda: corpus.dossier("KEN", query="")):  # the dossier took all of the State's
        with pytest.raises(QueryError, match="empty query"):
            call()
    assert corpus.search(None, limit=1).total == corpus.search("*", limit=1).total == len(corpus.recommendations())
