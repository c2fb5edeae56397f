"""BL406 cold-dm: messages to people who never opted in or wrote first.

What it does
    Reports a flow whose audience includes people who never agreed to hear
    from you (`audience everyone` or a `cold-list`) and that the business
    starts on its own (trigger `broadcast`, `schedule`, `event` or
    `tag-added`): the first message, question or `action message` it sends
    before anyone has written, with how many more follow before a reply.

    Not reported: flows the person starts (`message`, `comment`, `opt-in`);
    flows that start on a `follow`, `connection-accepted` or `subscribe`
    (the person moved first; what the bot then says is BL401's business, so
    one message is never reported twice for the same reason); a flow with no
    audience or no trigger (unknown); and transactional messages, which a
    person's own purchase caused: a platform message tag, or a template in
    one of `transactional_categories` (default utility, authentication). Connection requests are not messages: they are
    how one asks to talk, and their volume is BL404's.

Why is this bad
    Nobody sits down and messages a list of strangers one by one with the
    same text. Unsolicited DMs are spam under the platforms' rules and, for
    SMS, WhatsApp and e-mail, often under the law; they get reported, and
    the account or number is restricted.

Example
    Bad:
        sequence q3_outreach:
          channel linkedin
          trigger schedule at 10:00
          audience cold-list "leads-q3.csv"
          step pitch:
            say "Hi {first_name}, we help agencies cut onboarding time in half. Got 15 minutes this week?"
            end
    Good:
        sequence q3_outreach:
          channel linkedin
          trigger schedule at 10:00
          audience cold-list "leads-q3.csv"
          step knock:
            action connect "Hi {first_name}, loved your talk on agency onboarding. Happy to connect!" limit 12 per day
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.flow import AudienceKind, Say
from linter.rules.automation._common import BUSINESS_STARTED, UNCONSENTED, opening_messages
from linter.rules.base import rule


class Options(RuleOptions):
    transactional_categories: list[str] = Field(description=(
        "template categories that are receipts, notices or codes, not marketing (WhatsApp's utility, authentication)"))


@rule(code="BL406", name="cold-dm", severity="error", summary="messages people who never opted in or wrote first",
      options=Options)
def RULE(ctx):
    transactional = set(ctx.options.transactional_categories or [])
    for flow in ctx.flows():
        if flow.audience is None or flow.audience.kind not in UNCONSENTED:
            continue
        if flow.trigger is None or flow.trigger.kind not in BUSINESS_STARTED:
            continue
        cold = [sent for sent in opening_messages(flow, ctx.analysis(flow))
                if not _transactional(sent.node, transactional)]
        if not cold:
            continue
        who = _who(flow.audience)
        more = f" (and {len(cold) - 1} more before anyone replies)" if len(cold) > 1 else ""
        yield ctx.finding(cold[0].node, f"unsolicited message to {who}, started by a {flow.trigger.kind.value} "
                                        f"trigger, not by the person{more}",
                          "message only people who opted in or wrote to you; reach others with a connection "
                          "request, a post or an ad and let them start the conversation")


def _who(audience) -> str:
    if audience.kind == AudienceKind.everyone:
        return "everyone, including people who never opted in"
    return f"a cold list ('{audience.name}')" if audience.name else "a cold list"


def _transactional(node, categories: set[str]) -> bool:
    """A message tag or a template in a transactional category: an update about the person's own order."""
    return isinstance(node, Say) and (node.tag is not None or node.category in categories)
