"""What every importer needs: read a file with positions, make spans that name it, make step names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NoReturn

from linter.core.errors import FlowSyntaxError
from linter.parse import Comment, yaml_comments
from linter.parse.locate import Positions
from linter.parse.source import read_text


@dataclass
class SourceFile:
    """One file of a project: its data and where each part of it is."""

    display: str  # the path findings name
    data: Any
    positions: Positions
    comments: list[Comment] = field(default_factory=list)

    def span(self, node: Any, key: str | None = None) -> dict[str, Any]:
        """A span for a mapping or list (or one of its keys), naming this file; 1:1 if unknown."""
        found = self.positions.span(node) if isinstance(node, (dict, list)) else None
        if key is not None and isinstance(node, dict):
            start = self.positions.key(node, key)
            if start:
                return {"line": start[0], "col": start[1], "end_line": start[0], "end_col": start[1],
                        "file": self.display}
        if found:
            line, col, end_line, end_col = found
            return {"line": line, "col": col, "end_line": end_line, "end_col": end_col, "file": self.display}
        return {"line": 1, "col": 1, "end_line": 1, "end_col": 1, "file": self.display}

    def item_span(self, items: list, index: int) -> dict[str, Any]:
        element = items[index]
        if isinstance(element, (dict, list)) and self.positions.span(element):
            return self.span(element)
        start = self.positions.item(items, index) or (1, 1)
        return {"line": start[0], "col": start[1], "end_line": start[0], "end_col": start[1], "file": self.display}


_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "true or false", int: "a number",
               float: "a number", type(None): "null"}


def json_type(value: Any) -> str:
    """What a JSON value is, as an error message says it: "a list", "a string"..."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


class JsonShape:
    """Checks that what an importer reads has the JSON type its format gives it, so a valid JSON file
    with a wrong type (`"groups": "oops"`, a `next` that is a string) is refused at that spot, not read
    as empty. A subclass names its format and walks the document."""

    format = "json"
    unplaced = (None, None)  # the position given when the value's own is unknown

    def __init__(self, source: SourceFile) -> None:
        self.source = source

    def fail(self, where: tuple[int, int] | None, what: str, value: Any, expected: type) -> NoReturn:
        line, col = where or self.unplaced
        raise FlowSyntaxError(f"{self.format}: {what} should be {_JSON_TYPES[expected]}, not {json_type(value)}",
                              self.source.display, line, col)

    def key(self, parent: dict, key: str, expected: type, what: str, optional: bool = True) -> Any:
        value = parent.get(key)
        if (value is None and optional) or isinstance(value, expected):
            return value
        self.fail(self.source.positions.key(parent, key), what, value, expected)


def read_json(path: Path, display: str) -> SourceFile:
    from linter.parse.jsonpos import load_json

    document = load_json(read_text(path, display, declarations=False), display)
    return SourceFile(display, document.data, document.positions)


def read_yaml(path: Path, display: str) -> SourceFile:
    from linter.parse.yaml_flow import load_data

    text = read_text(path, display)
    data, positions, scalars = load_data(text, display)
    return SourceFile(display, data, positions, yaml_comments(text, scalars, display))


def import_json_file(path: Path, display: str, fmt: str, build: Callable[[SourceFile, Any], Any]):
    """Read one JSON export and build its flow with `build(source, result)` (an object with `.flow()`).

    A broken file or an unexpected shape becomes an error in the result, never a crash.
    Returns (result, reader); reader is None when nothing could be built."""
    from linter.parse.importers import ImportResult

    result = ImportResult(data={"flows": []})
    try:
        reader = build(read_json(path, display), result)
        result.data["flows"].append(reader.flow())
    except FlowSyntaxError as error:
        result.errors.append(error)
        return result, None
    except Exception as error:  # noqa: BLE001 - an unexpected shape is reported, never a crash
        result.errors.append(FlowSyntaxError(f"{fmt}: cannot read this file ({error})", display))
        return result, None
    return result, reader


def identifier(text: str, taken: set[str]) -> str:
    """A step or flow name for the model from any label: ASCII, unique within `taken`."""
    base = re.sub(r"[^A-Za-z0-9_\-]+", "_", text).strip("_-") or "step"
    if not re.match(r"[A-Za-z_]", base):
        base = f"s_{base}"
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}_{counter}", counter + 1
    taken.add(name)
    return name


__all__ = ["FlowSyntaxError", "JsonShape", "SourceFile", "identifier", "import_json_file", "json_type", "read_json",
           "read_yaml"]
