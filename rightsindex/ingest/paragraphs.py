"""Paragraphs from positioned lines: the segmentation every document family shares.

``segment(pages)`` turns the lines of :class:`~rightsindex.records.Page` records
into :class:`~rightsindex.records.Paragraph` records:

- a new paragraph starts at a vertical gap larger than the document's line
  pitch, at a change of font size or weight, at a first-line indent after a
  short line, or at a numbered paragraph (``12.``, ``118.7``) that follows a
  finished sentence;
- headings (bold or larger type, short, or carrying a section marker such as
  ``I.``, ``A.``) become ``kind="heading"`` paragraphs; they set the ``section``
  (top level: roman numerals, larger type) and ``heading`` of what follows;
- lettered sub-paragraphs ``(a)`` and bullets stay inside the numbered
  paragraph they belong to, one per line of its text; outside a numbered
  paragraph they are ``kind="list_item"``;
- a paragraph cut by a page break is continued on the next page;
- end-of-line hyphens are joined (``recom-`` + ``mendation``) unless the
  hyphen belongs to the word (``follow-up``), judged from the document's own
  vocabulary and a list of compound prefixes;
- footnotes (``Page.footnotes``, lines under a ``____`` rule, or the entries of
  an end "Notes" section) are ``kind="footnote"`` paragraphs numbered by their
  marker, placed after the paragraph that was open when their page ended.

:func:`notes` maps footnote markers to their text for extractors that resolve
references (compilations cite their sources in footnotes).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rightsindex.records import Line, Page, Paragraph

__all__ = ["segment", "notes", "join_lines", "paragraph_number", "HEADING_MARKER", "NUMBERED"]

#: "12. Text", "118.7 Text", "3.2. Text": a numbered paragraph.
NUMBERED = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3}){1,2}\.?|\d{1,3}\.)\s+(?=\S)")
_SIMPLE_NUM = re.compile(r"^(\d{1,3})\.\s+\S")
_DOTTED_NUM = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){1,2})\.?\s+\S")
#: "(a) ...", "a) ...", "(iv) ...", bullets.
LETTERED = re.compile(r"^(?:\((?P<a>[a-z]{1,2}|[ivx]{1,5})\)|(?P<b>[a-z])\))\s+\S")
BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u25e6\u2013\u2014\-\u00b7\uf0b7\u27a2\u25a0\u2023]\s*\S")
#: "I. Background", "A. Scope ...", "IV. ...", "1. Cross-cutting issues" (heading markers).
HEADING_MARKER = re.compile(r"^(?P<m>[IVXL]{1,5}|[A-Z]|\d{1,2})\.\s+\S")
_ROMAN = re.compile(r"^[IVXL]{1,5}\.\s")
_RULE = re.compile(r"^[_\u2014\u2013\-\u2500]{5,}$")
_NOTE_START = re.compile(r"^(?P<m>\d{1,3}/|\d{1,3}|\*{1,3}|[\u2020\u2021\u00a7])(?:\s+|(?=[A-Z\u201c\"]))(?P<t>\S.*)$")
_NOTES_HEADING = re.compile(r"^(?:end\s*)?notes$|^notes$|^r[ée]f[ée]rences$|^примечания$", re.I)
_CONT_MARK = re.compile(r"^/\s?\.\.\.$|^\.\.\./?$|^-\s?\d+\s?-$")
_PAGE_LINE = re.compile(r"^(?:page|pag\.?|p\.|стр\.?)?\s*\d{1,4}$", re.I)
_TERMINAL = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\]]*$")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")

#: Left parts that keep their hyphen at a line break ("follow-" + "up").
COMPOUND_PREFIXES = frozenset(
    """anti non co self well follow long short high low cross multi socio ex semi
    post pre inter intra counter full part half one two three four five six seven eight
    nine ten sub-saharan cost time decision policy law rights gender age child human
    state community evidence results data rule country region city in-depth""".split()
)


# --- hyphenation ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*", re.UNICODE)


def _vocabulary(lines: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Words and hyphenated words seen inside lines (not split at a line end)."""
    words: Counter[str] = Counter()
    hyph: Counter[str] = Counter()
    for text in lines:
        tokens = _WORD.findall(text)
        if text.rstrip().endswith(("-", "\u2010")) and tokens:
            tokens = tokens[:-1]
        for tok in tokens:
            low = tok.lower()
            if "-" in low or "\u2010" in low:
                hyph[low.replace("\u2010", "-")] += 1
            else:
                words[low] += 1
    return words, hyph


