"""Ingest speed and memory, against bare text extraction measured in the same run.

Inputs: the 12 UPR working-group reports of ../shared/data/pdf and the Slovenia
addendum (A/HRC/28/15/Add.1). Figures printed:

- pdfplumber ``page.extract_text()`` over every page (one process): the baseline;
- pypdfium2 ``textpage.get_text_range()`` over every page: the yardstick of a fast engine;
- a full ``ingest_paths`` into a fresh corpus, ``jobs=1`` and ``jobs=2`` (our PDF
  layer, identification, family extractors, SQLite writes; tagging and indexing off),
  ``jobs=1`` with the pypdfium2 engine of the PDF layer, and ``jobs=1`` read in a watched
  worker process (``timeout``, as the CLI does by default) against reading in this process;
- the ratio of our one-process time to bare pdfplumber (goal: at most 1.5) and the
  ``jobs=2`` speedup over ``jobs=1`` (goal: at least 1.7);
- peak resident memory of ingesting the 181-page HRC session report (A/HRC/43/2),
  measured in a fresh subprocess (goal: under 400 MB).

    python bench/ingest.py [--repeat N]

Single runs on a shared two-core machine: differences under ~15% are noise;
``--repeat`` runs N interleaved rounds and keeps the fastest run of each measurement.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightsindex.ingest import ingest_paths  # noqa: E402

SHARED = Path(os.environ.get("RIGHTSINDEX_SHARED", ROOT.parent / "shared"))
PDF_DIR = SHARED / "data" / "pdf"
SESSION_REPORT = "hrc_A-HRC-43-2_HRC-43rd-session-report_2020.pdf"


def upr_pdfs() -> list[Path]:
    reports = sorted(PDF_DIR.glob("upr_A-HRC-*_WG-report_*.pdf"))
    addendum = sorted(PDF_DIR.glob("upr_A-HRC-28-15-Add.1_*.pdf"))
    return reports + addendum


def plumber_extract_text(paths: list[Path]) -> tuple[int, float]:
    import pdfplumber

    pages = 0
    t0 = time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages, time.perf_counter() - t0


def pdfium_text(paths: list[Path]) -> tuple[int, float]:
    import pypdfium2 as pdfium

    pages = 0
    t0 = time.perf_counter()
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return pages, time.perf_counter() - t0


def ours(paths: list[Path], jobs: int, engine: str = "pdfplumber",
         timeout: float | None = None) -> tuple[int, float, int]:
    with tempfile.TemporaryDirectory(prefix="rightsindex-bench-") as tmp:
        t0 = time.perf_counter()
        results = ingest_paths(paths, Path(tmp) / "corpus", jobs=jobs, engine=engine, timeout=timeout)
        elapsed = time.perf_counter() - t0
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise SystemExit(f"ingest failed: {failed[0].path}: {failed[0].reason}")

    recs = sum(r.recommendations for r in results)
    return len(results), elapsed, recs


_RSS_CHILD = """
import resource, sys, tempfile
from pathlib import Path
from rightsindex.ingest import ingest_paths
with tempfile.TemporaryDirectory() as tmp:
    results = ingest_paths([sys.argv[1]], Path(tmp) / "corpus", jobs=1)
assert results[0].status == "added", (results[0].status, results[0].reason)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, results[0].paragraphs)
"""


def peak_rss_mb(path: Path) -> tuple[float, str]:
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(path)],
        capture_output=True, text=True, check=True, cwd=str(ROOT),
    )
    kb, paragraphs = proc.stdout.split()
    return int(kb) / 1024, paragraphs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="keep the fastest of N runs")
    parser.add_argument("--skip-rss", action="store_true", help="skip the peak-memory measurement")
    args = parser.parse_args()
    paths = upr_pdfs()
    if len(paths) < 13:
        print(f"needs the 12 working-group reports and the addendum in {PDF_DIR} (found {len(paths)})")
        return 2
    print(f"{len(paths)} PDFs: {', '.join(p.name.split('_')[1] for p in paths)}")

    # interleaved rounds, the fastest of each kept: load changes on a shared machine hit all alike
    runs: dict[str, list[tuple]] = {}
    for _ in range(args.repeat):
        runs.setdefault("plumber", []).append(plumber_extract_text(paths))
        runs.setdefault("one", []).append(ours(paths, 1))
        runs.setdefault("watched", []).append(ours(paths, 1, timeout=600))
        runs.setdefault("two", []).append(ours(paths, 2))
        runs.setdefault("pdfium", []).append(pdfium_text(paths))
        runs.setdefault("fast", []).append(ours(paths, 1, "pypdfium2"))
    n_pages, t_plumber = min(runs["plumber"], key=lambda r: r[1])
    _, t_pdfium = min(runs["pdfium"], key=lambda r: r[1])
    _, t_one, recs = min(runs["one"], key=lambda r: r[1])
    _, t_two, _ = min(runs["two"], key=lambda r: r[1])
    _, t_watched, _ = min(runs["watched"], key=lambda r: r[1])
    _, t_fast, recs_fast = min(runs["fast"], key=lambda r: r[1])
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; figures are noisy above ~2)")

    print(f"pages: {n_pages}")
    print(f"pdfplumber extract_text (1 process): {t_plumber:7.1f} s  {n_pages / t_plumber:7.1f} pages/s")
    print(f"pypdfium2 get_text_range (yardstick): {t_pdfium:7.2f} s  {n_pages / t_pdfium:7.1f} pages/s")
    print(f"rightsindex ingest --jobs 1:          {t_one:7.1f} s  {n_pages / t_one:7.1f} pages/s "
          f"({recs} recommendations stored)")
    print(f"rightsindex ingest --jobs 2:          {t_two:7.1f} s  {n_pages / t_two:7.1f} pages/s")
    print(f"ingest --jobs 1 in a watched worker (--timeout 600, the CLI's default): {t_watched:7.1f} s; "
          f"its cost over reading in this process: {t_watched / t_one:.2f}  (goal <= 1.05)")
    print(f"rightsindex ingest --jobs 1 --engine pypdfium2: {t_fast:7.1f} s  {n_pages / t_fast:7.1f} pages/s "
          f"({recs_fast} recommendations stored)")
    print(f"cost ratio, ingest --jobs 1 / bare extract_text: {t_one / t_plumber:.2f}  (goal <= 1.5)")
    print(f"speedup, --jobs 2 over --jobs 1:                 {t_one / t_two:.2f}  (goal >= 1.7)")
    if not args.skip_rss:
        session = PDF_DIR / SESSION_REPORT
        if session.exists():
            mb, paragraphs = peak_rss_mb(session)
            print(f"peak RSS ingesting the 181-page session report ({paragraphs} paragraphs): "
                  f"{mb:.0f} MB  (goal < 400 MB)")
        else:
            print(f"peak RSS: {session} is missing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
