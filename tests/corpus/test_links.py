"""A review held twice, from its working-group report and from UPR Info's rows: matched once."""

from __future__ import annotations

import sqlite3

import pytest

from rightsindex.corpus import store as store_mod
from rightsindex.corpus.links import agreed_response, normalise, same_recommendations
from rightsindex.corpus.store import Store
from rightsindex.records import Document, Recommendation


def test_normalise_ignores_quotes_dashes_case_and_end_punctuation():
    plain = normalise('end the "strike hard" campaign - now')
    assert normalise("End the “strike hard” campaign – now.") == plain


def test_same_recommendations_pairs_alike_texts_and_prefers_a_shared_state():
    report = [("Ratify the Optional Protocol to the Convention against Torture without delay", ["France"]),
              ("Ensure access to safe drinking water for Roma settlements in all municipalities", ["Spain"]),
              ("Ensure access to safe drinking water for Roma settlements in all municipalities", ["Chile"])]
    other = [("Ensure access to safe drinking water for Roma settlements in all municipalities.", ["Chile"]),
             ("Ratify the Optional Protocol to the Convention against Torture, without delay", ["France"]),
             ("Adopt a national action plan on business and human rights with civil society", ["Norway"])]
    assert sorted(same_recommendations(report, other)) == [(0, 1), (2, 0)]


def test_short_texts_must_be_nearly_the_same():
    report = [("Ratify the Second Optional Protocol to ICCPR", ["Brazil"])]
    # (another State's: a part of the same State's recommendation is matched by words, see below)
    assert same_recommendations(report, [("Ratify the optional protocols to ICCPR", ["Chile"])]) == []
    same = [("Ratify the Second Optional Protocol to ICCPR.", ["Brazil"])]
    assert same_recommendations(report, same) == [(0, 0)]
    assert same_recommendations([], report) == [] and same_recommendations(report, []) == []


def test_agreed_response():
    assert agreed_response(["noted", "noted", None, "pending"]) == "noted"
    assert agreed_response(["supported", "partially supported", "supported"]) == "supported"
    assert agreed_response([None, "pending"]) is None


def _report(sha="a" * 64) -> Document:
    return Document(sha256=sha, source_path="ind.pdf", symbol="A/HRC/21/10", document_type="upr_wg_report",
                    body="UPR", country="India", country_code="IND", year=2012, cycle=2)


def _upr_info(sha="c" * 64, cycle=2) -> Document:
    return Document(sha256=sha, source_path="upr.csv#IND-13", document_type="upr_info_import", body="UPR",
                    country="India", country_code="IND", year=2012, session="13", cycle=cycle)


HEALTH = "Increase the budget allocated to health from 1 percent of the GDP to 2 percent"
TORTURE = "Ratify the Convention against Torture and adopt a law that makes torture a crime"
REPORT_RECS = [
    Recommendation(text=HEALTH, paragraph="138.90", recommending_states=("Luxembourg",), response="pending"),
    Recommendation(text=TORTURE + ".", paragraph="138.1", recommending_states=("Denmark",),
                   response="supported", response_source="A/HRC/21/10"),
    Recommendation(text="Abolish the death penalty in law and in practice without any delay",
                   paragraph="138.5", recommending_states=("Italy",), response="pending"),
]
UPR_INFO_RECS = [
    Recommendation(text=HEALTH, recommending_states=("Luxembourg",), response="noted",
                   response_source="UPR Info", source_symbol="uprinfo-18776"),
    Recommendation(text=TORTURE, recommending_states=("Denmark",), response="noted",
                   response_source="UPR Info", source_symbol="uprinfo-18700"),
    Recommendation(text="Set up a national human rights institution for children", response="supported",
                   recommending_states=("Chile",), response_source="UPR Info", source_symbol="uprinfo-18701"),
]


@pytest.mark.parametrize("report_first", [True, False])
def test_a_report_takes_upr_infos_responses_and_its_rows_are_marked_duplicates(tmp_path, report_first):
    with Store.open(tmp_path) as store:
        docs = [(_report(), REPORT_RECS), (_upr_info(), UPR_INFO_RECS)]
        for doc, recs in docs if report_first else docs[::-1]:
            store.add_document(doc, [], recs)
        stored = list(store.recommendations())
    report = {s.recommendation.paragraph: s for s in stored if s.document.document_type == "upr_wg_report"}
    other = {s.recommendation.source_symbol: s for s in stored
             if s.document.document_type == "upr_info_import"}
    health = report["138.90"].recommendation
    assert (health.response, health.response_source) == ("noted", "UPR Info uprinfo-18776")
    stated = report["138.1"].recommendation  # the report's own response is kept
    assert (stated.response, stated.response_source) == ("supported", "A/HRC/21/10")
    assert report["138.5"].recommendation.response == "pending"  # not in UPR Info's rows
    assert other["uprinfo-18776"].duplicate_of == report["138.90"].id
    assert other["uprinfo-18700"].duplicate_of == report["138.1"].id
    assert other["uprinfo-18701"].duplicate_of is None
    assert all(s.duplicate_of is None for s in report.values())


