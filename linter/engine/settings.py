"""Configuration: rulesets (data) + `[tool.botlint]` / `.botlint.yaml` + command line.

Resolution, as in ruff: the rule pack says which rules are on by default;
`select` replaces that set, `extend-select` adds to it, `ignore` removes from
it, and command-line options override the file. Every key and rule code is
checked: a typo is an error with its position, never silently ignored.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from linter.errors import ConfigError
from linter.parse.limits import Limits
from linter.parse.source import resolved
from linter.rules import all_rules, expand_selector
from linter.core.rules import Rule
from linter.core.severity import SEVERITIES

CONFIG_FILES = (".botlint.yaml", ".botlint.yml", "pyproject.toml")
_CONFIG_KEYS = {
    "select": list, "extend-select": list, "ignore": list, "extend-ignore": list,
    "severity": dict, "per-file-ignores": dict, "language": str, "channel": str,
    "rulesets": list, "exclude": list, "extend-exclude": list, "fail-on": str,
    "policy": dict, "disclose-bot": bool, "business-name": str, "per-path": dict,
    "limits": dict,
}
# Lists whose items must be text (paths, globs); the rule-code lists are checked code by code.
_TEXT_LISTS = ("rulesets", "exclude", "extend-exclude")
_PER_PATH_KEYS = {"channel": str, "language": str}


@dataclass
class Rulesets:
    """Rule defaults and channel data merged from the shipped and the user's ruleset files."""

    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    lexicons: dict[str, dict[str, Any]] = field(default_factory=dict)  # language -> lists
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)  # profile name -> policy data
    # Regex entries from users' rulesets -> the file that holds them: run with a time bound, as
    # anybody can add a pattern that backtracks catastrophically.
    user_patterns: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Rulesets:
        import copy

        return copy.deepcopy(self)


