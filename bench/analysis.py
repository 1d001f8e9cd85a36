"""Speed of trends, emerging terms and dossiers against plain baselines, in one run.

Imports the 30,257 UPR Info recommendations of ../shared/data/upr_info into a
temporary corpus (no tagging, no index), optionally grows them to ``--n`` by
repeating the pseudo-documents as later cycles (years +6, +12, ...), then measures:

* the recommendations table (``Corpus.recommendations()``, cold) against reading the
  same joined rows with one SQL query (the floor for any reader of the store);
* ``trends(by="year", split="response")`` and the multi-label ``split="issue"`` on the
  warm table, against SQLite ``GROUP BY`` (with ``json_each`` for the issue lists);
* ``emerging_terms`` between two periods against a scikit-learn ``CountVectorizer``
  (binary, words and bigrams, English stopwords) fitted on the same texts;
* ``Corpus.dossier(country)`` from a cold Corpus for the five States with the most
  recommendations, median, against reading their rows with SQL;
* ``Corpus.repeated()`` over every State from a cold Corpus, against scikit-learn TF-IDF
  (words and bigrams) and the similarity matrix computed State by State.

    python bench/analysis.py              # 30,257 recommendations
    python bench/analysis.py --n 100000   # grown
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

from _upr import timed, upr_info_corpus

from rightsindex.corpus.api import open_corpus
from rightsindex.corpus.store import Store


def grow(folder: Path, n: int) -> int:
    with Store.open(folder) as store:
        total = store.count_recommendations()
        docs = list(store.documents())
        k = 1
        while total < n:
            for doc_id, doc in docs:
                if total >= n:
                    break
                rows = store.conn.execute("SELECT id FROM recommendations WHERE document_id=?", (doc_id,))
                ids = [r[0] for r in rows]
                recs = [s.recommendation for s in store.recommendations(ids=ids, with_tags=False)]
                copy = replace(doc, sha256=f"{k:04d}{doc.sha256[4:]}", source_path=f"{doc.source_path}#{k}",
                               year=(doc.year or 2008) + 6 * k, cycle=(doc.cycle or 1) + 2 * k)
                store.add_document(copy, [], recs)
                total += len(recs)
            k += 1
        return store.count_recommendations()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=0, help="grow the corpus to this many recommendations")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = upr_info_corpus(Path(tmp) / "corpus")
        n = grow(folder, args.n) if args.n else Store(folder).count_recommendations()
        print(f"corpus: {n:,} recommendations")

        sql = Store(folder).conn

        def read_sql():  # type: ignore[no-untyped-def]
            return sql.execute("SELECT r.*, d.* FROM recommendations r JOIN documents d "
                               "ON d.id = r.document_id").fetchall()

        base_load, _ = timed(read_sql)
        corpus = open_corpus(folder)
        load, df = timed(corpus.recommendations)
        print(f"recommendations table: {load:.2f} s; SQL read of the same rows {base_load:.2f} s; "
              f"ratio {load / base_load:.1f}x")

        t_resp, table = timed(lambda: corpus.trends(by="year", split="response"), 5)
        b_resp, _ = timed(lambda: sql.execute(
            "SELECT d.year, r.response, COUNT(*) FROM recommendations r JOIN documents d "
            "ON d.id = r.document_id GROUP BY 1, 2").fetchall(), 5)
        print(f"trends year x response: {t_resp * 1000:.0f} ms; SQL GROUP BY {b_resp * 1000:.0f} ms; "
              f"ratio {t_resp / b_resp:.1f}x")
        t_iss, _ = timed(lambda: corpus.trends(by="year", split="issue"), 3)
        b_iss, _ = timed(lambda: sql.execute(
            "SELECT d.year, j.value, COUNT(*) FROM recommendations r JOIN documents d "
            "ON d.id = r.document_id, json_each(r.issues) j GROUP BY 1, 2").fetchall(), 3)
        print(f"trends year x issue (multi-label): {t_iss * 1000:.0f} ms; SQL json_each GROUP BY "
              f"{b_iss * 1000:.0f} ms; ratio {t_iss / b_iss:.1f}x")

        from sklearn.feature_extraction.text import CountVectorizer

        t_em, terms = timed(lambda: corpus.emerging_terms("2008-2010", "2011-2013"))
        texts = df[df["year"].between(2008, 2013)]["text"].tolist()
        b_em, _ = timed(lambda: CountVectorizer(binary=True, ngram_range=(1, 2),
                                                stop_words="english").fit_transform(texts))
        print(f"emerging terms 2008-2010 -> 2011-2013 ({len(texts):,} texts): {t_em:.2f} s; "
              f"CountVectorizer words+bigrams {b_em:.2f} s; ratio {t_em / b_em:.1f}x; "
              f"top: {', '.join(terms['term'].head(5))}")

        top = df["country_code"].value_counts().head(5).index.tolist()
        d_times, b_times, sizes = [], [], []
        for code in top:
            t, d = timed(lambda code=code: open_corpus(folder).dossier(code))
            b, _ = timed(lambda code=code: sql.execute(
                "SELECT r.* FROM recommendations r JOIN documents d ON d.id = r.document_id "
                "WHERE d.country_code = ?", (code,)).fetchall())
            d_times.append(t)
            b_times.append(b)
            sizes.append(f"{code} {d.total} recs/{len(d.clusters)} clusters")
        print(f"dossier (cold corpus), median of {len(top)}: {statistics.median(d_times):.2f} s; "
              f"SQL read of the State's rows {statistics.median(b_times) * 1000:.1f} ms; "
              f"ratio {statistics.median(d_times) / statistics.median(b_times):.0f}x ({'; '.join(sizes)})")

        # repeated: every State's recommendations clustered at once, against the bare core of that
        # work: scikit-learn TF-IDF (words and two-word phrases) and the similarities, State by State
        t_rep, rep = timed(lambda: open_corpus(folder).repeated())
        by_state = [g.tolist() for _, g in df.groupby("country_code")["text"]]

        def tfidf_per_state() -> None:
            from sklearn.feature_extraction.text import TfidfVectorizer

            for texts in by_state:
                if len(texts) > 1:
                    m = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
                    (m @ m.T).tocsr()

        b_rep, _ = timed(tfidf_per_state)
        print(f"repeated, every State ({len(by_state)}; cold corpus): {t_rep:.2f} s, {len(rep):,} groups; "
              f"TF-IDF and similarities per State {b_rep:.2f} s; ratio {t_rep / b_rep:.1f}x")


if __name__ == "__main__":
    main()
