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


def test_a_working_group_report_takes_the_year_of_its_review():
    intro = ("The Working Group on the Universal Periodic Review (UPR), established in accordance with "
             "Human Rights Council resolution 5/1, held its ninth session from 1 to 12 November 2010. The "
             "review of the United States of America was held at the 9th meeting,\non 5 November 2010.")
    ident = identify_text(WG_REPORT.replace("10 December 2014", "4 January 2011"), more_text=intro)
    assert (ident.date, ident.year, ident.review_date) == ("2011-01-04", 2010, "2010-11-05")
    cycle1 = intro.replace("meeting,\non 5 November 2010", "meeting on 11 April 2008")
    assert identify_text(WG_REPORT, more_text=cycle1).review_date == "2008-04-11"
    # only a working-group report records its review
    addendum = identify_text(WG_REPORT.replace("/HRC/28/15", "/HRC/28/15/Add.1"), more_text=intro)
    assert addendum.document_type == "upr_addendum" and addendum.review_date is None
    assert addendum.year == 2014


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
_DISTR_YEAR = {"hrc_A-HRC-43-2_HRC-43rd-session-report_2020.pdf": 2021,
               # a working-group report takes its review's year: 5 November 2010, the report 4 January 2011
               "upr_A-HRC-16-11_USA_WG-report_2011.pdf": 2010}


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
    reviewed = {name: doc.review_date for name, doc in stored_documents.items()
                if doc.document_type == "upr_wg_report"}
    assert len(reviewed) == 12 and all(reviewed.values()), reviewed
    usa = stored_documents["upr_A-HRC-16-11_USA_WG-report_2011.pdf"]
    assert (usa.date, usa.review_date, usa.year) == ("2011-01-04", "2010-11-05", 2010)


@pytest.mark.slow
def test_the_noisy_ocr_layer_is_flagged(stored_documents):
    scan = next(d for n, d in stored_documents.items() if n.startswith("SCANNED-OCR_"))
    assert "noisy_ocr" in scan.flags
    clean = stored_documents["upr_A-HRC-28-15_Slovenia_WG-report_2014.pdf"]
    assert "noisy_ocr" not in clean.flags


# -- title failure kinds found against the HURIDOCS gold (constructed pages of the same layouts) -------

def _page(*blocks: str) -> str:
    return "\n".join(blocks)


_HEAD = "A/HRC/30/11\n\nUnited Nations\n\nGeneral Assembly\n\nDistr.: General\n2 July 2015\nOriginal: English\n\n"


def test_a_stray_token_above_the_masthead_is_not_the_title():
    text = "xq7\n\n" + _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 5", "Human rights bodies and mechanisms", "",
        "Cooperation with the treaty bodies*", "Report of the Secretary-General", "Summary",
        "The present report is submitted pursuant to resolution 12/2.",
    )
    assert identify_text(text).title == "Cooperation with the treaty bodies - Report of the Secretary-General"


def test_a_single_letter_masthead_line_is_not_the_title():
    text = _HEAD.replace("United Nations\n", "United Nations\nT\n") + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 5", "Human rights bodies and mechanisms", "",
        "Report of the Special Rapporteur on the independence of judges, Ana Ruiz", "Summary",
    )
    assert identify_text(text).title == "Report of the Special Rapporteur on the independence of judges, Ana Ruiz"


def test_one_agenda_item_takes_one_agenda_title_even_when_the_title_reads_like_another():
    text = _HEAD + _page(
        "Human Rights Council", "Seventh session", "Agenda item 2",
        "Annual report of the United Nations High Commissioner", "for Human Rights and reports of the Office of the",
        "High Commissioner and the Secretary-General",
        "Report of the United Nations High Commissioner for Human Rights",
        "and follow-up to the World Conference on Human Rights*", "Summary",
    )
    assert identify_text(text).title == (
        "Report of the United Nations High Commissioner for Human Rights and follow-up to the World Conference "
        "on Human Rights"
    )


