"""Bounded work: how big, how deep and how long an input may be before botlint refuses it.

botlint reads files anybody can write, on every commit: a 5 GB file, a YAML
"billion laughs" or a 100,000-step flow must be refused (or finished) in
bounded time and memory, with one clear error naming the file and the place.
The numbers are configurable (`limits = {max-file-bytes = ...}` in the config);
the defaults are far above any real flow.

Readers take the limits in force from `current()`: `using(limits)` sets them
for one unit, so importers, which read many files, need no extra parameter.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator, NamedTuple

from linter.core.errors import FlowSyntaxError


class Limits(NamedTuple):
    max_file_bytes: int = 10_000_000  # one file; refused before it is read
    max_depth: int = 64  # YAML/JSON nesting, and blocks nested by indentation in .flow files
    max_steps: int = 10_000  # steps in one flow
    max_message_chars: int = 100_000  # one message, question, option label or handoff text

    @classmethod
    def keys(cls) -> dict[str, str]:
        """Config key -> field name: `max-file-bytes` -> `max_file_bytes`."""
        return {name.replace("_", "-"): name for name in cls._fields}


DEFAULT = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("botlint_limits", default=DEFAULT)

# YAML aliases may repeat at most this many nodes beyond the document's own (plus as many
# as the document has): a real flow reuses a list of options, a "billion laughs" repeats
# millions of nodes from a few lines.
ALIAS_ALLOWANCE = 10_000


def current() -> Limits:
    return _CURRENT.get()


@contextmanager
def using(limits: Limits | None) -> Iterator[Limits]:
    token = _CURRENT.set(limits or current())
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def note(key: str) -> str:
    """The end of a limit's error message: which limit, and how to raise it."""
    return f"(limits.{key}; raise it in the config to allow more)"


def over(key: str, value: int) -> str:
    return f"more than {value} {note(key)}"


def describe_size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1000:
        return f"{size / 1000:.1f} kB"
    return f"{size} bytes"


# --- the model's data: steps per flow, text lengths --------------------------------------------

_TEXT_KEYS = ("say", "ask", "tell", "off_hours", "text", "label")
_OPTION_KEYS = ("replies", "buttons", "rows")


def check_document(data: Any, path: str, limits: Limits | None = None) -> None:
    """Refuse a document (the model's input data, before validation) with too many steps in a
    flow or too long a text; the error points at the step or statement."""
    limits = limits or current()
    if not isinstance(data, dict) or not isinstance(data.get("flows"), list):
        return
    for flow in data["flows"]:
        if not isinstance(flow, dict) or not isinstance(flow.get("steps"), list):
            continue
        steps = flow["steps"]
        if len(steps) > limits.max_steps:
            extra = steps[limits.max_steps]
            raise _error(f"flow '{_shown(flow.get('name'))}' has {len(steps)} steps, more than {limits.max_steps} "
                         f"{note('max-steps')}", path, extra if isinstance(extra, dict) else flow)
        for key in ("title", "description"):
            _check_text(flow, key, path, limits)
        for step in steps:
            if isinstance(step, dict) and isinstance(step.get("do"), list):
                _check_statements(step["do"], path, limits)


def _check_statements(statements: list, path: str, limits: Limits) -> None:
    pending = [statements]  # a loop, not recursion: followups nest
    while pending:
        for statement in pending.pop():
            if not isinstance(statement, dict):
                continue
            for key in _TEXT_KEYS:
                _check_text(statement, key, path, limits)
            for key in _OPTION_KEYS:
                options = statement.get(key)
                for option in options if isinstance(options, list) else []:
                    if isinstance(option, dict):
                        _check_text(option, "label", path, limits)
            if isinstance(statement.get("do"), list):
                pending.append(statement["do"])


def _check_text(node: dict, key: str, path: str, limits: Limits) -> None:
    text = node.get(key)
    if isinstance(text, str) and len(text) > limits.max_message_chars:
        raise _error(f"'{key}' text of {len(text)} characters, {over('max-message-chars', limits.max_message_chars)}",
                     path, node)


def _shown(name: Any) -> str:
    text = str(name)
    return text if len(text) <= 40 else text[:40] + "…"


def _error(message: str, path: str, node: dict) -> FlowSyntaxError:
    span = node.get("span") if isinstance(node, dict) else None
    if isinstance(span, dict):
        return FlowSyntaxError(message, span.get("file") or path, span.get("line"), span.get("col"))
    return FlowSyntaxError(message, path)