@dataclass
class Overrides:
    """What the command line says; None means "as configured"."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None


@dataclass
class FileSettings:
    """Everything the engine needs to lint files under one config."""

    root: Path  # the folder of the config file (or the working directory)
    source: str  # the config file, for messages
    selected: frozenset[str]
    severities: dict[str, str]
    per_file_ignores: list[tuple[str, frozenset[str]]]
    language: str
    channel: str | None
    exclude: list[str]
    fail_on: str
    rulesets: Rulesets
    per_path: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # glob -> channel/language
    cwd: Path = field(default_factory=Path.cwd)  # where display paths are relative to
    policy_profiles: dict[str, str] = field(default_factory=dict)  # channel -> selected profile
    disclose_bot: bool = False
    business_name: str | None = None
    limits: Limits = field(default_factory=Limits)  # bounded work: file size, depth, steps, text length

    _lexicons: dict[str, Any] = field(default_factory=dict, repr=False)
    _per_file: dict[tuple[str, str], tuple[str | None]] = field(default_factory=dict, repr=False)
    _digest: str | None = field(default=None, repr=False)

    def lexicon(self, language: str):
        """The compiled lexicon for `language`, or None when botlint has none for it."""
        if language not in self._lexicons:
            from linter.engine.lexicon import Lexicon

            data = self.rulesets.lexicons.get(language)
            self._lexicons[language] = Lexicon(language, data, self.rulesets.user_patterns) if data else None
        return self._lexicons[language]

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
        values = {key: value for key, value in self.rulesets.rules.get(rule.code, {}).items() if key not in _RULE_KEYS}
        return rule.options.model_construct(**values)

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
            facts["limits"] = vars(self.limits)  # a raised limit can turn an error into findings
            facts["rulesets"] = vars(self.rulesets)
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


# --- reading files --------------------------------------------------------------

def _read(path: Path) -> str:
    """A config or ruleset file as text: a regular file (never a pipe), within the default
    max-file-bytes (a config cannot raise the limit it is read under), UTF-8."""
    from linter.errors import FlowSyntaxError
    from linter.parse.source import byte_position, read_bytes

    try:
        data = read_bytes(path, str(path), Limits().max_file_bytes)
    except FlowSyntaxError as exc:
        raise ConfigError(exc.message.replace("cannot read file:", "cannot read config:"), str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start)
        raise ConfigError(f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})", str(path), line, col) from None
    text = text[1:] if text.startswith("\ufeff") else text
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text-mode reading did


class _Located:
    """A config mapping plus a way to name the position of a key in it."""

    def __init__(self, data: dict[str, Any], path: str, where) -> None:
        self.data, self.path, self._where = data, path, where

    def error(self, message: str, *keys: str) -> ConfigError:
        line, col = self._where(keys)
        return ConfigError(message, self.path, line, col)


def _load_yaml(path: Path) -> _Located:
    from linter.errors import FlowSyntaxError
    from linter.parse.yaml_flow import load_mapping

    try:
        data, positions = load_mapping(_read(path), str(path))
    except FlowSyntaxError as exc:
        raise ConfigError(exc.message, str(path), exc.line, exc.col) from None

    def where(keys: tuple[str, ...]) -> tuple[int | None, int | None]:
        node, found = data, (None, None)
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                break
            found = positions.key(node, key) or found
            node = node[key]
        return found

    return _Located(data, str(path), where)


def _load_pyproject(path: Path) -> _Located | None:
    import tomllib

    text = _read(path)
    try:
        document = tomllib.loads(text)
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ConfigError("invalid TOML: nested too deeply", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line, col = (int(match[1]), int(match[2])) if match else (None, None)
        if match is None and "end of document" in str(exc):
            line, col = text.count("\n") + 1, 1
        message = message.replace(" (at end of document)", "")
        raise ConfigError(f"invalid TOML: {message}", str(path), line, col) from None
    tool = document.get("tool", {})
    section = tool.get("botlint") if isinstance(tool, dict) else None
    if section is None:
        return None

    def where(keys: tuple[str, ...]) -> tuple[int | None, int | None]:
        # tomllib keeps no positions: find the key's line in the text.
        for key in reversed(keys):
            match = re.search(rf'^[ \t]*"?{re.escape(key)}"?[ \t]*=', text, re.M)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1 + (
                    len(match[0]) - len(match[0].lstrip()))
        match = re.search(r"^\[tool\.botlint", text, re.M)
        return (text.count("\n", 0, match.start()) + 1, 1) if match else (None, None)

    if not isinstance(section, dict):
        raise ConfigError("[tool.botlint] must be a table", str(path), *where(()))
    return _Located(section, str(path), where)


def _load_config(path: Path) -> _Located | None:
    return _load_pyproject(path) if path.name == "pyproject.toml" else _load_yaml(path)


def find_config(start: Path, cache: dict[Path, Path | None] | None = None) -> Path | None:
    """The nearest config file at or above `start` (a pyproject.toml counts only with [tool.botlint])."""
    cache = {} if cache is None else cache
    folder = (start if start.is_dir() else start.parent).resolve()
    visited = []
    found = None
    while True:
        if folder in cache:
            found = cache[folder]
            break
        visited.append(folder)
        found = _config_in(folder)
        if found or folder.parent == folder:
            break
        folder = folder.parent
    for seen in visited:
        cache[seen] = found
    return found


def _config_in(folder: Path) -> Path | None:
    for name in CONFIG_FILES:
        candidate = folder / name
        if candidate.is_file():
            if name != "pyproject.toml" or re.search(r"^\[tool\.botlint", _read(candidate), re.M):
                return candidate
    return None


# --- rulesets -------------------------------------------------------------------

@lru_cache(maxsize=None)
def _shipped_rulesets() -> Rulesets:
    """The rule packs, channel limits and lexicons that ship with botlint, validated once.

    Reading YAML costs more than the rest of a one-file run, so the merged
    result is cached as JSON, keyed by the files' sizes and mtimes (and skipped
    where the cache cannot be written).
    """
    from linter.cache import cached_json
    from linter.resources import data_dir

    folder = data_dir("rulesets")
    packs = sorted((folder / "rules").glob("*.yaml"))
    lexicons = sorted((folder / "lexicons").glob("*.yaml"))
    policies = sorted((folder / "policies").glob("*.yaml"))
    files = [*packs, folder / "channels.yaml", *lexicons, *policies]

    def build() -> dict[str, Any]:
        rulesets = Rulesets()
        for path in [*packs, folder / "channels.yaml"]:
            _merge_ruleset(rulesets, _load_yaml(path))
        for path in lexicons:
            lexicon = _load_yaml(path)
            _merge_lexicon(rulesets, lexicon.data.get("language") or path.stem, lexicon.data, lexicon, shipped=True)
        for path in policies:
            _merge_policy(rulesets, _load_yaml(path))
        from linter.engine.lexicon import all_entries, needed_strings

        needed = {entry: list(needed_strings(entry)) for entry in all_entries(rulesets.lexicons)}
        return {"rules": rulesets.rules, "channels": rulesets.channels, "lexicons": rulesets.lexicons,
                "policies": rulesets.policies, "needed": needed}

    # Bump the name's version whenever the cached structure changes.
    data = cached_json("rulesets-v3", files, build)
    from linter.engine.lexicon import seed_needed

    seed_needed(data["needed"])
    return Rulesets(data["rules"], data["channels"], data["lexicons"], data["policies"])


def shipped_rule_defaults(code: str) -> dict[str, Any]:
    """A rule's options as the shipped packs set them, for its documentation."""
    return {key: value for key, value in _shipped_rulesets().rules.get(code, {}).items() if key not in _RULE_KEYS}