class _Joiner:
    """Joins the lines of a paragraph, deciding about end-of-line hyphens."""

    def __init__(self, words: Counter[str] | None = None, hyph: Counter[str] | None = None) -> None:
        self.words = words or Counter()
        self.hyph = hyph or Counter()

    def keep_hyphen(self, left: str, right: str) -> bool:
        """Whether ``left-`` at a line end + ``right`` keeps its hyphen."""
        lm = re.search(r"([^\W\d_]+)[-\u2010]$", left)
        rm = re.match(r"([^\W\d_]+)", right)
        if not lm or not rm:
            return True  # "2016-" + "2021", "CoE-" + ...: keep
        lw, rw = lm.group(1), rm.group(1)
        if rw[0].isupper() or lw.isupper():
            return True  # "Friuli-" + "Venezia", "CoE-" + "GRETA"
        hyphenated = f"{lw}-{rw}".lower()
        joined = f"{lw}{rw}".lower()
        if self.hyph.get(hyphenated, 0) > self.words.get(joined, 0):
            return True
        if self.words.get(joined, 0) > 0:
            return False
        if lw.lower() in COMPOUND_PREFIXES:
            return True
        return False

    def join(self, texts: Sequence[str]) -> str:
        out = ""
        for raw in texts:
            text = raw.strip()
            if not text:
                continue
            if not out:
                out = text
                continue
            if out.endswith(("-", "\u2010")) and not out.endswith(("--", " -")) and text[:1].isalpha():
                if self.keep_hyphen(out, text):
                    out = out + text
                else:
                    out = out[:-1] + text
            else:
                out = out + " " + text
        return out


def join_lines(texts: Sequence[str], vocabulary: Iterable[str] = ()) -> str:
    """Join line texts into one paragraph text, joining end-of-line hyphens.

    ``vocabulary`` (other lines of the same document) tells words that are
    written with a hyphen ("follow-up") from words split at a line end.
    """
    words, hyph = _vocabulary(list(vocabulary) + list(texts))
    return _Joiner(words, hyph).join(texts)


# --- numbers -------------------------------------------------------------------------------


def paragraph_number(text: str) -> tuple[str | None, str]:
    """The paragraph number at the start of ``text`` and the text after it.

    ``"12. The Committee"`` -> ``("12", "The Committee")``; ``"118.7 Ratify"`` ->
    ``("118.7", "Ratify")``; no number -> ``(None, text)``.
    """
    m = _DOTTED_NUM.match(text)
    if m:
        return m.group(1), text[m.end(1):].lstrip(". ").lstrip()
    m = _SIMPLE_NUM.match(text)
    if m:
        return m.group(1), text[m.end(1) + 1:].lstrip()
    return None, text


def _lettered(text: str) -> str | None:
    m = LETTERED.match(text)
    if not m:
        return None
    return m.group("a") or m.group("b")


