"""Per-language word and phrase lists (rulesets/lexicons/<lang>.yaml), compiled for matching.

Entry syntax, as in Vale's rules-as-data:
- a plain phrase matches case-insensitively on word boundaries, any run of
  whitespace in the text matching a space in the phrase: "dear valued customer";
- an entry starting with "re:" is a regular expression: 're:only \\d+ spots left'.
A list is case-insensitive unless its mapping says `case_sensitive: true`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str  # the matched text as written in the message
    entry: str  # the lexicon entry that matched


_LEADING_FLAGS = re.compile(r"^\(\?([imsx]+)\)")


def _entry_pattern(entry: str) -> str:
    if entry.startswith("re:"):
        body = entry[3:]
        flags = _LEADING_FLAGS.match(body)
        if flags:  # a leading (?m) would be a global flag inside the alternation: scope it
            return f"(?{flags[1]}:{body[flags.end():]})"
        return f"(?:{body})"
    words = [re.escape(word) for word in entry.split()]
    body = r"\s+".join(words)
    # Word boundaries only where the phrase itself starts or ends with a word character.
    left = r"(?<!\w)" if re.match(r"\w", entry) else ""
    right = r"(?!\w)" if re.search(r"\w$", entry) else ""
    return f"{left}{body}{right}"


class _CompiledList:
    def __init__(self, entries: list[str], case_sensitive: bool) -> None:
        flags = 0 if case_sensitive else re.IGNORECASE
        self.entries = entries
        # One alternation per list: one scan of the text, whatever the list's length.
        self.pattern = re.compile("|".join(f"(?P<e{i}>{_entry_pattern(e)})" for i, e in enumerate(entries)),
                                  flags) if entries else None

    def finditer(self, text: str) -> Iterator[Match]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            if match.end() == match.start():
                continue
            index = int(match.lastgroup[1:]) if match.lastgroup else 0
            yield Match(match.start(), match.end(), match.group(), self.entries[index])


class Lexicon:
    """One language's lists. Keys are dotted paths: 'boilerplate', 'pitch.cta', 'register.formal'."""

    def __init__(self, language: str, data: dict[str, Any]) -> None:
        self.language = language
        self.data = data
        self._compiled: dict[str, _CompiledList] = {}

    def _node(self, key: str) -> tuple[Any, dict[str, Any]]:
        node: Any = self.data
        parent: dict[str, Any] = self.data
        for part in key.split("."):
            parent = node if isinstance(node, dict) else {}
            node = parent.get(part) if isinstance(parent, dict) else None
        return node, parent

    def entries(self, key: str) -> list[str]:
        node, _ = self._node(key)
        return list(node) if isinstance(node, list) else []

    def value(self, key: str, default: Any = None) -> Any:
        node, _ = self._node(key)
        return default if node is None else node

    def find(self, key: str, text: str) -> list[Match]:
        compiled = self._compiled.get(key)
        if compiled is None:
            node, parent = self._node(key)
            entries = [str(e) for e in node] if isinstance(node, list) else []
            compiled = self._compiled[key] = _CompiledList(entries, bool(parent.get("case_sensitive", False)))
        return list(compiled.finditer(text))

    def first(self, key: str, text: str) -> Match | None:
        found = self.find(key, text)
        return found[0] if found else None


def check_entries(data: Any, where: str) -> str | None:
    """A reason the lexicon data is unusable (a bad regex), or None."""
    if isinstance(data, dict):
        for key, value in data.items():
            problem = check_entries(value, f"{where}.{key}")
            if problem:
                return problem
    elif isinstance(data, list):
        for entry in data:
            if not isinstance(entry, str) or not entry.strip():
                return f"{where}: entries must be non-empty text, not {entry!r}"
            try:
                re.compile(_entry_pattern(entry))
            except re.error as exc:
                return f"{where}: bad pattern {entry!r}: {exc}"
    return None


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A user lexicon extends lists and overrides values, key by key."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + [item for item in value if item not in merged[key]]
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged
