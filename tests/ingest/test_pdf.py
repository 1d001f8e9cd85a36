"""The PDF layer on real UN PDFs of ../shared and on small PDFs built here."""

from __future__ import annotations

import csv
import re

import pytest

from rightsindex.errors import CorruptedPDFError, EmptyFileError, EncryptedPDFError, NotAPDFError
from rightsindex.ingest.pdf import has_text_layer, page_count, read_pages, sha256_file
from shared_data import need_shared  # type: ignore[import-not-found]

SLOVENIA = "upr_A-HRC-28-15_Slovenia_WG-report_2014.pdf"
IRAN = "upr_A-HRC-14-12_Iran_WG-report_2010.pdf"


def test_running_headers_and_footers_are_removed_but_kept(pdf_pages):
    pages = pdf_pages(SLOVENIA)
    assert len(pages) == 25
    for page in pages:
        texts = [ln.text for ln in page.lines]
        assert "A/HRC/28/15" in page.headers, page.number
        assert "A/HRC/28/15" not in texts
        assert not any(re.match(r"^GE\.\d{2}-\d{5}", t) for t in texts)
        assert str(page.number) not in texts  # page numbers
    assert "GE.14-23930 (E)" in pages[0].headers
    assert str(pages[3].number) in pages[3].headers


def test_lines_carry_position_size_and_weight(pdf_pages):
    page = pdf_pages(SLOVENIA)[15]
    rec = next(ln for ln in page.lines if ln.text.startswith("115.47 "))
    assert rec.size == pytest.approx(10.0)
    assert rec.bold  # recommendations are set in bold in these reports
    assert 0 < rec.x0 < rec.x1 <= page.width and 0 < rec.top < rec.bottom <= page.height
    title = next(ln for ln in pdf_pages(SLOVENIA)[0].lines if ln.text == "Slovenia")
    assert title.size == pytest.approx(14.0) and title.bold
    # reading order: lines go down the page
    tops = [ln.top for ln in page.lines]
    assert tops == sorted(tops)


def test_footnotes_are_kept_apart(pdf_pages):
    first = pdf_pages(SLOVENIA)[0]
    assert [ln.text for ln in first.footnotes] == ["* The annex to the present report is circulated as received."]
    assert all(ln.kind == "footnote" for ln in first.footnotes)
    assert not any("circulated as received" in ln.text for ln in first.lines)
    iran = pdf_pages(IRAN)
    notes = [ln.text for p in iran for ln in p.footnotes]
    assert any(t.startswith("3 The recommendation as originally formulated") for t in notes)
    body = [ln.text for p in iran for ln in p.lines]
    assert not any("as originally formulated" in t for t in body)
    # the body text around the footnote is intact
    assert any(t.startswith("3. Accept requests for visits from special procedures") for t in body)


def test_page_count_and_hash_match_the_manifest():
    pdf_dir = need_shared("pdf")
    rows = {r["file"]: r for r in csv.DictReader(open(pdf_dir / "manifest.csv", encoding="utf-8"))}
    path = pdf_dir / SLOVENIA
    assert page_count(path) == int(rows[SLOVENIA]["pages"])
    assert sha256_file(path) == rows[SLOVENIA]["sha256"]


def test_corrupted_pdf_fails_with_one_line():
    path = next(need_shared("pdf").glob("CORRUPTED_*.pdf"))
    with pytest.raises(CorruptedPDFError) as err:
        list(read_pages(path))
    msg = str(err.value)
    assert path.name in msg and "corrupted" in msg and "\n" not in msg


def test_scan_has_no_text_layer():
    path = next(need_shared("pdf").glob("SCANNED_*.pdf"))
    assert not has_text_layer(list(read_pages(path)))


def test_not_a_pdf_and_empty(tmp_path):
    text = tmp_path / "notes.pdf"
    text.write_text("just some text, not a PDF\n")
    with pytest.raises(NotAPDFError, match=r"notes\.pdf: not a PDF"):
        list(read_pages(text))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFileError, match=r"empty\.pdf: empty file"):
        list(read_pages(empty))
    with pytest.raises(NotAPDFError, match="file not found"):
        page_count(tmp_path / "missing.pdf")


def test_encrypted_pdf(tmp_path):
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "secret.pdf"
    c = canvas.Canvas(str(path), encrypt="secret-password")
    c.drawString(72, 720, "Confidential recommendations")
    c.save()
    with pytest.raises(EncryptedPDFError) as err:
        list(read_pages(path))
    assert "secret.pdf" in str(err.value) and "encrypted" in str(err.value) and "\n" not in str(err.value)


