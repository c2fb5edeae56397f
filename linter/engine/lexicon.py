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


# What continues a number: "1.299,00", "1 299", "1'299" (a space or an apostrophe groups three digits).
_NUMBER_GROUP = re.compile(r"[.,](?=\d)|[ \u00a0\u202f'’](?=\d{3}(?!\d))")
_REST_OF_WORD = re.compile(r"\w*")
_DIGITS = re.compile(r"\d*")


def _inside_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and _is_word(text[at - 1]) and _is_word(text[at])


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """A match taken to whole words and whole numbers, as it is quoted: an entry needs only the
    first digit of an amount or the start of a word to match, but the message, and so the quote,
    means "$1,299" and "Ihre", not "$1" and "Ihre B"."""
    if _inside_word(text, end):
        end = _REST_OF_WORD.match(text, end).end()
    while end < len(text) and text[end - 1].isdigit():
        group = _NUMBER_GROUP.match(text, end)
        if group is None:
            break
        end = _DIGITS.match(text, group.end()).end()
    while _inside_word(text, start):
        start -= 1
    while start > 1 and text[start].isdigit() and text[start - 2].isdigit() and _NUMBER_GROUP.match(text, start - 1):
        start -= 1
        while start and text[start - 1].isdigit():
            start -= 1
    return start, end


class _CompiledList:
    """One list: each entry compiled alone, with a literal it cannot match without.

    Most messages contain none of a list's phrases. A substring test on the literal
    rules an entry out in well under a microsecond; Python's regex engine would try
    every alternative of a combined pattern at every position of the text instead.
    """

    def __init__(self, entries: list[str], case_sensitive: bool, user_patterns: dict[str, str] | None = None,
                 fold: dict[int, str] | None = None) -> None:
        self.flags = 0 if case_sensitive else re.IGNORECASE
        self.entries = entries
        self.user_patterns = user_patterns or {}
        self.fold = fold
        # What is compiled: the entries with the language's letters folded, as the texts are.
        self.patterns = [entry.translate(fold) for entry in entries] if fold else entries
        self.needed = [needed_strings(pattern) for pattern in self.patterns]
        self.compiled: list[re.Pattern[str] | None] = [None] * len(entries)  # compiled when first needed
        # One scan for "does any entry stand a chance?": most texts match no entry of a list.
        options = sorted({option for needed in self.needed for option in needed}, key=len, reverse=True)
        self.any_needed = (re.compile("|".join(re.escape(option) for option in options))
                           if options and all(self.needed) else None)

    def finditer(self, text: str) -> Iterator[Match]:
        written, text = text, text.translate(self.fold) if self.fold else text  # same length: one position
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
                pattern = self.compiled[index] = self._compile(index)
            for match in self._matches(pattern, index, text):
                if match.end() > match.start():
                    start, end = _widen(text, match.start(), match.end())
                    found.append((start, index, end))
        # As one alternation would: leftmost first, then the earlier entry; no overlaps.
        end_of_last = -1
        for start, index, end in sorted(found):
            if start >= end_of_last:
                end_of_last = end
                yield Match(start, end, written[start:end], self.entries[index])


    def _compile(self, index: int):
        pattern = _entry_pattern(self.patterns[index])
        if self.entries[index] in self.user_patterns:
            import regex  # a time bound per search, which `re` cannot give

            return regex.compile(pattern, self.flags)
        return re.compile(pattern, self.flags)

    def _matches(self, pattern, index: int, text: str) -> list:
        entry = self.entries[index]
        if entry not in self.user_patterns:
            return list(pattern.finditer(text))
        try:
            return list(pattern.finditer(text, timeout=USER_PATTERN_TIMEOUT))
        except TimeoutError:
            from linter.core.errors import ConfigError

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
    if flags & re.VERBOSE:  # whitespace and comments in the pattern would read as literals
        return ()
    try:
        found = _PatternScanner(_entry_pattern(entry)).required()
    except _Unsure:
        return ()
    if not found:
        return ()
    lowered = {option.lower() for option in found}
    # A text holding "foobar" holds "foo": the longer option adds nothing to the test.
    return tuple(sorted(option for option in lowered
                        if not any(other != option and other in option for other in lowered)))


def _strength(options: set[str] | None) -> int:
    if not options:
        return 0
    shortest = min(len(option) for option in options)
    if shortest == 1 and not all(not option.isalnum() for option in options):
        return 0  # one letter or digit rules nothing out
    return shortest


class _Unsure(Exception):
    """The pattern holds something the scanner does not model (or is not valid): no prefilter."""


# Atoms of a pattern, as far as required literals go.
_CHAR = 0  # one literal character
_CLASS = 1  # one character out of a set of literal characters
_GROUP = 2  # a group, with the best strings one of which it must contain (or None)
_ZERO_WIDTH = 3  # an anchor, \b or a lookaround: consumes nothing
_OTHER = 4  # consumes text that cannot be told: ., \d, a range, a back-reference
_COMMENT = 5  # (?#...): nothing at all, the literals either side stay adjacent

