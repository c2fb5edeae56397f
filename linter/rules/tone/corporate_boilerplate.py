"""BL101 corporate-boilerplate: a stock corporate phrase in a chat message.

What it does
    Looks for form-letter phrases from the flow language's `boilerplate`
    word list ("Dear valued customer", "Please be advised", "Your request has
    been received", "Sehr geehrter Kunde", "Уважаемый клиент", "Poštovani
    korisniče", ...) in everything the bot sends: messages, questions, what a
    handoff tells the person, and the text of actions. Flows in a language
    without a lexicon are skipped.

Why is this bad
    A chat is a conversation, not a letter from head office. Boilerplate
    tells the person nobody is really listening, and it wastes the first
    line, which is often all a notification preview shows.

Example
    Bad:
        step received:
          say "Dear valued customer, please be advised that your request has been received."
    Good:
        step received:
          say "Got it, thanks! Ana from our team will look at it this afternoon."
"""

from linter.rules.base import rule
from linter.rules.tone._common import distinct, lexicon_hits, quote_all


@rule(code="BL101", name="corporate-boilerplate", severity="warning",
      summary="stock corporate phrase in a chat message")
@distinct
def RULE(ctx):
    for text, matches in lexicon_hits(ctx, "boilerplate"):
        yield ctx.finding(text.node, f"corporate boilerplate: {quote_all(m.text for m in matches)}",
                          "say it the way a person would in a chat: drop the form-letter phrase "
                          "and get straight to what happens next")
