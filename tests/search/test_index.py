"""The index follows the store: stale, missing and corrupt indexes are detected and rebuilt."""

from __future__ import annotations

import shutil

import pytest

from hand_corpus import build
from rightsindex.corpus.store import Store
from rightsindex.errors import CorpusError
from rightsindex.records import Document, Recommendation, Tag
from rightsindex.search import search, sync_index
from rightsindex.search.index import index_dir, index_state


@pytest.fixture()
def corpus(tmp_path):
    folder = build(tmp_path / "corpus")
    sync_index(folder)
    return folder


def _generation(folder):
    with Store.open(folder) as store:
        return store.generation


def test_sync_records_the_store_generation_and_is_a_no_op_when_current(corpus):
    state = index_state(corpus)
    assert state["generation"] == _generation(corpus) and state["count"] == 8
    assert sync_index(corpus) == 0


def test_a_new_document_is_found_without_a_manual_sync(corpus):
    doc = Document(sha256="d4" * 32, source_path="ind.pdf", symbol="A/HRC/21/10", document_type="upr_wg_report",
                   body="UPR", country="India", country_code="IND", year=2012)
    with Store.open(corpus) as store:
        store.add_document(doc, [], [Recommendation(text="Ensure the right to food for tribal communities")])
    assert search(corpus, "tribal").total == 1
    assert search(corpus, "*").total == 9
    assert index_state(corpus)["generation"] == _generation(corpus)


def test_incremental_update_touches_only_the_changed_document(corpus):
    with Store.open(corpus) as store:
        stored = next(s for s in store.recommendations() if "drinking water" in s.recommendation.text)
        store.set_tags([(stored.id, [Tag(family="esc_rights", label="health", source="model", score=0.6)])], "t2")
        doc_size = sum(1 for s in store.recommendations() if s.document.sha256 == stored.document.sha256)
    assert sync_index(corpus) == doc_size == 3  # only the CESCR document was re-indexed
    assert stored.id in {h["id"] for h in search(corpus, "right:health").hits}
    assert search(corpus, "right:water_sanitation").total == 0
    assert search(corpus, "*").total == 8


def test_deleted_document_leaves_the_index(corpus):
    with Store.open(corpus) as store:
        store.delete_document("c3" * 32)  # Brazil
    assert search(corpus, "country:BRA").total == 0
    assert search(corpus, "*", facets=True).facets["country"] == {"KEN": 3, "SVN": 3}


def test_missing_index_is_rebuilt(corpus):
    shutil.rmtree(index_dir(corpus))
    assert search(corpus, "housing").total == 2


def test_corrupt_index_is_rebuilt(corpus):
    for path in index_dir(corpus).iterdir():
        if path.name.endswith((".seg", ".toc")) or "_" in path.name:
            path.write_bytes(b"\x00garbage" * 10)
    assert search(corpus, "housing").total == 2
    assert sync_index(corpus) == 0


def test_index_from_another_corpus_state_is_not_trusted(corpus, tmp_path):
    # an index whose state file claims the current generation but holds fewer documents
    other = build(tmp_path / "other")
    with Store.open(other) as store:
        store.delete_document("a1" * 32)
    sync_index(other)
    shutil.rmtree(index_dir(corpus))
    shutil.copytree(index_dir(other), index_dir(corpus))
    state_file = index_dir(corpus) / "rightsindex.json"
    import json

    state = json.loads(state_file.read_text())
    state["generation"] = _generation(corpus)
    state_file.write_text(json.dumps(state))
    assert search(corpus, "country:KEN").total == 3


def test_rebuild_reindexes_everything(corpus):
    assert sync_index(corpus, rebuild=True) == 8


def test_no_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="no corpus here"):
        sync_index(tmp_path / "nothing")
    with pytest.raises(CorpusError, match="no corpus here"):
        search(tmp_path / "nothing", "housing")


