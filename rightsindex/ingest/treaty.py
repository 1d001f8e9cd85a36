"""Treaty body concluding observations (CESCR, CRC, CEDAW, CCPR, CERD, CAT, CRPD, CMW, CED).

``extract(pages, document)`` returns the document's paragraphs and one
:class:`~rightsindex.records.Recommendation` per recommendation, with:

- ``paragraph``: the paragraph number ("24"); a paragraph with lettered
  sub-paragraphs gives one recommendation per sub-paragraph, ``part`` 1, 2, ...
  in letter order, each text being the lead-in followed by its sub-paragraph
  ("The Committee recommends that the State party: (b) Ensure ...");
- ``section``: the section it stands in (e.g. "C. Principal subjects of
  concern and recommendations", older documents' "E. Suggestions and
  recommendations", "D. Dissemination and follow-up");
- ``heading``: the subject heading ("Right to adequate housing");
- ``concern``: the number of the concern paragraph it answers: the closest
  concern paragraph before it under the same heading (in the old format, where
  concerns and recommendations stand in separate sections, the concern
  paragraph whose words overlap most); the paragraph's own number when it
  states the concern itself;
- ``follow_up``: True when the follow-up paragraph ("... information on the
  implementation of the recommendations contained in paragraphs 12 (a), 24
  and 38 above") or the urgent-measures paragraph ("... urgent measures must
  be taken: non-discrimination (para. 18) ...") names it;
- ``source_body``: the committee (from ``document.body`` or the symbol).

A recommendation paragraph is recognised by its form: the Committee (or "it")
recommends, urges, calls upon, encourages, requests, invites, reiterates its
recommendation..., or "The State party should ...".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rightsindex.ingest._base import Extraction
from rightsindex.ingest.paragraphs import segment
from rightsindex.records import Document, Page, Paragraph, Recommendation

__all__ = ["extract", "body_from_symbol", "follow_up_references", "is_recommendation", "is_concern", "TREATY_BODIES"]

#: Symbol prefix -> treaty body.
TREATY_BODIES = {
    "E/C.12": "CESCR",
    "CRC/C": "CRC",
    "CEDAW/C": "CEDAW",
    "CCPR/C": "CCPR",
    "CERD/C": "CERD",
    "CAT/C": "CAT",
    "CRPD/C": "CRPD",
    "CMW/C": "CMW",
    "CED/C": "CED",
}

_ACTOR = r"(?:the\s+committee|it|the\s+state\s+party)"
_VERBS = (
    r"(?:strongly\s+|further\s+|also\s+|again\s+|therefore\s+|urgently\s+)*"
    r"(?:recommends?|urges?|calls?\s+(?:up)?on|encourages?|requests?|invites?|"
    r"reiterates?\s+its\s+(?:previous\s+)?recommendations?|"
    r"draws?\s+(?:the\s+)?(?:state\s+party.s\s+)?attention|exhorts?|appeals?\s+to|"
    r"requires?|suggests?|asks?)"
)
_REC = re.compile(rf"\b{_ACTOR}\s+(?:(?:also|further|strongly|again)\s+)?{_VERBS}\b", re.I)
_SHOULD = re.compile(r"\bthe\s+state\s+party\s+should\b|\bit\s+should\b", re.I)
_CONCERN = re.compile(
    r"\b(?:is|are|remains?|was)\s+(?:deeply\s+|seriously\s+|particularly\s+|also\s+|further\s+|gravely\s+)*"
    r"(?:concerned|alarmed|disturbed|troubled)\b|\bnotes?\s+with\s+(?:deep\s+|serious\s+|grave\s+)?concern\b|"
    r"\bexpresses\s+(?:its\s+)?(?:deep\s+|serious\s+)?concern\b|\bregrets?\b|\bdeplores?\b|\bconcern(?:s|ed)?\s+(?:about|at|that)\b",
    re.I,
)
_FOLLOW = re.compile(
    r"follow[-\s]?up|within\s+(?:24\s+months|two\s+years|one\s+year|\d+\s+months)|urgent\s+measures|"
    r"information\s+on\s+the\s+implementation|steps\s+taken\s+to\s+implement",
    re.I,
)
_SUB = re.compile(r"^\((?P<l>[a-z]{1,2}|[ivx]{1,5})\)\s*")
_SECTION_WORDS = re.compile(
    r"introduction|positive\s+aspects|concern|recommendations|suggestions|factors\s+and\s+difficulties|"
    r"follow[-\s]?up|dissemination|implementation\s+and\s+reporting|next\s+(?:periodic\s+)?report|"
    r"progress\s+achieved|main\s+areas|principal\s+(?:subjects|matters|areas)|other\s+recommendations|"
    r"general\s+measures|ratification|reporting",
    re.I,
)


def body_from_symbol(symbol: str | None) -> str | None:
    """Treaty body of a UN symbol: ``E/C.12/GBR/CO/6`` -> ``CESCR``."""
    if not symbol:
        return None
    s = symbol.replace(" ", "").upper()
    for prefix, body in TREATY_BODIES.items():
        if s.startswith(prefix.upper() + "/") or s == prefix.upper():
            return body
    return None


def is_recommendation(text: str) -> bool:
    """Whether a paragraph's text makes a recommendation to the State party."""
    return bool(_REC.search(text) or _SHOULD.search(text))


