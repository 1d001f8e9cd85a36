"""The ingest pipeline: idempotence, content hashes, replacement, bad input, worker processes.

Uses the UN documents bundled in rightsindex/corpus/samples (no ../shared needed) and,
for the deliberately broken files, ../shared/data/pdf.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rightsindex.corpus.store import Store
from rightsindex.ingest import ingest_paths, sample_pdfs
from shared_data import need_shared  # type: ignore[import-not-found]

SAMPLES = {p.name: p for p in sample_pdfs()}
ADDENDUM = SAMPLES["slovenia-2015-upr-responses-A-HRC-28-15-Add.1.pdf"]  # 8 pages: the quickest
MALI = SAMPLES["mali-2008-upr-wg-report-A-HRC-8-50.pdf"]


def tiny_pdf(path: Path, symbol: str, country: str) -> Path:
    """A constructed one-page PDF in the UN masthead layout (reportlab), quick to parse."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for size, text in [
        (11, f"United Nations {symbol}"), (11, "General Assembly"), (9, "Distr.: General"),
        (9, "4 March 2015"), (9, "Original: English"), (10, "Human Rights Council"),
        (10, "Twenty-eighth session"), (10, "Agenda item 6"), (10, "Universal periodic review"),
        (16, "Report of the Working Group on the Universal Periodic Review"), (16, country),
        (10, "1. The Working Group held its twentieth session and adopted the present report."),
        (10, "2. The delegation of the State under review thanked the Working Group."),
    ]:
        c.setFont("Helvetica-Bold" if size >= 16 else "Helvetica", size)
        c.drawString(60, y, text)
        y -= size * 2.2
    c.showPage()
    c.save()
    return path


def _statuses(results):
    return [(Path(r.path).name, r.status) for r in results]


@pytest.fixture(scope="module")
def addendum_corpus(tmp_path_factory):
    """A corpus with the Slovenia addendum, ingested once for this module."""
    corpus = tmp_path_factory.mktemp("corpus")
    results = ingest_paths([ADDENDUM], corpus)
    return corpus, results


def test_the_samples_are_bundled():
    assert len(SAMPLES) == 3
    assert sum(p.stat().st_size for p in SAMPLES.values()) < 1_000_000


def test_a_new_file_is_added_with_its_identity(addendum_corpus):
    corpus, results = addendum_corpus
    assert _statuses(results) == [(ADDENDUM.name, "added")]
    r = results[0]
    assert r.symbol == "A/HRC/28/15/Add.1"
    assert r.document_type == "upr_addendum"
    assert r.paragraphs > 10
    with Store.open(corpus) as store:
        (_, doc), = list(store.documents())
        assert doc.source_path == str(ADDENDUM)
        assert doc.pages == 8
        assert doc.responds_to == "A/HRC/28/15"
        assert store.failures() == []


def test_the_same_file_twice_adds_nothing(addendum_corpus):
    corpus, _ = addendum_corpus
    with Store.open(corpus) as store:
        before = store.counts()
        generation = store.generation
    results = ingest_paths([ADDENDUM], corpus)
    assert _statuses(results) == [(ADDENDUM.name, "skipped")]
    assert results[0].details == ()  # same path: nothing to say
    with Store.open(corpus) as store:
        assert store.counts() == before
        assert store.generation == generation


def test_a_renamed_copy_is_recognised_by_its_hash(addendum_corpus, tmp_path):
    corpus, _ = addendum_corpus
    copy = tmp_path / "renamed.pdf"
    shutil.copy(ADDENDUM, copy)
    results = ingest_paths([copy], corpus)
    assert _statuses(results) == [("renamed.pdf", "skipped")]
    assert results[0].symbol == "A/HRC/28/15/Add.1"
    assert results[0].details == (f"same content as {ADDENDUM}",)
    with Store.open(corpus) as store:
        assert store.counts()["documents"] == 1


def test_the_same_content_twice_in_one_batch_is_stored_once(tmp_path):
    original = tiny_pdf(tmp_path / "original.pdf", "A/HRC/28/97", "Kenya")
    copy = tmp_path / "copy.pdf"
    shutil.copy(original, copy)
    results = ingest_paths([original, copy], tmp_path / "corpus")
    assert [r.status for r in results] == ["added", "skipped"]
    assert results[1].details == (f"same content as {original}",)