def test_an_empty_corpus_searches_to_nothing(tmp_path):
    Store(tmp_path / "empty").close()
    result = search(tmp_path / "empty", "housing", facets=True, sort="date")
    assert result.total == 0 and result.hits == [] and result.facets["country"] == {}


def test_untagged_corpus_without_responses_counts_facets(tmp_path):
    # no document writes a right, fiscal label, group or response: empty columns must still read
    doc = Document(sha256="e9" * 32, source_path="x.pdf", symbol="A/HRC/1/1", document_type="upr_wg_report",
                   body="UPR", country="Chad", country_code="TCD", year=2009)
    with Store.open(tmp_path / "c") as store:
        store.add_document(doc, [], [Recommendation(text="Abolish the death penalty"),
                                     Recommendation(text="Ratify the convention against torture")])
    result = search(tmp_path / "c", "*", facets=["right", "fiscal", "group", "response", "cycle", "country"])
    assert result.total == 2 and result.facets["country"] == {"TCD": 2}
    # nothing tagged, no response known: every match is counted under "(none)"
    assert result.facets["right"] == {"(none)": 2} and result.facets["response"] == {"(none)": 2}
    assert result.facets["cycle"] == {"(none)": 2}


@pytest.mark.parametrize("phrase", [True, False])
def test_fast_field_indexing_equals_whoosh_analyzer_chain(phrase):
    """Our Text/Keyword fields index exactly like Whoosh's TEXT/KEYWORD with the same analyzer."""
    from whoosh import fields

    from rightsindex.search.index import Keyword, Text, text_analyzer

    texts = [
        "The Committee urges the State party to end forced evictions of women and children.",
        "a b c I the", "", "U.S. programmes' 3.5 per cent; labour-market women's centres",
        "Ensure access to adequate housing for women living in informal settlements " * 3,
        "Égalité des femmes et des hommes — право на жилище",
    ]
    ours, theirs = Text(analyzer=text_analyzer(), phrase=phrase), fields.TEXT(analyzer=text_analyzer(), phrase=phrase)
    for text in texts:
        assert sorted(ours.index(text)) == sorted(theirs.index(text)), text
    kw = Keyword(lowercase=True, commas=True, scorable=False)
    ref = fields.KEYWORD(lowercase=True, commas=True, scorable=False)
    for value in ("KEN,kenya", "Venezuela (Bolivarian Republic of),VEN,ven", "a"):
        assert sorted(kw.index(value)) == sorted(ref.index(value)), value


def test_an_index_with_deletions_is_read_without_a_rebuild(tmp_path):
    """A segment with deleted documents (left by an incremental update) must be read as it is:
    reading it once raised AttributeError, which the search's retry turned into a full rebuild."""
    from whoosh import index as whoosh_index
    from whoosh import query as wq
    from whoosh.writing import NO_MERGE

    from rightsindex.search import search
    from rightsindex.search.engine import Engine

    corpus = tmp_path / "c"
    with Store.open(corpus) as store:
        for i, country in enumerate(("Chad", "Mali", "Peru")):
            store.add_document(Document(sha256=f"{i:02d}" * 32, source_path=f"{i}.pdf", symbol=f"A/HRC/1/{i}",
                                        document_type="upr_wg_report", body="UPR", country=country, year=2009),
                               [], [Recommendation(text=f"Abolish the death penalty in {country}")])
    assert search(corpus, "death").total == 3
    ix = whoosh_index.open_dir(str(corpus / "index"))
    with ix.searcher() as searcher:
        first_doc = next(iter(searcher.lexicon("doc"))).decode()
    writer = ix.writer()
    writer.delete_by_term("doc", first_doc)
    writer.commit(mergetype=NO_MERGE)
    with ix.searcher() as searcher:
        assert any(r.has_deletions() for r, _ in searcher.reader().leaf_readers())
        engine = Engine(searcher, frozenset())
        assert len(engine.deleted) == 1
        assert len(engine.docnums(wq.Every())) == 2
        assert len(engine.postings("text", "death")[0]) == 2
