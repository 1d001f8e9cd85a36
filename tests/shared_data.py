"""Where the shared data of ../shared lives, and the skip when it is absent.

Import it in tests as ``from shared_data import need_shared, SHARED_DATA``
(not from ``conftest``: several folders have a conftest.py, so that name is ambiguous).
The shared data is ``../shared`` beside the project, or the folder ``$RIGHTSINDEX_SHARED`` names;
a test that needs what is not there skips, saying how to give it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("RIGHTSINDEX_SHARED", ROOT.parent / "shared"))
SHARED_DATA = SHARED / "data"
SHARED_PDF = SHARED_DATA / "pdf"


def missing(*parts: str) -> str:
    """Why a test that needs ``data/PARTS`` of the shared data skips, and how to give it the data."""
    what = "/".join(("data", *parts))
    return (f"needs {what} of the shared data, not in {SHARED}: put the shared folder beside the project "
            "as ../shared, or run with RIGHTSINDEX_SHARED=/path/to/shared")


def need_shared(*parts: str) -> Path:
    """The path under ../shared/data (or ``$RIGHTSINDEX_SHARED/data``), or skip the test saying what
    is missing and how to give it."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(missing(*parts))
    return path