def is_concern(text: str) -> bool:
    """Whether a paragraph's text states a concern."""
    return bool(_CONCERN.search(text))


def follow_up_references(text: str) -> dict[str, set[str]]:
    """Paragraph numbers (and sub-paragraph letters) a follow-up paragraph names.

    ``"paragraphs 12 (a), 24 and 38 (b) and (c) above"`` -> ``{"12": {"a"},
    "24": set(), "38": {"b", "c"}}`` (an empty set: the whole paragraph);
    ``"non-discrimination (para. 18), standard of living (paras. 31 and 32)"``
    -> ``{"18": set(), "31": set(), "32": set()}``.
    """
    refs: dict[str, set[str]] = {}
    spans: list[str] = []
    for m in re.finditer(r"\b(?:paragraphs?|paras?\.)\s*(?=\d)", text, re.I):
        rest = text[m.end():m.end() + 300]
        run = re.match(r"(?:\s*(?:\d{1,3}(?![\d.]\d)|\([^()]{0,80}\)|,|and\b|to\b|\u2013|-))+", rest)
        if run and not re.match(r"\s*,?\s*of\b", rest[run.end():]):  # "rule 75, paragraph 1, of the rules"
            spans.append(run.group(0))
    for span in spans:
        # drop parenthesised subject names: "13 (racism)" but keep letters "(a)"
        span = re.sub(r"\((?![a-z]{1,2}\))[^)]*\)", " ", span)
        last: str | None = None
        range_from: str | None = None
        for tok in re.finditer(r"\d{1,3}(?:\.\d+)?|\([a-z]{1,2}\)|\u2013|-|\bto\b", span):
            t = tok.group(0)
            if "." in t:
                break  # "115.3": another document's numbering
            if t.isdigit():
                if range_from is not None and int(range_from) < int(t) <= int(range_from) + 30:
                    for n in range(int(range_from) + 1, int(t)):
                        refs.setdefault(str(n), set())
                range_from = None
                last = t
                refs.setdefault(t, set())
            elif t.startswith("(") and last is not None:
                refs[last].add(t.strip("()"))
            elif last is not None:
                range_from = last
    return refs


def _is_section(p: Paragraph) -> bool:
    if p.kind != "heading":
        return False
    text = p.text.strip()
    if re.match(r"^(?:[IVX]{1,5}|[A-H])\.\s", text):
        return True
    return bool(_SECTION_WORDS.search(text)) and len(text) < 120


def _words(text: str) -> set[str]:
    stop = {"the", "and", "that", "of", "to", "in", "a", "its", "is", "on", "for", "by", "with", "state", "party",
            "committee", "concerned", "recommends", "are", "be", "all", "as", "at", "an", "it", "which", "has",
            "have", "not", "about", "this", "their", "from", "or", "urges", "take", "measures", "ensure"}
    return {w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in stop}


