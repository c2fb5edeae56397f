"""BL102 machine-speak: system or error jargon shown to a person.

What it does
    Looks for the wording of error dialogs and log lines from the flow
    language's `machine_speak` word list ("Invalid input", "An error has
    occurred", "Processing...", "Your response has been recorded",
    "Ungültige Eingabe", "Неверный ввод", "Neispravan unos", ...) in
    everything the bot sends. Flows in a language without a lexicon are skipped.

Why is this bad
    The person did nothing "invalid": they wrote to a business in their own
    words. Jargon makes them feel they broke something and gives them no
    idea what to do next, so many simply leave.

Example
    Bad:
        step not_understood:
          ask "Invalid input. Please select an option from the menu.":
            reply "Track my order" -> track
    Good:
        step not_understood:
          ask "Sorry, I didn't catch that. Want to track your order?":
            reply "Track my order" -> track
"""

from linter.rules.base import rule
from linter.rules.tone._common import distinct, lexicon_hits, quote_all


@rule(code="BL102", name="machine-speak", severity="warning", summary="system or error jargon shown to a person")
@distinct
def RULE(ctx):
    for text, matches in lexicon_hits(ctx, "machine_speak"):
        yield ctx.finding(text.node, f"system jargon shown to the person: {quote_all(m.text for m in matches)}",
                          "say in plain words what happened and what they can do now, "
                          "e.g. \"Sorry, I didn't catch that. Tap a button below or type your order number.\"")
