"""Exports: one row per recommendation with its document's metadata and citation.

Rows come in order of country, date, document and paragraph (the document's own order).
A review held twice (its working-group report and UPR Info's rows of it) is exported twice
unless ``once=True``: UPR Info's copy carries ``duplicate_of``, the id of the report's row.

Formats: ``jsonl`` (JSON Lines, one object a line; lists as JSON lists), ``json`` (one
JSON array of the same objects), ``csv`` (lists joined with ``|``, tags as JSON), ``xlsx``
and ``parquet`` (pandas). :mod:`rightsindex.ingest.tabular` reads ``jsonl``, ``json`` and
``csv`` exports back (``rightsindex import export FILE``).
Heavy libraries (pandas, Whoosh) are imported only when needed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from rightsindex.errors import QueryError

#: ``progress(done, total)``
Progress = Callable[[int, int], None]

__all__ = ["EXPORT_COLUMNS", "LIST_COLUMNS", "FORMATS", "export", "records", "held_twice", "citation",
           "document_name", "file_name", "csv_value"]

#: Columns of an export, in order.
EXPORT_COLUMNS = (
    "id", "symbol", "document_type", "body", "country", "country_code", "year", "date", "review_date",
    "session", "cycle", "paragraph", "part", "page", "text", "recommending_states", "recommending_codes",
    "recommending_as_written",
    "response", "response_source", "response_comment", "section", "heading", "concern", "follow_up",
    "source_symbol",
    "action_category", "issues", "esc_rights", "fiscal", "groups", "tags", "language", "title",
    "document_sha256", "source_file", "citation", "duplicate_of", "region", "recommending_regions",
)
LIST_COLUMNS = frozenset({"recommending_states", "recommending_codes", "recommending_as_written", "issues",
                          "esc_rights", "fiscal", "groups", "recommending_regions"})
FORMATS = ("jsonl", "json", "csv", "xlsx", "parquet")
TEXT_FORMATS = frozenset({"jsonl", "json", "csv"})


#: How a citation names a document without a UN symbol, by its type.
_DOCUMENT_KINDS = {
    "upr_wg_report": "UPR Working Group report", "upr_addendum": "Addendum to a UPR Working Group report",
    "upr_national_report": "National report", "upr_compilation": "UN compilation",
    "upr_stakeholder_summary": "Stakeholders' summary", "concluding_observations": "Concluding observations",
    "list_of_issues": "List of issues", "nhri_report": "NHRI report", "ngo_report": "NGO report",
    "resolution": "Resolution", "decision": "Decision", "session_report": "Session report",
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _long_date(date: Any, year: Any) -> str | None:
    """``13 May 2020`` from an ISO date (``May 2020``, ``2020`` from less); the year without one."""
    text = str(date or "").strip()
    parts = text.split("-")
    if len(parts) >= 2 and all(p.isdigit() for p in parts[:3]) and 1 <= int(parts[1]) <= 12:
        month = f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        return f"{int(parts[2])} {month}" if len(parts) == 3 and 1 <= int(parts[2]) <= 31 else month
    if text:
        return text
    try:
        return str(int(year))
    except (TypeError, ValueError):  # no year (None, NaN, pandas' NA)
        return None


def file_name(path: Any) -> str | None:
    """The base name of a file a document was read from (``/data/pdf/x.pdf`` -> ``x.pdf``); None for
    what is no file (``upr-info:session-5:Chad``, an empty path)."""
    text = str(path or "").strip()
    if not text or re.match(r"^[a-z][a-z-]*:(?![\\/])", text):
        return None
    return re.split(r"[\\/]", text)[-1] or None


def document_name(row: Mapping[str, Any]) -> str:
    """How to cite a document that has no UN symbol, by what it is (never by a local path).

    A High Commissioner's letter (``document_type`` ``letter``): ``Letter of the High
    Commissioner for Human Rights to Slovenia, 13 May 2020``; another document: its type, body,
    State and date, and the base name of its file: ``NGO report, 2014
    (ngo_UPR-Info_Beyond-Promises_2014.pdf)``. Documents' titles are not used: those of scans and
    designed reports are often garbled ("AUXLE DROITSHAUT-COMMISSA...").
    """
    country = row.get("country")
    when = _long_date(row.get("date"), row.get("year"))
    if row.get("document_type") == "letter":
        name = "Letter of the High Commissioner for Human Rights" + (f" to {country}" if country else "")
        return f"{name}, {when}" if when else name
    kind = _DOCUMENT_KINDS.get(str(row.get("document_type") or ""), "Document")
    body = str(row.get("body") or "").strip()
    if body and body not in kind and not (body == "UPR" and "UPR" in kind):
        kind += f" of {body}" if kind != "Document" else f" ({body})"
    name = kind + (f" on {country}" if country else "") + (f", {when}" if when else "")
    base = file_name(row.get("source_file"))
    return f"{name} ({base})" if base else name


def citation(row: Mapping[str, Any]) -> str:
    """A human citation: ``A/HRC/28/15, para. 118.7, p. 21 (2014-12-05)``; UPR Info's row by its id,
    State and session: ``UPR Info uprinfo-03843: Kenya, UPR session 8 (2010)``; a document without
    a UN symbol by what it is (:func:`document_name`): ``Letter of the High Commissioner for Human
    Rights to Slovenia, 13 May 2020, p. 3``."""
    parts: list[str] = []
    named = not (row.get("symbol") or row.get("source_symbol"))
    if row.get("document_type") == "upr_info_import" and row.get("source_symbol") and not row.get("symbol"):
        # UPR Info's row: whose review it is, as the dossier cites it ("uprinfo-03843 (2009)" named
        # neither the database nor the State)
        parts.append(f"UPR Info {row['source_symbol']}: {row.get('country') or 'UPR'}" if row.get("country")
                     else f"UPR Info {row['source_symbol']}")
        if row.get("session"):
            parts.append(f"UPR session {row['session']}")
    else:
        parts.append(str(document_name(row) if named else row.get("symbol") or row.get("source_symbol")))
    if row.get("paragraph"):
        parts.append(f"para. {row['paragraph']}")
    if row.get("page"):
        parts.append(f"p. {row['page']}")
    out = ", ".join(parts)
    when = None if named else row.get("date") or row.get("year")
    return f"{out} ({when})" if when else out


def _row(stored: Any) -> dict[str, Any]:
    base = stored.to_row()
    doc = stored.document
    base["tags"] = [
        {"family": t.family, "label": t.label, "source": t.source, "score": round(float(t.score), 4),
         "evidence": list(t.evidence), "model_version": t.model_version}
        for t in stored.tags
    ]
    base["language"] = doc.language
    base["title"] = doc.title
    base["document_sha256"] = doc.sha256
    base["citation"] = citation(base)
    return {name: base.get(name) for name in EXPORT_COLUMNS}


#: Every recommendation in export order: by country, date (a document with only a year after the
#: dated ones of that year), document, then the document's own order; and the report's
#: recommendation each UPR Info copy repeats.
_ORDER_SQL = """
SELECT r.id, r.duplicate_of FROM recommendations r JOIN documents d ON d.id = r.document_id
ORDER BY d.country IS NULL, d.country, d.year IS NULL, d.year, d.date IS NULL, d.date,
         d.symbol IS NULL, d.symbol, d.id, r.seq
