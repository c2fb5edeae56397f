"""How findings quote texts and say durations: one wording for every family."""

from __future__ import annotations

import math
from typing import Iterable

QUOTE_CHARS = 60  # longer quotes are cut: the finding points at the line anyway
MAX_QUOTED = 3  # phrases quoted in one message before "and N more"
_HOUR, _DAY, _WEEK = 3600, 86400, 604800


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """'the text' on one line, cut with … past `limit` characters."""
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[:limit - 1].rstrip() + '…'}'"


def quote_all(phrases: Iterable[str]) -> str:
    """'a', 'b' and 'c' (distinct, in order; the rest counted)."""
    unique = list(dict.fromkeys(" ".join(phrase.split()) for phrase in phrases))
    shown = [quote(phrase) for phrase in unique[:MAX_QUOTED]]
    rest = len(unique) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def duration(seconds: float) -> str:
    """A span of time as a person says it: "20 minutes", "26 hours", "3 days", "2.5 days", "2 weeks"."""
    if math.isinf(seconds):
        return "an unbounded time"
    if seconds < _HOUR:
        return _count(seconds / 60, "minute") if seconds >= 60 else _count(seconds, "second")
    if seconds < 2 * _DAY:
        return _count(seconds / _HOUR, "hour")
    if seconds >= 2 * _WEEK and seconds % _WEEK == 0:
        return _count(seconds / _WEEK, "week")
    return _count(seconds / _DAY, "day")


def _count(amount: float, unit: str) -> str:
    rounded = round(amount, 1)
    shown = f"{int(rounded)}" if rounded == int(rounded) else f"{rounded}"
    return f"{shown} {unit}{'' if shown == '1' else 's'}"
