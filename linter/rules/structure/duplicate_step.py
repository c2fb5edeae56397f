"""BL002 duplicate-step: two steps of one flow share a name.

What it does
    Reports every step whose name an earlier step of the same flow already uses.

Why is this bad
    Every `goto` and reply to that name reaches only the first step; the
    second one is unreachable and its messages are never sent, which is rarely
    what the author meant (usually a copy-paste that was not renamed).

Example
    Bad:
        flow order:
          channel messenger
          trigger message keywords "order"
          step start:
            ask "Pick up today or tomorrow?":
              reply "Today" -> thanks
              reply "Tomorrow" -> thanks
              otherwise -> thanks
          step thanks:
            say "Thanks! See you at the counter."
            end
          step thanks:
            say "Thank you, talk soon!"
            end
    Good:
        flow order:
          channel messenger
          trigger message keywords "order"
          step start:
            ask "Pick up today or tomorrow?":
              reply "Today" -> thanks
              reply "Tomorrow" -> thanks_later
              otherwise -> thanks
          step thanks:
            say "Thanks! See you at the counter."
            end
          step thanks_later:
            say "Thank you, talk soon!"
            end
"""

from linter.rules.base import place, rule


@rule(code="BL002", name="duplicate-step", severity="error", summary="step name used twice in one flow")
def RULE(ctx):
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        for step in analysis.duplicate_steps:
            first = analysis.steps[step.name]
            yield ctx.finding(step, f"step '{step.name}' is already defined on {place(first, step)}",
                              "rename one of the steps; references reach only the first")
