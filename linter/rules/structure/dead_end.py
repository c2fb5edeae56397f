"""BL502 dead-end: the conversation runs off the end of the flow with nothing to do.

What it does
    Reports the last statement of a flow when a path reaches it and nothing
    follows: no `end`, no goto, no question routed anywhere, no handoff. In
    a `sequence`, running out of messages is the natural end, so only a
    question or a wait for a reply left hanging there is reported.

Why is this bad
    The person answers and hears nothing back. An explicit `end` (or a route
    to a human) says the conversation is over on purpose.

Example
    Bad:
        flow support:
          channel webchat
          trigger message
          step start:
            say "Your order is on its way."
            ask "Anything else?"
    Good:
        flow support:
          channel webchat
          trigger message
          step start:
            say "Your order is on its way."
            ask "Anything else?":
              reply "No, thanks" -> goodbye
              otherwise -> human
          step goodbye:
            say "Have a good day!"
            end
          step human:
            handoff to "Support":
              owner "ana@example.com"
              sla 2h
              tell "Ana from our team will answer here within 2 hours."
              unanswered -> goodbye
"""

from linter.model.flow import Ask, WaitForReply
from linter.rules.base import rule


@rule(code="BL502", name="dead-end", severity="warning", summary="the flow stops here with nothing to do")
def RULE(ctx):
    for flow in ctx.flows():
        last = ctx.analysis(flow).falls_off_end()
        if last is None:
            continue
        waiting = isinstance(last, (Ask, WaitForReply))
        if flow.kind == "sequence" and not waiting:
            continue
        what = "the person's answer goes nowhere" if waiting else "nothing follows this message"
        yield ctx.finding(last, f"dead end: {what}, and the {flow.kind} does not end here on purpose",
                          "route the answers (replies, otherwise, goto), hand over to a human, or add `end`")
