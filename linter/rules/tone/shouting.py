"""BL103 shouting: words in capitals or runs of exclamation marks.

What it does
    Reports a message with `min_words` or more words in capitals standing in
    a row, one of them with `min_letters` letters or more ("WINTER SALE",
    "BUY NOW"), with `min_words` or more such long words scattered through it
    ("Our blend is BACK and it's GREAT"), or written in capitals as a whole,
    even a single word ("WRONG!"); and a message with a run of
    `exclamation_run` or more exclamation marks ("!!!", "‼‼", "❗❗❗").
    Never shouting: acronyms and keywords listed in `allowed_caps` (OK, FAQ,
    PDF, STOP, HELP, ...); names, which a scattered word in capitals is when
    it stands alone in brackets ("(SNPS)"), has no vowel ("DFMC"), or comes
    back in another message or twice in one ("JOSM", "SALIC"); words next to
    digits (codes such as SAVE20); what people are told to type or tap: a
    quoted keyword or button label (Reply "JOIN", Tap "TRACK ORDER") or words
    in capitals at most three words after a verb of the lexicon's
    `keyword_verbs`, in its clause ("type NEXT STEP", "reply with NEXT or
    BACK", "Antworten Sie bitte mit WEITER"); the values of a card's fields, in a
    message with two or more lines such as "Certificate: PAID" (data, not
    stress; a single "Today only: FREE SHIPPING" line still counts); a
    title in capitals, when `allow_headings` is on: the message's first
    paragraph, of lines of at most `heading_words` words each, without "!",
    above a body in sentence case ("LOW RISK", blank line, "Based on your
    answers..."), which plain-text channels cannot set in bold;
    placeholders (fallbacks included), template leftovers ("<INSERT LINK
    HERE>", which BL109 reports) and URLs.

Why is this bad
    In chat, capitals and "!!!" read as shouting or as spam; spam filters and
    people both learn to ignore them. Stress comes across better from a
    short, concrete sentence.

Example
    Bad:
        sequence promo:
          channel telegram
          trigger broadcast "Winter blend"
          audience opted-in
          step promo:
            say "HUGE NEWS!!! Our winter blend is BACK for ONE WEEK only!!!"
            end
    Good:
        sequence promo:
          channel telegram
          trigger broadcast "Winter blend"
          audience opted-in
          step promo:
            say "Good news: our winter blend is back, for one week only."
            end
"""

import re

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import bot_texts
from linter.model.text import PLACEHOLDER_RE, field_values, template_problems, without_templates
from linter.rules._wording import quote_all
from linter.rules.base import rule


# A word: letters, maybe joined by apostrophes; never glued to digits or underscores (SAVE20, FIRST_NAME).
_WORD = re.compile(r"(?<![\w'’])[^\W\d_]+(?:['’][^\W\d_]+)*(?![\w'’])")
_QUOTES_BEFORE = "\"'“„«‚‘"
_QUOTES_AFTER = "\"'”“»‘’"
# "!" and its look-alikes; "‼" is two of them. U+FE0F only asks for emoji presentation.
_BANGS = re.compile(r"(?:[!！❗❕‼]\ufe0f?)+")
_TWO_BANGS = re.compile(r"‼|[!！❗❕]\ufe0f?[!！❗❕‼]")


class Options(RuleOptions):
    min_letters: int = Field(ge=1, description="words in capitals count from this many letters (acronyms have 2-3)")
    min_words: int = Field(ge=1, description="this many words in capitals in one message are shouting")
    exclamation_run: int = Field(ge=1, description="this many exclamation marks in a row are shouting")
    allowed_caps: list[str] = Field(description="acronyms and keywords that are never shouting (case matters)")
    allow_headings: bool = Field(description="a short title in capitals above the body is a heading, not shouting")
    heading_words: int = Field(ge=1, description="the most words a line of such a title may have")


@rule(code="BL103", name="shouting", severity="warning", summary="words in capitals or runs of exclamation marks",
      options=Options)
def RULE(ctx):
    options = ctx.options
    allowed = {str(word) for word in options.allowed_caps or []}
    flows = list(ctx.flows())
    names = _names({text.text for flow in flows for text in bot_texts(flow)}, allowed)
    for flow in flows:
        lexicon = ctx.lexicon(flow)
        verbs = {verb.casefold() for verb in lexicon.entries("keyword_verbs")} if lexicon else set()
        for text in bot_texts(flow):
            readable = _readable(text.text)
            if options.allow_headings:
                readable = _without_heading(readable, options.heading_words or 0)
            whole = not any(char.islower() for char in without_templates(text.text))  # a placeholder reads as words
            problems = [problem for problem in (
                _capitals(readable, allowed, names, verbs, whole, options.min_letters, options.min_words),
                _exclamations(readable, options.exclamation_run),
            ) if problem]
            if problems:
                yield ctx.finding(text.node, "shouting: " + "; ".join(problems),
                                  "write in sentence case and end with at most one '!'; list real acronyms "
                                  "under BL103 allowed_caps")


