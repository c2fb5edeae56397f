"""Machine-readable output (`--format json`): one JSON object, documented and versioned.

Keys of the object:

- `format_version` (int): the version of this layout, now 1. Any incompatible
  change (a key removed, renamed or given another type or meaning) bumps it;
  new keys may be added without a bump, so readers should ignore keys they do
  not know.
- `tool` ("botlint") and `version` (botlint's version).
- `findings` (list): one object a finding, sorted by path, line, col, code:
  `code` (e.g. "BL001"), `name` (the rule's slug), `severity` ("info",
  "warning" or "error", after configuration), `message`, `hint` (string or
  null), `path` (relative to the working directory, as the text format shows
  it), `line`, `col`, `end_line`, `end_col` (1-based; the end column is one
  past the last character), `flow` and `step` (where it sits, or null),
  `snippet` (the offending source text, may be "") and `fingerprint` (stable
  across unrelated edits; what baselines match on).
- `errors` (list): inputs that could not be checked (a file that does not
  parse, a missing path, a rule that crashed): `path`, `line`, `col` (each may
  be null) and `message`. Any error makes the exit code 2.
- `notices` (list of strings): things said once per run, sorted.
- `baseline`: `matched` (int, findings the `--baseline` already held and that
  are not listed) and `fixed` (list of the baseline's entries for the files
  linted that no longer match a finding); 0 and [] without a baseline.
- `summary`: `files` (files read), `findings` and `errors` (the lengths of
  those lists) and `by_severity` ({"error": n, "warning": n, "info": n}).
"""

from __future__ import annotations

import json
from typing import TextIO

from linter import __version__
from linter.core.results import LintResult

FORMAT_VERSION = 1


def report(result: LintResult, out: TextIO, **_: object) -> None:
    payload = {
        "format_version": FORMAT_VERSION,
        "tool": "botlint",
        "version": __version__,
        "findings": [finding._asdict() for finding in result.findings],
        "errors": [
            {"path": error.path, "line": error.line, "col": error.col, "message": error.message}
            for error in result.errors
        ],
        "notices": sorted(result.notices),
        "baseline": {"matched": result.baselined, "fixed": result.fixed},
        "summary": {
            "files": result.files,
            "findings": len(result.findings),
            "errors": len(result.errors),
            "by_severity": {
                severity: sum(1 for f in result.findings if f.severity == severity)
                for severity in ("error", "warning", "info")
            },
        },
    }
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")