def test_other_cycles_are_not_matched_and_an_addendum_wins_over_upr_info(tmp_path):
    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], REPORT_RECS)
        store.add_document(_upr_info(cycle=1), [], UPR_INFO_RECS)
        assert all(s.duplicate_of is None for s in store.recommendations())
        store.add_document(_upr_info(sha="d" * 64), [], UPR_INFO_RECS)
        addendum = Document(sha256="e" * 64, source_path="add.pdf", symbol="A/HRC/21/10/Add.1",
                            document_type="upr_addendum", country_code="IND", responds_to="A/HRC/21/10")
        store.add_document(addendum, [], [], [("A/HRC/21/10", "138.90", "supported")])
        health = next(s for s in store.recommendations() if s.recommendation.paragraph == "138.90")
        assert (health.recommendation.response, health.recommendation.response_source) == (
            "supported", "A/HRC/21/10/Add.1")


def test_removing_the_report_forgets_the_links(tmp_path):
    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], REPORT_RECS)
        store.add_document(_upr_info(), [], UPR_INFO_RECS)
        assert any(s.duplicate_of for s in store.recommendations())
        store.delete_document("a" * 64)
        assert [s.duplicate_of for s in store.recommendations()] == [None, None, None]


def _unmatched_corpus(folder) -> None:
    """Both sources of India 2012, with 138.90's response as a store before the matching had it."""
    with Store.open(folder) as store:
        store.add_document(_report(), [], REPORT_RECS)
        store.add_document(_upr_info(), [], UPR_INFO_RECS)
        store.conn.execute("UPDATE recommendations SET duplicate_of = NULL, response = 'pending', "
                           "response_source = NULL WHERE paragraph = '138.90'")
        store.conn.commit()


def _as_schema_2(folder) -> None:
    """Make a store look as rightsindex 0.1 left it: no duplicate_of, no response_before."""
    conn = sqlite3.connect(folder / store_mod.STORE_FILE)
    conn.execute("ALTER TABLE recommendations DROP COLUMN duplicate_of")
    conn.execute("ALTER TABLE recommendations DROP COLUMN response_before")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def test_a_schema_2_corpus_is_matched_when_it_opens(tmp_path):
    _unmatched_corpus(tmp_path)
    _as_schema_2(tmp_path)
    with Store.open(tmp_path) as store:
        assert store.schema_version == store_mod.SCHEMA_VERSION
        health = next(s for s in store.recommendations() if s.recommendation.paragraph == "138.90")
        assert health.recommendation.response == "noted"
        assert sum(s.duplicate_of is not None for s in store.recommendations()) == 2


def test_the_first_search_of_an_older_corpus_sees_its_matched_responses(tmp_path):
    from rightsindex.search import matching_ids

    _unmatched_corpus(tmp_path)
    assert len(matching_ids(tmp_path, "response:pending")) == 2  # the index now holds the old state
    _as_schema_2(tmp_path)
    assert len(matching_ids(tmp_path, "response:pending")) == 1


def test_parts_upr_info_cut_from_one_recommendation_go_to_it():
    report = [("Ratify ICCPR-OP2, OP-CEDAW and CED", ["Uruguay"]),
              ("Ratify the optional protocols to ICCPR", ["Austria"]),
              ("Ratify the Convention on the Rights of Persons with Disabilities", ["Uruguay"])]
    other = [("Ratify CED", ["Uruguay"]), ("Ratify OP-CEDAW", ["Uruguay"]),
             ("Ratify the Second Optional Protocol to ICCPR", ["Austria"]),
             ("Ratify CED", ["Chile"])]  # no recommendation of Chile's: no match
    assert sorted(same_recommendations(report, other)) == [(0, 0), (0, 1), (1, 2)]
    assert agreed_response(["noted", "supported", "noted"]) == "partially supported"


def test_rows_of_different_states_that_differ_are_not_a_partial_support():
    assert agreed_response(["supported", "noted"], [["Chile"], ["Chile"]]) == "partially supported"
    assert agreed_response(["supported", "noted", "noted"], [["Chile"], ["Peru"], ["Mexico"]]) == "noted"


def test_the_dossier_shows_where_a_response_comes_from_and_where_the_sources_differ(tmp_path):
    from rightsindex import open_corpus

    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], REPORT_RECS)
        store.add_document(_upr_info(), [], UPR_INFO_RECS)
    dossier = open_corpus(tmp_path).dossier("IND")
    items = {i.paragraph: i for i in dossier.items}
    assert dossier.total == 4  # 3 of the report, the UPR Info row that is none of them
    assert items["138.90"].response_text == "noted (UPR Info uprinfo-18776)"
    assert items["138.1"].response_text == "supported (UPR Info: noted)"  # the report's, and UPR Info's
    said = "1 recommendation(s) have another response in UPR Info's rows"
    assert any(n.startswith(said) for n in dossier.notes)
    from rightsindex.search.dossier import to_markdown

    markdown = to_markdown(dossier)
    assert "response: supported (UPR Info: noted)" in markdown
    # what the State did not accept, or has not answered: an advocate's list
    assert [i.paragraph for i in dossier.not_accepted] == ["138.5", "138.90"]
    assert "### Noted (1)" in markdown and "### Pending (1)" in markdown
    assert dossier.to_dict()["not_accepted"] == [items["138.5"].id, items["138.90"].id]


