"""Where bundled resources live: inside the installed package, or beside it in a source checkout."""

from __future__ import annotations

from pathlib import Path

from .errors import JdtoolError

_PKG = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """Path of a bundled resource (`templates`, `models/default`), never relative to the CWD.

    A wheel carries them inside the package (`jdtool/templates`); a source checkout or editable
    install keeps them at the repository root, next to the package.
    """
    for base in (_PKG, _PKG.parent):
        p = base / name
        if p.exists():
            return p
    raise JdtoolError(
        f"bundled resource '{name}' is missing from the installation; reinstall jdtool"
    )
