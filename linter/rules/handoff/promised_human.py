"""BL307 promised-human: a message promises a person, and no person comes.

What it does
    Finds bot messages that promise a person (word lists
    `handoff_promise.live`: "let me connect you to an agent", "please hold
    while I transfer you", "оператор скоро ответит"; and
    `handoff_promise.later`: "someone will reach out", "ein Mitarbeiter
    meldet sich", "javit će vam se naš djelatnik"), follows every path from
    the message, and reports it when:
    - the next message on some path says the connection failed (word list
      `handoff_promise.failed`: "no agents are available", "could not
      connect", "все операторы заняты");
    - no `handoff` can be reached from it: the flow ends right after it, or
      goes on without one. Code may hand over where the flow cannot show
      it, so a webhook (or an email action) after the message on some path,
      or before it on every path (a Rasa custom action that sends it), also
      keeps the promise. A promise of later contact ("we'll get back to
      you") is kept, too, when it names a time the team commits to ("our
      team will reply within 2 hours": a number or a word from
      `handoff_time_words`); when another such promise follows (a form's
      "we'll get back to you" before its questions and again after them),
      the last one is judged.
    An offer is not a promise: words such as "if", "type" or "ask" before
    it in its sentence (`handoff_promise.offer`: "type 'agent' and I'll
    connect you"), or a question ("Shall I connect you to an agent?").
    Unreachable messages and languages without a lexicon are skipped. This
    rule reads imported projects too (Rasa, Dialogflow CX, Typebot, Bot
    Framework Composer, Botpress): their texts and structure say whether a
    handoff follows even where they cannot state its terms.

Why is this bad
    The person was told a human is coming, so they wait. When the
    conversation simply ends, or the bot carries on with its menu, or
    announces that nobody is there after all, the promise was false: people
    feel fooled, write again, and leave. Check before promising, and promise
    only what the flow does.

Example
    Bad:
        flow support:
          channel webchat
          trigger message keywords "agent"
          step agent:
            say "Let me connect you to one of our agents."
            end
    Good:
        flow support:
          channel webchat
          trigger message keywords "agent"
          step agent:
            say "Let me connect you to one of our agents."
            handoff to "Support":
              owner "ana@example.com"
              sla 2h
              tell "Ana from our team will answer here within 2 hours."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email care@example.com and we'll answer today."
            end

Word lists
    In the lexicons (`handoff_promise.*`).
"""

from linter.rules.base import rule
from linter.rules.handoff._promises import broken_promise, flow_promises


@rule(code="BL307", name="promised-human", severity="warning",
      summary="a message promises a person, but no handoff follows")
def RULE(ctx):
    for flow, analysis, lexicon, promise in flow_promises(ctx):
        found = broken_promise(flow, analysis, lexicon, promise)
        if found is not None:
            yield ctx.finding(promise.node, *found)
