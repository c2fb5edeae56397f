"""Start-up: a run imports only what it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

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
    from linter.engine.config.rulesets import shipped_rulesets as _shipped_rulesets
    from linter.rules import all_rules

    assert set(_shipped_rulesets().rules) == set(all_rules())
