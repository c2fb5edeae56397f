"""GitHub Actions workflow commands (`--format github`): an annotation a finding.

`::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message`,
with `::warning` for warnings and `::notice` for info findings. Inputs that
could not be checked are `::error` lines with what is known of their place;
notices (unless --quiet) are `::notice` lines without one. Values are escaped
as the Actions toolkit (@actions/core) escapes them.
"""

from __future__ import annotations

from typing import TextIO

from linter.core.results import LintResult
from linter.report import message_with_hint, posix_path, region

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line; properties that are None are left out."""
    shown = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{name}{' ' + shown if shown else ''}::{escape_data(message)}\n"


def report(result: LintResult, out: TextIO, *, quiet: bool = False, **_: object) -> None:
    for error in result.errors:
        out.write(command("error", error.message, file=error.path and posix_path(error.path),
                          line=error.line, col=error.col))
    for finding in result.findings:
        line, col, end_line, end_col = region(finding)
        out.write(command(COMMANDS[finding.severity], message_with_hint(finding), file=posix_path(finding.path),
                          line=line, col=col, endLine=end_line, endColumn=end_col,
                          title=f"{finding.code} {finding.name}"))
    if not quiet:
        for notice in sorted(result.notices):
            out.write(command("notice", notice))
