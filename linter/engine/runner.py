"""read -> parse -> model -> rules -> suppressions -> findings. Nothing here prints."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from linter.errors import BotlintError
from linter.rules.base import Finding


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[BotlintError] = field(default_factory=list)
    files: int = 0
    fail_on: dict[str, str] = field(default_factory=dict)  # path -> lowest failing severity
    notices: set[str] = field(default_factory=set)  # things worth saying once per run

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
        self.errors.sort(key=lambda e: (e.path or "", e.line or 0, e.col or 0))


def display_path(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd) if path.is_absolute() else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def lint_parsed(parsed, settings, codes: frozenset[str],
                notices: set[str] | None = None) -> tuple[list[Finding], list[BotlintError]]:
    """Run the selected rules over one parsed file; apply its suppressions."""
    from linter.engine.context import DocumentFacts, RuleContext
    from linter.engine.suppress import apply_suppressions, parse_suppressions
    from linter.rules import all_rules

    errors: list[BotlintError] = []
    try:
        suppressions = parse_suppressions(parsed.comments, parsed.path)
    except BotlintError as exc:
        exc.path = parsed.path
        errors.append(exc)
        suppressions = []
    facts = DocumentFacts(parsed, settings)
    rules = [rule for code, rule in all_rules().items() if code in codes]
    findings: list[Finding] = []
    for rule in rules:
        if rule.family != "meta":
            findings.extend(_run_rule(rule, RuleContext(facts, rule), parsed.path, errors))
    # An imported text used by several flows (a Rasa response in many stories) is one place to fix.
    findings = list(dict.fromkeys(findings))
    findings = apply_suppressions(findings, suppressions, parsed.path)
    for rule in rules:
        if rule.family == "meta":
            findings.extend(_run_rule(rule, RuleContext(facts, rule, suppressions, codes), parsed.path, errors))
    if notices is not None:
        notices.update(facts.notices)
    return findings, errors


RAISE_INTERNAL_ERRORS = False  # `--debug`: let a rule's crash show its traceback


def _run_rule(rule, ctx, path: str, errors: list[BotlintError]) -> list[Finding]:
    """A rule's findings; a bug in one rule costs that rule's findings on this file, not the run."""
    try:
        return list(rule.check(ctx))
    except BotlintError:
        raise  # a bad option in a rule pack is a config error, reported as such
    except Exception as exc:  # noqa: BLE001 - reported as an error, the other rules still run
        if RAISE_INTERNAL_ERRORS:
            raise
        errors.append(BotlintError(f"internal error in rule {rule.code} ({type(exc).__name__}: {exc}); "
                                   "its findings for this file are missing, please report it", path))
        return []


def lint_paths(paths: list[Path], resolver, input_format: str | None = None) -> LintResult:
    from linter.engine.discover import discover
    from linter.errors import FlowSyntaxError
    from linter.parse import import_unit, parse_file

    result = LintResult()
    cwd = resolver.cwd
    for path in paths:
        if not path.exists():
            result.errors.append(BotlintError("no such file or directory", display_path(path, cwd)))
    existing = [path for path in paths if path.exists()]

    def excluded(candidate: Path) -> bool:
        return resolver.for_path(candidate).is_excluded(candidate)

    for unit in discover(existing, excluded, input_format):
        if isinstance(unit, BotlintError):
            result.errors.append(unit)
            continue
        path = unit.path
        shown = display_path(path, cwd)
        settings = resolver.for_path(path)  # a config error is fatal and propagates
        try:
            if unit.format in ("flow", "yaml"):
                parsed = parse_file(path, shown, unit.format)
                result.files += 1
            else:
                parsed, imported = import_unit(path, shown, unit.format)
                result.files += imported.files
                result.errors.extend(imported.errors)
                result.notices.update(imported.notices)
        except FlowSyntaxError as exc:
            result.files += 1
            result.errors.append(exc)
            continue
        findings, errors = lint_parsed(parsed, settings, settings.codes_for(path), result.notices)
        if unit.only is not None:
            wanted = {display_path(file, cwd) for file in unit.only}
            findings = [finding for finding in findings if finding.path in wanted]
        for finding in findings:
            result.fail_on[finding.path] = settings.fail_on
        result.findings.extend(findings)
        result.errors.extend(errors)
    result.sort()
    return result
