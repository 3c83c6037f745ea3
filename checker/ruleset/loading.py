"""The rule set an audit runs with: the bundled rules (cached between runs), or a rule pack, a
directory of rules or one rule file, with the regulation register they cite."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from ..paths import bundled, display

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Rules:
    """A rule set ready to audit with: the rules in force and the regulation register."""

    register: dict
    rule_set: object  # checker.ruleset.packs.RuleSet: the pack, what it extends, its overrides

    @property
    def rules(self) -> list:
        return self.rule_set.rules

    @property
    def builtin(self) -> bool:
        return self.rule_set.directory is None and self.rule_set.source == "builtin"


def load_rules(pack: PathLike | None = None) -> Rules:
    """The bundled rules, or a rule pack / directory of rules / rule file. InputError (every
    problem located) when a rule cannot be used."""
    from .packs import load_ruleset
    from .regulations import load_register
    if pack is None:  # the builtin rules are the same on every run: cached between runs
        from ..cache import cached
        register, rule_set = cached("builtin", [bundled("rules"), bundled("regulations")], _builtin)
        return Rules(register, rule_set)
    register = load_register(bundled("regulations"))
    return Rules(register, load_ruleset(Path(pack), register, display))


def _builtin():
    from .packs import load_ruleset
    from .regulations import load_register
    register = load_register(bundled("regulations"))
    return register, load_ruleset(None, register, display)
