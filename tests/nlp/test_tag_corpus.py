"""Tagging a store: only untagged recommendations unless retag, version recorded, explain."""

from __future__ import annotations

from rightsindex.corpus.store import Store
from rightsindex.nlp import explain, load_model, tag_corpus
from rightsindex.nlp.lexicon import get_lexicon
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


def test_explain_lists_rights_named_but_not_tagged_by_the_same_model():
    from rightsindex.nlp import tag_texts
    from rightsindex.nlp.tagging import named_not_tagged

    model = load_model()
    text = "Improve the living conditions of Roma and ensure access to housing and health care"
    tags = tag_texts([text], model=model)[0]
    tagged = {(t.family, t.label) for t in tags}
    rest = named_not_tagged(text, tags, model=model)
    named = {(d["family"], d["label"]) for d in rest}
    assert not named & tagged  # each label is either tagged or listed here, never both
    lexicon = get_lexicon().analyse([text])[0].matches
    assert named | {k for k in tagged if k in lexicon} == set(lexicon) - {
        k for k in lexicon if k[0] not in model.heads}
    # with every label it names already tagged, nothing is left to list
    assert named_not_tagged("Stop forced evictions", tag_texts(["Stop forced evictions"], model=model)[0],
                            model=model) == []
