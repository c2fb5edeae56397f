"""BL706 utility-template-marketing: a utility template carries marketing wording.

What it does
    On channels whose policy profile has template categories (WhatsApp),
    reports a `say ... template "name" category utility` whose text has
    promotional wording from the flow's lexicon: calls to buy (`pitch.cta`),
    discounts and coupons (`pitch.discount`), pressure (`urgency`) and
    product announcements (`policy.promo_announcement`). A discount already
    applied to the person's order is not an offer. Languages without a
    lexicon are skipped.

Why is this bad
    Meta reviews every template and moves a utility template with any
    promotional content to the marketing category: it is then priced and
    delivered as marketing, costs more and falls under Meta's per-person
    limits on marketing messages, so sends that counted on it as utility
    get throttled or dropped.

Example
    Bad:
        flow shipped:
          channel whatsapp
          trigger event "order-shipped"
          step notify:
            say "On its way! Shop now: 10% off your next order." template "shipped" category utility
            end
    Good:
        flow shipped:
          channel whatsapp
          trigger event "order-shipped"
          step notify:
            say "Your order is on its way, arriving Thursday." template "shipped" category utility
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Say
from linter.rules._wording import quote_all
from linter.rules.base import rule
from linter.rules.policy._common import promotional_matches


@rule(code="BL706", name="utility-template-marketing", severity="warning",
      summary="utility template with marketing wording")
def RULE(ctx):
    for flow in ctx.flows():
        policy = ctx.policy(flow)
        utility = (policy or {}).get("utility_category")
        if not utility:
            continue
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        for say in walk_statements(flow):
            if not isinstance(say, Say) or not say.template or (say.category or "").lower() != utility:
                continue
            found = promotional_matches(lexicon, say.say)
            if found:
                yield ctx.finding(say, f"{utility} template '{say.template}' has marketing wording: "
                                       f"{quote_all(match.text for match in found)}; it will be reviewed as marketing",
                                  "keep the utility template about the person's order or account; "
                                  "send the offer as a separate template with category marketing")
