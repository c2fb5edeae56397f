"""Inline suppressions, applied centrally (as sqlfluff's noqa): rules never see them, and the
suppressions report their own unused entries (BL900 unused-suppression).

    say "..."  # botlint: disable=BL101,BL102     this line
    # botlint: disable-next-line=BL101            the next line
    # botlint: disable-file=BL601                 the whole file (anywhere in it)
    # botlint: disable-file                       every rule, the whole file

Without `=CODES`, `disable` and `disable-next-line` silence every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from linter.core.errors import BotlintError
from linter.core.findings import Finding
from linter.rules import all_rules

UNUSED = "BL900"  # the rule that documents and configures the report of unused suppressions

_DIRECTIVE = re.compile(r"#\s*botlint\s*:\s*(?P<body>.*)$")
# Linear time: the codes run greedily to a '#' or the end (and are stripped after), so a long run of
# blanks cannot be split between the codes and the blanks after them in every way (quadratic).
_FORM = re.compile(r"^(?P<kind>disable-next-line|disable-file|disable)\s*(?:=(?P<codes>[^#]*))?(?:#.*)?$")


@dataclass
class Suppression:
    kind: str  # disable, disable-next-line, disable-file
    codes: frozenset[str] | None  # None: every rule
    line: int  # the line it silences (0 for the whole file)
    comment_line: int
    comment_col: int
    file: str | None = None  # None: the file being linted
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding, path: str) -> bool:
        return ((self.file or path) == finding.path and (self.line == 0 or self.line == finding.line)
                and (self.codes is None or finding.code in self.codes))


def parse_suppressions(comments, path: str) -> list[Suppression]:
    """Suppressions from a file's comments; a malformed one is an error, not a silent no-op."""
    suppressions = []
    for comment in comments:
        match = _DIRECTIVE.search(comment.text)
        if not match:
            continue
        col = comment.col + match.start()
        form = _FORM.match(match["body"].strip())
        if not form:
            raise BotlintError(
                f"malformed suppression '{match.group().strip()}': use "
                "'# botlint: disable=CODE', 'disable-next-line=CODE' or 'disable-file=CODE'",
                path, comment.line, col)
        codes = None
        if form["codes"] is not None:
            codes = set()
            for code in filter(None, (part.strip() for part in form["codes"].split(","))):
                if code.upper() not in all_rules():
                    raise BotlintError(f"unknown rule code '{code}' in suppression", path, comment.line, col)
                codes.add(code.upper())
            if not codes:
                raise BotlintError("suppression names no rule code after '='", path, comment.line, col)
            codes = frozenset(codes)
        kind = form["kind"]
        line = {"disable": comment.line, "disable-next-line": comment.line + 1, "disable-file": 0}[kind]
        suppressions.append(Suppression(kind, codes, line, comment.line, col, comment.file))
    return suppressions


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression], path: str,
                       selected: frozenset[str] = frozenset(), severity: str | None = None
                       ) -> tuple[list[Finding], list[Finding]]:
    """(the findings no suppression covers, the unused suppressions as BL900 findings when BL900 is
    selected; `severity`: BL900's configured severity)."""
    kept = []
    for finding in findings:
        covering = [s for s in suppressions if s.covers(finding, path)]
        for suppression in covering:
            suppression.used.add(finding.code)
        if not covering:
            kept.append(finding)
    return kept, list(_unused(suppressions, path, selected, severity)) if UNUSED in selected else []


def _unused(suppressions: list[Suppression], path: str, selected: frozenset[str], severity: str | None):
    rule = all_rules()[UNUSED]
    for suppression in suppressions:
        if suppression.codes is None:
            if suppression.used:
                continue
            message, hint = "unused blanket suppression: no finding here", "remove the comment"
        else:
            # A code not selected for this file raised nothing because it did not run: not unused.
            unused = sorted(code for code in suppression.codes if code not in suppression.used and code in selected)
            if not unused:
                continue
            message = f"unused suppression for {', '.join(unused)}"
            hint = "remove the code from the comment, or the whole comment"
        where = suppression.file or path
        yield Finding(rule.code, rule.name, severity or rule.severity, message, hint, where,
                      suppression.comment_line, suppression.comment_col, suppression.comment_line,
                      suppression.comment_col)
