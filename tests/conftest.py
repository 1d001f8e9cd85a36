"""Fixtures shared by the whole suite.

Real UN PDFs and labelled data live in ``../shared`` beside the project (or in
``$RIGHTSINDEX_SHARED``). Tests that need them skip with the reason when absent.
Heavy fixtures (read PDFs, an ingested corpus, a trained model) are session
scoped: each real PDF is read once per run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_data import ROOT, SHARED, SHARED_DATA, SHARED_PDF, need_shared  # noqa: F401


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return need_shared()


@pytest.fixture(scope="session")
def pdf_pages():
    """``pdf_pages(name)``: the pages of a real PDF of ../shared, read once per run."""
    cache: dict[str, list] = {}

    def read(name: str) -> list:
        if name not in cache:
            from rightsindex.ingest.pdf import read_pages

            cache[name] = list(read_pages(need_shared("pdf", name)))
        return cache[name]

    return read


@pytest.fixture(scope="session")
def real_corpus_build(tmp_path_factory):
    """``(corpus_dir, results)``: every PDF of ../shared/data/pdf ingested once per run
    (``jobs=2``), then tagged and indexed when ``nlp.tag_corpus`` / ``search.sync_index`` exist.

    The deliberately bad files are among them: ``SCANNED_*`` fails, ``CORRUPTED_*`` is repaired by PDFium.
    The French and Russian documents are stored (``any_language``), so that their metadata is checked.
    """
    pdf_dir = need_shared("pdf")
    from rightsindex.ingest.pipeline import finish_corpus, ingest_paths

    corpus = tmp_path_factory.mktemp("real-corpus")
    results = ingest_paths([pdf_dir], corpus, jobs=2, any_language=True)
    finish_corpus(corpus, tag=True, index=True)
    return corpus, results


@pytest.fixture(scope="session")
def real_corpus(real_corpus_build) -> Path:
    """A corpus folder built once per run from all PDFs of ../shared/data/pdf (see real_corpus_build)."""
    return real_corpus_build[0]
