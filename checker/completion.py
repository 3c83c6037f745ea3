"""What the shell completes (`hallcheck --install-completion`): rule ids for `explain`,
regulation ids and clause paths for `regulations show`. Each gives (value, help) pairs; a
completion never fails the shell: input that cannot be read completes to nothing."""

from __future__ import annotations

from pathlib import Path

from .paths import bundled
from .problems import InputError


def regulation_ids(incomplete: str) -> list[tuple[str, str]]:
    return [(regulation.id, regulation.title) for regulation in _register().values()
            if regulation.id.startswith(incomplete)]


def clause_paths(regulation_id: str, incomplete: str) -> list[tuple[str, str]]:
    regulation = _register().get(regulation_id)
    if regulation is None:
        return []
    return [(clause.path, _short(f"{clause.label} {clause.text}")) for clause in regulation.clauses
            if clause.path.startswith(incomplete)]


def _short(text: str, limit: int = 30) -> str:
    """One line that a shell's completion menu can show beside the value."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def rule_ids(incomplete: str, pack: Path | str | None = None) -> list[tuple[str, str]]:
    """The rules of `pack`, else of the configuration file's rule pack, else the bundled ones."""
    from .run import config
    from .api import load_rules
    from .reports.messages import pick
    try:
        if pack is None:
            settings = config.effective(config.discover(Path.cwd(), str), {})
            pack = settings["rules"].value
        rules = load_rules(pack).rules
    except InputError:
        return []
    return [(rule.id, pick(rule.title, "en")) for rule in rules if rule.id.startswith(incomplete)]


def _register() -> dict:
    from .ruleset.regulations import load_register
    try:
        return load_register(bundled("regulations"))
    except InputError:
        return {}
