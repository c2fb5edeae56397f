"""Reporters: findings and errors in, text out. A new output format goes here.

A reporter never judges: it prints what the engine found, in its format.
"""

from __future__ import annotations

from typing import Callable, TextIO

from linter.engine.runner import LintResult


def get_reporter(name: str) -> Callable[..., None]:
    if name == "json":
        from linter.report.json import report
    else:
        from linter.report.text import report
    return report


FORMATS = ("text", "json")
__all__ = ["FORMATS", "LintResult", "TextIO", "get_reporter"]
