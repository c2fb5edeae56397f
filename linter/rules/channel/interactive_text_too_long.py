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
    Bad:
        flow plans:
          channel messenger
          trigger message keywords "plans"
          step choose:
            ask \"\"\"
                We have three plans. Basic is 9 EUR a month: one 250 g bag every four weeks, any of
                our single origins, ground the way you brew, and free shipping. Pro is 19 EUR a
                month: two bags every four weeks, early access to new roasts and limited lots, and
                10% off brewing gear. Both plans ship on the first Tuesday of the month. Team is 49
                EUR a month for offices: a 1 kg bag of espresso blend every week and a grinder on
                loan. Every quarter, one of our roasters visits to run a cupping session and to help
                you dial in your machine. All plans come with a 30-day money-back promise. You can
                pause, cancel or switch between them any time from your account page. Which one
                suits you?
                \"\"\":
              button "Basic" -> signup
              button "Pro" -> signup
              button "Team" -> signup
              otherwise -> signup
          step signup:
            say "Great choice! Sign up here: https://brightbean.example/signup"
            end
    Good:
        flow plans:
          channel messenger
          trigger message keywords "plans"
          step choose:
            say \"\"\"
                We have three plans. Basic is 9 EUR a month: one 250 g bag every four weeks, any of
                our single origins, ground the way you brew, and free shipping. Pro is 19 EUR a
                month: two bags every four weeks, early access to new roasts and limited lots, and
                10% off brewing gear. Both plans ship on the first Tuesday of the month.
                \"\"\"
            say \"\"\"
                Team is 49 EUR a month for offices: a 1 kg bag of espresso blend every week and a
                grinder on loan. Every quarter, one of our roasters visits to run a cupping session
                and to help you dial in your machine. All plans come with a 30-day money-back
                promise. You can pause, cancel or switch between them any time from your account
                page.
                \"\"\"
            ask "Which one suits you?":
              button "Basic" -> signup
              button "Pro" -> signup
              button "Team" -> signup
              otherwise -> signup
          step signup:
            say "Great choice! Sign up here: https://brightbean.example/signup"
            end
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

