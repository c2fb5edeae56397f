"""BL504 question-without-fallback: a question with buttons but no path for anything else.

What it does
    Reports questions that route their replies, buttons or list rows to
    steps but say nothing about an answer that matches none of them (no
    `otherwise`, no `capture`).

Why is this bad
    People type instead of tapping, make typos, or answer a different
    question. Without a fallback the flow ignores them or breaks.

Example
    Bad:
        flow order:
          channel messenger
          trigger message keywords "order"
          step start:
            ask "Pickup or delivery?":
              reply "Pickup" -> pickup
              reply "Delivery" -> delivery
          step pickup:
            say "See you at the shop!"
            end
          step delivery:
            say "We'll deliver tomorrow."
            end
    Good:
        flow order:
          channel messenger
          trigger message keywords "order"
          step start:
            ask "Pickup or delivery?":
              reply "Pickup" -> pickup
              reply "Delivery" -> delivery
              otherwise -> not_sure
          step pickup:
            say "See you at the shop!"
            end
          step delivery:
            say "We'll deliver tomorrow."
            end
          step not_sure:
            say "No problem: pickup is free, delivery is 3 EUR. Just tell me which."
            goto start
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Ask
from linter.rules.base import rule


@rule(code="BL504", name="question-without-fallback", severity="warning",
      summary="no path for an unexpected answer")
def RULE(ctx):
    for flow in ctx.flows():
        for node in walk_statements(flow):
            if not isinstance(node, Ask) or node.otherwise or node.capture:
                continue
            if any(option.goto for option in node.replies + node.buttons + node.rows):
                yield ctx.finding(node, "question has no path for an answer that matches none of its options",
                                  "add `otherwise -> step` (e.g. rephrase, or offer a human)")