def test_a_capitalised_agenda_subitem_above_the_title_is_dropped():
    text = _HEAD + _page(
        "HUMAN RIGHTS COUNCIL", "Fourth session", "Item 2 of the provisional agenda", "",
        "IMPLEMENTATION OF GENERAL ASSEMBLY RESOLUTION 60/251", "OF 15 MARCH 2006 ENTITLED \u201cHUMAN RIGHTS COUNCIL\u201d",
        "RIGHTS OF THE CHILD", "Report of the United Nations High Commissioner for Human Rights",
        "on child labour in agriculture *", "",
    )
    assert identify_text(text).title == (
        "Report of the United Nations High Commissioner for Human Rights on child labour in agriculture"
    )


def test_a_french_working_group_report_with_nations_unies_on_two_lines():
    text = _page(
        "NATIONS", "UNIES", "", "A", "Assemblée générale", "", "Distr.", "GÉNÉRALE", "A/HRC/12/99", "5 juin 2009",
        "FRANÇAIS", "Original: ANGLAIS", "", "CONSEIL DES DROITS DE L\u2019HOMME", "Douzième session",
        "Point 6 de l\u2019ordre du jour", "EXAMEN PÉRIODIQUE UNIVERSEL",
        "Rapport du Groupe de travail sur l\u2019Examen périodique universel*", "Slovaquie", "", "*", "",
        "L\u2019annexe est distribuée telle qu\u2019elle a été reçue.",
    )
    ident = identify_text(text)
    assert ident.title == "Rapport du Groupe de travail sur l\u2019Examen périodique universel - Slovaquie"
    assert ident.language == "fr"


def test_the_working_group_title_with_a_missing_word_still_takes_its_state():
    text = WG_REPORT.replace("Working Group on the Universal Periodic\nReview*",
                             "Working on the Universal Periodic Review *")
    assert identify_text(text).title == "Report of the Working on the Universal Periodic Review - Slovenia"


def test_prose_after_a_written_statement_title_is_not_part_of_it():
    text = _HEAD.replace("Original: English", "English only") + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Written statement* submitted by the Example Youth", "Organization, a non-governmental organization in special",
        "consultative status",
        "The Secretary-General has received the following written statement which is circulated in",
        "accordance with Economic and Social Council resolution 1996/31.", "[11 February 2017]",
    )
    assert identify_text(text).title == (
        "Written statement submitted by the Example Youth Organization, a non-governmental organization in "
        "special consultative status"
    )


def test_a_thematic_subtitle_of_a_rapporteur_report_is_kept():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Report of the Special Rapporteur on the right to food,", "Hilal Elver*",
        "Access to justice and the right to food: the way forward", "Summary",
    )
    assert identify_text(text).title == (
        "Report of the Special Rapporteur on the right to food, Hilal Elver - "
        "Access to justice and the right to food: the way forward"
    )


def test_a_corrigendum_line_ends_the_title_and_is_labelled():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 1", "Organizational and procedural matters", "",
        "Agenda and annotations", "Corrigendum", "1. Paragraph 9, table", "The entries for Ruritania should read",
    )
    assert identify_text(text).title == "Agenda and annotations - Corrigendum"


def test_an_agenda_heading_after_the_title_is_not_part_of_it():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 1", "Organizational and procedural matters", "",
        "Agenda and annotations", "Agenda", "1.", "", "Organizational and procedural matters.",
    )
    assert identify_text(text).title == "Agenda and annotations"


def test_a_subtitle_of_dates_ends_before_the_prose_that_follows():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Communications report of Special Procedures*", "Communications sent, 1 March to 31 May 2015;",
        "Replies received, 1 May to 31 July 2015",
        "Joint report by the Special Rapporteur on adequate housing as a component of the",
        "right to an adequate standard of living; the Working Group on arbitrary detention",
    )
    assert identify_text(text).title == (
        "Communications report of Special Procedures - Communications sent, 1 March to 31 May 2015; "
        "Replies received, 1 May to 31 July 2015"
    )


def test_a_working_group_report_keeps_a_subtitle_that_starts_with_an_article():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Report of the Working Group on Arbitrary Detention*",
        "A compilation of national laws on the right to challenge", "the lawfulness of detention",
        "Chair-Rapporteur: A. Person", "", "Summary",
    )
    assert identify_text(text).title == (
        "Report of the Working Group on Arbitrary Detention - "
        "A compilation of national laws on the right to challenge the lawfulness of detention"
    )


