"""What a run gives the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from linter.core.errors import BotlintError
from linter.core.findings import Finding
from linter.core.rules import Rule
from linter.core.severity import Severity


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
    # A rule by its code, for reports that describe the rules (SARIF); imports the rules only when asked.
    rule_of: Callable[[str], Rule | None] = lambda code: None

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
        self.errors.sort(key=lambda e: (e.path or "", e.line or 0, e.col or 0))

    def failing(self) -> list[Finding]:
        """Findings at or above their file's fail-on severity (warning where none is set)."""
        return [f for f in self.findings if Severity(f.severity) >= self.fail_on.get(f.path, "warning")]