def _merge_policy(rulesets: Rulesets, policy: _Located) -> None:
    """A policy profile: `profile` (its name), `channel`, `default` (used for the channel unless
    configured otherwise), and the numbers and lists its rules read."""
    data = policy.data
    if not isinstance(data, dict):
        raise policy.error("a policy profile must be a mapping")
    for key in ("profile", "channel"):
        if not isinstance(data.get(key), str):
            raise policy.error(f"a policy profile needs '{key}'", key)
    rulesets.policies[data["profile"]] = data


def _merge_lexicon(rulesets: Rulesets, language: str, data: Any, source: _Located, shipped: bool = False) -> None:
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
    rulesets.lexicons[language] = merge(rulesets.lexicons.get(language, {}), data)


def _merge_ruleset(rulesets: Rulesets, ruleset: _Located) -> None:
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
        for option in ("enabled", "severity"):
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
    for profile in (ruleset.data.get("policies") or []):
        _merge_policy(rulesets, _Located(profile, ruleset.path, lambda keys: (None, None)))


_RULE_KEYS = ("enabled", "severity")  # what every rule has besides its own options


def _validate_options(rule: Rule, merged: dict[str, Any], ruleset: _Located, code: str, given: dict[str, Any]) -> None:
    """Check a rule's options (the defaults with this pack's overrides) against its options model;
    a bad value is an error at its key in this pack."""
    from pydantic import ValidationError

    values = {key: value for key, value in merged.items() if key not in _RULE_KEYS}
    fields = rule.options.model_fields if rule.options is not None else {}
    for option in given:
        if option not in _RULE_KEYS and option not in fields:
            allowed = ", ".join([*_RULE_KEYS, *fields])
            raise ruleset.error(f"rule {code} has no option '{option}' (it has: {allowed})", "rules", code, option)
    if rule.options is None:
        return
    # The shipped packs give every option; a user's pack, merged over them, only some.
    missing = [name for name in fields if name not in values]
    if missing and not given.keys() - set(_RULE_KEYS):
        return  # a pack that only switches the rule on or off, or sets its severity
    try:
        rule.options.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        option = str(error["loc"][0]) if error["loc"] else None
        where = ("rules", code, option) if option in given else ("rules", code)
        what = f"option '{option}'" if option else "options"
        raise ruleset.error(f"rule {code} {what}: {_reason(error)}", *where) from None


_KINDS = {"int_type": "an integer", "int_parsing": "an integer", "float_type": "a number", "bool_type": "true or false",
          "string_type": "a string", "list_type": "a list", "dict_type": "a mapping"}