def test_spanish_session_dates_and_agenda_lines_are_masthead():
    text = _page(
        "A/HRC/35/99/Add.9", "", "Naciones Unidas", "", "Asamblea General", "", "Distr. general", "5 de junio de 2017",
        "", "Original: español", "", "Consejo de Derechos Humanos", "35º período de sesiones",
        "6 a 23 de junio de 2017", "Tema 3 de la agenda",
        "Promoción y protección de todos los derechos humanos, civiles,", "políticos, económicos, sociales y culturales,",
        "incluido el derecho al desarrollo", "",
        "Informe del Relator Especial sobre la independencia de los jueces, sobre su", "visita a Ruritania: comentarios del Estado",
        "", "Nota de la Secretaría",
    )
    ident = identify_text(text)
    assert ident.title.startswith("Informe del Relator Especial sobre la independencia de los jueces")
    assert ident.language == "es"


def test_a_thematic_title_right_after_the_rapporteurs_name_is_a_subtitle():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Report of the Special Rapporteur on the promotion and", "protection of human rights while",
        "countering terrorism, Ben Emmerson",
        "Framework principles for securing the accountability of public officials*", "Summary",
    )
    assert identify_text(text).title == (
        "Report of the Special Rapporteur on the promotion and protection of human rights while countering "
        "terrorism, Ben Emmerson - Framework principles for securing the accountability of public officials"
    )


def test_a_name_wrapped_onto_the_next_line_stays_in_the_title():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Report of the Special Rapporteur on extreme poverty and", "human rights, Magdalena Sepúlveda", "Carmona*",
        "Summary",
    )
    assert identify_text(text).title == (
        "Report of the Special Rapporteur on extreme poverty and human rights, Magdalena Sepúlveda Carmona"
    )


def test_a_study_line_in_the_title_block_is_its_attribution():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 5", "Human rights bodies and mechanisms", "",
        "Right to health and indigenous peoples with a focus on children and youth",
        "Study by the Expert Mechanism on the Rights of Indigenous", "Peoples", "Summary",
    )
    assert identify_text(text).title == (
        "Right to health and indigenous peoples with a focus on children and youth - "
        "Study by the Expert Mechanism on the Rights of Indigenous Peoples"
    )


def test_a_presidential_statement_is_titled_after_its_number():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 5", "Human rights bodies and mechanisms", "",
        "Statement by the President", "PRST 27/2", "Reports of the Advisory Committee", "",
        "At the 38th meeting, on 26 September 2014, the President of the Human Rights Council made",
    )
    assert identify_text(text).title == "Reports of the Advisory Committee"


def test_advance_version_and_unofficial_translation_lines_are_masthead():
    advance = _page(
        "UNITED", "NATIONS", "", "A", "General Assembly", "", "Distr.", "GENERAL",
        "A/HRC/12/48 (ADVANCE 2)", "24 September 2009", "", "Original: ENGLISH", "", "HUMAN RIGHTS COUNCIL",
        "Twelfth session", "Agenda item 7", "",
        "Report of the United Nations Fact Finding Mission on the Gaza Conflict", "", "Conclusions and recommendations",
        "", "GE.09-15666",
    )
    assert identify_text(advance).title.startswith("Report of the United Nations Fact Finding Mission on the Gaza")
    unofficial = _page(
        "Unofficial translation", "", "General Distribution", "July 5, 2019", "", "Original: English", "",
        "Human Rights Council", "Forty-first session", "", "Report of the United Nations High Commissioner for Human",
        "Rights on the situation of human rights in Ruritania", "", "I. Introduction",
    )
    assert identify_text(unofficial).title == (
        "Report of the United Nations High Commissioner for Human Rights on the situation of human rights in Ruritania"
    )


def test_a_corrigendum_line_below_the_chair_rapporteur_line_labels_the_title():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Report of the Working Group on the Right to Development", "on its twentieth session (Geneva, 29 April to 3 May 2019)",
        "Chair-Rapporteur: A. Person", "Corrigendum", "Paragraph 100 (c), line 4", "For or read and/or",
    )
    assert identify_text(text).title == (
        "Report of the Working Group on the Right to Development on its twentieth session "
        "(Geneva, 29 April to 3 May 2019) - Corrigendum"
    )


