"""Rulesets: the shipped rule packs, channel limits, lexicons and policies, and users' packs over them.

A rule pack switches rules on or off and sets their severity and options; each rule's options
are checked against its pydantic options model when the pack is loaded, so a bad value is an
error at its key before anything is linted.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from linter.core.errors import ConfigError
from linter.core.rules import Rule
from linter.core.severity import SEVERITIES
from linter.engine.config.files import Located, load_yaml
from linter.engine.config.messages import reason
from linter.rules import all_rules

RULE_KEYS = ("enabled", "severity")  # what every rule has besides its own options


class Rulesets:
    """Rule defaults and channel data merged from the shipped and the user's ruleset files. (A plain
    class, not a dataclass: see linter/core/__init__.py.)"""

    def __init__(self, rules: dict[str, dict[str, Any]] | None = None,
                 channels: dict[str, dict[str, Any]] | None = None,
                 lexicons: dict[str, dict[str, Any]] | None = None,
                 policies: dict[str, dict[str, Any]] | None = None) -> None:
        self.rules = rules if rules is not None else {}
        self.channels = channels if channels is not None else {}
        # language -> lists; None: the shipped lexicons, read when first needed (a run answered from
        # the result cache never needs their 380 kB)
        self._lexicons = lexicons
        self.policies = policies if policies is not None else {}  # profile name -> policy data
        # Regex entries from users' rulesets -> the file that holds them: run with a time bound, as
        # anybody can add a pattern that backtracks catastrophically.
        self.user_patterns: dict[str, str] = {}

    @property
    def lexicons(self) -> dict[str, dict[str, Any]]:
        return self._lexicons if self._lexicons is not None else shipped_lexicons()

    def own_lexicons(self) -> dict[str, dict[str, Any]]:
        """The lexicons, copied from the shipped ones first, for a user's ruleset to merge into."""
        if self._lexicons is None:
            import copy

            self._lexicons = copy.deepcopy(shipped_lexicons())
        return self._lexicons

    def facts(self) -> dict[str, Any]:
        """What can change a finding, for the result cache's key; the shipped lexicons are in its
        stamp of botlint's own files already."""
        return {"rules": self.rules, "channels": self.channels, "policies": self.policies,
                "user_patterns": self.user_patterns,
                "lexicons": "shipped" if self._lexicons is None else self._lexicons}

    def __repr__(self) -> str:
        return f"Rulesets(rules={len(self.rules)}, channels={len(self.channels)}, policies={len(self.policies)})"

    def copy(self) -> Rulesets:
        import copy

        return copy.deepcopy(self)


def _shipped_files(kind: str) -> list[Path]:
    from linter.resources import data_dir

    return sorted((data_dir("rulesets") / kind).glob("*.yaml"))


@lru_cache(maxsize=None)
def shipped_rulesets() -> Rulesets:
    """The rule packs, channel limits and policies that ship with botlint, validated once; their
    lexicons are read when first needed (`shipped_lexicons`).

    Reading YAML costs more than the rest of a one-file run, so the merged
    result is cached as JSON, keyed by the files' sizes and mtimes (and skipped
    where the cache cannot be written).
    """
    from linter.cache import cached_json
    from linter.resources import data_dir

    packs = [*_shipped_files("rules"), data_dir("rulesets") / "channels.yaml"]
    policies = _shipped_files("policies")

    def build() -> dict[str, Any]:
        rulesets = Rulesets(lexicons={})
        for path in packs:
            _merge_ruleset(rulesets, load_yaml(path))
        for path in policies:
            _merge_policy(rulesets, load_yaml(path))
        return {"rules": rulesets.rules, "channels": rulesets.channels, "policies": rulesets.policies}

    # Bump the name's version whenever the cached structure changes.
    data = cached_json("rulesets-v5", [*packs, *policies], build)
    return Rulesets(data["rules"], data["channels"], None, data["policies"])


@lru_cache(maxsize=None)
def shipped_lexicons() -> dict[str, dict[str, Any]]:
    """The word lists and patterns that ship with botlint, per language, validated once and cached
    as JSON as the rule packs are, with the strings each pattern needs worked out."""
    from linter.cache import cached_json
    from linter.engine.lexicon import all_entries, needed_strings, seed_needed

    files = _shipped_files("lexicons")

    def build() -> dict[str, Any]:
        rulesets = Rulesets(lexicons={})
        for path in files:
            lexicon = load_yaml(path)
            _merge_lexicon(rulesets, lexicon.data.get("language") or path.stem, lexicon.data, lexicon, shipped=True)
        needed = {entry: list(needed_strings(entry)) for entry in all_entries(rulesets.lexicons)}
        return {"lexicons": rulesets.lexicons, "needed": needed}

    data = cached_json("lexicons-v1", files, build)
    seed_needed(data["needed"])
    return data["lexicons"]


def shipped_rule_defaults(code: str) -> dict[str, Any]:
    """A rule's options as the shipped packs set them, for its documentation."""
    return {key: value for key, value in shipped_rulesets().rules.get(code, {}).items() if key not in RULE_KEYS}


