"""BL108 mixed-register: formal and informal address in one flow.

What it does
    Sorts the texts the bot sends into formal and informal address with the
    flow language's `register.formal` and `register.informal` word lists
    (Sie / du, вы / ты, Vi / ti, "Dear Sir" / "hey buddy"; case-sensitive
    where the lexicon says so, as for German Sie and Croatian Vi). Quoted
    passages and links are not the bot's own address and are left out: a
    button label („Schreib uns“), a product name, a review, a URL. When one
    flow uses both, it reports the first message of the less used register
    (on a tie, the one that starts later), naming both sides with their
    lines. Flows in a language without a lexicon are skipped.

Why is this bad
    Switching between "Sie" and "du" (or "вы" and "ты") mid-conversation
    reads as a copy-paste from two campaigns, or as the bot suddenly getting
    too familiar. Pick the register your brand uses and keep it.

Example
    Bad:
        flow willkommen:
          channel messenger
          language de
          trigger message
          step start:
            say "Willkommen! Wie können wir Ihnen heute helfen?"
            ask "Magst du zuerst unsere Bestseller sehen?":
              reply "Ja" -> bestseller
              otherwise -> bestseller
          step bestseller:
            say "Unsere Bestseller: Hausmischung, Espresso Nr. 5 und Entkoffeiniert."
            end
    Good:
        flow willkommen:
          channel messenger
          language de
          trigger message
          step start:
            say "Willkommen! Wie können wir Ihnen heute helfen?"
            ask "Möchten Sie zuerst unsere Bestseller sehen?":
              reply "Ja" -> bestseller
              otherwise -> bestseller
          step bestseller:
            say "Unsere Bestseller: Hausmischung, Espresso Nr. 5 und Entkoffeiniert."
            end
"""

from linter.model.analysis import bot_texts
from linter.model.text import unquoted
from linter.rules._wording import quote_all
from linter.rules.base import rule
from linter.rules.tone._common import line_of

_REGISTERS = ("formal", "informal")
MAX_LINES = 3  # lines listed for the other side


@rule(code="BL108", name="mixed-register", severity="warning", summary="formal and informal address in one flow")
def RULE(ctx):
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        uses: dict[str, list] = {register: [] for register in _REGISTERS}  # register -> [(text, matches)]
        for text in bot_texts(flow):
            for register in _REGISTERS:
                matches = lexicon.find(f"register.{register}", unquoted(text.text))
                if matches:
                    uses[register].append((text, matches))
        if all(uses.values()):
            yield _finding(ctx, uses)


def _finding(ctx, uses):
    formal, informal = uses["formal"], uses["informal"]
    minority, majority = ("formal", "informal") if _odd_one_out(formal, informal) else ("informal", "formal")
    text, matches = uses[minority][0]
    others = [(t, ms) for t, ms in uses[majority] if t is not text]
    if not others:
        message = (f"formal ({_said('formal', uses, text)}) and informal ({_said('informal', uses, text)}) "
                   f"address in one message")
    else:
        also = uses[minority][1:]
        here = f" here (also on {_lines(also)})" if also else " here"
        message = (f"{minority} address {quote_all(m.text for m in matches)}{here}, but this flow otherwise "
                   f"uses {majority} address ({quote_all(m.text for _, ms in others for m in ms)} "
                   f"on {_lines(others)})")
    return ctx.finding(text.node, message, f"pick one form of address for the whole flow and rewrite the "
                                           f"{minority} message{'s' if len(uses[minority]) > 1 else ''} to match")


def _lines(uses) -> str:
    lines = list(dict.fromkeys(str(line_of(text.node)) for text, _ in uses))
    listed = ", ".join(lines[:MAX_LINES]) + (f" and {len(lines) - MAX_LINES} more" if len(lines) > MAX_LINES else "")
    return f"line{'s' if len(lines) > 1 else ''} {listed}"


def _odd_one_out(one, other) -> bool:
    """Whether register `one` is the odd one out: fewer messages or, on a tie, the later start."""
    if len(one) != len(other):
        return len(one) < len(other)
    return _position(one[0][0]) > _position(other[0][0])


def _said(register, uses, text) -> str:
    return quote_all(m.text for t, ms in uses[register] if t is text for m in ms)


def _position(text) -> tuple[int, int]:
    span = getattr(text.node, "span", None)
    return (span.line, span.col) if span else (0, 0)