"""


def _matching(corpus_dir: str | os.PathLike[str], query: str | None,
              filters: Mapping[str, Any] | None) -> list[int] | None:
    """Ids matching the query and filters; None (every recommendation) without either."""
    active = {k: v for k, v in (filters or {}).items() if v not in (None, "", (), [])}
    if not (query and query.strip()) and not active:
        return None
    from rightsindex.search import matching_ids

    return matching_ids(corpus_dir, query, filters=active)


def _selection(store: Any, ids: Sequence[int] | None, once: bool) -> tuple[list[int], int]:
    """The ids to export (all with ``ids`` None), in export order, and how many of them are UPR
    Info copies of a report's recommendation that is exported too (left out with ``once``)."""
    wanted = None if ids is None else set(ids)
    order: list[int] = []
    twin_of: dict[int, int] = {}
    for rec_id, twin in store.conn.execute(_ORDER_SQL):
        if wanted is None or rec_id in wanted:
            order.append(rec_id)
            if twin is not None:
                twin_of[rec_id] = twin
    chosen = set(order) if twin_of else set()
    copies = {rec_id for rec_id, twin in twin_of.items() if twin in chosen}
    if once and copies:
        order = [rec_id for rec_id in order if rec_id not in copies]
    return order, len(copies)


def records(
    corpus_dir: str | os.PathLike[str],
    query: str | None = None,
    *,
    filters: Mapping[str, Any] | None = None,
    once: bool = False,
) -> Iterator[dict[str, Any]]:
    """Export rows (dicts with :data:`EXPORT_COLUMNS`) of the recommendations matching a query,
    in order of country, date, document and paragraph.

    Without ``query`` and ``filters``: every recommendation. ``once=True`` leaves out UPR Info's
    rows that repeat a working-group report's recommendation exported too (``duplicate_of``),
    keeping the report's row, as ``trends`` and ``dossier`` count them. Raises
    :class:`QueryError` for a malformed query or filter at once, before any row is read (so
    that nothing is written before the error).
    """
    from rightsindex.corpus.store import Store

    # the rows are chosen now (a corpus that is not there is said before anything is written, too);
    # the generator reads them
    with Store.open(corpus_dir, create=False) as store:
        order = _selection(store, _matching(corpus_dir, query, filters), once)[0]
    return _Rows(corpus_dir, order)


