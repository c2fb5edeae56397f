"""LG templates into the model's texts: the first variation said, template calls expanded, expressions
turned into placeholders named like the captures and sets of the properties they show."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from linter.parse.importers.composer.lg import (
    CALL, IS_PATH, PATH, Template, Variation, balanced, expression_end, first_variation, single_call, split_args,
    split_text)

MAX_DEPTH = 8  # nested BeginDialog calls inlined, and nested template calls expanded
_LITERAL = re.compile(r"""^(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?)|(true|false))$""")
_ESCAPES = {"n": "\n", "t": "\t", "r": ""}
# Memory the runtime fills itself: placeholders of it get a fallback (they are never empty).
PLATFORM = ("this", "settings", "turn.activity", "turn.recognized", "turn.dialogevent", "turn.lastresult")


def model_name(name: str) -> str:
    """A property path as a placeholder/capture name: user.profile.name -> user_profile_name."""
    base = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "value"
    return f"v_{base}" if base[0].isdigit() else base


def memory_path(path: str) -> str:
    """A memory path as written in properties: `=$x` -> dialog.x; indexes and what follows them dropped."""
    path = path.strip().lstrip("=").strip()
    if path.startswith("$"):
        path = "dialog." + path[1:]
    return path.split("[")[0].strip(".")


@dataclass
class Message:
    text: str
    span: dict
    suggestions: list[tuple[str, dict]] = field(default_factory=list)


class Renderer:
    """LG text into the model's text: template calls expanded, expressions as placeholders."""

    def __init__(self, assigned: dict[str, str], scope: dict[str, Template]) -> None:
        self.assigned = assigned  # the properties the bot fills: lower-case path -> path as first written
        self.scope = scope
        self.guarded: set[str] = set()  # paths an enclosing IF checks: filled where the text is said

    def template(self, template: Template, args: list[str], depth: int, span: dict) -> Message:
        bindings = dict(zip(template.params, (a.strip() for a in args)))
        variation = first_variation(template)
        if variation is None or depth > MAX_DEPTH:
            return Message("", span)
        if variation.fields is not None:
            return self.structured(variation, bindings, depth)
        call = single_call(variation.text) if variation.escapes else None
        if call and call[0] in self.scope:  # a template that only calls another: point at that one's text
            args = [self.bind(a, bindings) for a in split_args(call[1])]
            return self.template(self.scope[call[0]], args, depth + 1, variation.span)
        before = set(self.guarded)
        for path in re.findall(PATH, variation.guard):  # IF: ${exists(user.name)} - Hi ${user.name}
            self.guarded.add(memory_path(self.bind(path, bindings)).lower())
        text = self.expand(variation.text, bindings, depth, variation.escapes).strip()
        self.guarded = before
        return Message(text, variation.span)

    def structured(self, variation: Variation, bindings: dict[str, str], depth: int) -> Message:
        fields = variation.fields or {}
        if variation.kind.lower() == "activity":
            text, span = fields.get("text") or fields.get("speak") or ("", variation.span)
            text = split_text(text)[0]
            if not text.strip() and "attachments" in fields:  # a card's text stands in for the message
                call = single_call(fields["attachments"][0])
                if call and call[0] in self.scope:
                    card = self.template(self.scope[call[0]], [], depth + 1, fields["attachments"][1])
                    text, span = card.text, card.span
        else:  # a card: its title, subtitle and text are separate lines of text, not one sentence
            found = [fields[key] for key in ("title", "subtitle", "text") if key in fields and fields[key][0].strip()]
            text = "\n\n".join(value for value, _ in found)
            span = found[0][1] if found else variation.span
        message = Message(self.expand(text, bindings, depth, escapes=True).strip(), span)
        if "suggestedactions" in fields:
            value, where = fields["suggestedactions"]
            labels = [self.expand(label, bindings, depth, escapes=True).strip() for label in split_text(value)]
            message.suggestions = [(label, where) for label in labels if label]
        return message

    def expand(self, text: str, bindings: dict[str, str], depth: int, escapes: bool) -> str:
        out: list[str] = []
        index = 0
        while index < len(text):
            char = text[index]
            if escapes and char == "\\" and index + 1 < len(text):
                out.append(_ESCAPES.get(text[index + 1], text[index + 1]))
                index += 2
            elif char in "$@" and text.startswith("{", index + 1):
                end = expression_end(text, index + 2)
                if end < 0:
                    out.append(text[index:])
                    break
                out.append(self.expression(text[index + 2:end], bindings, depth))
                index = end + 1
            else:
                out.append(char)
                index += 1
        return "".join(out)

    def bind(self, expression: str, bindings: dict[str, str]) -> str:
        """A template parameter replaced by the argument it was called with."""
        if bindings and IS_PATH.match(expression):
            head = re.match(r"[A-Za-z_]\w*", expression)
            if head and head[0] in bindings:
                return bindings[head[0]] + expression[head.end():]
        return expression

    def expression(self, expression: str, bindings: dict[str, str], depth: int) -> str:
        text = expression.strip()
        literal = _LITERAL.match(text)
        if literal:
            return next(group for group in literal.groups() if group is not None)
        if text == "null":
            return ""
        call = CALL.match(text)
        if call and balanced(call[2]) and call[1] in self.scope and depth < MAX_DEPTH:
            args = [self.bind(a, bindings) for a in split_args(call[2])]
            return self.template(self.scope[call[1]], args, depth + 1, {}).text
        if IS_PATH.match(text):
            bound = self.bind(text, bindings)
            if bound != text:
                return self.expression(bound, {}, depth + 1)
            return self.placeholder(text)
        for name, value in bindings.items():  # count(collection) -> count(user.todos)
            text = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w(])", lambda _: value, text)
        return "{" + model_name(text)[:40].rstrip("_") + "|N}"  # computed: never empty

    def placeholder(self, path: str) -> str:
        if path.startswith("@"):
            return "{" + model_name(path[1:].split("[")[0]) + "}"  # a recognized entity: may be missing
        if path.startswith(("#", "%")):
            return "{" + model_name(path)[:40] + "|N}"
        normal = memory_path(path)
        lower = normal.lower()
        if lower in self.guarded or any(lower == p or lower.startswith(p + ".") for p in PLATFORM):
            # the platform fills these
            return "{" + model_name(normal) + "|" + model_name(normal.split(".")[-1]) + "}"
        segments = normal.split(".")
        for size in range(len(segments), 0, -1):
            known = self.assigned.get(".".join(segments[:size]).lower())
            if known:
                return "{" + model_name(known) + "}"
        return "{" + model_name(normal) + "}"
