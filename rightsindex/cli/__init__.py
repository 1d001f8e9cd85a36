"""The rightsindex command line: thin click commands over the library.

Each area registers its commands from its own module.
"""

from __future__ import annotations

import importlib

import click

from rightsindex import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rightsindex")
def main() -> None:
    """rightsindex: UN human-rights recommendations from PDFs, tagged and searchable.

    \b
    Example session:
      rightsindex ingest reports/ --corpus my-corpus
      rightsindex search 'right:housing country:KEN' --corpus my-corpus
      rightsindex trends --by year --split fiscal --corpus my-corpus
    """


for _name in ("ingest", "nlp", "search", "analysis"):
    try:
        _module = importlib.import_module(f"rightsindex.cli.{_name}")
    except ModuleNotFoundError as _exc:  # an area not built yet
        if _exc.name != f"rightsindex.cli.{_name}":
            raise
        continue
    _module.register(main)