def test_the_library_gives_every_row_or_each_recommendation_once(tmp_path):
    from rightsindex import open_corpus

    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], REPORT_RECS)
        store.add_document(_upr_info(), [], UPR_INFO_RECS)
    corpus = open_corpus(tmp_path)
    assert len(corpus.recommendations()) == 6
    once = corpus.recommendations(once=True)
    assert len(once) == 4 and once["duplicate_of"].isna().all()
    assert len(corpus.recommendations("torture", once=True)) == 1


def test_removing_or_reimporting_upr_infos_rows_gives_the_report_its_own_responses_back(tmp_path):
    def responses(store):
        return {s.recommendation.paragraph: (s.recommendation.response, s.recommendation.response_source)
                for s in store.recommendations() if s.document.document_type == "upr_wg_report"}

    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], REPORT_RECS)
        own = responses(store)
        store.add_document(_upr_info(), [], UPR_INFO_RECS)
        assert responses(store)["138.90"] == ("noted", "UPR Info uprinfo-18776")
        # a newer export without that row replaces the old one: the report's 'pending' is back
        store.add_document(_upr_info(sha="d" * 64), [], UPR_INFO_RECS[1:])
        assert responses(store) == own
        store.add_document(_upr_info(sha="e" * 64), [], UPR_INFO_RECS)
        assert responses(store)["138.90"] == ("noted", "UPR Info uprinfo-18776")
        store.delete_document("e" * 64)
        assert responses(store) == own and own["138.90"] == ("pending", None)


def test_a_query_that_matches_only_upr_infos_copy_keeps_the_recommendation_in_the_dossier(tmp_path):
    from rightsindex import open_corpus

    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], REPORT_RECS)
        store.add_document(_upr_info(), [], [r.replace(text=r.text.replace("health", "healthcare"))
                                             if r.text == HEALTH else r for r in UPR_INFO_RECS])
    corpus = open_corpus(tmp_path)
    assert len(corpus.recommendations("healthcare", once=True)) == 1
    dossier = corpus.dossier("IND", query="healthcare")
    assert [i.paragraph for i in dossier.items] == ["138.90"]  # the report's, which says 'health'


def test_a_row_goes_to_its_own_states_recommendation_before_a_more_alike_one_of_another():
    mechanism = " and establish a national preventive mechanism"
    report = [(f"Ratify the Optional Protocol to the Convention against Torture (OP-CAT){mechanism}",
               ["Australia"]),
              (f"Ratify the Optional Protocol to the Convention against Torture{mechanism}", ["New Zealand"])]
    other = [(f"Ratify the Optional Protocol to the Convention against Torture (OP-CAT){mechanism}.",
              ["New Zealand"])]
    assert same_recommendations(report, other) == [(1, 0)]


def test_explain_names_the_recommendation_upr_infos_copy_repeats(tmp_path):
    from click.testing import CliRunner

    from rightsindex.cli import main

    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], REPORT_RECS)
        store.add_document(_upr_info(), [], UPR_INFO_RECS)
        copy = next(s for s in store.recommendations() if s.recommendation.source_symbol == "uprinfo-18776")
        report_id = copy.duplicate_of
    result = CliRunner().invoke(main, ["explain", str(copy.id), "--corpus", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"(UPR Info's copy of recommendation [{report_id}], A/HRC/21/10, para. 138.90" in result.output


def test_a_response_an_imported_export_gives_is_kept(tmp_path):
    """An export's report row says 'noted (UPR Info uprinfo-18776)': imported where UPR Info's rows
    are not (or only some are), the response stays, whatever comes and goes after."""
    def health(store):
        rec = next(s.recommendation for s in store.recommendations()
                   if s.recommendation.paragraph == "138.90")
        return rec.response, rec.response_source

    taken = {"response": "noted", "response_source": "UPR Info uprinfo-18776"}
    exported = [r.replace(**taken) if r.paragraph == "138.90" else r for r in REPORT_RECS]
    with Store.open(tmp_path) as store:
        store.add_document(_report(), [], exported, responses_given=True)
        assert health(store) == ("noted", "UPR Info uprinfo-18776")
        store.add_document(_upr_info(), [], UPR_INFO_RECS[1:])  # its rows, without 18776
        assert health(store) == ("noted", "UPR Info uprinfo-18776")
        store.delete_document("c" * 64)  # the review's UPR Info rows go
        assert health(store) == ("noted", "UPR Info uprinfo-18776")
