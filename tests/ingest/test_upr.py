"""UPR working-group reports and addenda: real reports of ../shared, and item texts written here."""

from __future__ import annotations

from collections import Counter

import pytest

from rightsindex.ingest.upr import extract, extract_addendum, extract_report, split_recommendation
from rightsindex.records import Document

SLOVENIA_2014 = "upr_A-HRC-28-15_Slovenia_WG-report_2014.pdf"
SLOVENIA_2014_ADD = "upr_A-HRC-28-15-Add.1_Slovenia_responses_2015.pdf"
SLOVENIA_2010 = "upr_A-HRC-14-15_Slovenia_WG-report_2010.pdf"
BRAZIL_2008 = "upr_A-HRC-8-27_Brazil_WG-report_2008.pdf"
CHINA_2009 = "upr_A-HRC-11-25_China_WG-report_2009.pdf"
USA_2011 = "upr_A-HRC-16-11_USA_WG-report_2011.pdf"


def bare(name: str) -> Document:
    """A Document as the pipeline hands it over before identification: hash and path only."""
    return Document(sha256="0" * 64, source_path=name)


@pytest.fixture(scope="module")
def slovenia_2014(pdf_pages):
    return extract_report(pdf_pages(SLOVENIA_2014), bare(SLOVENIA_2014))


def test_report_metadata_is_read_from_the_report(slovenia_2014):
    doc = slovenia_2014.document
    assert doc.symbol == "A/HRC/28/15"
    assert doc.document_type == "upr_wg_report"
    assert (doc.country, doc.country_code) == ("Slovenia", "SVN")
    assert (doc.session, doc.cycle) == ("20", 2)
    assert (doc.date, doc.year) == ("2014-12-10", 2014)


def test_every_numbered_item_of_slovenia_2014(slovenia_2014):
    recs = slovenia_2014.recommendations
    items = {r.paragraph for r in recs}
    assert items == {f"115.{i}" for i in range(1, 164)}  # OHCHR's list has 163 recommendations
    by_item = {r.paragraph: r for r in recs if r.part == 0}
    r3 = by_item["115.3"]
    assert r3.text == "Ratify the Optional Protocol to the Rights of the Child on a communications procedure"
    assert r3.recommending_states == ("Portugal", "Slovakia")
    assert r3.recommending_codes == ("PRT", "SVK")
    assert r3.page == 13
    assert by_item["115.8"].recommending_codes == ("SEN", "SLE", "VEN", "PER", "URY")
    assert "Venezuela (Bolivarian Republic of)" in by_item["115.8"].recommending_states
    assert by_item["115.62"].recommending_states == ("Iran (Islamic Republic of)",)
    assert by_item["115.62"].text.endswith("particularly against the Roma")
    # no recommendation keeps its trailing list of States
    assert not any(r.text.endswith(")") and "(" not in r.text for r in recs)
    assert all(r.recommending_codes for r in recs)
    # the report itself states no position: all will be examined
    assert {r.response for r in recs} == {"pending"}


def test_states_keep_the_names_the_report_writes(slovenia_2014):
    by_para = {r.paragraph: r for r in slovenia_2014.recommendations}
    assert by_para["115.72"].recommending_states == ("North Macedonia",)
    assert by_para["115.72"].recommending_as_written == ("former Yugoslav Republic of Macedonia",)
    assert (by_para["115.18"].recommending_states, by_para["115.18"].recommending_as_written) == (
        ("Türkiye",), ("Turkey",))
    recs = slovenia_2014.recommendations
    assert all(len(r.recommending_as_written) == len(r.recommending_states) for r in recs)


def test_one_item_with_several_recommendations_each_with_its_states(slovenia_2014):
    parts = [r for r in slovenia_2014.recommendations if r.paragraph == "115.38"]
    assert [r.part for r in parts] == [1, 2, 3]
    assert [r.recommending_codes for r in parts] == [("EGY",), ("PER",), ("AZE",)]
    assert parts[0].text == "Ensure the compliance of its National Ombudsman with the Paris Principles"


