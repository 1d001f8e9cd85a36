"""Exports in every format, importing them back, and importing UPR Info's CSV."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from hand_corpus import build, build_held_twice, upr_slice
from rightsindex.corpus.store import Store
from rightsindex.errors import DataFileError
from rightsindex.ingest.tabular import detect_kind, import_export, import_file, import_upr_info
from rightsindex.search import export, records
from rightsindex.search.export import EXPORT_COLUMNS, held_twice

from shared_data import need_shared  # type: ignore[import-not-found]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("export") / "corpus")


def _comparable(rows):
    out = []
    for r in rows:
        r = dict(r)
        r.pop("id")
        r["tags"] = sorted((t["family"], t["label"], t["source"], t["score"]) for t in r["tags"])
        out.append(r)
    return sorted(out, key=lambda r: (r["document_sha256"], r["paragraph"] or "", r["text"]))


def test_rows_carry_metadata_citation_and_tags(corpus):
    rows = list(records(corpus))
    assert len(rows) == 8 and list(rows[0]) == list(EXPORT_COLUMNS)
    row = next(r for r in rows if r["paragraph"] == "101.1")
    assert row["symbol"] == "A/HRC/15/8" and row["country_code"] == "KEN" and row["year"] == 2010
    assert row["date"] == "2010-06-17" and row["page"] == 5 and row["source_file"] == "ken2010.pdf"
    assert row["review_date"] == "2010-05-06"  # kept by the round trip below
    assert row["citation"] == "A/HRC/15/8, para. 101.1, p. 5 (2010-06-17)"
    assert row["esc_rights"] == ["housing"] and row["groups"] == ["women"]
    assert {"family": "esc_rights", "label": "housing", "source": "lexicon"}.items() <= row["tags"][0].items()


def test_query_and_filters_narrow_the_export(corpus):
    assert len(list(records(corpus, "right:housing"))) == 2
    assert len(list(records(corpus, filters={"country": "KEN", "right": ["housing", "education"]}))) == 2
    assert len(list(records(corpus, "women", filters={"year": "2008-2009"}))) == 1


def test_a_field_wildcard_query_is_kept_with_filters(corpus):
    # 'fiscal:*' (any fiscal label) is an Every query on one field: it was dropped when a filter
    # came with it, and the export held every recommendation of the year or country
    any_fiscal = {r["id"] for r in records(corpus, "fiscal:*")}
    kenya = {r["id"] for r in records(corpus, filters={"country": "KEN"})}
    assert len(any_fiscal) == 3 and len(kenya) == 3
    assert len(list(records(corpus, "fiscal:*", filters={"country": "KEN"}))) == 1
    assert len(list(records(corpus, "fiscal:*", filters={"year": "2008-2010"}))) == 2


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_text_exports_round_trip_through_import(corpus, tmp_path, fmt):
    path = tmp_path / f"all.{fmt}"
    assert export(corpus, path, format=fmt) == 8
    other = tmp_path / "other"
    with Store.open(other) as store:
        summary = import_export(path, store, tag=False)
        assert (summary.documents_added, summary.recommendations) == (3, 8)
        again = import_file(path, store, tag=False)  # detected as an export, adds nothing
        assert (again.kind, again.documents_added, again.documents_skipped) == ("export", 0, 3)
        assert store.count_recommendations() == 8
    assert _comparable(records(other)) == _comparable(records(corpus))
    # the round-tripped corpus searches the same
    from rightsindex.search import search

    assert search(other, "right:housing country:Kenya").total == 1
    # importing the export into the corpus it came from adds nothing
    with Store.open(corpus) as store:
        assert import_export(path, store, tag=False).documents_added == 0
        assert store.count_recommendations() == 8


def test_rows_come_by_country_date_document_and_paragraph(corpus, tmp_path):
    assert [(r["country_code"], r["paragraph"]) for r in records(corpus)] == [
        ("BRA", "1"), ("BRA", "2"), ("KEN", "101.1"), ("KEN", "101.2"), ("KEN", "101.3"),
        ("SVN", "12"), ("SVN", "14"), ("SVN", "18")]
    assert [r["country_code"] for r in records(corpus, "women OR housing")] == ["BRA", "KEN", "SVN"]
    held = build_held_twice(tmp_path / "c")
    # stored newest first; the report's paragraphs in its own order (101.9 before 101.10), and UPR
    # Info's rows, which have a year but no date, after the dated report of that year
    assert [(r["country_code"], r["year"], r["paragraph"] or r["source_symbol"]) for r in records(held)] == [
        ("CHL", 2009, "96.1"), ("KEN", 2010, "101.9"), ("KEN", 2010, "101.10"), ("KEN", 2010, "uprinfo-1"),
        ("KEN", 2010, "uprinfo-2"), ("KEN", 2015, "142.1")]


def test_once_leaves_out_upr_infos_copy_of_a_reports_recommendation(tmp_path):
    held = build_held_twice(tmp_path / "c")
    rows = list(records(held, once=True))
    assert [r["paragraph"] or r["source_symbol"] for r in rows] == [
        "96.1", "101.9", "101.10", "uprinfo-2", "142.1"]
    death = next(r for r in rows if r["paragraph"] == "101.10")  # the report's row, with UPR Info's response
    assert (death["response"], death["response_source"]) == ("noted", "UPR Info uprinfo-1")
    assert held_twice(held) == 1 and len(list(records(held))) == 6
    # the copy stays when the report's row is not exported with it: the recommendation is there once
    copies = records(held, "type:upr_info_import", once=True)
    assert [r["source_symbol"] for r in copies] == ["uprinfo-1", "uprinfo-2"]
    assert held_twice(held, filters={"country": "CHL"}) == 0
    assert export(held, tmp_path / "once.csv", format="csv", filters={"country": "KEN"}, once=True) == 4
    assert export(held, tmp_path / "all.csv", format="csv", filters={"country": "KEN"}) == 5


def test_a_response_taken_from_upr_info_survives_the_round_trip(tmp_path):
    """Uruguay's 'partially supported' comes from two UPR Info rows, one supported, one noted. An
    export that holds one of them (a query), or none (--once), gave it back 'noted', or no response
    at all: the import worked the response out again from the rows it had."""
    from rightsindex.records import Document, Recommendation

    source = tmp_path / "source"
    with Store.open(source) as store:
        store.add_document(Document(sha256="a" * 64, source_path="ury.pdf", symbol="A/HRC/19/12",
                                    document_type="upr_wg_report", body="UPR", country="Uruguay",
                                    country_code="URY", date="2011-12-19", year=2011, cycle=1),
                           [], [Recommendation(text="Ratify ICCPR-OP2, OP-CEDAW and CED", paragraph="77.1",
                                               recommending_states=("Chile",), response="pending")])
        store.add_document(Document(sha256="b" * 64, source_path="upr-info:session-10:Uruguay",
                                    document_type="upr_info_import", body="UPR", country="Uruguay",
                                    country_code="URY", year=2011, session="10", cycle=1),
                           [], [Recommendation(text=t, recommending_states=("Chile",), response=r,
                                               response_source="UPR Info", source_symbol=i)
                                for t, r, i in (("Ratify CED", "supported", "uprinfo-11"),
                                                ("Ratify OP-CEDAW", "noted", "uprinfo-12"))])
    given = ("partially supported", "UPR Info uprinfo-11, uprinfo-12")
    [report] = [r for r in records(source) if r["paragraph"] == "77.1"]
    assert (report["response"], report["response_source"]) == given
    for name, query, once in (("part", "cedaw", False), ("once", None, True)):
        path = tmp_path / f"{name}.csv"
        assert export(source, path, format="csv", query=query, once=once) == (2 if query else 1)
        with Store.open(tmp_path / name) as store:
            import_export(path, store, tag=False, sync=False)
        [back] = [r for r in records(tmp_path / name) if r["paragraph"] == "77.1"]
        assert (back["response"], back["response_source"]) == given, name
    # UPR Info's rows come in later: the response stays as the export gave it, the rows are its copies
    export(source, tmp_path / "all.jsonl", format="jsonl")
    with Store.open(tmp_path / "once") as store:
        assert import_export(tmp_path / "all.jsonl", store, tag=False, sync=False).documents_added == 1
        rows = [s.to_row() for s in store.recommendations()]
    [back] = [r for r in rows if r["paragraph"] == "77.1"]
    assert (back["response"], back["response_source"]) == given
    assert [r["duplicate_of"] for r in rows if r["source_symbol"]] == [back["id"]] * 2


def test_jsonl_to_a_stream(corpus):
    buf = io.StringIO()
    assert export(corpus, buf, format="jsonl", query="fiscal:taxation") == 1
    row = json.loads(buf.getvalue())
    assert row["fiscal"] == ["taxation"] and row["response"] == "noted"


def test_xlsx_and_parquet(corpus, tmp_path):
    assert export(corpus, tmp_path / "a.xlsx", format="xlsx") == 8
    frame = pd.read_excel(tmp_path / "a.xlsx")
    assert list(frame.columns) == list(EXPORT_COLUMNS) and len(frame) == 8
    assert {"housing", "education|health"} <= set(frame["esc_rights"].dropna())
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    text_col = openpyxl.utils.get_column_letter(list(EXPORT_COLUMNS).index("text") + 1)
    assert sheet.column_dimensions[text_col].width >= 60
    assert export(corpus, tmp_path / "a.parquet", format="parquet", filters={"body": "CESCR"}) == 3
    frame = pd.read_parquet(tmp_path / "a.parquet")
    assert len(frame) == 3 and set(frame["country_code"]) == {"SVN"}
    assert [list(x) for x in frame["esc_rights"]] == [["water_sanitation"], ["housing"], ["social_security"]]
    assert str(frame["duplicate_of"].dtype) == "Int64" and str(frame["page"].dtype) == "Int64"
    with pytest.raises(ValueError, match="needs a file path"):
        export(corpus, io.StringIO(), format="parquet")


def test_an_export_counts_its_rows_for_a_progress_bar(corpus, tmp_path):
    assert len(records(corpus)) == 8  # known before a row is read
    for fmt in ("csv", "xlsx", "jsonl"):
        seen: list[tuple[int, int]] = []
        export(corpus, tmp_path / f"p.{fmt}", format=fmt, progress=lambda d, t: seen.append((d, t)))
        assert seen[-1] == (8, 8), fmt


def test_a_workbook_keeps_texts_a_cell_would_refuse_or_read_as_a_formula(tmp_path):
    from rightsindex.records import Document, Recommendation

    with Store.open(tmp_path / "c") as store:
        store.add_document(
            Document(sha256="b2" * 32, source_path="x.pdf", document_type="upr_wg_report", country="Kenya",
                     country_code="KEN", year=2015),
            [], [Recommendation(text="=SUM(A1) is not a formula", paragraph="1.10"),
                 Recommendation(text="A form feed\x0c from a PDF", paragraph="1.2")])
    export(tmp_path / "c", tmp_path / "x.xlsx", format="xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    col = {c.value: i for i, c in enumerate(sheet[1])}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[col["text"]] for r in rows] == ["=SUM(A1) is not a formula", "A form feed from a PDF"]
    assert [r[col["paragraph"]] for r in rows] == ["1.10", "1.2"]  # text, not 1.1
    assert sheet.cell(row=2, column=col["text"] + 1).data_type == "s"


# -- UPR Info ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upr_csv(tmp_path_factory):
    source = need_shared("upr_info", "recommendations_sessions01-16.csv")
    return upr_slice(source, tmp_path_factory.mktemp("upr") / "slice.csv", rows=2000)


def test_upr_info_import_is_grouped_normalised_and_idempotent(upr_csv, tmp_path):
    raw = pd.read_csv(upr_csv)
    assert detect_kind(upr_csv) == "upr-info"
    with Store.open(tmp_path / "c") as store:
        summary = import_upr_info(upr_csv, store, tag=False, sync=False)
        groups = raw.groupby(["state_under_review", "session"]).ngroups
        assert (summary.rows, summary.recommendations, summary.documents_added) == (2000, 2000, groups)
        again = import_upr_info(upr_csv, store, tag=False, sync=False)
        assert (again.documents_added, again.documents_skipped) == (0, groups)
        assert store.count_recommendations() == 2000
        rows = [s.to_row() for s in store.recommendations()]
    by_id = {r["source_symbol"]: r for r in rows}
    first = raw.iloc[0]
    row = by_id[first["rec_id"]]
    assert row["text"] == " ".join(first["text"].split())
    assert row["document_type"] == "upr_info_import" and row["body"] == "UPR"
    assert row["year"] == first["wg_year"] and row["cycle"] == first["cycle"]
    assert row["session"] == str(first["session"]) and row["country"]
    assert row["recommending_states"] and row["action_category"] == first["action_category"]
    assert row["issues"] == first["issues"].split("|")
    expected = {"Accepted": "supported", "Noted": "noted"}
    assert [expected[x] for x in raw["response"]] == [by_id[i]["response"] for i in raw["rec_id"]]


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "rec_id,cycle,session,wg_year,state_under_review,recommending_state,text,response,action_category,issues\n"


@pytest.mark.parametrize(
    "body, message",
    [
        ("r1,1,5,2009,Chad,France,Do it,Accepted,5,Justice\nr2,1,5,20x9,Chad,France,Do more,Noted,4,Justice\n",
         "row 3, column 'wg_year': '20x9' is not a whole number"),
        ("r1,1,5,2009,Chad,France,,Accepted,5,Justice\n", "row 2, column 'text': empty"),
        ("r1,1,5,2009,Chad,France,Do it,Maybe,5,Justice\n", "row 2, column 'response': unknown response 'Maybe'"),
        ("r1,1,five,2009,Chad,France,Do it,Noted,5,Justice\n", "row 2, column 'session'"),
        ("r1,1,5,2009,Chad,France,Do it,Noted,5,Justice,extra\n", "row 2: 11 cells for 10 columns"),
        # UPR Info's categories are 1 to 5: a 9 was stored and counted as a category of its own
        ("r1,1,5,2009,Chad,France,Do it,Noted,9,Justice\n",
         "row 2, column 'action_category': 9 is not an action category (1 to 5)"),
        ("r1,1,5,2009,Chad,France,Do it,Noted,0,Justice\n", "0 is not an action category (1 to 5)"),
        ("", "no recommendations"),
        # a quote opened and never closed: the rest of the file is one cell
        ('r1,1,5,2009,Chad,France,"Do it,Noted,5,Justice\n' + "r2,1,5,2009,Chad,France,Do more\n" * 6000,
         "row 2: malformed CSV (field larger than field limit (131072)): a cell runs on past 131,072 "
         "characters, likely from a quote (\") opened in it and never closed"),
    ],
)
def test_malformed_upr_info_csv_names_row_and_column(tmp_path, body, message):
    path = _write(tmp_path / "bad.csv", HEADER + body)
    with Store.open(tmp_path / "c") as store:
        with pytest.raises(DataFileError) as err:
            import_upr_info(path, store, tag=False, sync=False)
        assert store.count_recommendations() == 0  # nothing half-imported
    assert str(path) in str(err.value) and message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_an_interrupted_export_leaves_no_part_file(corpus, tmp_path, monkeypatch, fmt):
    import sys

    module = sys.modules["rightsindex.search.export"]
    every = list(records(corpus))

    def halfway(*args, **kwargs):
        yield every[0]
        raise KeyboardInterrupt  # Ctrl-C halfway through the rows

    def half_written(frame, path, **kwargs):
        Path(path).write_bytes(b"PAR1 half")
        raise KeyboardInterrupt

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    if fmt == "csv":
        monkeypatch.setattr(module, "records", halfway)
    elif fmt == "xlsx":
        monkeypatch.setattr(module, "_reader_aids", interrupted)  # the workbook is being written
    else:
        monkeypatch.setattr(pd.DataFrame, "to_parquet", half_written)
    (tmp_path / f"old.{fmt}").write_text("kept")
    with pytest.raises(KeyboardInterrupt):
        export(corpus, tmp_path / f"old.{fmt}", format=fmt)
    assert [p.name for p in tmp_path.iterdir()] == [f"old.{fmt}"]  # no old.csv.part left beside it
    assert (tmp_path / f"old.{fmt}").read_text() == "kept"


def test_an_export_row_with_an_action_category_out_of_range_is_refused(corpus, tmp_path):
    path = tmp_path / "all.jsonl"
    export(corpus, path, format="jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows[1]["action_category"] = 7
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Store.open(tmp_path / "other") as store:
        with pytest.raises(DataFileError) as err:
            import_export(path, store, tag=False, sync=False)
        assert store.count_recommendations() == 0
    assert "row 2, column 'action_category': 7 is not an action category (1 to 5)" in str(err.value)


def test_upr_info_escapes_are_decoded_and_replace_what_an_earlier_import_kept(tmp_path, monkeypatch):
    """UPR Info's CSV writes some characters as %u2019 ("Sudan%u2019s debt"); they were stored as such."""
    from rightsindex.ingest import tabular

    path = _write(tmp_path / "u.csv", HEADER
                  + "r1,1,11,2011,South Sudan,Djibouti,Cancel Sudan%u2019s debt at 100%,Accepted,4,Debt\n"
                  + "r2,1,11,2011,South Sudan,C%u00f4te d%u2019Ivoire,Do it,Noted,4,Rights of the Child\n"
                  + "r3,1,5,2009,Chad,France,Do more,Noted,4,Justice\n")
    with monkeypatch.context() as m:  # what an import before the decoding stored
        m.setattr(tabular, "decode_escapes", lambda text: text)
        with Store.open(tmp_path / "c") as store:
            import_upr_info(path, store, tag=False, sync=False)
            stored = [s.recommendation.text for s in store.recommendations()]
            assert "Cancel Sudan%u2019s debt at 100%" in stored
    with Store.open(tmp_path / "c") as store:
        again = import_upr_info(path, store, tag=False, sync=False)
        rows = {r["source_symbol"]: r for r in (s.to_row() for s in store.recommendations())}
    # the group with escapes is replaced, the other one is the same document as before
    assert (again.documents_replaced, again.documents_skipped, again.documents_added) == (1, 1, 0)
    assert rows["r1"]["text"] == "Cancel Sudan\u2019s debt at 100%"
    assert rows["r2"]["recommending_states"] == ["Côte d'Ivoire"]
    assert rows["r2"]["recommending_codes"] == ["CIV"]
    assert rows["r2"]["recommending_as_written"] == ["Côte d\u2019Ivoire"]
    assert tabular.decode_escapes("%uD83D%uDE00 %uD83D 50%u") == "\U0001F600 \ufffd 50%u"


