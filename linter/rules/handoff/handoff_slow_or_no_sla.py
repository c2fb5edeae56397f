"""BL302 handoff-slow-or-no-sla: a handoff promises no response time, or a slow one.

What it does
    Reports a `handoff` without an `sla` (the promised time to a human
    reply), and one whose `sla` is longer than the rule's `max_sla` option
    (default 24h, set in `rulesets/rules/handoff.yaml`).

Why is this bad
    Without a promised time nobody is measured on the reply and nothing
    escalates. Answers that come 48 to 72 hours later reach someone who has
    long since bought elsewhere or forgotten what they asked.

Example
    Bad:
        flow contact:
          channel webchat
          trigger message keywords "talk to sales"
          step talk_to_us:
            handoff to "Sales":
              owner "lena@example.com"
              sla 3d
              tell "Lena from our sales team will answer here within 3 days."
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
              sla 4h
              tell "Lena from our sales team will answer here within 4 hours."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email sales@example.com and we'll answer today."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.flow import duration_seconds
from linter.rules.base import rule
from linter.rules.handoff._common import Duration, duration_option, handoffs, states_handoff_terms


class Options(RuleOptions):
    max_sla: Duration | None = Field(description=(
        "the slowest promised response time that is still acceptable, such as 24h (null: any is)"))


@rule(code="BL302", name="handoff-slow-or-no-sla", severity="warning",
      summary="handoff without a promised response time, or a slow one", options=Options)
def RULE(ctx):
    limit = duration_option(ctx, "max_sla")
    for flow in ctx.flows():
        if not states_handoff_terms(flow):
            continue
        for handoff, _ in handoffs(flow):
            if handoff.sla is None:
                yield ctx.finding(handoff, "handoff promises no response time (no `sla`)",
                                  "add `sla 4h` (a time the team can keep) and tell the person when to expect it")
            elif limit is not None and duration_seconds(handoff.sla) > limit:
                yield ctx.finding(handoff, f"handoff promises a reply within {handoff.sla}, more than "
                                  f"{ctx.options.max_sla}: by then most people have lost interest",
                                  "staff the handoff to answer within a day, or let the bot answer and hand "
                                  "over only what needs a person")
