"""Import recommendations others already labelled, and our own exports.

* :func:`import_upr_info`: a UPR Info CSV export (one row per recommendation
  with State under review, session, recommending State, response, action
  category and issues). Rows are grouped into one pseudo-document per (State
  under review, session), ``document_type="upr_info_import"``, body ``UPR``;
  the document's sha256 is computed from its rows, so re-importing the same
  file adds nothing and a changed group replaces the old one. UPR Info's
  ``rec_id`` is kept as the recommendation's ``source_symbol``; the ``%u2019``
  escapes its texts keep from the web are decoded (:func:`decode_escapes`).
* :func:`import_export`: a ``jsonl``, ``json`` or ``csv`` file written by
  ``rightsindex export``; documents keep their sha256, so re-importing into
  the corpus they came from adds nothing.
* :func:`import_file`: either, detected from the file.

A malformed file raises :class:`DataFileError` with one line naming the file
and the row and column at fault; a file of another kind (a PDF, an Excel workbook, a
Parquet export, text not in UTF-8) one line saying what it is (:func:`check_text_file`).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rightsindex.corpus.store import Store
from rightsindex.errors import DataFileError, RightsIndexError
from rightsindex.ingest import countries
from rightsindex.records import FROM_EXPORT, RESPONSES, Document, Recommendation, Tag

__all__ = ["ImportSummary", "import_upr_info", "import_export", "import_file", "detect_kind",
           "check_text_file", "decode_escapes", "UPR_INFO_COLUMNS"]

#: Columns a UPR Info CSV must have.
UPR_INFO_COLUMNS = ("cycle", "session", "wg_year", "state_under_review", "recommending_state", "text", "response")
_RESPONSE_MAP = {
    "accepted": "supported",
    "supported": "supported",
    "enjoys support": "supported",
    "noted": "noted",
    "rejected": "noted",
    "not supported": "noted",
    "partially accepted": "partially supported",
    "partially supported": "partially supported",
    "pending": "pending",
    "": None,
}

Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    """What an import did."""

    path: str
    kind: str
    documents_added: int = 0
    documents_replaced: int = 0
    documents_skipped: int = 0
    recommendations: int = 0  # recommendations in added or replaced documents
    rows: int = 0  # rows read
    notes: list[str] = field(default_factory=list)
    tagged: int = 0  # recommendations tagged after the import

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _csv_error(path: Path, row: int, column: str | None, reason: str) -> DataFileError:
    where = f"row {row}" + (f", column {column!r}" if column else "")
    return DataFileError(f"{path}: {where}: {reason}")


def _lookup(name: str, cache: dict[str, tuple[str, str | None]]) -> tuple[str, str | None]:
    """(UN short name, ISO alpha-3 or None) for a country name as UPR Info writes it."""
    hit = cache.get(name)
    if hit is None:
        found = countries.lookup(name)
        hit = (found[0] or name, found[1]) if found else (name, None)
        cache[name] = hit
    return hit


#: ``%u2019``: a character as JavaScript's ``escape()`` writes it, left in some of UPR Info's texts
#: ("cancelling Sudan%u2019s debt").
_PERCENT_U = re.compile(r"%u([0-9A-Fa-f]{4})")
#: Columns of UPR Info's CSV whose ``%uXXXX`` escapes are decoded on import.
_DECODED = ("text", "recommending_state", "state_under_review", "issues")


def decode_escapes(text: str) -> str:
    """``Sudan%u2019s debt`` as ``Sudan’s debt``: ``%uXXXX`` escapes decoded (a pair of surrogates
    as one character; a lone one as U+FFFD). Other text, ``%`` signs included, is left as it is."""
    if "%u" not in text:
        return text
    decoded = _PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)), text)
    return decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _normalise_response(value: str) -> str | None:
    key = " ".join(value.strip().lower().split())
    if key in _RESPONSE_MAP:
        return _RESPONSE_MAP[key]
    if key in RESPONSES:
        return key
    return None


#: What import reads, said after what a file is instead.
_READS = "import reads CSV and JSONL files"
#: Spreadsheets and exports in another format: how to get a file import reads.
_AS_TEXT = "save it as CSV UTF-8, or write a rightsindex export with --format csv or jsonl"
#: File signatures (the first bytes) of what is not CSV or JSONL text.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PAR1", f"a Parquet file: {_READS} (write the export with --format csv or jsonl)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", f"an old Excel (.xls) or Office file: {_READS} ({_AS_TEXT})"),
    (b"SQLite format 3\x00", f"an SQLite database (a corpus is a folder, given with --corpus): {_READS}"),
    (b"\x1f\x8b", f"gzip-compressed: decompress it first ({_READS})"),
    (b"\xff\xfe", "UTF-16 text (Excel's 'Unicode text'): save it as CSV UTF-8"),
    (b"\xfe\xff", "UTF-16 text: save it as CSV UTF-8"),
)


def _zip_kind(path: Path) -> str:
    """What a ZIP file holds: an Excel workbook, an OpenDocument spreadsheet, a Word document..."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError):
        return "a ZIP archive"
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook"
    if "spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet"
    if any(n.startswith("word/") for n in names) or "text" in mimetype:
        return "a word-processor document"
    return "a ZIP archive"


