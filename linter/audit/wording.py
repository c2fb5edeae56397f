"""How the audit words times and counts: "2d", "1d 8h", "+2d–5d", "3 errors"."""

from __future__ import annotations

import math

_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def duration(seconds: float) -> str:
    """At most two units, largest first: 0, 45s, 30m, 4h, 1d 8h, 7d."""
    if math.isinf(seconds):
        return "∞"
    seconds = int(round(seconds))
    if seconds == 0:
        return "0"
    parts = []
    for unit, size in _UNITS:
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
        if len(parts) == 2:
            break
    return " ".join(parts)


def span(low: float, high: float) -> str:
    """A [low, high] range: "2d", "2d–5d", "2d or later"."""
    if math.isinf(high):
        return f"{duration(low)} or later"
    if high <= low:
        return duration(low)
    return f"{duration(low)}–{duration(high)}"


def duration_text(text: str | None) -> str:
    """A flow's duration literal ("48h", "1w") in the report's units ("2d", "7d")."""
    from linter.model.flow import duration_seconds

    return duration(duration_seconds(text)) if text else ""


def zone(timezone: str | None) -> str:
    return "the recipient's time" if timezone in (None, "recipient") else timezone


def business_hours(hours) -> str:
    """A handoff's `hours`: "mon–fri 09:00–18:00 Europe/Berlin"."""
    days = f"{hours.days[0]}–{hours.days[-1]}" if len(hours.days) > 2 else ", ".join(hours.days)
    return f"{days} {hours.start}–{hours.end} {zone(hours.timezone)}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def severity_counts(counts: dict[str, int]) -> str:
    """"2 errors, 1 warning" (severities with no findings left out); "no findings"."""
    parts = [plural(count, severity) for severity, count in counts.items() if count]
    return ", ".join(parts) if parts else "no findings"
