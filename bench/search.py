"""Search speed at 100,000 recommendations: rightsindex (Whoosh) against SQLite FTS5.

Imports the 30,257 UPR Info recommendations of ../shared/data/upr_info into a
temporary corpus, grows them to ``--n`` (default 100,000) by repeating the
pseudo-documents with other years and States under review, then measures in the
same run:

* import time (30k), index build time and size (``sync_index(rebuild=True)``);
* latency, median and p95, of ``rightsindex.search.search(..., limit=10)`` end to
  end (exact total, top 10 hits read back from the store, highlighted snippets)
  over ``--queries`` (default 200) queries of each kind: terms (sampled by
  frequency), real two-word phrases, Boolean queries with a country, year or
  response filter, and term queries with facet counts (right, fiscal, country,
  body, year, response, issue);
* the same work on SQLite FTS5 (porter tokenizer): exact count, top 10 by bm25
  with snippet and metadata, filters written ``+m.country = ?`` (a plain
  ``m.country = ?`` lets SQLite plan from the metadata side; see
  ../shared/MEASUREMENTS.md), facets by GROUP BY;

and prints the ratios Whoosh / FTS5. Goals (issue 5): p95 under 100 ms for term
and filter queries, under 300 ms with facets, at 100,000.

    python bench/search.py                 # full run: 100,000 recommendations
    python bench/search.py --n 30257 --queries 100   # quicker (about 2 minutes)

The Whoosh index build dominates the run. Wall time on this shared 2-core
machine says more about the other jobs than about us (221 s and 621 s at
100,000 in two runs under load 8-11), so the build line also prints CPU time
and, in the same run, the same documents built with Whoosh's stock TEXT and
KEYWORD fields and writer (what our build was before its Text/Keyword fields
and length shortcut; same terms and postings). Measured here at 100,000: stock
85.7 s CPU, ours 57.8 s CPU (1.48x); at 30,257: 21.9 s and 14.3 s (1.53x).
Latencies are medians and 95th percentiles of single runs; compare them with
the FTS5 figures of the same run, not across runs.

A note on "totals agree": both engines count exactly, but they do not stem and
tokenise alike (Whoosh's Porter stemmer plus our irregular plurals, e.g.
children -> child; stop words dropped inside phrases), so some counts differ.
The line "exact totals" checks our totals against Whoosh's own exhaustive
count (``limit=None``), and shows how often Whoosh's ``len(results)`` after a
``limit=10`` search is wrong.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rightsindex.corpus.store import Store  # noqa: E402
from rightsindex.ingest.tabular import import_upr_info  # noqa: E402
from rightsindex.records import Document  # noqa: E402
from rightsindex.search import search  # noqa: E402
from rightsindex.search.index import sync_index  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "upr_info" / "recommendations_sessions01-16.csv"
STOP = set(
    "a an and are as at be by for from has have in into is it its of on or that the their this to was "
    "were will with all any its such other which who also including ensure take continue further".split()
)
from whoosh.analysis import STOP_WORDS  # noqa: E402

STOP |= set(STOP_WORDS)
FACETS = ["right", "fiscal", "country", "body", "year", "response", "issue"]


def grow(corpus: Path, n: int) -> int:
    """Repeat the imported pseudo-documents with shifted years and rotated States until ``n``."""
    with Store.open(corpus) as store:
        docs = list(store.documents())
        countries = sorted({(d.country, d.country_code) for _, d in docs})
        total = store.count_recommendations()
        copy = 0
        while total < n:
            copy += 1
            for i, (doc_id, doc) in enumerate(docs):
                if total >= n:
                    break
                recs = [s.recommendation for s in store.recommendations(
                    ids=[r[0] for r in store.conn.execute(
                        "SELECT id FROM recommendations WHERE document_id=? ORDER BY seq", (doc_id,))],
                    with_tags=False)]
                recs = recs[: n - total]
                country, code = countries[(i + 7 * copy) % len(countries)]
                new = Document(
                    sha256=hashlib.sha256(f"{doc.sha256}:{copy}".encode()).hexdigest(),
                    source_path=f"{doc.source_path}:copy{copy}",
                    document_type=doc.document_type, body=doc.body, country=country, country_code=code,
                    year=(doc.year or 2010) + 5 * copy, session=str(int(doc.session or 0) + 16 * copy),
                    cycle=(doc.cycle or 1) + copy, language="en", title=doc.title,
                )
                store.add_document(new, (), recs)
                total += len(recs)
        return total


def tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2]


def make_queries(corpus: Path, k: int, seed: int = 7) -> dict[str, list[tuple[str, dict]]]:
    """Queries of each kind, each as (rightsindex query, FTS5 spec)."""
    rng = random.Random(seed)
    with Store.open(corpus) as store:
        rows = [(s.recommendation.text, s.document.country_code, s.document.year)
                for s in store.recommendations(with_tags=False)]
    freq = Counter(w for text, _, _ in rows for w in set(tokens(text)) if w not in STOP)
    words = [w for w, c in freq.items() if c >= 3]
    weights = [freq[w] for w in words]
    codes = sorted({c for _, c, _ in rows if c})
    years = sorted({y for _, _, y in rows if y})
    out: dict[str, list[tuple[str, dict]]] = {"term": [], "phrase": [], "boolean+filter": [], "facets": []}
    for w in rng.choices(words, weights, k=k):
        out["term"].append((w, {"match": w}))
    while len(out["phrase"]) < k:
        text = rng.choice(rows)[0]
        toks = re.findall(r"[a-z]+", text.lower())
        pairs = [(a, b) for a, b in zip(toks, toks[1:]) if a not in STOP and b not in STOP and len(a) > 2 and len(b) > 2]
        if pairs:
            a, b = rng.choice(pairs)
            out["phrase"].append((f'"{a} {b}"', {"match": f'"{a} {b}"'}))
    for i in range(k):
        w1, w2 = rng.choices(words, weights, k=2)
        kind = i % 3
        if kind == 0:
            code = rng.choice(codes)
            out["boolean+filter"].append((f"({w1} OR {w2}) country:{code}",
                                          {"match": f"{w1} OR {w2}", "country": code}))
        elif kind == 1:
            y = rng.choice(years)
            out["boolean+filter"].append((f"({w1} OR {w2}) year:[{y} TO {y + 2}]",
                                          {"match": f"{w1} OR {w2}", "year": (y, y + 2)}))
        else:
            out["boolean+filter"].append((f"{w1} NOT {w2} response:noted",
                                          {"match": f"{w1} NOT {w2}", "response": "noted"}))
    for w in rng.choices(words, weights, k=k):
        out["facets"].append((w, {"match": w, "facets": True}))
    return out


# -- SQLite FTS5 yardstick ------------------------------------------------------------------------------


def build_fts(corpus: Path, path: Path) -> tuple[sqlite3.Connection, float]:
    with Store.open(corpus) as store:
        rows = [s.to_row() for s in store.recommendations(with_tags=False)]
    t0 = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE m(id INTEGER PRIMARY KEY, country TEXT, year INTEGER, response TEXT, body TEXT,
                       symbol TEXT, paragraph TEXT, text TEXT);
        CREATE INDEX m_country ON m(country);
        CREATE INDEX m_year ON m(year);
        CREATE INDEX m_response ON m(response);
        CREATE TABLE iss(rec INTEGER, issue TEXT);
        CREATE INDEX iss_rec ON iss(rec);
        CREATE VIRTUAL TABLE f USING fts5(text, tokenize='porter unicode61');
        """
    )
    with conn:
        conn.executemany(
            "INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((r["id"], r["country_code"] or r["country"], r["year"], r["response"], r["body"], r["symbol"],
              r["paragraph"], r["text"]) for r in rows),
        )
        conn.executemany("INSERT INTO iss VALUES (?, ?)", ((r["id"], i) for r in rows for i in r["issues"]))
        conn.executemany("INSERT INTO f(rowid, text) VALUES (?, ?)", ((r["id"], r["text"]) for r in rows))
    return conn, time.perf_counter() - t0