class _Rows:
    """The export rows of some recommendations, in order, read in batches as they are iterated;
    ``len()`` says how many there are (for a progress bar) before any is read."""

    def __init__(self, corpus_dir: str | os.PathLike[str], order: list[int]) -> None:
        self._rows = _stored_rows(corpus_dir, order)
        self._n = len(order)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._rows


def _stored_rows(corpus_dir: str | os.PathLike[str], order: list[int]) -> Iterator[dict[str, Any]]:
    """Export rows of these recommendations, in this order, read in batches."""
    from rightsindex.corpus.store import Store

    with Store.open(corpus_dir, create=False) as store:
        for i in range(0, len(order), 5000):
            chunk = order[i : i + 5000]
            stored = {s.id: s for s in store.recommendations(ids=chunk)}
            for rec_id in chunk:
                yield _row(stored[rec_id])


def _counted(rows: Iterable[dict[str, Any]], progress: Progress | None) -> Iterator[dict[str, Any]]:
    """``rows``, calling ``progress(done, total)`` every 1,000 rows and at the end."""
    if progress is None:
        yield from rows
        return
    total = len(rows) if isinstance(rows, Sized) else 0
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % 1000 == 0:
            progress(done, max(total, done))
    progress(done, max(total, done))


def held_twice(
    corpus_dir: str | os.PathLike[str],
    query: str | None = None,
    *,
    filters: Mapping[str, Any] | None = None,
) -> int:
    """How many of the rows :func:`records` gives are UPR Info's copies of a working-group
    report's recommendation also among them (the rows ``once=True`` leaves out)."""
    from rightsindex.corpus.store import Store

    ids = _matching(corpus_dir, query, filters)
    with Store.open(corpus_dir, create=False) as store:
        return _selection(store, ids, False)[1]


def csv_value(name: str, value: Any) -> Any:
    """A cell of a CSV/XLSX export: lists joined with ``|``, tags as JSON."""
    if name == "tags":
        return json.dumps(value or [], ensure_ascii=False) if value else ""
    if name in LIST_COLUMNS:
        return "|".join(str(v) for v in (value or ()))
    if value is None:
        return ""
    return value


