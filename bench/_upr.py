"""What the benches at the scale of UPR Info's database share: a corpus of its 30,257
recommendations, imported from ../shared (no tagging, no index), and a median timer."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rightsindex.corpus.store import Store  # noqa: E402
from rightsindex.ingest.tabular import import_upr_info  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "upr_info" / "recommendations_sessions01-16.csv"


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    """(median seconds over ``repeat`` calls, the last result)."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def upr_info_corpus(folder: Path) -> Path:
    """``folder`` made a corpus of UPR Info's recommendations (exits saying so without ../shared)."""
    if not SHARED.exists():
        sys.exit(f"needs {SHARED} (../shared is not present)")
    with Store.open(folder) as store:
        import_upr_info(SHARED, store, tag=False, sync=False)
    return folder
