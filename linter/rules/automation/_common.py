"""What the automation rules (BL4xx) share: who opened the door, what the bot sends first, small text facts."""

from __future__ import annotations

import re
from typing import Iterator

from linter.model.analysis import BotText, FlowAnalysis, Timing, bot_texts
from linter.model.flow import ActionVerb, AudienceKind, Flow, TriggerKind
from linter.model.text import placeholders
from linter.core.findings import Violation
from linter.core.severity import Severity

# The person moved toward the account (followed it, accepted a connection request, subscribed to
# its channel) but asked for no message. What an automatic DM then says is BL401's question.
DOOR_OPENERS = frozenset({TriggerKind.follow, TriggerKind.connection_accepted, TriggerKind.subscribe})
# The business alone decides when these run: nobody on the other side did anything (BL406).
# Opt-in, message and comment are the person asking or writing; they are neither.
BUSINESS_STARTED = frozenset({TriggerKind.broadcast, TriggerKind.schedule, TriggerKind.event,
                              TriggerKind.tag_added})
# Audiences that include people who never opted in.
UNCONSENTED = frozenset({AudienceKind.everyone, AudienceKind.cold_list})
# Audiences with nothing to say they live in one time zone. Opted-in subscribers are left out: they
# are most often one shop's local customers, and BL405's night check still covers them.
SCATTERED = frozenset({AudienceKind.everyone, AudienceKind.cold_list, AudienceKind.segment})

DOOR_OPENED_BY = {TriggerKind.follow: "a follow", TriggerKind.connection_accepted: "an accepted connection request",
                  TriggerKind.subscribe: "a subscription"}

# One social network under two names.
_NETWORK_ALIASES = {"twitter": "x"}

_URL_RE = re.compile(r"https?://[^\s\"'<>)]+|www\.[^\s\"'<>)]+", re.IGNORECASE)
# @handle, not the middle of an e-mail address (ana@example.com) nor a placeholder (@{name}).
_HANDLE_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")


def direct_messages(flow: Flow, analysis: FlowAnalysis) -> Iterator[tuple[BotText, Timing]]:
    """What the bot can send the person directly, with when, in source order: messages, questions
    and `action message` DMs (not public posts or comments, nor connection notes)."""
    for sent in bot_texts(flow):
        if sent.kind not in ("say", "ask", "action"):
            continue
        if sent.kind == "action" and sent.node.action != ActionVerb.message:
            continue
        timing = analysis.timing(sent.node)
        if timing is not None:
            yield sent, timing


def opening_messages(flow: Flow, analysis: FlowAnalysis) -> Iterator[BotText]:
    """The direct messages the bot can send before the person's first reply, in source order."""
    return (sent for sent, timing in direct_messages(flow, analysis) if timing.before_first_reply)


def has_placeholder(text: str) -> bool:
    return bool(placeholders(text))


def urls(text: str) -> list[str]:
    return [match.rstrip(".,!?;:") for match in _URL_RE.findall(text)]


def handles(text: str) -> list[str]:
    """Distinct @handles, in order of first appearance (case does not make a new person)."""
    seen: dict[str, str] = {}
    for match in _HANDLE_RE.finditer(text):
        seen.setdefault(match[1].casefold(), "@" + match[1])
    return list(seen.values())


def network(channel: str | None) -> str | None:
    return _NETWORK_ALIASES.get(channel, channel) if channel else None


def normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def milder(violation: Violation, severity: str) -> Violation:
    """The same violation one step below the rule's `severity`: for the weaker half of a rule that
    reports two strengths of evidence, so a severity configured for the rule still moves both."""
    return violation._replace(severity=Severity(severity).milder().value)
