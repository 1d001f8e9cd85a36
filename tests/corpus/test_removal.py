"""Removing documents: what a name selects, and what the store gives back when a document goes."""

from __future__ import annotations

import pytest

from rightsindex.corpus.removal import remove, select
from rightsindex.corpus.store import Store
from rightsindex.errors import CorpusError
from rightsindex.records import FROM_EXPORT, Document, IngestFailure, Paragraph, Recommendation

REPORT = Document(sha256="a" * 64, source_path="reports/svn-2014.pdf", symbol="A/HRC/28/15",
                  document_type="upr_wg_report", body="UPR", country="Slovenia", country_code="SVN",
                  year=2014, cycle=2)
ADDENDUM = Document(sha256="b" * 64, source_path="reports/svn-2015-add1.pdf", symbol="A/HRC/28/15/Add.1",
                    document_type="upr_addendum", body="UPR", country="Slovenia", country_code="SVN",
                    year=2015, responds_to="A/HRC/28/15")
UPR_INFO = Document(sha256="c" * 64, source_path="upr-info:session-20:SVN", document_type="upr_info_import",
                    body="UPR", country="Slovenia", country_code="SVN", year=2014, session="20", cycle=2)
MALI = Document(sha256="d" * 64, source_path="other/mali.pdf", symbol="A/HRC/8/50",
                document_type="upr_wg_report", body="UPR", country="Mali", country_code="MLI", year=2008, cycle=1)

WATER = "Ensure access to safe drinking water and sanitation for Roma communities in all settlements"
ICESCR = "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights"
DEATH = "Abolish the death penalty in law and in practice, without any delay whatsoever"
REPORT_RECS = [
    Recommendation(text=WATER, paragraph="115.2", recommending_states=("Spain",), response="pending"),
    Recommendation(text=ICESCR, paragraph="115.1", recommending_states=("Portugal",), response="pending"),
    Recommendation(text=DEATH, paragraph="115.3", recommending_states=("Italy",), response="supported",
                   response_source="A/HRC/28/15"),
]
RESPONSES = [("A/HRC/28/15", "115.2", "noted", "under review"), ("A/HRC/28/15", "115.1", "supported")]
UPR_INFO_RECS = [
    Recommendation(text=WATER, recommending_states=("Spain",), response="supported",
                   response_source="UPR Info", source_symbol="uprinfo-1"),
]


def _responses(store: Store) -> dict[str, tuple]:
    return {s.recommendation.paragraph: (s.recommendation.response, s.recommendation.response_source,
                                         s.recommendation.response_comment)
            for s in store.recommendations() if s.document.document_type == "upr_wg_report"}


def test_removing_an_addendum_gives_the_report_its_own_responses_back(tmp_path):
    with Store.open(tmp_path / "never") as plain:
        plain.add_document(REPORT, [], REPORT_RECS)
        before = _responses(plain)
    with Store.open(tmp_path / "c") as store:
        store.add_document(REPORT, [], REPORT_RECS)
        store.add_document(ADDENDUM, [], [], RESPONSES)
        answered = _responses(store)
        assert answered["115.2"] == ("noted", "A/HRC/28/15/Add.1", "under review")
        removed = store.remove_documents(store.find_documents("A/HRC/28/15/Add.1"))
        assert [r["symbol"] for r in removed] == ["A/HRC/28/15/Add.1"]
        assert _responses(store) == before  # as if it had never been read
        assert store.conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 0
        store.add_document(ADDENDUM, [], [], RESPONSES)  # and read again, it answers again
        assert _responses(store) == answered


def test_removing_an_addendum_lets_upr_info_answer_again(tmp_path):
    with Store.open(tmp_path) as store:
        store.add_document(REPORT, [], REPORT_RECS)
        store.add_document(UPR_INFO, [], UPR_INFO_RECS)
        assert _responses(store)["115.2"] == ("supported", "UPR Info uprinfo-1", None)
        store.add_document(ADDENDUM, [], [], RESPONSES)
        assert _responses(store)["115.2"][:2] == ("noted", "A/HRC/28/15/Add.1")
        store.remove_documents(store.find_documents("a/hrc/28/15/add.1"))
        assert _responses(store)["115.2"] == ("supported", "UPR Info uprinfo-1", None)
        # and without UPR Info's rows, the report's own
        store.remove_documents(store.find_documents("upr-info:session-20:SVN"))
        assert _responses(store)["115.2"] == ("pending", None, None)
        assert all(s.duplicate_of is None for s in store.recommendations())


