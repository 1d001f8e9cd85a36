"""Text features: word and character n-gram TF-IDF, as a scikit-learn transformer.

Input is the lemma string of :class:`rightsindex.nlp.lexicon.Analysis`. The
learned state is plain data (two vocabularies and two idf vectors), so a
fitted :class:`TextFeatures` is saved as JSON + arrays and rebuilt without
pickle (:meth:`TextFeatures.from_state`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

__all__ = ["TextFeatures", "word_analyzer"]

_PREFIX_WORDS = 3


def word_analyzer(text: str) -> list[str]:
    """Unigrams, bigrams and the opening words (``^1=continue``), which carry the action category."""
    toks = text.split()
    feats = list(toks)
    feats.extend(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    head = toks[:_PREFIX_WORDS]
    for i, tok in enumerate(head):
        feats.append(f"^{i + 1}={tok}")
    if len(head) >= 2:
        feats.append(f"^12={head[0]}_{head[1]}")
    if len(head) >= 3:
        feats.append(f"^13={head[0]}_{head[2]}")
    return feats


def _as_strings(X: Any) -> list[str]:
    if isinstance(X, str):
        raise ValueError("TextFeatures expects a sequence of strings, not one string")
    return [str(x) for x in X]


class TextFeatures(TransformerMixin, BaseEstimator):
    """Word (1-2 grams + opening words) and char_wb n-gram TF-IDF, each block L2-normalised.

    Parameters are stored untouched; learned state ends with ``_``:
    ``vocabulary_word_``, ``idf_word_``, ``vocabulary_char_``, ``idf_char_``.
    """

    def __init__(
        self,
        max_word_features: int = 40000,
        max_char_features: int = 40000,
        char_ngram_range: tuple[int, int] = (2, 5),
        min_df: int = 2,
        char_weight: float = 1.0,
    ) -> None:
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.char_weight = char_weight

    def fit(self, X: Sequence[str], y: Any = None) -> TextFeatures:
        docs = _as_strings(X)
        min_df = self.min_df if len(docs) >= 2 * self.min_df else 1
        word = TfidfVectorizer(
            analyzer=word_analyzer, max_features=self.max_word_features, min_df=min_df,
            sublinear_tf=True, dtype=np.float32,
        ).fit(docs)
        self.vocabulary_word_ = {k: int(v) for k, v in word.vocabulary_.items()}
        self.idf_word_ = word.idf_.astype(np.float32)
        if self.max_char_features > 0:
            char = TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.char_ngram_range),
                max_features=self.max_char_features, min_df=min_df, sublinear_tf=True,
                dtype=np.float32,
            ).fit(docs)
            self.vocabulary_char_ = {k: int(v) for k, v in char.vocabulary_.items()}
            self.idf_char_ = char.idf_.astype(np.float32)
        else:
            self.vocabulary_char_ = {}
            self.idf_char_ = np.zeros(0, dtype=np.float32)
        self.n_features_out_ = len(self.vocabulary_word_) + len(self.vocabulary_char_)
        self._counters = None
        return self

    def _build_counters(self) -> tuple[CountVectorizer, CountVectorizer | None]:
        counters = getattr(self, "_counters", None)
        if counters is None:
            word = CountVectorizer(analyzer=word_analyzer, vocabulary=self.vocabulary_word_,
                                   dtype=np.float32)
            char = None
            if self.vocabulary_char_:
                char = CountVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngram_range),
                                       vocabulary=self.vocabulary_char_, dtype=np.float32)
            counters = (word, char)
            self._counters = counters
        return counters

    @staticmethod
    def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        counts = counts.tocsr().astype(np.float32)
        np.log(counts.data, out=counts.data)
        counts.data += 1.0
        counts = counts @ sp.diags(idf)
        return normalize(counts, copy=False).tocsr()

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_word_")
        docs = _as_strings(X)
        word, char = self._build_counters()
        blocks = [self._tfidf(word.transform(docs), self.idf_word_)]
        if char is not None:
            blocks.append(self._tfidf(char.transform(docs), self.idf_char_) * self.char_weight)
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def feature_names(self) -> list[str]:
        """Names of the output columns (word features, then ``char:`` features)."""
        check_is_fitted(self, "vocabulary_word_")
        names = [""] * self.n_features_out_
        for term, i in self.vocabulary_word_.items():
            names[i] = term
        off = len(self.vocabulary_word_)
        for term, i in self.vocabulary_char_.items():
            names[off + i] = "char:" + term
        return names

    # -- persistence (no pickle) ------------------------------------------------------
    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON-able parameters and vocabularies, and the idf arrays."""
        check_is_fitted(self, "vocabulary_word_")
        meta = {
            "params": {**self.get_params(), "char_ngram_range": list(self.char_ngram_range)},
            "vocabulary_word": self.vocabulary_word_,
            "vocabulary_char": self.vocabulary_char_,
        }
        return meta, {"idf_word": self.idf_word_, "idf_char": self.idf_char_}

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> TextFeatures:
        """Rebuild a fitted transformer from :meth:`get_state` output (raises ValueError if inconsistent)."""
        params = dict(meta["params"])
        params["char_ngram_range"] = tuple(params["char_ngram_range"])
        self = cls(**params)
        self.vocabulary_word_ = {str(k): int(v) for k, v in meta["vocabulary_word"].items()}
        self.vocabulary_char_ = {str(k): int(v) for k, v in meta["vocabulary_char"].items()}
        self.idf_word_ = np.asarray(arrays["idf_word"], dtype=np.float32)
        self.idf_char_ = np.asarray(arrays["idf_char"], dtype=np.float32)
        for vocab, idf, name in ((self.vocabulary_word_, self.idf_word_, "word"),
                                 (self.vocabulary_char_, self.idf_char_, "char")):
            if len(vocab) != idf.shape[0] or (vocab and sorted(vocab.values()) != list(range(len(vocab)))):
                raise ValueError(f"{name} vocabulary and idf do not match")
        self.n_features_out_ = len(self.vocabulary_word_) + len(self.vocabulary_char_)
        self._counters = None
        return self
