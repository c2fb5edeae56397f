"""BL702 promotional-message-tag: a message sent with a message tag promotes something.

What it does
    Reports a `say` that carries a message tag of its channel's policy
    profile (CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE,
    HUMAN_AGENT) and whose text has promotional wording from the flow's
    lexicon: calls to buy (`pitch.cta`), discounts and coupons
    (`pitch.discount`), pressure (`urgency`) and product announcements
    (`policy.promo_announcement`). A discount already applied to the
    person's order ("your 10% discount was applied") is a receipt, not an
    offer (`policy.applied_discount`). Languages without a lexicon are skipped.

Why is this bad
    Message tags exist for personal, non-promotional updates; Meta forbids
    deals, offers, coupons and discounts in tagged messages, and misuse can
    restrict the page's messaging.

Example
    Bad:
        flow shipped:
          channel messenger
          trigger event "order-shipped"
          step notify:
            say "Your order has shipped! Use code THANKS15 for 15% off your next bag." tag POST_PURCHASE_UPDATE
            end
    Good:
        flow shipped:
          channel messenger
          trigger event "order-shipped"
          step notify:
            say "Your order has shipped and should arrive on Thursday." tag POST_PURCHASE_UPDATE
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Say
from linter.rules._wording import quote_all
from linter.rules.base import rule
from linter.rules.policy._common import message_tags, promotional_matches


@rule(code="BL702", name="promotional-message-tag", severity="error",
      summary="tagged message carries promotional content")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        tags = message_tags(policy)
        if not tags:
            continue
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        for say in walk_statements(flow):
            if not isinstance(say, Say) or not say.tag or say.tag.upper() not in tags:
                continue
            found = promotional_matches(lexicon, say.say)
            if found:
                yield ctx.finding(say, f"message tagged {say.tag} promotes: {quote_all(match.text for match in found)}; "
                                       f"message tags may not carry promotional content",
                                  f"keep the tagged update factual; send the offer untagged, within "
                                  f"{policy.get('window_hours')} hours of the person's last message")
