"""A small hand-made corpus for the trends, dossier and library-API tests.

Three States, three UPR reviews and one treaty body, with ESC-right, fiscal and group
tags set by hand (no model), so every count in the tests can be worked out from here.
Kenya's housing-evictions and OP-ICESCR recommendations are repeated across its reviews
in different words; its other recommendations are not.
"""

from __future__ import annotations

from pathlib import Path

from rightsindex.corpus.store import Store
from rightsindex.records import Document, Recommendation, Tag

# (text, paragraph, states, response, rights, fiscal, groups)
KEN_2010 = [
    ("Ensure access to adequate housing and prevent forced evictions in informal settlements",
     "101.1", ("Norway",), "supported", ("housing",), (), ()),
    ("Increase the budget allocated to public health care and maternal health services",
     "101.2", ("Cuba",), "supported", ("health",), ("budget_allocation",), ("women",)),
    ("Abolish the death penalty", "101.3", ("France",), "noted", (), (), ()),
    ("Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
     "101.4", ("Portugal",), "noted", ("esc_general",), (), ()),
]
KEN_2015 = [
    ("Take further measures to ensure access to adequate housing and to prevent forced evictions "
     "in informal settlements", "142.1", ("Norway", "Germany"), "supported", ("housing",), (), ()),
    ("Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
     "142.2", ("Portugal", "Spain"), "supported", ("esc_general",), (), ()),
    ("Introduce progressive taxation to finance health and education <for all>", "142.3", ("Brazil",),
     "noted", ("education", "health"), ("taxation",), ()),
    ("Strengthen the independence of the national human rights commission", "142.4",
     ("United Kingdom of Great Britain and Northern Ireland",), "supported", (), (), ()),
]
KEN_CESCR_2016 = [
    ("The Committee recommends that the State party prevent forced evictions and ensure access to "
     "adequate housing in informal settlements", "28", (), None, ("housing",), (), ()),
    ("Allocate sufficient resources to the health sector", "40", (), None, ("health",),
     ("budget_allocation",), ()),
]
SVN_2010 = [
    ("Eliminate discrimination against Roma in access to water and sanitation", "93.1", ("Spain",),
     "supported", ("water_sanitation",), (), ("roma",)),
    ("Combat violence against women", "93.2", ("Canada",), "supported", (), (), ("women",)),
]
SVN_2014 = [
    ("Ensure that Roma communities have drinking water", "115.1", ("Spain",), "supported",
     ("water_sanitation",), (), ("roma",)),
    ("Address the effects of climate change on housing", "115.2", ("Fiji",), "partially supported",
     ("healthy_environment", "housing"), (), ()),
    ("Combat violence against women", "115.3", ("Canada",), "noted", (), (), ("women",)),
]
BRA_2008 = [
    ("Continue the fight against poverty and hunger", "1", ("Cuba",), "supported",
     ("adequate_standard_of_living", "food"), (), ()),
]

DOCS = [
    (Document(sha256="k1" * 32, source_path="ken2010.pdf", symbol="A/HRC/15/8",
              document_type="upr_wg_report", body="UPR", country="Kenya", country_code="KEN",
              year=2010, cycle=1, session="8", review_date="2010-05-06"), KEN_2010),
    (Document(sha256="k2" * 32, source_path="ken2015.pdf", symbol="A/HRC/29/10",
              document_type="upr_wg_report", body="UPR", country="Kenya", country_code="KEN",
              year=2015, cycle=2, session="21", review_date="2015-01-22"), KEN_2015),
    (Document(sha256="k3" * 32, source_path="ken-cescr.pdf", symbol="E/C.12/KEN/CO/2-5",
              document_type="concluding_observations", body="CESCR", country="Kenya",
              country_code="KEN", year=2016), KEN_CESCR_2016),
    (Document(sha256="s1" * 32, source_path="svn2010.pdf", symbol="A/HRC/14/15",
              document_type="upr_wg_report", body="UPR", country="Slovenia", country_code="SVN",
              year=2010, cycle=1, session="7", review_date="2010-02-16"), SVN_2010),
    (Document(sha256="s2" * 32, source_path="svn2014.pdf", symbol="A/HRC/28/15",
              document_type="upr_wg_report", body="UPR", country="Slovenia", country_code="SVN",
              year=2014, cycle=2, session="20", review_date="2014-11-04"), SVN_2014),
    (Document(sha256="b1" * 32, source_path="bra2008.pdf", symbol="A/HRC/8/27",
              document_type="upr_wg_report", body="UPR", country="Brazil", country_code="BRA",
              year=2008, cycle=1, session="1", review_date="2008-04-11"), BRA_2008),
]


def build(corpus_dir: Path) -> Path:
    """Store the documents above in ``corpus_dir`` and tag them; returns the folder."""
    with Store.open(corpus_dir) as store:
        for doc, recs in DOCS:
            store.add_document(doc, [], [
                Recommendation(text=text, paragraph=para, page=10, recommending_states=states,
                               response=response)
                for text, para, states, response, _r, _f, _g in recs
            ])
        labels = {text: (rights, fiscal, groups)
                  for _d, recs in DOCS for text, _p, _s, _resp, rights, fiscal, groups in recs}
        tagged = []
        for stored in store.recommendations():
            rights, fiscal, groups = labels[stored.recommendation.text]
            tags = [Tag(family="esc_rights", label=r, source="lexicon", score=1.0) for r in rights]
            tags += [Tag(family="fiscal", label=f, source="lexicon", score=1.0) for f in fiscal]
            tags += [Tag(family="groups", label=g, source="lexicon", score=1.0) for g in groups]
            tagged.append((stored.id, tags))
        store.set_tags(tagged, "test-1")
    return corpus_dir
