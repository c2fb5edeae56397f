"""The result cache: a unit's findings, kept under `.botlint_cache/` and reused while nothing changed.

The key is the unit's content (every file of a project folder), the digest
of its settings (config, rulesets, selected rules) and botlint itself (its
version and the stamp of its code and data files), so a stale entry can never be
read: anything that could change a finding changes the key.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from linter import __version__
from linter.errors import BotlintError, ConfigError, FlowSyntaxError
from linter.rules.base import Finding

CACHE_DIR_NAME = ".botlint_cache"
_ERROR_KINDS = {cls.__name__: cls for cls in (BotlintError, ConfigError, FlowSyntaxError)}


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """botlint's version plus the sizes and times of its code and shipped data (edits in a checkout count)."""
    from linter.resources import data_dir

    package = Path(__file__).resolve().parent.parent
    stamp = hashlib.sha256(__version__.encode())
    for root in (package, data_dir("rulesets"), data_dir("grammars")):
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(name for name in dirs if name != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".yaml", ".lark", ".json")):
                    info = os.stat(os.path.join(folder, name))
                    stamp.update(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()


def _content_hash(path: Path) -> str | None:
    """A hash of a file, or of every file under a project folder; None if something cannot be read."""
    from linter.engine.discover import SKIPPED_DIRS

    digest = hashlib.sha256()
    try:
        if path.is_file():
            digest.update(path.read_bytes())
            return digest.hexdigest()
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS and name != CACHE_DIR_NAME)
            for name in sorted(files):
                file = os.path.join(folder, name)
                digest.update(os.path.relpath(file, path).encode("utf-8", "surrogateescape") + b"\0")
                digest.update(Path(file).read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


class ResultCache:
    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR_NAME / f"v{__version__}"
        self.hits = 0
        self.misses = 0

    def key(self, unit, display: str, settings) -> str | None:
        content = _content_hash(unit.path)
        if content is None:
            return None
        parts = [_code_stamp(), settings.digest(), unit.format, display, content,
                 ",".join(sorted(settings.codes_for(unit.path)))]
        return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()

    def load(self, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            entry = {
                "findings": [Finding(**finding) for finding in data["findings"]],
                "errors": [_error(error) for error in data["errors"]],
                "notices": set(data["notices"]),
                "files": int(data["files"]),
            }
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None  # missing, from another version, or damaged: lint again
        self.hits += 1
        return entry

    def store(self, key: str | None, findings, errors, notices, files: int) -> None:
        if key is None:
            return
        data = {
            "findings": [asdict(finding) for finding in findings],
            "errors": [{"kind": type(error).__name__, "message": error.message, "path": error.path,
                        "line": error.line, "col": error.col, "source_line": error.source_line}
                       for error in errors],
            "notices": sorted(notices),
            "files": files,
        }
        import tempfile

        try:
            self._prepare()
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, suffix=".tmp",
                                             delete=False) as handle:
                json.dump(data, handle, ensure_ascii=False)
            os.replace(handle.name, self.folder / f"{key}.json")
        except OSError:
            pass  # a read-only checkout: no cache, same results

    def _prepare(self) -> None:
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        top = self.folder.parent
        # As ruff and pytest do: the cache ignores itself in git and is marked as a cache for backups.
        (top / ".gitignore").write_text("# Automatically created by botlint.\n*\n", encoding="utf-8")
        (top / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                                          "# This file is a cache directory tag created by botlint.\n",
                                          encoding="utf-8")


def _error(data: dict[str, Any]) -> BotlintError:
    kind = _ERROR_KINDS.get(data["kind"], BotlintError)
    return kind(data["message"], data["path"], data["line"], data["col"], data["source_line"])
