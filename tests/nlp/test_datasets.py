"""Training targets: crosswalked labels known, others negative only when the lexicon is silent."""

from __future__ import annotations

import json

import pytest

from rightsindex.errors import DataFileError
from rightsindex.nlp import taxonomy
from rightsindex.nlp.datasets import read_any, read_general_comments, read_upr_info, targets_for
from rightsindex.nlp.lexicon import get_lexicon


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