def test_addendum_responses_link_to_the_report(pdf_pages, slovenia_2014):
    add = extract_addendum(pdf_pages(SLOVENIA_2014_ADD), bare(SLOVENIA_2014_ADD))
    assert add.document.symbol == "A/HRC/28/15/Add.1"
    assert add.document.responds_to == "A/HRC/28/15"
    assert add.document.document_type == "upr_addendum"
    counts = Counter(resp for _, _, resp in add.responses)
    assert counts == {"supported": 142, "noted": 21}  # "accepts 142 recommendations ... notes 21"
    by_para = {p: resp for sym, p, resp in add.responses if sym == "A/HRC/28/15"}
    assert by_para["115.1"] == "supported"
    assert by_para["115.6"] == by_para["115.13"] == by_para["115.163"] == "noted"
    assert by_para["115.150"] == by_para["115.151"] == by_para["115.152"] == "supported"  # "150 – 152"
    assert {r.paragraph for r in slovenia_2014.recommendations} == set(by_para)
    # extract() dispatches on the symbol
    assert extract(pdf_pages(SLOVENIA_2014_ADD), bare(SLOVENIA_2014_ADD).replace(symbol="A/HRC/28/15/Add.1")).responses


def test_addendum_keeps_the_states_own_words(pdf_pages):
    """'Rec. 18 We consider that this recommendation is implemented. ...': what advocates check."""
    add = extract_addendum(pdf_pages(SLOVENIA_2014_ADD), bare(SLOVENIA_2014_ADD))
    said = add.comments
    assert len(said) >= 80 and all(sym == "A/HRC/28/15" for sym, _ in said)
    assert said[("A/HRC/28/15", "115.18")].startswith(
        "We consider that this recommendation is implemented. The National Assembly ratified the convention")
    assert said[("A/HRC/28/15", "115.30")] == "See recommendation 24."
    assert said[("A/HRC/28/15", "115.17")].startswith("The Government of the Republic of Slovenia is currently "
                                                     "not planning to ratify")  # a noted one
    assert ("A/HRC/28/15", "115.16") not in said  # accepted without a word
    assert all("Rec." not in text and len(text) <= 1502 for text in said.values())
    assert said[("A/HRC/28/15", "115.24")].endswith("Our Rights project.")  # footnote marker "2" dropped


def test_the_last_comment_stops_before_the_addendums_notes(pdf_pages, slovenia_2014):
    """Nigeria's recommendation is the addendum's last comment; its endnotes ("Notes 1 The serial
    numbers of recommendations follow ...") are not the State's words."""
    add = extract_addendum(pdf_pages(SLOVENIA_2014_ADD), bare(SLOVENIA_2014_ADD))
    item = next(r for r in slovenia_2014.recommendations if r.paragraph == "115.163")
    assert item.recommending_states == ("Nigeria",)
    assert add.comments[("A/HRC/28/15", "115.163")] == "See information on recommendations 6–13."
    assert not any("serial numbers" in text or "Notes" in text for text in add.comments.values())


def test_comment_lines_end_at_the_notes():
    from rightsindex.ingest.upr import _comments

    for notes in (["Notes", "1 The serial numbers follow paragraph 115."], ["Notes 1 The serial numbers."],
                  ["__________", "2 See Annex 1."], ["Endnotes", "1 See above."]):
        assert _comments(["Rec. 163 See information on recommendations 6–13.", *notes]) == [
            ("163", "See information on recommendations 6–13.")]
    assert _comments(["Rec. 9 The Government notes", "1 new law."]) == [
        ("9", "The Government notes 1 new law.")]
    # a line that begins with a singular "Note 12 of the Act" goes on with the comment
    assert _comments(["Rec. 5 The Government will amend", "Note 12 of the Act on Taxation in 2021."]) == [
        ("5", "The Government will amend Note 12 of the Act on Taxation in 2021.")]


def test_comment_lines_end_at_a_heading_and_keep_decimals():
    from rightsindex.ingest.upr import _comments

    assert _comments(["Rec. 12 We allocated 1.5 per cent of GDP to health.", "The Our Rights project.2",
                      "III. Noted recommendations", "Some other text.", "Rec. 13 See recommendation 12."]) == [
        ("12", "We allocated 1.5 per cent of GDP to health. The Our Rights project."),
        ("13", "See recommendation 12.")]


