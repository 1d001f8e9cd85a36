"""The tagging model: features, one classifier head per tag family, and the decision rule.

The decision combines lexicon and model. Each head gives a calibrated
probability per label; a label is given when the probability reaches the
label's threshold, which is lower when the lexicon matched the text
(``threshold_lex``) than when it did not (``threshold``). Both are tuned by
cross-validation. A tag's ``source`` says which side carried it: ``both``
(lexicon matched and the model alone would have tagged), ``lexicon`` (the
lexicon match tipped it) or ``model`` (no lexicon match).

Saved without pickle: one ``.npz`` (zip) archive holding ``.npy`` arrays and a
``model.json`` member (parameters, vocabularies, label lists, version, and a
sha256 over the JSON and every array). Loading checks all of it and raises
:class:`~rightsindex.errors.ModelError` naming the file.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from rightsindex.errors import ModelError
from rightsindex.nlp import taxonomy
from rightsindex.nlp.classifier import LinearMultiLabel, best_threshold
from rightsindex.nlp.classifier import sigmoid as _sigmoid
from rightsindex.nlp.features import TextFeatures
from rightsindex.nlp.lexicon import Analysis
from rightsindex.records import Tag

__all__ = ["Head", "TaggingModel", "FORMAT", "FORMAT_VERSION", "LEX_FAMILIES", "COMBINER_FEATURES",
           "COMBINER_FAMILY_FEATURES", "combiner_features", "fit_combiner"]

FORMAT = "rightsindex-tagging-model"
FORMAT_VERSION = 1
#: Families the lexicon covers.
LEX_FAMILIES = ("esc_rights", "fiscal", "groups")
_JSON_MEMBER = "model.json"
_MIN_POS_FOR_SPLIT = 3
#: A label of a lexicon family with fewer positive training rows than this is decided by the lexicon.
MIN_MODEL_POSITIVES = 10


@dataclass
class Head:
    """The classifier of one tag family and its decision thresholds."""

    family: str
    labels: list[str]
    clf: LinearMultiLabel
    threshold: np.ndarray  # per label, when the lexicon did not match
    threshold_lex: np.ndarray  # per label, when the lexicon matched
    #: weights of the lexicon-model combiner (:data:`COMBINER_FEATURES`, then the intercept), or None
    combiner: np.ndarray | None = None
    #: the combiner's probability cut (one per family)
    combiner_threshold: float = 0.5
    #: labels with too few training examples for the model (:data:`MIN_MODEL_POSITIVES`): the
    #: lexicon's match decides them alone
    lexicon_only: np.ndarray | None = None
    #: what the combiner was fitted on (out-of-fold probabilities, truth, analyses of the tuning
    #: rows), kept in memory after training (never saved): bench/tagging.py refits the combiner with
    #: other splits from it to measure how much its cut varies
    combiner_inputs: tuple[np.ndarray, np.ndarray, list[Analysis]] | None = None

    @property
    def multiclass(self) -> bool:
        return not self.clf.multilabel_


@dataclass
class TaggingModel:
    """Features + heads + lexicon columns; :meth:`tags` turns analyses into :class:`Tag` lists."""

    features: TextFeatures
    heads: dict[str, Head]
    lexicon_keys: list[tuple[str, str]]
    lexicon_weight: float = 0.5
    info: dict[str, Any] = field(default_factory=dict)
    version: str = "unsaved"
    #: sorted 64-bit hashes of the training texts (:func:`text_hashes`), so that an evaluation
    #: can say when its gold texts were trained on
    trained_on: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    def seen(self, texts: Sequence[str]) -> np.ndarray:
        """Which of ``texts`` this model was trained on (a boolean per text)."""
        if not len(self.trained_on):
            return np.zeros(len(texts), dtype=bool)
        return np.isin(_hash_each(texts), self.trained_on)

    # -- features --------------------------------------------------------------------
    def matrix(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        """TF-IDF features of the lemma strings plus lexicon columns.

        Per lexicon label: one column when it matched (more for more matches, capped at 3),
        one when it matched in the first sentence (what a long paragraph is about).
        """
        text = self.features.transform([a.lemmas for a in analyses])
        col = {key: i for i, key in enumerate(self.lexicon_keys)}
        nk = len(self.lexicon_keys)
        rows, cols, vals = [], [], []
        for r, a in enumerate(analyses):
            for key in a.matches:
                c = col.get(key)
                if c is None:
                    continue
                rows.append(r)
                cols.append(c)
                vals.append(min(a.counts.get(key, 1), 3) / 3.0 + 0.5)
                if key in a.lead:
                    rows.append(r)
                    cols.append(nk + c)
                    vals.append(1.0)
        lex = sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32) * self.lexicon_weight, (rows, cols)),
            shape=(len(analyses), 2 * nk),
        )
        return sp.hstack([text, lex], format="csr", dtype=np.float32)

    # -- training --------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        analyses: Sequence[Analysis],
        targets: dict[str, np.ndarray],
        *,
        sample_weight: np.ndarray | None = None,
        tune_rows: dict[str, np.ndarray] | None = None,
        features: TextFeatures | None = None,
        head_params: dict[str, dict[str, Any]] | None = None,
        lexicon_keys: Sequence[tuple[str, str]] = (),
        lexicon_weight: float = 0.5,
        progress: Any = None,
    ) -> TaggingModel:
        """Train every family in ``targets``.

        ``targets[family]`` is, for a multi-label family, an (n, labels) matrix of 1 / 0 / -1
        (-1: unknown for that row); for ``action_category`` a length-n array of "1".."5"
        or "" (unknown). Rows with nothing known for a family are left out of its head.
        ``tune_rows[family]`` (bool mask) picks the rows whose out-of-fold
        probabilities tune the thresholds (e.g. the human annotations); default all known rows.
        """
        features = features if features is not None else TextFeatures()
        features.fit([a.lemmas for a in analyses])
        model = cls(features=features, heads={}, lexicon_keys=list(lexicon_keys),
                    lexicon_weight=lexicon_weight)
        X = model.matrix(analyses)
        w_all = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        fams = [f for f in taxonomy.FAMILIES if f in targets]
        for step, family in enumerate(fams):
            labels = taxonomy.labels(family)
            params = {"C": 1.0, "cv": 3, "max_coefs": 4000, **((head_params or {}).get(family, {}))}
            clf = LinearMultiLabel(**params)
            y = np.asarray(targets[family])
            if taxonomy.kind(family) == "multiclass":
                rows = np.array([bool(v) for v in y])
                clf.fit(X[rows], y[rows], sample_weight=None if w_all is None else w_all[rows])
                k = len(clf.classes_)
                head = Head(family, [str(c) for c in clf.classes_], clf, np.full(k, 0.5), np.full(k, 0.5))
            else:
                rows = (y >= 0).any(axis=1)
                Yr = y[rows]
                clf.fit(X[rows], Yr, sample_weight=None if w_all is None else w_all[rows])
                tune = rows if tune_rows is None or family not in tune_rows else (tune_rows[family] & rows)
                tune_sub = tune[rows]
                tune_an = [analyses[i] for i in np.flatnonzero(rows)[tune_sub]]
                t, t_lex = _tune_thresholds(clf.oof_proba_[tune_sub], Yr[tune_sub], tune_an, family, labels)
                head = Head(family, labels, clf, t, t_lex)
                if family in LEX_FAMILIES:
                    head.lexicon_only = (Yr == 1).sum(axis=0) < MIN_MODEL_POSITIVES
                if family in LEX_FAMILIES and tune_rows is not None and family in tune_rows:
                    fitted = fit_combiner(clf.oof_proba_[tune_sub], Yr[tune_sub], tune_an, family, labels)
                    if fitted is not None:
                        head.combiner, head.combiner_threshold = fitted
                        head.combiner_inputs = (clf.oof_proba_[tune_sub], Yr[tune_sub], tune_an)
            model.heads[family] = head
            if progress is not None:
                progress(step + 1, len(fams))
        model.info = {
            "trained": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "rows": int(len(analyses)),
        }
        return model

    # -- prediction ------------------------------------------------------------------
    def probabilities(self, analyses: Sequence[Analysis]) -> dict[str, np.ndarray]:
        """Calibrated probabilities per family (rows = texts, columns = head labels)."""
        X = self.matrix(analyses)
        return {family: head.clf.predict_proba(X) for family, head in self.heads.items()}

    def decide(self, analyses: Sequence[Analysis], proba: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """0/1 decisions per family (multi-class: one-hot of the arg-max) under the lexicon-aware rule."""
        out: dict[str, np.ndarray] = {}
        for family, head in self.heads.items():
            p = proba[family]
            lex = None
            if head.multiclass:
                dec = np.zeros_like(p, dtype=np.int8)
                dec[np.arange(len(p)), np.argmax(p, axis=1)] = 1
            elif head.combiner is not None:
                cells = combiner_features(p, analyses, family, head.labels)
                dec = (_sigmoid(cells @ head.combiner[:-1] + head.combiner[-1])
                       >= head.combiner_threshold).astype(np.int8)
            else:
                lex = self._lex_mask(analyses, family, head.labels)
                dec = (p >= np.where(lex, head.threshold_lex[None, :], head.threshold[None, :])).astype(np.int8)
            sure = _sure_mask(analyses, family, head.labels)
            if sure is not None:
                dec = np.maximum(dec, sure.astype(dec.dtype))
            if head.lexicon_only is not None and head.lexicon_only.any():
                only = head.lexicon_only
                if lex is None:
                    lex = self._lex_mask(analyses, family, head.labels)
                dec[:, only] = lex[:, only]
            out[family] = dec
        return out

    @staticmethod
    def _lex_mask(analyses: Sequence[Analysis], family: str, labels: Sequence[str]) -> np.ndarray:
        mask = np.zeros((len(analyses), len(labels)), dtype=bool)
        if family in LEX_FAMILIES:
            index = {lab: j for j, lab in enumerate(labels)}
            for r, a in enumerate(analyses):
                for fam, lab in a.matches:
                    if fam == family and lab in index:
                        mask[r, index[lab]] = True
        return mask

    def tags(self, analyses: Sequence[Analysis], *, evidence: bool = True) -> list[list[Tag]]:
        """The tags of each analysed text, with source, score, evidence and this model's version."""
        if not analyses:
            return []
        X = self.matrix(analyses)
        proba = {family: head.clf.predict_proba(X) for family, head in self.heads.items()}
        decisions = self.decide(analyses, proba)
        names = self._word_names() if evidence else []
        n_word = len(self.features.vocabulary_word_)
        out: list[list[Tag]] = [[] for _ in analyses]
        for family, head in self.heads.items():
            p, dec = proba[family], decisions[family]
            rows, cols = np.nonzero(dec)
            for r, j in zip(rows.tolist(), cols.tolist(), strict=True):
                label = head.labels[j]
                score = float(p[r, j])
                matched = analyses[r].matches.get((family, label), ())
                if head.multiclass:
                    source = "model"
                    ev: tuple[str, ...] = _opening(analyses[r])
                elif matched:
                    alone = head.lexicon_only is not None and head.lexicon_only[j]
                    source = "both" if score >= head.threshold[j] and not alone else "lexicon"
                    ev = matched
                else:
                    source = "model"
                    ev = (_as_written(self._model_evidence(X, r, head, j, names, n_word), analyses[r])
                          if evidence else ())
                out[r].append(Tag(family=family, label=label, source=source, score=round(score, 4),
                                  evidence=ev, model_version=self.version))
        return out

    def _word_names(self) -> list[str]:
        cached = getattr(self, "_names_cache", None)
        if cached is None:
            cached = [""] * len(self.features.vocabulary_word_)
            for term, i in self.features.vocabulary_word_.items():
                cached[i] = term
            self._names_cache = cached
        return cached

    @staticmethod
    def _model_evidence(X: sp.csr_matrix, r: int, head: Head, j: int, names: list[str],
                        n_word: int, top: int = 3) -> tuple[str, ...]:
        """The word n-grams of the text that pushed this label up the most."""
        start, end = X.indptr[r], X.indptr[r + 1]
        idx = X.indices[start:end]
        keep = idx < n_word
        idx = idx[keep]
        if idx.size == 0:
            return ()
        contrib = X.data[start:end][keep] * head.clf.coef_[j, idx]
        order = np.argsort(-contrib)[:top]
        return tuple(names[idx[i]] for i in order if contrib[i] > 0 and not names[idx[i]].startswith("^"))

    # -- persistence -----------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> str:
        """Write the model to ``path`` (an .npz archive without pickle). Returns its version."""
        fmeta, farrays = self.features.get_state()
        arrays: dict[str, np.ndarray] = {f"features.{k}": v for k, v in farrays.items()}
        heads_meta: dict[str, Any] = {}
        for family, head in self.heads.items():
            cmeta, carrays = head.clf.get_state()
            heads_meta[family] = {"labels": head.labels, "classifier": cmeta}
            arrays.update({f"{family}.{k}": v for k, v in carrays.items()})
            arrays[f"{family}.threshold_nolex"] = np.asarray(head.threshold, dtype=np.float64)
            arrays[f"{family}.threshold_lex"] = np.asarray(head.threshold_lex, dtype=np.float64)
            if head.combiner is not None:
                arrays[f"{family}.combiner"] = np.r_[head.combiner, head.combiner_threshold].astype(np.float64)
            if head.lexicon_only is not None:
                arrays[f"{family}.lexicon_only"] = np.asarray(head.lexicon_only, dtype=np.int8)
        if len(self.trained_on):
            arrays["training.text_hashes"] = np.asarray(self.trained_on, dtype=np.uint64)
        payload = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "taxonomy_version": taxonomy.VERSION,
            "info": self.info,
            "features": fmeta,
            "lexicon_keys": [list(k) for k in self.lexicon_keys],
            "lexicon_weight": self.lexicon_weight,
            "heads": heads_meta,
            "arrays": {k: {"dtype": str(v.dtype), "shape": list(v.shape)} for k, v in sorted(arrays.items())},
        }
        digest = _checksum(payload, arrays)
        payload["sha256"] = digest
        payload["version"] = f"{taxonomy.VERSION}+{digest[:12]}"
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(_JSON_MEMBER, json.dumps(payload, ensure_ascii=False, sort_keys=True))
            for name, arr in sorted(arrays.items()):
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
                zf.writestr(name + ".npy", buf.getvalue())
        os.replace(tmp, path)
        self.version = payload["version"]
        return self.version

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TaggingModel:
        """Read a model saved by :meth:`save`; any problem is a one-line :class:`ModelError`."""
        path = Path(path)
        if not path.is_file():
            raise ModelError(f"{path}: no such model file")
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if _JSON_MEMBER not in names:
                    raise ModelError(f"{path}: not a rightsindex model (no {_JSON_MEMBER} inside)")
                payload = json.loads(zf.read(_JSON_MEMBER).decode("utf-8"))
                if not isinstance(payload, dict) or payload.get("format") != FORMAT:
                    raise ModelError(f"{path}: not a rightsindex tagging model")
                fv = payload.get("format_version")
                if fv != FORMAT_VERSION:
                    raise ModelError(
                        f"{path}: incompatible model format version {fv} (this rightsindex reads "
                        f"{FORMAT_VERSION}); retrain it with 'rightsindex train'"
                    )
                arrays: dict[str, np.ndarray] = {}
                for name in payload["arrays"]:
                    member = name + ".npy"
                    if member not in names:
                        raise ModelError(f"{path}: array {name!r} is missing; the model file is damaged")
                    arrays[name] = np.lib.format.read_array(io.BytesIO(zf.read(member)), allow_pickle=False)
        except ModelError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, UnicodeDecodeError) as exc:
            raise ModelError(f"{path}: not a readable model archive ({exc}); the file is corrupted") from exc
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"{path}: malformed model contents ({exc!s:.120})") from exc
        stated = payload.pop("sha256", None)
        version = payload.pop("version", None)
        if not stated or _checksum(payload, arrays) != stated:
            raise ModelError(f"{path}: checksum mismatch; the model file is corrupted or was modified")
        if payload.get("taxonomy_version") != taxonomy.VERSION:
            raise ModelError(
                f"{path}: model trained for taxonomy {payload.get('taxonomy_version')}, this rightsindex "
                f"has taxonomy {taxonomy.VERSION}; retrain it with 'rightsindex train'"
            )
        try:
            features = TextFeatures.from_state(payload["features"], {
                k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("features.")})
            heads: dict[str, Head] = {}
            unknown_fam = set(payload["heads"]) - set(taxonomy.FAMILIES)
            if unknown_fam:
                raise ValueError(f"unknown tag family {sorted(unknown_fam)[0]!r}")
            for family in [f for f in taxonomy.FAMILIES if f in payload["heads"]]:
                hmeta = payload["heads"][family]
                sub = {k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith(family + ".")}
                clf = LinearMultiLabel.from_state(hmeta["classifier"], sub)
                labels = [str(x) for x in hmeta["labels"]]
                unknown = set(labels) - set(taxonomy.labels(family))
                if unknown:
                    raise ValueError(f"labels not in the taxonomy: {sorted(unknown)[:3]}")
                heads[family] = Head(family, labels, clf, sub["threshold_nolex"], sub["threshold_lex"])
                if "combiner" in sub:
                    comb = np.asarray(sub["combiner"], dtype=np.float64)
                    want = len(COMBINER_FEATURES) + 2  # the weights, the intercept, the cut
                    if comb.shape == (_COMBINER_FEATURES_0_1 + 2,):
                        # a 0.1.0 model: the features added since read 0 weight, as they were absent
                        comb = np.r_[comb[:-2], np.zeros(want - comb.size), comb[-2:]]
                    if comb.shape != (want,):
                        raise ValueError(f"{family} combiner reads {comb.size - 2} features, not "
                                         f"{want - 2}; retrain it with 'rightsindex train'")
                    heads[family].combiner, heads[family].combiner_threshold = comb[:-1], float(comb[-1])
                if "lexicon_only" in sub:
                    only = np.asarray(sub["lexicon_only"]).astype(bool)
                    if only.shape != (len(labels),):
                        raise ValueError(f"{family} lexicon_only has {only.shape} values, not {len(labels)}")
                    heads[family].lexicon_only = only
            model = cls(features=features, heads=heads,
                        lexicon_keys=[(str(a), str(b)) for a, b in payload["lexicon_keys"]],
                        lexicon_weight=float(payload["lexicon_weight"]), info=dict(payload.get("info", {})),
                        version=str(version),
                        trained_on=np.asarray(arrays.get("training.text_hashes", np.zeros(0)), dtype=np.uint64))
            expected = features.n_features_out_ + 2 * len(model.lexicon_keys)
            for family, head in heads.items():
                if head.clf.n_features_in_ != expected:
                    raise ValueError(f"{family} head expects {head.clf.n_features_in_} features, not {expected}")
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise ModelError(f"{path}: incompatible model contents ({exc!s:.160})") from exc
        return model


