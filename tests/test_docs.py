"""Docs contract: every CLI command has help text and is documented in the README."""

from __future__ import annotations

import click
import pytest
from conftest import ROOT

from jdtool.cli import cli


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out.extend(commands(cmd, full + " "))
    return out


@pytest.mark.parametrize("name,cmd", commands(cli))
def test_command_has_help_and_is_in_readme(name, cmd):
    assert cmd.help and len(cmd.help.strip()) > 10
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"jdtool {name}" in readme, f"README does not mention 'jdtool {name}'"
