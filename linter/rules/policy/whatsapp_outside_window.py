"""BL705 whatsapp-outside-window: a free-form WhatsApp message can go out after the service window closes.

What it does
    On channels whose policy profile allows only approved templates outside
    the customer-service window (WhatsApp), reports each `say` without
    `template` that can be sent more than `window_hours` (24) after the
    person's last message: after a `wait`, a follow-up or a loop, or in a
    broadcast, schedule or event flow that reaches people who have not
    written. Time comes from the flow analysis, over every path, including
    the time a send window can hold a message back. Flows with no trigger
    are skipped; after a `subscribe` or `tag-added` trigger only messages later
    than the window after the trigger are judged. Questions are not checked:
    one right after a template usually stands for the template's own
    quick-reply buttons.

Why is this bad
    The WhatsApp Business Platform refuses free-form messages outside the
    24-hour customer-service window (a re-engagement error): the person
    gets nothing, and the flow carries on as if they had.

Example
    Bad:
        flow table:
          channel whatsapp
          trigger message keywords "book"
          step booked:
            say "Booked: a table for 2 on Friday at 19:30."
            wait 2d
            say "Your table for Friday is still reserved."
            end
    Good:
        flow table:
          channel whatsapp
          trigger message keywords "book"
          step booked:
            say "Booked: a table for 2 on Friday at 19:30."
            wait 2d
            say "Your table for Friday is still reserved." template "table_reminder" category utility
            end
"""

from linter.rules.base import rule
from linter.rules.policy._common import outside_window, seconds_from_hours


@rule(code="BL705", name="whatsapp-outside-window", severity="error",
      summary="free-form message can be sent outside the 24-hour service window")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        if policy is None or policy.get("outside_window") != "templates":
            continue
        limit = seconds_from_hours(policy, "window_hours")
        if limit is None:
            continue
        for say, timing in ctx.analysis(flow).outgoing_messages():
            if say.template:
                continue
            when = outside_window(flow, timing, limit)
            if when is not None:
                yield ctx.finding(
                    say, f"free-form message can be sent {when}; {ctx.channel(flow)} allows only approved "
                         f"templates later than {policy['window_hours']} hours after the person's last message",
                    "send it as an approved template (`template \"name\" category utility|marketing`), "
                    "or only after the person writes again")
