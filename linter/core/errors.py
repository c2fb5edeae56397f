"""Errors that reach the user as one clear line (exit code 2), never a traceback."""

from __future__ import annotations

# An error message is one line on a terminal: anything longer is cut, and characters that
# are not printable (control characters, terminal escapes, bidi overrides, zero-width
# characters, line separators, lone surrogates) are shown as escapes, so that a hostile file
# can neither break the line nor rewrite what the terminal shows.
MAX_MESSAGE_CHARS = 500
MAX_SOURCE_LINE_CHARS = 300


def printable(text: str) -> str:
    """`text` with every non-printable character as a Python-style escape (\\x1b, \\u202e)."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _shown_source_line(line: str | None, col: int | None) -> str | None:
    """The offending line for the caret: one character per character, so the caret stays under
    the spot; unprintable ones become U+FFFD. Cut after the spot; dropped when the spot is far
    along a very long line (a minified JSON file is one line)."""
    if line is None:
        return None
    if len(line) > MAX_SOURCE_LINE_CHARS:
        if col is None or col > MAX_SOURCE_LINE_CHARS - 40:
            return None
        line = line[:MAX_SOURCE_LINE_CHARS] + "…"
    if line.isprintable():
        return line
    return "".join(char if char.isprintable() or char == "\t" else "\ufffd" for char in line)


class BotlintError(Exception):
    """A problem with the input or the configuration, with a position where one is known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None, source_line: str | None = None) -> None:
        message = clip(printable(message), MAX_MESSAGE_CHARS)
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self._source_line = _shown_source_line(source_line, col)

    @property
    def source_line(self) -> str | None:  # the offending line, for a caret under the spot
        return self._source_line

    @source_line.setter
    def source_line(self, line: str | None) -> None:
        self._source_line = _shown_source_line(line, self.col)

    def __reduce__(self):  # keep the position when sent back from a worker process
        return type(self), (self.message, self.path, self.line, self.col, self.source_line)

    def location(self) -> str:
        parts = [printable(self.path) if self.path else "<input>"]
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
