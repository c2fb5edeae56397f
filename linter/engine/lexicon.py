"""Per-language word and phrase lists (rulesets/lexicons/<lang>.yaml), compiled for matching.

Entry syntax, as in Vale's rules-as-data:
- a plain phrase matches case-insensitively on word boundaries, any run of
  whitespace in the text matching a space in the phrase: "dear valued customer";
- an entry starting with "re:" is a regular expression: 're:only \\d+ spots left'.
A list is case-insensitive unless its mapping says `case_sensitive: true`.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, NamedTuple


class Match(NamedTuple):
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
    """One list: each entry compiled alone, with a literal it cannot match without.

    Most messages contain none of a list's phrases. A substring test on the literal
    rules an entry out in well under a microsecond; Python's regex engine would try
    every alternative of a combined pattern at every position of the text instead.
    """

    def __init__(self, entries: list[str], case_sensitive: bool, user_patterns: dict[str, str] | None = None) -> None:
        self.flags = 0 if case_sensitive else re.IGNORECASE
        self.entries = entries
        self.user_patterns = user_patterns or {}
        self.needed = [needed_strings(entry) for entry in entries]
        self.compiled: list[re.Pattern[str] | None] = [None] * len(entries)  # compiled when first needed
        # One scan for "does any entry stand a chance?": most texts match no entry of a list.
        options = sorted({option for needed in self.needed for option in needed}, key=len, reverse=True)
        self.any_needed = (re.compile("|".join(re.escape(option) for option in options))
                           if options and all(self.needed) else None)

    def finditer(self, text: str) -> Iterator[Match]:
        lowered = text.lower()
        if self.any_needed is not None and self.any_needed.search(lowered) is None:
            return
        found: list[tuple[int, int, int]] = []
        for index, needed in enumerate(self.needed):
            if needed:
                for option in needed:
                    if option in lowered:
                        break
                else:
                    continue  # none of the strings every match contains: skip the regex
            pattern = self.compiled[index]
            if pattern is None:
                pattern = self.compiled[index] = self._compile(self.entries[index])
            found.extend((m.start(), index, m.end()) for m in self._matches(pattern, index, text)
                         if m.end() > m.start())
        # As one alternation would: leftmost first, then the earlier entry; no overlaps.
        end_of_last = -1
        for start, index, end in sorted(found):
            if start >= end_of_last:
                end_of_last = end
                yield Match(start, end, text[start:end], self.entries[index])


    def _compile(self, entry: str):
        if entry in self.user_patterns:
            import regex  # a time bound per search, which `re` cannot give

            return regex.compile(_entry_pattern(entry), self.flags)
        return re.compile(_entry_pattern(entry), self.flags)

    def _matches(self, pattern, index: int, text: str) -> list:
        entry = self.entries[index]
        if entry not in self.user_patterns:
            return list(pattern.finditer(text))
        try:
            return list(pattern.finditer(text, timeout=USER_PATTERN_TIMEOUT))
        except TimeoutError:
            from linter.errors import ConfigError

            raise ConfigError(f"lexicon pattern {entry!r} took more than {USER_PATTERN_TIMEOUT * 1000:.0f} ms on one "
                              "message: it backtracks catastrophically (nested repeats such as '(a+)+' or "
                              "overlapping alternatives such as '(a|aa)+'); rewrite it", self.user_patterns[entry]
                              ) from None


# A user's pattern gets this long per message; real patterns take microseconds.
USER_PATTERN_TIMEOUT = 0.2

_NEEDED: dict[str, tuple[str, ...]] = {}  # entry -> needed strings; seeded from the cache (see seed_needed)


def needed_strings(entry: str) -> tuple[str, ...]:
    found = _NEEDED.get(entry)
    if found is None:
        found = _NEEDED[entry] = _required_literal(entry, re.IGNORECASE)
    return found


def seed_needed(known: dict[str, list[str]]) -> None:
    """Needed strings worked out earlier (parsing hundreds of regexes costs more than a whole lint)."""
    for entry, options in known.items():
        _NEEDED.setdefault(entry, tuple(options))


def all_entries(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from all_entries(value)
    elif isinstance(data, list):
        for entry in data:
            if isinstance(entry, str):
                yield entry


def _required_literal(entry: str, flags: int) -> tuple[str, ...]:
    """Lowercase strings one of which every match of the entry contains (() if none can be told)."""
    if not entry.startswith("re:"):
        return (max(entry.lower().split(), key=len, default=""),)
    try:
        from re import _parser as parser  # the stdlib's own regex parser (sre_parse)
    except ImportError:  # Python < 3.11
        import sre_parse as parser
    try:
        parsed = parser.parse(_entry_pattern(entry), flags)
    except re.error:
        return ()
    found = _alternatives(list(parsed))
    return tuple(sorted(alt.lower() for alt in found)) if found else ()


def _strength(options: set[str] | None) -> int:
    if not options:
        return 0
    shortest = min(len(option) for option in options)
    if shortest == 1 and not all(not option.isalnum() for option in options):
        return 0  # one letter or digit rules nothing out
    return shortest


def _alternatives(items: list) -> set[str] | None:
    """The best set of strings one of which must occur, for a parsed pattern sequence."""
    best: set[str] | None = None
    run = ""

    def consider(options: set[str] | None) -> None:
        nonlocal best
        if _strength(options) > _strength(best):
            best = options

    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            run += chr(value)
            continue
        consider({run} if run else None)
        run = ""
        if name == "SUBPATTERN":
            consider(_alternatives(list(value[-1])))
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and value[0] >= 1:
            consider(_alternatives(list(value[2])))
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in value[1]:
                options = _alternatives(list(branch))
                if not _strength(options):
                    union = set()
                    break
                union |= options
            consider(union or None)
        elif name == "IN" and all(str(kind) == "LITERAL" for kind, _ in value):
            consider({chr(char) for _, char in value})
    consider({run} if run else None)
    return best


class Lexicon:
    """One language's lists. Keys are dotted paths: 'boilerplate', 'pitch.cta', 'register.formal'."""

    def __init__(self, language: str, data: dict[str, Any], user_patterns: dict[str, str] | None = None) -> None:
        self.language = language
        self.data = data
        self.user_patterns = user_patterns or {}
        self._compiled: dict[str, _CompiledList] = {}
        self._found: dict[tuple[str, str], tuple[Match, ...]] = {}

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
        cached = self._found.get((key, text))
        if cached is not None:
            return list(cached)
        compiled = self._compiled.get(key)
        if compiled is None:
            node, parent = self._node(key)
            entries = [str(e) for e in node] if isinstance(node, list) else []
            compiled = self._compiled[key] = _CompiledList(entries, bool(parent.get("case_sensitive", False)),
                                                           self.user_patterns)
        found = tuple(compiled.finditer(text))
        if len(self._found) > 50000:  # several rules ask about the same texts: keep a bounded memory
            self._found.clear()
        self._found[(key, text)] = found
        return list(found)

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
