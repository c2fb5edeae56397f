"""What the handoff rules share: every handoff with the statement just before it, and duration options."""

from __future__ import annotations

import re
from typing import Annotated, Iterator

from pydantic import AfterValidator

from linter.model.flow import Flow, FollowUp, Handoff, Statement, duration_seconds

_DURATION = re.compile(r"[0-9]+[smhdw]")


# A clock time or a date ("18:00", "9.30", "15.05."): a number that says when by its shape. Other
# numbers say when only beside a time word of the language ("within 24 hours", "bis 15 Uhr",
# `handoff_time_words`); alone they are a ticket, a phone number or a count ("our 5 best tips").
_CLOCK_OR_DATE = re.compile(r"(?<![\d#№])\d{1,2}[:.]\d{2}(?!\d)")


def says_a_time(text: str) -> bool:
    """The text has a clock time or a date (see `_CLOCK_OR_DATE`)."""
    return _CLOCK_OR_DATE.search(text) is not None


def handoffs(flow: Flow) -> Iterator[tuple[Handoff, Statement | None]]:
    """Every handoff of a flow, in source order, with the statement before it in the same step (or None)."""
    for step in flow.steps:
        yield from _in_block(step.do)


def _in_block(statements: list[Statement]) -> Iterator[tuple[Handoff, Statement | None]]:
    previous = None
    for statement in statements:
        if isinstance(statement, Handoff):
            yield statement, previous
        elif isinstance(statement, FollowUp):
            yield from _in_block(statement.do)
        previous = statement


def states_handoff_terms(flow: Flow) -> bool:
    """Whether the flow's source can state a handoff's owner, SLA and timeout at all: botlint's own
    formats can; Rasa, Dialogflow CX, Typebot and the like cannot, so rules stay silent there."""
    return flow.origin is None


def team(handoff: Handoff) -> str | None:
    """The team named by `handoff to "..."`, if any (blank counts as none)."""
    return (handoff.handoff or "").strip() or None


def owner(handoff: Handoff) -> str | None:
    return (handoff.owner or "").strip() or None


def _a_duration(value: str) -> str:
    if not _DURATION.fullmatch(value.strip()):
        raise ValueError(f"must be a duration such as 24h, 2d or 90m, not {value!r}")
    return value.strip()


Duration = Annotated[str, AfterValidator(_a_duration)]  # an option such as "24h", checked when the pack loads


def duration_option(ctx, name: str) -> int | None:
    """A duration option such as "24h" in seconds; None if unset."""
    value = getattr(ctx.options, name)
    return None if value is None else duration_seconds(value)