# -- title block patterns found by bench/metadata.py against the HURIDOCS first pages ------------------

_OLD_HEAD = "UNITED\nNATIONS\n\nA\nGeneral Assembly\n\nDistr.\nGENERAL\nA/HRC/6/22\n14 April 2008\nOriginal: ENGLISH\n\n"


def test_a_bare_note_is_named_after_the_report_it_transmits():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 5", "Human rights bodies and mechanisms", "",
        "Note by the United Nations High Commissioner for Human Rights",
        "The United Nations High Commissioner for Human Rights has the honour to",
        "transmit to the members of the Human Rights Council the report of the twentieth meeting",
        "of special rapporteurs, independent experts and chairs of working groups of the special",
        "procedures, which took place in Geneva from 1 to 5 June 2015.",
    )
    assert identify_text(text).title == (
        "Report of the twentieth meeting of special rapporteurs, independent experts and chairs of working "
        "groups of the special procedures"
    )


def test_a_bare_note_without_a_transmitted_report_keeps_the_heading_above_it():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 2",
        "ANNUAL REPORT OF THE UNITED NATIONS HIGH COMMISSIONER", "FOR HUMAN RIGHTS AND REPORTS OF THE OFFICE OF THE HIGH",
        "COMMISSIONER AND THE SECRETARY-GENERAL", "Note by the Secretariat",
        "The present note is submitted pursuant to Human Rights Council resolution 7/29.",
    )
    assert identify_text(text).title.endswith(" - Note by the Secretariat")


def test_a_note_transmitting_a_report_is_named_after_that_report():
    text = _OLD_HEAD + _page(
        "HUMAN RIGHTS COUNCIL", "Fourth session", "Item 2 of the provisional agenda",
        "IMPLEMENTATION OF GENERAL ASSEMBLY RESOLUTION 60/251", "OF 15 MARCH 2006 ENTITLED “HUMAN RIGHTS COUNCIL”",
        "Note by the United Nations High Commissioner for Human Rights",
        "transmitting to the Human Rights Council the report on the",
        "Conference on human rights and good governance (Ruritania, 8 and 9 May 2006)*",
        "The High Commissioner for Human Rights has the honour to transmit to the members",
    )
    assert identify_text(text).title == (
        "Report on the Conference on human rights and good governance (Ruritania, 8 and 9 May 2006)"
    )


def test_a_chairperson_line_ends_the_title():
    text = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Report of the Working Group on the use of mercenaries", "Chairperson: Ms. A. Person", "Summary",
    )
    assert identify_text(text).title == "Report of the Working Group on the use of mercenaries"


def test_a_misspelt_council_line_and_a_footnote_number_on_the_session_line_are_masthead():
    misspelt = _OLD_HEAD + _page(
        "HUMAN RIGHT COUNCIL", "Seventh session", "Agenda item 4", "",
        "HUMAN RIGHTS SITUATIONS THAT REQUIRE", "THE COUNCIL’S ATTENTION",
        "Report of the Special Rapporteur on the situation of human rights", "in Ruritania, A. Person*", "",
    )
    assert identify_text(misspelt).title == (
        "Report of the Special Rapporteur on the situation of human rights in Ruritania, A. Person"
    )
    footnote = _HEAD + _page(
        "Human Rights Council", "Twenty-seventh special session12", "5 December 2017", "",
        "Report of the Human Rights Council", "on its twenty-seventh special session",
        "Vice-President and Rapporteur: A. Person",
    )
    assert identify_text(footnote).title == "Report of the Human Rights Council on its twenty-seventh special session"


def test_session_dates_wrapped_onto_two_lines_are_masthead():
    text = _OLD_HEAD + _page(
        "HUMAN RIGHTS COUNCIL", "Sixth session", "Agenda item 1", "Organizational and procedural matters",
        "10-28 September and", "10-14 December 2007", "",
        "REPORT OF THE HUMAN RIGHTS COUNCIL ON ITS SIXTH SESSION", "Vice-President and Rapporteur: A. Person",
    )
    assert identify_text(text).title == "REPORT OF THE HUMAN RIGHTS COUNCIL ON ITS SIXTH SESSION"


