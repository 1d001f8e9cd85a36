"""Evaluation against gold labels: per-label precision/recall/F1/support, averages, confusions."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rightsindex.errors import DataFileError
from rightsindex.nlp import taxonomy
from rightsindex.nlp.datasets import ALL, Example, read_annotations, read_upr_info
from rightsindex.nlp.lexicon import get_lexicon
from rightsindex.nlp.model import TaggingModel

__all__ = ["evaluate", "evaluate_examples", "family_scores", "GOLD_FORMATS"]

GOLD_FORMATS = ("jsonl", "upr-info")


def _r(x: float) -> float:
    return round(float(x), 4)


def family_scores(Y_true: np.ndarray, Y_pred: np.ndarray, labels: Sequence[str],
                  *, multiclass: bool = False) -> dict[str, Any]:
    """Scores of one family from 0/1 matrices (rows = texts, columns = ``labels``)."""
    Y_true = np.asarray(Y_true, dtype=bool)
    Y_pred = np.asarray(Y_pred, dtype=bool)
    tp = (Y_true & Y_pred).sum(axis=0)
    fp = (~Y_true & Y_pred).sum(axis=0)
    fn = (Y_true & ~Y_pred).sum(axis=0)
    per: dict[str, Any] = {}
    f1s = []
    for j, lab in enumerate(labels):
        p = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else 0.0
        r = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[lab] = {"precision": _r(p), "recall": _r(r), "f1": _r(f), "support": int(Y_true[:, j].sum()),
                    "predicted": int(Y_pred[:, j].sum())}
        if Y_true[:, j].sum() or Y_pred[:, j].sum():
            f1s.append(f)
    TP, FP, FN = tp.sum(), fp.sum(), fn.sum()
    mp = TP / (TP + FP) if TP + FP else 0.0
    mr = TP / (TP + FN) if TP + FN else 0.0
    out: dict[str, Any] = {
        "micro_f1": _r(2 * mp * mr / (mp + mr) if mp + mr else 0.0),
        "macro_f1": _r(np.mean(f1s) if f1s else 0.0),
        "micro_precision": _r(mp),
        "micro_recall": _r(mr),
        "n": int(len(Y_true)),
        "labels": per,
    }
    if multiclass:
        gold = np.argmax(Y_true, axis=1)
        pred = np.argmax(Y_pred, axis=1)
        out["accuracy"] = _r((gold == pred).mean() if len(gold) else 0.0)
        matrix = np.zeros((len(labels), len(labels)), dtype=int)
        for g, q in zip(gold, pred, strict=True):
            matrix[g, q] += 1
        out["confusion"] = {"labels": list(labels), "matrix": matrix.tolist(),
                            "note": "rows: gold, columns: predicted"}
    else:
        pairs: Counter[tuple[str, str]] = Counter()
        for t, q in zip(Y_true, Y_pred, strict=True):
            missed = [labels[j] for j in np.flatnonzero(t & ~q)]
            extra = [labels[j] for j in np.flatnonzero(q & ~t)]
            for a in missed:
                for b in extra:
                    pairs[(a, b)] += 1
        out["confusion"] = {
            "false_positives": {labels[j]: int(fp[j]) for j in np.argsort(-fp) if fp[j]},
            "false_negatives": {labels[j]: int(fn[j]) for j in np.argsort(-fn) if fn[j]},
            "missed_for": [{"gold": a, "predicted": b, "count": n} for (a, b), n in pairs.most_common(10)],
        }
    return out


def evaluate_examples(examples: Sequence[Example], model: TaggingModel,
                      families: Sequence[str] | None = None,
                      errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Scores per family over the labels each example's source knows.

    With ``errors`` (a list), each gold text tagged differently from its gold labels is appended
    to it: ``{"id", "text", "trained_on", <family>: {"missed": [...], "extra": [...]}}``.
    """
    wrong: dict[int, dict[str, Any]] = {}
    texts = [ex.text for ex in examples]
    analyses = get_lexicon().analyse(texts)
    decisions = model.decide(analyses, model.probabilities(analyses))
    seen = model.seen(texts)
    result: dict[str, Any] = {}
    for family in families or taxonomy.FAMILIES:
        if family not in model.heads:
            continue
        rows = [i for i, ex in enumerate(examples) if family in ex.known]
        if not rows:
            continue
        head = model.heads[family]
        labels = list(head.labels)
        known_all = all(examples[i].known[family] == ALL for i in rows)
        cols = list(range(len(labels)))
        if not known_all:  # only the labels every row can speak about (crosswalk)
            common = set(labels)
            for i in rows:
                k = examples[i].known[family]
                if k != ALL:
                    common &= set(k)
            cols = [j for j, lab in enumerate(labels) if lab in common]
        Y = np.zeros((len(rows), len(labels)), dtype=bool)
        index = {lab: j for j, lab in enumerate(labels)}
        for r, i in enumerate(rows):
            for lab in examples[i].labels.get(family, ()):
                if lab in index:
                    Y[r, index[lab]] = True
        P = decisions[family][rows].astype(bool)
        if errors is not None:
            for r, i in enumerate(rows):
                missed = [labels[j] for j in cols if Y[r, j] and not P[r, j]]
                extra = [labels[j] for j in cols if P[r, j] and not Y[r, j]]
                if missed or extra:
                    row = wrong.setdefault(i, {"id": examples[i].id, "text": examples[i].text,
                                               "trained_on": bool(seen[i])})
                    row[family] = {"missed": missed, "extra": extra}
        scores = family_scores(Y[:, cols], P[:, cols], [labels[j] for j in cols],
                               multiclass=head.multiclass)
        if not known_all:
            scores["note"] = "compared through the crosswalk, on the labels it maps"
        # gold texts the model was trained on: their scores say little about new texts
        scores["trained_on"] = int(seen[rows].sum())
        result[family] = scores
    if errors is not None:
        errors.extend(wrong[i] for i in sorted(wrong))
    return result


def evaluate(gold: str | os.PathLike[str], *, gold_format: str = "jsonl",
             model: TaggingModel | str | os.PathLike[str] | None = None,
             errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Evaluate a model (default: the shipped one) on a gold file.

    ``gold_format="jsonl"``: the annotations' form (``text``, ``esc_rights``, ``fiscal``).
    ``gold_format="upr-info"``: a UPR Info CSV; its 54 issues and action category are
    compared directly, ESC rights / groups / corruption through the crosswalk.
    Returns ``{family: {"micro_f1", "macro_f1", "labels": {label: {precision, recall, f1, support}}, ...}}``;
    ``errors``: see :func:`evaluate_examples`.
    """
    from rightsindex.nlp.tagging import load_model

    path = Path(gold)
    if gold_format == "jsonl":
        try:
            examples = read_annotations(path)
        except DataFileError as exc:
            if path.suffix.lower() == ".csv" and ":1: not valid JSON" in str(exc):
                raise DataFileError(f"{exc}; a UPR Info CSV is read with --gold-format upr-info") from None
            raise
    elif gold_format == "upr-info":
        examples = read_upr_info(path)
    else:
        raise DataFileError(f"unknown gold format {gold_format!r}; use one of {', '.join(GOLD_FORMATS)}")
    if not examples:
        raise DataFileError(f"{path}: no gold examples")
    m = model if isinstance(model, TaggingModel) else load_model(model)
    return evaluate_examples(examples, m, errors=errors)
