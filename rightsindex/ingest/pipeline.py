"""From files to the corpus store: expand, hash, parse (in worker processes), store.

    >>> from rightsindex.ingest import ingest_paths             # doctest: +SKIP
    >>> results = ingest_paths(["reports/"], "my-corpus", jobs=2)
    >>> [(r.path, r.status) for r in results]

Steps for each file:

1. its SHA-256 is computed first; a file whose hash is stored already is
   ``skipped`` without being parsed (the same document under another name is
   recognised this way);
2. a worker process reads its pages (``ingest.pdf.read_pages``), identifies it
   (``ingest.metadata.identify``) and runs the extractor of its family
   (:data:`FAMILIES`), returning a plain :class:`~rightsindex.ingest._base.Extraction`;
3. the parent process alone writes to SQLite, one transaction per document
   (``Store.add_document``): ``added``, or ``replaced`` when the same path (or the
   same symbol and language) held an older file.

A file that cannot be ingested is ``failed`` with a one-line reason, recorded in
the store (``Store.failures``), and the batch goes on. Nothing already stored is
lost: a failure never deletes the records of an earlier version.
"""

from __future__ import annotations

import functools
import importlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from rightsindex.corpus.store import Store
from rightsindex.errors import CorruptedPDFError, IngestError, NoTextLayerError, RightsIndexError
from rightsindex.ingest._base import Extraction, Extractor
from rightsindex.records import FROM_EXPORT, IngestFailure, IngestResult, Page

__all__ = [
    "FAMILIES",
    "FALLBACK",
    "ingest_paths",
    "expand_paths",
    "extractor_for",
    "parse_file",
    "Progress",
    "summarize",
    "finish_corpus",
    "document_rows",
    "corpus_status",
    "sample_pdfs",
    "demo_summary",
    "DOCUMENT_FIELDS",
]

#: ``progress(done, total)`` after each file.
Progress = Callable[[int, int], None]

#: document_type -> "module:function" of its extractor (imported when first used).
FAMILIES: dict[str, str] = {
    "upr_wg_report": "rightsindex.ingest.upr:extract_report",
    "upr_addendum": "rightsindex.ingest.upr:extract_addendum",
    "concluding_observations": "rightsindex.ingest.treaty:extract",
    "list_of_issues": "rightsindex.ingest.treaty:extract",
    "upr_compilation": "rightsindex.ingest.compilation:extract",
    "upr_stakeholder_summary": "rightsindex.ingest.compilation:extract",
    "nhri_report": "rightsindex.ingest.nhri:extract",
    "ngo_report": "rightsindex.ingest.nhri:extract",
    "letter": "rightsindex.ingest.letter:extract",
}
#: Every other type (national reports, resolutions, decisions, session reports, other):
#: paragraphs only.
FALLBACK = "rightsindex.ingest.generic:extract"

#: Pages handed to ``metadata.identify``.
HEAD_PAGES = 5


def _resolve(spec: str) -> Extractor:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def extractor_for(document_type: str) -> Extractor:
    """The extractor of a document type: its family's, else the generic one."""
    return _resolve(FAMILIES.get(document_type, FALLBACK))


