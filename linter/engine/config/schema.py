"""The config's schema: every key of `.botlint.yaml` / `[tool.botlint]`, and what its value may be.

Types are strict, as the file wrote them: "3" is not a number and 1 is not true. What depends on
the rulesets (rule codes, channels, policy profiles) is checked when the config is resolved.
Only the keys a file gives are validated: a default here is None, "not given", and resolution
supplies the real one. Importing this module imports pydantic (~60 ms), so `checked` does it
only for a config text that has not passed before.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from linter.core.severity import SEVERITIES
from linter.engine.config.files import Located
from linter.engine.config.messages import reason, shown
from linter.parse.limits import Limits

_STRICT = ConfigDict(extra="forbid", strict=True)
Severity = Literal[SEVERITIES]
RuleCodes = list[str]  # codes, prefixes or ALL: each is checked against the rules in resolution
Patterns = list[str]  # paths and globs, relative to the config's folder


class PerPath(BaseModel):
    """What the files a `per-path` pattern matches are, for formats that cannot say it."""

    model_config = _STRICT
    channel: str = None
    language: str = None


# `limits`: one field per Limits field, under its config name (max-file-bytes), 1 or more.
LimitsTable = create_model("LimitsTable", __config__=_STRICT, **{
    name: (int, Field(None, ge=1, alias=key)) for key, name in Limits.keys().items()})


class ConfigSchema(BaseModel):
    """`.botlint.yaml`, or `[tool.botlint]` in pyproject.toml."""

    model_config = _STRICT
    select: RuleCodes = None  # replaces the packs' default set
    extend_select: RuleCodes = Field(None, alias="extend-select")
    ignore: RuleCodes = None
    extend_ignore: RuleCodes = Field(None, alias="extend-ignore")
    severity: dict[str, Severity] = None  # code or prefix -> severity
    per_file_ignores: dict[str, RuleCodes] = Field(None, alias="per-file-ignores")  # glob -> codes
    language: str = None  # of flows that do not say
    channel: str = None  # of flows that do not say; a channel of the rulesets
    rulesets: Patterns = None  # users' rule packs
    exclude: Patterns = None
    extend_exclude: Patterns = Field(None, alias="extend-exclude")
    fail_on: Severity = Field(None, alias="fail-on")
    policy: dict[str, str | Literal[False] | None] = None  # channel -> profile; "none", false or null: none
    disclose_bot: bool = Field(None, alias="disclose-bot")
    business_name: str = Field(None, alias="business-name")
    per_path: dict[str, PerPath] = Field(None, alias="per-path")  # glob -> channel/language
    limits: LimitsTable = None


KNOWN_KEYS = sorted(field.alias or name for name, field in ConfigSchema.model_fields.items())
_CODE_LISTS = ("select", "extend-select", "ignore", "extend-ignore")
_PATTERN_LISTS = ("rulesets", "exclude", "extend-exclude")
# As the Python types were named before the schema: "'limits' must be a dict".
_TYPE_NAMES = {"list_type": "list", "dict_type": "dict", "model_type": "dict", "string_type": "str",
               "bool_type": "bool"}


def check(config: Located) -> None:
    """A ConfigError at the first bad key (in the file's order) when the config breaks the schema."""
    try:
        ConfigSchema.model_validate(config.data)
    except ValidationError as exc:
        def place(error: dict[str, Any]) -> tuple[bool, int, int]:
            line, col = config.where(*_keys(error["loc"], config.data))
            return line is None, line or 0, col or 0

        first = min(exc.errors(include_url=False), key=place)
        raise config.error(_message(first), *_keys(first["loc"], config.data)) from None


def _keys(loc: tuple[Any, ...], data: dict[str, Any]) -> tuple[str, ...]:
    """The keys of an error's place that the file wrote (not list indexes, nor union members' names)."""
    keys, node = [], data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            break
        keys.append(part)
        node = node[part]
    return tuple(keys)


def _message(error: dict[str, Any]) -> str:
    """The error in the config's words: the key, what it must be, and what it is."""
    loc, kind, value = error["loc"], error["type"], shown(error.get("input"))
    key = loc[0]
    if len(loc) == 1:
        if kind == "extra_forbidden":
            return f"unknown config key '{key}' (known: {', '.join(KNOWN_KEYS)})"
        if key == "fail-on":
            return f"fail-on must be one of {', '.join(SEVERITIES)}, not {value}"
        if kind in _TYPE_NAMES:
            return f"'{key}' must be a {_TYPE_NAMES[kind]}, not {value}"
        return f"'{key}' {reason(error)}"
    item = loc[1]
    if key in _CODE_LISTS:
        return f"'{key}' must list rule codes or prefixes as text, not {value}"
    if key in _PATTERN_LISTS:
        return f"'{key}' must list paths or patterns as text, not {value}"
    if key == "limits":
        if kind == "extra_forbidden":
            return f"unknown limit '{item}' (known: {', '.join(Limits.keys())})"
        return f"limit '{item}' must be a whole number, 1 or more, not {value}"
    if key == "severity":
        return f"severity for {item} must be one of {', '.join(SEVERITIES)}, not {value}"
    if key == "per-file-ignores":
        return f"per-file-ignores '{item}' must list rule codes, not {value}"
    if key == "per-path":
        if len(loc) == 2:
            return f"per-path '{item}' must be a table of channel/language, not {value}"
        if kind == "extra_forbidden":
            return f"per-path '{item}': unknown or bad key '{loc[2]}' (known: channel, language)"
        return f"per-path '{item}': '{loc[2]}' must be a str, not {value}"
    if key == "policy":
        return f"policy for {item} must be a profile name or \"none\", not {value}"
    return f"'{key}' {reason(error)}"
