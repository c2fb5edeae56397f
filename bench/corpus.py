"""Import + lint throughput on the shared corpus of real flows.

    python bench/corpus.py [CORPUS]     (default: $BOTLINT_CORPUS or ../shared/corpus)

Prints files/s and messages/s for importing and linting every unit, best of three runs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from linter.engine.discover import discover
    from linter.engine.runner import lint_document
    from linter.engine.settings import Overrides, SettingsResolver
    from linter.core.errors import BotlintError
    from linter.model.analysis import bot_texts
    from linter.parse import import_unit, parse_file

    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BOTLINT_CORPUS", ROOT.parent / "shared/corpus"))
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    resolver = SettingsResolver(Overrides(), cwd=corpus)
    parsed_units = []
    best = None
    for _ in range(3):
        start = time.perf_counter()
        files = messages = findings = 0
        for unit in discover([corpus], lambda path: False):
            if isinstance(unit, BotlintError):
                continue
            settings = resolver.for_path(unit.path)
            try:
                if unit.format in ("flow", "yaml"):
                    parsed, count = parse_file(unit.path, str(unit.path), unit.format), 1
                else:
                    parsed, imported = import_unit(unit.path, str(unit.path), unit.format)
                    count = imported.files
            except BotlintError:
                continue
            files += count
            messages += sum(1 for flow in parsed.document.flows for _ in bot_texts(flow))
            findings += len(lint_document(parsed, settings, settings.codes_for(unit.path))[0])
            if best is None:
                parsed_units.append((parsed, settings, settings.codes_for(unit.path)))
        elapsed = time.perf_counter() - start
        if best is None or elapsed < best[0]:
            best = (elapsed, files, messages, findings)
    elapsed, files, messages, findings = best
    start = time.perf_counter()
    for parsed, settings, codes in parsed_units:
        lint_document(parsed, settings, codes)
    rules_only = time.perf_counter() - start
    print(f"corpus: {corpus}")
    print(f"{files} files, {messages} bot messages, {findings} findings in {elapsed:.2f} s (best of 3)")
    print(f"throughput: {files / elapsed:.0f} files/s, {messages / elapsed:.0f} messages/s (import + lint)")
    print(f"rules only (default rules, imported model): {messages / rules_only:.0f} messages/s")


if __name__ == "__main__":
    main()