def _reason(error: dict[str, Any]) -> str:
    """One short clause for a pydantic error: "must be an integer", "must be at least 1"."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    where = "".join(f"[{part!r}]" for part in error.get("loc", ())[1:])  # inside a list or mapping
    if kind in _KINDS:
        return f"{where and where + ' '}must be {_KINDS[kind]}, not {_shown(error.get('input'))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than",
                 "less_than": "less than"}[kind]
        limit = next(iter(context.values()), "")
        return f"{where and where + ' '}must be {bound} {limit}, not {_shown(error.get('input'))}"
    if kind == "literal_error":
        return f"must be {context.get('expected', 'one of the allowed values')}, not {_shown(error.get('input'))}"
    if kind == "missing":
        return "missing (the shipped pack must give every option)"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _rulesets(extra: tuple[Path, ...]) -> Rulesets:
    shipped = _shipped_rulesets()
    if not extra:
        return shipped
    merged = shipped.copy()
    for path in extra:
        try:
            found = path.is_file()
        except OSError as exc:  # a name too long for the file system, say
            raise ConfigError(f"ruleset file cannot be opened: {exc.strerror or exc}", str(path)) from None
        if not found:
            raise ConfigError("ruleset file not found", str(path))
        _merge_ruleset(merged, _load_yaml(path))
    return merged


# --- resolution -----------------------------------------------------------------

def _expand(selectors: list[Any], unknown) -> set[str]:
    """The codes the selectors name; `unknown(selector)` makes the error for one that names none."""
    codes: set[str] = set()
    for selector in selectors:
        # The shipped rule packs name every rule (a test keeps them so): a warm run that selects
        # ALL or a prefix need not import every rule module to know the codes.
        found = expand_selector(selector, _shipped_rulesets().rules) if isinstance(selector, str) else []
        if not found:
            raise unknown(selector)
        codes.update(found)
    return codes


def _codes(config: _Located, selectors: list[Any], *keys: str) -> set[str]:
    return _expand(selectors, lambda selector: config.error(f"unknown rule code or prefix '{selector}'", *keys))


def _cli_codes(selectors: list[str], option: str) -> set[str]:
    return _expand(selectors, lambda selector: ConfigError(
        f"{option}: unknown rule code or prefix '{selector}'", "command line"))


def resolve(config_path: Path | None, overrides: Overrides, cwd: Path) -> FileSettings:
    config = _load_config(config_path) if config_path else None
    data = config.data if config else {}
    config = config or _Located({}, "defaults", lambda keys: (None, None))
    for key, value in data.items():
        expected = _CONFIG_KEYS.get(key)
        if expected is None:
            raise config.error(f"unknown config key '{key}' (known: {', '.join(sorted(_CONFIG_KEYS))})", key)
        if not isinstance(value, expected):
            raise config.error(f"'{key}' must be a {expected.__name__}", key)
    for key in _TEXT_LISTS:
        for item in data.get(key, []):
            if not isinstance(item, str):
                raise config.error(f"'{key}' must list paths or patterns as text, not {_shown(item)}", key)
    limits = _limits(config, data.get("limits", {}))
    root = config_path.parent if config_path else cwd
    rulesets = _rulesets(tuple(resolved(root / name) for name in data.get("rulesets", [])))

    selected = {code for code, options in rulesets.rules.items() if options.get("enabled", True)}
    if "select" in data:
        selected = _codes(config, data["select"], "select")
    selected |= _codes(config, data.get("extend-select", []), "extend-select")
    selected -= _codes(config, data.get("ignore", []) + data.get("extend-ignore", []), "ignore")
    if overrides.select is not None:
        selected = _cli_codes(overrides.select, "--select")
    selected |= _cli_codes(overrides.extend_select, "--extend-select")
    selected -= _cli_codes(overrides.ignore, "--ignore")

    severities: dict[str, str] = {}
    for selector, severity in data.get("severity", {}).items():
        if severity not in SEVERITIES:
            raise config.error(f"severity for {selector} must be one of {', '.join(SEVERITIES)}", "severity", selector)
        for code in _codes(config, [selector], "severity", selector):
            severities[code] = severity

    per_file = []
    for pattern, selectors in data.get("per-file-ignores", {}).items():
        if not isinstance(selectors, list):
            raise config.error(f"per-file-ignores '{pattern}' must list rule codes", "per-file-ignores", pattern)
        per_file.append((pattern, frozenset(_codes(config, selectors, "per-file-ignores", pattern))))

    fail_on = overrides.fail_on or data.get("fail-on", "warning")
    if fail_on not in SEVERITIES:
        raise config.error(f"fail-on must be one of {', '.join(SEVERITIES)}", "fail-on")
    channel = data.get("channel")
    if channel is not None and channel not in rulesets.channels:
        raise config.error(f"unknown channel '{channel}' (known: {', '.join(rulesets.channels)})", "channel")
    per_path = []
    for pattern, overrides in data.get("per-path", {}).items():
        if not isinstance(overrides, dict):
            raise config.error(f"per-path '{pattern}' must be a table of channel/language", "per-path", pattern)
        for key, value in overrides.items():
            if key not in _PER_PATH_KEYS or not isinstance(value, str):
                raise config.error(f"per-path '{pattern}': unknown or bad key '{key}' (known: channel, language)",
                                   "per-path", pattern)
            if key == "channel" and value not in rulesets.channels:
                raise config.error(f"per-path '{pattern}': unknown channel '{value}'", "per-path", pattern)
        per_path.append((pattern, dict(overrides)))
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
        root=root, source=str(config_path) if config_path else "defaults",
        selected=frozenset(selected), severities=severities, per_file_ignores=per_file,
        language=data.get("language", "en"), channel=channel,
        exclude=list(data.get("exclude", [])) + list(data.get("extend-exclude", [])),
        fail_on=fail_on, rulesets=rulesets, policy_profiles=profiles, per_path=per_path, cwd=cwd,
        disclose_bot=data.get("disclose-bot", False), business_name=data.get("business-name"),
        limits=limits,
    )


def _limits(config: _Located, table: dict[str, Any]) -> Limits:
    """`limits = {max-file-bytes = ..., max-depth = ..., max-steps = ..., max-message-chars = ...}`."""
    known = Limits.keys()
    values = {}
    for key, value in table.items():
        if key not in known:
            raise config.error(f"unknown limit '{key}' (known: {', '.join(known)})", "limits", key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise config.error(f"limit '{key}' must be a whole number, 1 or more, not {_shown(value)}",
                               "limits", key)
        values[known[key]] = value
    return Limits(**values)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


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