def _capitals(text: str, allowed: set[str], names: set[str], verbs: set[str], whole: bool,
              min_letters: int | None, min_words: int | None) -> str | None:
    if not (min_letters and min_words):
        return None
    runs = _caps_runs(text, allowed, verbs)
    in_a_row = [word for run in runs if len(run) >= min_words and any(_letters(w) >= min_letters for w in run)
                for word in run]
    # Scattered words count unless they are names; words in a row shout even if they recur ("RISK DETECTED").
    long = [word for run in runs for word in run if _letters(word) >= min_letters and word not in names]
    if whole:  # a message written in capitals as a whole shouts with a single word too ("WRONG!")
        shouted = [word for run in runs for word in run]
    else:
        shouted = in_a_row if in_a_row else long if len(long) >= min_words else []
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
    """The text without placeholders (their values are not ours to judge), URLs, template leftovers
    and the values of a card's fields ("Status: PAID", data rather than wording)."""
    blanks = [(start, end) for start, end, _ in template_problems(text)] + field_values(text)
    if blanks:  # blanked in one list, not by rebuilding the text per span (30,000 stray braces: quadratic)
        chars = list(text)
        for start, end in blanks:
            chars[start:end] = " " * (end - start)
        text = "".join(chars)
    return without_templates(PLACEHOLDER_RE.sub(" ", text))


_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # <b>, </b>: markup, not words
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _without_heading(text: str, most_words: int) -> str:
    """The text with its title blanked: a first paragraph whose lines are in capitals, short and
    without "!", above a body that has lower-case letters."""
    parts = _PARAGRAPH_BREAK.split(text, maxsplit=1)
    if len(parts) < 2 or not any(char.islower() for char in _TAG.sub(" ", parts[1])):
        return text
    title = parts[0]
    lines = [_TAG.sub(" ", line) for line in title.splitlines() if line.strip()]
    if not lines or any(any(char.islower() for char in line) or "!" in line or len(line.split()) > most_words
                        or not any(char.isalpha() for char in line) for line in lines):
        return text
    return " " * len(title) + text[len(title):]


# Two capitals in a row in Latin or Cyrillic script (a superset test: Latin Extended-A mixes cases);
# letters of any other script (Greek, Armenian...) take the slow path instead.
_UPPER_PAIR = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЂ-Џ]{2}")
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-zÀ-ɏЀ-ӿ]")


def _caps_runs(text: str, allowed: set[str], verbs: set[str]) -> list[list[str]]:
    """Words in capitals (two letters or more), grouped into runs of words with only spaces
    between them; allowed words, names and what the person is told to type or tap are left out."""
    if not _UPPER_PAIR.search(text) and not _OTHER_SCRIPT.search(text):
        return []  # no two capitals in a row: the common case, told by one regex scan
    runs: list[list[str]] = []
    run: list[tuple[int, int]] = []  # spans of the current run
    verb_end = -1  # where the last verb of `keyword_verbs` ends
    end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        joined = bool(run) and not text[end:match.start()].strip()
        if word.isupper() and _letters(word) >= 2 and word not in allowed and not _abbreviation(text, match):
            if not joined:
                _close(text, run, runs, verb_end)
                run = []
            run.append(match.span())
        elif not (joined and word.isupper()):  # a one-letter capital ("I", "A") does not end a run
            _close(text, run, runs, verb_end)
            run = []
            if word.casefold() in verbs:
                verb_end = match.end()
        end = match.end()
    _close(text, run, runs, verb_end)
    return runs


# What the person is told to type: a run at most this many other words after the verb, in its clause.
_TOLD_WORDS = 3
_TOLD_REACH = 60  # characters: farther than this from the verb, a run is not what it asks for
_CLAUSE_MARK = re.compile(r"[,.;:!?]")


def _close(text: str, run: list[tuple[int, int]], runs: list[list[str]], verb_end: int) -> None:
    if not run:
        return
    start, end = run[0][0], run[-1][1]
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before and after and before in _QUOTES_BEFORE and after in _QUOTES_AFTER:
        return  # a quoted keyword or button label: Reply "JOIN", Tap "TRACK ORDER"
    if 0 <= verb_end and start - verb_end <= _TOLD_REACH:
        between = text[verb_end:start]
        if not _CLAUSE_MARK.search(between) and \
                sum(1 for word in _WORD.findall(between) if not word.isupper()) <= _TOLD_WORDS:
            return  # "type NEXT", "reply with NEXT or BACK", "Antworten Sie bitte mit WEITER"
    runs.append([text[a:b] for a, b in run])


def _abbreviation(text: str, match) -> bool:
    """Alone in brackets ("(SNPS)") or without a vowel ("DFMC"): an abbreviation, never stress."""
    bracketed = text[match.start() - 1:match.start()] == "(" and text[match.end():match.end() + 1] == ")"
    return bracketed or not _VOWELS.search(match.group())


def _names(texts: set[str], allowed: set[str]) -> set[str]:
    """Words in capitals used again, in another message or twice in one ("JOSM ... JOSM"): names
    the bot keeps using rather than stress."""
    seen: dict[str, int] = {}
    names = set()
    for text in texts:
        readable = _readable(text)
        if not _UPPER_PAIR.search(readable) and not _OTHER_SCRIPT.search(readable):
            continue
        for match in _WORD.finditer(readable):
            word = match.group()
            if not word.isupper() or _letters(word) < 2 or word in allowed:
                continue
            seen[word] = seen.get(word, 0) + 1
            if seen[word] > 1:
                names.add(word)
    return names


_VOWELS = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖØ-ÜАЕЁИОУЫЭЮЯІЇЄ]")


def _letters(word: str) -> int:
    return sum(char.isalpha() for char in word)


def _bang_count(run: str) -> int:
    return sum(2 if char == "‼" else 1 for char in run if char != "\ufe0f")
