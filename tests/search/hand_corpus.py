"""Small corpora for the search tests: hand-made records, and a slice of UPR Info's CSV.

The hand-made corpus is written so each expected count can be read off this file.
"""

from __future__ import annotations

import csv
from pathlib import Path

from rightsindex.corpus.store import Store
from rightsindex.records import Document, Paragraph, Recommendation, Tag

# (text, paragraph, states, codes, response, rights, fiscal, groups)
KEN = [
    ("Ensure access to adequate housing for women living in informal settlements", "101.1",
     ("France",), ("FRA",), "supported", ("housing",), (), ("women",)),
    ("Reform the tax system to make it more progressive and fund social protection", "101.2",
     ("Norway",), ("NOR",), "noted", ("social_security",), ("taxation",), ()),
    ("Guarantee the right of children to free primary education", "101.3",
     ("Chile", "Venezuela (Bolivarian Republic of)"), ("CHL", "VEN"), "supported", ("education",), (),
     ("children",)),
]
SVN = [
    ("The Committee recommends that the State party guarantee access to safe drinking water and "
     "sanitation for Roma communities", "12", (), (), None, ("water_sanitation",), (), ("minorities",)),
    ("The Committee urges the State party to put an end to forced evictions and to provide adequate "
     "alternative housing", "14", (), (), None, ("housing",), (), ()),
    ("The Committee recommends that austerity measures do not reduce social security benefits below "
     "the minimum", "18", (), (), None, ("social_security",), ("austerity",), ()),
]
BRA = [
    ("Combat violence against every woman and girl", "1", ("Canada",), ("CAN",), "supported", (), (),
     ("women",)),
    ("Increase the budget for public health and education services", "2", ("Cuba",), ("CUB",),
     "partially supported", ("health", "education"), ("budget_allocation",), ()),
]

DOCS = [
    (Document(sha256="a1" * 32, source_path="ken2010.pdf", symbol="A/HRC/15/8", document_type="upr_wg_report",
              body="UPR", country="Kenya", country_code="KEN", date="2010-06-17", year=2010, cycle=1,
              session="8", language="en", title="Report of the Working Group: Kenya",
              review_date="2010-05-06"), KEN),
    (Document(sha256="b2" * 32, source_path="svn-cescr.pdf", symbol="E/C.12/SVN/CO/2",
              document_type="concluding_observations", body="CESCR", country="Slovenia", country_code="SVN",
              date="2014-12-15", year=2014, language="en"), SVN),
    (Document(sha256="c3" * 32, source_path="bra2008.pdf", symbol="A/HRC/8/27", document_type="upr_wg_report",
              body="UPR", country="Brazil", country_code="BRA", date="2008-05-22", year=2008, cycle=1,
              session="1", language="en"), BRA),
]


def build(corpus_dir: Path) -> Path:
    """Store and tag the documents above (tags set by hand, no model)."""
    with Store.open(corpus_dir) as store:
        labels = {}
        for doc, recs in DOCS:
            store.add_document(doc, [], [
                Recommendation(text=t, paragraph=p, page=5 + i, recommending_states=s, recommending_codes=c,
                               response=r)
                for i, (t, p, s, c, r, *_rest) in enumerate(recs)
            ])
            labels.update({t: (rights, fiscal, groups) for t, _p, _s, _c, _r, rights, fiscal, groups in recs})
        tagged = []
        for stored in store.recommendations():
            rights, fiscal, groups = labels[stored.recommendation.text]
            tags = [Tag(family="esc_rights", label=x, source="lexicon", score=0.9, evidence=("e",)) for x in rights]
            tags += [Tag(family="fiscal", label=x, source="model", score=0.8) for x in fiscal]
            tags += [Tag(family="groups", label=x, source="both", score=0.7) for x in groups]
            tagged.append((stored.id, tags))
        store.set_tags(tagged, "test-1")
    return corpus_dir


def upr_slice(source: Path, dest: Path, rows: int = 2000) -> Path:
    """The first ``rows`` rows of UPR Info's CSV, written to ``dest``."""
    with open(source, encoding="utf-8", newline="") as fin, open(dest, "w", encoding="utf-8", newline="") as fout:
        reader = csv.reader(fin)
        writer = csv.writer(fout)
        for i, row in enumerate(reader):
            if i > rows:
                break
            writer.writerow(row)
    return dest


# -- paragraphs: an `other` document (no family fits it) and a report with paragraphs ---------------

