"""Knowing what a document is: symbol, type, body, State, date, session, cycle, language, title.

The first part reads hand-written first pages that follow the UN masthead template
(constructed here, not copied from any document); the second checks every real PDF
of ../shared/data/pdf against its manifest (manifest.csv: symbol, type, country,
year, language), through the corpus the pipeline built from them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rightsindex.corpus.store import Store
from rightsindex.ingest.metadata import detect_language, identify, identify_text, undouble, upr_cycle
from rightsindex.records import Line, Page

from shared_data import need_shared  # type: ignore[import-not-found]

# -- constructed first pages ----------------------------------------------------------------------

WG_REPORT = """United Nations A
/HRC/28/15
General Assembly
Distr.: General
10 December 2014
Original: English

Human Rights Council
Twenty-eighth session
Agenda item 6
Universal periodic review

Report of the Working Group on the Universal Periodic
Review*
Slovenia
* The annex to the present report is circulated as received.
GE.14-23930 (E)
"""

CESCR_CO = """United Nations E/C.12/GBR/CO/6
Economic and Social Council
Distr.: General
14 July 2016
Original: English

Committee on Economic, Social and Cultural Rights

Concluding observations on the sixth periodic report of the United Kingdom
of Great Britain and Northern Ireland*
I. Introduction
1. The Committee considered the sixth periodic report of the United Kingdom...
"""

CRC_LOI = """United Nations CRC/C/KEN/Q/3-5
Convention on the Rights of the Child
Distr.: General
3 March 2015
Original: English

Committee on the Rights of the Child

