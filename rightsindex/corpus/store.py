"""The corpus store: one SQLite file, the source of truth.

Everything else (the Whoosh index, exports, trends) is derived from it. Writes
of one document happen in one transaction, so a crash or Ctrl-C mid-ingest
never leaves half a document. The schema carries a version; an older store is
migrated, a newer one is refused with a clear message.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rightsindex.errors import CorpusError, SchemaVersionError
from rightsindex.records import (
    FROM_EXPORT,
    Document,
    IngestFailure,
    Paragraph,
    Recommendation,
    Tag,
)

__all__ = ["Store", "StoredRecommendation", "SCHEMA_VERSION", "STORE_FILE", "default_corpus_dir", "review_key"]

SCHEMA_VERSION = 3
#: Columns added since schema 1: (table, column, type), added to an older store when it opens.
_ADDED_COLUMNS = (("recommendations", "response_comment", "TEXT"), ("responses", "comment", "TEXT"),
                  ("recommendations", "duplicate_of", "INTEGER"),
                  ("recommendations", "recommending_as_written", "TEXT NOT NULL DEFAULT '[]'"),
                  ("recommendations", "response_before", "TEXT"), ("documents", "review_date", "TEXT"))
STORE_FILE = "corpus.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    source_path TEXT NOT NULL,
    symbol TEXT,
    document_type TEXT NOT NULL,
    body TEXT,
    country TEXT,
    country_code TEXT,
    date TEXT,
    year INTEGER,
    session TEXT,
    cycle INTEGER,
    language TEXT,
    title TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    flags TEXT NOT NULL DEFAULT '[]',
    responds_to TEXT,
    review_date TEXT,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_path);
CREATE INDEX IF NOT EXISTS documents_symbol ON documents(symbol);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    number TEXT,
    page INTEGER NOT NULL,
    section TEXT,
    heading TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_document ON paragraphs(document_id);
CREATE TABLE IF NOT EXISTS recommendations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    paragraph TEXT,
    part INTEGER NOT NULL DEFAULT 0,
    page INTEGER,
    text TEXT NOT NULL,
    recommending_states TEXT NOT NULL DEFAULT '[]',
    recommending_codes TEXT NOT NULL DEFAULT '[]',
    response TEXT,
    response_source TEXT,
    section TEXT,
    heading TEXT,
    concern TEXT,
    follow_up INTEGER NOT NULL DEFAULT 0,
    source_body TEXT,
    source_symbol TEXT,
    action_category INTEGER,
    issues TEXT NOT NULL DEFAULT '[]',
    tagged_version TEXT,
    response_comment TEXT,
    recommending_as_written TEXT NOT NULL DEFAULT '[]',
    -- a UPR Info row that is this recommendation of a working-group report also in the corpus
    duplicate_of INTEGER,
    -- a report's own response before UPR Info's replaced it (restored when UPR Info's rows go); the
    -- response itself when an imported export gave it (kept, see Store.add_document)
    response_before TEXT
);
CREATE INDEX IF NOT EXISTS recommendations_document ON recommendations(document_id);
CREATE INDEX IF NOT EXISTS recommendations_untagged ON recommendations(tagged_version);
-- responses stated by one document about another's paragraphs (UPR addenda)
CREATE TABLE IF NOT EXISTS responses (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    report_symbol TEXT NOT NULL,
    paragraph TEXT NOT NULL,
    response TEXT NOT NULL,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS responses_target ON responses(report_symbol, paragraph);
CREATE TABLE IF NOT EXISTS tags (
    recommendation_id INTEGER NOT NULL REFERENCES recommendations(id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    label TEXT NOT NULL,
    source TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    model_version TEXT,
    PRIMARY KEY (recommendation_id, family, label)
);
CREATE INDEX IF NOT EXISTS tags_label ON tags(family, label);
-- a reader's verdict on a label of a recommendation's text (1: it has the label, 0: it has not),
-- kept by the text (see review_key): every copy of the text, and any read later, takes it
CREATE TABLE IF NOT EXISTS reviews (
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    family TEXT NOT NULL,
    label TEXT NOT NULL,
    verdict INTEGER NOT NULL,
    note TEXT,
    reviewed_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (key, family, label)
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL DEFAULT (datetime('now'))
);
"""

_DOC_FIELDS = (
    "sha256", "source_path", "symbol", "document_type", "body", "country", "country_code",
    "date", "year", "session", "cycle", "language", "title", "pages", "flags", "responds_to",
    "review_date",
)
_REC_FIELDS = (
    "paragraph", "part", "page", "text", "recommending_states", "recommending_codes", "response",
    "response_source", "section", "heading", "concern", "follow_up", "source_body",
    "source_symbol", "action_category", "issues", "response_comment", "recommending_as_written",
)
#: SQL that gives a report's recommendation back its own response (see ``response_before``).
_RESTORE = "response = response_before, response_source = NULL, response_before = NULL"
#: SQL true of a report's recommendation whose response this corpus took from UPR Info's rows:
#: not one an imported export gave, whose ``response_before`` is the response itself.
_TAKEN = "response_source LIKE 'UPR Info%' AND response_before IS NOT response"
_JSON_FIELDS = {"flags", "recommending_states", "recommending_codes", "issues", "evidence",
                "recommending_as_written"}


