"""A cache of the loaded builtin rule set, so that one audit starts in a fraction of a second.

Loading and checking 267 rule files is most of a cold start. The cache is keyed on everything
the result depends on: hallcheck's own source, every rule and regulation file (path, size,
modification time), the Python version and the working directory (rule files are shown
relative to it). Any failure to read or write it is ignored: the rules are simply loaded.
HALLCHECK_NO_CACHE=1 turns it off.

The cache is a pickle, and unpickling runs code: anyone who can write to the cache directory
would run code as the auditor. So each entry is signed (HMAC-SHA256) with a key of this user's
install, kept apart from the cache in the configuration directory ($XDG_CONFIG_HOME/hallcheck,
readable by the user alone), and an entry whose signature does not verify is never unpickled:
it is rebuilt. Without a key (it cannot be made or read) there is no cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
import tempfile
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hallcheck"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "hallcheck"


def _signing_key() -> bytes:
    """This install's secret key, made on first use (readable by this user alone)."""
    path = config_dir() / "cache.key"
    try:
        with open(path, "rb") as stream:
            key = stream.read(64)
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = os.urandom(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # a race: the other one wins
    with os.fdopen(fd, "wb") as stream:
        stream.write(key)
    return key


def _signed(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest() + payload


def _verified(key: bytes, data: bytes) -> bytes | None:
    """The payload when its signature is this install's, else None."""
    tag, payload = data[:32], data[32:]
    return payload if hmac.compare_digest(tag, hmac.new(key, payload, hashlib.sha256).digest()) else None


def _key(directories: list[Path]) -> str:
    digest = hashlib.sha256(f"{sys.version}|{Path.cwd()}".encode())
    for directory in [_HERE, *directories]:
        for path, size, modified in sorted(_sources(str(directory))):
            digest.update(f"{path}|{size}|{modified}\n".encode())
    return digest.hexdigest()[:32]


_SOURCE_SUFFIXES = (".py", ".yaml", ".yml")


def _sources(directory: str) -> list[tuple[str, int, int]]:
    """(path, size, modification time in ns) of every source file under `directory`. Walked with
    os.scandir, whose entries carry what a stat gives: the key is computed at every start."""
    found, pending = [], [directory]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.name.endswith(_SOURCE_SUFFIXES) and entry.is_file():
                status = entry.stat()
                found.append((entry.path, status.st_size, status.st_mtime_ns))
    return found


def enabled() -> bool:
    return not os.environ.get("HALLCHECK_NO_CACHE")


def cached(name: str, directories: list[Path], build):
    """`build()`'s result, from the cache when nothing it depends on has changed."""
    if not enabled():
        return build()
    try:
        secret = _signing_key()
    except OSError:  # no key, no cache: an unsigned pickle is never read
        return build()
    try:
        path = cache_dir() / f"{name}-{_key(directories)}.pickle"
        with open(path, "rb") as stream:
            payload = _verified(secret, stream.read())
        if payload is not None:
            return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a missing, stale or unreadable cache only costs time
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(_signed(secret, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        os.replace(temp, path)
    except Exception:  # noqa: BLE001 - a read-only home directory is fine
        pass
    return value
