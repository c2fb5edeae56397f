"""BL710 sms-first-message-no-opt-out: the first text of a recurring SMS program does not say how to stop.

What it does
    For each recurring program (a `sequence`, a `broadcast` or `schedule`
    trigger, or one that repeats) on a channel whose policy profile lists
    `opt_out_keywords` (SMS), takes the messages the person gets first: the
    opening messages of the entry step, up to the first question or wait,
    following `goto` and fall-through. It reports the first of them when none
    says how to opt out (lexicon `opt_out`: "Reply STOP to opt out",
    "Antworte STOP zum Abmelden"...). Languages without a lexicon are skipped.

Why is this bad
    The CTIA Messaging Principles, which US carriers enforce, require the
    first message of a recurring program to tell people how to opt out.
    Without it carriers filter the program, and people who cannot find the
    way out report the number as spam.

Example
    Bad:
        sequence tips:
          channel sms
          trigger subscribe
          window 09:00-20:00 recipient
          step one:
            say "Hi {first_name|there}, welcome to Brightbean brewing tips! First one tomorrow."
            end
    Good:
        sequence tips:
          channel sms
          trigger subscribe
          window 09:00-20:00 recipient
          step one:
            say "Hi {first_name|there}, welcome to Brightbean brewing tips: 1 msg/week. Reply HELP for help, STOP to opt out."
            end
"""

from linter.rules.base import rule
from linter.rules.policy._common import is_recurring, message_text, opening_messages


@rule(code="BL710", name="sms-first-message-no-opt-out", severity="error",
      summary="first message of a recurring SMS program does not say how to opt out")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow) or {}
        if not policy.get("opt_out_keywords") or not is_recurring(flow):
            continue
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        analysis = ctx.analysis(flow)
        opening = opening_messages(flow, analysis, analysis.entry)
        if opening and not any(lexicon.find("opt_out", message_text(m, options=False)) for m in opening):
            keyword = str(policy["opt_out_keywords"][0]).upper()
            yield ctx.finding(opening[0], f"first message of {flow.kind} '{flow.name}' does not say how to opt out",
                              f"add e.g. \"Reply {keyword} to opt out\" to the first message")
