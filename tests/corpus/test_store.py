"""The SQLite store: idempotence, replacement, transactions, response linking, failures."""

from __future__ import annotations

import sqlite3

import pytest

from rightsindex.corpus.store import SCHEMA_VERSION, Store
from rightsindex.errors import CorpusError, SchemaVersionError
from rightsindex.records import Document, IngestFailure, Paragraph, Recommendation, Tag


def _report(sha: str = "a" * 64, path: str = "report.pdf") -> Document:
    return Document(sha256=sha, source_path=path, symbol="A/HRC/28/15", document_type="upr_wg_report",
                    body="UPR", country="Slovenia", country_code="SVN", year=2014, cycle=2, pages=25)


def _addendum() -> Document:
    return Document(sha256="b" * 64, source_path="add1.pdf", symbol="A/HRC/28/15/Add.1",
                    document_type="upr_addendum", body="UPR", country_code="SVN", year=2015,
                    responds_to="A/HRC/28/15")


RECS = [
    Recommendation(text="Ratify the Optional Protocol to ICESCR", paragraph="115.1", page=14,
                   recommending_states=("Portugal", "Slovakia"), recommending_codes=("PRT", "SVK")),
    Recommendation(text="Ensure access to water for Roma", paragraph="115.2", page=14,
                   recommending_states=("Spain",), recommending_codes=("ESP",)),
]
RESPONSES = [("A/HRC/28/15", "115.1", "supported"), ("A/HRC/28/15", "115.2", "noted")]


def test_add_is_idempotent_and_round_trips(tmp_path):
    with Store.open(tmp_path) as store:
        assert store.add_document(_report(), [Paragraph(seq=0, text="Intro", page=1)], RECS) == "added"
        assert store.add_document(_report(), [], RECS) == "skipped"
        stored = list(store.recommendations())
        assert [s.recommendation.paragraph for s in stored] == ["115.1", "115.2"]
        assert stored[0].recommendation.recommending_states == ("Portugal", "Slovakia")
        assert stored[0].document.country_code == "SVN"
        assert store.counts()["recommendations"] == 2
        assert store.counts()["paragraphs"] == 1


def test_changed_file_at_same_path_replaces_its_records(tmp_path):
    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], RECS)
        assert store.add_document(_report(sha="c" * 64), [], RECS[:1]) == "replaced"
        assert store.counts()["documents"] == 1
        assert store.count_recommendations() == 1


@pytest.mark.parametrize("order", ["report_first", "addendum_first"])
def test_responses_link_in_either_order(tmp_path, order):
    with Store.open(tmp_path) as store:
        if order == "report_first":
            store.add_document(_report(), [], RECS)
            store.add_document(_addendum(), [], [], RESPONSES)
        else:
            store.add_document(_addendum(), [], [], RESPONSES)
            store.add_document(_report(), [], RECS)
        got = {s.recommendation.paragraph: (s.recommendation.response, s.recommendation.response_source)
               for s in store.recommendations()}
        assert got == {"115.1": ("supported", "A/HRC/28/15/Add.1"), "115.2": ("noted", "A/HRC/28/15/Add.1")}


def test_failed_transaction_leaves_nothing(tmp_path):
    bad = [RECS[0], Recommendation(text=None)]  # type: ignore[arg-type]  # NOT NULL violation mid-document
    with Store.open(tmp_path) as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.add_document(_report(), [], bad)
        assert store.counts()["documents"] == 0
        assert store.count_recommendations() == 0


def test_tags_are_replaced_and_untagged_tracked(tmp_path):
    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], RECS)
        ids = [s.id for s in store.recommendations()]
        assert len(list(store.recommendations(untagged_for="v1"))) == 2
        tag = Tag(family="esc_rights", label="water_sanitation", source="lexicon", score=1.0, evidence=("water",))
        store.set_tags([(ids[1], [tag])], "v1")
        assert [s.id for s in store.recommendations(untagged_for="v1")] == [ids[0]]
        row = store.get_recommendation(ids[1]).to_row()
        assert row["esc_rights"] == ["water_sanitation"]
        store.set_tags([(ids[1], [])], "v1")
        assert store.get_recommendation(ids[1]).tags == ()