def test_a_changed_file_replaces_its_records_and_a_broken_one_loses_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    target = tmp_path / "report.pdf"
    tiny_pdf(target, "A/HRC/28/98", "Slovenia")
    assert [r.status for r in ingest_paths([target], corpus)] == ["added"]
    # the file at the same path changes (a corrected version of the same document): its old
    # records go, the new ones come
    tiny_pdf(tmp_path / "other.pdf", "A/HRC/28/98", "Mali")
    shutil.copy(tmp_path / "other.pdf", target)
    results = ingest_paths([target], corpus)
    assert [(r.status, r.symbol) for r in results] == [("replaced", "A/HRC/28/98")]
    with Store.open(corpus) as store:
        docs = [d for _, d in store.documents()]
        assert [(d.symbol, d.country_code) for d in docs] == [("A/HRC/28/98", "MLI")]
    # another document saved under the same name: stored beside the one read from it before
    tiny_pdf(tmp_path / "another.pdf", "A/HRC/28/99", "Kenya")
    shutil.copy(tmp_path / "another.pdf", target)
    results = ingest_paths([target], corpus)
    assert [(r.status, r.symbol) for r in results] == [("added", "A/HRC/28/99")]
    assert results[0].details == ("kept: A/HRC/28/98",)
    with Store.open(corpus) as store:
        assert sorted(d.symbol for _, d in store.documents()) == ["A/HRC/28/98", "A/HRC/28/99"]
        n_paragraphs = store.counts()["paragraphs"]
        assert n_paragraphs > 0
    # then it is broken: it fails, and what was stored stays
    target.write_bytes(b"%PDF-1.4\n garbage that is no PDF body")
    results = ingest_paths([target], corpus)
    assert results[0].status == "failed"
    with Store.open(corpus) as store:
        assert sorted(d.symbol for _, d in store.documents()) == ["A/HRC/28/98", "A/HRC/28/99"]
        assert store.counts()["paragraphs"] == n_paragraphs
        assert [f.path for f in store.failures()] == [str(target)]
    # fixed again (the same content as stored): the failure is forgotten
    shutil.copy(tmp_path / "other.pdf", target)
    assert [r.status for r in ingest_paths([target], corpus)] == ["skipped"]
    with Store.open(corpus) as store:
        assert store.failures() == []


def test_bad_inputs_fail_one_by_one_while_the_batch_goes_on(tmp_path):
    text_as_pdf = tmp_path / "notes.pdf"
    text_as_pdf.write_text("These are notes, not a PDF.\n")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    other_ext = tmp_path / "table.csv"
    other_ext.write_text("a,b\n1,2\n")
    missing = tmp_path / "missing.pdf"
    good = tiny_pdf(tmp_path / "good.pdf", "A/HRC/28/96", "Kenya")
    corpus = tmp_path / "corpus"
    results = ingest_paths([text_as_pdf, empty, other_ext, missing, good], corpus)
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["good.pdf"].status == "added"
    expected = {
        "notes.pdf": "not a PDF",
        "empty.pdf": "empty file",
        "table.csv": "not a PDF",
        "missing.pdf": "file not found",
    }
    for name, words in expected.items():
        r = by_name[name]
        assert r.status == "failed", name
        assert words in r.reason, (name, r.reason)
        assert "\n" not in r.reason and r.path == str(tmp_path / name)
    with Store.open(corpus) as store:
        failures = {Path(f.path).name: f.reason for f in store.failures()}
        # files that exist and failed are kept in the corpus's list; a mistyped path is only said
        assert failures == {name: by_name[name].reason for name in expected if name != "missing.pdf"}
        assert store.counts()["documents"] == 1