# -- expanding paths ------------------------------------------------------------------------
def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files to ingest: folders searched recursively for ``*.pdf``; files as given.

    A file named explicitly is kept whatever its extension (it fails later as
    "not a PDF" if it is not one); a missing path is kept so that it fails with
    "file not found", a folder without PDFs so that it fails saying so, and a
    ``*.pdf`` symbolic link in a folder that leads nowhere (or to itself) so that
    it fails as a broken link. Duplicates are dropped, order kept.
    """
    out: list[Path] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() == ".pdf" and (p.is_file() or (p.is_symlink() and not p.exists()))
            ) or [path]
        else:
            found = [path]
        for p in found:
            key = os.path.abspath(p)
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


# -- the worker ---------------------------------------------------------------------------------
def _ocr_pages(path: str) -> list[Page]:
    from rightsindex.ingest.ocr import ocr_pages

    return list(ocr_pages(path))


def _has_text(pages: Sequence[Page]) -> bool:
    from rightsindex.ingest.pdf import has_text_layer

    return has_text_layer(pages)


def parse_file(path: str, sha256: str, ocr: bool = False, engine: str = "pdfplumber",
               on_page: Callable[[int, int], None] | None = None) -> Extraction:
    """Read, identify and extract one file (no store access). Raises IngestError.
    ``on_page(n, pages)`` is called as each page is read."""
    from rightsindex.ingest.metadata import identify
    from rightsindex.ingest.pdf import read_pages

    flags: list[str] = []
    try:
        pages = list(read_pages(path, engine=engine, on_page=on_page))
    except CorruptedPDFError as first:
        if engine == "pypdfium2":
            raise
        # PDFium rebuilds a broken cross-reference table that pdfminer cannot read past
        try:
            pages = list(read_pages(path, engine="pypdfium2", on_page=on_page))
        except IngestError:
            raise first from None
        flags.append("repaired")
    if not _has_text(pages):
        if not ocr:
            raise NoTextLayerError(path, "no text layer; rerun with --ocr")
        pages = _ocr_pages(path)
        flags.append("ocr")
        if not _has_text(pages):
            raise NoTextLayerError(path, "no text layer and OCR found no text")
    document = identify(pages[:HEAD_PAGES], path, sha256=sha256, pages=len(pages))
    if document.symbol is None and _noisy(pages):
        # UN documents are born digital; a text layer without a symbol may be a scan's OCR
        flags.append("noisy_ocr")
    if flags:
        document = document.replace(flags=tuple(dict.fromkeys((*document.flags, *flags))))
    extraction = extractor_for(document.document_type)(pages, document)
    if flags and not set(flags) <= set(extraction.document.flags):
        extraction.document = extraction.document.replace(
            flags=tuple(dict.fromkeys((*extraction.document.flags, *flags)))
        )
    return extraction


def _noisy(pages: Sequence[Page]) -> bool:
    from rightsindex.ingest.ocr import is_noisy

    return bool(is_noisy(pages))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def _work(task: tuple[int, str, str, bool, str],
          on_page: Callable[[int, int], None] | None = None) -> tuple[int, Extraction | None, str | None]:
    """Worker entry point (top level, so spawn can find it): (index, extraction, failure reason)."""
    index, path, sha, ocr, engine = task
    try:
        return index, parse_file(path, sha, ocr, engine, on_page), None
    except IngestError as exc:
        return index, None, _one_line(exc.reason)
    except Exception as exc:  # the one place a failed file is recorded and the batch moves on
        return index, None, _one_line(f"could not be parsed ({type(exc).__name__}: {exc})")


def _sha256(path: Path) -> str:
    from rightsindex.ingest.pdf import sha256_file

    return sha256_file(path)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _forget_gone_failures(store: Store, paths: Iterable[str | os.PathLike[str]]) -> None:
    """A folder ingested again is taken as it is now: the failures recorded for files in it that
    are no longer there (deleted, or renamed and fixed) are forgotten, so that ``status`` lists
    only what still fails."""
    folders = [os.path.join(str(p), "") for p in paths if Path(p).is_dir()]
    if not folders:
        return
    for failure in store.failures():
        if any(failure.path.startswith(f) for f in folders) and not os.path.lexists(failure.path):
            store.clear_failure(failure.path)


# -- the parent ------------------------------------------------------------------------------------
#: Languages a document may be written in besides English (ISO 639-1): the UN's other official ones.
LANGUAGES = {"fr": "French", "es": "Spanish", "ru": "Russian", "ar": "Arabic", "zh": "Chinese"}


def language_reason(code: str) -> str:
    """Why a document not in English fails to ingest (one line)."""
    return (f"written in {LANGUAGES.get(code, code)} ({code}), not English: rightsindex reads recommendations "
            "in the English versions of UN documents (ingest --any-language stores it for paragraph search)")


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    corpus_dir: str | os.PathLike[str],
    *,
    jobs: int = 1,
    ocr: bool = False,
    progress: Progress | None = None,
    engine: str = "pdfplumber",
    again: bool = False,
    any_language: bool = False,
    on_page: Callable[[str, int, int], None] | None = None,
    timeout: float | None = None,
) -> list[IngestResult]:
    """Ingest files and folders into the corpus at ``corpus_dir``; one result per file.

    ``jobs`` worker processes parse PDFs (1: in this process); ``ocr`` runs OCR on
    files without a text layer instead of failing them. ``progress(done, total)``
    is called before the first file and after each. Results come in the order of the expanded paths.
    ``engine`` names the PDF engine of ``ingest.pdf.read_pages`` (``pdf.ENGINES``).
    ``again``: files stored already are read again and replace their records (after an upgrade
    that reads them better), instead of being skipped. A document not written in English fails
    (:func:`language_reason`), unless ``any_language``: it is then stored for its metadata and
    paragraphs, with no recommendations read. ``on_page(path, n, pages)`` is called as each page of a
    file is read: a long report's progress. ``timeout``: a file not read within so many seconds fails
    (its worker process is stopped) and the others go on; files are then read in worker processes
    even with ``jobs`` 1, and one that crashes the PDF library fails alone too.
    """
    from rightsindex.ingest.pdf import ENGINES

    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {', '.join(ENGINES)}")
    paths = list(paths)
    files = expand_paths(paths)
    names = [_shown(f) for f in files]  # what the store keeps and the user is shown
    total = sum(not f.is_dir() for f in files)
    results: list[IngestResult | None] = [None] * len(files)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    with Store.open(corpus_dir) as store:
        store.require_writable()  # a read-only corpus: said before reading any file
        _forget_gone_failures(store, paths)
        if progress is not None and total:
            progress(0, total)  # the bar shows while the first file is read

        def fail(i: int, reason: str, sha: str | None = None, *, record: bool = True) -> None:
            path = names[i]
            if record:  # a mistyped path is said, not kept in the corpus's failure list
                store.record_failure(IngestFailure(path=path, reason=reason, sha256=sha))
            results[i] = IngestResult(path=path, status="failed", reason=reason)
            tick()

        tasks: list[tuple[int, str, str, bool, str]] = []
        batch_shas: dict[str, str] = {}
        for i, path in enumerate(files):
            if not path.exists():
                if path.is_symlink():  # a file that is there, in a folder or named: kept in the list
                    fail(i, _broken_link(path))
                else:
                    fail(i, "file not found", record=False)
                continue
            if path.is_dir():  # said, not counted as a file read (no progress bar for it alone)
                results[i] = IngestResult(path=names[i], status="failed",
                                          reason="is a directory with no PDF files")
                continue
            try:
                sha = _sha256(path)
            except OSError as exc:
                fail(i, f"cannot read the file ({exc.strerror or exc})")
                continue
            stored = store.has_sha(sha)
            if stored is not None and (again or FROM_EXPORT in stored.flags):
                stored = None  # read again, or an export's copy of it is stored: the file replaces it
            if stored is not None or sha in batch_shas:
                same_as = stored.source_path if stored is not None else batch_shas[sha]
                details: tuple[str, ...] = ()
                if os.path.abspath(same_as) != os.path.abspath(names[i]):
                    details = (f"same content as {same_as}",)
                store.clear_failure(names[i])
                results[i] = IngestResult(
                    path=names[i], status="skipped",
                    symbol=stored.symbol if stored else None,
                    document_type=stored.document_type if stored else None,
                    details=details,
                )
                tick()
                continue
            batch_shas[sha] = names[i]
            tasks.append((i, str(path), sha, ocr, engine))

        def store_one(index: int, extraction: Extraction | None, reason: str | None) -> None:
            if extraction is None:
                fail(index, reason or "could not be parsed", tasks_sha.get(index))
                return
            doc = extraction.document
            if doc.language and doc.language != "en" and not any_language:
                fail(index, language_reason(doc.language), tasks_sha.get(index))
                return
            if doc.source_path != names[index]:  # a name not in UTF-8, which SQLite cannot store
                doc = extraction.document = doc.replace(source_path=names[index])
            others = store.other_documents_at(doc.source_path, doc.symbol, doc.language)
            status = store.add_document(
                doc, extraction.paragraphs, extraction.recommendations,
                [(s, p, r, extraction.comments.get((s, p))) for s, p, r in extraction.responses],
                again=again,
            )
            results[index] = IngestResult(
                path=names[index],
                status=status,
                symbol=doc.symbol,
                document_type=doc.document_type,
                recommendations=len(extraction.recommendations),
                paragraphs=len(extraction.paragraphs),
                details=tuple(f"flag: {f}" for f in doc.flags) + (
                    (f"language: {doc.language}",) if doc.language and doc.language != "en" else ()) + tuple(
                    f"kept: {o}" for o in others),
            )
            tick()

        tasks_sha = {t[0]: t[2] for t in tasks}
        # biggest files first, so that one long report does not finish alone at the end
        tasks.sort(key=lambda t: -_size(t[1]))
        workers = max(1, min(int(jobs or 1), len(tasks)))
        page = None if on_page is None else (lambda i, n, pages: on_page(names[i], n, pages))
        if workers == 1 and not timeout:
            for task in tasks:
                store_one(*_work(task, None if page is None else functools.partial(page, task[0])))
        elif tasks:
            from rightsindex.ingest.workers import run_tasks

            # worker processes, watched: a file that outlasts the time limit or crashes its reader fails alone
            for outcome in run_tasks(tasks, _work, workers=workers, ctx=_context(), timeout=timeout, on_page=page):
                store_one(*outcome)
    return [r for r in results if r is not None]


def _shown(path: Path) -> str:
    """A path as text: a file name not in UTF-8 (Latin-1 bytes from an old archive) with its bytes
    written ``\\xe9``; Python reads them as lone surrogates, which SQLite and a terminal refuse."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _broken_link(path: Path) -> str:
    """Why a symbolic link cannot be read: it leads to itself (a loop) or to nothing."""
    import errno

    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself)"
    return f"broken symbolic link (to {os.readlink(path)}, which does not exist)"


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def summarize(results: Sequence[IngestResult]) -> dict[str, Any]:
    """Counts by status and the failures, for printing."""
    counts = {s: 0 for s in ("added", "replaced", "skipped", "failed")}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return {
        **counts,
        "recommendations": sum(r.recommendations for r in results if r.status in ("added", "replaced")),
        "failures": [(r.path, r.reason) for r in results if r.status == "failed"],
    }


