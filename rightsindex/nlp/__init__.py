"""Tagging: ESC rights, fiscal policy, groups, UPR Info action category and issues.

>>> from rightsindex import nlp
>>> nlp.tag_texts(["Prevent forced evictions in informal settlements"])   # doctest: +SKIP

Library entry points: :func:`tag_texts`, :func:`tag_corpus`, :func:`load_model`,
:func:`train`, :func:`evaluate`, :func:`explain`; the label set is :mod:`taxonomy`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from rightsindex.nlp import taxonomy

if TYPE_CHECKING:
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

#: Where each entry point lives. They are imported on first use, so that reading the taxonomy
#: (a search for ``right:health`` checks the label) does not load scikit-learn and spaCy.
_LAZY = {"evaluate": "evaluation", "train": "training", "default_model_path": "tagging", "explain": "tagging",
         "load_model": "tagging", "tag_corpus": "tagging", "tag_texts": "tagging"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