def test_the_broken_and_scanned_pdfs_of_shared(tmp_path):
    """The 'corrupted' compilation has a broken cross-reference table that pdfminer cannot read
    past and PDFium rebuilds: it is read, and flagged; a truncated file and a scan still fail."""
    pdf_dir = need_shared("pdf")
    corrupted = next(pdf_dir.glob("CORRUPTED_*.pdf"))
    scanned = next(pdf_dir.glob("SCANNED_*.pdf"))
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(next(pdf_dir.glob("upr_A-HRC-8-27_*.pdf")).read_bytes()[:2000])
    good = tiny_pdf(tmp_path / "good.pdf", "A/HRC/28/95", "Kenya")
    results = ingest_paths([corrupted, scanned, truncated, good], tmp_path / "corpus")
    by_path = {r.path: r for r in results}
    assert by_path[str(corrupted)].status == "added"
    assert by_path[str(corrupted)].symbol == "A/HRC/WG.6/7/SVN/2"
    assert by_path[str(truncated)].status == "failed"
    assert by_path[str(truncated)].reason.startswith("corrupted PDF")
    assert by_path[str(scanned)].status == "failed"
    assert by_path[str(scanned)].reason == "no text layer; rerun with --ocr"
    assert by_path[str(good)].status == "added"
    with Store.open(tmp_path / "corpus") as store:
        assert {f.path for f in store.failures()} == {str(truncated), str(scanned)}
        flags = {doc.symbol: doc.flags for _, doc in store.documents()}
    assert "repaired" in flags["A/HRC/WG.6/7/SVN/2"] and "repaired" not in flags["A/HRC/28/95"]


