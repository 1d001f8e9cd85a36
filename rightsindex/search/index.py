"""The Whoosh index of a corpus, derived from the store.

The store (``corpus.sqlite``) is the source of truth; the index in
``<corpus>/index`` is a cache of it that can always be rebuilt. The index
records the store generation it reflects and a signature per document in
``<corpus>/index/rightsindex.json``; :func:`sync_index` compares them with the
store and

* does nothing when the generation matches and the document count agrees,
* re-indexes only the documents whose signature changed (new, removed,
  re-tagged, responses linked) when few did,
* rebuilds from scratch (into a temporary folder, swapped in at the end) when
  the index is missing, corrupt, of another schema version, or most of it
  changed.

A crash between the Whoosh commit and the state file leaves a state that does
not match, so the next sync redoes the (idempotent) work: never silently wrong.

The paragraph index in ``<corpus>/index-paragraphs`` holds every stored
paragraph (``Store.paragraphs``: body text, headings, list items and
footnotes alike; footnotes are short, cite sources, and ``NOT kind:footnote``
leaves them out of a search) with its document's metadata. It is kept by the
same mechanism (its own state file; a document's signature is its sha256 and
paragraph count, since paragraphs change only with their file), and
:func:`sync_index` brings both indexes up to date.

Build speed: our :class:`Text` and :class:`Keyword` fields index the same
terms, frequencies and positions as Whoosh's TEXT/KEYWORD with the same
analyzer, in one loop instead of a chain of generators per field, and
:class:`_Writer` answers field lengths of unscored fields without a file
check per posting. ``bench/search.py`` compares the build with Whoosh's stock
fields and writer on the same documents.

Multi-valued facets (rights, fiscal labels, groups, issues, the recommending States' regional
groups) are also kept as list columns and single-valued ones (country, body, year, response) as
columns, as measured in ../shared/MEASUREMENTS.md: facet counting reads
columns, not the inverted index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import columns, fields, index as windex
from whoosh.analysis import STOP_WORDS
from whoosh.formats import Existence, Frequency, Positions
from whoosh.lang.porter import stem as porter_stem
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
)

from rightsindex.corpus.store import (
    SCHEMA_VERSION as STORE_SCHEMA_VERSION,
    STORE_FILE,
    Store,
    StoredRecommendation,
    connect_readonly,
    open_error,
)
from rightsindex.errors import CorpusError, QueryError, RightsIndexError

__all__ = [
    "INDEX_DIR",
    "INDEX_SCHEMA_VERSION",
    "FACETS",
    "MULTI_FACETS",
    "build_schema",
    "sync_index",
    "index_dir",
    "open_index",
    "index_state",
    "document_for_index",
    "PARAGRAPH_INDEX_DIR",
    "PARAGRAPH_FACETS",
    "TARGETS",
    "build_paragraph_schema",
    "paragraph_for_index",
    "sync_all",
]

INDEX_DIR = "index"
#: The paragraph index, a sibling of ``index`` (so rebuilding one never touches the other).
PARAGRAPH_INDEX_DIR = "index-paragraphs"
STATE_FILE = "rightsindex.json"
#: Bump when the schema or the analyzer changes: older indexes are rebuilt.
INDEX_SCHEMA_VERSION = 18  # 18: taxation is tax, budgetary budget; stems of words that are no stop words kept apart
#: Responses a report (or its addendum) states, which its UPR Info copies are searched by.
_STATED = frozenset({"supported", "noted", "partially supported"})

#: Facets the search can count: facet name -> column field.
FACETS = ("right", "fiscal", "group", "issue", "country", "body", "year", "response", "type", "cycle",
          "region", "recommending_region")
MULTI_FACETS = frozenset({"right", "fiscal", "group", "issue", "body", "recommending_region"})

Progress = Callable[[int, int], None]

# Irregular English plurals the Porter stemmer leaves apart ("women" vs "woman").
_IRREGULAR = {
    "women": "woman",
    "men": "man",
    "children": "child",
    "people": "person",
    "peoples": "person",
    "persons": "person",
    "mice": "mouse",
    "teeth": "tooth",
    "feet": "foot",
    "wives": "wife",
    "lives": "life",
    "livelihoods": "livelihood",
    "labour": "labor",
    "labours": "labor",
    "programme": "program",
    "programmes": "program",
    "centre": "center",
    "centres": "center",
    "judgement": "judgment",
    "judgements": "judgment",
    # the forms of the words kept whole (UNSTEMMED)
    "minorities": "minority",
    "universities": "university",
    "communities": "community",
    "nationals": "national",
    "nationally": "national",
    "nationalities": "nationality",
    "internally": "internal",
    "informally": "informal",
    "accessions": "accession",
    "executives": "executive",
    "generations": "generation",
    "personally": "personal",
    "organizations": "organization",
    "organisation": "organization",
    "organisations": "organization",
    # forms Porter leaves apart that the fiscal vocabulary means as one: "tax" found none of the
    # recommendations on "taxation", "budget" none on "budgetary" allocations
    "taxation": "tax",
    "budgetary": "budget",
}


class IrregularFilter(Filter):
    """Maps irregular plurals and British spellings to one form before stemming."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IrregularFilter)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        table = _IRREGULAR
        for t in tokens:
            if not _pattern(t):  # men* is not man* (mandatory, manner)
                t.text = table.get(t.text, t.text)
            yield t


