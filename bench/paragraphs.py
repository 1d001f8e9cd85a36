"""Paragraph segmentation against HURIDOCS's hand segmentation.

    python bench/paragraphs.py [--shared ../shared] [--verbose]

HURIDOCS published hand-made paragraphs for three UN PDFs, aligned across two
languages (../shared/data/huridocs/pdf_paragraph_alignment). For each PDF we
have (Italy 2009 national report EN and FR, Italy 2019 stakeholder summary EN
and RU, GA resolution 48/161 EN) this script segments the PDF with
``rightsindex.ingest.paragraphs.segment`` and compares boundaries:

- Both segmentations are mapped onto one character stream: the letters and
  digits of our paragraphs, lower-cased, in order (spaces, punctuation,
  hyphens and footnote markers do not count).
- Each gold paragraph is located in that stream (exact match, else the best
  fuzzy alignment with rapidfuzz, score >= 85); its start and end offsets are
  gold boundaries. A gold paragraph that cannot be found misses both.
- Our boundaries are the starts and ends of our paragraphs. Only those that
  fall inside or at the edge of a located gold paragraph are judged: the gold
  covers the aligned body text, not every heading or masthead line.
- A boundary matches when it is within 3 characters of a gold boundary.
  Precision, recall and F1 are computed over all documents (micro) and per
  document. Goal: F1 >= 0.95.

It also checks that the 1994 resolution's doubled masthead letters
("UNITEDUNITED", "NATIONSNATIONS") are absent from the paragraphs.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from rightsindex.ingest.paragraphs import segment  # noqa: E402
from rightsindex.ingest.pdf import read_pages  # noqa: E402

#: gold file, language key, PDF
CASES = [
    ("ohchr_2_en_fr.json", "main_language", "upr_A-HRC-WG.6-7-ITA-1_Italy_national-report_2009_EN.pdf"),
    ("ohchr_2_en_fr.json", "other_language", "upr_A-HRC-WG.6-7-ITA-1_Italy_national-report_2009_FR.pdf"),
    ("ohchr_1_en_ru.json", "main_language", "upr_A-HRC-WG.6-34-ITA-3_Italy_stakeholders-summary_2019_EN.pdf"),
    ("ohchr_1_en_ru.json", "other_language", "upr_A-HRC-WG.6-34-ITA-3_Italy_stakeholders-summary_2019_RU.pdf"),
    ("plan_2_en_fr.json", "main_language", "ga_A-RES-48-161_resolution_1994_EN.pdf"),
]
TOLERANCE = 3


def norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def locate(gold: str, stream: str, start_hint: int) -> tuple[int, int] | None:
    """Offsets of a normalised gold paragraph in the stream."""
    if not gold:
        return None
    i = stream.find(gold, start_hint)
    if i < 0:
        i = stream.find(gold)
    if i >= 0:
        return i, i + len(gold)
    # fuzzy: search a window after the hint first, then everywhere
    for lo, hi in ((max(0, start_hint - 2000), start_hint + 6 * len(gold) + 4000), (0, len(stream))):
        window = stream[lo:hi]
        if not window:
            continue
        al = fuzz.partial_ratio_alignment(gold, window, score_cutoff=85)
        if al is not None:
            return lo + al.dest_start, lo + al.dest_end
    return None


def evaluate(gold_paras: list[str], ours: list[str]) -> dict:
    pieces = [norm(t) for t in ours]
    stream = "".join(pieces)
    bounds: list[int] = []
    pos = 0
    for p in pieces:
        if not p:
            continue
        bounds.append(pos)
        pos += len(p)
        bounds.append(pos)
    ours_b = sorted(set(bounds))
    seen: set[str] = set()
    gold_b: set[int] = set()
    intervals: list[tuple[int, int]] = []
    missing = 0
    hint = 0
    for g in gold_paras:
        ng = norm(g)
        if not ng or ng in seen:
            continue
        seen.add(ng)
        loc = locate(ng, stream, hint)
        if loc is None:
            missing += 1
            gold_b.add(-10_000 - missing * 10)  # two boundaries that nothing can match
            gold_b.add(-10_005 - missing * 10)
            continue
        s, e = loc
        hint = e
        intervals.append((s, e))
        gold_b.update((s, e))
    gold_sorted = sorted(b for b in gold_b if b >= 0)

    def near(b: int, pool: list[int]) -> bool:
        k = bisect.bisect_left(pool, b - TOLERANCE)
        return k < len(pool) and pool[k] <= b + TOLERANCE

    judged = [b for b in ours_b if any(s - TOLERANCE <= b <= e + TOLERANCE for s, e in intervals)]
    tp_p = sum(1 for b in judged if near(b, gold_sorted))
    tp_r = sum(1 for b in gold_b if b >= 0 and near(b, ours_b))
    return {
        "gold_paragraphs": len(seen),
        "not_found": missing,
        "ours": len(ours),
        "judged": len(judged),
        "tp_p": tp_p,
        "tp_r": tp_r,
        "gold_boundaries": len(gold_b),
    }


def prf(tp_p: int, judged: int, tp_r: int, gold: int) -> tuple[float, float, float]:
    p = tp_p / judged if judged else 0.0
    r = tp_r / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--verbose", action="store_true", help="print unmatched gold boundaries")
    args = ap.parse_args()
    shared = Path(args.shared) / "data"
    gold_dir = shared / "huridocs" / "pdf_paragraph_alignment"
    if not gold_dir.exists():
        print(f"needs {gold_dir} (../shared is absent)")
        return 2
    totals = {"tp_p": 0, "judged": 0, "tp_r": 0, "gold_boundaries": 0}
    print(f"{'document':64} {'gold':>5} {'miss':>4} {'ours':>5} {'P':>6} {'R':>6} {'F1':>6} {'s':>5}")
    masthead_leak = False
    for gold_file, key, pdf_name in CASES:
        data = json.loads((gold_dir / gold_file).read_text(encoding="utf-8"))
        gold_paras = [p[key] for p in data["paragraphs"]]
        t0 = time.perf_counter()
        pages = list(read_pages(shared / "pdf" / pdf_name))
        paras = segment(pages)
        dt = time.perf_counter() - t0
        texts = [p.text for p in paras]
        if "resolution" in pdf_name and any(
            w in t for t in texts for w in ("UNITEDUNITED", "NATIONSNATIONS", "AA NATIONS")
        ):
            masthead_leak = True
        r = evaluate(gold_paras, texts)
        for k in totals:
            totals[k] += r[k]
        p_, r_, f_ = prf(r["tp_p"], r["judged"], r["tp_r"], r["gold_boundaries"])
        print(f"{pdf_name[:64]:64} {r['gold_paragraphs']:5d} {r['not_found']:4d} {r['ours']:5d} "
              f"{p_:6.3f} {r_:6.3f} {f_:6.3f} {dt:5.1f}")
        if args.verbose:
            _explain(gold_paras, texts)
    p_, r_, f_ = prf(totals["tp_p"], totals["judged"], totals["tp_r"], totals["gold_boundaries"])
    print(f"{'ALL (micro)':64} {'':5} {'':4} {'':5} {p_:6.3f} {r_:6.3f} {f_:6.3f}")
    print(f"boundary F1 {f_:.3f} (goal >= 0.95): {'met' if f_ >= 0.95 else 'NOT met'}")
    print(f"doubled masthead letters in the 1994 resolution's text: {'LEAKED' if masthead_leak else 'none'}")
    return 0


def _explain(gold_paras: list[str], ours: list[str]) -> None:
    """Print gold paragraphs whose boundaries we missed and our extra splits."""
    ours_n = {norm(t) for t in ours}
    for g in gold_paras:
        if norm(g) not in ours_n:
            best = max(ours, key=lambda t: fuzz.ratio(norm(t)[:200], norm(g)[:200]))
            print(f"    GOLD  {g[:110]!r}")
            print(f"    OURS  {best[:110]!r}")


if __name__ == "__main__":
    raise SystemExit(main())
