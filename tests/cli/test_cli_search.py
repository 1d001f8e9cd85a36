"""CLI: index, search, export and import: exit codes, messages, JSON shape."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsindex.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "search"))
from hand_corpus import build, build_held_twice  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("cli") / "corpus")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_index_command(corpus):
    result = run("index", "--rebuild", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "8 recommendations" in result.output
    assert run("index", "--corpus", corpus).exit_code == 0


def test_search_json_shape(corpus):
    result = run("search", "right:housing", "--corpus", corpus, "--format", "json", "--facets", "--limit", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # standard output is JSON alone; the cut is said on stderr
    assert set(data) == {"query", "total", "hits", "facets", "held_twice", "once", "did_you_mean"}
    assert data["query"] == "right:housing" and data["total"] == 2 and len(data["hits"]) == 1
    hit = data["hits"][0]
    for key in ("id", "symbol", "paragraph", "country", "year", "text", "highlight", "esc_rights", "fiscal",
                "response"):
        assert key in hit
    assert data["facets"]["country"] == {"KEN": 1, "SVN": 1}


def test_search_table_and_csv(corpus):
    table = run("search", "women", "--corpus", corpus, "--sort", "date", "--facets")
    assert table.exit_code == 0 and "2 recommendations match" in table.output
    assert "A/HRC/15/8" in table.output and "country: BRA 1, KEN 1" in table.output
    out = run("search", "women", "--corpus", corpus, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert len(rows) == 2 and {r["country_code"] for r in rows} == {"KEN", "BRA"}


def test_search_csv_has_what_removes_held_twice_rows(tmp_path):
    """search --format csv had no duplicate_of: UPR Info's copy of a report's row could not be dropped."""
    held = build_held_twice(tmp_path / "c")
    out = run("search", "country:KEN", "--corpus", held, "--format", "csv")
    assert out.exit_code == 0, out.output
    reader = csv.DictReader(io.StringIO(out.stdout))
    assert reader.fieldnames[:18] == [
        "id", "symbol", "document_type", "paragraph", "page", "country", "country_code", "year", "date",
        "recommending_states", "body", "response", "response_source", "esc_rights", "fiscal", "groups",
        "text", "citation"]
    assert reader.fieldnames[18:] == ["duplicate_of", "cycle", "session", "issues", "region",
                                      "recommending_regions", "review_date"]
    rows = {r["id"]: r for r in reader}
    copies = [r for r in rows.values() if r["duplicate_of"]]
    assert len(rows) == 5 and len(copies) == 1
    assert copies[0]["text"] == "Abolish the death penalty."
    assert rows[copies[0]["duplicate_of"]]["paragraph"] == "101.10"
    assert copies[0]["cycle"] == "1" and copies[0]["session"] == "8"


def test_malformed_query_is_one_line_without_traceback(corpus):
    result = run("search", "housing AND", "--corpus", corpus)
    assert result.exit_code == 1
    assert "Error: AND needs something after it" in result.output
    assert "Traceback" not in result.output
    missing = run("search", "housing", "--corpus", corpus.parent / "nowhere")
    assert missing.exit_code == 1 and "no corpus here" in missing.output


def test_export_to_stdout_and_file(corpus, tmp_path):
    out = run("export", "--corpus", corpus, "--format", "csv", "--country", "kenya", "--right", "housing")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["paragraph"] for r in rows] == ["101.1"] and rows[0]["citation"].startswith("A/HRC/15/8")
    target = tmp_path / "x.parquet"
    done = run("export", "--corpus", corpus, "--format", "parquet", "--output", target, "--query", "body:CESCR")
    assert done.exit_code == 0 and target.exists()
    assert run("export", "--corpus", corpus, "--format", "xlsx").exit_code == 2  # needs --output
    # the format follows the file's extension; an extension that names no format is refused
    by_name = tmp_path / "kenya.xlsx"
    assert run("export", "--corpus", corpus, "-o", by_name, "--country", "KEN").exit_code == 0
    assert by_name.read_bytes()[:2] == b"PK"  # a zip: an XLSX workbook, not JSON lines
    docx = run("export", "--corpus", corpus, "-o", tmp_path / "kenya.docx")
    assert docx.exit_code == 2 and "cannot tell the format from '.docx'" in docx.output
    bad = run("export", "--corpus", corpus, "--year", "soon")
    assert bad.exit_code == 1 and "bad year filter" in bad.output


def test_export_once_and_the_note_on_copies(tmp_path):
    held = build_held_twice(tmp_path / "c")
    both = run("export", "--corpus", held, "--format", "csv", "--country", "KEN")
    assert both.exit_code == 0, both.output
    assert "note: 1 of these rows is UPR Info's copy" in both.stderr
    assert "--once leaves them out" in both.stderr
    rows = list(csv.DictReader(io.StringIO(both.stdout)))
    assert [r["paragraph"] or r["source_symbol"] for r in rows] == [
        "101.9", "101.10", "uprinfo-1", "uprinfo-2", "142.1"]
    once = run("export", "--corpus", held, "--once", "-o", tmp_path / "ken.csv", "--country", "KEN")
    assert once.exit_code == 0, once.output
    assert "Wrote 4 recommendations" in once.stderr
    assert "1 UPR Info copy of the reports' rows left out" in once.stderr
    assert "note:" not in once.stderr
    with open(tmp_path / "ken.csv", encoding="utf-8") as fh:
        assert [r["duplicate_of"] for r in csv.DictReader(fh)] == [""] * 4


def test_import_round_trip_and_errors(corpus, tmp_path):
    exported = tmp_path / "all.jsonl"
    assert run("export", "--corpus", corpus, "--output", exported).exit_code == 0
    other = tmp_path / "other"
    first = run("import", exported, "--corpus", other, "--no-tag")
    assert first.exit_code == 0, first.output
    assert "documents added 3" in first.output and "8 recommendations stored" in first.output
    tagged = run("import", exported, "--corpus", tmp_path / "third")
    assert tagged.exit_code == 0, tagged.output
    assert "8 recommendations stored; 8 tagged." in tagged.output  # the import tags what it stored
    again = run("import", "export", exported, "--corpus", other, "--no-tag")
    assert again.exit_code == 0 and "documents added 0" in again.output and "unchanged 3" in again.output
    found = json.loads(run("search", "*", "--corpus", other, "--format", "json").output)
    assert found["total"] == 8
    bad = tmp_path / "bad.csv"
    bad.write_text("rec_id,cycle,session,wg_year,state_under_review,recommending_state,text,response\n"
                   "r1,1,5,2009,Chad,France,Do it,Perhaps\n", encoding="utf-8")
    result = run("import", "upr-info", bad, "--corpus", other, "--no-tag")
    assert result.exit_code == 1 and "row 2, column 'response'" in result.output
    assert "Traceback" not in result.output
    assert run("import", "pdf", bad, "--corpus", other).exit_code == 2
    assert run("import", tmp_path / "none.csv", "--corpus", other).exit_code == 1


def test_importing_a_file_of_another_kind_is_one_line_and_leaves_no_corpus(corpus, tmp_path):
    workbook = tmp_path / "svn.xlsx"
    assert run("export", "--corpus", corpus, "-o", workbook).exit_code == 0
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    new = tmp_path / "new"
    for args, said in (
        (("export", workbook), f"Error: {workbook} is an Excel workbook: import reads CSV and JSONL files"),
        ((workbook,), f"Error: {workbook} is an Excel workbook"),
        (("upr-info", pdf), f"Error: {pdf} is a PDF: use 'rightsindex ingest'"),
        (("export", pdf), f"Error: {pdf} is a PDF"),
    ):
        result = run("import", *args, "--corpus", new, "--no-tag")
        assert result.exit_code == 1, result.output
        assert result.output.startswith(said) and len(result.output.strip().splitlines()) == 1, result.output
        assert not new.exists()
    # a file that fails after the corpus was opened: the store made for it goes too
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert run("import", "upr-info", bad, "--corpus", new).exit_code == 1
    assert not new.exists()
    new.mkdir()  # a folder that was there stays, empty
    assert run("import", "upr-info", bad, "--corpus", new).exit_code == 1
    assert new.exists() and not any(new.iterdir())
    before = sorted(p.name for p in corpus.iterdir())  # a corpus that was there keeps its store
    assert run("import", "upr-info", bad, "--corpus", corpus).exit_code == 1
    assert sorted(p.name for p in corpus.iterdir()) == before


@pytest.mark.parametrize("command", ["index", "search", "export", "import"])
def test_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example" in result.output and f"rightsindex {command}" in result.output


def test_a_closed_pipe_ends_quietly(corpus, monkeypatch):
    """`rightsindex export | head -1`: the reader closing the pipe is no error to report."""
    import errno
    import importlib

    export_module = importlib.import_module("rightsindex.search.export")

    def closed(*_args, **_kw):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(export_module, "export", closed)
    result = run("export", "--format", "csv", "--corpus", corpus)
    assert "cannot write" not in result.output
    assert not isinstance(result.exception, BrokenPipeError)


def test_search_output_says_who_made_each_recommendation(corpus):
    table = run("search", "right:housing country:KEN", "--corpus", corpus)
    assert table.exit_code == 0 and "| by France |" in table.output
    out = run("search", "right:housing country:KEN", "--corpus", corpus, "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out.output)))
    assert row["recommending_states"] == "France" and row["citation"].startswith("A/HRC/15/8, para. 101.1")
    # the columns a researcher cites and filters by, as in export
    assert row["page"] == "5" and row["date"] == "2010-06-17" and row["document_type"] == "upr_wg_report"
    assert {"response_source", "groups"} <= set(row)


def test_a_snippet_that_starts_inside_the_text_says_so():
    from rightsindex.search import _highlight

    text = ("To enhance its policies and programmes for the benefit of the whole population, "
            "in particular those regarding access to education, in particular for girls, and to "
            "consider the recommendations of the treaty bodies on the matter in due course")
    # a recommendation that fits is shown whole: its opening verb is what it asks
    assert _highlight(text, frozenset({"girl"})) == text.replace("girls", "<b>girls</b>")
    longer = text + (", with the participation of civil society, national human rights institutions, local "
                     "authorities and the persons concerned")
    snippet = _highlight(longer, frozenset({"girl"}))
    assert snippet.startswith("… ") and "<b>girls</b>" in snippet
    assert _highlight("Educate girls", frozenset({"girl"})) == "Educate <b>girls</b>"
    # punctuation the fragmenter leaves out is no cut
    assert _highlight("Ensure access to housing.", frozenset({"housing"})) == "Ensure access to <b>housing</b>."
    assert _highlight("(a) Ensure access to housing (Mexico);", frozenset({"housing"})) == \
        "(a) Ensure access to <b>housing</b> (Mexico);"


def test_the_table_names_up_to_five_recommending_states(capsys):
    from types import SimpleNamespace

    from rightsindex.cli.search import _print_table

    four = ["Chile", "Mexico", "Spain", "Türkiye"]
    six = four + ["Peru", "Norway"]
    hits = [{"id": i, "text": "Abolish the death penalty", "recommending_states": states, "country": "Kenya",
             "year": 2010, "symbol": "A/HRC/15/8", "paragraph": "101.1"}
            for i, states in ((1, four), (2, six))]
    _print_table(SimpleNamespace(offset=0, hits=hits, total=2, query="death", facets={}))
    out = capsys.readouterr().out
    assert "| by Chile, Mexico, Spain, Türkiye |" in out  # a fourth State was hidden as '+1'
    assert "| by Chile, Mexico, Spain, Türkiye +2 more |" in out
    hits[0]["recommending_as_written"] = ["Chile", "Mexico", "Spain", "Turkey"]
    _print_table(SimpleNamespace(offset=0, hits=hits[:1], total=1, query="death", facets={}))
    assert "| by Chile, Mexico, Spain, Türkiye (as Turkey) |" in capsys.readouterr().out


def test_a_full_disk_under_stdout_is_one_line(corpus, monkeypatch):
    import click

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(click, "echo", full)
    result = run("search", "women", "--corpus", corpus)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "standard output: cannot read or write (No space left on device)" in result.output


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A corpus of 25 recommendations: more than a table shows."""
    from rightsindex.corpus.store import Store
    from rightsindex.records import Document, Recommendation

    folder = tmp_path_factory.mktemp("cli-many") / "corpus"
    doc = Document(sha256="d4" * 32, source_path="svn.pdf", symbol="A/HRC/28/15",
                   document_type="upr_wg_report", body="UPR", country="Slovenia", country_code="SVN", year=2014,
                   language="en")
    with Store.open(folder) as store:
        store.add_document(doc, [], [
            Recommendation(text=f"Improve access to health care in region {i}", paragraph=f"115.{i}")
            for i in range(1, 26)
        ])
    return folder


