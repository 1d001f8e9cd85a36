"""The PDF layer: pages of positioned lines, engine independent.

``read_pages(path)`` streams :class:`~rightsindex.records.Page` records, one per
PDF page, built from the words pdfplumber finds (with their font name and size):

- words are grouped into lines (vertical overlap), each line with its box, its
  dominant font size and whether it is mostly bold or italic; superscript
  footnote markers inside a line are taken out of its text and kept in
  ``Line.marks`` as (character offset, marker text);
- running headers and footers (document symbols such as ``A/HRC/28/15``, UN job
  numbers ``GE.14-24125 (E)``, page numbers, "Please recycle", barcodes) are
  removed from ``Page.lines`` and kept, as text, in ``Page.headers``;
- footnotes (smaller type below the body text at the foot of the page, starting
  with a marker) go to ``Page.footnotes``;
- two-column pages are read column by column.

Nothing from pdfplumber leaves this module, so another engine (pypdfium2) can
feed the same parsers later. Each pdfplumber page is closed after use, so the
memory needed does not grow with the number of pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rightsindex.errors import (
    CorruptedPDFError,
    EmptyFileError,
    EncryptedPDFError,
    NotAPDFError,
)
from rightsindex.records import Line, Page

__all__ = ["read_pages", "page_count", "sha256_file", "has_text_layer", "ENGINES"]

ENGINES = ("pdfplumber", "pypdfium2")

# --- running headers and footers -------------------------------------------------

#: UN document symbols: A/HRC/28/15, A/HRC/WG.6/7/SVN/1, E/C.12/GBR/CO/6, CRC/C/15/Add.1 ...
_SYMBOL = re.compile(
    r"^(?:A|E|S|CRC|CEDAW|CCPR|CERD|CAT|CRPD|CMW|CED|HRI|ST|A/HRC|CCPR)"
    r"(?:/[A-Za-z0-9.\-]+){1,7}\**(?:\s*\(.*\))?$"
)
_JOB = re.compile(r"^GE\.\s?\d{2}[-\u2010-\u2014]\d{4,6}\b.*$")
_PAGE_NO = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?$|^[-\u2013]\s*\d{1,4}\s*[-\u2013]$", re.I)
_RECYCLE = re.compile(r"^please\s+recycle", re.I)
_BARCODE = re.compile(r"^\*[0-9A-Z]{6,}\*$")
#: A symbol and a page number on one running line: "A/HRC/28/15 3" or "3 A/HRC/28/15".
_SYMBOL_AND_PAGE = re.compile(r"^(?:\d{1,4}\s+)?(\S+)(?:\s+\d{1,4})?$")

_FOOTNOTE_MARKER = re.compile(r"^(?:\d{1,3}|[*\u2020\u2021\u00a7]+|\([a-z0-9]\))(?:\s|$|[A-Za-z\u201c\"])")


def _is_running(text: str, fontname: str, top_of_page: bool = True) -> bool:
    """Whether a line at the top or bottom of a page is a running header/footer."""
    t = text.strip()
    if not t:
        return True
    if "C39" in fontname or "Barcode" in fontname or _BARCODE.match(t.replace(" ", "")):
        return True
    if _JOB.match(t) or _PAGE_NO.match(t) or _RECYCLE.match(t):
        return True
    if t.endswith("."):
        return False
    m = _SYMBOL_AND_PAGE.match(t)
    if top_of_page and m and _SYMBOL.match(m.group(1).replace(" ", "")):
        return True
    if _SYMBOL.match(t.replace(" ", "")):
        return True
    return False


# --- building lines from words ----------------------------------------------------


@dataclass
class _Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    fontname: str


@dataclass
class _LineBuild:
    words: list[_Word] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0

    def add(self, w: _Word) -> None:
        if not self.words:
            self.top, self.bottom = w.top, w.bottom
        else:
            self.top = min(self.top, w.top)
            self.bottom = max(self.bottom, w.bottom)
        self.words.append(w)


def _bold(fontname: str) -> bool:
    f = fontname.lower()
    return any(k in f for k in ("bold", "black", "heavy", "semibold", "demi", ",bd", "-bd"))


def _italic(fontname: str) -> bool:
    f = fontname.lower()
    return "italic" in f or "oblique" in f or f.endswith(",it") or "-it" in f


def _group_lines(words: list[_Word]) -> list[_LineBuild]:
    """Group words into lines by vertical overlap (superscripts join their line)."""
    words = sorted(words, key=lambda w: (w.top, w.x0))
    lines: list[_LineBuild] = []
    for w in words:
        h = max(w.bottom - w.top, 0.1)
        best = None
        best_ratio = 0.0
        for ln in reversed(lines[-6:]):
            overlap = min(ln.bottom, w.bottom) - max(ln.top, w.top)
            if overlap <= 0:
                continue
            ratio = overlap / min(h, max(ln.bottom - ln.top, 0.1))
            if ratio > best_ratio:
                best, best_ratio = ln, ratio
        if best is not None and best_ratio >= 0.5:
            best.add(w)
        else:
            nl = _LineBuild()
            nl.add(w)
            lines.append(nl)
    return lines


def _split_wide_gaps(ln: _LineBuild, width: float) -> list[list[_Word]]:
    """Split a line where its words are far apart (masthead, side by side blocks)."""
    ws = sorted(ln.words, key=lambda w: w.x0)
    parts: list[list[_Word]] = [[ws[0]]]
    for w in ws[1:]:
        if w.x0 - parts[-1][-1].x1 > 0.15 * width:
            parts.append([w])
        else:
            parts[-1].append(w)
    return parts


def _make_line(ws: list[_Word], kind: str = "body") -> tuple[Line, str]:
    """A Line from words in reading order; returns it with its dominant font name."""
    weights: dict[float, int] = {}
    fonts: dict[str, int] = {}
    for w in ws:
        n = len(w.text)
        weights[round(w.size, 1)] = weights.get(round(w.size, 1), 0) + n
        fonts[w.fontname] = fonts.get(w.fontname, 0) + n
    size = max(weights.items(), key=lambda kv: kv[1])[0]
    font = max(fonts.items(), key=lambda kv: kv[1])[0]
    # baseline of the line's body-sized words; superscripts sit above it
    base = max((w.bottom for w in ws if w.size >= size - 0.5), default=max(w.bottom for w in ws))
    kept: list[_Word] = []
    dropped: dict[int, list[str]] = {}  # index in kept before which markers stood -> their texts
    for i, w in enumerate(ws):
        sup = w.size < 0.8 * size and w.bottom < base - 0.2 * size
        marker = w.text.strip("*\u2020\u2021,").isdigit() or w.text.strip() in ("*", "\u2020", "\u2021")
        if sup and i > 0 and marker:
            # superscript footnote reference inside running text: out of the text, into marks
            dropped.setdefault(len(kept), []).append(w.text)
            continue
        kept.append(w)
    if not kept:
        kept, dropped = ws, {}
    parts: list[str] = []
    marks: list[tuple[int, str]] = []
    length = 0
    prev: _Word | None = None
    for k, w in enumerate(kept):
        for t in dropped.get(k, ()):
            marks.extend(_marker_texts(length, t))
        if prev is not None:
            gap = w.x0 - prev.x1
            sep = "" if gap < 0.12 * min(size, w.size or size) else " "
            parts.append(sep)
            length += len(sep)
        parts.append(w.text)
        length += len(w.text)
        prev = w
    for t in dropped.get(len(kept), ()):
        marks.extend(_marker_texts(length, t))
    text = "".join(parts)
    bold_chars = sum(len(w.text) for w in kept if _bold(w.fontname))
    ital_chars = sum(len(w.text) for w in kept if _italic(w.fontname))
    total = sum(len(w.text) for w in kept) or 1
    line = Line(
        text=text,
        x0=round(min(w.x0 for w in ws), 2),
        top=round(min(w.top for w in ws), 2),
        x1=round(max(w.x1 for w in ws), 2),
        bottom=round(max(w.bottom for w in ws), 2),
        size=float(size),
        bold=bold_chars * 2 > total,
        italic=ital_chars * 2 > total,
        kind=kind,
        marks=tuple(marks),
    )
    return line, font


def _marker_texts(offset: int, text: str) -> list[tuple[int, str]]:
    """Marks for one superscript word: "22," -> [(offset, "22")]; "3,4" -> two marks."""
    out = []
    for t in re.split(r"[,\s]+", text):
        if t:
            out.append((offset, t))
    return out


def _find_gutter(words: list[_Word], width: float) -> float | None:
    """x of the gap between two text columns, or None for a one-column page."""
    if len(words) < 40:
        return None
    lo, hi = 0.3 * width, 0.7 * width
    step = 2.0
    nbins = int((hi - lo) / step) + 1
    counts = [0] * nbins
    for w in words:
        a = max(0, int((w.x0 - lo) / step))
        b = min(nbins - 1, int((w.x1 - lo) / step))
        for i in range(a, b + 1):
            counts[i] += 1
    limit = max(1, int(0.01 * len(words)))
    best_len, best_mid = 0, None
    run = 0
    for i, c in enumerate(counts + [limit + 1]):
        if c <= limit:
            run += 1
        else:
            if run > best_len:
                best_len, best_mid = run, lo + (i - run / 2) * step
            run = 0
    if best_mid is None or best_len * step < 8:
        return None
    left = sum(1 for w in words if w.x1 <= best_mid)
    right = sum(1 for w in words if w.x0 >= best_mid)
    if left < 0.25 * len(words) or right < 0.25 * len(words):
        return None
    # both columns must be real text columns, not a table's or contents' number column
    x_min = min(w.x0 for w in words)
    x_max = max(w.x1 for w in words)
    if best_mid - x_min < 0.3 * (x_max - x_min) or x_max - best_mid < 0.3 * (x_max - x_min):
        return None
    # the columns must each have many lines sharing the same vertical positions
    ltops = {round(w.top) for w in words if w.x1 <= best_mid}
    rtops = {round(w.top) for w in words if w.x0 >= best_mid}
    shared = len(ltops & rtops)
    if shared < 0.4 * min(len(ltops), len(rtops)) or shared < 8:
        return None
    return best_mid


def _order_columns(lines: list[tuple[Line, str]], gutter: float) -> list[tuple[Line, str]]:
    """Reading order for a two-column page: bands split by full-width lines, left then right."""
    out: list[tuple[Line, str]] = []
    left: list[tuple[Line, str]] = []
    right: list[tuple[Line, str]] = []

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    for item in sorted(lines, key=lambda it: (it[0].top, it[0].x0)):
        ln = item[0]
        if ln.x1 <= gutter + 1:
            left.append(item)
        elif ln.x0 >= gutter - 1:
            right.append(item)
        else:
            flush()
            out.append(item)
    flush()
    return out


def _page_from_words(
    number: int, width: float, height: float, words: list[_Word], rules: Sequence[float] = ()
) -> Page:
    """Engine-independent part: words with fonts (and the tops of short horizontal rules,
    the separator UN documents draw above footnotes) -> a Page record."""
    if not words:
        return Page(number=number, width=width, height=height)
    gutter = _find_gutter(
        [w for w in words if 0.08 * height < w.top < 0.9 * height], width
    )
    built: list[tuple[Line, str]] = []
    if gutter is not None:
        lw = [w for w in words if w.x1 <= gutter]
        rw = [w for w in words if w.x0 >= gutter]
        cw = [w for w in words if w.x1 > gutter and w.x0 < gutter]
        groups = [_group_lines(lw), _group_lines(rw), _group_lines(cw)]
        for g in groups:
            for ln in g:
                built.append(_make_line(sorted(ln.words, key=lambda w: w.x0)))
        # a "line" from cw overlapping left/right fragments at the same height: keep as is
        built = _order_columns(built, gutter)
    else:
        for ln in _group_lines(words):
            for part in _split_wide_gaps(ln, width):
                built.append(_make_line(part))
        built.sort(key=lambda it: (round(it[0].top), it[0].x0))

    headers: list[str] = []
    body: list[Line] = []
    top_zone, bottom_zone = 0.11 * height, 0.84 * height
    for line, font in built:
        if line.bottom <= top_zone and _is_running(line.text, font, True):
            headers.append(line.text)
            continue
        if line.top >= bottom_zone and _is_running(line.text, font, False):
            headers.append(line.text)
            continue
        body.append(line)

    # footnotes: a block of smaller type at the foot of the page, starting with a marker
    footnotes: list[Line] = []
    rule = max((r for r in rules if r > 0.4 * height), default=None)
    if body and rule is not None:
        # lines below the footnote separator, the first one starting with a marker
        below = sorted((i for i, ln in enumerate(body) if ln.top >= rule - 1), key=lambda i: body[i].top)
        if below and _FOOTNOTE_MARKER.match(body[below[0]].text):
            chosen = set(below)
            footnotes = [ln.replace(kind="footnote") for i, ln in enumerate(body) if i in chosen]
            body = [ln for i, ln in enumerate(body) if i not in chosen]
    if body and not footnotes:
        sizes: dict[float, int] = {}
        for ln in body:
            sizes[ln.size] = sizes.get(ln.size, 0) + len(ln.text)
        body_size = max(sizes.items(), key=lambda kv: kv[1])[0]
        # only lines below the last body-size line can be footnotes
        last_body = max(
            (i for i, ln in enumerate(body) if ln.size >= body_size - 0.25 and ln.bottom < 0.95 * height),
            key=lambda i: body[i].bottom,
            default=-1,
        )
        limit_bottom = body[last_body].bottom if last_body >= 0 else 0.0
        cands = [
            i for i, ln in enumerate(body)
            if ln.size <= body_size - 0.75 and ln.top >= limit_bottom - 0.5 and ln.top > 0.4 * height
        ]
        if cands:
            cands.sort(key=lambda i: body[i].top)
            start = next((k for k, i in enumerate(cands) if _FOOTNOTE_MARKER.match(body[i].text)), None)
            if start is not None:
                chosen = set(cands[start:])
                footnotes = [ln.replace(kind="footnote") for i, ln in enumerate(body) if i in chosen]
                footnotes.sort(key=lambda ln: (ln.top, ln.x0))
                body = [ln for i, ln in enumerate(body) if i not in chosen]
    return Page(
        number=number,
        width=float(width),
        height=float(height),
        lines=tuple(body),
        footnotes=tuple(footnotes),
        headers=tuple(headers),
    )


# --- files ----------------------------------------------------------------------------


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (the identity of a document)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


#: An indirect object's header: "12 0 obj".
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")


def _check_file(path: Path) -> None:
    if not path.exists():
        raise NotAPDFError(str(path), "file not found")
    if path.is_dir():
        raise NotAPDFError(str(path), "is a directory, not a PDF file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(str(path), "empty file (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPDFError(str(path), "not a PDF (no %PDF- signature at the start of the file)")
    if not _has_objects(path):
        # pdfminer would search the whole file for a structure before giving up (minutes at 50 MB)
        raise CorruptedPDFError(str(path), "corrupted PDF: a %PDF- header but no PDF object in the file")


def _has_objects(path: Path) -> bool:
    """Whether the file holds at least one PDF object ("12 0 obj"): a header followed by
    nothing or by zeros does not."""
    import mmap

    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return _OBJ.search(data) is not None


def _open(path: Path):  # -> pdfplumber.PDF
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps pdfminer errors in PdfminerException
        raise _translate(path, exc) from exc
    try:
        n = len(pdf.pages)
    except Exception as exc:
        pdf.close()
        raise _translate(path, exc) from exc
    if n == 0:
        pdf.close()
        raise CorruptedPDFError(str(path), "corrupted PDF: no readable pages (broken cross-reference table?)")
    return pdf


def _translate(path: Path, exc: BaseException) -> Exception:
    """Map an engine error to a domain error with a one-line reason."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    chain: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 6:
        chain.append(e)
        e = e.__cause__ or e.__context__
        if e is None and chain[-1].args and isinstance(chain[-1].args[0], BaseException):
            e = chain[-1].args[0]
    for e in chain:
        if isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(e).lower() \
                or "encrypt" in type(e).__name__.lower():
            return EncryptedPDFError(str(path), "encrypted PDF; decrypt it (e.g. qpdf --decrypt) and ingest the copy")
    msg = " ".join(str(exc).split())[:160] or type(exc).__name__
    return CorruptedPDFError(str(path), f"corrupted PDF: {msg}")


