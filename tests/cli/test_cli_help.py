"""Every command has help with an example, and the README documents every command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rightsindex.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


COMMANDS = list(_commands(main))


def test_the_cli_has_the_design_commands():
    names = {path[0] for path, _ in COMMANDS}
    assert {"ingest", "status"} <= names, names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "rightsindex " in result.output and "xample" in result.output, (
        f"'rightsindex {' '.join(path)} --help' shows no example:\n{result.output}"
    )


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS if len(p) == 1], ids=lambda p: p[0])
def test_readme_documents_every_command(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"rightsindex {path[0]}" in readme, f"README.md does not mention 'rightsindex {path[0]}'"


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "rightsindex" in result.output


def test_readme_cli_reference_is_current():
    from rightsindex.cli._reference import render

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render(readme) == readme, (
        "README.md's CLI reference is out of date: run python -m rightsindex.cli._reference --write"
    )