def test_csv_and_json_have_every_match_and_a_cut_is_said(many):
    """`search ... --format csv > s.csv` wrote 20 of 25 rows without a word; --limit 0 wrote none."""
    out = run("search", "health", "--format", "csv", "--corpus", many)
    assert out.exit_code == 0 and len(list(csv.DictReader(io.StringIO(out.stdout)))) == 25
    assert out.stderr == ""  # nothing left out, nothing to say
    data = json.loads(run("search", "health", "--format", "json", "--corpus", many).stdout)
    assert data["total"] == 25 and len(data["hits"]) == 25
    # the table keeps a screenful, and says what it left out
    table = run("search", "health", "--corpus", many)
    assert table.stdout.count("\n[") == 20 and table.stderr == "20 of 25 shown; --limit 0 for all\n"
    assert run("search", "health", "--limit", "0", "--corpus", many).stdout.count("\n[") == 25
    cut = run("search", "health", "--format", "csv", "--limit", "5", "--corpus", many)
    assert len(list(csv.DictReader(io.StringIO(cut.stdout)))) == 5
    assert cut.stderr == "5 of 25 shown; --limit 0 for all\n"
    page = run("search", "health", "--format", "json", "--limit", "3", "--offset", "20", "--corpus", many)
    assert len(json.loads(page.stdout)["hits"]) == 3
    assert page.stderr == "21-23 of 25 shown; --limit 0 for the rest\n"
    rest = run("search", "health", "--format", "json", "--limit", "0", "--offset", "20", "--corpus", many)
    assert len(json.loads(rest.stdout)["hits"]) == 5 and rest.stderr == ""


