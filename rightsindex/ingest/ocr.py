"""OCR of scans and the quality of OCR text layers.

- :func:`ocr_pages` renders each page with pypdfium2 and runs the ``tesseract``
  binary (Debian's ``tesseract-ocr``; started as a subprocess) on it, then
  builds :class:`~rightsindex.records.Page` records from Tesseract's TSV output
  (word boxes grouped into lines, positions in PDF points), so the same
  parsers read scans and born-digital PDFs. Documents read this way get the
  flag ``ocr``.
- :func:`ocr_quality` scores a text layer from 0 (garbage) to 1 (clean):
  the share of word tokens that look like words of a dictionary (the lemma
  table of spacy-lookups-data when installed, else a built-in list of common
  English and UN words) and are free of odd characters. :func:`is_noisy`
  applies the threshold (:data:`NOISY_BELOW`); noisy documents get the flag
  ``noisy_ocr``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from rightsindex.errors import IngestError, NoTextLayerError
from rightsindex.records import Line, Page

__all__ = ["ocr_pages", "ocr_quality", "is_noisy", "text_layer_flags", "page_from_tsv", "tesseract_available", "NOISY_BELOW", "OCRUnavailableError"]

#: Below this quality a text layer is flagged ``noisy_ocr``.
NOISY_BELOW = 0.993


class OCRUnavailableError(NoTextLayerError):
    """--ocr was asked for but the tesseract binary is not installed."""


def tesseract_available() -> bool:
    """Whether the ``tesseract`` binary is on PATH."""
    return shutil.which("tesseract") is not None


def ocr_pages(
    path: str | Path,
    *,
    dpi: int = 200,
    lang: str = "eng",
    pages: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Page]:
    """OCR a PDF page by page (1-based ``pages`` to limit the work) -> Page records."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OCRUnavailableError(str(path), "no text layer and tesseract is not installed "
                                             "(apt-get install tesseract-ocr tesseract-ocr-eng)")
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises PdfiumError for anything it cannot open
        raise IngestError(str(path), f"cannot render PDF for OCR: {exc}") from exc
    try:
        numbers = list(pages) if pages else list(range(1, len(pdf) + 1))
        scale = dpi / 72.0
        with tempfile.TemporaryDirectory(prefix="rightsindex-ocr-") as tmp:
            for done, number in enumerate(numbers, start=1):
                page = pdf[number - 1]
                width, height = page.get_size()
                image = page.render(scale=scale).to_pil()
                page.close()
                png = Path(tmp) / f"p{number}.png"
                image.save(png)
                proc = subprocess.run(
                    [binary, str(png), "stdout", "-l", lang, "--psm", "3", "tsv"],
                    capture_output=True, text=True, check=False,
                )
                if proc.returncode != 0:
                    raise IngestError(str(path), f"tesseract failed on page {number}: "
                                                 f"{proc.stderr.strip().splitlines()[-1:] or proc.returncode}")
                png.unlink()
                yield page_from_tsv(proc.stdout, number, float(width), float(height), scale)
                if progress:
                    progress(done, len(numbers))
    finally:
        pdf.close()


