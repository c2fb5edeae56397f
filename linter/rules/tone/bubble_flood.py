"""BL106 bubble-flood: too many bot messages in a row before the person can answer.

What it does
    Counts the bot's bubbles (messages and a handoff's note) sent one after
    another since the person last wrote, or since the trigger, over every
    path through the flow. When more than `max_in_a_row` are sent at once,
    it reports the run once, at the first bubble past the limit. The
    question that ends a run is not counted: it is the person's turn
    (a greeting, two lines of context and a question read as one screen);
    nor is a message ending in a question mark right before `wait for
    reply` or `end` (how imported platforms ask: a Rasa story's last
    response before the person's next turn). A run ends when the person can
    answer (a question, `wait for reply`) or after a real wait; a pause of at most
    `burst_seconds` (a typing delay) does not end it. So a drip with waits
    between its messages is not a flood, but four bubbles at once after the
    wait are.

Why is this bad
    A stack of bubbles scrolls the first ones off the screen before they are
    read, buzzes the phone again and again, and gives the person no moment
    to answer. Fewer, fuller bubbles and an early question keep it a
    conversation.

Example
    Bad:
        flow welcome:
          channel messenger
          trigger message
          step welcome:
            say "Hi there!"
            say "Welcome to Brightbean."
            say "We roast coffee in Hamburg."
            say "We ship all over Europe."
            ask "What can I do for you?":
              reply "Shop coffee" -> shop
              otherwise -> shop
          step shop:
            say "Here's our shop: https://brightbean.example"
            end
    Good:
        flow welcome:
          channel messenger
          trigger message
          step welcome:
            say "Hi there! Welcome to Brightbean: we roast coffee in Hamburg and ship all over Europe."
            ask "What can I do for you?":
              reply "Shop coffee" -> shop
              otherwise -> shop
          step shop:
            say "Here's our shop: https://brightbean.example"
            end
"""

import re

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import INF
from linter.model.flow import Ask, End, FollowUp, Handoff, Say, Wait, WaitForReply, WaitUntil, duration_seconds
from linter.rules.base import rule
from linter.rules.tone._common import step_statements

_QUESTION_MARKS = ("?", "？", "؟", "\u037e")  # the last is the Greek question mark
# What may follow a question's mark: spaces, emoji, closing quotes and brackets ("Anything else? 😊").
# What may close a question after its mark: blanks, closing quotes and brackets, emoji.
_TRAILING_CHAR = re.compile(r"[\s\"'”’»)\]\u200d\ufe0f\U0001F000-\U0001FAFF\u2600-\u27BF]")


class Options(RuleOptions):
    max_in_a_row: int = Field(ge=1, description="the most bubbles the bot sends in a row without waiting")
    burst_seconds: int = Field(ge=0, description="bubbles closer together than this count as one burst")


@rule(code="BL106", name="bubble-flood", severity="warning",
      summary="too many bot messages in a row before the person can answer",
      options=Options)
def RULE(ctx):
    limit, burst = ctx.options.max_in_a_row, ctx.options.burst_seconds or 0
    if not limit:
        return
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        for step in flow.steps:
            # The analysis counts bubbles since the person last wrote; a run starts after the person
            # answers or after a real wait. `before`: bubbles sent before this run (None: unknown,
            # the run started in an earlier step). `previous`: the run's length at its last bubble.
            before = previous = None
            statements = list(step_statements(step.do))
            for index, statement in enumerate(statements):
                timing = analysis.timing(statement)
                following = statements[index + 1] if index + 1 < len(statements) else None
                count = None if _closing_question(statement, following) else _bubbles_in_a_row(statement, timing)
                if count is not None:
                    in_run = count - (before or 0)
                    # Report once per run, where it crosses the limit; a run that began in an earlier
                    # step crossed it there unless this is exactly the first bubble past it.
                    crossed = in_run > limit and (previous <= limit if previous is not None else in_run == limit + 1)
                    if crossed and (before is not None or _sent_at_once(timing, burst)):
                        yield ctx.finding(statement, f"{in_run} bot messages in a row before the person can "
                                          f"answer (more than {limit})",
                                          "merge bubbles, or let the person answer sooner with a question "
                                          "or quick replies")
                    previous = in_run
                restart = _new_run(statement, timing, burst)
                if restart is not None:
                    before, previous = restart, None


def _closing_question(statement, following) -> bool:
    """A message that asks, right before the bot waits or stops talking: the question that hands
    the person their turn, as an `ask` does ("Anything else I can help with?" then `wait for reply`)."""
    return (isinstance(statement, Say) and isinstance(following, (WaitForReply, End))
            and _without_trailing(statement.say).endswith(_QUESTION_MARKS))


def _without_trailing(text: str) -> str:
    """The text without what closes it after its last mark, scanned from the end (a `[...]+$`
    pattern would try every start in a long run of blanks inside the text: quadratic)."""
    end = len(text)
    while end and _TRAILING_CHAR.match(text, end - 1):
        end -= 1
    return text[:end]


def _bubbles_in_a_row(statement, timing) -> int | None:
    """The most bot bubbles in a row up to and including this one; None if it is not a bubble or never runs."""
    if timing is None:
        return None
    if isinstance(statement, Say):
        return timing.bot_streak
    # A handoff's note is one more bubble after the messages before it. A question is not: it is
    # where the person can answer ("Hi!", two lines of context, then the question reads fine).
    if isinstance(statement, Handoff) and (statement.tell or statement.off_hours):
        return timing.bot_streak + 1
    return None


def _new_run(statement, timing, burst: float) -> int | None:
    """After this statement a new run begins: the bubbles already sent before it; None if the run goes on."""
    if timing is None:
        return None
    if isinstance(statement, (Ask, WaitForReply)):
        return 0  # what follows comes after the person's answer
    waited = (isinstance(statement, WaitUntil)
              or (isinstance(statement, Wait) and duration_seconds(statement.wait) > burst)
              or (isinstance(statement, FollowUp) and duration_seconds(statement.followup_after) > burst))
    return timing.bot_streak if waited else None  # a typing pause does not give the person a turn


def _sent_at_once(timing, burst: float) -> bool:
    """No real wait since the person last wrote (or, in cold outreach, since the trigger), on some path."""
    if timing.since_user[0] != INF and timing.since_user[0] > burst:
        return False
    return not (timing.user_silent_path and timing.since_trigger[0] > burst)
