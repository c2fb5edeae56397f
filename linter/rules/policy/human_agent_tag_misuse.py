"""BL703 human-agent-tag-misuse: a bot message carries the tag reserved for human agents.

What it does
    Reports a `say` with a message tag that the channel's policy profile
    reserves for people (HUMAN_AGENT on Messenger and Instagram). Every `say`
    in a flow is sent by the bot, so the tag is always misused there; when the
    message can also go out later than the tag's own limit after the
    person's last message (`window_hours` of the tag, 7 days), the finding
    says so too.

Why is this bad
    HUMAN_AGENT lets a human answer a question that took longer than 24
    hours. Meta forbids it for automated messages and can withdraw the
    permission, and past 7 days even a human's tagged reply is rejected.

Example
    Bad:
        flow quote:
          channel messenger
          trigger message keywords "office plan"
          step start:
            say "Thanks! You'll get the quote for your office plan by email today."
            wait 3d
            say "Any news on your side?" tag HUMAN_AGENT
            end
    Good:
        flow quote:
          channel messenger
          trigger message keywords "office plan"
          step start:
            say "Thanks! You'll get the quote for your office plan by email today."
            handoff to "Sales":
              owner "lena@example.com"
              sla 4h
              tell "Lena from our sales team will answer your questions here today."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. I'm the Brightbean bot: email sales@example.com for a reply today."
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Say
from linter.rules._wording import duration
from linter.rules.base import rule
from linter.rules.policy._common import outside_window, seconds_from_hours, tag_spec


@rule(code="BL703", name="human-agent-tag-misuse", severity="error",
      summary="human-agent message tag on an automated message")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        analysis = ctx.analysis(flow)
        for say in walk_statements(flow):
            if not isinstance(say, Say) or not say.tag:
                continue
            spec = tag_spec(policy, say.tag)
            if spec is None or spec.get("automated", True):
                continue
            message = f"{say.tag} is for replies a person writes, and this message is sent by the bot"
            limit = seconds_from_hours(spec, "window_hours")
            timing = analysis.timing(say)
            late = outside_window(flow, timing, limit) if limit is not None and timing else None
            if late:
                message += f"; it can also be sent {late}, and the tag allows {duration(limit)} at most"
            yield ctx.finding(say, message, "hand the conversation to a person (`handoff`), or drop the tag "
                                            "and send the message while the window is open")
