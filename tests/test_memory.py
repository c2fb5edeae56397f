"""What a run keeps once a document is linted: nothing worked out about its texts, so that a run
over thousands of flows holds one document's worth at a time (10,000 flows: 104 MB -> 69 MB)."""

from __future__ import annotations

from pathlib import Path

from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.model import text

FLOW = """flow hello:
  channel messenger
  trigger message keywords "hi"

  step start:
    say "Hey {first_name|there}! We are thrilled to inform you that your order has shipped."
    ask "Anything else I can help with?":
      reply "No thanks" -> done
      otherwise -> done

  step done:
    say "Have a great day!"
    end
"""


def test_text_and_lexicon_caches_are_empty_after_each_document(tmp_path: Path):
    for index in range(3):
        (tmp_path / f"f{index}.flow").write_text(FLOW.replace("hello", f"hello{index}"), encoding="utf-8")
    text.words("a text worked out before the run")
    assert text._words.cache_info().currsize  # the probe sees a cached text
    resolver = SettingsResolver(Overrides(), cwd=tmp_path)
    result = lint_paths([tmp_path], resolver)
    assert result.findings  # the rules did read the texts
    assert text._words.cache_info().currsize == 0 and text._prose.cache_info().currsize == 0
    settings = resolver.for_path(tmp_path / "f0.flow")
    lexicon = settings.lexicon("en")
    assert lexicon is not None and not lexicon._found
