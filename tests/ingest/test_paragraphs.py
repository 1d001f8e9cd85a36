"""Paragraph segmentation on real UN PDFs of ../shared and on hand-made lines."""

from __future__ import annotations

import pytest

from rightsindex.ingest.paragraphs import NUMBERED, join_lines, paragraph_number, segment
from rightsindex.records import Line, Page


def _line(text: str, top: float, x0: float = 72.0, size: float = 10.0, bold: bool = False) -> Line:
    return Line(text=text, x0=x0, top=top, x1=x0 + 6 * len(text), bottom=top + size, size=size, bold=bold)


def test_hyphens_joined_but_real_compounds_kept() -> None:
    assert join_lines(["the recom-", "mendation was made"]) == "the recommendation was made"
    # "follow-up" written with its hyphen elsewhere in the document keeps it at a line end
    assert join_lines(["ensure the follow-", "up of the review"], ["the follow-up process"]) == \
        "ensure the follow-up of the review"
    assert join_lines(["Friuli-", "Venezia Giulia"]) == "Friuli-Venezia Giulia"


def test_paragraph_numbers() -> None:
    assert paragraph_number("12. The Committee") == ("12", "The Committee")
    assert paragraph_number("118.7 Ratify the Convention") == ("118.7", "Ratify the Convention")
    assert paragraph_number("2009 was a year")[0] is None


def test_gaps_headings_and_page_continuation() -> None:
    p1 = Page(number=1, width=600, height=800, lines=(
        _line("I. Background", 100, size=14, bold=True),
        _line("1. The present report was prepared pursuant to resolutions 5/1 and", 130),
        _line("16/21, taking into consideration the periodicity of the review.", 142),
        _line("2. Joint Submission 7 noted that the State had not yet ratified the", 160),
        _line("Convention on the Protection of the Rights of All Migrant Workers and", 172),
    ))
    p2 = Page(number=2, width=600, height=800, lines=(
        _line("Members of Their Families.", 80),
        _line("3. JS8 recommended accession to the 1961 Convention.", 98),
    ))
    paras = segment([p1, p2])
    assert [p.kind for p in paras] == ["heading", "body", "body", "body"]
    assert paras[2].number == "2" and paras[2].text.endswith("Members of Their Families.")
    assert paras[3].section == "I. Background"


def test_resolution_masthead_not_doubled_and_gold_paragraphs(pdf_pages) -> None:
    paras = segment(pdf_pages("ga_A-RES-48-161_resolution_1994_EN.pdf"))
    texts = [p.text for p in paras]
    assert not any("UNITEDUNITED" in t or "NATIONSNATIONS" in t for t in texts)
    # operative paragraph 4 runs across a page break: one paragraph
    four = next(p for p in paras if p.number == "4" and p.kind == "body")
    assert "amply demonstrated by the elections" in four.text
    assert [p.number for p in paras if p.kind == "body" and p.number] == [str(i) for i in range(1, 27)]
    assert any(p.kind == "footnote" and p.text.startswith("2/ A/46/829") for p in paras)


def test_stakeholder_summary_paragraphs(pdf_pages) -> None:
    paras = segment(pdf_pages("upr_A-HRC-WG.6-34-ITA-3_Italy_stakeholders-summary_2019_EN.pdf"))
    numbered = [p for p in paras if p.kind == "body" and p.number and p.number.isdigit()]
    # every numbered paragraph 1..94 exactly once, in order
    assert [int(p.number) for p in numbered][:94] == list(range(1, 95))
    headings = {p.text for p in paras if p.kind == "heading"}
    assert "I. Background" in headings
    p11 = next(p for p in numbered if p.number == "11")
    assert p11.text.rstrip().endswith("protection from racist violence.")  # continued across pages 2-3


def test_generic_extract_paragraphs_only(pdf_pages) -> None:
    from rightsindex.ingest import generic
    from rightsindex.records import Document

    pages = pdf_pages("hrc_decision-43-112_Slovenia_UPR-outcome_2020.pdf")
    ex = generic.extract(pages, Document(sha256="t", source_path="d.pdf", document_type="decision"))
    assert ex.recommendations == [] and ex.document.pages == 1
    assert any("Universal periodic review" in p.text or "universal periodic review" in p.text for p in ex.paragraphs)
    assert [p.seq for p in ex.paragraphs] == list(range(len(ex.paragraphs)))


def test_segment_writes_line_marks_back_when_asked() -> None:
    """``segment(pages, marks=fmt)`` puts the PDF layer's footnote markers back; boundaries are the same."""
    from rightsindex.records import Line, Page

    lines = (
        Line(text="1. The Committee recommended that the State", x0=72, top=100, x1=500, bottom=110, size=10),
        Line(text="ratify the Convention.", x0=72, top=112, x1=200, bottom=122, size=10, marks=((22, "4"),)),
        Line(text="2. It also urged the State to act.", x0=72, top=136, x1=300, bottom=146, size=10,
             marks=((5, "5"), (34, "6"))),
    )
    page = Page(number=1, width=595, height=842, lines=lines)
    plain = segment([page])
    marked = segment([page], marks=" [^{}]")
    assert [p.text for p in plain] == ["1. The Committee recommended that the State ratify the Convention.",
                                       "2. It also urged the State to act."]
    assert [p.text for p in marked] == ["1. The Committee recommended that the State ratify the Convention. [^4]",
                                        "2. It [^5] also urged the State to act. [^6]"]


@pytest.mark.parametrize("name, number, text", [
    ("upr_A-HRC-21-10_India_WG-report_2012.pdf", "138.159",
     "138.159. Increase the budget allocated to health from 1 percent of the GDP to 2 percent (Luxembourg);"),
    ("upr_A-HRC-16-11_USA_WG-report_2011.pdf", None, None),
])
def test_recommendations_printed_in_bold_are_paragraphs_not_headings(pdf_pages, name, number, text) -> None:
    """Working-group reports print their recommendations in bold: each item's first line was read as
    a heading and cut from the rest (India 2012: 182 'headings', the item split at "GDP to")."""
    paras = segment(pdf_pages(name))
    headings = [p for p in paras if p.kind == "heading"]
    items = [p for p in paras if p.number and "." in p.number]
    assert len(headings) < 40 and len(items) > 150
    assert not [p for p in headings if NUMBERED.match(p.text) and "." in NUMBERED.match(p.text).group("num")[:-1]]
    if number:
        item = next(p for p in paras if p.number == number)
        assert item.kind == "body" and item.text == text


def test_a_bold_recommendation_running_on_over_a_page_is_not_a_heading(pdf_pages) -> None:
    """India 2012 (A/HRC/21/10): 138.67, in bold, runs on to page 20; its next line there ("recognition
    and protection, guaranteeing ...") was read as a heading, cut from the item, and named the heading
    of every paragraph after it (138.68 to 138.170 in `search --paragraphs`)."""
    paras = segment(pdf_pages("upr_A-HRC-21-10_India_WG-report_2012.pdf"))
    item = next(p for p in paras if p.number == "138.67")
    assert item.text.endswith("timely, effectively and independently investigated (Spain);")
    assert not [p for p in paras if p.kind == "heading" and p.text.startswith("recognition and protection")]
    assert not (next(p for p in paras if p.number == "138.137").heading or "").startswith("recognition")