def check_text_file(path: str | os.PathLike[str]) -> None:
    """Raise :class:`DataFileError` (one line: what the file is, what to do) unless ``path`` may be
    the CSV or JSONL text import reads: a PDF, an Excel workbook, a Parquet export, a binary file
    or text not in UTF-8 is refused before anything is read into a corpus."""
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"{p}: no such file")
    if p.is_dir():
        raise DataFileError(f"{p}: a folder; {_READS} (PDFs are read with 'rightsindex ingest')")
    try:
        with open(p, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError as exc:
        raise DataFileError(f"{p}: cannot read ({exc.strerror})") from exc
    if b"%PDF-" in head[:1024]:
        raise DataFileError(f"{p} is a PDF: use 'rightsindex ingest' for UN documents; {_READS}")
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(p)
        hint = _AS_TEXT if kind in ("an Excel workbook", "an OpenDocument spreadsheet") else "unpack it first"
        raise DataFileError(f"{p} is {kind}: {_READS} ({hint})")
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise DataFileError(f"{p} is {what}")
    if b"\x00" in head:
        raise DataFileError(f"{p} is a binary file, not text: {_READS}")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of what was read
            raise _not_utf8(p, exc) from None


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> DataFileError:
    """One line for text that is not UTF-8 (a CSV saved as Latin-1 or Windows-1252), from an error
    decoding the start of the file."""
    byte = exc.object[exc.start : exc.start + 1].hex()
    return DataFileError(f"{path}: not UTF-8 text (byte 0x{byte} at position {exc.start}): save it as "
                         "CSV UTF-8")


def _open_csv(path: Path) -> tuple[Any, Any]:
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read ({exc.strerror})") from exc
    return fh, csv.DictReader(fh)


def _int(path: Path, rownum: int, column: str, value: Any, *, required: bool = True) -> int | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise _csv_error(path, rownum, column, "empty; a whole number is needed")
        return None
    try:
        return int(float(text)) if "." in text else int(text)
    except ValueError:
        raise _csv_error(path, rownum, column, f"{text!r} is not a whole number") from None


def _action_category(path: Path, rownum: int, value: int | None) -> int | None:
    """UPR Info's action category: 1 (minimal action) to 5 (specific action), or none."""
    if value is not None and not 1 <= value <= 5:
        raise _csv_error(path, rownum, "action_category", f"{value} is not an action category (1 to 5)")
    return value


def overlapping_reviews(store: Store) -> list[tuple[str, int, str]]:
    """Reviews held twice: by UPR Info's rows and by an ingested working-group report.

    ``[(country_code, cycle, report symbol)]``. Their recommendations are matched (trends,
    dossiers and search facets count each once); searches and exports list both copies unless
    narrowed to one source (``type:upr_wg_report``, ``export --once``).
    """
    rows = store.conn.execute(
        "SELECT DISTINCT r.country_code, r.cycle, r.symbol FROM documents r JOIN documents u "
        "ON u.country_code = r.country_code AND u.cycle = r.cycle "
        "WHERE r.document_type = 'upr_wg_report' AND u.document_type = 'upr_info_import' "
        "ORDER BY r.country_code, r.cycle"
    ).fetchall()
    return [(str(code), int(cycle), str(symbol or "")) for code, cycle, symbol in rows]


def overlap_note(both: list[tuple[str, int, str]]) -> str | None:
    """One line on the reviews :func:`overlapping_reviews` found, or None when there are none."""
    if not both:
        return None
    shown = ", ".join(f"{code} cycle {cycle} ({symbol})" for code, cycle, symbol in both[:4])
    more = f" and {len(both) - 4} more" if len(both) > 4 else ""
    return (f"{len(both)} review(s) are both in UPR Info's rows and in ingested working-group reports: "
            f"{shown}{more}; each recommendation found in both is counted once by trends, dossiers and "
            "search facets, and pending responses of the reports take UPR Info's; searches and exports "
            "list both copies unless narrowed with type:upr_wg_report or type:upr_info_import "
            "(export --once writes each once)")


def _finish(store: Store, summary: ImportSummary, *, tag: bool, sync: bool, progress: Progress | None) -> None:
    note = overlap_note(overlapping_reviews(store))
    if note:
        summary.notes.append(note)
    if tag:
        from rightsindex.nlp import tag_corpus

        try:
            summary.tagged = int(tag_corpus(store) or 0)
        except RightsIndexError as exc:  # a broken model must not lose the import
            summary.notes.append(f"not tagged: {exc}")
    if sync:
        from rightsindex.search.index import sync_index

        sync_index(store.dir, progress=progress)


def import_upr_info(
    path: str | os.PathLike[str],
    store: Store,
    *,
    tag: bool = True,
    sync: bool = True,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a UPR Info CSV into ``store``; then tag (``tag``) and update the index (``sync``).

    Idempotent: the same rows give the same pseudo-documents and nothing new.
    Raises :class:`DataFileError` naming the row and column of a malformed file.
    """
    p = Path(path)
    check_text_file(p)
    summary = ImportSummary(path=str(p), kind="upr-info")
    fh, reader = _open_csv(p)
    groups: dict[tuple[str, int], list[dict[str, str]]] = {}
    order: list[tuple[str, int]] = []
    try:
        try:
            header = reader.fieldnames
        except UnicodeDecodeError as exc:
            raise _not_utf8(p, exc) from None
        except csv.Error as exc:
            raise DataFileError(f"{p}: not a readable CSV ({exc})") from exc
        if not header:
            raise DataFileError(f"{p}: empty file; expected a UPR Info CSV with a header row")
        missing = [c for c in UPR_INFO_COLUMNS if c not in header]
        if missing:
            raise DataFileError(
                f"{p}: not a UPR Info CSV: missing column(s) {', '.join(missing)} (header has {', '.join(header[:8])}...)"
            )
        rownum = 1
        try:
            for raw in reader:
                rownum += 1
                if None in raw:  # more cells than the header
                    raise _csv_error(p, rownum, None, f"{len(header) + len(raw[None])} cells for {len(header)} columns")
                if any(raw.get(c) is None for c in UPR_INFO_COLUMNS):
                    raise _csv_error(p, rownum, None, f"too few cells for {len(header)} columns")
                for column in _DECODED:
                    if raw.get(column):
                        raw[column] = decode_escapes(raw[column])
                sur = raw["state_under_review"].strip()
                if not sur:
                    raise _csv_error(p, rownum, "state_under_review", "empty")
                if not raw["text"].strip():
                    raise _csv_error(p, rownum, "text", "empty recommendation text")
                session = _int(p, rownum, "session", raw["session"])
                _int(p, rownum, "cycle", raw["cycle"])
                year = _int(p, rownum, "wg_year", raw["wg_year"])
                if year is not None and not 1946 <= year <= 2100:
                    raise _csv_error(p, rownum, "wg_year", f"{year} is not a plausible year")
                _action_category(p, rownum, _int(p, rownum, "action_category", raw.get("action_category"),
                                                 required=False))
                resp = raw["response"].strip()
                if resp and _normalise_response(resp) is None:
                    raise _csv_error(p, rownum, "response", f"unknown response {resp!r} (Accepted or Noted expected)")
                raw["_row"] = str(rownum)
                key = (sur, int(session))  # type: ignore[arg-type]
                if key not in groups:
                    groups[key] = []
                    order.append(key)
                groups[key].append(raw)
        except csv.Error as exc:
            raise _csv_error(p, rownum + 1, None, _malformed(exc)) from exc
        except UnicodeDecodeError:
            raise DataFileError(f"{p}: not UTF-8 text at or after row {rownum + 1}: save it as CSV "
                                "UTF-8") from None
    finally:
        fh.close()
    summary.rows = sum(len(g) for g in groups.values())
    if not summary.rows:
        raise DataFileError(f"{p}: no recommendations (only a header row)")
    cache: dict[str, tuple[str, str | None]] = {}
    for n, key in enumerate(order, 1):
        rows = groups[key]
        document, recs = _upr_info_document(p, key, rows, cache)
        status = store.add_document(document, (), recs)
        _count(summary, status, len(recs))
        if progress is not None:
            progress(n, len(order))
    unknown = sorted(name for name, (_, code) in cache.items() if code is None)
    if unknown:  # a typo, or a name rightsindex's table of States lacks: not findable by country:/state:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        shown = ", ".join(repr(u) for u in unknown[:5]) + more
        summary.notes.append(f"{len(unknown)} State name(s) are no State rightsindex knows: {shown}; they are "
                             "stored as written, without an ISO code, so country: and state: searches by "
                             "code or UN name do not find them")
    _finish(store, summary, tag=tag, sync=sync, progress=None)
    return summary


def _count(summary: ImportSummary, status: str, n: int) -> None:
    if status == "added":
        summary.documents_added += 1
        summary.recommendations += n
    elif status == "replaced":
        summary.documents_replaced += 1
        summary.recommendations += n
    else:
        summary.documents_skipped += 1


_HASHED = ("rec_id", "cycle", "session", "wg_year", "state_under_review", "recommending_state", "text",
           "response", "action_category", "issues")


def _upr_info_document(
    path: Path, key: tuple[str, int], rows: list[dict[str, str]], cache: dict[str, tuple[str, str | None]]
) -> tuple[Document, list[Recommendation]]:
    sur, session = key
    # hashed as decoded (decode_escapes): a group of rows with escapes, imported before they were
    # decoded, is replaced when the CSV is imported again; the other groups are unchanged
    digest = hashlib.sha256(b"upr-info\x00")
    for raw in rows:
        digest.update(json.dumps([raw.get(c, "") for c in _HASHED], ensure_ascii=False).encode("utf-8"))
    name, code = _lookup(sur, cache)
    first = rows[0]
    year = int(first["wg_year"])
    cycle = int(first["cycle"])
    document = Document(
        sha256=digest.hexdigest(),
        source_path=f"upr-info:session-{session}:{sur}",
        symbol=None,
        document_type="upr_info_import",
        body="UPR",
        country=name,
        country_code=code,
        year=year,
        session=str(session),
        cycle=cycle,
        language="en",
        title=f"UPR Info: recommendations to {name}, UPR session {session} ({year})",
    )
    recs: list[Recommendation] = []
    for raw in rows:
        # UPR Info writes an unknown State as "&#40;Unknown&#41;"
        states = [
            s for s in (html.unescape(x).strip() for x in raw["recommending_state"].split("|"))
            if s and s.lower() not in ("(unknown)", "unknown")
        ]
        looked = [_lookup(s, cache) for s in states]
        issues = tuple(i.strip() for i in (raw.get("issues") or "").split("|") if i.strip())
        category = raw.get("action_category", "").strip()
        recs.append(
            Recommendation(
                text=" ".join(raw["text"].split()),
                recommending_states=tuple(n for n, _ in looked),
                recommending_codes=tuple(c for _, c in looked if c),
                recommending_as_written=tuple(states),
                response=_normalise_response(raw["response"]),
                response_source="UPR Info" if raw["response"].strip() else None,
                action_category=int(float(category)) if category else None,
                issues=issues,
                source_symbol=(raw.get("rec_id") or "").strip() or None,
            )
        )
    return document, recs


# -- our own exports -------------------------------------------------------------------------------

_DOC_KEYS = ("document_sha256", "source_file", "symbol", "document_type", "country", "country_code",
             "year", "date", "session", "cycle", "language", "title")


def _read_export_rows(p: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from rightsindex.search.export import EXPORT_COLUMNS, LIST_COLUMNS

    if p.suffix.lower() in (".jsonl", ".json", ".ndjson") or _looks_jsonl(p):
        try:
            fh = open(p, encoding="utf-8-sig")  # a byte-order mark is not data
        except OSError as exc:
            raise DataFileError(f"{p}: cannot read ({exc.strerror})") from exc
        n = 0
        with fh:
            try:
                if _first_char(p) == "[":  # an export written as one JSON array (export -o x.json)
                    yield from _json_array_rows(p, fh)
                    return
                for n, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except ValueError as exc:
                        raise DataFileError(f"{p}: line {n}: not JSON ({exc.msg})") from exc
                    if not isinstance(row, dict) or "text" not in row:
                        raise DataFileError(f"{p}: line {n}: not an export row (no 'text')")
                    yield n, row
            except UnicodeDecodeError:
                raise DataFileError(f"{p}: not UTF-8 text after line {n}: save it as UTF-8") from None
        return
    fh, reader = _open_csv(p)
    with fh:
        header = _csv_header(p, reader, "CSV")
        missing = [c for c in ("text", "symbol", "document_type") if c not in header]
        if missing:
            raise DataFileError(f"{p}: not a rightsindex export: missing column(s) {', '.join(missing)}")
        rownum = 1
        try:
            for raw in reader:
                rownum += 1
                if None in raw:
                    raise _csv_error(p, rownum, None, "more cells than columns")
                row: dict[str, Any] = {}
                for c, v in raw.items():
                    if c not in EXPORT_COLUMNS:
                        continue
                    if c in LIST_COLUMNS:
                        row[c] = [x for x in (v or "").split("|") if x]
                    elif c == "tags":
                        try:
                            row[c] = json.loads(v) if v else []
                        except ValueError:
                            raise _csv_error(p, rownum, "tags", "not a JSON list") from None
                    else:
                        row[c] = None if v == "" else v
                yield rownum, row
        except csv.Error as exc:
            raise _csv_error(p, rownum + 1, None, _malformed(exc)) from exc
        except UnicodeDecodeError:
            raise DataFileError(f"{p}: not UTF-8 text at or after row {rownum + 1}: save it as CSV "
                                "UTF-8") from None


def _json_array_rows(p: Path, fh: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of an export written as a JSON array, numbered from 1."""
    try:
        rows = json.load(fh)
    except ValueError as exc:
        raise DataFileError(f"{p}: not JSON ({exc})") from exc
    if not isinstance(rows, list):
        raise DataFileError(f"{p}: not a rightsindex export (a JSON array of rows)")
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or "text" not in row:
            raise DataFileError(f"{p}: row {n}: not an export row (no 'text')")
        yield n, row


def _malformed(exc: csv.Error) -> str:
    """What a CSV reader's error says, with its likely cause where the message hides it."""
    if "field larger than field limit" in str(exc):  # a quote opened in a cell and never closed
        return (f"malformed CSV ({exc}): a cell runs on past {csv.field_size_limit():,} characters, likely "
                "from a quote (\") opened in it and never closed")
    return f"malformed CSV ({exc})"


def _csv_header(p: Path, reader: Any, what: str) -> list[str]:
    """The column names of a CSV file, or a one-line error naming the file as ``what``."""
    try:
        return list(reader.fieldnames or [])
    except UnicodeDecodeError as exc:
        raise _not_utf8(p, exc) from None
    except csv.Error as exc:
        raise DataFileError(f"{p}: not a readable {what} ({exc})") from exc


def _first_char(p: Path) -> str:
    """The file's first character that is not white space ("" if none or unreadable)."""
    try:
        with open(p, encoding="utf-8-sig", errors="replace") as fh:
            for chunk in iter(lambda: fh.read(4096), ""):
                if chunk.strip():
                    return chunk.lstrip()[0]
    except OSError:
        pass
    return ""


def _looks_jsonl(p: Path) -> bool:
    """A JSON Lines export (``{`` first) or a JSON array export (``[`` first)."""
    return _first_char(p) in ("{", "[")


def _typed(p: Path, n: int, row: dict[str, Any], name: str) -> int | None:
    value = row.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _csv_error(p, n, name, f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    try:
        return int(float(value)) if isinstance(value, float) or "." in str(value) else int(str(value))
    except ValueError:
        raise _csv_error(p, n, name, f"{value!r} is not a whole number") from None


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def import_export(
    path: str | os.PathLike[str],
    store: Store,
    *,
    tag: bool = True,
    sync: bool = True,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a ``jsonl``, ``json`` or ``csv`` file written by ``rightsindex export``.

    Rows are grouped back into their documents (by ``document_sha256``, else by
    source file and symbol); tags in the file are restored.
    """
    p = Path(path)
    check_text_file(p)
    summary = ImportSummary(path=str(p), kind="export")
    docs: dict[str, tuple[Document, list[Recommendation], list[list[Tag]]]] = {}
    for n, row in _read_export_rows(p):
        summary.rows += 1
        text = _str(row.get("text"))
        if not text:
            raise _csv_error(p, n, "text", "empty recommendation text")
        key = _str(row.get("document_sha256"))
        if key is None:
            key = hashlib.sha256(
                json.dumps([_str(row.get(k)) for k in _DOC_KEYS], ensure_ascii=False).encode()
            ).hexdigest()
        if key not in docs:
            year = _typed(p, n, row, "year")
            docs[key] = (
                Document(
                    sha256=key,
                    source_path=_str(row.get("source_file")) or f"import:{p.name}:{key[:12]}",
                    symbol=_str(row.get("symbol")),
                    document_type=_str(row.get("document_type")) or "other",
                    body=_str(row.get("body")),
                    country=_str(row.get("country")),
                    country_code=_str(row.get("country_code")),
                    date=_str(row.get("date")),
                    year=year,
                    review_date=_str(row.get("review_date")),
                    session=_str(row.get("session")),
                    cycle=_typed(p, n, row, "cycle"),
                    language=_str(row.get("language")),
                    title=_str(row.get("title")),
                    flags=(FROM_EXPORT,),
                ),
                [],
                [],
            )
        doc, recs, tags = docs[key]
        source_body = _str(row.get("body"))
        recs.append(
            Recommendation(
                text=text,
                paragraph=_str(row.get("paragraph")),
                part=_typed(p, n, row, "part") or 0,
                page=_typed(p, n, row, "page"),
                recommending_states=tuple(row.get("recommending_states") or ()),
                recommending_codes=tuple(row.get("recommending_codes") or ()),
                recommending_as_written=tuple(row.get("recommending_as_written") or ()),
                response=_str(row.get("response")),
                response_source=_str(row.get("response_source")),
                response_comment=_str(row.get("response_comment")),
                section=_str(row.get("section")),
                heading=_str(row.get("heading")),
                concern=_str(row.get("concern")),
                follow_up=_bool(row.get("follow_up")),
                source_body=source_body if source_body != doc.body else None,
                source_symbol=_str(row.get("source_symbol")),
                action_category=_action_category(p, n, _typed(p, n, row, "action_category")),
                issues=tuple(row.get("issues") or ()),
            )
        )
        rec_tags: list[Tag] = []
        raw_tags = row.get("tags") or []
        if not isinstance(raw_tags, list):
            raise _csv_error(p, n, "tags", "not a list")
        for t in raw_tags:
            try:
                rec_tags.append(
                    Tag(family=str(t["family"]), label=str(t["label"]), source=str(t.get("source") or "import"),
                        score=float(t.get("score") or 1.0), evidence=tuple(t.get("evidence") or ()),
                        model_version=t.get("model_version"))
                )
            except (KeyError, TypeError, ValueError):
                raise _csv_error(p, n, "tags", f"bad tag {t!r}") from None
        model_issues = {t.label for t in rec_tags if t.family == "upr_issues"}
        if recs[-1].issues and set(recs[-1].issues) == model_issues:
            # the model's issues, which exports write where the data brought none: they stay the
            # model's (its tags), not data, so that tagging again can change them
            recs[-1] = recs[-1].replace(issues=())
        tags.append(rec_tags)
    if not summary.rows:
        raise DataFileError(f"{p}: no rows to import")
    for i, (doc, recs, tags) in enumerate(docs.values(), 1):
        # a report's responses taken from UPR Info's rows stay as exported: the export may hold
        # only some of those rows, or none (export --once)
        status = store.add_document(doc, (), recs, responses_given=True)
        _count(summary, status, len(recs))
        if status != "skipped" and any(tags):
            _restore_tags(store, doc.sha256, tags)
        if progress is not None:
            progress(i, len(docs))
    _finish(store, summary, tag=tag, sync=sync, progress=None)
    return summary


def _restore_tags(store: Store, sha256: str, tags: list[list[Tag]]) -> None:
    from rightsindex.nlp.tagging import REVIEWED, apply_stored_reviews

    rows = store.conn.execute(
        "SELECT r.id, r.text FROM recommendations r JOIN documents d ON d.id = r.document_id "
        "WHERE d.sha256 = ? ORDER BY r.seq",
        (sha256,),
    ).fetchall()
    by_version: dict[str, list[tuple[int, list[Tag]]]] = {}
    for (rec_id, text), rec_tags in zip(rows, tags):
        for t in rec_tags:  # a reader's label in the export: a review here too, kept when tagging again
            if t.source == REVIEWED:
                store.set_review(text, t.family, t.label, True)
        if rec_tags:
            version = next((t.model_version for t in rec_tags if t.model_version), None) or "import"
            by_version.setdefault(version, []).append((rec_id, rec_tags))
    for version, items in by_version.items():
        store.set_tags(items, version)
    reviewed = [text for (_, text), rec_tags in zip(rows, tags)
                if any(t.source == REVIEWED for t in rec_tags)]
    if reviewed:  # the other copies of those texts stored here take the reader's labels too
        apply_stored_reviews(store, reviewed, skip=[rec_id for rec_id, _ in rows])


def detect_kind(path: str | os.PathLike[str]) -> str:
    """``"upr-info"`` or ``"export"`` from a file's header; :class:`DataFileError` if neither."""
    p = Path(path)
    check_text_file(p)
    if _looks_jsonl(p):
        return "export"
    fh, reader = _open_csv(p)
    with fh:
        header = _csv_header(p, reader, "CSV or JSONL file")
    if "state_under_review" in header and "recommending_state" in header:
        return "upr-info"
    if "text" in header and "document_type" in header:
        return "export"
    raise DataFileError(
        f"{p}: neither a UPR Info CSV (state_under_review, recommending_state, ...) "
        "nor a rightsindex export (symbol, document_type, text, ...)"
    )


def import_file(
    path: str | os.PathLike[str],
    store: Store,
    *,
    kind: str = "auto",
    tag: bool = True,
    sync: bool = True,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a UPR Info CSV or one of our exports (``kind`` ``auto`` detects which)."""
    store.require_writable()  # a read-only corpus: said before reading the file
    if kind == "auto":
        kind = detect_kind(path)
    if kind == "upr-info":
        return import_upr_info(path, store, tag=tag, sync=sync, progress=progress)
    if kind == "export":
        return import_export(path, store, tag=tag, sync=sync, progress=progress)
    raise DataFileError(f"{path}: unknown import kind {kind!r}: use upr-info or export")
