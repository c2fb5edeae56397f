"""The strings a lexicon pattern cannot match without (the cheap prefilter before its regex).

A wrong string would make the lexicon skip a real match, so besides the table of tricky
patterns, every shipped and test pattern is checked against many texts: whenever the regex
matches, the lowercased text must hold one of the strings.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache

import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.engine.lexicon import _entry_pattern, _required_literal, all_entries

CASES = [
    # literal runs, escapes, anchors
    ("dear valued customer", ("customer",)),  # a plain phrase: its longest word
    (r"re:^hello there$", ("hello there",)),
    (r"re:\bwww\.example\.com\b", ("www.example.com",)),
    (r"re:price \d+ eur", ("price ",)),  # \d breaks the run: the longer half wins
    (r"re:\x41\u00e9\N{EM DASH}", ("aé—",)),
    (r"re:tab\there", ("tab\there",)),
    (r"re:\101bc", ("abc",)),  # octal
    (r"re:\{name\}", ("{name}",)),
    (r"re:x{a}yy", ("x{a}yy",)),  # not a quantifier: literal braces
    (r"re:a{}bc", ("a{}bc",)),
    (r"re:(ab)\1cd", ("ab",)),  # a back-reference breaks the run
    # quantifiers: min 0 drops the atom, min >= 1 keeps one copy and ends the run
    (r"re:\bcolou?r\b", ("colo",)),
    (r"re:hel{0}lo", ("he",)),
    (r"re:hel{,2}o", ("he",)),
    (r"re:hel{1,}o there", ("o there",)),
    (r"re:hel+o", ("hel",)),
    (r"re:abc{2}d", ("abc",)),
    (r"re:a+?bc", ("bc",)),  # lazy
    (r"re:ab*+cd", ("cd",)),  # possessive
    (r"re:\bsehr geehrte[r]? (herr|frau)\b", ("sehr geehrte",)),  # [r] is the literal r
    (r"re:(?:good )?morning", ("morning",)),
    (r"re:(?:abc)+x", ("abc",)),
    (r"re:(a|b)+xyz", ("xyz",)),
    # character classes
    (r"re:[.!?]", ("!", ".", "?")),
    (r"re:[ab]c", ()),  # one letter out of two rules nothing out
    (r"re:[]]xy", ("]xy",)),  # "]" first is literal
    (r"re:[^]]xy", ("xy",)),
    (r"re:[\]-]", ("-", "]")),  # "-" last is literal
    (r"re:[a-z]+ing", ("ing",)),
    (r"re:x[a-c]yz", ("yz",)),  # a range is not its first character
    (r"re:[\d.]+%", ("%",)),
    (r"re:[\.]{3}", (".",)),
    # alternation, groups, named groups
    (r"re:(foo|bar)baz", ("bar", "foo")),
    (r"re:foo|ba", ("ba", "foo")),
    (r"re:foo|b", ()),  # one branch offers a single letter only
    (r"re:foo|", ()),
    (r"re:(?:foo|foobar)x", ("foo",)),  # "foobar" holds "foo"
    (r"re:\b(ab|ac)\b", ("ab", "ac")),
    (r"re:(?P<w>hello) (?P=w)", ("hello",)),
    (r"re:(?>atomic)", ("atomic",)),
    # inline flags (the result is lowercase anyway), verbose mode is not read
    (r"re:(?i)Hello World", ("hello world",)),
    (r"re:(?-i:Dear) Sir", ("dear",)),
    (r"re:(?x)foo bar", ()),
    (r"re:ab(?x: c d )", ()),
    # lookarounds require nothing
    (r"re:(?<=dear )sir", ("sir",)),
    (r"re:(?<!no )thanks", ("thanks",)),
    (r"re:(?!x)\w+", ()),
    # comments vanish: the literals either side stay one run
    (r"re:ab(?#note)cd", ("abcd",)),
    # not modelled or not valid: no prefilter
    (r"re:(a)?(?(1)b|c)", ()),
    (r"re:ab(?#note)*", ()),
    (r"re:thanks (for", ()),
    (r"re:thanks)", ()),
    (r"re:a**", ()),
    (r"re:\q", ()),
    (r"re:[abc", ()),
]


@pytest.mark.parametrize("entry, expected", CASES)
def test_required_strings(entry, expected):
    assert _required_literal(entry, re.IGNORECASE) == expected


def test_verbose_flag_gives_no_prefilter():
    assert _required_literal("re:foo bar", re.IGNORECASE | re.VERBOSE) == ()


def _valid(entry: str) -> bool:
    try:
        re.compile(_entry_pattern(entry))
    except re.error:
        return False
    return True


def _lexicon_entries(data) -> set[str]:
    """Entries of a lexicon mapping, or of a ruleset's `lexicons:` section."""
    if not isinstance(data, dict):
        return set()
    lexicons = data.get("lexicons")
    if isinstance(lexicons, dict):
        return {entry for lexicon in lexicons.values() for entry in all_entries(lexicon)}
    return set(all_entries(data))


