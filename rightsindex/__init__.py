"""rightsindex: UN human-rights recommendations from PDFs, tagged, searchable, measured."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "open_corpus"]


def open_corpus(path):  # type: ignore[no-untyped-def]
    """Open a corpus folder for search, recommendations, trends and dossiers in Python."""
    from rightsindex.corpus.api import Corpus

    return Corpus(path)