def page_from_tsv(tsv: str, number: int, width: float, height: float, scale: float) -> Page:
    """A Page from Tesseract TSV output (pixel boxes divided by ``scale`` to PDF points)."""
    lines: dict[tuple[int, int, int], list[dict[str, str]]] = {}
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        if not text:
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        lines.setdefault(key, []).append(row)
    out: list[Line] = []
    for words in lines.values():
        x0 = min(int(w["left"]) for w in words) / scale
        top = min(int(w["top"]) for w in words) / scale
        x1 = max(int(w["left"]) + int(w["width"]) for w in words) / scale
        bottom = max(int(w["top"]) + int(w["height"]) for w in words) / scale
        heights = sorted(int(w["height"]) for w in words)
        size = heights[len(heights) // 2] / scale * 1.3  # cap height to an approximate font size
        text = " ".join(w["text"].strip() for w in sorted(words, key=lambda w: int(w["left"])))
        out.append(Line(text=text, x0=round(x0, 2), top=round(top, 2), x1=round(x1, 2), bottom=round(bottom, 2),
                        size=round(size * 2) / 2))
    out.sort(key=lambda ln: (round(ln.top), ln.x0))
    return Page(number=number, width=width, height=height, lines=tuple(out))


# --- quality of a text layer ---------------------------------------------------------------

_COMMON = """the of and to in a is that for on with as by be are this it at from or an was which
has have not all its their other such these were been any his her they its state states party
united nations human rights council general assembly commissioner high office report session
government national international law development women children right protection measures
committee recommendation recommendations review periodic universal working group information
excellency letter dear minister foreign affairs republic slovenia geneva please accept assurances
consideration highest implementation support cooperation mechanism civil society also would will
can should may must between within under during after before over more most new year years""".split()


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Lower-case English words: the 150,000 most frequent words of spacy-lookups-data's
    lexeme probability table when installed, else a small built-in list."""
    words = set(_COMMON)
    try:
        import spacy_lookups_data  # type: ignore[import-not-found]
    except ImportError:
        return frozenset(words)
    f = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    if f.exists():
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            table: dict[str, float] = json.load(fh)
        top = sorted(table.items(), key=lambda kv: -kv[1])[:150_000]
        words.update(k.lower() for k, _ in top if k.isalpha())
    return frozenset(words)


_TOKEN = re.compile(r"\S+")
#: Characters and shapes OCR produces and typesetting does not.
_ODD = re.compile(
    r"[{}|\\^~`\u00a6\u00ac]"  # braces, bars, carets inside words
    r"|[A-Za-z]\"[A-Za-z]"  # a straight quote inside a word
    r"|(?<![A-Za-z0-9])0[a-z]{3,}"  # "0ctober"
    r"|\d+[A-Z][a-z]\b"  # "48Ih"
    r"|[A-Z]{3,}[a-z]{1,2}[A-Z]"  # "SWlTZERLAND"
)
#: OCR confusions: what a misread letter group should have been.
_CONFUSIONS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("tm", "thr"), ("1", "l"), ("0", "o"))


def _confusion_fix(word: str, words: frozenset[str]) -> bool:
    """Whether undoing one kind of OCR confusion turns ``word`` into a dictionary word."""
    for bad, good in _CONFUSIONS:
        if bad in word:
            fixed = word.replace(bad, good)
            if fixed in words:
                return True
            for i in range(len(word)):
                if word.startswith(bad, i) and word[:i] + good + word[i + len(bad):] in words:
                    return True
    return False


def ocr_quality(pages: Sequence[Page], *, max_tokens: int = 20000) -> float:
    """1 minus the share of word tokens that carry OCR errors (0..1; 1 = clean).

    A token is an OCR error when it has shapes typesetting does not produce
    ("COMMISSA{RE", "0ctober", "48Ih", "SWlTZERLAf\"JD") or when it is an
    unknown lower-case word that becomes a dictionary word by undoing a typical
    OCR confusion ("revievv" -> "review", "governrnent" -> "government").
    Unknown words without such a fix (rare words, other languages) are not
    counted, so clean text in any Latin-script language scores near 1.
    Tokens of one or two characters and numbers are not judged.
    """
    words = _dictionary()
    judged = bad = 0
    for page in pages:
        for line in page.lines:
            for tok in _TOKEN.findall(line.text):
                core = tok.strip(".,;:()\u201c\u201d\u2018\u2019!?*-\u2013\u2014'")
                if len(core) <= 2 or core.isdigit():
                    continue
                judged += 1
                if _ODD.search(core):
                    bad += 1
                elif re.fullmatch(r"[a-z]+", core) and core not in words and _confusion_fix(core, words):
                    bad += 1
                if judged >= max_tokens:
                    break
    return 1.0 - bad / judged if judged else 1.0


def is_noisy(pages: Sequence[Page], threshold: float = NOISY_BELOW) -> bool:
    """Whether a text layer reads like bad OCR (quality below ``threshold``)."""
    return ocr_quality(pages) < threshold


def text_layer_flags(pages: Sequence[Page], *, ocr_used: bool = False) -> tuple[str, ...]:
    """Flags for ``Document.flags``: ``("ocr",)`` when we OCR'd the document,
    ``("noisy_ocr",)`` when its own text layer reads like bad OCR."""
    if ocr_used:
        return ("ocr",)
    return ("noisy_ocr",) if is_noisy(pages) else ()
