"""BL404 inhuman-volume: connection requests, follows, likes or messages at a rate no person keeps up.

What it does
    Works out how many times a day and a week an action can run, and
    compares that with what one person does on the flow's channel
    (`per_person` in the rule pack: per channel, per action verb, a `day`
    and/or `week` figure, each with its source). From the action:
    - `limit N per hour`: N for every hour the flow may send (its send
      window, or all 24 hours without one), times 7 for a week;
    - `limit N per day`: N a day, 7 N a week;
    - `limit N per week`: N a week, N / 7 a day on average;
    - `count N` without a limit: the whole batch at once, so N in one day
      (and one week); in a flow scheduled `every` some period, N per run.
    An action with neither a count nor a limit runs once per person the flow
    reaches, which the flow alone does not tell: it is not reported.
    Flows with no known channel, and channels or verbs the pack does not
    list (business messaging to subscribers on WhatsApp, Messenger, SMS or
    e-mail is not one person's account), are skipped.

Why is this bad
    Platforms measure personal accounts against what a person can do: a
    hundred connection requests a day or follows around the clock are how
    automation gets spotted. The account is restricted or banned, and the
    people on the other end got a request nobody meant.

Example
    Bad:
        sequence grow:
          channel linkedin
          trigger schedule every 1d
          step connect:
            action connect "Hi {first_name}, fellow coffee nerd here!" limit 80 per day
            end
    Good:
        sequence grow:
          channel linkedin
          trigger schedule every 1d
          step connect:
            action connect "Hi {first_name}, fellow coffee nerd here!" limit 12 per day
            end
"""

from typing import Literal

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import walk_statements
from linter.model.flow import Action, SendWindow, duration_seconds, time_minutes
from linter.rules.automation._common import network
from linter.rules.base import rule

_DAY = 86400
_WEEK = 7 * _DAY
_NOUNS = {"connect": "connection requests", "follow": "follows", "like": "likes", "message": "messages",
          "comment": "comments", "invite": "invitations", "post": "posts", "mention": "mentions",
          "email": "e-mails"}


class Options(RuleOptions):
    per_person: dict[str, dict[str, dict[Literal["day", "week"], int]]] = Field(description=(
        "the most one person does by hand: channel -> action verb -> {day: N, week: N}"))


@rule(code="BL404", name="inhuman-volume", severity="warning",
      summary="actions at a volume no person keeps up", options=Options)
def RULE(ctx):
    per_person = ctx.options.per_person or {}
    for flow in ctx.flows():
        channel = network(ctx.channel(flow))
        figures = per_person.get(channel) if channel else None
        if not figures:
            continue
        for action in walk_statements(flow):
            if not isinstance(action, Action) or not figures.get(action.action.value):
                continue
            volume = _volume(action, flow)
            if volume is None:
                continue
            over = _over(volume, figures[action.action.value])
            if over:
                noun = _NOUNS.get(action.action.value, f"'{action.action.value}' actions")
                day, week, how = volume
                yield ctx.finding(
                    action.limit or action,
                    f"{how} is {_number(day)} {noun} a day, {_number(week)} a week; one person on {channel} "
                    f"manages about {over}",
                    "lower it to what you would do by hand, or let people come to you")


def _volume(action: Action, flow) -> tuple[float, float, str] | None:
    """(most per day, most per week, how that follows from the flow), or None when the flow does not say."""
    if action.limit is not None:
        count, per = action.limit.count, action.limit.per
        if per == "hour":
            hours = _sending_hours(flow.window)
            return count * hours, count * hours * 7, f"limit {count} per hour over {hours:g} sending hours"
        if per == "day":
            return count, count * 7, f"limit {count} per day"
        return count / 7, count, f"limit {count} per week"
    if action.count:
        every = flow.trigger.every if flow.trigger is not None else None
        if every:
            seconds = duration_seconds(every)
            return (action.count * max(1, _DAY / seconds), action.count * max(1, _WEEK / seconds),
                    f"count {action.count} every {every}")
        return action.count, action.count, f"count {action.count} at once"
    return None


def _sending_hours(window: SendWindow | None) -> float:
    if window is None:
        return 24.0
    open_minutes = (time_minutes(window.end) - time_minutes(window.start)) % (24 * 60)
    return open_minutes / 60 if open_minutes else 24.0


def _over(volume: tuple[float, float, str], figures: dict) -> str | None:
    """The per-person figures the volume exceeds, as text ("20 a day, 100 a week"), or None."""
    day, week, _ = volume
    exceeded = [f"{figures[period]:g} a {period}" for period, amount in (("day", day), ("week", week))
                if figures.get(period) is not None and amount > figures[period]]
    return ", ".join(exceeded) or None


def _number(amount: float) -> str:
    return f"{round(amount, 1):g}"