def _pattern(t: Any) -> bool:
    """Whether a token is a query's wildcard pattern (``hous*``, ``*ousing``, ``educ?tion``), matched
    against the words as written: Whoosh's parser gives a prefix (``hous*``) as its letters (``hous``),
    untokenized, with stop words kept and without offsets, as it does a wildcard; plain words and
    phrases drop stop words, and the highlighter asks for offsets."""
    text = t.text
    return (t.mode == "query" and not t.removestops and not t.chars) or "*" in text or "?" in text


def fold_accents(word: str) -> str:
    """A word without its accents (``lèse majesté`` -> ``lese majeste``, ``Payá`` -> ``Paya``): UN
    texts, UPR Info's rows and users write the same names both ways."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


class AccentFilter(Filter):
    """Folds accents (:func:`fold_accents`), so that an accented and a plain spelling find each other."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AccentFilter)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = fold_accents(t.text)
            yield t


class QueryStopFilter(Filter):
    """Drops one-letter words, and stop words only from a query's plain words.

    Stop words are indexed, so that a quoted phrase is exact: ``"right to education"`` does
    not find "human rights education". A plain query word that is a stop word (``housing for
    the poor``) is dropped, as search boxes do. Whoosh analyses a quoted phrase with character
    offsets (``chars``) and a plain word without, which tells the two apart. Positions of
    indexed words are renumbered after a dropped one-letter word, as :func:`_index_terms` does.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, QueryStopFilter)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        stops = _STOPS
        pos = None
        for t in tokens:
            drop = len(t.text) < 2 or (t.mode == "query" and not t.chars and t.text in stops)
            if drop and t.removestops:
                continue
            t.stopped = drop  # the highlighter asks for every word, marked (as StopFilter does)
            if t.positions:
                pos = t.pos if pos is None else pos + 1
                t.pos = pos
            yield t


class WordStemFilter(StemFilter):
    """Porter stems, but a query's wildcard pattern (``hous*``, ``*ousing``, ``educ?tion``) is left as
    typed: it is matched against the words as written (:class:`Words`; see
    :func:`rightsindex.search.query.resolve`), where its stem (``hous*`` -> ``hou``) found "hours"
    and missed "housing"."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        stemfn, ignore = self._stem, self.ignore
        for t in tokens:
            text = t.text
            if not t.stopped and text not in ignore and not _pattern(t):
                t.text = apart_from_stops(text, stemfn(text))
            yield t


def text_analyzer():  # type: ignore[no-untyped-def]
    """English analyzer: words, lower case, accents folded, irregular plurals, Porter stems; stop
    words are indexed and dropped from plain query words (:class:`QueryStopFilter`); a wildcard
    pattern is not stemmed (:class:`WordStemFilter`)."""
    return (RegexTokenizer() | LowercaseFilter() | AccentFilter() | IrregularFilter() | QueryStopFilter()
            | WordStemFilter(ignore=UNSTEMMED))


class Keyword(fields.KEYWORD):
    """A comma-separated, lower-cased keyword field that indexes without the analyzer chain.

    Gives the same terms, frequencies and posting values as Whoosh's
    ``KEYWORD(lowercase=True, commas=True)`` (split on commas, strip, lower
    case; values never hold empty items, see :func:`_join`), in one plain loop
    instead of a chain of token generators per field per document. Queries
    still go through the analyzer, which is unchanged.
    """

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(value, str):
            return super().index(value, **kwargs)
        freqs: dict[str, int] = {}
        for part in value.split(","):
            term = part.strip().lower()
            if term:
                freqs[term] = freqs.get(term, 0) + 1
        boost = self.format.field_boost
        return [(t.encode("utf-8"), f, f * boost, pack_uint(f)) for t, f in freqs.items()]


_TOKEN_RE = re.compile(r"\w+(\.?\w+)*", re.UNICODE)  # RegexTokenizer's default expression
_STOPS = frozenset(STOP_WORDS)
#: The stop words as the index holds them (stemmed: "this" -> "thi"): a phrase's small words.
STOP_TERMS = frozenset(_STOPS | {porter_stem(w) for w in _STOPS})
_STEMS: dict[str, str] = {}
#: Words kept whole: Porter makes "housing" "hous", the stem of "House" (of Parliament, arrest), and
#: gives one stem to words that mean different things in UN texts: minorities and minors, university
#: and universal, national and (United) Nations, nationality, internal and international, informal
#: and information, accession and access, executive and executions, generation and general,
#: integrity and integration, united and unit, personal and persons, organization and organize.
UNSTEMMED = frozenset({"housing", "minority", "university", "community", "national", "nationality", "internal",
                       "informal", "accession", "executive", "generation", "integrity", "united", "personal",
                       "organization"})


def apart_from_stops(word: str, stem: str) -> str:
    """A word's stem, marked (``us~``) where Porter gives a word that is no stop word the stem the index
    holds for one: use, used and using are "us", one "on", its "it", being "be", having "have". A plain
    ``one`` found every text with "on" and ``"one child"`` "on children", and a wildcard, which leaves
    the stop words' stems out, missed them (``use*``, ``human being*``)."""
    return f"{stem}~" if stem in STOP_TERMS and word not in _STOPS else stem


