"""The rightsindex command line: thin click commands over the library.

Each area registers its commands from its own module.
"""

from __future__ import annotations

import importlib

import click

from rightsindex import __version__
from rightsindex.cli._common import store_error


class _Main(click.Group):
    """The command group; an input/output error no command turned into a message (a full disk
    under ``search > out.txt``, a damaged store) is one line naming what failed, not a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # "| head": click ends quietly
            raise
        except Exception as exc:
            damaged = store_error(exc, ctx)  # a damaged or locked corpus.sqlite, read mid-command
            if damaged is not None:
                raise damaged from exc
            if not isinstance(exc, OSError):
                raise
            where = exc.filename or "standard output"
            raise click.ClickException(f"{where}: cannot read or write ({exc.strerror or exc})") from exc


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


#: Options that narrow what a command counts or shows: an empty value given to one (``--country
#: "$STATE"`` with the variable unset) is an error, not a filter left out, which gave every State.
_NARROWING = frozenset({"country", "countries", "year", "right", "fiscal", "body", "response", "state",
                        "region", "recommending_region", "types", "type", "labels", "session", "cycle",
                        "query"})


def _refuse_empty(command: click.Command) -> None:
    import functools

    callback = command.callback
    options = {p.name: p for p in command.params if isinstance(p, click.Option) and p.name in _NARROWING}
    if callback is None or not options:
        return

    @functools.wraps(callback)
    def checked(*args, **kwargs):  # type: ignore[no-untyped-def]
        for name, option in options.items():
            value = kwargs.get(name)
            values = value if isinstance(value, (tuple, list)) else (value,)
            if any(isinstance(v, str) and not v.strip() for v in values):
                raise click.BadParameter("is empty (an unset variable in a script?): give a value, or leave "
                                         "the option out", param_hint=f"'{option.opts[0]}'")
        return callback(*args, **kwargs)

    command.callback = checked


for _command in main.commands.values():
    _refuse_empty(_command)
