"""Where a finding sits in the flow (flow and step), what text it is about, and a fingerprint.

A fingerprint names a finding without its line number: the rule, the file,
the step it sits in and a hash of the offending text. Adding a step above it,
or re-indenting the file, leaves it unchanged; editing the offending text or
moving it to another step changes it. Baselines and SARIF use it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from typing import Callable, Iterable

from linter.core.findings import Finding

SNIPPET_MAX_CHARS = 400
SNIPPET_MAX_LINES = 6  # a longer span (a whole flow) is named by its first line
_BLANKS = re.compile(r"\s+")


class _Places:
    """Flow and step spans of one document, per file, to find what contains a position.

    Looked up once per finding: with thousands of steps and of findings, a scan of every
    span per finding would be quadratic, so each file's spans are sorted by start. Flows and
    steps are kept apart: a flow's span covers all its steps and would lengthen every walk."""

    def __init__(self, document, default_file: str) -> None:
        entries: dict[tuple[str, bool], list] = {}  # (file, is a step) -> spans
        order = 0
        for flow in document.flows:
            for span, step in [(flow.span, None)] + [(step.span, step.name) for step in flow.steps]:
                if span is not None:
                    key = (span.file or default_file, step is not None)
                    entries.setdefault(key, []).append(
                        ((span.line, span.col), (span.end_line, span.end_col), order, flow.name, step))
                    order += 1
        self.spans = {key: _Spans(found) for key, found in entries.items()}

    def around(self, file: str, line: int, col: int) -> tuple[str | None, str | None]:
        """The innermost flow and step whose span holds (line, col); the first of equals."""
        candidates = [entry for is_step in (True, False) if (file, is_step) in self.spans
                      for entry in self.spans[file, is_step].containing((line, col))]
        if not candidates:
            return None, None
        _, _, _, flow, step = min(candidates, key=lambda e: ((e[1][0] - e[0][0], e[1][1] - e[0][1]), e[2]))
        return flow, step


class _Spans:
    """Spans sorted by start, with the furthest end reached so far: a lookup walks back from
    the position only while an earlier span could still reach it (one or two, for spans that
    do not overlap)."""

    def __init__(self, entries: list) -> None:
        self.entries = sorted(entries)
        self.starts = [entry[0] for entry in self.entries]
        self.reach, furthest = [], (0, 0)
        for entry in self.entries:
            furthest = max(furthest, entry[1])
            self.reach.append(furthest)

    def containing(self, position: tuple[int, int]):
        index = bisect.bisect_right(self.starts, position) - 1
        while index >= 0 and self.reach[index] >= position:
            entry = self.entries[index]
            if entry[1] >= position:
                yield entry
            index -= 1


def snippet(lines: list[str], line: int, col: int, end_line: int, end_col: int) -> str:
    """The source text of a span (in a file's `lines`); a point span gives the rest of its line."""
    if not 0 < line <= len(lines):
        return ""
    if (end_line, end_col) <= (line, col) or end_line - line >= SNIPPET_MAX_LINES:
        rest = lines[line - 1][col - 1:].strip()
        if _BLOCK_SCALAR.search(rest):  # `text: |-`: the text is the block below, not the key
            rest = "\n".join([rest] + _block_lines(lines, line))
        return rest[:SNIPPET_MAX_CHARS]
    if end_line == line:
        return lines[line - 1][col - 1:end_col - 1][:SNIPPET_MAX_CHARS]
    parts = [lines[line - 1][col - 1:]] + lines[line:end_line - 1]
    if end_line <= len(lines):
        parts.append(lines[end_line - 1][:end_col - 1])
    return "\n".join(parts).strip()[:SNIPPET_MAX_CHARS]


_BLOCK_SCALAR = re.compile(r"(?:^|:\s)[|>][-+0-9]*$")


def _block_lines(lines: list[str], line: int) -> list[str]:
    """The lines of a YAML block scalar whose indicator ends line `line` (1-based): every following
    line indented deeper than that line, blank lines included, up to SNIPPET_MAX_LINES."""
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    block: list[str] = []
    for text in lines[line:line + SNIPPET_MAX_LINES]:
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        block.append(text.strip())
    while block and not block[-1]:
        block.pop()
    return block


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
    lines: dict[str, list[str]] = {}  # per file, split once
    identified = []
    for finding in findings:
        if finding.path not in lines:
            text = source_of(finding.path)
            lines[finding.path] = text.split("\n") if text else []
        flow, step = places.around(finding.path, finding.line, finding.col)
        text = snippet(lines[finding.path], finding.line, finding.col, finding.end_line, finding.end_col)
        located = finding._replace(flow=flow, step=step, snippet=text)
        identified.append(located._replace(fingerprint=fingerprint(located)))
    return identified
