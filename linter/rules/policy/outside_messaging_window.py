"""BL701 outside-messaging-window: a Messenger or Instagram message can go out after the 24-hour window closes.

What it does
    On channels whose policy profile sends outside the window only with
    message tags (Messenger, Instagram), reports each `say` without a tag that
    can be sent more than `window_hours` (24) after the person's last message:
    after a `wait`, a follow-up, a loop that waits, or in a broadcast, schedule
    or event flow that reaches people who have not written at all. Time comes
    from the flow analysis, over every path, including the time a send window
    can hold a message back. Flows with no trigger (who wrote last is
    unknown), no known channel or no policy profile are skipped; after a
    `subscribe` or `tag-added` trigger only messages later than the window
    after the trigger are judged. Tags themselves are other rules' business:
    an unknown tag is BL704, HUMAN_AGENT on a bot message is BL703. Questions
    are not checked: the language cannot tag them.

Why is this bad
    The Send API rejects the message as sent outside the allowed window, and
    a page that keeps breaking the policy can lose the right to message. Standard messaging is for answering the
    person; outside the window only tagged, non-promotional updates may go out.

Example
    Bad:
        flow grinder:
          channel messenger
          trigger message keywords "grinder price"
          step start:
            say "The Encore grinder is 149 EUR and ships within two days."
            wait 2d
            say "Still thinking about the grinder? Happy to answer any question."
            end
    Good (the person's answer opens a new window):
        flow grinder:
          channel messenger
          trigger message keywords "grinder price"
          step start:
            say "The Encore grinder is 149 EUR and ships within two days."
            ask "Want me to check in tomorrow, once you've had time to think?":
              reply "Yes, please" -> later
              otherwise -> goodbye
          step later:
            wait 20h
            say "Still thinking about the grinder? Happy to answer any question."
            end
          step goodbye:
            say "Sure! Just write here if anything comes up."
            end
"""

from linter.rules.base import rule
from linter.rules.policy._common import automated_tags, outside_window, seconds_from_hours


@rule(code="BL701", name="outside-messaging-window", severity="error",
      summary="untagged message can be sent after the 24-hour messaging window")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        if policy is None or policy.get("outside_window") != "tags":
            continue
        limit = seconds_from_hours(policy, "window_hours")
        if limit is None:
            continue
        channel = ctx.channel(flow)
        tags = automated_tags(policy)
        for say, timing in ctx.analysis(flow).outgoing_messages():
            if say.tag:
                continue
            when = outside_window(flow, timing, limit)
            if when is None:
                continue
            hint = (f"send it only after the person writes again; for a non-promotional update add a tag "
                    f"({', '.join(tags)})" if tags else
                    f"{channel} has no tag for automated messages: send it only after the person writes again")
            yield ctx.finding(say, f"message can be sent {when}; {channel} allows untagged messages only "
                                   f"within {policy['window_hours']} hours of the person's last message", hint)
