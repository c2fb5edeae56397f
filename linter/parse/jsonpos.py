"""JSON that remembers where everything is, so imported findings point into the original file.

The standard library's parser (C speed) decodes; it keeps no positions, so one regular-expression
pass over the text then finds where each object, array, key and array item starts (and each
container ends), and a walk of the decoded data in document order pairs them with their nodes.
What `json.loads` accepts beyond RFC 8259, or cannot say precisely, is refused here at its place,
as a strict parser would: duplicate keys, escapes of half a surrogate pair, NaN and Infinity,
nesting deeper than max-depth, numbers too long to convert. A syntax error is reported where
json found it; one inside a string, at the string's start.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from linter.core.errors import FlowSyntaxError
from linter.parse.limits import current, over
from linter.parse.locate import Positions
from linter.parse.source import line_at

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'  # a string json.loads accepted: escapes are valid
# Tokens by group: 1 a key (a string and its ':'), 2 an opening bracket, 3 a closing one, 4 a string
# value, 5 a number or literal. A lone '"' (6) starts a string json.loads refused.
_STRICT_STRING = r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"'  # RFC 8259, for broken text
_TOKENS = r'({0})[ \t\n\r]*:|([{{\[])|([}}\]])|({0})|([^ \t\n\r{{}}\[\],:"]+)|(")'
_STRICT_TOKEN = re.compile(_TOKENS.format(_STRICT_STRING))
_KEY, _OPEN, _CLOSE, _VALUE_STRING, _SCALAR, _BROKEN_STRING = range(1, 7)
# For text json.loads accepted, one match per token, the separators before it included: groups 1 a
# string (2 its ':' when it is a key, and its value when that is no container: an object's values
# need no position), 3 an opening bracket, 4 a closing one, 5 a number or literal.
_SCALAR_TEXT = r'[^ \t\n\r{}\[\],:"]+'
_FAST_TOKEN = re.compile(rf'[ \t\n\r,:]*(?:({_STRING})([ \t\n\r]*:[ \t\n\r]*(?:{_STRING}|{_SCALAR_TEXT})?)?'
                         rf'|([{{\[])|([}}\]])|({_SCALAR_TEXT}))')
_SURROGATE = re.compile("[\ud800-\udfff]")
# One escaped surrogate, or an escaped pair that json joins (high then low).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_NON_STANDARD = ("NaN", "Infinity", "-Infinity")  # json.loads reads them; RFC 8259 has no such values
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LONG_NUMBER = 4000  # digits: below Python's least limit for converting text to int (sys.get_int_max_str_digits)
_MAYBE_LONE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class JsonDocument:
    """Parsed JSON plus where each container, key and item starts and ends."""

    def __init__(self, data: Any, positions: Positions, path: str) -> None:
        self.data = data
        self.positions = positions
        self.path = path


class _NonStandardConstant(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NonStandardConstant(name)


def load_json(text: str, path: str) -> JsonDocument:
    where = _Where(text, path)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        _Check(text, where).until(exc.pos)
        where.fail(*_syntax_error(exc, text))
    except (ValueError, RecursionError):  # NaN, a number too long to convert, nesting past Python's limit
        check = _Check(text, where)
        check.until(len(text))
        where.fail("nested too deeply", check.deepest)  # only with a max-depth raised far above the default
    if _MAYBE_LONE_SURROGATE.search(text):  # json reads an escaped half of a pair as a character
        _Check(text, where).until(len(text))
    positions = _OffsetPositions(where)
    try:
        _pair(data, _containers(text), positions)
    except _Mismatch:  # nested past max-depth, or a duplicate key (json kept the last value)
        _Check(text, where).until(len(text))
        raise AssertionError("the JSON text and its data do not line up") from None
    return JsonDocument(data, positions, path)


class _Where:
    """Offsets into line:col, and errors at an offset."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self._line_starts: list[int] | None = None  # made when first needed

    def __call__(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def fail(self, message: str, offset: int | None) -> None:
        line, col = self(offset) if offset is not None else (None, None)
        raise FlowSyntaxError(f"invalid JSON: {message}", self.path, line, col,
                              line_at(self.text, line) if line else None)


def _containers(text: str) -> list[list]:
    """Every object and array of valid JSON text in document order (the order of their opening
    brackets): [start, end, offsets of its keys (an object) or items (an array)]."""
    found: list[list] = []
    stack: list[list] = []
    top: list = [0, 0, []]  # around the document: a lone value's offset goes here, unused
    in_array = False
    max_depth = current().max_depth
    for match in _FAST_TOKEN.finditer(text):
        kind = match.lastindex
        if kind == 2:  # a key
            top[2].append(match.start(1))
        elif kind == 3:  # { or [
            start = match.start(3)
            if in_array:
                top[2].append(start)
            if len(stack) >= max_depth:
                raise _Mismatch  # the check says where
            stack.append(top)
            top = [start, None, []]
            found.append(top)
            in_array = text[start] == "["
        elif kind == 4:  # } or ]
            top[1] = match.end()
            top = stack.pop()
            in_array = bool(stack) and text[top[0]] == "["
        elif in_array:  # a string, number or literal: an item of the array
            top[2].append(match.start(kind))
    return found


class _Mismatch(Exception):
    """The decoded data does not line up with the text's tokens."""


class _OffsetPositions(Positions):
    """Positions kept as offsets into the text, turned into line:col when asked (most never are)."""

    def __init__(self, where: _Where) -> None:
        super().__init__()
        self.where = where
        self.spans: dict[int, tuple[int, int]] = {}
        self.keys: dict[int, dict[str, int]] = {}
        self.items: dict[int, list[int]] = {}
        self.alive: list[Any] = []  # keeps containers alive so their ids stay unique

    def span(self, container: Any) -> tuple[int, int, int, int] | None:
        found = self.spans.get(id(container))
        return (*self.where(found[0]), *self.where(found[1])) if found else super().span(container)

    def key(self, mapping: dict, key: str) -> tuple[int, int] | None:
        offset = self.keys.get(id(mapping), {}).get(key)
        return self.where(offset) if offset is not None else super().key(mapping, key)

    def item(self, items: list, index: int) -> tuple[int, int] | None:
        offsets = self.items.get(id(items))
        if offsets is None:
            return super().item(items, index)
        return self.where(offsets[index]) if index < len(offsets) else None


def _pair(data: Any, containers: list[list], positions: _OffsetPositions) -> None:
    """Record the positions of `containers` on the decoded data, walked in document order."""
    index = 0
    pending = [data]
    while pending:
        node = pending.pop()
        if not isinstance(node, (dict, list)):
            continue
        if index >= len(containers):
            raise _Mismatch
        start, end, offsets = containers[index]
        index += 1
        if len(offsets) != len(node):
            raise _Mismatch
        if isinstance(node, dict):
            positions.keys[id(node)] = dict(zip(node, offsets))
            children = node.values()
        else:
            positions.items[id(node)] = offsets
            children = node
        positions.spans[id(node)] = (start, end)
        positions.alive.append(node)
        pending.extend(reversed([child for child in children if isinstance(child, (dict, list))]))
    if index != len(containers):
        raise _Mismatch


class _Check:
    """What a strict parser refuses that json.loads reads (or cannot place), found in document order
    up to `end`: an error at its place; nothing if all is well."""

    def __init__(self, text: str, where: _Where) -> None:
        self.text = text
        self.where = where
        self.deepest: int | None = None  # the offset of the deepest opening bracket

    def until(self, end: int) -> None:
        text, where = self.text, self.where
        max_depth = current().max_depth
        keys: list[set[str] | None] = []  # per open container: the keys of an object so far (None: an array)
        depth = 0
        for match in _STRICT_TOKEN.finditer(text):
            start = match.start()
            if start >= end:
                return
            kind = match.lastindex
            if kind == _BROKEN_STRING:  # json names the place inside the string; a string starts here
                where.fail(_bad_string(text, start), start)
            if kind == _OPEN:
                keys.append(set() if match.group() == "{" else None)
                if len(keys) > depth:
                    depth, self.deepest = len(keys), start
                if len(keys) > max_depth:
                    where.fail(f"nested {len(keys)} deep, {over('max-depth', max_depth)}", start)
            elif kind == _CLOSE:
                keys.pop()
            elif kind in (_KEY, _VALUE_STRING):
                raw = match.group(kind)
                value = json.loads(raw) if "\\" in raw else raw[1:-1]
                if "\\u" in raw:
                    self._surrogates(raw, value, start)
                # A key only if its ':' comes before json stopped, inside an object.
                if kind == _KEY and match.end() <= end and keys and keys[-1] is not None:
                    if value in keys[-1]:
                        where.fail(f"duplicate key '{value}'", start)
                    keys[-1].add(value)
            elif kind == _SCALAR:
                self._scalar(match.group(), start)

    def _surrogates(self, raw: str, value: str, start: int) -> None:
        if not _SURROGATE.search(value):
            return
        for escape in _SURROGATE_ESCAPE.finditer(raw):  # json joins the pairs; any left is alone
            if _SURROGATE.search(json.loads(f'"{escape.group()}"')):
                self.where.fail(f"escape '{escape.group()}' is half of a UTF-16 surrogate pair, not a character",
                                start + escape.start())

    def _scalar(self, token: str, start: int) -> None:
        if token.startswith(_NON_STANDARD):
            self.where.fail(f"unexpected character {token[0]!r}", start)
        number = _NUMBER.match(token)
        if number and len(number.group()) > _LONG_NUMBER and not any(c in number.group() for c in ".eE"):
            try:
                int(number.group())
            except ValueError:  # more digits than Python converts (4300)
                self.where.fail(f"number of {len(number.group())} digits is too long", start)


def _syntax_error(exc: json.JSONDecodeError, text: str) -> tuple[str, int]:
    """json's message for a syntax error as botlint says it, and the offset it names."""
    offset, problem = exc.pos, exc.msg
    if problem.startswith("Illegal trailing comma"):  # Python 3.13+: where the next item was expected
        offset = re.compile(r"[ \t\n\r]*").match(text, offset + 1).end()
        problem = "Expecting property name" if "object" in problem else "Expecting value"
    if problem.startswith("Expecting value") or problem.startswith("Unexpected UTF-8 BOM"):
        return ("unexpected end of file" if offset >= len(text) else f"unexpected character {text[offset]!r}"), offset
    if problem.startswith("Expecting property name"):
        return "expected a quoted key", offset
    if problem.startswith("Expecting ':'"):
        return "expected ':' after the key", offset
    if problem.startswith("Expecting ','"):
        return f"expected ',' or '{_closing(text, offset)}'", offset
    if problem.startswith("Unterminated string"):
        return _bad_string(text, offset), offset
    if problem.startswith("Extra data"):
        return "unexpected text after the JSON value", offset
    return problem[0].lower() + problem[1:], offset


def _bad_string(text: str, start: int) -> str:
    return "unterminated string or bad escape" if "\n" in text[start:] or '"' not in text[start + 1:] else "bad string"


def _closing(text: str, offset: int) -> str:
    """The bracket that closes the container open at `offset` of valid text before it."""
    depth: list[str] = []
    for match in _STRICT_TOKEN.finditer(text, 0, offset):
        kind = match.lastindex
        if kind == _OPEN:
            depth.append("}" if match.group() == "{" else "]")
        elif kind == _CLOSE:
            depth.pop()
    return depth[-1] if depth else "}"
