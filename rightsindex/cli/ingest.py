"""CLI: ``ingest``, ``status``, ``documents``, ``remove`` and ``demo`` (thin over rightsindex.ingest)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from rightsindex.cli._common import CorpusPath, corpus_dir, corpus_option, fail, progress_bar, remove_if_empty
from rightsindex.corpus.store import STORE_FILE
from rightsindex.errors import RightsIndexError


#: What a document's flag tells the user at ingest (``documents`` shows the flags later).
_FLAG_NOTES = {
    "repaired": "its structure was broken (cross-reference table); read with PDFium's repair, check its text",
    "ocr": "no text layer; its text comes from OCR",
    "noisy_ocr": "its text layer is noisy OCR; expect misread words",
}


#: How long ingest lets one file be read, in seconds, unless --timeout says otherwise. The 181-page
#: HRC session report takes about 25 s.
DEFAULT_TIMEOUT = 600


def _run_ingest(paths: list[Path], folder: Path, *, jobs: int, ocr: bool, tag: bool,
                engine: str = "pdfplumber", again: bool = False,
                any_language: bool = False, timeout: float = DEFAULT_TIMEOUT) -> tuple[int, list[str]]:
    """Ingest, print the summary, tag and index. Returns (failed files, tagging/indexing errors)."""
    from rightsindex.ingest import finish_corpus, ingest_paths, summarize
    from rightsindex.ingest.pipeline import LANGUAGES

    had_folder, had_store = folder.exists(), (folder / STORE_FILE).exists()
    progress, close = progress_bar("Ingesting")
    try:
        def on_page(name: str, n: int, pages: int) -> None:
            if pages >= _LONG and (n == 1 or n % 5 == 0):  # a long report: its page, not a bar standing still
                progress.note(f"{Path(name).name[:40]} p. {n}/{pages}")  # type: ignore[attr-defined]

        results = ingest_paths(paths, folder, jobs=jobs, ocr=ocr, progress=progress, engine=engine,
                               again=again, any_language=any_language, on_page=on_page, timeout=timeout or None)
    except RightsIndexError as exc:
        raise fail(exc) from exc
    finally:
        close()
    # nothing stored nor recorded (a mistyped path): the corpus this made is removed again
    emptied = not had_store and remove_if_empty(folder, had_folder, failures_too=True)
    if all(r.status == "failed" and r.reason == "is a directory with no PDF files" for r in results):
        raise click.ClickException(f"no PDF files found in {', '.join(str(p) for p in paths)}")
    s = summarize(results)
    click.echo(
        f"{len(results)} file(s): {s['added']} added, {s['replaced']} replaced, "
        f"{s['skipped']} skipped, {s['failed']} failed; "
        f"{s['recommendations']} recommendations stored in {folder}"
        + (" (nothing to keep: no corpus was made there)" if emptied else "")
    )
    for r in results:
        if r.status == "skipped" and r.details:
            click.echo(f"  skipped {r.path}: {r.details[0]}")
        elif r.status in ("added", "replaced"):
            for flag in (d.removeprefix("flag: ") for d in r.details if d.startswith("flag: ")):
                if flag in _FLAG_NOTES:
                    click.echo(f"  {flag} {r.path}: {_FLAG_NOTES[flag]}")
            for kept in (d.removeprefix("kept: ") for d in r.details if d.startswith("kept: ")):
                click.echo(f"  kept {r.path}: it held {kept} before, which is kept as read then; the file "
                           f"now holds {r.symbol or 'another document'}, stored beside it")
            for code in (d.removeprefix("language: ") for d in r.details if d.startswith("language: ")):
                # stored for its metadata and paragraphs; recommendations are read in English only
                click.echo(f"  language {r.path}: written in {LANGUAGES.get(code, code)} ({code}); "
                           f"{r.recommendations} recommendations read: rightsindex reads recommendations "
                           "in the English versions of UN documents")
    if s["failures"]:
        click.echo("Failed:", err=True)
        for path, reason in s["failures"]:
            click.echo(f"  {path}: {reason}", err=True)
    if not emptied and (s["added"] or s["replaced"] or tag):
        progress, close = progress_bar("Tagging and indexing")
        try:
            done = finish_corpus(folder, tag=tag, progress=progress)
        except RightsIndexError as exc:
            raise fail(exc) from exc
        finally:
            close()
        if done["tagged"] is not None:
            click.echo(f"Tagged {done['tagged']} recommendation(s).")
        if done["indexed"] is not None:
            n = done["indexed"]
            click.echo(f"Search index updated: {n:,} recommendation(s) indexed." if n
                       else "Search index up to date.")
        errors = done["errors"]
    else:
        errors = []
    return len(s["failures"]), errors


def _interactive() -> bool:
    """Whether a person is at the terminal to answer a question (not a script or a pipe)."""
    return sys.stdin.isatty()


#: Pages from which a file's reading shows its page in the progress bar.
_LONG = 20


_HEADINGS = {"country_code": "code", "language": "lang", "paragraphs": "paras", "recommendations": "recs",
             "document_type": "type"}


def _table(rows: list[dict[str, Any]], columns: list[str], widths: dict[str, int]) -> str:
    def cell(value: Any, width: int) -> str:
        text = "" if value is None else ", ".join(value) if isinstance(value, list) else str(value)
        return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)

    head = "  ".join(cell(_HEADINGS.get(c, c), widths.get(c, 12)) for c in columns)
    lines = [head.rstrip(), "-" * len(head.rstrip())]
    for row in rows:
        lines.append("  ".join(cell(row.get(c), widths.get(c, 12)) for c in columns).rstrip())
    return "\n".join(lines)


def register(main: click.Group) -> None:
    """Add ``ingest``, ``status``, ``documents``, ``remove`` and ``demo`` to the CLI."""

    @main.command("ingest")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
                  help="Worker processes parsing PDFs.")
    @click.option("--ocr", is_flag=True, help="OCR files that have no text layer (needs Tesseract).")
    @click.option("--no-tag", "no_tag", is_flag=True, help="Do not tag the new recommendations.")
    @click.option("--engine", type=click.Choice(["pdfplumber", "pypdfium2"]), default="pdfplumber",
                  show_default=True,
                  help="PDF engine reading the pages. pypdfium2 reads 2-4 times faster and finds the same "
                  "recommendations in UN reports, but fewer in designed reports (6 of an NGO report's 19).")
    @click.option("--again", is_flag=True,
                  help="Read files stored already again, replacing their records (after an upgrade that "
                  "reads them better, e.g. the High Commissioner's letters); they are skipped otherwise.")
    @click.option("--any-language", "any_language", is_flag=True,
                  help="Store documents written in another language than English too, for their metadata "
                  "and paragraph search (no recommendations are read in them); without it they fail.")
    @click.option("--timeout", type=click.IntRange(0, None), default=DEFAULT_TIMEOUT, show_default=True,
                  metavar="SECONDS",
                  help="A file not read within so many seconds fails (a damaged or enormous PDF), and the "
                  "others go on; 0: no limit.")
    @corpus_option
    @click.pass_context
    def ingest_cmd(ctx: click.Context, paths: tuple[Path, ...], jobs: int, ocr: bool, no_tag: bool,
                   engine: str, again: bool, any_language: bool, timeout: int, corpus: Path | None) -> None:
        """Ingest PDF files and folders (searched recursively for *.pdf) into a corpus.

        Each file is identified (symbol, type, State, date, language), its
        paragraphs and recommendations are stored, then new recommendations are
        tagged and the search index is updated. A file already stored (same
        content, any name) is skipped (--again reads it again); a changed file
        replaces its old records if it is the same document (same UN symbol and
        language), else it is stored beside them.
        Files that cannot be ingested (not a PDF, damaged, encrypted, scanned
        without --ocr, not written in English without --any-language, not read
        within --timeout, or crashing the PDF library) are listed
        with the reason, recorded for 'rightsindex status', and make the exit
        code 1; the rest are stored.

        \b
        Examples:
          rightsindex ingest reports/ --corpus my-corpus
          rightsindex ingest a.pdf b.pdf --jobs 2 --no-tag
          rightsindex ingest scans/ --ocr
          rightsindex ingest reports/ --engine pypdfium2   # faster; for UN reports
          rightsindex ingest reports/ --again              # re-read after an upgrade
        """
        failed, errors = _run_ingest(list(paths), corpus_dir(corpus), jobs=jobs, ocr=ocr, tag=not no_tag,
                                     engine=engine, again=again, any_language=any_language, timeout=timeout)
        if errors:
            raise click.ClickException("; ".join(errors) + " (the documents are stored; rerun with --no-tag "
                                       "or run 'rightsindex tag' later)")
        if failed:
            ctx.exit(1)

    @main.command("status")
    @corpus_option
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                  help="Output format.")
    @click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
    def status_cmd(corpus: Path | None, fmt: str, as_json: bool) -> None:
        """What the corpus holds: documents by type, country and year; recommendations,
        responses, how many are tagged; failed files with their reasons.

        \b
        Example:
          rightsindex status --corpus my-corpus
        """
        from rightsindex.ingest.pipeline import corpus_status, undated_note

        folder = corpus_dir(corpus)
        try:
            st = corpus_status(folder)
        except RightsIndexError as exc:
            raise fail(exc) from exc
        if as_json or fmt == "json":
            click.echo(json.dumps(st, ensure_ascii=False, indent=2, default=str))
            return
        click.echo(f"Corpus {folder}")
        click.echo(f"  documents:        {st['documents']}")
        click.echo(f"  paragraphs:       {st['paragraphs']}")
        click.echo(f"  recommendations:  {st['recommendations']}  (tagged: {st['tagged']})")
        if st.get("reviews"):
            click.echo(f"  reviews:          {st['reviews']} label(s) of {st['reviewed_texts']} text(s) "
                       "('rightsindex review --list')")
        if st["responses"]:
            click.echo("  responses:        " + ", ".join(f"{k} {v}" for k, v in st["responses"].items()))
        for title, key in (("documents by type", "by_type"), ("documents by country", "by_country"),
                           ("documents by year", "by_year")):
            if st[key]:
                items = list(st[key].items())
                shown = ", ".join(f"{k or '-'} {v}" for k, v in items[:20])
                more = f", ... and {len(items) - 20} more (--json lists all)" if len(items) > 20 else ""
                click.echo(f"  {title}: {shown}{more}")
        click.echo(f"  failures:         {st['failures']}")
        for path, reason in st["failure_list"]:
            click.echo(f"    {path}: {reason}")
        if st.get("overlap_note"):
            click.echo(f"  note: {st['overlap_note']}")
        undated = undated_note(st.get("undated_reviews") or [])
        if undated:
            click.echo(f"  note: {undated}")

    @main.command("documents")
    @corpus_option
    @click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
                  show_default=True, help="Output format.")
    @click.option("--type", "types", multiple=True, metavar="TYPE",
                  help="Only documents of this type (upr_wg_report, upr_info_import, ...); repeatable.")
    @click.option("--country", "countries", multiple=True, metavar="STATE",
                  help="Only documents about this State (ISO code or name); repeatable.")
    def documents_cmd(corpus: Path | None, fmt: str, types: tuple[str, ...],
                      countries: tuple[str, ...]) -> None:
        """List the corpus's documents. The table shows symbol, type, country, date, language, pages,
        paragraphs, recommendations, flags and title; --format csv or jsonl gives every field: also
        body, year (a working-group report's: its review's), review date, session, cycle, source file
        and sha256. --type and --country narrow the list (UPR Info's CSV alone adds a document per
        review).

        \b
        Examples:
          rightsindex documents --corpus my-corpus
          rightsindex documents --format csv > documents.csv
          rightsindex documents --type upr_wg_report --country Kenya --country IND
        """
        from rightsindex.ingest import DOCUMENT_FIELDS, document_rows

        try:
            wanted_types = _document_types(types)
            wanted_countries = _country_codes(countries)
            rows = document_rows(corpus_dir(corpus))
        except RightsIndexError as exc:
            raise fail(exc) from exc
        rows = [r for r in rows if (not wanted_types or r["document_type"] in wanted_types)
                and (not wanted_countries or (r["country_code"] or "").upper() in wanted_countries)]
        if fmt == "jsonl":
            for row in rows:
                click.echo(json.dumps(row, ensure_ascii=False))
        elif fmt == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=list(DOCUMENT_FIELDS), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(row | {"flags": "|".join(row["flags"])})
        else:
            cols = ["symbol", "document_type", "country_code", "date", "language", "pages",
                    "paragraphs", "recommendations", "flags", "title"]
            widths = {"symbol": 22, "document_type": 23, "country_code": 4, "date": 10, "language": 4,
                      "pages": 5, "paragraphs": 5, "recommendations": 5, "flags": 9, "title": 60}
            click.echo(_table(rows, cols, widths))
            click.echo(f"{len(rows)} document(s)")

    def _document_types(values: tuple[str, ...]) -> set[str]:
        """``--type`` values as document types; a type no document can have is an error naming the
        likely one (``--type compilation``: did you mean upr_compilation?)."""
        import difflib

        from rightsindex.errors import QueryError
        from rightsindex.records import DOCUMENT_TYPES

        out = set()
        for value in values:
            key = value.strip().lower()
            if key not in DOCUMENT_TYPES:
                close = [t for t in DOCUMENT_TYPES if key and key in t] or difflib.get_close_matches(
                    key, DOCUMENT_TYPES, n=3, cutoff=0.6)
                hint = (f"did you mean {' or '.join(close)}?" if close
                        else f"types: {', '.join(DOCUMENT_TYPES)}")
                raise QueryError(f"unknown document type '{value}'; {hint}")
            out.add(key)
        return out

    def _country_codes(values: tuple[str, ...]) -> set[str]:
        """``--country`` values (codes or names, any case) as ISO codes; an unknown one is an error
        naming the likely State."""
        from rightsindex.errors import QueryError
        from rightsindex.ingest import countries
        from rightsindex.search.query import country_error

        out = set()
        for value in values:
            two = countries.ambiguous(value)
            if two:
                raise QueryError(f"{two}: use its ISO code")
            code = value.strip().upper() if countries.from_code(value.strip()) else None
            hit = None if code else countries.lookup(value, fuzzy=False)
            if not code and not hit:
                raise country_error(value)
            out.add(code or hit[1])
        return out

    @main.command("remove")
    @click.argument("targets", nargs=-1)
    @click.option("--type", "types", multiple=True, metavar="TYPE",
                  help="Only documents of this type (as 'rightsindex documents' shows it, e.g. "
                  "upr_info_import); alone, every one of them. Repeatable.")
    @click.option("--country", "countries", multiple=True, metavar="STATE",
                  help="Only documents of this State (ISO code or name); alone, every one of them. Repeatable.")
    @click.option("--dry-run", "dry_run", is_flag=True, help="List what would be removed, and remove nothing.")
    @click.option("--yes", "-y", "yes", is_flag=True, help="Remove without asking.")
    @corpus_option
    @click.pass_context
    def remove_cmd(ctx: click.Context, targets: tuple[str, ...], types: tuple[str, ...],
                   countries: tuple[str, ...], dry_run: bool, yes: bool, corpus: Path | None) -> None:
        """Remove documents from the corpus, with everything read from them: paragraphs,
        recommendations, tags, and the responses an addendum states (the report's recommendations
        get back their own response, or UPR Info's). A document is named by its UN symbol (any
        case), its file (by content, or the path it was read from), a folder (every file read from
        under it), its source as 'documents --format csv' shows it (upr-info:session-8:KEN for
        UPR Info's rows of a review) or its SHA-256 (8 or more hex digits); --type and --country
        narrow them, or alone name every document of that type or State. A failure recorded for a
        path named is forgotten too. The files themselves are not touched.

        It lists what it will remove and asks first; --yes removes without asking (a script must
        give it), --dry-run only lists. A name that matches nothing is an error (exit code 1),
        after the rest is removed.

        \b
        Examples:
          rightsindex remove A/HRC/21/10 --corpus my-corpus
          rightsindex remove reports/old-draft.pdf --yes
          rightsindex remove --type upr_info_import --dry-run   # UPR Info's imported rows
          rightsindex remove reports/2008/ --country BRA --yes
        """
        from rightsindex.corpus.removal import remove, select
        from rightsindex.corpus.store import Store

        folder = corpus_dir(corpus)
        if not (folder / STORE_FILE).is_file():
            raise click.ClickException(f"{folder}: no corpus here")
        try:
            with Store.open(folder, create=False) as store:
                if not dry_run:
                    store.require_writable()  # said before listing and asking, not after
                selection = select(store, list(targets), types=types, countries=countries)
                for target in selection.unmatched:
                    click.echo(f"  no document: {target} names nothing stored in {folder} "
                               "('rightsindex documents --format csv' lists symbols and sources)", err=True)
                if not selection:
                    raise click.ClickException(f"nothing to remove from {folder}")
                verb = "would remove" if dry_run else "will remove"
                docs = selection.documents
                click.echo(f"{'Would remove' if dry_run else 'Removing'} {len(docs)} document(s) with "
                           f"{selection.recommendations:,} recommendation(s) from {folder}:")
                for row in docs.values():
                    counts = f"{row['recommendations']:,} recommendations, {row['paragraphs']:,} paragraphs"
                    click.echo(f"  {row['symbol']} ({row['document_type']}, {counts}; read from {row['source_path']})"
                               if row["symbol"] else f"  {row['source_path']} ({row['document_type']}, {counts})")
                for path in selection.failures:
                    click.echo(f"  the failure recorded for {path}")
                if dry_run:
                    click.echo(f"(dry run: nothing removed; {verb} these without --dry-run)")
                    ctx.exit(1 if selection.unmatched else 0)
                if not yes:
                    if not _interactive():
                        raise click.ClickException("not removed: add --yes to remove without asking "
                                                   "(or --dry-run to list only)")
                    click.confirm("Remove them?", abort=True, err=True)
                removed = remove(store, selection)
        except RightsIndexError as exc:
            raise fail(exc) from exc
        click.echo(f"Removed {len(removed)} document(s), {sum(r['recommendations'] for r in removed):,} "
                   f"recommendation(s)" + (f"; forgot {len(selection.failures)} failure(s)"
                                           if selection.failures else "") + ".")
        from rightsindex.ingest import finish_corpus

        progress, close = progress_bar("Indexing")
        try:
            finish_corpus(folder, tag=False, progress=progress)
        except RightsIndexError as exc:
            raise fail(exc) from exc
        finally:
            close()
        click.echo("Search index updated.")
        if selection.unmatched:
            ctx.exit(1)

    @main.command("demo")
    @click.option("--corpus", type=CorpusPath(),
                  default=Path("rightsindex-demo"), show_default=True,
                  help="Folder for the demo corpus.")
    @click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
                  help="Worker processes parsing PDFs.")
    @click.option("--no-tag", "no_tag", is_flag=True, help="Do not tag the recommendations.")
    def demo_cmd(corpus: Path, jobs: int, no_tag: bool) -> None:
        """Build a corpus from the UN documents bundled with rightsindex and show what it found.

        The samples are the UPR Working Group report on Slovenia (A/HRC/28/15),
        Slovenia's responses (A/HRC/28/15/Add.1) and the report on Mali (A/HRC/8/50).
        Running it again reuses the corpus (nothing is stored twice).

        \b
        Example:
          rightsindex demo
          rightsindex search 'housing' --corpus rightsindex-demo
        """
        from rightsindex.ingest import demo_summary, sample_pdfs

        pdfs = sample_pdfs()
        if not pdfs:
            raise click.ClickException("no sample PDFs found in the installed package (rightsindex/corpus/samples)")
        failed, errors = _run_ingest(pdfs, corpus, jobs=jobs, ocr=False, tag=not no_tag)
        try:
            summary = demo_summary(corpus)
        except RightsIndexError as exc:
            raise fail(exc) from exc
        click.echo("")
        click.echo("Documents:")
        for doc, (n_par, n_rec) in summary["documents"]:
            click.echo(
                f"  {doc.symbol or '-':20} {doc.document_type:22} {doc.country or '-'} ({doc.country_code or '-'}), "
                f"{doc.date or doc.year or '-'}, {doc.pages} pages: {n_par} paragraphs, {n_rec} recommendations"
            )
        counts = summary["counts"]
        click.echo(f"Recommendations: {counts['recommendations']} "
                   f"({', '.join(f'{k} {v}' for k, v in summary['responses'].items())})")
        if summary["examples"]:
            click.echo("Examples:")
            for row in summary["examples"]:
                states = ", ".join(row["recommending_states"]) or "-"
                text = row["text"] if len(row["text"]) <= 160 else row["text"][:157] + "..."
                click.echo(f"  {row['symbol']} {row['paragraph'] or ''}: {text}")
                click.echo(f"      recommended by: {states}; response: {row['response'] or 'unknown'}")
                if row["tags"]:
                    click.echo("      tags: " + ", ".join(
                        tag + (" (" + ", ".join(repr(e) for e in row["evidence"][tag][:3]) + ")"
                               if tag in row["evidence"] else "")
                        for tag in row["tags"]))
        families = summary["tags_by_family"]
        if families:
            click.echo(f"Tags ({counts['tagged']} recommendations tagged):")
            names = {"esc_rights": "ESC rights", "fiscal": "fiscal policy", "groups": "groups",
                     "action_category": "action category", "upr_issues": "UPR Info issues"}
            for family, name in names.items():
                labels = families.get(family)
                if labels:
                    click.echo(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in list(labels.items())[:8]))
        click.echo(f"\nCorpus in {corpus}. Try:")
        for cmd in ("status", "search 'right:education AND girls' --facets",
                    "search 'fiscal:* OR budget' --format csv", "dossier Slovenia"):
            click.echo(f"  rightsindex {cmd} --corpus {corpus}")
        if failed:
            raise click.ClickException(f"{failed} sample file(s) could not be ingested")
        if errors:
            raise click.ClickException("; ".join(errors) + " (rerun with --no-tag to skip tagging)")
