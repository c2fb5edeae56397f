"""Where a finding sits in the flow (flow and step), what text it is about, and a fingerprint.

A fingerprint names a finding without its line number: the rule, the file,
the step it sits in and a hash of the offending text. Adding a step above it,
or re-indenting the file, leaves it unchanged; editing the offending text or
moving it to another step changes it. Baselines and SARIF use it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Callable, Iterable

from linter.rules.base import Finding

SNIPPET_MAX_CHARS = 400
SNIPPET_MAX_LINES = 6  # a longer span (a whole flow) is named by its first line
_BLANKS = re.compile(r"\s+")


class _Places:
    """Flow and step spans of one document, per file, to find what contains a position."""

    def __init__(self, document, default_file: str) -> None:
        self.steps: dict[str, list[tuple[tuple[int, int], tuple[int, int], str, str | None]]] = {}
        for flow in document.flows:
            self._add(flow.span, flow.name, None, default_file)
            for step in flow.steps:
                self._add(step.span, flow.name, step.name, default_file)

    def _add(self, span, flow: str, step: str | None, default_file: str) -> None:
        if span is not None:
            entry = ((span.line, span.col), (span.end_line, span.end_col), flow, step)
            self.steps.setdefault(span.file or default_file, []).append(entry)

    def around(self, file: str, line: int, col: int) -> tuple[str | None, str | None]:
        """The innermost flow and step whose span holds (line, col)."""
        best: tuple[str | None, str | None] = (None, None)
        best_size = None
        for start, end, flow, step in self.steps.get(file, ()):
            if start <= (line, col) <= end:
                size = (end[0] - start[0], end[1] - start[1])
                if best_size is None or size < best_size:
                    best, best_size = (flow, step), size
        return best


def snippet(text: str, line: int, col: int, end_line: int, end_col: int) -> str:
    """The source text of a span; a point span gives the rest of its line."""
    lines = text.split("\n") if text else []
    if not 0 < line <= len(lines):
        return ""
    if (end_line, end_col) <= (line, col) or end_line - line >= SNIPPET_MAX_LINES:
        return lines[line - 1][col - 1:].strip()[:SNIPPET_MAX_CHARS]
    if end_line == line:
        return lines[line - 1][col - 1:end_col - 1][:SNIPPET_MAX_CHARS]
    parts = [lines[line - 1][col - 1:]] + lines[line:end_line - 1]
    if end_line <= len(lines):
        parts.append(lines[end_line - 1][:end_col - 1])
    return "\n".join(parts).strip()[:SNIPPET_MAX_CHARS]


def fingerprint(finding: Finding) -> str:
    offending = _BLANKS.sub(" ", finding.snippet).strip() or finding.message
    key = "\0".join((finding.code, finding.path, finding.flow or "", finding.step or "", offending))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def identify(findings: Iterable[Finding], document, default_file: str,
             source_of: Callable[[str], str]) -> list[Finding]:
    """The findings with flow, step, snippet and fingerprint filled in.

    `source_of(path)` gives the text of a file findings point into ('' if unknown).
    """
    places = _Places(document, default_file)
    texts: dict[str, str] = {}
    identified = []
    for finding in findings:
        if finding.path not in texts:
            texts[finding.path] = source_of(finding.path)
        flow, step = places.around(finding.path, finding.line, finding.col)
        text = snippet(texts[finding.path], finding.line, finding.col, finding.end_line, finding.end_col)
        located = replace(finding, flow=flow, step=step, snippet=text)
        identified.append(replace(located, fingerprint=fingerprint(located)))
    return identified
