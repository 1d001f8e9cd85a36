"""The ingest-side commands as a user runs them: ingest, status, documents, demo.

Uses the UN documents bundled in rightsindex/corpus/samples; exact exit codes and messages.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from rightsindex.cli import main
from rightsindex.ingest import DOCUMENT_FIELDS, sample_pdfs

SAMPLES = {p.name: p for p in sample_pdfs()}
ADDENDUM = SAMPLES["slovenia-2015-upr-responses-A-HRC-28-15-Add.1.pdf"]
MALI = SAMPLES["mali-2008-upr-wg-report-A-HRC-8-50.pdf"]


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def cli_corpus(tmp_path_factory):
    """A corpus made by 'rightsindex ingest' with two good files and one text file named .pdf."""
    folder = tmp_path_factory.mktemp("cli")
    bad = folder / "notes.pdf"
    bad.write_text("not a pdf\n")
    corpus = folder / "corpus"
    result = run("ingest", ADDENDUM, MALI, bad, "--no-tag", "--jobs", "2", "--corpus", corpus)
    return corpus, bad, result


def test_ingest_prints_a_summary_and_fails_with_the_bad_file_named(cli_corpus):
    corpus, bad, result = cli_corpus
    assert result.exit_code == 1
    assert "3 file(s): 2 added, 0 replaced, 0 skipped, 1 failed;" in result.output
    assert f"  {bad}: not a PDF (no %PDF- signature at the start of the file)" in result.output
    assert "Traceback" not in result.output


def test_ingest_again_skips_everything_and_succeeds(cli_corpus, tmp_path):
    corpus, _, _ = cli_corpus
    copy = tmp_path / "same-as-mali.pdf"
    shutil.copy(MALI, copy)
    result = run("ingest", ADDENDUM, copy, "--no-tag", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "2 file(s): 0 added, 0 replaced, 2 skipped, 0 failed;" in result.output
    assert f"skipped {copy}: same content as {MALI}" in result.output


def test_status_lists_counts_and_failures(cli_corpus):
    corpus, bad, _ = cli_corpus
    result = run("status", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "documents:        2" in result.output
    assert "upr_addendum 1" in result.output and "upr_wg_report 1" in result.output
    assert "SVN 1" in result.output and "MLI 1" in result.output
    assert "2008 1" in result.output and "2015 1" in result.output
    assert "failures:         1" in result.output
    assert f"    {bad}: not a PDF" in result.output
    data = json.loads(run("status", "--json", "--corpus", corpus).output)
    assert data["documents"] == 2 and data["failures"] == 1


def test_documents_in_three_formats(cli_corpus):
    corpus, _, _ = cli_corpus
    rows = [json.loads(line) for line in run("documents", "--format", "jsonl", "--corpus", corpus).output.splitlines()]
    assert [r["symbol"] for r in rows] == ["A/HRC/8/50", "A/HRC/28/15/Add.1"]
    assert set(rows[0]) == set(DOCUMENT_FIELDS)
    mali = rows[0]
    assert (mali["country_code"], mali["year"], mali["pages"], mali["language"]) == ("MLI", 2008, 18, "en")
    assert mali["source_file"] == str(MALI) and len(mali["sha256"]) == 64 and mali["paragraphs"] > 0
    table = list(csv.DictReader(io.StringIO(run("documents", "--format", "csv", "--corpus", corpus).output)))
    assert [r["symbol"] for r in table] == ["A/HRC/8/50", "A/HRC/28/15/Add.1"]
    assert list(table[0]) == list(DOCUMENT_FIELDS)
    text = run("documents", "--corpus", corpus).output
    assert "A/HRC/28/15/Add.1" in text and text.rstrip().endswith("2 document(s)")


def test_documents_narrowed_by_type_and_country(cli_corpus):
    """After 'import upr-info' a trial's corpus listed 274 documents (248 of them UPR Info's reviews)
    and documents had no way to show only the working-group reports or one State's."""
    corpus, _, _ = cli_corpus

    def symbols(*args):
        result = run("documents", "--format", "csv", *args, "--corpus", corpus)
        assert result.exit_code == 0, result.output
        return [r["symbol"] for r in csv.DictReader(io.StringIO(result.output))]

    assert symbols("--type", "upr_wg_report") == ["A/HRC/8/50"]
    assert symbols("--country", "Slovenia") == symbols("--country", "svn") == ["A/HRC/28/15/Add.1"]
    assert symbols("--country", "MLI", "--country", "SVN") == ["A/HRC/8/50", "A/HRC/28/15/Add.1"]
    assert symbols("--type", "upr_wg_report", "--country", "SVN") == []
    text = run("documents", "--type", "upr_addendum", "--corpus", corpus).output
    assert text.rstrip().endswith("1 document(s)")
    wrong = CliRunner().invoke(main, ["documents", "--type", "addendum", "--corpus", str(corpus)])
    assert wrong.exit_code == 1 and "did you mean upr_addendum?" in wrong.output
    wrong = CliRunner().invoke(main, ["documents", "--country", "Slovnia", "--corpus", str(corpus)])
    assert wrong.exit_code == 1 and "did you mean Slovenia?" in wrong.output
    # a long name near a State's is named too, as in a query, not read as that State silently
    wrong = CliRunner().invoke(main, ["documents", "--country", "Slovenija", "--corpus", str(corpus)])
    assert wrong.exit_code == 1 and "unknown country 'Slovenija': did you mean Slovenia?" in wrong.output
    assert symbols("--country", "Iran, Islamic Republic of") == []  # ISO's inverted name: a State


