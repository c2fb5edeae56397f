"""What the platform-policy rules share: messaging windows, message tags, programs, opening messages.

Every number and list a policy rule reads comes from the policy profile in
force for the flow's channel (`rulesets/policies/*.yaml`, `ctx.policy(flow)`);
this module only interprets the flow model against it.

Time since the person's last message comes from the analysis
(`Timing.since_user`). On a path where the person never wrote, the time
since the trigger is a lower bound of it: whatever they last said, they said
it before the flow started.
"""

from __future__ import annotations

from typing import Any, Iterator

from linter.model.analysis import INF, FlowAnalysis, Timing
from linter.model.flow import (
    Action, Ask, Flow, FollowUp, Goto, Say, Statement, Step, TriggerKind, Wait, WaitUntil, time_minutes,
)
from linter.rules._wording import duration

HOUR = 3600.0
DAY = 86400.0

# Triggers that mean "the person may or may not have just written": a sequence
# they subscribed to from a button in the chat, a tag a bot step added. Whether
# the window is open when such a flow starts is unknown, so only messages that
# come later than the window after the trigger are judged.
_UNKNOWN_LAST_MESSAGE = {TriggerKind.subscribe, TriggerKind.tag_added}

# Programs that keep sending on their own schedule, as opposed to answering.
_RECURRING_TRIGGERS = {TriggerKind.broadcast, TriggerKind.schedule}

# What counts as promotional wording (BL702, BL706): lexicon lists, with the
# policy list of discounts already applied to an order taken back out.
PROMOTIONAL_LISTS = ("pitch.cta", "pitch.discount", "urgency", "policy.promo_announcement")
_NOT_AN_OFFER = "policy.applied_discount"


# --- time ----------------------------------------------------------------------------

def seconds_from_hours(data: dict[str, Any], key: str) -> float | None:
    """A number of hours from a profile (or a tag's entry), in seconds; None when it is not set."""
    value = data.get(key)
    return float(value) * HOUR if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def outside_window(flow: Flow, timing: Timing, limit: float) -> str | None:
    """How a message can be sent later than `limit` seconds after the person's last message,
    in words for a finding ("up to 3 days after the person's last message"), or None if it cannot.

    Unknown facts keep it silent: a flow with no trigger, or a trigger after which
    the person may just have written, judged only by the time since the trigger."""
    if flow.trigger is None:
        return None
    if timing.since_user[0] != INF and timing.since_user[1] > limit:
        if timing.since_user[1] == INF:
            return "any time after the person's last message (a loop keeps waiting)"
        return f"up to {duration(timing.since_user[1])} after the person's last message"
    if timing.user_silent_path:
        if timing.since_trigger[1] == INF:
            return "any time after the flow starts (a loop keeps waiting), with no message from the person"
        if timing.since_trigger[1] > limit:
            return (f"up to {duration(timing.since_trigger[1])} after the flow starts, "
                    f"with no message from the person since")
        if flow.trigger.kind not in _UNKNOWN_LAST_MESSAGE:
            return f"to people who have not written to you (a '{flow.trigger.kind.value}' flow)"
    return None


def in_hours(minutes: int, earliest: str, latest: str) -> bool:
    """Whether a time of day (minutes after midnight) falls in [earliest, latest)."""
    return time_minutes(earliest) <= minutes < time_minutes(latest)


# --- programs and tags -----------------------------------------------------------------

def is_recurring(flow: Flow) -> bool:
    """A program that sends on its own schedule: a sequence, a broadcast, a scheduled or repeating trigger."""
    trigger = flow.trigger
    return flow.kind == "sequence" or (trigger is not None and (trigger.kind in _RECURRING_TRIGGERS
                                                                or trigger.every is not None))


def message_tags(policy: dict[str, Any] | None) -> dict[str, dict[str, Any]] | None:
    """The profile's message tags by upper-case name; None when the profile says nothing about tags."""
    if policy is None or not isinstance(policy.get("message_tags"), dict):
        return None
    return {str(name).upper(): spec or {} for name, spec in policy["message_tags"].items()}


def tag_spec(policy: dict[str, Any] | None, tag: str) -> dict[str, Any] | None:
    tags = message_tags(policy)
    return None if tags is None else tags.get(tag.upper())


def automated_tags(policy: dict[str, Any]) -> list[str]:
    return [name for name, spec in (message_tags(policy) or {}).items() if spec.get("automated")]


# --- wording ---------------------------------------------------------------------------

def promotional_matches(lexicon, text: str) -> list:
    """Promotional phrases in `text`, in order; a discount already applied to an order is not an offer."""
    found = []
    for key in PROMOTIONAL_LISTS:
        matches = lexicon.find(key, text)
        found.extend(offered_discounts(lexicon, text, matches) if key == "pitch.discount" else matches)
    return sorted(found, key=lambda m: m.start)


