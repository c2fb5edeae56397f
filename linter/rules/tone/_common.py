"""What the tone rules share: which texts are chat bubbles, per-channel options, quoting."""

from __future__ import annotations

from typing import Any, Iterator

from linter.model.analysis import BotText, bot_texts
from linter.model.flow import Action, Flow, FollowUp

# Texts the person reads as a chat bubble (an action's text only when it is a direct message).
_BUBBLE_KINDS = frozenset({"say", "ask", "tell", "off_hours"})


def is_bubble(text: BotText) -> bool:
    if text.kind in _BUBBLE_KINDS:
        return True
    return text.kind == "action" and isinstance(text.node, Action) and text.node.action.value == "message"


def bubbles(flow: Flow) -> Iterator[BotText]:
    return (text for text in bot_texts(flow) if is_bubble(text))


def medium(channel: str | None, text: BotText) -> str | None:
    """Where a text is read: an `action email` is an email whatever the flow's channel."""
    if text.kind == "action" and isinstance(text.node, Action) and text.node.action.value == "email":
        return "email"
    return channel


def per_channel(option: Any, channel: str | None) -> Any:
    """A per-channel option ({channel: value, default: value}); None where it sets no limit."""
    if not isinstance(option, dict):
        return option
    if channel is not None and channel in option:
        return option[channel]
    return option.get("default")


def line_of(node: Any) -> int | None:
    span = getattr(node, "span", None)
    return span.line if span else None


def lexicon_hits(ctx, key: str) -> Iterator[tuple[BotText, list]]:
    """(text, matches) for every bot text with an entry of lexicon list `key`; flows without a lexicon are skipped."""
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        for text in bot_texts(flow):
            matches = lexicon.find(key, text.text)
            if matches:
                yield text, matches


def step_statements(statements: list) -> Iterator[Any]:
    """A step's statements in source order, follow-up bodies included."""
    for statement in statements:
        yield statement
        if isinstance(statement, FollowUp):
            yield from step_statements(statement.do)


