"""BL001 undefined-step: a goto, reply, branch or timeout names a step that does not exist.

What it does
    Checks every place that sends the person to a step (`goto`, a reply or
    button `-> step`, `capture ... -> step`, `otherwise`, `if ... -> step`,
    `wait for reply timeout ... -> step`, a handoff's `unanswered -> step`)
    and reports names that are not steps of the same flow.

Why is this bad
    The platform drops the person at that point: the button does nothing, or
    the conversation silently stops.

Example
    Bad:
        flow prices:
          channel messenger
          trigger message keywords "price"
          step start:
            ask "Want our price list?":
              reply "Yes" -> prices
              otherwise -> pricing
          step pricing:
            say "Plans start at 9 EUR a month."
            end
    Good:
        flow prices:
          channel messenger
          trigger message keywords "price"
          step start:
            ask "Want our price list?":
              reply "Yes" -> pricing
              otherwise -> pricing
          step pricing:
            say "Plans start at 9 EUR a month."
            end
"""

import difflib

from linter.rules.base import rule


@rule(code="BL001", name="undefined-step", severity="error", summary="reference to a step that does not exist")
def RULE(ctx):
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        for reference in analysis.references():
            if reference.target in analysis.steps:
                continue
            close = difflib.get_close_matches(reference.target, analysis.steps, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"add a step named '{reference.target}' or fix the name"
            yield ctx.finding(reference.node, f"'{reference.field}' names step '{reference.target}', "
                              f"which {flow.kind} '{flow.name}' does not define", hint)
