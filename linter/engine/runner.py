"""read -> parse -> model -> rules -> suppressions -> findings. Nothing here prints.

`lint_document` runs the rules over one parsed file; `lint_unit` reads, parses and lints one
unit; `lint_paths` adds discovery, the result cache and worker processes; `lint_text` is the
library entry point for a text in memory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

from linter.core.errors import BotlintError
from linter.core.findings import Finding, Violation
from linter.core.results import LintResult


def display_path(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd) if path.is_absolute() else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def lint_document(parsed, settings, codes: frozenset[str], notices: set[str] | None = None, *,
                  debug: bool = False) -> tuple[list[Finding], list[BotlintError]]:
    """Run the selected rules over one parsed file and apply its suppressions, which report their
    own unused entries (BL900)."""
    from linter.engine.context import DocumentFacts, RuleContext
    from linter.engine.suppress import UNUSED, apply_suppressions, parse_suppressions
    from linter.rules import selected_rules

    rules = selected_rules(codes)
    errors: list[BotlintError] = []
    try:
        suppressions = parse_suppressions(parsed.comments, parsed.path)
    except BotlintError as exc:
        exc.path = parsed.path
        errors.append(exc)
        suppressions = []
    facts = DocumentFacts(parsed, settings)
    findings: list[Finding] = []
    for rule in rules.values():
        findings.extend(_run_rule(rule, RuleContext(facts, rule), parsed.path, errors, debug))
    # An imported text used by several flows (a Rasa response in many stories) is one place to fix.
    findings = list(dict.fromkeys(findings))
    unused_severity = settings.severity_of(rules[UNUSED]) if UNUSED in rules else None
    findings, unused = apply_suppressions(findings, suppressions, parsed.path, codes, unused_severity)
    findings.extend(unused)
    if notices is not None:
        notices.update(facts.notices)
    return findings, errors


def _run_rule(rule, ctx, path: str, errors: list[BotlintError], debug: bool) -> list[Finding]:
    """A rule's violations as findings; a bug in one rule costs that rule's findings on this file,
    not the run (`debug`: let it show its traceback)."""
    try:
        return [record(rule.code, rule.name, ctx.severity, rule.summary, violation, path)
                for violation in rule.check(ctx)]
    except BotlintError:
        raise  # a bad option in a rule pack is a config error, reported as such
    except Exception as exc:  # noqa: BLE001 - reported as an error, the other rules still run
        if debug:
            raise
        errors.append(BotlintError(f"internal error in rule {rule.code} ({type(exc).__name__}: {exc}); "
                                   "its findings for this file are missing, please report it", path))
        return []


def record(code: str, name: str, severity: str, summary: str, violation: Violation, path: str) -> Finding:
    """What the engine records of a violation: the rule, its severity, the file and span."""
    span = violation.where if not hasattr(violation.where, "span") else violation.where.span
    severity = violation.severity or severity
    message = violation.message or summary
    if span is None:
        line, col = violation.line or 1, violation.col or 1
        return Finding(code, name, severity, message, violation.hint, violation.file or path, line, col, line, col)
    return Finding(code, name, severity, message, violation.hint, span.file or path,
                   span.line, span.col, span.end_line, span.end_col)


def lint_text(text: str, format: str = "flow", config: str | Path | None = None, *, path: str = "<text>",
              select: list[str] | None = None, ignore: list[str] | None = None) -> LintResult:
    """Lint a flow held in memory (`format`: "flow" or "yaml"), the library entry point.

    `config`: a config file (.botlint.yaml or pyproject.toml), else the defaults; `path`: the name
    findings carry, which also picks per-path settings; `select`/`ignore`: rule codes or prefixes,
    as on the command line. A syntax error comes back in `result.errors`, as in a run."""
    from linter.core.errors import FlowSyntaxError
    from linter.engine.identify import identify
    from linter.engine.settings import Overrides, resolve
    from linter.parse import parse_text

    if format not in ("flow", "yaml"):
        raise ValueError(f"lint_text reads 'flow' or 'yaml' text, not {format!r}: lint a project folder with lint_paths")
    settings = resolve(Path(config) if config is not None else None, Overrides(select=select, ignore=ignore or []),
                       Path.cwd())
    result = LintResult(files=1, linted={path})
    result.rule_of = _rule_of
    try:
        parsed = parse_text(text, path, format, settings.limits)
    except FlowSyntaxError as exc:
        result.errors.append(exc)
        return result
    findings, result.errors = lint_document(parsed, settings, settings.codes_for(Path(path)), result.notices)
    result.findings = identify(findings, parsed.document, parsed.path, lambda shown: text)
    result.fail_on = {finding.path: settings.fail_on for finding in result.findings}
    result.sort()
    return result


class UnitResult(NamedTuple):
    """What linting one unit (a file or a project folder) gave; picklable, for worker processes."""

    findings: list[Finding]
    errors: list[BotlintError]
    notices: set[str]
    files: int
    summary: Any = None  # what `summarize` made of the parsed unit (the audit's facts)


def lint_unit(unit, settings, cwd: Path, summarize: Callable | None = None, *, debug: bool = False) -> UnitResult:
    """Read, parse and lint one unit; findings carry their flow, step, snippet and fingerprint."""
    from linter.engine.identify import identify
    from linter.core.errors import FlowSyntaxError
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
            parsed, imported = import_unit(unit.path, shown, unit.format, limits=settings.limits, debug=debug,
                                           follow_links=unit.follow_links, named=unit.only or ())
            files = imported.files
            errors.extend(imported.errors)
            notices.update(imported.notices)
    except FlowSyntaxError as exc:
        return UnitResult([], [exc], notices, 1)
    findings, rule_errors = lint_document(parsed, settings, settings.codes_for(unit.path), notices, debug=debug)
    errors.extend(rule_errors)

    def source_of(path: str) -> str:
        return parsed.text if path == parsed.path and parsed.text else source_text(cwd / path)

    findings = identify(findings, parsed.document, parsed.path, source_of)
    summary = summarize(parsed, settings, findings) if summarize else None
    from linter.model.analysis import forget_documents

    forget_documents()
    settings.forget_texts()
    return UnitResult(findings, errors, notices, files, summary)


def lint_paths(paths: list[Path], resolver, input_format: str | None = None, *, jobs: int = 1,
               cache=None, summarize: Callable | None = None,
               progress: Callable[[int, int], None] | None = None, debug: bool = False,
               follow_links: bool = False) -> LintResult:
    """Lint every unit under `paths`: from `cache` (a ResultCache) where it can, the rest in
    `jobs` processes. The result is the same, in the same order, whatever `jobs` is.

    `follow_links`: read files through symbolic links that lead outside the folder being linted
    (or a project's folder); by default they are skipped, with one notice. A path with nothing
    to lint under it is a notice, or an error when no path had anything."""
    from linter.engine.discover import NothingToLint, OutsideLink, discover
    from linter.parse import outside_links_notice

    result = LintResult()
    cwd = resolver.cwd
    for path in paths:
        if not path.exists():
            result.errors.append(BotlintError("no such file or directory", display_path(path, cwd)))
    existing = [path for path in paths if path.exists()]
    for path in existing:
        resolver.for_path(path)  # a bad config or rule pack is an error even where there is nothing to lint

    def excluded(candidate: Path) -> bool:
        return resolver.for_path(candidate).is_excluded(candidate)

    units = []
    outside: list[str] = []
    nothing: list[NothingToLint] = []
    for unit in discover(existing, excluded, input_format, follow_links):
        if isinstance(unit, BotlintError):
            result.errors.append(unit)
        elif isinstance(unit, OutsideLink):
            outside.append(display_path(unit.path, cwd))
        elif isinstance(unit, NothingToLint):
            nothing.append(unit)
        else:
            units.append((unit, resolver.for_path(unit.path)))  # a config error is fatal and propagates
    if outside:
        result.notices.add(outside_links_notice(list(dict.fromkeys(outside)), "the linted folder"))
    for empty in nothing:
        shown = display_path(empty.path, cwd)
        if units:
            result.notices.add(f"nothing to lint in {shown}: {empty.reason}")
        else:  # no file at all: a typo'd path or a wrong folder must not pass as "all checks passed"
            result.errors.append(BotlintError(f"nothing to lint: {empty.reason}", shown))
    outcomes: list[UnitResult | None] = [None] * len(units)
    keys: list[str | None] = [None] * len(units)
    if cache is not None and summarize is None:
        for index, (unit, settings) in enumerate(units):
            shown = display_path(unit.path, cwd)
            if unit.follow_links and unit.format not in ("flow", "yaml"):
                shown += "\0follow-links"  # what an import reads depends on it: its own cache entry
            keys[index] = cache.key(unit, shown, settings)
            cached = cache.load(keys[index])
            if cached is not None:
                outcomes[index] = UnitResult(**cached)
    todo = [index for index, outcome in enumerate(outcomes) if outcome is None]
    done = len(units) - len(todo)
    if progress:
        progress(done, len(units))
    for index, outcome in zip(todo, _run_units([units[i] for i in todo], resolver, jobs, summarize, debug)):
        outcomes[index] = outcome
        if cache is not None and summarize is None:
            cache.store(keys[index], outcome.findings, outcome.errors, outcome.notices, outcome.files)
        done += 1
        if progress:
            progress(done, len(units))
    for (unit, settings), outcome in zip(units, outcomes):
        _collect(result, unit, settings, outcome, cwd)
    result.rule_of = _rule_of
    result.sort()
    return result


def _rule_of(code: str):
    from linter.rules import all_rules

    return all_rules().get(code)


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
# The work a pool must save (bytes on disk that one process would lint beyond the pool's longest
# share) to pay for forking the workers and sending the findings back. Measured on the 2-core
# machine of issue 17, busy with other work (load 3.5), --select ALL, synthetic flows (bench.py):
# one process lints ~415 KB per CPU-second; a pool broke even at 80 flows (415 KB, 207 KB saved:
# 1.50 s against 1.49 s) and lost at 40 (0.93 s against 0.90 s). Set a little above.
MIN_BYTES_SAVED_FOR_POOL = 250_000
# What a unit costs besides its bytes (open, parse, identify, cache entry), in bytes of work: one
# process lints 1,500 flows of 40 bytes in 1.25 s beyond start-up, 0.8 ms a unit, ~350 bytes' worth.
UNIT_COST_IN_BYTES = 350
# About this many chunks per worker: enough to even out the tail, few enough that sending a
# chunk costs nothing next to linting it.
CHUNKS_PER_WORKER = 8


def _init_worker(resolver, summarize, debug: bool, parent: int) -> None:
    import signal

    _WORKER.update(resolver=resolver, summarize=summarize, debug=debug)
    # Ctrl-C reaches every process of the terminal's group: the parent alone stops the run (and
    # this worker). SIGTERM ends a worker at once, not through the handler a fork copied from botlint.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A worker never prints: it must not keep the reader of the report (`botlint check | head`)
    # waiting for the end of a pipe it holds.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    _end_with_parent(parent)


def _end_with_parent(parent: int) -> None:
    """End this worker as soon as its parent ends, however it ends (SIGKILL included): else it
    would lint on for nobody, then wait for work forever."""
    import sys

    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0),
                               ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0
        except (OSError, AttributeError):  # no C library to load, or no prctl in it
            armed = False
        if armed:
            if os.getppid() != parent:  # it ended before the signal was armed
                os._exit(1)
            return
    import threading

    threading.Thread(target=_watch_parent, args=(parent,), name="botlint-watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:  # an orphan is adopted by another process
        time.sleep(0.5)
    os._exit(1)


def _lint_in_worker(units: list) -> list[UnitResult]:
    resolver = _WORKER["resolver"]
    return [lint_unit(unit, resolver.for_path(unit.path), resolver.cwd, _WORKER["summarize"], debug=_WORKER["debug"])
            for unit in units]


def work_of(unit) -> int:
    """The work a unit stands for: the bytes on disk of the files it reads (all of a project
    folder's files) plus a unit's own cost. Linting time follows it closely enough to plan a pool."""
    try:
        if not unit.path.is_dir():
            return UNIT_COST_IN_BYTES + unit.path.stat().st_size
    except OSError:  # gone or unreadable: linting it will say so, quickly
        return UNIT_COST_IN_BYTES
    from linter.engine.discover import SKIPPED_DIRS

    total = 0
    for folder, dirs, files in os.walk(unit.path):
        dirs[:] = [name for name in dirs if name not in SKIPPED_DIRS]
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return UNIT_COST_IN_BYTES + total


def pool_pays(works: list[int], workers: int) -> bool:
    """Whether `workers` processes save more than a pool costs: the parent alone lints all the
    work; with a pool, the run lasts at least the largest unit or an even share of the whole."""
    total = sum(works)
    return workers > 1 and total - max(max(works, default=0), total / workers) >= MIN_BYTES_SAVED_FOR_POOL


def chunks_by_work(works: list[int], workers: int) -> list[list[int]]:
    """Unit indexes in chunks of about even work, the largest first: the big units start early
    and the small ones, sent last, even out the end of the run."""
    order = sorted(range(len(works)), key=lambda index: (-works[index], index))
    target = sum(works) / (workers * CHUNKS_PER_WORKER)
    chunks: list[list[int]] = []
    chunk: list[int] = []
    work = 0
    for index in order:
        chunk.append(index)
        work += works[index]
        if work >= target:
            chunks.append(chunk)
            chunk, work = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _run_units(units: list, resolver, jobs: int, summarize, debug: bool) -> Iterator[UnitResult]:
    """Each unit's result, in the order of `units`: linted here, or by a pool where the work is
    large enough for one to pay (see MIN_BYTES_SAVED_FOR_POOL)."""
    works = [work_of(unit) for unit, _ in units] if jobs > 1 and len(units) > 1 else []
    workers = min(jobs, len(units))
    if not works or not pool_pays(works, workers):
        for unit, settings in units:
            yield lint_unit(unit, settings, resolver.cwd, summarize, debug=debug)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    results: dict[int, UnitResult] = {}
    # Warm up before the fork, with real work: the smallest unit of each format, linted here,
    # imports the model, pydantic, the parser (lark or an importer's), the selected rules and the
    # unit's lexicon; forked workers then start with them.
    warm_up: dict[str, int] = {}
    for index in sorted(range(len(units)), key=lambda index: (works[index], index)):
        warm_up.setdefault(units[index][0].format, index)
    for index in sorted(warm_up.values()):
        unit, settings = units[index]
        results[index] = lint_unit(unit, settings, resolver.cwd, summarize, debug=debug)
    import ctypes  # noqa: F401 - for _end_with_parent in each worker: imported once, here
    rest = [index for index in range(len(units)) if index not in results]
    chunks = [[rest[position] for position in chunk]
              for chunk in chunks_by_work([works[index] for index in rest], workers)]
    # fork where there is one: workers start with what the parent imported and warmed up.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(min(workers, max(1, len(chunks))), mp_context=context, initializer=_init_worker,
                               initargs=(resolver, summarize, debug, os.getpid()))
    following = 0
    try:
        pending = {pool.submit(_lint_in_worker, [units[index][0] for index in chunk]): chunk for chunk in chunks}
        while following < len(units):
            while following in results:  # in the order of `units`, as soon as a prefix is done
                yield results.pop(following)
                following += 1
            if pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    results.update(zip(pending.pop(future), future.result()))
    finally:
        # Interrupted or terminated: the chunks not yet sent are cancelled, the workers finish
        # the ones they hold, then stop.
        pool.shutdown(wait=True, cancel_futures=True)