def open_error(path: Path, exc: sqlite3.DatabaseError) -> CorpusError:
    """The one-line error for a store SQLite could not open, or write to: not a store, or a folder
    rightsindex cannot write to (a read-only share, an immutable folder: the store keeps its
    journal beside it)."""
    if read_only_cause(path, exc):
        return read_only_error(path, exc)
    if "malformed" in str(exc).lower():  # a store whose pages were damaged after its header
        return damaged_error(path, exc)
    return CorpusError(f"{path}: not a rightsindex store ({exc})")


def damaged_error(path: Path | None, exc: sqlite3.DatabaseError) -> CorpusError:
    """The one-line error for a store SQLite fails to read while a command runs: damaged (a disk or
    copy error), or locked by another rightsindex writing to it past the wait."""
    where = f"{path}: " if path is not None else ""
    if (path is not None and read_only_cause(path, exc)) or "readonly" in str(exc).lower():
        return read_only_error(path, exc)
    if "locked" in str(exc).lower() or "busy" in str(exc).lower():
        return CorpusError(f"{where}the store is busy ({exc}): another rightsindex command is writing to "
                           "it; run this one again when it has finished")
    reason = str(exc).split(" with text ", 1)[0]  # "Could not decode to UTF-8 column 'text' with text ..."
    return CorpusError(f"{where}the store is damaged ({reason}); restore the corpus folder from a "
                       "backup, or build the corpus again in a new folder (ingest, import)")


def read_only_error(path: Path | None, exc: BaseException | None = None) -> CorpusError:
    """The one-line error for writing to a store whose folder is read-only (a shared drive), with
    SQLite's words when it said so."""
    where = f"{path}: " if path is not None else ""
    said = f"cannot write to the store ({exc}): " if exc is not None else ""
    return CorpusError(f"{where}{said}its folder is read-only: search, export, trends and dossiers read it, "
                       "but to add or change anything copy the folder somewhere writable")


def _connect(path: Path) -> sqlite3.Connection:
    """The store's read-write connection (a test stands a read-only folder in for it here)."""
    return sqlite3.connect(path, timeout=60)


