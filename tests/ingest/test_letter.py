"""The High Commissioner's letters after a review: the annex's items and the prose requests."""

from __future__ import annotations

from rightsindex.ingest.letter import extract, recommendations
from rightsindex.ingest.metadata import identify
from rightsindex.records import Paragraph
from conftest import need_shared  # type: ignore[import-not-found]


def _paras(*rows: tuple[int, str, str]) -> list[Paragraph]:
    return [Paragraph(seq=i, page=page, kind=kind, text=text) for i, (page, kind, text) in enumerate(rows)]


# the third-cycle letter as OCR and the segmenter read it (../shared SCANNED_..._UPR3.pdf, --ocr)
UPR3 = _paras(
    (1, "heading", "Excellency,"),
    (1, "body", "I also encourage Slovenia to develop a comprehensive national human rights action plan in "
                "order to achieve concrete results in the areas highlighted in the annex to this letter."),
    (2, "body", "Therefore, I strongly encourage all Member States to submit a voluntary mid-term report."),
    (2, "body", "I strongly recommend the use of the OHCHR practical guide on this topic."),
    (3, "body", "NATIONS UNIES UNITED NATIONS DROITS DE HOMME \\ HUMAN RIGHTS"),
    (3, "heading", "Annex"),
    (3, "body", "A. Cross-cutting issues"),
    (3, "heading", "Equality and non-discrimination"),
    (3, "body", "Stepping up measures to combat all forms of discrimination, as well as ensure effective"),
    (3, "heading", "investigation and appropriate prosecution and punishment of perpetrators of such"),
    (3, "body", "crimes."),
    (4, "body", "C. Economic, social and cultural rights"),
    (4, "heading", "Right to education"),
    (4, "body", "e Continuing measures to ensure equal access to quality education for all students,"),
    (4, "heading", "including by addressing the regional disparities in access to education, and"),
    (5, "body", "NATIONS UNIES UNITED NATIONS DROITS DE HOMME \\) HUMAN RIGHTS"),
    (5, "heading", "AUT COUMISSANLAT OFFICE OFTHE wigu couulsiouER"),
    (5, "body", "allocating sufficient funding to education, in line with Sustainable Development Goal 4."),
    (5, "body", "D. Rights of specific persons or groups"),
    (5, "heading", "Women"),
    (5, "body", "Revising the definition of rape in the Criminal Code so that it is based on the absence of consent."),
)


def test_annex_items_with_their_headings_whole_across_ocr_breaks_and_pages():
    recs = recommendations(UPR3)
    assert [r.text for r in recs] == [
        "I also encourage Slovenia to develop a comprehensive national human rights action plan in order to "
        "achieve concrete results in the areas highlighted in the annex to this letter.",
        "Stepping up measures to combat all forms of discrimination, as well as ensure effective investigation "
        "and appropriate prosecution and punishment of perpetrators of such crimes.",
        "Continuing measures to ensure equal access to quality education for all students, including by "
        "addressing the regional disparities in access to education, and allocating sufficient funding to "
        "education, in line with Sustainable Development Goal 4.",
        "Revising the definition of rape in the Criminal Code so that it is based on the absence of consent.",
    ]
    assert [(r.section, r.heading, r.page) for r in recs[1:]] == [
        ("A. Cross-cutting issues", "Equality and non-discrimination", 3),
        ("C. Economic, social and cultural rights", "Right to education", 4),
        ("D. Rights of specific persons or groups", "Women", 5),
    ]
    assert recs[0].section is None and recs[0].heading is None  # a letter's are its salutation
    assert all(r.source_body == "OHCHR" and r.paragraph is None for r in recs)


def test_the_fourth_cycle_letter_asks_in_prose(pdf_pages):
    name = "SCANNED-OCR_ohchr_HC-letter_Slovenia_UPR4_2025.pdf"
    pages = pdf_pages(name)
    doc = identify(pages[:5], need_shared("pdf", name))
    assert (doc.document_type, doc.country_code) == ("letter", "SVN")
    recs = extract(pages, doc).recommendations
    texts = [r.text for r in recs]
    assert len(recs) == 7, texts
    assert texts[0].startswith("Taking into account concerns raised during the review, Slovenia is encouraged to "
                               "intensify measures to combat all forms of discrimination")
    assert any(t.startswith("Slovenia is also urged to continue strengthening its support for refugees")
               for t in texts)
    assert any(t.startswith("The Government is further encouraged to further strengthen") for t in texts)
    # a request broken over two paragraphs, the second in lower case, and one whose middle line the
    # segmenter took for a heading ("... plan. The" / "Government is encouraged to explicitly link")
    assert any(t.endswith("basic services for persons with disabilities, and protecting the rights of minorities "
                          "and ensuring their social inclusion, with particular attention to the situation of "
                          "Roma communities.") for t in texts)
    assert "The Government is encouraged to explicitly link each UPR recommendation to corresponding " \
           "recommendations from other international and regional human rights mechanisms and to the " \
           "relevant SDG and its targets." in texts
    assert not any("All Member States" in t for t in texts)  # advice to every State is not Slovenia's


def test_an_item_broken_before_a_capital_goes_on_and_a_heading_stays_one():
    """'Stepping up measures to ensure the right of' / 'Roma to adequate housing ...': the item goes on
    after a word no sentence ends on, or into a long line; a short line without a full stop after a
    finished item is the next items' heading."""
    recs = recommendations(_paras(
        (6, "heading", "Annex"),
        (6, "heading", "Minorities"),
        (6, "body", "Stepping up measures to ensure the right of"),
        (6, "body", "Roma to adequate housing and to end segregation of Roma communities."),
        (6, "body", "Strengthening measures to effectively protect the rights of all minorities in Slovenia, including"),
        (6, "body", "Roma, Sinti and other groups not recognised as national minorities by the Constitution of Slovenia."),
        (6, "body", "International Covenant on Economic, Social and Cultural Rights"),
        (6, "body", "Continuing efforts to guarantee access to health care for all."),
        (6, "body", "Taking effective steps to allow persons in need of international protection access."),
    ))
    assert [(r.heading, r.text) for r in recs] == [
        ("Minorities", "Stepping up measures to ensure the right of Roma to adequate housing and to end segregation "
                       "of Roma communities."),
        ("Minorities", "Strengthening measures to effectively protect the rights of all minorities in Slovenia, "
                       "including Roma, Sinti and other groups not recognised as national minorities by the "
                       "Constitution of Slovenia."),
        ("International Covenant on Economic, Social and Cultural Rights",
         "Continuing efforts to guarantee access to health care for all."),
        # "Taking" opens an item; only "Taking into account ..." opens a prose request
        ("International Covenant on Economic, Social and Cultural Rights",
         "Taking effective steps to allow persons in need of international protection access."),
    ]
