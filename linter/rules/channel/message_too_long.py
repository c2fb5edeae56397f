"""BL601 message-too-long: a message is longer than its channel delivers.

What it does
    Compares each message the bot sends (`say`, `ask`, and what a `handoff`
    tells the person: `tell`, `off-hours`) with the channel's text limit from
    `rulesets/channels.yaml` (Messenger 2000, Instagram 1000, WhatsApp 4096,
    Telegram 4096, SMS 1600 characters). Template placeholders count as
    written. Flows with no known channel are skipped.

Why is this bad
    The platform rejects or truncates the message: the person gets nothing,
    or half a sentence.

Example
    Bad:
        flow autumn:
          channel instagram
          trigger message keywords "autumn roast"
          step details:
            say \"\"\"
                Our Autumn Roast is here! This year's beans come from the Huila region of Colombia,
                from a cooperative of forty small farms high in the Andes that we have worked with
                since 2016. The cherries are picked by hand at peak ripeness, washed, and dried
                slowly on raised beds for three weeks, which gives the coffee its clean, sweet cup.
                We roast it a little lighter than our house blend to keep the notes of red apple,
                caramel and milk chocolate, with a soft, round body and a gentle acidity. It shines
                as a filter coffee or in a French press, and it makes a mellow espresso too; with
                milk it tastes like a caramel biscuit. Every bag is roasted to order in our Hamburg
                roastery on Tuesdays and Fridays and ships within two days in a compostable bag.
                Choose whole beans or one of five grind sizes, from espresso to cold brew. A 250 g
                bag is 12.90 EUR, a 1 kg bag is 44 EUR, and subscribers save 10% on every delivery.
                Shipping is free from 30 EUR in Germany and Austria. Reply here with any question
                and we'll help you choose.
                \"\"\"
            end
    Good:
        flow autumn:
          channel instagram
          trigger message keywords "autumn roast"
          step details:
            say "Our Autumn Roast is here: Colombian beans with notes of red apple, caramel and milk chocolate."
            say "Tasting notes, brewing tips and prices: https://brightbean.example/autumn"
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.rules.base import rule
from linter.rules.channel._common import describe, message_texts


class Options(RuleOptions):
    fallback_max_chars: int | None = Field(ge=1, description=(
        "the limit for a channel whose limit botlint does not know (null: such channels are not checked)"))


@rule(code="BL601", name="message-too-long", severity="error",
      summary="message longer than the channel allows", options=Options)
def RULE(ctx):
    for flow in ctx.flows():
        limit = ctx.channel_data(flow).get("text_max_chars") or ctx.options.fallback_max_chars
        if not limit:
            continue
        for message in message_texts(flow):
            if len(message.text) > limit:
                yield ctx.finding(
                    message.node,
                    f"{describe(message)} is {len(message.text)} characters; "
                    f"{ctx.channel(flow) or 'this channel'} allows {limit}",
                    "split it into shorter messages or move the detail to a link")