# -- after ingesting: tagging and indexing (other areas; used when they are installed) ----------------
def finish_corpus(
    corpus_dir: str | os.PathLike[str],
    *,
    tag: bool = True,
    index: bool = True,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Tag untagged recommendations and bring the search index up to date.

    Returns ``{"tagged": n or None, "indexed": n or None, "errors": [messages]}``.
    A tagging error (e.g. a missing or broken model) is reported in ``errors`` and
    the index is still synced, so that search works on what was stored.
    """
    from rightsindex.nlp import tag_corpus
    from rightsindex.search import sync_index

    out: dict[str, Any] = {"tagged": None, "indexed": None, "errors": []}
    if tag:
        try:
            with Store.open(corpus_dir) as store:
                out["tagged"] = tag_corpus(store, progress=progress)
        except RightsIndexError as exc:
            out["errors"].append(f"tagging failed: {exc}")
    if index:
        out["indexed"] = sync_index(corpus_dir, progress=progress)
    return out


# -- what a corpus holds ----------------------------------------------------------------------------
DOCUMENT_FIELDS = (
    "symbol", "document_type", "body", "country", "country_code", "date", "year", "review_date",
    "session", "cycle", "language", "title", "pages", "source_file", "sha256", "paragraphs",
    "recommendations", "flags",
)


def document_rows(corpus_dir: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """One row per stored document with :data:`DOCUMENT_FIELDS`. Raises CorpusError if no corpus."""
    with Store.open(corpus_dir, create=False) as store:
        counts = store.document_counts()
        rows = []
        for doc_id, doc in store.documents():
            n_par, n_rec = counts.get(doc_id, (0, 0))
            rows.append({
                "symbol": doc.symbol, "document_type": doc.document_type, "body": doc.body,
                "country": doc.country, "country_code": doc.country_code, "date": doc.date,
                "year": doc.year, "review_date": doc.review_date, "session": doc.session,
                "cycle": doc.cycle, "language": doc.language, "title": doc.title, "pages": doc.pages,
                "source_file": doc.source_path,
                "sha256": doc.sha256, "paragraphs": n_par, "recommendations": n_rec,
                "flags": list(doc.flags),
            })
    return rows


def corpus_status(corpus_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """``Store.counts()`` plus the failures as ``(path, reason)``. Raises CorpusError if no corpus."""
    with Store.open(corpus_dir, create=False) as store:
        counts = store.counts()
        counts["failure_list"] = [(f.path, f.reason) for f in store.failures()]
        reviews = store.reviews()
        counts["reviews"] = sum(len(v) for v in reviews.values())
        counts["reviewed_texts"] = len(reviews)
        counts["responses"] = dict(store.conn.execute(
            "SELECT COALESCE(response, 'unknown'), COUNT(*) FROM recommendations GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall())
        from rightsindex.ingest.tabular import overlap_note, overlapping_reviews

        counts["overlapping_reviews"] = overlapping_reviews(store)
        counts["overlap_note"] = overlap_note(counts["overlapping_reviews"])
        counts["undated_reviews"] = [r[0] or r[1] for r in store.conn.execute(
            "SELECT symbol, source_path FROM documents WHERE document_type = 'upr_wg_report' "
            "AND review_date IS NULL ORDER BY symbol")]
    return counts


def undated_note(reports: list[str]) -> str | None:
    """What to do about working-group reports without the date of their review: read by an older
    rightsindex (or the date was not found), they count in the year of the report, not the review's."""
    if not reports:
        return None
    shown = ", ".join(reports[:3]) + (f" and {len(reports) - 3} more" if len(reports) > 3 else "")
    return (f"{len(reports)} working-group report(s) have no review date ({shown}): they count in the "
            "report's year, not the review's; 'rightsindex ingest FOLDER --again' reads them again")


# -- the demo ---------------------------------------------------------------------------------------
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "corpus" / "samples"


def sample_pdfs() -> list[Path]:
    """The UN documents bundled with rightsindex (see corpus/samples/README.md)."""
    return sorted(SAMPLES_DIR.glob("*.pdf"))


def demo_summary(corpus_dir: str | os.PathLike[str], *, examples: int = 3) -> dict[str, Any]:
    """What a corpus holds, for the demo: documents, counts, a few recommendations, tag counts.

    The examples are taken one per document where possible, preferring recommendations with
    ESC-rights or fiscal tags (what rightsindex is for) and with their recommending States.
    """
    with Store.open(corpus_dir, create=False) as store:
        counts = store.counts()
        docs = [doc for _, doc in store.documents()]
        doc_counts = store.document_counts()
        per_doc = {
            doc.sha256: doc_counts.get(doc_id, (0, 0)) for doc_id, doc in store.documents()
        }
        best: dict[str, tuple[int, dict[str, Any]]] = {}
        for rec in store.recommendations():
            tags = [t for t in rec.tags if t.family in ("esc_rights", "fiscal", "groups")]
            row = rec.to_row() | {
                "tags": [f"{t.family}:{t.label}" for t in tags],
                "evidence": {f"{t.family}:{t.label}": list(t.evidence) for t in tags if t.evidence},
            }
            rank = (
                2 * any(t.family == "fiscal" for t in tags)
                + 2 * any(t.family == "esc_rights" for t in tags)
                + bool(rec.recommendation.recommending_states)
                + bool(row["evidence"])
            )
            key = rec.document.sha256
            if key not in best or rank > best[key][0]:
                best[key] = (rank, row)
        samples = [row for _, row in sorted(best.values(), key=lambda x: -x[0])][:examples]
        tags_by_family: dict[str, dict[str, int]] = {}
        for family, label, n in store.conn.execute(
            "SELECT family, label, COUNT(*) FROM tags GROUP BY 1, 2 ORDER BY 3 DESC, 2"
        ).fetchall():
            tags_by_family.setdefault(family, {})[label] = n
        responses = dict(store.conn.execute(
            "SELECT COALESCE(response, 'unknown'), COUNT(*) FROM recommendations GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall())
    return {
        "counts": counts,
        "documents": [(d, per_doc.get(d.sha256, (0, 0))) for d in docs],
        "examples": samples,
        "tags_by_family": tags_by_family,
        "responses": responses,
    }