def test_an_imported_exports_responses_are_kept(tmp_path):
    exported = Document(sha256="e" * 64, source_path="export.csv", symbol="A/HRC/28/15",
                        document_type="upr_wg_report", country_code="SVN", cycle=2, flags=(FROM_EXPORT,))
    recs = [Recommendation(text=WATER, paragraph="115.2", response="noted", response_source="A/HRC/28/15/Add.1")]
    with Store.open(tmp_path) as store:
        store.add_document(exported, [], recs, responses_given=True)
        store.add_document(ADDENDUM, [], [], RESPONSES)
        store.remove_documents(store.find_documents("A/HRC/28/15/Add.1"))
        assert _responses(store)["115.2"][:2] == ("noted", "A/HRC/28/15/Add.1")


def _corpus(store: Store) -> None:
    store.add_document(REPORT, [Paragraph(seq=0, text="Introduction", page=1)], REPORT_RECS)
    store.add_document(ADDENDUM, [], [], RESPONSES)
    store.add_document(UPR_INFO, [], UPR_INFO_RECS)
    store.add_document(MALI, [], [Recommendation(text=DEATH, paragraph="1", recommending_states=("Italy",))])
    store.record_failure(IngestFailure(path="reports/scan.pdf", reason="no text layer", sha256="f" * 64))


@pytest.mark.parametrize("target, symbols", [
    ("a/hrc/28/15", ["A/HRC/28/15"]),  # a symbol, any case; not its addendum
    ("./reports/svn-2014.pdf", ["A/HRC/28/15"]),  # the path it was read from
    ("upr-info:session-20:SVN", [None]),
    ("dddddddd", ["A/HRC/8/50"]),  # a SHA-256's first digits
    ("A/HRC/99/1", []),
])
def test_select_by_name(tmp_path, target, symbols):
    with Store.open(tmp_path) as store:
        _corpus(store)
        sel = select(store, [target])
        assert [d["symbol"] for d in sel.documents.values()] == symbols
        assert sel.unmatched == ([] if symbols else [target])
        assert store.counts()["documents"] == 4  # selecting changes nothing


def test_select_a_folder_and_a_file_by_content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "renamed.pdf").write_bytes(b"%PDF-1.4 the same bytes")
    import hashlib

    digest = hashlib.sha256(b"%PDF-1.4 the same bytes").hexdigest()
    with Store.open(tmp_path / "corpus") as store:
        _corpus(store)
        store.add_document(Document(sha256=digest, source_path="elsewhere/original.pdf", symbol="A/HRC/1/1",
                                    document_type="other"), [], [])
        sel = select(store, ["reports"])
        assert sorted(d["symbol"] for d in sel.documents.values()) == ["A/HRC/28/15", "A/HRC/28/15/Add.1"]
        assert sel.failures == ["reports/scan.pdf"]
        assert [d["symbol"] for d in select(store, ["renamed.pdf"]).documents.values()] == ["A/HRC/1/1"]


def test_select_by_type_and_country(tmp_path):
    with Store.open(tmp_path) as store:
        _corpus(store)
        assert [d["source_path"] for d in select(store, types=["upr_info_import"]).documents.values()] == [
            "upr-info:session-20:SVN"]
        assert [d["symbol"] for d in select(store, countries=["mali"]).documents.values()] == ["A/HRC/8/50"]
        both = select(store, ["reports"], types=["upr_addendum"])
        assert [d["symbol"] for d in both.documents.values()] == ["A/HRC/28/15/Add.1"]
        nothing = select(store, countries=["KEN"])
        assert not nothing and nothing.unmatched == ["--country KEN"]
        with pytest.raises(CorpusError, match="name documents"):
            select(store, [])


