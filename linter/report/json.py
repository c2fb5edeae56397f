"""Machine-readable output: one JSON object with findings, errors and a summary."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TextIO

from linter import __version__
from linter.engine.runner import LintResult


def report(result: LintResult, out: TextIO, **_: object) -> None:
    payload = {
        "tool": "botlint",
        "version": __version__,
        "findings": [asdict(finding) for finding in result.findings],
        "errors": [
            {"path": error.path, "line": error.line, "col": error.col, "message": error.message}
            for error in result.errors
        ],
        "notices": sorted(result.notices),
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