_WORD = re.compile(r"\w[\w'’\-]*")
#: A list marker before a recommendation's first word: "(a)", "b)", "iv.".
_LIST_MARKER = re.compile(r"^\s*\(?(?:[a-z]|[ivx]{1,4}|\d{1,3})[.)]\s+", re.I)
#: Words that do not end the opening phrase shown as the action category's evidence.
_OPENING_FILLER = frozenset({"to", "the", "a", "an", "its", "all", "and", "further", "also", "take"})


def _opening(analysis: Analysis) -> tuple[str, ...]:
    """The opening words that carry the action category, as one phrase as the text writes it:
    'Continue to promote', 'Ratify the ICESCR', 'Consider ratifying' (three words, without a
    trailing filler word, after a list marker such as '(a)')."""
    text = analysis.text
    marker = _LIST_MARKER.match(text)
    spans = [m.span() for m in islice(_WORD.finditer(text, marker.end() if marker else 0), 3)]
    while len(spans) > 1 and text[spans[-1][0]:spans[-1][1]].lower() in _OPENING_FILLER:
        spans.pop()
    if not spans:
        return ()
    return (text[spans[0][0]:spans[-1][1]],)


def _as_written(grams: Sequence[str], analysis: Analysis) -> tuple[str, ...]:
    """Lemma n-grams (model evidence) as the words the text has there: 'house' -> 'housing'."""
    lemmas, words = analysis.lemmas.split(), analysis.words
    if len(words) != len(lemmas):
        return tuple(grams)
    out: list[str] = []
    for gram in grams:
        parts = gram.split()
        n = len(parts)
        shown = gram
        for i in range(len(lemmas) - n + 1):
            if lemmas[i:i + n] == parts:
                shown = " ".join(words[i:i + n])
                break
        if shown not in out:
            out.append(shown)
    return tuple(out)


