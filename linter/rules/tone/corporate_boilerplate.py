"""BL101 corporate-boilerplate: a form letter in a chat message, as a stock phrase or as its register.

What it does
    Looks for form-letter phrases from the flow language's `boilerplate`
    word list ("Dear valued customer", "Please be advised", "Your request has
    been received", "Sehr geehrter Kunde", "Уважаемый клиент", "Poštovani
    korisniče", ...) in everything the bot sends: messages, questions, what a
    handoff tells the person, and the text of actions.

    It also reads the register of each chat bubble (not emails or posts,
    where a formal letter has its place) for the signals of officialese in
    the language's `officialese` lists, one list per kind of signal:
    `inform` ("Wir teilen Ihnen mit, dass", "Уведомляем Вас"), `passive`
    (a process with nobody doing it: "wird geprüft", "izvršena je",
    "зарегистрировано", "erfolgt"), `nominal` (a verb hidden in a noun with a
    genitive chain: "Bearbeitung Ihres Antrags", "рассмотрения Вашего
    запроса", "obrada zahtjeva"), `formula` ("по результатам", "seitens",
    "sukladno", "pursuant to") and `object` (the person's question as a case
    file: "Ihr Vorgang", "обращение", "predmet"). One kind alone is ordinary
    writing; a bubble with `officialese_min_signals` kinds or more is
    reported with them. A stretch of text counts once, so "Bearbeitung Ihres
    Antrags" is one signal, not two. Polite but personal messages ("Gern
    helfe ich Ihnen weiter – wann passt es Ihnen?", "Рады помочь! Когда Вам
    удобно?") have none. Flows in a language without a lexicon are skipped.

Why is this bad
    A chat is a conversation, not a letter from head office. Boilerplate
    tells the person nobody is really listening, and it wastes the first
    line, which is often all a notification preview shows. The officialese
    register does the same without any stock phrase: when the request "is
    processed" and "the review of your case is carried out", nobody in
    particular is doing anything, and the person cannot tell who will do
    what, or when.

Example
    Bad:
        flow claims:
          channel messenger
          trigger message keywords "claim"
          step received:
            say "Dear valued customer, the review of your claim will be carried out in due course."
            end
    Good:
        flow claims:
          channel messenger
          trigger message keywords "claim"
          step received:
            say "Got it, thanks! Ana from our team is checking your claim and will message you by 5 pm."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import bot_texts
from linter.rules._wording import quote, quote_all
from linter.rules.base import rule
from linter.rules.tone._common import is_bubble

# The kinds of signal, as lists under `officialese` in each lexicon, and how a finding names them.
KINDS = {"inform": "'we inform you' frame", "passive": "passive process", "nominal": "process noun chain",
         "formula": "office formula", "object": "case-file noun"}
MAX_SIGNALS = 4  # signals quoted in one finding before "and N more"


class Options(RuleOptions):
    officialese_min_signals: int | None = Field(ge=1, description=(
        "how many kinds of officialese signal one bubble needs; null turns the register check off "
        "and keeps the phrase list"))


@rule(code="BL101", name="corporate-boilerplate", severity="warning",
      summary="stock corporate phrase or form-letter register in a chat message",
      options=Options)
def RULE(ctx):
    min_signals = ctx.options.officialese_min_signals
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        for text in bot_texts(flow):
            problems = []
            phrases = lexicon.find("boilerplate", text.text)
            if phrases:
                problems.append(f"corporate boilerplate: {quote_all(m.text for m in phrases)}")
            if min_signals and is_bubble(text):
                signals = register_signals(lexicon, text.text)
                if len({kind for kind, _ in signals}) >= min_signals:
                    problems.append("form-letter register: " + _listed(signals))
            if problems:
                yield ctx.finding(text.node, "; ".join(problems),
                                  "say it the way a person would in a chat: drop the form-letter phrasing, "
                                  "say who does what ('I'll check your request today') and get straight to "
                                  "what happens next")


def register_signals(lexicon, text: str) -> list:
    """(kind, match) of every officialese signal in `text`, in order; a stretch of text counts once."""
    found = sorted(((match.start, -match.end), kind, match) for kind in KINDS
                   for match in lexicon.find(f"officialese.{kind}", text))
    signals, end = [], -1
    for _, kind, match in found:
        if match.start >= end:
            signals.append((kind, match))
            end = match.end
    return signals


def _listed(signals) -> str:
    shown = ", ".join(f"{quote(match.text)} ({KINDS[kind]})" for kind, match in signals[:MAX_SIGNALS])
    rest = len(signals) - MAX_SIGNALS
    return shown + (f" and {rest} more" if rest > 0 else "")
