"""read -> parse -> model -> rules -> suppressions -> findings. Nothing here prints."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from linter.errors import BotlintError
from linter.rules.base import Finding


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[BotlintError] = field(default_factory=list)
    files: int = 0
    fail_on: dict[str, str] = field(default_factory=dict)  # path -> lowest failing severity
    notices: set[str] = field(default_factory=set)  # things worth saying once per run
    summaries: list[Any] = field(default_factory=list)  # per unit, when asked for (the audit)
    baselined: int = 0  # findings the baseline already knew, not reported
    fixed: list[dict[str, Any]] = field(default_factory=list)  # baseline entries no longer found
    linted: set[str] = field(default_factory=set)  # display paths of the files and project folders linted

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


@dataclass
class UnitResult:
    """What linting one unit (a file or a project folder) gave; picklable, for worker processes."""

    findings: list[Finding]
    errors: list[BotlintError]
    notices: set[str]
    files: int
    summary: Any = None  # what `summarize` made of the parsed unit (the audit's facts)


def lint_unit(unit, settings, cwd: Path, summarize: Callable | None = None) -> UnitResult:
    """Read, parse and lint one unit; findings carry their flow, step, snippet and fingerprint."""
    from linter.engine.identify import identify
    from linter.errors import FlowSyntaxError
    from linter.parse import import_unit, parse_file
    from linter.parse.source import source_text

    shown = display_path(unit.path, cwd)
    notices: set[str] = set()
    errors: list[BotlintError] = []
    try:
        if unit.format in ("flow", "yaml"):
            parsed = parse_file(unit.path, shown, unit.format, limits=settings.limits)
            files = 1
        else:
            parsed, imported = import_unit(unit.path, shown, unit.format, limits=settings.limits)
            files = imported.files
            errors.extend(imported.errors)
            notices.update(imported.notices)
    except FlowSyntaxError as exc:
        return UnitResult([], [exc], notices, 1)
    findings, rule_errors = lint_parsed(parsed, settings, settings.codes_for(unit.path), notices)
    errors.extend(rule_errors)

    def source_of(path: str) -> str:
        return parsed.text if path == parsed.path and parsed.text else source_text(cwd / path)

    findings = identify(findings, parsed.document, parsed.path, source_of)
    summary = summarize(parsed, settings, findings) if summarize else None
    from linter.model.analysis import forget_documents

    forget_documents()
    return UnitResult(findings, errors, notices, files, summary)


def lint_paths(paths: list[Path], resolver, input_format: str | None = None, *, jobs: int = 1,
               cache=None, summarize: Callable | None = None,
               progress: Callable[[int, int], None] | None = None) -> LintResult:
    """Lint every unit under `paths`: from `cache` (a ResultCache) where it can, the rest in
    `jobs` processes. The result is the same, in the same order, whatever `jobs` is."""
    from linter.engine.discover import discover

    result = LintResult()
    cwd = resolver.cwd
    for path in paths:
        if not path.exists():
            result.errors.append(BotlintError("no such file or directory", display_path(path, cwd)))
    existing = [path for path in paths if path.exists()]

    def excluded(candidate: Path) -> bool:
        return resolver.for_path(candidate).is_excluded(candidate)

    units = []
    for unit in discover(existing, excluded, input_format):
        if isinstance(unit, BotlintError):
            result.errors.append(unit)
        else:
            units.append((unit, resolver.for_path(unit.path)))  # a config error is fatal and propagates
    outcomes: list[UnitResult | None] = [None] * len(units)
    keys: list[str | None] = [None] * len(units)
    if cache is not None and summarize is None:
        for index, (unit, settings) in enumerate(units):
            keys[index] = cache.key(unit, display_path(unit.path, cwd), settings)
            cached = cache.load(keys[index])
            if cached is not None:
                outcomes[index] = UnitResult(**cached)
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    done = len(units) - len(todo)
    if progress:
        progress(done, len(units))
    for index, outcome in zip(todo, _run_units([units[i] for i in todo], resolver, jobs, summarize)):
        outcomes[index] = outcome
        if cache is not None and summarize is None:
            cache.store(keys[index], outcome.findings, outcome.errors, outcome.notices, outcome.files)
        done += 1
        if progress:
            progress(done, len(units))
    for (unit, settings), outcome in zip(units, outcomes):
        _collect(result, unit, settings, outcome, cwd)
    result.sort()
    return result


def _collect(result: LintResult, unit, settings, outcome: UnitResult, cwd: Path) -> None:
    findings = outcome.findings
    if unit.only is not None:
        wanted = {display_path(file, cwd) for file in unit.only}
        findings = [finding for finding in findings if finding.path in wanted]
        result.linted |= wanted
    else:
        result.linted.add(display_path(unit.path, cwd))
    for finding in findings:
        result.fail_on[finding.path] = settings.fail_on
    result.findings.extend(findings)
    result.errors.extend(outcome.errors)
    result.notices.update(outcome.notices)
    result.files += outcome.files
    if outcome.summary is not None:
        result.summaries.append(outcome.summary)


# Worker processes: each gets the resolver once, then lints the units it is sent.
_WORKER: dict[str, Any] = {}
# Below this many units a pool costs more than it saves (a pre-commit run on a few files).
MIN_UNITS_FOR_POOL = 4


def _init_worker(resolver, summarize, raise_internal: bool) -> None:
    global RAISE_INTERNAL_ERRORS
    RAISE_INTERNAL_ERRORS = raise_internal
    _WORKER.update(resolver=resolver, summarize=summarize)


def _lint_in_worker(unit) -> UnitResult:
    resolver = _WORKER["resolver"]
    return lint_unit(unit, resolver.for_path(unit.path), resolver.cwd, _WORKER["summarize"])


def _run_units(units: list, resolver, jobs: int, summarize) -> Iterator[UnitResult]:
    if jobs <= 1 or len(units) < MIN_UNITS_FOR_POOL:
        for unit, settings in units:
            yield lint_unit(unit, settings, resolver.cwd, summarize)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one: workers start with botlint already imported and warmed up.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    workers = min(jobs, len(units))
    chunk = max(1, min(32, len(units) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(resolver, summarize, RAISE_INTERNAL_ERRORS)) as pool:
        yield from pool.map(_lint_in_worker, [unit for unit, _ in units], chunksize=chunk)