def read_only_cause(path: Path, exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite failed on ``path`` because nothing may be written there (a read-only share,
    mount or folder: the store's journal lives beside it), not because the file is damaged."""
    text = str(exc).lower()
    return path.exists() and ("unable to open" in text or "readonly" in text or "read-only" in text)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that never writes to the store ``path``, even in a folder nothing may be
    written to. SQLite's read-only mode still makes the journal's index file (``-shm``) beside a
    store in WAL mode; where it cannot, the store is opened as immutable, which is safe only
    because nothing can change it there, and refused if its journal holds changes not yet merged."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if not read_only_cause(path, exc):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise CorpusError(f"{path}: its journal {wal.name} holds changes not yet merged, and its folder is "
                          "read-only; open the corpus once where it can be written, then share it again")
    return sqlite3.connect(f"file:{path}?immutable=1", uri=True, timeout=60)


def _same_document(row: sqlite3.Row, symbol: str | None, language: str | None) -> bool:
    """Whether a stored document's row is the document ``symbol`` in ``language`` (no symbol and
    no language count as equal to none)."""
    return (row["symbol"], row["language"] or "") == (symbol, language or "")


def review_key(text: str) -> str:
    """The key a review is kept under: a digest of the recommendation's text, normalised as
    :func:`rightsindex.corpus.links.normalise` does (case, quotes, dashes, spaces, end punctuation)."""
    import hashlib

    from rightsindex.corpus.links import normalise

    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def default_corpus_dir() -> Path:
    """``$RIGHTSINDEX_CORPUS`` or ``./rightsindex-corpus``."""
    return Path(os.environ.get("RIGHTSINDEX_CORPUS", "").strip() or "rightsindex-corpus")  # set empty: unset


def _encode(name: str, value: Any) -> Any:
    if name in _JSON_FIELDS:
        return json.dumps(list(value or ()), ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def _decode_row(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    for key in _JSON_FIELDS & out.keys():
        out[key] = tuple(json.loads(out[key] or "[]"))
    if "follow_up" in out:
        out["follow_up"] = bool(out["follow_up"])
    return out


@dataclass(frozen=True)
class StoredRecommendation:
    """A recommendation as stored: its id, its record and its document."""

    id: int
    recommendation: Recommendation
    document: Document
    tags: tuple[Tag, ...] = ()
    #: the id of the working-group report's recommendation this UPR Info row is (see
    #: :meth:`Store._link_upr_info`), or None
    duplicate_of: int | None = None
    #: on a report's recommendation, the issues UPR Info's rows of it give (its copies'), which its
    #: ``issues`` take before the model's
    twin_issues: tuple[str, ...] = ()
    #: on UPR Info's copy of a report's recommendation, the report's response (its own or its
    #: addendum's), which a search by response finds it by: the report's wins where they differ
    report_response: str | None = None

    def to_row(self) -> dict[str, Any]:
        """A flat dict: document metadata, then the recommendation, the regional groups of its
        States, then tags."""
        from rightsindex.ingest import regions  # not at the top: rightsindex.ingest imports the store

        doc, rec = self.document, self.recommendation
        row: dict[str, Any] = {
            "id": self.id,
            "symbol": doc.symbol,
            "document_type": doc.document_type,
            "body": rec.source_body or doc.body,
            "country": doc.country,
            "country_code": doc.country_code,
            "year": doc.year,
            "date": doc.date,
            "review_date": doc.review_date,
            "session": doc.session,
            "cycle": doc.cycle,
            "paragraph": rec.paragraph,
            "part": rec.part,
            "page": rec.page,
            "text": rec.text,
            "recommending_states": list(rec.recommending_states),
            "recommending_codes": list(rec.recommending_codes),
            "recommending_as_written": list(rec.recommending_as_written),
            "response": rec.response,
            "response_source": rec.response_source,
            "response_comment": rec.response_comment,
            "section": rec.section,
            "heading": rec.heading,
            "concern": rec.concern,
            "follow_up": rec.follow_up,
            "source_symbol": rec.source_symbol,
            "action_category": rec.action_category,
            "issues": list(rec.issues),  # the model's below when the data brought none
            "source_file": doc.source_path,
            "duplicate_of": self.duplicate_of,
            # derived from the States (rightsindex/ingest/regions.json), not stored
            "region": regions.of(doc.country_code or doc.country),
            "recommending_regions": regions.of_states([*rec.recommending_codes, *rec.recommending_states]),
        }
        families: dict[str, list[str]] = {}
        for tag in self.tags:
            families.setdefault(tag.family, []).append(tag.label)
        for family in ("esc_rights", "fiscal", "groups"):
            row[family] = sorted(families.get(family, []))
        if "action_category" in families and row["action_category"] is None:
            row["action_category"] = int(families["action_category"][0])
        if not row["issues"]:
            # UPR Info's issues where its rows brought them (the model's would add to people's
            # labels): a report's recommendation takes those of UPR Info's copy of it, as it takes its
            # response; else the model's
            row["issues"] = sorted(self.twin_issues or families.get("upr_issues", []))
        return row


class Store:
    """The corpus store in ``<corpus>/corpus.sqlite``.

    >>> with Store.open("my-corpus") as store:   # doctest: +SKIP
    ...     store.counts()
    """

    def __init__(self, corpus_dir: str | os.PathLike[str], *, create: bool = True) -> None:
        self.dir = Path(corpus_dir)
        self.path = self.dir / STORE_FILE
        if not self.path.exists():
            if not create:
                raise CorpusError(
                    f"{self.dir}: no corpus here; run 'rightsindex ingest PATH --corpus {self.dir}' first"
                )
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CorpusError(f"{self.dir}: cannot create the corpus folder ({exc.strerror})") from exc
        #: True when the folder is read-only (a shared drive): the store is read, never written
        self.read_only = False
        try:
            self.conn = _connect(self.path)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            if not read_only_cause(self.path, exc):
                raise open_error(self.path, exc) from exc
            self._open_read_only()

    def _open_read_only(self) -> None:
        """Read a store in a folder nothing may be written to: every command that only reads works;
        one that writes fails before it starts, naming the folder (:meth:`require_writable`)."""
        try:
            self.conn.close()
        except (sqlite3.Error, AttributeError):
            pass
        try:
            self.conn = connect_readonly(self.path)
            self.conn.row_factory = sqlite3.Row
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            have = {(t, r[1]) for t in ("recommendations", "responses", "documents")
                    for r in self.conn.execute(f"PRAGMA table_info({t})")}
        except sqlite3.DatabaseError as exc:
            raise open_error(self.path, exc) from exc
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(f"{self.path}: store schema version {version} is newer than this "
                                     f"rightsindex understands ({SCHEMA_VERSION}); upgrade rightsindex")
        if version < SCHEMA_VERSION or any((t, c) not in have for t, c, _ in _ADDED_COLUMNS):
            raise CorpusError(f"{self.path}: made by an older rightsindex, and its folder is read-only: "
                              "open the corpus once where it can be written (it is upgraded then)")
        self.read_only = True

    @classmethod
    @contextmanager
    def open(cls, corpus_dir: str | os.PathLike[str], *, create: bool = True) -> Iterator[Store]:
        store = cls(corpus_dir, create=create)
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        self.conn.close()

    def require_writable(self) -> None:
        """Raise :class:`CorpusError` when the store was opened read-only (its folder is): called before
        work that will write (ingest, import, tag), and by every method that writes."""
        if self.read_only:
            raise read_only_error(self.path)

    # -- schema -----------------------------------------------------------------
    def _migrate(self) -> None:
        has_meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if has_meta:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise SchemaVersionError(
                    f"{self.path}: store schema version {version} is newer than this rightsindex "
                    f"understands ({SCHEMA_VERSION}); upgrade rightsindex"
                )
        else:
            tables = [r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            if tables:  # another program's database: never write our tables into it
                shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
                raise CorpusError(f"{self.path}: an SQLite database but not a rightsindex store "
                                  f"(its tables: {shown}); name another corpus folder")
        with self.conn:
            self.conn.executescript(_SCHEMA)
            added = set()
            for table, column, kind in _ADDED_COLUMNS:
                have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
                    added.add(column)
            if "duplicate_of" in added:  # a corpus made before reviews held twice were matched
                for (doc_id,) in self.conn.execute(
                        "SELECT id FROM documents WHERE document_type = 'upr_wg_report'").fetchall():
                    self._link_upr_info(doc_id)
                self._bump()  # responses may have changed: derived indexes rebuild
            if self.conn.execute("SELECT 1 FROM meta WHERE key = 'answered_keep_before'").fetchone() is None:
                # a store made before an addendum's answer kept the report's own response: it was
                # "pending" (the report said the State would answer later), given back if the addendum goes
                self.conn.execute(
                    "UPDATE recommendations SET response_before = 'pending' WHERE response_before IS NULL "
                    "AND response_source IS NOT NULL AND response_source NOT LIKE 'UPR Info%' AND document_id IN "
                    "(SELECT id FROM documents d WHERE d.document_type = 'upr_wg_report' AND d.flags NOT LIKE ? "
                    "AND d.symbol IS NOT recommendations.response_source)", (f'%"{FROM_EXPORT}"%',))
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('answered_keep_before', '1')")
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0])

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.require_writable()
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        """A counter bumped by every write; derived indexes record the one they saw."""
        return int(self.get_meta("generation") or 0)

    def _bump(self) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # -- documents ----------------------------------------------------------------
    def has_sha(self, sha256: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return None if row is None else _document(row)

    def _at_path(self, source_path: str) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT id, symbol, language FROM documents WHERE source_path=?",
                                 (source_path,)).fetchall()

    def other_documents_at(self, source_path: str, symbol: str | None,
                           language: str | None = None) -> list[str]:
        """The UN symbols of documents read from ``source_path`` before that are not ``symbol`` in
        ``language`` (another document, or another language's version, saved under the same name):
        :meth:`add_document` keeps them."""
        return [(r["symbol"] or "a document without a symbol")
                + (f" ({r['language']})" if r["symbol"] == symbol else "")
                for r in self._at_path(source_path) if not _same_document(r, symbol, language)]

    def document_for_path(self, source_path: str) -> Document | None:
        row = self.conn.execute(
            "SELECT * FROM documents WHERE source_path=?", (source_path,)
        ).fetchone()
        return None if row is None else _document(row)

    def add_document(
        self,
        document: Document,
        paragraphs: Iterable[Paragraph] = (),
        recommendations: Iterable[Recommendation] = (),
        responses: Iterable[tuple[str, ...]] = (),
        *,
        responses_given: bool = False,
        again: bool = False,
    ) -> str:
        """Store a document with everything extracted from it, in one transaction.

        ``responses`` are ``(report_symbol, paragraph, response)`` triples, or with the
        State's comment as a fourth item, that this document states about another's
        recommendations (UPR addenda).

        ``responses_given``: the recommendations' responses are data to keep (an imported
        export). A working-group report's response taken from UPR Info's rows (``response_source``
        "UPR Info uprinfo-…") is then kept as it is, not worked out again from the UPR Info rows
        this corpus holds, which may be some of those it came from, or none.

        ``again``: a document with the same sha256 is replaced (the file read again), not skipped.

        Returns ``"skipped"`` if a document with the same sha256 is stored already,
        ``"replaced"`` if the same source path held an older file of the same document (same UN
        symbol and language, or none both times), else ``"added"``. A document with the same symbol
        and language from another file replaces the older one too, so a re-downloaded file is not
        stored twice.
        """
        self.require_writable()
        stored = self.has_sha(document.sha256)
        replace = stored is not None and (
            again or FROM_EXPORT in stored.flags and FROM_EXPORT not in document.flags)
        if stored is not None and not replace:
            # the same file; remember the failure is gone if there was one
            with self.conn:
                self.conn.execute("DELETE FROM failures WHERE path=?", (document.source_path,))
            return "skipped"
        status = "added"
        with self.conn:
            if replace:  # read again, or an export's copy of it (maybe of some rows): the file replaces it
                self.conn.execute("DELETE FROM documents WHERE sha256=?", (document.sha256,))
                status = "replaced"
            # a changed file at the same path replaces what was read from it if it is the same document
            # (same UN symbol and language); another document, or another language's version, saved
            # over it (a second "report.pdf") is stored beside it: nothing stored is lost
            old = [row for row in self._at_path(document.source_path)
                   if _same_document(row, document.symbol, document.language)]
            if document.symbol and document.document_type != "upr_info_import":
                old += self.conn.execute(
                    "SELECT id FROM documents WHERE symbol=? AND COALESCE(language,'')=?",
                    (document.symbol, document.language or ""),
                ).fetchall()
            for row in old:
                self.conn.execute("DELETE FROM documents WHERE id=?", (row["id"],))
                status = "replaced"
            if old or replace:
                self._drop_stale_links()
            values = [_encode(name, getattr(document, name)) for name in _DOC_FIELDS]
            cur = self.conn.execute(
                f"INSERT INTO documents({', '.join(_DOC_FIELDS)}) "
                f"VALUES ({', '.join('?' * len(_DOC_FIELDS))})",
                values,
            )
            doc_id = cur.lastrowid
            self.conn.executemany(
                "INSERT INTO paragraphs(document_id, seq, number, page, section, heading, kind, text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (doc_id, p.seq, p.number, p.page, p.section, p.heading, p.kind, p.text)
                    for p in paragraphs
                ),
            )
            self.conn.executemany(
                f"INSERT INTO recommendations(document_id, seq, {', '.join(_REC_FIELDS)}) "
                f"VALUES (?, ?, {', '.join('?' * len(_REC_FIELDS))})",
                (
                    [doc_id, seq] + [_encode(name, getattr(rec, name)) for name in _REC_FIELDS]
                    for seq, rec in enumerate(recommendations)
                ),
            )
            if responses_given and document.document_type == "upr_wg_report":
                self.conn.execute("UPDATE recommendations SET response_before = response "
                                  "WHERE document_id = ? AND response IS NOT NULL "
                                  "AND response_source LIKE 'UPR Info%'", (doc_id,))
            self.conn.executemany(
                "INSERT INTO responses(document_id, report_symbol, paragraph, response, comment) "
                "VALUES (?, ?, ?, ?, ?)",
                ((doc_id, r[0], r[1], r[2], r[3] if len(r) > 3 else None) for r in responses),
            )
            self.conn.execute("DELETE FROM failures WHERE path=?", (document.source_path,))
            self._link_responses()
            self._link_upr_info(doc_id)
            self._bump()
        return status

    def _link_responses(self) -> None:
        """Give recommendations the responses other documents state about them.

        A response stated in the report itself wins; one from an addendum fills
        the rest, and the report's own (pending, or none) is kept in ``response_before``, given
        back if the addendum is removed. Runs after every document, so ingest order does not matter.
        """
        self.conn.execute(
            """
            UPDATE recommendations AS r
            SET response = s.response, response_source = s.source, response_comment = s.comment,
                response_before = CASE WHEN r.response_source IS s.source OR r.response_source LIKE 'UPR Info%'
                                       THEN r.response_before ELSE r.response END
            FROM (
                SELECT rs.report_symbol, rs.paragraph, rs.response, rs.comment, d.symbol AS source
                FROM responses rs JOIN documents d ON d.id = rs.document_id
            ) AS s, documents AS d2
            WHERE d2.id = r.document_id
              AND d2.symbol = s.report_symbol
              AND r.paragraph = s.paragraph
              AND (r.response IS NULL OR r.response = 'pending' OR r.response_source = s.source
                   OR r.response_source LIKE 'UPR Info%')
            """
        )

    def _drop_stale_links(self) -> None:
        """Forget ``duplicate_of`` links to recommendations no longer stored, and the responses
        reports took from UPR Info's rows of a review whose rows are no longer stored."""
        self.conn.execute("UPDATE recommendations SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL "
                          "AND duplicate_of NOT IN (SELECT id FROM recommendations)")
        self.conn.execute(
            f"""
            UPDATE recommendations SET {_RESTORE}
            WHERE {_TAKEN} AND document_id IN (
                SELECT d.id FROM documents d WHERE d.document_type = 'upr_wg_report' AND NOT EXISTS (
                    SELECT 1 FROM documents u WHERE u.document_type = 'upr_info_import'
                    AND u.country_code = d.country_code AND u.cycle = d.cycle))
            """
        )

    def _link_upr_info(self, document_id: int) -> None:
        """Match a review's working-group report with UPR Info's rows of the same review.

        Each UPR Info row that is one of the report's recommendations gets ``duplicate_of`` (the
        report's row: counts take it once); a report's recommendation without a response takes
        the one UPR Info records, with ``response_source`` "UPR Info <its id>" and its own kept in
        ``response_before`` (given back when UPR Info's rows go). A response stated by the report
        or its addendum is kept (and an addendum ingested later wins), and so is one an imported
        export gave (see :meth:`add_document`). Runs for the review of each
        document added, in either order.
        """
        from rightsindex.corpus.links import agreed_response, same_recommendations

        doc = self.conn.execute("SELECT document_type, country_code, cycle FROM documents WHERE id=?",
                                (document_id,)).fetchone()
        kinds = ("upr_wg_report", "upr_info_import")
        if (doc is None or doc["document_type"] not in kinds or not doc["country_code"]
                or doc["cycle"] is None):
            return
        # responses taken from an earlier import go back to the report's own, then are taken again
        self.conn.execute(
            f"UPDATE recommendations SET {_RESTORE} WHERE {_TAKEN} AND document_id IN "
            "(SELECT id FROM documents WHERE document_type = ? AND country_code = ? AND cycle = ?)",
            (kinds[0], doc["country_code"], doc["cycle"]),
        )
        rows = self.conn.execute(
            "SELECT r.id, r.text, r.recommending_states, r.response, r.response_source, r.source_symbol, "
            "d.document_type FROM recommendations r JOIN documents d ON d.id = r.document_id "
            "WHERE d.country_code = ? AND d.cycle = ? AND d.document_type IN (?, ?) ORDER BY r.id",
            (doc["country_code"], doc["cycle"], *kinds),
        ).fetchall()
        report = [r for r in rows if r["document_type"] == kinds[0]]
        other = [r for r in rows if r["document_type"] == kinds[1]]
        if not report or not other:
            return
        self.conn.executemany("UPDATE recommendations SET duplicate_of = NULL WHERE id = ?",
                              ((r["id"],) for r in other))
        states = {r["id"]: json.loads(r["recommending_states"]) for r in rows}
        pairs = same_recommendations([(r["text"], states[r["id"]]) for r in report],
                                     [(r["text"], states[r["id"]]) for r in other])
        self.conn.executemany("UPDATE recommendations SET duplicate_of = ? WHERE id = ?",
                              ((report[i]["id"], other[j]["id"]) for i, j in pairs))
        matched: dict[int, list[sqlite3.Row]] = {}
        for i, j in pairs:
            matched.setdefault(i, []).append(other[j])
        for i, found in matched.items():
            mine = report[i]
            if mine["response"] not in (None, "pending"):
                continue  # the report's own, or its addendum's
            response = agreed_response([o["response"] for o in found], [states[o["id"]] for o in found])
            if response is None:
                continue
            ids = [o["source_symbol"] for o in found if o["source_symbol"] and (
                o["response"] == response or response == "partially supported")]
            self.conn.execute("UPDATE recommendations SET response_before = response, response = ?, "
                              "response_source = ? WHERE id = ?",
                              (response, f"UPR Info {', '.join(dict.fromkeys(ids))}".rstrip(), mine["id"]))

    def delete_document(self, sha256: str) -> bool:
        row = self.conn.execute("SELECT id FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return bool(row is not None and self.remove_documents([row["id"]]))

    def find_documents(self, target: str) -> list[int]:
        """Ids of the stored documents ``target`` names: a UN symbol (in any case), the source they
        were read from as :meth:`documents` gives it (``reports/kenya.pdf``, ``upr-info:session-8:KEN``;
        ``./reports/kenya.pdf`` too), or a SHA-256 (its first 8 or more hex digits will do)."""
        target = target.strip()
        if not target:
            return []
        rows = self.conn.execute(
            "SELECT id, symbol, source_path, sha256, country_code FROM documents ORDER BY id").fetchall()
        norm = os.path.abspath(target)
        lowered = target.lower()
        is_digest = len(target) >= 8 and all(c in "0123456789abcdef" for c in lowered)

        def named(source: str, code: str | None) -> bool:
            if source.startswith("upr-info:"):  # upr-info:session-8:Kenya, or with the State's code: ...:KEN
                head = source.rpartition(":")[0]
                return lowered in (source.lower(), f"{head}:{code or ''}".lower())
            return source == target or os.path.abspath(source) == norm

        return [r["id"] for r in rows
                if (r["symbol"] or "").lower() == lowered or named(r["source_path"], r["country_code"])
                or (is_digest and r["sha256"].startswith(lowered))]

    def remove_documents(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        """Remove documents with everything read from them, in one transaction: their paragraphs,
        recommendations, tags and the responses they state. What other documents took from them is
        given back: a report's recommendations answered by a removed addendum return to the
        report's own response (or UPR Info's, if its rows of the review are stored), and those that
        took their response from removed UPR Info rows return to their own. Returns, per document
        removed, its ``symbol``, ``source_path``, ``document_type``, ``paragraphs`` and
        ``recommendations``."""
        self.require_writable()
        ids = sorted(set(int(i) for i in ids))
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        removed = [dict(r) for r in self.conn.execute(
            f"SELECT d.symbol, d.source_path, d.document_type, "
            f"(SELECT COUNT(*) FROM paragraphs p WHERE p.document_id = d.id) AS paragraphs, "
            f"(SELECT COUNT(*) FROM recommendations r WHERE r.document_id = d.id) AS recommendations "
            f"FROM documents d WHERE d.id IN ({marks}) ORDER BY d.id", ids)]
        # the symbols whose stated responses go with them (an addendum's)
        answering = [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT d.symbol FROM documents d JOIN responses rs ON rs.document_id = d.id "
            f"WHERE d.id IN ({marks}) AND d.symbol IS NOT NULL", ids)]
        # the reviews whose report and UPR Info rows are matched again once these are gone
        # (and those of the reports they answered: UPR Info's rows may answer them again)
        reviews = self.conn.execute(
            f"SELECT DISTINCT country_code, cycle FROM documents WHERE (id IN ({marks}) OR id IN ("
            f"SELECT document_id FROM recommendations WHERE response_source IN "
            f"({', '.join('?' * len(answering)) or 'NULL'}))) "
            "AND document_type IN ('upr_wg_report', 'upr_info_import') AND country_code IS NOT NULL "
            "AND cycle IS NOT NULL", [*ids, *answering]).fetchall()
        with self.conn:
            self.conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", ids)
            for symbol in answering:
                if self.conn.execute("SELECT 1 FROM responses rs JOIN documents d ON d.id = rs.document_id "
                                     "WHERE d.symbol = ?", (symbol,)).fetchone():
                    continue  # another copy of it (another language's) still states them
                # an imported export's responses are data, kept as exported
                self.conn.execute(
                    "UPDATE recommendations SET response = response_before, response_before = NULL, "
                    "response_comment = NULL, response_source = NULL WHERE response_source = ? "
                    "AND document_id NOT IN (SELECT id FROM documents WHERE flags LIKE ?)",
                    (symbol, f'%"{FROM_EXPORT}"%'))
            self._drop_stale_links()
            self._link_responses()
            for code, cycle in reviews:  # any document of the review left matches its two sources again
                left = self.conn.execute(
                    "SELECT id FROM documents WHERE document_type IN ('upr_wg_report', 'upr_info_import') "
                    "AND country_code = ? AND cycle = ?", (code, cycle)).fetchone()
                if left is not None:
                    self._link_upr_info(left["id"])
            self._bump()
        return removed

    def documents(self) -> Iterator[tuple[int, Document]]:
        for row in self.conn.execute("SELECT * FROM documents ORDER BY year, symbol, id"):
            yield row["id"], _document(row)

    def document_counts(self) -> dict[int, tuple[int, int]]:
        """Per document id: (paragraphs, recommendations)."""
        out: dict[int, tuple[int, int]] = {}
        for row in self.conn.execute(
            "SELECT d.id, (SELECT COUNT(*) FROM paragraphs p WHERE p.document_id = d.id), "
            "(SELECT COUNT(*) FROM recommendations r WHERE r.document_id = d.id) FROM documents d"
        ):
            out[row[0]] = (row[1], row[2])
        return out

    def paragraphs(self, document_id: int) -> list[Paragraph]:
        rows = self.conn.execute(
            "SELECT seq, number, page, section, heading, kind, text FROM paragraphs "
            "WHERE document_id=? ORDER BY seq",
            (document_id,),
        )
        return [Paragraph.from_dict(dict(r)) for r in rows]

    # -- failures -------------------------------------------------------------------
    def record_failure(self, failure: IngestFailure) -> None:
        self.require_writable()
        with self.conn:
            self.conn.execute(
                "INSERT INTO failures(path, sha256, reason) VALUES (?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET reason=excluded.reason, sha256=excluded.sha256, "
                "failed_at=datetime('now')",
                (failure.path, failure.sha256, failure.reason),
            )

    def clear_failure(self, path: str) -> None:
        """Forget a recorded failure of ``path`` (it has been ingested since)."""
        self.require_writable()
        with self.conn:
            self.conn.execute("DELETE FROM failures WHERE path=?", (path,))

    def failures(self) -> list[IngestFailure]:
        rows = self.conn.execute("SELECT path, sha256, reason FROM failures ORDER BY path")
        return [IngestFailure(path=r["path"], sha256=r["sha256"], reason=r["reason"]) for r in rows]

    # -- recommendations --------------------------------------------------------------
    def count_recommendations(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM recommendations").fetchone()[0])

    def recommendations(
        self,
        *,
        ids: Sequence[int] | None = None,
        untagged_for: str | None = None,
        with_tags: bool = True,
        batch: int = 2000,
    ) -> Iterator[StoredRecommendation]:
        """Stream stored recommendations, in document then paragraph order.

        ``untagged_for=VERSION`` yields only those not yet tagged by that model version.
        """
        where, params = "", []  # type: tuple[str, list[Any]]
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return
            where = f"WHERE r.id IN ({', '.join('?' * len(id_list))})"
            params = id_list
        elif untagged_for is not None:
            where = "WHERE r.tagged_version IS NULL OR r.tagged_version != ?"
            params = [untagged_for]
        docs: dict[int, Document] = {}
        cur = self.conn.execute(
            f"SELECT r.* FROM recommendations r {where} ORDER BY r.document_id, r.seq", params
        )
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                break
            tags: dict[int, list[Tag]] = {}
            rec_ids = [r["id"] for r in rows]
            twins: dict[int, set[str]] = {}  # UPR Info's issues of a report's recommendation
            for report_id, issues in self.conn.execute(
                    f"SELECT duplicate_of, issues FROM recommendations WHERE duplicate_of IN "
                    f"({', '.join('?' * len(rec_ids))}) AND issues NOT IN ('', '[]')", rec_ids):
                twins.setdefault(report_id, set()).update(json.loads(issues))
            reports = [r["duplicate_of"] for r in rows if r["duplicate_of"] is not None]
            said = dict(self.conn.execute(
                f"SELECT id, response FROM recommendations WHERE id IN ({', '.join('?' * len(reports))})",
                reports).fetchall()) if reports else {}
            if with_tags:
                for trow in self.conn.execute(
                    f"SELECT * FROM tags WHERE recommendation_id IN ({', '.join('?' * len(rec_ids))}) "
                    "ORDER BY family, score DESC",
                    rec_ids,
                ):
                    t = _decode_row(trow)
                    tags.setdefault(t.pop("recommendation_id"), []).append(Tag.from_dict(t))
            for row in rows:
                doc_id = row["document_id"]
                if doc_id not in docs:
                    drow = self.conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
                    docs[doc_id] = _document(drow)
                data = _decode_row(row)
                yield StoredRecommendation(
                    id=row["id"],
                    recommendation=Recommendation.from_dict(data),
                    document=docs[doc_id],
                    tags=tuple(tags.get(row["id"], ())),
                    duplicate_of=row["duplicate_of"],
                    twin_issues=tuple(sorted(twins.get(row["id"], ()))),
                    report_response=said.get(row["duplicate_of"]),
                )

    def get_recommendation(self, rec_id: int) -> StoredRecommendation | None:
        return next(self.recommendations(ids=[rec_id]), None)

    def set_tags(self, tagged: Iterable[tuple[int, Sequence[Tag]]], version: str) -> int:
        """Replace the tags of each recommendation, in one transaction. Returns how many."""
        self.require_writable()
        n = 0
        with self.conn:
            for rec_id, tags in tagged:
                self.conn.execute("DELETE FROM tags WHERE recommendation_id=?", (rec_id,))
                self.conn.executemany(
                    "INSERT OR REPLACE INTO tags(recommendation_id, family, label, source, score, "
                    "evidence, model_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        (rec_id, t.family, t.label, t.source, float(t.score),
                         _encode("evidence", t.evidence), t.model_version or version)
                        for t in tags
                    ),
                )
                self.conn.execute(
                    "UPDATE recommendations SET tagged_version=? WHERE id=?", (version, rec_id)
                )
                n += 1
            self._bump()
        return n

    # -- reviews --------------------------------------------------------------------
    def _has_reviews(self) -> bool:
        """False for a read-only store made before reviews were kept (no table to read)."""
        return self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='reviews'").fetchone() is not None

    def set_review(self, text: str, family: str, label: str, verdict: bool | None, note: str | None = None) -> None:
        """Record that ``text`` has (``verdict`` True) or has not (False) ``family``/``label``; None
        forgets the review. Tags change when the text's recommendations are tagged again."""
        self.require_writable()
        key = review_key(text)
        with self.conn:
            if verdict is None:
                self.conn.execute("DELETE FROM reviews WHERE key=? AND family=? AND label=?", (key, family, label))
            else:
                self.conn.execute(
                    "INSERT INTO reviews(key, text, family, label, verdict, note) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(key, family, label) DO UPDATE SET verdict=excluded.verdict, "
                    "note=COALESCE(excluded.note, note), reviewed_at=datetime('now')",
                    (key, text, family, label, int(bool(verdict)), note))

    def reviews(self) -> dict[str, dict[tuple[str, str], bool]]:
        """Every review: text key -> {(family, label): verdict}."""
        out: dict[str, dict[tuple[str, str], bool]] = {}
        if not self._has_reviews():
            return out
        for row in self.conn.execute("SELECT key, family, label, verdict FROM reviews"):
            out.setdefault(row["key"], {})[(row["family"], row["label"])] = bool(row["verdict"])
        return out

    def review_rows(self, text: str | None = None, *, counted: bool = True) -> list[dict[str, Any]]:
        """The reviews (of ``text``, or all), oldest text first: key, text, family, label, verdict,
        note, reviewed_at, and with ``counted`` how many stored recommendations have the text
        (``recommendations``; it reads every stored text)."""
        if not self._has_reviews():
            return []
        where, args = ("WHERE key = ?", (review_key(text),)) if text is not None else ("", ())
        rows = [dict(r) | {"verdict": bool(r["verdict"])} for r in self.conn.execute(
            f"SELECT key, text, family, label, verdict, note, reviewed_at FROM reviews {where} "
            "ORDER BY (SELECT MIN(reviewed_at) FROM reviews r2 WHERE r2.key = reviews.key), key, family, label",
            args)]
        if rows and counted:
            ids = self.ids_by_text_key({r["key"] for r in rows})
            for r in rows:
                r["recommendations"] = len(ids.get(r["key"], ()))
        return rows

    def ids_by_text_key(self, keys: set[str]) -> dict[str, list[int]]:
        """Per :func:`review_key` of ``keys``, the ids of the stored recommendations with that text,
        ascending (one pass over every stored text)."""
        out: dict[str, list[int]] = {}
        if keys:
            for rec_id, text in self.conn.execute("SELECT id, text FROM recommendations ORDER BY id"):
                key = review_key(text)
                if key in keys:
                    out.setdefault(key, []).append(rec_id)
        return out

    def ids_with_text(self, text: str) -> list[int]:
        """The stored recommendations whose text is ``text`` (as :func:`review_key` compares them)."""
        key = review_key(text)
        return self.ids_by_text_key({key}).get(key, [])

    # -- summaries ----------------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        q = self.conn.execute
        return {
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "paragraphs": q("SELECT COUNT(*) FROM paragraphs").fetchone()[0],
            "recommendations": q("SELECT COUNT(*) FROM recommendations").fetchone()[0],
            "tagged": q("SELECT COUNT(*) FROM recommendations WHERE tagged_version IS NOT NULL").fetchone()[0],
            "failures": q("SELECT COUNT(*) FROM failures").fetchone()[0],
            "by_type": dict(q(
                "SELECT document_type, COUNT(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()),
            "by_country": dict(q(
                "SELECT COALESCE(country_code, '-'), COUNT(*) FROM documents GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()),
            "by_year": dict(q(
                "SELECT COALESCE(year, 0), COUNT(*) FROM documents GROUP BY 1 ORDER BY 1"
            ).fetchall()),
            "recommendations_by_type": dict(q(
                "SELECT d.document_type, COUNT(*) FROM recommendations r "
                "JOIN documents d ON d.id = r.document_id GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()),
        }


def _document(row: sqlite3.Row) -> Document:
    return Document.from_dict(_decode_row(row))
