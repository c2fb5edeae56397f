"""BL401 auto-dm-on-follow: the automatic DM on a follow or connection pitches, links or is a form letter.

What it does
    Looks at flows triggered by `follow`, `connection-accepted` or
    `subscribe`: the person moved toward the account but asked for no
    message. (`opt-in` is not one of them: opting in is asking for
    messages.) Of the messages, questions and `action message` DMs the bot
    can send before the person's first reply, it reports:

    - the first one that pitches or links, as an error: a call to action, a
      discount, a currency amount or a checkout link (word lists
      `pitch.cta`, `pitch.discount`, `pitch.currency` and `pitch.link` of
      the flow's language), or any URL, in the text or behind a button;
    - otherwise the first one, as a warning (one level below the rule's
      severity), when the opening is a form letter: no message before the
      first reply has a placeholder, and the audience is not a named
      segment. Without a placeholder every new follower gets the identical
      text; a `segment` audience means the text was written for one known
      group (the people from one webinar), which is specific enough.

    After a `subscribe`, only the messages sent on subscribing (within the
    hour) are the automatic DM: later ones are the program the person
    subscribed to. That DM confirms the subscription: the same text for
    everyone is what a confirmation is for, so it is never a form letter,
    and when it says how to opt out (lexicon `opt_out`: "Reply STOP to
    cancel", as SMS programs must) its price is one of the terms, not a
    pitch. The word lists need a lexicon for the flow's language; URLs and
    form letters are checked in any language.

Why is this bad
    Nobody thanks each new follower by hand with a sales link. A DM that
    arrives seconds after a follow, the same for everyone or with an offer
    in it, tells the person they are now a lead in a funnel: it gets
    ignored, muted or reported as spam, and the account's reach suffers.

Example
    Bad:
        sequence new_followers:
          channel instagram
          trigger follow
          step hello:
            say "Thanks for following! Shop now with 15% off: https://shop.example.com"
            end
    Good:
        sequence new_followers:
          channel instagram
          trigger follow
          step hello:
            ask "Hi {first_name|there}, thanks for the follow! Are you into espresso or filter?":
              reply "Espresso" -> chat
              reply "Filter" -> chat
              otherwise -> chat
          step chat:
            handoff to "Community"
"""

from linter.model.flow import Ask, AudienceKind, TriggerKind
from linter.rules.automation._common import (
    DOOR_OPENERS, DOOR_OPENED_BY, has_placeholder, milder, opening_messages, urls,
)
from linter.rules._wording import quote
from linter.rules.base import rule

# Pitch evidence in the order it is looked for, with what a finding calls it. Price wording without
# an amount ("pricing") is left out: on its own it is not an offer.
_PITCH_LISTS = {"cta": "a call to action", "discount": "a discount", "currency": "an amount",
                "link": "a checkout link"}


@rule(code="BL401", name="auto-dm-on-follow", severity="error",
      summary="automatic DM on a follow or connection that pitches, links or is a form letter")
def RULE(ctx):
    for flow in ctx.flows():
        if flow.trigger is None or flow.trigger.kind not in DOOR_OPENERS:
            continue
        analysis = ctx.analysis(flow)
        opening = list(opening_messages(flow, analysis))
        if flow.trigger.kind == TriggerKind.subscribe:  # later messages are the program they subscribed to
            opening = [sent for sent in opening if _on_subscribing(analysis.timing(sent.node))]
        if not opening:
            continue
        event = DOOR_OPENED_BY[flow.trigger.kind]
        lexicon = ctx.lexicon(flow)
        confirmation = _confirmation(flow, opening, lexicon)
        pitched = next(((sent, found) for sent in opening if (found := _pitch(sent, lexicon, confirmation))), None)
        if pitched:
            sent, found = pitched
            yield ctx.finding(sent.node, f"automatic DM on {event} {found}, before the person has said a word",
                              "thank them and ask about them; send offers and links once they answer")
        elif flow.trigger.kind != TriggerKind.subscribe and _form_letter(flow, opening):
            yield milder(ctx.finding(
                opening[0].node, f"automatic DM on {event} is a form letter: nothing before the person's first "
                                 "reply is personalised (no placeholder), so everyone gets the same text",
                "make it about them ({first_name}, what they followed or where you met) or do not send it"),
                ctx.severity)


_SITTING = 3600.0  # seconds: messages this soon after the trigger are the DM it sends


def _on_subscribing(timing) -> bool:
    return timing is not None and timing.since_trigger[0] < _SITTING


def _confirmation(flow, opening, lexicon) -> bool:
    """The opening confirms a subscription with its terms: it says how to opt out ("Reply STOP to
    cancel"), as SMS programs must. Its price is one of the terms."""
    return (flow.trigger.kind == TriggerKind.subscribe and lexicon is not None
            and any(lexicon.find("opt_out", sent.text) for sent in opening))


def _pitch(sent, lexicon, confirmation: bool = False) -> str | None:
    """What makes this message a pitch or a link ("pitches with a discount '20% off'"), or None."""
    if lexicon is not None:
        for key, name in _PITCH_LISTS.items():
            if confirmation and key == "currency":
                continue  # the program's price, as its terms must state
            match = lexicon.first(f"pitch.{key}", sent.text)
            if match:
                return f"pitches with {name} {quote(match.text)}"
    found = urls(sent.text)
    if found:
        return f"sends a link {quote(found[0])}"
    if isinstance(sent.node, Ask):
        for button in sent.node.buttons:
            if button.url:
                return f"sends a link (button {quote(button.label)} -> {button.url})"
    return None


def _form_letter(flow, opening) -> bool:
    if flow.audience is not None and flow.audience.kind == AudienceKind.segment:
        return False
    return not any(has_placeholder(sent.text) for sent in opening)