def page_count(path: str | Path) -> int:
    """Number of pages of a PDF (raises the same errors as :func:`read_pages`)."""
    p = Path(path)
    _check_file(p)
    pdf = _open(p)
    try:
        return len(pdf.pages)
    finally:
        pdf.close()


def read_pages(path: str | Path, *, engine: str = "pdfplumber",
               on_page: Callable[[int, int], None] | None = None) -> Iterator[Page]:
    """Stream the pages of a PDF as :class:`Page` records; ``on_page(n, pages)`` before the n-th
    is given (a long report's progress).

    Raises :class:`NotAPDFError`, :class:`EmptyFileError`,
    :class:`EncryptedPDFError` or :class:`CorruptedPDFError` naming the file.
    Errors found while opening are raised at the first ``next()``; a page that
    cannot be parsed later raises :class:`CorruptedPDFError` then.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {', '.join(ENGINES)}")
    p = Path(path)
    _check_file(p)
    if engine == "pypdfium2":
        yield from _pdfium_pages(p, on_page)
        return
    pdf = _open(p)
    try:
        for index, page in enumerate(pdf.pages):
            if on_page is not None:
                on_page(index + 1, len(pdf.pages))
            try:
                words = _plumber_words(page)
                width, height = float(page.width), float(page.height)
                rules = _plumber_rules(page)
            except Exception as exc:  # pdfminer raises many types on broken content streams
                raise _translate(p, exc) from exc
            finally:
                page.close()
            yield _page_from_words(index + 1, width, height, words, rules)
    finally:
        pdf.close()


def _plumber_words(page) -> list[_Word]:
    """Words with font name and size from a pdfplumber page."""
    return _chars_to_words(page.chars)


def _plumber_rules(page) -> list[float]:
    """Tops of short horizontal rules (footnote separators) on a pdfplumber page."""
    out = []
    for o in list(page.rects) + list(page.lines):
        w = float(o["x1"]) - float(o["x0"])
        h = float(o["bottom"]) - float(o["top"])
        if 30 <= w <= 260 and h <= 1.5:
            out.append(float(o["top"]))
    return out


def _dedupe_chars(chars: list[dict]) -> list[dict]:
    """Drop overprinted copies of a glyph: fake bold (the same glyph drawn twice ~0.5 pt
    apart) and drop shadows (copies shifted by a point or two)."""
    seen: dict[tuple, list[tuple[float, float]]] = {}
    out = []
    for c in chars:
        size = float(c["size"])
        tol = max(1.5, 0.08 * size)
        x0, top = float(c["x0"]), float(c["top"])
        row = int(top // 4)
        dup = False
        for r in (row - 1, row, row + 1):
            for x, t in seen.get((c["text"], round(size), r), ()):
                if abs(x - x0) <= tol and abs(t - top) <= tol:
                    dup = True
                    break
            if dup:
                break
        if dup:
            continue
        seen.setdefault((c["text"], round(size), row), []).append((x0, top))
        out.append(c)
    return out


def _chars_to_words(chars: list[dict]) -> list[_Word]:
    """Group positioned glyphs into words (split at spaces, gaps, font or size changes)."""
    chars = _dedupe_chars([c for c in chars if c.get("upright", True)])
    for i, c in enumerate(chars):
        if c["text"].startswith("(cid:"):  # a glyph without Unicode mapping: dingbat bullets mostly
            chars[i] = {**c, "text": "\u2022"}
    chars.sort(key=lambda c: (c["top"], c["x0"]))
    # rows: glyphs whose tops are within 3 pt (superscripts form their own words)
    rows: list[list[dict]] = []
    row_top = None
    for c in chars:
        if row_top is None or c["top"] - row_top > 3:
            rows.append([c])
            row_top = c["top"]
        else:
            rows[-1].append(c)
    words: list[_Word] = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        cur: list[dict] = []
        for c in row:
            t = c["text"]
            if not t or t.isspace():
                if cur:
                    words.append(_word(cur))
                    cur = []
                continue
            if cur:
                prev = cur[-1]
                gap = c["x0"] - prev["x1"]
                if (
                    gap > 0.2 * min(prev["size"], c["size"]) + 0.3
                    or gap < -0.5 * prev["size"]
                    or c["fontname"] != prev["fontname"]
                    or abs(c["size"] - prev["size"]) > 0.3
                ):
                    words.append(_word(cur))
                    cur = []
            cur.append(c)
        if cur:
            words.append(_word(cur))
    return words


def _word(cs: list[dict]) -> _Word:
    fontname = str(cs[0]["fontname"])
    if "+" in fontname[:8]:
        fontname = fontname.split("+", 1)[1]
    return _Word(
        text="".join(c["text"] for c in cs),
        x0=float(cs[0]["x0"]),
        top=float(min(c["top"] for c in cs)),
        x1=float(cs[-1]["x1"]),
        bottom=float(max(c["bottom"] for c in cs)),
        size=float(cs[0]["size"]),
        fontname=fontname,
    )


# --- pypdfium2 ----------------------------------------------------------------------


def _pdfium_open(path: Path):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedPDFError(str(path), "encrypted PDF; decrypt it (e.g. qpdf --decrypt) and ingest the copy") from exc
        raise CorruptedPDFError(str(path), f"corrupted PDF: {' '.join(msg.split())[:160]}") from exc
    if len(pdf) == 0:
        pdf.close()
        raise CorruptedPDFError(str(path), "corrupted PDF: no readable pages (broken cross-reference table?)")
    return pdf


def _pdfium_pages(path: Path, on_page: Callable[[int, int], None] | None = None) -> Iterator[Page]:
    """Pages through pypdfium2 (PDFium): the same Page records, several times faster."""
    import ctypes

    import pypdfium2.raw as raw

    pdf = _pdfium_open(path)
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    matrix = raw.FS_MATRIX()
    try:
        for index in range(len(pdf)):
            if on_page is not None:
                on_page(index + 1, len(pdf))
            page = pdf[index]
            try:
                width, height = float(page.get_width()), float(page.get_height())
                textpage = page.get_textpage()
                chars: list[dict] = []
                prev: dict | None = None
                try:
                    for i in range(textpage.count_chars()):
                        code = raw.FPDFText_GetUnicode(textpage.raw, i)
                        if code == 2:  # PDFium's mark for a hyphen at a line end
                            code = 0x2D
                        text = chr(code) if code else ""
                        if not text or text.isspace() or code < 32:
                            if prev is not None and text in (" ", "\u00a0"):
                                # a space (in the PDF or inferred by PDFium): a word separator on this line
                                chars.append({**prev, "text": " ", "x0": prev["x1"], "x1": prev["x1"] + 0.01})
                            continue
                        left, bottom, right, top = textpage.get_charbox(i, loose=True)
                        raw.FPDFText_GetFontInfo(textpage.raw, i, buf, 256, ctypes.byref(flags))
                        size = raw.FPDFText_GetFontSize(textpage.raw, i)
                        if raw.FPDFText_GetMatrix(textpage.raw, i, ctypes.byref(matrix)):
                            # the nominal size times the text matrix's vertical scale
                            size *= (matrix.c * matrix.c + matrix.d * matrix.d) ** 0.5
                        prev = {
                            "text": text,
                            "x0": float(left),
                            "x1": float(right),
                            "top": height - float(top),
                            "bottom": height - float(bottom),
                            "size": round(float(size), 1),
                            "fontname": buf.value.decode("utf-8", "replace"),
                            "upright": True,
                        }
                        chars.append(prev)
                finally:
                    textpage.close()
                rules = _pdfium_rules(page, height)
            finally:
                page.close()
            yield _page_from_words(index + 1, width, height, _chars_to_words(chars), rules)
    finally:
        pdf.close()


def _pdfium_rules(page, height: float) -> list[float]:
    """Tops of short horizontal rules (footnote separators) among a PDFium page's path objects."""
    import pypdfium2.raw as raw

    out = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        if 30 <= right - left <= 260 and top - bottom <= 1.5:
            out.append(height - float(top))
    return out


def has_text_layer(pages: Sequence[Page], *, min_chars: int = 20) -> bool:
    """Whether the pages carry a text layer (a scan without OCR has none)."""
    total = 0
    for page in pages:
        total += sum(len(ln.text.strip()) for ln in page.lines)
        total += sum(len(ln.text.strip()) for ln in page.footnotes)
        if total >= min_chars:
            return True
    return False
