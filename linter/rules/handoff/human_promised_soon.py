"""BL308 human-promised-soon: a person is promised "shortly", with no time and nobody accountable.

What it does
    Reports a bot message that promises a person (word lists
    `handoff_promise.live` and `handoff_promise.later`, as BL307) with a
    vague time (`handoff_promise.vague_time`: "shortly", "soon", "in a
    moment", "ASAP", "in Kürze", "скоро", "uskoro") and no real one: no
    number and no time word (`handoff_time_words`: "today", "within the
    hour", "Monday"). It stays silent when a `handoff` that follows the
    message states terms the team is held to: an `sla`, an `owner`, an
    `unanswered -> step` or an `off-hours` message. Imported projects
    (Rasa, Dialogflow CX, Typebot...) cannot state those terms, so there
    only the wording can say when.

    This is a separate rule from BL307 (a promised person who never comes)
    and from BL302/BL304 (a `handoff` statement's own terms and message):
    it is about what the person reads, wherever the promise is made, and
    it can be switched off alone by teams whose handoff really answers in
    seconds. A promise BL307 reports (nobody comes at all) is not reported
    again here.

Why is this bad
    "Shortly" means a minute to the person and a day to a busy team. People
    who cannot tell how long to wait keep the chat open, write again, or
    leave; a stated time ("within 2 hours on weekdays") lets them plan, and
    holds the team to it.

Example
    Bad:
        flow support:
          channel webchat
          trigger message keywords "agent"
          step agent:
            say "An agent will be with you shortly."
            handoff to "Support"
    Good:
        flow support:
          channel webchat
          trigger message keywords "agent"
          step agent:
            say "Ana from our team will answer here within 2 hours (Mon-Fri, 9-17)."
            handoff to "Support":
              owner "ana@example.com"
              sla 2h
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email care@example.com and we'll answer today."
            end

Word lists
    In the lexicons (`handoff_promise.*`).
"""

from linter.rules.base import rule
from linter.rules.handoff._promises import broken_promise, first_words, flow_promises, names_a_time, what_follows


@rule(code="BL308", name="human-promised-soon", severity="info",
      summary='a person is promised "shortly" with no time, owner or fallback')
def RULE(ctx):
    for flow, analysis, lexicon, promise in flow_promises(ctx):
        if analysis.timing(promise.node) is None:
            continue
        vague = lexicon.first("handoff_promise.vague_time", promise.text)
        if vague is None or names_a_time(lexicon, promise.text):
            continue
        if any(_accountable(handoff) for handoff in what_follows(flow, analysis, promise.node, lexicon).handoffs):
            continue
        if broken_promise(flow, analysis, lexicon, promise) is not None:
            continue  # nobody comes at all: BL307 says so
        # An imported format cannot state a handoff's terms: there only the wording can say when.
        behind = "" if flow.origin is not None else (", and no handoff with an `sla`, owner, `unanswered` "
                                                     "path or off-hours message stands behind it")
        yield ctx.finding(promise.node, f"promises a person ('{first_words(promise.phrase)}') "
                          f"'{vague.text}' without saying when{behind}",
                          "say a time the team keeps (\"within 2 hours, Mon-Fri 9-17\") and what "
                          "happens outside it")


def _accountable(handoff) -> bool:
    return bool(handoff.sla or (handoff.owner or "").strip() or handoff.on_timeout or handoff.off_hours)
