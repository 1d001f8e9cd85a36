"""CLI: ``index``, ``search``, ``export`` and ``import`` (thin over rightsindex.search)."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from rightsindex.cli._common import (
    corpus_dir,
    corpus_option,
    fail,
    format_for,
    no_empty_corpus_left,
    progress_bar,
    writing_to,
)
from rightsindex.errors import RightsIndexError
from rightsindex.search.query import QUERY_HELP

_EXPORT_FORMATS = ("jsonl", "json", "csv", "xlsx", "parquet")
_FILTER_OPTIONS = [
    click.option("--country", multiple=True, help="State under review (ISO code or name); repeatable."),
    click.option("--year", help="Year or range: 2014, 2015-2020, 2015-, -2012."),
    click.option("--right", multiple=True, help="ESC right label (housing, health, ...); repeatable."),
    click.option("--fiscal", multiple=True, help="Fiscal label (taxation, austerity, ...); repeatable."),
    click.option("--body", multiple=True, help="Body (UPR, CESCR, CRC, ...); repeatable."),
    click.option("--response", multiple=True, help="supported | noted | partially supported | pending."),
    click.option("--state", multiple=True, help="Recommending State (name or code); repeatable."),
    click.option("--region", multiple=True,
                 help="UN regional group of the State under review (WEOG, GRULAC, African, Asia-Pacific, "
                 "'Eastern European', none); repeatable."),
    click.option("--recommending-region", "recommending_region", multiple=True,
                 help="UN regional group of a recommending State; repeatable."),
]


class _QueryCommand(click.Command):
    """A command whose query words may begin with '-': ``search housing -evictions``.

    Click would read ``-evictions`` as an unknown option. Here every argument that is not one
    of the command's options (or that option's value) is a word of the query, wherever it
    stands; ``--`` still ends the options.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        words: list[str] = []
        rest = list(args)
        while rest:
            arg = rest.pop(0)
            if arg == "--":
                words += rest
                break
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            if name not in takes_value:
                if arg.startswith("--") or _value_attached(arg, takes_value):
                    # --facet, --lim 5: a mistyped option, which click names; -n5, -ohits.csv: a short
                    # option with its value attached
                    options.append(arg)
                else:  # -evictions, -nuclear, -occupation: a word left out of the query
                    words.append(arg)
                continue
            options.append(arg)
            if takes_value[name] and "=" not in arg:
                if not rest:  # not the '--' put before the words below: say it lacks its value
                    raise click.BadOptionUsage(name, f"Option '{name}' requires an argument.", ctx=ctx)
                options.append(rest.pop(0))
        return super().parse_args(ctx, options + (["--", *words] if words else []))


def _value_attached(arg: str, takes_value: dict[str, bool]) -> bool:
    """``-n5``, ``-ohits.csv``: a short option that takes a value, with it attached (a number, or for
    ``-o`` a file name); ``-nuclear`` and ``-occupation`` are not."""
    if not takes_value.get(arg[:2]):
        return False
    return arg[2:].isdigit() or (arg[:2] == "-o" and re.search(r"[./\\]", arg[2:]) is not None)


def _filter_options(func: Any) -> Any:
    for opt in reversed(_FILTER_OPTIONS):
        func = opt(func)
    return func


def _quote_hint(query: str, message: str) -> str | None:
    """For an unknown value whose words came apart (``country:South Africa``: the shell took the
    double quotes, or none were typed), how to quote it: ``'country:"South Africa"'``."""
    m = re.search(r"\b(\w+):([^\s:()\"]+(?:\s+[^\s:()\"]+)+)\s*$", query)
    if '"' in query or not message.startswith("unknown") or not m:
        return None
    field, value = m.groups()
    if re.search(r"\b(?:AND|OR|NOT|TO)\b", value):
        return None
    return (f"put a name with spaces in double quotes, and the whole query in single quotes for the shell: "
            f"'{field}:\"{value}\"'")


def _filters(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v not in (None, (), "")}


