"""The corpus: the SQLite store (source of truth) and bundled sample documents."""

from rightsindex.corpus.store import SCHEMA_VERSION, Store, StoredRecommendation, default_corpus_dir

__all__ = ["SCHEMA_VERSION", "Store", "StoredRecommendation", "default_corpus_dir"]
