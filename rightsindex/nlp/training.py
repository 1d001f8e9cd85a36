"""Training: labelled files -> a :class:`~rightsindex.nlp.model.TaggingModel` on disk.

Sources are combined: UPR Info's recommendations (54 issues and action
category, and ESC rights / groups / corruption through the crosswalk; an ESC
right or fiscal label a row leaves out but the lexicon finds in its text is
unknown, not negative), the reconciled annotations and, optionally,
general-comment paragraphs: those with rightsindex's paragraph labels
(``data/paragraph_labels.jsonl``) train with them, the others with weak group
labels and the ESC rights / fiscal labels of the comment they belong to. The
annotations and paragraph labels are weighted up, and the lexicon-model
combiner and thresholds of the ESC rights and fiscal families are fitted on
their out-of-fold probabilities. UPR Info rows and paragraphs that also appear
in the annotations are left out, so an evaluation on the annotations never
sees their text twice.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rightsindex.errors import DataFileError
from rightsindex.nlp import taxonomy
from rightsindex.nlp.datasets import Example, read_any, targets_for
from rightsindex.nlp.features import TextFeatures
from rightsindex.nlp.lexicon import Analysis, get_lexicon
from rightsindex.nlp.model import TaggingModel, text_hashes

__all__ = ["train", "fit_examples", "DEFAULT_WEIGHTS", "DEFAULT_HEAD_PARAMS", "DEFAULT_FEATURES"]

#: Sample weight of each origin.
DEFAULT_WEIGHTS = {"annotation": 16.7, "paragraph_annotation": 16.7, "upr_info": 1.0, "general_comment": 3.3}
#: Origins whose out-of-fold probabilities tune the thresholds and the lexicon-model combiner.
TUNE_ORIGINS = ("annotation", "paragraph_annotation")
#: Origins whose labels are a text's main themes only: a label they leave out is unknown, not
#: negative, where the lexicon finds it (see :func:`~rightsindex.nlp.datasets.targets_for`).
LEXICON_UNKNOWN: tuple[str, ...] = ("upr_info",)
#: Classifier parameters per family (see :class:`~rightsindex.nlp.classifier.LinearMultiLabel`).
DEFAULT_HEAD_PARAMS: dict[str, dict[str, Any]] = {
    "esc_rights": {"C": 0.03, "loss": "hinge", "class_weight": None, "max_coefs": 4000},
    "fiscal": {"C": 0.3, "loss": "hinge", "max_coefs": 4000},
    "groups": {"C": 0.5, "loss": "hinge", "max_coefs": 3000},
    "action_category": {"C": 0.5, "loss": "hinge", "max_coefs": 6000},
    "upr_issues": {"C": 0.5, "loss": "hinge", "max_coefs": 3000},
}
DEFAULT_FEATURES: dict[str, Any] = {"max_word_features": 40000, "max_char_features": 0,
                                    "char_ngram_range": (2, 5), "min_df": 2}


def fit_examples(
    examples: Sequence[Example],
    *,
    families: Sequence[str] = taxonomy.FAMILIES,
    weights: dict[str, float] | None = None,
    head_params: dict[str, dict[str, Any]] | None = None,
    features: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    analyses: Sequence[Analysis] | None = None,
    weak_positives: Sequence[str] = (),
    tune_origins: Sequence[str] = TUNE_ORIGINS,
    lexicon_unknown: Sequence[str] = LEXICON_UNKNOWN,
) -> TaggingModel:
    """Train a model on labelled examples (already read; ``analyses`` if already analysed)."""
    if not examples:
        raise DataFileError("no training examples")
    lex = get_lexicon()
    if analyses is None:
        analyses = lex.analyse([ex.text for ex in examples])
    targets = targets_for(examples, analyses, families, weak_positives, lexicon_unknown)
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    sample_weight = np.array([w.get(ex.origin, 1.0) for ex in examples])
    is_ann = np.array([ex.origin in tune_origins for ex in examples])
    tune_rows = {f: is_ann for f in ("esc_rights", "fiscal")} if is_ann.any() else None
    params = {f: {**DEFAULT_HEAD_PARAMS.get(f, {}), **((head_params or {}).get(f, {}))} for f in families}
    model = TaggingModel.fit(
        analyses, targets, sample_weight=sample_weight, tune_rows=tune_rows,
        features=TextFeatures(**{**DEFAULT_FEATURES, **(features or {})}), head_params=params,
        lexicon_keys=lex.keys, progress=progress,
    )
    model.trained_on = text_hashes([ex.text for ex in examples])
    return model


def train(
    data: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str] | None = None,
    *,
    families: Sequence[str] = taxonomy.FAMILIES,
    exclude_ids: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    **kwargs: Any,
) -> TaggingModel:
    """Train on labelled files (UPR Info CSV, annotations JSONL, general comments JSONL); save to ``output``.

    >>> train(["upr_info.csv", "esc_fiscal_dev.jsonl"], "model.npz")      # doctest: +SKIP
    """
    examples: list[Example] = []
    for path in data:
        examples.extend(read_any(Path(path)))
    held = set(exclude_ids) | {ex.id for ex in examples if ex.origin == "annotation"}
    examples = [ex for ex in examples if not (ex.origin != "annotation" and ex.id in held)]
    present = set()
    for ex in examples:
        present.update(ex.known)
    fams = [f for f in families if f in present]
    if not fams:
        raise DataFileError("the training files carry no labels of the families asked for")
    model = fit_examples(examples, families=fams, progress=progress, **kwargs)
    model.info["origins"] = dict(sorted(Counter(ex.origin for ex in examples).items()))
    if output is not None:
        model.save(output)
    return model
