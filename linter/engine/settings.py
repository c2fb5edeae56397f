"""Configuration: rulesets (data) + `[tool.botlint]` / `.botlint.yaml` + command line.

Resolution, as in ruff: the rule pack says which rules are on by default;
`select` replaces that set, `extend-select` adds to it, `ignore` removes from
it, and command-line options override the file. Every key and rule code is
checked: a typo is an error with its position, never silently ignored.

Reading the files, the config's schema and the rulesets are in `linter.engine.config`;
this module resolves them into the `FileSettings` of each file.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any

from linter.core.errors import ConfigError
from linter.core.rules import Rule
from linter.core.severity import SEVERITIES
from linter.engine.config.checked import check_once
from linter.engine.config.files import Located, find_config, load_config
from linter.engine.config.rulesets import RULE_KEYS, Rulesets, shipped_rule_defaults, shipped_rulesets, \
    with_user_rulesets
from linter.parse.limits import Limits
from linter.parse.source import resolved
from linter.rules import expand_selector

__all__ = ["FileSettings", "Overrides", "SettingsResolver", "find_config", "resolve", "shipped_rule_defaults"]


class Overrides:
    """What the command line says; None means "as configured". (Plain classes here, not
    dataclasses: see linter/core/__init__.py.)"""

    def __init__(self, select: list[str] | None = None, extend_select: list[str] | None = None,
                 ignore: list[str] | None = None, fail_on: str | None = None) -> None:
        self.select = select
        self.extend_select = extend_select or []
        self.ignore = ignore or []
        self.fail_on = fail_on

    def __repr__(self) -> str:
        return (f"Overrides(select={self.select!r}, extend_select={self.extend_select!r}, ignore={self.ignore!r}, "
                f"fail_on={self.fail_on!r})")


class FileSettings:
    """Everything the engine needs to lint files under one config."""

    def __init__(self, *, root: Path, selected: frozenset[str], severities: dict[str, str],
                 per_file_ignores: list[tuple[str, frozenset[str]]], language: str, channel: str | None,
                 exclude: list[str], fail_on: str, rulesets: Rulesets,
                 per_path: list[tuple[str, dict[str, str]]] | None = None, cwd: Path | None = None,
                 policy_profiles: dict[str, str] | None = None, disclose_bot: bool = False,
                 business_name: str | None = None, limits: Limits | None = None) -> None:
        self.root = root  # the folder of the config file (or the working directory)
        self.selected = selected
        self.severities = severities
        self.per_file_ignores = per_file_ignores
        self.language = language
        self.channel = channel
        self.exclude = exclude
        self.fail_on = fail_on
        self.rulesets = rulesets
        self.per_path = per_path or []  # glob -> channel/language
        self.cwd = cwd or Path.cwd()  # where display paths are relative to
        self.policy_profiles = policy_profiles or {}  # channel -> selected profile
        self.disclose_bot = disclose_bot
        self.business_name = business_name
        self.limits = limits or Limits()  # bounded work: file size, depth, steps, text length
        self._lexicons: dict[str, Any] = {}
        self._per_file: dict[tuple[str, str], tuple[str | None]] = {}
        self._options: dict[str, Any] = {}
        self._digest: str | None = None

    def __repr__(self) -> str:
        return f"FileSettings(root={self.root!r}, selected={sorted(self.selected)!r}, language={self.language!r})"

    def lexicon(self, language: str):
        """The compiled lexicon for `language`, or None when botlint has none for it."""
        if language not in self._lexicons:
            from linter.engine.lexicon import Lexicon

            data = self.rulesets.lexicons.get(language)
            self._lexicons[language] = Lexicon(language, data, self.rulesets.user_patterns) if data else None
        return self._lexicons[language]

    def forget_texts(self) -> None:
        """Drop what the lexicons found in the texts of the document just linted."""
        for lexicon in self._lexicons.values():
            if lexicon is not None:
                lexicon.forget_texts()

    def for_file(self, key: str, display_path: str) -> str | None:
        """`channel` or `language` for a file: the last matching per-path entry, else the default."""
        if not self.per_path:
            return getattr(self, key)
        cached = self._per_file.get((key, display_path))
        if cached is None:
            cached = self._per_file[(key, display_path)] = (self._for_file(key, display_path),)
        return cached[0]

    def _for_file(self, key: str, display_path: str) -> str | None:
        value = getattr(self, key)
        # Display paths are relative to where botlint runs; patterns are relative to the config.
        # Outside the config's folder (a corpus linted with --config) the display path is matched.
        relative = _relative(self.cwd / display_path, self.root)
        for pattern, overrides in self.per_path:
            if key in overrides and (_matches(relative, pattern) or _matches(display_path, pattern)):
                value = overrides[key]
        return value

    def policy(self, channel: str | None) -> dict[str, Any] | None:
        """The policy profile in force for a channel (its default unless configured), or None."""
        name = self.policy_profiles.get(channel or "")
        return self.rulesets.policies.get(name) if name else None

    def rule_options(self, rule: Rule) -> Any:
        """The rule's options as its model: validated when the packs were loaded, so built as they are."""
        if rule.options is None:
            return None
        if rule.code not in self._options:  # once per rule, not once per rule and file
            values = {key: value for key, value in self.rulesets.rules.get(rule.code, {}).items()
                      if key not in RULE_KEYS}
            self._options[rule.code] = rule.options.model_construct(**values)
        return self._options[rule.code]

    def severity_of(self, rule: Rule) -> str:
        return self.severities.get(rule.code) or self.rulesets.rules.get(rule.code, {}).get("severity") or rule.severity

    def codes_for(self, path: Path) -> frozenset[str]:
        """The rules that run on `path`, after per-file ignores."""
        relative = _relative(path, self.root)
        ignored = {code for pattern, codes in self.per_file_ignores if _matches(relative, pattern) for code in codes}
        return self.selected - ignored

    def is_excluded(self, path: Path) -> bool:
        relative = _relative(path, self.root)
        return any(_matches(relative, pattern) for pattern in self.exclude)

    def digest(self) -> str:
        """A hash of everything here that can change a finding: the result cache's config key."""
        if self._digest is None:
            import hashlib
            import json

            facts = {name: getattr(self, name) for name in (
                "root", "selected", "severities", "per_file_ignores", "language", "channel", "fail_on",
                "per_path", "cwd", "policy_profiles", "disclose_bot", "business_name")}
            facts["limits"] = self.limits._asdict()  # a raised limit can turn an error into findings
            facts["rulesets"] = self.rulesets.facts()
            encoded = json.dumps(facts, sort_keys=True, default=_stable).encode("utf-8")
            self._digest = hashlib.sha256(encoded).hexdigest()
        return self._digest


