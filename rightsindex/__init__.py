"""rightsindex: UN human-rights recommendations from PDFs, tagged, searchable, measured."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "open_corpus"]


def open_corpus(path, *, create=False):  # type: ignore[no-untyped-def]
    """Open a corpus folder for search, recommendations, trends and dossiers in Python;
    ``create=True`` makes an empty one there if there is none (fill it with ``corpus.ingest``)."""
    from rightsindex.corpus.api import Corpus

    return Corpus(path, create=create)
