"""BL501 unreachable-step: no path from the start of the flow reaches this step.

What it does
    Follows every path from the flow's first step (gotos, replies, buttons,
    captures, fallbacks, branches, timeouts, handoff timeouts, and falling
    through to the next step) and reports steps none of them reach.

Why is this bad
    Its messages are never sent. Usually a reply or goto that should point
    here points elsewhere, or the step was left over from an old version.

Example
    Bad:
        flow drinks:
          channel messenger
          trigger message
          step start:
            ask "Coffee or tea?":
              reply "Coffee" -> coffee
              otherwise -> start
          step coffee:
            say "Great choice!"
            end
          step tea:
            say "Lovely."
            end
    Good:
        flow drinks:
          channel messenger
          trigger message
          step start:
            ask "Coffee or tea?":
              reply "Coffee" -> coffee
              reply "Tea" -> tea
              otherwise -> start
          step coffee:
            say "Great choice!"
            end
          step tea:
            say "Lovely."
            end
"""

from linter.rules.base import rule


@rule(code="BL501", name="unreachable-step", severity="warning", summary="no path reaches this step")
def RULE(ctx):
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        reachable = analysis.reachable_steps()
        for name, step in analysis.steps.items():
            if name not in reachable:
                yield ctx.finding(step, f"step '{name}' is never reached from the start of {flow.kind} '{flow.name}'",
                                  "point a reply, goto or timeout at it, or delete it")
