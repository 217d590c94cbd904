"""`python -m jdtool`: the same as the `jdtool` command."""

from .cli import cli

cli()