def fts_query(conn: sqlite3.Connection, spec: dict) -> int:
    where, params = ["f MATCH ?"], [spec["match"]]
    if "country" in spec:
        where.append("+m.country = ?")
        params.append(spec["country"])
    if "year" in spec:
        where.append("+m.year BETWEEN ? AND ?")
        params.extend(spec["year"])
    if "response" in spec:
        where.append("+m.response = ?")
        params.append(spec["response"])
    cond = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM f JOIN m ON m.id = f.rowid WHERE {cond}", params).fetchone()[0]
    conn.execute(
        f"SELECT m.id, m.symbol, m.paragraph, m.country, m.year, m.response, m.text, "
        f"snippet(f, 0, '<b>', '</b>', '…', 24) FROM f JOIN m ON m.id = f.rowid WHERE {cond} "
        f"ORDER BY bm25(f) LIMIT 10",
        params,
    ).fetchall()
    if spec.get("facets"):
        for col in ("country", "year", "response", "body"):
            conn.execute(
                f"SELECT m.{col}, count(*) FROM f JOIN m ON m.id = f.rowid WHERE {cond} GROUP BY 1", params
            ).fetchall()
        conn.execute(
            f"SELECT i.issue, count(*) FROM f JOIN m ON m.id = f.rowid JOIN iss i ON i.rec = m.id "
            f"WHERE {cond} GROUP BY 1",
            params,
        ).fetchall()
    return total