def test_failures_recorded_and_cleared_by_success(tmp_path):
    with Store.open(tmp_path) as store:
        store.record_failure(IngestFailure(path="report.pdf", reason="corrupted"))
        store.record_failure(IngestFailure(path="report.pdf", reason="corrupted again"))
        assert [f.reason for f in store.failures()] == ["corrupted again"]
        store.add_document(_report(), [], RECS)
        assert store.failures() == []


def test_generation_moves_on_every_write(tmp_path):
    with Store.open(tmp_path) as store:
        g0 = store.generation
        store.add_document(_report(), [], RECS)
        assert store.generation > g0


def test_missing_corpus_and_newer_schema_are_clear(tmp_path):
    with pytest.raises(CorpusError, match="no corpus here"):
        Store(tmp_path / "nowhere", create=False)
    with Store.open(tmp_path) as store:
        store.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(SchemaVersionError, match="newer"):
        Store(tmp_path)


def test_not_a_store(tmp_path):
    (tmp_path / "corpus.sqlite").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CorpusError, match="not a rightsindex store"):
        Store(tmp_path)


def test_another_programs_sqlite_database_is_not_written_into(tmp_path):
    conn = sqlite3.connect(tmp_path / "corpus.sqlite")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.commit()
    conn.close()
    with pytest.raises(CorpusError, match="an SQLite database but not a rightsindex store .its tables: invoices"):
        Store(tmp_path)
    conn = sqlite3.connect(tmp_path / "corpus.sqlite")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert tables == {"invoices"}


def test_an_addendum_answers_recommendations_left_pending_but_not_stated_ones(tmp_path):
    recs = [RECS[0].replace(response="pending"), RECS[1].replace(response="supported", response_source="A/HRC/28/15")]
    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], recs)
        store.add_document(_addendum(), [], [], [("A/HRC/28/15", "115.1", "noted"), ("A/HRC/28/15", "115.2", "noted")])
        got = {s.recommendation.paragraph: s.recommendation.response for s in store.recommendations()}
    assert got == {"115.1": "noted", "115.2": "supported"}


def test_a_schema_1_store_gains_the_response_comment_columns(tmp_path):
    """A corpus made before the State's comments were kept opens, gains the columns, keeps its rows."""
    import sqlite3

    from rightsindex.corpus import store as store_mod

    import re

    old = store_mod._SCHEMA.replace(",\n    comment TEXT", "")
    old = re.sub(r",\n    response_comment TEXT.*?response_before TEXT", "", old, flags=re.S)
    assert "response_comment" not in old and "comment TEXT" not in old and "duplicate_of" not in old
    assert "recommending_as_written" not in old and "response_before" not in old
    folder = tmp_path / "c"
    folder.mkdir()
    conn = sqlite3.connect(folder / store_mod.STORE_FILE)
    conn.executescript(old)
    conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO documents(sha256, source_path, symbol, document_type) "
                 "VALUES ('a', 'a.pdf', 'A/HRC/1/1', 'upr_wg_report')")
    conn.execute("INSERT INTO recommendations(document_id, seq, text) VALUES (1, 0, 'Ratify the ICESCR')")
    conn.commit()
    conn.close()
    with Store.open(folder) as st:
        assert st.schema_version == store_mod.SCHEMA_VERSION == 3
        cols = {r[1] for r in st.conn.execute("PRAGMA table_info(recommendations)")}
        assert {"response_comment", "duplicate_of", "recommending_as_written", "response_before"} <= cols
        assert {r[1] for r in st.conn.execute("PRAGMA table_info(responses)")} >= {"comment"}
        (rec,) = list(st.recommendations())
        assert rec.recommendation.text == "Ratify the ICESCR" and rec.recommendation.response_comment is None
        assert rec.recommendation.recommending_as_written == () and rec.duplicate_of is None


def test_a_store_sqlite_cannot_open_for_writing_says_so(tmp_path):
    """A read-only share or an immutable folder: not 'not a rightsindex store'."""
    import sqlite3

    from rightsindex.corpus.store import open_error

    path = tmp_path / "corpus.sqlite"
    path.write_bytes(b"")
    err = open_error(path, sqlite3.OperationalError("unable to open database file"))
    assert "its folder is read-only" in str(err) and "copy the folder" in str(err)
    assert "not a rightsindex store" in str(open_error(path, sqlite3.DatabaseError("file is not a database")))
    # a missing file is no such case
    missing = open_error(tmp_path / "x", sqlite3.OperationalError("unable to open"))
    assert "not a rightsindex store" in str(missing)