def _hash_each(texts: Sequence[str]) -> np.ndarray:
    """A 64-bit hash per text, blind to case and spacing."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(" ".join(t.lower().split()).encode("utf-8"), digest_size=8).digest(),
                        "little") for t in texts),
        dtype=np.uint64, count=len(texts),
    )


def text_hashes(texts: Sequence[str]) -> np.ndarray:
    """Sorted unique 64-bit hashes of texts (what :attr:`TaggingModel.trained_on` holds)."""
    return np.unique(_hash_each(texts))


def _checksum(payload: dict[str, Any], arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    for name in sorted(arrays):
        arr = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{arr.dtype.str}|{arr.shape}".encode())
        h.update(arr.tobytes())
    return h.hexdigest()


#: A text of at most this many sentences that names a "sure" phrase of the lexicon (the ICESCR for
#: esc_general: "ratify the ICESCR or its Optional Protocol" is ESC rights in general, by the
#: guidelines) has the label whatever the combiner says; in a longer paragraph it may be in passing.
SURE_MAX_SENTENCES = 2


def _sure_mask(analyses: Sequence[Analysis], family: str, labels: Sequence[str]) -> np.ndarray | None:
    from rightsindex.nlp.lexicon import sure_key, sure_phrases

    sure = sure_phrases().get(family)
    if not sure:
        return None
    mask = np.zeros((len(analyses), len(labels)), dtype=bool)
    for j, label in enumerate(labels):
        phrases = sure.get(label)
        if not phrases:
            continue
        for r, a in enumerate(analyses):
            if a.sentences <= SURE_MAX_SENTENCES and any(
                    sure_key(p) in phrases for p in a.matches.get((family, label), ())):
                mask[r, j] = True
    return mask


_GRID = np.array([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01])
#: Below this many tuning rows, thresholds are tuned per family (two numbers), not per label.
PER_LABEL_MIN_ROWS = 2000


def _family_thresholds(proba: np.ndarray, Y: np.ndarray, lex: np.ndarray) -> tuple[float, float]:
    """The (no-lexicon, lexicon) threshold pair that maximises micro-F1 over known cells."""
    known = Y >= 0
    pos = (Y == 1) & known
    best = (-1.0, 0.5, 0.5)
    for t_nolex in _GRID:
        for t_lex in _GRID:
            pred = np.where(lex, proba >= t_lex, proba >= t_nolex) & known
            tp = (pred & pos).sum()
            denom = pred.sum() + pos.sum()
            f1 = 2 * tp / denom if denom else 0.0
            if f1 > best[0]:
                best = (f1, float(t_nolex), float(t_lex))
    return best[1], best[2]


def _tune_thresholds(
    proba: np.ndarray, Y: np.ndarray, analyses: Sequence[Analysis], family: str, labels: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Thresholds without and with a lexicon match.

    With few tuning rows (the annotations), one pair per family chosen on
    micro-F1 (per-label cuts overfit 300 texts); with many rows, per label.
    """
    k = proba.shape[1]
    lex = TaggingModel._lex_mask(analyses, family, labels)
    if len(Y) < PER_LABEL_MIN_ROWS:
        if family not in LEX_FAMILIES:
            lex = np.zeros_like(lex)
        t_nolex, t_lex = _family_thresholds(proba, Y, lex)
        return np.full(k, t_nolex), np.full(k, t_lex)
    t = np.full(k, 0.5)
    t_lex = np.full(k, 0.5)
    for j in range(k):
        known = Y[:, j] >= 0
        p, y, m = proba[known, j], Y[known, j], lex[known, j]
        base = best_threshold(p, y)
        t[j] = t_lex[j] = base
        if family not in LEX_FAMILIES:
            continue
        split_lex = (y[m] == 1).sum() >= _MIN_POS_FOR_SPLIT
        if split_lex:
            t_lex[j] = best_threshold(p[m], y[m], default=base)
        if (y[~m] == 1).sum() >= _MIN_POS_FOR_SPLIT:
            # each cut maximises the label's F1 over ALL its rows, the other cut held: tuned on its
            # own rows alone, the cut without a lexicon match fell to 0.01-0.08 for groups, where
            # positives without the words are few (a 9% 'women' on "minimum pension and child
            # benefits")
            t[j] = _cut_given(p[~m], y[~m], p[m] >= t_lex[j], y[m], default=base)
            if split_lex:
                t_lex[j] = _cut_given(p[m], y[m], p[~m] >= t[j], y[~m], default=base)
        elif (~m).any():
            t[j] = max(base, 0.5)
    return t, t_lex