_PLAIN_RUN = re.compile(r"[^\\.^$*+?{\[()|]+")
_QUANTIFIER = re.compile(r"[*+?]|\{(?!\})([0-9]*)(?:(,)([0-9]*))?\}")  # "{" alone or "{}" is a literal
_INLINE_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]+))?([:)])")
_SIMPLE_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_OCTAL = "01234567"


class _PatternScanner:
    """Reads a Python regular expression's text for strings every match must contain.

    Conservative by construction: whatever is not read as a literal only cuts a run of
    literals short, and whatever it does not know raises _Unsure.
    """

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def required(self) -> set[str] | None:
        found = self._alternatives()
        if self.pos != len(self.text):  # a ")" that closes nothing
            raise _Unsure
        return found

    def _alternatives(self) -> set[str] | None:
        """The best strings for branches separated by "|", up to a ")" or the end: the union of
        each branch's, so only when every branch has some."""
        union: set[str] = set()
        every_branch_has_some = True
        while True:
            options = self._sequence()
            if options is not None and _strength(options):
                union |= options
            else:
                every_branch_has_some = False
            if not self.text.startswith("|", self.pos):
                break
            self.pos += 1
        return union if every_branch_has_some and union else None

    def _sequence(self) -> set[str] | None:
        """The best set (by _strength) one of which one branch's every match contains."""
        text = self.text
        best: set[str] | None = None
        run = ""

        def consider(options: set[str] | None) -> None:
            nonlocal best
            if _strength(options) > _strength(best):
                best = options

        while self.pos < len(text) and text[self.pos] not in "|)":
            plain = _PLAIN_RUN.match(text, self.pos)
            if plain:
                self.pos = plain.end()
                kind, value = _CHAR, plain[0][-1]  # a quantifier would bind to the last one only
                run += plain[0][:-1]
            else:
                kind, value = self._atom()
            least = self._quantifier()
            if kind == _COMMENT:
                if least is not None:  # the quantifier binds across the comment: not modelled
                    raise _Unsure
                continue
            if kind == _CHAR and least is None:
                run += value
                continue
            if kind == _CHAR and least:  # one copy is always there, right after the run
                run += value
            consider({run} if run else None)
            run = ""
            if kind in (_CLASS, _GROUP) and least != 0:
                consider(value)
        consider({run} if run else None)
        return best

    def _quantifier(self) -> int | None:
        """The minimum count of a quantifier at the position (None if there is none)."""
        found = _QUANTIFIER.match(self.text, self.pos)
        if not found:
            return None
        if found[0] == "+":
            least = 1
        elif found[0] in "*?":
            least = 0
        else:
            least = int(found[1]) if found[1] else 0
            most = found[3] if found[2] else found[1]
            if most and int(most) < least:
                raise _Unsure
        self.pos = found.end()
        if self.text.startswith(("?", "+"), self.pos):  # lazy or possessive
            self.pos += 1
        if _QUANTIFIER.match(self.text, self.pos):  # a repeat of a repeat is an error
            raise _Unsure
        return least

    def _atom(self) -> tuple[int, Any]:
        char = self.text[self.pos]
        if char == "\\":
            return self._escape(in_class=False)
        if char == "[":
            return self._class()
        if char == "(":
            return self._group()
        if char == "{" and not _QUANTIFIER.match(self.text, self.pos):
            self.pos += 1
            return _CHAR, "{"
        self.pos += 1
        if char == ".":
            return _OTHER, None
        if char in "^$":
            return _ZERO_WIDTH, None
        raise _Unsure  # a quantifier with nothing to repeat

    def _escape(self, in_class: bool) -> tuple[int, Any]:
        text = self.text
        if self.pos + 1 >= len(text):
            raise _Unsure
        char = text[self.pos + 1]
        self.pos += 2
        if char in "dDsSwW":
            return _OTHER, None
        if char == "b" and in_class:
            return _CHAR, "\b"
        if char in "bBAZ" and not in_class:
            return _ZERO_WIDTH, None
        if char in _SIMPLE_ESCAPES:
            return _CHAR, _SIMPLE_ESCAPES[char]
        if char in _HEX_DIGITS:
            digits = text[self.pos:self.pos + _HEX_DIGITS[char]]
            if len(digits) != _HEX_DIGITS[char] or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise _Unsure
            self.pos += len(digits)
            if int(digits, 16) > 0x10FFFF:
                raise _Unsure
            return _CHAR, chr(int(digits, 16))
        if char == "N":
            end = text.find("}", self.pos)
            if not text.startswith("{", self.pos) or end < 0:
                raise _Unsure
            import unicodedata

            try:
                named = unicodedata.lookup(text[self.pos + 1:end])
            except KeyError:
                raise _Unsure from None
            self.pos = end + 1
            return _CHAR, named
        if char.isdigit() and char.isascii():
            return self._numbered_escape(char, in_class)
        if char.isascii() and char.isalpha():  # an unknown letter escape is an error
            raise _Unsure
        return _CHAR, char

    def _numbered_escape(self, first: str, in_class: bool) -> tuple[int, Any]:
        """An octal character, or outside a class from \\1 on, a back-reference (as Python tells them apart)."""
        text = self.text
        start = self.pos - 1
        if in_class or first == "0":
            if first not in _OCTAL:
                raise _Unsure
            while self.pos - start < 3 and self.pos < len(text) and text[self.pos] in _OCTAL:
                self.pos += 1
        elif (self.pos + 1 < len(text) and first in _OCTAL and text[self.pos] in _OCTAL
              and text[self.pos + 1] in _OCTAL):
            self.pos += 2
        else:
            if self.pos < len(text) and text[self.pos].isdigit() and text[self.pos].isascii():
                self.pos += 1
            return _OTHER, None  # a back-reference: whatever its group matched
        code = int(text[start:self.pos], 8)
        if code > 0o377:
            raise _Unsure
        return _CHAR, chr(code)

    def _class(self) -> tuple[int, Any]:
        """[...]: its characters if all are literal (one alone is just a literal character)."""
        text = self.text
        self.pos += 1
        negated = text.startswith("^", self.pos)
        if negated:
            self.pos += 1
        chars: set[str] = set()
        only_literals = True
        first = True
        while True:
            if self.pos >= len(text):
                raise _Unsure
            if text[self.pos] == "]" and not first:
                self.pos += 1
                break
            first = False
            low = self._class_item()
            if text.startswith("-", self.pos) and self.pos + 1 < len(text) and text[self.pos + 1] != "]":
                self.pos += 1
                high = self._class_item()
                if low is None or high is None or high < low:
                    raise _Unsure
                only_literals = False
            elif low is None:
                only_literals = False
            else:
                chars.add(low)
        if negated or not only_literals:
            return _OTHER, None
        if len(chars) == 1:
            return _CHAR, chars.pop()
        return _CLASS, chars

    def _class_item(self) -> str | None:
        """One character of a class, or None for a category such as \\d."""
        if self.text[self.pos] == "\\":
            kind, value = self._escape(in_class=True)
            return value if kind == _CHAR else None
        self.pos += 1
        return self.text[self.pos - 1]

    def _group(self) -> tuple[int, Any]:
        text = self.text
        start = self.pos
        kind = _GROUP
        if not text.startswith("(?", start):
            self.pos += 1
        elif text.startswith(("(?:", "(?>"), start):  # non-capturing, atomic
            self.pos += 3
        elif text.startswith(("(?=", "(?!"), start):
            self.pos += 3
            kind = _ZERO_WIDTH
        elif text.startswith(("(?<=", "(?<!"), start):
            self.pos += 4
            kind = _ZERO_WIDTH
        elif text.startswith("(?P<", start):
            end = text.find(">", start)
            if end < 0 or not text[start + 4:end].isidentifier():
                raise _Unsure
            self.pos = end + 1
        elif text.startswith("(?P=", start):
            end = text.find(")", start)
            if end < 0:
                raise _Unsure
            self.pos = end + 1
            return _OTHER, None  # a back-reference by name
        elif text.startswith("(?#", start):
            end = text.find(")", start)
            if end < 0:
                raise _Unsure
            self.pos = end + 1
            return _COMMENT, None
        else:
            flags = _INLINE_FLAGS.match(text, start)
            # Global flags can only lead a whole pattern (which an entry never is), and
            # verbose mode changes what every later character means.
            if not flags or flags[3] == ")" or "x" in flags[1]:
                raise _Unsure
            self.pos = flags.end()
        found = self._alternatives()
        if not text.startswith(")", self.pos):
            raise _Unsure
        self.pos += 1
        return (kind, found) if kind == _GROUP else (kind, None)