def test_slash_chain_shares_its_ending(pdf_pages):
    ex = extract_report(pdf_pages(SLOVENIA_2010), bare(SLOVENIA_2010))
    assert ex.document.cycle == 1 and ex.document.session == "7"
    chain = [r for r in ex.recommendations if r.paragraph == "111.1"]
    assert [r.recommending_codes for r in chain] == [("DZA",), ("EGY",), ("BIH",), ("ARG",)]
    assert [r.part for r in chain] == [1, 2, 3, 4]
    for r in chain:
        assert r.text.endswith("the Convention on Migrant Workers and Members of Their Families")
    assert chain[1].text == "Sign and ratify the Convention on Migrant Workers and Members of Their Families"
    assert chain[3].text == "Consider the ratification of the Convention on Migrant Workers and Members of Their Families"
    spain, argentina = [r for r in ex.recommendations if r.paragraph == "111.2"]
    assert spain.text == "To ratify the International Convention for the Protection of All Persons from Enforced Disappearance"
    assert argentina.recommending_codes == ("ARG",)
    assert argentina.text.endswith("Enforced Disappearance and of accepting the jurisdiction of the competent committee")
    assert {r.response for r in ex.recommendations} == {"pending"}


def test_cycle1_items_and_groupings(pdf_pages):
    ex = extract_report(pdf_pages(BRAZIL_2008), bare(BRAZIL_2008))
    recs = ex.recommendations
    assert [r.paragraph for r in recs] == [f"83.{i}" for i in range(1, 16)]
    assert {r.response for r in recs} == {"supported"}  # "enjoy the support of Brazil"
    assert recs[4].recommending_states == ("Republic of Korea",)
    assert recs[8].recommending_codes == ("NLD",)  # "(The Netherlands)"
    assert (ex.document.country_code, ex.document.cycle) == ("BRA", 1)


@pytest.fixture(scope="module")
def china_2009(pdf_pages):
    return extract_report(pdf_pages(CHINA_2009), bare(CHINA_2009))


@pytest.fixture(scope="module")
def usa_2011(pdf_pages):
    return extract_report(pdf_pages(USA_2011), bare(USA_2011))


def test_cycle1_references_to_the_dialogue_are_resolved(china_2009):
    ex = china_2009
    by_para = {r.paragraph: r for r in ex.recommendations}
    assert {r.response for r in ex.recommendations if r.paragraph.startswith("114.")} == {"supported"}
    assert by_para["115.1"].response == "noted"
    assert by_para["116.3"].response == "pending"
    # 117: "The recommendations noted in the report in paragraphs 27 (b), (c), ... did not enjoy the support"
    r = by_para["27 (b)"]
    assert r.recommending_states == ("Australia",)
    assert r.response == "noted"
    assert r.text.startswith("Abolish the death penalty and, as interim steps, reduce the number of crimes")
    assert by_para["92 (h)"].recommending_codes == ("SWE",)
    assert by_para["92 (h)"].text.startswith("Establishing an independent national human rights institution")
    referred = [r for r in ex.recommendations if "(" in (r.paragraph or "") or r.paragraph.isdigit()]
    assert len(referred) >= 45
    # a slash chain of verbs with one list of States: one verb per State, in order
    alts = [r for r in ex.recommendations if r.paragraph == "114.1" and r.recommending_codes in (("BRA",), ("AUT",))]
    assert [r.text for r in alts] == ["Consider ratifying ICCPR", "Ratify ICCPR"]


def test_a_dialogue_recommendation_is_cited_on_the_page_of_its_own_words(china_2009):
    """China 2009: paragraph 28 starts on p. 6, but "Canada recommended that China: (a) accelerate
    ..." and the items after it are on p. 7; likewise 42 (p. 10 / 11) and 83 (p. 19 / 20)."""
    page = {r.paragraph: r.page for r in china_2009.recommendations}
    assert {page[f"28 ({x})"] for x in "acdefgh"} == {7}
    assert {page[f"42 ({x})"] for x in "abcd"} == {11}
    assert {page[f"83 ({x})"] for x in "acdeg"} == {20}
    assert page["27 (b)"] == 6  # Australia's items are on the page where paragraph 27 starts
    assert page["38"] == 10  # "Mexico recommended that China that consider positively declaring ..." (p. 10)