def offered_discounts(lexicon, text: str, matches: list) -> list:
    """The `pitch.discount` matches that offer something: not those inside a discount already
    applied to the person's order ("your code was applied")."""
    applied = [(m.start, m.end) for m in lexicon.find(_NOT_AN_OFFER, text)]
    return [match for match in matches if not any(match.start < end and start < match.end for start, end in applied)]


def message_text(node: Statement, options: bool = True) -> str:
    """What the person reads from one message: a say, or a question with its answer labels."""
    if isinstance(node, Say):
        return node.say
    if isinstance(node, Ask):
        labels = [o.label for o in node.replies + node.buttons + node.rows] if options else []
        return "\n".join([node.ask, *labels])
    return ""


# --- opening messages ------------------------------------------------------------------

# An imported flow (Rasa, Dialogflow CX) lists its intent's training examples as trigger keywords:
# the person wrote something the classifier put in that intent, so the intent is a greeting when
# at least this share of its examples are whole greetings. In the corpus's Rasa bots the `greet`
# intents come to 54-90% with `policy.conversation_openers`, small talk ("how are you doing",
# "who are you") to about 30%, and "how_to_get_started", whose examples only contain
# "get started", to 3%.
GREETING_SHARE = 0.5


def greeting_trigger(flow: Flow, lexicon) -> bool:
    """The person opens the conversation with a greeting (`trigger message keywords "hi"`).

    A keyword of a native flow is what the person types, so any greeting among them counts; an
    imported flow's keywords are an intent's examples, so most of them must be greetings."""
    trigger = flow.trigger
    if trigger is None or trigger.kind != TriggerKind.message or not trigger.keywords:
        return False
    if flow.origin is None:
        return any(lexicon.find("policy.conversation_openers", keyword) for keyword in trigger.keywords)
    greetings = sum(1 for keyword in trigger.keywords if _greets(lexicon, keyword))
    return greetings >= GREETING_SHARE * len(trigger.keywords)


def _greets(lexicon, phrase: str) -> bool:
    """The whole example is a greeting: an opener at its start and at most two words after it
    ("hello there", "hi Sara"), not a question that happens to contain one ("how do I get started")."""
    match = lexicon.first("policy.conversation_openers", phrase)
    if match is None or phrase[:match.start].strip(" ,.!?¡¿-/"):
        return False
    return len(phrase[match.end:].replace(",", " ").split()) <= 2


def opening_messages(flow: Flow, analysis: FlowAnalysis, step: Step | None) -> list[Say | Ask]:
    """The messages a person gets when the flow arrives at `step`, before anything else happens:
    leading waits and actions are skipped; the burst follows `goto` and falls through to the next
    step, and stops at a question (included) or at anything that waits, branches or hands over."""
    return [] if step is None else _burst(flow, analysis, step, step.do, skip_leading_waits=True)


def burst_from(flow: Flow, analysis: FlowAnalysis, node: Say | Ask) -> list[Say | Ask]:
    """`node` and the messages sent right after it, without a wait in between."""
    for step in flow.steps:
        for statements in _statement_lists(step.do):
            index = next((i for i, statement in enumerate(statements) if statement is node), None)
            if index is None:
                continue
            if statements is step.do:
                return _burst(flow, analysis, step, statements[index:], skip_leading_waits=False)
            messages: list[Say | Ask] = []
            _collect(statements[index:], messages, skip_leading_waits=False)  # a follow-up's burst ends with it
            return messages
    return [node]


_STOPPED = object()  # the burst ended inside the statements


def _burst(flow: Flow, analysis: FlowAnalysis, step: Step, statements: list[Statement],
           skip_leading_waits: bool) -> list[Say | Ask]:
    messages: list[Say | Ask] = []
    visited = {step.name}
    while True:
        following = _collect(statements, messages, skip_leading_waits)
        if following is _STOPPED:
            return messages
        step = analysis.steps.get(following) if following else _next_step(flow, step)
        if step is None or step.name in visited:
            return messages
        visited.add(step.name)
        statements = step.do


def _collect(statements: list[Statement], messages: list, skip_leading_waits: bool):
    """Add the burst's messages from `statements`. Returns _STOPPED, the step a `goto` continues
    with, or None when control falls off the end of the list."""
    for statement in statements:
        if isinstance(statement, Say):
            messages.append(statement)
        elif isinstance(statement, Ask):
            messages.append(statement)
            return _STOPPED
        elif isinstance(statement, Action) or (skip_leading_waits and not messages
                                               and isinstance(statement, (Wait, WaitUntil))):
            continue
        elif isinstance(statement, Goto):
            return statement.goto
        else:
            return _STOPPED
    return None


def _statement_lists(statements: list[Statement]) -> Iterator[list[Statement]]:
    yield statements
    for statement in statements:
        if isinstance(statement, FollowUp):
            yield from _statement_lists(statement.do)


def _next_step(flow: Flow, step: Step) -> Step | None:
    """The step control falls into after `step`."""
    index = next((i for i, candidate in enumerate(flow.steps) if candidate is step), None)
    return flow.steps[index + 1] if index is not None and index + 1 < len(flow.steps) else None
