"""'rightsindex remove' as a user runs it, on the bundled UN documents: what it lists, asks and removes,
and that the corpus (store and search index) is as if the document had never been read."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from rightsindex.cli import main
from rightsindex.cli import ingest as ingest_cli
from rightsindex.ingest import sample_pdfs

SAMPLES = {p.name: p for p in sample_pdfs()}
REPORT = SAMPLES["slovenia-2014-upr-wg-report-A-HRC-28-15.pdf"]
ADDENDUM = SAMPLES["slovenia-2015-upr-responses-A-HRC-28-15-Add.1.pdf"]
MALI = SAMPLES["mali-2008-upr-wg-report-A-HRC-8-50.pdf"]


def run(*args: str, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A corpus of the three samples and a recorded failure, built once; each test gets a copy."""
    folder = tmp_path_factory.mktemp("remove")
    (folder / "pdfs").mkdir()
    for pdf in (REPORT, ADDENDUM, MALI):
        shutil.copy(pdf, folder / "pdfs" / pdf.name)
    (folder / "pdfs" / "notes.pdf").write_text("not a pdf\n")
    result = run("ingest", folder / "pdfs", "--jobs", "2", "--corpus", folder / "corpus")
    assert result.exit_code == 1, result.output  # notes.pdf
    return folder


@pytest.fixture()
def corpus(built, tmp_path, monkeypatch):
    shutil.copytree(built / "corpus", tmp_path / "corpus")
    shutil.copytree(built / "pdfs", tmp_path / "pdfs")
    monkeypatch.chdir(tmp_path)  # the stored paths are relative to where ingest ran
    return tmp_path / "corpus"


def _status(corpus) -> dict:
    return json.loads(run("status", "--json", "--corpus", corpus).output)


def _count(corpus, query: str) -> int:
    out = run("search", query, "--format", "json", "--corpus", corpus).output
    return len(json.loads(out)["hits"]) if out.strip() else 0


def test_dry_run_lists_and_changes_nothing(corpus):
    before = _status(corpus)
    result = run("remove", "a/hrc/28/15/add.1", "--dry-run", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "Would remove 1 document(s) with 0 recommendation(s)" in result.output
    assert "A/HRC/28/15/Add.1 (upr_addendum" in result.output and "nothing removed" in result.output
    assert _status(corpus) == before


def test_a_script_must_say_yes_and_a_person_is_asked(corpus, monkeypatch):
    before = _status(corpus)
    refused = run("remove", "A/HRC/8/50", "--corpus", corpus)
    assert refused.exit_code == 1 and "add --yes to remove without asking" in refused.output
    monkeypatch.setattr(ingest_cli, "_interactive", lambda: True)
    declined = run("remove", "A/HRC/8/50", "--corpus", corpus, input="n\n")
    assert declined.exit_code == 1 and "Remove them?" in declined.output and "Aborted" in declined.output
    assert _status(corpus) == before
    accepted = run("remove", "A/HRC/8/50", "--corpus", corpus, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "Removed 1 document(s)" in accepted.output
    assert _status(corpus)["documents"] == before["documents"] - 1
    assert _count(corpus, "country:MLI") == 0


def test_removing_the_addendum_leaves_the_report_as_read_alone(corpus, tmp_path):
    supported = _count(corpus, "country:SVN response:supported")
    assert supported > 100  # the addendum's answers
    result = run("remove", "pdfs/" + ADDENDUM.name, "--yes", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert _count(corpus, "country:SVN response:supported") == 0
    # the same as a corpus that never read it
    alone = run("ingest", "pdfs/" + REPORT.name, "--no-tag", "--corpus", tmp_path / "alone")
    assert alone.exit_code == 0, alone.output
    svn = [json.loads(line) for line in run("export", "--format", "jsonl", "--query", "country:SVN",
                                             "--corpus", corpus).output.splitlines()]
    ref = [json.loads(line) for line in run("export", "--format", "jsonl", "--corpus",
                                             tmp_path / "alone").output.splitlines()]
    assert len(svn) == len(ref) > 100
    assert [(r["paragraph"], r["response"]) for r in svn] == [(r["paragraph"], r["response"]) for r in ref]
    # read again, it answers again
    again = run("ingest", "pdfs/" + ADDENDUM.name, "--corpus", corpus)
    assert again.exit_code == 0, again.output
    assert _count(corpus, "country:SVN response:supported") == supported


def test_a_folder_removes_what_was_read_from_it_and_its_failures(corpus):
    assert _status(corpus)["failures"] == 1
    result = run("remove", "pdfs", "--country", "SVN", "--yes", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "Removed 2 document(s)" in result.output
    status = _status(corpus)
    assert status["documents"] == 1 and status["failures"] == 1  # Mali, and notes.pdf (not Slovenia's)
    result = run("remove", "pdfs/", "--yes", "--corpus", corpus)
    assert "forgot 1 failure(s)" in result.output
    status = _status(corpus)
    assert (status["documents"], status["recommendations"], status["failures"]) == (0, 0, 0)
    assert _count(corpus, "ratify") == 0


def test_a_name_that_matches_nothing_is_an_error_after_the_rest(corpus):
    result = run("remove", "A/HRC/8/50", "A/HRC/99/9", "--yes", "--corpus", corpus)
    assert result.exit_code == 1
    assert "no document: A/HRC/99/9 names nothing stored" in result.output
    assert "Removed 1 document(s)" in result.output
    nothing = run("remove", "A/HRC/99/9", "--yes", "--corpus", corpus)
    assert nothing.exit_code == 1 and "Error: nothing to remove from" in nothing.output
    none = run("remove", "--corpus", corpus)
    assert none.exit_code == 1 and "give --type or --country" in none.output


def test_remove_on_a_missing_corpus_is_one_line(tmp_path):
    result = run("remove", "A/HRC/8/50", "--yes", "--corpus", tmp_path / "nowhere")
    assert result.exit_code == 1 and result.output.strip().endswith("no corpus here")
    assert not (tmp_path / "nowhere").exists()
