"""botlint: a linter for chatbot and messenger-automation flows."""

__version__ = "0.1.0"
