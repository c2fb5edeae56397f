"""BL105 wall-of-text: a chat bubble as long as an email.

What it does
    Reports a chat bubble (a message, a question, what a handoff tells the
    person, a direct-message action) with more characters than `max_chars`
    or more sentences than `max_sentences` allow for the flow's channel.
    Both options map a channel to a number, with a `default`; a channel set
    to null is exempt (email by default). A full stop after an abbreviation
    ends no sentence: the language's list (`readability.abbreviations` in its
    lexicon: "Dr.", "inkl.", "ул."), single letters ("z. B.", "9 a.m. to"),
    short capitalised words before a lower-case one ("Mon. to Fri.") and
    ordinals ("5. svibnja"). Flows with no known channel are
    skipped. BL601 reports what the platform cannot deliver at all, so a
    text over the channel's hard limit is left to it; this rule is about
    what a person will actually read in one bubble.

Why is this bad
    A long bubble fills the phone screen: people skim the first line and
    miss the question at the end. Several short bubbles, or one short one
    with a link for the detail, get read and answered.

Example
    Bad:
        flow about:
          channel messenger
          trigger message keywords "about"
          step about:
            say \"\"\"
                We are a family roastery from Hamburg. We buy green coffee directly
                from farmers. We roast on Tuesdays and Fridays. We ship within two
                days. We offer subscriptions. We also run brewing workshops. Ask us
                anything!
                \"\"\"
            end
    Good:
        flow about:
          channel messenger
          trigger message keywords "about"
          step about:
            say "We're a family roastery in Hamburg, roasting twice a week."
            ask "Want to hear about subscriptions or workshops?":
              reply "Subscriptions" -> subscriptions
              reply "Workshops" -> workshops
              otherwise -> workshops
          step subscriptions:
            say "A bag every two weeks, 12 EUR, cancel any time."
            end
          step workshops:
            say "Brewing workshops run every Saturday at 10:00."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.text import abbreviations_of, sentences
from linter.rules.base import rule
from linter.rules.tone._common import bubbles, per_channel


class Options(RuleOptions):
    max_chars: dict[str, int | None] = Field(description=(
        "the longest bubble per channel, with a `default` (null: no limit on that channel)"))
    max_sentences: dict[str, int | None] = Field(description="the most sentences per bubble, per channel, with a `default`")


@rule(code="BL105", name="wall-of-text", severity="warning", summary="chat bubble as long as an email",
      options=Options)
def RULE(ctx):
    for flow in ctx.flows():
        channel = ctx.channel(flow)
        if channel is None:
            continue
        hard_limit = ctx.channel_data(flow).get("text_max_chars")
        max_chars = per_channel(ctx.options.max_chars, channel)
        max_sentences = per_channel(ctx.options.max_sentences, channel)
        lexicon = ctx.lexicon(flow)
        abbreviations = abbreviations_of(lexicon.value("readability") if lexicon else None)
        for text in bubbles(flow):
            if hard_limit and len(text.text) > hard_limit:
                continue  # undeliverable: BL601's finding, with the same fix
            problems = []
            if max_chars and len(text.text) > max_chars:
                problems.append(f"{len(text.text)} characters (more than {max_chars})")
            count = len(sentences(text.text, abbreviations))
            if max_sentences and count > max_sentences:
                problems.append(f"{count} sentences (more than {max_sentences})")
            if problems:
                yield ctx.finding(text.node, f"wall of text for one {channel} bubble: {' and '.join(problems)}",
                                  "keep one idea per bubble: split it, cut it, or move the detail to a link")
