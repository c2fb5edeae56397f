"""Reading a file's bytes into text, with precise errors for binary or mis-encoded files."""

from __future__ import annotations

from pathlib import Path

from linter.errors import FlowSyntaxError


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (a BOM is allowed) and normalise line endings to \\n."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line, col = _position(data, offset)
        raise FlowSyntaxError("binary file (NUL byte): flow files must be UTF-8 text", path, line, col)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise FlowSyntaxError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line, col
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, display: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FlowSyntaxError(f"cannot read file: {exc.strerror or exc}", display) from None
    return decode(data, display)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def line_at(text: str, line: int) -> str | None:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else None


def source_text(path: Path) -> str:
    """A file's text for quoting in reports; '' when it cannot be read or decoded."""
    try:
        return decode(path.read_bytes(), str(path))
    except (OSError, FlowSyntaxError):
        return ""
