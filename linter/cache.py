"""A small on-disk cache for data derived from shipped files (start-up time matters).

Each entry is one JSON file named `NAME-KEY.json`, the key a hash of what it was built from.
An entry nobody has read for `STALE_DAYS` (an older botlint, a changed ruleset) is removed
when a new entry is written, so upgrades do not pile files up; reading an entry keeps it fresh.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any, Callable

from linter import __version__

STALE_DAYS = 30
_DAY = 86400
_ENTRY = re.compile(r"[\w.-]+-[0-9a-f]{16}\.json")


def cache_dir() -> Path:
    configured = os.environ.get("BOTLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "botlint"


def entry_path(name: str, stamp: list) -> Path:
    """The entry for `name` built from what `stamp` describes."""
    import hashlib

    key = hashlib.sha256(json.dumps(stamp).encode()).hexdigest()[:16]
    return cache_dir() / f"{name}-{key}.json"


def file_stamp(sources: list[Path]) -> list:
    """What identifies a build from these files: botlint's version, each file's path, time and size."""
    return [__version__] + [(str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in sources]


def read_entry(target: Path) -> Any:
    """The entry's data, or None where it is missing or broken."""
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        keep_fresh(target)
    except (OSError, ValueError):
        return None
    return data


def keep_fresh(target: Path) -> None:
    """Mark an entry that was just read as in use (its time, at most once a day), so it is not stale."""
    try:
        if time.time() - target.stat().st_mtime > _DAY:
            os.utime(target)
    except OSError:
        pass  # a read-only cache: nothing is ever dropped from it either


def write_entry(target: Path, data: Any) -> None:
    """Write the entry whole (a parallel run at worst writes it twice) and drop stale ones."""
    from linter.files import write_file

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, json.dumps(data), durable=False)
    except OSError:
        return  # a read-only home: no cache, same result
    drop_stale(target.parent, keep=target.name)


def drop_stale(folder: Path, keep: str = "", entry: re.Pattern[str] = _ENTRY) -> None:
    """Remove the entries in `folder` (the files whose names `entry` matches) nobody read for STALE_DAYS."""
    cutoff = time.time() - STALE_DAYS * _DAY
    try:
        with os.scandir(folder) as found:
            for item in found:
                if item.name != keep and entry.fullmatch(item.name) and item.stat().st_mtime < cutoff:
                    Path(item.path).unlink(missing_ok=True)
    except OSError:
        pass  # another run removed it first, or the folder is not ours to tidy


def cached_json(name: str, sources: list[Path], build: Callable[[], Any]) -> Any:
    """`build()`'s JSON-able result, reused while `sources` are unchanged."""
    target = entry_path(name, file_stamp(sources))
    data = read_entry(target)
    if data is None:
        data = build()
        write_entry(target, data)
    return data
