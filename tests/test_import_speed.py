"""What the importers' shortcuts for speed must keep: files read once per run are read again once
edited, and the fast JSON reader gives every span the position-keeping parser gave."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import steps_by_name as steps
from linter.parse import import_unit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_botpress_content_edited_between_imports_is_read_again(tmp_path):
    """A bot's content files are parsed once for all its flows in a run; an edit is still seen."""
    bot = shutil.copytree(FIXTURES / "botpress" / "coffee-bot", tmp_path / "coffee-bot")
    flow_file, texts = bot / "flows" / "main.flow.json", bot / "content-elements" / "builtin_text.json"

    def greeting() -> str:
        [flow] = import_unit(flow_file, "main.flow.json", "botpress")[0].document.flows
        return steps(flow)["entry"].do[0].say

    assert greeting() == "Morning! I'm the coffee bot ☕"
    texts.write_text(texts.read_text(encoding="utf-8").replace("Morning!", "Hello!"), encoding="utf-8")
    assert greeting() == "Hello! I'm the coffee bot ☕"


# --- JSON: the same data, spans and errors as the position-keeping parser it replaced -------------


def _json_files() -> list[Path]:
    from conftest import corpus_dir

    roots = [FIXTURES, *([corpus_dir()] if corpus_dir() else [])]
    return sorted(path for root in roots for path in root.rglob("*") if path.suffix in (".json", ".dialog")
                  and not any(part.startswith(".") for part in path.relative_to(root).parts))


def _outcome(load, text: str):
    """(data, positions) or the error as (message, line, col)."""
    from linter.core.errors import BotlintError

    try:
        document = load(text, "f.json")
    except BotlintError as error:
        return (error.message, error.line, error.col)
    return document


def _same_positions(new, old, new_node, old_node, where: str) -> None:
    assert new.positions.span(new_node) == old.positions.span(old_node), where
    if isinstance(new_node, dict):
        for key in new_node:
            assert new.positions.key(new_node, key) == old.positions.key(old_node, key), f"{where}.{key}"
            if isinstance(new_node[key], (dict, list)):
                _same_positions(new, old, new_node[key], old_node[key], f"{where}.{key}")
    elif isinstance(new_node, list):
        for index, item in enumerate(new_node):
            assert new.positions.item(new_node, index) == old.positions.item(old_node, index), f"{where}[{index}]"
            if isinstance(item, (dict, list)):
                _same_positions(new, old, item, old_node[index], f"{where}[{index}]")


def _assert_same(text: str, name: str) -> None:
    import jsonpos_reference

    from linter.parse import jsonpos

    new, old = _outcome(jsonpos.load_json, text), _outcome(jsonpos_reference.load_json, text)
    if isinstance(old, tuple) or isinstance(new, tuple):
        assert new == old, name
        return
    assert new.data == old.data, name
    _same_positions(new, old, new.data, old.data, name)


def test_json_spans_are_those_of_the_strict_parser_on_every_corpus_and_fixture_file():
    files = _json_files()
    assert len(files) > 100
    for path in files:
        _assert_same(path.read_text(encoding="utf-8-sig"), str(path))


def test_json_errors_are_those_of_the_strict_parser_at_the_same_place():
    """Broken files: each an edit of a real file, and the cases a strict parser refuses that json reads."""
    import random

    cases = ['', ' ', '{', '[1', '[1,]', '{"a":1,}', '{"a" 1}', '{"a":1 "b":2}', '[1 2]', '{"a":1}x', '{a:1}',
             '[tru]', '[-]', '[01]', '[1.]', '["a\\qb"]', '["a\x01b"]', '["abc', '["abc]', '{"a":1,"a":2}',
             '{"a":{"b":1,"b":2},"a":3}', '[NaN]', '[-Infinity]', '[Infinity]', '[NaNx]', '["\\ud800"]',
             '{"\\udc00": 1}', '["\\ud83d\\ude00", "\\ud83d"]', '[' + '9' * 5000 + ']', '[-' + '9' * 5000 + ']',
             '[1.' + '9' * 5000 + ']', '[' * 70 + ']' * 70, '[' * 64 + ']' * 64, '{"a":' * 70 + '1' + '}' * 70,
             '[[1],{"a":[]},[{}]]', '\ufeff{}', '{"a":1,"a":2, "b": [' * 1 + '[' * 80 + ']' * 80 + ']}',
             '{"x": [' + '[' * 80 + '1, NaN' + ']' * 80 + ']}', '{"a": "x"\n, "b":\t[1 ,2 ]\r\n}']
    for case in cases:
        _assert_same(case, repr(case[:60]))
    rng = random.Random(17)
    for path in _json_files()[::7]:
        text = path.read_text(encoding="utf-8-sig")
        for _ in range(8):
            at = rng.randrange(len(text) + 1)
            edit = rng.choice(['', '{', '}', '[', ']', ',', ':', '"', '\\', 'x', '1', '\x01', ' '])
            broken = text[:at] + edit + text[at + rng.choice([0, 1]):]
            _assert_same(broken, f"{path} at {at}: {edit!r}")