def _stable(value: Any) -> Any:
    """JSON for the digest: sets sorted, paths and anything else as text."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # elsewhere; or a symlink loop (RuntimeError before 3.13)
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            return path.as_posix()


def _matches(relative: str, pattern: str) -> bool:
    """Gitignore-ish: a pattern without '/' matches a name at any depth."""
    pattern = pattern.rstrip("/")
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in relative.split("/"))
    return fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern + "/*") \
        or relative.startswith(pattern + "/")


# --- resolution -----------------------------------------------------------------

def _expand(selectors: list[str], unknown) -> set[str]:
    """The codes the selectors name; `unknown(selector)` makes the error for one that names none."""
    codes: set[str] = set()
    for selector in selectors:
        # The shipped rule packs name every rule (a test keeps them so): a warm run that selects
        # ALL or a prefix need not import every rule module to know the codes.
        found = expand_selector(selector, shipped_rulesets().rules) if isinstance(selector, str) else []
        if not found:
            raise unknown(selector)
        codes.update(found)
    return codes


def _codes(config: Located, selectors: list[str], *keys: str) -> set[str]:
    return _expand(selectors, lambda selector: config.error(f"unknown rule code or prefix '{selector}'", *keys))


def _cli_codes(selectors: list[str], option: str) -> set[str]:
    if option == "--select" and not [selector for selector in selectors if selector.strip()]:
        raise ConfigError("--select names no rule: give codes or prefixes (BL1, BL101) or ALL", "command line")
    return _expand(selectors, lambda selector: ConfigError(
        f"{option}: unknown rule code or prefix '{selector}'", "command line"))


def resolve(config_path: Path | None, overrides: Overrides, cwd: Path) -> FileSettings:
    config = (load_config(config_path) if config_path else None) or Located({}, "defaults")
    check_once(config)
    data = config.data
    known_limits = Limits.keys()
    limits = Limits(**{known_limits[key]: value for key, value in data.get("limits", {}).items()})
    root = config_path.parent if config_path else cwd
    rulesets = with_user_rulesets(tuple(resolved(root / name) for name in data.get("rulesets", [])))

    selected = {code for code, options in rulesets.rules.items() if options.get("enabled", True)}
    if "select" in data:
        selected = _codes(config, data["select"], "select")
    selected |= _codes(config, data.get("extend-select", []), "extend-select")
    selected -= _codes(config, data.get("ignore", []), "ignore")
    selected -= _codes(config, data.get("extend-ignore", []), "extend-ignore")
    if overrides.select is not None:
        selected = _cli_codes(overrides.select, "--select")
    selected |= _cli_codes(overrides.extend_select, "--extend-select")
    selected -= _cli_codes(overrides.ignore, "--ignore")

    severities: dict[str, str] = {}
    for selector, severity in data.get("severity", {}).items():
        for code in _codes(config, [selector], "severity", selector):
            severities[code] = severity

    per_file = [(pattern, frozenset(_codes(config, selectors, "per-file-ignores", pattern)))
                for pattern, selectors in data.get("per-file-ignores", {}).items()]

    fail_on = overrides.fail_on or data.get("fail-on", "warning")
    if fail_on not in SEVERITIES:  # the file's is checked by the schema; the command line's by its parser
        raise ConfigError(f"--fail-on must be one of {', '.join(SEVERITIES)}", "command line")
    channel = data.get("channel")
    if channel is not None and channel not in rulesets.channels:
        raise config.error(f"unknown channel '{channel}' (known: {', '.join(rulesets.channels)})", "channel")
    per_path = []
    for pattern, kinds in data.get("per-path", {}).items():
        if "channel" in kinds and kinds["channel"] not in rulesets.channels:
            raise config.error(f"per-path '{pattern}': unknown channel '{kinds['channel']}'", "per-path", pattern)
        per_path.append((pattern, dict(kinds)))
    profiles = {p["channel"]: name for name, p in rulesets.policies.items() if p.get("default")}
    for policy_channel, profile in data.get("policy", {}).items():
        if profile in (None, "none", False):
            profiles.pop(policy_channel, None)
            continue
        known = sorted(name for name, p in rulesets.policies.items() if p["channel"] == policy_channel)
        if profile not in known:
            raise config.error(f"unknown policy profile '{profile}' for {policy_channel} "
                               f"(known: {', '.join(known) or 'none'}; or \"none\")", "policy", policy_channel)
        profiles[policy_channel] = profile
    return FileSettings(
        root=root, selected=frozenset(selected), severities=severities, per_file_ignores=per_file,
        language=data.get("language", "en"), channel=channel,
        exclude=list(data.get("exclude", [])) + list(data.get("extend-exclude", [])),
        fail_on=fail_on, rulesets=rulesets, policy_profiles=profiles, per_path=per_path, cwd=cwd,
        disclose_bot=data.get("disclose-bot", False), business_name=data.get("business-name"),
        limits=limits,
    )


class SettingsResolver:
    """Finds and caches the settings for each file: nearest config wins, or `--config` for all."""

    def __init__(self, overrides: Overrides, explicit_config: Path | None = None, cwd: Path | None = None) -> None:
        self.overrides = overrides
        self.explicit = explicit_config
        self.cwd = cwd or Path.cwd()
        self._cache: dict[Path | None, FileSettings] = {}
        self._folders: dict[Path, Path | None] = {}
        if explicit_config is not None and not explicit_config.is_file():
            raise ConfigError("config file not found", str(explicit_config))

    def for_path(self, path: Path) -> FileSettings:
        config_path = self.explicit or find_config(path, self._folders)
        if config_path not in self._cache:
            self._cache[config_path] = resolve(config_path, self.overrides, self.cwd)
        return self._cache[config_path]
