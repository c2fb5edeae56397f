"""Language Generation (`.lg`) files: templates parsed, the variation the bot says first picked out.

Also the scanning of Adaptive Expressions that texts and dialogs share (`${...}` bodies, calls, their
arguments, memory paths). Nothing here knows about dialogs.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from linter.parse import Comment

_HEADER = re.compile(r"^\s*#\s*([^\s(]+)\s*(?:\(([^)]*)\))?")
_KEYWORD = re.compile(r"^(IF|ELSEIF|ELSE|SWITCH|CASE|DEFAULT)\s*:", re.I)
_FIELD = re.compile(r"^([A-Za-z][\w.\-]*)\s*=\s*(.*)$")
# A memory path as expressions write it: user.name, $count, @city, turn.items[0].title
PATH = r"[$@#%]?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\[\]]*\])*"
IS_PATH = re.compile(rf"^{PATH}$")
CALL = re.compile(r"^([A-Za-z_][\w.]*)\s*\((.*)\)$", re.S)
LOCALE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$", re.I)


# --- expressions ----------------------------------------------------------------------------------


def _unquoted(text: str, start: int = 0):
    """(index, char) of an expression's characters outside its '...' and "..." literals."""
    quote, index = "", start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        else:
            yield index, char
        index += 1


def split_args(arguments: str) -> list[str]:
    """A call's arguments, split at the commas between them."""
    if not arguments.strip():
        return []
    parts, depth, start = [], 0, 0
    for index, char in _unquoted(arguments):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(arguments[start:index].strip())
            start = index + 1
    return parts + [arguments[start:].strip()]


def split_text(text: str) -> list[str]:
    """LG text split at `|` (variations, suggested actions), not inside ${...} or escaped."""
    parts, start, index = [], 0, 0
    while index < len(text):
        if text[index] == "\\":
            index += 1
        elif text.startswith("${", index):
            index = max(expression_end(text, index + 2), index)
        elif text[index] == "|":
            parts.append(text[start:index])
            start = index + 1
        index += 1
    return parts + [text[start:]]


def expression_end(text: str, start: int) -> int:
    """The index of the `}` closing the `${` whose body starts at `start`; -1 if none."""
    depth = 1
    for index, char in _unquoted(text, start):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
    return -1


def single_call(value: str) -> tuple[str, str] | None:
    """(name, arguments) when the whole text is one `${Name(args)}`."""
    text = value.strip()
    if not (text.startswith("${") and expression_end(text, 2) == len(text) - 1):
        return None
    match = CALL.match(text[2:-1].strip())
    if not match or not balanced(match[2]):
        return None
    return match[1], match[2]


def balanced(arguments: str) -> bool:
    depth = 0
    for char in arguments:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --- language generation ---------------------------------------------------------------------------


@dataclass
class Template:
    name: str
    params: list[str]
    body: list[tuple[int, str]]  # (line number, line)
    file: str  # display path


@dataclass
class Variation:
    text: str
    span: dict
    escapes: bool = True  # multi-line ``` text is taken as written
    fields: dict[str, tuple[str, dict]] | None = None  # a structured body: key -> (value, span)
    kind: str = ""  # Activity, HeroCard...
    guard: str = ""  # the IF condition the variation is under, e.g. exists(user.name)


@dataclass
class LgFile:
    display: str
    templates: dict[str, Template] = field(default_factory=dict)
    imports: list[str] = field(default_factory=list)  # file ids, e.g. common.lg
    comments: list[Comment] = field(default_factory=list)


def parse_lg(text: str, display: str) -> LgFile:
    lg = LgFile(display)
    current: Template | None = None
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not fenced:
            header = _HEADER.match(line) if stripped.startswith("#") else None
            if header:
                params = [p.strip() for p in (header[2] or "").split(",") if p.strip()]
                current = Template(header[1], params, [], display)
                lg.templates.setdefault(current.name, current)
                continue
            if stripped.startswith(">"):
                if "botlint" in stripped:  # suppressions, written as LG comments
                    lg.comments.append(Comment(number, line.index(">") + 1, "#" + stripped[1:], display))
                continue
            if stripped.startswith("[import]"):
                target = re.match(r"\[import\]\(([^)]*)\)", stripped)
                if target:
                    lg.imports.append(lg_id(Path(target[1].strip()).name))
                continue
        if current is not None:
            current.body.append((number, line))
        if line.count("```") % 2:
            fenced = not fenced
    return lg


def lg_id(name: str) -> str:
    """`common.en-us.lg` and `common.lg` are both the file `common.lg` of a language."""
    parts = name.lower().split(".")
    if len(parts) >= 3 and LOCALE.match(parts[-2]):
        parts.pop(-2)
    return ".".join(parts)


def _span(file: str, line: int, col: int, end_line: int | None = None, end_col: int | None = None) -> dict:
    return {"line": line, "col": col, "end_line": end_line or line, "end_col": end_col or col, "file": file}


def first_variation(template: Template) -> Variation | None:
    """The text the bot says first: the first variation, the first branch's, or a structured body's fields."""
    body = [(n, line) for n, line in template.body if line.strip() and not line.strip().startswith(">")]
    if body and body[0][1].strip().startswith("["):
        kind = body[0][1].strip()[1:].strip()
        fields: dict[str, tuple[str, dict]] = {}
        for number, line in body[1:]:
            stripped = line.strip()
            if stripped == "]":
                break
            match = _FIELD.match(stripped)
            if match:
                after = line[line.index("=") + 1:]
                col = line.index("=") + 2 + len(after) - len(after.lstrip())
                fields.setdefault(match[1].lower(), (match[2].strip(), _span(template.file, number, col,
                                                                            number, len(line) + 1)))
        return Variation("", _span(template.file, body[0][0], 1), fields=fields, kind=kind)
    guard = ""
    for index, (number, line) in enumerate(template.body):
        stripped = line.lstrip()
        if not stripped.startswith("-"):
            continue
        content = stripped[1:].lstrip()
        col = len(line) - len(content) + 1
        keyword = _KEYWORD.match(content)
        if keyword:
            guard = content[keyword.end():] if keyword[1].upper() in ("IF", "ELSEIF") else ""
            continue
        if not content.strip():
            continue
        found = _fenced(template, index, content[3:], col) if content.startswith("```") else \
            Variation(content.rstrip(), _span(template.file, number, col, number, len(line) + 1))
        found.guard = guard
        return found
    return None


def _fenced(template: Template, index: int, rest: str, col: int) -> Variation:
    number = template.body[index][0]
    if "```" in rest:
        text, end_line = rest[:rest.index("```")], number
    else:
        lines = [rest]
        end_line = number
        for end_line, line in template.body[index + 1:]:
            if "```" in line:
                lines.append(line[:line.index("```")])
                break
            lines.append(line)
        text = lines[0] + "\n" + textwrap.dedent("\n".join(lines[1:])) if lines[0].strip() else \
            textwrap.dedent("\n".join(lines[1:]))
    return Variation(text.strip("\n").rstrip(), _span(template.file, number, col, end_line, 1), escapes=False)
