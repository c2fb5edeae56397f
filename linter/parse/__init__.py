"""Readers: files in, one `Document` model out. A new input format goes here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from linter.errors import FlowSyntaxError
from linter.parse.source import decode, line_at

if TYPE_CHECKING:  # pydantic is slow to import: the model is imported where it is used
    from linter.model.flow import Document

FLOW_SUFFIXES = (".flow",)
YAML_SUFFIXES = (".flow.yaml", ".flow.yml")


@dataclass(frozen=True)
class Comment:
    line: int
    col: int
    text: str  # from the '#' to the end of the line
    file: str | None = None  # for projects read from several files


@dataclass
class ParsedFile:
    path: str
    text: str
    document: Document
    comments: list[Comment] = field(default_factory=list)


def input_format(path: str) -> str | None:
    name = path.lower()
    if name.endswith(YAML_SUFFIXES):
        return "yaml"
    if name.endswith(FLOW_SUFFIXES):
        return "flow"
    return None


def parse_file(path: Path, display: str, fmt: str | None = None) -> ParsedFile:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FlowSyntaxError(f"cannot read file: {exc.strerror or exc}", display) from None
    return parse_text(decode(data, display), display, fmt or input_format(display) or "flow")


def parse_text(text: str, path: str, fmt: str = "flow") -> ParsedFile:
    from pydantic import ValidationError

    from linter.model.flow import Document
    from linter.parse.locate import first_error

    if fmt == "yaml":
        from linter.parse import yaml_flow

        data, positions, scalar_ranges = yaml_flow.parse_data(text, path)
        comments = yaml_comments(text, scalar_ranges)
    else:
        from linter.parse import dsl

        data, comments, positions = dsl.parse_data(text, path)
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        message, line, col = first_error(exc, data, positions)
        raise FlowSyntaxError(message, path, line, col, line_at(text, line) if line else None) from None
    return ParsedFile(path, text, document, comments)


def import_unit(path: Path, display: str, fmt: str):
    """A project folder or export file through its importer: (ParsedFile, ImportResult)."""
    from pydantic import ValidationError

    from linter.model.flow import Document
    from linter.parse.importers import importers
    from linter.parse.locate import first_error

    try:
        result = importers()[fmt].load(path, display)
    except FlowSyntaxError:
        raise
    except Exception as exc:  # noqa: BLE001 - an importer bug costs this unit, not the run
        from linter.engine import runner

        if runner.RAISE_INTERNAL_ERRORS:
            raise
        raise FlowSyntaxError(f"internal error in the {fmt} importer ({type(exc).__name__}: {exc}); "
                              "please report it", display) from None
    for flow in result.data.get("flows", []):
        flow["origin"] = fmt
    try:
        document = Document.model_validate(result.data)
    except ValidationError as exc:
        message, line, col = first_error(exc, result.data, None)
        raise FlowSyntaxError(f"could not import ({fmt}): {message}", display, line, col) from None
    return ParsedFile(display, "", document, result.comments), result


_YAML_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\n]*", re.M)


def yaml_comments(text: str, scalar_ranges: list[tuple[int, int]], file: str | None = None) -> list[Comment]:
    """YAML comments: a '#' at a line start or after a space, outside any scalar."""
    comments = []
    import bisect

    ranges = sorted(scalar_ranges)
    starts = [start for start, _ in ranges]
    for match in _YAML_COMMENT.finditer(text):
        offset = match.start()
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and ranges[index][0] <= offset < ranges[index][1]:
            continue
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        comments.append(Comment(line, col, match.group(), file))
    return comments
