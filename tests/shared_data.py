"""Where the shared data of ../shared lives, and the skip when it is absent.

Import it in tests as ``from shared_data import need_shared, SHARED_DATA``
(not from ``conftest``: several folders have a conftest.py, so that name is ambiguous).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("RIGHTSINDEX_SHARED", ROOT.parent / "shared"))
SHARED_DATA = SHARED / "data"
SHARED_PDF = SHARED_DATA / "pdf"


def need_shared(*parts: str) -> Path:
    """The path under ../shared/data, or skip the test saying what is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared/data/{'/'.join(parts)} (not present: a fresh clone has no ../shared)")
    return path