def _cut_given(p: np.ndarray, y: np.ndarray, taken: np.ndarray, y_rest: np.ndarray,
               *, default: float) -> float:
    """The cut on ``p`` that maximises F1 over these rows and the rest, of which ``taken`` are
    predicted positive (truth ``y_rest``); above every score (1.01) if predicting none is best."""
    y = y == 1
    pos_all = float(y.sum() + (y_rest == 1).sum())
    if not len(p) or not pos_all:
        return default
    tp_rest, pred_rest = float((taken & (y_rest == 1)).sum()), float(taken.sum())
    order = np.argsort(-p, kind="stable")
    ps = p[order]
    f1 = 2 * (tp_rest + np.cumsum(y[order])) / (pred_rest + np.arange(1, len(ps) + 1) + pos_all)
    f1 = np.where(np.r_[ps[1:] != ps[:-1], True], f1, -1.0)  # only cut between distinct scores
    i = int(np.argmax(f1))
    if 2 * tp_rest / (pred_rest + pos_all) >= f1[i]:
        return 1.01
    nxt = ps[i + 1] if i + 1 < len(ps) else 0.0
    return float(max(min((ps[i] + nxt) / 2.0, 0.99), 0.01))


#: What the lexicon-model combiner reads for each (text, label) cell: is the label
#: what the text is ABOUT, or named in passing? (See :func:`combiner_features`.)
COMBINER_FEATURES = (
    "model_logit",  # the head's calibrated log-odds
    "matched",  # the lexicon matched the label
    "log_count",  # log(1 + matches of the label)
    "lead",  # matched in the first sentence
    "share",  # the label's share of the family's matches in the text
    "top",  # the label has the most matches of its family in the text
    "matched_x_log_sentences",  # a match in a long paragraph says less
    "log_sentences",
    "log_labels",  # log(1 + labels of the family matched): of many rights named, each is less the subject
    "model_logit_x_log_sentences",  # how much the model's score says depends on the text's length
    "first",  # where the label is first matched (0 = the start; 1 when not matched)
    "log_longest",  # log(1 + tokens of its longest match): "right to adequate housing" over "housing"
    "framed",  # matched as a right's name ("the right to ...")
)
#: How many of :data:`COMBINER_FEATURES` models saved by rightsindex 0.1.0 read (the first ones).
_COMBINER_FEATURES_0_1 = 10
#: Features read for these families only (0 elsewhere): ESC rights are often named together in long
#: paragraphs, and a right is named as one ("the right to ..."); on fiscal labels these features did
#: not help in cross-validation.
COMBINER_FAMILY_FEATURES = {"log_labels": ("esc_rights",), "model_logit_x_log_sentences": ("esc_rights",),
                            "first": ("esc_rights",), "log_longest": ("esc_rights",), "framed": ("esc_rights",)}
