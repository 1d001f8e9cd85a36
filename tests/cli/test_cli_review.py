"""'rightsindex review': a reader corrects tags; the corrections hold for every copy of the text,
survive tagging again, reach search and exports, and can be exported to train and evaluate."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rightsindex.cli import main
from rightsindex.corpus.store import Store, review_key
from rightsindex.nlp.tagging import REVIEWED, apply_reviews
from rightsindex.records import Document, Recommendation, Tag

EVICTIONS = "Put an end to forced evictions of Roma families"
RECS = [
    Recommendation(text=EVICTIONS, paragraph="115.1"),
    Recommendation(text="Continue its efforts to combat corruption", paragraph="115.2"),
    Recommendation(text="Introduce progressive taxation to fund social security", paragraph="115.3"),
]


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "corpus"
    with Store.open(path) as store:
        store.add_document(Document(sha256="a" * 64, source_path="r.pdf", symbol="A/HRC/1/1",
                                    document_type="upr_wg_report"), [], RECS)
        # the same words in another document, written a little differently
        store.add_document(Document(sha256="b" * 64, source_path="upr-info:session-1:X",
                                    document_type="upr_info_import"), [],
                           [Recommendation(text="put an end to forced evictions of Roma families.")])
    assert run("tag", "--corpus", path).exit_code == 0
    return path


def _labels(corpus, family="esc_rights"):
    with Store.open(corpus) as store:
        return {s.id: sorted((t.label, t.source) for t in s.tags if t.family == family)
                for s in store.recommendations()}


def _hits(corpus, query):
    return json.loads(run("search", query, "--format", "json", "--corpus", corpus).output)["total"]


def test_a_review_corrects_every_copy_of_the_text_and_search_follows(corpus):
    before = _labels(corpus)
    assert before[1] == [("housing", "both")] and before[4] == [("housing", "both")]
    assert _hits(corpus, "right:health") == 0
    result = run("review", 1, "--add", "right:health", "--remove", "right:housing", "--note", "Roma health",
                 "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "(also reviewed: 1 other recommendation(s) with the same text: 4)" in result.output
    assert "esc_rights: health (reviewed, score 1.00)" in result.output
    assert "not esc_rights: housing (reviewed" in result.output and "Roma health" in result.output
    after = _labels(corpus)
    assert after[1] == after[4] == [("health", REVIEWED)]
    assert after[2] == before[2] and after[3] == before[3]  # other texts untouched
    assert _hits(corpus, "right:health") == 2 and _hits(corpus, "right:housing") == 0
    # tagging again, all of it, keeps the reader's word; undoing gives the model's back
    assert run("tag", "--all", "--corpus", corpus).exit_code == 0
    assert _labels(corpus)[1] == [("health", REVIEWED)]
    undone = run("review", 4, "--undo", "right:health", "--undo", "housing".join(["right:", ""]), "--corpus", corpus)
    assert undone.exit_code == 0, undone.output
    assert _labels(corpus) == before and _hits(corpus, "right:health") == 0


def test_the_other_copies_a_review_reached_are_said_under_its_recommendation(corpus):
    """Reviewing two IDs at once printed "(and 1 other recommendation(s) ...)" above the
    recommendation it was about, so that it read as the end of the previous one's block."""
    result = run("review", 2, 1, "--add", "right:health", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    blocks = result.output.split("\n[")
    assert len(blocks) == 2 and blocks[1].startswith("1] ")
    assert "same text" not in blocks[0]
    assert "(also reviewed: 1 other recommendation(s) with the same text: 4)" in blocks[1]


def test_a_review_holds_for_a_text_read_later(corpus):
    assert run("review", 2, "--add", "fiscal:budget_allocation", "--corpus", corpus).exit_code == 0
    with Store.open(corpus) as store:
        store.add_document(Document(sha256="c" * 64, source_path="later.pdf", symbol="A/HRC/2/2",
                                    document_type="upr_wg_report"), [],
                           [Recommendation(text="Continue its efforts to combat corruption;")])
    assert run("tag", "--corpus", corpus).exit_code == 0
    fiscal = _labels(corpus, "fiscal")
    assert ("budget_allocation", REVIEWED) in fiscal[5] and fiscal[5] == fiscal[2]


def test_list_and_export_for_training_and_evaluation(corpus, tmp_path):
    run("review", 1, "--remove", "right:housing", "--add", "group:minorities", "--corpus", corpus)
    run("review", 3, "--add", "fiscal:taxation", "--corpus", corpus)
    listed = run("review", "--list", "--corpus", corpus)
    assert listed.exit_code == 0
    assert "reviews:          3 label(s) of 2 text(s)" in run("status", "--corpus", corpus).output
    assert "not esc_rights: housing" in listed.output and "3 review(s) of 2 text(s)" in listed.output
    assert "[2 stored]" in listed.output  # the evictions text is stored twice
    rows = [json.loads(line) for line in run("review", "--list", "--format", "jsonl", "--corpus", corpus)
            .output.splitlines()]
    assert {(r["family"], r["label"], r["verdict"]) for r in rows} == {
        ("esc_rights", "housing", False), ("groups", "minorities", True), ("fiscal", "taxation", True)}
    out = tmp_path / "reviews.jsonl"
    result = run("review", "--export", out, "--corpus", corpus)
    assert result.exit_code == 0 and "2 reviewed text(s)" in result.output
    examples = {e["text"]: e for e in map(json.loads, out.read_text().splitlines())}
    evictions = examples[EVICTIONS]
    assert evictions["esc_rights"] == [] and "minorities" in evictions["groups"]
    assert evictions["reviewed"] == {"esc_rights:housing": False, "groups:minorities": True}
    assert "taxation" in examples[RECS[2].text]["fiscal"]
    # the annotations' form: evaluate reads it as gold
    scored = run("evaluate", "--gold", out, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.output[scored.output.index("{"):])["esc_rights"]["labels"]["housing"]["support"] == 0


def test_bad_reviews_are_one_line_errors(corpus):
    for args, message in [
        ((), "give recommendation IDs"),
        (("--add", "right:health"), "need the IDs"),
        ((1, "--add", "right:hosing"), "unknown right 'hosing'; did you mean housing?"),
        ((1, "--add", "housing"), "'housing' is not a label"),
        ((1, "--add", "right:health", "--remove", "right:health"), "both added and removed"),
        ((1, "--note", "why"), "--note goes with"),
    ]:
        result = run("review", *args, "--corpus", corpus)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    missing = run("review", 1, 999, "--add", "right:health", "--corpus", corpus)
    assert missing.exit_code == 1 and "no recommendation with id 999" in missing.output
    assert ("health", REVIEWED) in _labels(corpus)[1]  # the good one is done
    shown = run("review", 3, "--corpus", corpus)  # IDs alone: their tags
    assert shown.exit_code == 0 and "taxation" in shown.output


def test_apply_reviews():
    tags = [Tag("esc_rights", "housing", "both", 0.9, ("forced evictions",)),
            Tag("esc_rights", "health", REVIEWED, 1.0), Tag("fiscal", "taxation", "model", 0.7)]
    out = apply_reviews(tags, {("esc_rights", "housing"): True, ("fiscal", "taxation"): False,
                               ("groups", "minorities"): True})
    assert [(t.label, t.source, t.evidence) for t in out] == [
        ("housing", REVIEWED, ("forced evictions",)), ("minorities", REVIEWED, ())]  # health's review is gone
    assert review_key("Put an end to “forced” evictions.") == review_key("put an end to \"forced\"  evictions")


def test_an_export_carries_the_readers_labels_into_another_corpus(corpus, tmp_path):
    run("review", 2, "--add", "fiscal:budget_allocation", "--remove", "fiscal:corruption", "--corpus", corpus)
    exported = tmp_path / "all.jsonl"
    assert run("export", "--format", "jsonl", "--output", exported, "--corpus", corpus).exit_code == 0
    other = tmp_path / "other"
    result = run("import", exported, "--corpus", other)
    assert result.exit_code == 0, result.output
    assert run("tag", "--all", "--corpus", other).exit_code == 0
    fiscal = {text: labels for text, labels in _texts_labels(other, "fiscal").items()}
    assert ("budget_allocation", REVIEWED) in fiscal[RECS[1].text]
    listed = run("review", "--list", "--format", "jsonl", "--corpus", other).output.splitlines()
    assert [(r["label"], r["verdict"]) for r in map(json.loads, listed)] == [("budget_allocation", True)]


def _texts_labels(corpus, family):
    with Store.open(corpus) as store:
        return {s.recommendation.text: sorted((t.label, t.source) for t in s.tags if t.family == family)
                for s in store.recommendations()}


def test_undoing_a_label_the_reader_added_gives_back_the_models_tag_of_it(corpus):
    before = _labels(corpus)
    assert before[1] == [("housing", "both")]
    assert run("review", 1, "--add", "right:housing", "--corpus", corpus).exit_code == 0  # the reader agrees
    assert _labels(corpus)[1] == [("housing", REVIEWED)]
    assert run("review", 1, "--undo", "right:housing", "--corpus", corpus).exit_code == 0
    assert _labels(corpus) == before and _hits(corpus, "right:housing") == 2


def test_a_label_added_or_removed_and_undone_at_once_is_an_error(corpus):
    before = _labels(corpus)
    for verdict in ("--add", "--remove"):
        result = run("review", 1, verdict, "right:health", "--undo", "right:health", "--corpus", corpus)
        assert result.exit_code == 1 and "give it once" in result.output, result.output
    assert _labels(corpus) == before
    with Store.open(corpus) as store:
        assert store.review_rows() == []


def test_an_imported_exports_labels_reach_the_copies_of_the_text_already_stored(corpus, tmp_path):
    other = tmp_path / "other"
    with Store.open(other) as store:  # the report alone, tagged
        store.add_document(Document(sha256="a" * 64, source_path="r.pdf", symbol="A/HRC/1/1",
                                    document_type="upr_wg_report"), [], RECS)
    assert run("tag", "--corpus", other).exit_code == 0
    assert run("review", 4, "--add", "right:health", "--corpus", corpus).exit_code == 0
    exported = tmp_path / "upr-info.jsonl"  # UPR Info's copy, with the reader's label
    assert run("export", "-q", "type:upr_info_import", "-o", exported, "--corpus", corpus).exit_code == 0
    assert run("import", exported, "--corpus", other).exit_code == 0
    with Store.open(other) as store:
        copies = [{(t.label, t.source) for t in s.tags if t.family == "esc_rights"}
                  for s in store.recommendations()
                  if review_key(s.recommendation.text) == review_key(EVICTIONS)]
        assert len(copies) == 2 and all(("health", REVIEWED) in c for c in copies)
        assert [r["recommendations"] for r in store.review_rows()] == [2]
    assert _hits(other, "right:health") == 2


def test_an_id_given_twice_is_reviewed_and_shown_once(corpus):
    result = run("review", 3, 3, "--add", "fiscal:budget_allocation", "--corpus", corpus)
    assert result.exit_code == 0 and result.output.count("[3] A/HRC/1/1") == 1


def test_a_colleagues_reviews_are_imported_with_their_verdicts_and_notes(corpus, tmp_path):
    run("review", 1, "--remove", "right:housing", "--add", "right:health", "--note", "Roma health", "--corpus", corpus)
    shared = tmp_path / "reviews.jsonl"
    assert run("review", "--export", shared, "--corpus", corpus).exit_code == 0
    other = tmp_path / "other"
    with Store.open(other) as store:
        store.add_document(Document(sha256="d" * 64, source_path="o.pdf", symbol="A/HRC/3/3",
                                    document_type="upr_wg_report"), [], [Recommendation(text=EVICTIONS)])
    assert run("tag", "--corpus", other).exit_code == 0
    assert _labels(other)[1] == [("housing", "both")]
    result = run("review", "--import", shared, "--corpus", other)
    assert result.exit_code == 0, result.output
    assert "Imported 2 review(s) of 1 text(s)" in result.output and "1 stored recommendation(s) changed" in result.output
    # the same file again changes nothing (it said "1 stored recommendation(s) changed" each time:
    # the reviewed tag read back has the model's version, the one made again had none)
    again = run("review", "--import", shared, "--corpus", other)
    assert again.exit_code == 0 and "0 stored recommendation(s) changed" in again.output, again.output
    assert _labels(other)[1] == [("health", REVIEWED)]  # the "not housing" came too
    assert _hits(other, "right:health") == 1 and _hits(other, "right:housing") == 0
    listed = [json.loads(line) for line in run("review", "--list", "--format", "jsonl", "--corpus", other)
              .output.splitlines()]
    assert {(r["label"], r["verdict"], r["note"]) for r in listed} == {
        ("health", True, "Roma health"), ("housing", False, "Roma health")}
    # a file that is not one: one line naming file and line, nothing recorded
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Adopt a housing strategy", "reviewed": {"esc_rights:hosing": true}}\n')
    refused = run("review", "--import", bad, "--corpus", other)
    assert refused.exit_code == 1 and f"{bad}:1: 'esc_rights:hosing' is not a label" in refused.output
    bad.write_text('{"text": "Adopt a housing strategy", "esc_rights": ["housing"]}\n')
    assert "needs 'reviewed'" in run("review", "--import", bad, "--corpus", other).output
    assert len(listed) == 2 == len(run("review", "--list", "--format", "jsonl", "--corpus", other)
                                   .output.splitlines())