def test_a_document_symbol_typed_as_words_finds_the_document(many):
    out = run("search", "A/HRC/28/15", "--format", "json", "--corpus", many)
    assert out.exit_code == 0 and json.loads(out.stdout)["total"] == 25


def test_export_json_is_one_array_and_jsonl_is_lines(corpus, tmp_path):
    array = tmp_path / "all.json"
    assert run("export", "-o", array, "--corpus", corpus).exit_code == 0
    with open(array, encoding="utf-8") as fh:
        rows = json.load(fh)
    assert isinstance(rows, list) and len(rows) == 8 and rows[0]["symbol"]
    lines = tmp_path / "all.jsonl"
    assert run("export", "-o", lines, "--corpus", corpus).exit_code == 0
    assert [json.loads(line)["id"] for line in lines.read_text(encoding="utf-8").splitlines()] == \
        [r["id"] for r in rows]
    # --format json and jsonl on standard output, as with a file
    stdout = run("export", "--format", "json", "--country", "KEN", "--corpus", corpus)
    assert stdout.exit_code == 0 and len(json.loads(stdout.stdout)) == 3
    lines_out = run("export", "--format", "jsonl", "--country", "KEN", "--corpus", corpus).stdout
    assert len(lines_out.splitlines()) == 3
    assert json.loads(run("export", "--format", "json", "--country", "CHL", "--corpus", corpus).stdout) == []
    # an error comes before any output: no lone "[" in front of it
    bad = run("export", "--format", "json", "--right", "astronomy", "--corpus", corpus)
    assert bad.exit_code == 1 and bad.stdout == "" and bad.stderr.startswith("Error: unknown right")
    missing = run("export", "--format", "json", "--corpus", tmp_path / "none")
    assert missing.exit_code == 1 and missing.stdout == "" and "no corpus here" in missing.stderr
    assert not list(tmp_path.glob("none*"))
    # a JSON array export imports back like JSON lines
    again = run("import", array, "--corpus", tmp_path / "other", "--no-tag")
    assert again.exit_code == 0 and "8 recommendations stored" in again.output


