"""The reference for `linter.parse.jsonpos`: the strict position-keeping JSON parser (RFC 8259) it
replaced, kept as a test oracle. `load_json` here and there must give the same data, the same
position for every object, array, key and item, and the same error at the same place.
"""

from __future__ import annotations

import json
import re
from typing import Any

from linter.core.errors import FlowSyntaxError
from linter.parse.limits import current, over
from linter.parse.locate import Positions
from linter.parse.source import line_at

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_LITERALS = {"true": True, "false": False, "null": None}
_SURROGATE = re.compile("[\ud800-\udfff]")
# One escaped surrogate, or an escaped pair that json joins (high then low).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class JsonDocument:
    """Parsed JSON plus where each container, key and item starts and ends."""

    def __init__(self, data: Any, positions: Positions, path: str) -> None:
        self.data = data
        self.positions = positions
        self.path = path


def load_json(text: str, path: str) -> JsonDocument:
    parser = _Parser(text, path)
    try:
        data = parser.value()
    except RecursionError:  # only with a max-depth raised far above the default
        parser.fail("nested too deeply")
    parser.skip()
    if parser.pos != len(text):
        parser.fail("unexpected text after the JSON value")
    return JsonDocument(data, parser.positions, path)


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.pos = 0
        self.positions = Positions()
        self.depth = 0
        self.max_depth = current().max_depth
        # Line starts, to turn offsets into line:col quickly.
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def fail(self, message: str, offset: int | None = None) -> None:
        line, col = self.where(self.pos if offset is None else offset)
        raise FlowSyntaxError(f"invalid JSON: {message}", self.path, line, col, line_at(self.text, line))

    def skip(self) -> None:
        self.pos = _WHITESPACE.match(self.text, self.pos).end()

    def value(self) -> Any:
        self.skip()
        if self.pos >= len(self.text):
            self.fail("unexpected end of file")
        char = self.text[self.pos]
        if char in "{[":
            self.depth += 1
            if self.depth > self.max_depth:
                self.fail(f"nested {self.depth} deep, {over('max-depth', self.max_depth)}")
            value = self.object() if char == "{" else self.array()
            self.depth -= 1
            return value
        if char == '"':
            return self.string()
        match = _NUMBER.match(self.text, self.pos)
        if match and match.end() > self.pos:
            number = match.group()
            try:
                value = float(number) if any(c in number for c in ".eE") else int(number)
            except ValueError:  # more digits than Python converts (4300)
                self.fail(f"number of {len(number)} digits is too long")
            self.pos = match.end()
            return value
        for literal, result in _LITERALS.items():
            if self.text.startswith(literal, self.pos):
                self.pos += len(literal)
                return result
        self.fail(f"unexpected character {char!r}")

    def string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if not match:
            end = self.text.find("\n", self.pos)
            self.fail("unterminated string or bad escape" if end != -1 or '"' not in self.text[self.pos + 1:]
                      else "bad string")
        raw = match.group()
        value = json.loads(raw) if "\\" in raw else raw[1:-1]
        if "\\u" in raw and _SURROGATE.search(value):
            for escape in _SURROGATE_ESCAPE.finditer(raw):  # json joins the pairs; any left is alone
                lone = json.loads(f'"{escape.group()}"')
                if _SURROGATE.search(lone):
                    self.fail(f"escape '{escape.group()}' is half of a UTF-16 surrogate pair, not a character",
                              self.pos + escape.start())
        self.pos = match.end()
        return value

    def object(self) -> dict[str, Any]:
        start = self.pos
        self.pos += 1
        result: dict[str, Any] = {}
        keys: dict[str, tuple[int, int]] = {}
        self.skip()
        if self.text.startswith("}", self.pos):
            self.pos += 1
            self._record(result, start)
            return result
        while True:
            self.skip()
            if not self.text.startswith('"', self.pos):
                self.fail("expected a quoted key")
            key_at = self.pos
            key = self.string()
            self.skip()
            if not self.text.startswith(":", self.pos):
                self.fail("expected ':' after the key")
            self.pos += 1
            if key in result:
                self.fail(f"duplicate key '{key}'", key_at)
            keys[key] = self.where(key_at)
            result[key] = self.value()
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith("}", self.pos):
                self.pos += 1
                break
            self.fail("expected ',' or '}'")
        self.positions.add_keys(result, keys)
        self._record(result, start)
        return result

    def array(self) -> list[Any]:
        start = self.pos
        self.pos += 1
        items: list[Any] = []
        starts: list[tuple[int, int]] = []
        self.skip()
        if self.text.startswith("]", self.pos):
            self.pos += 1
            self._record(items, start)
            return items
        while True:
            self.skip()
            starts.append(self.where(self.pos))
            items.append(self.value())
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith("]", self.pos):
                self.pos += 1
                break
            self.fail("expected ',' or ']'")
        self.positions.add_items(items, starts)
        self._record(items, start)
        return items

    def _record(self, container: Any, start: int) -> None:
        line, col = self.where(start)
        end_line, end_col = self.where(self.pos)
        self.positions.add_span(container, (line, col, end_line, end_col))