def _doubled(token: str) -> str:
    """'UNITEDUNITED' -> 'UNITED', 'AA' -> 'A' (overprinted masthead letters)."""
    n = len(token)
    if n >= 2 and n % 2 == 0 and token.isupper() and token[: n // 2] == token[n // 2:]:
        return token[: n // 2]
    return token


# --- layout statistics ---------------------------------------------------------------------


@dataclass
class _Layout:
    body_size: float
    pitch: float
    margins: dict[int, float]
    rights: dict[int, float]
    numbered_doc: bool


def _mode(values: Iterable[float], default: float) -> float:
    c = Counter(values)
    return c.most_common(1)[0][0] if c else default


def _layout(pages: Sequence[Page]) -> _Layout:
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[round(ln.size * 2) / 2] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    gaps: list[float] = []
    margins: dict[int, float] = {}
    rights: dict[int, float] = {}
    numbered = 0
    for p in pages:
        body = [ln for ln in p.lines if abs(ln.size - body_size) <= 0.75]
        for a, b in zip(body, body[1:]):
            d = b.top - a.top
            if 0.8 * body_size <= d <= 2.2 * body_size:
                gaps.append(round(d * 2) / 2)
        if body:
            margins[p.number] = _mode((round(ln.x0) for ln in body if len(ln.text) > 30), min(ln.x0 for ln in body))
            xs = sorted(ln.x1 for ln in body)
            rights[p.number] = xs[int(0.9 * (len(xs) - 1))]
        numbered += sum(1 for ln in body if _SIMPLE_NUM.match(ln.text) or _DOTTED_NUM.match(ln.text))
    pitch = _mode(gaps, body_size * 1.2) if gaps else body_size * 1.2
    return _Layout(body_size, pitch, margins, rights, numbered >= 4)


# --- the segmenter -------------------------------------------------------------------------


@dataclass
class _Block:
    kind: str
    page: int
    lines: list[Line] = field(default_factory=list)
    number: str | None = None
    items: list[list[Line]] = field(default_factory=list)  # sub-paragraphs
    level: int = 0  # headings: 1 section, 2 heading

    @property
    def last(self) -> Line:
        if self.items:
            return self.items[-1][-1]
        return self.lines[-1]


def _is_heading_line(ln: Line, lay: _Layout) -> bool:
    text = ln.text.strip()
    if not text or len(text) > 160:
        return False
    if _DOTTED_NUM.match(text) and len(text) >= 60:
        return False  # "138.159. Increase the budget ...": a recommendation in bold, as reports print some
    larger = ln.size >= lay.body_size + 0.9
    if (ln.bold or larger) and not _TERMINAL.search(text.rstrip(" 0123456789*")) or (
        (ln.bold or larger) and len(text) < 90 and not text.endswith((",", ";"))
    ):
        # a bold number alone ("12.") or a bold lead-in inside body text is not a heading
        return any(c.isalpha() for c in text)
    if ln.italic and len(text) < 90 and text[:1].isupper() and not _TERMINAL.search(text.rstrip(" 0123456789*")) \
            and not text.endswith(","):
        return True  # italic subject headings (CRC, CEDAW)
    return False


def _short_heading(block: _Block, nxt: _Block | None, lay: _Layout, page_height: float) -> bool:
    """A lone short line in body type between paragraphs that reads as a title ("Right to health")."""
    if block.kind != "body" or block.number is not None or block.items or len(block.lines) != 1:
        return False
    ln = block.lines[0]
    text = re.sub(r"(?:\s\d{1,3})+$", "", ln.text.strip())  # a footnote marker left at the end
    if not (3 <= len(text) <= 100) or not text[:1].isupper() or _TERMINAL.search(text) or text.endswith(","):
        return False
    if block.page == 1 and ln.top < 0.35 * page_height:
        return False  # masthead
    if re.search(r"\d{4}$|^(?:distr|original|page)\b", text, re.I) or sum(c.isalpha() for c in text) < 3:
        return False
    return nxt is not None and nxt.kind in ("body", "list_item") and nxt.page == block.page \
        and len(" ".join(x.text for x in nxt.lines)) > 1.5 * len(text)


def _heading_level(text: str, ln: Line, lay: _Layout) -> int:
    if _ROMAN.match(text) or ln.size >= lay.body_size + 1.9:
        return 1
    if text.isupper() and len(text) > 3 and not HEADING_MARKER.match(text):
        return 1
    return 2


def _footnote_blocks(lines: Sequence[Line], page: int) -> list[_Block]:
    out: list[_Block] = []
    for ln in lines:
        text = ln.text.strip()
        if not text or _RULE.match(text) or _CONT_MARK.match(text):
            continue
        m = _NOTE_START.match(text)
        if m or not out:
            marker = m.group("m").rstrip("/") if m else None
            out.append(_Block(kind="footnote", page=page, lines=[ln], number=marker))
        else:
            out[-1].lines.append(ln)
    return out


def _split_page(page: Page, lay: _Layout, in_notes: bool) -> tuple[list[Line], list[Line], bool]:
    """Body lines and footnote lines of a page (rule-separated or end notes)."""
    body: list[Line] = []
    foot: list[Line] = list(page.footnotes)
    below_rule = False
    for ln in page.lines:
        text = ln.text.strip()
        if _CONT_MARK.match(text):
            continue
        if _PAGE_LINE.match(text) and (ln.top < 0.15 * page.height or ln.top > 0.88 * page.height):
            continue  # "Page 3" running header the PDF layer left in
        if _RULE.match(text) and ln.top > 0.45 * page.height:
            below_rule = True
            continue
        if below_rule:
            foot.append(ln)
            continue
        if _NOTES_HEADING.match(text) and (ln.bold or ln.size >= lay.body_size - 0.5):
            in_notes = True
            body.append(ln)
            continue
        if in_notes:
            foot.append(ln)
        else:
            body.append(ln)
    return body, foot, in_notes


def _clean(text: str, ln: Line, lay: _Layout) -> str:
    if ln.size >= lay.body_size + 2 or (ln.bold and text.isupper()):
        text = " ".join(_doubled(t) for t in text.split())
    return text


def _blocks(pages: Sequence[Page], lay: _Layout) -> list[_Block]:
    blocks: list[_Block] = []
    pending_notes: list[_Block] = []
    cur: _Block | None = None
    expected: int | None = None  # next simple paragraph number
    in_notes = False

    def close() -> None:
        nonlocal cur
        if cur is not None:
            blocks.append(cur)
            cur = None

    def flush_notes() -> None:
        blocks.extend(pending_notes)
        pending_notes.clear()

    for page in pages:
        body, foot, in_notes = _split_page(page, lay, in_notes)
        margin = lay.margins.get(page.number, min((ln.x0 for ln in body), default=0.0))
        right = lay.rights.get(page.number, page.width)
        prev: Line | None = None
        prev_head = False  # whether prev was read as a heading line
        first_on_page = True
        for raw in body:
            text = _clean(raw.text.strip(), raw, lay)
            if not text:
                continue
            # a cleaned text no longer fits its markers' offsets: they are dropped
            ln = raw.replace(text=text, marks=raw.marks if text == raw.text.rstrip() else ()) \
                if text != raw.text else raw
            is_head = _is_heading_line(ln, lay)
            if is_head and prev is not None and cur is not None and cur.kind == "body" and not prev_head \
                    and ln.bold == prev.bold and abs(ln.size - prev.size) <= 0.5 \
                    and not _TERMINAL.search(prev.text) and prev.x1 >= right - 0.12 * (right - margin) \
                    and ln.top - prev.bottom <= 0.75 * ln.size:
                is_head = False  # the next line of a paragraph printed in bold, not a heading
            elif is_head and first_on_page and cur is not None and cur.kind == "body" \
                    and ln.bold == cur.last.bold and abs(ln.size - cur.last.size) <= 0.5 \
                    and not _TERMINAL.search(cur.last.text) and not HEADING_MARKER.match(text) \
                    and not (len(text.split()[0]) > 3 and text.split()[0].isupper()) \
                    and cur.last.x1 >= right - 0.12 * (right - margin):
                is_head = False  # the same, run on over a page break (India 2012, 138.67 on page 20)
            num, _rest = paragraph_number(text)
            simple = _SIMPLE_NUM.match(text)
            letter = _lettered(text)
            bullet = bool(BULLET.match(text)) and not _RULE.match(text)
            new = False
            if cur is None:
                new = True
            elif first_on_page:
                # a page break: continue the open paragraph unless this line starts another one
                last = cur.last
                finished = bool(_SENTENCE_END.search(last.text)) and last.x1 < right - 0.08 * (right - margin)
                if cur.kind == "heading" or is_head or cur.kind == "footnote":
                    new = True
                elif num is not None and (not lay.numbered_doc or simple is None or expected is None
                                          or int(num.split(".")[0]) == expected or "." in num):
                    new = True
                elif letter is not None or bullet:
                    new = cur.number is None and cur.kind != "list_item"
                    if not new:
                        cur.items.append([ln])
                        prev, prev_head = ln, is_head
                        first_on_page = False
                        continue
                elif finished and not (lay.numbered_doc and cur.number is not None and text[:1].islower()):
                    new = not (lay.numbered_doc and cur.number is not None and not is_head)
                elif ln.x0 > margin + 12 and last.x1 < right - 30:
                    new = True
                else:
                    new = False
            else:
                assert prev is not None
                d = ln.top - prev.top
                space = ln.top - prev.bottom
                big = max(ln.size, prev.size)
                if d > lay.pitch * 1.3 + 0.5 or space > 0.75 * big:
                    new = True
                elif is_head != prev_head or abs(ln.size - prev.size) > 0.9:
                    new = True
                elif is_head and cur is not None and cur.kind == "heading":
                    new = bool(HEADING_MARKER.match(text)) or ln.bold != prev.bold
                elif num is not None and _TERMINAL.search(prev.text) and (
                    simple is None or expected is None or int(num) == expected or not lay.numbered_doc
                ):
                    new = True
                elif (letter is not None or bullet) and _TERMINAL.search(prev.text):
                    new = True
                elif ln.x0 > prev.x0 + 8 and prev.x1 < right - 0.12 * (right - margin) and _TERMINAL.search(prev.text):
                    new = True
            first_on_page = False
            prev, prev_head = ln, is_head
            if not new and cur is not None:
                if cur.items:
                    cur.items[-1].append(ln)
                else:
                    cur.lines.append(ln)
                continue
            # a new block starts: sub-paragraphs stay inside their numbered paragraph
            if (letter is not None or bullet) and not is_head and cur is not None and cur.kind == "body" \
                    and cur.number is not None and (cur.items or _TERMINAL.search(cur.last.text)):
                cur.items.append([ln])
                continue
            close()
            flush_notes()
            if is_head:
                cur = _Block(kind="heading", page=page.number, lines=[ln], level=_heading_level(text, ln, lay))
            elif letter is not None or bullet:
                cur = _Block(kind="list_item", page=page.number, lines=[ln],
                             number=f"({letter})" if letter else None)
            else:
                cur = _Block(kind="body", page=page.number, lines=[ln], number=num)
                if num is not None and simple is not None:
                    expected = int(num) + 1
        pending_notes.extend(_footnote_blocks(foot, page.number))
        # a finished paragraph does not wait for the next page to release its notes
        if cur is not None and (cur.kind == "heading" or _SENTENCE_END.search(cur.last.text)):
            if not (lay.numbered_doc and cur.number is not None):
                close()
                flush_notes()
    close()
    flush_notes()
    return blocks


def _with_marks(ln: Line, fmt: str | None) -> str:
    """A line's text with its footnote markers written back in as ``fmt.format(marker)``."""
    if not fmt or not ln.marks:
        return ln.text
    text = ln.text
    for offset, marker in sorted(ln.marks, key=lambda m: -m[0]):
        if 0 <= offset <= len(text):
            text = text[:offset] + fmt.format(marker) + text[offset:]
    return text


def _text_of(block: _Block, joiner: _Joiner, marks: str | None = None) -> str:
    main = joiner.join([_with_marks(ln, marks) for ln in block.lines])
    if block.kind == "footnote" and block.number is not None:
        m = _NOTE_START.match(main)
        if m:
            main = f"{block.number} {m.group('t')}" if not main.startswith(block.number + "/") else main
    if not block.items:
        return main
    parts = [main] + [joiner.join([_with_marks(ln, marks) for ln in item]) for item in block.items]
    return "\n".join(p for p in parts if p)


def segment(pages: Sequence[Page], *, marks: str | None = None) -> list[Paragraph]:
    """Split pages into paragraphs (see the module docstring for the rules).

    Every line of ``Page.lines`` and ``Page.footnotes`` ends up in exactly one
    paragraph, in reading order, except page-continuation marks (``/...``)
    and footnote rules.

    ``marks``, a format string such as ``" [^{}]"``, writes the superscript
    footnote markers of the lines (``Line.marks``) back into the paragraph
    texts where they stood; the boundaries do not depend on it.
    """
    pages = list(pages)
    if not pages:
        return []
    all_lines = [ln.text for p in pages for ln in (*p.lines, *p.footnotes)]
    words, hyph = _vocabulary(all_lines)
    joiner = _Joiner(words, hyph)
    out: list[Paragraph] = []
    section: str | None = None
    heading: str | None = None
    lay = _layout(pages)
    blocks = _blocks(pages, lay)
    heights = {p.number: p.height for p in pages}
    for i, block in enumerate(blocks):
        if _short_heading(block, blocks[i + 1] if i + 1 < len(blocks) else None, lay,
                          heights.get(block.page, 842.0)):
            block.kind, block.level = "heading", 2
    for block in blocks:
        text = _text_of(block, joiner, marks)
        if not text.strip():
            continue
        if block.kind == "heading":
            if block.level == 1:
                section, heading = text, None
            else:
                heading = text
            number = None
            m = HEADING_MARKER.match(text)
            if m:
                number = m.group("m")
            out.append(Paragraph(seq=len(out), text=text, page=block.page, number=number,
                                 section=section, heading=heading if block.level == 2 else None, kind="heading"))
            continue
        out.append(Paragraph(seq=len(out), text=text, page=block.page, number=block.number,
                             section=section, heading=heading, kind=block.kind))
    return out


def notes(paragraphs: Sequence[Paragraph]) -> dict[str, str]:
    """Footnote marker -> footnote text (without its marker), from segmented paragraphs.

    A marker used twice (per-page ``*`` notes) keeps its first text.
    """
    out: dict[str, str] = {}
    for p in paragraphs:
        if p.kind != "footnote" or p.number is None:
            continue
        text = p.text
        m = _NOTE_START.match(text)
        if m:
            text = m.group("t")
        out.setdefault(p.number, text.strip())
    return out
