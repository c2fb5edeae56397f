"""The `.flow` language: Lark (LALR) parse straight into plain data, then the model.

The transformer runs inside the LALR parser (no parse tree is built) and
produces the same dict shape as the YAML form, each mapping carrying its
source span, so both formats share one validation and one error locator.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.indenter import Indenter

from linter.cache import cache_dir
from linter.core.errors import FlowSyntaxError
from linter.parse import Comment
from linter.parse.limits import DEFAULT, Limits, current, note, over
from linter.parse.locate import Positions
from linter.parse.source import line_at
from linter.resources import data_dir


class _FlowIndenter(Indenter):
    NL_type = "_NL"
    OPEN_PAREN_types: list[str] = []
    CLOSE_PAREN_types: list[str] = []
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8

    def __init__(self) -> None:
        super().__init__()
        # end offset of each newline token -> where it starts, so that spans
        # can end at the last visible character instead of the next line.
        self.layout_ends: dict[int, tuple[int, int]] = {}
        self.comments: list[tuple[int, int, str]] = []  # comments ride inside newline tokens
        self._last_end: tuple[int, int] | None = None
        self.limits: Limits = DEFAULT

    def reset(self, limits: Limits = DEFAULT) -> None:
        self.layout_ends.clear()
        self.comments.clear()
        self._last_end = None
        self.limits = limits

    def process(self, stream):
        return super().process(self._track(stream))

    def _track(self, stream):
        # A span should end at its last visible token, not at the newline (or
        # the blanks and comment before it) that closes the statement.
        # Limits are checked here, as the tokens arrive: a file with too many steps or too long
        # a string is refused at that token, without parsing (and building) the rest.
        max_steps, max_chars = self.limits.max_steps, self.limits.max_message_chars
        steps, unit, name_next = 0, "", False
        for token in stream:
            kind = token.type
            if kind == self.NL_type:
                self.layout_ends[token.end_pos] = self._last_end or (token.line, token.column)
            else:
                self._last_end = (token.end_line, token.end_column)
                if kind == "STRING" and len(token) - 2 > max_chars:
                    raise FlowSyntaxError(f"string of {len(token) - 2} characters, "
                                          f"{over('max-message-chars', max_chars)}", None, token.line, token.column)
                if kind == "STEP":
                    steps += 1
                    if steps > max_steps:
                        raise FlowSyntaxError(f"{unit} has more than {max_steps} steps {note('max-steps')}",
                                              None, token.line, token.column)
                elif kind in ("FLOW", "SEQUENCE"):
                    steps, unit, name_next = 0, str(token), True
                elif name_next:
                    unit, name_next = f"{unit} '{token}'", False
            yield token

    def handle_NL(self, token: Token):  # noqa: N802 (Lark's hook name)
        if "#" in token:
            line, col = token.line, token.column
            for piece in token.split("\n"):
                start = piece.find("#")
                if start >= 0:
                    self.comments.append((line, col + start, piece[start:]))
                line, col = line + 1, 1
        indent = len(token.rsplit("\n", 1)[1].expandtabs(self.tab_len))
        if indent < self.indent_level[-1] and indent not in self.indent_level:
            raise _DedentError(token.end_line, indent + 1, self.indent_level)
        if indent > self.indent_level[-1] and len(self.indent_level) > self.limits.max_depth:
            raise FlowSyntaxError(f"blocks nested {len(self.indent_level)} deep, "
                                  f"{over('max-depth', self.limits.max_depth)}", None, token.end_line, indent + 1)
        yield from super().handle_NL(token)


class _DedentError(LarkError):
    def __init__(self, line: int, col: int, levels: list[int]) -> None:
        self.line, self.col, self.levels = line, col, levels


_LAYOUT_ENDS: dict[int, tuple[int, int]] = {}


def _span(meta: Any) -> dict[str, int]:
    end_line, end_col = _LAYOUT_ENDS.get(meta.end_pos, (meta.end_line, meta.end_column))
    return {"line": meta.line, "col": meta.column, "end_line": end_line, "end_col": end_col}


def _token_span(token: Token) -> dict[str, int]:
    return {"line": token.line, "col": token.column, "end_line": token.end_line, "end_col": token.end_column}


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|.)", re.S)


def _code_point(code: str) -> int | None:
    return int(code.strip("u{}"), 16) if code.startswith("u") and len(code) > 1 else None


def _is_high(point: int | None) -> bool:
    return point is not None and 0xD800 <= point <= 0xDBFF


def _is_low(point: int | None) -> bool:
    return point is not None and 0xDC00 <= point <= 0xDFFF


def _check_escapes(token: Token) -> None:
    """Every backslash escape must be known; point at the first one that is not.

    A UTF-16 surrogate pair written as two escapes (\\ud83d\\ude00, as in JSON) is one
    character; half of one is no character at all, and could not even be printed."""
    raw = str(token)
    matches = list(_ESCAPE_RE.finditer(raw))
    for index, match in enumerate(matches):
        code = match[1]
        if code in _ESCAPES:
            continue
        point = _code_point(code)
        problem = None
        if point is None or point > 0x10FFFF:
            problem = (f"unknown escape '{match.group()}' in string (known: \\n \\t \\\" \\\\ \\uXXXX "
                       f"\\u{{X..}}; use \\\\ for a backslash)")
        elif _is_high(point):
            after = matches[index + 1] if index + 1 < len(matches) else None
            if not (after and after.start() == match.end() and _is_low(_code_point(after[1]))):
                problem = f"escape '{match.group()}' is half of a UTF-16 surrogate pair, not a character"
        elif _is_low(point):
            before = matches[index - 1] if index else None
            if not (before and before.end() == match.start() and _is_high(_code_point(before[1]))):
                problem = f"escape '{match.group()}' is half of a UTF-16 surrogate pair, not a character"
        if problem is None:
            continue
        before = raw[:match.start()]
        line = token.line + before.count("\n")
        col = match.start() - before.rfind("\n") if "\n" in before else token.column + match.start()
        raise FlowSyntaxError(problem, None, line, col)


def unquote(token: Token) -> str:
    """The text of a string literal: escapes resolved, triple-quoted blocks dedented."""
    raw = str(token)
    if raw.startswith('"""'):
        body = raw[3:-3]
        body = textwrap.dedent(body[1:] if body.startswith("\n") else body).rstrip()
    else:
        body = raw[1:-1]
    if "\\" not in body:
        return body
    _check_escapes(token)

    def replace(match: re.Match[str]) -> str:
        code = match[1]
        return chr(int(code.strip("u{}"), 16)) if code.startswith("u") and len(code) > 1 else _ESCAPES[code]

    text = _ESCAPE_RE.sub(replace, body)
    if _SURROGATE.search(text):  # escaped pairs, checked above: join each into its character
        text = text.encode("utf-16", "surrogatepass").decode("utf-16")
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _node(meta: Any, **fields: Any) -> dict[str, Any]:
    fields = {key: value for key, value in fields.items() if value is not None}
    fields["span"] = _span(meta)
    return fields


