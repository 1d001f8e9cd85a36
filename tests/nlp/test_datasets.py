"""Training targets: crosswalked labels known, others negative only when the lexicon is silent."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rightsindex.errors import DataFileError
from rightsindex.nlp import taxonomy
from rightsindex.nlp.datasets import (
    ALL,
    read_annotations,
    read_any,
    read_general_comments,
    read_paragraph_labels,
    read_upr_info,
    targets_for,
    text_key,
)
from rightsindex.nlp.lexicon import get_lexicon
from shared_data import need_shared


def test_a_byte_order_mark_is_no_data_and_bad_json_says_where(tmp_path):
    line = json.dumps({"text": "Fund primary health care", "esc_rights": ["health"], "fiscal": []})
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(b"\xef\xbb\xbf" + line.encode("utf-8") + b"\n")  # as Notepad saves UTF-8
    assert [ex.labels["esc_rights"] for ex in read_annotations(gold)] == [["health"]]
    csv_path = tmp_path / "upr.csv"
    csv_path.write_bytes(b"\xef\xbb\xbftext,issues,action_category\nStop evictions,Right to housing,5\n")
    assert read_upr_info(csv_path)[0].labels["esc_rights"] == ["housing"]
    gold.write_text(line + '\n{"text": "broken\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"gold.jsonl:2: not valid JSON \(.+, column \d+\)$"):
        read_annotations(gold)


def test_a_pdf_or_a_workbook_given_as_labelled_data_is_named_as_such(tmp_path):
    pdf = tmp_path / "report.jsonl"
    pdf.write_bytes(b"%PDF-1.4\n\xe2\xe3\xcf\xd3 binary")  # was "not UTF-8 text (invalid continuation byte)"
    with pytest.raises(DataFileError, match=r"report.jsonl is a PDF \(UN documents are read by"):
        read_any(pdf)
    book = tmp_path / "labels.csv"
    book.write_bytes(b"PK\x03\x04\x14\x00\x06\x00")
    with pytest.raises(DataFileError, match=r"labels.csv is a zip archive or an Excel workbook"):
        read_any(book)


def test_upr_info_targets_follow_the_crosswalk(tmp_path):
    csv_path = tmp_path / "upr.csv"
    csv_path.write_text(
        "rec_id,session,text,action_category,issues\n"
        'a,3,"Stop forced evictions and improve pensions",5,Right to housing\n'
        'b,3,"Abolish the death penalty",5,Death penalty\n', encoding="utf-8")
    examples = read_upr_info(csv_path)
    assert examples[0].labels["esc_rights"] == ["housing"] and examples[0].session == 3
    analyses = get_lexicon().analyse([ex.text for ex in examples])
    targets = targets_for(examples, analyses)
    esc = taxonomy.labels("esc_rights")
    y = targets["esc_rights"]
    assert y[0, esc.index("housing")] == 1 and y[0, esc.index("health")] == 0
    assert y[0, esc.index("social_security")] == -1  # UPR Info cannot say; the lexicon found "pensions"
    assert y[1, esc.index("social_security")] == 0  # nothing in the text: a safe negative
    assert list(targets["action_category"]) == ["5", "5"]
    assert targets["fiscal"][0, taxonomy.labels("fiscal").index("corruption")] == 0
    assert targets["upr_issues"][1, taxonomy.labels("upr_issues").index("Death penalty")] == 1


def test_bad_upr_info_rows_name_the_line(tmp_path):
    bad = tmp_path / "upr.csv"
    bad.write_text("text,issues,action_category\nx,Flying cars,4\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"upr.csv:2: unknown UPR Info issue 'Flying cars'"):
        read_any(bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataFileError, match="empty.jsonl: empty file"):
        read_any(empty)


def test_general_comment_paragraphs_are_labelled_by_their_comment(tmp_path):
    path = tmp_path / "gc.jsonl"
    rows = [
        {"file": "Annotated_ESCR-GC4-Housing.json", "paragraph_id": 3, "keyword_labels": [],
         "text": "Tenure takes a variety of forms, including rental accommodation and cooperative housing."},
        {"file": "Annotated_CCPR_GC36_life.json", "paragraph_id": 7, "keyword_labels": ["Children"],
         "text": "States parties must take measures to protect the life of persons in detention."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    examples = read_any(path)
    assert [ex.id for ex in examples] == ["gc-Annotated_ESCR-GC4-Housing.json-3",
                                          "gc-Annotated_CCPR_GC36_life.json-7"]
    assert examples[0].labels["esc_rights"] == ["housing"] and examples[1].labels["groups"] == ["children"]
    targets = targets_for(examples, get_lexicon().analyse([ex.text for ex in examples]))
    esc = taxonomy.labels("esc_rights")
    y = targets["esc_rights"]
    assert y[0, esc.index("housing")] == 1 and y[0, esc.index("health")] == 0
    assert (y[1] == 0).all()  # a civil-rights paragraph the lexicon finds no ESC right in: all negative
    assert (targets["fiscal"][1] == 0).all()
    plain = read_general_comments(path, document_labels=False)
    assert "esc_rights" not in plain[0].known


def test_paragraph_labels_replace_the_comment_labels_only_for_the_same_text(tmp_path):
    path = tmp_path / "gc.jsonl"
    rows = [
        {"file": "Annotated_ESCR-GC4-Housing.json", "paragraph_id": 8, "keyword_labels": [],
         "text": "States should allocate sufficient budgetary resources to social housing."},
        {"file": "Annotated_ESCR-GC4-Housing.json", "paragraph_id": 9, "keyword_labels": [],
         "text": "Tenure takes a variety of forms."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        json.dumps({"id": "gc-Annotated_ESCR-GC4-Housing.json-8", "key": text_key(rows[0]["text"]),
                    "esc_rights": ["housing"], "fiscal": ["budget_allocation"]}) + "\n"
        # the labels of paragraph 9 were made for another text: they are not used
        + json.dumps({"id": "gc-Annotated_ESCR-GC4-Housing.json-9", "key": text_key("Something else."),
                      "esc_rights": [], "fiscal": ["taxation"]}) + "\n", encoding="utf-8")
    mine, other = read_general_comments(path, paragraph_labels=labels)
    assert mine.origin == "paragraph_annotation" and mine.known["fiscal"] == ALL
    assert mine.labels["fiscal"] == ["budget_allocation"]
    assert other.origin == "general_comment" and other.labels["fiscal"] == []
    targets = targets_for([mine], get_lexicon().analyse([mine.text]))
    fiscal = taxonomy.labels("fiscal")
    assert targets["fiscal"][0, fiscal.index("budget_allocation")] == 1
    assert (np.delete(targets["fiscal"][0], fiscal.index("budget_allocation")) == 0).all()
    # white space does not change the key; a wrong label name is an error naming the line
    assert text_key("a  b\n c") == text_key("a b c")
    labels.write_text(json.dumps({"id": "x", "key": "0", "esc_rights": ["shelter"], "fiscal": []}) + "\n",
                      encoding="utf-8")
    with pytest.raises(DataFileError, match=r"labels.jsonl:1: 'esc_rights' must be a list of esc_rights labels"):
        read_paragraph_labels(labels)


def test_the_shipped_paragraph_labels_are_valid_and_never_label_an_evaluation_text():
    shipped = read_paragraph_labels()
    assert len(shipped) >= 500 and all(k.startswith("gc-") for k in shipped)
    gold = read_annotations(need_shared("annotations", "esc_fiscal_dev.jsonl"))
    assert not {ex.id for ex in gold} & set(shipped)
    assert not {text_key(ex.text) for ex in gold} & {row["key"] for row in shipped.values()}
    # and every label belongs to a paragraph of ../shared's general comments, text unchanged
    paragraphs = read_general_comments(need_shared("general_comments", "paragraphs.jsonl"))
    assert sum(ex.origin == "paragraph_annotation" for ex in paragraphs) == len(shipped)


def test_a_right_upr_info_leaves_out_but_the_text_names_is_unknown_not_negative(tmp_path):
    csv_path = tmp_path / "upr.csv"
    csv_path.write_text(
        "rec_id,session,text,action_category,issues\n"
        'a,3,"Ensure access to housing, education and employment for Roma",4,Right to housing|Minorities\n',
        encoding="utf-8")
    examples = read_upr_info(csv_path)
    analyses = get_lexicon().analyse([ex.text for ex in examples])
    esc = taxonomy.labels("esc_rights")
    strict = targets_for(examples, analyses)["esc_rights"]
    assert strict[0, esc.index("work")] == 0  # UPR Info speaks about work (Labour) and did not tag it
    lenient = targets_for(examples, analyses, lexicon_unknown=("upr_info",))["esc_rights"]
    assert lenient[0, esc.index("work")] == -1 and lenient[0, esc.index("education")] == -1
    assert lenient[0, esc.index("housing")] == 1 and lenient[0, esc.index("health")] == 0
