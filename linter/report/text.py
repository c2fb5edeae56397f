"""One finding a line, `path:line:col: CODE [severity] message`, an indented hint, a summary.

Text from the input (messages, hints, paths, notices, baseline entries) goes through
`escape_unprintable`: a hostile flow or file name must not rewrite the terminal.
"""

from __future__ import annotations

from typing import TextIO

from linter.core.errors import BotlintError
from linter.core.results import LintResult
from linter.report import Paint, escape_unprintable


def format_error(error: BotlintError, paint: Paint | None = None) -> str:
    """An input error as one line, plus the source line and a caret when known."""
    paint = paint or Paint(False)
    line = f"{paint(error.location(), 'path')}: {paint('error', 'error')}: {error.message}"
    if error.source_line is not None and error.col is not None:
        shown = error.source_line.expandtabs(1)
        line += f"\n    {shown}\n    {' ' * (error.col - 1)}^"
    return line


def report(result: LintResult, out: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    paint = Paint(color)
    for error in result.errors:
        out.write(format_error(error, paint) + "\n")
    for finding in result.findings:
        location = paint(f"{escape_unprintable(finding.path)}:{finding.line}:{finding.col}", "path")
        code = paint(escape_unprintable(finding.code), "code")
        out.write(f"{location}: {code} [{paint(finding.severity, finding.severity)}] "
                  f"{escape_unprintable(finding.message)}\n")
        if finding.hint and not quiet:
            out.write(f"    {paint('hint: ' + escape_unprintable(finding.hint), 'hint')}\n")
    if quiet:
        return
    for notice in sorted(result.notices):
        out.write(f"note: {escape_unprintable(notice)}\n")
    if result.baselined:
        out.write(f"note: {result.baselined} finding{'s' if result.baselined != 1 else ''} "
                  "already in the baseline not shown\n")
    if result.fixed:
        out.write(f"note: {len(result.fixed)} finding{'s' if len(result.fixed) != 1 else ''} in the baseline "
                  "no longer found (fixed): refresh it with --write-baseline\n")
        for entry in result.fixed:  # read from the baseline file: as untrusted as a flow
            fixed = f"{entry['path']}:{entry.get('line', '?')}: {entry.get('code', '?')} {entry.get('message', '')}"
            out.write(f"    fixed: {escape_unprintable(fixed)}\n")
    counts = {severity: 0 for severity in ("error", "warning", "info")}
    for finding in result.findings:
        counts[finding.severity] += 1
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    if not result.findings and not result.errors:
        out.write(f"All checks passed ({files} checked).\n")
        return
    parts = [f"{count} {name}{'s' if count != 1 else ''}" for name, count in counts.items() if count]
    summary = f"Found {len(result.findings)} problem{'s' if len(result.findings) != 1 else ''}"
    if parts:
        summary += f" ({', '.join(parts)})"
    summary += f" in {files}"
    if result.errors:
        summary += f"; {len(result.errors)} error{'s' if len(result.errors) != 1 else ''} stopped checking"
    out.write(summary + ".\n")
