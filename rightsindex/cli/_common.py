"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

from pathlib import Path

import click

from rightsindex.corpus.store import default_corpus_dir

corpus_option = click.option(
    "--corpus",
    "corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    envvar="RIGHTSINDEX_CORPUS",
    show_envvar=True,
    help="Corpus folder (store, index, models). Default: ./rightsindex-corpus",
)


def corpus_dir(value: Path | None) -> Path:
    return value if value is not None else default_corpus_dir()
