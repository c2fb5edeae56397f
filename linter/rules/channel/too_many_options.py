"""BL602 too-many-options: a question offers more replies, buttons or rows than its channel shows.

What it does
    Counts the options of each `ask` per interactive message kind of the
    flow's channel, as listed in `rulesets/channels.yaml`: Messenger and
    Instagram show up to 13 quick replies (`reply`) and 3 template buttons
    (`button`); WhatsApp sends replies and buttons as one reply-buttons
    message of at most 3, and list rows (`row`) up to 10. It points at the
    first option past the limit. Flows with no known channel, and channels
    that list no such limit, are skipped.

Why is this bad
    The platform rejects the whole message (WhatsApp, Messenger button
    templates) or the person never sees the extra choices: the question
    arrives without its answers, or not at all.

Example
    Bad:
        flow order:
          channel whatsapp
          trigger message keywords "order"
          step size:
            ask "Which size?":
              reply "Small" -> confirm
              reply "Medium" -> confirm
              reply "Large" -> confirm
              reply "XL" -> confirm
              otherwise -> size
          step confirm:
            say "Got it, your shirt is in the basket."
            end
    Good:
        flow order:
          channel whatsapp
          trigger message keywords "order"
          step size:
            ask "Which size?":
              row "Small" -> confirm
              row "Medium" -> confirm
              row "Large" -> confirm
              row "XL" -> confirm
              otherwise -> size
          step confirm:
            say "Got it, your shirt is in the basket."
            end
"""

from linter.rules.base import rule
from linter.rules.channel._common import interactive_parts, ordinal, questions


@rule(code="BL602", name="too-many-options", severity="error",
      summary="more options than the channel shows in one message")
def RULE(ctx):
    for flow in ctx.flows():
        data = ctx.channel_data(flow)
        for ask in questions(flow):
            for part in interactive_parts(ask, data):
                limit = part.spec.get("max_options")
                if limit is None or len(part.options) <= limit:
                    continue
                yield ctx.finding(
                    part.options[limit],
                    f"'{part.options[limit].label}' is the {ordinal(limit + 1)} option of this question; "
                    f"{ctx.channel(flow)} shows at most {limit} in {part.title} (it has {len(part.options)})",
                    _hint(part, data))


_KEYWORDS = {"replies": "reply", "buttons": "button", "rows": "row"}  # option field -> flow keyword


def _hint(part, data: dict) -> str:
    limit = part.spec["max_options"]
    advice = f"keep the most useful {limit} or split the question in two"
    if any(option.url for option in part.options):
        return advice  # only buttons open links: another kind would not do
    for kind, spec in (data.get("interactive") or {}).items():
        keyword = _KEYWORDS.get((spec.get("carries") or [""])[0])
        if kind != part.kind and keyword and (spec.get("max_options") or 0) >= len(part.options):
            name = spec.get("name") or kind.replace("_", " ")
            return f"{advice}, or make them `{keyword}` options ({name}: up to {spec['max_options']})"
    return advice

