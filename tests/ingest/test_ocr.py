"""OCR of scans (Tesseract) and detection of noisy OCR text layers, on ../shared PDFs."""

from __future__ import annotations

import re
import shutil

import pytest

from rightsindex.ingest import ocr
from rightsindex.ingest.paragraphs import segment
from conftest import need_shared  # type: ignore[import-not-found]


@pytest.mark.skipif(shutil.which("tesseract") is None,
                    reason="tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-eng)")
def test_scan_is_read_by_ocr() -> None:
    path = need_shared("pdf", "SCANNED_ohchr_HC-letter_Slovenia_UPR3.pdf")
    pages = list(ocr.ocr_pages(path, pages=[1]))
    assert len(pages) == 1 and pages[0].number == 1
    text = pages[0].text
    words = re.findall(r"[a-z]{4,}", text.lower())
    for w in ("universal", "periodic", "review", "slovenia", "government"):
        assert w in words
    # lines carry positions in PDF points, in reading order, inside the page
    lines = pages[0].lines
    assert all(0 <= ln.x0 < ln.x1 <= pages[0].width + 1 and 0 <= ln.top < ln.bottom <= pages[0].height + 1
               for ln in lines)
    assert [ln.top for ln in lines] == sorted(ln.top for ln in lines)
    # the same paragraph segmenter reads them
    paras = segment(pages)
    assert any(p.text.startswith("I have been following the third cycle") for p in paras)
    assert ocr.ocr_quality(pages) >= ocr.NOISY_BELOW


def test_noisy_ocr_layer_flagged_clean_report_not(pdf_pages) -> None:
    noisy = pdf_pages("SCANNED-OCR_ohchr_HC-letter_Slovenia_UPR4_2025.pdf")
    clean = pdf_pages("upr_A-HRC-28-15_Slovenia_WG-report_2014.pdf")
    assert ocr.is_noisy(noisy)
    assert not ocr.is_noisy(clean)
    assert ocr.ocr_quality(clean) > ocr.ocr_quality(noisy)


def test_quality_counts_ocr_confusions() -> None:
    from rightsindex.records import Line, Page

    def page(text: str) -> list[Page]:
        return [Page(number=1, width=600, height=800,
                     lines=(Line(text=text, x0=0, top=0, x1=100, bottom=10, size=10),))]

    assert ocr.ocr_quality(page("the review of the government and its recommendations")) == 1.0
    assert ocr.ocr_quality(page("the revievv of the governrnent and its recornrnendations")) < 0.7
    assert ocr.ocr_quality(page("HAUT-COMMISSA{RE 0ctober 48Ih session")) < 0.5


def test_tsv_to_page() -> None:
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t100\t200\t80\t20\t95\tHuman\n"
           "5\t1\t1\t1\t1\t2\t190\t200\t70\t20\t95\trights\n"
           "5\t1\t1\t1\t2\t1\t100\t230\t60\t20\t95\tcouncil\n")
    p = ocr.page_from_tsv(tsv, 1, 595.0, 842.0, scale=2.0)
    assert [ln.text for ln in p.lines] == ["Human rights", "council"]
    assert p.lines[0].x0 == 50.0 and p.lines[0].top == 100.0 and p.lines[0].x1 == 130.0
