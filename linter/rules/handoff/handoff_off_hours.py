"""BL306 handoff-off-hours: a handoff with business hours says nothing outside them.

What it does
    Reports a `handoff` that declares business `hours` but has no
    `off-hours` message, when the flow can reach it outside those hours.
    It can unless the flow's send window lies inside the business hours on
    every day of the week, in the same time zone. A handoff without `hours`
    is not reported: when the team works is unknown.

Why is this bad
    People write at night and on weekends. If the bot hands them over to a
    team that is not there and says nothing about it, they wait, write
    again, and leave before Monday morning.

Example
    Bad:
        flow support:
          channel webchat
          trigger message keywords "help"
          step start:
            handoff to "Support":
              owner "ana@example.com"
              sla 2h
              hours mon-fri 09:00-17:00 "Europe/Berlin"
              tell "Ana will answer here within 2 hours."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email care@example.com and we'll answer today."
            end
    Good:
        flow support:
          channel webchat
          trigger message keywords "help"
          step start:
            handoff to "Support":
              owner "ana@example.com"
              sla 2h
              hours mon-fri 09:00-17:00 "Europe/Berlin"
              tell "Ana will answer here within 2 hours."
              unanswered -> sorry
              off-hours "We're offline now; Ana will answer on the next working day by 10:00."
          step sorry:
            say "Sorry, nobody got to you in time. Email care@example.com and we'll answer today."
            end
"""

from linter.model.flow import time_minutes
from linter.rules.base import rule
from linter.rules.handoff._common import handoffs

_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = 24 * 60


@rule(code="BL306", name="handoff-off-hours", severity="warning",
      summary="handoff with business hours but no off-hours message")
def RULE(ctx):
    for flow in ctx.flows():
        for handoff, _ in handoffs(flow):
            hours = handoff.hours
            if hours is None or handoff.off_hours or _window_inside(flow.window, hours):
                continue
            closed = [day for day in _WEEK if day not in hours.days]
            when = f"on {', '.join(closed)} or " if closed else ""
            yield ctx.finding(handoff, f"handoff works {_days(hours.days)} {hours.start}-{hours.end} but has "
                              f"no `off-hours` message: people who reach it {when}outside those hours hear nothing",
                              'add `off-hours "We\'re offline now; we\'ll answer tomorrow by 10:00."`')


def _days(days: list[str]) -> str:
    """mon-fri for a run of days in week order, else the days listed."""
    ordered = sorted(set(days), key=_WEEK.index)
    first, last = _WEEK.index(ordered[0]), _WEEK.index(ordered[-1])
    if len(ordered) > 1 and last - first + 1 == len(ordered):
        return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(ordered)


def _window_inside(window, hours) -> bool:
    """The flow only sends inside the business hours, every day."""
    if window is None or set(hours.days) != set(_WEEK):
        return False
    if hours.timezone is not None and hours.timezone != window.timezone:
        return False  # different clocks: the window proves nothing
    return _within(_span(window.start, window.end), _span(hours.start, hours.end))


def _span(start: str, end: str) -> tuple[int, int]:
    """A daily time range in minutes; one that passes midnight ends on the next day."""
    low, high = time_minutes(start), time_minutes(end)
    return low, high if high > low else high + _DAY


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return any(outer[0] <= inner[0] + shift and inner[1] + shift <= outer[1] for shift in (0, _DAY))
