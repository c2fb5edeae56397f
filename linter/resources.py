"""Where the data that ships with botlint lives: grammars, rulesets and the schema.

In a wheel they are copied into ``linter/_data``; in a source checkout (or an
editable install) they are read from the repository's top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"botlint installation is incomplete: no '{name}' data folder")
