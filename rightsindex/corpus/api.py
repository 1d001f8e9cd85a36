"""The Python library API: one object over a corpus folder.

>>> import rightsindex
>>> corpus = rightsindex.open_corpus("my-corpus")                     # doctest: +SKIP
>>> df = corpus.recommendations("housing", country="KEN")            # doctest: +SKIP
>>> corpus.trends(by="year", split="right", share=True)              # doctest: +SKIP
>>> corpus.emerging_terms("2008-2010", "2011-2013", query="women")   # doctest: +SKIP
>>> d = corpus.dossier("Kenya", right="health")                       # doctest: +SKIP

The store stays the source of truth: every call reads it (the recommendations table is
cached until the store changes). Full-text queries go through the search index
(:mod:`rightsindex.search`), which is brought up to date with the store first.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from rightsindex.corpus.store import STORE_FILE, Store, StoredRecommendation
from rightsindex.errors import CorpusError, QueryError
from rightsindex.records import Document, Recommendation

__all__ = ["Corpus", "open_corpus", "ROW_COLUMNS", "FILTERS", "search_function"]


def _row_columns() -> list[str]:
    dummy = StoredRecommendation(id=0, recommendation=Recommendation(text=""),
                                 document=Document(sha256="", source_path=""))
    return list(dummy.to_row().keys())


#: The columns of a stored recommendation (``StoredRecommendation.to_row``).
_STORED_COLUMNS: list[str] = _row_columns()
#: Columns of :meth:`Corpus.recommendations` (one row per recommendation): the stored ones and the
#: ``citation`` exports and search hits give.
ROW_COLUMNS: list[str] = [*_STORED_COLUMNS, "citation"]

#: Filters :meth:`Corpus.recommendations` accepts, and the column each one reads.
FILTERS: dict[str, str] = {
    "country": "country",  # name or ISO alpha-3 code
    "year": "year",
    "cycle": "cycle",
    "session": "session",
    "body": "body",
    "response": "response",
    "document_type": "document_type",
    "type": "document_type",
    "symbol": "symbol",
    "right": "esc_rights",
    "esc_rights": "esc_rights",
    "fiscal": "fiscal",
    "group": "groups",
    "groups": "groups",
    "issue": "issues",
    "issues": "issues",
    "action_category": "action_category",
    "category": "action_category",
    "recommending_state": "recommending_states",
    "state": "recommending_states",
    "region": "region",  # the UN regional group of the State under review
    "recommending_region": "recommending_regions",  # ... of the recommending States
    "recommending_regions": "recommending_regions",
}
#: Filter -> the query field whose values it takes (``state:``, ``type:``...; see
#: :func:`rightsindex.search.query.filter_values`).
_QUERY_FIELD = {"recommending_state": "state", "document_type": "type", "action_category": "category",
                "esc_rights": "right", "groups": "group", "issues": "issue",
                "recommending_regions": "recommending_region"}
#: Responses counted in :meth:`Corpus.repeated`'s columns; any other (pending, none) is no response.
RESPONSE_NAMES = ("supported", "noted", "partially supported")
#: Responses a report (or its addendum) states, by which its UPR Info copies are found.
_STATED = frozenset(RESPONSE_NAMES)
_FEW = 5000  # up to this many rows are read by id; more, and the whole table is read once
_LIST_COLUMNS = {"esc_rights", "fiscal", "groups", "issues", "recommending_states", "recommending_regions"}
#: A recommending State is found under its UN name, its code or the name the document writes.
_STATE_COLUMNS = ("recommending_states", "recommending_codes", "recommending_as_written")
#: SQL giving the values the records have of an open query field or a label field (JSON lists for the
#: States and issues), to check a filter's value no table knows.
_STORED_SQL = {
    "country": "SELECT country FROM documents UNION SELECT country_code FROM documents",
    "state": "SELECT recommending_states FROM recommendations UNION SELECT recommending_codes FROM "
             "recommendations UNION SELECT recommending_as_written FROM recommendations",
    "issue": "SELECT issues FROM recommendations UNION SELECT '[' || json_quote(label) || ']' FROM tags "
             "WHERE family = 'upr_issues'",
    "body": "SELECT body FROM documents UNION SELECT source_body FROM recommendations",
    "type": "SELECT document_type FROM documents",
    **{field: f"SELECT DISTINCT label FROM tags WHERE family = '{family}'"
       for field, family in (("right", "esc_rights"), ("fiscal", "fiscal"), ("group", "groups"))},
}


def search_function(name: str) -> Callable[..., Any]:
    """A function of :mod:`rightsindex.search` (``search``, ``matching_ids``, ``sync_index``),
    or a CorpusError saying full-text search is not available."""
    try:
        import rightsindex.search as search_pkg
    except ImportError as exc:  # pragma: no cover - the package always exists
        raise CorpusError(f"full-text search is not available ({exc})") from exc
    fn = getattr(search_pkg, name, None)
    if fn is None:
        try:  # the function may live in a submodule not re-exported yet
            import importlib

            for mod in ("index", "query", "engine", "_search", "searcher"):
                try:
                    sub = importlib.import_module(f"rightsindex.search.{mod}")
                except ModuleNotFoundError:
                    continue
                fn = getattr(sub, name, None)
                if fn is not None:
                    break
        except ImportError:
            fn = None
    if fn is None:
        raise CorpusError(
            f"full-text search is not available in this installation (rightsindex.search.{name} is missing)"
        )
    return fn  # type: ignore[no-any-return]


class Corpus:
    """A corpus folder opened for search, recommendations, trends and dossiers."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        if path is None or not isinstance(path, (str, os.PathLike)) or not str(path).strip():
            raise CorpusError(f"a corpus is a folder: give its path, not {path!r}")
        self.path = Path(path)
        if create and not (self.path / STORE_FILE).is_file():
            with Store.open(self.path):
                pass  # an empty store: ingest() or import_file() fill it
        if not (self.path / STORE_FILE).is_file():
            raise CorpusError(
                f"{self.path}: no corpus here; run 'rightsindex ingest PATH --corpus {self.path}' "
                "or 'rightsindex import upr-info FILE' first"
            )
        with self._store():
            pass  # fails now, with a clear message, if the store is unusable
        self._cache: tuple[int, pd.DataFrame] | None = None

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r})"

    def _store(self) -> Any:
        return Store.open(self.path, create=False)

    # -- facts ------------------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        """Documents, paragraphs, recommendations, tagged, failures and breakdowns."""
        with self._store() as store:
            return store.counts()

    def failures(self) -> pd.DataFrame:
        """The files that could not be read (``path``, ``sha256``, ``reason``), as ``rightsindex
        status`` lists them; a file read later removes its row."""
        with self._store() as store:
            rows = [(f.path, f.sha256, f.reason) for f in store.failures()]
        return pd.DataFrame(rows, columns=["path", "sha256", "reason"])

    @property
    def generation(self) -> int:
        with self._store() as store:
            return store.generation

    def documents(self) -> pd.DataFrame:
        """One row per stored document, with its metadata and how many paragraphs and
        recommendations it holds."""
        rows: list[dict[str, Any]] = []
        with self._store() as store:
            counts = store.document_counts()
            for doc_id, doc in store.documents():
                # source_file, as recommendations(), exports and 'rightsindex documents' name it
                row = {"document_id": doc_id, **_renamed(doc.to_dict())}
                row["flags"] = list(doc.flags)
                row["paragraphs"], row["recommendations"] = counts.get(doc_id, (0, 0))
                rows.append(row)
        if not rows:
            cols = ["document_id", *_renamed(Document(sha256="", source_path="").to_dict()).keys(),
                    "paragraphs", "recommendations"]
            return pd.DataFrame(columns=cols)
        return pd.DataFrame(rows)

    # -- building -------------------------------------------------------------------------
    def ingest(self, *paths: str | os.PathLike[str], jobs: int = 1, ocr: bool = False, tag: bool = True,
               again: bool = False, engine: str = "pdfplumber", progress: Any = None,
               any_language: bool = False, timeout: float | None = None) -> list[Any]:
        """Ingest PDF files and folders as ``rightsindex ingest`` does: read, store, tag (``tag``) and
        index them. Returns one :class:`rightsindex.records.IngestResult` per file (``status``:
        added, replaced, skipped or failed, with its ``reason``); a file that fails is
        recorded in the store (:meth:`failures`) and the others go on. ``again`` reads files
        stored already again; ``any_language`` stores documents not written in English (they fail
        otherwise) for their paragraphs; ``timeout`` (seconds) fails a file not read within it, and
        the others go on. Raises :class:`CorpusError` if tagging failed (what was read is stored)."""
        from rightsindex.ingest import finish_corpus, ingest_paths

        if len(paths) == 1 and isinstance(paths[0], (list, tuple, set)):
            paths = tuple(paths[0])  # ingest(["a.pdf", "b.pdf"]) as ingest("a.pdf", "b.pdf")
        if not paths:
            raise CorpusError("ingest: give PDF files or folders")
        bad = [p for p in paths if not isinstance(p, (str, os.PathLike))]
        if bad:
            raise CorpusError(f"ingest: give paths of PDF files or folders, not {bad[0]!r}")
        if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or not 1 <= jobs <= 64:
            raise CorpusError(f"ingest: jobs is a number of worker processes from 1 to 64, not {jobs!r}")
        from rightsindex.ingest.pdf import ENGINES

        if engine not in ENGINES:
            raise CorpusError(f"ingest: unknown PDF engine {engine!r}; use {' or '.join(ENGINES)}")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, numbers.Real)
                                    or timeout < 0):
            raise CorpusError(f"ingest: timeout is a number of seconds (0 or None: no limit), not {timeout!r}")
        results = ingest_paths(paths, self.path, jobs=jobs, ocr=ocr, progress=progress, engine=engine,
                               again=again, any_language=any_language, timeout=timeout or None)
        done = finish_corpus(self.path, tag=tag, progress=progress)
        if done["errors"]:
            raise CorpusError(f"{self.path}: files stored, but {'; '.join(done['errors'])}")
        return results

    def import_file(self, path: str | os.PathLike[str], *, kind: str = "auto", tag: bool = True,
                    progress: Any = None) -> Any:
        """Import a UPR Info CSV or a ``rightsindex export`` file (``kind``: ``auto``, ``upr-info`` or
        ``export``) as ``rightsindex import`` does, then tag and index. Returns its summary."""
        from rightsindex.ingest.tabular import import_file

        if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
            raise CorpusError(f"import_file: give the path of a UPR Info CSV or an export, not {path!r}")
        with Store.open(self.path) as store:
            return import_file(path, store, kind=kind, tag=tag, progress=progress)

    def remove(self, *targets: str | os.PathLike[str], types: Iterable[str] = (), countries: Iterable[str] = (),
               dry_run: bool = False, progress: Any = None) -> pd.DataFrame:
        """Remove documents with everything read from them, as ``rightsindex remove`` does, and bring
        the search index up to date. ``targets`` name them (a UN symbol, a file or folder, a stored
        source such as ``upr-info:session-8:KEN``, a SHA-256 or its first 8+ digits); ``types`` and
        ``countries`` narrow them, or alone select every document of those. Returns one row per
        document removed (``dry_run``: that would be): symbol, source_file, document_type,
        country_code, paragraphs, recommendations. Raises :class:`CorpusError` if a target names
        nothing, after the rest is removed."""
        from rightsindex.corpus.removal import remove, select

        types = [types] if isinstance(types, str) else list(types)  # remove(types="upr_info_import")
        countries = [countries] if isinstance(countries, str) else list(countries)
        bad = [t for t in targets if not isinstance(t, (str, os.PathLike))]
        if bad:
            raise CorpusError(f"remove: name documents by symbol, path or source, not {bad[0]!r}")
        with self._store() as store:
            selection = select(store, [os.fspath(t) for t in targets], types=types, countries=countries)
            if not dry_run and selection:
                remove(store, selection)
        rows = pd.DataFrame(
            [_renamed(row) for row in selection.documents.values()],
            columns=["symbol", "source_file", "document_type", "country_code", "paragraphs", "recommendations"])
        if not dry_run and selection:
            from rightsindex.ingest import finish_corpus

            finish_corpus(self.path, tag=False, progress=progress)
        if selection.unmatched:
            raise CorpusError(f"{self.path}: {', '.join(selection.unmatched)} named nothing stored"
                              + (f" ({len(rows)} document(s) {'would be ' if dry_run else ''}removed)"
                                 if len(rows) else ""))
        return rows

    def explain(self, rec_id: int) -> dict[str, Any] | None:
        """One recommendation's tags with their evidence, score and source, its citation, and the
        labels its words name that were not given (as ``rightsindex explain``); None if no such id."""
        from rightsindex.nlp import explain

        if isinstance(rec_id, bool) or not isinstance(rec_id, numbers.Integral):
            raise QueryError(f"explain takes a recommendation's id (a whole number), not {rec_id!r}")
        with self._store() as store:
            return explain(store, int(rec_id))

    def review(self, rec_id: int, *, add: str | Iterable[str] = (), remove: str | Iterable[str] = (),
               undo: str | Iterable[str] = (), note: str | None = None,
               model: str | os.PathLike[str] | None = None) -> dict[str, Any]:
        """Correct a recommendation's tags as ``rightsindex review`` does: ``add`` labels its text has,
        ``remove`` labels it has not, ``undo`` forgets a review (the model decides again); each a
        label as a query names it (``"right:health"``, ``"fiscal:taxation"``, ``"group:women"``) or a
        list of them. The review is kept with the text: every recommendation with the same words
        takes it, now and later, and tagging again (:meth:`tag`) keeps it. The search index is
        brought up to date. Returns ``{"ids": [...], "text": ...}``, the recommendations changed;
        :class:`QueryError` for an unknown id or label."""
        from rightsindex.nlp.tagging import review
        from rightsindex.search.query import label_spec

        if isinstance(rec_id, bool) or not isinstance(rec_id, numbers.Integral):
            raise QueryError(f"review takes a recommendation's id (a whole number), not {rec_id!r}")
        labels: dict[str, list[tuple[str, str]]] = {}
        for name, value in (("add", add), ("remove", remove), ("undo", undo)):
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, Iterable) or not all(isinstance(v, str) for v in values):
                raise QueryError(f"review: {name} is a label ('right:health') or a list of them, "
                                 f"not {value!r}")
            labels[name] = [label_spec(v) for v in values]
        if not any(labels.values()):
            raise QueryError("review: give labels to add, remove or undo (add='right:health')")
        if note is not None and not isinstance(note, str):
            raise QueryError(f"review: a note is text, not {note!r}")
        with self._store() as store:
            done = review(store, int(rec_id), **labels, note=note, model=model)
        search_function("sync_index")(self.path)
        return done

    def tag(self, *, retag: bool = False, model: str | os.PathLike[str] | None = None,
            progress: Any = None) -> int:
        """Tag the recommendations not yet tagged by the model (every one with ``retag``) as
        ``rightsindex tag`` does, readers' reviews (:meth:`review`) applied over the model's tags,
        and bring the search index up to date. Returns how many were tagged."""
        from rightsindex.nlp import load_model, tag_corpus

        with self._store() as store:
            n = tag_corpus(store, retag=bool(retag), model=load_model(model), progress=progress)
        search_function("sync_index")(self.path)
        return int(n)

    # -- recommendations ------------------------------------------------------------------
    def _frame(self, stored: Iterable[StoredRecommendation]) -> pd.DataFrame:
        rows = [s.to_row() for s in stored]
        df = pd.DataFrame(rows, columns=_STORED_COLUMNS) if rows else pd.DataFrame(columns=_STORED_COLUMNS)
        for col in ("year", "cycle", "page", "action_category", "part", "duplicate_of"):
            if col in df.columns:
                df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
        df["id"] = df["id"].astype("int64")
        return df

    def _cached(self, store: Store) -> pd.DataFrame | None:
        if self._cache is not None and self._cache[0] == store.generation:
            return self._cache[1]
        return None

    def _all_rows(self) -> pd.DataFrame:
        with self._store() as store:
            cached = self._cached(store)
            if cached is not None:
                return cached
            generation = store.generation
            df = _read_all(store)
            if df is None:  # the row shape changed: the slow, always-right path
                df = self._frame(store.recommendations())
        df = _with_citations(df)  # once per change of the store, not per call
        self._cache = (generation, df)
        return df

    def _rows_for(self, ids: Sequence[int]) -> pd.DataFrame:
        """Rows of some recommendations: from the cache when it is warm, else only those
        read from the store (a dossier or a narrow query need not read the whole corpus)."""
        with self._store() as store:
            cached = self._cached(store)
            if cached is None and len(ids) <= _FEW:
                return _with_citations(self._frame(store.recommendations(ids=sorted(ids))))
        df = self._all_rows()
        return df[df["id"].isin(set(ids))]

    def _ids_of_state(self, country: str) -> tuple[list[int], pd.DataFrame]:
        """Ids of the recommendations a State received, and the (country, code) pairs."""
        with self._store() as store:
            pairs = pd.DataFrame(
                [tuple(r) for r in store.conn.execute(
                    "SELECT DISTINCT country, country_code FROM documents d "
                    "WHERE EXISTS (SELECT 1 FROM recommendations r WHERE r.document_id = d.id)")],
                columns=["country", "country_code"],
            )
            from rightsindex.search.dossier import resolve_country

            name, code = resolve_country(pairs, country)
            ids = [int(r[0]) for r in store.conn.execute(
                "SELECT r.id FROM recommendations r JOIN documents d ON d.id = r.document_id "
                "WHERE d.country = ? OR d.country_code = ?", (name, code or ""))]
        return ids, pairs

    def _stored_values(self, field: str) -> list[str]:
        """The values the stored records have of an open query field (``country``, ``state``,
        ``issue``, ``body``, ``type``) or a label field (``right``, ``fiscal``, ``group``): what a
        filter's value no table knows is checked against."""
        import json

        out: set[str] = set()
        with self._store() as store:
            for (value,) in store.conn.execute(_STORED_SQL[field]):
                if not value:
                    continue
                if field in ("state", "issue"):
                    out.update(str(v) for v in json.loads(value) if v)
                else:
                    out.update(_parts(value))
        return sorted(out)

    def matching_ids(self, query: str) -> list[int]:
        """Ids of every recommendation matching a search query (see ``rightsindex search --help``)."""
        if query is not None and not isinstance(query, str):
            raise QueryError(f"a query is a string ('right:housing country:KEN'), not {type(query).__name__} "
                             f"{query!r}; filters are keywords: recommendations(country='KEN')")
        if query is None or not str(query).strip():
            raise QueryError("empty query: give words or field filters, e.g. 'right:housing'")
        fn = search_function("matching_ids")
        return list(fn(self.path, query))

    def search(self, query: str, *, limit: int | None = 20, offset: int = 0, sort: str = "relevance",
               facets: bool | Sequence[str] = False, target: str = "recommendations", once: bool = False,
               **filters: Any) -> Any:
        """Full-text search (relevance or date order, snippets, facets); returns the
        search result of :func:`rightsindex.search.search`. ``limit`` (default 20;
        ``None`` or ``0``: every match, as ``search --limit 0``), ``offset``, ``sort``
        ("relevance", "date" or "oldest"), ``facets``, ``once`` (a recommendation held twice, a
        report's and UPR Info's copy, once); keyword filters as :meth:`recommendations` takes them
        (``country="KEN"``, ``year=(2010, 2015)``)."""
        if query is not None and not isinstance(query, str):
            raise QueryError(f"a query is a string ('right:housing'), not {type(query).__name__} {query!r}")
        if query is not None and not query.strip():  # as recommendations("") says: an unset variable?
            raise QueryError("empty query: give words or field filters, e.g. 'right:housing', or None "
                             "(or '*') for every recommendation")
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
                raise QueryError(f"{name} is a whole number, not {type(value).__name__} {value!r}")
        extra = dict(filters.pop("filters", None) or {})
        twice = sorted(set(extra) & {k for k, v in filters.items() if v is not None})
        if twice:
            raise QueryError(f"filter {twice[0]!r} given twice, in filters= and as a keyword: give it once")
        filters = {**extra, **{k: v for k, v in filters.items() if v is not None}}
        for name, value in list(filters.items()):
            if name in ("year", "cycle", "session") and isinstance(value, tuple) and len(value) == 2:
                filters[name] = _span_text(value)
        fn = search_function("search")
        return fn(self.path, query, limit=None if limit is None else int(limit), offset=int(offset or 0),
                  sort=sort, facets=facets, target=target, filters=filters or None, once=bool(once))

    def recommendations(self, query: str | None = None, *, once: bool = False,
                        **filters: Any) -> pd.DataFrame:
        """One row per recommendation (document metadata, text, States, response, tag lists).

        ``query`` is a search query (words, phrases, AND/OR/NOT, field filters). Keyword
        filters narrow further, each a value or a list of values (any of them), read as the
        query language reads them: ``country`` and ``recommending_state`` (or ``state``) by
        ISO code, UN name or a former name (``"USA"``, ``"United States"``, ``"Turkey"``),
        ``year`` and ``cycle`` (``2015``, ``"2015-2020"``, ``"2015-"``, or a ``(first, last)``
        tuple), ``session``, ``body``, ``response`` (``"accepted"`` is supported, ``"rejected"``
        noted, ``"unknown"`` no response), ``document_type`` (or ``type``), ``symbol``,
        ``right``, ``fiscal``, ``group``, ``issue`` (any of the labels; ``"tax*"`` a prefix),
        ``action_category`` (or ``category``), ``region`` and ``recommending_region`` (the UN
        regional group of the State under review or of one of the recommending States: ``"WEOG"``,
        ``"GRULAC"``, ``"African"``, ``"Asia-Pacific"``, ``"Eastern European"``; ``"none"`` for
        none). The rows' ``region`` and ``recommending_regions`` columns name them, derived from
        the States. ``once=True`` leaves out UPR Info's rows that
        repeat a working-group report's recommendation also in the result (``duplicate_of``), as
        ``trends`` and ``dossier`` count them. A value no record can have (``fiscal="tax"``,
        ``country="Kenia"``) is the one-line :class:`QueryError` a search gives, naming the
        likely one ("did you mean Kenya?").
        """
        if query is not None:
            df = self._rows_for(self.matching_ids(query))
        else:
            df = self._all_rows()
        copies = "duplicate_of" in df.columns and df["duplicate_of"].notna().any()
        if filters.get("response") is not None and copies:
            # UPR Info's copy of a report's recommendation is found by the report's response where the
            # report or its addendum states one, as the search index finds it
            said = self._all_rows().set_index("id")["response"]
            report = df["duplicate_of"].map(lambda i: said.get(int(i)) if pd.notna(i) else None)
            own = df["response"]
            df = filter_rows(df.assign(response=report.where(report.isin(_STATED), own)),
                             stored=self._stored_values, **filters).assign(response=lambda d: own[d.index])
        else:
            df = filter_rows(df, stored=self._stored_values, **filters)
        if once:
            from rightsindex.search.trends import count_once

            df = count_once(df)[0]
        return _with_citations(df.reset_index(drop=True))

    # -- analysis ---------------------------------------------------------------------------
    def trends(self, by: str = "year", split: str | None = None, share: bool = False, *,
               query: str | None = None, top: int | None = None, labels: Sequence[str] | None = None,
               once: bool = True, fill_years: bool = True, **filters: Any) -> pd.DataFrame:
        """Counts (or shares) of recommendations per period, optionally split by a label (``labels``:
        only these columns, ``["health", "education"]``). ``once`` (default): a recommendation held
        twice (a report's and UPR Info's row) counts once; ``once=False`` counts every row, as
        ``len(recommendations())``. ``fill_years``: missing years between the first and last are rows
        of zeros. See :func:`rightsindex.search.trends.trends`."""
        from rightsindex.search.trends import trends

        # once goes to trends(), which counts each recommendation once (recommendations(once=...)
        # only drops copies, and trends() dropped them again: once=False was silently ignored)
        return trends(self.recommendations(query, **filters), by=by, split=split, share=share, top=top,
                      labels=labels, once=bool(once), fill_years=bool(fill_years))

    def emerging_terms(self, period_from: Any, period_to: Any, *, query: str | None = None,
                       by: str = "year", top: int = 25, min_count: int = 5, all_words: bool = False,
                       **filters: Any) -> pd.DataFrame:
        """Words and phrases whose share rises most between two periods.
        See :func:`rightsindex.search.trends.emerging_terms`."""
        from rightsindex.search.trends import emerging_terms

        return emerging_terms(self.recommendations(query, **filters), period_from, period_to,
                              by=by, top=top, min_count=min_count, all_words=all_words)

    def repeated(self, query: str | None = None, *, across_reviews: bool = True,
                 across_cycles: bool = False, threshold: float | None = None, progress: Any = None,
                 **filters: Any) -> pd.DataFrame:
        """Recommendations made again, in every State's dossier at once: a row per cluster of
        recommendations to one State similar enough to be the same one (see ``dossier``), with
        ``across_reviews`` only those made again in another review (another cycle, body or year),
        not only by several States in one review, and with ``across_cycles`` only those made again in
        another UPR cycle (a compilation and the letter that restates it are one cycle). Columns:
        ``country``, ``country_code``, ``cluster`` (its number in the State's dossier),
        ``recommendations``, ``reviews``, ``first_year``, ``last_year``, ``cycles``, ``bodies``,
        ``recommending_states``, the
        responses (``supported``, ``noted``, ``partially_supported``, ``no_response``), ``rights``,
        ``fiscal`` (of any of its recommendations), ``text`` (the recommendation most like the
        others), ``matching`` (how many of its recommendations ``query`` and the filters match),
        ``ids`` and ``citations``. Groups are made from every recommendation a State received, and
        a group is listed when ``query`` and the keyword filters (as in :meth:`recommendations`)
        match any of its recommendations: a query does not change a group, only which are listed.
        ``progress(done, total)`` is called after each State."""
        from rightsindex.search.dossier import DEFAULT_THRESHOLD, build_dossier

        everything = self._all_rows()
        narrowed = query is not None or any(v is not None for v in filters.values())
        matched = self.recommendations(query, **filters) if narrowed else everything
        wanted = set(matched["id"])
        # a query that matches only UPR Info's copy of a recommendation matches the recommendation
        wanted |= {int(t) for t in matched["duplicate_of"].dropna()}

        def state(df: pd.DataFrame) -> pd.Series:
            return df["country_code"].where(df["country_code"].notna(), df["country"])

        states = set(state(matched).dropna())
        key = state(everything)
        groups = [(k, g) for k, g in everything[key.isin(states)].groupby(key, sort=True, dropna=True)]
        rows: list[dict[str, Any]] = []
        for done, (_k, mine) in enumerate(groups, 1):
            name = mine["country"].dropna().iloc[0] if mine["country"].notna().any() else str(_k)
            d = build_dossier(mine, name, threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
            for c in d.clusters:
                if (across_reviews and not c.across_reviews) or (across_cycles and len(c.cycles) < 2):
                    continue
                matching = sum(1 for i in c.items if i.id in wanted)
                if not matching:
                    continue
                said: dict[str, int] = {}
                for i in c.items:
                    said[i.response or "no response"] = said.get(i.response or "no response", 0) + 1
                rows.append({
                    "country": d.country, "country_code": d.country_code, "cluster": c.number,
                    "recommendations": c.count, "reviews": [st.review for st in c.steps],
                    "first_year": c.first_year, "last_year": c.last_year, "cycles": list(c.cycles),
                    "bodies": list(c.bodies), "recommending_states": list(c.states),
                    "supported": said.get("supported", 0), "noted": said.get("noted", 0),
                    "partially_supported": said.get("partially supported", 0),
                    "no_response": sum(n for r, n in said.items() if r not in RESPONSE_NAMES),
                    "rights": list(c.rights), "fiscal": list(c.fiscal), "text": c.text,
                    "matching": matching, "ids": [i.id for i in c.items],
                    "citations": [cite for st in c.steps for cite in st.citations],
                })
            if progress is not None:
                progress(done, len(groups))
        columns = ["country", "country_code", "cluster", "recommendations", "reviews", "first_year",
                   "last_year", "cycles", "bodies", "recommending_states", "supported", "noted",
                   "partially_supported", "no_response", "rights", "fiscal", "text", "matching", "ids",
                   "citations"]
        out = pd.DataFrame(rows, columns=columns)
        for col in ("first_year", "last_year"):
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
        return out.sort_values(["recommendations", "country"], ascending=[False, True],
                               kind="stable").reset_index(drop=True)

    def dossier(self, country: str, right: str | Sequence[str] | None = None, *, query: str | None = None,
                **options: Any) -> Any:
        """The UPR country dossier (a :class:`rightsindex.search.dossier.Dossier`); ``right`` (an ESC
        right, or a list of them) narrows it to the recommendations about any of them, ``query`` (a
        search query: ``right:housing OR evictions``) to the recommendations it matches."""
        from rightsindex.search.dossier import build_dossier

        unknown = sorted(set(options) - {"threshold"})
        if unknown:  # dossier("KEN", year=2010) was build_dossier()'s TypeError
            raise QueryError(f"dossier takes no option {unknown[0]!r} (it takes right, query and threshold); "
                             f"narrow it with a query: query='year:2010'")
        ids, _pairs = self._ids_of_state(country)
        only = self.matching_ids(query) if query is not None else None  # "": an error, as the CLI says
        return build_dossier(self._rows_for(ids), country, right, query=query, only_ids=only, **options)


def _span_text(span: tuple[Any, Any]) -> str:
    """A ``(first, last)`` tuple as the query language writes a span: ``(12, 13)`` -> ``12-13``,
    ``(None, 2)`` -> ``-2``."""
    return "-".join("" if v is None else str(v) for v in span)


def _renamed(doc: dict[str, Any]) -> dict[str, Any]:
    return {("source_file" if k == "source_path" else k): v for k, v in doc.items()}


def _key(value: Any) -> str | None:
    """A filter value and a cell value compared as folded text (2009 == "2009")."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            value = int(value)
    return str(value).casefold().strip()


def _matches(series: pd.Series, wanted: Iterable[str | None], is_list: bool) -> pd.Series:
    """Cells equal to one of ``wanted`` (folded), or starting with one ending in ``*``; ``None`` in
    ``wanted`` also matches an empty cell. A list cell matches if one of its values does."""
    wanted = list(wanted)
    keys = {_key(w) for w in wanted} - {None}
    exact = {k for k in keys if not k.endswith("*")}
    prefixes = tuple(k[:-1] for k in keys if k.endswith("*"))
    empty = None in wanted

    def hit(value: Any) -> bool:
        key = _key(value)
        if not key:
            return False
        return key in exact or (bool(prefixes) and key.startswith(prefixes))

    if is_list:
        return series.map(lambda values: any(hit(v) for v in (values or ())) or (empty and not values))
    return series.map(lambda v: hit(v) or (empty and _key(v) in (None, "")))


def _parts(value: Any) -> list[str]:
    """The values a cell holds: a compilation quotes "CoE-GREVIO; CoE-CoP", two bodies."""
    return [v.strip() for v in str(value).split(";") if v.strip()] if _key(value) else []


def _years(series: pd.Series, spans: Iterable[tuple[int | None, int | None]]) -> pd.Series:
    """Rows whose year (or cycle) lies in one of the spans (None: an open end)."""
    numbers = pd.to_numeric(series, errors="coerce")
    mask = pd.Series(False, index=series.index)
    for first, last in spans:
        inside = numbers.notna()
        if first is not None:
            inside &= numbers >= first
        if last is not None:
            inside &= numbers <= last
        mask |= inside.fillna(False).astype(bool)
    return mask


def _frame_values(df: pd.DataFrame) -> Callable[[str], list[str]]:
    """The values a DataFrame's rows have of an open query field (see ``filter_rows``)."""
    columns = {"country": ("country", "country_code"), "state": _STATE_COLUMNS, "issue": ("issues",),
               "body": ("body",), "type": ("document_type",), "right": ("esc_rights",), "fiscal": ("fiscal",),
               "group": ("groups",)}

    def values(field: str) -> list[str]:
        out: set[str] = set()
        for col in columns.get(field, ()):
            for cell in df[col] if col in df.columns else ():
                if isinstance(cell, (list, tuple)):
                    out.update(str(v).strip() for v in cell if _key(v))
                else:
                    out.update(_parts(cell))
        return sorted(out)

    return values


def filter_rows(df: pd.DataFrame, *, stored: Callable[[str], Iterable[str]] | None = None,
                **filters: Any) -> pd.DataFrame:
    """Rows of a recommendations DataFrame that match every keyword filter (see FILTERS).

    Values are read as the query language reads them
    (:func:`rightsindex.search.query.filter_values`): a value no record can have is a
    :class:`QueryError`; ``stored(field)`` gives the values the records have of an open field
    (``country``, ``state``, ``issue``, ``body``, ``type``) or a label field (``right``, ``fiscal``,
    ``group``), by default those of ``df``.
    """
    from rightsindex.search.query import check_not_empty, filter_items, filter_values, numeric_span, session_span

    stored = stored or _frame_values(df)
    for name, value in filters.items():
        if value is None:
            continue
        check_not_empty(name, value)
        if name not in FILTERS:
            raise QueryError(f"unknown filter '{name}': use one of {', '.join(sorted(FILTERS))}")
        col = FILTERS[name]
        field = _QUERY_FIELD.get(name, name)
        if name in ("year", "cycle"):
            if isinstance(value, tuple) and len(value) == 2:  # (first, last)
                spans = [tuple(None if v is None else numeric_span(name, v)[0] for v in value)]
                if None not in spans[0] and spans[0][0] > spans[0][1]:
                    first, last = spans[0]
                    raise QueryError(f"{name} span {value!r} runs backwards: write ({last}, {first})")
            else:
                spans = [numeric_span(name, _key(v)) for v in filter_items(value) if _key(v)]  # "": none
            if spans:
                df = df[_years(df[col], spans)] if col in df.columns else df.iloc[0:0]
            continue
        if name == "session":  # spans of sessions by number: "12-13", (12, 13)
            items = filter_items(value)
            if isinstance(value, tuple) and len(value) == 2:
                items = [_span_text(value)]
            spans = [session_span(v) for v in items if _key(v)]
            if spans and any(spans):
                alone = [v for v, span in zip(items, spans) if span is None]
                numbers = pd.to_numeric(df[col].astype("string").str.extract(r"^\s*(\d+)\s*$")[0],
                                        errors="coerce")
                mask = _years(numbers, [s for s in spans if s is not None]) | _matches(
                    df[col], [_key(v) for v in alone], False)
                df = df[mask.astype(bool)]
                continue
        wanted = [w for item in filter_items(value) if _key(item)
                  for w in filter_values(field, item, stored)]
        if not wanted:
            continue
        if col not in df.columns:
            df = df.iloc[0:0]
            continue
        if name == "country":
            mask = _matches(df["country"], wanted, False) | _matches(df["country_code"], wanted, False)
        elif col == "recommending_states":
            mask = pd.Series(False, index=df.index)
            for state_col in _STATE_COLUMNS:
                if state_col in df.columns:
                    mask |= _matches(df[state_col], wanted, True)
        elif col == "body":
            mask = _matches(df["body"].map(lambda b: [b, *_parts(b)] if _key(b) else []), wanted, True)
        else:
            mask = _matches(df[col], wanted, col in _LIST_COLUMNS)
        df = df[mask.astype(bool)]
    return df


_FAST_SQL = """
SELECT r.id, d.symbol, d.document_type, COALESCE(NULLIF(r.source_body, ''), d.body) AS body,
       d.country, d.country_code, d.year, d.date, d.review_date, d.session, d.cycle,
       r.paragraph, r.part, r.page, r.text, r.recommending_states, r.recommending_codes,
       r.recommending_as_written, r.response, r.response_source, r.response_comment, r.section,
       r.heading, r.concern, r.follow_up, r.source_symbol, r.action_category, r.issues,
       d.source_path AS source_file, r.duplicate_of
FROM recommendations r JOIN documents d ON d.id = r.document_id
ORDER BY r.document_id, r.seq
"""
_TAG_FAMILIES = ("esc_rights", "fiscal", "groups")
#: Columns derived from the States (their UN regional groups), not read from the store.
_DERIVED = ("region", "recommending_regions")


def _read_all(store: Store) -> pd.DataFrame | None:
    """Every recommendation as ``StoredRecommendation.to_row`` gives it, read with two SQL
    queries instead of one object per row (about 5x faster at 100,000). Returns None if
    ``to_row`` has changed shape since this was written (then the caller uses to_row)."""
    import json

    from rightsindex.ingest import regions

    expected = [c for c in _STORED_COLUMNS if c not in _TAG_FAMILIES and c not in _DERIVED]
    df = pd.read_sql_query(_FAST_SQL, store.conn)
    if list(df.columns) != expected:
        return None
    for col in ("recommending_states", "recommending_codes", "recommending_as_written", "issues"):
        df[col] = [json.loads(v) if v else [] for v in df[col]]
    df["follow_up"] = df["follow_up"].fillna(0).astype(bool)
    df["region"] = [regions.of(code or name)
                    for code, name in zip(df["country_code"], df["country"], strict=True)]
    df["recommending_regions"] = [regions.of_states([*codes, *names]) for codes, names in
                                  zip(df["recommending_codes"], df["recommending_states"], strict=True)]
    labels: dict[str, dict[int, list[str]]] = {f: {} for f in (*_TAG_FAMILIES, "action_category",
                                                                "upr_issues")}
    for rec_id, family, label in store.conn.execute(
        "SELECT recommendation_id, family, label FROM tags "
        "WHERE family IN ('esc_rights', 'fiscal', 'groups', 'action_category', 'upr_issues') "
        "ORDER BY recommendation_id, family, score DESC"
    ):
        labels[family].setdefault(rec_id, []).append(label)
    for family in _TAG_FAMILIES:
        got = labels[family]
        df[family] = [sorted(got[i]) if i in got else [] for i in df["id"]]
    # UPR Info's issues where its rows brought them: a report's recommendation takes its copies'
    # (as StoredRecommendation.to_row), else the model's
    twins: dict[int, set[str]] = {}
    for report_id, own in zip(df["duplicate_of"], df["issues"], strict=True):
        if own and report_id is not None and report_id == report_id:  # not None or NaN
            twins.setdefault(int(report_id), set()).update(own)
    tagged = labels["upr_issues"]
    df["issues"] = [own if own else sorted(twins[i]) if i in twins else sorted(tagged.get(i, ()))
                    for i, own in zip(df["id"], df["issues"], strict=True)]
    if labels["action_category"]:
        from_tags = df["id"].map(lambda i: int(labels["action_category"][i][0])
                                 if i in labels["action_category"] else None)
        df["action_category"] = df["action_category"].where(df["action_category"].notna(), from_tags)
    df = df[_STORED_COLUMNS]
    for col in ("year", "cycle", "page", "action_category", "part", "duplicate_of"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    df["id"] = df["id"].astype("int64")
    return df


def _with_citations(df: pd.DataFrame) -> pd.DataFrame:
    """With ``citation``, as exports and search hits cite: ``A/HRC/28/15, para. 115.101, p. 21``."""
    from rightsindex.search.export import citation

    if "citation" in df.columns:
        return df
    def clean(row: dict[str, Any]) -> dict[str, Any]:  # a NaN is no value, not "(nan)"
        return {k: None if isinstance(v, float) and v != v else v for k, v in row.items()}

    cites = [citation(clean(row)) for row in df.to_dict("records")] if len(df) else []
    return df.assign(citation=pd.Series(cites, index=df.index, dtype="object"))


def open_corpus(path: str | os.PathLike[str], *, create: bool = False) -> Corpus:
    """Open a corpus folder; a missing or unusable corpus raises CorpusError. ``create=True``
    makes an empty corpus there if there is none (fill it with ``ingest`` or ``import_file``)."""
    return Corpus(path, create=create)