def test_the_official_records_cover_is_not_a_subtitle():
    text = _page(
        "A/72/53/Add.1", "", "United Nations", "", "Report of the Human Rights", "Council", "Thirty-sixth session",
        "(11-29 September 2017)", "", "General Assembly", "Official Records", "Seventy-second Session",
        "Supplement No. 53 A (A/72/53/Add.1)",
    )
    assert identify_text(text).title == "Report of the Human Rights Council Thirty-sixth session (11-29 September 2017)"


def test_a_body_name_wrapped_in_an_attribution_line_stays_whole():
    text = _HEAD + _page(
        "Human Rights Council", "Forty-fifth session", "Agenda item 9",
        "Racism, racial discrimination, xenophobia and related", "forms of intolerance, follow-up to and implementation",
        "of the Durban Declaration and Programme of Action", "",
        "Preparations for an anniversary of the Durban Declaration",
        "Report of the Intergovernmental Working Group on the Effective",
        "Implementation of the Durban Declaration and Programme of Action", "Summary",
    )
    assert identify_text(text).title == (
        "Preparations for an anniversary of the Durban Declaration - Report of the Intergovernmental Working "
        "Group on the Effective Implementation of the Durban Declaration and Programme of Action"
    )


def test_the_place_and_dates_of_a_session_close_the_report_title():
    comma = _HEAD + _page(
        "Human Rights Council", "Thirtieth session", "Agenda item 5", "Human rights bodies and mechanisms", "",
        "Report of the Expert Mechanism on the", "Rights of Indigenous Peoples on its eighth session,",
        "Geneva, 20-24 July 2015", "Chair-Rapporteur: A. Person", "Summary",
    )
    assert identify_text(comma).title == (
        "Report of the Expert Mechanism on the Rights of Indigenous Peoples on its eighth session, "
        "Geneva, 20-24 July 2015"
    )
    caps = _OLD_HEAD + _page(
        "HUMAN RIGHTS COUNCIL", "Tenth session", "Agenda item 5", "HUMAN RIGHTS BODIES AND MECHANISMS",
        "REPORT OF THE EXPERT MECHANISM ON THE RIGHTS", "OF INDIGENOUS PEOPLES ON ITS FIRST SESSION*",
        "Geneva, 1-3 October 2008", "Chairperson-Rapporteur: A. Person",
    )
    assert identify_text(caps).title == (
        "REPORT OF THE EXPERT MECHANISM ON THE RIGHTS OF INDIGENOUS PEOPLES ON ITS FIRST SESSION "
        "(Geneva, 1-3 October 2008)"
    )
    wrapped = _HEAD + _page(
        "Human Rights Council", "Fifteenth session", "", "Right to development", "",
        "Report of the high-level task force on the implementation of",
        "the right to development on its sixth session (Geneva, 14–22", "January 2010)",
        "Chairperson-Rapporteur: A. Person",
    )
    assert identify_text(wrapped).title.endswith("on its sixth session (Geneva, 14–22 January 2010)")


def test_a_report_and_the_note_that_covers_it_are_both_attribution():
    text = _HEAD + _page(
        "Human Rights Council", "Twenty-eighth session", "Agenda item 2",
        "Annual report of the United Nations High Commissioner", "for Human Rights and reports of the Office of the",
        "High Commissioner and the Secretary-General", "",
        "Promoting reconciliation and human rights in", "Ruritania",
        "Report of the Office of the United Nations High Commissioner for", "Human Rights*", "Note by the Secretariat",
        "In its resolution 25/1, the Human Rights Council requested the Office of the United",
    )
    assert identify_text(text).title == (
        "Promoting reconciliation and human rights in Ruritania - Report of the Office of the United Nations "
        "High Commissioner for Human Rights - Note by the Secretariat"
    )


def test_an_agenda_title_in_another_wording_is_masthead():
    text = _OLD_HEAD + _page(
        "HUMAN RIGHTS COUNCIL", "Ninth session", "Agenda item 2", "",
        "ANNUAL REPORT OF THE UNITED NATIONS HIGH COMMISSIONER", "FOR HUMAN RIGHTS AND REPORTS OF THE HIGH COMMISSIONER",
        "AND THE SECRETARY-GENERAL", "REPORT OF THE UNITED NATIONS HIGH COMMISSIONER",
        "FOR HUMAN RIGHTS ON THE IMPLEMENTATION OF", "HUMAN RIGHTS COUNCIL RESOLUTION 7/19*",
    )
    assert identify_text(text).title == (
        "REPORT OF THE UNITED NATIONS HIGH COMMISSIONER FOR HUMAN RIGHTS ON THE IMPLEMENTATION OF "
        "HUMAN RIGHTS COUNCIL RESOLUTION 7/19"
    )


