"""BL501 unreachable-step: no path from the start of the flow reaches this step.

What it does
    Follows every path from the flow's first step (gotos, replies, buttons,
    captures, fallbacks, branches, timeouts, handoff timeouts, and falling
    through to the next step) and reports steps none of them reach: once
    for each piece nothing reaches, at its first step, naming the steps it
    leads to (an imported page that is several steps is one finding).

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
        unreachable = [name for name in analysis.steps if name not in reachable]
        covered: set[str] = set()
        for head in _heads(analysis, unreachable):
            if head in covered:
                continue
            region = _region(analysis, head, set(unreachable))
            covered |= region
            also = [name for name in unreachable if name in region and name != head]
            shown = ", ".join(f"'{name}'" for name in also[:3]) + (f" and {len(also) - 3} more" if len(also) > 3 else "")
            more = f" (nor are the steps it leads to: {shown})" if also else ""
            yield ctx.finding(analysis.steps[head],
                              f"step '{head}' is never reached from the start of {flow.kind} '{flow.name}'{more}",
                              "point a reply, goto or timeout at it, or delete it")


def _heads(analysis, unreachable: list[str]) -> list[str]:
    """The unreachable steps no other unreachable step leads to, then the rest (a loop with no way
    in), in source order: one finding for each piece of the flow nothing reaches."""
    names = set(unreachable)
    led_to = {edge.target for name in unreachable for edge in analysis.successors(name)
              if edge.target in names and edge.target != name}
    return [name for name in unreachable if name not in led_to] + [name for name in unreachable if name in led_to]


def _region(analysis, head: str, unreachable: set[str]) -> set[str]:
    """The unreachable steps `head` leads to, itself included."""
    region, pending = {head}, [head]
    while pending:
        for edge in analysis.successors(pending.pop()):
            if edge.target in unreachable and edge.target not in region:
                region.add(edge.target)
                pending.append(edge.target)
    return region
