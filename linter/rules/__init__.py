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


def selected_rules(codes: Iterable[str]) -> dict[str, Rule]:
    """The rules of `codes` (unknown codes are left out), importing only their modules: a run
    with `--select` pays for the rules it runs, not for all of them."""
    wanted = {code.upper() for code in codes}
    if all_rules.cache_info().currsize:  # all imported already: nothing to save
        return {code: rule for code, rule in all_rules().items() if code in wanted}
    index = _module_index()
    rules: dict[str, Rule] = {}
    for code in sorted(wanted & set(index)):
        rule = import_module(f"linter.rules.{index[code]}").RULE
        if rule.code != code:  # a rule's code edited with its module's stamp unchanged
            return {code: rule for code, rule in all_rules().items() if code in wanted}
        rules[code] = rule
    return rules


@lru_cache(maxsize=1)
def _module_index() -> dict[str, str]:
    """Code -> "family.module", learnt by importing every rule once and kept in botlint's cache
    folder while the rule modules are unchanged."""
    from pathlib import Path

    from linter.cache import cached_json

    here = Path(__file__).parent
    names = [f"{family}.{name}" for family in FAMILIES for name in import_module(f"linter.rules.{family}").MODULES]
    sources = [here.joinpath(*name.split(".")).with_suffix(".py") for name in names]

    def build() -> dict[str, str]:
        return {import_module(f"linter.rules.{name}").RULE.code: name for name in names}

    try:
        return cached_json("rule-modules-v1", sources, build)
    except OSError:  # a rule installed without its source file: nothing to stamp the index with
        return build()


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
