"""Finding and reading config and ruleset files, keeping where each key is written.

A config is `.botlint.yaml` / `.botlint.yml`, or the `[tool.botlint]` table of a
`pyproject.toml`; a ruleset is a YAML file. Each is read as plain data plus a way to name
the file, line and column of any key in it, so that every later check can point at its key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from linter.core.errors import ConfigError
from linter.parse.limits import Limits

CONFIG_FILES = (".botlint.yaml", ".botlint.yml", "pyproject.toml")

Where = Callable[[tuple[Any, ...]], tuple[int | None, int | None]]


def _nowhere(keys: tuple[Any, ...]) -> tuple[None, None]:
    return None, None


class Located:
    """A config mapping plus a way to name the position of a key in it."""

    def __init__(self, data: Any, path: str, where: Where = _nowhere, text: str | None = None) -> None:
        self.data, self.path, self._where = data, path, where
        self.text = text  # the file as read, when the mapping came from one

    def error(self, message: str, *keys: Any) -> ConfigError:
        """An error at the deepest of `keys` (a path of mapping keys and list indexes) that is written."""
        line, col = self._where(keys)
        return ConfigError(message, self.path, line, col)

    def where(self, *keys: Any) -> tuple[int | None, int | None]:
        return self._where(keys)

    def within(self, *keys: Any) -> Located:
        """The part of this mapping under `keys`, with positions still in this file."""
        node = self.data
        for key in keys:
            node = node[key]
        return Located(node, self.path, lambda more: self._where((*keys, *more)))


def read_text(path: Path) -> str:
    """A config or ruleset file as text: a regular file (never a pipe), within the default
    max-file-bytes (a config cannot raise the limit it is read under), UTF-8."""
    from linter.core.errors import FlowSyntaxError
    from linter.parse.source import byte_position, read_bytes

    try:
        data = read_bytes(path, str(path), Limits().max_file_bytes)
    except FlowSyntaxError as exc:
        raise ConfigError(exc.message.replace("cannot read file:", "cannot read config:"), str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start)
        raise ConfigError(f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})", str(path), line, col) from None
    text = text[1:] if text.startswith("\ufeff") else text
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text-mode reading did


def load_yaml(path: Path) -> Located:
    from linter.core.errors import FlowSyntaxError
    from linter.parse.yaml_flow import load_mapping

    text = read_text(path)
    try:
        data, positions = load_mapping(text, str(path))
    except FlowSyntaxError as exc:
        raise ConfigError(exc.message, str(path), exc.line, exc.col) from None

    def where(keys: tuple[Any, ...]) -> tuple[int | None, int | None]:
        node, found = data, (None, None)
        for key in keys:
            if isinstance(node, dict) and key in node:
                found = positions.key(node, key) or found
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                found = positions.item(node, key) or found
            else:
                break
            node = node[key]
        return found

    return Located(data, str(path), where, text)


_SECTION = ("tool", "botlint")


def load_pyproject(path: Path) -> Located | None:
    """The `[tool.botlint]` table, or None when the file has none."""
    import tomllib

    text = read_text(path)
    try:
        document = tomllib.loads(text)
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ConfigError("invalid TOML: nested too deeply", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line, col = (int(match[1]), int(match[2])) if match else (None, None)
        if match is None and "end of document" in str(exc):
            line, col = text.count("\n") + 1, 1
        message = message.replace(" (at end of document)", "")
        raise ConfigError(f"invalid TOML: {message}", str(path), line, col) from None
    tool = document.get("tool", {})
    section = tool.get("botlint") if isinstance(tool, dict) else None
    if section is None:
        return None
    positions: dict = {}

    def where(keys: tuple[Any, ...]) -> tuple[int | None, int | None]:
        if not positions:  # found on the first error only: a valid config never needs them
            from linter.engine.config.toml_keys import key_positions

            positions.update(key_positions(text))
        found, key_path = positions.get(_SECTION, (None, None)), _SECTION
        for key in keys:
            key_path += (key,)
            if key_path not in positions:
                break
            found = positions[key_path]
        return found

    if not isinstance(section, dict):
        raise ConfigError("[tool.botlint] must be a table", str(path), *where(()))
    return Located(section, str(path), where, text)


def load_config(path: Path) -> Located | None:
    return load_pyproject(path) if path.name == "pyproject.toml" else load_yaml(path)


def find_config(start: Path, cache: dict[Path, Path | None] | None = None) -> Path | None:
    """The nearest config file at or above `start` (a pyproject.toml counts only with [tool.botlint])."""
    cache = {} if cache is None else cache
    folder = (start if start.is_dir() else start.parent).resolve()
    visited = []
    found = None
    while True:
        if folder in cache:
            found = cache[folder]
            break
        visited.append(folder)
        found = _config_in(folder)
        if found or folder.parent == folder:
            break
        folder = folder.parent
    for seen in visited:
        cache[seen] = found
    return found


def _config_in(folder: Path) -> Path | None:
    for name in CONFIG_FILES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _configures_botlint(candidate)):
            return candidate
    return None


def _configures_botlint(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a [tool.botlint] table, parsing only the few that could."""
    text = read_text(pyproject)
    if "botlint" not in text:
        return False
    if re.search(r"^\[tool\.botlint[].]", text, re.M):  # the usual header: found without parsing
        return True
    import tomllib

    try:  # dotted keys (`botlint.select` under [tool]), quoted or spaced headers, [[tool.botlint]]
        tool = tomllib.loads(text).get("tool")
    except (tomllib.TOMLDecodeError, RecursionError):  # broken, and maybe not botlint's to report: skipped
        return False
    return isinstance(tool, dict) and "botlint" in tool