class _ToData:
    """Builds the YAML-shaped dicts; keys are the model's field names.

    One method per grammar rule (or alias), called bottom-up with the rule's
    meta (positions) and its already-built children. A plain recursive walk:
    Lark's Transformer machinery costs more than the work done here.
    """

    def __init__(self) -> None:
        self.positions = Positions()

    def build(self, tree: Tree) -> Any:
        children = [self.build(child) if isinstance(child, Tree) else child for child in tree.children]
        tree.children = []  # each subtree is freed once built: the tree and the data never both peak
        return getattr(self, tree.data)(tree.meta, children)

    def start(self, meta, units):
        return {"flows": units, "span": _span(meta) if not meta.empty else None}

    def unit(self, meta, children):
        kind, name, title, *members = children
        flow: dict[str, Any] = _node(meta, kind=kind, name=str(name), title=title and unquote(title))
        steps, settings = [], {}
        for member in members:
            if member[0] == "step":
                steps.append(member[1])
                continue
            key, value, where = member
            if key in flow:
                raise FlowSyntaxError(f"'{key}' is set twice in {kind} '{name}' (first on line {settings[key][0]})",
                                      None, *where)
            flow[key] = value
            settings[key] = where
        flow["steps"] = steps
        self.positions.add_keys(flow, settings)
        return flow

    def unit_kind(self, meta, children):
        return str(children[0])

    # --- settings: each returns (field name, value) --------------------------------
    # Settings return (field, value, where it is written) so errors can point at them.
    def channel(self, meta, children):
        return ("channel", str(children[0]), (meta.line, meta.column))

    def language(self, meta, children):
        return ("language", str(children[0]), (meta.line, meta.column))

    def description(self, meta, children):
        return ("description", unquote(children[0]), (meta.line, meta.column))

    def trigger(self, meta, children):
        kind, *options = children
        trigger = _add_options(_node(meta, kind=str(kind)), options, "trigger option", meta)
        return ("trigger", trigger, (meta.line, meta.column))

    def keywords(self, meta, children):
        return ("keywords", [unquote(child) for child in children])

    def trigger_value(self, meta, children):
        return ("value", unquote(children[0]))

    def every(self, meta, children):
        return ("every", str(children[0]))

    def at(self, meta, children):
        return ("at", str(children[0]))

    def audience(self, meta, children):
        kind, name = children
        return ("audience", _node(meta, kind=str(kind), name=name and unquote(name)), (meta.line, meta.column))

    def window(self, meta, children):
        start, end, timezone = children
        return ("window", _node(meta, start=str(start), end=str(end), timezone=timezone), (meta.line, meta.column))

    def timezone(self, meta, children):
        token = children[0]
        return unquote(token) if token.type == "STRING" else str(token)

    # --- steps and statements ------------------------------------------------------
    def step(self, meta, children):
        name, *statements = children
        return ("step", _node(meta, name=str(name), do=statements))

    def say(self, meta, children):
        text, *options = children
        say = _node(meta, say=unquote(text))
        for option in options:
            say.update(option)
        return say

    def message_tag(self, meta, children):
        return {"tag": str(children[0])}

    def template(self, meta, children):
        name, category = children
        return {"template": unquote(name), **({"category": str(category)} if category else {})}

    def ask(self, meta, children):
        text, *items = children
        ask: dict[str, Any] = _node(meta, ask=unquote(text))
        for key, value in items:
            if key in ("replies", "buttons", "rows"):
                ask.setdefault(key, []).append(value)
            elif key == "capture":
                if "capture" in ask:
                    raise FlowSyntaxError("a question can capture only one answer", None, meta.line, meta.column)
                ask.update(value)
            else:
                ask[key] = value
        return ask

    def reply(self, meta, children):
        label, target = children
        return ("replies", _node(meta, label=unquote(label), goto=target))

    def row(self, meta, children):
        label, target = children
        return ("rows", _node(meta, label=unquote(label), goto=target))

    def button(self, meta, children):
        label, destination = children
        option = _node(meta, label=unquote(label))
        if isinstance(destination, tuple):
            option["url"] = destination[1]
        elif destination is not None:
            option["goto"] = destination
        return ("buttons", option)

    def url(self, meta, children):
        return ("url", unquote(children[0]))

    def capture(self, meta, children):
        variable, expect, target = children
        return ("capture", {"capture": str(variable), "expect": expect and str(expect), "then": target})

    def otherwise(self, meta, children):
        return ("otherwise", children[0])

    def target(self, meta, children):
        return str(children[0])

    def wait(self, meta, children):
        return _node(meta, wait=str(children[0]))

    def wait_until(self, meta, children):
        time, timezone = children
        return _node(meta, wait_until=str(time), timezone=timezone)

    def wait_for_reply(self, meta, children):
        capture, timeout, target = children
        node = _node(meta, on_timeout=target, capture=capture and str(capture))
        node["wait_for_reply"] = timeout and str(timeout)
        return node

    def branch(self, meta, children):
        condition, then, otherwise = children
        return _node(meta, **{"if": condition, "then": then, "else": otherwise})

    def replied(self, meta, children):
        return _node(meta, replied=True)

    def no_reply(self, meta, children):
        return _node(meta, replied=False)

    def has_tag(self, meta, children):
        return _node(meta, has_tag=unquote(children[0]))

    def lacks_tag(self, meta, children):
        return _node(meta, lacks_tag=unquote(children[0]))

    def equals(self, meta, children):
        return _node(meta, var=str(children[0]), equals=unquote(children[1]))

    def not_equals(self, meta, children):
        return _node(meta, var=str(children[0]), not_equals=unquote(children[1]))

    def goto(self, meta, children):
        return _node(meta, goto=str(children[0]))

    def handoff(self, meta, children):
        team, *items = children
        handoff = _node(meta)
        handoff["handoff"] = team and unquote(team)
        return _add_options(handoff, items, "handoff setting", meta)

    def owner(self, meta, children):
        return ("owner", unquote(children[0]))

    def sla(self, meta, children):
        return ("sla", str(children[0]))

    def hours(self, meta, children):
        days, start, end, timezone = children
        return ("hours", _node(meta, days=days, start=str(start), end=str(end), timezone=timezone))

    def days(self, meta, children):
        return _expand_days(children)

    def tell(self, meta, children):
        return ("tell", unquote(children[0]))

    def off_hours(self, meta, children):
        return ("off_hours", unquote(children[0]))

    def unanswered(self, meta, children):
        return ("on_timeout", children[0])

    def action(self, meta, children):
        verb, *options = children
        return _add_options(_node(meta, action=str(verb)), options, "action option", meta)

    def action_text(self, meta, children):
        return ("text", unquote(children[0]))

    def count(self, meta, children):
        return ("count", int(children[0]))

    def limit(self, meta, children):
        count, per = children
        return ("limit", _node(meta, count=int(count), per=str(per)))

    def set(self, meta, children):
        variable, value = children
        return _node(meta, set=str(variable), value=value and unquote(value))

    def followup(self, meta, children):
        after, *statements = children
        return _node(meta, followup_after=str(after), do=statements)

    def end(self, meta, children):
        return _node(meta, end=True)