def test_a_dialogue_item_that_cannot_be_read_alone_keeps_its_lead_in(china_2009):
    """China 2009, 83: "... it understands that China intends to resume this dialogue and recommended
    that (e) it do so" was stored as "Do so"; 95: "(a) to ratify the ICCPR and to adhere to both the
    (b) Rome Statute of the ICC and (c) the OP-CAT" as "Rome Statute of the ICC" and "The OP-CAT"."""
    by_para = {r.paragraph: r for r in china_2009.recommendations}
    nz = by_para["83 (e)"]
    assert nz.recommending_codes == ("NZL",) and nz.page == 20
    assert nz.text == (
        "New Zealand has been a consistent supporter of dialogue to achieve meaningful outcomes that "
        "address the interests of all communities in Tibet and it understands that China intends to "
        "resume this dialogue and recommended that it do so"
    )
    assert by_para["95 (b)"].text == "To adhere to the Rome Statute of the ICC"
    assert by_para["95 (c)"].text == "To adhere to the OP-CAT"
    assert by_para["95 (b)"].recommending_codes == ("BRA",)
    # no recommendation of the report is a fragment of a few words without its verb
    assert not [r.text for r in china_2009.recommendations if len(r.text.split()) < 4 and "(" in r.paragraph]


def test_each_part_of_a_listed_item_is_cited_on_the_page_where_it_starts(china_2009, usa_2011):
    """An item whose recommendations run onto the next page: each part gets the page of its own words."""
    share = [r.page for r in china_2009.recommendations if r.paragraph == "114.28"]
    assert share == [28, 29, 29]  # Philippines on p. 28; Viet Nam and Malaysia on p. 29
    juveniles = [r.page for r in usa_2011.recommendations if r.paragraph == "92.180"]
    assert juveniles == [25, 25, 26, 26]  # Austria's "Prohibit sentencing of juvenile offenders" is on p. 26


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Consider extending a standing invitation to special procedures (Cyprus); (Denmark); (Republic of Korea);",
            [("Consider extending a standing invitation to special procedures", ["Cyprus", "Denmark", "Republic of Korea"])],
        ),
        (
            "Consider ratifying (Jordan)/ratify as soon as possible ICRPD (Chile, China);",
            [("Consider ratifying ICRPD", ["Jordan"]), ("Ratify as soon as possible ICRPD", ["Chile", "China"])],
        ),
        (
            "Reconsider its stance (Denmark; Norway), endorse (Norway), support and fully implement (Pakistan) "
            "the Declaration (Norway, Denmark, Pakistan); continue consultations (Austria);",
            [
                ("Reconsider its stance the Declaration", ["Denmark", "Norway"]),
                ("Endorse the Declaration", ["Norway"]),
                ("Support and fully implement the Declaration", ["Pakistan"]),
                ("Continue consultations", ["Austria"]),
            ],
        ),
        (
            "Ratify CAT (Italy, Austria, Netherlands)/accede to CAT and the Optional Protocol thereto (Czech Republic);",
            [("Ratify CAT", ["Italy", "Austria", "Netherlands"]),
             ("Accede to CAT and the Optional Protocol thereto", ["Czech Republic"])],
        ),
        (
            "Ratify the Optional Protocol to ICESCR (International Covenant on Economic, Social and Cultural Rights) "
            "(Bolivia (Plurinational State of), Iran (Islamic Republic of));",
            [("Ratify the Optional Protocol to ICESCR (International Covenant on Economic, Social and Cultural Rights)",
              ["Bolivia (Plurinational State of)", "Iran (Islamic Republic of)"])],
        ),
        ("Strengthen its national human rights institution", [("Strengthen its national human rights institution", [])]),
        (   # Canada 2009, item 86.63: a chain of modifiers of one recommendation, not of verbs
            "that civil society be actively involved in the further universal periodic review process of Canada "
            "(The Netherlands), in a thorough and timely (Denmark), meaningful and participatory (Philippines) "
            "manner and, in the implementation of the review (United Kingdom);",
            [
                ("That civil society be actively involved in the further universal periodic review process of "
                 "Canada", ["Netherlands"]),
                ("That civil society be actively involved in the further universal periodic review process of "
                 "Canada, in a thorough and timely manner", ["Denmark"]),
                ("That civil society be actively involved in the further universal periodic review process of "
                 "Canada, in a meaningful and participatory manner", ["Philippines"]),
                ("That civil society be actively involved in the further universal periodic review process of "
                 "Canada, in the implementation of the review", ["United Kingdom"]),
            ],
        ),
        (   # constructed: a modifier per State, then two sharing their ending
            "Adopt a law on housing (France), with a view to ending evictions (Chile), in a transparent (Peru) "
            "and participatory (Spain) manner;",
            [
                ("Adopt a law on housing", ["France"]),
                ("Adopt a law on housing, with a view to ending evictions", ["Chile"]),
                ("Adopt a law on housing, in a transparent manner", ["Peru"]),
                ("Adopt a law on housing, in a participatory manner", ["Spain"]),
            ],
        ),
    ],
)
def test_split_recommendation(text, expected):
    assert split_recommendation(text) == expected


