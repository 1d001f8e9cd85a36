"""Search over a corpus: the Whoosh index, the query language, facets, exports.

>>> from rightsindex.search import search          # doctest: +SKIP
>>> result = search("my-corpus", "right:housing country:KEN", facets=True)
>>> result.total, result.hits[0]["symbol"], result.facets["year"]

The index in ``<corpus>/index`` is synced with the store before every search
(cheaply: a generation number is compared), so results are never stale.
Queries are parsed by :mod:`rightsindex.search.query` and evaluated by
:mod:`rightsindex.search.engine` (numpy over Whoosh's postings: exact totals,
BM25 ranking, facet counts from columns).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsindex.errors import QueryError

__all__ = [
    "SearchResult",
    "search",
    "matching_ids",
    "sync_index",
    "export",
    "records",
    "parse_query",
    "QUERY_HELP",
    "DEFAULT_FACETS",
]

#: Facets counted by ``facets=True``.
DEFAULT_FACETS = ("right", "fiscal", "country", "body", "year", "response")


def __getattr__(name: str) -> Any:  # lazy: keep ``import rightsindex.search`` light
    if name == "sync_index":
        from rightsindex.search.index import sync_index

        return sync_index
    if name in ("parse_query", "QUERY_HELP"):
        from rightsindex.search import query as _query

        return getattr(_query, name)
    raise AttributeError(name)


@dataclass
class SearchResult:
    """One page of hits, the exact number of matches, and facet counts."""

    query: str
    total: int
    hits: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    offset: int = 0
    limit: int = 20
    sort: str = "relevance"

    def to_dict(self) -> dict[str, Any]:
        """``{"query", "total", "hits", "facets"}``, ready for ``json.dumps``."""
        return {"query": self.query, "total": self.total, "hits": self.hits, "facets": self.facets}


# -- search ------------------------------------------------------------------------------------------


def _compile(query: str | None, filters: Mapping[str, Any] | None) -> Any:
    from whoosh import query as wq

    from rightsindex.search.query import filters_query, parse_query

    q = parse_query(query)
    extra = filters_query(filters)
    if not extra:
        return q
    parts = ([] if isinstance(q, wq.Every) else [q]) + extra
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _engine(searcher: Any, folder: str) -> Any:
    from rightsindex.search.engine import engine_for
    from rightsindex.search.index import MULTI_FACETS

    return engine_for(searcher, folder, MULTI_FACETS)


def _resolve(searcher: Any, q: Any) -> Any:
    from rightsindex.search.query import resolve

    return resolve(q, searcher.reader())


def _with_retry(corpus_dir: str | os.PathLike[str], work: Any) -> Any:
    """Run ``work(searcher)``; if the index turns out unreadable, rebuild it once and retry."""
    from rightsindex.search.index import invalidate, searcher_for, sync_index

    searcher = searcher_for(corpus_dir)
    try:
        return work(searcher)
    except (QueryError, KeyboardInterrupt):
        raise
    except Exception:  # noqa: BLE001 - a damaged segment: rebuild from the store
        invalidate(corpus_dir)
        sync_index(corpus_dir, rebuild=True)
        return work(searcher_for(corpus_dir))


def search(
    corpus_dir: str | os.PathLike[str],
    query: str | None,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool | Sequence[str] = False,
    filters: Mapping[str, Any] | None = None,
) -> SearchResult:
    """Search the corpus's recommendations.

    ``query`` uses the query language of :data:`QUERY_HELP`; ``filters`` adds
    field filters (``{"country": "KEN", "year": "2015-2020"}``). ``total`` is
    the exact number of matches (not Whoosh's estimate); ``hits`` are
    ``limit`` rows from ``offset``, each a stored row plus ``highlight`` and
    ``score``; ``facets=True`` counts :data:`DEFAULT_FACETS` over all matches.
    Raises :class:`QueryError` for a malformed query.
    """
    from rightsindex.search.index import FACETS, index_dir

    if sort not in ("relevance", "date"):
        raise QueryError(f"unknown sort {sort!r}: use relevance or date")
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must be zero or more")
    if facets is True:
        facet_names: Sequence[str] = DEFAULT_FACETS
    elif facets:
        facet_names = list(facets)  # type: ignore[arg-type]
        bad = [f for f in facet_names if f not in FACETS]
        if bad:
            raise QueryError(f"unknown facet {bad[0]!r}; facets: {', '.join(FACETS)}")
    else:
        facet_names = ()
    q0 = _compile(query, filters)
    folder = str(index_dir(corpus_dir))

    def work(searcher: Any) -> tuple[int, list[tuple[int, float]], dict[str, dict[str, int]], frozenset[str]]:
        eng = _engine(searcher, folder)
        q = _resolve(searcher, q0)
        docnums = eng.docnums(q)
        counted = {name: eng.facet_counts(docnums, name) for name in facet_names}
        page_docs, page_scores = eng.top(q, docnums, offset, limit, sort)
        ids = eng.column("id")
        page = [(int(ids[d]), float(sc)) for d, sc in zip(page_docs, page_scores)]
        return int(len(docnums)), page, counted, eng.highlight_terms(q)

    total, page, counted, terms = _with_retry(corpus_dir, work)
    hits: list[dict[str, Any]] = []
    if page:
        rows = _rows(corpus_dir, [p[0] for p in page])
        for rec_id, score in page:
            row = rows.get(rec_id)
            if row is None:  # pragma: no cover - the index was synced just before
                continue
            row["highlight"] = _highlight(row["text"], terms)
            row["score"] = round(score, 4)
            hits.append(row)
    return SearchResult(
        query=query or "", total=total, hits=hits, facets=counted, offset=offset, limit=limit, sort=sort,
    )


def _shorten(text: str, width: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def matching_ids(
    corpus_dir: str | os.PathLike[str], query: str | None = None, *, filters: Mapping[str, Any] | None = None
) -> list[int]:
    """The ids of every recommendation matching ``query`` (and ``filters``), ascending."""
    from rightsindex.search.index import index_dir

    q = _compile(query, filters)
    folder = str(index_dir(corpus_dir))

    def work(searcher: Any) -> list[int]:
        import numpy as np

        eng = _engine(searcher, folder)
        docnums = eng.docnums(_resolve(searcher, q))
        return [int(i) for i in np.sort(eng.column("id")[docnums])]

    return _with_retry(corpus_dir, work)


_tls = threading.local()


def _rows(corpus_dir: str | os.PathLike[str], ids: list[int]) -> dict[int, dict[str, Any]]:
    """Stored rows of some recommendations, through a store kept open per thread."""
    from rightsindex.corpus.store import STORE_FILE, Store

    path = Path(corpus_dir) / STORE_FILE
    stores: dict[str, tuple[int, Any]] = getattr(_tls, "stores", None) or {}
    _tls.stores = stores
    key = str(path.resolve())
    ino = path.stat().st_ino
    entry = stores.get(key)
    if entry is None or entry[0] != ino:
        if entry is not None:
            entry[1].close()
        entry = (ino, Store(corpus_dir, create=False))
        stores[key] = entry
    return {s.id: s.to_row() for s in entry[1].recommendations(ids=ids)}


def _highlight(text: str, terms: frozenset[str]) -> str:
    """The best fragments of ``text`` with the query's words in ``<b>...</b>``."""
    if not terms:
        return _shorten(text)
    from whoosh import highlight

    try:
        out = highlight.highlight(
            text, terms, _analyzer(), highlight.ContextFragmenter(maxchars=240, surround=60),
            _formatter(), top=2,
        )
    except Exception:  # noqa: BLE001 - a snippet is a nicety, never an error
        out = ""
    return out or _shorten(text)


_cache: dict[str, Any] = {}


def _analyzer() -> Any:
    if "analyzer" not in _cache:
        from rightsindex.search.index import text_analyzer

        _cache["analyzer"] = text_analyzer()
    return _cache["analyzer"]


def _formatter() -> Any:
    if "formatter" not in _cache:
        from whoosh import highlight

        class BoldFormatter(highlight.Formatter):
            """Marks matched words with ``<b>...</b>``."""

            between = " … "

            def format_token(self, text: str, token: Any, replace: bool = False) -> str:
                return "<b>%s</b>" % highlight.get_text(text, token, replace)

        _cache["formatter"] = BoldFormatter()
    return _cache["formatter"]


# ``export`` is both a submodule and a function: bind the function after the
# submodule import so ``rightsindex.search.export(...)`` is the function.
from rightsindex.search.export import export, records  # noqa: E402
