"""NHRI and NGO reports: no fixed layout, recommendations found by their form.

``extract(pages, document)`` segments the report and takes as recommendations:

- the items of recommendation lists: numbered paragraphs, lettered or bulleted
  items (including designed reports' check-mark glyphs) under a heading that
  announces recommendations ("Recommendations", "Key recommendations", "Best
  practices", "What the Government should do"...), each with the label that
  introduces its list ("States under Review", "National Human Rights
  Institutions") kept in front of the text when the list is addressed to one;
- anywhere, sentences where the institution or organisation recommends ("The
  Commission recommends that ...", "The Ombudsman urged the authorities to
  ...", "We call on the Government to ..."); another named speaker counts only
  in the present ("Amnesty recommends ..."): "Germany recommended to Nicaragua
  ..." is a review's recommendation the report quotes, not its own;
- anywhere, "should"/"must" sentences addressed to an actor: the State(s), the
  Government, the authorities, a ministry, parliament, the police, the
  Commission, the State under review, or the country the document concerns,
  as the subject of the modal. Not when the actor is governed by a preposition
  or a subordinating word ("the actions that the government should take",
  "according to which the government must", "received by the government should
  be implemented") or another clause stands between actor and modal.

Each :class:`~rightsindex.records.Recommendation` carries its paragraph
number when it has one, its page, section and heading, and ``source_body``
(the document's body, else ``NHRI`` or ``NGO`` after the document type).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rightsindex.ingest._base import Extraction
from rightsindex.ingest.paragraphs import segment
from rightsindex.records import Document, Page, Paragraph, Recommendation

__all__ = ["extract", "recommendation_sentences", "is_recommendation_heading"]

_GLYPH = re.compile(r"\(cid:\d+\)|[\u2022\u25cf\u25aa\u25e6\u2713\u2714\u27a2\u25ba\u25a0\uf0b7\uf0fc\uf0d8]")
_REC_HEADING = re.compile(
    r"^(?:(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.|[A-Z]\.)\s+)?(?:(?:conclusions?|summary)\s+(?:and|of)\s+)?"
    r"(?:(?:key|main|our|general|specific|final|priority|further|concrete|policy|list\s+of)\s+)?"
    r"(?:recommendations?|best\s+practices|suggestions|proposals|calls?\s+to\s+action|the\s+way\s+forward)"
    r"(?:\s+(?:to|for|addressed\s+to|of\s+the|by\s+the)\b.*)?:?$|^what\s+.{2,60}\s+(?:should|must|can)\s+do\b",
    re.I,
)
_NOT_REC_HEADING = re.compile(r"implementation\s+of|implemented|noted\s+recommendations|mid-term|table\s+of\s+contents",
                              re.I)
#: Who speaks for the report: the institution or organisation itself (any tense: a summary reports
#: "The Ombudsman recommended ...").
_ISSUER = (r"(?:(?:the|this|our)\s+)?(?:commission|ombuds(?:man|person|woman)|institution|defender|advocate|nhri|"
           r"office|organi[sz]ation|coalition|alliance|network|centre|center|committee|council|"
           r"report|submission|upr\s+info|we)")
_ADVERB = r"(?:also\s+|further\s+|strongly\s+|therefore\s+|again\s+|respectfully\s+)?"
_ISSUE_VERB = (_ADVERB +
               r"(?:recommends?|recommended|urges?|urged|calls?\s+(?:up)?on|called\s+(?:up)?on|calls?\s+for|"
               r"called\s+for|encourages?|encouraged|requests?|requested|invites?|invited|appeals?\s+to)")
#: Present tense only, for any other named speaker ("Amnesty recommends"): "Germany recommended to
#: Nicaragua ..." is a review's recommendation the report quotes, not the report's own.
_ISSUE_VERB_PRESENT = (_ADVERB + r"(?:recommends|urges|calls\s+(?:up)?on|calls\s+for|encourages|requests|invites|"
                       r"appeals\s+to)")
_ISSUES = re.compile(rf"^(?:[^.]{{0,60}},\s+)?(?:{_ISSUER}\s+{_ISSUE_VERB}|"
                     rf"(?-i:[A-Z][A-Za-z\-]{{1,12}})\s+{_ISSUE_VERB_PRESENT})\b", re.I)
_ADDRESSEE = (r"(?:state|states|government|governments|authorities|ministry|ministries|minister|parliament|"
              r"national\s+assembly|legislature|police|municipalit(?:y|ies)|sur|state\s+under\s+review|"
              r"states\s+under\s+review|recommending\s+states|public\s+authorities|prosecutor|judiciary|courts?|"
              r"commission)")
_MODAL = r"(?:should|must|ought\s+to|is\s+urged\s+to|are\s+urged\s+to)"
_SHOULD = re.compile(rf"\b(?:the\s+|all\s+|each\s+|national\s+|local\s+|federal\s+|relevant\s+|competent\s+)*"
                     rf"{_ADDRESSEE}\b(?P<gap>[^.;:]{{0,60}}?)\b{_MODAL}\b",
                     re.I)
#: The addressee is the object of a preposition or the subject of a subordinate clause
#: ("the actions that the government should take", "according to which the government must",
#: "received by the Kenyan government"): the sentence does not address it.
_GOVERNED = re.compile(r"\b(?:that|which|whom?|whose|how|whether|what|where|when|why|if|by|to|for|with|from|on|than)"
                       r"\s+(?:the\s+)?(?:[A-Z][\w\-]*\s+){0,2}$", re.I)
#: "... that" is fine after a recommending phrase ("it is essential that the State should").
_RECOMMENDING_THAT = re.compile(r"\b(?:essential|important|crucial|necessary|vital|imperative|urgent|recommends?|"
                                r"recommended|urges?|believes?|insists?|considers?)\s+that\s+(?:the\s+)?$", re.I)
#: Between the addressee and its modal: another clause (the modal is not the addressee's).
_CLAUSE = re.compile(r"\b(?:that|which|who|whom|how|whether|because|since|although|had|has|have|was|were|is|are|"
                     r"did|does)\b", re.I)
_PARENTHESIS = re.compile(r"^\s*,[^,]*,\s*(?:also\s+|therefore\s+|still\s+)?$|^\s*(?:can\s+and|also|therefore|still|"
                          r"now|urgently|immediately|themselves|itself)\s+$", re.I)


def _addressed(sentence: str, pattern: re.Pattern[str]) -> bool:
    """Whether a "should"/"must" of ``sentence`` is addressed to the actor ``pattern`` finds.

    The actor must be the subject of the modal: not governed by a preposition
    or a subordinating word before it, and with no other clause between it and
    the modal (a comma parenthesis is allowed).
    """
    pos = 0
    while True:
        m = pattern.search(sentence, pos)
        if m is None:
            return False
        pos = m.start() + 1
        pre = sentence[: m.start()]
        gap = m.group("gap") if "gap" in pattern.groupindex else ""
        if _GOVERNED.search(pre) and not _RECOMMENDING_THAT.search(pre):
            continue
        if gap.strip() and _CLAUSE.search(gap) and not _PARENTHESIS.match(gap):
            continue
        return True
_IMPERATIVE = re.compile(
    r"^(?:to\s+)?(?:adopt|amend|allocate|abolish|accede|align|bring|build|collaborate|combat|conduct|consider|"
    r"consult|continue|create|decriminali[sz]e|define|develop|engage|enact|end|enhance|ensure|establish|extend|"
    r"guarantee|implement|improve|include|increase|incorporate|integrate|introduce|invest|investigate|involve|"
    r"lift|make|monitor|organi[sz]e|promote|prohibit|protect|provide|publish|raise|ratify|reduce|reform|"
    r"refrain|regularly|remove|repeal|respect|review|revise|set\s+up|share|sign|step\s+up|strengthen|submit|"
    r"support|take|train|undertake|use|withdraw|work|write|prepare|present|follow|report|coordinate|communicate|"
    r"bring|give|hold|identify|inform|incorporate|encourage|lobby|seek|reach|mainstream|allocate)\b",
    re.I,
)


def is_recommendation_heading(text: str) -> bool:
    """Whether a heading announces a list of recommendations."""
    return bool(_REC_HEADING.search(text)) and not _NOT_REC_HEADING.search(text) and len(text) < 120


def _sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\u201c\"(])", text)
    return [p.strip() for p in parts if p.strip()]


def recommendation_sentences(text: str, country: str | None = None) -> list[str]:
    """Sentences of ``text`` that recommend: an issuer recommends, or the State should."""
    out = []
    country_should = (
        re.compile(rf"\b{re.escape(country)}\b(?P<gap>[^.;:]{{0,40}}?)\b(?:should|must)\b") if country else None
    )
    for s in _sentences(text):
        if len(s) < 25 or not (s[0].isupper() or s[0] in "\u201c\"("):
            continue
        if _ISSUES.search(s) or _addressed(s, _SHOULD) or (country_should and _addressed(s, country_should)):
            if re.match(r"^(?:if|when|whether|as|although|though)\b", s, re.I) and not _ISSUES.search(s):
                continue
            out.append(s)
    return out


def _items(p: Paragraph) -> tuple[str | None, list[str]]:
    """Label and items of a paragraph that is a list (glyph bullets or lines)."""
    text = p.text
    if len(_GLYPH.findall(text)) >= 1:
        parts = [x.strip(" ;") for x in _GLYPH.split(text)]
        label = parts[0] if parts[0] and len(parts[0]) < 60 else None
        items = [x for x in parts[1:] if len(x) > 10]
        if parts[0] and label is None:
            items.insert(0, parts[0])
        return label, items
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) > 1:
        return None, lines
    return None, [text]


def extract(pages: Sequence[Page], document: Document) -> Extraction:
    """NHRI or NGO report -> paragraphs and recommendations (see the module docstring)."""
    pages = list(pages)
    paragraphs = segment(pages)
    if not document.pages and pages:
        document = document.replace(pages=len(pages))
    source = document.body or ("NGO" if document.document_type == "ngo_report" else "NHRI")
    recs: list[Recommendation] = []
    seen: set[str] = set()
    section: str | None = None
    heading: str | None = None
    zone_level: int | None = None  # heading level that opened a recommendations zone
    list_label: str | None = None  # who the current list is addressed to ("States under Review")
    for p in paragraphs:
        if p.kind == "heading":
            if not _is_running_title(p, paragraphs):
                list_label = p.text if len(p.text) < 60 else None
            level = 1 if p.section == p.text else 2
            if p.section == p.text:
                section, heading = p.text, None
            else:
                heading = p.text
            if is_recommendation_heading(p.text):
                zone_level = level
            elif zone_level is not None and level <= zone_level and not _is_running_title(p, paragraphs):
                zone_level = None
            continue
        if p.kind == "footnote":
            continue
        found: list[str] = []
        listy = p.kind == "list_item" or bool(_GLYPH.search(p.text)) or "\n" in p.text
        if listy or (zone_level is not None and p.number is not None):
            label, items = _items(p)
            if label is not None:
                list_label = label
            label = label or (list_label if _GLYPH.search(p.text) or p.kind == "list_item" else None)
            for it in items:
                it = re.sub(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|\([a-z]{1,2}\)|[a-z]\))\s+", "", it).strip()
                if len(it) < 20:
                    continue
                if _IMPERATIVE.match(it) or recommendation_sentences(it, document.country) or (
                    zone_level is not None and re.match(r"^(?:that\s+)?(?:the\s+)?" + _ADDRESSEE, it, re.I)
                ):
                    found.append(f"{label}: {it}" if label else it)
        else:
            list_label = None
            text = p.text
            if p.number and text.startswith(p.number):
                text = text[len(p.number):].lstrip(". ")
            found.extend(recommendation_sentences(text, document.country))
            if zone_level is not None and not found and _IMPERATIVE.match(text) and len(text) >= 20:
                found.append(" ".join(text.split()))
        for text in found:
            key = " ".join(text.lower().split())
            if key in seen:
                continue
            seen.add(key)
            recs.append(Recommendation(text=text, paragraph=p.number, page=p.page, section=section,
                                       heading=heading, source_body=source))
    return Extraction(document=document, paragraphs=paragraphs, recommendations=recs)


def _is_running_title(p: Paragraph, paragraphs: Sequence[Paragraph]) -> bool:
    """A heading repeated on many pages (a designed report's running title) does not end a zone."""
    same = sum(1 for q in paragraphs if q.kind == "heading" and q.text == p.text)
    return same >= 3