def _add_options(node: dict[str, Any], options: list[tuple[str, Any]], what: str, meta: Any) -> dict[str, Any]:
    """Set (key, value) options on a node; naming one twice is an error, not a silent overwrite."""
    for key, value in options:
        if key in node:
            raise FlowSyntaxError(f"{what} '{key}' given twice", None, meta.line, meta.column)
        node[key] = value
    return node


_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _expand_days(tokens: list[Token]) -> list[str]:
    """`mon-fri, sun` -> the days it names, in week order."""
    days: list[str] = []
    for token in tokens:
        first, _, last = str(token).lower().partition("-")
        if first not in _WEEK or (last and last not in _WEEK):
            raise FlowSyntaxError(
                f"'{token}' is not a day or day range (use mon..sun, e.g. mon-fri)", None, token.line, token.column
            )
        start, stop = _WEEK.index(first), _WEEK.index(last or first)
        days.extend(_WEEK[start:stop + 1] if start <= stop else _WEEK[start:] + _WEEK[:stop + 1])
    return days


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark.open(
        str(data_dir("grammars") / "flow.lark"),
        parser="lalr",
        postlex=_FlowIndenter(),
        propagate_positions=True,
        maybe_placeholders=True,
        cache=grammar_cache_file() or False,
    )


def grammar_cache_file() -> str | None:
    """Where lark keeps the analysed grammar between runs (start-up matters for pre-commit): in
    botlint's cache folder, not the shared temp folder, as the file is unpickled when read. lark
    stores the grammar's hash in it and analyses again when that differs; None (no cache) where
    the folder cannot be made."""
    import sys

    import lark

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return str(folder / f"flow-grammar-lark{lark.__version__}-py{sys.version_info[0]}{sys.version_info[1]}.tmp")


