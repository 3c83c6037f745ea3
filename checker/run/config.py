"""The configuration file: `.hallcheck.yaml`, or `[tool.hallcheck]` in a `pyproject.toml`.

A repository of hall descriptions keeps its settings (the rule pack, the waivers file, the
language, --fail-on ...) in one place instead of every CI job's command line. The file is found
by walking up from the working directory: the first directory that has a `.hallcheck.yaml`
(or `.yml`), else a `pyproject.toml` with a `[tool.hallcheck]` table, is the one; a
`pyproject.toml` without that table is passed over. Every key is the long name of a `hallcheck
check` option (`checker/schemas/config.schema.yaml`).

Precedence, highest first: the command line, the environment (HALLCHECK_LANG,
HALLCHECK_CALENDAR), the configuration file, the built-in default. Each effective setting keeps
where it came from, which is what `hallcheck config` prints. A file that breaks its schema is
an InputError located at its line and column, as a bad hall file is.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..input.load import Document, load_file
from ..reports.messages import LANGS
from ..problems import InputError, Location, Problem
from ..input.validate import schema_problems

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

YAML_NAMES = (".hallcheck.yaml", ".hallcheck.yml")
PYPROJECT = "pyproject.toml"
PATH_KEYS = ("rules", "waivers", "baseline")

# (key, default) in the order `hallcheck config` prints them
DEFAULTS = (
    ("rules", None), ("lang", None), ("fail-on", "minor"), ("format", "text"), ("engine", "auto"),
    ("jobs", 1), ("timeout", 60.0), ("waivers", None), ("baseline", None), ("fail-on-new", False),
    ("calendar", ()), ("ignore", ()),
)
ENVIRONMENT = {"lang": "HALLCHECK_LANG"}  # the calendar's: checker.input.notices


@dataclass(frozen=True)
class Config:
    """A configuration file, read and checked: its values and where each is written."""

    file: str  # as shown to the user
    directory: Path  # paths in it are relative to this
    document: Document

    @property
    def values(self) -> dict:
        return self.document.data

    def origin(self, key: str) -> str:
        """FILE:LINE where `key` is set."""
        return str(self.document.locate_key((key,)))


@dataclass(frozen=True)
class Setting:
    name: str
    value: object
    origin: str  # --option, an environment variable, FILE:LINE of the config file, or "default"


def find(start: Path) -> Path | None:
    """The configuration file that governs `start`: the nearest one at or above it."""
    for directory in (start, *start.parents):
        for name in YAML_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*hallcheck\s*\]", text, re.MULTILINE) is not None


def load(path: Path, display) -> Config:
    """The configuration in `path`, or InputError with every problem located in it."""
    name = display(path)
    document = _toml_document(path, name) if path.name == PYPROJECT else load_file(str(path), display_name=name)
    problems = schema_problems(document, "config")
    if problems:
        raise InputError(problems)
    return Config(name, path.resolve().parent, document)


def discover(start: Path, display) -> Config | None:
    found = find(start.resolve())
    return load(found, display) if found is not None else None


def _toml_document(path: Path, name: str) -> Document:
    """The [tool.hallcheck] table as a Document; TOML keeps no positions, so each key's line is
    found in the text under the table's header."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError([Problem("file.not_utf8", Location(name), {"byte": f"0x{err.object[err.start]:02x}"})])
    except OSError as err:
        raise InputError([Problem("file.unreadable", Location(name), {"reason": err.strerror or str(err)})])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        raise InputError([Problem("config.toml", Location(name, line, column),
                                  {"detail": re.sub(r"\s*\(at line .*\)$", "", str(err))})])
    table = data.get("tool", {}).get("hallcheck", {})
    positions, keys = {(): (1, 1)}, {}
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"\s*\[\s*tool\s*\.\s*hallcheck\s*\]", line)), None)
    if start is not None:
        positions[()] = (start + 1, 1)
        for i in range(start + 1, len(lines)):
            if re.match(r"\s*\[", lines[i]):
                break
            match = re.match(r"(\s*)[\"']?([A-Za-z0-9_-]+)[\"']?\s*=\s*", lines[i])
            if match and match.group(2) in table:
                keys.setdefault((match.group(2),), (i + 1, len(match.group(1)) + 1))
                positions.setdefault((match.group(2),), (i + 1, match.end() + 1))
    return Document(name, table, positions, keys)


def effective(config: Config | None, options: dict, environ=os.environ) -> dict[str, Setting]:
    """Every setting, from the first source that gives it: `options` (the command line's,
    None where not given), the environment, `config`, the default."""
    out = {}
    for key, default in DEFAULTS:
        option = options.get(key)
        if key == "calendar":
            out[key] = _calendar(config, option, environ)
        elif option is not None and option != ():
            out[key] = Setting(key, option, f"--{key}")
        elif key in ENVIRONMENT and environ.get(ENVIRONMENT[key]) in LANGS:
            out[key] = Setting(key, environ[ENVIRONMENT[key]], ENVIRONMENT[key])
        elif config is not None and key in config.values:
            out[key] = Setting(key, _configured(config, key), config.origin(key))
        else:
            out[key] = Setting(key, default, "default")
    return out


def _calendar(config: Config | None, option, environ) -> Setting:
    """checker.input.notices decides which source of holiday notices wins."""
    from ..input.notices import calendar_files
    configured = (_configured(config, "calendar"), config.origin("calendar")) \
        if config is not None and "calendar" in config.values else ((), "")
    files = calendar_files(list(option or ()), environ, configured)
    return Setting("calendar", tuple(Path(file) for file, _ in files), files[0][1] if files else "default")


def _configured(config: Config, key: str):
    value = config.values[key]
    if key in PATH_KEYS:
        return config.directory / value
    if key == "calendar":
        return tuple(config.directory / item for item in ([value] if isinstance(value, str) else value))
    if key == "ignore":
        return tuple(value)
    if key == "timeout":
        return float(value)
    return value


def ignored(path: Path, patterns: tuple, directory: Path | None) -> bool:
    """Whether a file found below a directory matches one of the `ignore` patterns, read
    relative to `directory` (the configuration file's)."""
    if not patterns or directory is None:
        return False
    try:
        relative = PurePosixPath(path.resolve().relative_to(directory).as_posix())
    except ValueError:
        return False
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        while pattern.startswith("**/"):  # any depth, none included
            pattern = pattern[3:]
        if "/" not in pattern:  # a name, anywhere
            if any(fnmatch.fnmatchcase(part, pattern) for part in relative.parts):
                return True
        elif fnmatch.fnmatchcase(str(relative), pattern.lstrip("/")) or any(
                fnmatch.fnmatchcase(str(parent), pattern.lstrip("/")) for parent in relative.parents):
            return True
    return False
