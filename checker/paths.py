"""Where the bundled rules and regulations are: inside the installed package, or beside it in a
source checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """`rules` or `regulations`."""
    installed = _HERE / "_bundled" / name
    return installed if installed.is_dir() else _HERE.parent / name


def display(path: Path) -> str:
    """A path to show users: relative to where they stand when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
