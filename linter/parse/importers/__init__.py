"""Importers: other bot platforms' files in, the same `Document` out, positions kept.

An importer turns a project folder (Rasa, Dialogflow CX, Bot Framework Composer)
or a single export file (Typebot, Botpress) into the YAML-shaped data of our
model, with a `span` (including its `file`) on every mapping it builds, so
every rule works unchanged and findings point into the original files.

A new format: one module or package here (not starting with "_") that defines `IMPORTER`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from linter.core.errors import BotlintError
from linter.resources import importer_modules


@dataclass
class ImportResult:
    data: dict[str, Any]  # {"flows": [...]}: the model's input shape, spans with "file"
    comments: list = field(default_factory=list)  # Comment(file=...) from files that have comments (YAML)
    errors: list[BotlintError] = field(default_factory=list)  # broken files: reported, the rest still linted
    notices: list[str] = field(default_factory=list)  # skipped elements, said once
    files: int = 1  # source files read


@dataclass(frozen=True)
class Importer:
    name: str  # the --input-format value
    description: str
    load: Callable[[Path, str], ImportResult]  # (path, display path) -> result
    claims_folder: Callable[[Path], bool] = lambda folder: False  # a project read as one unit
    claims_file: Callable[[Path], bool] = lambda path: False  # a single export file
    # Other files and folders a single file's import reads (a bot's other flows, its texts): a cached
    # result is reused only while they are unchanged too.
    also_reads: Callable[[Path], list[Path]] = lambda path: []
    # With --input-format: why `path` cannot be read as this format, one line naming what it needs
    # ("not a Rasa project: expected a folder with domain.yml or data/"); None if it can be.
    refuses: Callable[[Path], str | None] = lambda path: None
    # The folder an import reads from, its project: a link that leads out of it is not followed.
    project_folder: Callable[[Path], Path] = lambda path: path if path.is_dir() else path.parent


def needs_folder(what: str, expected: str, has: Callable[[Path], bool]) -> Callable[[Path], str | None]:
    """A `refuses` for a project format: `path` must be a folder for which `has` holds."""
    def refuses(path: Path) -> str | None:
        return None if path.is_dir() and has(path) else f"not {what}: expected {expected}"
    return refuses


def needs_file(what: str, expected: str) -> Callable[[Path], str | None]:
    """A `refuses` for a JSON export format: `path` must be a file that starts like JSON (what is
    wrong inside it, a broken or a wide-encoded file, its import reports with a position)."""
    def refuses(path: Path) -> str | None:
        if path.is_dir():
            return f"not {what}: expected {expected}, not a folder"
        from linter.core.errors import FlowSyntaxError
        from linter.parse.source import read_head_bytes, wide_encoding

        try:
            head = read_head_bytes(path, 512)
        except FlowSyntaxError:
            return None  # unreadable: reading it says why
        start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        if wide_encoding(head) or start.startswith((b"{", b"[")):
            return None
        return f"not {what}: expected {expected} (this file is not JSON)"
    return refuses


@lru_cache(maxsize=1)
def importers() -> dict[str, Importer]:
    found = {}
    for module in importer_modules().values():
        importer = import_module(f"{__name__}.{module}").IMPORTER  # fails fast if missing
        found[importer.name] = importer
    return found


def folder_importer(folder: Path) -> Importer | None:
    for importer in importers().values():
        if importer.claims_folder(folder):
            return importer
    return None


def file_importer(path: Path) -> Importer | None:
    for importer in importers().values():
        if importer.claims_file(path):
            return importer
    return None


def read_head(path: Path, size: int = 65536) -> str:
    """The start of a regular file, for cheap content sniffing; '' if unreadable or not a file
    (opening a named pipe would wait for a writer for ever)."""
    from linter.core.errors import FlowSyntaxError
    from linter.parse.source import read_head_bytes

    try:
        return read_head_bytes(path, size).decode("utf-8", errors="replace")
    except FlowSyntaxError:
        return ""