def fold_table(fold: Any) -> dict[int, str] | None:
    """The language's `fold` (letter -> the letter people type for it, "š": "s"), both cases, as a
    `str.translate` table; None when there is none. One letter for one, so positions hold."""
    if not isinstance(fold, dict) or not fold:
        return None
    table: dict[int, str] = {}
    for letter, typed in fold.items():
        if isinstance(letter, str) and isinstance(typed, str) and len(letter) == 1 and len(typed) == 1:
            table[ord(letter.lower())] = typed.lower()
            table[ord(letter.upper())] = typed.upper()
    return table or None


class Lexicon:
    """One language's lists. Keys are dotted paths: 'boilerplate', 'pitch.cta', 'register.formal'."""

    def __init__(self, language: str, data: dict[str, Any], user_patterns: dict[str, str] | None = None) -> None:
        self.language = language
        self.data = data
        self.user_patterns = user_patterns or {}
        self.fold = fold_table(data.get("fold"))
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
                                                           self.user_patterns, self.fold)
        found = tuple(compiled.finditer(text))
        if len(self._found) > 50000:  # several rules ask about the same texts: keep a bounded memory
            self._found.clear()
        self._found[(key, text)] = found
        return list(found)

    def forget_texts(self) -> None:
        """Drop the matches found, once a document is linted (see linter.model.text.forget_texts)."""
        self._found.clear()

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
