"""OHCHR compilations (A/HRC/WG.6/../2) and stakeholder summaries (A/HRC/WG.6/../3).

These documents quote others: "The Committee on Economic, Social and Cultural
Rights recommended that Slovenia ...", "JS2 recommended ...", "The Ombudsman
recommended ...", each sentence followed by a footnote citing its source
("E/C.12/SVN/CO/2, para. 12."). ``extract(pages, document)`` returns one
:class:`~rightsindex.records.Recommendation` per recommending sentence, with

- ``source_body``: who made it, not OHCHR: a treaty body acronym (CESCR,
  CCPR, CRC, CEDAW, CERD, CAT, SPT, CRPD, CMW, CED), a special procedure
  ("Special Rapporteur on minority issues"), a UN agency (UNHCR, UNICEF...),
  ``NHRI`` for the national human rights institution's section or an
  ombudsman, or the stakeholder's acronym as the summary defines it ("Joint
  Submission 5 (JS5)" -> ``JS5``); "The same Committee", "It", "She" refer back, "It"
  to the subject of the nearest sentence that names one ("JS9 noted ... It recommended");
- ``source_symbol``: the first UN document symbol of the sentence's footnote
  ("Ibid." resolved to the previous footnote's symbol), when it cites one;
- ``paragraph``, ``page``, ``section`` and ``heading`` of the summary; ``part`` numbers the
  recommendations of a paragraph that makes several from 1 (0 when it makes one).

Footnote markers are superscripts that the PDF layer keeps out of line text and
records in ``Line.marks``, or numbers a document typed inline ("not possible.101 AI
recommended"); footnote texts come from ``Page.footnotes`` (and rule-separated or
end notes) through the paragraph segmentation. The file is
not read again. Pages whose lines carry no marks (records from elsewhere) still
give the recommendations, without ``source_symbol``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rightsindex.ingest._base import Extraction
from rightsindex.ingest.paragraphs import notes as footnote_texts
from rightsindex.ingest.paragraphs import segment
from rightsindex.records import Document, Page, Paragraph, Recommendation

__all__ = ["extract", "canonical_body", "recommending_sentences", "first_symbol", "MARK"]

#: How a footnote marker (``Line.marks``) is written inside text during extraction.
MARK = re.compile(r"\s?\[\^(\d{1,3})\]")

_BODIES = [
    (r"committee on economic,? social and cultural rights", "CESCR"),
    (r"human rights committee|\bhr committee\b", "CCPR"),
    (r"committee on the rights of the child", "CRC"),
    (r"committee on the elimination of discrimination against women", "CEDAW"),
    (r"committee on the elimination of racial discrimination", "CERD"),
    (r"subcommittee on (?:the )?prevention of torture", "SPT"),
    (r"committee against torture", "CAT"),
    (r"committee on the rights of persons with disabilities", "CRPD"),
    (r"committee on (?:the protection of the rights of all )?migrant workers", "CMW"),
    (r"committee on enforced disappearances", "CED"),
    (r"ilo committee of experts", "ILO-CEACR"),
    (r"united nations high commissioner for refugees|\bunhcr\b", "UNHCR"),
    (r"united nations children.s fund|\bunicef\b", "UNICEF"),
    (r"\bunesco\b|united nations educational, scientific", "UNESCO"),
    (r"\bohchr\b", "OHCHR"),
    (r"united nations country team", "UNCT"),
]
_ACRONYMS = {"CESCR", "CCPR", "CRC", "CEDAW", "CERD", "CAT", "SPT", "CRPD", "CMW", "CED", "UNHCR", "UNICEF",
             "UNESCO", "UNDP", "ILO", "WHO", "UNFPA", "UNODC", "IOM", "UNCT"}
_VERB = (r"(?:also\s+|further\s+|strongly\s+|again\s+|therefore\s+)?"
         r"(?P<verb>recommended|urged|called\s+(?:up)?on|called\s+for|encouraged|requested|invited|"
         r"advised|suggested|asked|reiterated\s+(?:its\s+)?(?:previous\s+)?recommendations?)")
_SHOULD = re.compile(r"\b(?:stated|expressed|noted|considered|stressed|emphasized|indicated|added|said)\s+that\s+"
                     r"(?:[A-Z][\w\s]{0,40}?|the\s+(?:State|Government|authorities))\s+(?:should|must)\b")
_PRONOUN = re.compile(r"^(?:it|he|she|they|the\s+same\s+(?:committee|special\s+rapporteur|independent\s+expert|"
                      r"working\s+group|body|mandate\s+holder)|the\s+committee|the\s+special\s+rapporteur|"
                      r"the\s+independent\s+expert|the\s+working\s+group|the\s+rapporteur|both\s+committees|"
                      r"the\s+two\s+committees)$", re.I)
#: A pronoun that can stand for a treaty body (not "he", "the Special Rapporteur").
_COMMITTEE_PRONOUN = re.compile(r"^(?:it|they|the\s+(?:same\s+)?committee)$", re.I)
_SYMBOL = re.compile(r"\b(?:A/HRC|A|E/C\.12|E|CRC/C|CEDAW/C|CCPR/C|CERD/C|CAT/C|CAT/OP|CRPD/C|CMW/C|CED/C|HRI|S)"
                     r"(?:/[A-Za-z0-9.\-]+)+")
_NHRI = re.compile(r"ombuds|human rights commission|national human rights institution|\bnhri\b|defender of|"
                   r"people.s advocate|national institution|commissioner for human rights of the republic", re.I)


def canonical_body(name: str, aliases: dict[str, str] | None = None) -> str:
    """A short, stable name for who made a recommendation.

    ``"The Committee on the Rights of the Child"`` -> ``CRC``; ``"Joint
    Submission 5 (JS5)"`` -> ``JS5``; ``"The Special Rapporteur on minority
    issues"`` -> ``Special Rapporteur on minority issues``; an ombudsman or
    national human rights institution -> ``NHRI``.
    """
    n = " ".join(name.replace("\u2019", "'").split()).strip(" ,.;")
    n = re.sub(r"^(?:the|a|an)\s+", "", n, flags=re.I)
    # the mandate's long title and its usual short form are one body
    n = re.sub(r"\bon the enjoyment of all human rights by\b", "on", n, flags=re.I)
    paren = re.search(r"\(([A-Za-z][\w\-]{1,15})\)\s*$", n)
    if paren:
        return paren.group(1)
    if aliases and n.lower() in aliases:
        return aliases[n.lower()]
    low = n.lower()
    for pat, acr in _BODIES:
        if re.search(pat, low):
            return acr
    if _NHRI.search(n):
        return "NHRI"
    return n


def first_symbol(note: str) -> str | None:
    """The first UN document symbol in a footnote text (``"CCPR/C/SVN/CO/3, para. 8"`` -> ``CCPR/C/SVN/CO/3``)."""
    m = _SYMBOL.search(note)
    if not m:
        return None
    return m.group(0).rstrip(".,;")


# --- sentences ---------------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    """Split on sentence ends (a marker may follow the full stop)."""
    parts = re.split(r"(?<=[.!?])((?:\s?\[\^\d{1,3}\])*)\s+(?=[A-Z\u201c\"(])", text)
    out: list[str] = []
    i = 0
    while i < len(parts):
        s = parts[i]
        if i + 1 < len(parts):
            s += parts[i + 1]
        out.append(s.strip())
        i += 2
    return [s for s in out if s]


_ACTOR = re.compile(
    r"^(?:(?:in|on|at|during|by)\s+[^,]{2,40},\s+)?(?:while\s+[^,]+,\s+)?"
    r"(?P<actor>.{1,220}?)\s+(?:had\s+)?" + _VERB + r"\b"
)


def _split_actors(actor: str) -> list[str]:
    actor = MARK.sub("", actor)
    # "CRC was concerned about ... and recommended": the actor is what comes before the verb of concern
    actor = re.split(r"\s+(?:was|were|remained|remains|is|are|had\s+been|has\s+been)\s+"
                     r"(?:also\s+|still\s+|deeply\s+)?(?:concerned|worried|alarmed|of\s+the\s+view)\b",
                     actor, maxsplit=1)[0]
    actor = re.sub(r"^(?:(?:[A-Z][a-z]+|In\s+[^,]{1,40}|On\s+[^,]{1,40}|At\s+[^,]{1,40}),\s+)+", "", actor)
    actor = re.sub(r"(?:\s+(?:nonetheless|nevertheless|however|also|further|moreover|therefore|thus|again|and))+$",
                   "", actor, flags=re.I)
    for pat, acr in _BODIES:
        actor = re.sub(r"(?:the\s+)?" + pat, acr, actor, flags=re.I)
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=(?:the\s+)?[A-Z])", actor)
    # a leading clause ("Noting the lack of data, CoE-GREVIO and CoE-CoP encouraged") is no actor
    parts = [re.sub(r"\s+in\s+(?:19|20)\d\d$", "", p.strip()) for p in parts if p.strip()]  # "CESCR in 2006"
    if any(_CLAUSE.match(p) for p in parts):
        # the clause's own comma-separated pieces start in lower case ("in particular on ...")
        parts = [p for p in parts if not _CLAUSE.match(p) and not re.match(r"(?!the\b)[a-z]", p)]
    return parts


_CLAUSE = re.compile(r"(?:[A-Z][a-z]+ing|While|Although|Though|Despite|Given|As|Since|If|When|Whereas)\b")


def recommending_sentences(text: str) -> list[tuple[str, list[str], list[str]]]:
    """``(sentence, actors, markers)`` for each sentence of ``text`` that recommends.

    ``actors`` are as written (resolve them with :func:`canonical_body`);
    ``markers`` are the footnote numbers found in the sentence.
    """
    out = []
    for s in _sentences(text):
        marks = MARK.findall(s)
        clean = MARK.sub("", s).strip()
        m = _ACTOR.match(clean)
        actors: list[str] = []
        if m and not re.search(r"\b(?:was|were|had been|been)\s*$", m.group("actor")):
            actor = m.group("actor")
            if len(actor.split()) <= 25 and not re.search(r"\b(?:that|which|who)\b", actor.split("(")[0][-40:]):
                actors = _split_actors(actor)
        elif _SHOULD.search(clean):
            m2 = re.match(r"^(?P<actor>.{1,160}?)\s+(?:stated|expressed|noted|considered|stressed|emphasized|"
                          r"indicated|added|said)\s+that", clean)
            if m2:
                actors = _split_actors(m2.group("actor"))
        if actors:
            out.append((clean, actors, marks))
    return out


_MENTION = re.compile(
    r"(?:Special\s+Rapporteur|Independent\s+Expert|Working\s+Group)\s+on\s+[a-z][a-z ,\-]{3,80}?(?=[,.;]|\s+(?:noted|stated|"
    r"recommended|urged|called|encouraged|said|expressed|was|were|welcomed|regretted|observed|added|reported|"
    r"found|considered|highlighted|indicated|and)\b)|"
    + "|".join(f"(?:{pat})" for pat, _ in _BODIES)
    # a treaty body by its acronym as the subject of a sentence ("CEDAW remained concerned ...
    # It recommended"), in capitals, not inside a protocol's name ("OP-CRC-SC") or as a treaty
    # ("ratified CRPD")
    + r"|(?-i:(?<![\w\-/])(?:CESCR|CCPR|CRC|CEDAW|CERD|CAT|SPT|CRPD|CMW|CED)(?![\w\-/]))"
    + r"(?=\s+(?:also\s+|further\s+|again\s+)?(?:noted|stated|recommended|urged|called|encouraged|"
    + r"expressed|was|were|remained|welcomed|regretted|observed|requested|invited|considered|"
    + r"highlighted|indicated|reiterated|commended|acknowledged|recalled|added|asked)\b)", re.I)


def _mentions(text: str) -> list[str]:
    """Canonical names of the bodies named in ``text``, in order."""
    return [canonical_body(m.group(0)) for m in _MENTION.finditer(MARK.sub("", text))]


#: A sentence that reports what a source said: "JS9 noted ...", "In 2021, CoE-Commissioner was concerned ...".
_SUBJECT = re.compile(
    r"^(?:(?:in|on|at|during|by)\s+[^,]{2,40},\s+)?(?P<actor>.{1,160}?)\s+(?:also\s+|further\s+|again\s+)?"
    r"(?:(?:was|were|remained)\s+(?:\w+\s+)?(?:concerned|informed|of\s+the\s+view)|said|found|drew|wrote|saw|"
    r"(?-i:(?!was\b|were\b)[a-z]+ed))\b", re.I)


def _is_source(name: str) -> bool:
    """A source as a summary names it in short: "JS9", "AI", "CoE-Commissioner", "OSCE/ODIHR", "NHRI"."""
    capitals = sum(c.isupper() or c.isdigit() for c in name)
    return capitals >= 2 and bool(re.fullmatch(r"[A-Z][\w\-/]{1,24}", name))


def _subject(sentence: str, aliases: dict[str, str]) -> list[str]:
    """The sources a sentence reports on as its subject (``"JS9 noted the risk ..."`` -> ``["JS9"]``);
    none when its subject is no source ("Many Roma continued ...", "It noted ...")."""
    m = _SUBJECT.match(MARK.sub("", sentence).strip())
    if not m or len(m.group("actor").split()) > 25:
        return []
    names = [canonical_body(a, aliases) for a in _split_actors(m.group("actor"))]
    return list(dict.fromkeys(names)) if names and all(_is_source(n) for n in names) else []


def _antecedent(text: str, pronoun: str, aliases: dict[str, str]) -> list[str]:
    """Who ``pronoun`` ("It", "She", "The Committee") stands for after ``text``: the nearest sentence that
    names a source, by its subject ("JS9 noted the risk ... It recommended" -> JS9) when the pronoun can
    stand for an organisation, else by the last body it mentions. A person ("He", "The Special
    Rapporteur") is never a treaty body."""
    person = not _COMMITTEE_PRONOUN.match(pronoun)
    for sentence in reversed(_sentences(text)):
        if re.fullmatch(r"it|they", pronoun, re.I):
            subject = _subject(sentence, aliases)
            if subject:
                return subject
        named = [n for n in _mentions(sentence) if not person or n not in _PREFIX]
        if named:
            return named[-1:]
    return []


#: Treaty body -> the prefix of its documents' symbols.
_PREFIX = {"CESCR": "E/C.12/", "CCPR": "CCPR/C/", "CRC": "CRC/C/", "CEDAW": "CEDAW/C/", "CERD": "CERD/C/",
           "CAT": "CAT/C/", "SPT": "CAT/OP/", "CRPD": "CRPD/C/", "CMW": "CMW/C/", "CED": "CED/C/"}


def _body_of_symbol(cited: list[str]) -> str | None:
    """The treaty body whose report a cited symbol is (``CEDAW/C/SVN/CO/4`` -> CEDAW); the first one."""
    for sym in cited:
        for body, prefix in _PREFIX.items():
            if sym.startswith(prefix):
                return body
    return None


def _pick_symbol(cited: list[str], names: list[str]) -> str | None:
    """The cited symbol of the body that made the recommendation, else the first one cited."""
    for name in names:
        prefix = _PREFIX.get(name)
        if prefix:
            for sym in cited:
                if sym.startswith(prefix):
                    return sym
        elif name.startswith(("Special Rapporteur", "Independent Expert", "Working Group")):
            for sym in cited:
                if sym.startswith("A/HRC/") or sym.startswith("A/"):
                    return sym
    return cited[0] if cited else None


def _aliases(paragraphs: Sequence[Paragraph]) -> dict[str, str]:
    """Aliases a summary defines: "The Human Rights Ombudsman ... (the Ombudsman)" -> NHRI."""
    out: dict[str, str] = {}
    for p in paragraphs:
        for m in re.finditer(r"((?:[A-Z][\w\-\u2019']*\s+){0,12}?[A-Z][\w\-\u2019']*)\s+\((?:the\s+)?([^()]{2,40})\)",
                             p.text):
            full, short = m.group(1), m.group(2)
            if _NHRI.search(short) or _NHRI.search(full):
                out.setdefault(short.lower(), "NHRI")
                continue
            canon = canonical_body(full)
            known = canon in _ACRONYMS or canon == "NHRI" or re.fullmatch(r"[A-Z]{2,6}(?:-[A-Z]+)?", canon)
            if not known and re.fullmatch(r"[A-Za-z][\w\-/]{1,15}", short) and any(c.isupper() for c in short) \
                    and short.lower() not in ("the", "ombudsman"):
                canon = short
            out.setdefault(short.lower(), canon)
    return out


def _unmarked(p: Paragraph) -> Paragraph:
    """The paragraph as :func:`segment` gives it without markers."""
    fields = {k: MARK.sub("", v) for k, v in (("text", p.text), ("section", p.section), ("heading", p.heading))
              if v and "[^" in v}
    return p.replace(**fields) if fields else p


#: A superscript marker, or a footnote number typed inline after a word or its punctuation ("not
#: possible.101 AI", "guaranteed,102 and"); the PDF layer sees no superscript in the latter.
_ANY_MARK = re.compile(r"\s?\[\^(?P<mark>\d{1,3})\]|"
                       r"(?:(?<=[a-z])|(?<=[a-z][.,;:)]))(?P<inline>\d{1,3})(?=[\s.,;:)]|$)")


def _inline_markers(marked: list[Paragraph], notes: dict[str, str]) -> list[Paragraph]:
    """``marked`` with the footnote numbers typed inline in body text written as markers (``[^101]``).

    A number counts when a footnote of that number exists, no superscript marks it, and it falls
    between the markers around it (footnotes are numbered in reading order): "COVID19" or "Annex a12"
    stay text, and so do "1.5 per cent" and "article 3,12" (no word before the punctuation).
    """
    body = [i for i, p in enumerate(marked) if p.kind in ("body", "list_item")]
    found = [(i, m) for i in body for m in _ANY_MARK.finditer(marked[i].text)]
    superscript = [int(m.group("mark")) for _, m in found if m.group("mark")]
    if not superscript:  # nothing to place them between: "No.169" and "covid19" stay text
        return marked
    marked_numbers = set(superscript)
    inline: dict[int, list[re.Match[str]]] = {}
    seen = 0  # superscript markers before the number
    for i, m in found:
        if m.group("mark"):
            seen += 1
            continue
        n = int(m.group("inline"))
        before = superscript[seen - 1] if seen else 0
        after = superscript[seen] if seen < len(superscript) else n + 1
        if str(n) in notes and n not in marked_numbers and before < n < after:
            inline.setdefault(i, []).append(m)
    out = list(marked)
    for i, numbers in inline.items():
        text = marked[i].text
        for m in reversed(numbers):
            text = f"{text[:m.start()]} [^{m.group('inline')}]{text[m.end():]}"
        out[i] = marked[i].replace(text=text)
    return out


def extract(pages: Sequence[Page], document: Document) -> Extraction:
    """Compilation or stakeholder summary -> paragraphs and attributed recommendations."""
    pages = list(pages)
    # one segmentation: texts with the PDF layer's footnote markers as [^n], and without
    marked = segment(pages, marks=" [^{}]")
    notes = footnote_texts(marked)
    marked = _inline_markers(marked, notes)
    paragraphs = [_unmarked(p) for p in marked]
    if not document.pages and pages:
        document = document.replace(pages=len(pages))
    symbols: dict[str, list[str]] = {}  # footnote -> the symbols it cites, in order
    previous: str | None = None
    for key in sorted((k for k in notes if k.isdigit()), key=int):
        cited = [m.group(0).rstrip(".,;") for m in _SYMBOL.finditer(notes[key])]
        if re.match(r"^for\s+(?:the\s+)?relevant", notes[key], re.I):
            cited = []  # points to earlier UPR recommendations on the topic, not to a source
        if re.match(r"^ibid", notes[key], re.I) and previous:
            cited.insert(0, previous)
        symbols[key] = cited
        if cited:
            previous = cited[0]
    aliases = _aliases(paragraphs)
    recs: list[Recommendation] = []
    mentioned: list[str] = []  # the last source named in the text so far
    section: str | None = None
    heading: str | None = None
    for p in marked:
        if p.kind == "heading":
            title = MARK.sub("", p.text).strip()
            if p.section == p.text:
                section, heading = title, None
            else:
                heading = title
            continue
        if p.kind not in ("body", "list_item"):
            continue
        nhri_section = bool(section and re.search(r"national human rights institution|ombuds", section, re.I))
        last_actor: list[str] = []
        from_before = False  # the paragraph's pronoun stands for a body named in an earlier paragraph
        text = p.text
        if p.number and text.startswith(p.number):
            text = text[len(p.number):].lstrip(". ")
        first = len(recs)
        for sentence, actors, marks in recommending_sentences(text):
            names: list[str] = []
            start = text.find(sentence[:30]) if sentence[:30] in text else len(text)
            for a in actors:
                if _PRONOUN.match(a) or a.lower() in ("it", "he", "she", "they"):
                    if not last_actor:
                        # a body named earlier in the paragraph, else in the paragraphs before
                        named = _antecedent(text[:start], a, aliases)
                        last_actor = named or mentioned
                        from_before = not named
                    names.extend(last_actor or (["NHRI"] if nhri_section else []))
                else:
                    names.append(canonical_body(a, aliases))
            names = list(dict.fromkeys(n for n in names if n))
            if not marks:
                # the footnote that follows the sentence in its paragraph covers it
                rest = text[text.find(sentence[:40]) + len(sentence[:40]):] if sentence[:40] in text else ""
                marks = MARK.findall(rest)[:1]
            cited = [sym for m in marks for sym in symbols.get(m, [])]
            if from_before and all(_COMMITTEE_PRONOUN.match(a) for a in actors):
                # "It recommended ..." with no body named in its paragraph cites the treaty body's own
                # report: its symbol names the body more surely than the last body the text mentioned
                by_symbol = _body_of_symbol(cited[:1])
                if by_symbol and all(n in _PREFIX for n in names) and by_symbol not in names:
                    names = [by_symbol]
            if not names:
                continue
            if nhri_section and all(n.lower() in ("ombudsman", "the ombudsman") or n == "NHRI" for n in names):
                names = ["NHRI"]
            if names != last_actor:
                from_before = False
            last_actor = names
            symbol = _pick_symbol(cited, names)
            recs.append(Recommendation(
                text=sentence, paragraph=p.number, page=p.page, section=section, heading=heading,
                source_body="; ".join(names), source_symbol=symbol,
            ))
        if len(recs) - first > 1:  # a paragraph with several recommendations numbers them from 1
            recs[first:] = [r.replace(part=k) for k, r in enumerate(recs[first:], 1)]
        # the source an "It recommended ..." opening the next paragraph may stand for
        mentioned = _antecedent(text, "it", aliases) or mentioned
    recs = _consistent_names(recs, aliases.values())
    return Extraction(document=document, paragraphs=paragraphs, recommendations=recs)


def _consistent_names(recs: list[Recommendation], defined: Iterable[str]) -> list[Recommendation]:
    """One name and one order for each source across a document's records.

    A body named in short ("the Commissioner") takes its full name when the document uses or
    defines (``defined``) exactly one such name (``CoE-Commissioner``); bodies that recommend
    together keep the order in which the document first writes them ("CoE-CoM; CoE-ACFC" also
    where a later paragraph says "CoE-ACFC and CoE-CoM recommended").
    """
    known = {n for r in recs for n in (r.source_body or "").split("; ") if n} | set(defined)
    first_written: dict[frozenset[str], str] = {}
    out = []
    for r in recs:
        fixed = []
        for n in (r.source_body or "").split("; "):
            if re.fullmatch(r"[A-Z][a-z]+", n):
                longer = [m for m in known if m.endswith("-" + n)]
                if len(longer) == 1:
                    n = longer[0]
            fixed.append(n)
        names = list(dict.fromkeys(fixed))
        body = first_written.setdefault(frozenset(names), "; ".join(names))
        out.append(r if body == r.source_body else r.replace(source_body=body))
    return out
