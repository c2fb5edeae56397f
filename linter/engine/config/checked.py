"""Checking a config against the schema once per text, so that a warm run imports no pydantic.

Importing pydantic (~60 ms) costs more than the rest of a warm one-file run. The hashes of the
config texts that passed are kept in botlint's cache folder: one small file per botlint version
and schema code, holding the last few, so editing a config never piles up files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from linter.core import severity
from linter.engine.config.files import Located
from linter.parse import limits

_REMEMBERED = 32  # config texts: a few projects' configs, and their last edits


def check_once(config: Located) -> None:
    """`schema.check(config)`, unless the same text passed before (nothing to check in no text)."""
    if not config.data:
        return
    reader = "toml" if Path(config.path).name == "pyproject.toml" else "yaml"  # as load_config chose
    digest = hashlib.sha256(f"{reader}\0{config.text}".encode("utf-8")).hexdigest()[:24]
    store = _store()
    passed = _read(store)
    if digest in passed:
        return
    from linter.engine.config.schema import check

    check(config)
    _write(store, [*(seen for seen in passed if seen != digest), digest][-_REMEMBERED:])


def _store() -> Path:
    """The file for this botlint and this schema: an edit to the code a config's validity
    depends on starts a new one."""
    from linter.cache import entry_path, file_stamp

    sources = [Path(__file__).with_name("schema.py"), Path(limits.__file__), Path(severity.__file__)]
    return entry_path("config-checked-v1", file_stamp(sources))


def _read(store: Path) -> list[str]:
    from linter.cache import read_entry

    passed = read_entry(store)
    return passed if isinstance(passed, list) else []


def _write(store: Path, passed: list[str]) -> None:
    from linter.cache import write_entry

    write_entry(store, passed)  # whole: runs in parallel at worst forget a text; read-only: checked every run
