"""BL601 message-too-long: a message is longer than its channel delivers.

What it does
    Compares each message the bot sends (`say`, `ask`, and what a `handoff`
    tells the person: `tell`, `off-hours`) with the channel's text limit from
    `rulesets/channels.yaml` (Messenger 2000, Instagram 1000, WhatsApp 4096,
    Telegram 4096, SMS 1600 characters). Template placeholders count as
    written. Flows with no known channel are skipped.

Why is this bad
    The platform rejects or truncates the message: the person gets nothing,
    or half a sentence.

Example
    Bad (channel instagram):
        say "...1,200 characters of product description..."
    Good:
        say "Here is the short version: ..."
        say "Want the details? Tap below."
"""

from linter.rules.base import rule
from linter.rules.channel._common import describe, message_texts


@rule(code="BL601", name="message-too-long", severity="error",
      summary="message longer than the channel allows", options={"fallback_max_chars": int})
def RULE(ctx):
    for flow in ctx.flows():
        limit = ctx.channel_data(flow).get("text_max_chars") or ctx.options.get("fallback_max_chars")
        if not limit:
            continue
        for message in message_texts(flow):
            if len(message.text) > limit:
                yield ctx.finding(
                    message.node,
                    f"{describe(message)} is {len(message.text)} characters; "
                    f"{ctx.channel(flow) or 'this channel'} allows {limit}",
                    "split it into shorter messages or move the detail to a link")
