"""BL110 missing-contraction: an uncontracted form where people would say the contraction.

What it does
    Looks for the long forms listed under `contractions` in the flow
    language's lexicon ("I am unable to" -> "I can't", "do not" -> "don't",
    "we are" -> "we're") and suggests the contraction. Only languages whose
    lexicon lists contractions are checked: English, as shipped. It stays
    quiet where the long form is right: at the end of a clause ("Yes, it
    is.", "that is, ..."), after the words in the lexicon's
    `contraction_keep` patterns ("who we are", "bigger than it is",
    "Do not share this code" as a warning, "the form that is attached"),
    when the words are stressed in capitals ("we do NOT sell your data"),
    and in a message that does not read as the flow's language (see BL104).
    A negation gets the negative contraction: "I will not" -> "I won't".

Why is this bad
    In chat, "I am unable to" and "we will" sound like a form letter read
    aloud; people write "I can't" and "we'll". This is a style nudge, hence
    the default severity of info.

Example
    Bad:
        flow night:
          channel messenger
          trigger message
          step closed:
            say "I am unable to check orders at night, but we will reply at 9:00."
            end
    Good:
        flow night:
          channel messenger
          trigger message
          step closed:
            say "I can't check orders at night, but we'll reply at 9:00."
            end
"""

import re
from functools import lru_cache

from linter.model.analysis import bot_texts
from linter.model.text import reads_as
from linter.rules._wording import quote
from linter.rules.base import rule



@rule(code="BL110", name="missing-contraction", severity="info",
      summary="uncontracted form where people would say the contraction")
def RULE(ctx):
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        contractions = lexicon.value("contractions")
        if not isinstance(contractions, dict) or not contractions:
            continue
        pattern = _pattern(tuple(sorted(contractions.items())))
        lookup = {" ".join(long.lower().split()): short for long, short in contractions.items()}
        settings = lexicon.value("readability")
        for text in bot_texts(flow):
            if isinstance(settings, dict) and not reads_as(text.text, settings):
                continue  # a message in another language than the flow's
            found = [match for match in pattern.finditer(text.text) if not _stressed(match.group())]
            if found:
                kept = [(m.start, m.end) for m in lexicon.find("contraction_keep", text.text)]
                found = [match for match in found if not _overlaps(match.span(), kept)]
            if found:
                pairs = [(match.group(), _suggest(match.group(), lookup)) for match in found]
                listed = ", ".join(f"{quote(long)} -> {quote(short)}" for long, short in dict.fromkeys(pairs))
                yield ctx.finding(text.node, f"uncontracted: {listed}",
                                  f"contractions sound like a person talking: write {quote(pairs[0][1])} "
                                  f"for {quote(pairs[0][0])}")


@lru_cache(maxsize=8)
def _pattern(items: tuple[tuple[str, str], ...]) -> re.Pattern:
    # Longest first, so "I am unable to" wins over "I am". A long form must be followed by a word
    # in the same clause: "Yes, it is." or "that is, ..." cannot be contracted.
    phrases = sorted((long for long, _ in items), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
    return re.compile(rf"(?<![\w'’])(?:{alternatives})(?=[ \t]+[^\W_])", re.IGNORECASE)


def _stressed(phrase: str) -> bool:
    """A word in capitals ("do NOT") marks deliberate stress (a lone "I" is just the pronoun); every
    word capitalised ("Do Not Disturb", "What Is New") is a name: a mode, a button, a title."""
    words = phrase.split()
    return any(len(word) > 1 and word.isupper() for word in words) or \
        (len(words) > 1 and all(word[:1].isupper() for word in words if word != "I"))


def _overlaps(span: tuple[int, int], kept: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in kept)


def _suggest(long: str, lookup: dict[str, str]) -> str:
    short = lookup[" ".join(long.lower().split())]
    return short[0].upper() + short[1:] if long[0].isupper() and short[0].islower() else short
