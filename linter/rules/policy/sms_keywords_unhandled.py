"""BL709 sms-keywords-unhandled: a recurring SMS program has no reply to STOP, HELP and the other keywords.

What it does
    For each recurring program (a `sequence`, a `broadcast` or `schedule`
    trigger, or one that repeats) on a channel whose policy profile lists
    `opt_out_keywords` and `help_keywords` (SMS: STOP, END, CANCEL,
    UNSUBSCRIBE, QUIT and HELP), looks in the same file for flows on the same
    channel with `trigger message keywords ...` whose first statement is a
    `say` (the confirmation), and reports the program when a keyword has no
    such flow. Keywords match without regard to case. Set
    `platform_handles_keywords: true` when your SMS provider answers these
    keywords itself.

Why is this bad
    Carriers and the CTIA Messaging Principles require every recurring
    program to honour these keywords and confirm an opt-out with one last
    message; programs that do not are filtered or suspended, and texting
    someone who said STOP is a TCPA violation.

Example
    Bad:
        sequence tips:
          channel sms
          trigger subscribe
          window 09:00-20:00 recipient
          step one:
            say "Hi {first_name|there}! Brightbean tips: one brewing tip a week. Reply STOP to opt out."
            end
    Good:
        sequence tips:
          channel sms
          trigger subscribe
          window 09:00-20:00 recipient
          step one:
            say "Hi {first_name|there}! Brightbean tips: one brewing tip a week. Reply STOP to opt out."
            end
        flow stop:
          channel sms
          trigger message keywords "STOP", "END", "CANCEL", "UNSUBSCRIBE", "QUIT"
          step confirm:
            say "Brightbean: you're unsubscribed and won't get more texts."
            end
        flow help:
          channel sms
          trigger message keywords "HELP"
          step info:
            say "Brightbean tips: 1 msg/week. Questions: hello@brightbean.example. Reply STOP to opt out."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.flow import Say, TriggerKind
from linter.rules.base import rule
from linter.rules.policy._common import is_recurring


class Options(RuleOptions):
    platform_handles_keywords: bool = Field(description=(
        "true when your SMS provider answers STOP and HELP itself, so the flows need not"))


@rule(code="BL709", name="sms-keywords-unhandled", severity="error",
      summary="recurring SMS program does not answer STOP, HELP and the other required keywords",
      options=Options)
def RULE(ctx):
    if ctx.options.platform_handles_keywords:
        return
    for flow in ctx.flows():
        policy = ctx.policy(flow) or {}
        required = [str(k).upper() for k in policy.get("opt_out_keywords", []) + policy.get("help_keywords", [])]
        if not required or not is_recurring(flow):
            continue
        handled, unconfirmed = _handled_keywords(ctx, ctx.channel(flow))
        missing = [keyword for keyword in required if keyword not in handled]
        if not missing:
            continue
        silent = [keyword for keyword in missing if keyword in unconfirmed]
        quoted = ", ".join(f'"{keyword}"' for keyword in missing)
        hint = (f"start the flow for {', '.join(silent)} with a `say` that confirms it" if silent else
                f"add a flow with `trigger message keywords {quoted}` that confirms with a `say`")
        yield ctx.finding(flow, f"{flow.kind} '{flow.name}' is a recurring {ctx.channel(flow)} program, but no flow "
                                f"in this file answers {', '.join(missing)}", hint)


def _handled_keywords(ctx, channel: str) -> tuple[set[str], set[str]]:
    """Keywords answered with a confirmation, and keywords caught by a flow that does not confirm."""
    handled: set[str] = set()
    unconfirmed: set[str] = set()
    for flow in ctx.flows():
        trigger = flow.trigger
        if ctx.channel(flow) != channel or trigger is None or trigger.kind != TriggerKind.message:
            continue
        keywords = {keyword.strip().upper() for keyword in trigger.keywords}
        first = flow.steps[0].do[0] if flow.steps and flow.steps[0].do else None
        (handled if isinstance(first, Say) else unconfirmed).update(keywords)
    return handled, unconfirmed