def test_commands_on_a_missing_corpus_fail_in_one_line(tmp_path):
    for command in ("status", "documents"):
        result = CliRunner().invoke(main, [command, "--corpus", str(tmp_path / "nowhere")])
        assert result.exit_code == 1
        assert result.output == (
            f"Error: {tmp_path / 'nowhere'}: no corpus here; run 'rightsindex ingest PATH --corpus "
            f"{tmp_path / 'nowhere'}' first\n"
        )


def test_ingest_of_a_folder_without_pdfs_says_so(tmp_path):
    (tmp_path / "notes.txt").write_text("no pdf here")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert result.output == f"Error: no PDF files found in {tmp_path}\n"


def test_ingest_of_an_empty_folder_beside_a_file_names_the_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("ingest", tmp_path / "empty", MALI, "--no-tag", "--corpus", tmp_path / "c")
    assert result.exit_code == 1
    assert "2 file(s): 1 added, 0 replaced, 0 skipped, 1 failed;" in result.output
    assert f"  {tmp_path / 'empty'}: is a directory with no PDF files" in result.output


def test_an_empty_corpus_name_is_refused_not_the_current_folder(tmp_path, monkeypatch):
    """'--corpus ""' and 'RIGHTSINDEX_CORPUS=' were the current folder: ingest wrote corpus.sqlite and
    the indexes among the user's files."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["ingest", str(MALI), "--no-tag", "--corpus", ""])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == ("Error: Invalid value for '--corpus' (env var: "
                                              "'RIGHTSINDEX_CORPUS'): is empty: name the corpus folder, or "
                                              "leave it out for ./rightsindex-corpus")
    monkeypatch.setenv("RIGHTSINDEX_CORPUS", "")
    result = CliRunner().invoke(main, ["status"])
    assert result.output == ("Error: rightsindex-corpus: no corpus here; run 'rightsindex ingest PATH "
                             "--corpus rightsindex-corpus' first\n")
    assert list(tmp_path.iterdir()) == []


def test_ingest_needs_a_path_and_checks_jobs():
    assert run("ingest").exit_code == 2
    result = CliRunner().invoke(main, ["ingest", "x.pdf", "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output


def test_demo_builds_a_corpus_from_the_bundled_samples(tmp_path):
    corpus = tmp_path / "demo"
    result = run("demo", "--corpus", corpus, "--jobs", "2", "--no-tag")
    assert result.exit_code == 0, result.output
    assert "3 file(s): 3 added, 0 replaced, 0 skipped, 0 failed;" in result.output
    for symbol in ("A/HRC/28/15 ", "A/HRC/28/15/Add.1", "A/HRC/8/50"):
        assert symbol in result.output
    assert "Slovenia (SVN), 2014-12-10, 25 pages" in result.output
    assert "Mali (MLI), 2008-06-13, 18 pages" in result.output
    assert f"Corpus in {corpus}." in result.output
    # again: nothing is stored twice
    again = run("demo", "--corpus", corpus, "--no-tag")
    assert again.exit_code == 0
    assert "3 file(s): 0 added, 0 replaced, 3 skipped, 0 failed;" in again.output


@pytest.mark.parametrize("command", ["ingest", "status", "documents", "remove", "review", "demo"])
def test_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"rightsindex {command}" in result.output


def test_ingest_says_a_file_was_repaired(tmp_path):
    """A PDF whose structure PDFium had to repair is stored, and ingest says so (not only 'added')."""
    from shared_data import need_shared  # type: ignore[import-not-found]

    broken = need_shared("pdf", "CORRUPTED_upr_A-HRC-WG.6-7-SVN-2_Slovenia_UN-compilation_2009.pdf")
    result = run("ingest", broken, "--corpus", tmp_path / "c", "--no-tag")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    assert f"repaired {broken}: its structure was broken" in result.output


def test_ingest_says_a_document_is_not_in_english(tmp_path):
    from shared_data import need_shared  # type: ignore[import-not-found]

    pdf = need_shared("pdf", "upr_A-HRC-WG.6-34-ITA-3_Italy_stakeholders-summary_2019_RU.pdf")
    good = next(p for p in sample_pdfs() if p.name.startswith("mali"))
    corpus = str(tmp_path / "c")
    # a batch: the Russian one fails, is recorded and makes the exit code 1; the English one is stored
    result = CliRunner().invoke(main, ["ingest", str(pdf), str(good), "--no-tag", "--corpus", corpus])
    assert result.exit_code == 1, result.output
    assert "1 added, 0 replaced, 0 skipped, 1 failed" in result.output
    assert (f"  {pdf}: written in Russian (ru), not English: rightsindex reads recommendations in the "
            "English versions of UN documents (ingest --any-language stores it for paragraph search)"
            ) in result.output
    status = CliRunner().invoke(main, ["status", "--corpus", corpus]).output
    assert "failures:         1" in status and "written in Russian" in status
    # --any-language stores it for its paragraphs, says so, and forgets the failure
    kept = CliRunner().invoke(main, ["ingest", str(pdf), "--any-language", "--no-tag", "--corpus", corpus])
    assert kept.exit_code == 0, kept.output
    assert "written in Russian (ru); 0 recommendations read" in kept.output
    assert "failures:         0" in CliRunner().invoke(main, ["status", "--corpus", corpus]).output


def test_ingest_again_replaces_instead_of_skipping(tmp_path):
    from rightsindex.ingest.pipeline import sample_pdfs

    mali = str(next(p for p in sample_pdfs() if p.name.startswith("mali")))
    corpus = str(tmp_path / "c")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", mali, "--no-tag", "--corpus", corpus]).exit_code == 0
    skipped = runner.invoke(main, ["ingest", mali, "--no-tag", "--corpus", corpus])
    assert "0 added, 0 replaced, 1 skipped" in skipped.output
    again = runner.invoke(main, ["ingest", mali, "--no-tag", "--again", "--corpus", corpus])
    assert again.exit_code == 0 and "0 added, 1 replaced, 0 skipped" in again.output
    assert "46 recommendations stored" in again.output


def _damage(store, seed=0):
    """Garbage over every page of an SQLite file but its first (the schema stays readable)."""
    import random

    data = bytearray(store.read_bytes())
    rng = random.Random(seed)
    for offset in range(4096, len(data) - 200, 512):
        data[offset + 50 : offset + 150] = bytes(rng.randrange(256) for _ in range(100))
    store.write_bytes(bytes(data))


def test_a_damaged_store_is_one_line_naming_it(cli_corpus, tmp_path):
    corpus = tmp_path / "damaged"
    shutil.copytree(cli_corpus[0], corpus)
    _damage(corpus / "corpus.sqlite")
    for command in (["status"], ["documents"], ["trends", "--by", "year"],
                    ["export", "-o", tmp_path / "out.csv"], ["dossier", "SVN"], ["tag", "--all"]):
        result = CliRunner().invoke(main, [*map(str, command), "--corpus", str(corpus)])
        assert result.exit_code == 1, (command, result.output)
        assert isinstance(result.exception, SystemExit), (command, result.exception)  # no traceback
        # trends said "standard output: cannot write (None)": pandas' DatabaseError is an OSError
        # (SQLite's words depend on what the garbage hit: "database disk image is malformed", or the
        # schema's pages once the schema outgrew the first page)
        assert re.fullmatch(
            re.escape(f"Error: {corpus / 'corpus.sqlite'}: the store is damaged (") + r"[^\n]*malformed[^\n]*"
            + re.escape("); restore the corpus folder from a backup, or build the corpus again in a new folder "
                        "(ingest, import)"), result.output.splitlines()[-1]), (command, result.output)


def test_store_errors_that_are_no_damage_are_left_alone():
    import sqlite3

    from rightsindex.cli._common import store_error

    assert store_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
    assert store_error(ValueError("x")) is None
    busy = store_error(sqlite3.OperationalError("database is locked"))
    assert busy is not None and "the store is busy (database is locked)" in busy.message
    read_only = store_error(sqlite3.OperationalError("attempt to write a readonly database"))
    assert read_only is not None and "its folder is read-only" in read_only.message


def test_a_mistyped_path_leaves_no_corpus_behind(tmp_path):
    corpus = tmp_path / "new"
    result = run("ingest", tmp_path / "nosuch.pdf", "--corpus", corpus)
    assert result.exit_code == 1 and "nosuch.pdf: file not found" in result.output
    assert "no corpus was made there" in result.output and not corpus.exists()
    kept = tmp_path / "mine"
    kept.mkdir()
    (kept / "notes.txt").write_text("my own file")
    run("ingest", tmp_path / "nosuch.pdf", "--corpus", kept)
    assert sorted(p.name for p in kept.iterdir()) == ["notes.txt"]  # the user's folder stays, as it was
    # a file that fails is recorded: that corpus is kept, for 'status'
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a PDF")
    assert run("ingest", bad, "--corpus", corpus).exit_code == 1
    assert (corpus / "corpus.sqlite").exists() and "failures:         1" in run("status", "--corpus", corpus).output
