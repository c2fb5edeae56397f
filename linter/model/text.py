"""Facts about a message's text that rules share: placeholders, sentences, words, prose, card fields, readability.

Pure functions of the text (and a language's readability settings), cached:
the same bubble text often appears many times across flows. Readability is
measured on a message's prose only: the lines that read as sentences, without
lists, menus, card fields, headings, URLs, e-mail addresses or phone numbers.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

# {name} or {name|fallback}; names are identifiers, optionally dotted (contact.first_name).
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)(?:\|([^{}]*))?\}")
# Capital letters of the scripts botlint reads: Latin (with Croatian and German ones) and Cyrillic.
_UP = "A-ZÀ-ÖØ-ÞČĆĐŠŽА-ЯЁЂ-Џ"
# Template debris from other tools, or a broken one of ours.
_LEFTOVERS = [
    ("double-brace template", re.compile(r"\{\{[^{}\n]*\}\}")),
    # [NAME], [FIRST_NAME], [COMPANY NAME], [ИМЯ], [ČLAN]; two-letter tags such as [AI] or [EN] are labels.
    ("bracket placeholder", re.compile(
        rf"\[(?:[{_UP}][{_UP}0-9]{{2,}}(?:[ _][{_UP}0-9]+)*|[{_UP}][{_UP}0-9]*(?:[ _][{_UP}0-9]+)+)\]")),
    ("percent placeholder", re.compile(rf"%[{_UP}][{_UP}0-9_]*%")),
    # Mailchimp's merge tags: *|FNAME|*.
    ("merge tag", re.compile(r"\*\|[A-Z][A-Z0-9_:]*\|\*")),
    # Digits left to fill in: "0800 xxx xxxx", "XXX-XXXX" ("Ana xxx" is kisses, not a number).
    ("placeholder digits", re.compile(r"(?<![\w-])(?:\d+[ -]?[xX]{3,}|[xX]{3,}[ -][xX]{3,})(?:[ -][xX]{2,})*(?![\w-])")),
    # No brace inside: from every "${" the class would otherwise run to the end of a brace-less text.
    ("dollar placeholder", re.compile(r"\$\{[^{}\n]*\}")),
    # A builder's "fill this in" note: <FIRST_NAME>, <INSERT YOUR LINK HERE> (one capital word is an HTML tag).
    ("angle-bracket placeholder", re.compile(r"<[A-Z][A-Z0-9.\-]*(?:[ _][A-Z0-9.\-]+)+>")),
]
_BRACE_RE = re.compile(r"[{}]")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# A word as a reader counts it: a hyphenated word (RCS-Welt, well-known, Ad-hoc-Entwicklung), a file
# name, path or identifier (domain.yml, data/nlu.yml, max_size) is one; alternatives stay two
# ("and/or", "e/ou").
_COUNTED_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*(?:(?:/[^\W_]+)*[._][^\W_]+)*")
# Marks match from the start of their run only (see _UNSPACED_END_RE).
_SENTENCE_END_RE = re.compile(r"(?:(?<![.!?…])[.!?…]+[\"')\]]*)(?=\s|$)|\n\s*\n|\n(?=\s*[-•*\d])")
# A sentence's end with no space after it ("(OSM).For more"): checked for case in `_unspaced_ends`.
# From the start of a run of marks only (a match tried inside a long run costs time quadratic in it).
_UNSPACED_END_RE = re.compile(r"(?<=[^\s.!?])[.!?]+(?=[^\W\d_]{2})")
# A URL ends before the punctuation that closes the sentence or the link around it ("(url).").
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']*?(?=[.,;:!?)\]'\"”’]*(?:[\s<>\"']|$))")
# A Markdown link reads as its text: "[our guide](https://example.com/guide)".
_MARKDOWN_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\((?:https?://|www\.|mailto:|tel:)[^()\s]*\)")
# --- prose: what of a message reads as sentences --------------------------------------------------
# Starts only where a run of address characters starts: tried at every character of a long word
# without "@", the plain pattern takes time quadratic in its length.
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# <b>, <span>, <a target='_blank' href='...'>, bold and code marks
_MARKUP_RE = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>|\*\*|__|`")
_HTML_BREAK_RE = re.compile(r"<br\s*/?>|</?(?:p|div|ul|ol|h\d)\b[^<>\n]{0,40}>|</li>", re.IGNORECASE)
_HTML_ITEM_RE = re.compile(r"<li\b[^<>\n]{0,40}>", re.IGNORECASE)
# A list or menu item: a bullet, "1.", "2)", "03 -", "a)", a keycap digit ("1️⃣").
_LIST_ITEM_RE = re.compile(r"\s*(?:[-•*·▪◦‣–—►▶➤→✓✔✅☑]|\d{1,3}\s*(?:[.):]|\s[-–—])|\d\ufe0f?\u20e3"
                           r"|[A-Za-z][.)](?=\s))\s*")
# "I - ...", "II) ...": items of a quoted law or contract, when more than one line is numbered so
# (alone, "I - and only I - decide" is a sentence).
_ROMAN_ITEM_RE = re.compile(r"\s*[IVXLC]{1,6}\s*(?:[.)]|\s[-–—])\s")
# A card field: a short label, a colon, a short value without a sentence's end ("Email: ana@x.hr").
_FIELD_RE = re.compile(r"\s*[^\W\d_][^:.!?\n]{0,30}:\s*(?P<value>\S.*)?$")
_HEADING_RE = re.compile(r"\s*#|\s*\*\*[^*\n]+\*\*\s*$")
_CLAUSE_END = ".!?…:;"
FIELD_LABEL_WORDS = 3  # "Delivery address: ..." is a field, "Our shop in the old town has: ..." is prose
FIELD_VALUE_WORDS = 6
FIELD_CARD_LINES = 2  # one "Label: VALUE" line may be an ad ("Today only: FREE SHIPPING"); two make a card
ENUMERATION_ITEMS = 3  # "...: pricing, delivery, returns" and more items after a colon are a list
ENUMERATION_ITEM_WORDS = 4


class Placeholder(NamedTuple):
    name: str
    fallback: str | None
    start: int
    end: int


def placeholders(text: str) -> list[Placeholder]:
    return list(_placeholders(text))


@lru_cache(maxsize=8192)
def _placeholders(text: str) -> tuple[Placeholder, ...]:
    return tuple(Placeholder(m[1], m[2], m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text))


def template_problems(text: str) -> list[tuple[int, int, str]]:
    """(start, end, what) for leftovers of other template syntaxes and unbalanced braces."""
    return list(_template_problems(text))


@lru_cache(maxsize=8192)
def _template_problems(text: str) -> tuple[tuple[int, int, str], ...]:
    if not any(char in text for char in "{}[%$<|") and "xxx" not in text.lower():
        return ()  # nothing that could start a template
    problems: list[tuple[int, int, str]] = []
    covered: list[tuple[int, int]] = []
    # Links are not templates: "[IFRAP](https://...)", "%C3%A9" in a URL. Blanked, same length.
    linkless = URL_RE.sub(_blank, _MARKDOWN_LINK_RE.sub(_blank, text)) if "://" in text or "www." in text else text
    for kind, pattern in _LEFTOVERS:
        for match in pattern.finditer(linkless):
            problems.append((match.start(), match.end(), kind))
            covered.append(match.span())
    for match in PLACEHOLDER_RE.finditer(text):
        covered.append(match.span())
    # Whether a brace is inside a covered span: the last span starting at or before it, by bisection,
    # against the furthest end so far (a scan of every span per brace is quadratic: "{a}" x 33,000).
    covered.sort()
    starts = [start for start, _ in covered]
    furthest = list(itertools.accumulate((end for _, end in covered), max))
    for match in _BRACE_RE.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0 or furthest[index] <= match.start():
            problems.append((match.start(), match.end(), f"stray '{match.group()}' (malformed placeholder)"))
    return tuple(sorted(problems))


# A quoted passage: German „…“, guillemets «…» (both ways), English “…” and straight "…", one line.
_QUOTED_RE = re.compile(r"„[^„“”\n]{0,300}[“”]|«[^«»\n]{0,300}»|»[^«»\n]{0,300}«|“[^“”\n]{0,300}”|\"[^\"\n]{0,300}\"")
_QUOTE_OR_URL_RE = re.compile(r"[„“«»\"]|https?://|www\.")


def unquoted(text: str) -> str:
    """The text with quoted passages and URLs blanked (same length, so positions hold): what the
    bot says in its own voice, not a button label, a product name, a review or a link it quotes."""
    if not _QUOTE_OR_URL_RE.search(text):
        return text
    return URL_RE.sub(_blank, _QUOTED_RE.sub(_blank, text))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


@lru_cache(maxsize=8192)
def without_templates(text: str) -> str:
    """The text a person reads, roughly: placeholders become a word, a Markdown link its text,
    URLs vanish (the punctuation after them stays)."""
    text = PLACEHOLDER_RE.sub(lambda m: m[2] if m[2] else "Name", text)
    return URL_RE.sub("", _MARKDOWN_LINK_RE.sub(r"\1", text) if "](" in text else text)


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(without_templates(text)))


def words(text: str) -> list[str]:
    return list(_words(text))


def word_count(text: str) -> int:
    """How many words a reader counts in a text: `words`, with a file name or path as one."""
    return len(_COUNTED_WORD_RE.findall(without_templates(text)))


@lru_cache(maxsize=8192)
def _sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> tuple[str, ...]:
    parts = _split_at_ends(without_templates(text), abbreviations)
    return tuple(piece.strip() for part in parts if part for piece in _unspaced_ends(part) if _WORD_RE.search(piece))


# The word before a full stop (with its inner dots: "a.m", "z.B", "т.е") and the character after the gap.
_WORD_BEFORE_RE = re.compile(r"(?:\w\.)*\w+$")
_NEXT_RE = re.compile(r"\s*(\S)(\S)?")
_PAIR_START_RE = re.compile(r"(?<!\w)[^\W\d_]\. ?$")


def _split_at_ends(text: str, abbreviations: frozenset[str]) -> list[str]:
    """The text cut where sentences end, but not after an abbreviation (see `_abbreviation`)."""
    parts, start = [], 0
    for end in _SENTENCE_END_RE.finditer(text):
        if end.group() == "." and _abbreviation(text, end.start(), end.end(), abbreviations):
            continue
        parts.append(text[start:end.start()])
        start = end.end()
    parts.append(text[start:])
    return parts


def _abbreviation(text: str, dot: int, after: int, abbreviations: frozenset[str]) -> bool:
    """The full stop at `dot` closes an abbreviation inside a sentence: one of the language's
    (`readability.abbreviations`: "Dr", "inkl", "ул"), whatever follows; or, before a lower-case word,
    a digit or another one-letter abbreviation, one or more single letters ("z. B. nach", "9 a.m. to",
    "д. 5"), a short capitalised word ("Mon. to Fri.", "Tel. 0800") or an ordinal ("5. svibnja")."""
    found = _WORD_BEFORE_RE.search(text, max(0, dot - 24), dot)
    if found is None:
        return False
    word = found.group()
    if word.casefold() in abbreviations or (len(word) == 1 and _PAIR_START_RE.search(text, max(0, dot - 5), dot - 1)):
        return True  # listed, or the second letter of a pair ("z. B.", "d. h.", "u. a.")
    following = _NEXT_RE.match(text, after)
    if following is None:
        return False
    first, second = following.group(1), following.group(2) or ""
    goes_on = first.islower() or first.isdigit() or (first.isalpha() and second == ".")
    letters = word.replace(".", "")
    return goes_on and (len(letters) == len(word.split(".")) and letters.isalpha()  # single letters
                        or (word.isalpha() and word[0].isupper() and len(word) <= 4 and not first.isupper())
                        or (word.isdigit() and first.islower()))


def _unspaced_ends(text: str) -> list[str]:
    """A text split where a sentence ends without a space: after a lower-case word, a bracket, a
    number or a percent sign, before a capitalised word ("(OSM).For more info", "25%.In the north").
    "ASP.NET", "Node.js" and "U.S.Army" stay whole."""
    pieces, start = [], 0
    for match in _UNSPACED_END_RE.finditer(text):
        before, after = text[match.start() - 1], text[match.end():match.end() + 2]
        if (before.islower() or before.isdigit() or before in ")]\"'”’%") and after[0].isupper() \
                and after[1].islower():
            pieces.append(text[start:match.end()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[str]:
    """Sentences as a reader sees them; short ones count (unlike textstat's counter). A full stop
    after an abbreviation does not end one (see `_abbreviation`; `abbreviations_of` gives a
    language's list)."""
    return list(_sentences(text, abbreviations))


def prose(text: str) -> str:
    """The part of a message that reads as sentences, one sentence-bearing line per paragraph.

    Dropped: list and menu items, card fields ("Name: {name}"), headings, URLs, e-mail
    addresses and markup. A line ends a sentence unless the next one goes on in lower case
    (a wrapped line); an enumeration after a colon is a list, not part of the sentence."""
    return _prose(text)


@lru_cache(maxsize=8192)
def _prose(text: str) -> str:
    kept: list[str] = []
    text = _HTML_ITEM_RE.sub("\n- ", _HTML_BREAK_RE.sub("\n", EMAIL_RE.sub(" ", without_templates(text))))
    lines = text.splitlines()
    roman_list = sum(1 for line in lines if _ROMAN_ITEM_RE.match(line)) > 1
    for raw in lines:
        line = _MARKUP_RE.sub("", raw) if not _HEADING_RE.match(raw) else ""
        line = " ".join(line.split())
        if not line or _LIST_ITEM_RE.match(line) or (roman_list and _ROMAN_ITEM_RE.match(line)) \
                or _is_field(line) or not _WORD_RE.search(line):
            kept.append("")  # a boundary: what follows starts a new sentence
            continue
        line = _without_enumeration(line)
        if kept and kept[-1] and kept[-1][-1] not in _CLAUSE_END and line[0].islower():
            kept[-1] += " " + line  # a wrapped line goes on with the sentence
        else:
            kept.append(line)
    return "\n\n".join(line for line in kept if line)


def _is_field(line: str) -> bool:
    match = _FIELD_RE.match(line)
    if match is None:
        return False
    label = line[:line.index(":")]
    value = match["value"] or ""
    return (len(_WORD_RE.findall(label)) <= FIELD_LABEL_WORDS and len(value.split()) <= FIELD_VALUE_WORDS
            and not value.rstrip().endswith((".", "!", "?", "…")))


def field_values(text: str) -> list[tuple[int, int]]:
    """(start, end) of each value on the field lines of a card: a message with `FIELD_CARD_LINES` or
    more lines such as "Status: PAID" or "* **Plan:** GOLD" (see `prose`). The values are data
    (a plan, a status, a code), not the bot's own wording."""
    return list(_field_values(text))


@lru_cache(maxsize=8192)
def _field_values(text: str) -> tuple[tuple[int, int], ...]:
    if text.count(":") < FIELD_CARD_LINES:
        return ()
    spans, offset = [], 0
    for raw in text.splitlines(keepends=True):
        line = " ".join(_MARKUP_RE.sub("", raw).split())
        item = _LIST_ITEM_RE.match(line)
        if item and ":" in line[item.end():]:
            line = line[item.end():]  # a bulleted field: "- Plan: GOLD"
        if ":" in raw and _is_field(line):
            colon = raw.index(":") + 1
            start = colon + len(raw[colon:]) - len(raw[colon:].lstrip(" \t*_"))
            end = len(raw.rstrip())
            if end > start:
                spans.append((offset + start, offset + end))
        offset += len(raw)
    return tuple(spans) if len(spans) >= FIELD_CARD_LINES else ()


def _without_enumeration(line: str) -> str:
    """A line without a list of short items after its colon ("We ship: coffee, tea, mugs and filters.")."""
    head, colon, tail = line.partition(": ")
    if not colon:
        return line
    items = [item for item in re.split(r"[,;]", tail.rstrip(".!?… ")) if item.strip()]
    if len(items) >= ENUMERATION_ITEMS and all(len(_WORD_RE.findall(item)) <= ENUMERATION_ITEM_WORDS + 1
                                               for item in items):
        return head + ":"
    return line


def prose_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[str]:
    """The sentences of a message's prose (see `prose`)."""
    return list(_sentences(_prose(text), abbreviations))


@dataclass(frozen=True)
class Readability:
    formula: str  # flesch or lix
    score: float
    words: int
    sentences: int
    words_per_sentence: float
    hard: bool  # past the language's "hard to read" line


@lru_cache(maxsize=8)
def _syllable_counter(hyphenation: str):
    """Syllables of a word: its hyphenation points + 1, the path textstat takes for every
    language but English. With its own memo: words repeat across messages."""
    points = _hyphenation_points(hyphenation)
    memo: dict[str, int] = {}

    def count(word: str) -> int:
        found = memo.get(word)
        if found is None:
            if len(memo) > 50000:
                memo.clear()
            found = memo[word] = points(word.lower()) + 1
        return found

    return count


def _hyphenation_points(language: str):
    """How many hyphenation points pyphen's dictionary for `language` gives a word, with pyphen's
    default of at least two letters before the first and after the last.

    pyphen parses a dictionary for longer than a whole one-file lint takes (English 11,000
    patterns, German 66,000), so botlint reads the dictionary file once into its own compact form,
    keeps that in its cache folder and applies the patterns itself (Liang's algorithm, as pyphen
    does); a test checks that the counts equal pyphen's. A dictionary with non-standard
    hyphenation ("ff=f") is left to pyphen."""
    import pyphen

    return _dictionary_points(pyphen.LANGUAGES[pyphen.language_fallback(language)])


def _dictionary_points(path):
    """`_hyphenation_points` for one hyph_*.dic file."""
    from linter.cache import cached_json

    data = cached_json(f"hyphenation-v3-{path.stem}", [path], lambda: _read_hyphenation(path))
    if not data:
        import pyphen

        positions = pyphen.Pyphen(filename=path).positions
        return lambda word: len(positions(word))
    patterns, longest = data["patterns"], data["longest"]

    def points(word: str) -> int:
        dotted = f".{word}."
        levels = [0] * (len(dotted) + 1)
        for start in range(len(dotted) - 1):
            for end in range(start + 1, min(start + longest, len(dotted)) + 1):
                packed = patterns.get(dotted[start:end])
                if packed:
                    at = start + ord(packed[0]) - _ZERO
                    try:
                        for index, digit in enumerate(packed[1:], at):
                            levels[index] = max(levels[index], ord(digit) - _ZERO)
                    except IndexError:  # a malformed pattern ("er2f11") past the word's end: pyphen drops the rest
                        pass
        # levels[i] is the break before word[i - 1]: odd breaks count, two letters from either end
        return sum(levels[index] % 2 for index in range(3, len(word)))

    return points


_ZERO = ord("0")
# A hyph_*.dic line: letters, each optionally after a digit (the hyphenation level before it).
_PATTERN_PARTS = re.compile(r"(\d?)(\D?)")
_HEX_CHARACTER = re.compile(r"\^{2}([0-9a-f]{2})")
_NOT_PATTERNS = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")


def _read_hyphenation(path) -> dict:
    """A hyph_*.dic file's patterns as pyphen reads them, as {"patterns": {letters: packed},
    "longest": length of the longest}: packed is chr(48 + where its levels start), then one digit
    per level. {} if the file has non-standard hyphenation ("ff=f"), which botlint leaves to pyphen."""
    with path.open("rb") as handle:
        encoding = handle.readline().decode().strip()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    patterns = {}
    for line in path.read_text(encoding).split("\n")[1:]:
        line = line.strip()
        if not line or line.startswith(_NOT_PATTERNS):
            continue
        line = _HEX_CHARACTER.sub(lambda match: chr(int(match.group(1), 16)), line)
        if "/" in line and "=" in line:
            return {}
        parts = _PATTERN_PARTS.findall(line)
        levels = "".join(str(int(digit or "0")) for digit, _ in parts)
        if not levels.strip("0"):
            continue
        first = len(levels) - len(levels.lstrip("0"))
        patterns["".join(letter for _, letter in parts)] = chr(_ZERO + first) + levels.strip("0")
    return {"patterns": patterns, "longest": max(map(len, patterns), default=0)}


def readability(text: str, settings: dict[str, Any]) -> Readability | None:
    """Readability of one message's prose under a language's `readability` settings; None if
    unscorable: no prose, or prose that does not read as the language (see `reads_as`)."""
    key = _settings_key(settings)
    text = _prose(text)
    if not reads_as(text, settings):
        return None
    return _readability(text, key[1], key[3])


def reads_as(text: str, settings: dict[str, Any]) -> bool:
    """Whether a text reads as the language of these settings: at least `min_function_share`
    of its words are the language's `function_words` (articles, pronouns, prepositions...), or it
    has one of the language's `marker_letters`.
    A Spanish reply scored with English constants says nothing; without a list, any text reads."""
    common = _settings_key(settings)[2]
    found = words(text)
    if not common or not found:
        return bool(found) or not common
    share = sum(1 for word in found if word.casefold() in common) / len(found)
    if share >= float(settings.get("min_function_share", 0)):
        return True
    # Officialese strings nouns together with almost no function words; letters only this language
    # writes (Russian ы, э, ъ) still tell it from a neighbour's text.
    markers = str(settings.get("marker_letters") or "")
    return bool(markers) and any(letter in markers for letter in text.casefold())


def abbreviations_of(settings: dict[str, Any] | None) -> frozenset[str]:
    """A language's abbreviations (its `readability.abbreviations`), as `sentences` takes them."""
    return _settings_key(settings)[3] if isinstance(settings, dict) else frozenset()


def _settings_key(settings: dict[str, Any]) -> tuple[dict, tuple, frozenset[str], frozenset[str]]:
    key = _SETTINGS_KEYS.get(id(settings))
    if key is None or key[0] is not settings:
        key = _SETTINGS_KEYS[id(settings)] = (settings, tuple(sorted(
            (k, v) for k, v in settings.items() if not isinstance(v, (dict, list)))),
            frozenset(str(word).casefold() for word in settings.get("function_words") or []),
            frozenset(str(word).casefold().rstrip(".") for word in settings.get("abbreviations") or []))
    return key


_SETTINGS_KEYS: dict[int, tuple[dict, tuple, frozenset[str]]] = {}  # a language's settings, computed once


@lru_cache(maxsize=4096)
def _readability(text: str, settings_items: tuple, abbreviations: frozenset[str]) -> Readability | None:
    settings = dict(settings_items)
    found_words = words(text)
    if not found_words:
        return None
    sentence_count = max(1, len(_sentences(text, abbreviations)))
    per_sentence = len(found_words) / sentence_count
    formula = settings.get("formula", "lix")
    if formula == "flesch" and settings.get("hyphenation"):
        count = _syllable_counter(settings["hyphenation"])
        syllables = sum(map(count, found_words))
        score = (settings["fre_base"] - settings["fre_sentence_length"] * per_sentence
                 - settings["fre_syll_per_word"] * syllables / len(found_words))
        hard = score < settings.get("hard_below", 50)
    else:
        formula = "lix"
        long_words = sum(1 for word in found_words if len(word) > 6)
        score = per_sentence + 100 * long_words / len(found_words)
        hard = score > settings.get("hard_above", 50)
    return Readability(formula, round(score, 1), len(found_words), sentence_count, round(per_sentence, 1), hard)


def forget_texts() -> None:
    """Drop what was worked out about each text once a document is linted: the rules of one
    document share its texts, while most documents share few with the next (10,000 flows held
    8,192 texts of seven kinds, about 19 MB)."""
    for cached in (_placeholders, _template_problems, without_templates, _words, _sentences, _prose,
                   _field_values, _readability):
        cached.cache_clear()