List of issues in relation to the combined third to fifth periodic reports of Kenya
The State party is requested to submit in writing additional information.
"""

DOUBLED_RESOLUTION = """AA
UUNNIITTEEDD
NNAATTIIOONNSS
General Assembly
Distr.
GENERAL
A/RES/48/161
21 January 1994
Forty-eighth session
Agenda item 40
RESOLUTION ADOPTED BY THE GENERAL ASSEMBLY
[without reference to a Main Committee (A/48/L.21/Rev.1)]
48/161. The situation in Central America: procedures for the
establishment of a firm and lasting peace
The General Assembly,
Recalling the relevant resolutions of the Security Council and its own resolutions,
"""

FRENCH_NATIONAL_REPORT = """Nations Unies A
/HRC/WG.6/7/ITA/1
Assemblée générale
Distr. générale
16 novembre 2009
Français
Original: anglais
Conseil des droits de l'homme
Groupe de travail sur l'Examen périodique universel
Septième session
Genève, 8-19 février 2010
Rapport national présenté conformément au
paragraphe 15 a) de l'annexe à la résolution 5/1
du Conseil des droits de l'homme
Italie
I. Méthodologie
1. Le présent rapport a été établi par le Comité interministériel des droits de l'homme et
les services de la présidence du Conseil, dans le cadre de la procédure de consultation.
"""


def test_a_working_group_report_masthead():
    ident = identify_text(
        WG_REPORT,
        more_text="The Working Group on the Universal Periodic Review, established in accordance with "
        "Human Rights Council resolution 5/1, held its twentieth session from 27 October to 7 November 2014.",
    )
    assert ident.symbol == "A/HRC/28/15"  # the big "A" and "/HRC/28/15" come apart in extraction
    assert ident.document_type == "upr_wg_report"
    assert ident.body == "UPR"
    assert (ident.country, ident.country_code) == ("Slovenia", "SVN")
    assert (ident.date, ident.year) == ("2014-12-10", 2014)
    assert ident.session == "28"
    assert ident.cycle == 2  # from the Working Group's twentieth session, not the Council's 28th
    assert ident.language == "en"
    assert ident.title == "Report of the Working Group on the Universal Periodic Review - Slovenia"


def test_cycle_falls_back_on_the_council_session():
    assert identify_text(WG_REPORT).cycle == 2  # HRC 28 adopted cycle-2 outcomes


def test_treaty_body_concluding_observations_take_the_state_from_the_symbol():
    ident = identify_text(CESCR_CO)
    assert ident.symbol == "E/C.12/GBR/CO/6"
    assert ident.document_type == "concluding_observations"
    assert ident.body == "CESCR"
    assert ident.country_code == "GBR"
    assert ident.date == "2016-07-14"
    assert ident.title.startswith("Concluding observations on the sixth periodic report of the United Kingdom")


def test_a_list_of_issues():
    ident = identify_text(CRC_LOI)
    assert (ident.symbol, ident.document_type, ident.body, ident.country_code) == (
        "CRC/C/KEN/Q/3-5", "list_of_issues", "CRC", "KEN"
    )


def test_doubled_masthead_letters_do_not_leak():
    ident = identify_text(DOUBLED_RESOLUTION)
    assert ident.symbol == "A/RES/48/161"
    assert ident.document_type == "resolution"
    assert ident.body == "GA"
    assert ident.date == "1994-01-21"
    assert ident.title == (
        "The situation in Central America: procedures for the establishment of a firm and lasting peace"
    )
    assert "UU" not in ident.title and "UNITED" not in ident.title.upper()


def test_a_french_document():
    ident = identify_text(FRENCH_NATIONAL_REPORT)
    assert ident.symbol == "A/HRC/WG.6/7/ITA/1"
    assert ident.document_type == "upr_national_report"
    assert ident.country_code == "ITA"
    assert ident.date == "2009-11-16"
    assert (ident.session, ident.cycle) == ("7", 1)
    assert ident.language == "fr"
    assert ident.title.startswith("Rapport national présenté conformément au paragraphe 15 a)")


def test_undouble_changes_only_fully_doubled_lines():
    assert undouble("UUNNIITTEEDD NNAATTIIOONNSS") == "UNITED NATIONS"
    assert undouble("UNITEDUNITED AA NATIONSNATIONS") == "UNITED A NATIONS"
    assert undouble("TTThhheee iiimmmpppaaacccttt") == "The impact"
    assert undouble("Committee on the Rights of the Child") == "Committee on the Rights of the Child"
    assert undouble("AA") == "AA"  # too short to tell
    assert undouble("Tennessee committee") == "Tennessee committee"


@pytest.mark.parametrize(
    ("wg", "cycle"), [(1, 1), (12, 1), (13, 2), (26, 2), (27, 3), (40, 3), (41, 4), (48, 4)]
)
def test_upr_cycles(wg, cycle):
    assert upr_cycle(wg) == cycle


def test_languages_by_script_and_stopwords():
    assert detect_language("Настоящий доклад был подготовлен во исполнение резолюций") == "ru"
    assert detect_language("تقرير الفريق العامل المعني بالاستعراض الدوري الشامل") == "ar"
    assert detect_language("普遍定期审议工作组报告") == "zh"
    assert detect_language("El presente informe se preparó de conformidad con las resoluciones del Consejo") == "es"
    assert detect_language("Le présent rapport a été établi par le Comité pour les droits de la femme") == "fr"
    assert detect_language("The present report was prepared pursuant to the resolutions of the Council") == "en"


def test_identify_reads_the_symbol_from_a_removed_running_header(tmp_path):
    """The PDF layer may take the masthead symbol line for a running header."""
    lines = [ln for ln in WG_REPORT.splitlines() if ln and not ln.startswith("/HRC")]
    page = Page(
        number=1, width=595, height=842,
        lines=tuple(Line(text=t, x0=50, top=50 + 14 * i, x1=500, bottom=60 + 14 * i, size=10)
                    for i, t in enumerate(lines)),
        headers=("A/HRC/28/15", "GE.14-23930 (E)"),
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    doc = identify([page], path, pages=25)
    assert doc.symbol == "A/HRC/28/15"
    assert doc.source_path == str(path)
    assert len(doc.sha256) == 64 and doc.pages == 25
    assert doc.country_code == "SVN"


def test_a_page_without_any_masthead_is_other():
    ident = identify_text("Minutes of the meeting\n\nThe meeting was opened at 10 a.m. and the agenda adopted.")
    assert ident.symbol is None
    assert ident.document_type == "other"
    assert ident.title == "Minutes of the meeting"


# -- the real PDFs of ../shared, through the pipeline ---------------------------------------------------

_TYPES = [
    ("working group report", "upr_wg_report"),
    ("upr addendum", "upr_addendum"),
    ("national report", "upr_national_report"),
    ("compilation", "upr_compilation"),
    ("summary of stakeholder", "upr_stakeholder_summary"),
    ("hrc decision", "decision"),
    ("report of the human rights council on", "session_report"),
    ("general assembly resolution", "resolution"),
    ("ngo report", "ngo_report"),
    ("letter", "letter"),
    ("infographic", "other"),
]
#: ISO 3166-1 alpha-3 of the manifest's country names.
_ISO = {
    "Slovenia": "SVN", "Italy": "ITA", "Brazil": "BRA", "Mali": "MLI", "Canada": "CAN", "China": "CHN",
    "Iran (Islamic Republic of)": "IRN", "Kenya": "KEN", "United States of America": "USA",
    "Haiti": "HTI", "India": "IND", "Colombia": "COL",
}
#: The manifest gives the year of the session; the document itself is dated the next year.
_DISTR_YEAR = {"hrc_A-HRC-43-2_HRC-43rd-session-report_2020.pdf": 2021}


def _manifest() -> list[dict[str, str]]:
    path = need_shared("pdf", "manifest.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    by_symbol: dict[str, str] = {}
    for row in rows:
        text = row["doc_type"].lower()
        if text.startswith("same,"):
            row["expected_type"] = by_symbol[row["symbol"]]
            continue
        row["expected_type"] = next(t for words, t in _TYPES if words in text)
        by_symbol[row["symbol"]] = row["expected_type"]
    return [r for r in rows if not r["file"].startswith(("CORRUPTED_", "SCANNED_"))]


@pytest.fixture(scope="module")
def stored_documents(real_corpus):
    with Store.open(real_corpus) as store:
        return {Path(doc.source_path).name: doc for _, doc in store.documents()}


@pytest.mark.slow
def test_every_real_pdf_is_identified_as_its_manifest_says(stored_documents):
    rows = _manifest()
    assert len(rows) >= 25
    problems = []
    for row in rows:
        doc = stored_documents.get(row["file"])
        if doc is None:
            problems.append(f"{row['file']}: not stored")
            continue
        symbol = row["symbol"] if row["symbol"].startswith(("A/", "E/")) else None
        expected = {
            "symbol": symbol,
            "document_type": row["expected_type"],
            "country_code": _ISO.get(row["country"]),
            "language": row["language"],
        }
        if symbol or row["expected_type"] == "ngo_report":
            expected["year"] = _DISTR_YEAR.get(row["file"], int(row["year"]))
        got = {key: getattr(doc, key) for key in expected}
        if got != expected:
            problems.append(f"{row['file']}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_real_pdfs_have_their_upr_cycle_and_title(stored_documents):
    rows = {r["file"]: r for r in _manifest()}
    for name, doc in stored_documents.items():
        if name not in rows or doc.body != "UPR":
            continue
        year = int(rows[name]["year"])
        # cycle 1 ran 2008-2011, cycle 2 2012-2016, cycle 3 2017-2021, cycle 4 from 2022
        expected = 1 if year <= 2011 else 2 if year <= 2016 else 3 if year <= 2021 else 4
        if doc.document_type == "upr_national_report" and year == 2024:
            expected = 4
        assert doc.cycle == expected, (name, doc.cycle)
        assert doc.title and "GE." not in doc.title and "Distr" not in doc.title, (name, doc.title)
    wg = stored_documents["upr_A-HRC-28-15_Slovenia_WG-report_2014.pdf"]
    assert wg.title == "Report of the Working Group on the Universal Periodic Review - Slovenia"
    res = stored_documents["ga_A-RES-48-161_resolution_1994_EN.pdf"]
    assert res.title.startswith("The situation in Central America: procedures for the establishment")
    assert "UNITED" not in res.title.upper()
    add = stored_documents["upr_A-HRC-28-15-Add.1_Slovenia_responses_2015.pdf"]
    assert add.responds_to == "A/HRC/28/15"


@pytest.mark.slow
def test_the_noisy_ocr_layer_is_flagged(stored_documents):
    scan = next(d for n, d in stored_documents.items() if n.startswith("SCANNED-OCR_"))
    assert "noisy_ocr" in scan.flags
    clean = stored_documents["upr_A-HRC-28-15_Slovenia_WG-report_2014.pdf"]
    assert "noisy_ocr" not in clean.flags
