"""Documents without recommendations of their own: paragraphs only.

Used for ``other`` documents and for families whose value is their text
(national reports, session reports, decisions, resolutions): the document is
stored with its paragraphs, searchable, and no recommendations.
"""

from __future__ import annotations

from collections.abc import Sequence

from rightsindex.ingest._base import Extraction
from rightsindex.ingest.paragraphs import segment
from rightsindex.records import Document, Page

__all__ = ["extract"]


def extract(pages: Sequence[Page], document: Document) -> Extraction:
    """Extraction with ``paragraphs`` from :func:`~rightsindex.ingest.paragraphs.segment`
    and no recommendations; ``document.pages`` is filled in when it was 0."""
    pages = list(pages)
    if not document.pages and pages:
        document = document.replace(pages=len(pages))
    return Extraction(document=document, paragraphs=segment(pages))
