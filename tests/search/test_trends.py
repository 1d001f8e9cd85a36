"""Trends per period (counts, shares, multi-label splits), emerging terms, tables and charts."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis_corpus import build
from rightsindex.corpus.api import open_corpus
from rightsindex.errors import QueryError
from rightsindex.search.trends import (
    emerging_terms,
    parse_period,
    plot_trends,
    term_key,
    tokens,
    trends,
    write_table,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return open_corpus(build(tmp_path_factory.mktemp("trends") / "corpus"))


def test_counts_per_year_fill_missing_years(corpus):
    table = trends(corpus, by="year")
    assert table.index.tolist() == list(range(2008, 2017))
    assert table["total"].to_dict() == {2008: 1, 2009: 0, 2010: 6, 2011: 0, 2012: 0, 2013: 0,
                                        2014: 3, 2015: 4, 2016: 2}


def test_share_without_split_is_the_period_share_of_everything(corpus):
    table = corpus.trends(by="cycle", share=True)
    # 7 UPR recommendations in cycle 1, 7 in cycle 2; CESCR's 2 have no cycle
    assert table["total"].tolist() == [7, 7]
    assert table["share"].tolist() == [0.5, 0.5]
    assert table.attrs["no_period"] == 2


def test_multi_label_split_counts_each_label(corpus):
    table = corpus.trends(by="year", split="right")
    # 2015: housing, esc_general, education+health (one recommendation, two rights)
    row = table.loc[2015]
    assert row["housing"] == 1 and row["education"] == 1 and row["health"] == 1
    assert row["esc_general"] == 1 and row["total"] == 4
    # 2014: water, housing+healthy_environment, and one without any right
    cols = ["water_sanitation", "housing", "healthy_environment", "total"]
    assert table.loc[2014, cols].tolist() == [1, 1, 1, 3]
    # label columns of a multi-label split add up to more than the total when labels overlap
    labels = [c for c in table.columns if c not in ("total", "(none)")]
    assert table.loc[2015, labels].sum() == 4 and table.loc[2014, labels].sum() == 3
    # columns ordered by overall count: housing (4) first; then (none), the recommendations
    # without any right (one each year), as the search's facets count them
    assert labels[0] == "housing" and table["housing"].sum() == 4
    assert list(table.columns[-2:]) == ["(none)", "total"]
    assert table.loc[[2014, 2015], "(none)"].tolist() == [1, 1]
    # --top keeps that many labels, and (none)
    assert list(corpus.trends(by="year", split="right", top=1).columns) == ["housing", "(none)", "total"]
    # the share of recommendations with any right is 1 - the share of (none)
    shares = corpus.trends(by="year", split="right", share=True)
    assert shares.loc[2015, "(none)"] == 0.25


def test_share_split_divides_by_all_recommendations_of_the_period(corpus):
    table = corpus.trends(by="year", split="fiscal", share=True)
    assert table.loc[2016, "budget_allocation"] == pytest.approx(0.5)
    assert table.loc[2015, "taxation"] == pytest.approx(0.25)
    # a year without recommendations has no share (not 0%, which would read as a collapse)
    assert table.loc[2009, "total"] == 0 and pd.isna(table.loc[2009, "taxation"])
    assert table.loc[2016, "total"] == 2


def test_single_valued_split_keeps_unknowns(corpus):
    table = corpus.trends(by="year", split="response")
    assert table.loc[2016, "(none)"] == 2
    assert table.loc[2014, ["supported", "noted", "partially supported"]].tolist() == [1, 1, 1]
    assert (table.drop(columns="total").sum(axis=1) == table["total"]).all()


def test_body_and_country_splits_and_top(corpus):
    by_body = corpus.trends(by="year", split="body")
    assert by_body.loc[2016, "CESCR"] == 2 and by_body["UPR"].sum() == 14
    top = corpus.trends(by="year", split="country", top=1)
    assert [c for c in top.columns if c != "total"] == ["Kenya"]


def test_session_periods_sort_numerically(corpus):
    table = corpus.trends(by="session")
    assert table.index.tolist() == [1, 7, 8, 20, 21]


def test_filters_and_unknown_values(corpus):
    kenya = corpus.trends(by="year", country="KEN")
    assert kenya["total"].sum() == 10
    with pytest.raises(QueryError, match="unknown split 'colour'"):
        corpus.trends(split="colour")
    with pytest.raises(QueryError, match="unknown period"):
        corpus.trends(by="month")


def _frame(texts_by_year):
    rows = [{"id": i, "year": year, "text": text}
            for i, (year, text) in enumerate((y, t) for y, ts in texts_by_year.items() for t in ts)]
    return pd.DataFrame(rows)


def test_emerging_terms_rank_the_rising_phrase_with_exact_counts():
    early = ["Improve access to education for all children"] * 10 + ["Combat torture in prisons"] * 10
    late = (["Improve access to education for all children"] * 10
            + ["Address climate change in national planning", "Mitigate climate change",
               "Adapt farming to climate change", "Include climate change in school curricula",
               "Assess climate change risks for housing", "Fund climate change adaptation"]
            + ["Protect women from violence"] * 2 + ["Protect every woman who is a migrant"] * 2)
    df = _frame({2009: early, 2014: late})
    terms = emerging_terms(df, "2008-2010", "2012-2015", min_count=3)
    assert terms.attrs["n_from"] == 20 and terms.attrs["n_to"] == 20
    top = terms.iloc[0]
    assert top["term"] == "climate change"  # the phrase stands for its words
    assert (top["count_from"], top["count_to"]) == (0, 6)
    assert top["share_to"] == pytest.approx(0.3) and top["change"] == pytest.approx(0.3)
    listed = terms["term"].tolist()
    assert "climate" not in listed and "change" not in listed
    # women and woman are one term, shown in its most frequent form
    row = terms[terms["term"].isin(["woman", "women"])].iloc[0]
    assert row["count_to"] == 4 and row["count_from"] == 0
    # education's share did not rise; torture's fell
    assert "education" not in listed and "torture" not in listed
    assert terms["score"].is_monotonic_decreasing


def test_emerging_terms_min_count_and_smoothing():
    df = _frame({2009: ["Ratify the Covenant"] * 50,
                 2014: ["Ratify the Covenant"] * 44 + ["Ratify OP-ICESCR promptly"] * 5
                 + ["Abolish slavery"]})
    terms = emerging_terms(df, 2009, 2014, min_count=2)
    assert "slavery" not in terms["term"].tolist()  # seen once: below min_count
    assert terms.iloc[0]["term"] in ("op-icescr", "op-icescr promptly", "promptly", "ratify op-icescr")
    assert terms.iloc[0]["count_to"] == 5
    assert all(terms["ratio"] < 100)  # smoothed: no infinite ratio from a zero count


def test_emerging_terms_need_both_periods():
    df = _frame({2009: ["Ratify the Covenant"]})
    with pytest.raises(QueryError, match="no recommendations in the --to period 2012-2013"):
        emerging_terms(df, "2009", "2012-2013")


@pytest.mark.parametrize("text, expected", [("2008-2010", (2008, 2010)), ("2012", (2012, 2012)),
                                             ("2008..2009", (2008, 2009)), ((1, 2), (1, 2))])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("bad", ["last year", "2010-2008", ""])
def test_parse_period_rejects(bad):
    with pytest.raises(QueryError):
        parse_period(bad)


def test_folding_and_phrase_breaks():
    assert term_key("women") == term_key("woman")
    assert term_key("organisation") == term_key("organization")
    assert term_key("programmes") == term_key("program")
    assert term_key("exercise") != term_key("exercize")  # not every -ise is British spelling
    seq = tokens("Ratify the Convention; protect migrant workers, 2010")
    words = [t[1] if t else None for t in seq]
    # stopwords and punctuation break phrases: "ratify convention" is never a pair
    assert words == ["ratify", None, "convention", None, "protect", "migrant", "workers"]


def test_write_table_formats(corpus, tmp_path):
    table = corpus.trends(by="cycle", split="response")
    csv_text = write_table(table, "csv")
    assert csv_text.splitlines()[0] == "cycle,supported,noted,partially supported,total"
    obj = json.loads(write_table(table, "json", meta={"by": "cycle"}))
    assert obj["by"] == "cycle" and obj["rows"][0] == {"cycle": 1, "supported": 5, "noted": 2,
                                                      "partially supported": 0, "total": 7}
    write_table(table, "xlsx", tmp_path / "t.xlsx")
    write_table(table, "parquet", tmp_path / "t.parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert back["total"].tolist() == [7, 7]
    assert pd.read_excel(tmp_path / "t.xlsx")["noted"].tolist() == [2, 2]
    with pytest.raises(QueryError, match="--output"):
        write_table(table, "parquet", None)


def test_plot_writes_a_png(corpus, tmp_path):
    out = plot_trends(corpus.trends(by="year", split="right", share=True), tmp_path / "chart.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_emerging_terms_by_cycle(corpus):
    terms = emerging_terms(corpus.recommendations(), 1, 2, by="cycle", min_count=2)
    assert (terms.attrs["n_from"], terms.attrs["n_to"]) == (7, 7)
    housing = terms[terms["term"] == "housing"]
    # cycle 1: one housing recommendation (Kenya); cycle 2: Kenya's and Slovenia's
    assert housing[["count_from", "count_to"]].values.tolist() == [[1, 2]]


def test_a_tiny_share_is_not_shown_as_zero():
    """2 of 5,512 recommendations is '<0.1%', not '0.0%' (which reads as none)."""
    import pandas as pd

    from rightsindex.search.trends import format_table

    table = pd.DataFrame({"taxation": [2 / 5512, 0.0, None], "total": [5512, 10, 0]},
                         index=pd.Index([2009, 2010, 2011], name="year"))
    shown = format_table(table, percent_columns=("taxation",))
    lines = shown.splitlines()
    assert "<0.1%" in lines[2] and "0.0%" in lines[3] and "-" in lines[4]


def test_a_plot_names_the_query_and_fits_every_right(corpus, tmp_path, monkeypatch):
    import matplotlib.axes

    titles = []
    real = matplotlib.axes.Axes.set_title
    monkeypatch.setattr(matplotlib.axes.Axes, "set_title",
                        lambda self, label, *a, **k: titles.append(label) or real(self, label, *a, **k))
    plot_trends(corpus.trends(by="year", split="right"), tmp_path / "r.png", query="country:KEN")
    assert titles and titles[-1].endswith("\nrecommendations matching: country:KEN")
    assert "top" not in titles[-1]  # all 12 rights drawn (those with a count)


def test_trends_by_country_says_which_states_accept_what():
    import pandas as pd

    rows = pd.DataFrame({
        "country": ["Kenya", "Kenya", "Kenya", "India", None],
        "country_code": ["KEN", "KEN", "KEN", "IND", "BRA"],
        "response": ["supported", "noted", "supported", "noted", "supported"],
    })
    table = trends(rows, by="country", split="response", share=True)
    assert list(table.index) == ["BRA", "India", "Kenya"]  # a State without a name keeps its code
    assert table.loc["Kenya", "supported"] == pytest.approx(2 / 3) and table.loc["Kenya", "total"] == 3
    assert table.loc["India", "noted"] == 1.0


def test_trends_by_country_refuses_a_plot(tmp_path):
    from click.testing import CliRunner

    from rightsindex.cli import main

    result = CliRunner().invoke(main, ["trends", "--by", "country", "--plot", str(tmp_path / "p.png"),
                                       "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 2 and "--by country makes a table per State" in result.output


def test_an_xlsx_table_says_what_it_counts(tmp_path):
    import pandas as pd

    from rightsindex.search.trends import write_table

    table = pd.DataFrame({"taxation": [1], "total": [4]}, index=pd.Index([2010], name="year"))
    path = tmp_path / "t.xlsx"
    write_table(table, "xlsx", path, meta={"kind": "trends", "by": "year", "split": "fiscal",
                                           "query": "country:KEN", "share": False})
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["trends", "about"]
    assert sheets["trends"].to_dict("records") == [{"year": 2010, "taxation": 1, "total": 4}]
    about = dict(zip(sheets["about"]["key"], sheets["about"]["value"]))
    assert about["query"] == "country:KEN" and about["split"] == "fiscal"


def test_an_xlsx_of_shares_shows_them_as_percentages(corpus, tmp_path):
    """trends --share -o t.xlsx wrote shares as bare fractions in General cells, so a table pasted
    into a report read 0.0444324518798345; the shares are percentage cells (the values stay
    fractions, the counts in 'total' stay whole numbers), as the table on the screen shows them."""
    import openpyxl
    from click.testing import CliRunner

    from rightsindex.cli import main

    path = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["trends", "--split", "right", "--share", "-o", str(path),
                                       "--corpus", str(corpus.path)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(path)["trends"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, sheet[2], strict=True))
    shares = [name for name in header if name not in ("year", "total")]
    assert shares and all(first[name].number_format == "0.0%" for name in shares)
    assert 0 <= first[shares[0]].value <= 1
    assert first["total"].number_format == "General" and first["year"].number_format == "General"
    emerging = tmp_path / "e.xlsx"
    result = CliRunner().invoke(main, ["trends", "--emerging", "--from", "2008-2010", "--to", "2014-2016",
                                       "--min-count", "1", "-o", str(emerging), "--corpus", str(corpus.path)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(emerging).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("share_to") + 1).number_format == "0.0%"


def test_trends_keep_the_labels_asked_for(corpus, tmp_path):
    """An analyst wanting a table of attention to health and education had only --top N, which keeps
    the labels with the most recommendations (on the full corpus --top 2 gave education and work).
    --label keeps the columns asked for, in their order; their shares stay shares of all the
    period's recommendations; a misspelt label is named."""
    from click.testing import CliRunner

    from rightsindex.cli import main

    full = corpus.trends(split="right", share=True)
    kept = corpus.trends(split="right", share=True, labels=["health", "Housing"])
    assert list(kept.columns) == ["health", "housing", "(none)", "total"]
    pd.testing.assert_frame_equal(kept[["health", "housing"]], full[["health", "housing"]])
    with pytest.raises(QueryError, match="did you mean health"):
        corpus.trends(split="right", labels=["helth"])
    with pytest.raises(QueryError, match="give split"):
        corpus.trends(labels=["health"])
    # an empty list chooses nothing, as an empty filter list does (it kept no label column at all)
    pd.testing.assert_frame_equal(corpus.trends(split="right", share=True, labels=[]), full)
    folder = str(corpus.path)
    result = CliRunner().invoke(main, ["trends", "--split", "right", "--label", "housing", "--label",
                                       "health", "--format", "csv", "--corpus", folder])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "year,housing,health,(none),total"
    wrong = CliRunner().invoke(main, ["trends", "--split", "right", "--label", "helth", "--corpus", folder])
    assert wrong.exit_code != 0 and "did you mean health" in wrong.output
    alone = CliRunner().invoke(main, ["trends", "--label", "health", "--corpus", folder])
    assert alone.exit_code == 2 and "add --split" in alone.output


