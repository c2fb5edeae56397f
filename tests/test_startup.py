"""Start-up: a one-file run imports only what it needs (see linter/startup.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_PROBE = """
import json, sys
from linter.parse import parse_text
parse_text('flow a:\\n  step s:\\n    say "Hi"\\n    end\\n', 'a.flow')
loaded = {name: name in sys.modules for name in ("regex", "importlib.metadata")}
import regex  # botlint's own users' patterns still get the real module
from pydantic.plugin import _loader
print(json.dumps({**loaded, "regex_works": bool(regex.match("a+", "aa")),
                  "stub": not hasattr(_loader, "entry_points")}))
"""


def _probe(**env: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    environment.update(env, PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=environment,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_flow_is_parsed_without_regex_or_package_metadata():
    found = _probe()
    assert found == {"regex": False, "importlib.metadata": False, "regex_works": True, "stub": True}


def test_a_user_who_configures_pydantic_plugins_keeps_the_real_loader():
    found = _probe(PYDANTIC_DISABLE_PLUGINS="some_plugin")
    assert found["stub"] is False


def test_the_grammar_needs_no_unicode_category_patterns():
    """lark is imported without `regex`, which it would need for \\p{...} in a grammar."""
    for grammar in (REPO / "grammars").glob("*.lark"):
        assert "\\p{" not in grammar.read_text(encoding="utf-8"), grammar


_WARM = """
import io, json, sys, contextlib
from linter.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["check", "--jobs", "1", "--select", "ALL", "."])
print(json.dumps({"code": code, "loaded": [name for name in ("pydantic", "lark", "ruamel", "linter.model.flow")
                                              if name in sys.modules]}))
"""


def test_a_warm_cache_run_imports_neither_the_parsers_nor_the_model(tmp_path):
    """Every file answered from the cache: no parsing, so neither lark, ruamel nor pydantic."""
    import shutil

    shutil.copytree(REPO / "examples", tmp_path / "examples")
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    cold, warm = (json.loads(subprocess.run([sys.executable, "-c", _WARM], capture_output=True, text=True,
                                            env=environment, cwd=tmp_path / "examples", timeout=120,
                                            check=True).stdout) for _ in range(2))
    assert "pydantic" in cold["loaded"]  # the probe can see an import
    assert warm == {"code": cold["code"], "loaded": []}


def test_the_shipped_rule_packs_name_every_rule_and_no_other():
    """Selectors (ALL, BL5) expand against the shipped packs' codes, without importing the rules."""
    from linter.engine.settings import _shipped_rulesets
    from linter.rules import all_rules

    assert set(_shipped_rulesets().rules) == set(all_rules())