@pytest.mark.parametrize(
    ("text", "chile"),
    [   # after a modifier, a verb opens a recommendation of its own (review: these were glued)
        ("Adopt a law on domestic violence (Spain), in a timely manner (Mexico), adopt a national plan on "
         "housing (Chile).", "Adopt a national plan on housing"),
        ("Adopt a law on domestic violence (Spain), in a timely manner (Mexico), implement it fully (Chile).",
         "Implement it fully"),
        ("Adopt a law on domestic violence (Spain), in a timely manner (Mexico) and implement it fully (Chile).",
         "Adopt a law on domestic violence and implement it fully"),
        ("Ratify the OP-ICESCR (France), with the aim of ensuring justiciability (Spain), develop a housing "
         "strategy (Chile).", "Develop a housing strategy"),
    ],
)
def test_a_verb_after_a_modifier_is_a_recommendation_of_its_own(text, chile):
    parts = split_recommendation(text)
    assert [t for t, states in parts if states == ["Chile"]] == [chile]
    assert sorted(st for _, states in parts for st in states) == sorted({"Spain", "Mexico", "Chile", "France"}
                                                                       & set(text.replace("(", " ").replace(")", " ").split()))


def _pages(*texts: str) -> list:
    """Pages of plain lines, as the PDF layer yields them (constructed here, not from a real addendum)."""
    from rightsindex.records import Line, Page

    pages = []
    for n, text in enumerate(texts, start=1):
        lines = tuple(
            Line(text=t, x0=72.0, top=80.0 + 12 * i, x1=500.0, bottom=90.0 + 12 * i, size=10.0)
            for i, t in enumerate(text.strip().splitlines())
        )
        pages.append(Page(number=n, width=595.0, height=842.0, lines=lines, headers=("A/HRC/99/7/Add.1",)))
    return pages


def test_addendum_forms_tables_passive_and_partial():
    pages = _pages(
        """
        1. Recommendations 120.1, 120.2 and 120.5–120.7 are supported.
        2. The Government partially accepts recommendation 120.9.
        3. Recommendations 120.10 and 120.11 were noted.
        120.3 Ratify the Convention against Torture (Chile) Supported
        120.4 Abolish the death penalty
        (France) Noted
        Recommendation 120.8: partially supported
        """
    )
    ex = extract_addendum(pages, bare("add.pdf"))
    assert ex.document.symbol == "A/HRC/99/7/Add.1" and ex.document.responds_to == "A/HRC/99/7"
    got = {p: r for _, p, r in ex.responses}
    assert got == {
        "120.1": "supported", "120.2": "supported", "120.3": "supported", "120.4": "noted",
        "120.5": "supported", "120.6": "supported", "120.7": "supported",
        "120.8": "partially supported", "120.9": "partially supported",
        "120.10": "noted", "120.11": "noted",
    }


def test_the_session_is_the_working_groups_even_when_the_symbol_says_another(pdf_pages):
    """A/HRC/19/19 is a Council document of its 19th session; the review was held by the
    Working Group at its 12th session, as UPR Info and A/HRC/WG.6/12/... count it."""
    name = "upr_A-HRC-19-19_Haiti_WG-report_2011.pdf"
    doc = extract_report(pdf_pages(name), bare(name).replace(session="19")).document
    assert (doc.symbol, doc.session, doc.cycle) == ("A/HRC/19/19", "12", 1)


def test_responses_announced_for_later_make_the_list_pending(usa_2011):
    # USA 2011: para. 92 lists the recommendations without a position; para. 93 says "The response
    # of the United States of America to these recommendations will be included in the outcome report"
    ex = usa_2011
    assert len(ex.recommendations) > 200
    assert {r.response for r in ex.recommendations} == {"pending"}
    assert not any(r.paragraph.startswith("93") for r in ex.recommendations)
