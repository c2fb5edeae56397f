"""What a run gives the reporters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from linter.core.errors import BotlintError
from linter.core.findings import Finding
from linter.core.severity import Severity

if TYPE_CHECKING:
    from linter.core.rules import Rule


class LintResult:
    # A plain class, not a dataclass: see linter/core/__init__.py.
    def __init__(self, *, findings: list[Finding] | None = None, errors: list[BotlintError] | None = None,
                 files: int = 0, fail_on: dict[str, str] | None = None, notices: set[str] | None = None,
                 summaries: list[Any] | None = None, baselined: int = 0, fixed: list[dict[str, Any]] | None = None,
                 linted: set[str] | None = None, rule_of: Callable[[str], Rule | None] | None = None) -> None:
        self.findings = findings if findings is not None else []
        self.errors = errors if errors is not None else []
        self.files = files
        self.fail_on = fail_on if fail_on is not None else {}  # path -> lowest failing severity
        self.notices = notices if notices is not None else set()  # things worth saying once per run
        self.summaries = summaries if summaries is not None else []  # per unit, when asked for (the audit)
        self.baselined = baselined  # findings the baseline already knew, not reported
        self.fixed = fixed if fixed is not None else []  # baseline entries no longer found
        self.linted = linted if linted is not None else set()  # display paths of the files and folders linted
        # A rule by its code, for reports that describe the rules (SARIF); imports the rules only when asked.
        self.rule_of = rule_of or (lambda code: None)

    def __repr__(self) -> str:
        return (f"LintResult(findings={self.findings!r}, errors={self.errors!r}, files={self.files!r}, "
                f"notices={self.notices!r})")

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
        self.errors.sort(key=lambda e: (e.path or "", e.line or 0, e.col or 0))

    def failing(self) -> list[Finding]:
        """Findings at or above their file's fail-on severity (warning where none is set)."""
        return [f for f in self.findings if Severity(f.severity) >= self.fail_on.get(f.path, "warning")]