_TERMINAL_NAMES = {
    "_NL": "end of line",
    "_INDENT": "an indented block",
    "_DEDENT": "the end of the block",
    "NAME": "a name",
    "STRING": 'a quoted string ("...")',
    "DURATION": "a duration (e.g. 30m, 2d)",
    "TIME": "a time of day (HH:MM)",
    "INT": "a whole number",
    "$END": "end of file",
}


def _describe(terminals: set[str]) -> str:
    if len(terminals) > 1:
        # LALR states can list a newline that no real input would accept there; it only adds noise.
        terminals = set(terminals) - {"_NL"}
    names = set()
    for terminal in terminals:
        if terminal in _TERMINAL_NAMES:
            names.add(_TERMINAL_NAMES[terminal])
            continue
        try:
            pattern = _parser().get_terminal(terminal).pattern
        except KeyError:
            names.add(terminal.lower())
            continue
        names.add(f"'{pattern.value}'" if pattern.type == "str" else terminal.lower())
    return ", ".join(sorted(names))


def _found(token: Token) -> str:
    if token.type == "$END":
        return "end of file"
    if token.type == "_NL":
        return "end of line"
    if token.type == "_INDENT":
        return "indentation (this line is indented deeper than the block it is in)"
    if token.type == "_DEDENT":
        return "end of the block"
    return f"'{token}'"


