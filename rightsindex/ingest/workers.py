"""Worker processes that read PDFs for ``ingest``, watched one by one.

A file whose reading takes longer than the time limit, or that crashes the PDF library (a
segmentation fault in PDFium takes the process with it), fails alone: its worker is stopped and
replaced, and the batch goes on. Each worker has its own pipe, so stopping one cannot damage what
the others send; the pages each reads are reported as they go (a long report's progress).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import connection
from multiprocessing.context import BaseContext
from typing import Any

__all__ = ["run_tasks", "timeout_reason", "crash_reason"]

#: ``work(task, on_page) -> (index, extraction or None, failure reason or None)``; ``task[0]`` is its index.
Work = Callable[[tuple, Callable[[int, int], None]], tuple[int, Any, str | None]]


def timeout_reason(seconds: float) -> str:
    return (f"reading it took more than {seconds:g} s and was stopped (a very long or damaged PDF?); "
            "ingest --timeout sets the limit (0: none), --engine pypdfium2 reads faster")


def crash_reason(exitcode: int | None) -> str:
    return f"the PDF library crashed reading it (worker exit code {exitcode}); the file may be damaged"


def _serve(conn: connection.Connection, work: Work) -> None:
    """A worker: read the tasks its pipe brings until told to stop (None) or the pipe closes. Ctrl-C
    is the parent's to handle (it stops its workers): a worker that took it printed a traceback
    ("Process ForkProcess-2: ... KeyboardInterrupt") under the parent's one-line message."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index = task[0]
        conn.send(("done", *work(task, lambda n, pages: conn.send(("page", index, n, pages)))))


class _Worker:
    def __init__(self, ctx: BaseContext, work: Work) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, work), daemon=True)  # type: ignore[attr-defined]
        self.proc.start()
        child.close()
        self.task: tuple | None = None
        self.started = 0.0

    def give(self, task: tuple) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def end(self, *, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
            else:
                self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=5)
            if self.proc.is_alive():  # pragma: no cover - a process deaf to SIGTERM
                self.proc.kill()
                self.proc.join()
        self.conn.close()


def run_tasks(tasks: Sequence[tuple], work: Work, *, workers: int, ctx: BaseContext, timeout: float | None = None,
              on_page: Callable[[int, int, int], None] | None = None,
              ) -> Iterator[tuple[int, Any, str | None]]:
    """Run ``work`` on each task in ``workers`` processes; yield ``(index, extraction, reason)`` as
    each ends, in the order they end. A task running longer than ``timeout`` seconds, or whose
    worker dies, yields ``(index, None, reason)`` and its worker is replaced. ``on_page(index, n,
    pages)`` reports the pages read."""
    waiting = list(reversed(tasks))
    pool = [_Worker(ctx, work) for _ in range(max(1, min(workers, len(tasks))))]
    try:
        for w in pool:
            if waiting:
                w.give(waiting.pop())
        while any(w.task is not None for w in pool):
            busy = {w.conn: w for w in pool if w.task is not None}
            for conn in connection.wait(list(busy), timeout=0.5):
                w = busy[conn]  # type: ignore[index]
                if w.task is None:
                    continue
                try:
                    msg = w.conn.recv()
                except (EOFError, OSError):  # the worker died: the file crashed its reader
                    index = w.task[0]
                    w.proc.join(timeout=5)
                    reason = crash_reason(w.proc.exitcode)
                    replacement = _replace(pool, w, ctx, work)
                    yield index, None, reason
                    if waiting:
                        replacement.give(waiting.pop())
                    continue
                if msg[0] == "page":
                    if on_page is not None:
                        on_page(msg[1], msg[2], msg[3])
                    continue
                w.task = None
                yield msg[1], msg[2], msg[3]
                if waiting:
                    w.give(waiting.pop())
            if timeout:
                now = time.monotonic()
                for w in list(pool):
                    if w.task is not None and now - w.started > timeout:
                        index = w.task[0]
                        replacement = _replace(pool, w, ctx, work)
                        yield index, None, timeout_reason(timeout)
                        if waiting:
                            replacement.give(waiting.pop())
    finally:
        for w in pool:
            w.end(kill=w.task is not None)


def _replace(pool: list[_Worker], worker: _Worker, ctx: BaseContext, work: Work) -> _Worker:
    """Stop ``worker`` (it is stuck, or dead) and put a fresh one in its place."""
    worker.end(kill=True)
    fresh = _Worker(ctx, work)
    pool[pool.index(worker)] = fresh
    return fresh
