"""Search over a corpus: the Whoosh index, the query language, facets, exports.

>>> from rightsindex.search import search          # doctest: +SKIP
>>> result = search("my-corpus", "right:housing country:KEN", facets=True)
>>> result.total, result.hits[0]["symbol"], result.facets["year"]

The index in ``<corpus>/index`` is synced with the store before every search
(cheaply: a generation number is compared), so results are never stale.

Paragraph search: every stored paragraph of every document (``other``
documents included, footnotes too) is in a second index,
``<corpus>/index-paragraphs``, synced by the same :func:`sync_index`:

>>> search("my-corpus", '"informal settlements" type:other', target="paragraphs")  # doctest: +SKIP
>>> search_paragraphs("my-corpus", "housing NOT kind:footnote")                    # doctest: +SKIP

Facets count a recommendation held twice (its working-group report's row and UPR Info's
copy of it, ``duplicate_of``, both matching) once, as the report's, as ``trends`` and the
dossier count it; the total and the hits list both rows.

Its hits are ``{"id", "symbol", "document_type", "country", "country_code",
"year", "date", "page", "number", "section", "heading", "kind", "text",
"highlight", "score", "source_file"}``; its facets are
:data:`PARAGRAPH_FACETS`; recommendation-only query fields (``right:``,
``response:``...) raise :class:`QueryError`.
Queries are parsed by :mod:`rightsindex.search.query` and evaluated by
:mod:`rightsindex.search.engine` (numpy over Whoosh's postings: exact totals,
BM25 ranking, facet counts from columns).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsindex.errors import QueryError

__all__ = [
    "SearchResult",
    "search",
    "search_paragraphs",
    "matching_ids",
    "sync_index",
    "export",
    "records",
    "parse_query",
    "QUERY_HELP",
    "DEFAULT_FACETS",
    "PARAGRAPH_FACETS",
]

#: Facets counted by ``facets=True``.
DEFAULT_FACETS = ("right", "fiscal", "country", "body", "year", "response", "region", "recommending_region")
#: Orders of hits: best match first, newest first, oldest first (undated last in both).
SORTS = ("relevance", "date", "oldest")
#: Facets of a paragraph search (``target="paragraphs"``).
PARAGRAPH_FACETS = ("country", "body", "year", "type", "kind", "region")


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
    limit: int | None = 20
    sort: str = "relevance"
    #: matches the facets leave out: UPR Info's copies of a working-group report's recommendation
    #: that matches too (counted once, as the report's)
    held_twice: int = 0
    #: whether ``total`` and ``hits`` leave those copies out too (``search(..., once=True)``)
    once: bool = False
    #: for a query that found nothing, the query with its words no record has spelt as the nearest
    #: ones the texts hold (``evicitons`` -> ``evictions``), or None
    did_you_mean: str | None = None

    @property
    def cut(self) -> bool:
        """Whether matches after this page were left out by the limit."""
        return self.offset + len(self.hits) < self.total

    def to_dict(self) -> dict[str, Any]:
        """``{"query", "total", "hits", "facets", "held_twice", "once", "did_you_mean"}``, ready for
        ``json.dumps``."""
        return {"query": self.query, "total": self.total, "hits": self.hits, "facets": self.facets,
                "held_twice": self.held_twice, "once": self.once, "did_you_mean": self.did_you_mean}


# -- search ------------------------------------------------------------------------------------------


def _compile(query: str | None, filters: Mapping[str, Any] | None, target: str = "recommendations") -> Any:
    from whoosh import query as wq

    from rightsindex.search.query import filters_query, parse_query

    q = parse_query(query, target)
    extra = filters_query(filters, target)
    if not extra:
        return q
    # only the match-everything query gives way to the filters: ``fiscal:*`` is an Every on one field
    everything = isinstance(q, wq.Every) and not getattr(q, "fieldname", None)
    parts = ([] if everything else [q]) + extra
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _engine(searcher: Any, folder: str, target: str = "recommendations") -> Any:
    from rightsindex.search.engine import engine_for
    from rightsindex.search.index import MULTI_FACETS

    return engine_for(searcher, folder, MULTI_FACETS if target == "recommendations" else frozenset())


def _resolve(searcher: Any, q: Any) -> Any:
    from rightsindex.search.query import resolve

    return resolve(q, searcher.reader())


def _with_retry(corpus_dir: str | os.PathLike[str], work: Any, target: str = "recommendations") -> Any:
    """Run ``work(searcher)``; if the index turns out unreadable, rebuild it once and retry."""
    from rightsindex.search.index import invalidate, searcher_for, sync_index

    searcher = searcher_for(corpus_dir, target)
    try:
        return work(searcher)
    except (QueryError, KeyboardInterrupt):
        raise
    except Exception:  # noqa: BLE001 - a damaged segment: rebuild from the store
        invalidate(corpus_dir)
        sync_index(corpus_dir, rebuild=True)
        return work(searcher_for(corpus_dir, target))


def search(
    corpus_dir: str | os.PathLike[str],
    query: str | None,
    *,
    limit: int | None = 20,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool | Sequence[str] = False,
    filters: Mapping[str, Any] | None = None,
    target: str = "recommendations",
    once: bool = False,
) -> SearchResult:
    """Search the corpus's recommendations (or, with ``target="paragraphs"``, its paragraphs).

    ``query`` uses the query language of :data:`QUERY_HELP`; ``filters`` adds
    field filters (``{"country": "KEN", "year": "2015-2020"}``). ``total`` is
    the exact number of matches (not Whoosh's estimate); ``hits`` are
    ``limit`` rows from ``offset`` (``limit=None`` or ``0``: every match from ``offset``, as
    ``search --limit 0`` writes them), each a stored row plus ``highlight`` and ``score``
    (``sort``: one of :data:`SORTS`); ``total`` and the facets count every match whatever the
    limit, so a count alone is cheapest with ``limit=1``;
    ``facets=True`` counts :data:`DEFAULT_FACETS` over all matches (:data:`PARAGRAPH_FACETS` for
    paragraphs), a recommendation held twice once (``held_twice`` says how many of the matches are
    UPR Info's copies of a working-group report's recommendation that matches too). ``once``:
    ``total`` and ``hits`` leave those copies out too, as ``export --once`` does. Raises
    :class:`QueryError` for a malformed query or a recommendation-only field in a paragraph search.
    """
    from rightsindex.search.index import FACETS, PARAGRAPH_FACETS as P_FACETS, index_dir

    if target not in ("recommendations", "paragraphs"):
        raise QueryError(f"unknown search target {target!r}: use recommendations or paragraphs")
    if once and target == "paragraphs":
        raise QueryError("once (--once) counts recommendations held twice once; it does not apply to paragraph search")
    allowed = FACETS if target == "recommendations" else P_FACETS
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    if (limit is not None and limit < 0) or offset < 0:
        raise QueryError("limit and offset must be zero or more")
    limit = limit or None  # 0 is every match, as in the CLI (it gave no hits at all)
    if facets is True:
        facet_names: Sequence[str] = DEFAULT_FACETS if target == "recommendations" else P_FACETS
    elif facets:
        if isinstance(facets, str):  # facets="year" is one facet, not the facets 'y', 'e', 'a', 'r'
            facet_names = [facets]
        elif isinstance(facets, Iterable):
            facet_names = list(facets)
        else:
            raise QueryError(f"facets is True, a facet's name or a list of them, not {facets!r}")
        bad = [f for f in facet_names if f not in allowed]
        if bad:
            raise QueryError(f"unknown facet {bad[0]!r}; facets: {', '.join(allowed)}")
    else:
        facet_names = ()
    q0 = _compile(query, filters, target)
    folder = str(index_dir(corpus_dir, target))

    def work(searcher: Any) -> tuple[int, list[tuple[int, float]], dict[str, dict[str, int]], frozenset[str],
                                     int, str | None]:
        eng = _engine(searcher, folder, target)
        q = _resolve(searcher, q0)
        docnums = eng.docnums(q)
        ids = eng.column("id")
        counted_once = _counted_once(docnums, ids, _copies(corpus_dir)) if target == "recommendations" \
            else docnums
        counted = {name: eng.facet_counts(counted_once, name) for name in facet_names}
        listed = counted_once if once else docnums
        size = len(listed) if limit is None else limit
        page_docs, page_scores = eng.top(q, listed, offset, size, sort)
        page = [(int(ids[d]), float(sc)) for d, sc in zip(page_docs, page_scores)]
        from rightsindex.search.query import did_you_mean

        suggestion = did_you_mean(query, searcher.reader()) if not len(listed) and query else None
        if suggestion is not None:  # one that finds nothing again ("roma evictions" in quotes) misleads
            try:
                found = len(eng.docnums(_resolve(searcher, _compile(suggestion, filters, target))))
            except QueryError:
                found = 0
            suggestion = suggestion if found else None
        return (int(len(listed)), page, counted, eng.highlight_terms(q),
                int(len(docnums) - len(counted_once)), suggestion)

    total, page, counted, terms, held_twice, suggestion = _with_retry(corpus_dir, work, target)
    hits: list[dict[str, Any]] = []
    if page:
        ids = [p[0] for p in page]
        rows = _rows(corpus_dir, ids) if target == "recommendations" else _paragraph_rows(corpus_dir, ids)
        for rec_id, score in page:
            row = rows.get(rec_id)
            if row is None:  # pragma: no cover - the index was synced just before
                continue
            row["highlight"] = _highlight(row["text"], terms)
            row["score"] = round(score, 4)
            if target == "recommendations":
                row["citation"] = citation(row)
            hits.append(row)
    return SearchResult(
        query=query or "", total=total, hits=hits, facets=counted, offset=offset, limit=limit, sort=sort,
        held_twice=held_twice, once=once, did_you_mean=suggestion,
    )


def search_paragraphs(corpus_dir: str | os.PathLike[str], query: str | None, **kwargs: Any) -> SearchResult:
    """:func:`search` over every stored paragraph: ``search(..., target="paragraphs")``."""
    return search(corpus_dir, query, target="paragraphs", **kwargs)


def _shorten(text: str, width: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def matching_ids(
    corpus_dir: str | os.PathLike[str],
    query: str | None = None,
    *,
    filters: Mapping[str, Any] | None = None,
    target: str = "recommendations",
) -> list[int]:
    """The ids of every recommendation (or paragraph) matching ``query`` (and ``filters``), ascending."""
    from rightsindex.search.index import index_dir

    q = _compile(query, filters, target)
    folder = str(index_dir(corpus_dir, target))

    def work(searcher: Any) -> list[int]:
        import numpy as np

        eng = _engine(searcher, folder, target)
        docnums = eng.docnums(_resolve(searcher, q))
        return [int(i) for i in np.sort(eng.column("id")[docnums])]

    return _with_retry(corpus_dir, work, target)


_copies_cache: dict[str, tuple[int, Any, Any]] = {}


def _copies(corpus_dir: str | os.PathLike[str]) -> tuple[Any, Any]:
    """``(copies, twins)``: the ids of UPR Info's rows that repeat a working-group report's
    recommendation (``duplicate_of``), ascending, and the id each repeats; read from the store
    once per store generation."""
    import sqlite3

    import numpy as np

    from rightsindex.corpus.store import STORE_FILE, connect_readonly

    path = Path(corpus_dir) / STORE_FILE
    key = str(path.resolve())
    pairs: list[tuple[int, int]] = []
    try:
        conn = connect_readonly(path)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
            generation = int(row[0]) if row else 0
            hit = _copies_cache.get(key)
            if hit is not None and hit[0] == generation:
                return hit[1], hit[2]
            pairs = conn.execute("SELECT id, duplicate_of FROM recommendations "
                                 "WHERE duplicate_of IS NOT NULL ORDER BY id").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:  # a store older than the matching, read-only: nothing is matched
        generation = -1
    copies = np.asarray([p[0] for p in pairs], dtype=np.int64)
    twins = np.asarray([p[1] for p in pairs], dtype=np.int64)
    _copies_cache[key] = (generation, copies, twins)
    return copies, twins


def _counted_once(docnums: Any, ids: Any, copies: tuple[Any, Any]) -> Any:
    """``docnums`` without UPR Info's copies whose working-group report's recommendation is
    among them too (a recommendation held twice counts once, as the report's)."""
    import numpy as np

    copy_ids, twins = copies
    if not len(copy_ids) or not len(docnums):
        return docnums
    matched = ids[docnums]
    is_copy = np.isin(matched, copy_ids)
    if not is_copy.any():
        return docnums
    twin = twins[np.searchsorted(copy_ids, matched[is_copy])]
    drop = np.zeros(len(docnums), dtype=bool)
    drop[np.flatnonzero(is_copy)[np.isin(twin, matched)]] = True
    return docnums[~drop] if drop.any() else docnums


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
    rows: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 5000):  # a whole corpus asked for (limit=None) in bounded batches
        rows.update({s.id: s.to_row() for s in entry[1].recommendations(ids=ids[i : i + 5000])})
    return rows


_PARAGRAPH_ROW_SQL = (
    "SELECT p.id, d.symbol, d.document_type, d.body, d.country, d.country_code, d.year, d.date, p.page, "
    "p.number, p.section, p.heading, p.kind, p.text, d.source_path AS source_file "
    "FROM paragraphs p JOIN documents d ON d.id = p.document_id WHERE p.id IN ({})"
)


def _paragraph_rows(corpus_dir: str | os.PathLike[str], ids: list[int]) -> dict[int, dict[str, Any]]:
    """Stored paragraphs (with their document's metadata) by paragraph id."""
    import sqlite3

    from rightsindex.corpus.store import STORE_FILE, connect_readonly

    conn = connect_readonly(Path(corpus_dir) / STORE_FILE)
    conn.row_factory = sqlite3.Row
    rows: list[Any] = []
    try:
        for i in range(0, len(ids), 5000):
            batch = ids[i : i + 5000]
            rows += conn.execute(_PARAGRAPH_ROW_SQL.format(", ".join("?" * len(batch))), batch).fetchall()
    finally:
        conn.close()
    return {int(r["id"]): dict(r) for r in rows}


#: Texts up to this many characters are shown whole, with their matched words marked.
_WHOLE_TEXT = 320


def _highlight(text: str, terms: frozenset[str]) -> str:
    """The best fragments of ``text`` with the query's words in ``<b>...</b>``."""
    if not terms:
        return _shorten(text)
    from whoosh import highlight

    # a text that fits is shown whole: cut at its first matched word, a recommendation
    # loses its opening verb ("... stated commitment" for "Meet the stated commitment")
    fragmenter = (highlight.WholeFragmenter() if len(text) <= _WHOLE_TEXT
                  else highlight.ContextFragmenter(maxchars=240, surround=60))
    try:
        out = highlight.highlight(text, terms, _analyzer(), fragmenter, _formatter(), top=2)
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

            def format(self, fragments: list[Any], replace: bool = False) -> str:
                # "… policies regarding access to education": a cut is shown, never silent
                out = super().format(fragments, replace)
                if not fragments or not out:
                    return out
                text = fragments[0].text
                words = [m.start() for m in re.finditer(r"\w", text)]
                if not words:
                    return out
                # a cut is where words were left out, not punctuation: "(a) Ensure ... (Mexico);"
                start, end = min(f.startchar for f in fragments), max(f.endchar for f in fragments)
                if start > words[0]:
                    out = "… " + out.lstrip()
                else:  # keep the punctuation the fragment left out: "(a) ..."
                    out = text[:start].lstrip() + out
                if end <= words[-1]:
                    out = out.rstrip() + " …"
                else:
                    out = out + text[end:].rstrip()
                return out

        _cache["formatter"] = BoldFormatter()
    return _cache["formatter"]


# ``export`` is both a submodule and a function: bind the function after the
# submodule import so ``rightsindex.search.export(...)`` is the function.
from rightsindex.search.export import citation, export, records  # noqa: E402
