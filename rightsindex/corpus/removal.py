"""Removing documents from a corpus: which documents a user's words name, and taking them out.

``rightsindex remove`` and :meth:`rightsindex.corpus.api.Corpus.remove` are built on
:func:`select` (what would go) and :func:`remove` (take it out of the store; the caller
brings the search index up to date).
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsindex.corpus.store import Store
from rightsindex.errors import CorpusError

__all__ = ["Selection", "select", "remove"]


@dataclass
class Selection:
    """What a removal names: the stored documents (id -> a row of ``symbol``, ``source_path``,
    ``document_type``, ``country_code``, ``paragraphs``, ``recommendations``), the recorded
    failures whose paths it names, and the targets that named nothing."""

    documents: dict[int, dict[str, Any]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    @property
    def recommendations(self) -> int:
        return sum(d["recommendations"] for d in self.documents.values())

    def __bool__(self) -> bool:
        return bool(self.documents or self.failures)


def _is_file_path(source: str) -> bool:
    """Whether a stored source is a file's path, not a source such as ``upr-info:session-8:Kenya``
    or an export's ``import:kenya.csv:...``."""
    return bool(source.strip()) and not re.match(r"^[a-z][a-z-]*:(?![\\/])", source)


def _under(path: str, folder: str) -> bool:
    """Whether the file ``path`` was read from under ``folder``: relative paths are taken from
    where this runs (as ingest stored them), so ``.``, ``..`` and ``./reports/`` name what they say."""
    if not _is_file_path(path) or not folder.strip():
        return False
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _named_by_path(store: Store, target: str) -> tuple[set[int], list[str]]:
    """Documents and failures a path names: a file by its content (SHA-256) and its stored path, a
    folder (there or not) by the paths stored under it."""
    from rightsindex.ingest.pdf import sha256_file
    from rightsindex.ingest.pipeline import expand_paths

    path = Path(target)
    docs = store.conn.execute("SELECT id, source_path, sha256 FROM documents").fetchall()
    failures = store.failures()
    # the path as stored, or a folder, on disk or gone from it: what was read from under it
    ids = {r["id"] for r in docs if _under(r["source_path"], target)}
    failed = [f.path for f in failures if f.path == target or os.path.normpath(f.path) == os.path.normpath(target)
              or _under(f.path, target)]
    # a file, or the PDFs of a folder (as ingest finds them), there now: by their content, wherever
    # they were read from
    digests = set()
    for file in (expand_paths([path]) if path.exists() else []):
        if file.is_file():
            with suppress(OSError):
                digests.add(sha256_file(file))
    if digests:
        ids |= {r["id"] for r in docs if r["sha256"] in digests}
        failed += [f.path for f in failures if f.sha256 in digests]
    return ids, list(dict.fromkeys(failed))


def select(store: Store, targets: Sequence[str] = (), *, types: Iterable[str] = (),
           countries: Iterable[str] = ()) -> Selection:
    """The documents ``targets`` name (a UN symbol in any case; a file, by its content or the path
    it was read from; a folder, every file read from under it; a stored source such as
    ``upr-info:session-8:KEN``; a SHA-256 or its first 8+ hex digits), narrowed to the document
    ``types`` and ``countries`` (ISO code or name) given; with no targets, every document of those
    types and countries. Nothing is changed."""
    types = [t.strip().lower() for t in types if t.strip()]
    countries = [c.strip().lower() for c in countries if c.strip()]
    if not targets and not types and not countries:
        raise CorpusError("remove: name documents (a symbol, a file or folder, a source), or give "
                          "--type or --country")
    sel = Selection()
    ids: set[int] = set()
    for target in targets:
        if not target.strip():  # an empty name ("" from a script's unset variable) names nothing, not "."
            sel.unmatched.append(repr(target))
            continue
        found = set(store.find_documents(target))
        by_path, failed = _named_by_path(store, target)
        found |= by_path
        if not found and not failed:
            sel.unmatched.append(target)
        ids |= found
        if not types and not countries:  # a failure has no type or State: narrowed, none is named
            sel.failures += [f for f in failed if f not in sel.failures]
    query = ("SELECT d.id, d.symbol, d.source_path, d.document_type, d.country_code, d.country, "
             "(SELECT COUNT(*) FROM paragraphs p WHERE p.document_id = d.id) AS paragraphs, "
             "(SELECT COUNT(*) FROM recommendations r WHERE r.document_id = d.id) AS recommendations "
             "FROM documents d ORDER BY d.year, d.symbol, d.id")
    for row in store.conn.execute(query):
        if targets and row["id"] not in ids:
            continue
        if types and (row["document_type"] or "").lower() not in types:
            continue
        if countries and not {(row["country_code"] or "").lower(), (row["country"] or "").lower()} & set(countries):
            continue
        sel.documents[row["id"]] = {k: row[k] for k in (
            "symbol", "source_path", "document_type", "country_code", "paragraphs", "recommendations")}
    if not targets and not sel.documents:
        sel.unmatched.append(" ".join(
            [f"--type {t}" for t in types] + [f"--country {c.upper()}" for c in countries]))
    return sel


def remove(store: Store, selection: Selection) -> list[dict[str, Any]]:
    """Take the selection's documents (with everything read from them) and failures out of the
    store, in one transaction each. Returns the documents removed (:meth:`Store.remove_documents`)."""
    removed = store.remove_documents(selection.documents)
    for path in selection.failures:
        store.clear_failure(path)
    return removed
