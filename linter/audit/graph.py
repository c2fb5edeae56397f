"""The step graph of a flow, for diagrams: steps as nodes, the analysis's edges with a label each."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Iterator

from linter.model.analysis import Edge, FlowAnalysis, walk_step
from linter.model.flow import Action, Ask, Branch, Condition, FollowUp, Goto, Handoff, Say, Step, Wait, \
    WaitForReply, WaitUntil

from linter.audit.wording import duration_text
from linter.core.severity import Severity



@dataclass
class GraphNode:
    id: str  # the step name; "missing:NAME" for a step that is named but not defined
    name: str
    summary: str  # what the step does, in a few words: "2 messages · question"
    entry: bool = False
    reachable: bool = True
    missing: bool = False
    depth: int | None = None  # BFS distance from the entry step; None if no edge reaches it
    findings: int = 0
    severity: str | None = None  # the worst severity of the step's findings


@dataclass
class GraphEdge:
    source: str  # node ids
    target: str
    kind: str  # next, goto, reply, button, row, capture, otherwise, timeout, then, else, unanswered
    label: str  # short, for the arrow: "'Prices'", "no reply in 4d"
    via: str  # as a sentence, for the timeline: "if they tap 'Prices'"


def condition_text(condition: Condition) -> str:
    if condition.replied is not None:
        return "they replied" if condition.replied else "no reply yet"
    if condition.has_tag is not None:
        return f"tag '{condition.has_tag}'"
    if condition.lacks_tag is not None:
        return f"no tag '{condition.lacks_tag}'"
    if condition.equals is not None:
        return f"{condition.var} = '{condition.equals}'"
    return f"{condition.var} ≠ '{condition.not_equals}'"


def _jumps(step: Step) -> Iterator[tuple[str, str, str, str]]:
    """(kind, target name, label, via) for every jump the step's statements can take."""
    for node in walk_step(step):
        if isinstance(node, Ask):
            for kind, options in (("reply", node.replies), ("button", node.buttons), ("row", node.rows)):
                for option in options:
                    if option.goto:
                        yield kind, option.goto, f"'{option.label}'", f"if they tap '{option.label}'"
            if node.then:
                saved = f" (saved as {node.capture})" if node.capture else ""
                yield "capture", node.then, "their answer", f"when they answer{saved}"
            if node.otherwise:
                yield "otherwise", node.otherwise, "anything else", "if they write anything else"
        elif isinstance(node, Branch):
            condition = condition_text(node.if_)
            yield "then", node.then, condition, f"if {condition}"
            if node.else_:
                yield "else", node.else_, "else", f"unless {condition}"
        elif isinstance(node, Goto):
            yield "goto", node.goto, "", ""
        elif isinstance(node, WaitForReply) and node.on_timeout:
            within = duration_text(node.wait_for_reply)
            yield "timeout", node.on_timeout, f"no reply in {within}", f"if no reply within {within}"
        elif isinstance(node, Handoff) and node.on_timeout:
            within = f" within {duration_text(node.sla)}" if node.sla else ""
            yield "unanswered", node.on_timeout, f"nobody answers{within}", f"if nobody answers{within}"


def labelled_edges(analysis: FlowAnalysis, step_name: str) -> list[GraphEdge]:
    """The analysis's edges out of a step, each with the label of the jump it comes from."""
    step = analysis.steps.get(step_name)
    jumps = list(_jumps(step)) if step else []
    edges = []
    for edge in analysis.successors(step_name):
        edges.append(_label(edge, jumps, analysis))
    return edges


def _label(edge: Edge, jumps: list[tuple[str, str, str, str]], analysis: FlowAnalysis) -> GraphEdge:
    if edge.kind == "next":
        return GraphEdge(edge.source, edge.target or "", "next", "", "")
    for index, (kind, target, label, via) in enumerate(jumps):
        if kind == edge.kind and (target == edge.target or (edge.target is None and target not in analysis.steps)):
            del jumps[index]  # two options to one step are two edges: use each jump once
            return GraphEdge(edge.source, edge.target or f"missing:{target}", kind, label, via)
    return GraphEdge(edge.source, edge.target or "missing:?", edge.kind, edge.kind, "")


def step_summary(step: Step) -> str:
    """What a step does, in at most three short parts."""
    counts = {"message": 0, "question": 0}
    parts: list[str] = []
    for node in walk_step(step):
        if isinstance(node, Say):
            counts["message"] += 1
        elif isinstance(node, Ask):
            counts["question"] += 1
        elif isinstance(node, Wait):
            parts.append(f"wait {duration_text(node.wait)}")
        elif isinstance(node, WaitUntil):
            parts.append(f"wait until {node.wait_until}")
        elif isinstance(node, WaitForReply):
            parts.append("waits for reply")
        elif isinstance(node, FollowUp):
            parts.append(f"follow-up {duration_text(node.followup_after)}")
        elif isinstance(node, Handoff):
            parts.append("handoff")
        elif isinstance(node, Action):
            parts.append(node.action.value)
    counted = [f"{n} {kind}{'s' if n > 1 else ''}" if n > 1 else kind for kind, n in counts.items() if n]
    shown = counted + list(dict.fromkeys(parts))
    return " · ".join(shown[:3]) + (" …" if len(shown) > 3 else "")


def build_graph(analysis: FlowAnalysis,
                findings_by_step: dict[str, list[str]]) -> tuple[list[GraphNode], list[GraphEdge]]:
    """Nodes in source order (then missing targets) and every labelled edge.

    `findings_by_step` maps a step name to its findings' severities."""
    reachable = analysis.reachable_steps()
    entry = analysis.entry.name if analysis.entry else None
    nodes = {name: GraphNode(name, name, step_summary(step), entry=name == entry, reachable=name in reachable)
             for name, step in analysis.steps.items()}
    edges = [edge for name in analysis.steps for edge in labelled_edges(analysis, name)]
    for edge in edges:
        if edge.target not in nodes:
            name = edge.target.split(":", 1)[1]
            nodes[edge.target] = GraphNode(edge.target, name, "missing: no such step", reachable=False, missing=True)
    for name, severities in findings_by_step.items():
        if name in nodes:
            nodes[name].findings = len(severities)
            nodes[name].severity = max(severities, key=lambda severity: Severity(severity).rank)
    _set_depths(nodes, edges, entry)
    return list(nodes.values()), edges


def _set_depths(nodes: dict[str, GraphNode], edges: list[GraphEdge], entry: str | None) -> None:
    if entry is None:
        return
    outgoing: dict[str, list[str]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge.target)
    nodes[entry].depth = 0
    queue = deque([entry])
    while queue:
        current = queue.popleft()
        for target in outgoing.get(current, ()):
            if nodes[target].depth is None:
                nodes[target].depth = nodes[current].depth + 1
                queue.append(target)
