"""A linear one-vs-rest classifier with calibrated probabilities and tuned thresholds.

:class:`LinearMultiLabel` is a scikit-learn estimator. ``y`` may be a 2-D
indicator matrix (multi-label: ``predict`` returns an indicator matrix at probability
0.5, ``predict_tuned`` at one threshold per label tuned by cross-validation to
maximise F1; entries of -1 mean "unknown" and leave the row out of that label) or 1-D labels
(multi-class: ``predict`` returns the class with the highest calibrated
probability). Probabilities are Platt-calibrated on out-of-fold decision
values. The learned state is arrays only (``coef_``, ``intercept_``,
``calibration_``, ``threshold_``, ``classes_``), so it is saved without pickle.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, check_cv
from sklearn.svm import LinearSVC
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["LinearMultiLabel", "best_threshold", "sigmoid"]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def best_threshold(proba: np.ndarray, truth: np.ndarray, *, default: float = 0.5,
                   weight: np.ndarray | None = None) -> float:
    """The probability cut that maximises F1 of one label (``default`` if no positives)."""
    truth = truth.astype(bool)
    w = np.ones(len(truth)) if weight is None else np.asarray(weight, dtype=float)
    pos_total = float(w[truth].sum())
    if pos_total == 0 or len(proba) == 0:
        return default
    order = np.argsort(-proba, kind="stable")
    p_sorted, t_sorted, w_sorted = proba[order], truth[order], w[order]
    tp = np.cumsum(w_sorted * t_sorted)
    predicted = np.cumsum(w_sorted)
    f1 = 2 * tp / (predicted + pos_total)
    # only cut between distinct probabilities
    last_of_run = np.r_[p_sorted[1:] != p_sorted[:-1], True]
    f1 = np.where(last_of_run, f1, -1.0)
    i = int(np.argmax(f1))
    nxt = p_sorted[i + 1] if i + 1 < len(p_sorted) else 0.0
    return float(max(min((p_sorted[i] + nxt) / 2.0, 0.99), 0.01))


class LinearMultiLabel(ClassifierMixin, BaseEstimator):
    """One-vs-rest linear models (logistic regression or linear SVM), calibrated.

    Parameters
    ----------
    C : inverse regularisation strength.
    loss : ``"logistic"`` or ``"hinge"`` (LinearSVC, squared hinge).
    class_weight : ``"balanced"`` or None, per binary problem.
    cv : folds (or a CV splitter / list of splits) for the out-of-fold scores that calibrate
        and tune thresholds (0: no CV, in-sample scores).
    max_coefs : keep only this many largest weights per label (None: all), so saved models stay small.
    random_state : seed of the fold split.
    """

    def __init__(self, C: float = 1.0, loss: str = "logistic", class_weight: str | None = "balanced",
                 cv: int = 3, max_coefs: int | None = None, random_state: int = 0) -> None:
        self.C = C
        self.loss = loss
        self.class_weight = class_weight
        self.cv = cv
        self.max_coefs = max_coefs
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------
    def _binary(self, X: Any, y: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, float]:
        if y.min() == y.max():  # constant label: no model, a constant score
            return np.zeros(X.shape[1]), (4.0 if y[0] else -4.0)
        if self.loss == "hinge":
            # a fixed seed for liblinear's shuffling: the same data trains the same model (unseeded,
            # two cross-validations of the same code differed by up to 0.003 micro-F1)
            clf: Any = LinearSVC(C=self.C, class_weight=self._binary_cw, dual="auto", max_iter=5000,
                                 random_state=0)
        elif self.loss == "logistic":
            clf = LogisticRegression(C=self.C, class_weight=self._binary_cw, solver="liblinear",
                                     max_iter=500, random_state=0)
        else:
            raise ValueError(f"loss must be 'logistic' or 'hinge', not {self.loss!r}")
        clf.fit(X, y, sample_weight=w)
        coef = np.asarray(clf.coef_, dtype=np.float64).ravel()
        if self.max_coefs is not None and 0 < self.max_coefs < coef.size:
            cut = np.partition(np.abs(coef), -self.max_coefs)[-self.max_coefs]
            coef = np.where(np.abs(coef) >= cut, coef, 0.0)
        return coef, float(clf.intercept_[0])

    def _fit_all(self, X: Any, Y: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        coefs, icpts = [], []
        for j in range(Y.shape[1]):
            known = Y[:, j] >= 0
            if known.all():
                c, b = self._binary(X, Y[:, j], w)
            elif known.any():
                c, b = self._binary(X[known], Y[known, j], None if w is None else w[known])
            else:
                c, b = np.zeros(X.shape[1]), -4.0
            coefs.append(c)
            icpts.append(b)
        return np.vstack(coefs), np.asarray(icpts)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearMultiLabel:
        X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True,
                             dtype=[np.float64, np.float32])
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        target = type_of_target(y)
        if y.ndim == 1:
            if target not in ("binary", "multiclass"):
                raise ValueError(f"Unknown label type: {target}")
            self.classes_ = np.unique(y)
            if len(self.classes_) < 2:
                raise ValueError("Classifier can't train when only one class is present.")
            self.multilabel_ = False
            Y = (y[:, None] == self.classes_[None, :]).astype(np.int8)
        else:
            values = set(np.unique(y).tolist())
            if target != "multilabel-indicator" and not values <= {-1, 0, 1}:
                raise ValueError(f"Unknown label type: {target}")
            self.multilabel_ = True
            Y = np.where(y < 0, -1, y > 0).astype(np.int8)  # -1: label unknown for this row
            self.classes_ = np.arange(Y.shape[1])
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self._binary_cw = self.class_weight
        if isinstance(self.class_weight, dict):  # weights of classes, not of binary problems
            cw = np.array([self.class_weight.get(c, 1.0) for c in (y if y.ndim == 1 else [])])
            if y.ndim == 1:
                w = cw if w is None else w * cw
            self._binary_cw = None
        n, k = Y.shape
        self.coef_, self.intercept_ = self._fit_all(X, Y, w)
        # out-of-fold decision values -> Platt calibration and thresholds
        oof = X @ self.coef_.T + self.intercept_  # fallback when too small for CV
        splits: Any = None
        if isinstance(self.cv, numbers.Integral):
            if min(int(self.cv), n) >= 2 and n >= 10:
                splits = KFold(min(int(self.cv), n), shuffle=True, random_state=self.random_state).split(
                    np.zeros(n))
        elif self.cv is not None:
            splits = check_cv(self.cv).split(np.zeros(n))
        if splits is not None:
            oof = np.zeros((n, k))
            for tr, te in splits:
                c, b = self._fit_all(X[tr], Y[tr], None if w is None else w[tr])
                oof[te] = np.asarray(X[te] @ c.T) + b
        oof = np.asarray(oof)
        self.calibration_ = np.zeros((k, 2))
        for j in range(k):
            known = Y[:, j] >= 0
            self.calibration_[j] = (
                self._platt(oof[known, j], Y[known, j], None if w is None else w[known])
                if known.any() else (1.0, 0.0)
            )
        proba = sigmoid(oof * self.calibration_[:, 0] + self.calibration_[:, 1])
        self.oof_proba_ = proba  # kept in memory (not saved) for thresholds tuned by the caller
        if self.multilabel_:
            self.threshold_ = np.array([
                best_threshold(proba[Y[:, j] >= 0, j], Y[Y[:, j] >= 0, j]) for j in range(k)
            ])
        else:
            self.threshold_ = np.full(k, 0.5)
        self.coef_ = self.coef_.astype(np.float32)
        return self

    @staticmethod
    def _platt(score: np.ndarray, y: np.ndarray, w: np.ndarray | None) -> tuple[float, float]:
        if y.min() == y.max() or np.allclose(score, score[0]):
            return 1.0, 0.0
        lr = LogisticRegression(C=1.0, solver="lbfgs")
        lr.fit(score.reshape(-1, 1), y, sample_weight=None if w is None else w / w.mean())
        return float(lr.coef_[0, 0]), float(lr.intercept_[0])

    # -- prediction ------------------------------------------------------------------
    def _logits(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", reset=False, dtype=[np.float64, np.float32])
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores * self.calibration_[:, 0] + self.calibration_[:, 1]

    def decision_function(self, X: Any) -> np.ndarray:
        """Calibrated log-odds per label (binary: of the second class against the first)."""
        logits = self._logits(X)
        if not self.multilabel_ and len(self.classes_) == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities: per label (multi-label) or normalised over classes (multi-class)."""
        proba = sigmoid(self._logits(X))
        if not self.multilabel_:
            total = proba.sum(axis=1, keepdims=True)
            total[total == 0] = 1.0
            proba = proba / total
        return proba

    def predict(self, X: Any) -> np.ndarray:
        """Multi-label: labels with probability >= 0.5 (tuned cuts live in ``threshold_``); else the best class."""
        logits = self._logits(X)
        if self.multilabel_:
            return (logits >= 0).astype(int)
        return self.classes_[np.argmax(logits, axis=1)]

    def predict_tuned(self, X: Any) -> np.ndarray:
        """Multi-label decisions with the per-label thresholds tuned by cross-validation."""
        if not self.multilabel_:
            return self.predict(X)
        return (sigmoid(self._logits(X)) >= self.threshold_).astype(int)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = True
        return tags

    # -- persistence (no pickle) --------------------------------------------------------
    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON-able parameters and the learned arrays (weights sparse: CSR parts)."""
        check_is_fitted(self, "coef_")
        csr = sp.csr_matrix(self.coef_)
        meta = {"params": self.get_params(), "multilabel": bool(self.multilabel_),
                "n_features_in": int(self.n_features_in_), "classes": np.asarray(self.classes_).tolist()}
        arrays = {
            "coef_data": csr.data.astype(np.float32), "coef_indices": csr.indices.astype(np.int32),
            "coef_indptr": csr.indptr.astype(np.int64), "intercept": self.intercept_.astype(np.float64),
            "calibration": self.calibration_.astype(np.float64),
            "threshold": self.threshold_.astype(np.float64),
        }
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> LinearMultiLabel:
        """Rebuild a fitted estimator from :meth:`get_state` output (ValueError if inconsistent)."""
        self = cls(**meta["params"])
        k, d = len(meta["classes"]), int(meta["n_features_in"])
        csr = sp.csr_matrix((arrays["coef_data"], arrays["coef_indices"], arrays["coef_indptr"]),
                            shape=(k, d))
        self.coef_ = csr.toarray().astype(np.float32)
        self.intercept_ = np.asarray(arrays["intercept"], dtype=np.float64)
        self.calibration_ = np.asarray(arrays["calibration"], dtype=np.float64)
        self.threshold_ = np.asarray(arrays["threshold"], dtype=np.float64)
        if self.intercept_.shape != (k,) or self.calibration_.shape != (k, 2) or self.threshold_.shape != (k,):
            raise ValueError("weights, intercepts, calibration and thresholds disagree in size")
        self.classes_ = np.asarray(meta["classes"])
        self.multilabel_ = bool(meta["multilabel"])
        self.n_features_in_ = d
        return self
