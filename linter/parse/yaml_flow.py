"""YAML flows (`*.flow.yaml`) and YAML data files: read from ruamel.yaml's events, never constructed.

Events give every value its start and end mark without running any tag
constructor, so the load is safe and each mapping can carry its exact span.
Only the standard YAML 1.2 scalar tags are accepted.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                                StreamEndEvent)
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

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


_MAP, _SEQ, _MERGE = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Reader:
    """Plain data (dicts, lists, scalars) straight from a YAML event stream, each mapping and
    list with its span and each key and item with its position. No node tree is composed and
    no tag constructor runs, so no YAML tag can make an object. The work is bounded: nesting
    deeper than max-depth, an alias to a value that contains it (a cycle), or aliases that
    repeat more nodes than the document holds (a "billion laughs") stop the read at the culprit.

    An alias is read again from its anchor's recorded events: each use is its own copy, with
    the anchor's positions."""

    def __init__(self, path: str, text: str, with_spans: bool = True) -> None:
        self.path = path
        self.text = text
        self.with_spans = with_spans
        self.positions = Positions()
        self.scalar_ranges: list[tuple[int, int]] = []  # text offsets of scalars, to tell comments apart
        self.max_depth = current().max_depth
        self.depth = 0  # mappings and lists open
        self.composed = 0  # nodes in the text
        self.expanded = 0  # nodes the aliases repeat
        self.anchors: dict[Any, tuple[list[Any], int]] = {}  # anchor -> (its events, nodes in it, aliases included)
        self.open: set[Any] = set()  # anchors of values still being read
        self.recordings: list[list[Any]] = []  # the events of the anchored values being read
        self.replaying = 0  # inside an alias's copy: no anchors, no counting, no recording
        self.start: Any = None  # where the value read last starts ...
        self.end: Any = None  # ... and ends (a block's end is its last value's: see leave)
        self.resolver = VersionedResolver()
        self.tags: dict[tuple[type, str | None, Any], str] = {}  # implicit tags resolved: values repeat
        self.source: Any = None  # the parser's next event
        self.event: Any = None  # the next event to read: from the parser (recorded while an anchor is
        # open) or, inside an alias, from the anchor's recording

    def read(self, next_event: Any) -> tuple[Any, Any]:
        """(the one document's value, where it starts), or (None, None) for an empty stream."""
        self.source = self.event = next_event
        self.event()  # the stream's start
        event = self.event()
        if isinstance(event, StreamEndEvent):
            return None, None
        if event.version is not None:  # `%YAML 1.1` brings back yes/no booleans
            self.resolver, self.tags = VersionedResolver(version=event.version), {}
        root = self.event()
        value = self.value(root)
        self.event()  # the document's end
        event = self.event()
        if not isinstance(event, StreamEndEvent):
            raise ComposerError("expected a single document in the stream", root.start_mark,
                                "but found another document", event.start_mark)
        return value, root.start_mark

    def error(self, message: str, mark: Any) -> FlowSyntaxError:
        line, col = mark.line + 1, mark.column + 1
        return FlowSyntaxError(message, self.path, line, col, line_at(self.text, line))

    def recorded_event(self) -> Any:
        event = self.source()
        for recording in self.recordings:
            recording.append(event)
        return event

    def tag(self, event: Any, kind: type) -> str:
        tag = event.ctag
        if tag is None or str(tag) == "!":
            key = (kind, event.value if kind is ScalarNode else None, event.implicit)
            found = self.tags.get(key)
            if found is None:
                found = self.tags[key] = str(self.resolver.resolve(*key))
            return found
        return str(tag)

    def value(self, event: Any) -> Any:
        if isinstance(event, AliasEvent):
            return self.alias(event)
        anchor = None if self.replaying else event.anchor
        if anchor is not None:
            before = self.composed + self.expanded
            self.recordings.append([event])
            self.event = self.recorded_event
            self.open.add(anchor)
        if not self.replaying:
            self.composed += 1
        if isinstance(event, ScalarEvent):
            result = self.scalar(event)
        elif isinstance(event, MappingStartEvent):
            result = self.mapping(event)
        else:
            result = self.sequence(event)
        if anchor is not None:
            self.open.discard(anchor)
            self.anchors[anchor] = (self.recordings.pop(), self.composed + self.expanded - before)
            if not self.recordings:
                self.event = self.source
        self.start = event.start_mark
        return result

    def alias(self, event: Any) -> Any:
        anchor = event.anchor
        if anchor in self.open:
            raise ComposerError(None, None, f"alias '*{anchor}' is inside the value it names "
                                "(a recursive structure)", event.start_mark)
        if anchor not in self.anchors:
            raise ComposerError(None, None, f"found undefined alias {anchor!r}", event.start_mark)
        events, size = self.anchors[anchor]
        if not self.replaying:
            self.expanded += size
            if self.expanded > max(ALIAS_ALLOWANCE, self.composed):
                raise ComposerError(None, None, f"aliases repeat {self.expanded} nodes, more than the "
                                    f"{self.composed} the document holds: refused as a possible alias bomb "
                                    "('billion laughs'); write the repeated values out", event.start_mark)
        reading, self.event = self.event, iter(events).__next__
        self.replaying += 1
        try:
            return self.value(self.event())
        finally:
            self.replaying -= 1
            self.event = reading

    def enter(self, event: Any) -> None:
        if not self.replaying:
            self.depth += 1
            if self.depth > self.max_depth:
                raise ComposerError(None, None, f"nested {self.depth} deep, {over('max-depth', self.max_depth)}",
                                    event.start_mark)

    def leave(self, start: Any, end: Any, last_end: Any) -> tuple[int, int, int, int]:
        if not self.replaying:
            self.depth -= 1
        # A block's own end mark is where the next node starts (past comments and blank lines):
        # it ends where its last value does.
        self.end = last_end if last_end is not None and not start.flow_style else end.end_mark
        return start.start_mark.line + 1, start.start_mark.column + 1, self.end.line + 1, self.end.column + 1

    def mapping(self, start: Any) -> dict[str, Any]:
        tag = self.tag(start, MappingNode)
        if tag != _MAP:
            raise self.error(f"unsupported YAML tag '{tag}': flows use plain YAML values only", start.start_mark)
        self.enter(start)
        result: dict[str, Any] = {}
        keys: dict[str, tuple[int, int]] = {}
        last_end = None
        event = self.event()
        while not isinstance(event, MappingEndEvent):
            if isinstance(event, ScalarEvent) and event.value == "<<" and self.tag(event, ScalarNode) == _MERGE:
                raise self.error("YAML merge keys ('<<') are not supported in flows", event.start_mark)
            key = self.value(event)
            where = self.start
            if not isinstance(key, str):
                raise self.error(f"keys must be text, not {type(key).__name__} '{str(key)[:40]}'", where)
            if key in result:
                raise self.error(f"duplicate key '{key}'", where)
            if key == "span" and self.with_spans:
                raise self.error("unknown key 'span'", where)
            keys[key] = (where.line + 1, where.column + 1)
            result[key] = self.value(self.event())
            last_end = self.end
            event = self.event()
        span = self.leave(start, event, last_end)
        if self.with_spans:
            result["span"] = {"line": span[0], "col": span[1], "end_line": span[2], "end_col": span[3]}
        self.positions.add_span(result, span)
        self.positions.add_keys(result, keys)
        return result

    def sequence(self, start: Any) -> list[Any]:
        tag = self.tag(start, SequenceNode)
        if tag != _SEQ:
            raise self.error(f"unsupported YAML tag '{tag}': flows use plain YAML values only", start.start_mark)
        self.enter(start)
        items: list[Any] = []
        starts: list[tuple[int, int]] = []
        last_end = None
        event = self.event()
        while not isinstance(event, SequenceEndEvent):
            items.append(self.value(event))
            starts.append((self.start.line + 1, self.start.column + 1))
            last_end = self.end
            event = self.event()
        span = self.leave(start, event, last_end)
        self.positions.add_items(items, starts)
        self.positions.add_span(items, span)
        return items

    def scalar(self, event: Any) -> Any:
        self.scalar_ranges.append((event.start_mark.index, event.end_mark.index))
        self.end = event.end_mark
        tag = self.tag(event, ScalarNode)
        construct = _SCALARS.get(tag)
        if construct is None:
            raise self.error(f"unsupported YAML tag '{tag}': flows use plain YAML values only", event.start_mark)
        value = event.value
        if _SURROGATE.search(value):  # from "\\ud83d\\ude00" escapes: join pairs, refuse halves
            try:
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                raise self.error("an escape from \\uD800 to \\uDFFF that is half of a UTF-16 surrogate pair "
                                 "is not a character", event.start_mark) from None
        try:
            return construct(value)
        except ValueError:  # also an int of more digits than Python converts (4300)
            shown = event.value if len(event.value) <= 40 else event.value[:40] + "…"
            raise self.error(f"'{shown}' is not a valid {tag.rsplit(':', 1)[-1]}", event.start_mark) from None