def test_two_columns_are_read_column_by_column(tmp_path):
    """A constructed two-column page: all of the left column comes before the right one."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "columns.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("Times-Roman", 10)
    c.drawString(57, 790, "A/HRC/99/1")  # running header
    for i in range(30):
        y = 760 - i * 14
        c.drawString(57, y, f"left column line {i + 1} of the text")
        c.drawString(320, y, f"right column line {i + 1} of the text")
    c.save()
    (page,) = list(read_pages(path))
    texts = [ln.text for ln in page.lines]
    left = [i for i, t in enumerate(texts) if t.startswith("left")]
    right = [i for i, t in enumerate(texts) if t.startswith("right")]
    assert len(left) == 30 and len(right) == 30
    assert max(left) < min(right)
    assert texts[left[0]] == "left column line 1 of the text"


def test_pypdfium2_engine_gives_the_same_pages(pdf_pages):
    """The engine-independent records: PDFium's pages match pdfplumber's line for line (TOC leaders aside)."""
    plumber = pdf_pages(SLOVENIA)
    pdfium = list(read_pages(need_shared("pdf", SLOVENIA), engine="pypdfium2"))
    assert len(pdfium) == len(plumber)
    a = [ln.text for p in plumber for ln in p.lines]
    b = [ln.text for p in pdfium for ln in p.lines]
    assert len(a) == len(b)
    same = sum(x == y for x, y in zip(a, b))
    assert same >= 0.99 * len(a)
    assert [p.headers for p in pdfium] == [p.headers for p in plumber]
    assert [[ln.text for ln in p.footnotes] for p in pdfium] == [[ln.text for ln in p.footnotes] for p in plumber]
    rec = next(ln for ln in pdfium[15].lines if ln.text.startswith("115.47 "))
    assert rec.bold and rec.size == pytest.approx(10.0, abs=0.1)


def test_footnote_markers_are_kept_as_marks(pdf_pages):
    """Superscript markers leave the line text but stay in ``Line.marks`` at their offset, for both engines."""
    name = "upr_A-HRC-WG.6-34-SVN-2_Slovenia_UN-compilation_2019.pdf"
    plumber = pdf_pages(name)
    line = next(ln for p in plumber for ln in p.lines if ln.text == "circumstance for all crimes and offences.")
    assert line.marks == ((len(line.text), "22"),)
    marked = [(p.number, ln.text, ln.marks) for p in plumber for ln in p.lines if ln.marks]
    assert len(marked) > 100
    assert all(0 < off <= len(text) and m.isdigit() for _, text, marks in marked for off, m in marks)
    assert not any(re.search(r"[a-z.]\d{1,3}$", text) for _, text, _m in marked)  # not glued into the text
    pdfium = list(read_pages(need_shared("pdf", name), engine="pypdfium2"))
    assert [(p.number, ln.text, ln.marks) for p in pdfium for ln in p.lines if ln.marks] == marked


def test_pypdfium2_engine_errors(tmp_path):
    # PDFium repairs the broken cross-reference table that pdfplumber (pdfminer) cannot read
    path = next(need_shared("pdf").glob("CORRUPTED_*.pdf"))
    pages = list(read_pages(path, engine="pypdfium2"))
    assert len(pages) == 17 and "A/HRC/WG.6/7/SVN/2" in pages[0].text
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
    with pytest.raises(CorruptedPDFError, match="truncated.pdf: corrupted PDF"):
        list(read_pages(truncated, engine="pypdfium2"))
    with pytest.raises(CorruptedPDFError, match="truncated.pdf: corrupted PDF"):
        list(read_pages(truncated))
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    secret = tmp_path / "secret.pdf"
    c = canvas.Canvas(str(secret), encrypt="pw")
    c.drawString(72, 720, "text")
    c.save()
    with pytest.raises(EncryptedPDFError, match="secret.pdf"):
        list(read_pages(secret, engine="pypdfium2"))
    with pytest.raises(ValueError, match="unknown PDF engine"):
        list(read_pages(secret, engine="nope"))


def test_a_pdf_header_followed_by_nothing_readable_fails_at_once(tmp_path):
    fake = tmp_path / "zeros.pdf"
    fake.write_bytes(b"%PDF-1.4\n" + b"\0" * 1_000_000)  # pdfminer searched such a file for minutes at 50 MB
    with pytest.raises(CorruptedPDFError, match="no PDF object"):  # found before pdfminer opens it
        list(read_pages(fake))