def test_unknown_states_are_named_with_the_likely_one(corpus):
    """`state:Frnace` and `export --state Frnace` found nothing without a word; countries misspelt
    were named lower-case and without a suggestion in search, export and trends."""
    for args in (("search", "state:Frnace"), ("export", "--state", "Frnace")):
        result = run(*args, "--corpus", corpus)
        assert result.exit_code == 1
        assert result.output == "Error: unknown recommending State 'Frnace': did you mean France?\n"
    said = {" ".join(args): run(*args, "--corpus", corpus).output for args in (
        ("search", "country:Slovnia"), ("export", "--country", "Slovnia"), ("trends", "--country", "Slovnia"),
        ("dossier", "Slovnia"))}
    assert set(said.values()) == {"Error: unknown country 'Slovnia': did you mean Slovenia?\n"}, said
    # a real State no record has finds nothing, without an error
    assert run("search", "state:Mexico", "--corpus", corpus, "--format", "json").exit_code == 0


def test_a_comma_between_values_says_how_to_write_them(corpus):
    result = run("search", "country:Slovenia,Kenya", "--corpus", corpus)
    assert result.exit_code == 1 and "write country:(Slovenia OR Kenya)" in result.output
    assert json.loads(run("search", "country:(Slovenia OR Kenya)", "--format", "json",
                          "--corpus", corpus).stdout)["total"] == 6
    export = run("export", "--country", "Slovenia,Kenya", "--corpus", corpus)
    assert export.exit_code == 1 and "(--country Slovenia --country Kenya)" in export.output
    # one State whose name has a comma is one value
    assert run("export", "--country", "Venezuela, Bolivarian Republic of", "--corpus", corpus).exit_code == 0


