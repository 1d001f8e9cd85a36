"""Watched worker processes of ingest (rightsindex/ingest/workers.py)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys

import pytest

from rightsindex.ingest.workers import run_tasks

pytestmark = pytest.mark.skipif(sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
                                reason="forked workers")


def _interrupted(task, on_page):
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C reaches every process of the terminal's group
    return task[0], f"read {task[1]}", None


def test_ctrl_c_is_left_to_the_parent(capfd):
    """A worker that took Ctrl-C died printing a traceback under the parent's message; it leaves it
    to the parent now, which stops its workers."""
    ctx = multiprocessing.get_context("fork")
    out = list(run_tasks([(0, "a.pdf"), (1, "b.pdf")], _interrupted, workers=2, ctx=ctx, timeout=30))
    assert sorted(out) == [(0, "read a.pdf", None), (1, "read b.pdf", None)]
    assert "KeyboardInterrupt" not in capfd.readouterr().err
