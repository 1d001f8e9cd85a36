"""Ingestion: PDFs in, documents with paragraphs and recommendations out.

``ingest_paths(paths, corpus_dir, jobs=2)`` is the entry point; ``metadata.identify``
says what a document is; one module per document family extracts it (``upr``,
``treaty``, ``compilation``, ``nhri``, ``generic``), over pages from ``pdf``.
"""

from __future__ import annotations

from rightsindex.ingest.pipeline import (
    DOCUMENT_FIELDS,
    FALLBACK,
    FAMILIES,
    corpus_status,
    demo_summary,
    document_rows,
    expand_paths,
    extractor_for,
    ingest_paths,
    finish_corpus,
    parse_file,
    sample_pdfs,
    summarize,
)

__all__ = [
    "DOCUMENT_FIELDS",
    "FALLBACK",
    "corpus_status",
    "demo_summary",
    "document_rows",
    "finish_corpus",
    "sample_pdfs",
    "FAMILIES",
    "expand_paths",
    "extractor_for",
    "ingest_paths",
    "parse_file",
    "summarize",
]
