"""YAML flows (`*.flow.yaml`): composed with ruamel.yaml, never constructed.

Composing gives every node its start and end mark without running any tag
constructor, so the load is safe and each mapping can carry its exact span.
Only the standard YAML 1.2 scalar tags are accepted.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, DocumentStartEvent, MappingStartEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from linter.core.errors import FlowSyntaxError
from linter.parse.limits import ALIAS_ALLOWANCE, current, over
from linter.parse.locate import Positions
from linter.parse.source import line_at

_STR = "tag:yaml.org,2002:str"


def _int(text: str) -> int:
    """YAML 1.2 (and 1.1) integers: signs, underscores, 0x/0o/0b, and 1.1's sexagesimal 1:30."""
    text = text.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if ":" in digits:  # YAML 1.1: base 60
        value = 0
        for part in digits.split(":"):
            value = value * 60 + int(part)
        return sign * value
    base = {"0x": 16, "0o": 8, "0b": 2}.get(digits[:2].lower())
    return sign * (int(digits[2:], base) if base else int(digits))


def _float(text: str) -> float:
    lowered = text.replace("_", "").lower()
    if lowered.lstrip("+-") in (".inf", "inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered in (".nan", "nan"):
        return float("nan")
    return float(lowered)


_SCALARS = {
    _STR: str,
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:float": _float,
    # YAML 1.2 knows true/false; a `%YAML 1.1` document also yes/no and on/off.
    "tag:yaml.org,2002:bool": lambda text: text.lower() in ("true", "yes", "on", "y"),
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


_SURROGATE = re.compile("[\ud800-\udfff]")
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
        value = node.value
        if _SURROGATE.search(value):  # from "\\ud83d\\ude00" escapes: join pairs, refuse halves
            try:
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                raise self.error("an escape from \\uD800 to \\uDFFF that is half of a UTF-16 surrogate pair "
                                 "is not a character", node) from None
        try:
            return construct(value)
        except ValueError:  # also an int of more digits than Python converts (4300)
            shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            raise self.error(f"'{shown}' is not a valid {node.tag.rsplit(':', 1)[-1]}", node) from None

    def _mapping(self, node: MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        keys: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == "tag:yaml.org,2002:merge":
                raise self.error("YAML merge keys ('<<') are not supported in flows", key_node)
            key = self.build(key_node)
            if not isinstance(key, str):
                raise self.error(f"keys must be text, not {type(key).__name__} '{str(key)[:40]}'", key_node)
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


class _BoundedComposer(Composer):
    """ruamel's composer with bounded work: nesting deeper than max-depth, an alias to a node
    that contains it (a cycle), or aliases that repeat more nodes than the document holds (a
    "billion laughs") stop the load with the position of the culprit. Composing runs no tag
    constructor, so no YAML tag can make an object."""

    # ruamel's composer finds its parser and resolver through properties, on every event;
    # looked up once here instead, as they do not change while a document is composed.
    parser: Any = None
    resolver: Any = None

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.parser = loader.parser if hasattr(loader, "typ") else loader._parser
        self.resolver = loader.resolver if hasattr(loader, "typ") else loader._resolver
        self.warn_double_anchors = False  # a warning on stderr is noise; a reused anchor just rebinds
        self.collections = 0  # depth of nested mappings and sequences
        self.max_depth = current().max_depth
        self.composed = 0  # nodes in the text
        self.expanded = 0  # nodes the aliases repeat
        self.sizes: dict[Any, int] = {}  # anchor -> nodes in its value, aliases included
        self.open: set[Any] = set()  # anchors of collections still being composed

    def compose_document(self) -> Any:
        self.sizes, self.open = {}, set()
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            if event.anchor in self.open:
                raise ComposerError(None, None, f"alias '*{event.anchor}' is inside the value it names "
                                    "(a recursive structure)", event.start_mark)
            self.expanded += self.sizes.get(event.anchor, 0)
            if self.expanded > max(ALIAS_ALLOWANCE, self.composed):
                raise ComposerError(None, None, f"aliases repeat {self.expanded} nodes, more than the "
                                    f"{self.composed} the document holds: refused as a possible alias bomb "
                                    "('billion laughs'); write the repeated values out", event.start_mark)
            return super().compose_node(parent, index)
        event = self.parser.peek_event()
        collection = isinstance(event, (MappingStartEvent, SequenceStartEvent))
        if collection:
            self.collections += 1
            if self.collections > self.max_depth:
                raise ComposerError(None, None, f"nested {self.collections} deep, "
                                    f"{over('max-depth', self.max_depth)}", event.start_mark)
        anchor = event.anchor
        before = self.composed + self.expanded
        self.composed += 1
        if anchor is not None and collection:
            self.open.add(anchor)
        node = super().compose_node(parent, index)
        if anchor is not None:
            self.open.discard(anchor)
            self.sizes[anchor] = self.composed + self.expanded - before
        if collection:
            self.collections -= 1
        return node


class _CEvents:
    """What ruamel's composer reads from, with libyaml (ruamel.yaml.clib) making the events:
    the C reader, scanner and parser give the same events and marks as the pure-Python
    ones, about 15 times faster. Only events are taken from C; composing (and so every
    bound above) stays in Python, and nothing is constructed."""

    def __init__(self, text: str) -> None:
        self._parser = self._scanner = _VersionTrackingCParser(text)
        self._composer = None
        self._resolver = VersionedResolver(loader=self)
        self.max_depth = 0  # ruamel's own bound, off: _BoundedComposer bounds the depth


def _version_tracking_c_parser() -> type:
    class VersionTrackingCParser(CParser):
        """libyaml's parser, remembering the `%YAML` version of the document being composed
        where the resolver looks for it (on the pure parser's scanner)."""

        yaml_version: Any = None

        def get_event(self) -> Any:
            event = super().get_event()
            if isinstance(event, DocumentStartEvent):
                self.yaml_version = event.version
            return event

    return VersionTrackingCParser


_READ_APART = re.compile("[\ufeff\x85\u2028\u2029]")


def _c_compose(text: str) -> Node | None:
    """Compose on libyaml's events; text libyaml refuses goes to the pure-Python parser,
    which has the last word: it knows YAML 1.2 where libyaml knows 1.1 (JSON's escaped
    surrogate pairs, for one), and its errors are the ones botlint has always given."""
    if _READ_APART.search(text):  # characters libyaml reads its own way (YAML 1.1): a BOM at the start
        return _pure_compose(text)  # of any line is skipped, NEL, LS and PS break lines
    try:
        return _BoundedComposer(loader=_CEvents(text)).get_single_node()
    except ComposerError:  # botlint's own bounds, an unknown alias, a second document: the same in both
        raise
    except Exception:  # noqa: BLE001 - a YAML error, or the C extension tripping (a \U escape past U+10FFFF
        pass  # raises ValueError): the Python parser reads it again and decides
    return _pure_compose(text)


def _pure_compose(text: str) -> Node | None:
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _BoundedComposer
    return yaml.compose(text)


try:
    from ruamel.yaml.cyaml import CParser
    from ruamel.yaml.resolver import VersionedResolver

    _VersionTrackingCParser = _version_tracking_c_parser()
    compose_yaml = _c_compose
except ImportError:  # no C extension for this Python: the same composer on the pure-Python parser
    compose_yaml = _pure_compose


def parse_data(text: str, path: str) -> tuple[dict[str, Any], Positions, list[tuple[int, int]]]:
    """Compose YAML text into YAML-shaped dicts (with spans), key positions and scalar ranges."""
    root = _compose(text, path, "a flow file holds one YAML document")
    builder = _Builder(path, text)
    if root is None:
        return {"flows": []}, builder.positions, []
    data = _build(builder, root)
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
    data = _build(builder, root)
    if not isinstance(data, dict):
        raise builder.error("expected a mapping at the top level", root)
    return data, builder.positions, builder.scalar_ranges


def _build(builder: _Builder, root: Node) -> Any:
    try:
        return builder.build(root)
    except RecursionError:  # only with a max-depth raised far above the default
        raise FlowSyntaxError("invalid YAML: nested too deeply to read", builder.path) from None


def _compose(text: str, path: str,
             one_document: str = "botlint reads one YAML document per file") -> Node | None:
    """The YAML text's one document (None if empty). `one_document`: the rule a second document
    (after `---`) breaks, as its error says it."""
    from ruamel.yaml.reader import ReaderError

    try:
        return compose_yaml(text)
    except ReaderError as exc:  # a character YAML does not allow (control characters...)
        offset = exc.position if isinstance(exc.position, int) else 0
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        character = exc.character if isinstance(exc.character, int) else 0
        raise FlowSyntaxError(f"invalid YAML: character U+{character:04X} is not allowed in YAML", path, line, col,
                              line_at(text, line)) from None
    except RecursionError:  # only with a max-depth raised far above the default
        raise FlowSyntaxError("invalid YAML: nested too deeply to read", path) from None
    except (ValueError, OverflowError):  # ruamel's scanner passes an escape past U+10FFFF to chr()
        escape = next((match for match in _LONG_ESCAPE.finditer(text) if int(match[1], 16) > 0x10FFFF), None)
        if escape is None:
            raise FlowSyntaxError("invalid YAML: an escape that is not a Unicode character", path) from None
        line = text.count("\n", 0, escape.start()) + 1
        col = escape.start() - (text.rfind("\n", 0, escape.start()) + 1) + 1
        raise FlowSyntaxError(f"invalid YAML: escape '{escape[0]}' is past U+10FFFF, the last Unicode character",
                              path, line, col, line_at(text, line)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, ComposerError) and exc.problem_mark is not None and "another document" in problem:
            line = exc.problem_mark.line + 1  # the '---' that starts the second document
            raise FlowSyntaxError(f"{one_document}; found a second one at line {line}", path,
                                  line, exc.problem_mark.column + 1, line_at(text, line)) from None
        if mark is None:
            raise FlowSyntaxError(f"invalid YAML: {problem}", path) from None
        line = mark.line + 1
        raise FlowSyntaxError(f"invalid YAML: {problem}", path, line, mark.column + 1, line_at(text, line)) from None
    except YAMLError as exc:
        raise FlowSyntaxError(f"invalid YAML: {_first_line(exc)}", path) from None


_LONG_ESCAPE = re.compile(r"\\U([0-9A-Fa-f]{8})")


def _first_line(exc: Exception) -> str:
    return re.sub(r"\s+", " ", str(exc)).strip()[:200]


# --- writing: the model as a YAML flow file ---------------------------------------------------------

def dump_yaml(document: Any) -> str:
    """A `Document` as the text of a `.flow.yaml` file that reads back into an equal document.

    Keys are the keywords, as the README's YAML flows write them: each statement starts with
    its keyword (`- say: ...`), optional fields at their defaults are left out, positions
    (spans) and the importer's name are never written."""
    import io

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096  # long messages stay on one line instead of folding
    yaml.sort_base_mapping_type_on_output = False
    yaml.representer.add_representer(str, _represent_str)
    stream = io.StringIO()
    yaml.dump(_plain(document), stream)
    return stream.getvalue()


# YAML reads NEL, LS and PS as line breaks: written raw inside a quoted scalar, a reader
# folds them. Double quotes write them as escapes (\\N, \\L, \\P).
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_str(representer: Any, text: str) -> Any:
    style = '"' if _YAML_BREAKS.search(text) else None
    return representer.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _plain(node: Any) -> Any:
    """Models as plain dicts in field order, the statement's keyword first; enums as their values."""
    from enum import Enum

    from pydantic import BaseModel

    from linter.model.flow import STATEMENT_KEYS, statement_kind

    if isinstance(node, BaseModel):
        fields = type(node).model_fields
        keyword = statement_kind(node)
        key_of = {kind: key for key, kind in STATEMENT_KEYS.items()}
        first = key_of.get(keyword) if keyword else None
        result: dict[str, Any] = {}
        for name, info in fields.items():
            if info.exclude:  # span, origin
                continue
            key = info.alias or name
            value = getattr(node, name)
            required = info.is_required()
            if key != first and not required and value == info.get_default(call_default_factory=True):
                continue
            result[key] = _plain(value)
        if first in result:  # `- say: Hi` before its options, as people write it
            result = {first: result.pop(first), **result}
        return result
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, Enum):
        return node.value
    return node
