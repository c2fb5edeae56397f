"""BL405 quiet-hours: messages scheduled for the night, or by a clock the recipients do not live by.

What it does
    Reports, as warnings, times that send at night (`quiet_hours`, default
    21:00-08:00, may wrap midnight):
    - a send window that overlaps the quiet hours, in a flow that sends
      something the person did not just ask for (a scheduled or follow-up
      message); windows may wrap midnight too;
    - a `wait until` a night time;
    - a schedule trigger `at` a night time (on the account's clock).
    A night `wait until` or `at` in a flow whose send window stays out of the
    quiet hours is fine: the window holds the message until morning.

    And, as information (one level below the rule's severity) and once per
    flow, a window, `wait until` or `at` on one clock (a named time zone; a
    schedule's `at` always is) when the audience is `everyone`, a
    `cold-list` or a `segment`: nothing says those people live in one time
    zone, so the same hour is night for some of them. A send window in the
    recipient's zone fixes that for the waits and schedules it covers.

    Channels whose policy profile sets legal send hours (SMS in the US) are
    left to BL708, so one night send gives one finding.

Why is this bad
    A message at 23:40 wakes people up or lands on a locked screen under a
    pile of notifications; no person would send it then. Recipients mute,
    block or report the sender, and some countries restrict marketing
    messages at night.

Example
    Bad:
        sequence restock:
          channel whatsapp
          trigger broadcast "Restock alerts"
          audience opted-in
          window 08:00-23:00 recipient
          step alert:
            say "Your favourite beans are back, {first_name}!" template "restock" category utility
            end
    Good:
        sequence restock:
          channel whatsapp
          trigger broadcast "Restock alerts"
          audience opted-in
          window 09:00-20:00 recipient
          step alert:
            say "Your favourite beans are back, {first_name}!" template "restock" category utility
            end
"""

import re

from pydantic import Field, field_validator

from linter.core.options import RuleOptions
from linter.model.analysis import walk_statements
from linter.model.flow import WaitUntil, time_minutes
from linter.rules.automation._common import SCATTERED, direct_messages, milder
from linter.rules.base import rule

_DAY_MINUTES = 24 * 60
_RANGE_RE = re.compile(r"^\s*([0-9]{1,2}:[0-9]{2})\s*-\s*([0-9]{1,2}:[0-9]{2})\s*$")
_FIX_ZONE = "use the recipient's time zone (`window 09:00-20:00 recipient`) so each person gets it by day"


class Options(RuleOptions):
    quiet_hours: str | None = Field(description=(
        "the night in the recipient's time, as HH:MM-HH:MM (it may wrap midnight); null turns the rule off"))

    @field_validator("quiet_hours")
    @classmethod
    def _a_range_of_times(cls, value: str | None) -> str | None:
        match = _RANGE_RE.match(value) if value is not None else None
        if value is not None and (not match or any(int(part.split(":")[0]) > 23 or int(part.split(":")[1]) > 59
                                                   for part in match.groups())):
            raise ValueError(f"'{value}' is not a range of times HH:MM-HH:MM")
        return value


@rule(code="BL405", name="quiet-hours", severity="warning",
      summary="messages scheduled at night in the recipient's time", options=Options)
def RULE(ctx):
    quiet = _quiet_hours(ctx.options.quiet_hours)
    if quiet is None:
        return
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        if policy is not None and policy.get("allowed_hours"):
            continue  # the channel's legal send hours apply (BL708): one finding per night send
        analysis = ctx.analysis(flow)
        messages = list(direct_messages(flow, analysis))
        if not messages:
            continue
        window = flow.window
        night_window = _overlap(_minutes(window.start, window.end), quiet) if window is not None else []
        held_to_day = window is not None and not night_window  # the window holds night sends until morning
        fixed_clocks = []  # (node, what): times on one clock, for the information below
        if window is not None and any(_scheduled(timing) for _, timing in messages):
            if night_window:
                yield ctx.finding(window, f"send window {window.start}-{window.end} ({_zone(window.timezone)}) "
                                          f"overlaps the quiet hours {_show(quiet)}: {_show(night_window)}",
                                  "keep the window inside the day, e.g. 09:00-20:00")
            elif window.timezone != "recipient":
                fixed_clocks.append((window, f"send window {window.start}-{window.end} ({window.timezone})"))
        times = [(wait, "wait until", wait.wait_until, wait.timezone) for wait in walk_statements(flow)
                 if isinstance(wait, WaitUntil) and analysis.timing(wait) is not None]
        if flow.trigger is not None and flow.trigger.at is not None:
            times.append((flow.trigger, "schedule at", flow.trigger.at, "the account's clock"))
        for node, what, at, zone in times:
            if _contains(quiet, time_minutes(at)) and not held_to_day:
                yield ctx.finding(node, f"{what} {at} ({_zone(zone)}) sends at night (quiet hours {_show(quiet)})",
                                  "send in the day, e.g. 09:00-20:00, or add a daytime send window")
            elif zone != "recipient":
                fixed_clocks.append((node, f"{what} {at} ({zone})"))
        by_recipient = window is not None and window.timezone == "recipient"
        scattered = flow.audience is not None and flow.audience.kind in SCATTERED
        if fixed_clocks and scattered and not by_recipient:
            node, what = min(fixed_clocks, key=lambda item: _line(item[0]))
            more = f" (and {len(fixed_clocks) - 1} more on one clock)" if len(fixed_clocks) > 1 else ""
            yield milder(ctx.finding(node, f"{what} is on one clock for {_audience(flow)}, whose people may live "
                                           f"in other time zones{more}", _FIX_ZONE), ctx.severity)


def _quiet_hours(option: str | None) -> list[tuple[int, int]] | None:
    """The quiet hours as minute intervals (the option was checked when the pack was loaded)."""
    if not option:
        return None
    match = _RANGE_RE.match(option)
    return _minutes(match[1], match[2])


def _minutes(start: str, end: str) -> list[tuple[int, int]]:
    """A range of the day as minute intervals within one day; a range that wraps midnight is two."""
    first, last = time_minutes(start), time_minutes(end)
    if first == last:
        return [(0, _DAY_MINUTES)]
    if first < last:
        return [(first, last)]
    return [(first, _DAY_MINUTES), (0, last)]


def _overlap(ranges: list[tuple[int, int]], quiet: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted((max(a, c), min(b, d)) for a, b in ranges for c, d in quiet if max(a, c) < min(b, d))


def _show(ranges: list[tuple[int, int]]) -> str:
    """Minute intervals as times; an interval ending at midnight joins one starting at it."""
    joined = [list(pair) for pair in ranges]
    late = next((pair for pair in joined if pair[1] == _DAY_MINUTES), None)
    early = next((pair for pair in joined if pair[0] == 0), None)
    if late is not None and early is not None and late is not early:
        late[1] = early[1]
        joined.remove(early)
    return ", ".join(f"{_clock(start)}-{_clock(end)}" for start, end in joined)


def _clock(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def _contains(ranges: list[tuple[int, int]], minute: int) -> bool:
    return any(start <= minute < end for start, end in ranges)


def _line(node) -> int:
    return node.span.line if node.span else 0


def _zone(timezone: str) -> str:
    return "the recipient's time" if timezone == "recipient" else timezone


def _audience(flow) -> str:
    audience = flow.audience
    return f"audience {audience.kind.value}" + (f" '{audience.name}'" if audience.name else "")


def _scheduled(timing) -> bool:
    """Sent on the flow's schedule rather than as the answer to what the person just wrote."""
    return timing.user_silent_path or timing.since_user[0] > 0
