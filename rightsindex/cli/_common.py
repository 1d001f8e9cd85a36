"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import click

from rightsindex.corpus.store import STORE_FILE, damaged_error, default_corpus_dir
from rightsindex.errors import RightsIndexError

class CorpusPath(click.Path):
    """A corpus folder; an empty one (``--corpus ''``, ``RIGHTSINDEX_CORPUS=``) is refused: it was
    the current folder, and ingest wrote corpus.sqlite and the indexes among the user's files."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: name the corpus folder, or leave it out for ./rightsindex-corpus",
                      param, ctx)
        return super().convert(value, param, ctx)


corpus_option = click.option(
    "--corpus",
    "corpus",
    type=CorpusPath(),
    default=None,
    envvar="RIGHTSINDEX_CORPUS",
    show_envvar=True,
    help="Corpus folder (store, index, models). Default: ./rightsindex-corpus",
)


def corpus_dir(value: Path | None) -> Path:
    """The corpus folder a command works on; kept in the click context, for :func:`store_error`."""
    folder = value if value is not None else default_corpus_dir()
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_CORPUS_KEY] = folder
    return folder


_CORPUS_KEY = "rightsindex.corpus"


def store_error(exc: BaseException, ctx: click.Context | None = None) -> click.ClickException | None:
    """An SQLite error reading or writing the store (a damaged or locked ``corpus.sqlite``), perhaps
    wrapped by pandas in an ``OSError``, as one line naming the store; None for any other error."""
    import sqlite3

    seen = exc.__cause__ if isinstance(exc, OSError) else exc  # pandas' DatabaseError wraps it
    # an IntegrityError or a ProgrammingError is a bug to see, not a damaged file
    if type(seen) not in (sqlite3.DatabaseError, sqlite3.OperationalError):
        return None
    assert isinstance(seen, sqlite3.DatabaseError)
    folder = ctx.meta.get(_CORPUS_KEY) if ctx is not None else None
    return fail(damaged_error(folder / STORE_FILE if folder is not None else None, seen))


def fail(exc: BaseException) -> click.ClickException:
    """A library error as the one-line message click prints (``Error: ...``, exit code 1)."""
    text = str(exc)
    return click.ClickException(text.splitlines()[0] if text else exc.__class__.__name__)


def progress_bar(label: str) -> tuple[Any, Any]:
    """``(progress, close)``: a click progress bar on stderr, fed by the library's
    ``progress(done, total)`` callbacks, and the function that ends it. ``progress.note(text)``
    shows what is being done after the bar (the page of a long report), until the next step."""
    state: dict[str, Any] = {"bar": None, "done": 0, "note": None}

    def progress(done: int, total: int) -> None:
        if state["bar"] is None:
            state["bar"] = click.progressbar(length=max(total, 1), label=label, file=sys.stderr,
                                             item_show_func=lambda _item: state["note"])
            state["bar"].__enter__()
        state["bar"].length = max(total, done, 1)
        if done != state["done"]:
            state["note"] = None
        state["bar"].update(max(0, done - state["done"]))
        state["done"] = done

    def note(text: str | None) -> None:
        state["note"] = text
        if state["bar"] is not None:
            state["bar"].render_progress()  # (update(0) does not draw)

    progress.note = note  # type: ignore[attr-defined]

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
            state["bar"] = None
            state["done"] = 0

    return progress, close


_EXTENSIONS = {"md": "markdown", "markdown": "markdown", "htm": "html", "txt": "table", "ndjson": "jsonl"}


def format_for(fmt: str | None, output: Path | None, allowed: Sequence[str], default: str) -> str:
    """The output format: ``--format`` if given, else the output file's extension, else ``default``.

    An extension that names no allowed format (``dossier -o iran.docx``) is refused rather than
    written in another format under a misleading name.
    """
    if fmt:
        return fmt
    if output is None or not output.suffix:
        return default
    ext = output.suffix.lower().lstrip(".")
    ext = _EXTENSIONS.get(ext, ext)
    if ext in allowed:
        return ext
    shown = ", ".join(f".{'md' if a == 'markdown' else a}" for a in allowed if a != "table")
    raise click.UsageError(f"{output}: cannot tell the format from '{output.suffix}'; "
                           f"use one of {shown} or give --format")


@contextmanager
def writing_to(output: Path | None) -> Iterator[None]:
    """Library errors and unwritable files as one-line CLI errors; a closed pipe (``| head``)
    is left to click, which ends quietly."""
    try:
        yield
    except RightsIndexError as exc:
        raise fail(exc) from exc
    except BrokenPipeError:
        raise
    except OSError as exc:
        if store_error(exc) is not None:  # pandas' DatabaseError is an OSError: the store, not the output
            raise
        # the path asked for, not the temporary file beside it that failed ("out.csv.part")
        raise click.ClickException(f"{output or exc.filename or 'standard output'}: cannot write "
                                   f"({exc.strerror})") from exc


@contextmanager
def no_empty_corpus_left(folder: Path) -> Iterator[None]:
    """A corpus the command creates is removed again if the command fails before storing a document
    (a failed import leaves no empty corpus.sqlite, nor its folder, behind)."""
    had_folder, had_store = folder.exists(), (folder / STORE_FILE).exists()
    try:
        yield
    except BaseException:
        if not had_store:
            remove_if_empty(folder, had_folder)
        raise


def remove_if_empty(folder: Path, had_folder: bool, *, failures_too: bool = False) -> bool:
    """Remove a store this command created if it holds no document (and, with ``failures_too``, no
    recorded failure: an ingest of a mistyped path), and its folder if the command made it. True if
    removed."""
    import sqlite3

    store = folder / STORE_FILE
    if not store.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        try:
            held = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            if failures_too:
                held += conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # not what we made: leave it
    if held:
        return False
    for name in (STORE_FILE, STORE_FILE + "-wal", STORE_FILE + "-shm"):
        (folder / name).unlink(missing_ok=True)
    if not had_folder:
        with suppress(OSError):
            folder.rmdir()  # only if nothing else is in it
    return True
