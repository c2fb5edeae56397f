"""Baselines: record today's findings, then report only new ones.

Entries are matched by fingerprint (rule, file, step, offending text; see
`linter.engine.identify`), not by line, so unrelated edits keep them matched.
A fingerprint that occurs twice in the baseline absorbs two findings, no more.
Entries for files this run linted that no longer match are "fixed": the
baseline can be refreshed. Entries for files this run did not look at (a
pre-commit run on a few files) are neither matched nor fixed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from linter import __version__
from linter.core.errors import BotlintError

BASELINE_VERSION = 1


def write_baseline(path: Path, findings) -> None:
    entries = [{"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "line": f.line,
                "flow": f.flow, "step": f.step, "message": f.message} for f in findings]
    payload = {"tool": "botlint", "version": __version__, "baseline_version": BASELINE_VERSION,
               "findings": entries}
    from linter.files import write_file

    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True)
        write_file(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        raise BotlintError(f"cannot write the baseline: {exc.strerror or exc}", str(path)) from None


def load_baseline(path: Path) -> list[dict[str, Any]]:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BotlintError("baseline file not found (create it with --write-baseline)", shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BotlintError(f"cannot read the baseline: {getattr(exc, 'strerror', None) or exc}", shown) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BotlintError(f"baseline is not valid JSON: {exc.msg}", shown, exc.lineno, exc.colno) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BotlintError("not a botlint baseline: expected an object with a 'findings' list", shown, 1, 1)
    if "baseline_version" not in data:
        raise BotlintError("not a botlint baseline: missing 'baseline_version' (write one with --write-baseline)",
                           shown, 1, 1)
    if data.get("baseline_version") != BASELINE_VERSION:
        raise BotlintError(f"baseline version {data.get('baseline_version')!r} is not supported "
                           f"(expected {BASELINE_VERSION}); write it again with --write-baseline", shown, 1, 1)
    for number, entry in enumerate(data["findings"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str) \
                or not isinstance(entry.get("path"), str):
            raise BotlintError(f"baseline entry {number} needs a 'fingerprint' and a 'path'", shown)
    return data["findings"]


def apply_baseline(result, entries: list[dict[str, Any]], linted: set[str]) -> None:
    """Drop the findings the baseline knows; record its entries for linted files that are gone."""
    remaining = Counter(entry["fingerprint"] for entry in entries)
    new = []
    for finding in result.findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            result.baselined += 1
        else:
            new.append(finding)
    result.findings = new
    for entry in entries:
        if remaining[entry["fingerprint"]] > 0 and _was_linted(entry["path"], linted):
            remaining[entry["fingerprint"]] -= 1
            result.fixed.append(entry)


def _was_linted(path: str, linted: set[str]) -> bool:
    if path in linted:
        return True
    return any(path.startswith(folder.rstrip("/") + "/") for folder in linted)
