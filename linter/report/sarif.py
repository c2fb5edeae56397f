"""SARIF 2.1.0 (`--format sarif`), as GitHub code scanning accepts it.

One run. `tool.driver.rules` lists the rules that have a finding, sorted by
code, and each result's `ruleIndex` points into that list. Paths are relative
URIs against `%SRCROOT%` (the directory botlint ran in). Columns count Unicode
code points (`columnKind`), as Python does. Inputs that could not be checked
are `toolExecutionNotifications` of the run's invocation, which then was not
successful; notices are notifications too, at level "note".
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from linter import __version__
from linter.core.results import LintResult
from linter.core.errors import BotlintError
from linter.report import message_with_hint, posix_path, region, unique_fingerprints
from linter.core.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def report(result: LintResult, out: TextIO, **_: object) -> None:
    codes = sorted({finding.code for finding in result.findings})
    index = {code: number for number, code in enumerate(codes)}
    fingerprints = unique_fingerprints(finding.fingerprint for finding in result.findings)
    results = []
    for finding, fingerprint in zip(result.findings, fingerprints):
        line, col, end_line, end_col = region(finding)
        area: dict[str, Any] = {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}
        if finding.snippet:
            area["snippet"] = {"text": finding.snippet}
        results.append({
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": message_with_hint(finding)},
            "locations": [_location(finding.path, area)],
            "partialFingerprints": {"botlintFingerprint/v1": fingerprint},
        })
    notifications = [_error(error) for error in result.errors]
    notifications += [{"level": "note", "message": {"text": notice}} for notice in sorted(result.notices)]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    rules = [_descriptor(rule) if (rule := result.rule_of(code)) else {"id": code} for code in codes]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "botlint", "version": __version__, "rules": rules}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    json.dump(log, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _descriptor(rule: Rule) -> dict[str, Any]:
    documentation = rule.documentation()
    # The docstring's first line is "CODE name: one sentence"; that sentence describes the rule.
    first = documentation.split("\n", 1)[0]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first.split(": ", 1)[-1]},
        "help": {"text": documentation, "markdown": _markdown(documentation)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family]},
    }


def _markdown(documentation: str) -> str:
    """A rule's docstring as Markdown: its unindented lines are headings, the prose under
    them is indented once, and what is indented deeper (the examples) becomes code."""
    title, *lines = documentation.split("\n")
    parts, code = [f"**{title}**"], []

    def flush() -> None:
        if code:
            parts.append("```\n" + "\n".join(code) + "\n```")
            code.clear()

    for line in lines:
        if line.startswith("     "):
            code.append(line[8:] if line.startswith(" " * 8) else line.strip())
            continue
        flush()
        parts.append(f"### {line}" if line and not line.startswith(" ") else line[4:])
    flush()
    return "\n".join(parts) + "\n"


def _location(path: str, area: dict[str, Any] | None = None) -> dict[str, Any]:
    posix = posix_path(path)
    if PurePath(path).is_absolute():  # outside the working directory (another drive on Windows)
        artifact = {"uri": PurePath(path).as_uri()}
    else:
        artifact = {"uri": quote(posix), "uriBaseId": "%SRCROOT%"}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if area:
        physical["region"] = area
    return {"physicalLocation": physical}


def _error(error: BotlintError) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    if error.path:
        area = {"startLine": max(1, error.line)} if error.line else None
        if area and error.col:
            area["startColumn"] = max(1, error.col)
        notification["locations"] = [_location(error.path, area)]
    return notification
