"""Paragraph search: every stored paragraph (an `other` document's too) is searchable and kept in sync."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from hand_corpus import OTHER_PARAGRAPHS, REPORT_PARAGRAPHS, build_paragraphs
from rightsindex.cli import main
from rightsindex.corpus.store import Store
from rightsindex.errors import QueryError
from rightsindex.records import Document, Paragraph, Tag
from rightsindex.search import matching_ids, search, search_paragraphs, sync_index
from rightsindex.search.index import index_dir, index_state, sync_all

N_PARAGRAPHS = len(OTHER_PARAGRAPHS) + len(REPORT_PARAGRAPHS)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_paragraphs(tmp_path_factory.mktemp("paras") / "corpus")


@pytest.fixture()
def fresh(tmp_path):
    folder = build_paragraphs(tmp_path / "corpus")
    sync_index(folder)
    return folder


def total(corpus, query, **kw):
    return search_paragraphs(corpus, query, limit=50, **kw).total


def test_an_other_document_is_found_by_its_paragraphs(corpus):
    result = search_paragraphs(corpus, "river")
    assert result.total == 1
    hit = result.hits[0]
    assert hit["document_type"] == "other" and hit["country_code"] == "KEN" and hit["year"] == 2016
    assert hit["page"] == 1 and hit["number"] == "1" and hit["heading"] == "Background"
    assert hit["text"] == OTHER_PARAGRAPHS[1].text and "<b>river</b>" in hit["highlight"]
    assert hit["symbol"] is None and hit["source_file"] == "ngo-letter.pdf"
    # the recommendation index does not hold it: it has no recommendations
    assert search(corpus, "river").total == 0


@pytest.mark.parametrize(
    "query, expected",
    [
        ("woman", 1),  # stemmed: finds "women"
        ('"informal settlements"', 2),  # body paragraph and footnote
        ('"informal settlements" NOT kind:footnote', 1),
        ("kind:footnote", 1),
        ("kind:heading", 2),
        ("type:other", 4),
        ("country:Kenya", 4),
        ("country:SVN", 3),
        ("body:UPR", 3),
        ("year:[2015 TO 2020]", 4),
        ("page:2", 2),
        ("page:[14 TO 20]", 2),
        ("paragraph:118.7", 1),
        ("number:12", 1),
        ("section:conclusions", 1),  # the list item under that section
        ('section:"conclusions and recommendations"', 1),  # a phrase on a field kept without positions
        ("heading:background", 2),
        ('symbol:"A/HRC/28/15"', 3),
        ("cycle:2 water", 2),
        ("drinking water", 2),
        ("region:African", 4),  # Kenya's group, read from the document's State
        ('region:"Eastern European" water', 2),
        ("region:WEOG", 0),
        ("*", N_PARAGRAPHS),
    ],
)
def test_paragraph_query_language(corpus, query, expected):
    assert total(corpus, query) == expected, query


def test_recommendation_only_fields_are_refused(corpus):
    for query in ("right:housing", "response:noted", "state:France", "fiscal:taxation", "issue:x",
                  "recommending_region:WEOG"):
        with pytest.raises(QueryError, match="applies to recommendations only"):
            search_paragraphs(corpus, query)
    with pytest.raises(QueryError, match="unknown field 'colour'"):
        search_paragraphs(corpus, "colour:red")
    with pytest.raises(QueryError, match="applies to recommendations only"):
        search_paragraphs(corpus, "*", filters={"right": "housing"})
    with pytest.raises(QueryError, match="unknown facet 'right'"):
        search_paragraphs(corpus, "*", facets=["right"])
    with pytest.raises(QueryError, match="unknown search target"):
        search(corpus, "water", target="pages")
    # and the other way round: paragraph-only fields are unknown to recommendation search
    with pytest.raises(QueryError, match="unknown field 'kind'"):
        search(corpus, "kind:footnote")


def test_facets_sort_filters_and_ids(corpus):
    result = search_paragraphs(corpus, "*", limit=1, facets=True)
    assert result.facets["type"] == {"other": 4, "upr_wg_report": 3}
    assert result.facets["kind"] == {"body": 3, "heading": 2, "footnote": 1, "list_item": 1}
    assert sum(result.facets["kind"].values()) == N_PARAGRAPHS
    assert result.facets["year"] == {"2014": 3, "2016": 4}
    assert result.facets["region"] == {"African Group": 4, "Eastern European Group": 3}
    regional = search_paragraphs(corpus, "*", filters={"region": ["WEOG", "African"]})
    assert regional.total == 4
    years = [h["year"] for h in search_paragraphs(corpus, "water OR housing", sort="date").hits]
    assert years == [2016, 2016, 2014, 2014]  # two Kenyan housing paragraphs, two Slovenian water ones
    filtered = search_paragraphs(corpus, "water", filters={"country": "slovenia", "page": "10-20"})
    assert [h["number"] for h in filtered.hits] == ["118.7"]
    ids = matching_ids(corpus, "informal", target="paragraphs")
    assert len(ids) == 2 and ids == sorted(ids)


def test_sync_after_a_change(fresh):
    assert index_state(fresh, "paragraphs")["count"] == N_PARAGRAPHS
    assert sync_all(fresh) == (0, 0)
    doc = Document(sha256="a7" * 32, source_path="note.pdf", document_type="other", country="India",
                   country_code="IND", year=2019)
    with Store.open(fresh) as store:
        store.add_document(doc, [Paragraph(seq=0, text="Tribal communities lost their forest land", page=1)], [])
    # found without a manual sync
    assert search_paragraphs(fresh, "tribal").total == 1
    assert total(fresh, "*") == N_PARAGRAPHS + 1
    # re-tagging recommendations re-indexes no paragraph
    with Store.open(fresh) as store:
        rec = next(store.recommendations())
        store.set_tags([(rec.id, [Tag(family="esc_rights", label="food", source="model", score=0.5)])], "t9")
    recs, paras = sync_all(fresh)
    assert recs > 0 and paras == 0
    # a deleted document leaves the paragraph index; only the change is re-indexed
    with Store.open(fresh) as store:
        store.delete_document("e5" * 32)
    assert sync_all(fresh) == (0, 0)
    assert search_paragraphs(fresh, "evicted").total == 0
    assert total(fresh, "*") == N_PARAGRAPHS + 1 - len(OTHER_PARAGRAPHS)
    assert index_state(fresh, "paragraphs")["count"] == N_PARAGRAPHS + 1 - len(OTHER_PARAGRAPHS)


def test_incremental_sync_counts_only_the_new_document(fresh):
    doc = Document(sha256="b8" * 32, source_path="x.pdf", document_type="other", year=2020)
    with Store.open(fresh) as store:
        store.add_document(doc, [Paragraph(seq=i, text=f"Paragraph number {i} on water", page=1)
                                 for i in range(3)], [])
    assert sync_all(fresh) == (0, 3)
    assert sync_all(fresh, rebuild=True) == (9, N_PARAGRAPHS + 3)


def test_missing_or_corrupt_paragraph_index_is_rebuilt(fresh):
    shutil.rmtree(index_dir(fresh, "paragraphs"))
    assert search_paragraphs(fresh, "river").total == 1
    for path in index_dir(fresh, "paragraphs").iterdir():
        if path.name.endswith((".seg", ".toc")) or "_" in path.name:
            path.write_bytes(b"\x00garbage" * 10)
    assert search_paragraphs(fresh, "river").total == 1
    assert search(fresh, "housing").total == 2  # the recommendation index is untouched


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_paragraph_search(corpus):
    out = _run("search", '"informal settlements"', "--paragraphs", "--corpus", corpus, "--format", "json",
               "--facets")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"query", "total", "hits", "facets", "held_twice", "once", "did_you_mean"} and data["total"] == 2
    for key in ("symbol", "document_type", "country", "year", "page", "number", "heading", "text", "highlight"):
        assert key in data["hits"][0], key
    assert data["facets"]["kind"] == {"body": 1, "footnote": 1}
    table = _run("search", "river", "--paragraphs", "--corpus", corpus)
    assert table.exit_code == 0 and "1 paragraph matches" in table.output and "ngo-letter.pdf" in table.output
    rows = list(csv.DictReader(io.StringIO(_run("search", "water", "--paragraphs", "--corpus", corpus,
                                                "--format", "csv").output)))
    assert {r["number"] for r in rows} == {"12", "118.7"} and rows[0]["symbol"] == "A/HRC/28/15"
    bad = _run("search", "right:housing", "--paragraphs", "--corpus", corpus)
    assert bad.exit_code == 1 and "applies to recommendations only" in bad.output
    assert "Traceback" not in bad.output
    index = _run("index", "--rebuild", "--corpus", corpus)
    assert index.exit_code == 0 and f"9 recommendations, {N_PARAGRAPHS} paragraphs" in index.output


# -- real data: the PDFs of ../shared ingested once per run --------------------------------------


def test_every_paragraph_of_the_real_corpus_is_searchable(real_corpus):
    import re

    with Store.open(real_corpus) as store:
        n_stored = store.counts()["paragraphs"]
        rows = store.conn.execute(
            "SELECT p.id, p.text, d.document_type FROM paragraphs p JOIN documents d ON d.id = p.document_id "
            "WHERE p.kind = 'body' ORDER BY (d.document_type = 'other') DESC, p.id"
        ).fetchall()
    assert n_stored > 0
    assert search_paragraphs(real_corpus, "*", limit=1).total == n_stored
    checked = 0
    for pid, text, _dtype in rows:
        words = text.split()[:6]
        if len(words) < 6 or not all(re.fullmatch(r"[A-Za-z]{4,}", w) for w in words[2:5]):
            continue
        phrase = " ".join(words[2:5])
        assert pid in matching_ids(real_corpus, f'"{phrase}"', target="paragraphs"), phrase
        checked += 1
        if checked == 10:
            break
    assert checked == 10
