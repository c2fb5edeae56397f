"""BL301 handoff-without-owner: a handoff names no team and no person who answers.

What it does
    Reports a `handoff` with neither a team (`handoff to "Sales"`) nor an
    `owner`.

Why is this bad
    A conversation handed to nobody in particular lands in a shared inbox
    where everyone assumes someone else will answer. Mostly it stays
    unanswered, and by the time somebody notices days later the person has
    lost interest.

Example
    Bad:
        flow contact:
          channel webchat
          trigger message keywords "talk to sales"
          step talk_to_us:
            handoff:
              sla 2h
              tell "Someone from our sales team will answer here within 2 hours."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email sales@example.com and we'll answer today."
            end
    Good:
        flow contact:
          channel webchat
          trigger message keywords "talk to sales"
          step talk_to_us:
            handoff to "Sales":
              owner "lena@example.com"
              sla 2h
              tell "Lena from our sales team will answer here within 2 hours."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email sales@example.com and we'll answer today."
            end
"""

from linter.rules.base import rule
from linter.rules.handoff._common import handoffs, owner, states_handoff_terms, team


@rule(code="BL301", name="handoff-without-owner", severity="warning",
      summary="handoff to no team and no owner")
def RULE(ctx):
    for flow in ctx.flows():
        if not states_handoff_terms(flow):
            continue
        for handoff, _ in handoffs(flow):
            if team(handoff) is None and owner(handoff) is None:
                yield ctx.finding(handoff, "handoff names no team and no owner: nobody is responsible for the reply",
                                  'name who answers: `handoff to "Team":` with `owner "name@example.com"`')