def test_a_missing_response_is_no_response_in_the_table(corpus):
    table = run("search", "body:CESCR", "--corpus", corpus)
    assert "| no response |" in table.output and "unknown" not in table.output
    dossier = json.loads(run("dossier", "SVN", "--format", "json", "--corpus", corpus).stdout)
    assert {i["response_text"] for i in dossier["items"]} == {"no response"}  # was "none known"


def test_a_name_that_fits_two_states_is_refused_with_both(corpus):
    """'country:Korea' silently meant the Republic of Korea, though the Democratic People's Republic
    of Korea is reviewed too; every command now names both and asks for the code."""
    for args in (("search", "country:Korea"), ("export", "--country", "Korea"), ("trends", "--country", "Korea"),
                 ("dossier", "Korea")):
        result = run(*args, "--corpus", corpus)
        assert result.exit_code == 1, args
        assert result.output.lower() == ("error: 'korea' fits two states: republic of korea (kor) or "
                                         "democratic people's republic of korea (prk): use its iso code\n"), args
    assert run("search", "country:KOR", "--corpus", corpus).exit_code == 0
    assert run("search", 'country:"Republic of Korea"', "--corpus", corpus).exit_code == 0


def test_an_export_piped_into_import(corpus, tmp_path):
    """'export | rightsindex import export /dev/stdin' said 'missing column(s) text, ...': the checks
    read the start of the pipe before the import did. Standard input ('-') and pipes are read once."""
    exported = run("export", "--corpus", corpus).stdout
    result = CliRunner().invoke(main, ["import", "-", "--corpus", str(tmp_path / "c"), "--no-tag"],
                                input=exported)
    assert result.exit_code == 0, result.output
    assert "Imported - (export): 8 rows" in result.output and "8 recommendations stored" in result.output


