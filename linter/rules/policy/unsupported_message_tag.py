"""BL704 unsupported-message-tag: a message carries a tag its channel does not have.

What it does
    Compares each `say ... tag NAME` with the message tags of the channel's
    policy profile (case does not matter): Messenger has
    CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE and
    HUMAN_AGENT; Instagram only HUMAN_AGENT; WhatsApp and SMS have none.
    Suggests the closest known tag. Channels without a policy profile are
    skipped.

Why is this bad
    The platform rejects a request with a tag it does not know, so the
    message is never delivered; a tag copied from Messenger to Instagram is
    the usual way this happens.

Example
    Bad:
        flow booking:
          channel instagram
          trigger message keywords "book"
          step confirm:
            say "You're booked: yoga tomorrow at 18:00." tag CONFIRMED_EVENT_UPDATE
            end
    Good:
        flow booking:
          channel instagram
          trigger message keywords "book"
          step confirm:
            say "You're booked: yoga tomorrow at 18:00."
            end
"""

import difflib

from linter.model.analysis import walk_statements
from linter.model.flow import Say
from linter.rules.base import rule
from linter.rules.policy._common import message_tags


@rule(code="BL704", name="unsupported-message-tag", severity="error",
      summary="message tag the channel does not support")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        tags = message_tags(policy)
        if tags is None:
            continue
        channel = ctx.channel(flow)
        for say in walk_statements(flow):
            if not isinstance(say, Say) or not say.tag or say.tag.upper() in tags:
                continue
            if not tags:
                message = f"{channel} has no message tags; '{say.tag}' is not delivered"
                hint = ("outside the messaging window use an approved template (`template \"name\"`)"
                        if policy.get("outside_window") == "templates" else "remove the tag")
            else:
                message = f"{channel} has no message tag '{say.tag}' (it has: {', '.join(tags)})"
                close = difflib.get_close_matches(say.tag.upper(), tags, n=1)
                hint = f"did you mean {close[0]}?" if close else (
                    "remove the tag and send the message within the window, after the person writes")
            yield ctx.finding(say, message, hint)
