"""The config layer, one job per module; `linter.engine.settings` resolves what they give.

- `files`: finds and reads `.botlint.yaml` / `[tool.botlint]` and ruleset files, with the
  position of every key (`toml_keys` finds them in TOML, which tomllib does not keep);
- `schema`: the config's keys and their types, as a pydantic model; `checked` runs it once per
  config text, so a warm run needs no pydantic;
- `rulesets`: the shipped rule packs, channels, lexicons and policies, and users' packs over them;
- `messages`: how values and pydantic errors are worded in one-line errors.
"""
