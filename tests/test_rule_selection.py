"""A run imports only the rules it selects, and keeps lark's analysed grammar in botlint's cache folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from linter.rules import all_rules, selected_rules

# Run in a fresh interpreter: this test process has imported every rule already.
_PROBE = """
import json, sys
from linter.rules import selected_rules
rules = selected_rules({codes!r})
loaded = sorted(name for name in sys.modules  # rule modules, not the families' shared helpers (_common)
                if name.startswith("linter.rules.") and name.count(".") == 3 and "._" not in name)
print(json.dumps({{"codes": list(rules), "loaded": loaded}}))
"""


def _probe(codes: set[str], cache: str) -> dict:
    env = dict(os.environ, BOTLINT_CACHE_DIR=cache)
    done = subprocess.run([sys.executable, "-c", _PROBE.format(codes=codes)], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_narrow_selection_imports_only_its_rules(tmp_path):
    cache = str(tmp_path / "cache")
    first = _probe({"BL101", "BL501"}, cache)  # learns which module holds which code
    again = _probe({"BL101", "BL501"}, cache)  # from the cached index
    assert first["codes"] == again["codes"] == ["BL101", "BL501"]
    modules = {all_rules()[code].check.__module__ for code in ("BL101", "BL501")}
    assert set(again["loaded"]) == modules


def test_selected_rules_are_the_registrys_rules_in_code_order():
    codes = set(all_rules()) | {"BL999"}  # an unknown code is left out
    assert list(selected_rules(codes)) == list(all_rules())
    assert selected_rules({"bl101"}) == {"BL101": all_rules()["BL101"]}


def test_the_grammar_is_cached_in_botlints_cache_folder(tmp_path):
    env = dict(os.environ, BOTLINT_CACHE_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-c", "from linter.parse.dsl import _parser; _parser()"], env=env, check=True)
    assert [path.name.startswith("flow-grammar-") for path in tmp_path.iterdir()] == [True]
