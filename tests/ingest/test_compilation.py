"""OHCHR compilation and stakeholder summaries from ../shared: attribution to the source body."""

from __future__ import annotations

import re

import pytest

from rightsindex.ingest import compilation
from rightsindex.records import Document
from shared_data import need_shared  # type: ignore[import-not-found]


def _extract(pdf_pages, name: str):
    path = need_shared("pdf", name)
    return compilation.extract(pdf_pages(name), Document(sha256="t", source_path=str(path)))


def test_slovenia_compilation(pdf_pages) -> None:
    ex = _extract(pdf_pages, "upr_A-HRC-WG.6-34-SVN-2_Slovenia_UN-compilation_2019.pdf")
    recs = ex.recommendations
    assert len(recs) >= 60
    assert not any(r.source_body == "OHCHR" for r in recs)
    bodies = {r.source_body for r in recs}
    assert {"CESCR", "CCPR", "CERD", "CEDAW", "CRPD"} <= bodies
    # paragraph 11: CERD, footnote 22 -> CERD/C/SVN/CO/8-11
    p11 = [r for r in recs if r.paragraph == "11"]
    assert p11 and all(r.source_body == "CERD" for r in p11)
    assert p11[-1].source_symbol == "CERD/C/SVN/CO/8-11"
    # "It recommended ..." refers back to the Human Rights Committee
    p42 = [r for r in recs if r.paragraph == "42"]
    assert [r.source_body for r in p42] == ["CCPR", "CCPR"]
    # "The Special Rapporteur recommended ..." after he was named in the paragraph before
    p7 = [r for r in recs if r.paragraph == "7"]
    assert [r.source_body for r in p7] == ["Special Rapporteur on minority issues"]
    assert p7[0].source_symbol == "A/HRC/40/64/Add.1"
    # symbols come from the footnotes, and match the body that made the recommendation
    prefixes = {"CESCR": "E/C.12/", "CCPR": "CCPR/C/", "CERD": "CERD/C/", "CEDAW": "CEDAW/C/", "CRPD": "CRPD/C/"}
    with_symbol = [r for r in recs if r.source_body in prefixes and r.source_symbol]
    assert len(with_symbol) >= 50
    agree = sum(1 for r in with_symbol if r.source_symbol.startswith(prefixes[r.source_body]))
    assert agree / len(with_symbol) >= 0.95


def test_slovenia_stakeholders_nhri(pdf_pages) -> None:
    ex = _extract(pdf_pages, "upr_A-HRC-WG.6-48-SVN-3_Slovenia_stakeholders-summary_2024.pdf")
    nhri = [r for r in ex.recommendations if r.source_body == "NHRI"]
    assert len(nhri) >= 5
    assert any("legal recognition of gender" in r.text for r in nhri)
    assert {"JS2", "OSCE/ODIHR", "CoE-Commissioner"} <= {r.source_body for r in ex.recommendations}
    names = {n for r in ex.recommendations for n in r.source_body.split("; ")}
    # "The Commissioner urged..." is the CoE Commissioner the summary names in full elsewhere;
    # a leading clause or a dangling "and" is never part of a body's name
    assert "Commissioner" not in names
    assert not [n for n in names if n.endswith(" and") or n.startswith("Noting")], names
    grevio = [r for r in ex.recommendations if r.text.startswith("Noting the lack of an integrated system")]
    assert [r.source_body for r in grevio] == ["CoE-GREVIO; CoE-CoP"]


def test_slovenia_stakeholders_footnote_numbers_typed_inline(pdf_pages) -> None:
    """Paragraph 77 types its footnote numbers 101 and 102 inline, in body type ("not possible.101 AI
    recommended ...", "guaranteed,102 and confer ..."): they are markers, so the AI recommendation is a
    record of its own, and no number stays in a text. Each record of the paragraph has its own part."""
    ex = _extract(pdf_pages, "upr_A-HRC-WG.6-48-SVN-3_Slovenia_stakeholders-summary_2024.pdf")
    p77 = [r for r in ex.recommendations if r.paragraph == "77"]
    assert [r.source_body for r in p77] == ["CoE-CoM; CoE-ACFC", "AI", "AI"]
    assert p77[0].text.endswith("whose regularisation was not possible.")
    assert p77[1].text.startswith("AI recommended that the authorities, where necessary")
    assert "guaranteed, and confer security of tenure" in p77[1].text
    assert [r.part for r in p77] == [1, 2, 3]
    assert not [r.text for r in ex.recommendations if re.search(r"[a-z][.,;:)]?\d{1,3}\b", r.text)]
    text77 = next(p.text for p in ex.paragraphs if p.number == "77" and p.kind == "body")
    assert "possible. AI recommended" in text77 and "[^" not in text77
    # records of one paragraph never share a part; a paragraph with one record keeps part 0
    keys = [(r.paragraph, r.part) for r in ex.recommendations]
    assert len(keys) == len(set(keys))