def parse_data(text: str, path: str) -> tuple[dict[str, Any], list[Comment], Positions]:
    """Parse `.flow` text into the YAML-shaped dict (with spans), its comments and setting positions.

    Raises FlowSyntaxError with the position of the first problem."""
    source = text if text.endswith("\n") else text + "\n"
    try:
        return _parse(source)
    except FlowSyntaxError as exc:
        exc.path = path
        if exc.line is not None and exc.source_line is None:
            exc.source_line = line_at(text, exc.line)
        raise
    except _DedentError as exc:
        raise FlowSyntaxError(
            f"indentation does not match any outer block (expected one of columns "
            f"{', '.join(str(level + 1) for level in exc.levels)})",
            path, exc.line, exc.col, line_at(text, exc.line),
        ) from None
    except RecursionError:  # the tree is built recursively: only with a max-depth raised far above 64
        raise FlowSyntaxError("blocks nested too deeply to read", path) from None
    except UnexpectedCharacters as exc:
        position = exc.pos_in_stream
        text = source  # the position may be the newline added at the end
        if text[position] == '"' and text[max(0, position - 2):position] == '""':
            # '"""' with no closing '"""' lexes as "" and then a lone quote: point at the opening.
            line, col = exc.line, exc.column - 2
            raise FlowSyntaxError('unterminated triple-quoted string: close it with """', path, line, col,
                                  line_at(text, line)) from None
        if text[position] == '"':
            message = "unterminated string: a plain string must close on the same line (use \"\"\" for several lines)"
        elif text[exc.pos_in_stream] == "\t" or text[exc.pos_in_stream] == " ":
            message = "unexpected indentation"
        else:
            message = f"unexpected character '{text[exc.pos_in_stream]}'"
            if exc.allowed:
                message += f"; expected {_describe(exc.allowed)}"
        raise FlowSyntaxError(message, path, exc.line, exc.column, line_at(text, exc.line)) from None
    except UnexpectedToken as exc:
        token = exc.token
        line, col = _token_position(token, text)
        message = f"unexpected {_found(token)}; expected {_describe(exc.expected)}"
        if token.type == "_DEDENT" and "_INDENT" in exc.expected:  # `step s:` and nothing indented under it
            message = f"nothing is indented under this line; expected {_describe(exc.expected)}"
        raise FlowSyntaxError(message, path, line, col, line_at(text, line)) from None
    except UnexpectedEOF as exc:
        line = text.count("\n") + 1
        raise FlowSyntaxError(
            f"unexpected end of file; expected {_describe(set(exc.expected))}", path, line, 1
        ) from None
    except UnexpectedInput as exc:  # any other lexer/parser complaint
        raise FlowSyntaxError(f"syntax error: {exc}", path, exc.line, exc.column, line_at(text, exc.line)) from None


