"""What a rule reports, and what the engine records of it (as sqlfluff's LintResult and
SQLLintError): a rule knows the node and the words; the engine knows the rule, the file and
where the finding sits in the flow."""

from __future__ import annotations

from typing import Any, NamedTuple


class Violation(NamedTuple):
    """A rule's report: where (a model node, or a span), what is wrong, and how to fix it."""

    where: Any  # a model node or span with .line/.col/.end_line/.end_col/.file; None: the file's start
    message: str | None = None  # None: the rule's summary
    hint: str | None = None
    file: str | None = None  # for a position given as (line, col): the file, if not the one linted
    line: int | None = None  # a bare position, when there is no node (a comment, a config key)
    col: int | None = None
    severity: str | None = None  # the rule's weaker kind of evidence: a severity for this one only


class Finding(NamedTuple):
    """A violation as the engine records it."""

    code: str
    name: str
    severity: str  # a Severity value
    message: str
    hint: str | None
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    # Where it sits, and how it is known across edits (see linter.engine.identify):
    flow: str | None = None
    step: str | None = None
    snippet: str = ""  # the offending source text, for reports and fingerprints
    fingerprint: str = ""
