"""`botlint audit` on a terminal: per file and flow a score, the key facts in two lines, the worst findings.

Text from the input (paths, titles, key facts, messages, notices) goes through
`escape_unprintable` before it is coloured: a hostile flow or file name must not rewrite the terminal.
"""

from __future__ import annotations

from typing import TextIO

from linter.audit.build import Audit, FlowAudit, worst
from linter.audit.facts import FindingFacts
from linter.audit.wording import plural, severity_counts
from linter.report import Paint, escape_unprintable

TOP_FINDINGS = 3


def render(audit: Audit, out: TextIO, *, color: bool = False) -> None:
    paint = Paint(color)
    for file in audit.files:
        out.write(f"{paint(escape_unprintable(file.path), 'head')}  {_score(file.score, file.grade, paint)}\n")
        for flow in file.flows:
            _flow(flow, out, paint)
        for finding in worst(file.outside_findings, TOP_FINDINGS):
            out.write(f"  {_finding(finding, paint)}\n")
        out.write("\n")
    for error in audit.errors:
        out.write(f"{paint('not audited', 'error')}: {error.location()}: {error.message}\n")
    for notice in audit.notices:
        out.write(f"note: {escape_unprintable(notice)}\n")
    out.write(_total(audit, paint) + "\n")


def _flow(flow: FlowAudit, out: TextIO, paint: Paint) -> None:
    facts, key = flow.facts, flow.facts.key
    title = f' "{escape_unprintable(facts.title)}"' if facts.title else ""
    score = _score(flow.score.overall, flow.score.grade, paint)
    out.write(f"  {facts.kind} {paint(escape_unprintable(facts.name), 'head')}{title}  {score}\n")
    facts_line = f"channel {key.channel} · trigger {key.trigger} · audience {key.audience} · window {key.window}"
    out.write(paint(f"    {escape_unprintable(facts_line)}", "dim") + "\n")
    out.write(paint("    " + escape_unprintable(" · ".join(_reach(flow))), "dim") + "\n")
    shown = flow.worst_findings(TOP_FINDINGS)
    for finding in shown:
        out.write(f"    {_finding(finding, paint)}\n")
    hidden = len(flow.findings) - len(shown)
    if hidden:
        out.write(paint(f"    … and {plural(hidden, 'more finding')}", "dim") + "\n")


def _finding(finding: FindingFacts, paint: Paint) -> str:
    severity = paint(f"{finding.severity:<7}", finding.severity)  # padded first: colour codes have no width
    code = paint(escape_unprintable(finding.code), finding.severity)
    return f"{code} {severity} {finding.line}:{finding.col}  {escape_unprintable(finding.message)}"


def _reach(flow: FlowAudit) -> list[str]:
    """What the person gets: messages before a reply, follow-ups, human promises, volume."""
    key = flow.facts.key
    parts = [f"{plural(key.before_first_reply, 'message')} before a reply"]
    if key.followups:
        parts.append(f"{plural(key.followups, 'follow-up')} {key.followup_spacing} apart")
    for handoff in key.handoffs:
        parts.append(f"human reply {'within ' + handoff.sla if handoff.sla else 'not promised'}")
    if key.first_day_messages is not None:
        parts.append(f"{key.first_day_messages} in the first 24h")
    parts.extend(key.sends_per_day)
    return parts


def _score(score: int, grade: str, paint: Paint) -> str:
    return paint(f"{score}/100 {grade}", grade)


def _total(audit: Audit, paint: Paint) -> str:
    scope = f"{plural(audit.flows, 'flow')} in {plural(len(audit.files), 'file')}"
    score = _score(audit.score, audit.grade, paint) if audit.score is not None else "no score"
    line = f"Audited {scope}: {score}; {plural(audit.findings, 'finding')}"
    if audit.findings:
        line += f" ({severity_counts(audit.counts)})"
    if audit.errors:
        line += f"; {plural(len(audit.errors), 'input error')} kept something from being read"
    return line + "."
