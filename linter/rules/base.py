"""What a rule module needs: the `rule` declaration (see linter.core.rules) and helpers for messages.

A rule receives a `RuleContext` (the model and its analysis, the rule's options, the channel and
language data) and yields violations (`ctx.finding(...)`). It never reads files and never prints.
"""

from __future__ import annotations

from typing import Any

from linter.core.rules import Rule, rule

__all__ = ["Rule", "place", "rule"]  # a rule module's one import


def place(node: Any, near: Any = None) -> str:
    """Where `node` is, for a message about another node `near` it: "line 12", or
    "domain.yml:12" when the two are in different files (imported projects)."""
    span = getattr(node, "span", None)
    if span is None:
        return "line ?"
    other = getattr(getattr(near, "span", None), "file", None)
    if span.file and span.file != other:
        return f"{span.file}:{span.line}"
    return f"line {span.line}"