def test_trends_by_recommending_state_counts_a_joint_recommendation_for_each_state():
    rows = pd.DataFrame({
        "recommending_states": [["Norway", "Mexico"], ["Norway"], [], ["Mexico"]],
        "esc_rights": [["housing"], ["health", "housing"], ["housing"], []],
        "year": [2010, 2010, 2011, 2012],
    })
    table = trends(rows, by="recommending", split="right")
    assert table.index.name == "recommending_state"
    assert list(table.index) == ["Mexico", "Norway"]
    assert table.loc["Norway", "housing"] == 2 and table.loc["Norway", "health"] == 1
    assert table.loc["Norway", "total"] == 2 and table.loc["Mexico", "total"] == 2
    assert table.loc["Mexico", "housing"] == 1
    assert table.attrs["no_period"] == 1  # the recommendation without a recommending State
    shares = trends(rows, by="recommending", split="right", share=True)
    assert shares.loc["Mexico", "housing"] == pytest.approx(0.5)


def test_trends_split_by_recommending_state_is_multi_label():
    rows = pd.DataFrame({"recommending_states": [["Norway", "Mexico"], ["Norway"], []],
                         "year": [2010, 2010, 2011]})
    table = trends(rows, by="year", split="recommending", top=1)
    assert list(table.columns) == ["Norway", "(none)", "total"]
    assert table.loc[2010, "Norway"] == 2 and table.loc[2010, "total"] == 2
    assert table.loc[2011, "total"] == 1 and table.loc[2011, "(none)"] == 1  # made by no State


