"""BL408 fake-personal-touch: automated text claiming a person did something by hand.

What it does
    Looks for claims of handwork in every text the bot sends (messages,
    questions, what a handoff tells the person, post, comment, message and
    connection-note texts): "I personally looked at your profile", "your
    post caught my eye", "sent from my iPhone", "this is not a template"
    (word list `fake_personal` of the flow's language). Every text in a
    flow is sent by the automation, so the claim is false wherever it
    stands. Reports the first claim in each text. Flows in a language
    without a lexicon are skipped.

Why is this bad
    The person finds out: the same "I loved your profile" reaches their
    colleagues word for word, or arrives seconds after they connected. A lie
    about being human costs more trust than the automation itself, and
    pretending to be a person is against most platforms' rules.

Example
    Bad:
        sequence connect_note:
          channel linkedin
          trigger connection-accepted
          step hello:
            say "Hi {first_name}, I personally went through your profile and loved it!"
            end
    Good:
        sequence connect_note:
          channel linkedin
          trigger connection-accepted
          step hello:
            say "Hi {first_name}, thanks for connecting! What are you working on this quarter?"
            end
"""

from linter.model.analysis import bot_texts
from linter.model.text import unquoted
from linter.rules._wording import quote
from linter.rules.base import rule


@rule(code="BL408", name="fake-personal-touch", severity="warning",
      summary="automated text claiming a person did something by hand")
def RULE(ctx):
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        for sent in bot_texts(flow):
            claim = lexicon.first("fake_personal", unquoted(sent.text))  # not a quoted label: «Я не робот»
            if claim is not None:
                yield ctx.finding(sent.node, f"automated text claims a personal touch: {quote(claim.text)}",
                                  "say what is true (what the person did, why you write) instead of pretending "
                                  "someone did it by hand")
