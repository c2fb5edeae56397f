"""Start-up: what a one-file run (a pre-commit hook) would import without needing it.

Each line here saves a few milliseconds of every run; each is a no-op where the library
changes, so nothing breaks if it does.
"""

from __future__ import annotations

import os
import sys
import types

_ALL = "__all__"


def quiet_pydantic_plugins() -> None:
    """botlint uses no pydantic plugins. pydantic looks for them at the first validation, and
    its plugin loader imports importlib.metadata (email, zipfile, csv: ~8 ms) even when plugins
    are disabled; with them disabled, a loader that finds none stands in. A user who sets
    PYDANTIC_DISABLE_PLUGINS (to anything) keeps pydantic's own loader."""
    if os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", _ALL) != _ALL:
        return
    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        loader = types.ModuleType(name, "botlint: no pydantic plugins (PYDANTIC_DISABLE_PLUGINS=__all__)")
        loader.get_plugins = lambda: ()
        sys.modules[name] = loader


def import_lark() -> None:
    """lark imports the `regex` module (~5 ms) only to size Unicode-category patterns (\\p{..})
    when it builds a grammar; botlint's grammar has none (a test checks), and botlint imports
    `regex` itself only for users' patterns. So lark is imported with `regex` hidden."""
    if "lark" in sys.modules or "regex" in sys.modules:
        return
    sys.modules["regex"] = None  # type: ignore[assignment]  # `import regex` raises ImportError
    try:
        import lark  # noqa: F401
    finally:
        del sys.modules["regex"]
