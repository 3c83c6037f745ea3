"""A cache of the loaded builtin rule set, so that one audit starts in a fraction of a second.

Loading and checking 267 rule files is most of a cold start. The cache is keyed on everything
the result depends on: hallcheck's own source, every rule and regulation file (path, size,
modification time), the Python version and the working directory (rule files are shown
relative to it). Any failure to read or write it is ignored: the rules are simply loaded.
HALLCHECK_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hallcheck"


def _key(directories: list[Path]) -> str:
    digest = hashlib.sha256(f"{sys.version}|{Path.cwd()}".encode())
    for directory in [_HERE, *directories]:
        for path in sorted(directory.rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml") and path.is_file():
                stat = path.stat()
                digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def cached(name: str, directories: list[Path], build):
    """`build()`'s result, from the cache when nothing it depends on has changed."""
    if os.environ.get("HALLCHECK_NO_CACHE"):
        return build()
    try:
        path = cache_dir() / f"{name}-{_key(directories)}.pickle"
        with open(path, "rb") as stream:
            return pickle.load(stream)
    except Exception:  # noqa: BLE001 - a missing, stale or unreadable cache only costs time
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except Exception:  # noqa: BLE001 - a read-only home directory is fine
        pass
    return value