def export(
    corpus_dir: str | os.PathLike[str],
    output: str | os.PathLike[str] | IO[str] | None = None,
    *,
    format: str = "jsonl",  # noqa: A002 - the user-facing name
    query: str | None = None,
    filters: Mapping[str, Any] | None = None,
    once: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write an export of the matching recommendations; returns the number of rows.

    ``output`` is a file path (written to ``FILE.part`` then renamed) or, for
    ``jsonl``/``json``/``csv``, an open text stream (the CLI passes stdout). ``xlsx`` and
    ``parquet`` need a path. ``once=True``: a recommendation held twice (a working-group
    report's and UPR Info's copy of it) is written once, as the report's (see :func:`records`).
    ``progress(done, total)`` counts the rows written.
    """
    fmt = format.lower()
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {format!r}: use {', '.join(FORMATS)}")
    if output is None:
        raise ValueError("export needs an output path or stream")
    rows = _counted(records(corpus_dir, query, filters=filters, once=once), progress)
    if fmt in TEXT_FORMATS:
        if isinstance(output, (str, os.PathLike)):
            with _written(Path(output), ".part") as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
                return _write_text(fmt, rows, fh)
        return _write_text(fmt, rows, output)
    if not isinstance(output, (str, os.PathLike)):
        raise ValueError(f"{fmt} export needs a file path (--output FILE)")
    return _write_frame(fmt, rows, Path(output))


def _write_text(fmt: str, rows: Iterator[dict[str, Any]], fh: IO[str]) -> int:
    n = 0
    if fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "json":  # one array, written a row at a time: "[", a row a line, "]"
        fh.write("[")
        for row in rows:
            fh.write(("\n" if not n else ",\n") + json.dumps(row, ensure_ascii=False))
            n += 1
        fh.write("\n]\n" if n else "]\n")
        return n
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([csv_value(c, row[c]) for c in EXPORT_COLUMNS])
        n += 1
    return n


#: Column widths (characters) in XLSX exports; others get 12.
_XLSX_WIDTHS = {"text": 80, "title": 40, "recommending_states": 30, "citation": 34, "symbol": 20,
                "country": 16, "document_type": 18, "esc_rights": 24, "fiscal": 20, "groups": 20,
                "issues": 30, "tags": 20, "source_file": 30, "response": 12, "region": 20,
                "recommending_regions": 30}


def _reader_aids(sheet: Any, columns: list[str]) -> None:
    """What a spreadsheet user expects, set before the rows are written: the header frozen and
    readable column widths (filters on the header, long texts wrapped and paragraph numbers kept
    as text are set by :func:`_write_xlsx`)."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for i, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _XLSX_WIDTHS.get(name, 12)


def _write_xlsx(rows: Iterator[dict[str, Any]], path: Path) -> int:
    """The rows as one worksheet, streamed (openpyxl's write-only mode: twice as fast as pandas
    here and with little memory): filters on the header, long texts wrapped, paragraph numbers
    as text (115.80 is not 115.8), characters a workbook cannot hold left out, and no text read
    as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    columns = list(EXPORT_COLUMNS)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("recommendations")
    _reader_aids(sheet, columns)
    sheet.append(columns)
    wrap = Alignment(wrap_text=True, vertical="top")
    text_col, para_col = columns.index("text"), columns.index("paragraph")
    n = 0
    for row in rows:
        cells: list[Any] = []
        for i, name in enumerate(columns):
            value = csv_value(name, row[name])
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
            if i in (text_col, para_col) or (isinstance(value, str) and value.startswith("=")):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "= ..." is text, never a formula
                if i == text_col:
                    cell.alignment = wrap
                elif i == para_col:
                    cell.number_format = "@"
                value = cell
            cells.append(value)
        sheet.append(cells)
        n += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    book.save(path)
    return n


def _write_frame(fmt: str, rows: Iterator[dict[str, Any]], path: Path) -> int:
    if fmt == "xlsx":
        with _written(path, ".part.xlsx") as tmp:
            return _write_xlsx(rows, tmp)
    import pandas as pd

    data = list(rows)
    out = []
    for r in data:
        r = dict(r)
        r["tags"] = json.dumps(r["tags"] or [], ensure_ascii=False)
        for c in LIST_COLUMNS:
            r[c] = [str(v) for v in (r[c] or [])]
        out.append(r)
    frame = pd.DataFrame(out, columns=list(EXPORT_COLUMNS))
    for c in ("year", "cycle", "page", "action_category", "part", "duplicate_of"):
        frame[c] = frame[c].astype("Int64")
    frame["session"] = frame["session"].astype("string")
    with _written(path, ".part") as tmp:
        frame.to_parquet(tmp, index=False)
    return len(data)


def _temporary(path: Path, suffix: str) -> Path:
    """Where to write before renaming onto ``path``: a file beside it, so that an interrupted
    export leaves no half file; ``path`` itself when it is a device or a pipe (``/dev/null``
    must not be replaced by a file)."""
    if path.exists() and not path.is_file():
        return path
    return path.with_name(path.name + suffix)


@contextmanager
def _written(path: Path, suffix: str) -> Iterator[Path]:
    """The file to write an export of ``path`` to (:func:`_temporary`), renamed onto ``path`` once
    written: an export interrupted (Ctrl-C, a full disk, a bad row) leaves no ``FILE.part`` behind,
    and the file it was to replace as it was."""
    tmp = _temporary(path, suffix)
    try:
        yield tmp
    except BaseException:
        if tmp != path:
            tmp.unlink(missing_ok=True)
        raise
    if tmp != path:
        os.replace(tmp, path)


def to_string(rows: list[dict[str, Any]], fmt: str = "csv") -> str:
    """Rows as CSV, JSONL or JSON text (for small outputs)."""
    buf = io.StringIO()
    _write_text(fmt, iter(rows), buf)
    return buf.getvalue()