def test_remove_takes_out_everything_read_from_a_document_and_its_failure(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    with Store.open(tmp_path / "corpus") as store:
        _corpus(store)
        generation = store.generation
        removed = remove(store, select(store, ["reports"]))
        assert [(r["symbol"], r["recommendations"], r["paragraphs"]) for r in removed] == [
            ("A/HRC/28/15", 3, 1), ("A/HRC/28/15/Add.1", 0, 0)]
        counts = store.counts()
        assert (counts["documents"], counts["recommendations"], counts["paragraphs"], counts["failures"]) == (
            2, 2, 0, 0)
        assert store.conn.execute("SELECT COUNT(*) FROM tags t LEFT JOIN recommendations r "
                                  "ON r.id = t.recommendation_id WHERE r.id IS NULL").fetchone()[0] == 0
        assert store.generation > generation  # the index sees the change
        assert store.remove_documents([]) == []


def test_an_empty_name_names_nothing_not_the_whole_corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store.open(tmp_path / "corpus") as store:
        _corpus(store)
        for empty in ("", "  "):
            sel = select(store, [empty])
            assert not sel and sel.unmatched == [repr(empty)]


def test_a_folder_names_the_files_read_from_under_it_not_upr_info_rows(tmp_path, monkeypatch):
    (tmp_path / "reports").mkdir()
    monkeypatch.chdir(tmp_path)
    with Store.open(tmp_path / "corpus") as store:
        _corpus(store)
        files = ["A/HRC/28/15", "A/HRC/28/15/Add.1", "A/HRC/8/50"]
        assert sorted(d["symbol"] for d in select(store, ["."]).documents.values()) == files
        for folder in ("./reports/", str(tmp_path / "reports") + "/", "reports/../reports"):
            named = select(store, [folder]).documents.values()
            assert sorted(d["symbol"] for d in named) == files[:2], folder
        gone = str(tmp_path / "other/mali.pdf")  # a file gone from the disk, named by its absolute path
        assert [d["symbol"] for d in select(store, [gone]).documents.values()] == ["A/HRC/8/50"]


def test_upr_info_rows_are_named_by_the_states_name_or_code_in_any_case(tmp_path):
    kenya = Document(sha256="9" * 64, source_path="upr-info:session-8:Kenya", document_type="upr_info_import",
                     country="Kenya", country_code="KEN", session="8", cycle=1)
    with Store.open(tmp_path) as store:
        store.add_document(kenya, [], [])
        for name in ("upr-info:session-8:Kenya", "upr-info:session-8:KEN", "UPR-Info:Session-8:kenya"):
            assert [d["source_path"] for d in select(store, [name]).documents.values()] == [
                "upr-info:session-8:Kenya"], name
        assert select(store, ["upr-info:session-9:KEN"]).unmatched == ["upr-info:session-9:KEN"]


def test_the_search_index_follows_what_a_removal_gives_back_to_other_documents(tmp_path):
    """UPR Info's copy of a report's recommendation is found by the report's response: removing the
    addendum that gave it changes what finds the copy, though the copy's own rows did not change."""
    from rightsindex.search import search, sync_index

    with Store.open(tmp_path) as store:
        store.add_document(REPORT, [], REPORT_RECS)
        store.add_document(UPR_INFO, [], [UPR_INFO_RECS[0].replace(issues=("Right to water",))])
        store.add_document(ADDENDUM, [], [], RESPONSES)
    sync_index(tmp_path)
    assert search(tmp_path, "issue:\"right to water\" type:upr_wg_report").total == 1
    assert search(tmp_path, "response:noted type:upr_info_import").total == 1  # the addendum's "noted"
    with Store.open(tmp_path) as store:
        store.remove_documents(store.find_documents("A/HRC/28/15/Add.1"))
    sync_index(tmp_path)
    assert search(tmp_path, "response:noted type:upr_info_import").total == 0
    assert search(tmp_path, "response:supported type:upr_info_import").total == 1
    with Store.open(tmp_path) as store:
        store.add_document(ADDENDUM, [], [], RESPONSES)
    sync_index(tmp_path)
    with Store.open(tmp_path) as store:  # the report's row keeps the addendum's response, and loses
        store.remove_documents(store.find_documents("upr-info:session-20:SVN"))  # UPR Info's issues
    sync_index(tmp_path)
    assert search(tmp_path, "issue:\"right to water\"").total == 0


def test_a_store_from_before_gives_the_report_pending_back(tmp_path):
    """A store made before an addendum's answer kept the report's own response: opening it
    upgrades the answered rows to remember "pending", so removing the addendum gives that back."""
    with Store.open(tmp_path) as store:
        store.add_document(REPORT, [], REPORT_RECS)
        store.add_document(ADDENDUM, [], [], RESPONSES)
        store.conn.execute("UPDATE recommendations SET response_before = NULL")
        store.conn.execute("DELETE FROM meta WHERE key = 'answered_keep_before'")
        store.conn.commit()
    with Store.open(tmp_path) as store:
        store.remove_documents(store.find_documents("A/HRC/28/15/Add.1"))
        assert _responses(store) == {"115.2": ("pending", None, None), "115.1": ("pending", None, None),
                                     "115.3": ("supported", "A/HRC/28/15", None)}
