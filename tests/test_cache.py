"""The shipped-ruleset cache: reused while the files are unchanged, rebuilt when broken or stale."""

import json

from linter.cache import cached_json


def test_cache_reuses_and_rebuilds(tmp_path, monkeypatch):
    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "data.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    calls = []

    def build():
        calls.append(1)
        return {"value": len(calls)}

    assert cached_json("t", [source], build) == {"value": 1}
    assert cached_json("t", [source], build) == {"value": 1}  # from the cache
    [cached] = (tmp_path / "cache").glob("t-*.json")
    cached.write_text("{broken", encoding="utf-8")
    assert cached_json("t", [source], build) == {"value": 2}  # a broken cache is rebuilt
    source.write_text("a: 22\n", encoding="utf-8")  # size changes: a new key
    assert cached_json("t", [source], build) == {"value": 3}
    assert json.loads(cached.read_text(encoding="utf-8")) == {"value": 2}


def test_unwritable_cache_still_works(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(blocked / "cache"))
    source = tmp_path / "data.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    assert cached_json("t", [source], lambda: {"ok": True}) == {"ok": True}


def test_cached_hyphenation_patterns_give_pyphens_answers(tmp_path, monkeypatch):
    import re

    import pyphen

    from conftest import REPO
    from linter.model import text

    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(tmp_path))
    languages = {"en": "en_US", "de": "de_DE", "ru": "ru_RU", "hr": "hr_HR"}
    for short, language in languages.items():
        # Every word of the shipped lexicon: a few hundred real words per language.
        lexicon = (REPO / "rulesets" / "lexicons" / f"{short}.yaml").read_text(encoding="utf-8")
        samples = sorted(set(re.findall(r"[^\W\d_]{2,}", lexicon)))
        assert len(samples) > 100, language
        path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
        pyphen.hdcache.pop(path, None)
        text._hyphenator.cache_clear()
        text._hyphenator(language)  # parses and writes the cache
        pyphen.hdcache.pop(path, None)
        text._hyphenator.cache_clear()
        cached = text._hyphenator(language)  # built from the cache
        assert isinstance(pyphen.hdcache[path].patterns, text._PackedPatterns), language
        fresh = pyphen.Pyphen(lang=language, cache=False)
        assert [cached.positions(w) for w in samples] == [fresh.positions(w) for w in samples], language
    assert len(list(tmp_path.glob("hyphenation-*.json"))) == len(languages)


def test_patterns_that_do_not_pack_are_left_to_pyphen():
    from linter.model.text import _PackedPatterns

    packed = _PackedPatterns(_PackedPatterns.pack({"ab": (0, [1, 0, 2]), "xyz": (25, [9])}))
    assert packed.get("ab") == (0, [1, 0, 2]) and packed.get("xyz") == (25, [9])
    assert packed.get("zz") is None and packed.get("zz", ()) == ()
    assert _PackedPatterns.pack({"ab": (0, [10])}) is None  # a value with two digits
    assert _PackedPatterns.pack({"ab": (0, [DataLike(1)])}) is None  # pyphen's non-standard hyphenation


class DataLike(int):
    """As pyphen's DataInt: an int that carries a non-standard hyphenation."""


def test_a_cached_flow_is_linted_again_when_its_bots_texts_change(tmp_path, monkeypatch):
    # A Botpress flow's messages live in the bot's content elements: editing them, not the flow
    # file, must not give the old findings back from the result cache.
    import shutil
    from pathlib import Path

    from linter.engine.result_cache import ResultCache
    from linter.engine.runner import lint_paths
    from linter.engine.settings import Overrides, SettingsResolver

    bot = tmp_path / "bot"
    shutil.copytree(Path(__file__).parent / "fixtures" / "botpress" / "coffee-bot", bot)
    monkeypatch.chdir(tmp_path)
    flow = bot / "flows" / "main.flow.json"

    def run():
        return lint_paths([flow], SettingsResolver(Overrides(select=["BL101"]), cwd=tmp_path),
                          cache=ResultCache(tmp_path))

    assert [f.code for f in run().findings] == []
    texts = bot / "content-elements" / "builtin_text.json"
    data = json.loads(texts.read_text(encoding="utf-8"))
    data[0]["formData"]["text$en"] = "Dear valued customer, please be advised that we are closed."
    texts.write_text(json.dumps(data), encoding="utf-8")
    second = run()
    assert [f.code for f in second.findings] == ["BL101"]
