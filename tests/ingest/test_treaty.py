"""Concluding observations, on CONSTRUCTED PDFs.

No real concluding observations exist in ../shared: tests/fixtures/build_co.py
typesets documents that follow the UN template (masthead, symbol, Distr.,
date, Original, GE job number, numbered paragraphs, bold subject headings,
lettered sub-paragraphs, a follow-up paragraph) for CESCR, CRC, CEDAW, CCPR
an old-format CESCR document and a CERD document with italic headings. Their texts are written for the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rightsindex.ingest import treaty
from rightsindex.ingest.pdf import read_pages, sha256_file
from rightsindex.records import Document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
import build_co  # noqa: E402


@pytest.fixture(scope="session")
def co_pdfs(tmp_path_factory) -> dict[str, Path]:
    return build_co.build_all(tmp_path_factory.mktemp("co"))


def _extract(path: Path, symbol: str):
    doc = Document(sha256=sha256_file(path), source_path=str(path), symbol=symbol,
                   document_type="concluding_observations")
    return treaty.extract(list(read_pages(path)), doc)


def _by(ex, number: str):
    return [r for r in ex.recommendations if r.paragraph == number]


def test_cescr_new_format(co_pdfs) -> None:
    ex = _extract(co_pdfs["cescr_new"], build_co.CESCR_NEW.symbol)
    assert ex.document.body == "CESCR"
    assert {r.paragraph for r in ex.recommendations} >= {"5", "7", "9", "11", "12"}
    assert not _by(ex, "4") and not _by(ex, "3")  # concern, positive aspect
    five = _by(ex, "5")
    assert [r.part for r in five] == [1, 2, 3]
    assert five[0].text.startswith("The Committee recommends that the State party: (a) Take all necessary")
    assert all(r.heading == "Maximum available resources" and r.concern == "4" for r in five)
    assert five[0].follow_up and not five[1].follow_up and not five[2].follow_up
    assert _by(ex, "7")[0].heading == "Tax policy" and _by(ex, "7")[0].follow_up
    assert _by(ex, "9")[0].heading == "Right to adequate housing" and _by(ex, "9")[0].concern == "8"
    assert not _by(ex, "11")[0].follow_up
    assert _by(ex, "5")[0].section.startswith("C. Principal subjects of concern")


def test_crc_urgent_measures(co_pdfs) -> None:
    ex = _extract(co_pdfs["crc"], build_co.CRC.symbol)
    assert ex.document.body == "CRC"
    assert all(r.follow_up for r in _by(ex, "6") + _by(ex, "8") + _by(ex, "10"))
    assert not any(r.follow_up for r in _by(ex, "5"))
    assert not _by(ex, "3")  # the urgent-measures paragraph itself is not a recommendation
    assert _by(ex, "6")[0].concern is None  # no concern paragraph under "Non-discrimination"


def test_cedaw_subparagraph_follow_up(co_pdfs) -> None:
    ex = _extract(co_pdfs["cedaw"], build_co.CEDAW.symbol)
    four = _by(ex, "4")
    assert [r.follow_up for r in four] == [False, True, True]
    assert _by(ex, "6")[0].follow_up and not _by(ex, "8")[0].follow_up
    assert four[0].heading == "Access to justice"


def test_ccpr_should_form(co_pdfs) -> None:
    ex = _extract(co_pdfs["ccpr"], build_co.CCPR.symbol)
    assert ex.document.body == "CCPR"
    four = _by(ex, "4")[0]
    assert four.text.startswith("The State party should take the measures")
    assert four.follow_up and four.concern == "3"
    assert _by(ex, "8")[0].follow_up and not _by(ex, "6")[0].follow_up


def test_old_format_links_concerns_by_content(co_pdfs) -> None:
    ex = _extract(co_pdfs["cescr_old"], build_co.CESCR_OLD.symbol)
    recs = {r.paragraph: r for r in ex.recommendations}
    assert set(recs) >= {"8", "9", "10", "11"}
    assert recs["10"].section == "E. Suggestions and recommendations"
    assert [recs[n].concern for n in ("8", "9", "10", "11")] == ["4", "5", "6", "7"]


def test_follow_up_references_parsing() -> None:
    f = treaty.follow_up_references
    assert f("recommendations contained in paragraphs 12 (a), 24 and 38 above.") == \
        {"12": {"a"}, "24": set(), "38": set()}
    assert f("paragraphs 13 (racism), 25 (counter-terrorism) and 35 (refugees) above") == \
        {"13": set(), "25": set(), "35": set()}
    assert treaty.body_from_symbol("E/C.12/GBR/CO/6") == "CESCR"
    assert treaty.body_from_symbol("CRC/C/KEN/CO/3-5") == "CRC"


def test_cerd_italic_headings_and_combined_paragraphs(co_pdfs) -> None:
    ex = _extract(co_pdfs["cerd"], build_co.CERD.symbol)
    assert ex.document.body == "CERD"
    three = _by(ex, "3")[0]
    # concern and recommendation in one paragraph: the recommendation starts at its own sentence
    assert three.text.startswith("It recommends that the State party collect") and three.concern == "3"
    assert three.heading == "Statistics"  # an italic subject heading
    assert _by(ex, "6")[0].text.startswith("The Committee urges the State party to end")
    assert [r.follow_up for r in _by(ex, "5")] == [False, True]
    assert _by(ex, "6")[0].follow_up and not three.follow_up
    assert not _by(ex, "7")  # the follow-up paragraph itself