def test_a_state_alone_under_a_heading_takes_the_heading_as_its_title():
    text = _OLD_HEAD + _page(
        "HUMAN RIGHTS COUNCIL", "Eighth session", "Agenda item 6", "", "UNIVERSAL PERIODIC REVIEW", "Peru**", "", "*",
        "Reissued for technical reasons.",
    )
    assert identify_text(text).title == "UNIVERSAL PERIODIC REVIEW - Peru"


def test_a_sentence_starting_under_the_title_is_not_part_of_it():
    text = _HEAD + _page(
        "Human Rights Council", "Twenty-first session", "Agenda item 6", "Universal periodic review", "",
        "Statement made by the United Nations High Commissioner", "for Refugees on the adoption of the report on the universal",
        "periodic review of Ruritania",
        "The Office of the United Nations High Commissioner for Refugees (UNHCR)",
        "welcomes the adoption of the report on the universal periodic review of Ruritania.",
    )
    assert identify_text(text).title == (
        "Statement made by the United Nations High Commissioner for Refugees on the adoption of the report on the "
        "universal periodic review of Ruritania"
    )


def test_a_note_label_above_the_title_goes_after_it():
    text = _OLD_HEAD + _page(
        "HUMAN RIGHTS COUNCIL", "Ninth session", "Agenda item 9", "", "INFORMATION NOTE BY THE SECRETARIAT",
        "Update on the sixth session of the Intergovernmental Working Group", "on the effective implementation of the Durban Declaration and",
        "Programme of Action", "",
    )
    assert identify_text(text).title == (
        "Update on the sixth session of the Intergovernmental Working Group on the effective implementation of the "
        "Durban Declaration and Programme of Action - INFORMATION NOTE BY THE SECRETARIAT"
    )


def test_an_interim_study_line_is_attribution_and_combined_footnote_marks_go():
    text = _HEAD + _page(
        "Human Rights Council", "Thirty-first session", "Agenda item 3",
        "Promotion and protection of all human rights, civil,", "political, economic, social and cultural rights,",
        "including the right to development", "",
        "Illicit financial flows and human rights*, **",
        "Interim study by the Independent Expert on foreign debt and human", "rights, A. Person", "Summary",
    )
    assert identify_text(text).title == (
        "Illicit financial flows and human rights - Interim study by the Independent Expert on foreign debt and "
        "human rights, A. Person"
    )


def test_an_ocr_zero_for_the_o_of_october_still_dates_a_letter():
    from rightsindex.ingest.metadata import _find_date

    head = "PALAIS DES NATIONS 1211 GENEVA 10, SWlTZERLAf\"JD\n1 0ctober 2025\nMadam,"
    assert _find_date(head) == ("2025-10-01", 2025)
    assert _find_date("le 3 0ctobre 2019") == ("2019-10-03", 2019)
    assert _find_date("10 October 2025") == ("2025-10-10", 2025)


def test_a_letter_on_the_review_of_the_republic_of_a_state_names_the_state():
    """The third-cycle letter, read by OCR: 'the Universal Periodic Review (UPR) of\\nthe Republic
    of Slovenia and welcome ...' left the letter without a country, out of Slovenia's searches."""
    text = ("HAUT-COMMISSARIAT AUX DROITS DE L'HOMME\n13 May 2020\nExcellency,\n"
            "I have been following the third cycle of the Universal Periodic Review (UPR) of\n"
            "the Republic of Slovenia and welcome the constructive engagement of your Government\n"
            "during the 34th session of the UPR Working Group. I have the honour to write.")
    doc = identify_text(text)
    assert (doc.document_type, doc.country, doc.country_code) == ("letter", "Slovenia", "SVN")
    doc = identify_text(text.replace("Republic of Slovenia", "Republic of Trinidad and Tobago"))
    assert doc.country_code == "TTO"
