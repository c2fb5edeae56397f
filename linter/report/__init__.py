"""Reporters: findings and errors in, text out. A new output format goes here.

A reporter never judges: it prints what the engine found, in its format. The formats are the
modules of this package, found by name (no list to edit):
- `linter.report.<name>` is `botlint check --format <name>`: `report(result, out, *, color, quiet)`;
- `linter.report.audit_<name>` is `botlint audit --format <name>`: `render(audit, out, *, color)`.
The helpers below are what several formats share.
"""

from __future__ import annotations

import hashlib
import re
from importlib import import_module
from pathlib import PurePath
from typing import TYPE_CHECKING, Callable, Iterable

from linter.core.errors import printable
from linter.resources import package_modules

if TYPE_CHECKING:
    from linter.core.findings import Finding

_AUDIT = "audit_"
DEFAULT_FORMAT = "text"


def _modules() -> list[str]:
    return package_modules(__path__[0])


def _with_default_first(names: list[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda name: (name != DEFAULT_FORMAT, name)))


def formats() -> tuple[str, ...]:
    """`botlint check --format` choices, from the module names (without importing them)."""
    return _with_default_first([name for name in _modules() if not name.startswith(_AUDIT)])


def audit_formats() -> tuple[str, ...]:
    """`botlint audit --format` choices."""
    return _with_default_first([name[len(_AUDIT):] for name in _modules() if name.startswith(_AUDIT)])


def get_reporter(name: str) -> Callable[..., None]:
    if name not in formats():
        raise ValueError(f"unknown report format {name!r} (one of {', '.join(formats())})")
    return import_module(f"{__name__}.{name}").report


def get_audit_renderer(name: str) -> Callable[..., None]:
    if name not in audit_formats():
        raise ValueError(f"unknown audit format {name!r} (one of {', '.join(audit_formats())})")
    return import_module(f"{__name__}.{_AUDIT}{name}").render


def escape_unprintable(text: str, keep: str = "") -> str:
    """Text from a flow, a finding or a file name, as human-facing formats show it: every
    character that is not printable (terminal escapes, bidi overrides, zero-width characters,
    line separators) escaped as error messages escape it, except the characters of `keep`
    (line breaks, where a format carries them). Machine formats keep the text exact."""
    if text.isprintable():
        return text
    if not keep:
        return printable(text)
    return "".join(part if part in keep else printable(part) for part in re.split(f"([{re.escape(keep)}])", text))


# ANSI colours by role, for the formats people read on a terminal.
COLORS = {"error": "31", "warning": "33", "info": "36", "path": "1", "hint": "2", "code": "35",
          "good": "32", "fair": "33", "poor": "31", "head": "1", "dim": "2"}


class Paint:
    """Colour for a role when enabled (a terminal, no NO_COLOR); the text as it is otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, role: str) -> str:
        code = COLORS.get(role)
        return f"\033[{code}m{text}\033[0m" if self.enabled and code else text


def message_with_hint(finding: Finding) -> str:
    """The message, then the hint as a second sentence: for formats with one text field."""
    if not finding.hint:
        return finding.message
    end = "" if finding.message.endswith((".", "!", "?")) else "."
    return f"{finding.message}{end} Hint: {finding.hint}"


def region(finding: Finding) -> tuple[int, int, int, int]:
    """(line, col, end_line, end_col), 1-based, with the end never before the start:
    CI services reject a 0 or a reversed range, and drop the whole upload for it."""
    line, col = max(1, finding.line), max(1, finding.col)
    end_line, end_col = max(line, finding.end_line), max(1, finding.end_col)
    if end_line == line:
        end_col = max(col, end_col)
    return line, col, end_line, end_col


def posix_path(path: str) -> str:
    """A display path with forward slashes, as CI services expect on every OS."""
    return PurePath(path).as_posix()


def unique_fingerprints(fingerprints: Iterable[str]) -> list[str]:
    """The fingerprints, with each repeat made unique by its occurrence number.

    Two findings can share a fingerprint (the same text twice in one step). The first
    keeps it, so it still matches the baseline; the n-th repeat becomes a hash of the
    fingerprint and n, stable as long as the findings keep their order.
    """
    seen: dict[str, int] = {}
    unique = []
    for fingerprint in fingerprints:
        count = seen.get(fingerprint, 0)
        seen[fingerprint] = count + 1
        unique.append(fingerprint if count == 0 and fingerprint else
                      hashlib.sha256(f"{fingerprint}:{count}".encode()).hexdigest()[:20])
    return unique