def register(main: click.Group) -> None:
    """Add ``index``, ``search``, ``export`` and ``import`` to the CLI."""

    @main.command("index")
    @corpus_option
    @click.option("--rebuild", is_flag=True, help="Rebuild the index from the store from scratch.")
    def index_cmd(corpus: Path | None, rebuild: bool) -> None:
        """Bring the search index up to date with the corpus store.

        The index is updated automatically after ingest, tag and import, and
        checked before every search; run this to rebuild it by hand. It lives in the
        corpus folder, or for a corpus in a read-only folder in your cache
        (~/.cache/rightsindex/indexes, or $RIGHTSINDEX_CACHE).

        \b
        Example:
          rightsindex index --rebuild --corpus my-corpus
        """
        from rightsindex.search.index import sync_all

        folder = corpus_dir(corpus)
        progress, close = progress_bar("Indexing")
        try:
            n, n_paras = sync_all(folder, rebuild=rebuild, progress=progress)
        except RightsIndexError as exc:
            raise fail(exc) from exc
        finally:
            close()
        from rightsindex.search.index import index_dir

        click.echo(f"Index up to date ({n} recommendations, {n_paras} paragraphs (re)indexed) in "
                   f"{index_dir(folder)} and {index_dir(folder, 'paragraphs')}")

    @main.command("search", cls=_QueryCommand, epilog=QUERY_HELP)
    @click.argument("query", nargs=-1, required=True)
    @corpus_option
    @click.option("--limit", "-n", type=click.IntRange(0, None), default=None,
                  help=f"Hits to show; 0: all. Default: {_TABLE_LIMIT} in the table, all in csv and json.")
    @click.option("--offset", type=click.IntRange(0, None), default=0, help="Skip this many hits first.")
    @click.option("--sort", type=click.Choice(["relevance", "date", "oldest"]), default="relevance",
                  show_default=True, help="relevance: best match first; date: newest first; oldest: oldest "
                  "first (undated records last); one date's in the order of their document.")
    @click.option("--facets", is_flag=True, help="Count matches by right, fiscal label, country, body, year, "
                  "response, regional group of the State under review and of the recommending States "
                  "(paragraphs: country, body, year, type, kind, region); '(none)' counts the matches "
                  "without a value. A record with several rights counts under each; a recommendation "
                  "held twice (a report's row and UPR Info's copy, both matching) once, as the report's.")
    @click.option("--once", is_flag=True,
                  help="Count and list a recommendation held twice (a working-group report's row and UPR "
                  "Info's copy of it, both matching) once, as the report's, as export --once does.")
    @click.option("--paragraphs", is_flag=True,
                  help="Search every paragraph of every document (not only recommendations).")
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default=None,
                  help="Output format (default: from --output's extension, else table).")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Write to this file (.csv, .json, or any other name for the table) instead of the "
                  "screen.")
    def search_cmd(query: tuple[str, ...], corpus: Path | None, limit: int | None, offset: int, sort: str,
                   facets: bool, once: bool, paragraphs: bool, fmt: str | None, output: Path | None) -> None:
        """Search the corpus's recommendations, or with --paragraphs all its paragraphs.

        Quote the query for the shell ('...'), above all a phrase or a name with spaces in double
        quotes; words given without quotes are read as one query, and a word to leave out may be
        written -word there too (search housing -evictions).

        \b
        Examples:
          rightsindex search 'right:housing country:KEN'
          rightsindex search '"forced evictions"' --sort date --facets
          rightsindex search 'fiscal:taxation year:[2015 TO 2020]' --format json
          rightsindex search 'country:SVN right:health' --format csv > svn-health.csv
          rightsindex search '"informal settlements" type:other' --paragraphs
        """
        from rightsindex.search import search

        text = " ".join(query)  # search fiscal:taxation region:WEOG, unquoted, is one query
        if not text.strip():  # search "$Q" with Q unset: not every recommendation, as Corpus.search("") says
            raise click.BadParameter("is empty (an unset variable in a script?): give words or field filters, "
                                     "e.g. 'right:housing', or '*' for every recommendation",
                                     param_hint="'QUERY...'")
        if fmt is None:
            suffix = output.suffix.lower().lstrip(".") if output is not None else ""
            fmt = suffix if suffix in ("csv", "json") else "table"
        target = "paragraphs" if paragraphs else "recommendations"
        if limit is None:  # a file or a program gets every match; a screen a page
            limit = _TABLE_LIMIT if fmt == "table" else 0
        try:
            result = search(corpus_dir(corpus), text, limit=limit, offset=offset, sort=sort,
                            facets=facets, target=target, once=once)
        except RightsIndexError as exc:
            hint = _quote_hint(text, str(exc))
            if hint:  # region:"Eastern European" typed without single quotes: the shell ate the double ones
                # the hint names the value typed: the error's general advice on quoting goes
                message = re.sub(r"; quote a name with spaces \([^()]*\)", "", fail(exc).message)
                raise click.ClickException(f"{message}; {hint}") from exc
            raise fail(exc) from exc
        if output is None:
            _print_hits(result, fmt, paragraphs)
        else:
            import contextlib

            with writing_to(output), open(output, "w", encoding="utf-8", newline="") as fh, \
                    contextlib.redirect_stdout(fh):
                _print_hits(result, fmt, paragraphs)
            click.echo(f"wrote {output}: {len(result.hits):,} of {result.total:,} match(es)", err=True)
        if result.cut and result.hits:  # never a silent cut: "20 of 34 shown"
            shown, rest = (f"{len(result.hits):,}", "all") if not offset else (
                f"{offset + 1:,}-{offset + len(result.hits):,}", "the rest")
            click.echo(f"{shown} of {result.total:,} shown; --limit 0 for {rest}", err=True)

    @main.command("export")
    @corpus_option
    @click.option("--format", "fmt", type=click.Choice(_EXPORT_FORMATS), default=None,
                  help="Output format: jsonl (JSON Lines, a record a line), json (one JSON array), csv, "
                  "xlsx, parquet. Default: from the --output file's extension, else jsonl.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                  help="File to write (required for xlsx and parquet; else standard output).")
    @click.option("--query", "-q", help="Only recommendations matching this query (see 'search --help').")
    @_filter_options
    @click.option("--once", is_flag=True,
                  help="A recommendation held twice (a working-group report and UPR Info's rows of the same "
                  "review) in one row, the report's: UPR Info's copy (its duplicate_of names the report's "
                  "row) is left out, as trends and dossier count it. Default: both rows.")
    def export_cmd(corpus: Path | None, fmt: str, output: Path | None, query: str | None, once: bool,
                   **filters: Any) -> None:
        """Export recommendations, one row each, with their document's metadata and citation.

        Rows come by country, date, document and paragraph. Columns: id, symbol,
        document_type, body, country, country_code, year, date, session, cycle,
        paragraph, part, page, text, recommending_states, response, esc_rights,
        fiscal, groups, issues, tags, source_file, citation, ..., duplicate_of, region,
        recommending_regions (the UN regional groups of the State under review and of the
        recommending States).

        \b
        Examples:
          rightsindex export --format csv --output all.csv
          rightsindex export --format xlsx -o kenya.xlsx --country KEN --right housing
          rightsindex export --query 'fiscal:taxation' --year 2015-2020 > tax.jsonl
          rightsindex export --country SVN --once -o slovenia.csv
          rightsindex export --country SVN -o slovenia.json      # a JSON array
        """
        from rightsindex.search.export import export, held_twice

        fmt = format_for(fmt, output, _EXPORT_FORMATS, "jsonl")
        if output is None and fmt in ("xlsx", "parquet"):
            raise click.UsageError(f"--format {fmt} needs --output FILE")
        # a bar for a file; not when the rows go to the screen or a pipe
        progress, close = progress_bar("Exporting") if output is not None else (None, lambda: None)
        with writing_to(output):
            folder, active = corpus_dir(corpus), _filters(**filters)
            try:
                n = export(folder, output if output is not None else sys.stdout, format=fmt, query=query,
                           filters=active, once=once, progress=progress)
            finally:
                close()
            copies = held_twice(folder, query, filters=active)
        if output is not None:
            left_out = (f" ({copies} UPR Info {_copies(copies)} of the reports' rows left out)"
                        if once and copies else "")
            click.echo(f"Wrote {n:,} recommendation{'' if n == 1 else 's'} to {output}{left_out}", err=True)
        if copies and not once:
            rows = "rows is" if copies == 1 else "rows are"
            click.echo(f"note: {copies} of these {rows} UPR Info's {_copies(copies)} of a working-group "
                       "report's recommendation also exported (duplicate_of names it); --once leaves them out",
                       err=True)

    @main.command("import")
    @click.argument("args", nargs=-1, required=True, metavar="[upr-info|export] FILE")
    @corpus_option
    @click.option("--no-tag", is_flag=True, help="Do not tag the imported recommendations.")
    def import_cmd(args: tuple[str, ...], corpus: Path | None, no_tag: bool) -> None:
        """Import recommendations from a UPR Info CSV or a rightsindex export (jsonl/json/csv).

        With one argument the kind is detected from the file; FILE '-' reads standard
        input. Importing the same file again adds nothing. Files must be UTF-8 text:
        save a workbook as CSV UTF-8 first (PDFs are read by 'rightsindex ingest'). A
        failed import leaves no new corpus behind. A document imported from an export
        is replaced by its PDF or UPR Info CSV when that is ingested or imported later.

        \b
        Examples:
          rightsindex import upr-info recommendations_sessions01-16.csv --corpus my-corpus
          rightsindex import export kenya.jsonl --corpus other-corpus
          rightsindex import kenya.csv
          rightsindex export --country KEN | rightsindex import - --corpus other-corpus
        """
        from rightsindex.corpus.store import Store
        from rightsindex.ingest.tabular import check_text_file, detect_kind, import_file

        if len(args) == 1:
            kind, path = "auto", args[0]
        elif len(args) == 2:
            kind, path = args
            if kind not in ("upr-info", "export"):
                raise click.UsageError(f"unknown import kind {kind!r}: use upr-info or export")
        else:
            raise click.UsageError("give FILE, or a kind (upr-info or export) and FILE")
        shown = path
        if Path(path).is_dir():
            raise click.ClickException(f"{path}: is a folder; import reads one CSV or JSONL file (a folder "
                                       "of PDFs: rightsindex ingest)")
        if path == "-" or Path(path).exists() and not Path(path).is_file():
            # a pipe ('export ... | rightsindex import -'): read it once, into a file the checks can
            # look into before the import reads it (reading the pipe twice lost its start)
            path = _spooled(path)
        if not Path(path).exists():
            raise click.ClickException(f"{path}: no such file")
        try:  # a PDF, a workbook, a file of neither kind: said before a corpus is made for it
            check_text_file(path)
            kind = detect_kind(path) if kind == "auto" else kind
        except RightsIndexError as exc:
            raise _named(fail(exc), path, shown) from exc
        from rightsindex.search.index import sync_index

        folder = corpus_dir(corpus)
        what = "Importing and indexing" if no_tag else "Importing, tagging and indexing"
        progress, close = progress_bar(what)
        try:
            with no_empty_corpus_left(folder), Store.open(folder) as store:
                summary = import_file(path, store, kind=kind, tag=not no_tag, sync=False)
            sync_index(folder, progress=progress)
        except RightsIndexError as exc:
            raise _named(fail(exc), path, shown) from exc
        finally:
            close()
        click.echo(
            f"Imported {shown} ({summary.kind}): {summary.rows} rows; documents added "
            f"{summary.documents_added}, replaced {summary.documents_replaced}, unchanged "
            f"{summary.documents_skipped}; {summary.recommendations} recommendations stored"
            + (f"; {summary.tagged} tagged." if summary.tagged else ".")
        )
        for note in summary.notes:
            click.echo(f"Note: {note}", err=True)


def _named(error: click.ClickException, read: str, given: str) -> click.ClickException:
    """An import error naming the file the user gave ("standard input" for '-'), not the temporary
    copy of a pipe that was read."""
    if read != given:
        error.message = error.message.replace(read, "standard input" if given == "-" else given)
    return error


def _spooled(path: str) -> str:
    """Standard input (``-``) or a pipe, copied into a temporary file (removed at exit)."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="rightsindex-import-")
    atexit.register(shutil.rmtree, folder, True)
    target = Path(folder) / "standard-input"
    with target.open("wb") as out:
        if path == "-":
            shutil.copyfileobj(sys.stdin.buffer, out)
        else:
            with open(path, "rb") as src:
                shutil.copyfileobj(src, out)
    return str(target)


#: Hits the table shows when --limit is not given (csv and json get every match).
_TABLE_LIMIT = 20
#: Columns of ``search --format csv``, and with ``--paragraphs``; columns added later come last, so
#: that scripts reading the columns by position keep working. ``duplicate_of`` names the report's
#: row a UPR Info copy repeats (drop those rows to count each recommendation once).
_CSV_COLUMNS = ["id", "symbol", "document_type", "paragraph", "page", "country", "country_code", "year",
                "date", "recommending_states", "body", "response", "response_source", "esc_rights", "fiscal",
                "groups", "text", "citation", "duplicate_of", "cycle", "session", "issues", "region",
                "recommending_regions", "review_date"]
_CSV_PARAGRAPH_COLUMNS = ["id", "symbol", "document_type", "country", "country_code", "year", "page",
                          "number", "kind", "section", "heading", "text"]


def _print_hits(result: Any, fmt: str, paragraphs: bool) -> None:
    """A search result on standard output as a table, JSON or CSV."""
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if fmt == "csv":
        cols = _CSV_PARAGRAPH_COLUMNS if paragraphs else _CSV_COLUMNS
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(cols)
        for hit in result.hits:
            writer.writerow([
                "|".join(hit[c]) if isinstance(hit.get(c), list) else ("" if hit.get(c) is None else hit[c])
                for c in cols
            ])
        return
    _print_table(result, "paragraphs" if paragraphs else "recommendations")


def _same_name(name: str, written: str) -> bool:
    """``Côte d'Ivoire`` is ``Côte d’Ivoire``, ``Netherlands`` is ``the Netherlands``."""
    def key(text: str) -> str:
        text = text.replace("’", "'").casefold().strip()
        return text[4:] if text.startswith("the ") else text

    return key(name) == key(written)


def _print_table(result: Any, what: str = "recommendations") -> None:
    from rightsindex.search.export import document_name

    shown = f"{result.offset + 1}-{result.offset + len(result.hits)}" if result.hits else "none"
    noun = what if result.total != 1 else what.rstrip("s")
    verb = "matches" if result.total == 1 else "match"
    # the query as typed, in quotes that need no escaping (country:"Côte d'Ivoire" read 'country:"Côte d\'Ivoire"')
    click.echo(f"{result.total:,} {noun} {verb} '{result.query}' (showing {shown})")
    if getattr(result, "did_you_mean", None):
        click.echo(f"Did you mean: {result.did_you_mean}")
    held, once = getattr(result, "held_twice", 0), getattr(result, "once", False)
    if held and not once:
        copies = f"{'is' if held == 1 else 'are'} UPR Info's {_copies(held)}"
        click.echo(f"({held:,} of them {copies} of a working-group report's recommendation that matches "
                   "too; --once lists each once)")
    elif held:
        click.echo(f"(each once: {held:,} {_copies(held)} from UPR Info's rows of a "
                   "report's recommendation left out)")
    for hit in result.hits:
        if what == "paragraphs":
            where = ", ".join(str(x) for x in (
                hit.get("symbol") or hit.get("source_file"),
                hit.get("number") and f"para. {hit['number']}",
                hit.get("page") and f"p. {hit['page']}",
            ) if x)
            meta = " | ".join(x for x in (
                f"{hit.get('country_code') or hit.get('country') or '?'} {hit.get('year') or ''}".strip(),
                where, hit.get("document_type") or "", hit.get("kind") or "", hit.get("heading") or "",
            ) if x)
            click.echo("")
            click.echo(click.style(f"[{hit['id']}] ", bold=True) + meta)
            snippet = hit.get("highlight") or ""
            parts = snippet.replace("</b>", "<b>").split("<b>")
            click.echo("  " + "".join(click.style(p, bold=True) if i % 2 else p for i, p in enumerate(parts)))
            continue
        # a document without a UN symbol by what it is ("Letter of the High Commissioner for Human
        # Rights to Slovenia, 13 May 2020"), never by a local path, as citations name it
        source = hit.get("symbol") or hit.get("source_symbol") or document_name(hit)
        where = ", ".join(str(x) for x in (source, hit.get("paragraph") and f"para. {hit['paragraph']}") if x)
        states = list(hit.get("recommending_states") or [])
        written = list(hit.get("recommending_as_written") or [])
        if len(written) == len(states):  # "Türkiye (as Turkey)": the name the document writes, to cite it
            states = [s if _same_name(s, w) else f"{s} (as {w})"
                      for s, w in zip(states, written, strict=True)]
        who = ", ".join(states) if len(states) <= 5 else ", ".join(states[:4]) + f" +{len(states) - 4} more"
        who = who or (hit.get("body") if hit.get("body") not in (None, "UPR", hit.get("country")) else "") or ""
        meta = " | ".join(
            x for x in (
                f"{hit.get('country') or hit.get('body') or '?'} {hit.get('year') or ''}".strip(),
                where,
                who and f"by {who}",
                hit.get("response") or "no response",
                ", ".join(hit.get("esc_rights") or []),
                ", ".join(hit.get("fiscal") or []),
            ) if x
        )
        click.echo("")
        click.echo(click.style(f"[{hit['id']}] ", bold=True) + meta)
        snippet = hit.get("highlight") or ""
        parts = snippet.replace("</b>", "<b>").split("<b>")
        click.echo("  " + "".join(click.style(p, bold=True) if i % 2 else p for i, p in enumerate(parts)))
    if result.facets:
        click.echo("")
        for name, counts in result.facets.items():
            # the 12 most, how many values more (--format json has them all), then (none)
            items = [(k, v) for k, v in counts.items() if k != "(none)"]
            shown = items if name == "year" else items[:12]
            parts = [f"{k} {v}" for k, v in shown]
            if len(shown) < len(items):
                parts.append(f"... {len(items) - len(shown)} more")
            if "(none)" in counts:
                parts.append(f"(none) {counts['(none)']}")
            text = ", ".join(parts) or "-"
            click.echo(f"{name}: {text}")
        if result.held_twice:
            click.echo(f"(the facets count {result.held_twice:,} recommendation(s) held twice once, as the "
                       "working-group report's row: UPR Info's copy matches too)")


def _copies(n: int) -> str:
    """"copy" or "copies", for a note counting UPR Info's copies of a report's rows."""
    return "copy" if n == 1 else "copies"