def _index_terms(text: str) -> list[tuple[str, int]]:
    """(term, position) as :func:`text_analyzer` gives them when indexing, in one loop.

    Same steps as the filter chain: words, lower case, accents folded, irregular forms,
    one-letter words dropped (positions renumbered after the first kept word,
    as :class:`QueryStopFilter` does), Porter stems (cached). Stop words are kept.
    """
    out: list[tuple[str, int]] = []
    irregular, stems = _IRREGULAR, _STEMS
    pos = None
    for i, m in enumerate(_TOKEN_RE.finditer(text)):
        word = fold_accents(m.group(0).lower())
        word = irregular.get(word, word)
        if len(word) < 2:
            continue
        pos = i if pos is None else pos + 1
        stemmed = stems.get(word)
        if stemmed is None:
            if len(stems) > 200_000:
                stems.clear()
            stemmed = stems[word] = word if word in UNSTEMMED else apart_from_stops(word, porter_stem(word))
        out.append((stemmed, pos))
    return out


class Text(fields.TEXT):
    """A TEXT field with :func:`text_analyzer` whose indexing skips the generator chain.

    Terms, frequencies, weights and positions are the ones Whoosh's own
    ``TEXT.index`` gives with the same analyzer (checked on 15,000 real
    recommendations); queries and highlighting use the analyzer unchanged.
    """

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(value, str) or kwargs:
            return super().index(value, **kwargs)
        fmt = self.format
        boost = fmt.field_boost
        if isinstance(fmt, Positions):
            poses: dict[str, list[int]] = {}
            for term, pos in _index_terms(value):
                poses.setdefault(term, []).append(pos)
            return [(t.encode("utf-8"), len(p), len(p) * boost, fmt.encode(p)) for t, p in poses.items()]
        if type(fmt) is Frequency:
            freqs: dict[str, int] = {}
            for term, _pos in _index_terms(value):
                freqs[term] = freqs.get(term, 0) + 1
            return [(t.encode("utf-8"), f, f * boost, pack_uint(f)) for t, f in freqs.items()]
        return super().index(value, **kwargs)


class Words(fields.FieldType):
    """The words of a record's text and heading as written (lower case, accents folded, not stemmed),
    each once: what a wildcard is matched against (``hous*`` finds house, houses, housing and
    household, not hours), before the index's stems of the words it matched are searched. Not
    scored, no positions."""

    def __init__(self) -> None:
        self.format = Existence()
        self.analyzer = None
        self.scorable = False
        self.stored = False
        self.unique = False
        self.column_type = None
        self.vector = None
        self.spelling = False

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        words = value if isinstance(value, (list, tuple, set, frozenset)) else written_words(value)
        return [(w.encode("utf-8"), 1, 1.0, b"") for w in sorted(words)]


def written_words(text: str) -> set[str]:
    """The words of a text as :class:`Words` holds them: lower case, accents folded, two letters or more."""
    return {w for w in (fold_accents(m.group(0).lower()) for m in _TOKEN_RE.finditer(text or "")) if len(w) > 1}


