"""BL402 follow-up-barrage: more unanswered follow-ups, or follow-ups closer together, than a person would send.

What it does
    A follow-up is a message sent after a wait to a person who has not
    answered the previous one (the analysis counts these "touches" on every
    path). It reports each message that can be
    - a follow-up beyond `max_followups` (default 3) in a row without a
      reply, or
    - sent less than `min_gap_days` (default 2) days after the previous
      unanswered message,
    once, with the number and the gap. A pause shorter than an hour between
    two bubbles is pacing within one sitting, not a new follow-up. What a
    handoff sends when nobody from the team answers in time (`unanswered ->
    step`) answers the person's wait: it is no follow-up, and counting starts
    again from it. In a flow the person asked for (trigger `opt-in` or
    `subscribe`, or an `event` of theirs such as a booking, sent to an
    `opted-in` audience: the reminders of their appointment) the scheduled
    messages are the series they asked for: only
    messages inside `followup after` blocks (which run because the person has
    not replied) are checked there, and only for their spacing, since the
    count would include the series itself.

Why is this bad
    Someone who has not answered three messages has answered. A fourth and a
    fifth, or a nudge the next morning, is what makes a cadence feel like a
    machine: people block the sender or report it as spam, which hurts
    every later message from the account.

Example
    Bad:
        sequence cadence:
          channel linkedin
          trigger connection-accepted
          step one:
            say "Thanks for connecting, {first_name}! How do you handle onboarding today?"
            followup after 1d:
              say "Just bumping this up."
            followup after 1d:
              say "Any thoughts?"
            end
    Good:
        sequence cadence:
          channel linkedin
          trigger connection-accepted
          step one:
            say "Thanks for connecting, {first_name}! How do you handle onboarding today?"
            followup after 4d:
              say "No pressure: if onboarding isn't on your plate this quarter, I'll leave it there."
            end
"""

from dataclasses import dataclass

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import walk_step
from linter.model.flow import AudienceKind, FollowUp, Say, TriggerKind

from linter.rules._wording import duration
from linter.rules.base import rule

_DAY = 86400


class Options(RuleOptions):
    max_followups: int = Field(ge=0, description="the most follow-ups to a person who has not answered")
    min_gap_days: float = Field(ge=0, description="the shortest wait, in days, before a follow-up")


@rule(code="BL402", name="follow-up-barrage", severity="warning",
      summary="more unanswered follow-ups, or closer together, than a person would send",
      options=Options)
def RULE(ctx):
    max_followups = ctx.options.max_followups
    min_gap = (ctx.options.min_gap_days or 0) * _DAY
    for flow in ctx.flows():
        chasers = _chasers(flow) if _asked_for(flow) else None
        for message, facts in _followups(flow, ctx.analysis(flow)):
            if chasers is not None and id(message) not in chasers:
                continue
            problems = []
            if max_followups is not None and facts.number > max_followups and chasers is None:
                problems.append(_too_many(facts, max_followups))
            if facts.gap[0] < min_gap:
                problems.append(f"sent {duration(facts.gap[0])} after the previous unanswered message "
                                f"(less than {min_gap / _DAY:g} days)")
            if problems:
                yield ctx.finding(message, "; ".join(problems),
                                  "send fewer follow-ups, further apart, and stop when the person does not answer")


def _too_many(facts, max_followups: int) -> str:
    if facts.in_loop:
        return f"follow-ups without a reply repeat in a loop, with no limit (more than {max_followups})"
    return f"follow-up number {facts.number} without a reply (more than {max_followups})"


def _asked_for(flow) -> bool:
    """The series is one the person asked for: they opted in or subscribed to it, or it follows an
    event of theirs (a booking, a registration) and goes to people who opted in to messages."""
    if flow.trigger is None:
        return False
    if flow.trigger.kind in (TriggerKind.opt_in, TriggerKind.subscribe):
        return True
    return (flow.trigger.kind == TriggerKind.event and flow.audience is not None
            and flow.audience.kind == AudienceKind.opted_in)


def _chasers(flow) -> set[int]:
    """Messages inside `followup after` blocks: sent because the person has not replied."""
    found: set[int] = set()

    def collect(statements, inside: bool) -> None:
        for statement in statements:
            if isinstance(statement, FollowUp):
                collect(statement.do, True)
            elif inside and isinstance(statement, Say):
                found.add(id(statement))

    for step in flow.steps:
        collect(step.do, False)
    return found


@dataclass
class _FollowUp:
    number: int  # the most follow-ups in a row, without a reply, this message can be
    gap: tuple[float, float]  # time since the previous unanswered message
    in_loop: bool  # its step can lead back to itself: the number has no limit


def _followups(flow, analysis) -> list[tuple[Say, _FollowUp]]:
    """Every message that can be a follow-up, with its number and gap (from the analysis)."""
    followups = [(message, timing) for message, timing in analysis.outgoing_messages() if timing.followup_number]
    if not followups:
        return []
    looping = {id(statement) for cycle in analysis.step_cycles() for name in cycle
               for statement in walk_step(analysis.steps[name])}
    return [(message, _FollowUp(timing.followup_number, timing.gap_before, id(message) in looping))
            for message, timing in followups]