@pytest.fixture(scope="module")
def italy(pdf_pages):
    """The Italy 2019 stakeholders' summary, extracted once, and its sources per paragraph."""
    ex = _extract(pdf_pages, "upr_A-HRC-WG.6-34-ITA-3_Italy_stakeholders-summary_2019_EN.pdf")
    by_para: dict = {}
    for r in ex.recommendations:
        by_para.setdefault(r.paragraph, []).append(r.source_body)
    return ex, by_para


def test_italy_stakeholders(italy) -> None:
    _ex, by_para = italy
    assert by_para["3"] == ["JS8"]
    assert by_para["4"] == ["ICAN"]
    assert by_para["19"] == ["AI; JS6"]
    assert "ASSO21" in by_para["8"] and "CoE-CM" in by_para["8"]


def test_italy_it_recommended_is_the_previous_sentence_subject(italy) -> None:
    """Paragraphs 73 and 74: "JS9 noted the risk ... It recommended ...", "JS2 noted that ... It
    recommended ...": the pronoun stands for the submission, not for CERD, which the summary named
    paragraphs before (paragraph 8)."""
    ex, by_para = italy
    assert by_para["73"] == ["JS9"]
    assert by_para["74"] == ["JS2"]
    assert "CERD" not in {r.source_body for r in ex.recommendations}


def test_a_pronoun_stands_for_the_nearest_named_source() -> None:
    from rightsindex.ingest.compilation import _antecedent

    assert _antecedent("JS9 noted the risk of sexual exploitation. ", "It", {}) == ["JS9"]
    # a treaty body the sentence cites is not its subject
    assert _antecedent("JS2 noted that the law did not follow the Committee on the Elimination of Racial "
                       "Discrimination General Recommendation No. 35. [^142] ", "It", {}) == ["JS2"]
    assert _antecedent("CoE-GREVIO and CoE-CoP noted the lack of data. Many women continued to suffer.",
                       "They", {}) == ["CoE-GREVIO", "CoE-CoP"]
    assert _antecedent("The Committee on the Rights of the Child noted gaps. It noted others.", "It",
                       {}) == ["CRC"]
    # "She" is a person, never a submission or a treaty body
    assert _antecedent("CEDAW noted gaps. The Special Rapporteur on minority issues noted others.", "She",
                       {}) == ["Special Rapporteur on minority issues"]


def test_one_name_and_one_order_per_source(pdf_pages) -> None:
    """Italy 2019 paragraph 82 says "The Commissioner urged ..." after defining CoE-Commissioner (no
    other record names it); Slovenia 2024 writes "CoE-CoM and CoE-ACFC" (paragraphs 59, 78) and
    "CoE-ACFC and CoE-CoM" (77): one body, one name; one group, the order first written."""
    italy = _extract(pdf_pages, "upr_A-HRC-WG.6-34-ITA-3_Italy_stakeholders-summary_2019_EN.pdf")
    assert [r.source_body for r in italy.recommendations if r.paragraph == "82"] == ["CoE-Commissioner"]
    slovenia = _extract(pdf_pages, "upr_A-HRC-WG.6-48-SVN-3_Slovenia_stakeholders-summary_2024.pdf")
    for ex in (italy, slovenia):
        bodies = {r.source_body for r in ex.recommendations}
        assert "Commissioner" not in {n for b in bodies for n in b.split("; ")}
        groups: dict[frozenset[str], set[str]] = {}
        for b in bodies:
            groups.setdefault(frozenset(b.split("; ")), set()).add(b)
        assert all(len(written) == 1 for written in groups.values()), groups
    assert {r.source_body for r in slovenia.recommendations if r.paragraph in ("59", "77", "78")} == {
        "CoE-CoM; CoE-ACFC", "AI"}


def test_actors_of_a_sentence() -> None:
    split = compilation._split_actors
    assert split("Noting the lack of data, in particular on violence, CoE-GREVIO and CoE-CoP") == [
        "CoE-GREVIO", "CoE-CoP"]
    assert split("CoE-ACFC and CoE-CoM and") == ["CoE-ACFC", "CoE-CoM"]
    assert split("CESCR, CRC and CEDAW") == ["CESCR", "CRC", "CEDAW"]


