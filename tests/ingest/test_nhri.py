"""NHRI and NGO reports: recommendations found by their form, on real PDFs of ../shared."""

from __future__ import annotations

from rightsindex.ingest import nhri
from rightsindex.records import Document


def _doc(kind: str = "ngo_report", country: str | None = None) -> Document:
    return Document(sha256="t", source_path="x.pdf", document_type=kind, country=country)


def test_upr_info_report_best_practices(pdf_pages) -> None:
    pages = pdf_pages("ngo_UPR-Info_Beyond-Promises_2014.pdf")
    ex = nhri.extract(pages, _doc())
    texts = [r.text for r in ex.recommendations]
    assert ex.document.pages == 84 and len(ex.paragraphs) > 300
    # the "Best practices" lists, each item with the stakeholder it is addressed to
    assert "States under Review: Collaborate with national and international partners to implement UPR " \
           "recommendations." in texts
    assert any(t.startswith("National Human Rights Institutions: Bring the government together") for t in texts)
    # the list continues on the next page, under the same addressee
    assert any(t.startswith("States under Review: Write a mid-term report") for t in texts)
    assert sum(t.startswith("Recommending states: ") for t in texts) >= 3
    # "should" sentences addressed to the State under review
    assert any(t.startswith("Upon completion of the review, the SuR should respond") for t in texts)
    # statistics and descriptions are not recommendations
    assert not any("percent" in t and "should" not in t and ":" not in t for t in texts)
    assert all(r.source_body == "NGO" for r in ex.recommendations)
    assert 15 <= len(texts) <= 60


def test_ombudsman_input(pdf_pages) -> None:
    pages = pdf_pages("upr_A-HRC-WG.6-48-SVN-3_Slovenia_stakeholders-summary_2024.pdf")
    ex = nhri.extract(pages[:3], _doc("nhri_report", "Slovenia"))
    texts = [r.text for r in ex.recommendations]
    assert any(t.startswith("The Ombudsman recommended that the authorities provide training") for t in texts)
    assert any("legal recognition of gender markers" in t for t in texts)
    assert not any(t.startswith("The Ombudsman noted") for t in texts)
    assert ex.recommendations[0].source_body == "NHRI"


def test_sentence_forms() -> None:
    text = ("The Commission welcomes the new law. The Commission recommends that the Ministry of Health "
            "publish waiting times. The Government should ratify the Optional Protocol without delay. "
            "The report was adopted in 2019.")
    assert nhri.recommendation_sentences(text) == [
        "The Commission recommends that the Ministry of Health publish waiting times.",
        "The Government should ratify the Optional Protocol without delay.",
    ]
    assert nhri.is_recommendation_heading("IV. Recommendations")
    assert nhri.is_recommendation_heading("Key recommendations to the Government")
    assert not nhri.is_recommendation_heading("Implementation of noted recommendations")


def test_upr_info_report_against_hand_labels(pdf_pages) -> None:
    """Every recommendation labelled true by hand (tests/fixtures/nhri_upr_info_labels.json) is found;
    none labelled false (descriptions, reported speech, past narrative) comes back."""
    import json
    from pathlib import Path

    labels = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "nhri_upr_info_labels.json")
                        .read_text(encoding="utf-8"))
    pages = pdf_pages(labels["pdf"])
    texts = [r.text for r in nhri.extract(pages, _doc()).recommendations]
    true = [row["text"] for row in labels["labels"] if row["recommendation"]]
    false = [row["text"] for row in labels["labels"] if not row["recommendation"]]
    assert len(true) >= 15 and len(false) >= 5
    assert [t for t in true if t not in texts] == []  # recall of the labelled true ones
    assert [t for t in false if t in texts] == []
    labelled = set(true) | set(false)
    unlabelled = [t for t in texts if t not in labelled]
    assert len(unlabelled) <= 2, unlabelled  # anything new must be looked at and labelled


def test_reported_speech_and_subordinate_modals_are_not_recommendations() -> None:
    text = ("For example, in 2014, Germany recommended to Nicaragua to revise its legislation on abortion. "
            "Haiti adopted a law in 2012, according to which the government must take measures. "
            "Civil society listed the actions that the government should take toward implementation. "
            "They explained how the recommendations received by the government should be implemented. "
            "The State, as well as its municipalities, should publish the budget every year. "
            "Amnesty recommends that the Government repeal the law. "
            "It is essential that the authorities should consult civil society organisations. "
            "Recommending states should follow up on their recommendations in the implementation period.")
    assert nhri.recommendation_sentences(text) == [
        "The State, as well as its municipalities, should publish the budget every year.",
        "Amnesty recommends that the Government repeal the law.",
        "It is essential that the authorities should consult civil society organisations.",
        "Recommending states should follow up on their recommendations in the implementation period.",
    ]