def _split_parts(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Lead-in and lettered sub-paragraphs of a paragraph text (sub-paragraphs one per line)."""
    lines = text.split("\n")
    lead = lines[0]
    parts: list[tuple[str, str]] = []
    for ln in lines[1:]:
        m = _SUB.match(ln)
        if m:
            parts.append((m.group("l"), ln))
        elif parts:
            parts[-1] = (parts[-1][0], parts[-1][1] + " " + ln)
        else:
            lead = lead + " " + ln
    # sub-paragraphs run into the lead-in line ("...State party: (a) Adopt ...; (b) Ensure ...")
    if not parts and re.search(r":\s*\(a\)\s", lead):
        head, _, rest = lead.partition("(a)")
        chunks = re.split(r"(?:(?<=;)|(?<=; and)|(?<=\.))\s*(?=\([b-z]\)\s)", "(a)" + rest)
        for ch in chunks:
            m = _SUB.match(ch.strip())
            if m:
                parts.append((m.group("l"), ch.strip()))
        if parts:
            lead = head.rstrip()
    return lead, parts


def _strip_number(p: Paragraph) -> str:
    if p.number and p.text.startswith(p.number):
        return p.text[len(p.number):].lstrip(". ").lstrip()
    return p.text


def extract(pages: Sequence[Page], document: Document) -> Extraction:
    """Concluding observations -> paragraphs and recommendations (see the module docstring)."""
    pages = list(pages)
    paragraphs = segment(pages)
    body = document.body or body_from_symbol(document.symbol)
    if not document.pages and pages:
        document = document.replace(pages=len(pages))
    if document.body is None and body is not None:
        document = document.replace(body=body)

    # pass 1: sections, headings and the numbered paragraphs
    section: str | None = None
    heading: str | None = None
    numbered: list[tuple[Paragraph, str | None, str | None]] = []
    for p in paragraphs:
        if p.kind == "heading":
            if _is_section(p):
                section, heading = p.text, None
            elif section is not None:
                heading = p.text
            continue
        if p.kind != "body" or p.number is None or "." in p.number:
            continue
        numbered.append((p, section, heading))

    # the follow-up / urgent-measures paragraphs (the last ones naming paragraph numbers)
    follow: dict[str, set[str]] = {}
    naming: set[str] = set()
    for p, _sec, _head in numbered:
        text = _strip_number(p)
        if _FOLLOW.search(text):
            refs = follow_up_references(text)
            refs.pop(p.number or "", None)
            refs = {k: v for k, v in refs.items() if any(q.number == k for q, _, _ in numbered)}
            if refs:
                naming.add(p.number or "")
            for k, v in refs.items():
                if k in follow and (not follow[k] or not v):
                    follow[k] = set()
                else:
                    follow.setdefault(k, set()).update(v)

    concerns_old: list[Paragraph] = []
    recs: list[Recommendation] = []
    last_concern: dict[tuple[str | None, str | None], str] = {}
    for p, sec, head in numbered:
        text = _strip_number(p)
        rec_here = is_recommendation(text) and not _is_positive(sec) and p.number not in naming
        concern_here = is_concern(text.split("\n")[0])
        key = (sec, head)
        if concern_here and not rec_here:
            last_concern[key] = p.number or ""
            if head is None:
                concerns_old.append(p)
            continue
        if not rec_here:
            continue
        concern: str | None = None
        if concern_here and _first_concern_before_rec(text):
            concern = p.number
            text = _from_recommending_sentence(text)
        elif head is not None and key in last_concern:
            concern = last_concern[key]
        elif head is None and concerns_old:
            concern = _best_concern(text, concerns_old)
        lead, parts = _split_parts(text)
        refs = follow.get(p.number or "")
        common = dict(paragraph=p.number, page=p.page, section=sec, heading=head, concern=concern,
                      source_body=body, source_symbol=document.symbol)
        if parts:
            for i, (letter, sub) in enumerate(parts, start=1):
                fu = refs is not None and (not refs or letter in refs)
                recs.append(Recommendation(text=f"{lead} {sub}".strip(), part=i, follow_up=fu, **common))
        else:
            recs.append(Recommendation(text=" ".join(text.split("\n")), follow_up=refs is not None, **common))
    return Extraction(document=document, paragraphs=paragraphs, recommendations=recs)


def _is_positive(section: str | None) -> bool:
    return bool(section and re.search(r"positive\s+aspects|progress\s+achieved|introduction", section, re.I))


def _first_concern_before_rec(text: str) -> bool:
    c = _CONCERN.search(text)
    r = _REC.search(text) or _SHOULD.search(text)
    return bool(c and r and c.start() < r.start())


def _from_recommending_sentence(text: str) -> str:
    """The text from the sentence that recommends ("The Committee is concerned ... It recommends ...")."""
    m = _REC.search(text) or _SHOULD.search(text)
    if not m:
        return text
    starts = [k.end() for k in re.finditer(r"[.;]\s+(?=[A-Z])", text[: m.start() + 1])]
    return text[starts[-1]:] if starts else text


def _best_concern(text: str, concerns: list[Paragraph]) -> str | None:
    """Old format: the concern paragraph sharing most words with a recommendation."""
    words = _words(text)
    best, best_score = None, 0.0
    for c in concerns:
        cw = _words(_strip_number(c))
        if not cw or not words:
            continue
        score = len(words & cw) / min(len(words), len(cw))
        if score > best_score:
            best, best_score = c.number, score
    return best if best_score >= 0.2 else None