def test_canonical_body() -> None:
    assert compilation.canonical_body("The Committee on the Rights of the Child") == "CRC"
    assert compilation.canonical_body("Joint Submission 5 (JS5)") == "JS5"
    assert compilation.canonical_body("the Human Rights Ombudsman of the Republic of Slovenia") == "NHRI"
    assert compilation.canonical_body(
        "The Independent Expert on the enjoyment of all human rights by older persons"
    ) == compilation.canonical_body("the Independent Expert on older persons") == "Independent Expert on older persons"
    assert compilation.first_symbol("Ibid.") is None
    assert compilation.first_symbol("E/C.12/SVN/CO/2, para. 12.") == "E/C.12/SVN/CO/2"


def test_markers_come_from_the_pdf_layer_not_a_second_read(pdf_pages) -> None:
    """Footnote markers are the PDF layer's ``Line.marks``: the file is not opened again, so a
    document whose source path is gone gives the same symbols; lines without marks give none."""
    name = "upr_A-HRC-WG.6-34-SVN-2_Slovenia_UN-compilation_2019.pdf"
    pages = pdf_pages(name)
    with_file = _extract(pdf_pages, name).recommendations
    gone = compilation.extract(pages, Document(sha256="t", source_path="/nonexistent/x.pdf")).recommendations
    assert [(r.text, r.source_body, r.source_symbol) for r in gone] == \
        [(r.text, r.source_body, r.source_symbol) for r in with_file]
    bare = [p.replace(lines=tuple(ln.replace(marks=()) for ln in p.lines)) for p in pages]
    ex = compilation.extract(bare, Document(sha256="t", source_path="/nonexistent/x.pdf"))
    assert len(ex.recommendations) >= 30
    assert all(r.source_symbol is None for r in ex.recommendations)
    assert {"CESCR", "CCPR", "CERD"} <= {r.source_body for r in ex.recommendations}
    # the paragraphs handed back carry no marker text
    assert not any("[^" in (p.text + (p.section or "") + (p.heading or "")) for p in ex.paragraphs)
    assert not any("[^" in (p.text + (p.section or "") + (p.heading or ""))
                   for p in compilation.extract(pages, Document(sha256="t", source_path="")).paragraphs)


def test_2009_compilation_names_the_treaty_body_its_footnote_cites() -> None:
    """The 2009 compilation (repaired on reading) says "It recommended ..." paragraphs after the
    body was named, and names others in between ("the recommendations proposed by the Working
    Group on ..."): the body is the one the sentence's own footnote cites, never a clause."""
    from rightsindex.ingest.pdf import read_pages

    path = need_shared("pdf", "CORRUPTED_upr_A-HRC-WG.6-7-SVN-2_Slovenia_UN-compilation_2009.pdf")
    pages = list(read_pages(path, engine="pypdfium2"))  # what ingest falls back to
    recs = compilation.extract(pages, Document(sha256="t", source_path=str(path))).recommendations
    assert len(recs) >= 50
    bodies = {b for r in recs for b in r.source_body.split("; ")}
    assert bodies <= {"CEDAW", "CRC", "CESCR", "CCPR"}, bodies
    by_para = {}
    for r in recs:
        by_para.setdefault(r.paragraph, []).append(r.source_body)
    # paragraph 29 follows "the recommendations proposed by the Working Group on the Prevention of ..."
    assert set(by_para["29"]) == {"CEDAW"}
    assert set(by_para["31"]) == {"CRC"}
    assert "CESCR; CCPR" in by_para["17"]  # "CESCR in 2006 and HR Committee in 2005 encouraged"
    assert set(by_para["32"]) == {"CRC"}  # "In 2004, CRC was concerned about ... and recommended"
    assert set(by_para["26"]) == {"CEDAW"}  # "CEDAW remained concerned ... It recommended"


def test_a_treaty_body_acronym_is_a_mention_only_as_a_subject() -> None:
    """'CEDAW remained concerned' names the body an 'It recommended' may stand for; 'OP-CRC-SC'
    and 'ratified CRPD' name treaties, not the committee."""
    from rightsindex.ingest.compilation import _mentions

    assert _mentions("In 2008, CEDAW remained concerned at the segregation.") == ["CEDAW"]
    assert _mentions("CRC also recommended that Slovenia act.") == ["CRC"]
    assert _mentions("The State had not ratified OP-CRC-SC or CRPD. ") == []
    assert _mentions("The Special Rapporteur on the right to food noted that OP-CAT was ratified.") == [
        "Special Rapporteur on the right to food"]


def test_numbers_in_a_document_without_superscript_markers_stay_text():
    from rightsindex.ingest.compilation import _inline_markers
    from rightsindex.records import Paragraph

    paras = [Paragraph(seq=0, page=1, kind="body", text="Ratify ILO Convention No.169 and fight covid19.")]
    assert _inline_markers(paras, {"19": "A/HRC/1/1", "169": "A/HRC/2/2"}) == paras
