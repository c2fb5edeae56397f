"""The rule registry: every rule botlint knows, by code.

A new rule is one module under `linter/rules/<family>/` that defines `RULE`,
plus one line in `_MODULES` below and its defaults in `rulesets/default.yaml`.
The list is explicit so that an unknown code fails fast, and so that start-up
imports nothing it does not need.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from linter.rules.base import Rule

_MODULES = (
    "structure.undefined_step",
    "structure.duplicate_step",
    "channel.message_too_long",
    "meta.unused_suppression",
)


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for name in _MODULES:
        rule = import_module(f"linter.rules.{name}").RULE
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


def expand_selector(selector: str) -> list[str]:
    """A code, a code prefix (BL1, BL10) or ALL -> the codes it selects; [] if none."""
    selector = selector.strip().upper()
    if selector == "ALL":
        return list(all_rules())
    return [code for code in all_rules() if code.startswith(selector)] if selector else []
