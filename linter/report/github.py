"""GitHub Actions workflow commands (`--format github`): an annotation a finding.

`::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message`,
with `::warning` for warnings and `::notice` for info findings. Inputs that
could not be checked are `::error` lines with what is known of their place;
notices (unless --quiet) are `::notice` lines without one. Values are escaped
as the Actions toolkit (@actions/core) escapes them, after any other character
that is not printable is shown escaped (`linter.report.escape_unprintable`):
the log viewer reads terminal colour codes.
"""

from __future__ import annotations

from typing import TextIO

from linter.core.results import LintResult
from linter.report import escape_unprintable, message_with_hint, posix_path, region

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
LINE_BREAKS = "\r\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line; properties that are None are left out. A line break stays one
    in the annotation (escape_data encodes it); other unprintable characters are shown escaped."""
    listed = ",".join(f"{key}={escape_property(escape_unprintable(str(value), keep=LINE_BREAKS))}"
                      for key, value in properties.items() if value is not None)
    data = escape_data(escape_unprintable(message, keep=LINE_BREAKS))
    return f"::{name}{' ' + listed if listed else ''}::{data}\n"


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
