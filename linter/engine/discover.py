"""Which files `botlint check PATH...` looks at."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

from linter.parse import input_format

# Never descended into: version control, virtualenvs, caches, dependencies.
SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache",
                ".pytest_cache", ".ruff_cache", "node_modules", "site-packages", ".eggs"}


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def discover(paths: list[Path], is_excluded: Callable[[Path], bool]) -> Iterator[Path]:
    """Flow files under `paths`, sorted per folder. A file named explicitly is always included."""
    for path in paths:
        if path.is_file():
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            current = Path(folder)
            dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS
                             and not _is_virtualenv(current / name) and not is_excluded(current / name))
            for name in sorted(files):
                candidate = current / name
                if input_format(name) and not is_excluded(candidate):
                    yield candidate
