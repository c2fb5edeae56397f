"""Start-up: the one measure that reaches into another library, kept because it pays.

A one-file run (a pre-commit hook) takes about 200 ms. Standing in for pydantic's plugin
loader saves 11-20 ms of it (bench/bench.py --one-file, medians of 21), and nothing public
gets the same: pydantic builds every model's validator through that loader. It relies on
pydantic's internals, so tests/test_startup.py checks them and fails when they change.
"""

from __future__ import annotations

import os
import sys
import types

_ALL = "__all__"


def quiet_pydantic_plugins() -> None:
    """botlint uses no pydantic plugins. pydantic looks for them when it builds the first
    validator, and its plugin loader imports importlib.metadata (email, zipfile, csv: ~11 ms)
    even when plugins are disabled; with them disabled, a loader that finds none stands in.
    A user who sets PYDANTIC_DISABLE_PLUGINS (to anything) keeps pydantic's own loader."""
    if os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", _ALL) != _ALL:
        return
    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        loader = types.ModuleType(name, "botlint: no pydantic plugins (PYDANTIC_DISABLE_PLUGINS=__all__)")
        loader.get_plugins = lambda: ()  # what pydantic's own get_plugins() returns for __all__
        sys.modules[name] = loader