def _new_words(docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each record with only the words as written that no record of its document before it had:
    a wildcard needs the words the index holds, not which record holds them, and a document's
    records are always indexed together (built, or deleted and added again), so its records hold
    its words between them. Rebuilding both indexes of 32,181 recommendations (UPR Info's and 26
    PDFs) took 1.15 times the CPU time of an index without words (18.0-19.1 s against 15.9-17.7 s),
    where every record's own words took 1.9 times."""
    seen: dict[str, set[str]] = {}
    for doc in docs:
        words = written_words(doc.get("words", ""))
        had = seen.setdefault(doc["doc"], set())
        new = words - had
        had |= new
        if new:
            doc["words"] = sorted(new)
        else:
            doc.pop("words", None)
        yield doc


def index_term(word: str) -> str:
    """The index term of a word as written (:func:`_index_terms` of one word), or ``""``."""
    terms = _index_terms(word)
    return terms[0][0] if len(terms) == 1 else ""


def _text(phrase: bool) -> fields.TEXT:
    return Text(analyzer=text_analyzer(), phrase=phrase)


def _kw() -> fields.KEYWORD:
    # comma-separated values, lower-cased, spaces kept inside a value
    return Keyword(lowercase=True, commas=True, scorable=False)


def _int_field() -> fields.NUMERIC:
    return fields.NUMERIC(numtype=int, bits=32, signed=True, shift_step=16)


def _document_fields() -> dict[str, Any]:
    """The fields both indexes have: the text and its document's metadata, and the columns
    of sorting and single-valued facets."""
    return {
        "id": fields.COLUMN(columns.NumericColumn("Q")),
        "doc": fields.ID(),
        "text": _text(phrase=True),
        "heading": _text(phrase=False),
        "words": Words(),
        **{name: _kw() for name in ("symbol", "type", "body", "country", "session", "paragraph")},
        "year": _int_field(),
        "date": fields.ID(),
        "cycle": _int_field(),
        "sortdate": fields.COLUMN(columns.VarBytesColumn()),
        "tlen": fields.COLUMN(columns.NumericColumn("I")),
        **{f"f_{name}": fields.COLUMN(columns.VarBytesColumn()) for name in ("country", "body", "year", "type")},
    }


def build_schema() -> fields.Schema:
    """The index schema. Query names are the friendly ones (``right:``, ``state:``)."""
    return fields.Schema(**{
        **_document_fields(),
        **{name: _kw() for name in ("state", "response", "right", "fiscal", "group", "category", "issue",
                                    "region", "recommending_region")},
        # several labels, several bodies (a compilation quotes "CoE-GREVIO and CoE-CoP"), and the
        # regional groups of several recommending States, per record
        **{f"f_{name}": fields.COLUMN(columns.VarBytesListColumn())
           for name in ("right", "fiscal", "group", "issue", "body", "recommending_region")},
        **{f"f_{name}": fields.COLUMN(columns.VarBytesColumn()) for name in ("response", "cycle", "region")},
    })


_WORD = re.compile(r"\w+")


def _clean(value: Any) -> str:
    return str(value).replace(",", " ").strip()


def _join(values: Iterable[Any]) -> str:
    return ",".join(v for v in (_clean(x) for x in values if x not in (None, "")) if v)


def _b(value: Any) -> bytes:
    return b"" if value in (None, "") else str(value).encode("utf-8")


def document_for_index(stored: StoredRecommendation, doc_id: int) -> dict[str, Any]:
    """The Whoosh fields of one stored recommendation."""
    row = stored.to_row()
    rec = stored.recommendation
    families: dict[str, list[str]] = {}
    for tag in stored.tags:
        families.setdefault(tag.family, []).append(tag.label)
    rights = sorted(set(families.get("esc_rights", [])))
    fiscal = sorted(set(families.get("fiscal", [])))
    groups = sorted(set(families.get("groups", [])))
    issues = sorted(set(row["issues"]))  # UPR Info's own, else the model's (see to_row)
    # UPR Info's copy of a report's recommendation is found by the report's response where the report
    # or its addendum states one: counting once, "noted" counts what the dossier and trends count
    response = stored.report_response if stored.report_response in _STATED else rec.response
    # a compilation quotes "CoE-GREVIO and CoE-CoP" as one source: each is a body of its own
    bodies = list(dict.fromkeys(b.strip() for b in (row.get("body") or "").split(";") if b.strip()))
    category = row.get("action_category")
    country_terms = [row.get("country_code"), row.get("country")]
    states = list(rec.recommending_states) + list(rec.recommending_codes)
    year = row.get("year")
    cycle = row.get("cycle")
    date = row.get("date") or ""
    sortdate = date or (f"{int(year):04d}" if year else "")
    out: dict[str, Any] = {
        "id": stored.id,
        "doc": str(doc_id),
        "text": rec.text or "",
        "heading": rec.heading or "",
        "words": f"{rec.text or ''} {rec.heading or ''}",
        "symbol": _join([row.get("symbol")]),
        "type": _join([row.get("document_type")]),
        "body": _join(bodies),
        "country": _join(country_terms),
        "session": _join([row.get("session")]),
        "paragraph": _join([rec.paragraph]),
        "state": _join(states),
        "region": _join([row.get("region")]),
        "recommending_region": _join(row.get("recommending_regions") or []),
        "response": _join([response]),
        "right": _join(rights),
        "fiscal": _join(fiscal),
        "group": _join(groups),
        "category": _join([category]),
        "issue": _join(issues),
        "sortdate": _b(sortdate),
        "tlen": len(_WORD.findall(rec.text or "")),
        "f_right": [_b(v) for v in rights],
        "f_fiscal": [_b(v) for v in fiscal],
        "f_group": [_b(v) for v in groups],
        "f_issue": [_b(v) for v in issues],
        "f_country": _b(row.get("country_code") or row.get("country")),
        "f_body": [_b(v) for v in bodies],
        "f_year": _b(year),
        "f_response": _b(response),
        "f_type": _b(row.get("document_type")),
        "f_cycle": _b(cycle),
        "f_region": _b(row.get("region")),
        "f_recommending_region": [_b(v) for v in row.get("recommending_regions") or []],
    }
    # empty strings are left out (a bytes column reads them back as b""); empty lists are kept,
    # since Whoosh cannot read a list column that no document of a segment wrote
    out = {k: v for k, v in out.items() if v != "" and v != b""}
    if date:
        out["date"] = date
    if year is not None:
        out["year"] = int(year)
    if cycle is not None:
        out["cycle"] = int(cycle)
    return out


# -- paragraphs ----------------------------------------------------------------------------

#: Fields of the paragraph index a query may name (recommendation-only fields are refused).
PARAGRAPH_FACETS = ("country", "body", "year", "type", "kind", "region")


def build_paragraph_schema() -> fields.Schema:
    """The paragraph index: every stored paragraph (footnotes included) with its document's metadata."""
    return fields.Schema(**{
        **_document_fields(),
        "page": _int_field(),
        "kind": _kw(),
        "region": _kw(),  # the UN regional group of the document's State
        **{f"f_{name}": fields.COLUMN(columns.VarBytesColumn()) for name in ("kind", "region")},
    })


_PARA_SQL = (
    "SELECT p.id, p.document_id, p.number, p.page, p.section, p.heading, p.kind, p.text, "
    "d.symbol, d.document_type, d.body, d.country, d.country_code, d.year, d.date, d.session, d.cycle "
    "FROM paragraphs p JOIN documents d ON d.id = p.document_id"
)


def paragraph_for_index(row: Any) -> dict[str, Any]:
    """The Whoosh fields of one paragraph row (``_PARA_SQL`` column order)."""
    (pid, doc_id, number, page, section, heading, kind, text,
     symbol, dtype, body, country, code, year, date, session, cycle) = tuple(row)
    from rightsindex.ingest import regions  # not at the top: rightsindex.ingest imports the store

    date = date or ""
    sortdate = date or (f"{int(year):04d}" if year else "")
    region = regions.of(code or country)
    out: dict[str, Any] = {
        "id": pid,
        "doc": str(doc_id),
        "text": text or "",
        "heading": " ".join(x for x in (section, heading) if x),
        "words": " ".join(x for x in (text, section, heading) if x),
        "symbol": _join([symbol]),
        "type": _join([dtype]),
        "body": _join([body]),
        "country": _join([code, country]),
        "session": _join([session]),
        "paragraph": _join([number]),
        "kind": _join([kind]),
        "region": _join([region]),
        "sortdate": _b(sortdate),
        "tlen": len(_WORD.findall(text or "")),
        "f_country": _b(code or country),
        "f_body": _b(body),
        "f_year": _b(year),
        "f_type": _b(dtype),
        "f_kind": _b(kind),
        "f_region": _b(region),
    }
    out = {k: v for k, v in out.items() if v != "" and v != b""}
    if date:
        out["date"] = date
    if year is not None:
        out["year"] = int(year)
    if cycle is not None:
        out["cycle"] = int(cycle)
    if page is not None:
        out["page"] = int(page)
    return out


# -- the two indexes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """What differs between the recommendation index and the paragraph index."""

    target: str
    folder: str
    schema: Callable[[], fields.Schema]
    table: str
    signatures: Callable[[Store], tuple[dict[str, str], dict[str, int]]]
    all_docs: Callable[[Store], Iterator[dict[str, Any]]]
    docs_of: Callable[[Store, list[int]], Iterator[dict[str, Any]]]


def _rec_all(store: Store) -> Iterator[dict[str, Any]]:
    doc_of = _doc_id_of(store)
    for stored in store.recommendations():
        yield document_for_index(stored, doc_of[stored.id])


def _rec_of(store: Store, doc_ids: list[int]) -> Iterator[dict[str, Any]]:
    doc_of = _doc_id_of(store) if doc_ids else {}
    for stored in _doc_recs(store, doc_ids):
        yield document_for_index(stored, doc_of[stored.id])


def _para_all(store: Store) -> Iterator[dict[str, Any]]:
    cur = store.conn.execute(_PARA_SQL + " ORDER BY p.document_id, p.seq")
    while rows := cur.fetchmany(2000):
        for row in rows:
            yield paragraph_for_index(row)


def _para_of(store: Store, doc_ids: list[int]) -> Iterator[dict[str, Any]]:
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        cur = store.conn.execute(
            _PARA_SQL + f" WHERE p.document_id IN ({', '.join('?' * len(chunk))}) ORDER BY p.document_id, p.seq",
            chunk,
        )
        for row in cur.fetchall():
            yield paragraph_for_index(row)


def _para_signatures(store: Store) -> tuple[dict[str, str], dict[str, int]]:
    """Per document id: its sha256 and paragraph count (paragraphs change only with their file)."""
    digests: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for doc_id, sha, n in store.conn.execute(
        "SELECT d.id, d.sha256, COUNT(p.id) FROM documents d LEFT JOIN paragraphs p ON p.document_id = d.id "
        "GROUP BY d.id"
    ):
        digests[str(doc_id)] = f"{sha}:{n}"
        sizes[str(doc_id)] = int(n)
    return digests, sizes


RECOMMENDATIONS = _Kind("recommendations", INDEX_DIR, build_schema, "recommendations",
                        lambda s: _signatures(s), _rec_all, _rec_of)
PARAGRAPHS = _Kind("paragraphs", PARAGRAPH_INDEX_DIR, build_paragraph_schema, "paragraphs",
                   _para_signatures, _para_all, _para_of)
_KINDS = {"recommendations": RECOMMENDATIONS, "paragraphs": PARAGRAPHS}
TARGETS = tuple(_KINDS)


def _kind(target: str) -> _Kind:
    try:
        return _KINDS[target]
    except KeyError:
        raise QueryError(f"unknown search target {target!r}: use recommendations or paragraphs") from None


# -- state ----------------------------------------------------------------------------


def _cache_root() -> Path:
    """``$RIGHTSINDEX_CACHE``, else ``$XDG_CACHE_HOME/rightsindex``, else ``~/.cache/rightsindex``."""
    if os.environ.get("RIGHTSINDEX_CACHE"):
        return Path(os.environ["RIGHTSINDEX_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rightsindex"


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def index_home(corpus_dir: str | os.PathLike[str]) -> Path:
    """The folder that holds a corpus's indexes: the corpus folder itself, or, when nothing may be
    written there (a read-only share), a folder of the user's cache named after it
    (``~/.cache/rightsindex/indexes/<name>-<hash of its path>``), which starts as a copy of the
    indexes the corpus folder has and is kept in sync with its store from then on."""
    corpus = Path(corpus_dir)
    if not corpus.exists() or _writable(corpus):
        return corpus
    resolved = str(corpus.resolve())
    digest = hashlib.sha1(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    home = _cache_root() / "indexes" / f"{corpus.resolve().name or 'corpus'}-{digest}"
    if not home.exists():
        tmp = home.with_name(f"{home.name}.copying-{os.getpid()}")
        try:
            tmp.mkdir(parents=True, exist_ok=True)
            for kind in (RECOMMENDATIONS, PARAGRAPHS):
                if (corpus / kind.folder / STATE_FILE).exists():
                    shutil.copytree(corpus / kind.folder, tmp / kind.folder)
            (tmp / "corpus.txt").write_text(resolved + "\n", encoding="utf-8", errors="surrogateescape")
            os.replace(tmp, home)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if not home.exists():  # another process may have made it meanwhile
                raise CorpusError(f"{corpus}: its folder is read-only and the search index cannot be kept in "
                                  f"{home.parent} either ({exc.strerror or exc}); set RIGHTSINDEX_CACHE to "
                                  "a writable folder") from exc
    return home


def index_dir(corpus_dir: str | os.PathLike[str], target: str = "recommendations") -> Path:
    """``<corpus>/index`` (recommendations) or ``<corpus>/index-paragraphs``; in the user's cache
    for a corpus in a read-only folder (:func:`index_home`)."""
    return index_home(corpus_dir) / _kind(target).folder


def index_state(corpus_dir: str | os.PathLike[str], target: str = "recommendations") -> dict[str, Any] | None:
    """The state file of an index (generation, schema, per-document signatures), or None."""
    path = index_dir(corpus_dir, target) / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_state(folder: Path, state: dict[str, Any]) -> None:
    tmp = folder / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, folder / STATE_FILE)


def _signatures(store: Store) -> tuple[dict[str, str], dict[str, int]]:
    """Per document id: a digest of everything the index holds about it, and its size."""
    conn = store.conn
    tags: dict[int, str] = {}
    for rec_id, labels in conn.execute(
        "SELECT recommendation_id, group_concat(family || '=' || label, '|') FROM tags "
        "GROUP BY recommendation_id"
    ):
        tags[rec_id] = labels or ""
    digests: dict[str, Any] = {}
    sizes: dict[str, int] = {}
    for doc_id, sha in conn.execute("SELECT id, sha256 FROM documents"):
        h = hashlib.sha1(sha.encode())
        digests[str(doc_id)] = h
        sizes[str(doc_id)] = 0
    # what another document gives a row: UPR Info's copy is found by its report's response, and a
    # report's row has the issues of UPR Info's copies (removing or adding either changes the other)
    twins: dict[int, str] = dict(conn.execute(
        "SELECT duplicate_of, group_concat(id || '=' || issues, '|') FROM recommendations "
        "WHERE duplicate_of IS NOT NULL GROUP BY duplicate_of"))
    for doc_id, rec_id, response, category, version, report_response in conn.execute(
        "SELECT r.document_id, r.id, COALESCE(r.response, ''), COALESCE(r.action_category, ''), "
        "COALESCE(r.tagged_version, ''), COALESCE(rep.response, '') FROM recommendations r "
        "LEFT JOIN recommendations rep ON rep.id = r.duplicate_of ORDER BY r.document_id, r.id"
    ):
        key = str(doc_id)
        h = digests.get(key)
        if h is None:  # pragma: no cover - a row without document (foreign keys prevent it)
            continue
        h.update(f"{rec_id}\x1f{response}\x1f{category}\x1f{version}\x1f{tags.get(rec_id, '')}"
                 f"\x1f{report_response}\x1f{twins.get(rec_id, '')}\x1e".encode())
        sizes[key] += 1
    return {k: h.hexdigest() for k, h in digests.items()}, sizes


# -- opening ------------------------------------------------------------------------------

_lock = threading.Lock()
_open: dict[str, tuple[Any, Any]] = {}  # folder -> (Index, searcher)


def _forget(folder: Path) -> None:
    with _lock:
        entry = _open.pop(str(folder), None)
    if entry is not None:
        try:
            entry[1].close()
        except Exception:  # noqa: BLE001 - closing a broken searcher
            pass


def open_index(corpus_dir: str | os.PathLike[str], target: str = "recommendations"):  # type: ignore[no-untyped-def]
    """An up-to-date Whoosh searcher over one of the corpus's indexes (cached per process).

    Call :func:`sync_index` first; this only opens what is there.
    """
    folder = index_dir(corpus_dir, target)
    key = str(folder)
    with _lock:
        entry = _open.get(key)
    if entry is not None:
        ix, searcher = entry
        try:
            if searcher.up_to_date():
                return searcher
            fresh = searcher.refresh()
            with _lock:
                _open[key] = (ix, fresh)
            return fresh
        except Exception:  # noqa: BLE001 - the folder changed under us: reopen
            _forget(folder)
    ix = windex.open_dir(str(folder))
    searcher = ix.searcher()
    with _lock:
        _open[key] = (ix, searcher)
    return searcher


def _index_ok(folder: Path, store_count: int, kind: _Kind = RECOMMENDATIONS) -> bool:
    """Whether the index opens, has our schema and holds as many documents as the store."""
    try:
        ix = windex.open_dir(str(folder))
        try:
            if set(ix.schema.names()) != set(kind.schema().names()):
                return False
            with ix.reader() as reader:
                return reader.doc_count() == store_count
        finally:
            ix.close()
    except Exception:  # noqa: BLE001 - any failure to read means corrupt: rebuild
        return False


# -- writing -----------------------------------------------------------------------------------


class _Lengths:
    """Field lengths for Whoosh's posting writer, answering 0 at once for unscored fields.

    Whoosh asks the length of every posting's field; for a field without
    lengths (keywords, numbers) its reader checks the file system each time
    (a ``stat`` per posting: about a third of a build's flush, measured).
    """

    def __init__(self, reader: Any, schema: fields.Schema) -> None:
        self._reader = reader
        self._scorable = frozenset(n for n in schema.names() if schema[n].scorable)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        if fieldname not in self._scorable:
            return default
        return self._reader.doc_field_length(docnum, fieldname, default)


class _Writer(SegmentWriter):
    """Whoosh's segment writer with :class:`_Lengths` when flushing postings."""

    def _flush_segment(self) -> None:  # same steps as SegmentWriter._flush_segment
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(pdr, self.schema) if pdr is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr is not None:
            pdr.close()


def _doc_recs(store: Store, doc_ids: list[int]) -> Iterator[StoredRecommendation]:
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        rec_ids = [
            r[0]
            for r in store.conn.execute(
                f"SELECT id FROM recommendations WHERE document_id IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY document_id, seq",
                chunk,
            )
        ]
        for j in range(0, len(rec_ids), 5000):
            yield from store.recommendations(ids=rec_ids[j : j + 5000])


def _doc_id_of(store: Store) -> dict[int, int]:
    return {rid: did for rid, did in store.conn.execute("SELECT id, document_id FROM recommendations")}


def _count(store: Store, kind: _Kind) -> int:
    return int(store.conn.execute(f"SELECT COUNT(*) FROM {kind.table}").fetchone()[0])


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _build_procs(total: int) -> int:
    """Writer processes for a full build: one unless ``RIGHTSINDEX_INDEX_PROCS`` says more.

    Whoosh's multi-process writer halved a 100k build on an idle 2-core machine
    (../shared/MEASUREMENTS.md) but was no faster on a loaded one (measured
    here: 30k recommendations, 47.6 s with one writer, 55.8 s with two), so it
    is opt-in.
    """
    env = os.environ.get("RIGHTSINDEX_INDEX_PROCS", "")
    if env.isdigit() and int(env) > 1 and total >= 5000:
        return int(env)
    return 1


def _full_build(
    corpus_dir: Path, store: Store, kind: _Kind, generation: int, signatures: dict[str, str],
    progress: Progress | None,
) -> int:
    home = index_home(corpus_dir)
    folder = home / kind.folder
    for stale in home.glob(kind.folder + ".building-*"):  # left by a crashed build
        if not _alive(stale.name.rsplit("-", 1)[-1]):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = home / f"{kind.folder}.building-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    ix = windex.create_in(str(tmp), kind.schema())
    total = _count(store, kind)
    procs = _build_procs(total)
    writer = _Writer(ix, limitmb=256) if procs == 1 else ix.writer(procs=procs, limitmb=128, multisegment=True)
    n = 0
    try:
        for doc in _new_words(kind.all_docs(store)):
            writer.add_document(**doc)
            n += 1
            if progress is not None and n % 1000 == 0:
                progress(n, total)
        writer.commit()
    except BaseException:
        writer.cancel()
        ix.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    ix.close()
    _write_state(tmp, {
        "schema": INDEX_SCHEMA_VERSION, "generation": generation, "count": n, "docs": signatures,
    })
    _forget(folder)
    old = home / f"{kind.folder}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    if folder.exists():
        os.replace(folder, old)
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)
    if progress is not None:
        progress(n, total)
    return n


def _incremental(
    corpus_dir: Path,
    store: Store,
    kind: _Kind,
    generation: int,
    signatures: dict[str, str],
    changed: list[str],
    removed: list[str],
    sizes: dict[str, int],
    progress: Progress | None,
) -> int:
    folder = index_dir(corpus_dir, kind.target)
    ix = windex.open_dir(str(folder))
    writer = ix.writer(limitmb=128, timeout=120.0, delay=0.25)  # wait for another process's writer
    n = 0
    try:
        for doc in removed + changed:
            writer.delete_by_term("doc", doc)
        total = sum(sizes.get(d, 0) for d in changed)
        for fields_ in _new_words(kind.docs_of(store, [int(d) for d in changed])):
            writer.add_document(**fields_)
            n += 1
            if progress is not None and n % 1000 == 0:
                progress(n, max(n, total))
        writer.commit()
    except BaseException:
        writer.cancel()
        ix.close()
        raise
    ix.close()
    _write_state(folder, {
        "schema": INDEX_SCHEMA_VERSION, "generation": generation,
        "count": _count(store, kind), "docs": signatures,
    })
    return n


def _sync_kind(corpus: Path, store: Store, kind: _Kind, rebuild: bool, progress: Progress | None) -> int:
    folder = index_dir(corpus, kind.target)
    try:
        generation = store.generation
        store_count = _count(store, kind)
    except sqlite3.DatabaseError as exc:
        raise CorpusError(f"{store.path}: cannot read the store ({exc})") from exc
    state = index_state(corpus, kind.target)
    usable = (
        not rebuild
        and state is not None
        and state.get("schema") == INDEX_SCHEMA_VERSION
        and isinstance(state.get("docs"), dict)
        and folder.exists()
    )
    if usable and state.get("generation") == generation and state.get("count") == store_count:
        if _index_ok(folder, store_count, kind):
            return 0
        usable = False
    elif usable and not _index_ok(folder, int(state.get("count", -1)), kind):
        usable = False
    signatures, sizes = kind.signatures(store)
    if not usable:
        return _full_build(corpus, store, kind, generation, signatures, progress)
    old: dict[str, str] = state["docs"]  # type: ignore[index]
    changed = [d for d, sig in signatures.items() if old.get(d) != sig]
    removed = [d for d in old if d not in signatures]
    changed_n = sum(sizes[d] for d in changed)
    if changed_n > max(5000, store_count // 2):
        return _full_build(corpus, store, kind, generation, signatures, progress)
    n = _incremental(corpus, store, kind, generation, signatures, changed, removed, sizes, progress)
    if not _index_ok(folder, store_count, kind):  # never leave an index that disagrees
        return _full_build(corpus, store, kind, generation, signatures, progress)
    _forget(folder)
    return n


def sync_all(
    corpus_dir: str | os.PathLike[str], *, rebuild: bool = False, progress: Progress | None = None
) -> tuple[int, int]:
    """Bring both indexes up to the store's generation: (recommendations, paragraphs) (re)indexed.

    ``progress(done, total)`` counts recommendations, then paragraphs after them.
    """
    corpus = Path(corpus_dir)
    if not (corpus / STORE_FILE).exists():
        raise CorpusError(f"{corpus}: no corpus here; run 'rightsindex ingest PATH --corpus {corpus}' first")
    with Store.open(corpus, create=False) as store:
        try:
            n_recs = _sync_kind(corpus, store, RECOMMENDATIONS, rebuild, progress)
            shifted = None
            if progress is not None:
                base = n_recs

                def shifted(done: int, total: int) -> None:
                    progress(base + done, base + total)

            n_paras = _sync_kind(corpus, store, PARAGRAPHS, rebuild, shifted)
        except OSError as exc:
            home = index_home(corpus)
            if home == corpus:
                raise
            # a read-only corpus whose index in the cache cannot be written either
            raise CorpusError(f"{home}: the search index of the read-only corpus {corpus} is kept here, and "
                              f"it cannot be written ({exc.strerror or exc}); set RIGHTSINDEX_CACHE to a "
                              "writable folder") from exc
    return n_recs, n_paras


def sync_index(
    corpus_dir: str | os.PathLike[str], *, rebuild: bool = False, progress: Progress | None = None
) -> int:
    """Bring the indexes (``<corpus>/index``, ``<corpus>/index-paragraphs``) up to the store's generation.

    Returns the number of recommendations (re)indexed (:func:`sync_all` also
    gives the paragraphs). A missing, corrupt or other-version index is
    rebuilt; ``rebuild=True`` always rebuilds both. ``progress(done, total)``
    is called while indexing.
    """
    return sync_all(corpus_dir, rebuild=rebuild, progress=progress)[0]


# -- the quick path used before every search ---------------------------------------------------

_state_cache: dict[str, tuple[int, dict[str, Any] | None]] = {}


def _store_generation(corpus: Path, kind: _Kind = RECOMMENDATIONS) -> tuple[int, int]:
    """(generation, rows of the kind's table) read from the store without opening it for writing."""
    path = corpus / STORE_FILE
    if not path.exists():
        raise CorpusError(f"{corpus}: no corpus here; run 'rightsindex ingest PATH --corpus {corpus}' first")
    try:
        conn = connect_readonly(path)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
            count = conn.execute(f"SELECT COUNT(*) FROM {kind.table}").fetchone()[0]
            version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise open_error(path, exc) from exc
    if version is not None and int(version[0]) < STORE_SCHEMA_VERSION:  # an older store: migrate it first
        try:
            Store(corpus, create=False).close()
        except (sqlite3.Error, RightsIndexError, OSError):  # read-only: search it as it is
            return (int(row[0]) if row else 0), int(count)
        return _store_generation(corpus, kind)
    return (int(row[0]) if row else 0), int(count)


def _cached_state(corpus: Path, kind: _Kind) -> dict[str, Any] | None:
    path = index_dir(corpus, kind.target) / STATE_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    hit = _state_cache.get(str(path))
    if hit is not None and hit[0] == mtime:
        return hit[1]
    state = index_state(corpus, kind.target)
    _state_cache[str(path)] = (mtime, state)
    return state


def searcher_for(corpus_dir: str | os.PathLike[str], target: str = "recommendations"):  # type: ignore[no-untyped-def]
    """A searcher over an index known to match the store (synced first when it does not)."""
    corpus = Path(corpus_dir)
    kind = _kind(target)
    generation, count = _store_generation(corpus, kind)
    state = _cached_state(corpus, kind)
    fresh = (
        state is not None
        and state.get("schema") == INDEX_SCHEMA_VERSION
        and state.get("generation") == generation
        and state.get("count") == count
    )
    if not fresh:
        sync_index(corpus)
    try:
        searcher = open_index(corpus, target)
        if searcher.doc_count() != count:
            raise ValueError("index and store disagree")
        return searcher
    except Exception:  # noqa: BLE001 - unreadable or wrong index: rebuild it
        _forget(index_dir(corpus, target))
        sync_index(corpus, rebuild=True)
        return open_index(corpus, target)


def invalidate(corpus_dir: str | os.PathLike[str], target: str | None = None) -> None:
    """Forget cached searchers of a corpus (after an error while searching)."""
    for t in (target,) if target else TARGETS:
        _forget(index_dir(corpus_dir, t))