def test_import_errors_name_standard_input_and_a_folder(tmp_path):
    """They named the temporary copy of the pipe (/tmp/rightsindex-import-x1y2/standard-input), and a
    folder was 'cannot read or write (Is a directory)'."""
    result = CliRunner().invoke(main, ["import", "-", "--corpus", str(tmp_path / "c")], input="a,b\n1,2\n")
    assert result.exit_code == 1
    assert result.output.startswith("Error: standard input: neither a UPR Info CSV")
    assert "rightsindex-import-" not in result.output
    bad_row = ("rec_id,cycle,session,wg_year,state_under_review,recommending_state,text,response\n"
               "r1,1,5,2009,Chad,France,Do it,Maybe\n")
    result = CliRunner().invoke(main, ["import", "-", "--corpus", str(tmp_path / "c")], input=bad_row)
    assert result.output == ("Error: standard input: row 2, column 'response': unknown response 'Maybe' "
                             "(Accepted or Noted expected)\n")
    result = run("import", tmp_path, "--corpus", tmp_path / "c")
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path}: is a folder; import reads one CSV or JSONL file (a folder "
                             "of PDFs: rightsindex ingest)\n")
    assert not (tmp_path / "c").exists()


def test_the_table_facets_say_how_many_values_more_and_keep_none(capsys):
    """The 12 most of a facet, '... N more', then (none): it was cut off with the rest, though the
    README counts 'any right' from it."""
    from types import SimpleNamespace

    from rightsindex.cli.search import _print_table

    countries = {f"C{i:02d}": 20 - i for i in range(14)}
    facets = {"country": countries, "right": {"health": 3, "(none)": 40},
              "year": {str(y): 1 for y in range(2000, 2015)}}
    _print_table(SimpleNamespace(offset=0, hits=[], total=43, query="x", facets=facets, held_twice=0))
    out = capsys.readouterr().out
    assert "country: C00 20, " in out and "C11 9, ... 2 more\n" in out and "C12" not in out
    assert "right: health 3, (none) 40\n" in out
    assert "2014 1\n" in out  # every year


def test_a_name_whose_quotes_were_lost_gets_one_quoting_hint(corpus):
    """'state:Untied States' said how to quote a name twice in one line: "quote a name with spaces
    (state:"Trinidad and Tobago")" and then "put a name with spaces in double quotes, and the whole
    query in single quotes for the shell: 'state:"Untied States"'". The second, about the name
    typed, is enough."""
    lost = run("search", "state:Untied States", "--corpus", corpus)
    assert lost.exit_code != 0 and "'state:\"Untied States\"'" in lost.output
    assert "Trinidad and Tobago" not in lost.output and lost.output.count("double quotes") == 1
    alone = run("search", "state:Untied", "--corpus", corpus)  # no words came apart: no hint to drop
    assert alone.exit_code != 0 and "single quotes" not in alone.output


def test_words_given_without_quotes_are_one_query_and_a_lost_quote_is_explained(corpus):
    quoted = run("search", "right:housing country:KEN", "--format", "json", "--corpus", corpus)
    unquoted = run("search", "right:housing", "country:KEN", "--format", "json", "--corpus", corpus)
    assert unquoted.exit_code == 0
    assert json.loads(unquoted.stdout)["total"] == json.loads(quoted.stdout)["total"] > 0
    # region:"Eastern European" typed in a shell without single quotes arrives as region:Eastern European
    lost = run("search", "region:Eastern European", "--corpus", corpus)
    assert lost.exit_code != 0 and "the whole query in single quotes" in lost.output
    assert "'region:\"Eastern European\"'" in lost.output
    kept = run("search", 'region:"Eastern European" OR housing', "--corpus", corpus)
    assert "single quotes" not in kept.output


def test_export_narrows_by_regional_group(corpus, tmp_path):
    out = tmp_path / "african.csv"
    result = run("export", "--region", "African", "-o", out, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {r["country_code"] for r in rows} == {"KEN"}
    assert run("export", "--recommending-region", "Narnia", "--corpus", corpus).exit_code != 0


def test_search_writes_to_a_file_as_the_other_commands_do(corpus, tmp_path):
    out = tmp_path / "hits.csv"
    result = run("search", "right:housing", "-o", out, "--corpus", corpus)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))  # the format from the extension
    assert rows and rows[0]["esc_rights"] == "housing" and f"wrote {out}" in result.output
    table = tmp_path / "hits.txt"
    assert run("search", "right:housing", "-o", table, "--corpus", corpus).exit_code == 0
    assert "match 'right:housing'" in table.read_text(encoding="utf-8")
    bad = run("search", "housing", "-o", tmp_path / "missing" / "x.csv", "--corpus", corpus)
    assert bad.exit_code != 0 and "cannot write" in bad.output


