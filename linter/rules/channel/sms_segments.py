"""BL606 sms-segments: an SMS runs to more segments than the rule pack allows.

What it does
    For flows on a channel with SMS encoding data (`sms` in
    `rulesets/channels.yaml`), works out how each message is sent: GSM-7 if
    every character is in the SMS alphabet (extension characters such as
    `€ [ ] { } ~ ^ |` take two places), UCS-2 otherwise (an emoji takes two
    places). One segment holds 160 GSM-7 or 70 UCS-2 places; a longer message
    is split into segments of 153 or 67. It reports messages of more than
    `max_segments` segments, with the count, the encoding and the length.
    Placeholders count as written; a fallback's characters decide the
    encoding too, since the fallback is sent as written.

Why is this bad
    Every segment is billed as one SMS, and long concatenated messages are
    more often split, reordered or dropped on the way. A broadcast of
    five-segment texts costs five times the list size.

Example
    Bad:
        sequence spring_sale:
          channel sms
          trigger broadcast "Spring sale"
          audience opted-in
          window 10:00-19:00 recipient
          step announce:
            say \"\"\"
                Greenleaf Garden Centre: our spring sale starts Monday! 30% off all perennials, 20%
                off roses and fruit trees, and 3 herb pots for 10 EUR. Free compost workshop
                Saturday at 10:00 (sign up at the till). New opening hours from April: Mon-Fri
                8:00-19:00, Sat 8:00-18:00, Sun 10:00-16:00. Our cafe now serves breakfast until
                11:00 and fresh cake all day. Bring your old plastic pots back for recycling and get
                1 EUR off per pot. See everything at greenleaf.example/spring. Reply STOP to opt
                out.
                \"\"\"
            end
    Good:
        sequence spring_sale:
          channel sms
          trigger broadcast "Spring sale"
          audience opted-in
          window 10:00-19:00 recipient
          step announce:
            say "Greenleaf spring sale from Mon: 30% off perennials. greenleaf.example/spring Reply STOP to opt out."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.rules.base import rule
from linter.rules.channel._common import describe, message_texts, per_segment, shorten, sms_encoding


class Options(RuleOptions):
    max_segments: int = Field(ge=1, description="the most segments one SMS may take")


@rule(code="BL606", name="sms-segments", severity="warning",
      summary="SMS longer than the allowed number of segments", options=Options)
def RULE(ctx):
    limit = ctx.options.max_segments
    if limit is None:
        return
    for flow in ctx.flows():
        data = ctx.channel_data(flow)
        for message in message_texts(flow):
            encoding = sms_encoding(message.text, data)
            if encoding is None:
                break  # not an SMS channel
            if encoding.segments <= limit:
                continue
            unit = "septets" if encoding.encoding == "GSM-7" else "UTF-16 units"
            yield ctx.finding(
                message.node,
                f"{describe(message)} \"{shorten(message.text)}\" is {encoding.segments} SMS segments "
                f"({encoding.encoding}, {encoding.length} {unit}, {per_segment(encoding, data)} per segment); "
                f"the limit is {limit}",
                "shorten it or move the detail to a link; each segment is billed as one SMS")
