"""BL708 sms-quiet-hours: SMS can go out at an hour the law forbids.

What it does
    On channels whose policy profile sets `allowed_hours` (SMS: 08:00-21:00
    recipient time under the US profile; 08:00-20:00 under the Florida,
    Maryland, Mississippi, New Jersey and Oklahoma profiles) it reports:
    - a recurring program (a `sequence`, a `broadcast` or `schedule` trigger,
      or one that repeats `every ...`) with no `window`: its messages can go
      out at any hour;
    - a recurring program's `window` that starts earlier or ends later than
      the allowed hours (or wraps past midnight);
    - a `wait until` or a trigger's `at` outside the allowed hours, unless a
      send window holds the message back to a time inside them.
    Messages that answer the person's own text are not solicitations, so a
    `flow` that answers is not required to have a window; only the times it
    schedules itself (`wait until`) are checked. Pick a state profile with
    `policy = {sms = "us-fl"}`, or turn the policy off with "none".

Why is this bad
    US telemarketing rules (47 CFR 64.1200(c)(1)) forbid solicitations
    before 8 am and after 9 pm at the recipient's location, and several
    states allow even less. Every message sent outside those hours is a
    separate violation with statutory damages.

Example
    Bad:
        sequence tips:
          channel sms
          trigger subscribe
          step one:
            wait until 07:00
            say "Morning, {first_name|there}! Brightbean tip: rinse paper filters with hot water first. Reply STOP to opt out."
            end
    Good:
        sequence tips:
          channel sms
          trigger subscribe
          window 09:00-20:00 recipient
          step one:
            wait until 09:30
            say "Hi {first_name|there}! Brightbean tip: rinse paper filters with hot water first. Reply STOP to opt out."
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import WaitUntil, time_minutes
from linter.rules.base import rule
from linter.rules.policy._common import in_hours, is_recurring


@rule(code="BL708", name="sms-quiet-hours", severity="error",
      summary="SMS can be sent outside the hours the law allows")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow) or {}
        allowed = policy.get("allowed_hours")
        if not isinstance(allowed, dict):
            continue
        start, end = allowed["start"], allowed["end"]
        hours_text = f"{start}-{end} recipient time ({policy.get('law', policy.get('profile'))})"
        window = flow.window
        if is_recurring(flow):
            if window is None:
                yield ctx.finding(flow, f"{flow.kind} '{flow.name}' sends on its own schedule with no send window: "
                                        f"messages can go out at any hour; allowed: {hours_text}",
                                  f"add `window {start}-{end} recipient` (or narrower)")
            elif not _window_inside(window, start, end):
                yield ctx.finding(window, f"send window {window.start}-{window.end} reaches people outside "
                                          f"{hours_text}", f"narrow it to `window {start}-{end} recipient`")
        for node, time_of_day in _scheduled_times(flow):
            minutes = time_minutes(time_of_day)
            if in_hours(minutes, start, end) or (window is not None and not _in_window(minutes, window)):
                continue
            yield ctx.finding(node, f"a message can go out at {time_of_day}, outside {hours_text}",
                              f"pick a time between {start} and {end}, or add a send window that holds it back")


def _scheduled_times(flow):
    if flow.trigger is not None and flow.trigger.at is not None:
        yield flow.trigger, flow.trigger.at
    for statement in walk_statements(flow):
        if isinstance(statement, WaitUntil):
            yield statement, statement.wait_until


def _window_inside(window, start: str, end: str) -> bool:
    opens, closes = time_minutes(window.start), time_minutes(window.end)
    return time_minutes(start) <= opens < closes <= time_minutes(end)


def _in_window(minutes: int, window) -> bool:
    opens, closes = time_minutes(window.start), time_minutes(window.end)
    if opens < closes:
        return opens <= minutes < closes
    return minutes >= opens or minutes < closes  # wraps past midnight (or is open all day)
