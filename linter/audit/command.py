"""Wiring of `botlint audit` (placeholder until the audit lands: refuses clearly)."""

from __future__ import annotations

from linter.errors import BotlintError


def run_audit(args, resolver, jobs: int, output) -> int:
    raise BotlintError("botlint audit is not available yet", "command line")
