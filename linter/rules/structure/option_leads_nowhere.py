"""BL505 option-leads-nowhere: a reply, button or row that goes to no step and no link.

What it does
    In a question whose other options route to steps, reports an option
    with neither `-> step` nor `url`.

Why is this bad
    Tapping it does nothing, or drops the person into the fallback as if
    they had typed nonsense.

Example
    Bad:
        flow menu:
          channel messenger
          trigger message keywords "menu"
          step start:
            ask "Want today's menu?":
              reply "Yes" -> menu
              reply "Later"
              otherwise -> menu
          step menu:
            say "Soup, pasta, and a lemon tart."
            end
    Good:
        flow menu:
          channel messenger
          trigger message keywords "menu"
          step start:
            ask "Want today's menu?":
              reply "Yes" -> menu
              reply "Later" -> goodbye
              otherwise -> menu
          step menu:
            say "Soup, pasta, and a lemon tart."
            end
          step goodbye:
            say "Sure, ask again whenever you're hungry."
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Ask
from linter.rules.base import rule


@rule(code="BL505", name="option-leads-nowhere", severity="warning", summary="option leads nowhere")
def RULE(ctx):
    for flow in ctx.flows():
        for node in walk_statements(flow):
            if not isinstance(node, Ask):
                continue
            options = node.replies + node.buttons + node.rows
            if not (node.otherwise or any(option.goto for option in options)):
                continue  # nothing routes: every answer continues with the next statement
            for option in options:
                if not option.goto and not option.url:
                    yield ctx.finding(option, f"option '{option.label}' leads nowhere",
                                      "add `-> step` (or `url \"...\"` for a button)")
