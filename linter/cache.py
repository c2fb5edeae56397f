"""A small on-disk cache for data derived from shipped files (start-up time matters)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

from linter import __version__


def cache_dir() -> Path:
    configured = os.environ.get("BOTLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "botlint"


def cached_json(name: str, sources: list[Path], build: Callable[[], Any]) -> Any:
    """`build()`'s JSON-able result, reused while `sources` are unchanged."""
    import hashlib

    stamp = [__version__] + [(str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in sources]
    key = hashlib.sha256(json.dumps(stamp).encode()).hexdigest()[:16]
    target = cache_dir() / f"{name}-{key}.json"
    try:
        return json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = build()
    from linter.files import write_file

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, json.dumps(data), durable=False)
    except OSError:
        pass  # a read-only home: no cache, same result
    return data
