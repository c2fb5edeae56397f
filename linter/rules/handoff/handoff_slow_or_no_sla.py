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
        handoff to "Sales":
          owner "lena@example.com"
          sla 3d
    Good:
        handoff to "Sales":
          owner "lena@example.com"
          sla 4h
"""

from linter.model.flow import duration_seconds
from linter.rules.base import rule
from linter.rules.handoff._common import duration_option, handoffs, states_handoff_terms


@rule(code="BL302", name="handoff-slow-or-no-sla", severity="warning",
      summary="handoff without a promised response time, or a slow one", options={"max_sla": str})
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
                                  f"{ctx.options['max_sla']}: by then most people have lost interest",
                                  "staff the handoff to answer within a day, or let the bot answer and hand "
                                  "over only what needs a person")
