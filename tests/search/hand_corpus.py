"""Small corpora for the search tests: hand-made records, and a slice of UPR Info's CSV.

The hand-made corpus is written so each expected count can be read off this file.
"""

from __future__ import annotations

import csv
from pathlib import Path

from rightsindex.corpus.store import Store
from rightsindex.records import Document, Recommendation, Tag

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
              session="8", language="en", title="Report of the Working Group: Kenya"), KEN),
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
