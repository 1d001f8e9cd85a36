"""Fixtures of the tagging tests: a SMALL model trained once per run on a subset of ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest


def _need(shared_data: Path, *parts: str) -> Path:
    from shared_data import missing

    path = shared_data.joinpath(*parts)
    if not path.exists():
        pytest.skip(missing(*parts))
    return path


@pytest.fixture(scope="session")
def small_examples(shared_data):
    """UPR Info sessions 1-2 (about 1,300 rows) and the first 200 annotated texts."""
    from rightsindex.nlp.datasets import read_annotations, read_upr_info

    upr = read_upr_info(_need(shared_data, "upr_info", "recommendations_sessions01-16.csv"), sessions=[1, 2])
    ann = read_annotations(_need(shared_data, "annotations", "esc_fiscal_dev.jsonl"))[:200]
    return upr, ann


@pytest.fixture(scope="session")
def small_model(small_examples):
    from rightsindex.nlp.training import fit_examples

    upr, ann = small_examples
    return fit_examples(upr + ann, head_params={f: {"cv": 2} for f in
                                                 ("esc_rights", "fiscal", "groups", "action_category",
                                                  "upr_issues")})


@pytest.fixture(scope="session")
def small_model_file(small_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "small.npz"
    small_model.save(path)
    return path
