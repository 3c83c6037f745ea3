"""Which files `hallcheck check DIR` audits.

Hall descriptions live beside other YAML (CI files, waivers, rule packs), so a name says what a
file is: `*.hall.yaml` (or `*.hall.yml`), the convention editors map to the hall schema. Below a
directory that holds any such file, only those are audited; a directory without any is read the
way it always was, every `.yaml`/`.yml` file in it. A file named on the command line is audited
whatever its name. Files matching the configuration's `ignore` patterns are left out of what a
directory gives.
"""

from __future__ import annotations

from pathlib import Path

from .config import ignored

HALL_SUFFIXES = (".hall.yaml", ".hall.yml")
YAML_SUFFIXES = (".yaml", ".yml")


def is_hall_name(path: Path) -> bool:
    return path.name.endswith(HALL_SUFFIXES)


def hall_files(paths: list[Path], display, ignore: tuple = (), base: Path | None = None) -> list[tuple[str, str]]:
    """(path to read, name to show) for every hall file named or found below a directory, in
    the order given, files below a directory sorted by name. A directory with nothing to audit
    is kept, so that the audit says so."""
    out = []
    for path in paths:
        if not path.is_dir():
            out.append((str(path), display(path)))
            continue
        found = below(path, ignore, base)
        out.extend((str(p), display(p)) for p in found)
        if not found:
            out.append((str(path), display(path)))
    return out


def below(directory: Path, ignore: tuple = (), base: Path | None = None) -> list[Path]:
    """The hall files below `directory`: its *.hall.yaml files if it has any, else every YAML file."""
    found = sorted(p for p in directory.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()
                   and not ignored(p, ignore, base))
    halls = [p for p in found if is_hall_name(p)]
    return halls or found