def _pure_events(text: str) -> Any:
    return YAML(typ="safe", pure=True).parse(text).__next__


# Characters libyaml reads its own way (YAML 1.1): a BOM at the start of any line is skipped,
# NEL, LS and PS break lines. Text with them goes to the Python parser, which reads them as text.
_READ_APART = re.compile("[\ufeff\x85\u2028\u2029]")

try:  # libyaml, from ruamel.yaml.clib: the same events and marks about 15 times faster
    from ruamel.yaml.cyaml import CParser
except ImportError:  # no C extension for this Python: the Python parser reads everything
    CParser = None
LIBYAML = CParser is not None  # read with libyaml first (tests compare both ways)


def _read(text: str, path: str, with_spans: bool) -> tuple[Any, Any, _Reader]:
    """(value, where it starts, the reader with its positions). libyaml reads first where it can;
    what it refuses or trips on (a `\\U` escape past U+10FFFF raises ValueError in it) the Python
    parser reads again and decides: it knows YAML 1.2 where libyaml knows 1.1 (JSON's escaped
    surrogate pairs, for one), and its errors are the ones botlint has always given."""
    if LIBYAML and not _READ_APART.search(text):
        reader = _Reader(path, text, with_spans)
        try:
            value, start = reader.read(CParser(text).get_event)
            return value, start, reader
        except (ComposerError, FlowSyntaxError):  # botlint's own checks: the same on either parser
            raise
        except Exception:  # noqa: BLE001, S110 - the Python parser reads it again below
            pass
    reader = _Reader(path, text, with_spans)
    value, start = reader.read(_pure_events(text))
    return value, start, reader