_FIRST, _LONGEST, _FRAMED = (COMBINER_FEATURES.index(n) for n in ("first", "log_longest", "framed"))
#: Regularisation of the combiner (a pooled logistic regression over cells).
COMBINER_C = 1.0
_COMBINER_FOLDS = 5
_COMBINER_MIN_ROWS = 40


def combiner_features(proba: np.ndarray, analyses: Sequence[Analysis], family: str,
                      labels: Sequence[str]) -> np.ndarray:
    """(texts, labels, features) array of :data:`COMBINER_FEATURES` from probabilities and lexicon matches."""
    n, k = proba.shape
    p = np.clip(proba, 1e-4, 1 - 1e-4)
    cells = np.zeros((n, k, len(COMBINER_FEATURES)))
    cells[:, :, 0] = np.log(p / (1 - p))
    index = {lab: j for j, lab in enumerate(labels)}
    cells[:, :, _FIRST] = 1.0
    for r, a in enumerate(analyses):
        counts = np.zeros(k)
        for key, c in a.counts.items():
            j = index.get(key[1]) if key[0] == family else None
            if j is None:
                continue
            counts[j] = c
            cells[r, j, 3] = float(key in a.lead)
            if key in a.first:
                cells[r, j, _FIRST] = a.first[key]
                cells[r, j, _LONGEST] = np.log1p(a.longest.get(key, 1))
                cells[r, j, _FRAMED] = float(key in a.framed)
        matched = counts > 0
        total = counts.sum()
        log_sent = np.log(max(a.sentences, 1))
        cells[r, :, 1] = matched
        cells[r, :, 2] = np.log1p(counts)
        if total:
            cells[r, :, 4] = counts / total
            cells[r, :, 5] = matched & (counts == counts.max())
        cells[r, :, 6] = matched * log_sent
        cells[r, :, 7] = log_sent
        cells[r, :, 8] = np.log1p(matched.sum())
    cells[:, :, 9] = cells[:, :, 0] * cells[:, :, 7]
    for name, families in COMBINER_FAMILY_FEATURES.items():
        if family not in families:
            cells[:, :, COMBINER_FEATURES.index(name)] = 0.0
    return cells