def test_the_table_names_a_document_without_a_symbol_by_what_it_is(capsys):
    from types import SimpleNamespace

    from rightsindex.cli.search import _print_table

    hit = {"id": 1, "text": "Ratify the ICRMW", "country": "Slovenia", "year": 2020, "document_type": "letter",
           "body": "OHCHR", "date": "2020-05-13", "source_file": "/data/private/SCANNED_letter.pdf"}
    _print_table(SimpleNamespace(offset=0, hits=[hit], total=1, query="icrmw", facets={}))
    out = capsys.readouterr().out
    assert "Letter of the High Commissioner for Human Rights to Slovenia, 13 May 2020" in out
    assert "/data/private" not in out and "SCANNED_letter" not in out


def test_a_word_excluded_with_a_minus_needs_no_quotes(corpus):
    quoted = run("search", "housing -evictions", "--format", "json", "--corpus", corpus)
    assert quoted.exit_code == 0, quoted.output
    want = json.loads(quoted.stdout)["total"]
    assert want < json.loads(run("search", "housing", "--format", "json", "--corpus", corpus).stdout)["total"]
    # the shell hands click '-evictions' on its own: a query word, not an unknown option
    for args in (("housing", "-evictions", "--format", "json"), ("--format=json", "housing", "-evictions"),
                 ("housing", "-evictions", "-n", "0", "--format", "json")):
        res = run("search", *args, "--corpus", corpus)
        assert res.exit_code == 0, (args, res.output)
        assert json.loads(res.stdout)["total"] == want
    assert run("search", "housing", "--limit", "x", "--corpus", corpus).exit_code == 2  # options still checked


def test_options_next_to_words_keep_their_click_meaning(corpus, tmp_path):
    """-n5 and -oFILE are options with their values, a mistyped --option is an error, and an
    option at the end without its value says so (it took the '--' before the words as its value)."""
    want = json.loads(run("search", "housing", "-n", "1", "--format", "json", "--corpus", corpus).stdout)
    res = run("search", "housing", "-n1", "--format", "json", "--corpus", corpus)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == want
    out = tmp_path / "hits.csv"
    res = run("search", "housing", f"-o{out}", "--corpus", corpus)
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("id,")
    for typo in ("--facet", "--paragraph", "--lim"):
        res = run("search", "housing", typo, "--corpus", corpus)
        assert res.exit_code == 2 and "No such option" in res.output, (typo, res.output)
    for last in ("-o", "--corpus", "--limit"):
        res = run("search", "housing", "--corpus", corpus, last) if last != "--corpus" else run(
            "search", "housing", last)
        assert res.exit_code == 2 and "requires an argument" in res.output, (last, res.output)
    assert not (Path.cwd() / "--").exists()
    # a word to leave out that begins like a short option is still a query word
    for word in ("-nuclear", "-occupation"):
        res = run("search", "housing", word, "--format", "json", "--corpus", corpus)
        assert res.exit_code == 0, (word, res.output)
        assert json.loads(res.stdout)["query"] == f"housing {word}"


def test_search_that_finds_nothing_says_what_was_likely_meant(corpus):
    result = run("search", "evicitons", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "0 recommendations match 'evicitons'" in result.stdout
    assert "Did you mean: evictions" in result.stdout
    assert "Did you mean" not in run("search", "evictions", "--corpus", corpus).stdout


def test_the_headline_shows_the_query_as_typed(corpus):
    result = run("search", "country:\"Côte d'Ivoire\" OR housing", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert "match 'country:\"Côte d'Ivoire\" OR housing' (showing" in result.stdout
