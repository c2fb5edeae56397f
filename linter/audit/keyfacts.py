"""The few facts an auditor asks first: who gets this, when, how often, and when a human answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.model.analysis import DAY, FlowAnalysis, walk_statements
from linter.model.flow import Action, Ask, Flow, Handoff, Say

from linter.audit.graph import GraphNode
from linter.audit.timeline import Event
from linter.audit.wording import business_hours, duration_text, plural, span, zone

_PER_DAY = {"hour": 24.0, "day": 1.0, "week": 1 / 7}


@dataclass
class HandoffFacts:
    team: str | None
    owner: str | None
    sla: str | None  # "2h"; None: no promised reply time
    hours: str | None  # "mon–fri 09:00–18:00 Europe/Berlin"
    fallback: str | None  # the step that runs if nobody answers


@dataclass
class KeyFacts:
    channel: str
    trigger: str
    audience: str
    window: str
    language: str
    steps: int
    unreachable: list[str]
    before_first_chance: int  # messages on the main path before the person is asked anything
    before_first_reply: int  # messages and questions that can go out before the person has replied, on any path
    followups: int  # the most unanswered follow-ups a person can get
    followup_gaps: list[str]  # time since the previous unanswered touch, per follow-up
    followup_spacing: str  # the gaps in a few words: "1d–1d 8h", "2d, then 7d"
    handoffs: list[HandoffFacts]
    sends_per_day: list[str]  # "connect: up to 50 per day"
    first_day_messages: int | None  # sequences: messages and questions on the main path in the first 24 hours
    rows: list[tuple[str, str]] = field(default_factory=list)  # the facts above, as a report shows them


def key_facts(flow: Flow, analysis: FlowAnalysis, timeline: list[Event], nodes: list[GraphNode],
              settings, file: str) -> KeyFacts:
    followups, gaps = _followups(analysis)
    first_day = None
    if flow.kind == "sequence":  # what the person who never answers gets: the main path
        first_day = sum(1 for event in timeline
                        if event.main and event.kind in ("message", "question") and event.earliest < DAY)
    facts = KeyFacts(
        channel=flow.channel.value if flow.channel else _default(settings.for_file("channel", file)),
        trigger=_trigger(flow),
        audience=_audience(flow),
        window=_window(flow),
        language=flow.language or _default(settings.for_file("language", file)),
        steps=len(analysis.steps),
        unreachable=[node.name for node in nodes if not node.reachable and not node.missing],
        before_first_chance=_before_first_chance(timeline),
        before_first_reply=_before_first_reply(flow, analysis),
        followups=followups,
        followup_gaps=gaps,
        followup_spacing=_spacing(gaps),
        handoffs=[_handoff(node) for node in walk_statements(flow)
                  if isinstance(node, Handoff) and analysis.timing(node) is not None],
        sends_per_day=_sends(flow, analysis),
        first_day_messages=first_day,
    )
    facts.rows = _rows(facts)
    return facts


def _default(value: str | None) -> str:
    return f"{value} (config default)" if value else "not stated"


def _trigger(flow: Flow) -> str:
    trigger = flow.trigger
    if trigger is None:
        return "not stated"
    text = trigger.kind.value + (f' "{trigger.value}"' if trigger.value else "")
    options = []
    if trigger.keywords:
        options.append("keywords " + ", ".join(f'"{word}"' for word in trigger.keywords))
    if trigger.every:
        options.append(f"every {duration_text(trigger.every)}")
    if trigger.at:
        options.append(f"at {trigger.at}")
    return ", ".join([text, *options])


def _audience(flow: Flow) -> str:
    audience = flow.audience
    if audience is None:
        return "not stated"
    return f'{audience.kind.value} "{audience.name}"' if audience.name else audience.kind.value


def _window(flow: Flow) -> str:
    window = flow.window
    if window is None:
        return "none (any hour)"
    return f"{window.start}–{window.end} {zone(window.timezone)}"


def _before_first_chance(timeline: list[Event]) -> int:
    count = 0
    for event in timeline:
        if not event.main or event.replyable:
            break
        count += event.kind == "message"
    return count


def _before_first_reply(flow: Flow, analysis: FlowAnalysis) -> int:
    """Messages and questions that can reach the person before they have answered anything."""
    return sum(1 for node in walk_statements(flow) if isinstance(node, (Say, Ask))
               and (timing := analysis.timing(node)) is not None and timing.before_first_reply)


def _followups(analysis: FlowAnalysis) -> tuple[int, list[str]]:
    gaps: dict[int, tuple[float, float]] = {}
    for _, timing in analysis.outgoing_messages():
        number = timing.followup_number
        if number:
            low, high = gaps.get(number, timing.gap_before)
            gaps[number] = (min(low, timing.gap_before[0]), max(high, timing.gap_before[1]))
    return max(gaps, default=0), [span(*gaps[number]) for number in sorted(gaps)]


def _spacing(gaps: list[str]) -> str:
    runs = [gap for index, gap in enumerate(gaps) if index == 0 or gaps[index - 1] != gap]
    return ", then ".join(runs)


def _handoff(node: Handoff) -> HandoffFacts:
    hours = business_hours(node.hours) if node.hours else None
    return HandoffFacts(node.handoff, node.owner, duration_text(node.sla) or None, hours, node.on_timeout)


def _sends(flow: Flow, analysis: FlowAnalysis) -> list[str]:
    sends = []
    for node in walk_statements(flow):
        if not isinstance(node, Action) or analysis.timing(node) is None:
            continue
        if node.limit:
            per_day = node.limit.count * _PER_DAY[node.limit.per]
            text = f"{node.action.value}: up to {node.limit.count} per {node.limit.per}"
            if node.limit.per != "day":
                text += f" (about {per_day:.0f} a day)"
            sends.append(text)
        if node.count is not None:
            sends.append(f"{node.action.value}: {node.count} at a time")
    return sends


def _rows(facts: KeyFacts) -> list[tuple[str, str]]:
    steps = plural(facts.steps, "step")
    if facts.unreachable:
        steps += f", {len(facts.unreachable)} unreachable: " + ", ".join(facts.unreachable)
    rows = [("Channel", facts.channel), ("Trigger", facts.trigger), ("Audience", facts.audience),
            ("Send window", facts.window), ("Language", facts.language), ("Steps", steps),
            ("Messages before the first chance to reply", str(facts.before_first_chance)),
            ("Messages before the person's first reply", str(facts.before_first_reply))]
    if facts.followups:
        rows.append(("Follow-ups without a reply",
                     f"{facts.followups}, {facts.followup_spacing} apart"))
    else:
        rows.append(("Follow-ups without a reply", "none"))
    for handoff in facts.handoffs:
        promise = f"within {handoff.sla}" if handoff.sla else "not promised"
        if handoff.hours:
            promise += f" ({handoff.hours})"
        rows.append((f"Human reply ({handoff.team or 'no team'})", promise))
    if facts.first_day_messages is not None:
        rows.append(("Messages in the first 24 hours", str(facts.first_day_messages)))
    for send in facts.sends_per_day:
        rows.append(("Sends per day", send))
    return rows
