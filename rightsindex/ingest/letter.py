"""The High Commissioner's letters after a UPR review: the Office's own recommendations.

After each review the High Commissioner writes to the State's foreign minister and
annexes the areas the Office asks it to act on. Two forms occur:

- an annex of items phrased as gerunds under thematic headings ("Right to health" /
  "Stepping up efforts to provide equal access to quality healthcare services ..."),
  as in the third cycle; each item is a recommendation, its heading and section
  (``C. Economic, social and cultural rights``) kept;
- prose where the State is asked in the passive ("Slovenia is encouraged to ...",
  "The Government is also urged to ...") or by the High Commissioner ("I also
  encourage Slovenia to ..."), as in the fourth cycle: each such sentence is one.

Letters are usually scans, so the text is often OCR: an item broken over lines that
the segmenter split (a line starting in lower case continues the item before it, even
across a page's masthead), bullets read as ``e``, and mastheads ("NATIONS UNIES UNITED
NATIONS ...") repeated on every page, which are skipped. Each recommendation's
``source_body`` is ``OHCHR``; letters have no paragraph numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rightsindex.ingest._base import Extraction
from rightsindex.ingest.paragraphs import segment
from rightsindex.records import Document, Page, Paragraph, Recommendation

__all__ = ["extract", "recommendations"]

SOURCE = "OHCHR"
_ANNEX = re.compile(r"^(?:annex|annexe|observations\s+in\s+light\s+of\b.*)$", re.I)
#: A bullet as OCR reads it ("e", "o", "«") or as a glyph, before an item's first word.
_BULLET = re.compile(r"^(?:[eo«»*·•\-–]|\(cid:\d+\)|[\uf0b7\u25cf\u25aa])\s+(?=[A-Z])")
_GERUND = re.compile(r"^([A-Z][a-z]{2,}ing)\b")
#: Words in -ing that open a sentence without asking for anything.
_NOT_GERUNDS = frozenset({
    "During", "Following", "Including", "Regarding", "Concerning", "According", "Notwithstanding",
    "Pending", "Nothing", "Something", "Everything", "Morning", "Evening", "Spring", "King", "Being",
})
#: Openings of a prose request, not of an item ("Taking into account ..., Slovenia is encouraged to").
_NOT_ITEMS = re.compile(r"^(?:Taking|Bearing)\s+into\s+account\b|^Bearing\s+in\s+mind\b")
_SECTION = re.compile(r"^[A-H]\.\s+[A-Z]")
_MASTHEAD = re.compile(r"nations\s+unies|united\s+nations|haut.?comm|office\s+of\s*the|palais\s+des|"
                       r"ohchr\.org|droits\s+de\s+l", re.I)
_TERMINAL = re.compile(r"[.;:!?]['\"”’)]?$")
#: "Slovenia is (also) encouraged to", "The Government is further urged to", "I encourage Slovenia to".
_ASKED = re.compile(
    r"\b(?:is|are)\s+(?:(?:also|further|again|strongly|therefore)\s+)*"
    r"(?:encouraged|urged|invited|called\s+upon|requested|recommended)\s+to\b|"
    r"\bI\s+(?:(?:also|further|would\s+also|would|strongly)\s+)*"
    r"(?:encourage|urge|invite|call\s+(?:up)?on|recommend)\b(?=(?:\s+\S+){1,10}?\s+to\s)"
)
#: Advice the letter gives every State ("All Member States are encouraged to submit a mid-term report").
_EVERY_STATE = re.compile(r"\ball\s+(?:member\s+)?states\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def _is_masthead(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4:
        return True  # OCR crumbs ("ox")
    upper = sum(c.isupper() for c in letters) / len(letters)
    return bool(_MASTHEAD.search(text)) and upper >= 0.5 or upper >= 0.8 and len(text.split()) >= 3


def _item_start(text: str) -> str | None:
    """The item's text when a paragraph opens an annex item ("Stepping up ..."), else None."""
    text = _BULLET.sub("", text.strip())
    m = _GERUND.match(text)
    if m and m.group(1) not in _NOT_GERUNDS and len(text.split()) >= 4 and not _NOT_ITEMS.match(text):
        return text
    return None


def _is_heading(text: str) -> bool:
    words = text.split()
    return (text[:1].isupper() and len(words) <= 14 and not _TERMINAL.search(text)
            and _item_start(text) is None)


