"""The skip of a test whose real data is missing says how to give it the data."""

from __future__ import annotations

import pytest

import shared_data


def test_a_test_without_the_shared_data_says_where_to_put_it(monkeypatch, tmp_path):
    monkeypatch.setattr(shared_data, "SHARED", tmp_path)
    monkeypatch.setattr(shared_data, "SHARED_DATA", tmp_path / "data")
    with pytest.raises(pytest.skip.Exception) as skipped:
        shared_data.need_shared("pdf", "x.pdf")
    said = str(skipped.value)
    assert said.startswith(f"needs data/pdf/x.pdf of the shared data, not in {tmp_path}")
    assert "../shared" in said and "RIGHTSINDEX_SHARED=/path/to/shared" in said
