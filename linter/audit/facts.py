"""The audit's facts about each flow: plain data, made where the file was linted.

`summarize(parsed, settings, findings)` is the runner's `summarize` hook: it
runs in the worker that linted the unit and returns a `FileFacts`, which is
pickled back. Nothing here scores or prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from linter.audit.graph import GraphEdge, GraphNode, build_graph
from linter.audit.keyfacts import KeyFacts, key_facts
from linter.audit.timeline import Event, build_timeline

FAMILY_TITLES = {
    "structure": "Flow structure",
    "tone": "Robotic tone",
    "hard_sell": "Hard-sell first messages",
    "handoff": "Unanswered handoffs",
    "automation": "Automations nobody would do by hand",
    "channel": "Channel limits",
    "policy": "Platform policy",
    "meta": "Suppressions",
}
_CONTEXT_CHARS = 60  # source text shown around the offending part


@dataclass
class Excerpt:
    """The source line of a finding split around the offending text, so reporters can highlight it."""

    before: str
    marked: str
    after: str
    # (start, end) in `marked` of the words the message quotes ('15% off', {first_name}): the very problem.
    focus: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class FindingFacts:
    code: str
    name: str
    family: str
    severity: str
    message: str
    hint: str | None
    path: str
    line: int
    col: int
    step: str | None
    snippet: str
    excerpt: Excerpt


@dataclass
class FindingGroup:
    family: str
    title: str
    findings: list[FindingFacts]


@dataclass
class FlowFacts:
    path: str
    name: str
    title: str | None
    kind: str  # flow or sequence
    line: int | None
    key: KeyFacts
    timeline: list[Event]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    findings: list[FindingGroup]  # by family, in the order of FAMILY_TITLES


@dataclass
class FileFacts:
    path: str
    flows: list[FlowFacts]
    findings: list[FindingGroup] = field(default_factory=list)  # not inside any flow


def summarize(parsed, settings, findings) -> FileFacts:
    from linter.model.analysis import FlowAnalysis
    from linter.rules import all_rules

    rules = all_rules()
    sources = _Sources(parsed, settings)
    facts = [_finding_facts(finding, rules[finding.code].family, sources) for finding in findings]
    names = {flow.name for flow in parsed.document.flows}
    flows = []
    for flow in parsed.document.flows:
        analysis = FlowAnalysis(flow)
        own = [fact for finding, fact in zip(findings, facts) if finding.flow == flow.name]
        flows.append(_flow_facts(flow, analysis, own, parsed.path, settings))
    loose = [fact for finding, fact in zip(findings, facts) if finding.flow not in names]
    return FileFacts(parsed.path, flows, group_by_family(loose))


def _flow_facts(flow, analysis, findings: list[FindingFacts], path: str, settings) -> FlowFacts:
    by_step: dict[str, list[str]] = {}
    flags_at: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for finding in findings:
        if finding.step:
            by_step.setdefault(finding.step, []).append(finding.severity)
        flags_at.setdefault((finding.path, finding.line), []).append((finding.code, finding.severity))
    nodes, edges = build_graph(analysis, by_step)
    edges_by_step: dict[str, list[GraphEdge]] = {}
    for edge in edges:
        edges_by_step.setdefault(edge.source, []).append(edge)
    timeline = build_timeline(analysis, edges_by_step, flags_at, path)
    file = (flow.span.file if flow.span else None) or path
    return FlowFacts(path, flow.name, flow.title, flow.kind, flow.span.line if flow.span else None,
                     key_facts(flow, analysis, timeline, nodes, settings, file), timeline, nodes, edges,
                     group_by_family(findings))


def group_by_family(findings: list[FindingFacts]) -> list[FindingGroup]:
    groups = []
    for family, title in FAMILY_TITLES.items():
        members = sorted((f for f in findings if f.family == family), key=lambda f: (f.path, f.line, f.col, f.code))
        if members:
            groups.append(FindingGroup(family, title, members))
    return groups


class _Sources:
    """Source texts of the files a unit's findings point into (an imported project has several)."""

    def __init__(self, parsed, settings) -> None:
        self._texts = {parsed.path: parsed.text or ""}
        self._cwd = settings.cwd

    def line(self, path: str, line: int) -> str | None:
        if path not in self._texts:
            from linter.parse.source import source_text

            self._texts[path] = source_text(self._cwd / path)
        lines = self._texts[path].split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else None


def _finding_facts(finding, family: str, sources: _Sources) -> FindingFacts:
    return FindingFacts(finding.code, finding.name, family, finding.severity, finding.message, finding.hint,
                        finding.path, finding.line, finding.col, finding.step, finding.snippet,
                        excerpt(sources.line(finding.path, finding.line), finding.col, finding.snippet,
                                finding.message))


def excerpt(source_line: str | None, col: int, snippet: str, message: str = "") -> Excerpt:
    """The offending text with what stands around it on its line (a little of it)."""
    if source_line is None:
        return Excerpt("", snippet, "", focus(snippet, message))
    before = source_line[:col - 1].lstrip()
    rest = source_line[col - 1:]
    marked = snippet or rest.strip()
    # A span over several lines is shown as its snippet: what follows it is on another line.
    after = rest[len(snippet):] if snippet and rest.startswith(snippet) else ""
    if len(before) > _CONTEXT_CHARS:
        before = "…" + before[-_CONTEXT_CHARS:]
    after = after.rstrip()
    if len(after) > _CONTEXT_CHARS:
        after = after[:_CONTEXT_CHARS] + "…"
    return Excerpt(before, marked, after, focus(marked, message))


# A quote closes before a space, punctuation or the end, so 'didn't get that' stays whole.
_QUOTED = re.compile(r"'([^\n]{2,80}?)'(?=[\s,.;:)]|$)|(\{[^{}\n]{1,60}\})")


def focus(text: str, message: str) -> list[tuple[int, int]]:
    """Where `text` holds what the message quotes: its '...' fragments and {placeholders}."""
    spans: set[tuple[int, int]] = set()
    lowered = text.lower()
    for quoted, placeholder in _QUOTED.findall(message):
        needle = (quoted or placeholder).rstrip("…").strip().lower()
        if len(needle) < 2:
            continue
        # Whole words only ('follow' is not in "following"); a quote cut short runs to the end of its word.
        pattern = (r"(?<!\w)" if needle[0].isalnum() else "") + re.escape(needle) + \
            (r"\w*" if quoted.endswith("…") else r"(?!\w)" if needle[-1].isalnum() else "")
        spans.update(match.span() for match in re.finditer(pattern, lowered))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
