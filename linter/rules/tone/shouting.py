"""BL103 shouting: words in capitals or runs of exclamation marks.

What it does
    Reports a message that has at least `min_words` words written in capitals
    with `min_letters` letters or more ("FREE", "TODAY", "СКИДКА"), or that is
    written in capitals as a whole ("BUY NOW"), and a message with a run of
    `exclamation_run` or more exclamation marks ("!!", "!!!", "‼", "❗❗").
    Acronyms and keywords listed in `allowed_caps` (OK, FAQ, PDF, STOP,
    HELP, ...) never count, nor do words next to digits (codes such as
    SAVE20), a single word in quotes (a keyword to type: Reply "JOIN"),
    placeholders (fallbacks included), template leftovers and URLs.

Why is this bad
    In chat, capitals and "!!!" read as shouting or as spam; spam filters and
    people both learn to ignore them. Stress comes across better from a
    short, concrete sentence.

Example
    Bad:
        step promo:
          say "HUGE NEWS!!! Our winter blend is BACK for ONE WEEK only!!"
    Good:
        step promo:
          say "Good news: our winter blend is back, for one week only."
"""

import re

from linter.model.analysis import bot_texts
from linter.model.text import PLACEHOLDER_RE, template_problems, without_templates
from linter.rules.base import rule
from linter.rules.tone._common import distinct, quote_all

# A word: letters, maybe joined by apostrophes; never glued to digits or underscores (SAVE20, FIRST_NAME).
_WORD = re.compile(r"(?<![\w'’])[^\W\d_]+(?:['’][^\W\d_]+)*(?![\w'’])")
_QUOTES_BEFORE = "\"'“„«‚‘"
_QUOTES_AFTER = "\"'”“»‘’"
# "!" and its look-alikes; "‼" is two of them. U+FE0F only asks for emoji presentation.
_BANGS = re.compile(r"(?:[!！❗❕‼]\ufe0f?)+")
_TWO_BANGS = re.compile(r"‼|[!！❗❕]\ufe0f?[!！❗❕‼]")


@rule(code="BL103", name="shouting", severity="warning", summary="words in capitals or runs of exclamation marks",
      options={"min_letters": int, "min_words": int, "exclamation_run": int, "allowed_caps": list})
@distinct
def RULE(ctx):
    options = ctx.options
    allowed = {str(word) for word in options.get("allowed_caps") or []}
    for flow in ctx.flows():
        for text in bot_texts(flow):
            readable = _readable(text.text)
            problems = [problem for problem in (
                _capitals(readable, allowed, options.get("min_letters"), options.get("min_words")),
                _exclamations(readable, options.get("exclamation_run")),
            ) if problem]
            if problems:
                yield ctx.finding(text.node, "shouting: " + "; ".join(problems),
                                  "write in sentence case and end with at most one '!'; list real acronyms "
                                  "under BL103 allowed_caps")


def _capitals(text: str, allowed: set[str], min_letters: int | None, min_words: int | None) -> str | None:
    if not (min_letters and min_words):
        return None
    caps = _caps_words(text, allowed)
    shouted = [word for word in caps if _letters(word) >= min_letters]
    if len(shouted) < min_words:
        # A message written in capitals as a whole shouts with short words too ("BUY NOW").
        written_in_caps = not any(char.islower() for char in text)
        shouted = caps if written_in_caps and len(caps) >= min_words else []
    if not shouted:
        return None
    return (f"{len(shouted)} word{'s' if len(shouted) > 1 else ''} in capitals ({quote_all(shouted)}; "
            f"{min_words} or more count as shouting)")


def _exclamations(text: str, run: int | None) -> str | None:
    if not run or (run >= 2 and not _TWO_BANGS.search(text)):
        return None  # no two exclamation marks in a row anywhere: the common case
    bangs = [m.group() for m in _BANGS.finditer(text) if run and _bang_count(m.group()) >= run]
    return f"{quote_all(bangs)} ({run} or more exclamation marks in a row)" if bangs else None


def _readable(text: str) -> str:
    """The text without placeholders (their values are not ours to judge), URLs and template leftovers."""
    for start, end, _ in reversed(template_problems(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return without_templates(PLACEHOLDER_RE.sub(" ", text))


# Two capitals in a row in Latin or Cyrillic script (a superset test: Latin Extended-A mixes cases);
# letters of any other script (Greek, Armenian...) take the slow path instead.
_UPPER_PAIR = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЂ-Џ]{2}")
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-zÀ-ɏЀ-ӿ]")


def _caps_words(text: str, allowed: set[str]) -> list[str]:
    """Words in capitals (two letters or more) that are not allowed acronyms or quoted keywords."""
    if not _UPPER_PAIR.search(text) and not _OTHER_SCRIPT.search(text):
        return []  # no two capitals in a row: the common case, told by one regex scan
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        if not word.isupper() or _letters(word) < 2 or word in allowed:
            continue
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if before and after and before in _QUOTES_BEFORE and after in _QUOTES_AFTER:
            continue
        found.append(word)
    return found


def _letters(word: str) -> int:
    return sum(char.isalpha() for char in word)


def _bang_count(run: str) -> int:
    return sum(2 if char == "‼" else 1 for char in run if char != "\ufe0f")
