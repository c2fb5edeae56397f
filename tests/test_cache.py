"""The shipped-ruleset cache: reused while the files are unchanged, rebuilt when broken or stale."""

import json

from conftest import REPO
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


def test_cached_hyphenation_counts_pyphens_points(tmp_path, monkeypatch):
    import re

    import pyphen

    from conftest import REPO
    from linter.model import text

    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(tmp_path))
    expected = {}
    for short, language in {"en": "en_US", "de": "de_DE", "ru": "ru_RU", "hr": "hr_HR"}.items():
        # Every word of the shipped lexicon: a few hundred real words per language.
        lexicon = (REPO / "rulesets" / "lexicons" / f"{short}.yaml").read_text(encoding="utf-8")
        samples = sorted({word.lower() for word in re.findall(r"[^\W\d_]{2,}", lexicon)})
        assert len(samples) > 100, language
        pyphens = pyphen.Pyphen(lang=language, cache=False)
        expected[language] = {word: len(pyphens.positions(word)) for word in samples}
    for language, counts in expected.items():
        parsed = text._hyphenation_points(language)  # reads the dictionary and writes the cache
        assert {word: parsed(word) for word in counts} == counts, language
    # Each shipped language takes botlint's own path: a dictionary it cannot read fails here, not slowly.
    written = [json.loads(path.read_text(encoding="utf-8")) for path in tmp_path.glob("hyphenation-*.json")]
    assert len(written) == len(expected) and all(len(data["patterns"]) > 1000 for data in written)
    monkeypatch.setattr(text, "_read_hyphenation", None)  # from here on, only the cache can answer
    for language, counts in expected.items():
        cached = text._hyphenation_points(language)
        assert {word: cached(word) for word in counts} == counts, language


def test_odd_and_non_standard_hyphenation_count_as_pyphen_counts(tmp_path, monkeypatch):
    import pyphen

    from linter.model import text

    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(tmp_path / "cache"))
    words = ["cabbage", "pineapple", "kick", "erfenis", "erf", "fern", "ab", "haberdashery"]
    odd = tmp_path / "hyph_xx.dic"  # comments, settings, a ^^hh character, two digits in a row
    odd.write_text("UTF-8\nLEFTHYPHENMIN 2\n% note\n\na1b\n1ca\nb2b\n.er2f11\n^^65r1n\npi1n\n4ple\n",
                   encoding="utf-8")
    assert text._read_hyphenation(odd)["patterns"]["ern"] == "21"  # levels from the third place: 1
    special = tmp_path / "hyph_yy.dic"  # "ck" hyphenates as "k-k": botlint leaves that to pyphen
    special.write_text("UTF-8\nc1k/k=k,1,1\na1b\n", encoding="utf-8")
    assert text._read_hyphenation(special) == {}
    for dictionary in (odd, special):
        counted = text._dictionary_points(dictionary)
        reference = pyphen.Pyphen(filename=dictionary, cache=False)
        assert [counted(word) for word in words] == [len(reference.positions(word)) for word in words]


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


def test_entries_unread_for_a_month_are_dropped_when_a_new_one_is_written(tmp_path, monkeypatch):
    import os
    import time

    from linter import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv("BOTLINT_CACHE_DIR", str(folder))
    source = tmp_path / "data.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    assert cached_json("rules", [source], lambda: {"v": 1}) == {"v": 1}
    [in_use] = folder.glob("rules-*.json")
    old_version = folder / "rules-v0-0123456789abcdef.json"  # what an older botlint left
    old_version.write_text("{}", encoding="utf-8")
    not_ours = folder / "notes.json"
    not_ours.write_text("{}", encoding="utf-8")
    month_ago = time.time() - (cache.STALE_DAYS + 1) * 86400
    for path in (in_use, old_version, not_ours):
        os.utime(path, (month_ago, month_ago))
    assert cached_json("rules", [source], lambda: {"v": 2}) == {"v": 1}  # read: kept fresh
    source.write_text("a: 22\n", encoding="utf-8")
    assert cached_json("rules", [source], lambda: {"v": 3}) == {"v": 3}  # written: stale ones go
    assert in_use.exists() and not old_version.exists() and not_ours.exists()
    assert len(list(folder.glob("rules-*.json"))) == 2


def test_result_cache_entries_unread_for_a_month_are_dropped_with_older_versions_folders(tmp_path, monkeypatch):
    import os
    import shutil
    import time

    from linter import cache
    from linter.cli import main

    monkeypatch.chdir(tmp_path)
    for name in ("a.flow", "b.flow"):
        shutil.copy(REPO / "examples" / "hard-sell-good.flow", tmp_path / name)
    assert main(["check", "--no-color", "a.flow", "b.flow"]) == 0
    results = tmp_path / ".botlint_cache"
    [current] = [folder for folder in results.glob("v*")]
    before = {path.name for path in current.glob("*.json")}
    older = results / "v0.0.1"  # what an older botlint left
    older.mkdir()
    (older / ("0" * 64 + ".json")).write_text("{}", encoding="utf-8")
    month_ago = time.time() - (cache.STALE_DAYS + 1) * 86400
    for path in (*current.glob("*.json"), *older.glob("*.json")):
        os.utime(path, (month_ago, month_ago))
    assert main(["check", "--no-color", "a.flow"]) == 0  # a hit: a.flow's entry is in use again
    (tmp_path / "b.flow").write_text((tmp_path / "b.flow").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(["check", "--no-color", "a.flow", "b.flow"]) == 0  # b.flow changed: a write, and a tidy-up
    remaining = {path.name for path in current.glob("*.json")}
    assert len(remaining) == 2 and len(before & remaining) == 1  # a.flow's old entry and b.flow's new one
    assert not older.exists() and (results / ".gitignore").exists()