# -- measuring ------------------------------------------------------------------------------------------------


def timed(fn, items) -> tuple[list[float], list[int]]:
    times, totals = [], []
    for item in items:
        t0 = time.perf_counter()
        totals.append(fn(item))
        times.append((time.perf_counter() - t0) * 1000)
    return times, totals


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def check_exact(corpus: Path, queries: dict, k: int) -> None:
    """Our totals against Whoosh's own exact count, and Whoosh's undercount with a limit."""
    from rightsindex.search.index import open_index
    from rightsindex.search.query import parse_query

    searcher = open_index(corpus)
    ok = wrong_limited = n = 0
    for kind, items in queries.items():
        for q, _spec in items[:k]:
            pq = parse_query(q)
            exact = len(searcher.search(pq, limit=None))
            limited = len(searcher.search(pq, limit=10))
            ok += search(corpus, q, limit=10).total == exact
            wrong_limited += limited != exact
            n += 1
    print(f"exact totals: ours equal Whoosh's limit=None count for {ok}/{n} queries; "
          f"Whoosh's len(results) after limit=10 was wrong for {wrong_limited}/{n}")


def stock_whoosh_build(corpus: Path, path: Path) -> tuple[float, float]:
    """The same documents into the same schema with Whoosh's stock TEXT/KEYWORD fields and writer.

    The yardstick for our build (``sync_index``), which indexes the same terms
    and postings through its own Text/Keyword fields and a writer that skips
    a file-system check per posting. Returns (wall, CPU) seconds.
    """
    from whoosh import fields, index as windex

    from rightsindex.search import index as rix

    schema = rix.build_schema()
    for name in schema.names():
        if isinstance(schema[name], rix.Keyword):
            schema._fields[name] = fields.KEYWORD(lowercase=True, commas=True, scorable=False)
        elif isinstance(schema[name], rix.Text):
            schema._fields[name] = fields.TEXT(analyzer=rix.text_analyzer(), phrase=(name == "text"))
    path.mkdir(parents=True)
    t0, c0 = time.perf_counter(), time.process_time()
    ix = windex.create_in(str(path), schema)
    writer = ix.writer(limitmb=256)
    with Store.open(corpus) as store:
        for doc in rix._new_words(rix.RECOMMENDATIONS.all_docs(store)):  # a document's words once, as ours
            writer.add_document(**doc)
    writer.commit()
    ix.close()
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="recommendations to grow to (default 100,000)")
    ap.add_argument("--queries", type=int, default=200, help="queries of each kind (default 200)")
    ap.add_argument("--csv", type=Path, default=SHARED, help="UPR Info CSV")
    ap.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    args = ap.parse_args()
    if not args.csv.exists():
        print(f"needs {args.csv} (../shared is absent)", file=sys.stderr)
        return 2
    tmp = tempfile.TemporaryDirectory(prefix="ri-bench-")
    base = args.keep or Path(tmp.name)
    corpus = base / "corpus"

    t0 = time.perf_counter()
    with Store.open(corpus) as store:
        summary = import_upr_info(args.csv, store, tag=False, sync=False)
    t_import = time.perf_counter() - t0
    print(f"import upr-info: {summary.recommendations} recommendations in {summary.documents_added} "
          f"pseudo-documents: {t_import:.1f} s ({summary.recommendations / t_import:,.0f} rows/s)")
    t0 = time.perf_counter()
    n = grow(corpus, args.n)
    print(f"grown to {n:,} recommendations in {time.perf_counter() - t0:.1f} s")

    t_stock, c_stock = stock_whoosh_build(corpus, base / "stock-index")
    t0, c0 = time.perf_counter(), time.process_time()
    sync_index(corpus, rebuild=True)
    t_index, c_index = time.perf_counter() - t0, time.process_time() - c0
    size = sum(p.stat().st_size for p in (corpus / "index").iterdir()) / 1e6
    print(f"index build, same documents: stock Whoosh fields and writer {t_stock:.1f} s wall, {c_stock:.1f} s CPU; "
          f"ours {t_index:.1f} s wall, {c_index:.1f} s CPU: CPU ratio {c_stock / c_index:.2f}x")
    fts_path = base / "fts.sqlite"
    fts, t_fts = build_fts(corpus, fts_path)
    fts_size = fts_path.stat().st_size / 1e6
    print(f"index build: whoosh {t_index:.1f} s wall, {c_index:.1f} s CPU ({size:.0f} MB), "
          f"FTS5 {t_fts:.1f} s ({fts_size:.0f} MB), ratio {t_index / t_fts:.1f}x "
          f"(wall > CPU means other processes took the cores)")

    queries = make_queries(corpus, args.queries)
    # warm both engines (first search loads columns and opens files)
    search(corpus, "women", limit=10, facets=FACETS)
    fts_query(fts, {"match": "women", "facets": True})

    print(f"\nlatency over {args.queries} queries of each kind, at {n:,} recommendations (ms)")
    print(f"{'kind':<16}{'whoosh median':>14}{'p95':>9}{'FTS5 median':>13}{'p95':>9}{'p95 ratio':>11}  totals agree")
    goals = {"term": 100, "boolean+filter": 100, "facets": 300}
    verdicts = []
    for kind, items in queries.items():
        facets = FACETS if kind == "facets" else False
        w_times, w_totals = timed(lambda q: search(corpus, q[0], limit=10, facets=facets).total, items)
        f_times, f_totals = timed(lambda q: fts_query(fts, q[1]), items)
        agree = sum(a == b for a, b in zip(w_totals, f_totals))
        wm, wp, fm, fp = statistics.median(w_times), p95(w_times), statistics.median(f_times), p95(f_times)
        print(f"{kind:<16}{wm:>14.1f}{wp:>9.1f}{fm:>13.1f}{fp:>9.1f}{wp / fp:>10.1f}x  {agree}/{len(items)}")
        if kind in goals:
            verdicts.append(f"{kind}: p95 {wp:.0f} ms vs goal {goals[kind]} ms -> "
                            f"{'met' if wp < goals[kind] else 'NOT met'}")
    print("\n" + "\n".join(verdicts))
    check_exact(corpus, queries, min(50, args.queries))
    print("(totals agree: exact match counts equal between engines; stemmers differ slightly: "
          "Whoosh maps women->woman etc.)")
    fts.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
