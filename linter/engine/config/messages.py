"""How a bad value is worded in a config or ruleset error: short, and the same everywhere."""

from __future__ import annotations

from typing import Any


def shown(value: Any) -> str:
    """A value as the file wrote it, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


_KINDS = {"int_type": "an integer", "int_parsing": "an integer", "float_type": "a number", "bool_type": "true or false",
          "string_type": "a string", "list_type": "a list", "dict_type": "a mapping"}


def reason(error: dict[str, Any]) -> str:
    """One short clause for a pydantic error: "must be an integer", "must be at least 1"."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    where = "".join(f"[{part!r}]" for part in error.get("loc", ())[1:])  # inside a list or mapping
    if kind in _KINDS:
        return f"{where and where + ' '}must be {_KINDS[kind]}, not {shown(error.get('input'))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than",
                 "less_than": "less than"}[kind]
        limit = next(iter(context.values()), "")
        return f"{where and where + ' '}must be {bound} {limit}, not {shown(error.get('input'))}"
    if kind == "literal_error":
        return f"must be {context.get('expected', 'one of the allowed values')}, not {shown(error.get('input'))}"
    if kind == "missing":
        return "missing (the shipped pack must give every option)"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]
