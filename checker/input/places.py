"""Places, as people write them, resolved against the register of administrative divisions.

A hall's jurisdiction decides which regulations govern it, so a place written in any usual way
must resolve to the same division: 内蒙古 and 内蒙古自治区, 乌海 and 乌海市, 乌海市海勃湾区 in the
district field, or the six-digit division code 150302. A name that is no division at all is an
error naming the nearest ones, never a hall that silently matches no regulation.

The register (data/divisions.tsv) lists every division above the township level with its code:
a province is XX0000, a prefecture-level city XXYY00, a district or county XXYYZZ.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from importlib import resources

LEVELS = ("province", "city", "district")
# Suffixes a short form leaves out, longest first so that 自治区 goes before 区.
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
             "地区", "林区", "特区", "新区", "省", "市", "区", "县", "旗", "盟")
_CODE = re.compile(r"\d{6}")
# Functional zones (功能区: 高新区, 经济技术开发区 ...) stand where a district would, but the
# register of divisions does not list them: they are kept as written, inside their city.
ZONE_SUFFIXES = ("开发区", "高新区", "新区", "园区", "工业区", "功能区", "保税区", "试验区", "示范区", "度假区", "管委会")


@dataclass(frozen=True)
class Division:
    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "district"


class PlaceError(Exception):
    """A place that names no division: which field, what was written, the nearest names."""

    def __init__(self, field: str, value: str, suggest: list[str], parent: str | None = None):
        super().__init__(value)
        self.field, self.value, self.suggest, self.parent = field, value, suggest, parent


@functools.lru_cache(maxsize=None)
def register() -> dict[str, Division]:
    text = resources.files("checker").joinpath("data/divisions.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {code: Division(code, name) for code, name in rows}


def short(name: str) -> str:
    """The name without its administrative suffix (内蒙古自治区 -> 内蒙古, 乌海市 -> 乌海)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def children(parent: Division | None, level: str) -> tuple[Division, ...]:
    """The divisions of `level` below `parent` (every province when parent is None). A
    district of a province-administered county-level city (济源市 419001) counts as a city."""
    return _children(parent.code if parent else None, level)


@functools.lru_cache(maxsize=4096)
def _children(parent_code: str | None, level: str) -> tuple[Division, ...]:
    parent = register()[parent_code] if parent_code else None
    out = []
    for division in register().values():
        if parent is not None and not division.code.startswith(_prefix(parent)):
            continue
        if division.level == level or (level == "city" and division.level == "district"
                                       and division.code[:4] + "00" not in register()):
            out.append(division)
    return tuple(out)


def _prefix(division: Division) -> str:
    return {"province": division.code[:2], "city": division.code[:4], "district": division.code}[division.level]


def _matches(written: str, division: Division) -> bool:
    return written in (division.name, short(division.name)) or short(written) == short(division.name)


def _find(written: str, parent: Division | None, level: str) -> Division | None:
    candidates = children(parent, level)
    exact = [d for d in candidates if d.name == written]
    found = exact or [d for d in candidates if _matches(written, d)]
    return found[0] if len(found) == 1 or exact else None


def _by_code(code: str, field: str) -> Division:
    division = register().get(code)
    if division is None:
        raise PlaceError(field, code, [])
    return division


def _nearest(written: str, parent: Division | None, level: str) -> list[str]:
    names = [d.name for d in children(parent, level)]
    close = difflib.get_close_matches(written, names, n=3, cutoff=0.3)
    return close or [n for n in names if short(n)[:1] == written[:1]][:3]


def resolve(place: dict) -> dict:
    """The jurisdiction with province, city and district written as the register names them and
    `code` the most precise division's code; township and village are kept as written. A
    field may hold a short form, the full name, a code, or the names of its parents before
    its own (乌海市海勃湾区). Raises PlaceError for a name that is no division there."""
    resolved: dict[str, Division] = {}
    code = place.get("code")
    if code is not None:
        division = _by_code(str(code), "code")
        for level in LEVELS:
            ancestor = _ancestor(division, level)
            if ancestor is not None:
                resolved[level] = ancestor
    parent = None
    for level in LEVELS:
        written = place.get(level)
        if written is None:
            parent = resolved.get(level, parent)
            continue
        division = _resolve_one(str(written).strip(), level, parent)
        if level in resolved and resolved[level] != division:
            raise PlaceError(level, str(written), [resolved[level].name], parent.name if parent else None)
        resolved[level] = division
        for upper in LEVELS[: LEVELS.index(level)]:  # a district given alone brings its city
            ancestor = _ancestor(division, upper)
            if ancestor is not None and resolved.setdefault(upper, ancestor) != ancestor:
                raise PlaceError(level, str(written), [], resolved[upper].name)
        parent = division
    out = {level: resolved[level].name for level in LEVELS if level in resolved}
    out.update((key, value) for key, value in place.items() if key not in LEVELS and key != "code")
    if resolved:
        out["code"] = resolved[max(resolved, key=LEVELS.index)].code
    return out


def _resolve_one(written: str, level: str, parent: Division | None) -> Division:
    if _CODE.fullmatch(written):
        division = _by_code(written, level)
        if parent is not None and not division.code.startswith(_prefix(parent)):
            raise PlaceError(level, written, [], parent.name)
        return division
    found = _find(written, parent, level)
    if found is not None:
        return found
    # 乌海市海勃湾区: the names of its parents written before its own
    for upper, rest in _leading_parents(written):
        if rest and (parent is None or _inside(upper, parent) or _inside(parent, upper)):
            found = _find(rest, upper if parent is None or _inside(upper, parent) else parent, level)
            if found is not None:
                return found
    if level == "district" and parent is not None and written.endswith(ZONE_SUFFIXES):
        return Division(parent.code, written)  # a functional zone: no division of its own
    raise PlaceError(level, written, _nearest(written, parent, level), parent.name if parent else None)


def _leading_parents(written: str) -> list[tuple[Division, str]]:
    """(province or city, what follows it) for each one whose name (or short form) `written`
    starts with, deepest first."""
    out = []
    for division in _upper_divisions():
        for name in (division.name, short(division.name)):
            if written.startswith(name) and len(name) < len(written):
                rest = written[len(name):]
                deeper = [(d, r) for d, r in _leading_parents(rest) if _inside(d, division)]
                out += deeper + [(division, rest)]
                break
    return out


@functools.lru_cache(maxsize=None)
def _upper_divisions() -> tuple[Division, ...]:
    return tuple(d for d in register().values() if d.level != "district")


def _inside(inner: Division, outer: Division) -> bool:
    return inner.code.startswith(_prefix(outer))


def _ancestor(division: Division, level: str) -> Division | None:
    """The division of `level` that `division` lies in (itself at its own level), read from the
    code; None below it. A functional zone carries its city's code, so its city is the real one."""
    if LEVELS.index(level) > LEVELS.index(division.level):
        return None
    if level == "district":
        return division
    return register().get(division.code[:2] + "0000" if level == "province" else division.code[:4] + "00")
