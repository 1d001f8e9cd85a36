"""Search over a corpus: the Whoosh index, the query language, facets, exports.

>>> from rightsindex.search import search          # doctest: +SKIP
>>> result = search("my-corpus", "right:housing country:KEN", facets=True)
>>> result.total, result.hits[0]["symbol"], result.facets["year"]

The index in ``<corpus>/index`` is synced with the store before every search
(cheaply: a generation number is compared), so results are never stale.
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


# -- facet columns, loaded once per index version -------------------------------------------------

_cache_lock = threading.Lock()
_columns: dict[str, tuple[Any, dict[str, Any]]] = {}  # index folder -> (reader, {column: arrays})


def _column_arrays(searcher: Any, folder: str, name: str) -> Any:
    """Per-docnum codes of one column: (labels, codes) or (labels, flat, doc_of_flat)."""
    import numpy as np

    reader = searcher.reader()
    with _cache_lock:
        entry = _columns.get(folder)
        if entry is None or entry[0] is not reader:
            entry = (reader, {})
            _columns[folder] = entry
        cached = entry[1].get(name)
    if cached is not None:
        return cached
    col = reader.column_reader(name)
    values = list(col)
    if name == "id":
        arrays: Any = np.asarray(values, dtype=np.int64)
    elif name.startswith("f_") and name[2:] in _multi():
        labels: dict[bytes, int] = {}
        flat: list[int] = []
        owner: list[int] = []
        for docnum, vals in enumerate(values):
            for v in vals:
                flat.append(labels.setdefault(v, len(labels)))
                owner.append(docnum)
        arrays = (
            [k.decode("utf-8") for k in labels],
            np.asarray(flat, dtype=np.int32),
            np.asarray(owner, dtype=np.int64),
        )
    else:
        labels = {}
        codes = np.fromiter((labels.setdefault(v, len(labels)) for v in values), dtype=np.int32,
                            count=len(values))
        arrays = ([k.decode("utf-8") for k in labels], codes)
    with _cache_lock:
        entry[1][name] = arrays
    return arrays


def _multi() -> frozenset[str]:
    from rightsindex.search.index import MULTI_FACETS

    return MULTI_FACETS


def _count_facets(searcher: Any, folder: str, docnums: Any, names: Sequence[str]) -> dict[str, dict[str, int]]:
    import numpy as np

    out: dict[str, dict[str, int]] = {}
    n_docs = searcher.reader().doc_count_all()
    for name in names:
        col = f"f_{name}"
        arrays = _column_arrays(searcher, folder, col)
        if len(arrays) == 3:
            labels, flat, owner = arrays
            mask = np.zeros(n_docs, dtype=bool)
            mask[docnums] = True
            counts = np.bincount(flat[mask[owner]], minlength=len(labels)) if len(flat) else []
        else:
            labels, codes = arrays
            counts = np.bincount(codes[docnums], minlength=len(labels)) if len(codes) else []
        pairs = [(labels[i], int(c)) for i, c in enumerate(counts) if c and labels[i]]
        if name in ("year", "cycle"):
            pairs.sort(key=lambda p: (int(p[0]) if p[0].lstrip("-").isdigit() else 0))
        else:
            pairs.sort(key=lambda p: (-p[1], p[0]))
        out[name] = dict(pairs)
    return out


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


def _docnums(searcher: Any, q: Any) -> Any:
    import numpy as np

    return np.fromiter(searcher.docs_for_query(q), dtype=np.int64)


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
    from whoosh import highlight, sorting

    from rightsindex.corpus.store import Store
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

    def work(searcher: Any) -> tuple[int, list[tuple[int, float, str | None]], dict[str, dict[str, int]]]:
        q = _resolve(searcher, q0)
        docnums = _docnums(searcher, q)
        total = int(len(docnums))
        counted = _count_facets(searcher, folder, docnums, facet_names) if facet_names else {}
        page: list[tuple[int, float, Any]] = []
        if limit and total > offset:
            sortedby = sorting.FieldFacet("sortdate", reverse=True) if sort == "date" else None
            results = searcher.search(q, limit=offset + limit, sortedby=sortedby, terms=False)
            results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
            results.formatter = _BoldFormatter()
            id_col = searcher.reader().column_reader("id")
            for hit in results[offset : offset + limit]:
                page.append((int(id_col[hit.docnum]), float(hit.score or 0.0), hit))
        return total, page, counted

    total, page, counted = _with_retry(corpus_dir, work)
    hits: list[dict[str, Any]] = []
    if page:
        with Store.open(corpus_dir, create=False) as store:
            rows = {s.id: s.to_row() for s in store.recommendations(ids=[p[0] for p in page])}
        for rec_id, score, hit in page:
            row = rows.get(rec_id)
            if row is None:  # pragma: no cover - the index was synced just before
                continue
            try:
                snippet = hit.highlights("text", text=row["text"], top=2)
            except Exception:  # noqa: BLE001 - a highlight is a nicety, never an error
                snippet = ""
            row["highlight"] = snippet or _shorten(row["text"])
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

        docnums = _docnums(searcher, _resolve(searcher, q))
        ids = _column_arrays(searcher, folder, "id")
        return [int(i) for i in np.sort(ids[docnums])]

    return _with_retry(corpus_dir, work)


def _bold_formatter_class() -> Any:
    from whoosh import highlight

    class BoldFormatter(highlight.Formatter):
        """Marks matched words with ``<b>...</b>``."""

        between = " … "

        def format_token(self, text: str, token: Any, replace: bool = False) -> str:
            return "<b>%s</b>" % highlight.get_text(text, token, replace)

    return BoldFormatter


def _BoldFormatter() -> Any:  # noqa: N802 - a factory standing for a class
    return _bold_formatter_class()()


def corpus_path(corpus_dir: str | os.PathLike[str]) -> Path:
    return Path(corpus_dir)


# ``export`` is both a submodule and a function: bind the function after the
# submodule import so ``rightsindex.search.export(...)`` is the function.
from rightsindex.search.export import export, records  # noqa: E402
