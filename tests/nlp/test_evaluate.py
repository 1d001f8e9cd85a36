"""Evaluation: the scores are right on a hand example, and the JSON has the issue's shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rightsindex.errors import DataFileError
from rightsindex.nlp import evaluate
from rightsindex.nlp.evaluation import family_scores
from shared_data import missing


def test_family_scores_by_hand():
    gold = np.array([[1, 0], [1, 1], [0, 0]])
    pred = np.array([[1, 1], [0, 1], [0, 0]])
    s = family_scores(gold, pred, ["a", "b"])
    # a: tp 1, fn 1 -> P 1, R .5, F1 .6667; b: tp 1, fp 1 -> P .5, R 1, F1 .6667
    assert s["labels"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2, "predicted": 1}
    assert s["labels"]["b"]["precision"] == 0.5 and s["labels"]["b"]["support"] == 1
    assert s["micro_f1"] == pytest.approx(2 / 3, abs=1e-4) and s["macro_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["confusion"]["false_negatives"] == {"a": 1} and s["confusion"]["false_positives"] == {"b": 1}
    swapped = family_scores(np.array([[1, 0]]), np.array([[0, 1]]), ["a", "b"])
    assert swapped["confusion"]["missed_for"] == [{"gold": "a", "predicted": "b", "count": 1}]
    assert swapped["micro_f1"] == 0.0


def _gold(tmp_path, small_examples):
    _, ann = small_examples
    path = tmp_path / "gold.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for ex in ann[:40]:
            fh.write(json.dumps({"text": ex.text, "esc_rights": ex.labels["esc_rights"],
                                 "fiscal": ex.labels["fiscal"]}) + "\n")
    return path


def test_evaluate_json_shape(tmp_path, small_examples, small_model):
    result = evaluate(_gold(tmp_path, small_examples), model=small_model)
    assert set(result) == {"esc_rights", "fiscal"}
    for family, scores in result.items():
        assert 0.0 <= scores["micro_f1"] <= 1.0 and 0.0 <= scores["macro_f1"] <= 1.0
        assert set(scores["labels"]) >= {"housing"} if family == "esc_rights" else {"taxation"}
        for s in scores["labels"].values():
            assert {"precision", "recall", "f1", "support"} <= set(s)
    json.dumps(result)  # serialisable


def test_evaluate_upr_info_format(tmp_path, small_model, shared_data):
    src = shared_data / "upr_info" / "recommendations_sessions01-16.csv"
    if not src.exists():
        pytest.skip(missing("upr_info", src.name))
    lines = open(src, encoding="utf-8").read().splitlines()
    gold = tmp_path / "upr.csv"
    gold.write_text("\n".join(lines[:1] + lines[-120:]) + "\n", encoding="utf-8")
    result = evaluate(gold, gold_format="upr-info", model=small_model)
    assert {"upr_issues", "action_category", "esc_rights", "groups"} <= set(result)
    assert len(result["action_category"]["confusion"]["matrix"]) == 5
    assert "crosswalk" in result["esc_rights"]["note"]
    assert "social_security" not in result["esc_rights"]["labels"]  # UPR Info has no such issue


def test_malformed_gold_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "esc_rights": [], "fiscal": []}\n{"text": "y", "esc_rights": ["flying"]}\n')
    with pytest.raises(DataFileError, match=r"bad.jsonl:2: unknown esc_rights label 'flying'"):
        evaluate(bad)
    with pytest.raises(DataFileError, match="unknown gold format"):
        evaluate(bad, gold_format="xml")


def test_evaluation_says_when_gold_texts_were_trained_on(tmp_path, small_examples, small_model, small_model_file):
    """The small model was trained on the first 200 annotations: a gold file of 40 of them is
    flagged (in memory and after a save/load round trip); texts it never saw are not."""
    from click.testing import CliRunner

    from rightsindex.cli import main
    from rightsindex.nlp.model import TaggingModel

    gold = _gold(tmp_path, small_examples)
    assert evaluate(gold, model=small_model)["esc_rights"]["trained_on"] == 40
    loaded = TaggingModel.load(small_model_file)
    assert loaded.seen(["  " + small_examples[1][0].text.upper() + " ", "a text nobody trained on"]).tolist() == [
        True, False]
    out = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--model", str(small_model_file)])
    assert out.exit_code == 0 and "40 of 40 gold texts were in this model's training data" in out.output
    unseen = tmp_path / "unseen.jsonl"
    unseen.write_text(json.dumps({"text": "Guarantee access to safe drinking water in rural areas",
                                  "esc_rights": ["water_sanitation"], "fiscal": []}) + "\n")
    assert evaluate(unseen, model=loaded)["esc_rights"]["trained_on"] == 0
