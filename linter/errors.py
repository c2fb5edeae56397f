"""Errors that reach the user as one clear line (exit code 2), never a traceback."""

from __future__ import annotations


class BotlintError(Exception):
    """A problem with the input or the configuration, with a position where one is known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None, source_line: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.source_line = source_line  # the offending line, for a caret under the spot

    def __reduce__(self):  # keep the position when sent back from a worker process
        return type(self), (self.message, self.path, self.line, self.col, self.source_line)

    def location(self) -> str:
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class FlowSyntaxError(BotlintError):
    """A flow file that cannot be read into the model."""


class ConfigError(BotlintError):
    """A configuration or ruleset file that is wrong."""
