"""Tagging: ESC rights, fiscal policy, groups, UPR Info action category and issues.

>>> from rightsindex import nlp
>>> nlp.tag_texts(["Prevent forced evictions in informal settlements"])   # doctest: +SKIP

Library entry points: :func:`tag_texts`, :func:`tag_corpus`, :func:`load_model`,
:func:`train`, :func:`evaluate`, :func:`explain`; the label set is :mod:`taxonomy`.
"""

from __future__ import annotations

from rightsindex.nlp import taxonomy
from rightsindex.nlp.evaluation import evaluate
from rightsindex.nlp.tagging import default_model_path, explain, load_model, tag_corpus, tag_texts
from rightsindex.nlp.training import train

__all__ = [
    "taxonomy",
    "tag_texts",
    "tag_corpus",
    "load_model",
    "default_model_path",
    "train",
    "evaluate",
    "explain",
]