@lru_cache(maxsize=None)
def _shipped_entries() -> tuple[str, ...]:
    found: set[str] = set()
    for path in sorted((REPO / "rulesets" / "lexicons").glob("*.yaml")):
        found |= _lexicon_entries(yaml.safe_load(path.read_text(encoding="utf-8")))
    return tuple(sorted(found))


@lru_cache(maxsize=None)
def _patterns() -> tuple[str, ...]:
    """Every valid `re:` entry: shipped lexicons, rulesets of the tests (files and YAML written by
    test code), and the table above."""
    found = set(_shipped_entries()) | {entry for entry, _ in CASES}
    for path in sorted((REPO / "tests").rglob("*.yaml")):
        try:
            found |= _lexicon_entries(yaml.safe_load(path.read_text(encoding="utf-8")))
        except yaml.YAMLError:
            continue  # a fixture of broken YAML
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "re:" in node.value:
                found.add(node.value)
                found |= set(re.findall(r"""(?<=["'])re:.*?(?=["'])""", node.value))
    return tuple(sorted(entry for entry in found if entry.startswith("re:") and _valid(entry)))


@lru_cache(maxsize=None)
def _texts(with_pattern_text: bool) -> tuple[str, ...]:
    """The plain entries and every quoted string of the flow cases; with_pattern_text adds the
    text of the `re:` entries themselves (two thirds of the bytes: the slow tier reads those)."""
    texts = {entry for entry in _shipped_entries() if not entry.startswith("re:")}
    if with_pattern_text:
        texts |= {entry for entry in _shipped_entries() if entry.startswith("re:")}
        texts |= {entry[3:] for entry in _patterns()}
    for path in sorted((REPO / "tests" / "cases").rglob("*.flow")):
        texts |= set(re.findall(r'"((?:[^"\\\n]|\\.)*)"', path.read_text(encoding="utf-8")))
    return tuple(sorted(texts))


def _check(entry: str, pattern: re.Pattern[str], text: str) -> None:
    if pattern.search(text):
        _assert_holds(entry, text)


@lru_cache(maxsize=None)
def _needed(entry: str) -> tuple[str, ...]:
    return _required_literal(entry, re.IGNORECASE)


def _assert_holds(entry: str, text: str) -> None:
    needed = _needed(entry)
    lowered = text.lower()
    assert not needed or any(option in lowered for option in needed), (entry, needed, text)


def test_there_are_many_patterns_and_texts():
    assert len(_patterns()) > 1000 and len(_texts(with_pattern_text=False)) > 2000


def _every_match_holds_a_required_string(texts: tuple[str, ...]) -> None:
    joined = "\n".join(texts)
    for entry in _patterns():
        pattern = re.compile(_entry_pattern(entry), re.IGNORECASE)
        # One pass over all texts joined: a match there is a match in some text, which is all the
        # property needs. Anchors would lose the texts' own starts and ends: those go one by one.
        if re.search(r"[$^]|\\[AZ]", entry):
            for text in texts:
                _check(entry, pattern, text)
        else:
            for match in pattern.finditer(joined):  # the strings lie in what the match consumed
                _assert_holds(entry, match[0])


def test_every_match_in_phrases_and_flows_holds_a_required_string():
    _every_match_holds_a_required_string(_texts(with_pattern_text=False))


@pytest.mark.slow
def test_every_match_in_the_entries_themselves_holds_a_required_string():
    _every_match_holds_a_required_string(_texts(with_pattern_text=True))


@lru_cache(maxsize=None)
def _pieces(entry: str) -> tuple[str, ...]:
    """Bits of the pattern's own text: its words and literal fragments, in both cases."""
    body = entry[3:]
    fragments = {piece for piece in re.split(r"\\.|[\\()|?*+.\[\]{}^$]", body) if piece}
    fragments |= set(_required_literal(entry, re.IGNORECASE)) | {" "}
    return tuple(sorted(fragments | {piece.upper() for piece in fragments} | {piece.title() for piece in fragments}))


def _alphabet(entry: str) -> str:
    chars = set(entry) | set(entry.upper()) | set(entry.lower())
    return "".join(sorted(chars | set("abcxyz ABC019 .,!?-\n\t")))  # an entry may write a tab as \\t


@st.composite
def _pattern_and_text(draw):
    entry = draw(st.sampled_from(_patterns()))
    built = st.lists(st.one_of(st.sampled_from(_pieces(entry)), st.sampled_from([" ", "", ", ", "\n", "1", "x"])),
                     max_size=12).map("".join)
    generated = st.from_regex(re.compile(_entry_pattern(entry), re.IGNORECASE), alphabet=_alphabet(entry))
    return entry, draw(st.one_of(built, generated))


@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(_pattern_and_text())
def test_generated_texts_hold_a_required_string(pattern_and_text):
    entry, text = pattern_and_text
    _check(entry, re.compile(_entry_pattern(entry), re.IGNORECASE), text)
