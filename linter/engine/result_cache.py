"""The result cache: a unit's findings, kept under `.botlint_cache/` and reused while nothing changed.

The key is the unit's content (every file of a project folder), the digest
of its settings (config, rulesets, selected rules) and botlint itself (its
version and the stamp of its code and data files), so a stale entry can never be
read: anything that could change a finding changes the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from linter import __version__
from linter.cache import drop_stale, keep_fresh
from linter.core.errors import BotlintError, ConfigError, FlowSyntaxError
from linter.core.findings import Finding
from linter.files import write_file

CACHE_DIR_NAME = ".botlint_cache"
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
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


def _content_hash(path: Path, max_bytes: int) -> str | None:
    """A hash of a file, or of every file under a project folder; None if a folder cannot be
    listed. Files are read as linting reads them (never a named pipe, nothing over `max_bytes`):
    one that cannot be read adds the reason instead, which is all its lint result depends on."""
    from linter.engine.discover import SKIPPED_DIRS

    digest = hashlib.sha256()
    if not path.is_dir():
        _add_file(digest, path, max_bytes)
        return digest.hexdigest()
    failed: list[OSError] = []
    for folder, dirs, files in os.walk(path, onerror=failed.append):
        dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS and name != CACHE_DIR_NAME)
        for name in sorted(files):
            file = os.path.join(folder, name)
            digest.update(os.path.relpath(file, path).encode("utf-8", "surrogateescape") + b"\0")
            _add_file(digest, Path(file), max_bytes)
            digest.update(b"\0")
    return None if failed else digest.hexdigest()


def _add_file(digest: Any, path: Path, max_bytes: int) -> None:
    from linter.parse.source import read_bytes

    try:
        digest.update(read_bytes(path, "", max_bytes))
    except FlowSyntaxError as exc:  # too large, a pipe, a link loop, unreadable
        digest.update(b"\0unread: " + exc.message.encode("utf-8", "surrogateescape"))


def _also_reads(unit) -> list[Path]:
    if unit.format in ("flow", "yaml"):
        return []
    from linter.parse.importers import importers

    importer = importers().get(unit.format)
    return importer.also_reads(unit.path) if importer and unit.path.is_file() else []


class ResultCache:
    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR_NAME / f"v{__version__}"
        self.hits = 0
        self.misses = 0
        self._prepared = False
        self._hashes: dict[tuple[Path, int], str | None] = {}  # a bot folder is read by each of its flows

    def key(self, unit, display: str, settings) -> str | None:
        limit = settings.limits.max_file_bytes
        content = _content_hash(unit.path, limit)
        if content is None:
            return None
        for path in _also_reads(unit):
            if (path, limit) not in self._hashes:
                self._hashes[path, limit] = _content_hash(path, limit) if path.exists() else "absent"
            if self._hashes[path, limit] is None:
                return None
            content += f"+{path.name}:{self._hashes[path, limit]}"
        parts = [_code_stamp(), settings.digest(), unit.format, display, content,
                 ",".join(sorted(settings.codes_for(unit.path)))]
        return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()

    def load(self, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        path = self.folder / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entry = {
                "findings": [Finding(**finding) for finding in data["findings"]],
                "errors": [_error(error) for error in data["errors"]],
                "notices": set(data["notices"]),
                "files": int(data["files"]),
            }
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None  # missing, from another version, or damaged: lint again
        keep_fresh(path)
        self.hits += 1
        return entry

    def store(self, key: str | None, findings, errors, notices, files: int) -> None:
        if key is None:
            return
        data = {
            "findings": [finding._asdict() for finding in findings],
            "errors": [{"kind": type(error).__name__, "message": error.message, "path": error.path,
                        "line": error.line, "col": error.col, "source_line": error.source_line}
                       for error in errors],
            "notices": sorted(notices),
            "files": files,
        }
        try:
            self._prepare()
            write_file(self.folder / f"{key}.json", json.dumps(data, ensure_ascii=False), durable=False)
        except OSError:
            pass  # a read-only checkout: no cache, same results

    def _prepare(self) -> None:
        if self._prepared:
            return
        self._prepared = True
        self._drop_stale()
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        top = self.folder.parent
        # As ruff and pytest do: the cache ignores itself in git and is marked as a cache for backups.
        write_file(top / ".gitignore", "# Automatically created by botlint.\n*\n", durable=False)
        write_file(top / "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                         "# This file is a cache directory tag created by botlint.\n", durable=False)


    def _drop_stale(self) -> None:
        """Once in a run that writes: the entries nobody read for a month, in this version's folder
        and in those older botlints left, and those folders once empty."""
        for folder in self.folder.parent.glob("v*"):
            drop_stale(folder, entry=_ENTRY)
            if folder != self.folder:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only once empty


def _error(data: dict[str, Any]) -> BotlintError:
    kind = _ERROR_KINDS.get(data["kind"], BotlintError)
    return kind(data["message"], data["path"], data["line"], data["col"], data["source_line"])
