"""Wiring of `botlint audit`: lint with the audit's `summarize`, score, render, tell the errors.

The audit reports, it does not gate: exit 0 whatever it found, 2 when an
input or config error kept something from being read (the report still
covers the rest).
"""

from __future__ import annotations

import sys
from typing import TextIO

EXIT_OK, EXIT_ERROR = 0, 2


def run_audit(args, resolver, jobs: int, output, render, format_error) -> int:
    """Lint with the audit's facts, score, and `render` the audit to `output`; each input error goes
    to standard error through `format_error` (the command line picks both)."""
    from linter.audit.build import build_audit
    from linter.audit.facts import summarize
    from linter.audit.score import load_weights
    from linter.engine.runner import lint_paths

    weights = load_weights()  # bad weights stop the run before any work
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        result = lint_paths(args.paths, resolver, args.input_format, jobs=jobs, summarize=summarize,
                            progress=progress, debug=getattr(args, "debug", False),
                            follow_links=getattr(args, "follow_links", False))
    finally:
        if progress is not None:
            progress.clear()
    audit = build_audit(result, weights)
    with output as (stream, color):
        render(audit, stream, color=color)
    for error in result.errors:
        sys.stderr.write(format_error(error) + "\n")
    return EXIT_ERROR if result.errors else EXIT_OK


class Progress:
    """`auditing 37/120 files [#####.....]` on one line of a terminal, redrawn with \\r."""

    WIDTH = 30
    MIN_UNITS = 2  # a single file is done before a bar could say anything

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if total < self.MIN_UNITS:
            return
        filled = self.WIDTH * done // total
        line = f"auditing {done}/{total} files [{'#' * filled}{'.' * (self.WIDTH - filled)}]"
        self.stream.write("\r" + line)
        self.stream.flush()
        self.shown = len(line)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0
