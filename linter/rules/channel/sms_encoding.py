"""BL605 sms-encoding: a few characters switch an SMS from GSM-7 to UCS-2 and it costs more segments.

What it does
    For flows on a channel with SMS encoding data (`sms` in
    `rulesets/channels.yaml`), finds messages that are written in GSM-7
    (the SMS alphabet: Latin letters, digits, common punctuation, some
    accented letters) except for a few characters: a curly quote or
    apostrophe, a dash, an ellipsis, an emoji, a "č". Any one of them sends
    the whole message as UCS-2, where a segment holds 70 characters instead
    of 160 (67 instead of 153 when concatenated).

    It reports a message only when both are true:
    - the characters outside GSM-7 are at most `max_foreign_share` of the
      message's characters (whitespace aside). Past that the language itself
      needs UCS-2 (Russian, Ukrainian, Greek, Chinese): that is no accident,
      and BL606 still watches the segment count;
    - the switch costs segments: the message is more segments in UCS-2 than
      it would be in GSM-7 with those characters replaced by their GSM-7
      stand-ins (' for ’, c for č) or, where there is none (an emoji),
      dropped. A short message that fits one segment either way is left alone.

    It names the first such character and says what to write instead.
    Placeholders count as written; a fallback (`{name|friend}`) is checked
    character by character, since it is sent as written.

Why is this bad
    Every segment is billed as one SMS. One smart quote pasted from a
    document can double or triple the cost of a broadcast, and nobody sees
    it in the editor.

Example
    Bad:
        flow booking:
          channel sms
          trigger event "table-booked"
          step confirm:
            say "Luigi’s: table for 4 booked for Friday, 19:30. To change or cancel, reply here or call 030 1234 567."
            end
    Good:
        flow booking:
          channel sms
          trigger event "table-booked"
          step confirm:
            say "Luigi's: table for 4 booked for Friday, 19:30. To change or cancel, reply here or call 030 1234 567."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.rules.base import rule
from linter.rules.channel._common import around, describe_char, glyph, gsm7_replacement, message_texts, sms_encoding

_LISTED = 5  # other foreign characters named in one finding


class Options(RuleOptions):
    max_foreign_share: float = Field(ge=0, le=1, description=(
        "the largest share of a message's characters outside GSM-7 that is still a slip (above it the "
        "text is written in another script and needs UCS-2 anyway)"))


@rule(code="BL605", name="sms-encoding", severity="warning",
      summary="a few characters switch an SMS to UCS-2 and cost segments",
      options=Options)
def RULE(ctx):
    max_share = ctx.options.max_foreign_share
    for flow in ctx.flows():
        data = ctx.channel_data(flow)
        for message in message_texts(flow):
            encoding = sms_encoding(message.text, data)
            if encoding is None:
                break  # not an SMS channel
            if encoding.encoding != "UCS-2" or encoding.segments <= encoding.segments_as_gsm7:
                continue
            if max_share is not None and encoding.foreign_count > max_share * encoding.counted:
                continue
            yield ctx.finding(message.node, _message(encoding, message.text), _hint(encoding, data))


def _message(encoding, text: str) -> str:
    first, others = encoding.foreign[0], encoding.foreign[1:]
    also = ""
    if others:
        listed = ", ".join(f"'{glyph(char)}'" for char in others[:_LISTED])
        also = f" (also outside GSM-7: {listed}{', ...' if len(others) > _LISTED else ''})"
    return (f"{describe_char(first)} in \"{around(text, text.index(first))}\" switches this SMS to UCS-2{also}: "
            f"{encoding.segments} segments instead of {encoding.segments_as_gsm7} in GSM-7")


def _hint(encoding, data: dict) -> str:
    swaps, drops = [], []
    for char in encoding.foreign:
        replacement = gsm7_replacement(char, data)
        if replacement:
            swaps.append(f"{glyph(replacement)} for {glyph(char)}")
        else:
            drops.append(glyph(char))
    parts = []
    if swaps:
        parts.append("write " + ", ".join(swaps[:_LISTED]))
    if drops:
        parts.append("drop " + " ".join(drops[:_LISTED]))
    return "; ".join(parts) + " (each SMS segment is billed)"