def parse_data(text: str, path: str) -> tuple[dict[str, Any], Positions, list[tuple[int, int]]]:
    """YAML text as YAML-shaped dicts (with spans), key positions and scalar ranges."""
    data, start, reader = _read_document(text, path, True, "a flow file holds one YAML document")
    if start is None:
        return {"flows": []}, reader.positions, []
    if not isinstance(data, dict):
        raise reader.error("a flow file must be a mapping with a 'flows' list", start)
    return data, reader.positions, reader.scalar_ranges


def load_mapping(text: str, path: str) -> tuple[dict[str, Any], Positions]:
    """A YAML data file (config, ruleset) as plain data, with the positions of its keys."""
    data, positions, _ = load_data(text, path)
    return data, positions


def load_data(text: str, path: str) -> tuple[dict[str, Any], Positions, list[tuple[int, int]]]:
    """Any YAML mapping file as plain data (no spans injected), its positions and scalar ranges."""
    data, start, reader = _read_document(text, path, False)
    if start is None:
        return {}, reader.positions, []
    if not isinstance(data, dict):
        raise reader.error("expected a mapping at the top level", start)
    return data, reader.positions, reader.scalar_ranges


def _read_document(text: str, path: str, with_spans: bool,
                   one_document: str = "botlint reads one YAML document per file") -> tuple[Any, Any, _Reader]:
    """The text's one document: (value, where it starts, the reader), the start None if the text
    holds none. `one_document`: the rule a second document (after `---`) breaks, as its error says it."""
    from ruamel.yaml.reader import ReaderError

    try:
        return _read(text, path, with_spans)
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
