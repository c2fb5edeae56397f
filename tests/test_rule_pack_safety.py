"""Rule packs anybody can write: bad and catastrophic patterns are config errors, never a hang."""

import time

import pytest

from linter.cli import main

FLOW = 'flow f:\n  step s:\n    say "{text}"\n    end\n'


@pytest.fixture
def project(project):
    (project / ".botlint.yaml").write_text("rulesets: [team-rules.yaml]\n", encoding="utf-8")
    return project


def _pack(project, entries: str) -> None:
    (project / "team-rules.yaml").write_text(f"lexicons:\n  en:\n    boilerplate: {entries}\n", encoding="utf-8")


def test_invalid_regex_is_a_config_error_naming_the_file_and_pattern(project, capsys):
    _pack(project, '["re:thanks (for"]')
    (project / "f.flow").write_text(FLOW.format(text="Hi!"), encoding="utf-8")
    assert main(["check", "f.flow"]) == 2
    err = capsys.readouterr().err
    assert "team-rules.yaml:2:3:" in err and "bad pattern 're:thanks (for'" in err and "Traceback" not in err


@pytest.mark.parametrize("evil, text", [
    ("re:(a|aa)+$", "a" * 80 + "b"),  # overlapping alternatives under a repeat
    ("re:(thanks|thank|s)+$", "thanks" * 30 + "."),  # the same, as a word list might hold it
])
def test_catastrophic_pattern_is_stopped_and_reported(project, capsys, evil, text):
    _pack(project, f'["{evil}"]')
    (project / "f.flow").write_text(FLOW.format(text=text), encoding="utf-8")
    started = time.monotonic()
    assert main(["check", "f.flow", "--no-cache"]) == 2
    assert time.monotonic() - started < 30  # unbounded, this would run for hours (a hang, not a timing target)
    err = capsys.readouterr().err
    assert err.startswith(str(project / "team-rules.yaml")) and "backtracks catastrophically" in err
    assert repr(evil) in err or evil in err


def test_a_users_ordinary_pattern_still_matches(project, capsys):
    _pack(project, r'["re:as per (our|your) (call|request)"]')
    (project / "f.flow").write_text(FLOW.format(text="Hi! As per your request, here is the menu."), encoding="utf-8")
    assert main(["check", "f.flow", "--no-cache", "--select", "BL101"]) == 1
    assert "As per your request" in capsys.readouterr().out
