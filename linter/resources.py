"""Where the data that ships with botlint lives: grammars, rulesets and the schema.

In a wheel they are copied into ``linter/_data``; in a source checkout (or an
editable install) they are read from the repository's top-level folders.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"botlint installation is incomplete: no '{name}' data folder")


def package_modules(folder: str | Path) -> list[str]:
    """The public modules of the package in `folder`, sorted, found without importing it (pkgutil
    imports inspect, a few ms of a warm run): `.py` files and package folders not starting with "_"."""
    return sorted(entry.name.removesuffix(".py") for entry in os.scandir(folder) if not entry.name.startswith("_")
                  and (entry.name.endswith(".py") if entry.is_file() else _is_package(entry.path)))


def _is_package(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py"))


def importer_modules() -> dict[str, str]:
    """The importers' --input-format names and their modules (`dialogflow-cx`: `dialogflow_cx`),
    found without importing linter.parse: the command line lists the input formats before it knows
    whether it will read anything."""
    return {module.replace("_", "-"): module for module in package_modules(_PACKAGE / "parse" / "importers")}
