"""BL303 handoff-without-timeout: nothing happens when nobody picks up a handoff.

What it does
    Reports a `handoff` without `unanswered -> step`: the path the flow
    takes when no human has answered within the `sla`.

Why is this bad
    Handoffs get missed: a sick day, a weekend, a busy launch. Without a
    fallback the person waits in silence for ever; with one the bot can
    apologise, offer another channel or an email, and alert the team.

Example
    Bad:
        flow support:
          channel webchat
          trigger message keywords "help"
          step start:
            handoff to "Support":
              owner "care@example.com"
              sla 2h
              tell "Our support team will answer here within 2 hours."
    Good:
        flow support:
          channel webchat
          trigger message keywords "help"
          step start:
            handoff to "Support":
              owner "care@example.com"
              sla 2h
              tell "Our support team will answer here within 2 hours."
              unanswered -> sorry_for_the_wait
          step sorry_for_the_wait:
            say "Sorry, nobody got to you in time. Email care@example.com and we'll answer today."
            end
"""

from linter.rules.base import rule
from linter.rules.handoff._common import handoffs, states_handoff_terms


@rule(code="BL303", name="handoff-without-timeout", severity="warning",
      summary="handoff with no path for when nobody answers")
def RULE(ctx):
    for flow in ctx.flows():
        if not states_handoff_terms(flow):
            continue
        for handoff, _ in handoffs(flow):
            if handoff.on_timeout is None:
                yield ctx.finding(handoff, "handoff has no `unanswered -> step`: if nobody picks it up, "
                                  "the person waits in silence",
                                  "add `unanswered -> step` that apologises and offers another way to get an answer")
