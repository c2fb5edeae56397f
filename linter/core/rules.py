"""What a rule is: metadata, a docstring that is its documentation, and a check that receives a
`RuleContext` and yields `Violation`s. A rule never reads files and never prints."""

from __future__ import annotations

import sys
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Protocol

from linter.core.findings import Violation
from linter.core.severity import Severity


class RuleContext(Protocol):
    """What a rule's check sees. The engine provides it (linter.engine.context)."""

    rule: Rule
    options: Any  # the rule's options, as its options model declares them
    severity: str

    @property
    def document(self) -> Any: ...  # the parsed model (linter.model.flow.Document)

    def flows(self) -> Iterator[Any]: ...

    def analysis(self, flow: Any) -> Any: ...  # linter.model.analysis.FlowAnalysis, built once per flow

    def channel(self, flow: Any) -> str | None: ...

    def language(self, flow: Any) -> str: ...

    def lexicon(self, flow: Any) -> Any: ...  # the flow's word lists; None for a language without one

    def policy(self, flow: Any) -> dict[str, Any] | None: ...

    def channel_data(self, flow: Any) -> dict[str, Any]: ...

    def finding(self, where: Any, message: str | None = None, hint: str | None = None) -> Violation: ...

    def finding_at(self, line: int, col: int, message: str | None = None, hint: str | None = None,
                   file: str | None = None) -> Violation: ...


class Rule(NamedTuple):
    code: str  # stable, e.g. BL001
    name: str  # slug, e.g. undefined-step
    family: str  # the folder it lives in: structure, channel, meta, ...
    severity: str  # default severity
    summary: str  # the one-line message
    check: Callable[[RuleContext], Iterable[Violation]]
    doc: str  # the module docstring: what it does, why it is bad, example
    options: Any = None  # its options model (a linter.core.options.RuleOptions); None: no options

    def documentation(self, defaults: dict[str, Any] | None = None) -> str:
        """The module docstring, then an Options section made from the options model, with the
        `defaults` (the shipped pack's values) where given."""
        import inspect  # only `botlint rule` needs it: keep it off the start-up path

        text = inspect.cleandoc(self.doc)
        if self.options is None or not self.options.model_fields:
            return text + "\n\nOptions\n    None."
        lines = ["", "", "Options"]
        for name, spec in self.options.model_fields.items():
            kind = _type_name(spec.annotation)
            default = f", default {_yaml(defaults[name])}" if defaults is not None and name in defaults else ""
            lines.append(f"    {name} ({kind}{default})")
            lines.extend(f"        {line}" for line in _wrapped(spec.description or ""))
        return text + "\n".join(lines)


def rule(*, code: str, name: str, severity: str, summary: str, options: Any = None) -> Callable[[Callable], Rule]:
    """Declare a rule module's check function; family and doc come from the module. `options`: the
    rule's options model, a subclass of linter.core.options.RuleOptions."""
    Severity(severity)  # fails at import for a misspelt severity

    def declare(check: Callable[[RuleContext], Iterator[Violation]]) -> Rule:
        module = sys.modules[check.__module__]
        family = check.__module__.split(".")[-2]
        return Rule(code, name, family, severity, summary, check, module.__doc__ or "", options)

    return declare


def _type_name(annotation: Any) -> str:
    """A reader's name for an option's type: "integer", "list of text", "integer or null"."""
    import types
    import typing

    names = {int: "integer", float: "number", bool: "true/false", str: "text", type(None): "null"}
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping to {_type_name(args[1])}"
    if origin is typing.Literal:
        return " | ".join(repr(arg) for arg in args)
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _yaml(value: Any) -> str:
    """A default as it would be written in a rule pack."""
    import json

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _wrapped(text: str, width: int = 70) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]