# A large file is parsed a few units at a time: Lark's tree (with a position record per node)
# takes as much memory as the model built from it, so holding the tree of one chunk instead of
# the whole file's halves the peak (about 900 MB to 470 MB for 10 MB of flows).
CHUNK_CHARS = 500_000
# Where a unit (`flow` or `sequence` at column 0) can start: after a newline that is not inside a
# triple-quoted string. Strings and comments are matched whole so that their text is skipped.
_UNIT_START = re.compile(r'(?s:"""(?:[^"\\]|\\.|"(?!""))*""")|"(?:[^"\\\n]|\\.)*"|#[^\n]*'
                         r"|\n(?=(?:flow|sequence)[ \t])")


def _chunks(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets of consecutive pieces of at least CHUNK_CHARS, each starting at a unit."""
    if len(source) <= CHUNK_CHARS:
        return [(0, len(source))]
    cuts, last = [0], 0
    for match in _UNIT_START.finditer(source):
        if match.group() == "\n" and match.end() - last >= CHUNK_CHARS:
            cuts.append(match.end())
            last = match.end()
    return list(zip(cuts, cuts[1:] + [len(source)]))


def _parse(source: str) -> tuple[dict[str, Any], list[Comment], Positions]:
    pieces = _chunks(source)
    if len(pieces) == 1:
        return _parse_piece(source, _ToData())
    builder = _ToData()
    flows: list[dict[str, Any]] = []
    comments: list[Comment] = []
    spans = []
    try:
        for start, end in pieces:
            # Blank lines in front keep every line number (and so every position) as in the file.
            padding = "\n" * source.count("\n", 0, start)
            data, found, _ = _parse_piece(padding + source[start:end], builder)
            flows.extend(data["flows"])
            comments.extend(found)
            spans.append(data.get("span"))
    except (FlowSyntaxError, LarkError):
        return _parse_piece(source, _ToData())  # the error as the whole file gives it, position and all
    span = None
    if spans[0] and spans[-1]:
        span = {**spans[0], "end_line": spans[-1]["end_line"], "end_col": spans[-1]["end_col"]}
    return {"flows": flows, "span": span}, comments, builder.positions


def _parse_piece(source: str, builder: _ToData) -> tuple[dict[str, Any], list[Comment], Positions]:
    parser = _parser()
    indenter = parser.options.postlex
    indenter.reset(current())
    global _LAYOUT_ENDS
    _LAYOUT_ENDS = indenter.layout_ends
    try:
        data = builder.build(parser.parse(source))
    finally:
        _LAYOUT_ENDS = {}
    return data, [Comment(line, col, text) for line, col, text in indenter.comments], builder.positions


def _token_position(token: Token, text: str) -> tuple[int, int]:
    """Where to point for a token; layout tokens point at the end of the previous line."""
    if token.type == "_INDENT" and getattr(token, "end_line", None) is not None:
        # Made from the newline before the line indented too deep: point at that line's text.
        return token.end_line, len(str(token).rsplit("\n", 1)[-1]) + 1
    if token.type in ("_NL", "_DEDENT", "_INDENT", "$END") or getattr(token, "line", None) is None:
        line = getattr(token, "line", None) or text.count("\n") + 1
        previous = line_at(text, line) or ""
        if token.type == "_NL" and token.line is not None:
            return token.line, token.column
        return line, len(previous) + 1
    return token.line, token.column
