"""botlint: a linter for chatbot and messenger-automation flows.

As a library: `linter.lint_text(text, format="flow", config=None)` lints a flow held in memory and
returns a `linter.core.results.LintResult` (findings, errors, notices).
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # Imported on first use: `import linter` stays as cheap as the command line's start-up needs.
    if name == "lint_text":
        from linter.engine.runner import lint_text

        return lint_text
    raise AttributeError(f"module 'linter' has no attribute {name!r}")
