"""BL102 machine-speak: system or error jargon shown to a person.

What it does
    Reports what the bot sends that reads like an error dialog, a log line or
    a program's output rather than a person, in any language:

    - the wording of error dialogs, from the flow language's `machine_speak`
      list ("Invalid input", "An error has occurred", "Processing...",
      "request timed out", "Ungültige Eingabe", "Zeitüberschreitung der
      Anfrage", "превышено время ожидания", "isteklo vrijeme zahtjeva", ...);
    - by their shape, whatever the language:
      an empty value a template printed (`empty_values`: "Hi undefined!",
      "Your table for None", "Status: null"), except where the language's
      `machine_speak_shapes.prose_values` says the spelling is an ordinary
      word ("None of these", "null and void", "null Euro");
      an error constant in SCREAMING_SNAKE_CASE ("ERR_TIMEOUT",
      "INVALID_STATE": `constant_min_parts` parts of two or more letters),
      unless it follows a word of `machine_speak_shapes.wanted_code` or of
      `keyword_verbs` (the code the person came for or is told to type: "use
      code SPRING_SALE", "type MAIN_MENU") and neither a failure word before
      it nor one of `constant_error_parts` inside it says it is an error,
      and unless a `price` stands on its line (a catalogue item:
      "SUMMER_DRESS_BLUE, 59 EUR");
      an exception or error class name (`exception_suffixes`:
      "NullPointerException", "ValueError");
      a JSON fragment ({"error": ...});
      an HTTP status with its reason ("503 Service Unavailable") or an error
      number after an error word of the language
      (`machine_speak_shapes.error_code`: "Error 404", "Fehlercode 12",
      "код ошибки 500", "kod greške 12"), and a bare status in brackets
      ("(503)") after words of the same sentence that say something failed
      (`machine_speak_shapes.failure`).

    Never reported: placeholders, template leftovers (BL109 reports those),
    URLs and e-mail addresses; a phone number ("(503) 555-0142"), an order
    number or a price, which no error word introduces. Flows in a language
    without a lexicon are skipped.

    "Error 503: ERR_TIMEOUT (request timed out). Your order: null" is
    reported for 'Error 503', 'ERR_TIMEOUT', 'request timed out' and 'null'.

Why is this bad
    The person did nothing "invalid": they wrote to a business in their own
    words. Jargon and program output make them feel they broke something and
    give them no idea what to do next, so many simply leave.

Example
    Bad:
        flow orders:
          channel messenger
          trigger message
          step start:
            ask "Invalid input. Please select an option from the menu.":
              reply "Track my order" -> track
              otherwise -> start
          step track:
            say "Your order ships tomorrow."
            end
    Good:
        flow orders:
          channel messenger
          trigger message
          step start:
            ask "Sorry, I didn't catch that. Want to track your order?":
              reply "Track my order" -> track
              otherwise -> start
          step track:
            say "Your order ships tomorrow."
            end
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field, field_validator

from linter.core.options import RuleOptions
from linter.model.analysis import bot_texts
from linter.model.text import EMAIL_RE, PLACEHOLDER_RE, URL_RE, template_problems
from linter.rules._wording import quote_all
from linter.rules.base import rule


# SCREAMING_SNAKE: capitals and digits joined by underscores, never part of a longer word,
# a hashtag, a mention, a path or a file name.
_CONSTANT = re.compile(r"(?<![\w#@$%/.\-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![\w\-]|\.\w)")
_LETTER_PART = re.compile(r"[A-Z]{2,}")
# A JSON object or array of objects: an opening brace and a quoted key with a colon.
_JSON = re.compile(r"[\[{]\s*(?:\"[^\"\n{}]{1,40}\"|'[^'\n{}]{1,40}')\s*:\s*[^\s,}](?:[^{}\n]{0,60}\})?")
# A status in brackets: "(503)", "[HTTP 500]"; not the area code of a phone number.
_BRACKETED_STATUS = re.compile(r"[(\[](?:HTTP\s*)?[45]\d\d[)\]](?!\s*\d)")
# Between a word that wants a code and the code: spaces, a colon, a number sign, quotes.
# Between the word that wants a code and the code: marks, dashes and at most one short word
# ("code: X", "промокод — X", "your code is X", "Code lautet X", "kod je X").
_BEFORE_CODE = re.compile(r"[\s:#№\"'«»„“”‘’—–-]*(?:\w{1,6}[\s:#№\"'«»„“”‘’—–-]+)?$")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_LOOKBACK = 40  # characters before a constant read for a word that wants a code


class Options(RuleOptions):
    empty_values: list[str] = Field(description="what a program prints for a missing value (case matters)")
    constant_min_parts: int = Field(ge=1, description=(
        "parts of two or more letters that make a SCREAMING_SNAKE word an error constant"))
    constant_error_parts: list[str] = Field(description=(
        "parts that make a constant an error whatever precedes it (ORDER_NOT_FOUND after \"your order\")"))
    exception_suffixes: list[str] = Field(description="endings of exception and error class names")
    http_status: str = Field(description="a regular expression for an HTTP status with its reason")
    price: str = Field(description="a regular expression for a price, which makes a constant on its line a catalogue code")

    @field_validator("http_status", "price")
    @classmethod
    def _a_regular_expression(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value


@rule(code="BL102", name="machine-speak", severity="warning", summary="system or error jargon shown to a person",
      options=Options)
def RULE(ctx):
    shapes = _shapes(tuple(str(value) for value in ctx.options.empty_values or ()),
                     tuple(str(suffix) for suffix in ctx.options.exception_suffixes or ()),
                     str(ctx.options.http_status or ""), str(ctx.options.price or ""))
    min_parts = int(ctx.options.constant_min_parts or 2)
    error_parts = {str(part).upper() for part in ctx.options.constant_error_parts or ()}
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        for text in bot_texts(flow):
            found = [(m.start, m.end) for m in lexicon.find("machine_speak", text.text)]
            found += _shaped(text.text, lexicon, shapes, min_parts, error_parts)
            if found:
                yield ctx.finding(text.node, f"system jargon shown to the person: "
                                             f"{quote_all(text.text[start:end] for start, end in _merged(found))}",
                                  "say in plain words what happened and what they can do now, "
                                  "e.g. \"Sorry, I didn't catch that. Tap a button below or type your order number.\"")


@lru_cache(maxsize=16)
def _shapes(empty_values: tuple[str, ...], suffixes: tuple[str, ...], http_status: str, price: str) -> dict:
    def alternation(words):
        return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))

    return {
        # An empty value standing as a word of its own: not inside a longer word, name or path.
        "empty": re.compile(rf"(?<![\w\-./])(?:{alternation(empty_values)})(?![\w\-]|\.\w)") if empty_values else None,
        # NullPointerException, ValueError, java.io.IOException: a capitalised name with more before the suffix.
        # At most 20 package names before it: unbounded, every start in a long "a.b.a.b…" run scanned
        # the rest of the run (quadratic).
        "exception": (re.compile(rf"(?<![\w\-])(?:[a-z]\w*\.){{0,20}}[A-Z][A-Za-z0-9]*[A-Za-z0-9](?:{alternation(suffixes)})\b")
                      if suffixes else None),
        "http": re.compile(http_status, re.IGNORECASE) if http_status else None,
        "price": re.compile(price) if price else None,
    }


def _masked(text: str) -> str:
    """The text with placeholders, template leftovers, URLs and e-mail addresses blanked out, positions kept."""
    spans = [m.span() for pattern in (PLACEHOLDER_RE, URL_RE, EMAIL_RE) for m in pattern.finditer(text)]
    spans += [(start, end) for start, end, kind in template_problems(text) if not kind.startswith("stray")]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _shaped(raw: str, lexicon, shapes: dict, min_parts: int, error_parts: set[str]) -> list[tuple[int, int]]:
    text = _masked(raw)
    found: list[tuple[int, int]] = []
    if shapes["empty"] is not None:
        prose = [(m.start, m.end) for m in lexicon.find("machine_speak_shapes.prose_values", text)]
        found += [m.span() for m in shapes["empty"].finditer(text)
                  if not any(start <= m.start() and m.end() <= end for start, end in prose)]
    wanted = None
    for m in _CONSTANT.finditer(text):
        parts = m[0].split("_")
        if sum(1 for part in parts if _LETTER_PART.search(part)) < min_parts:
            continue
        if wanted is None:
            wanted = [w.end for key in ("machine_speak_shapes.wanted_code", "keyword_verbs")
                      for w in lexicon.find(key, text)]
        before = text[max(0, m.start() - _LOOKBACK):m.start()]
        asked = any(_BEFORE_CODE.fullmatch(text[end:m.start()]) for end in wanted if end <= m.start())
        if error_parts.isdisjoint(parts) and not lexicon.find("machine_speak_shapes.failure", before):
            if asked:
                continue  # the code the person came for or is told to type: "use code SPRING_SALE"
            line_start, line_end = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end())
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            if shapes["price"] is not None and shapes["price"].search(line):
                continue  # a catalogue item: "SUMMER_DRESS_BLUE, 59 EUR"
        found.append(m.span())
    for key in ("exception", "http"):
        if shapes[key] is not None:
            found += [m.span() for m in shapes[key].finditer(text)]
    found += [m.span() for m in _JSON.finditer(text)]
    found += [(m.start, m.end) for m in lexicon.find("machine_speak_shapes.error_code", text)]
    if "(" in text or "[" in text:
        for sentence in _SENTENCE.finditer(text):
            for m in _BRACKETED_STATUS.finditer(sentence[0]):
                if lexicon.find("machine_speak_shapes.failure", sentence[0][:m.start()]):
                    found.append((sentence.start() + m.start(), sentence.start() + m.end()))
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in text order, one where they overlap (the longer wins)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
