"""BL604 interactive-text-too-long: the text of a question with buttons is longer than its channel allows.

What it does
    A question with options is not a plain message: on Messenger an `ask`
    with buttons is a button template (text up to 640 characters), on
    WhatsApp an `ask` with replies or buttons is an interactive message (body
    up to 1024 characters). Compares the question's text with the limit of
    each interactive message kind it uses, from `rulesets/channels.yaml`.
    Placeholders count as written. Flows with no known channel, and kinds with
    no known text limit, are skipped. (The plain-message limit is BL601's.)

    The slug says "interactive" rather than "button" so that it is not read
    as the button label, which BL603 checks.

Why is this bad
    The platform rejects the message: the person gets neither the text nor
    the buttons, and the flow stops there.

Example
    Bad (channel whatsapp):
        ask "...1,100 characters about our three plans, then: Which one suits you?":
          reply "Basic" -> basic
          reply "Pro" -> pro
    Good:
        say "...the details of the three plans..."
        ask "Which one suits you?":
          reply "Basic" -> basic
          reply "Pro" -> pro
"""

from linter.rules.base import rule
from linter.rules.channel._common import interactive_parts, questions


@rule(code="BL604", name="interactive-text-too-long", severity="error",
      summary="question text longer than the channel allows with buttons")
def RULE(ctx):
    for flow in ctx.flows():
        data = ctx.channel_data(flow)
        for ask in questions(flow):
            strictest = min((part for part in interactive_parts(ask, data) if part.spec.get("text_max_chars")),
                            key=lambda part: part.spec["text_max_chars"], default=None)
            if strictest is None or len(ask.ask) <= strictest.spec["text_max_chars"]:
                continue
            limit = strictest.spec["text_max_chars"]
            yield ctx.finding(
                ask, f"question text is {len(ask.ask)} characters; {ctx.channel(flow)} allows {limit} "
                f"in {strictest.title}",
                "send the detail in a `say` before the question and keep the question short")

