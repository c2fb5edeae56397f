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
from pydantic.plugin import _loader
print(json.dumps({"importlib.metadata": "importlib.metadata" in sys.modules,
                  "stub": not hasattr(_loader, "entry_points")}))
"""


def _probe(**env: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    environment.update(env, PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=environment,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_flow_is_parsed_without_package_metadata():
    assert _probe() == {"importlib.metadata": False, "stub": True}


def test_a_user_who_configures_pydantic_plugins_keeps_the_real_loader():
    assert _probe(PYDANTIC_DISABLE_PLUGINS="some_plugin") == {"importlib.metadata": True, "stub": False}


def test_pydantic_still_loads_plugins_as_the_stand_in_assumes():
    """The stand-in for pydantic's plugin loader offers get_plugins() alone, returning () as
    pydantic's own does with PYDANTIC_DISABLE_PLUGINS=__all__. If pydantic changes how it
    loads plugins, this fails: check the stand-in in linter/startup.py, or drop it."""
    import re

    import pydantic

    package = Path(pydantic.__file__).parent
    uses = sorted((str(path.relative_to(package)), line.strip()) for path in package.rglob("*.py")
                  for line in path.read_text(encoding="utf-8").splitlines()
                  if re.search(r"\b_loader\b", line) and not line.lstrip().startswith("#"))
    assert uses == [("plugin/_schema_validator.py", "from ._loader import get_plugins")]
    code = "from pydantic.plugin._loader import get_plugins; print(tuple(get_plugins()))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"})
    assert run.stdout.strip() == "()", run.stderr


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
