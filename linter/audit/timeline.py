"""What the recipient lives through, in order: the main path from the entry step, then the branches.

The main path takes the first way out of each step (for a sequence that is
the path of a person who does not answer: `wait for reply timeout` comes
first); every other way out is a branch, told after it. Times come from the
analysis, over every path that reaches a statement.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from linter.model.analysis import FlowAnalysis, Timing, walk_step
from linter.model.flow import Action, Ask, Branch, End, FollowUp, Handoff, Say, Statement, Wait, WaitForReply, \
    WaitUntil

from linter.audit.graph import GraphEdge, condition_text
from linter.audit.wording import business_hours, duration_text, span, zone


LISTENING = ("question", "wait-reply", "followup")  # where the flow waits for the person's answer


@dataclass
class Event:
    kind: str  # message, question, wait, wait-reply, followup, handoff, action, check, end, jump
    step: str
    title: str
    text: str = ""  # what the person reads
    details: list[str] = field(default_factory=list)
    when: str = ""  # "+0", "+2d–5d", "right away", "2h after they wrote"; "" for a jump
    earliest: float = 0.0  # seconds since the trigger
    latest: float = 0.0  # may be infinite
    line: int | None = None
    main: bool = True  # on the main path
    via: str = ""  # how the step it opens is reached: "if they tap 'Prices'"
    replyable: bool = False  # the flow listens for an answer here (a question, a wait for a reply, a follow-up)
    options: list[tuple[str, str]] = field(default_factory=list)  # a question's (label, where it leads)
    flags: list[tuple[str, str]] = field(default_factory=list)  # (code, severity) of findings on it


def when(timing: Timing) -> str:
    """Time since the trigger; after a reply whose time nobody knows, time since the person wrote."""
    low, high = timing.since_trigger
    if math.isinf(high) and not timing.user_silent_path and not math.isinf(timing.since_user[1]):
        since = timing.since_user
        return "right away" if since == (0.0, 0.0) else f"{span(*since)} after they wrote"
    return "+" + span(low, high)


def _describe(node: Statement) -> tuple[str, str, str, list[str]] | None:
    """(kind, title, text, details) of a statement the person notices; None for bookkeeping."""
    if isinstance(node, Say):
        details = [f"message tag {node.tag}"] if node.tag else []
        if node.template:
            details.append(f"template {node.template}" + (f" ({node.category})" if node.category else ""))
        return "message", "Message", node.say, details
    if isinstance(node, Ask):
        return "question", "Question", node.ask, _answers(node)
    if isinstance(node, Wait):
        return "wait", f"Waits {duration_text(node.wait)}", "", []
    if isinstance(node, WaitUntil):
        return "wait", f"Waits until {node.wait_until}", "", [zone(node.timezone)]
    if isinstance(node, WaitForReply):
        if node.wait_for_reply is None:
            return "wait-reply", "Waits for a reply", "", ["for as long as it takes"]
        within = duration_text(node.wait_for_reply)
        details = [f"no reply within {within} → {node.on_timeout}"] if node.on_timeout else []
        return "wait-reply", f"Waits up to {within} for a reply", "", details
    if isinstance(node, FollowUp):
        return "followup", f"Follow-up after {duration_text(node.followup_after)} if no reply", "", \
            ["a reply ends the sequence"]
    if isinstance(node, Handoff):
        return "handoff", f"Handoff to {node.handoff}" if node.handoff else "Handoff (no team named)", \
            node.tell or "", _handoff_details(node)
    if isinstance(node, Action):
        details = [f"at most {node.limit.count} per {node.limit.per}"] if node.limit else []
        if node.count is not None:
            details.append(f"{node.count} at a time")
        return "action", f"Action: {node.action.value}", node.text or "", details
    if isinstance(node, Branch):
        details = [f"yes → {node.then}"] + ([f"no → {node.else_}"] if node.else_ else [])
        return "check", f"Checks: {condition_text(node.if_)}", "", details
    if isinstance(node, End):
        return "end", "End", "", []
    return None  # goto and set: the next step's "via" and nothing the person sees


def options(ask: Ask) -> list[tuple[str, str]]:
    """(label, where it leads) for each reply, button and list row of a question."""
    return [(o.label, f"opens {o.url}" if o.url else f"→ {o.goto}" if o.goto else "leads nowhere")
            for o in ask.replies + ask.buttons + ask.rows]


def _answers(ask: Ask) -> list[str]:
    """What else the person can answer besides the options."""
    details = []
    if ask.capture:
        details.append(f"free-text answer saved as {ask.capture}" + (f" → {ask.then}" if ask.then else ""))
    if ask.otherwise:
        details.append(f"anything else → {ask.otherwise}")
    return details


def _handoff_details(handoff: Handoff) -> list[str]:
    details = [f"owner {handoff.owner}"] if handoff.owner else []
    details.append(f"promises a human reply within {duration_text(handoff.sla)}" if handoff.sla
                   else "no promised reply time")
    if handoff.hours:
        details.append(f"hours {business_hours(handoff.hours)}")
    if handoff.off_hours:
        details.append(f"off hours: “{handoff.off_hours}”")
    if handoff.on_timeout:
        details.append(f"if nobody answers → {handoff.on_timeout}")
    return details


@dataclass
class _Stop:
    step: str
    via: str
    main: bool
    back_to: str | None = None  # the path ends by going back to a step already told


def visit_order(entry: str | None, edges: dict[str, list[GraphEdge]]) -> list[_Stop]:
    stops: list[_Stop] = []
    seen: set[str] = set()
    branches: deque[tuple[str, str]] = deque()

    def follow(name: str, via: str, main: bool) -> None:
        while name not in seen:
            seen.add(name)
            stop = _Stop(name, via, main)
            stops.append(stop)
            ways = [edge for edge in edges.get(name, ()) if not edge.target.startswith("missing:")]
            if not ways:
                return
            branches.extend((edge.target, edge.via) for edge in ways[1:])
            if ways[0].target in seen:
                stop.back_to = ways[0].target
                return
            name, via = ways[0].target, ways[0].via

    if entry is not None:
        follow(entry, "", True)
    while branches:
        target, via = branches.popleft()
        if target not in seen:
            follow(target, via, False)
    return stops


Flags = dict[tuple[str, int], list[tuple[str, str]]]  # (file, line) -> (code, severity) of findings there


def build_timeline(analysis: FlowAnalysis, edges: dict[str, list[GraphEdge]], flags_at: Flags,
                   path: str) -> list[Event]:
    """`edges` by source step; `path`: the file of nodes whose span names none."""
    events: list[Event] = []
    entry = analysis.entry.name if analysis.entry else None
    for stop in visit_order(entry, edges):
        first = len(events)
        for node in walk_step(analysis.steps[stop.step]):
            timing = analysis.timing(node)
            described = _describe(node) if timing is not None else None
            if described is None:
                continue
            kind, title, text, details = described
            events.append(Event(kind, stop.step, title, text, details, when(timing), *timing.since_trigger,
                                line=node.span.line if node.span else None, main=stop.main,
                                replyable=kind in LISTENING, flags=_flags(node, flags_at, path),
                                options=options(node) if isinstance(node, Ask) else []))
            if len(events) == first + 1:
                events[first].via = stop.via or ("" if stop.main else _after(timing))
        if stop.back_to:
            events.append(Event("jump", stop.step, f"Continues at step '{stop.back_to}'", main=stop.main))
    return events


def _after(timing: Timing) -> str:
    """How a step reached by a plain jump is reached, by who can have spoken."""
    return "once they reply" if timing.after_reply and not timing.before_first_reply else ""


def _flags(node: Statement, flags_at: Flags, path: str) -> list[tuple[str, str]]:
    if node.span is None:
        return []
    file = node.span.file or path
    # A follow-up's span holds its body, whose messages carry their own flags.
    last = node.span.line if isinstance(node, FollowUp) else node.span.end_line
    return [flag for line in range(node.span.line, last + 1) for flag in flags_at.get((file, line), ())]
