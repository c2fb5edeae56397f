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
    code = main(["check", "--jobs", "1", "--select", "ALL", *sys.argv[1:]])
print(json.dumps({"code": code, "loaded": [name for name in ("pydantic", "lark", "ruamel", "linter.model.flow",
                                                          "dataclasses", "linter.engine.lexicon")
                                              if name in sys.modules]}))
"""


def _cold_then_warm(folder: Path, *paths: str) -> tuple[dict, dict]:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    return tuple(json.loads(subprocess.run([sys.executable, "-c", _WARM, *paths], capture_output=True, text=True,
                                           env=environment, cwd=folder, timeout=120, check=True).stdout)
                 for _ in range(2))


def test_a_warm_cache_run_on_files_imports_no_parser_model_lexicon_or_dataclasses(tmp_path):
    """Every file answered from the cache (as a pre-commit hook names them): no parsing, so neither
    lark, ruamel nor pydantic; no lexicons; and no dataclasses, whose import and class building
    took a quarter of such a run."""
    import shutil

    shutil.copytree(REPO / "examples", tmp_path / "examples")
    cold, warm = _cold_then_warm(tmp_path / "examples", "tone-bad.flow", "whatsapp-broadcast.flow.yaml")
    assert {"pydantic", "dataclasses", "linter.engine.lexicon"} <= set(cold["loaded"])  # the probe sees imports
    assert warm == {"code": cold["code"], "loaded": []}


def test_a_warm_cache_run_on_a_folder_imports_no_parser_or_model(tmp_path):
    """A folder is asked whether it is a project, which loads the importers (and their dataclasses),
    but nothing is parsed."""
    import shutil

    shutil.copytree(REPO / "examples", tmp_path / "examples")
    cold, warm = _cold_then_warm(tmp_path / "examples", ".")
    assert "pydantic" in cold["loaded"]
    assert warm["code"] == cold["code"] and not {"pydantic", "lark", "ruamel", "linter.model.flow",
                                                 "linter.engine.lexicon"} & set(warm["loaded"])


def test_the_shipped_rule_packs_name_every_rule_and_no_other():
    """Selectors (ALL, BL5) expand against the shipped packs' codes, without importing the rules."""
    from linter.engine.config.rulesets import shipped_rulesets as _shipped_rulesets
    from linter.rules import all_rules

    assert set(_shipped_rulesets().rules) == set(all_rules())
