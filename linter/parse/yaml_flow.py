"""YAML flows (`*.flow.yaml`): composed with ruamel.yaml, never constructed.

Composing gives every node its start and end mark without running any tag
constructor, so the load is safe and each mapping can carry its exact span.
Only the standard YAML 1.2 scalar tags are accepted.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from linter.errors import FlowSyntaxError
from linter.parse.locate import Positions
from linter.parse.source import line_at

_STR = "tag:yaml.org,2002:str"
_SCALARS = {
    _STR: str,
    "tag:yaml.org,2002:int": lambda text: int(text.replace("_", ""), 0) if text[:2].lower() in ("0x", "0o") else int(text.replace("_", "")),
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": lambda text: text.lower() == "true",
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:timestamp": str,
}


def _end(node: Node):
    """Where a node's text ends. A block collection's own end mark is where the
    next node starts (past comments and blank lines), so use its last value's."""
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end(last[1] if isinstance(node, MappingNode) else last)
    return node.end_mark


def _span(node: Node) -> dict[str, int]:
    start, end = node.start_mark, _end(node)
    return {"line": start.line + 1, "col": start.column + 1, "end_line": end.line + 1, "end_col": end.column + 1}


_COLLECTION_TAGS = {MappingNode: "tag:yaml.org,2002:map", SequenceNode: "tag:yaml.org,2002:seq"}


class _Builder:
    def __init__(self, path: str, text: str, with_spans: bool = True) -> None:
        self.path = path
        self.with_spans = with_spans
        self.text = text
        self.positions = Positions()
        self.scalar_ranges: list[tuple[int, int]] = []  # text offsets of scalars, to tell comments apart

    def error(self, message: str, node: Node) -> FlowSyntaxError:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        return FlowSyntaxError(message, self.path, line, col, line_at(self.text, line))

    def build(self, node: Node) -> Any:
        expected = _COLLECTION_TAGS.get(type(node))
        if expected and node.tag != expected:
            raise self.error(f"unsupported YAML tag '{node.tag}': flows use plain YAML values only", node)
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            items = [self.build(child) for child in node.value]
            self.positions.add_items(items, [(c.start_mark.line + 1, c.start_mark.column + 1) for c in node.value])
            span = _span(node)
            self.positions.add_span(items, (span["line"], span["col"], span["end_line"], span["end_col"]))
            return items
        return self._scalar(node)

    def _scalar(self, node: ScalarNode) -> Any:
        self.scalar_ranges.append((node.start_mark.index, node.end_mark.index))
        construct = _SCALARS.get(node.tag)
        if construct is None:
            raise self.error(f"unsupported YAML tag '{node.tag}': flows use plain YAML values only", node)
        try:
            return construct(node.value)
        except ValueError:
            raise self.error(f"'{node.value}' is not a valid {node.tag.rsplit(':', 1)[-1]}", node) from None

    def _mapping(self, node: MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        keys: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == "tag:yaml.org,2002:merge":
                raise self.error("YAML merge keys ('<<') are not supported in flows", key_node)
            key = self.build(key_node)
            if not isinstance(key, str):
                raise self.error(f"keys must be text, not {type(key).__name__} '{key}'", key_node)
            if key in result:
                raise self.error(f"duplicate key '{key}'", key_node)
            if key == "span" and self.with_spans:
                raise self.error("unknown key 'span'", key_node)
            keys[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node)
        span = _span(node)
        if self.with_spans:
            result["span"] = span
        self.positions.add_span(result, (span["line"], span["col"], span["end_line"], span["end_col"]))
        self.positions.add_keys(result, keys)
        return result


def _yaml() -> YAML:
    return YAML(typ="safe", pure=True)


def parse_data(text: str, path: str) -> tuple[dict[str, Any], Positions, list[tuple[int, int]]]:
    """Compose YAML text into YAML-shaped dicts (with spans), key positions and scalar ranges."""
    root = _compose(text, path)
    builder = _Builder(path, text)
    if root is None:
        return {"flows": []}, builder.positions, []
    data = builder.build(root)
    if not isinstance(data, dict):
        raise builder.error("a flow file must be a mapping with a 'flows' list", root)
    return data, builder.positions, builder.scalar_ranges


def load_mapping(text: str, path: str) -> tuple[dict[str, Any], Positions]:
    """A YAML data file (config, ruleset) as plain data, with the positions of its keys."""
    data, positions, _ = load_data(text, path)
    return data, positions


def load_data(text: str, path: str) -> tuple[dict[str, Any], Positions, list[tuple[int, int]]]:
    """Any YAML mapping file as plain data (no spans injected), its positions and scalar ranges."""
    root = _compose(text, path)
    builder = _Builder(path, text, with_spans=False)
    if root is None:
        return {}, builder.positions, []
    data = builder.build(root)
    if not isinstance(data, dict):
        raise builder.error("expected a mapping at the top level", root)
    return data, builder.positions, builder.scalar_ranges


def _compose(text: str, path: str) -> Node | None:
    try:
        return _yaml().compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise FlowSyntaxError(f"invalid YAML: {problem}", path) from None
        line = mark.line + 1
        raise FlowSyntaxError(f"invalid YAML: {problem}", path, line, mark.column + 1, line_at(text, line)) from None
    except YAMLError as exc:
        raise FlowSyntaxError(f"invalid YAML: {_first_line(exc)}", path) from None


def _first_line(exc: Exception) -> str:
    return re.sub(r"\s+", " ", str(exc)).strip()[:200]