def _annex_items(paragraphs: Sequence[Paragraph]) -> list[tuple[int, Recommendation]]:
    out: list[tuple[int, Recommendation]] = []
    cur: dict[str, object] | None = None
    section: str | None = None
    heading: str | None = None

    def close() -> None:
        nonlocal cur
        if cur is not None:
            text = " ".join(str(cur["text"]).split())
            out.append((int(str(cur["seq"])), Recommendation(
                text=text, page=int(str(cur["page"])), section=section, heading=heading, source_body=SOURCE)))
        cur = None

    for p in paragraphs:
        text = " ".join(p.text.split())
        if p.kind == "footnote" or not text or _is_masthead(text):
            continue
        start = _item_start(text)
        if start is not None:
            close()
            cur = {"text": start, "page": p.page, "seq": p.seq, "last": p.page}
        elif cur is not None and _continues(str(cur["text"]), text, same_page=cur["last"] == p.page):
            cur["text"] = f"{cur['text']} {text}"
            cur["last"] = p.page
        elif _SECTION.match(text) and len(text.split()) <= 12:
            close()
            section, heading = text, None
        elif _is_heading(text):
            close()
            heading = text
        else:
            close()
    close()
    return out


#: Words a line cannot end on when the sentence ends there ("... the right of" / "Roma to ...").
_OPEN_END = re.compile(r"\b(?:of|the|a|an|to|and|or|in|for|with|by|on|at|from|its|their|as|that|which|"
                       r"including|such|all|any|between|into|within|under|against)$", re.I)


def _continues(before: str, line: str, *, same_page: bool = True) -> bool:
    """Whether ``line`` goes on with the sentence ``before`` left open: OCR and the segmenter break
    an item or a paragraph before a lower-case word, after a word no sentence ends on, or (on the
    same page) before a long line that ends a sentence; a heading is short and has no full stop,
    and a page's first line after an address block starts a new sentence."""
    if _TERMINAL.search(before):
        return False
    if line[:1].islower() or _OPEN_END.search(before):
        return True
    return same_page and (bool(_TERMINAL.search(line)) and _item_start(line) is None
                          and not _SECTION.match(line) or len(line.split()) > 14)


def _prose(paragraphs: Sequence[Paragraph]) -> list[tuple[int, Recommendation]]:
    """Requests made in prose, with paragraphs broken across lines or pages joined again."""
    joined: list[list[object]] = []  # [seq, page, text, last page]
    for p in paragraphs:
        text = " ".join(p.text.split())
        if p.kind == "footnote" or not text or _is_masthead(text):
            continue
        if joined and len(str(joined[-1][2]).split()) >= 6 and _continues(
                str(joined[-1][2]), text, same_page=joined[-1][3] == p.page):
            joined[-1][2] = f"{joined[-1][2]} {text}"
            joined[-1][3] = p.page
        else:
            joined.append([p.seq, p.page, text, p.page])
    out = []
    for seq, page, text, _ in joined:
        for sentence in _SENTENCE_END.split(str(text)):
            if _ASKED.search(sentence) and len(sentence.split()) >= 6 and not _EVERY_STATE.search(sentence):
                # no section or heading: a letter's are its salutation and signature
                rec = Recommendation(text=sentence, page=int(str(page)), source_body=SOURCE)
                out.append((int(str(seq)), rec))
    return out


def recommendations(paragraphs: Sequence[Paragraph]) -> list[Recommendation]:
    """The letter's recommendations, in the order it makes them: its annex's items and its prose requests."""
    start = next((i for i, p in enumerate(paragraphs) if _ANNEX.match(" ".join(p.text.split()))), None)
    found = _annex_items(paragraphs[start + 1:]) if start is not None else []
    items = [rec.text for _, rec in found]
    found += [(seq, rec) for seq, rec in _prose(paragraphs) if not any(rec.text in t for t in items)]
    seen: set[str] = set()
    out = []
    for _, rec in sorted(found, key=lambda x: x[0]):
        key = " ".join(rec.text.lower().split())
        if key not in seen:
            seen.add(key)
            out.append(rec)
    return out


def extract(pages: Sequence[Page], document: Document) -> Extraction:
    """A High Commissioner's letter -> paragraphs and the Office's recommendations."""
    pages = list(pages)
    paragraphs = segment(pages)
    if not document.pages and pages:
        document = document.replace(pages=len(pages))
    return Extraction(document=document, paragraphs=paragraphs,
                      recommendations=recommendations(paragraphs))