def test_folders_are_searched_recursively_for_pdfs_only(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(ADDENDUM, folder / "sub" / "a.PDF")
    (folder / "readme.txt").write_text("not ingested")
    from rightsindex.ingest import expand_paths

    assert expand_paths([folder]) == [folder / "sub" / "a.PDF"]
    assert expand_paths([folder, folder / "sub" / "a.PDF"]) == [folder / "sub" / "a.PDF"]


def test_broken_links_and_folders_without_pdfs_are_said_not_skipped(tmp_path):
    folder = tmp_path / "in"
    (folder / "empty").mkdir(parents=True)
    good = tiny_pdf(folder / "good.pdf", "A/HRC/28/97", "Kenya")
    (folder / "gone.pdf").symlink_to("nowhere.pdf")
    (folder / "loop.pdf").symlink_to("loop.pdf")
    (folder / "back").symlink_to(".")  # a folder loop is not followed
    results = ingest_paths([folder, folder / "empty"], tmp_path / "corpus")
    by_name = {Path(r.path).name: (r.status, r.reason) for r in results}
    assert by_name == {
        "good.pdf": ("added", None),
        # both were left out silently, and "file not found" when named
        "gone.pdf": ("failed", "broken symbolic link (to nowhere.pdf, which does not exist)"),
        "loop.pdf": ("failed", "symbolic link loop (the link leads back to itself)"),
        # named beside other paths, it was passed over in silence
        "empty": ("failed", "is a directory with no PDF files"),
    }
    with Store.open(tmp_path / "corpus") as store:  # files that are there: kept in the failure list
        assert {Path(f.path).name for f in store.failures()} == {"gone.pdf", "loop.pdf"}
    assert str(good) in [r.path for r in results]


def test_a_file_name_not_in_utf8_is_stored_and_said_with_its_bytes_escaped(tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    tiny_pdf(folder / os.fsdecode(b"r\xe9port.pdf"), "A/HRC/28/98", "Kenya")  # Latin-1, as old zips
    (folder / os.fsdecode(b"n\xffotes.pdf")).write_text("not a PDF")
    corpus = tmp_path / "corpus"
    results = ingest_paths([folder], corpus)  # SQLite refused the name: a traceback ended the batch
    assert sorted((r.path, r.status) for r in results) == [
        (f"{folder}/n\\xffotes.pdf", "failed"), (f"{folder}/r\\xe9port.pdf", "added")]
    again = ingest_paths([folder], corpus)
    assert sorted(r.status for r in again) == ["failed", "skipped"]
    with Store.open(corpus) as store:
        assert [d.source_path for _, d in store.documents()] == [f"{folder}/r\\xe9port.pdf"]
        assert [f.path for f in store.failures()] == [f"{folder}/n\\xffotes.pdf"]


def test_worker_processes_store_the_same_as_one_process(tmp_path):
    files = [tiny_pdf(tmp_path / f"r{i}.pdf", f"A/HRC/28/{90 + i}", name)
             for i, name in enumerate(["Slovenia", "Mali", "Kenya"])]
    progress = []
    one = ingest_paths(files, tmp_path / "one")
    two = ingest_paths(files, tmp_path / "two", jobs=2, progress=lambda d, t: progress.append((d, t)))
    assert [(r.path, r.status, r.symbol, r.paragraphs, r.recommendations) for r in one] == [
        (r.path, r.status, r.symbol, r.paragraphs, r.recommendations) for r in two
    ]
    assert [r.symbol for r in two] == ["A/HRC/28/90", "A/HRC/28/91", "A/HRC/28/92"]
    assert progress == [(0, 3), (1, 3), (2, 3), (3, 3)]
    with Store.open(tmp_path / "one") as a, Store.open(tmp_path / "two") as b:
        assert a.counts() == b.counts()
        assert sorted(d.country_code for _, d in b.documents()) == ["KEN", "MLI", "SVN"]


def test_the_pdf_engine_can_be_chosen(tmp_path):
    plumber = ingest_paths([ADDENDUM], tmp_path / "a")
    pdfium = ingest_paths([ADDENDUM], tmp_path / "b", engine="pypdfium2")
    assert (pdfium[0].status, pdfium[0].symbol, pdfium[0].document_type) == ("added", *(
        plumber[0].symbol, plumber[0].document_type))
    with pytest.raises(ValueError, match="unknown PDF engine 'mupdf'"):
        ingest_paths([ADDENDUM], tmp_path / "c", engine="mupdf")


@pytest.mark.slow
def test_real_corpus_has_every_readable_pdf_of_shared(real_corpus_build):
    corpus, results = real_corpus_build
    pdfs = sorted(need_shared("pdf").glob("*.pdf"))
    assert len(results) == len(pdfs)
    failed = {Path(r.path).name for r in results if r.status == "failed"}
    # the scans without a text layer fail; the 'corrupted' compilation is repaired by PDFium
    assert failed == {p.name for p in pdfs if p.name.startswith("SCANNED_")}
    with Store.open(corpus) as store:
        assert store.counts()["documents"] == len(pdfs) - len(failed)


def test_again_reads_a_stored_file_again_and_replaces_its_records(tmp_path):
    """After an upgrade that reads a document better (the High Commissioner's letters, an
    addendum's comments), a stored file was always skipped: --again reads it again, and its old
    records are replaced, not doubled."""
    from rightsindex.corpus.store import Store
    from rightsindex.ingest.pipeline import ingest_paths, sample_pdfs

    mali = next(p for p in sample_pdfs() if p.name.startswith("mali"))
    corpus = tmp_path / "c"
    assert [r.status for r in ingest_paths([mali], corpus)] == ["added"]
    with Store.open(corpus) as store:
        store.conn.execute("DELETE FROM recommendations WHERE id IN (SELECT id FROM recommendations LIMIT 40)")
        store.conn.commit()
        assert store.count_recommendations() == 6  # as an older version might have read it
    assert [r.status for r in ingest_paths([mali], corpus)] == ["skipped"]
    assert [r.status for r in ingest_paths([mali], corpus, again=True)] == ["replaced"]
    with Store.open(corpus) as store:
        assert store.count_recommendations() == 46
        assert len(list(store.documents())) == 1


def test_a_folder_ingested_again_forgets_the_failures_of_files_gone_from_it(tmp_path):
    from rightsindex.corpus.store import Store
    from rightsindex.ingest.pipeline import ingest_paths

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "bad.pdf").write_text("not a PDF")
    (folder / "worse.pdf").write_text("not a PDF either")
    elsewhere = tmp_path / "other.pdf"
    elsewhere.write_text("no")
    corpus = tmp_path / "c"
    ingest_paths([folder, elsewhere], corpus)
    with Store.open(corpus) as store:
        assert len(store.failures()) == 3
    (folder / "bad.pdf").unlink()
    elsewhere.unlink()
    ingest_paths([folder], corpus)
    with Store.open(corpus) as store:
        # bad.pdf is gone from the folder: forgotten; worse.pdf still fails; other.pdf was not in it
        assert sorted(Path(f.path).name for f in store.failures()) == ["other.pdf", "worse.pdf"]


def test_another_language_saved_over_a_file_is_stored_beside_it(tmp_path):
    """The French version of a document saved over its English file (same UN symbol) keeps the
    English one: only a changed file of the same document in the same language replaces it."""
    pdfs = need_shared("pdf")
    english = pdfs / "upr_A-HRC-WG.6-7-ITA-1_Italy_national-report_2009_EN.pdf"
    french = pdfs / "upr_A-HRC-WG.6-7-ITA-1_Italy_national-report_2009_FR.pdf"
    corpus, target = tmp_path / "corpus", tmp_path / "report.pdf"
    shutil.copy(english, target)
    assert [r.status for r in ingest_paths([target], corpus)] == ["added"]
    shutil.copy(french, target)
    results = ingest_paths([target], corpus, any_language=True)
    assert [r.status for r in results] == ["added"]
    assert "kept: A/HRC/WG.6/7/ITA/1 (en)" in results[0].details
    with Store.open(corpus) as store:
        assert sorted((d.symbol, d.language) for _, d in store.documents()) == [
            ("A/HRC/WG.6/7/ITA/1", "en"), ("A/HRC/WG.6/7/ITA/1", "fr")]


def test_a_long_reports_pages_are_reported_as_they_are_read(tmp_path):
    """ingest shows the page of a long report in its progress bar: on_page(path, n, pages) per page."""
    pages = []
    results = ingest_paths([ADDENDUM], tmp_path / "c", on_page=lambda name, n, total: pages.append((name, n, total)))
    assert results[0].status == "added"
    total = pages[0][2]
    assert total > 1 and [n for _, n, _ in pages] == list(range(1, total + 1))
    assert {name for name, _, _ in pages} == {results[0].path}
    from rightsindex.cli._common import progress_bar

    progress, close = progress_bar("Ingesting")
    progress.note("before any bar")  # no bar yet: nothing to draw on, no error
    progress(0, 2)
    progress.note("report.pdf p. 5/40")
    progress(1, 2)  # the next step clears it
    close()


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="the test makes files slow or fatal in forked workers")
def test_a_file_that_outlasts_the_time_limit_or_crashes_its_reader_fails_alone(tmp_path, monkeypatch):
    """A PDF that hangs the reader, or kills it, fails with its reason; the batch goes on."""
    import os
    import time

    from rightsindex.ingest import pipeline

    real = pipeline.parse_file

    def parse(path, *args, **kwargs):
        if "slow" in path:
            time.sleep(60)
        if "crash" in path:
            os._exit(11)  # as a segmentation fault in the PDF library takes its process
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_file", parse)  # the workers are forked from this process
    files = [tiny_pdf(tmp_path / f"{name}.pdf", f"A/HRC/28/{90 + i}", "Slovenia")
             for i, name in enumerate(["slow", "good", "crash", "fine"])]
    pages = []
    started = time.monotonic()
    results = ingest_paths(files, tmp_path / "c", timeout=2, on_page=lambda *a: pages.append(a))
    assert time.monotonic() - started < 30
    by_name = {Path(r.path).stem: r for r in results}
    assert by_name["good"].status == by_name["fine"].status == "added"
    assert by_name["slow"].status == "failed" and "took more than 2 s and was stopped" in by_name["slow"].reason
    assert by_name["crash"].status == "failed" and "crashed" in by_name["crash"].reason
    assert {Path(p[0]).stem for p in pages} == {"good", "fine"}  # pages reported from the workers
    with Store.open(tmp_path / "c") as store:
        assert store.counts()["documents"] == 2
        assert sorted(Path(f.path).stem for f in store.failures()) == ["crash", "slow"]
    # two workers: the same
    both = ingest_paths(files, tmp_path / "d", jobs=2, timeout=2)
    assert sorted(r.status for r in both) == ["added", "added", "failed", "failed"]