def test_cli_trends_by_recommending_state(tmp_path):
    from click.testing import CliRunner

    from rightsindex.cli import main

    path = build(tmp_path / "corpus")
    result = CliRunner().invoke(main, ["trends", "--by", "recommending", "--corpus", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Recommendations per recommending State\n")
    assert re.search(r"^Norway +2$", result.output, re.M), result.output
    refused = CliRunner().invoke(main, ["trends", "--by", "recommending", "--plot", str(tmp_path / "p.png"),
                                        "--corpus", str(path)])
    assert refused.exit_code == 2 and "--by recommending makes a table per State" in refused.output


def test_every_line_of_a_plot_looks_different(tmp_path, monkeypatch):
    import matplotlib.axes

    styles = []
    real = matplotlib.axes.Axes.plot

    def spy(self, *args, **kwargs):
        styles.append((kwargs.get("color"), kwargs.get("marker"), kwargs.get("linestyle")))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "plot", spy)
    table = pd.DataFrame({f"label{i}": [i + 1, i + 2] for i in range(12)} | {"total": [20, 30]},
                         index=pd.Index([2010, 2011], name="year"))
    table.attrs.update({"by": "year", "split": "right", "share": False})
    plot_trends(table, tmp_path / "p.png")
    assert len(styles) == 12 and len(set(styles)) == 12  # 'education' and 'social security' looked alike


def test_a_recommendation_of_two_bodies_counts_under_each():
    rows = pd.DataFrame({"body": ["CCPR; CESCR", "CESCR; CCPR", "UPR", None],
                         "year": [2010, 2010, 2011, 2011]})
    table = trends(rows, by="year", split="body")
    assert "CCPR; CESCR" not in table.columns and "CESCR; CCPR" not in table.columns
    assert table.loc[2010, "CCPR"] == 2 and table.loc[2010, "CESCR"] == 2 and table.loc[2010, "total"] == 2
    assert table.loc[2011, "UPR"] == 1 and table.loc[2011, "(none)"] == 1


def test_a_recommendation_held_twice_counts_once_in_trends_and_emerging_terms():
    rows = pd.DataFrame({
        "id": [1, 2, 3, 4],
        "text": ["Adopt a social protection floor", "Adopt a social protection floor",
                 "Abolish the death penalty", "Adopt a social protection floor for all"],
        "year": [2010, 2010, 2010, 2014],
        "cycle": [1, 1, 1, 2],
        "duplicate_of": pd.array([pd.NA, 1, pd.NA, pd.NA], dtype="Int64"),
    })
    table = trends(rows, by="year")
    assert table.loc[2010, "total"] == 2 and table.attrs["held_twice"] == 1
    assert trends(rows, by="year", once=False).loc[2010, "total"] == 3
    terms = emerging_terms(rows, "2010", "2014", min_count=1)
    assert terms.attrs["n_from"] == 2


def test_top_keeps_the_states_that_recommend_most():
    rows = pd.DataFrame({"recommending_states": [["Norway", "Mexico"], ["Norway"], ["Chile"], ["Norway"],
                                                 ["Mexico"]],
                         "fiscal": [["taxation"], [], [], ["debt"], ["taxation"]]})
    table = trends(rows, by="recommending", split="fiscal", top=2)
    assert list(table.index) == ["Norway", "Mexico", "(1 other State)"] and list(table["total"]) == [3, 2, 1]
    # without --top: by name
    assert list(trends(rows, by="recommending").index) == ["Chile", "Mexico", "Norway"]
    # a share is of all recommendations, not of the States kept
    shares = trends(rows, by="recommending", share=True, top=1)
    assert list(shares.index) == ["Norway", "(2 other States)"]
    assert shares.loc["Norway", "share"] == pytest.approx(3 / 6)
    # the others' row counts a recommendation once, a joint one of two of them too
    joint = pd.DataFrame({"recommending_states": [["Chile", "Mexico"], ["Norway"], ["Norway"], ["Peru"]],
                          "fiscal": [["taxation"], [], [], ["taxation"]]})
    table = trends(joint, by="recommending", split="fiscal", top=1)
    assert table.loc["(3 other States)", "total"] == 2 and table.loc["(3 other States)", "taxation"] == 2
    regions = trends(pd.DataFrame({"region": ["WEOG", "WEOG", "GRULAC", "African Group"]}), by="region", top=1)
    assert list(regions.index) == ["WEOG", "(2 other groups)"]


def test_trends_say_how_many_recommendations_are_quoted_from_other_bodies(tmp_path):
    from click.testing import CliRunner

    from rightsindex.cli import main
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation

    with Store.open(tmp_path / "c") as store:
        for sha, dtype in (("1", "upr_wg_report"), ("2", "upr_compilation")):
            store.add_document(Document(sha256=sha * 64, source_path=f"{sha}.pdf", document_type=dtype,
                                        body="UPR", country="Kenya", country_code="KEN", year=2010, cycle=1),
                               [], [Recommendation(text=f"Abolish the death penalty {sha}")])
        # UPR Info's copy of the report's recommendation is counted once: not in the note's total
        store.add_document(Document(sha256="4" * 64, source_path="u.csv", document_type="upr_info_import",
                                    body="UPR", country="Kenya", country_code="KEN", year=2010, cycle=1),
                           [], [Recommendation(text="Abolish the death penalty 1")])
    result = CliRunner().invoke(main, ["trends", "--by", "cycle", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert "note: 1 of these 2 recommendations are quoted from other bodies" in result.output


def test_emerging_terms_leave_out_how_recommendations_are_phrased():
    old = ["Abolish the death penalty"] * 10
    new = ["Continue efforts to ensure birth registration"] * 10 + ["Abolish the death penalty"] * 10
    rows = pd.DataFrame({"text": old + new, "year": [2010] * 10 + [2014] * 20})
    terms = set(emerging_terms(rows, "2010", "2014", min_count=3)["term"])
    assert "birth registration" in terms
    assert not terms & {"continue", "efforts", "continue efforts", "ensure"}
    every = set(emerging_terms(rows, "2010", "2014", min_count=3, all_words=True)["term"])
    assert "continue efforts" in every


def test_trends_refuse_an_unknown_state_and_a_chart_format_they_cannot_draw(corpus, tmp_path):
    from click.testing import CliRunner

    from rightsindex.cli import main

    def trends_of(country: str):
        return CliRunner().invoke(main, ["trends", "--country", country, "--corpus", str(corpus.path)])

    # the words of search and dossier: the State as typed, and the likely one
    unknown = trends_of("Atlantis")
    assert unknown.exit_code == 1 and unknown.output.startswith(
        "Error: unknown country 'Atlantis': not a State name or ISO code")
    typo = trends_of("Kenia")
    assert typo.exit_code == 1 and typo.output == "Error: unknown country 'Kenia': did you mean Kenya?\n"
    # a long name near a State's ("Slovenija") is named too, not read as that State silently
    assert trends_of("Slovenija").output == "Error: unknown country 'Slovenija': did you mean Slovenia?\n"
    assert corpus.trends(country="Slovenia")["total"].sum() == corpus.trends(country="SVN")["total"].sum() > 0
    with pytest.raises(QueryError, match="did you mean Slovenia"):
        corpus.trends(country="Slovenija")
    folder = str(tmp_path / "c")
    chart = CliRunner().invoke(main, ["trends", "--plot", str(tmp_path / "x.txt"), "--corpus", folder])
    assert chart.exit_code == 2 and "draw to a .png, .svg or .pdf file" in chart.output


def test_a_period_with_few_recommendations_is_named_as_thin():
    """A trial read 2014 (188 recommendations, against ~6,000 in other years) as a jump in attention
    to work: its shares swing on a handful of texts. Periods under 5% of the median (at least 30)
    are named in the table's attrs; a corpus whose periods are all small names none."""
    from rightsindex.search.trends import thin_periods, trends

    rows = [{"id": i, "year": year, "esc_rights": ["work"] if i % 3 == 0 else []}
            for i, year in enumerate([2012] * 400 + [2013] * 380 + [2014] * 12 + [2015] * 420)]
    table = trends(pd.DataFrame(rows), split="right", share=True, once=False)
    assert table.attrs["thin"] == {2014: 12}
    assert trends(pd.DataFrame(rows), split="right", once=False).attrs["thin"] == {}  # counts, no shares
    small = pd.DataFrame({"total": [3, 1, 5]}, index=[2012, 2013, 2014])
    assert thin_periods(small) == {}


def test_thin_periods_do_not_lower_the_median_they_are_measured_against():
    """On the whole corpus (PDFs and UPR Info's rows) 2014 held 188 recommendations against 2,620 to
    6,918 in 2008-2013, but the thin years 2019 (110), 2024 (67) and 2025 (7) pulled the median down
    to 3,463, so 2014 stayed just above 5% of it and its jump in 'work' (11.2%) was drawn as a
    trend. The median is that of the periods that are not thin themselves."""
    from rightsindex.search.trends import thin_median, thin_periods

    totals = {2008: 2620, 2009: 5559, 2010: 6266, 2011: 6918, 2012: 4306, 2013: 4592, 2014: 188,
              2019: 110, 2024: 67, 2025: 7}
    table = pd.DataFrame({"total": list(totals.values())}, index=list(totals))
    assert thin_periods(table) == {2014: 188, 2019: 110, 2024: 67, 2025: 7}
    assert thin_median(table["total"]) == 5075  # the median said in the note and the chart's caption


def test_a_plot_keeps_a_long_query_inside_and_marks_thin_periods(tmp_path, monkeypatch):
    """The query under the title ran out of the picture on the left ("endations matching: ..."); a
    thin period (2014: 12 recommendations) is drawn hollow and said in the legend and the caption."""
    import matplotlib.figure
    import matplotlib.text

    drawn = {}
    real = matplotlib.figure.Figure.savefig

    def spy(self, *args, **kwargs):
        self.canvas.draw()
        renderer = self.canvas.get_renderer()
        drawn["texts"] = [(t.get_text(), t.get_window_extent(renderer))
                          for t in self.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
        drawn["width"] = self.bbox.width
        drawn["hollow"] = [list(line.get_xdata()) for ax in self.axes for line in ax.get_lines()
                           if line.get_markerfacecolor() == "white"]
        return real(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", spy)
    rows = [{"id": i, "year": year, "esc_rights": ["work"] if i % 3 == 0 else ["health"]}
            for i, year in enumerate([2012] * 400 + [2013] * 380 + [2014] * 12 + [2015] * 420)]
    table = trends(pd.DataFrame(rows), split="right", share=True, once=False)
    query = ("fiscal:* NOT type:upr_compilation NOT type:upr_stakeholder_summary AND (right:housing OR "
             "right:health OR right:social_security)")
    plot_trends(table, tmp_path / "p.png", query=query)
    assert all(-0.5 <= box.x0 and box.x1 <= drawn["width"] + 0.5 for _text, box in drawn["texts"]), [
        (text, box.x0, box.x1) for text, box in drawn["texts"]]
    said = " ".join(text for text, _box in drawn["texts"])
    assert "recommendations matching: fiscal:*" in said and "right:social_security" in said
    assert "few recommendations" in said and "2014 (12)" in said
    assert len(drawn["hollow"]) == 2 and all(xs == [2] for xs in drawn["hollow"])  # 2014, the third period
