"""BL503 loop-without-exit: steps that lead back to each other with no way out.

What it does
    Finds groups of steps that can cycle (a goto back, a fallback to an
    earlier question) and reports a group from which nothing leaves: no
    `end`, no handoff, and no reply, timeout or branch to a step outside it.

Why is this bad
    The person is stuck: the bot repeats the same question or message for
    ever, whatever they answer.

Example
    Bad:
        step ask_email:
          ask "What's your email?":
            capture email as email -> check
        step check:
          if email == "" -> ask_email else -> ask_email
    Good:
        step ask_email:
          ask "What's your email?":
            capture email as email -> check
        step check:
          if email == "" -> ask_email else -> thanks
        step thanks:
          say "Thanks, we'll be in touch."
          end
"""

from linter.model.analysis import walk_step
from linter.model.flow import End, Handoff
from linter.rules.base import rule


@rule(code="BL503", name="loop-without-exit", severity="warning", summary="a loop nothing leaves")
def RULE(ctx):
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        reachable = analysis.reachable_steps()
        last = analysis.falls_off_end()
        for cycle in analysis.step_cycles():
            members = set(cycle)
            if not members & reachable:
                continue
            leaves = any(edge.target not in members for name in cycle for edge in analysis.successors(name))
            stops = any(isinstance(node, (End, Handoff)) for name in cycle for node in walk_step(analysis.steps[name]))
            runs_off = last is not None and any(last in list(walk_step(analysis.steps[name])) for name in cycle)
            if leaves or stops or runs_off:
                continue
            path = " -> ".join(cycle + [cycle[0]])
            yield ctx.finding(analysis.steps[cycle[0]], f"loop with no exit: {path}",
                              "give the person a way out: a reply or timeout to another step, a handoff, or `end`")
