"""The contracts every layer of botlint may import; they import nothing of botlint's.

- `severity`: the ordered `Severity` of a finding.
- `findings`: `Violation` (what a rule reports: where, what, the fix) and `Finding` (what the
  engine records of it: rule, severity, file and span, flow and step, snippet, fingerprint).
- `rules`: `Rule`, the `rule` declaration a rule module uses, and the `RuleContext` protocol a
  rule's check receives.
- `results`: `LintResult`, what a run gives the reporters.
- `errors`: `BotlintError` and its kinds, reported as one line with a position and exit code 2.

The layers above, from the bottom: core, model (the flow model and its analysis), parse (files
in, a model out) and rules (model in, violations out), engine (runs the pipeline), report and
audit (results out), cli.

Records that a run with every result cached still needs (these, the settings, discovery and
the runner's) are NamedTuples or plain classes, not dataclasses: importing dataclasses (it
imports inspect) and building a dataclass took about 20 ms of a 80 ms warm run.
tests/test_startup.py holds that path to it.
"""
