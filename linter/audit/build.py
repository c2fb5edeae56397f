"""The whole audit: every file's facts with their scores, the errors, and the totals reporters show."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.audit.facts import FileFacts, FindingFacts, FlowFacts
from linter.audit.score import Score, Weights, average, combine, score_groups
from linter.core.errors import BotlintError
from linter.core.severity import SEVERITIES, Severity


@dataclass
class FlowAudit:
    facts: FlowFacts
    score: Score

    @property
    def findings(self) -> list[FindingFacts]:
        return [finding for group in self.facts.findings for finding in group.findings]

    def worst_findings(self, most: int) -> list[FindingFacts]:
        return worst(self.findings, most)


@dataclass
class FileAudit:
    facts: FileFacts
    flows: list[FlowAudit]
    outside: Score  # the findings outside any flow
    score: int
    grade: str

    @property
    def path(self) -> str:
        return self.facts.path

    @property
    def outside_findings(self) -> list[FindingFacts]:
        return [finding for group in self.facts.findings for finding in group.findings]

    @property
    def findings(self) -> list[FindingFacts]:
        return self.outside_findings + [finding for flow in self.flows for finding in flow.findings]


@dataclass
class Audit:
    files: list[FileAudit]
    errors: list[BotlintError]
    notices: list[str]
    weights: Weights
    score: int | None  # None when no flow could be read
    grade: str | None
    counts: dict[str, int] = field(default_factory=dict)  # severity -> findings

    @property
    def flows(self) -> int:
        return sum(len(file.flows) for file in self.files)

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    def lowest(self, most: int) -> list[tuple[FileAudit, FlowAudit]]:
        """The flows that need work first: the lowest scores under 100, worst first."""
        flows = [(file, flow) for file in self.files for flow in file.flows if flow.score.overall < 100]
        return sorted(flows, key=lambda pair: pair[1].score.overall)[:most]


def worst(findings: list[FindingFacts], most: int) -> list[FindingFacts]:
    """The findings that matter most: errors first, then by position."""
    return sorted(findings, key=lambda f: (-Severity(f.severity).rank, f.path, f.line, f.col))[:most]


def tally(findings: list[FindingFacts]) -> dict[str, int]:
    """Findings per severity, worst first (every severity, with 0 where there are none)."""
    counts = {severity: 0 for severity in reversed(SEVERITIES)}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def build_audit(result, weights: Weights) -> Audit:
    """From a LintResult whose `summaries` are `FileFacts` (see linter.audit.facts.summarize)."""
    files = []
    for facts in sorted(result.summaries, key=lambda facts: facts.path):
        flows = [FlowAudit(flow, score_groups(flow.findings, weights)) for flow in facts.flows]
        outside = score_groups(facts.findings, weights)
        files.append(FileAudit(facts, flows, outside, *combine([f.score.overall for f in flows], outside, weights)))
    counts = tally([finding for file in files for finding in file.findings])
    score, grade = average([file.score for file in files], weights) if files else (None, None)
    return Audit(files, list(result.errors), sorted(result.notices), weights, score, grade, counts)
