"""BL712 handoff-beyond-window: a handoff promises a human reply later than the channel lets a human answer.

What it does
    For each `handoff` with an `sla` on a channel whose policy profile has a
    messaging window (Messenger, Instagram, WhatsApp), adds the `sla` to the
    longest time the person's last message can be old when the handoff
    starts (from the flow analysis) and reports it when the promised reply
    can come later than the window: `window_hours` (24), or on Messenger and
    Instagram the window of the tag reserved for human agents (HUMAN_AGENT,
    7 days) when `assume_human_agent_tag` says your inbox sends it. Handoffs
    reached only by people who never wrote are left to BL701 and BL705.

    A warning, not an error: the SLA is the longest promised wait, and
    replies that come sooner are delivered.

Why is this bad
    A free-form reply after the window is rejected: on WhatsApp only a
    template can reach the person, on Messenger only a HUMAN_AGENT-tagged
    reply within 7 days. The person was promised an answer, and it never
    arrives.

Example
    Bad:
        flow support:
          channel whatsapp
          trigger message keywords "help"
          step start:
            handoff to "Support":
              owner "care@example.com"
              sla 2d
              tell "Our support team will reply here within 2 days."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email care@example.com and we'll answer today."
            end
    Good:
        flow support:
          channel whatsapp
          trigger message keywords "help"
          step start:
            handoff to "Support":
              owner "care@example.com"
              sla 4h
              tell "Our support team will reply here within 4 hours."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email care@example.com and we'll answer today."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import walk_statements
from linter.model.flow import Handoff, duration_seconds
from linter.rules._wording import duration
from linter.rules.base import rule
from linter.rules.policy._common import INF, message_tags, seconds_from_hours


class Options(RuleOptions):
    assume_human_agent_tag: bool = Field(description=(
        "true when your inbox tags human replies with Messenger's HUMAN_AGENT (7 days instead of 24 hours)"))


@rule(code="BL712", name="handoff-beyond-window", severity="warning",
      summary="handoff promises a human reply after the messaging window closes",
      options=Options)
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        limit, how = _human_window(policy, bool(ctx.options.assume_human_agent_tag))
        if limit is None:
            continue
        analysis = ctx.analysis(flow)
        for handoff in walk_statements(flow):
            if not isinstance(handoff, Handoff) or not handoff.sla:
                continue
            timing = analysis.timing(handoff)
            if timing is None or timing.since_user[0] == INF:
                continue
            waited = timing.since_user[1]
            latest = waited + duration_seconds(handoff.sla)
            if latest <= limit:
                continue
            parts = f"{duration(waited)} before the handoff plus the {handoff.sla} SLA" if waited else \
                f"the {handoff.sla} SLA"
            yield ctx.finding(handoff, f"the promised reply can come up to {duration(latest)} after the person's "
                                       f"last message ({parts}), but on {ctx.channel(flow)} {how}",
                              f"promise a reply within {duration(limit - waited) if waited < limit else 'the window'}"
                              f", or plan how the team reaches the person after the window")


def _human_window(policy, human_agent_tag: bool):
    """How long after the person's last message a human can still reply, and that fact in words."""
    window = seconds_from_hours(policy, "window_hours") if policy else None
    if window is None:
        return None, ""
    if policy.get("outside_window") == "templates":
        return window, f"a person can reply only within {policy['window_hours']} hours of it (then only templates)"
    tag = _human_tag(policy)
    if tag is None:
        return window, f"a person can reply only within {policy['window_hours']} hours of it"
    name, tag_window = tag
    if human_agent_tag:
        return tag_window, f"a person can reply only within {duration(tag_window)} of it, with {name}"
    return window, (f"a person can reply without a tag only within {policy['window_hours']} hours of it "
                    f"({name} allows {duration(tag_window)}: set assume_human_agent_tag if your inbox sends it)")


def _human_tag(policy):
    """The tag reserved for human agents that extends the window, and its window in seconds."""
    window = seconds_from_hours(policy, "window_hours")
    for name, spec in (message_tags(policy) or {}).items():
        tag_window = seconds_from_hours(spec, "window_hours")
        if not spec.get("automated", True) and tag_window and tag_window > window:
            return name, tag_window
    return None
