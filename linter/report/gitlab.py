"""GitLab Code Quality (`--format gitlab`): a JSON array of Code Climate issues.

Each finding is {description, check_name (its code), fingerprint, severity,
location: {path, lines: {begin}}}; severity info -> info, warning -> minor,
error -> major. An input that could not be checked is a "critical" issue
named "botlint-error". Fingerprints are unique within the report, as GitLab
needs to tell issues apart: see `linter.report.unique_fingerprints`.
"""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from linter.core.results import LintResult
from linter.report import message_with_hint, posix_path, unique_fingerprints

SEVERITIES = {"info": "info", "warning": "minor", "error": "major"}


def report(result: LintResult, out: TextIO, **_: object) -> None:
    # (description, check_name, fingerprint, severity, path, line) for every issue
    issues = [(message_with_hint(f), f.code, f.fingerprint, SEVERITIES[f.severity], f.path, f.line)
              for f in result.findings]
    for error in result.errors:
        # Without the line, so that the error keeps its fingerprint while lines above it change.
        key = hashlib.sha256(f"{error.path}\0{error.message}".encode()).hexdigest()[:20]
        issues.append((error.message, "botlint-error", key, "critical", error.path or ".", error.line))
    fingerprints = unique_fingerprints(issue[2] for issue in issues)
    payload = [
        {"description": description, "check_name": check, "fingerprint": fingerprint, "severity": severity,
         "location": {"path": posix_path(path), "lines": {"begin": max(1, line or 1)}}}
        for (description, check, _, severity, path, line), fingerprint in zip(issues, fingerprints)
    ]
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")
