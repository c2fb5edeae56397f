"""The rule registry: every rule botlint knows, by code.

A new rule is one module under `linter/rules/<family>/` that defines `RULE`,
plus its name in that family's `MODULES` (its `__init__.py`) and its defaults
in `rulesets/rules/<family>.yaml`. The lists are explicit so that an unknown
code fails fast and start-up imports nothing it does not need.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from typing import Iterable

from linter.core.rules import Rule

FAMILIES = ("structure", "tone", "hard_sell", "handoff", "automation", "channel", "policy", "meta")


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for family in FAMILIES:
        for name in import_module(f"linter.rules.{family}").MODULES:
            rule = import_module(f"linter.rules.{family}.{name}").RULE
            if rule.code in rules:
                raise RuntimeError(f"two rules share the code {rule.code}")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


class UnknownRule(KeyError):
    pass


def get_rule(code: str) -> Rule:
    try:
        return all_rules()[code.upper()]
    except KeyError:
        raise UnknownRule(code) from None


def expand_selector(selector: str, codes: Iterable[str] | None = None) -> list[str]:
    """A code, a code prefix (BL1, BL10) or ALL -> the codes it selects; [] if none.
    `codes`: every rule's code where the caller knows them without importing the rules."""
    known = sorted(codes) if codes is not None else list(all_rules())
    selector = selector.strip().upper()
    if selector == "ALL":
        return known
    return [code for code in known if code.startswith(selector)] if selector else []
