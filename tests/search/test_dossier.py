"""The UPR country dossier: grouping, acceptance rates, clusters of repeated
recommendations, fiscal highlighting, citations, Markdown and HTML."""

from __future__ import annotations

import csv
import re

import pytest

from analysis_corpus import build
from shared_data import need_shared
from rightsindex.corpus.api import open_corpus
from rightsindex.errors import QueryError
from rightsindex.search.dossier import (
    NO_RIGHT,
    UnknownCountryError,
    find_clusters,
    render,
    to_html,
    to_markdown,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return open_corpus(build(tmp_path_factory.mktemp("dossier") / "corpus"))


@pytest.fixture(scope="module")
def kenya(corpus):
    return corpus.dossier("Kenya")


def test_country_by_name_code_or_case(corpus, kenya):
    assert (kenya.country, kenya.country_code, kenya.total) == ("Kenya", "KEN", 10)
    assert corpus.dossier("ken").total == 10
    assert corpus.dossier("  KENYA ").total == 10
    assert corpus.dossier("SVN").country == "Slovenia"


def test_unknown_country_is_a_one_line_error(corpus):
    with pytest.raises(UnknownCountryError) as info:
        corpus.dossier("Atlantis")
    message = str(info.value)
    assert "Atlantis" in message and "\n" not in message and "Kenya" in message
    assert isinstance(info.value, QueryError)


def test_reviews_in_order_with_their_responses(kenya):
    got = [(r.review, r.body, r.symbols, r.total, r.supported, r.noted, r.no_response, r.fiscal)
           for r in kenya.reviews]
    assert got == [
        ("UPR cycle 1 (2010)", "UPR", ("A/HRC/15/8",), 4, 2, 2, 0, 1),
        ("UPR cycle 2 (2015)", "UPR", ("A/HRC/29/10",), 4, 3, 1, 0, 1),
        ("CESCR 2016", "CESCR", ("E/C.12/KEN/CO/2-5",), 2, 0, 0, 2, 1),
    ]


def test_acceptance_rate_per_right(kenya):
    rates = {r.right: (r.total, r.supported, r.noted, r.no_response, r.acceptance_rate) for r in kenya.rights}
    assert rates["housing"] == (3, 2, 0, 1, 1.0)  # the CESCR one has no response: not in the rate
    assert rates["health"] == (3, 1, 1, 1, 0.5)
    assert rates["education"] == (1, 0, 1, 0, 0.0)
    assert rates["esc_general"] == (2, 1, 1, 0, 0.5)
    assert rates[NO_RIGHT] == (2, 1, 1, 0, 0.5)
    assert kenya.overall.total == 10 and kenya.overall.acceptance_rate == pytest.approx(5 / 8)
    # a recommendation about two rights is listed under both
    both = [i for i in kenya.items if set(i.rights) == {"education", "health"}]
    assert len(both) == 1
    assert both[0] in kenya.by_right["education"] and both[0] in kenya.by_right["health"]


def test_who_recommended_by_regional_group_and_state(kenya, monkeypatch):
    from dataclasses import replace

    from rightsindex.search import dossier as dossier_module
    from rightsindex.search.dossier import NO_GROUP, _by_whom

    groups = {r.right: (r.total, r.supported, r.noted, r.acceptance_rate) for r in kenya.by_region}
    # Norway and Germany's joint recommendation counts once for WEOG; the CESCR's two are in no row
    assert groups == {"GRULAC": (2, 1, 1, 0.5), "WEOG": (6, 4, 2, 4 / 6)}
    assert kenya.by_states_count == 8
    states = [(r.right, r.total) for r in kenya.by_state]
    assert states[:2] == [("Norway", 2), ("Portugal", 2)] and ("Germany", 1) in states and len(states) == 8
    # an observer State has no group, and is not lost when it recommends with a member of one
    observer = replace(kenya.items[0], states=("Holy See", "France", "Cuba"))
    by_region, _ = _by_whom([observer])
    assert [r.right for r in by_region] == ["GRULAC", "WEOG", NO_GROUP]
    md = to_markdown(kenya)
    assert "## Who recommended: regional groups and States" in md
    assert "8 of the 10 recommendations were made by States; the other 2 were made by treaty bodies" in md
    assert "| WEOG | 6 | 4 | 2 | 0 | 0 | 67% |" in md and "| Norway | 2 | 2 | 0 | 0 | 0 | 100% |" in md
    monkeypatch.setattr(dossier_module, "TOP_STATES", 3)  # the rest of the States are one line
    md = to_markdown(kenya)
    assert "| 5 other States, 5 recommendations in all (1 at most each) | | | | | | |" in md
    assert "| Spain |" not in md
    monkeypatch.setattr(dossier_module, "TOP_STATES", 1)  # Portugal and Spain's joint one counts once
    assert "| 7 other States, 7 recommendations in all (2 at most each) |" in to_markdown(kenya)
    monkeypatch.setattr(dossier_module, "TOP_STATES", 3)
    page = to_html(kenya)
    assert 'href="#who"' in page and '<td colspan="7">5 other States' in page
    _assert_balanced(page)
    import json

    obj = json.loads(render(kenya, "json"))
    assert obj["by_region"][1] == {"region": "WEOG", "total": 6, "supported": 4, "noted": 2, "partially": 0,
                                   "no_response": 0, "acceptance_rate": 4 / 6}
    assert obj["by_state"][0]["state"] == "Norway" and len(obj["by_state"]) == 8  # JSON has them all


def test_partially_supported_counts_in_the_rate(corpus):
    svn = corpus.dossier("Slovenia")
    housing = next(r for r in svn.rights if r.right == "housing")
    assert (housing.partially, housing.acceptance_rate) == (1, 0.0)


def test_near_duplicates_across_cycles_and_bodies_form_one_cluster(kenya):
    repeated = kenya.repeated
    assert len(repeated) == 2
    housing, protocol = repeated
    assert housing.count == 3 and {i.paragraph for i in housing.items} == {"101.1", "142.1", "28"}
    assert (housing.first_year, housing.last_year) == (2010, 2016)
    assert housing.bodies == ("CESCR", "UPR") and housing.cycles == (1, 2)
    assert housing.states == ("Germany", "Norway")
    assert [(s.review, s.responses) for s in housing.steps] == [
        ("UPR cycle 1 (2010)", {"supported": 1}),
        ("UPR cycle 2 (2015)", {"supported": 1}),
        ("CESCR 2016", {"no response": 1}),
    ]
    assert [(s.review, s.responses) for s in protocol.steps] == [
        ("UPR cycle 1 (2010)", {"noted": 1}), ("UPR cycle 2 (2015)", {"supported": 1}),
    ]
    # unrelated recommendations are in no cluster
    clustered = {i.id for c in kenya.clusters for i in c.items}
    loners = [i for i in kenya.items if i.id not in clustered]
    assert {i.paragraph for i in loners} == {"101.2", "101.3", "142.3", "142.4", "40"}
    assert all(i.cluster is None for i in loners)
    assert {i.cluster for i in housing.items} == {housing.number}


def test_find_clusters_does_not_chain_unrelated_short_texts():
    texts = [
        "Ratify the Convention against Torture",
        "Ratify the Convention against Torture and its Optional Protocol",
        "Ratify the Optional Protocol to the Convention on the Rights of the Child",
        "Ratify the Convention on the Rights of the Child",
        "Abolish the death penalty",
        "Abolish the death penalty for all crimes",
        "Guarantee freedom of the press",
    ]
    groups = find_clusters(texts, 0.5)
    assert [0, 1] in groups and [4, 5] in groups
    assert not any(0 in g and 3 in g for g in groups)  # torture and the child convention stay apart
    assert all(6 not in g for g in groups)


def test_find_clusters_keeps_conventions_of_other_numbers_apart():
    """`repeated` and the dossier grouped "Ratify ILO Convention No. 169" with No. 189, 87 and 98 as
    one recommendation made again: their numbers were not compared."""
    texts = ["Ratify ILO Convention No. 169", "Ratify ILO Convention No. 189",
             "Consider ratifying ILO Convention No. 169 on indigenous and tribal peoples",
             "Ratify ILO Convention No. 87", "Ratify ILO Convention No. 98",
             "Ratify ILO Convention No. 169 (Indigenous and Tribal Peoples)"]
    groups = find_clusters(texts, 0.5)
    assert any({2, 5} <= set(g) for g in groups)
    assert all(set(g) <= {0, 2, 5} for g in groups)  # 169 with 169 only


def test_right_filter_and_unknown_right(corpus):
    housing = corpus.dossier("KEN", right="Housing")
    assert housing.right == "housing" and housing.total == 3
    assert list(housing.by_right) == ["housing"]
    with pytest.raises(QueryError, match="unknown right 'astronomy'"):
        corpus.dossier("KEN", right="astronomy")


def test_several_rights_give_the_recommendations_about_any_of_them(corpus):
    both = corpus.dossier("KEN", right=["health", "Housing", "health"])
    assert both.right_labels == ("health", "housing") and both.right == "health, housing"
    assert both.total == 6 and set(both.by_right) == {"health", "housing"}
    assert [r.right for r in both.rights] == ["health", "housing"]
    assert both.to_dict()["right_labels"] == ["health", "housing"]
    # 142.3 is about health and education: one recommendation, counted once
    assert corpus.dossier("KEN", right=("health", "education")).total == 3
    assert "recommendations about **health** or **housing** received, 6 in total" in to_markdown(both)
    assert "about <strong>health</strong> or <strong>housing</strong>" in to_html(both)
    with pytest.raises(QueryError, match="unknown right 'astronomy'"):
        corpus.dossier("KEN", right=["health", "astronomy"])


def test_fiscal_items_and_citations(kenya):
    assert [(i.paragraph, i.fiscal) for i in kenya.fiscal_items] == [
        ("101.2", ("budget_allocation",)), ("142.3", ("taxation",)), ("40", ("budget_allocation",)),
    ]
    assert all(re.search(r", para\. [\d.]+, p\. 10$", i.citation) for i in kenya.items)
    assert kenya.items[0].citation == "A/HRC/15/8, para. 101.1, p. 10"


def test_markdown_has_every_part(kenya):
    md = to_markdown(kenya)
    assert md.startswith("# UPR dossier: Kenya (KEN)")
    for heading in ("## Summary by review", "## Responses and acceptance rate per right",
                    "## Who recommended: regional groups and States",
                    "## Fiscal recommendations", "## Repeated recommendations",
                    "## Recommendations by right, review and body", "### Housing (3)",
                    "#### UPR cycle 2 (2015) (1)", "#### CESCR 2016 (1)"):
        assert heading in md, heading
    assert "| housing | 3 | 2 | 0 | 0 | 1 | 100% |" in md
    assert "**[fiscal: budget allocation]**" in md
    assert "[E/C.12/KEN/CO/2-5, para. 28, p. 10]" in md
    assert "Cluster 1: 3 recommendations, 2010-2016 (repeated across reviews)" in md
    assert "\\<for all\\>" in md  # markup characters in the text are escaped
    for item in kenya.items:  # every recommendation is cited
        assert item.citation.replace("/", "/") in md.replace("\\", "")


def test_html_is_self_contained_and_escaped(kenya):
    page = to_html(kenya)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<script" not in page and "http" not in page
    assert "&lt;for all&gt;" in page and "<for all>" not in page
    assert page.count('class="fiscal"') >= 3
    assert 'id="cluster-1"' in page and 'href="#cluster-1"' in page
    assert "E/C.12/KEN/CO/2-5, para. 28, p. 10" in page
    assert "<td class=n>100%</td>" in page
    _assert_balanced(page)


def _assert_balanced(page):
    """Every element opened is closed, in order (a readable page in any browser)."""
    from html.parser import HTMLParser

    void = {"meta", "br", "hr", "img", "input", "link"}
    stack: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in void:
                stack.append(tag)

        def handle_endtag(self, tag):
            assert stack and stack[-1] == tag, (tag, stack[-3:])
            stack.pop()

    Checker().feed(page)
    assert stack == []


def test_render_json_and_bad_format(kenya):
    import json

    obj = json.loads(render(kenya, "json"))
    assert obj["country_code"] == "KEN" and obj["total"] == 10
    assert obj["clusters"][0]["count"] == 3 and obj["items"][0]["citation"].startswith("A/HRC/15/8")
    with pytest.raises(QueryError):
        render(kenya, "pdf")


def test_a_state_with_no_tags_gets_a_note(tmp_path):
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation

    with Store.open(tmp_path / "c") as store:
        store.add_document(Document(sha256="z" * 64, source_path="x.pdf", symbol="A/HRC/1/1",
                                    document_type="upr_wg_report", body="UPR", country="Chile",
                                    country_code="CHL", year=2009, cycle=1),
                           [], [Recommendation(text="Adopt a law on torture", paragraph="1")])
    d = open_corpus(tmp_path / "c").dossier("chile")
    assert d.total == 1 and d.notes and "rightsindex tag" in d.notes[0]
    assert d.clusters == () and d.overall.acceptance_rate is None


def test_addendum_responses_replace_pending_in_the_acceptance_rate(tmp_path):
    """A report lists recommendations as 'will be examined' (pending); the addendum's
    answers then count in the dossier."""
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation

    report = Document(sha256="r" * 64, source_path="r.pdf", symbol="A/HRC/28/15",
                      document_type="upr_wg_report",
                      body="UPR", country="Slovenia", country_code="SVN", year=2014, cycle=2)
    addendum = Document(sha256="a" * 64, source_path="a.pdf", symbol="A/HRC/28/15/Add.1",
                        document_type="upr_addendum", body="UPR", country="Slovenia", country_code="SVN",
                        year=2015, cycle=2, responds_to="A/HRC/28/15")
    with Store.open(tmp_path / "c") as store:
        store.add_document(report, [], [
            Recommendation(text="Ratify OP-ICESCR", paragraph="115.1", response="pending"),
            Recommendation(text="Abolish the death penalty", paragraph="115.2", response="pending"),
            Recommendation(text="Adopt a law on torture", paragraph="115.3", response="pending"),
        ])
        store.add_document(addendum, [], [], [
            ("A/HRC/28/15", "115.1", "supported", "We consider that this recommendation is implemented."),
            ("A/HRC/28/15", "115.2", "noted")])
    corpus = open_corpus(tmp_path / "c")
    d = corpus.dossier("SVN")
    o = d.overall
    assert (o.supported, o.noted, o.no_response, o.acceptance_rate) == (1, 1, 1, 0.5)
    # the State's own words travel with its answer, into the dossier and the exports
    (ratify,) = [i for i in d.items if i.paragraph == "115.1"]
    assert ratify.comment == "We consider that this recommendation is implemented."
    assert "the State: \u201cWe consider that this recommendation is implemented.\u201d" in render(d, "markdown")
    assert "the State: \u201cWe consider" in render(d, "html")
    rows = corpus.recommendations()
    assert rows.loc[rows["paragraph"] == "115.1", "response_comment"].tolist() == [
        "We consider that this recommendation is implemented."]
    assert d.notes[-1] == ("1 recommendation(s) of A/HRC/28/15 have no answer in the State's addendum "
                           "in this corpus (pending; counted under 'No response').")


def test_pending_responses_say_which_addendum_to_ingest(tmp_path):
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation

    report = Document(sha256="r" * 64, source_path="r.pdf", symbol="A/HRC/21/10",
                      document_type="upr_wg_report", body="UPR", country="India", country_code="IND", year=2012, cycle=2)
    with Store.open(tmp_path / "c") as store:
        store.add_document(report, [], [
            Recommendation(text="Increase the health budget", paragraph="138.1", response="pending"),
            Recommendation(text="Ratify CAT", paragraph="138.2", response="pending"),
        ])
    d = open_corpus(tmp_path / "c").dossier("IND")
    assert "2 recommendation(s) of A/HRC/21/10 await the State's response" in d.notes[-1]
    assert "A/HRC/21/10/Add.1" in d.notes[-1]
    assert "A/HRC/21/10/Add.1" in render(d, "markdown")


# -- real data: a slice of the UPR Info export, through the importer ---------------------------

def _slice(src, dst, states):
    with open(src, encoding="utf-8", newline="") as fh, open(dst, "w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(fh)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        rows = [r for r in reader if r["state_under_review"] in states]
        writer.writerows(rows)
    return rows


@pytest.fixture(scope="module")
def upr_info_slice(tmp_path_factory):
    src = need_shared("upr_info", "recommendations_sessions01-16.csv")
    try:
        from rightsindex.ingest.tabular import import_upr_info
    except ImportError as exc:
        pytest.skip(f"UPR Info import not available yet ({exc})")
    from rightsindex.corpus.store import Store

    folder = tmp_path_factory.mktemp("uprinfo")
    rows = _slice(src, folder / "slice.csv", {"India", "United Kingdom"})
    with Store.open(folder / "corpus") as store:
        import_upr_info(folder / "slice.csv", store, tag=False, sync=False)
    return open_corpus(folder / "corpus"), rows


def test_dossier_on_real_upr_info_rows(upr_info_slice):
    corpus, rows = upr_info_slice
    india_rows = [r for r in rows if r["state_under_review"] == "India"]
    d = corpus.dossier("IND")
    assert d.total == len(india_rows)
    accepted = sum(r["response"] == "Accepted" for r in india_rows)
    noted = sum(r["response"] == "Noted" for r in india_rows)
    assert (d.overall.supported, d.overall.noted) == (accepted, noted)
    by_cycle = {}
    for r in india_rows:
        by_cycle[int(r["cycle"])] = by_cycle.get(int(r["cycle"]), 0) + 1
    assert {r.cycle: r.total for r in d.reviews} == by_cycle
    # India was asked to ratify the Convention against Torture in both cycles
    cat = [c for c in d.repeated if "torture" in c.representative.text.lower() and c.cycles == (1, 2)]
    assert cat, [c.representative.text for c in d.repeated]
    # every recommendation carries a citation back to its UPR Info row
    assert all(i.citation.startswith("UPR Info uprinfo-") for i in d.items)
    md, page = to_markdown(d), to_html(d)
    assert md.count("UPR Info uprinfo-") >= d.total and "&lt;" not in md
    assert "India" in page


def test_trends_on_real_upr_info_rows(upr_info_slice):
    corpus, rows = upr_info_slice
    table = corpus.trends(by="year", split="response")
    for year in {int(r["wg_year"]) for r in rows}:
        in_year = [r for r in rows if int(r["wg_year"]) == year]
        assert table.loc[year, "total"] == len(in_year)
        assert table.loc[year, "supported"] == sum(r["response"] == "Accepted" for r in in_year)


# -- real data: the UPR PDFs of ../shared, ingested once per run ------------------------------

@pytest.mark.slow
def test_dossier_from_the_real_slovenia_pdfs(real_corpus):
    d = open_corpus(real_corpus).dossier("Slovenia")
    reviews = {r.symbols: r for r in d.reviews if r.body == "UPR"}
    first, second = reviews[("A/HRC/14/15",)], reviews[("A/HRC/28/15",)]
    assert (first.cycle, second.cycle) == (1, 2)
    assert first.total > 50 and second.total > 100
    # the addendum A/HRC/28/15/Add.1 answers the 2014 recommendations
    assert second.supported > 0 and second.noted > 0
    assert d.repeated and any(set(c.cycles) == {1, 2} for c in d.repeated)
    upr_items = [i for i in d.items if i.body == "UPR"]
    assert all(re.match(r"A/HRC/(14|28)/15, para\. \d+\.\d+", i.citation) for i in upr_items)
    assert "A/HRC/28/15, para. 115." in to_markdown(d)
    _assert_balanced(to_html(d))
    # the compilation and the stakeholders' summary quote many bodies: one review each,
    # with the bodies and their counts inside it
    by_label = {r.review: r for r in d.reviews}
    compilation = by_label["UN compilation, UPR cycle 3 (2019)"]
    assert compilation.symbols == ("A/HRC/WG.6/34/SVN/2",)
    assert "CESCR" in compilation.body and "CRPD" in compilation.body
    summary = by_label["Stakeholders' summary, UPR cycle 4 (2024)"]
    assert "NHRI" in summary.body and summary.total > 30
    assert d.composition.endswith("quoted from other bodies in UN compilations and stakeholders' summaries")
    assert ", 7 from the High Commissioner's letters and " in d.composition
    # a cluster step cites each item once, not once per recommending State
    assert all(len(s.citations) == len(set(s.citations)) for c in d.clusters for s in c.steps)
    # two UPR cycles, the 2009 compilation (repaired by PDFium), the 2019 one, the 2024 summary, and
    # the High Commissioner's letter after the fourth review, its requests made in prose
    assert len(d.reviews) == 6 and "UN compilation, UPR cycle 1 (2009)" in by_label
    letter = by_label["High Commissioner's letter, UPR cycle 4 (2025)"]
    assert letter.total == 7 and letter.body == "OHCHR"
    # the letter has no UN symbol: it is cited by what it is, never by the path of its file
    cited = {i.citation.split(", p. ")[0] for i in d.items if i.document_type == "letter"}
    assert cited == {"Letter of the High Commissioner for Human Rights to Slovenia, 1 October 2025"}
    assert "data/pdf" not in to_markdown(d) + to_html(d)


def test_a_query_narrows_the_dossier(corpus):
    """'dossier Kenya -q ...' keeps the State's recommendations the search query matches."""
    whole = corpus.dossier("Kenya")
    housing = corpus.dossier("Kenya", query="housing OR evictions")
    assert 0 < housing.total < whole.total
    assert all("housing" in i.text.lower() or "eviction" in i.text.lower() for i in housing.items)
    assert housing.query == "housing OR evictions"
    assert "matching `housing OR evictions`" in render(housing, "markdown")
    assert "<code>housing OR evictions</code>" in render(housing, "html")
    with pytest.raises(QueryError):
        corpus.dossier("Kenya", query="housing)")


def test_a_right_none_of_the_states_recommendations_has_and_a_misspelt_state(tmp_path):
    from hand_corpus import build as build_hand

    from rightsindex import open_corpus
    from rightsindex.search.dossier import UnknownCountryError

    corpus = open_corpus(build_hand(tmp_path / "c"))
    empty = corpus.dossier("BRA", right="housing")  # a right of the taxonomy: no error, an empty dossier
    assert empty.total == 0 and any("is tagged housing" in n for n in empty.notes)
    with pytest.raises(UnknownCountryError, match="did you mean Kenya"):
        corpus.dossier("Kenia")
    with pytest.raises(UnknownCountryError, match="not a State name") as raised:
        corpus.dossier("Brasi Kenya")  # no single State is meant: no guess
    assert "did you mean" not in str(raised.value)


def test_the_not_accepted_section_says_when_no_response_is_known(tmp_path):
    from rightsindex import open_corpus
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation
    from rightsindex.search.dossier import to_markdown

    with Store.open(tmp_path / "c") as store:
        store.add_document(Document(sha256="3" * 64, source_path="c.pdf", document_type="upr_compilation",
                                    body="UPR", country="Kenya", country_code="KEN", year=2015, cycle=2),
                           [], [Recommendation(text="Ratify the OP-ICESCR", source_body="CESCR")])
    text = to_markdown(open_corpus(tmp_path / "c").dossier("KEN"))
    assert "No response of the State is known for these recommendations." in text
    assert "was supported" not in text
