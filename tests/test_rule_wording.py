"""One wording for every family's findings: quotes and durations."""

import math

import pytest

from linter.rules._wording import duration, quote, quote_all


@pytest.mark.parametrize("seconds, said", [
    (45, "45 seconds"), (60, "1 minute"), (1200, "20 minutes"), (3600, "1 hour"), (86400, "24 hours"),
    (93600, "26 hours"), (172800, "2 days"), (216000, "2.5 days"), (604800, "7 days"), (1209600, "2 weeks"),
    (math.inf, "an unbounded time"),
])
def test_duration_is_said_as_a_person_says_it(seconds, said):
    assert duration(seconds) == said


def test_quotes_are_one_line_and_cut():
    assert quote("Hi  there,\nfriend") == "'Hi there, friend'"
    long = quote("word " * 30)
    assert long.endswith("…'") and len(long) <= 62
    assert quote_all(["a", "b", "a", "c", "d"]) == "'a', 'b', 'c' and 1 more"
    assert quote_all(["a", "b"]) == "'a' and 'b'"