def _fit_cells(cells: np.ndarray, truth: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    if truth.min() == truth.max():
        return np.r_[np.zeros(cells.shape[1]), 4.0 if truth[0] else -4.0]
    lr = LogisticRegression(C=COMBINER_C, solver="lbfgs", max_iter=1000).fit(cells, truth)
    return np.r_[lr.coef_.ravel(), lr.intercept_[0]]


def fit_combiner(proba: np.ndarray, Y: np.ndarray, analyses: Sequence[Analysis], family: str,
                 labels: Sequence[str], *, seed: int = 0) -> tuple[np.ndarray, float] | None:
    """Weights and probability cut of the combiner, from out-of-fold head probabilities of the tuning rows.

    The cut maximises micro-F1 over the combiner's own out-of-fold outputs (rows
    split in folds by ``seed``), so neither is tuned on the cells it is judged on. None when
    there are too few rows or positives.
    """
    from sklearn.model_selection import KFold

    n, k = Y.shape
    if n < _COMBINER_MIN_ROWS or (Y == 1).sum() < _COMBINER_FOLDS:
        return None
    cells = combiner_features(proba, analyses, family, labels)
    oof = np.zeros((n, k))
    for tr, te in KFold(_COMBINER_FOLDS, shuffle=True, random_state=seed).split(np.zeros(n)):
        known = Y[tr] >= 0
        w = _fit_cells(cells[tr][known], Y[tr][known])
        oof[te] = _sigmoid(cells[te] @ w[:-1] + w[-1])
    known = Y >= 0
    cut = best_threshold(oof[known], Y[known] == 1)
    return _fit_cells(cells[known], Y[known]), cut
