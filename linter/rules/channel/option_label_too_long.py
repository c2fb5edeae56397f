"""BL603 option-label-too-long: a reply, button or row label is longer than its channel shows.

What it does
    Compares each option label of an `ask` with the label limit of the
    interactive message kind that carries it, from `rulesets/channels.yaml`:
    20 characters for Messenger and Instagram quick replies and Messenger
    buttons, 20 for WhatsApp reply buttons, 24 for WhatsApp list rows.
    Placeholders count as written. Flows with no known channel, and kinds
    with no known label limit, are skipped.

Why is this bad
    Instagram and Messenger cut the label off mid-word ("Talk to a real pers");
    WhatsApp rejects the message. A choice the person cannot read is a choice
    they do not tap.

Example
    Bad:
        flow support:
          channel messenger
          trigger message
          step start:
            ask "How can we help?":
              reply "Check my order status please" -> order
              otherwise -> order
          step order:
            say "Your order ships tomorrow."
            end
    Good:
        flow support:
          channel messenger
          trigger message
          step start:
            ask "How can we help?":
              reply "Order status" -> order
              otherwise -> order
          step order:
            say "Your order ships tomorrow."
            end
"""

from linter.rules.base import rule
from linter.rules.channel._common import interactive_parts, questions


@rule(code="BL603", name="option-label-too-long", severity="warning",
      summary="option label longer than the channel shows")
def RULE(ctx):
    for flow in ctx.flows():
        data = ctx.channel_data(flow)
        for ask in questions(flow):
            for part in interactive_parts(ask, data):
                limit = part.spec.get("label_max_chars")
                if limit is None:
                    continue
                for option in part.options:
                    if len(option.label) > limit:
                        yield ctx.finding(
                            option, f"label '{option.label}' is {len(option.label)} characters; "
                            f"{ctx.channel(flow)} shows {limit} in {part.title}",
                            f"shorten it to {limit} characters or fewer; put the detail in the question")