OTHER_DOC = Document(sha256="e5" * 32, source_path="ngo-letter.pdf", symbol=None, document_type="other",
                     country="Kenya", country_code="KEN", year=2016, language="en",
                     title="Open letter on evictions in Nairobi")
OTHER_PARAGRAPHS = [
    Paragraph(seq=0, text="Open letter on evictions", page=1, kind="heading"),
    Paragraph(seq=1, text="Families living in informal settlements along the river were evicted without notice.",
              page=1, number="1", heading="Background"),
    Paragraph(seq=2, text="The women of Kibera asked the county for alternative housing and compensation.",
              page=2, number="2", heading="Background"),
    Paragraph(seq=3, text="See the county housing report of 2015 on informal settlements.", page=2,
              kind="footnote"),
]
REPORT_DOC = Document(sha256="f6" * 32, source_path="svn2014.pdf", symbol="A/HRC/28/15",
                      document_type="upr_wg_report", body="UPR", country="Slovenia", country_code="SVN",
                      date="2014-12-05", year=2014, cycle=2, session="20", language="en")
REPORT_PARAGRAPHS = [
    Paragraph(seq=0, text="Conclusions and recommendations", page=14, kind="heading"),
    Paragraph(seq=1, text="Slovenia described its programme for Roma settlements and access to drinking water.",
              page=3, number="12", section="Presentation by the State under review"),
    Paragraph(seq=2, text="Ensure access to drinking water for every Roma settlement", page=15, number="118.7",
              section="Conclusions and recommendations", kind="list_item"),
]


def build_paragraphs(corpus_dir: Path) -> Path:
    """The hand-made corpus above plus two documents with paragraphs (7 paragraphs in all)."""
    build(corpus_dir)
    with Store.open(corpus_dir) as store:
        store.add_document(OTHER_DOC, OTHER_PARAGRAPHS, [])
        store.add_document(REPORT_DOC, REPORT_PARAGRAPHS, [
            Recommendation(text="Ensure access to drinking water for every Roma settlement", paragraph="118.7",
                           page=15, recommending_states=("Spain",), recommending_codes=("ESP",))
        ])
    return corpus_dir


# -- a review held twice: Kenya 2010's report and UPR Info's rows of it --------------------------------

HELD_TWICE_DOCS = [  # stored newest first: the export orders them by country and date
    (Document(sha256="k5" * 32, source_path="ken2015.pdf", symbol="A/HRC/29/10",
              document_type="upr_wg_report", body="UPR", country="Kenya", country_code="KEN",
              date="2015-03-26", year=2015, cycle=2),
     [Recommendation(text="Adopt a national housing policy", paragraph="142.1",
                     recommending_states=("Chile",), response="supported")]),
    (Document(sha256="u8" * 32, source_path="upr-info:session-8:Kenya", document_type="upr_info_import",
              body="UPR", country="Kenya", country_code="KEN", year=2010, session="8", cycle=1),
     [Recommendation(text="Abolish the death penalty.", recommending_states=("France",), response="noted",
                     response_source="UPR Info", source_symbol="uprinfo-1"),
      Recommendation(text="Set up a national human rights institution for children", response="supported",
                     recommending_states=("Chile",), response_source="UPR Info", source_symbol="uprinfo-2")]),
    (Document(sha256="k4" * 32, source_path="ken2010.pdf", symbol="A/HRC/15/8", document_type="upr_wg_report",
              body="UPR", country="Kenya", country_code="KEN", date="2010-06-17", year=2010, cycle=1),
     [Recommendation(text="Ratify the Optional Protocol to the Convention against Torture", paragraph="101.9",
                     recommending_states=("Denmark",), response="supported"),
      Recommendation(text="Abolish the death penalty", paragraph="101.10", recommending_states=("France",),
                     response="pending")]),
    (Document(sha256="c9" * 32, source_path="chl2009.pdf", symbol="A/HRC/12/10",
              document_type="upr_wg_report", body="UPR", country="Chile", country_code="CHL",
              date="2009-06-04", year=2009, cycle=1),
     [Recommendation(text="Combat violence against women", paragraph="96.1", recommending_states=("Canada",),
                     response="supported")]),
]


def build_held_twice(corpus_dir: Path) -> Path:
    """Kenya 2010 from its report and from UPR Info's rows ("Abolish the death penalty" in both),
    Kenya 2015 and Chile 2009: six rows, five recommendations."""
    with Store.open(corpus_dir) as store:
        for doc, recs in HELD_TWICE_DOCS:
            store.add_document(doc, [], recs)
    return corpus_dir
