"""What a rule is: metadata, a docstring that is its documentation, and a check.

A rule receives a `RuleContext` (the model and its analysis, the rule's
options, the channel and language data) and yields findings. It never reads
files and never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from linter.engine.context import RuleContext

SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str
    hint: str | None
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    # Filled in by the engine once the rules have run (a rule never sets them):
    flow: str | None = None  # the flow and step the finding sits in, when it sits in one
    step: str | None = None
    snippet: str = ""  # the offending source text, for reports and fingerprints
    fingerprint: str = ""  # stable across unrelated edits: see linter.engine.identify


@dataclass(frozen=True)
class Rule:
    code: str  # stable, e.g. BL001
    name: str  # slug, e.g. undefined-step
    family: str  # the folder it lives in: structure, channel, meta, ...
    severity: str  # default severity
    summary: str  # the one-line message
    check: Callable[[RuleContext], Iterable[Finding]]
    doc: str  # the module docstring: what it does, why it is bad, example
    options: dict[str, type] = field(default_factory=dict)  # option name -> type, defaults live in rulesets

    def documentation(self) -> str:
        import inspect  # only `botlint rule` needs it: keep it off the start-up path

        return inspect.cleandoc(self.doc)


def rule(*, code: str, name: str, severity: str, summary: str,
         options: dict[str, type] | None = None) -> Callable[[Callable], Rule]:
    """Declare a rule module's check function; family and doc come from the module."""
    assert severity in SEVERITIES, severity

    def declare(check: Callable[[RuleContext], Iterator[Finding]]) -> Rule:
        import sys

        module = sys.modules[check.__module__]
        family = check.__module__.split(".")[-2]
        return Rule(code, name, family, severity, summary, check, module.__doc__ or "", options or {})

    return declare


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
