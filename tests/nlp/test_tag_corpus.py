"""Tagging a store: only untagged recommendations unless retag, version recorded, explain."""

from __future__ import annotations

from rightsindex.corpus.store import Store
from rightsindex.nlp import explain, load_model, tag_corpus
from rightsindex.records import Document, Recommendation

RECS = [
    Recommendation(text="Put an end to forced evictions of Roma families", paragraph="115.1"),
    Recommendation(text="Continue its efforts to combat corruption", paragraph="115.2"),
    Recommendation(text="Introduce progressive taxation to fund social security", paragraph="115.3"),
]


def _store(path):
    store = Store(path)
    store.add_document(Document(sha256="a" * 64, source_path="r.pdf", symbol="A/HRC/1/1",
                                document_type="upr_wg_report"), [], RECS)
    return store


def test_tag_corpus_tags_untagged_once_and_retags_on_request(tmp_path, small_model_file):
    model = load_model(small_model_file)
    store = _store(tmp_path)
    try:
        seen = []
        assert tag_corpus(store, model=model, progress=lambda d, t: seen.append((d, t))) == 3
        assert seen[0] == (0, 3) and seen[-1] == (3, 3)
        assert tag_corpus(store, model=model) == 0
        assert tag_corpus(store, model=model, retag=True) == 3
        stored = list(store.recommendations())
        assert all(t.model_version == model.version for s in stored for t in s.tags)
        first = {(t.family, t.label): t for t in stored[0].tags}
        assert ("esc_rights", "housing") in first
        assert "forced evictions" in first[("esc_rights", "housing")].evidence
        assert ("groups", "minorities") in first
        info = explain(store, stored[0].id)
        assert info["text"] == RECS[0].text and info["paragraph"] == "115.1"
        assert any(t["label"] == "housing" and t["evidence"] for t in info["tags"])
        assert explain(store, 9999) is None
    finally:
        store.close()
