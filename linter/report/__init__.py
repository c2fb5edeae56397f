"""Reporters: findings and errors in, text out. A new output format goes here.

A reporter never judges: it prints what the engine found, in its format.
"""

from __future__ import annotations

from typing import Callable

FORMATS = ("text", "json")


def get_reporter(name: str) -> Callable[..., None]:
    if name == "json":
        from linter.report.json import report
    else:
        from linter.report.text import report
    return report

