"""Turn a pydantic validation error back into a file position.

Both readers hand over plain data in which every mapping carries its span;
the YAML reader also records where each key and list item starts. Walking the
error's `loc` through that data finds the closest node that has a position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic and the model are imported where an error is located: discovery
    from pydantic import ValidationError  # imports the importers, and a warm run needs neither


class Positions:
    """Where keys and list items start, keyed by the identity of their container."""

    def __init__(self) -> None:
        self._keys: dict[int, dict[str, tuple[int, int]]] = {}
        self._items: dict[int, list[tuple[int, int]]] = {}
        self._spans: dict[int, tuple[int, int, int, int]] = {}
        self._alive: list[Any] = []  # keeps containers alive so their ids stay unique

    def add_keys(self, mapping: dict, keys: dict[str, tuple[int, int]]) -> None:
        self._keys[id(mapping)] = keys
        self._alive.append(mapping)

    def add_items(self, items: list, starts: list[tuple[int, int]]) -> None:
        self._items[id(items)] = starts
        self._alive.append(items)

    def add_span(self, container: Any, span: tuple[int, int, int, int]) -> None:
        self._spans[id(container)] = span
        self._alive.append(container)

    def span(self, container: Any) -> tuple[int, int, int, int] | None:
        """(line, col, end_line, end_col) of a mapping or list, where the reader recorded it."""
        return self._spans.get(id(container))

    def key(self, mapping: dict, key: str) -> tuple[int, int] | None:
        return self._keys.get(id(mapping), {}).get(key)

    def item(self, items: list, index: int) -> tuple[int, int] | None:
        starts = self._items.get(id(items))
        return starts[index] if starts and index < len(starts) else None


def _start(node: Any) -> tuple[int, int] | None:
    if isinstance(node, dict) and isinstance(node.get("span"), dict):
        return node["span"]["line"], node["span"]["col"]
    return None


def locate(data: Any, loc: tuple, positions: Positions | None = None) -> tuple[int | None, int | None]:
    """The line and column of the deepest node of `loc` that has a known position."""
    from linter.model.flow import statement_kind  # here, not at import: see the top

    positions = positions or Positions()
    node, where = data, _start(data)
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            where = positions.key(node, part) or where
            child = node[part]
            if isinstance(child, (dict, list)):
                node = child
                where = _start(child) or where
            elif parts:  # a scalar with loc parts left: the part was a union tag, not a key
                continue
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            element = node[part]
            where = _start(element) or positions.item(node, part) or where
            node = element
            if parts and parts[0] == statement_kind(element):
                parts.pop(0)  # pydantic puts the union member's tag into loc
        # anything else (a tag we do not know, a missing key) keeps the last position
    return where if where else (None, None)


def describe(error: dict) -> str:
    """One readable sentence for one pydantic error."""
    loc = [part for part in error["loc"] if isinstance(part, str)]
    field = loc[-1] if loc else "flow"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{field}'"
    if kind == "missing":
        return f"missing required key '{field}'"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return f"{field}: {message}" if kind != "unknown_statement" else message


def first_error(exc: ValidationError, data: Any, positions: Positions | None) -> tuple[str, int | None, int | None]:
    errors = exc.errors(include_url=False)
    error = errors[0]
    line, col = locate(data, error["loc"], positions)
    message = describe(error)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return message, line, col
