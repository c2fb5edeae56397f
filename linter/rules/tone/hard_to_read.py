"""BL104 hard-to-read: a message scores as hard text, or has a sentence too long for its channel.

What it does
    Measures the prose of every text the bot sends: the lines that read as
    sentences. List and menu items, card fields ("Email: ana@example.com"),
    headings, enumerations after a colon, URLs, e-mail addresses and phone
    numbers are not sentences and are left out; a line break ends a sentence
    unless the next line goes on in lower case. Prose of at least
    `min_words` words (shorter texts give unstable scores) is scored with
    the readability formula of the flow's language, as set in its lexicon:
    Flesch Reading Ease with the language's constants for English, German
    and Russian, LIX for Croatian; the text is reported when the score is
    past the language's "hard" line (checked on real chat replies in each
    language); under `steady_words` words the score must be past the line
    by `short_text_margin` points, since in a text that short one or two
    long everyday words ("круглосуточно", "information") decide the score;
    so must a text whose sentences average `plain_sentence_words` words or
    fewer, which only its long words (German compounds, product names) make
    hard. Separately, it reports a sentence with more words than
    `max_sentence_words` allows for the channel (a mapping of channel to
    number, with a `default`; an `action email` counts as email): words are
    counted the same way in every language, a hyphenated word as one. A flow in a language without
    readability data gets the sentence check only, and a message that does
    not read as the flow's language (too few of the language's
    `function_words`) is skipped: a Spanish reply in a project that never
    set its language is not judged as English.

Why is this bad
    People read chat on a phone, between other things. Long sentences and
    long words make them re-read, scroll back or give up; the message that
    needed the most care (terms, refunds, errors) is the one nobody finishes.
    This is advice rather than a defect, hence the default severity of info:
    formulas are rough on short texts.

Example
    Bad:
        flow refunds:
          channel messenger
          trigger message keywords "refund"
          step refund:
            say \"\"\"
                In accordance with our terms, reimbursement eligibility necessitates
                verification of the original transaction documentation.
                \"\"\"
            end
    Good:
        flow refunds:
          channel messenger
          trigger message keywords "refund"
          step refund:
            say "You can get your money back. Just send us a photo of your receipt."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import bot_texts
from linter.model.text import abbreviations_of, prose, prose_sentences, reads_as, readability, word_count, words
from linter.rules._wording import quote
from linter.rules.base import rule
from linter.rules.tone._common import medium, per_channel


class Options(RuleOptions):
    min_words: int = Field(ge=0, description="prose shorter than this is not scored")
    steady_words: int = Field(ge=0, description=(
        "under this many words the score must be past the line by `short_text_margin` points"))
    short_text_margin: float = Field(ge=0, description=(
        "how far past the line the score of a short text, or of one in short sentences, must be"))
    plain_sentence_words: float = Field(ge=0, description=(
        "sentences this long or shorter on average leave only the words to make a text hard: its "
        "score must be `short_text_margin` past the line"))
    max_sentence_words: dict[str, int | None] = Field(description=(
        "the longest sentence per channel, with a `default`"))


@rule(code="BL104", name="hard-to-read", severity="info", summary="message hard to read on a phone",
      options=Options)
def RULE(ctx):
    min_words = ctx.options.min_words
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        settings = lexicon.value("readability") if lexicon else None
        if not isinstance(settings, dict):
            settings = None  # no readability data for the flow's language: sentence length only
        channel = ctx.channel(flow)
        for text in bot_texts(flow):
            written = prose(text.text)
            if not written or (settings is not None and not reads_as(written, settings)):
                continue  # no sentences, or not written in the flow's language
            where = medium(channel, text)
            problems = [problem for problem in (
                _hard_score(written, settings, min_words, ctx.options) if settings is not None else None,
                _long_sentence(written, per_channel(ctx.options.max_sentence_words, where), where,
                               abbreviations_of(settings)),
            ) if problem]
            if problems:
                yield ctx.finding(text.node, "hard to read: " + "; ".join(problems),
                                  "split long sentences and prefer short, everyday words")


def _hard_score(text: str, settings, min_words: int | None, options) -> str | None:
    if not min_words or len(words(text)) < min_words:
        return None  # too short for a stable score (and the cheap test first)
    score = readability(text, settings)
    if score is None or score.words < min_words or not score.hard:
        return None
    short_text = score.words < (options.steady_words or 0)
    short_sentences = score.words_per_sentence <= (options.plain_sentence_words or 0)
    if (short_text or short_sentences) and not _far_past(score, settings, options.short_text_margin or 0):
        # Near the line, a short text or one of short sentences is hard only by its long words:
        # a product name or a compound or two ("Telekommunikationsbereich") decides, not the writing.
        return None
    if score.formula == "flesch":
        return f"Flesch reading ease {score.score:g} ({_line('below', settings.get('hard_below'))})"
    return f"LIX {score.score:g} ({_line('above', settings.get('hard_above'))})"


def _far_past(score, settings, margin: float) -> bool:
    """The score is past the language's hard line by at least `margin` points."""
    if score.formula == "flesch":
        line = settings.get("hard_below")
        return isinstance(line, (int, float)) and score.score < line - margin
    line = settings.get("hard_above")
    return isinstance(line, (int, float)) and score.score > line + margin


def _line(side: str, value) -> str:
    return f"{side} {value:g} is hard" if isinstance(value, (int, float)) else "hard for this language"


def _long_sentence(text: str, limit: int | None, where: str | None, abbreviations: frozenset[str]) -> str | None:
    if not limit or len(words(text)) <= limit:
        return None  # no sentence can be longer than the whole text
    counted = [(word_count(sentence), sentence) for sentence in prose_sentences(text, abbreviations)]
    long = [(count, sentence) for count, sentence in counted if count > limit]
    if not long:
        return None
    count, sentence = max(long, key=lambda item: item[0])
    more = f" (and {len(long) - 1} more)" if len(long) > 1 else ""
    return f"a {count}-word sentence{more}, more than {limit} for {where or 'this channel'}: {quote(sentence)}"