def test_wrong_files_are_refused_clearly(tmp_path):
    with Store.open(tmp_path / "c") as store:
        with pytest.raises(DataFileError, match="missing column"):
            import_upr_info(_write(tmp_path / "x.csv", "a,b\n1,2\n"), store, tag=False)
        with pytest.raises(DataFileError, match="neither a UPR Info CSV"):
            import_file(_write(tmp_path / "y.csv", "a,b\n1,2\n"), store, tag=False)
        with pytest.raises(DataFileError, match="line 2: not JSON"):
            import_export(_write(tmp_path / "z.jsonl", '{"text": "a"}\n{oops\n'), store, tag=False)
        with pytest.raises(DataFileError, match="no such file"):
            import_file(tmp_path / "missing.csv", store)


@pytest.mark.parametrize(
    "name, content, said",
    [
        ("x.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "x.pdf is a PDF: use 'rightsindex ingest'"),
        ("svn.xlsx", None, "svn.xlsx is an Excel workbook: import reads CSV and JSONL files"),
        ("svn.parquet", None, "svn.parquet is a Parquet file: import reads CSV and JSONL files"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls is an old Excel (.xls)"),
        ("latin.csv", (HEADER + "r1,1,5,2009,Côte d'Ivoire,France,Do it,Noted,5,x\n").encode("latin-1"),
         "latin.csv: not UTF-8 text (byte 0xf4 at position 117): save it as CSV UTF-8"),
        ("blob.csv", b"text,symbol\n\x00\x01\x02", "blob.csv is a binary file, not text"),
    ],
)
def test_a_file_of_another_kind_is_named_in_one_line(corpus, tmp_path, name, content, said):
    path = tmp_path / name
    if content is None:
        export(corpus, path, format=path.suffix[1:])
    else:
        path.write_bytes(content)
    with Store.open(tmp_path / "c") as store:
        for read in (detect_kind, lambda p: import_file(p, store, tag=False, sync=False),
                     lambda p: import_upr_info(p, store, tag=False, sync=False),
                     lambda p: import_export(p, store, tag=False, sync=False)):
            with pytest.raises(DataFileError) as err:
                read(path)
            assert str(err.value).startswith(f"{tmp_path / said}"), str(err.value)
            assert "\n" not in str(err.value) and "codec" not in str(err.value)
        assert store.count_recommendations() == 0


def test_text_not_in_utf8_further_on_is_named_by_row(tmp_path):
    body = "".join(f"r{i},1,5,2009,Chad,France,Do it {i},Noted,5,x\n" for i in range(2000)).encode()
    path = tmp_path / "late.csv"
    late = "r9,1,5,2009,Côte d'Ivoire,France,Do,Noted,5,x\n".encode("cp1252")
    path.write_bytes(HEADER.encode() + body + late)
    with Store.open(tmp_path / "c") as store, \
            pytest.raises(DataFileError, match=r"late.csv: not UTF-8 text at or after row \d+: save it as"):
        import_upr_info(path, store, tag=False, sync=False)
    lines = tmp_path / "late.jsonl"
    lines.write_bytes(b'{"text": "a"}\n' * 9000 + '{"text": "Côte"}\n'.encode("latin-1"))
    with Store.open(tmp_path / "c") as store, pytest.raises(DataFileError, match="not UTF-8 text after line"):
        import_export(lines, store, tag=False, sync=False)


def test_a_review_held_by_a_report_and_by_upr_info_is_said_and_counted_once(tmp_path):
    """UPR Info's rows beside the working-group report of the same review: the import and
    ``status`` say so; trends and the dossier count each recommendation once, and say so."""
    from rightsindex.ingest.pipeline import corpus_status
    from rightsindex.ingest.tabular import overlapping_reviews
    from rightsindex.records import Document, Recommendation
    from rightsindex import open_corpus

    with Store.open(tmp_path / "c") as store:
        for sha, dtype, symbol in (("e5", "upr_wg_report", "A/HRC/15/8"), ("f6", "upr_info_import", None)):
            store.add_document(Document(sha256=sha * 32, source_path=f"{sha}.pdf", symbol=symbol, document_type=dtype,
                                        body="UPR", country="Kenya", country_code="KEN", year=2010, cycle=1),
                               [], [Recommendation(text="Abolish the death penalty", paragraph="101.1")])
        store.add_document(Document(sha256="a7" * 32, source_path="bra.pdf", symbol="A/HRC/8/27",
                                    document_type="upr_wg_report", body="UPR", country="Brazil",
                                    country_code="BRA", year=2008, cycle=1),
                           [], [Recommendation(text="Combat torture", paragraph="83.1")])
        assert overlapping_reviews(store) == [("KEN", 1, "A/HRC/15/8")]
    assert "KEN cycle 1 (A/HRC/15/8)" in corpus_status(tmp_path / "c")["overlap_note"]
    corpus = open_corpus(tmp_path / "c")
    kenya = corpus.dossier("KEN")
    assert any("1 of UPR Info's rows repeat recommendations" in n for n in kenya.notes)
    assert kenya.total == 1
    assert not any("UPR Info" in n for n in corpus.dossier("BRA").notes)
    from click.testing import CliRunner

    from rightsindex.cli import main

    def trends(*args):
        return CliRunner().invoke(main, ["trends", "--by", "cycle", "--corpus", str(tmp_path / "c"), *args])

    said = trends()
    assert said.exit_code == 0, said.output
    assert "note: 1 recommendation(s) are in the corpus twice" in said.output
    assert re.search(r"^1 +2$", said.output, re.M), said.output  # Kenya's once, Brazil's
    assert "twice" not in trends("--query", "type:upr_wg_report").output
    assert "twice" not in trends("--country", "BRA").output


def test_an_export_onto_a_device_writes_through_it():
    from pathlib import Path

    from rightsindex.search.export import _temporary

    # written beside the file then renamed; but /dev/null was replaced by an ordinary file
    assert _temporary(Path("/dev/null"), ".part") == Path("/dev/null")
    assert _temporary(Path("/tmp/out.csv"), ".part") == Path("/tmp/out.csv.part")


def test_the_file_itself_replaces_a_partial_exports_copy_of_its_document(tmp_path):
    """A colleague's export of some of a report's recommendations, imported, kept the report's
    SHA-256: ingesting the PDF afterwards was 'skipped' and the rest of the report never came in."""
    from rightsindex.ingest.pipeline import ingest_paths, sample_pdfs

    mali = next(p for p in sample_pdfs() if p.name.startswith("mali"))
    ingest_paths([mali], tmp_path / "a")
    some = tmp_path / "some.jsonl"
    n = export(tmp_path / "a", some, query='paragraph:"56.1" OR paragraph:"56.2"')
    assert 2 <= n < 46
    with Store.open(tmp_path / "b") as store:
        import_export(some, store, tag=False, sync=False)
        assert store.count_recommendations() == n
    again = ingest_paths([mali], tmp_path / "b")
    assert [r.status for r in again] == ["replaced"]
    with Store.open(tmp_path / "b") as store:
        assert store.count_recommendations() == 46
        ((_, doc),) = store.documents()
        assert "from_export" not in doc.flags
    # the export imported again is the copy: the PDF's records stay
    with Store.open(tmp_path / "b") as store:
        assert import_export(some, store, tag=False, sync=False).documents_skipped == 1
        assert store.count_recommendations() == 46


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_export_saved_with_a_byte_order_mark_imports(corpus, tmp_path, fmt):
    """Editors on Windows save UTF-8 with a byte-order mark; a JSON array so saved was 'neither a UPR
    Info CSV nor a rightsindex export'."""
    plain = tmp_path / f"rows.{fmt}"
    n = export(corpus, plain, format=fmt)
    marked = tmp_path / f"marked.{fmt}"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    assert detect_kind(marked) == "export"
    with Store.open(tmp_path / "c") as store:
        assert import_export(marked, store, tag=False, sync=False).rows == n


def test_a_document_without_a_symbol_is_cited_by_what_it_is(tmp_path):
    """A High Commissioner's letter and an NGO report have no UN symbol: exports, search hits and the
    dossier cite them by what they are, never by the absolute path of the file read."""
    from rightsindex import open_corpus
    from rightsindex.records import Document, Recommendation
    from rightsindex.search import search
    from rightsindex.search.dossier import to_html, to_markdown

    letter = Document(sha256="1" * 64, source_path="/data/pdf/SCANNED_ohchr_HC-letter_Slovenia_UPR3.pdf",
                      document_type="letter", body="OHCHR", country="Slovenia", country_code="SVN",
                      date="2020-05-13", year=2020, cycle=3, title="’ UNITED NATIONS NATIONS UNIES Y KQY)")
    ngo = Document(sha256="2" * 64, source_path="/data/pdf/ngo_UPR-Info_Beyond-Promises_2014.pdf",
                   document_type="ngo_report", body="NGO", country="Slovenia", country_code="SVN", year=2014)
    with Store.open(tmp_path / "c") as store:
        store.add_document(letter, [], [Recommendation(text="Adopt a housing strategy for Roma", page=3,
                                                       source_body="OHCHR")])
        store.add_document(ngo, [], [Recommendation(text="Consult civil society on housing", page=8,
                                                    paragraph="4", source_body="NGO")])
    said = {"Letter of the High Commissioner for Human Rights to Slovenia, 13 May 2020, p. 3",
            "NGO report on Slovenia, 2014 (ngo_UPR-Info_Beyond-Promises_2014.pdf), para. 4, p. 8"}
    assert {r["citation"] for r in records(tmp_path / "c")} == said
    assert {h["citation"] for h in search(tmp_path / "c", "housing").hits} == said
    dossier = open_corpus(tmp_path / "c").dossier("Slovenia")
    assert {i.citation for i in dossier.items} == said
    md, page = to_markdown(dossier), to_html(dossier)
    for cited in said:
        assert f"[{cited}]" in md and f"[{cited}]" in page
    assert "/data/pdf" not in md + page and "\\_" not in md


def test_the_models_issues_come_back_as_the_models(tmp_path):
    """An export writes the model's issues where the data brought none; imported back they stay
    the model's (tags), not data that tagging again could not change."""
    import rightsindex
    from rightsindex.records import Tag

    folder = build(tmp_path / "c")
    with Store.open(folder) as store:
        rec_id = store.conn.execute(
            "SELECT id FROM recommendations WHERE issues IN ('', '[]')").fetchone()[0]
        store.set_tags([(rec_id, [Tag(family="upr_issues", label="Right to housing", source="model",
                                      score=0.8)])], "t")
    path = tmp_path / "all.jsonl"
    export(folder, path, format="jsonl")
    row = next(r for r in records(folder) if r["id"] == rec_id)
    assert row["issues"] == ["Right to housing"]
    other = tmp_path / "other"
    with Store.open(other) as store:
        import_export(path, store, tag=False)
        stored = store.conn.execute("SELECT issues FROM recommendations WHERE text = ?",
                                    (row["text"],)).fetchone()
    assert json.loads(stored[0]) == []  # not data
    again = rightsindex.open_corpus(other).recommendations()
    assert again.loc[again["text"] == row["text"], "issues"].tolist() == [["Right to housing"]]


def test_a_state_name_rightsindex_does_not_know_is_noted(tmp_path):
    path = _write(tmp_path / "u.csv", HEADER + "r1,1,5,2009,Atlantis,France,Do it,Accepted,5,Justice\n"
                  "r2,1,5,2009,Chad,Narnia,Do more,Noted,4,Justice\nr3,1,5,2009,Chad,France,Do less,Noted,4,Justice\n")
    with Store.open(tmp_path / "c") as store:
        summary = import_upr_info(path, store, tag=False, sync=False)
        assert store.count_recommendations() == 3  # stored as written
    assert any(n.startswith("2 State name(s) are no State rightsindex knows: 'Atlantis', 'Narnia'")
               for n in summary.notes)


def test_a_upr_info_row_is_cited_by_its_id_state_and_session():
    """An analyst's trial: 'uprinfo-03843 (2009)' named neither the database nor the State."""
    from rightsindex.search.export import citation

    row = {"document_type": "upr_info_import", "source_symbol": "uprinfo-03843", "country": "Kenya",
           "session": "8", "year": 2010}
    assert citation(row) == "UPR Info uprinfo-03843: Kenya, UPR session 8 (2010)"
    assert citation({**row, "symbol": "A/HRC/15/8", "paragraph": "101.3"}) == "A/HRC/15/8, para. 101.3 (2010)"
