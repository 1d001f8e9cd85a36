"""The tagging commands as a user runs them: exit codes and messages (CliRunner)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rightsindex.cli import main
from rightsindex.corpus.store import Store
from rightsindex.records import Document, Recommendation

RECS = [
    Recommendation(text="Put an end to forced evictions of Roma families", paragraph="115.1"),
    Recommendation(text="Continue its efforts to combat corruption", paragraph="115.2"),
    Recommendation(text="Introduce progressive taxation to fund social security", paragraph="115.3"),
]


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "corpus"
    with Store.open(path) as store:
        store.add_document(Document(sha256="a" * 64, source_path="r.pdf", symbol="A/HRC/1/1",
                                    document_type="upr_wg_report"), [], RECS)
    return path


def _ids(path):
    with Store.open(path) as store:
        return [s.id for s in store.recommendations()]


def test_tag_then_explain(corpus):
    runner = CliRunner()
    result = runner.invoke(main, ["tag", "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "Tagged 3 recommendation(s) with model 1." in result.output
    again = runner.invoke(main, ["tag", "--corpus", str(corpus)])
    assert again.exit_code == 0 and "Nothing to tag: every recommendation is already tagged" in again.output
    retag = runner.invoke(main, ["tag", "--all", "--corpus", str(corpus)])
    assert retag.exit_code == 0 and "Tagged 3 recommendation(s)" in retag.output
    first = _ids(corpus)[0]
    shown = runner.invoke(main, ["explain", str(first), "--corpus", str(corpus)])
    assert shown.exit_code == 0, shown.output
    assert "forced evictions" in shown.output and "esc_rights: housing (both" in shown.output
    as_json = runner.invoke(main, ["explain", str(first), "--format", "json", "--corpus", str(corpus)])
    tags = json.loads(as_json.output)["tags"]
    assert {"family", "label", "source", "score", "evidence", "model_version"} <= set(tags[0])


def test_explain_says_who_made_the_recommendation_and_the_response(tmp_path):
    """explain showed a report's recommendation as '[66] A/HRC/21/10 138.40' and its text: not the
    State it was made to, nor who made it and whether it was accepted, which search shows."""
    path = tmp_path / "c"
    with Store.open(path) as store:
        store.add_document(Document(sha256="c" * 64, source_path="r.pdf", symbol="A/HRC/21/10",
                                    document_type="upr_wg_report", country="India", country_code="IND",
                                    date="2012-07-09", year=2012), [],
                           [Recommendation(text="Increase the budget allocated to health", paragraph="138.159",
                                           recommending_states=("Luxembourg",), response="noted")])
        first = next(s.id for s in store.recommendations())
    shown = CliRunner().invoke(main, ["explain", str(first), "--corpus", str(path)])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == f"[{first}] A/HRC/21/10 138.159"
    assert lines[1] == "India, 2012; by Luxembourg; response: noted"
    data = json.loads(CliRunner().invoke(main, ["explain", str(first), "--format", "json",
                                                "--corpus", str(path)]).output)
    assert data["recommending_states"] == ["Luxembourg"] and data["response"] == "noted"


def test_explain_says_the_body_a_compilation_quotes(tmp_path):
    """A stakeholders' summary's recommendation by the NHRI: search said 'by NHRI', explain nothing."""
    path = tmp_path / "c"
    with Store.open(path) as store:
        store.add_document(Document(sha256="d" * 64, source_path="s.pdf", symbol="A/HRC/WG.6/48/SVN/3",
                                    document_type="upr_stakeholder_summary", body="NHRI", country="Slovenia",
                                    country_code="SVN", year=2024), [],
                           [Recommendation(text="Ensure access to adequate housing for Roma", paragraph="15")])
        first = next(s.id for s in store.recommendations())
    shown = CliRunner().invoke(main, ["explain", str(first), "--corpus", str(path)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[1] == "Slovenia, 2024; by NHRI"


def test_explain_unknown_id_and_missing_corpus(corpus, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["explain", "999", "--corpus", str(corpus)])
    assert result.exit_code == 1 and "Error: no recommendation with id 999" in result.output
    missing = runner.invoke(main, ["tag", "--corpus", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "no corpus here" in missing.output


def test_tag_with_a_corrupted_model_is_one_clear_line(corpus, tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a model")
    result = CliRunner().invoke(main, ["tag", "--model", str(bad), "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "broken.npz" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def _gold(tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"text": "Prevent forced evictions", "esc_rights": ["housing"], "fiscal": []},
        {"text": "Increase the budget for primary education", "esc_rights": ["education"],
         "fiscal": ["budget_allocation"]},
        {"text": "Combat corruption", "esc_rights": [], "fiscal": ["corruption"]},
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return gold


def test_evaluate_table_and_json(tmp_path):
    runner = CliRunner()
    gold = _gold(tmp_path)
    table = runner.invoke(main, ["evaluate", "--gold", str(gold)])
    assert table.exit_code == 0, table.output
    assert "esc_rights  micro-F1" in table.output and "most false positives" in table.output
    result = runner.invoke(main, ["evaluate", "--gold", str(gold), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"esc_rights", "fiscal"}
    housing = data["esc_rights"]["labels"]["housing"]
    assert set(housing) >= {"precision", "recall", "f1", "support"} and housing["support"] == 1
    assert {"micro_f1", "macro_f1", "labels"} <= set(data["fiscal"])


def test_evaluate_malformed_gold(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "esc_rights": [}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(bad)])
    assert result.exit_code == 1 and "Error: " in result.output and "bad.jsonl:1: not valid JSON" in result.output


def test_evaluate_a_upr_info_csv_as_jsonl_says_which_gold_format(tmp_path):
    csv_path = tmp_path / "upr.csv"
    csv_path.write_text("rec_id,session,text,action_category,issues\na,3,Stop evictions,5,Right to housing\n",
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(csv_path)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {csv_path}:1: not valid JSON (Expecting value, column 1); a UPR Info "
                             "CSV is read with --gold-format upr-info\n")


def test_train_writes_a_model_that_tag_can_use(tmp_path, corpus):
    csv_path = tmp_path / "upr.csv"
    lines = ["rec_id,session,text,action_category,issues"]
    texts = [("Ensure access to adequate housing and stop forced evictions", "4", "Right to housing"),
             ("Ratify the Convention against Torture", "5", "International instruments|Torture and other CID treatment"),
             ("Continue efforts to reduce maternal mortality", "2", "Right to health|Women's rights"),
             ("Consider abolishing the death penalty", "3", "Death penalty"),
             ("Combat corruption in the judiciary", "4", "Corruption|Justice"),
             ("Seek technical assistance from OHCHR", "1", "Technical assistance and cooperation")]
    for i in range(4):
        for j, (text, action, issues) in enumerate(texts):
            lines.append(f'r{i}-{j},1,"{text} {i}",{action},{issues}')
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "mine.npz"
    runner = CliRunner()
    result = runner.invoke(main, ["train", "--data", str(csv_path), "--data", str(_gold(tmp_path)),
                                  "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "Saved model" in result.output
    assert "trained on 3 annotation, 24 upr info" in result.output
    tagged = runner.invoke(main, ["tag", "--all", "--model", str(out), "--corpus", str(corpus)])
    assert tagged.exit_code == 0, tagged.output
    with Store.open(corpus) as store:
        versions = {t.model_version for s in store.recommendations() for t in s.tags}
    assert len(versions) == 1 and versions.pop() in tagged.output


def test_train_rejects_bad_data(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["train", "--data", str(bad), "--output", str(tmp_path / "m.npz")])
    assert result.exit_code == 1 and "bad.csv: a UPR Info CSV needs the columns text and issues" in result.output


def test_evaluate_lists_the_texts_it_got_wrong(tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "right", "text": "Prevent forced evictions", "esc_rights": ["housing"], "fiscal": []},
        # deliberately wrong gold: the model tags housing and not health here
        {"id": "wrong", "text": "Provide adequate housing for Roma families", "esc_rights": ["health"],
         "fiscal": []},
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), "--errors", str(out)])
    assert result.exit_code == 0, result.output
    assert f"1 gold texts tagged differently from the gold: written to {out}" in result.output
    wrong = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [w["id"] for w in wrong] == ["wrong"]
    assert wrong[0]["esc_rights"] == {"missed": ["health"], "extra": ["housing"]}
    assert "fiscal" not in wrong[0]
    # labels without gold or predicted examples show "-" rather than a score of 0
    line = next(x for x in result.output.splitlines() if x.strip().startswith("food "))
    assert line.split()[1:4] == ["-", "-", "-"]


def test_explain_a_text_without_a_corpus():
    runner = CliRunner()
    result = runner.invoke(main, ["explain", "--text", "Put an end to forced evictions of Roma families"])
    assert result.exit_code == 0, result.output
    assert "esc_rights: housing (" in result.output and "'forced evictions'" in result.output
    data = json.loads(runner.invoke(main, ["explain", "--text", "Abolish the death penalty", "--format",
                                           "json"]).output)
    assert data["id"] is None and not [t for t in data["tags"] if t["family"] in ("esc_rights", "fiscal")]
    both = runner.invoke(main, ["explain", "3", "--text", "x"])
    assert both.exit_code == 2 and "give either a recommendation ID or --text" in both.output


def test_explain_an_imported_row_says_whose_and_where_from(tmp_path):
    """UPR Info rows have no UN symbol: explain heads them with the State and the source row."""
    with Store.open(tmp_path / "c") as store:
        store.add_document(Document(sha256="u" * 64, source_path="upr.csv", document_type="upr_info_import",
                                    body="UPR", country="Spain", country_code="ESP", year=2010, cycle=1),
                           [], [Recommendation(text="Ratify the ICESCR", source_symbol="uprinfo-13800")])
    result = CliRunner().invoke(main, ["explain", "1", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "[1] UPR Info uprinfo-13800: Spain (2010)"


def test_train_refuses_an_output_folder_that_does_not_exist_before_training(tmp_path):
    from click.testing import CliRunner

    from rightsindex.cli import main

    data = tmp_path / "a.jsonl"
    data.write_text('{"text": "Ensure access to water", "esc_rights": ["water_sanitation"], "fiscal": []}\n')
    result = CliRunner().invoke(main, ["train", "--data", str(data), "--output", str(tmp_path / "no" / "m.npz")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "m.npz: cannot write the model there (no such folder)" in result.output
    assert "Training" not in result.output


def test_explain_refuses_an_empty_text():
    result = CliRunner().invoke(main, ["explain", "--text", "   "])
    assert result.exit_code == 2 and "--text is empty" in result.output
