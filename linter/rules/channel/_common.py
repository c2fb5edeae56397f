"""What the channel rules share: which texts go out as messages, interactive message kinds, SMS encoding.

Placeholders count as written (`{first_name|there}` is 18 characters), the
same as BL601: the value is unknown, and the written form is a stand-in of
similar length. A fallback is sent as written when the variable is empty, so
the SMS rules also check its characters against GSM-7; the braces, the bar
and the variable's name never reach the phone and count as plain characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

from linter.model.analysis import BotText, bot_texts, walk_statements
from linter.model.flow import Ask, Flow, Option
from linter.model.text import placeholders

# Texts sent as ordinary messages in the flow's channel (not labels, notes or posts).
_MESSAGE_KINDS = ("say", "ask", "tell", "off_hours")


def message_texts(flow: Flow) -> Iterator[BotText]:
    """Every message the bot sends in the flow's channel, in source order."""
    return (text for text in bot_texts(flow) if text.kind in _MESSAGE_KINDS)


def describe(message: BotText) -> str:
    """What a finding calls this text: "message", or which part of a handoff it is."""
    return {"tell": "handoff 'tell' message", "off_hours": "handoff 'off-hours' message"}.get(message.kind, "message")


def shorten(text: str, width: int = 40) -> str:
    """A text short enough to quote in a finding."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"


def around(text: str, index: int, width: int = 16) -> str:
    """The words around position `index`, to show where in a long text something is."""
    start, end = max(0, index - width), min(len(text), index + width + 1)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    snippet = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# --- interactive messages (quick replies, button templates, WhatsApp buttons and lists) ---

_OPTION_FIELDS = ("replies", "buttons", "rows")


def questions(flow: Flow) -> Iterator[Ask]:
    return (node for node in walk_statements(flow) if isinstance(node, Ask))


@dataclass(frozen=True)
class Interactive:
    """One interactive message kind of a channel and the options of a question it carries."""

    kind: str  # e.g. quick_replies
    spec: dict[str, Any]  # max_options, label_max_chars, text_max_chars (each optional)
    options: list[Option]

    @property
    def title(self) -> str:
        """How findings name it: "quick replies", "a button template"."""
        return self.spec.get("name") or self.kind.replace("_", " ")


def interactive_parts(ask: Ask, channel_data: dict[str, Any]) -> Iterator[Interactive]:
    """The channel's interactive message kinds that this question uses (it has options they carry)."""
    for kind, spec in (channel_data.get("interactive") or {}).items():
        carried = [field for field in spec.get("carries", []) if field in _OPTION_FIELDS]
        options = [option for field in carried for option in getattr(ask, field)]
        if options:
            yield Interactive(kind, spec, options)


# --- SMS: GSM-7 or UCS-2, and how many segments --------------------------------------

@dataclass(frozen=True)
class SmsEncoding:
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # septets (GSM-7) or UTF-16 units (UCS-2)
    segments: int
    foreign: tuple[str, ...]  # characters outside GSM-7, each once, in order of appearance
    foreign_count: int  # how many characters of the text are outside GSM-7
    counted: int  # characters considered (whitespace excluded), for shares
    segments_as_gsm7: int  # segments with each foreign character replaced by its GSM-7 stand-in or dropped


def _placeholder_syntax(text: str) -> set[int]:
    """Positions of placeholder syntax and names: stand-ins for a value, never sent as written."""
    positions: set[int] = set()
    for found in placeholders(text):
        kept = range(0)
        if found.fallback is not None:
            start = found.end - 1 - len(found.fallback)
            kept = range(start, found.end - 1)
        positions.update(i for i in range(found.start, found.end) if i not in kept)
    return positions


def _pack(costs: list[int], single: int, concatenated: int) -> int:
    """Segments for units of these sizes; a unit (an escape pair, a surrogate pair) is never split."""
    total = sum(costs)
    if total == 0:
        return 0
    if total <= single:
        return 1
    segments, used = 1, 0
    for cost in costs:
        if used + cost > concatenated:
            segments, used = segments + 1, 0
        used += cost
    return segments


def sms_encoding(text: str, data: dict[str, Any]) -> SmsEncoding | None:
    """How an SMS carries `text` under a channel's data; None if the channel has no SMS data."""
    basic, extension, sizes = data.get("gsm7_basic"), data.get("gsm7_extension", ""), data.get("segments")
    if not basic or not sizes:
        return None
    stand_ins = _placeholder_syntax(text)
    gsm_costs: list[int] = []
    ucs_costs: list[int] = []
    foreign: dict[str, None] = {}
    foreign_count = counted = 0
    for index, char in enumerate(text):
        ucs_costs.append(2 if ord(char) > 0xFFFF else 1)
        if not char.isspace():
            counted += 1
        if index in stand_ins or char in basic:
            gsm_costs.append(1)
        elif char in extension:
            gsm_costs.append(2)
        else:
            # As if the hint were followed: replaced by its GSM-7 stand-in, or dropped.
            replacement = gsm7_replacement(char, data) or ""
            gsm_costs.extend(2 if c in extension else 1 for c in replacement)
            foreign.setdefault(char)
            foreign_count += 1
    gsm7, ucs2 = sizes["gsm7"], sizes["ucs2"]
    as_gsm7 = _pack(gsm_costs, gsm7["single"], gsm7["concatenated"])
    if foreign:
        return SmsEncoding("UCS-2", sum(ucs_costs), _pack(ucs_costs, ucs2["single"], ucs2["concatenated"]),
                           tuple(foreign), foreign_count, counted, as_gsm7)
    return SmsEncoding("GSM-7", sum(gsm_costs), as_gsm7, (), 0, counted, as_gsm7)


def per_segment(encoding: SmsEncoding, data: dict[str, Any]) -> int:
    sizes = data["segments"]["gsm7" if encoding.encoding == "GSM-7" else "ucs2"]
    return sizes["single"] if encoding.segments <= 1 else sizes["concatenated"]


def describe_char(char: str) -> str:
    """'’' (U+2019 RIGHT SINGLE QUOTATION MARK)."""
    name = unicodedata.name(char, "")
    shown = repr(char)[1:-1] if not char.isprintable() or char.isspace() else char
    return f"'{shown}' (U+{ord(char):04X}{' ' + name if name else ''})"


def glyph(text: str) -> str:
    """A character or short string as a hint can show it: invisible ones by code point."""
    if text == " ":
        return "a space"
    return "".join(c if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}" for c in text)


def gsm7_replacement(char: str, data: dict[str, Any]) -> str | None:
    """A GSM-7 stand-in for `char`: from the channel's table, else its base letter (č -> c); None if none."""
    allowed = data.get("gsm7_basic", "") + data.get("gsm7_extension", "")
    replacement = (data.get("gsm7_replacements") or {}).get(char)
    if replacement is None:
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        replacement = base if base != char else None
    if replacement and all(c in allowed for c in replacement):
        return replacement
    return None
