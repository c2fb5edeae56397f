"""BL506 duplicate-option-label: two options of one question have the same label.

What it does
    Compares the labels of a question's replies, buttons and rows, ignoring
    case and spacing, and reports the repeats.

Why is this bad
    The person cannot tell the options apart, and on most platforms a typed
    answer can only match the first.

Example
    Bad:
        flow delivery:
          channel messenger
          trigger message keywords "delivery"
          step start:
            ask "When should we deliver?":
              reply "Today" -> today
              reply "today" -> asap
              otherwise -> today
          step today:
            say "We'll be there between 16:00 and 18:00."
            end
          step asap:
            say "A courier is on the way."
            end
    Good:
        flow delivery:
          channel messenger
          trigger message keywords "delivery"
          step start:
            ask "When should we deliver?":
              reply "Today" -> today
              reply "As soon as possible" -> asap
              otherwise -> today
          step today:
            say "We'll be there between 16:00 and 18:00."
            end
          step asap:
            say "A courier is on the way."
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Ask
from linter.rules.base import place, rule


@rule(code="BL506", name="duplicate-option-label", severity="warning", summary="two options share a label")
def RULE(ctx):
    for flow in ctx.flows():
        for node in walk_statements(flow):
            if not isinstance(node, Ask):
                continue
            seen: dict[str, object] = {}
            for option in node.replies + node.buttons + node.rows:
                key = " ".join(option.label.casefold().split())
                if key in seen:
                    first = seen[key]
                    yield ctx.finding(option, f"option label '{option.label}' repeats the one on "
                                      f"{place(first, option)}",
                                      "give each option a distinct label")
                else:
                    seen[key] = option
