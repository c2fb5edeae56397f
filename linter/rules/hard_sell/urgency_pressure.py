"""BL202 urgency-pressure: "today only", "last chance", "only 3 spots left" in automated outreach.

What it does
    Reports urgency and scarcity pressure (word list `urgency` of the flow's
    language: "today only", "last chance", "only 3 spots left", "offer ends
    at midnight") where nobody asked for it: in any message of a sequence,
    in any message of a flow the person did not start by writing (a follow,
    an accepted connection, a broadcast, a schedule, a tag, an event), and
    in any message before the person's first reply (also in a `start` flow,
    where they opened the chat without saying anything).

    Not reported: a message whose every path comes straight from the person
    asking about price or availability ("Any seats left?", "How much?",
    "When does the sale end?": the last reply, button or trigger keywords
    they sent are all such questions, word lists `price_intent` and
    `availability_intent`; of an imported flow's trigger keywords, which
    are an intent's training examples, a third is enough). Then "3 seats
    left" answers them. Free-text
    answers do not exempt: what they said is unknown. After the person has
    replied in a flow they started, the conversation is theirs and this rule
    stays silent. Flows in a language without a lexicon are skipped.

Why is this bad
    Pressure on someone who has not shown any interest is the hallmark of
    spam. It gets the bot blocked and reported, and on LinkedIn and WhatsApp
    reports cost the account its reach or its number.

Example
    Bad:
        sequence workshop_invite:
          trigger tag-added "Webinar attendee"
          step invite:
            say "Last chance! Only 3 seats left in Saturday's latte art workshop."
    Good:
        sequence workshop_invite:
          trigger tag-added "Webinar attendee"
          step invite:
            ask "We're running a latte art workshop on Saturday. Want the details?":
              reply "Yes, tell me" -> details
              reply "Not now" -> goodbye
              otherwise -> chat
"""

from linter.model.flow import TriggerKind
from linter.rules.base import rule
from linter.rules.hard_sell._common import last_said_asked, person_wrote_first, quote, timed_texts

_ASKED = ("price_intent", "availability_intent")


@rule(code="BL202", name="urgency-pressure", severity="warning",
      summary="urgency or scarcity pressure in automated outreach")
def RULE(ctx):
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        for sent in timed_texts(flow, ctx.analysis(flow)):
            pressure = lexicon.first("urgency", sent.text)
            if pressure is None:
                continue
            where = _outreach(flow, sent.timing)
            if where and not last_said_asked(sent.timing, lexicon, _ASKED, examples=flow.origin is not None):
                yield ctx.finding(sent.node, f"urgency pressure {quote(pressure.text)} {where}",
                                  "drop the countdown; say what the offer is and let them ask, "
                                  "or keep scarcity for people who asked about availability")


def _outreach(flow, timing) -> str | None:
    """Why this message counts as automated outreach, or None."""
    if flow.kind == "sequence":
        return "in a sequence (automated outreach)"
    if flow.trigger is not None and flow.trigger.kind == TriggerKind.start and timing.before_first_reply:
        return "before the person has said anything (they only opened the chat)"
    if flow.trigger is not None and not person_wrote_first(flow) and flow.trigger.kind != TriggerKind.start:
        return f"in a flow started by '{flow.trigger.kind.value}', not by the person writing"
    if timing.before_first_reply:
        return "before the person has replied"
    return None
