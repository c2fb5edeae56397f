"""Where each key of a TOML document is written: tomllib keeps no positions.

It reads text that tomllib has already accepted, so it reports nothing and only follows the
structure: table headers (`[a.b]`, and `[[a.b]]`, whose entries are numbered), dotted and quoted
keys, inline tables, arrays (which may span lines), the four kinds of string (which may hold
`=`, `#` or brackets, and span lines) and comments. It never recurses, so any nesting tomllib
read is fine here.
"""

from __future__ import annotations

import re
from bisect import bisect_right

Path = tuple[str | int, ...]  # keys from the document's root; an int numbers an array item

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Where a number, boolean or date ends: none holds these characters.
_SCALAR_END = re.compile(r"[,\]}\n#]")


def key_positions(text: str) -> dict[Path, tuple[int, int]]:
    """Every key's (line, column), both from 1, by its path: where it is first written (a table
    header names its table too; a dotted key names each table on its way)."""
    return _Scanner(text).scan()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.found: dict[Path, tuple[int, int]] = {}
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def scan(self) -> dict[Path, tuple[int, int]]:
        text, end = self.text, len(self.text)
        table: Path = ()
        arrays: dict[Path, int] = {}  # [[a.b]] -> how many entries so far
        open_values: list[list] = []  # the arrays and inline tables being read: [path, next index or None]
        while True:
            start = self.pos
            self._skip_blank(newlines=True)
            if self.pos >= end:
                break
            char = text[self.pos]
            if open_values:
                path, index = open_values[-1]
                if char in "]}":
                    open_values.pop()
                    self.pos += 1
                elif char == ",":
                    if index is not None:
                        open_values[-1][1] += 1
                    self.pos += 1
                elif index is not None:  # an array item
                    self._value(path + (index,), open_values)
                else:  # a key of an inline table
                    self._key_value(path, open_values)
            elif char == "[":
                table = self._header(arrays)
            else:
                self._key_value(table, open_values)
            if self.pos == start:  # never in text tomllib accepted; but never loop on it either
                self.pos += 1
        return self.found

    def _header(self, arrays: dict[Path, int]) -> Path:
        """`[a.b]` or `[[a.b]]` -> the table's path; a table inside `[[a]]` belongs to its last entry."""
        double = self.text.startswith("[[", self.pos)
        self.pos += 2 if double else 1
        parts = self._key()
        path: Path = ()
        for number, (name, offset) in enumerate(parts):
            path += (name,)
            self._record(path, offset)
            last = number == len(parts) - 1
            if double and last:
                arrays[path] = arrays.get(path, 0) + 1
            if path in arrays:
                path += (arrays[path] - 1,)
                self._record(path, offset)
        self._skip_blank(newlines=False)
        self.pos += 2 if double else 1
        return path

    def _key_value(self, table: Path, open_values: list[list]) -> None:
        path = table
        for name, offset in self._key():
            path += (name,)
            self._record(path, offset)
        self._skip_blank(newlines=False)
        if self.text.startswith("=", self.pos):
            self.pos += 1
            self._skip_blank(newlines=False)
            self._value(path, open_values)

    def _value(self, path: Path, open_values: list[list]) -> None:
        """Step over a value; an array or inline table is opened, and read by `scan`."""
        char = self.text[self.pos:self.pos + 1]
        if char in ("'", '"'):
            self._string()
        elif char == "[":
            open_values.append([path, 0])
            self.pos += 1
        elif char == "{":
            open_values.append([path, None])
            self.pos += 1
        else:
            match = _SCALAR_END.search(self.text, self.pos)
            self.pos = match.start() if match else len(self.text)

    def _key(self) -> list[tuple[str, int]]:
        """A dotted key, `a."b.c".'d'` -> its parts with the offset of each."""
        parts = []
        while True:
            self._skip_blank(newlines=False)
            offset = self.pos
            char = self.text[offset:offset + 1]
            if char in ("'", '"'):
                name = _key_name(self._string())
            else:
                match = _BARE_KEY.match(self.text, offset)
                if match is None:
                    return parts
                name, self.pos = match[0], match.end()
            parts.append((name, offset))
            self._skip_blank(newlines=False)
            if not self.text.startswith(".", self.pos):
                return parts
            self.pos += 1

    def _string(self) -> str:
        """Step over a string of any kind; its text as written, quotes included."""
        text, start = self.text, self.pos
        quote = text[start]
        delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
        index = start + len(delimiter)
        while index < len(text):
            if quote == '"' and text[index] == "\\":
                index += 2  # an escape: the next character never closes the string
            elif text.startswith(delimiter, index):
                index += len(delimiter)
                if len(delimiter) == 3:  # `"""a"""""` is a"": quotes right before the end are text
                    while index < len(text) and text[index] == quote:
                        index += 1
                break
            else:
                index += 1
        self.pos = min(index, len(text))
        return text[start:self.pos]

    def _skip_blank(self, newlines: bool) -> None:
        """Step over spaces and tabs; with `newlines`, over line ends and comments too."""
        text, index = self.text, self.pos
        while index < len(text):
            char = text[index]
            if char in " \t" or (newlines and char in "\r\n"):
                index += 1
            elif newlines and char == "#":
                line_end = text.find("\n", index)
                index = len(text) if line_end < 0 else line_end
            else:
                break
        self.pos = index

    def _record(self, path: Path, offset: int) -> None:
        if path not in self.found:
            line = bisect_right(self._line_starts, offset)
            self.found[path] = (line, offset - self._line_starts[line - 1] + 1)


def _key_name(written: str) -> str:
    """A quoted key's name: a literal ('...') as written, a basic one ("...") with its escapes read."""
    inner = written[1:-1]
    if written.startswith("'") or "\\" not in inner:
        return inner
    import tomllib

    return tomllib.loads(f"k = {written}")["k"]