def with_user_rulesets(extra: tuple[Path, ...]) -> Rulesets:
    """The shipped rulesets with the user's packs merged over them, in order."""
    shipped = shipped_rulesets()
    if not extra:
        return shipped
    merged = shipped.copy()
    for path in extra:
        try:
            found, folder, exists = path.is_file(), path.is_dir(), path.exists()
        except OSError as exc:  # a name too long for the file system, say
            raise ConfigError(f"ruleset file cannot be opened: {exc.strerror or exc}", str(path)) from None
        if folder:
            raise ConfigError("ruleset is a folder: name a YAML file in it", str(path))
        if exists and not found:
            raise ConfigError("ruleset is not a regular file (a device, pipe or socket): name a YAML file", str(path))
        if not found:
            raise ConfigError("ruleset file not found", str(path))
        _merge_ruleset(merged, load_yaml(path))
    return merged


def _merge_policy(rulesets: Rulesets, policy: Located) -> None:
    """A policy profile: `profile` (its name), `channel`, `default` (used for the channel unless
    configured otherwise), and the numbers and lists its rules read."""
    data = policy.data
    if not isinstance(data, dict):
        raise policy.error("a policy profile must be a mapping")
    for key in ("profile", "channel"):
        if not isinstance(data.get(key), str):
            raise policy.error(f"a policy profile needs '{key}'", key)
    rulesets.policies[data["profile"]] = data


def _merge_lexicon(rulesets: Rulesets, language: str, data: Any, source: Located, shipped: bool = False) -> None:
    from linter.engine.lexicon import check_entries, merge

    if not isinstance(data, dict):
        raise source.error(f"lexicon '{language}' must be a mapping", "lexicons", language)
    problem = check_entries({k: v for k, v in data.items() if k != "readability"}, language)
    if problem:
        raise source.error(f"lexicon {problem}", "lexicons", language)
    if not shipped:
        known = set(rulesets.lexicons.get("en", {}))
        unknown = sorted(set(data) - known - {"language"})
        if unknown:
            raise source.error(f"lexicon '{language}': unknown list '{unknown[0]}' (known: {', '.join(sorted(known))})",
                               "lexicons", language, unknown[0])
        from linter.engine.lexicon import all_entries

        rulesets.user_patterns.update({entry: source.path for entry in all_entries(data) if entry.startswith("re:")})
    lexicons = rulesets.own_lexicons()
    lexicons[language] = merge(lexicons.get(language, {}), data)


def _merge_ruleset(rulesets: Rulesets, ruleset: Located) -> None:
    known = all_rules()
    for key in ruleset.data:
        if key not in ("rules", "channels", "lexicons", "policies"):
            raise ruleset.error(f"unknown key '{key}' in ruleset (expected rules, channels, lexicons, policies)", key)
        expected = list if key == "policies" else dict
        if ruleset.data[key] is not None and not isinstance(ruleset.data[key], expected):
            raise ruleset.error(f"'{key}' must be a {'list' if expected is list else 'mapping'}", key)
    for code, options in (ruleset.data.get("rules") or {}).items():
        rule = known.get(code)
        if rule is None:
            raise ruleset.error(f"unknown rule code '{code}'", "rules", code)
        if options is None:
            options = {}
        if not isinstance(options, dict):
            raise ruleset.error(f"rule {code}: expected a mapping of options", "rules", code)
        for option in RULE_KEYS:
            value = options.get(option)
            if value is not None and not isinstance(value, bool if option == "enabled" else str):
                raise ruleset.error(f"rule {code} option '{option}' must be {'bool' if option == 'enabled' else 'str'}",
                                    "rules", code, option)
        if options.get("severity") is not None and options["severity"] not in SEVERITIES:
            raise ruleset.error(f"severity must be one of {', '.join(SEVERITIES)}", "rules", code, "severity")
        merged = {**rulesets.rules.get(code, {}), **options}
        _validate_options(rule, merged, ruleset, code, given=options)
        rulesets.rules[code] = merged
    for channel, limits in (ruleset.data.get("channels") or {}).items():
        if not isinstance(limits, dict):
            raise ruleset.error(f"channel {channel}: expected a mapping", "channels", channel)
        rulesets.channels.setdefault(channel, {}).update(limits)
    for language, lists in (ruleset.data.get("lexicons") or {}).items():
        _merge_lexicon(rulesets, str(language), lists, ruleset)
    for index in range(len(ruleset.data.get("policies") or [])):
        _merge_policy(rulesets, ruleset.within("policies", index))


def _validate_options(rule: Rule, merged: dict[str, Any], ruleset: Located, code: str, given: dict[str, Any]) -> None:
    """Check a rule's options (the defaults with this pack's overrides) against its options model;
    a bad value is an error at its key in this pack."""
    from pydantic import ValidationError

    values = {key: value for key, value in merged.items() if key not in RULE_KEYS}
    fields = rule.options.model_fields if rule.options is not None else {}
    for option in given:
        if option not in RULE_KEYS and option not in fields:
            allowed = ", ".join([*RULE_KEYS, *fields])
            raise ruleset.error(f"rule {code} has no option '{option}' (it has: {allowed})", "rules", code, option)
    if rule.options is None:
        return
    # The shipped packs give every option; a user's pack, merged over them, only some.
    missing = [name for name in fields if name not in values]
    if missing and not given.keys() - set(RULE_KEYS):
        return  # a pack that only switches the rule on or off, or sets its severity
    try:
        rule.options.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        option = str(error["loc"][0]) if error["loc"] else None
        where = ("rules", code, option) if option in given else ("rules", code)
        what = f"option '{option}'" if option else "options"
        raise ruleset.error(f"rule {code} {what}: {reason(error)}", *where) from None
